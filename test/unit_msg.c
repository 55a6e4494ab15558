/*
 * test/unit_msg.c - msg.c: how minictr leaves and names mount flags.
 *
 * die() in the parent runs the atexit handlers (cgroup.c's clean-up);
 * on the container side, a child of the raw clone, it must not: those
 * handlers are the parent's (ns.c).  Each case runs in a fork.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../minictr.h"

static int marker = -1;

static void parent_cleanup(void)
{
	(void)!write(marker, "x", 1);
}

/* Fork; the child registers the handler, maybe goes to the container
 * side, then dies.  Returns the exit status; *ran: the handler ran. */
static int die_in_fork(int container_side, int *ran)
{
	int p[2], status;
	char c;

	cr_assert(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		marker = p[1];
		atexit(parent_cleanup);
		close(STDERR_FILENO);   /* the error line is not the test's */
		if (container_side)
			msg_in_container();
		die("a step");
	}
	close(p[1]);
	*ran = read(p[0], &c, 1) == 1;
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(die, parent_side_runs_atexit_handlers)
{
	int ran, status = die_in_fork(0, &ran);

	cr_expect_eq(status, EXIT_SETUP);
	cr_expect(ran, "the parent's clean-up must run");
}

Test(die, container_side_leaves_with_exit_status_only)
{
	int ran, status = die_in_fork(1, &ran);

	cr_expect_eq(status, EXIT_SETUP);
	cr_expect(!ran, "the parent's atexit handler ran in the child");
}

Test(mount_flag_names, by_name_or_hex)
{
	char buf[160];

	cr_expect_str_eq(mount_flag_names(0, buf, sizeof buf), "0");
	cr_expect_str_eq(mount_flag_names(MS_REC | MS_PRIVATE, buf, sizeof buf),
			 "MS_REC|MS_PRIVATE");
	cr_expect_str_eq(mount_flag_names(MS_RDONLY | 1UL << 30, buf, sizeof buf),
			 "MS_RDONLY|0x40000000");
}

/* fail(): the report reaches the pipe whole, the status is the exit
 * status, and the parent's atexit handlers do not run in the child. */
Test(fail, writes_the_report_and_exits_with_status)
{
	struct child_report r;
	int p[2], status;

	cr_assert(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		marker = -1;
		atexit(parent_cleanup);
		fail(p[1], EXIT_NOT_FOUND, 2, "exec %s", "/nope");
	}
	close(p[1]);
	cr_assert_eq(read(p[0], &r, sizeof r), (ssize_t)sizeof r);
	close(p[0]);
	waitpid(pid, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOT_FOUND);
	cr_expect_eq(r.status, EXIT_NOT_FOUND);
	cr_expect_eq(r.err, 2);
	cr_expect_str_eq(r.what, "exec /nope");
}

/* The exit-status table: the command's own status, 128+N for signal N. */
Test(exit_status_of, own_status_or_128_plus_signal)
{
	static const struct { int wait_status, want; } rows[] = {
		{ 0, 0 }, { 3 << 8, 3 }, { 255 << 8, 255 },
		{ 9, 137 }, { 15, 143 }, { 2 | 0x80, 130 }, /* core dumped */
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_expect_eq(exit_status_of(rows[i].wait_status), rows[i].want,
			     "row %zu", i);
}
