/*
 * test/unit_config.c - config.c and config_linux.c: config.json into
 * struct run_opts.  The callers' own defaults are accepted (a ctr-like
 * document), each field lands where `run`'s option would put it, and
 * each refusal names its field.
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "../minictr.h"

/*
 * test/unit-asan: what config.json's parser allocates lives as long as
 * minictr does (it exits; the kernel frees), by design, so LeakSanitizer
 * would report every test's document (5,000 lines in CI's log that hid
 * nothing).  Address and undefined-behaviour errors still fail a test.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* What ctr 1.6 writes for `ctr run --rootfs`, trimmed. */
#define CTR_LIKE(PROCESS_EXTRA, LINUX_EXTRA, TOP_EXTRA) \
	"{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"user\":{\"uid\":0," \
	"\"gid\":0,\"additionalGids\":[0,10]},\"args\":[\"sh\",\"-c\"," \
	"\"a \\u003e b\"],\"env\":[\"PATH=/bin\",\"X=1\"],\"cwd\":\"/\"," \
	"\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_MKNOD\"," \
	"\"CAP_KILL\"],\"effective\":[\"CAP_KILL\"],\"permitted\":" \
	"[\"CAP_KILL\"]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":" \
	"1024,\"soft\":1024}],\"noNewPrivileges\":true" PROCESS_EXTRA "}," \
	"\"root\":{\"path\":\"rootfs\"},\"hostname\":\"box\",\"mounts\":[" \
	"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"," \
	"\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},{\"destination\":" \
	"\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" \
	"[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]}," \
	"{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"," \
	"\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=64k\"]}," \
	"{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/srv\"," \
	"\"options\":[\"rbind\",\"ro\",\"nodev\"]},{\"destination\":" \
	"\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"}]," \
	"\"annotations\":{\"k\":\"v\"},\"linux\":{\"resources\":{\"devices\":" \
	"[{\"allow\":false,\"access\":\"rwm\"}],\"memory\":{\"limit\":" \
	"67108864},\"pids\":{\"limit\":64},\"cpu\":{\"quota\":50000," \
	"\"period\":200000,\"cpus\":\"0\"}},\"cgroupsPath\":\"/default/x\"," \
	"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":" \
	"\"uts\"},{\"type\":\"mount\"},{\"type\":\"network\"}]," \
	"\"maskedPaths\":[\"/proc/kcore\",\"/proc/x\"],\"readonlyPaths\":" \
	"[\"/proc/sys\"]" LINUX_EXTRA "}" TOP_EXTRA "}"

static int parse(const char *text, struct run_opts *o,
		 struct config_error *err)
{
	memset(o, 0, sizeof *o);
	return config_parse(text, strlen(text), "/b", o, err);
}

Test(config_parse, a_ctr_like_document)
{
	struct run_opts o;
	struct config_error err;

	cr_assert_eq(parse(CTR_LIKE("", "", ""), &o, &err), 0, "%s: %s",
		     err.field, err.reason);
	cr_expect_str_eq(o.argv[2], "a > b");
	cr_expect_null(o.argv[3]);
	cr_expect_eq(o.nenv, 2);
	cr_expect_str_eq(o.env[1], "X=1");
	cr_expect_str_eq(o.workdir, "/");
	cr_expect_str_eq(o.rootfs, "/b/rootfs");
	cr_expect_str_eq(o.hostname, "box");
	cr_expect_eq(o.tty, 0);
	cr_expect_eq(o.caps_given, 1);
	cr_expect_eq(o.no_new_privs, 1, "no_new_privs, whatever it says");
	cr_expect_eq(o.cap_bounding, 1ULL << 0 | 1ULL << 5 | 1ULL << 27,
		     "MKNOD kept: the device policy is there");
	cr_expect_eq(o.cap_effective, 1ULL << 5);
	cr_expect_eq(o.nrlimits, 1);
	cr_expect_eq(o.rlimits[0].resource, RLIMIT_NOFILE);
	cr_expect_eq(o.rlimits[0].hard, 1024);
	cr_expect_eq(o.ngroups, 2);
	cr_expect_eq(o.groups[1], 10);
	cr_expect_eq(o.memory, 67108864);
	cr_expect_eq(o.pids_limit, 64);
	cr_expect_eq(o.cpu_quota, 50000);
	cr_expect_eq(o.cpu_period, 200000);
	cr_expect_str_eq(o.cpuset_cpus, "0");
	cr_expect_eq(o.net, NET_NONE);
	cr_expect_eq(o.namespaces, (unsigned long)(CLONE_NEWPID | CLONE_NEWIPC |
		     CLONE_NEWUTS | CLONE_NEWNS | SIGCHLD));
	cr_expect_eq(o.nmasked, 2);
	cr_expect_str_eq(o.ro_paths[0], "/proc/sys");
	cr_expect_str_eq(o.annotations, "{\"k\":\"v\"}");
	/* /proc, /dev and the cgroup are the skeleton's: two mounts left */
	cr_assert_eq(o.nmounts, 2);
	cr_expect_eq(o.mounts[0].kind, MOUNT_TMPFS);
	cr_expect_eq(o.mounts[0].tmpfs.size, 65536);
	cr_expect_eq(o.mounts[0].tmpfs.mode, 0755);
	cr_expect_eq(o.mounts[0].tmpfs.flags, MS_NOSUID | MS_STRICTATIME);
	cr_expect_eq(o.mounts[1].kind, MOUNT_BIND);
	cr_expect_eq(o.mounts[1].ro, 1);
	cr_expect_eq(o.mounts[1].single, 0);
	cr_expect_eq(o.mounts[1].flags, MS_NODEV);
	cr_assert_eq(o.ndevices, 1 + dev_ndefaults - 1, "deny all, runc's");
	cr_expect_eq(o.devices[0].type, 'a');
	cr_expect_eq(o.devices[0].allow, 0);
	cr_expect_eq(o.devices[1].access, DEV_MKNOD, "runc's list follows");
	cr_expect_str_eq(o.cgroups_path, "/default/x");
}

/* A user namespace and a map of 0 to 100000, 65536 ids long. */
#define USERNS ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"}," \
	"{\"type\":\"uts\"},{\"type\":\"user\"}]"
#define MAP0 "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"

Test(config_parse, a_user_namespace_and_its_maps)
{
	struct run_opts o;
	struct config_error err;

	cr_assert_eq(parse(CTR_LIKE("", USERNS ",\"uidMappings\":" MAP0
				    ",\"gidMappings\":[{\"containerID\":0,"
				    "\"hostID\":1000,\"size\":1},{\"containerID"
				    "\":1,\"hostID\":200000,\"size\":9}]", ""),
			   &o, &err), 0, "%s: %s", err.field, err.reason);
	cr_expect_eq(o.namespaces, (unsigned long)(CLONE_NEWPID | CLONE_NEWNS |
		     CLONE_NEWUTS | SIGCHLD), "CLONE_NEWUSER is userns.c's");
	cr_assert_eq(o.nuid_maps, 1);
	cr_expect_eq(o.uid_maps[0].inside, 0);
	cr_expect_eq(o.uid_maps[0].outside, 100000);
	cr_expect_eq(o.uid_maps[0].count, 65536);
	cr_assert_eq(o.ngid_maps, 2);
	cr_expect_eq(o.gid_maps[1].inside, 1);
	cr_expect_eq(o.gid_maps[1].outside, 200000);
	cr_expect_eq(o.gid_maps[1].count, 9);
}

/* linux.devices: /dev/fuse as docker sends it, a FIFO, a node with its
 * mode's type bits (as stat(2) gives them) and an owner. */
#define DEVS ",\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\"," \
	"\"major\":10,\"minor\":229,\"fileMode\":438,\"uid\":0,\"gid\":0}," \
	"{\"path\":\"/run/p\",\"type\":\"p\"},{\"path\":\"/dev/a/b\"," \
	"\"type\":\"b\",\"major\":240,\"minor\":1048575,\"fileMode\":" \
	"25008,\"uid\":1000,\"gid\":5},{\"path\":\"/dev/u\",\"type\":\"u\"," \
	"\"major\":1,\"minor\":3}]"

Test(config_parse, device_nodes_and_their_allow_rules)
{
	struct run_opts o;
	struct config_error err;
	const struct dev_rule *r;

	cr_assert_eq(parse(CTR_LIKE("", DEVS, ""), &o, &err), 0, "%s: %s",
		     err.field, err.reason);
	cr_assert_eq(o.ndev_nodes, 4);
	cr_expect_str_eq(o.dev_nodes[0].path, "/dev/fuse");
	cr_expect_eq(o.dev_nodes[0].type, 'c');
	cr_expect_eq(o.dev_nodes[0].major, 10);
	cr_expect_eq(o.dev_nodes[0].minor, 229);
	cr_expect_eq(o.dev_nodes[0].mode, 0666);
	cr_expect_eq(o.dev_nodes[1].type, 'p');
	cr_expect_eq(o.dev_nodes[1].mode, 0666, "fileMode absent: 0666");
	cr_expect_eq(o.dev_nodes[1].uid, 0);
	cr_expect_eq(o.dev_nodes[2].mode, 0660, "S_IFBLK|0660: the type dropped");
	cr_expect_eq(o.dev_nodes[2].minor, 1048575);
	cr_expect_eq(o.dev_nodes[2].uid, 1000);
	cr_expect_eq(o.dev_nodes[2].gid, 5);
	cr_expect_eq(o.dev_nodes[3].type, 'u');
	/* deny all (the config's), then one allow a device (not the FIFO),
	 * then runc's list */
	cr_assert_eq(o.ndevices, 1 + 3 + dev_ndefaults - 1);
	r = o.devices;
	cr_expect_eq(r[1].type, 'c');
	cr_expect_eq(r[1].major, 10);
	cr_expect_eq(r[1].minor, 229);
	cr_expect_eq(r[1].access, DEV_RWM);
	cr_expect_eq(r[1].allow, 1);
	cr_expect_eq(r[2].type, 'b');
	cr_expect_eq(r[2].major, 240);
	cr_expect_eq(r[3].type, 'c', "u is a character device");
	cr_expect_eq(r[4].access, DEV_MKNOD, "runc's list follows");
}

/* 1024 nodes are taken (with their rules, the BPF program's jumps stay
 * within 16 bits); 1025 are refused. */
Test(config_parse, device_nodes_are_bounded)
{
	static char devs[1100 * 64], text[sizeof devs + 2048];
	struct run_opts o;
	struct config_error err;

	for (int n = 1024; n <= 1025; n++) {
		int len = snprintf(devs, sizeof devs, ",\"devices\":[");
		for (int i = 0; i < n; i++)
			len += snprintf(devs + len, sizeof devs - (size_t)len,
					"%s{\"path\":\"/dev/n%d\",\"type\":\"c\","
					"\"major\":240,\"minor\":%d}",
					i ? "," : "", i, i);
		snprintf(devs + len, sizeof devs - (size_t)len, "]");
		snprintf(text, sizeof text, CTR_LIKE("", "%s", ""), devs);
		cr_expect_eq(parse(text, &o, &err), n == 1024 ? 0 : -1, "%d", n);
	}
	cr_expect_str_eq(err.field, "linux.devices");
}

Test(config_parse, refusals_name_the_field)
{
	static const struct { const char *text, *field; } rows[] = {
		{ "{", "config.json" },
		{ "{\"ociVersion\":\"2.0\"}", "ociVersion" },
		{ "{\"ociVersion\":\"1.0\"}", "process" },
		{ CTR_LIKE(",\"user\":{\"uid\":-1}", "", ""), "process.user.uid" },
		{ CTR_LIKE(",\"user\":{\"gid\":4294967295}", "", ""),
		  "process.user.gid" },
		{ CTR_LIKE(",\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"]}",
			   "", ""), "process.capabilities.bounding: CAP_SYS_ADMIN" },
		{ CTR_LIKE(",\"env\":[\"HOME\"]", "", ""), "process.env[0]" },
		{ CTR_LIKE(",\"env\":[\"A=\\u0000\"]", "", ""), "process.env[0]" },
		{ CTR_LIKE(",\"args\":[]", "", ""), "process.args" },
		{ CTR_LIKE(",\"args\":[1]", "", ""), "process.args[0]" },
		{ CTR_LIKE(",\"cwd\":\"rel\"", "", ""), "process.cwd" },
		{ CTR_LIKE(",\"terminal\":\"yes\"", "", ""), "process.terminal" },
		{ CTR_LIKE(",\"rlimits\":[{\"type\":\"RLIMIT_X\",\"soft\":1,"
			   "\"hard\":1}]", "", ""), "process.rlimits[0]" },
		{ CTR_LIKE("", ",\"sysctl\":{\"kernel.pid_max\":\"9\"}", ""),
		  "linux.sysctl: kernel.pid_max" },
		{ CTR_LIKE("", ",\"sysctl\":{\"net..x\":\"1\"}", ""), "linux.sysctl[0]" },
		{ CTR_LIKE("", ",\"sysctl\":{\"net.a/b\":\"1\"}", ""), "linux.sysctl[0]" },
		{ CTR_LIKE("", ",\"sysctl\":{\"net.x\":1}", ""), "linux.sysctl[0]" },
		{ CTR_LIKE("", ",\"sysctl\":[]", ""), "linux.sysctl" },
		{ CTR_LIKE("", ",\"cgroupsPath\":\"/a/../..\"", ""),
		  "linux.cgroupsPath" },
		{ CTR_LIKE("", ",\"cgroupsPath\":\"..\"", ""), "linux.cgroupsPath" },
		{ CTR_LIKE("", ",\"cgroupsPath\":7", ""), "linux.cgroupsPath" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":"
			   "\"mount\"},{\"type\":\"uts\"}],\"sysctl\":{\"net.x\":\"1\"}",
			   ""), "linux.sysctl: net.x" },
		{ CTR_LIKE("", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}",
			   ""), "linux.seccomp.defaultAction" },
		{ CTR_LIKE("", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
			   "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"X\"}]}",
			   ""), "linux.seccomp.syscalls[0].action" },
		{ CTR_LIKE("", ",\"seccomp\":[]", ""), "linux.seccomp" },
		{ CTR_LIKE("", ",\"uidMappings\":[{}]", ""), "linux.uidMappings" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"network\",\"path\":"
			   "\"run/netns/x\"}]", ""), "linux.namespaces[0].path" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"network\",\"path\":"
			   "\"/run/netns/x\"}]", ""), "linux.namespaces" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"ipc\",\"path\":"
			   "\"/a\"},{\"type\":\"ipc\",\"path\":\"/b\"}]", ""),
		  "linux.namespaces[1]" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"user\",\"path\":"
			   "\"/a\"}]", ""), "linux.namespaces[0].path" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"time\"}]", ""),
		  "linux.namespaces[0].type" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"user\"}]", ""),
		  "linux.namespaces" },
		{ CTR_LIKE("", USERNS ",\"gidMappings\":" MAP0, ""),
		  "linux.uidMappings" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":" MAP0, ""),
		  "linux.gidMappings" },
		{ CTR_LIKE("", ",\"gidMappings\":" MAP0, ""), "linux.gidMappings" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":[],\"gidMappings\":" MAP0,
			   ""), "linux.uidMappings" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":[{\"containerID\":1,"
			   "\"hostID\":1,\"size\":1}],\"gidMappings\":" MAP0, ""),
		  "linux.uidMappings" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":[{\"containerID\":0,"
			   "\"hostID\":1,\"size\":0}],\"gidMappings\":" MAP0, ""),
		  "linux.uidMappings[0].size" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":" MAP0 ",\"gidMappings\":"
			   "[{\"containerID\":0,\"hostID\":-1,\"size\":1}]", ""),
		  "linux.gidMappings[0].hostID" },
		{ CTR_LIKE("", USERNS ",\"uidMappings\":[{\"containerID\":0,"
			   "\"hostID\":4294967000,\"size\":65536}],"
			   "\"gidMappings\":" MAP0, ""), "linux.uidMappings[0]" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"mount\"}]", ""),
		  "hostname" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"pid\"}]", ""),
		  "linux.namespaces" },
		{ CTR_LIKE("", ",\"namespaces\":[{\"type\":\"mount\"},{\"type\":"
			   "\"pid\"}]", ""), "hostname" },
		{ CTR_LIKE("", ",\"maskedPaths\":[\"rel\"]", ""), "linux.maskedPaths[0]" },
		{ CTR_LIKE("", ",\"resources\":{\"blockIO\":{\"weight\":10}}", ""),
		  "linux.resources.blockIO" },
		{ CTR_LIKE("", ",\"resources\":{\"cpu\":{\"mems\":\"0\"}}", ""),
		  "linux.resources.cpu.mems" },
		{ CTR_LIKE("", ",\"resources\":{\"cpu\":{\"cpus\":\"x\"}}", ""),
		  "linux.resources.cpu.cpus" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":{}}", ""),
		  "linux.resources.devices" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":[{\"allow\":true,"
			   "\"access\":\"\"}]}", ""), "linux.resources.devices[0]" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":[{\"allow\":true,"
			   "\"access\":\"r\"},{\"access\":\"r\"}]}", ""),
		  "linux.resources.devices[1]" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":[{\"allow\":true,"
			   "\"type\":\"c\",\"major\":4096,\"access\":\"r\"}]}", ""),
		  "linux.resources.devices[0]" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":[{\"allow\":true,"
			   "\"type\":1,\"access\":\"r\"}]}", ""),
		  "linux.resources.devices[0]" },
		{ CTR_LIKE("", ",\"resources\":{\"devices\":[7]}", ""),
		  "linux.resources.devices[0]" },
		{ CTR_LIKE("", ",\"devices\":{}", ""), "linux.devices" },
		{ CTR_LIKE("", ",\"devices\":[7]", ""), "linux.devices[0]" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"dev/x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].path" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/../x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].path" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/./x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].path" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].path" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/\",\"type\":"
			   "\"p\"}]", ""), "linux.devices[0].path" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"x\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].type" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"cc\",\"major\":1,\"minor\":3}]", ""),
		  "linux.devices[0].type" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"c\",\"minor\":3}]", ""), "linux.devices[0].major" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"c\",\"major\":4096,\"minor\":3}]", ""),
		  "linux.devices[0].major" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"b\",\"major\":1,\"minor\":1048576}]", ""),
		  "linux.devices[0].minor" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":-1}]", ""),
		  "linux.devices[0].minor" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3,\"fileMode\":65536}]", ""),
		  "linux.devices[0].fileMode" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"c\",\"major\":1,\"minor\":3,\"uid\":4294967295}]", ""),
		  "linux.devices[0].uid" },
		{ CTR_LIKE("", ",\"devices\":[{\"path\":\"/dev/x\",\"type\":"
			   "\"p\",\"gid\":\"5\"}]", ""), "linux.devices[0].gid" },
		{ CTR_LIKE("", "", ",\"hooks\":{\"prestart\":[{\"path\":\"x\"}]}"),
		  "hooks.prestart[0].path" },
		{ CTR_LIKE("", "", ",\"hooks\":{\"poststop\":[{\"path\":\"/x\","
			   "\"timeout\":0}]}"), "hooks.poststop[0].timeout" },
		{ CTR_LIKE("", "", ",\"hooks\":{\"createRuntime\":[{\"path\":"
			   "\"/x\",\"args\":[1]}]}"), "hooks.createRuntime[0].args[0]" },
		{ CTR_LIKE("", "", ",\"hooks\":{\"startContainer\":{}}"),
		  "hooks.startContainer" },
		{ CTR_LIKE("", "", ",\"hooks\":[]"), "hooks" },
		{ CTR_LIKE("", "", ",\"hooks\":{\"poststart\":[7]}"),
		  "hooks.poststart[0]" },
		{ CTR_LIKE("", "", ",\"mounts\":[{\"destination\":\"/x\",\"type\":"
			   "\"overlay\"}]"), "mounts[0] (overlay on /x)" },
		{ CTR_LIKE("", "", ",\"mounts\":[{\"destination\":\"/x\",\"type\":"
			   "\"tmpfs\",\"options\":[\"size=lots\"]}]"),
		  "mounts[0].options: size=lots" },
		{ CTR_LIKE("", "", ",\"mounts\":[{\"destination\":\"x\"}]"),
		  "mounts[0].destination" },
		{ CTR_LIKE("", "", ",\"mounts\":[{\"destination\":\"/x\",\"type\":"
			   "\"bind\"}]"), "mounts[0].source" },
		{ CTR_LIKE("", "", ",\"hostname\":\"-bad\""), "hostname" },
		{ CTR_LIKE("", "", ",\"root\":{}"), "root.path" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct run_opts o;
		struct config_error err;
		cr_expect_eq(parse(rows[i].text, &o, &err), -1, "row %zu", i);
		cr_expect_str_eq(err.field, rows[i].field, "row %zu (%s)", i,
				 err.reason);
		cr_expect_not_null(err.reason, "row %zu", i);
	}
}

Test(config_parse, absent_capabilities_mean_none_and_absolute_root)
{
	struct run_opts o;
	struct config_error err;
	const char *doc = "{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":"
		"[\"true\"]},\"root\":{\"path\":\"/r\",\"readonly\":true},"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":"
		"\"mount\"}],\"seccomp\":null}}";

	cr_assert_eq(parse(doc, &o, &err), 0, "%s: %s", err.field, err.reason);
	cr_expect_eq(o.caps_given, 1);
	cr_expect_eq(o.cap_bounding | o.cap_effective | o.cap_permitted, 0);
	cr_expect_str_eq(o.rootfs, "/r");
	cr_expect_eq(o.read_only, 1);
	cr_expect_eq(o.net, NET_HOST, "no network namespace: the host's");
	cr_expect_eq(o.umask, -1);
	cr_expect_eq(o.ngroups, -1);
}

/* exec --process FILE: one process object, as containerd's shim writes
 * it, read by the same code (a NULL bundle). */
Test(config_parse, a_process_object_alone)
{
	struct run_opts o = { 0 };
	struct config_error err;
	const char *doc = "{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"ls\","
		"\"-l\"],\"env\":[\"PATH=/bin\"],\"cwd\":\"/tmp\",\"terminal\":"
		"true,\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"effective\":"
		"[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"]},\"rlimits\":[{\"type\""
		":\"RLIMIT_NOFILE\",\"hard\":64,\"soft\":32}]}";

	cr_assert_eq(config_parse(doc, strlen(doc), NULL, &o, &err), 0, "%s: %s",
		     err.field, err.reason);
	cr_expect_str_eq(o.argv[1], "-l");
	cr_expect_str_eq(o.workdir, "/tmp");
	cr_expect(o.tty && o.nenv == 1 && o.nrlimits == 1);
	cr_expect_eq(o.cap_effective, 1ULL << 5);       /* CAP_KILL */
	cr_expect_null(o.rootfs);
	memset(&o, 0, sizeof o);
	cr_expect_eq(config_parse("{\"args\":[]}", 11, NULL, &o, &err), -1);
	cr_expect_str_eq(err.field, "process.args");
	cr_expect_eq(config_parse("[1]", 3, NULL, &o, &err), -1);
	cr_expect_str_eq(err.field, "process");
}

Test(config_parse, sysctls_of_the_containers_own_namespaces)
{
	struct run_opts o;
	struct config_error err;

	cr_assert_eq(parse(CTR_LIKE("", ",\"sysctl\":{\"net.ipv4.ping_group_"
				    "range\":\"0 0\",\"kernel.shmmax\":\"65536\"}",
				    ""), &o, &err), 0, "%s: %s", err.field,
		     err.reason);
	cr_assert_eq(o.nsysctl, 2);
	cr_expect_str_eq(o.sysctl[0], "net.ipv4.ping_group_range");
	cr_expect_str_eq(o.sysctl[1], "0 0");
	cr_expect_str_eq(o.sysctl[2], "kernel.shmmax");
	cr_expect_str_eq(o.sysctl[3], "65536");
}

Test(config_parse, dockers_zero_limits_are_no_limits)
{
	struct run_opts o;
	struct config_error err;

	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"blockIO\":{\"weight\""
				    ":0},\"memory\":{\"disableOOMKiller\":false}}",
				    ""), &o, &err), 0, "%s: %s", err.field,
		     err.reason);
	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"blockIO\":{\"weight\""
				    ":0,\"x\":{\"y\":[1]}}}", ""), &o, &err), -1);
	cr_expect_str_eq(err.field, "linux.resources.blockIO");
}

/* linux.resources.memory.swap: --memory-swap's meaning, beside a limit */
Test(config_parse, memory_swap_beside_a_limit)
{
	static const struct { const char *mem; long long memory, swap; } rows[] = {
		{ "{\"limit\":33554432,\"swap\":67108864}", 33554432, 67108864 },
		{ "{\"limit\":33554432,\"swap\":33554432}", 33554432, 33554432 },
		{ "{\"limit\":33554432,\"swap\":-1}", 33554432, -1 },
		{ "{\"limit\":33554432,\"swap\":0}", 33554432, 0 },
		{ "{\"limit\":-1,\"swap\":-1}", 0, 0 },
		{ "{\"swap\":-1}", 0, 0 },
	};
	char doc[2048];
	struct run_opts o;
	struct config_error err;

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		snprintf(doc, sizeof doc, CTR_LIKE("", ",\"resources\":{\"memory\":%s}",
			 ""), rows[i].mem);
		cr_assert_eq(parse(doc, &o, &err), 0, "%s: %s: %s", rows[i].mem,
			     err.field, err.reason);
		cr_expect_eq(o.memory, rows[i].memory, "%s", rows[i].mem);
		cr_expect_eq(o.memory_swap, rows[i].swap, "%s", rows[i].mem);
	}
	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"memory\":{\"limit\""
				    ":33554432,\"swap\":1048576}}", ""), &o, &err), -1);
	cr_expect_str_eq(err.field, "linux.resources.memory.swap");
	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"memory\":{\"swap\""
				    ":67108864}}", ""), &o, &err), -1);
	cr_expect_str_eq(err.field, "linux.resources.memory.swap");
	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"memory\":{\"limit\""
				    ":-1,\"swap\":67108864}}", ""), &o, &err), -1);
	cr_expect_str_eq(err.field, "linux.resources.memory.swap");
	cr_assert_eq(parse(CTR_LIKE("", ",\"resources\":{\"memory\":{\"swap\""
				    ":\"1g\"}}", ""), &o, &err), -1);
	cr_expect_str_eq(err.field, "linux.resources.memory.swap");
}

Test(config_parse, hooks_of_every_kind)
{
	struct run_opts o;
	struct config_error err;
	const char *doc = CTR_LIKE("", "", ",\"hooks\":{\"prestart\":[{\"path\":"
		"\"/usr/bin/setkey\",\"args\":[\"setkey\",\"a \\u003e b\"],"
		"\"env\":[\"A=1\"],\"timeout\":5},{\"path\":\"/p2\"}],"
		"\"createRuntime\":[{\"path\":\"/cr\"}],\"createContainer\":"
		"[{\"path\":\"/cc\",\"args\":[]}],\"startContainer\":null,"
		"\"poststart\":[],\"poststop\":[{\"path\":\"/ps\"}],\"x\":1}");

	cr_assert_eq(parse(doc, &o, &err), 0, "%s: %s", err.field, err.reason);
	cr_expect_eq(o.nhooks[HOOK_PRESTART], 2);
	cr_expect_str_eq(o.hooks[HOOK_PRESTART][0].path, "/usr/bin/setkey");
	cr_expect_str_eq(o.hooks[HOOK_PRESTART][0].args[1], "a > b");
	cr_expect_null(o.hooks[HOOK_PRESTART][0].args[2]);
	cr_expect_str_eq(o.hooks[HOOK_PRESTART][0].env[0], "A=1");
	cr_expect_eq(o.hooks[HOOK_PRESTART][0].timeout, 5);
	cr_expect_null(o.hooks[HOOK_PRESTART][1].args, "absent: { path }");
	cr_expect_null(o.hooks[HOOK_PRESTART][1].env, "absent: none");
	cr_expect_eq(o.hooks[HOOK_PRESTART][1].timeout, 0);
	cr_expect_eq(o.nhooks[HOOK_CREATE_RUNTIME], 1);
	cr_expect_null(o.hooks[HOOK_CREATE_CONTAINER][0].args, "[]: { path }");
	cr_expect_eq(o.nhooks[HOOK_START_CONTAINER], 0, "null: none");
	cr_expect_eq(o.nhooks[HOOK_POSTSTART], 0);
	cr_expect_str_eq(o.hooks[HOOK_POSTSTOP][0].path, "/ps");
	cr_expect_str_eq(hook_names[HOOK_CREATE_CONTAINER], "createContainer");
}

/* start's and delete's reading of create's copy: the hooks, nothing
 * else (not even what config_parse would refuse) */
Test(config_hooks, the_hooks_alone)
{
	static const char doc[] = "{\"linux\":{\"seccomp\":7},\"hooks\":"
		"{\"poststop\":[{\"path\":\"/ps\",\"args\":[\"ps\",\"1\"]}]}}";
	struct run_opts o = { 0 };
	struct config_error err;

	cr_assert_eq(config_hooks(doc, strlen(doc), &o, &err), 0, "%s: %s",
		     err.field, err.reason);
	cr_expect_eq(o.nhooks[HOOK_POSTSTOP], 1);
	cr_expect_str_eq(o.hooks[HOOK_POSTSTOP][0].args[1], "1");
	cr_expect_eq(o.nhooks[HOOK_POSTSTART], 0);
	cr_expect_null(o.rootfs);
	memset(&o, 0, sizeof o);
	cr_expect_eq(config_hooks("{}", 2, &o, &err), 0);
	cr_expect_eq(config_hooks("{\"hooks\":[]}", 12, &o, &err), -1);
	cr_expect_str_eq(err.field, "hooks");
	cr_expect_eq(config_hooks("{", 1, &o, &err), -1);
	cr_expect_str_eq(err.field, "config.json");
}

Test(config_parse, namespaces_joined_by_path)
{
	struct run_opts o;
	struct config_error err;
	const char *doc = CTR_LIKE("", ",\"namespaces\":[{\"type\":\"pid\"},"
		"{\"type\":\"mount\"},{\"type\":\"uts\"},{\"type\":\"network\","
		"\"path\":\"/run/netns/pod\"},{\"type\":\"ipc\",\"path\":"
		"\"/proc/7/ns/ipc\"}]", "");

	cr_assert_eq(parse(doc, &o, &err), 0, "%s: %s", err.field, err.reason);
	cr_expect_eq(o.namespaces, (unsigned long)(CLONE_NEWPID | CLONE_NEWNS |
		     CLONE_NEWUTS | SIGCHLD), "joined: not made");
	cr_expect_eq(o.net, NET_HOST, "a joined network: no new one, no lo up");
	cr_assert_eq(o.nns_paths, 2);
	cr_expect_eq(o.ns_paths[0].flag, (unsigned long)CLONE_NEWNET);
	cr_expect_str_eq(o.ns_paths[0].path, "/run/netns/pod");
	cr_expect_eq(o.ns_paths[1].flag, (unsigned long)CLONE_NEWIPC);

	doc = CTR_LIKE("", ",\"namespaces\":[{\"type\":\"pid\",\"path\":"
		"\"/proc/7/ns/pid\"},{\"type\":\"mount\",\"path\":\"/m\"},"
		"{\"type\":\"uts\"}]", "");
	cr_assert_eq(parse(doc, &o, &err), 0, "%s: %s", err.field, err.reason);
	cr_expect_eq(o.namespaces, (unsigned long)(CLONE_NEWUTS | SIGCHLD),
		     "pid and mount joined count as the container's own");
	cr_expect_eq(o.nns_paths, 2);
}
