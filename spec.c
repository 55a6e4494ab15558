/*
 * spec.c - `minictr spec`: a config.json for a root filesystem in
 * ./rootfs, with minictr's own defaults, as `runc spec` writes runc's.
 *
 * What it says is what minictr does without being asked: docker's
 * capability set less CAP_MKNOD (caps.c), no new privileges, docker's
 * masked and read-only paths (rootfs.c), the kernel filesystems of
 * minictr's skeleton, new pid, network, ipc, uts and mount namespaces.
 * --rootless: for a user, as runc's (see maps below).
 * The command is sh with a terminal, as runc's: `create` then needs a
 * --console-socket; set "terminal" to false to run it with pipes.
 * An existing config.json is never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "minictr.h"

#define CAPS "[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\"," \
	"\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\"," \
	"\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\",\"CAP_SYS_CHROOT\"," \
	"\"CAP_AUDIT_WRITE\",\"CAP_SETFCAP\"]"

static const char spec[] =
"{\n"
"\t\"ociVersion\": \"1.0.2\",\n"
"\t\"process\": {\n"
"\t\t\"terminal\": true,\n"
"\t\t\"user\": {\"uid\": 0, \"gid\": 0},\n"
"\t\t\"args\": [\"sh\"],\n"
"\t\t\"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\"],\n"
"\t\t\"cwd\": \"/\",\n"
"\t\t\"capabilities\": {\"bounding\": " CAPS ",\n"
"\t\t\t\"effective\": " CAPS ",\n"
"\t\t\t\"permitted\": " CAPS "},\n"
"\t\t\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],\n"
"\t\t\"noNewPrivileges\": true\n"
"\t},\n"
"\t\"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
"\t\"hostname\": \"minictr\",\n"
"\t\"mounts\": [\n"
"\t\t{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
"\t\t{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n"
"\t\t{\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\", \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\"%s]},\n"
"\t\t{\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},\n"
"\t\t{\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\", \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n"
"\t\t{\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}\n"
"\t],\n"
"\t\"linux\": {\n"
"\t\t\"namespaces\": [{\"type\": \"pid\"}, %s{\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}%s],\n%s"
"\t\t\"maskedPaths\": [\"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/acpi\", \"/proc/asound\", \"/proc/scsi\", \"/sys/firmware\", \"/sys/devices/virtual/powercap\"],\n"
"\t\t\"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"]\n"
"\t}\n"
"}\n";

/* --rootless, as runc's: the caller's uid and gid are 0 inside, one ID
 * each (userns.c writes that map without helpers); no network namespace
 * (a user's has no way out), so /sys is the host's, bound read-only;
 * devpts without gid=5, which one ID does not map. */
static const char maps[] =
"\t\t\"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
"\t\t\"gidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n";

/* BUNDLE/config.json (BUNDLE: "." by default), created, never replaced. */
int spec_write(const char *bundle, int rootless)
{
	char path[PATH_MAX_OCI], ids[sizeof maps + 32], text[sizeof spec + 256];
	int fd, len;

	snprintf(path, sizeof path, "%s/config.json", bundle ? bundle : ".");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		error_line(0, "File %s exists. Remove it first or use the "
			   "--bundle option", path);
		return EXIT_SETUP;
	}
	snprintf(ids, sizeof ids, maps, (unsigned)geteuid(), (unsigned)getegid());
	len = snprintf(text, sizeof text, spec, rootless ? "" : ", \"gid=5\"",
		       rootless ? "" : "{\"type\": \"network\"}, ",
		       rootless ? ", {\"type\": \"user\"}" : "",
		       rootless ? ids : "");
	if (fd < 0 || write(fd, text, (size_t)len) != len || close(fd) < 0)
		die("write %s", path);
	return 0;
}
