/*
 * test/unit_ociargs.c - ociargs.c: runc's command line as the callers
 * send it (containerd's shim, conmon, CRI-O, a person), IDs, signals.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "../minictr.h"

static int parse(struct oci_args *a, const char *line)
{
	static char buf[512], *argv[32];  /* a points into them */
	static const char *env[32];       /* exec's -e values */
	int argc = 0;

	a->env = env;
	strcpy(buf, line);
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return parse_oci(argc, argv, a);
}

Test(parse_oci, the_shims_create)
{
	struct oci_args a;

	cr_assert_eq(parse(&a, "--root /run/containerd/runc/default --log "
			   "/b/log.json --log-format json --systemd-cgroup create "
			   "--bundle /b --pid-file /b/init.pid --console-socket "
			   "/tmp/s --no-pivot --no-new-keyring c1"), 0);
	cr_expect_eq(a.cmd, OCI_CREATE);
	cr_expect_str_eq(a.root, "/run/containerd/runc/default");
	cr_expect_str_eq(a.log, "/b/log.json");
	cr_expect_eq(a.log_json, 1);
	cr_expect_str_eq(a.bundle, "/b");
	cr_expect_str_eq(a.pid_file, "/b/init.pid");
	cr_expect_str_eq(a.console_socket, "/tmp/s");
	cr_expect_str_eq(a.id, "c1");
}

Test(parse_oci, equals_forms_short_forms_and_defaults)
{
	struct oci_args a;

	cr_assert_eq(parse(&a, "--root=/r --log-format=text create -b=/b "
			   "--preserve-fds=2 c1"), 0);
	cr_expect_str_eq(a.root, "/r");
	cr_expect_eq(a.log_json, 0);
	cr_expect_str_eq(a.bundle, "/b");
	cr_expect_eq(a.preserve_fds, 2);
	cr_assert_eq(parse(&a, "state c1"), 0);
	cr_expect_str_eq(a.root, "/run/minictr");
	cr_assert_eq(parse(&a, "kill -a c1 KILL"), 0);
	cr_expect(a.all && a.cmd == OCI_KILL && !strcmp(a.signal, "KILL"));
	cr_assert_eq(parse(&a, "delete --force c1"), 0);
	cr_expect(a.force && a.cmd == OCI_DELETE);
	cr_assert_eq(parse(&a, "run --bundle /b -d c1"), 0);
	cr_expect(a.cmd == OCI_RUN && a.detach);
}

Test(parse_oci, run_without_bundle_is_the_docker_style_run)
{
	struct oci_args a;

	cr_expect_eq(parse(&a, "run -ti /bin/sh"), 0);
	cr_expect_eq(a.cmd, OCI_NONE);
	cr_expect_eq(parse(&a, "run /bin/true"), 0);
	cr_expect_eq(a.cmd, OCI_NONE);
	cr_expect_eq(parse(&a, "run --rootfs /r sh"), 0);
	cr_expect_eq(a.cmd, OCI_NONE);
}

Test(parse_oci, help_asked_among_the_options)
{
	static const struct { const char *line; enum oci_command cmd; } rows[] = {
		{ "--help", OCI_NONE }, { "--root /r -h", OCI_NONE },
		{ "create --help", OCI_CREATE }, { "kill -h", OCI_KILL },
		{ "delete -f --help c1 extra", OCI_DELETE },
		{ "state --help", OCI_STATE }, { "features -h", OCI_FEATURES },
		{ "spec --rootless --help", OCI_SPEC }, { "exec -t --help", OCI_EXEC },
	};
	struct oci_args a;

	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		cr_expect_eq(parse(&a, rows[i].line), 0, "%s", rows[i].line);
		cr_expect(a.help && a.cmd == rows[i].cmd, "%s", rows[i].line);
	}
	/* after ID, the words are the command's; run's -h is --hostname */
	cr_expect(parse(&a, "exec c1 ls --help") == 0 && !a.help);
	cr_expect(parse(&a, "run -h box sh") == 0 && !a.help &&
		  a.cmd == OCI_NONE);
	cr_expect(parse(&a, "run --help") == 0 && !a.help && a.cmd == OCI_NONE);
	cr_expect(parse(&a, "create --bogus --help c1") == -1);
}

Test(parse_oci, errors)
{
	static const struct { const char *line, *error; } rows[] = {
		{ "", "missing command" },
		{ "--root", "needs a value" },
		{ "--log-format yaml state c1", "is json or text" },
		{ "create", "needs a container ID" },
		{ "create --bogus c1", "unknown option" },
		{ "start --bundle /b c1", "unknown option" },
		{ "state c1 extra", "one argument too many" },
		{ "kill c1 NOSIG", "not a signal" },
		{ "kill c1 9 extra", "one argument too many" },
		{ "create --preserve-fds -1 c1", "is a number of fds" },
		{ "create --no-pivot=1 c1", "takes no value" },
		{ "frobnicate c1", "unknown command" },
		{ "exec c1", "needs a command (or --process FILE)" },
		{ "exec --process p.json c1 sh", "either --process or a command, "
		  "not both" },
		{ "exec -e", "needs a value" },
		{ "exec -te", "needs a value" },
		{ "exec -te c1", "needs a container ID" },
		{ "exec -tx c1 sh", "unknown option" },
		{ "exec --bundle /b c1 sh", "unknown option" },
		{ "exec --tty=1 c1 sh", "takes no value" },
		{ "create -ti c1", "unknown option" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct oci_args a;
		cr_expect_eq(parse(&a, rows[i].line), -1, "%s", rows[i].line);
		cr_expect_str_eq(a.error, rows[i].error, "%s", rows[i].line);
	}
}

Test(parse_oci, the_shims_exec_and_conmons)
{
	struct oci_args a;

	cr_assert_eq(parse(&a, "--root /r --log /b/log.json --log-format json "
			   "exec --process /b/p.json --console-socket /tmp/s "
			   "--detach --pid-file /b/e1.pid c1"), 0);
	cr_expect_eq(a.cmd, OCI_EXEC);
	cr_expect_str_eq(a.process, "/b/p.json");
	cr_expect_str_eq(a.console_socket, "/tmp/s");
	cr_expect_str_eq(a.pid_file, "/b/e1.pid");
	cr_expect(a.detach && !a.tty && a.cmd_argv[0] == NULL);
	cr_expect_str_eq(a.id, "c1");
	cr_assert_eq(parse(&a, "exec --pid-file=/p --process=/f --detach --tty "
			   "--preserve-fds 2 c1"), 0);
	cr_expect(a.tty && a.detach && a.preserve_fds == 2);
}

Test(parse_oci, exec_by_hand_runcs_flags_and_dockers)
{
	struct oci_args a;

	cr_assert_eq(parse(&a, "exec -t -e A=1 --env=B=2 --cwd /tmp -u 0:0 "
			   "c1 sh -c -e"), 0);
	cr_expect(a.tty && !a.interactive && !a.detach);
	cr_assert_eq(a.nenv, 2);
	cr_expect_str_eq(a.env[0], "A=1");
	cr_expect_str_eq(a.env[1], "B=2");
	cr_expect_str_eq(a.cwd, "/tmp");
	cr_expect_str_eq(a.user, "0:0");
	cr_expect_str_eq(a.id, "c1");
	cr_expect_str_eq(a.cmd_argv[0], "sh");
	cr_expect_str_eq(a.cmd_argv[2], "-e");     /* the command's, not ours */
	cr_expect(a.cmd_argv[3] == NULL);
	cr_assert_eq(parse(&a, "exec -ti -w /srv -e X c1 top"), 0);
	cr_expect(a.tty && a.interactive && !strcmp(a.cwd, "/srv"));
	cr_expect(a.nenv == 1 && !strcmp(a.env[0], "X"));
	cr_assert_eq(parse(&a, "exec -it --workdir=/ -de K=V --trace c1 ls"), 0);
	cr_expect(a.tty && a.interactive && a.detach && a.debug);
	cr_expect(a.nenv == 1 && !strcmp(a.env[0], "K=V"));
}

Test(parse_signal, numbers_names_and_names_without_sig)
{
	static const struct { const char *s; int sig; } rows[] = {
		{ "9", SIGKILL }, { "KILL", SIGKILL }, { "SIGKILL", SIGKILL },
		{ "term", SIGTERM }, { "SigHup", SIGHUP }, { "WINCH", SIGWINCH },
		{ "64", 64 }, { "0", -1 }, { "65", -1 }, { "9x", -1 },
		{ "SIG", -1 }, { "", -1 }, { "NOPE", -1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		cr_expect_eq(parse_signal(rows[i].s), rows[i].sig, "%s", rows[i].s);
}

Test(valid_id, one_path_component_bounded)
{
	char long_id[ID_MAX + 2];

	memset(long_id, 'x', sizeof long_id - 1);
	long_id[ID_MAX + 1] = '\0';
	cr_expect(valid_id("c1") && valid_id("a_b.c+d-e") && valid_id("x"));
	cr_expect(!valid_id("") && !valid_id(".") && !valid_id(".."));
	cr_expect(!valid_id("a/b") && !valid_id("a b") && !valid_id("a:b"));
	cr_expect(!valid_id(long_id));
	long_id[ID_MAX] = '\0';
	cr_expect(valid_id(long_id));
}

Test(parse_oci, features_takes_no_id)
{
	struct oci_args a;

	cr_assert_eq(parse(&a, "features"), 0);
	cr_expect_eq(a.cmd, OCI_FEATURES);
	cr_expect_null(a.id);
	cr_expect_eq(parse(&a, "features c1"), -1);
	cr_expect_str_eq(a.error, "one argument too many");
}
