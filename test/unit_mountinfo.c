/*
 * test/unit_mountinfo.c - cgroup_path(), one line of /proc/self/cgroup
 * read for one hierarchy's mount, as a table of cases.
 *
 * Each row: the file's text, the mount's options, v2 or not, the mount's
 * root, and the path below the mount point that must come out, or
 * "error".  The traps: cpu is not cpuacct, a v1 line never matches v2
 * and back, a mount that shows only part of the hierarchy (a container's)
 * and a path beside its root rather than below it.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "../minictr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HYBRID "9:name=systemd:/user.slice\n4:memory:/ci/job\n2:cpuacct:/acct\n" \
	       "1:cpu:/c\n3:net_cls,net_prio:/both\n0::/init.scope\n"

Test(mountinfo, cgroup_path)
{
	static const struct {
		const char *self, *options;
		int v2;
		const char *root, *expect;
	} rows[] = {
		{ HYBRID, "rw,relatime,memory", 0, "/", "/ci/job" },
		{ HYBRID, "rw,cpu", 0, "/", "/c" },
		{ HYBRID, "rw,cpuacct", 0, "/", "/acct" },
		{ HYBRID, "rw,net_prio,net_cls", 0, "/", "/both" },
		{ HYBRID, "rw,xattr,name=systemd", 0, "/", "/user.slice" },
		{ HYBRID, "rw,nsdelegate", 1, "/", "/init.scope" },
		{ HYBRID, "rw,pids", 0, "/", "error" },
		{ "0::/\n", "rw", 1, "/", "" },
		{ "0::/a:b/c\n", "rw", 1, "/", "/a:b/c" },
		{ "0::/a", "rw", 1, "/", "/a" },              /* no newline */
		{ "4:memory:/\n", "rw,memory", 0, "/", "" },
		{ "4:memory:/docker/1\n", "rw,memory", 0, "/docker/1", "" },
		{ "4:memory:/docker/1/x\n", "rw,memory", 0, "/docker/1", "/x" },
		{ "4:memory:/docker/12\n", "rw,memory", 0, "/docker/1", "error" },
		{ "4:memory:/other\n", "rw,memory", 0, "/docker/1", "error" },
		{ "0::/\n", "rw,memory", 0, "/", "error" },   /* v2 line, v1 mount */
		{ "4:memory:/a\n", "rw", 1, "/", "error" },   /* v1 line, v2 mount */
		{ "", "rw,memory", 0, "/", "error" },
		{ "junk\n4memory/a\n", "rw,memory", 0, "/", "error" },
		{ "4:memory\n", "rw,memory", 0, "/", "error" },
		{ "4:memory:/a\n", "rw,memorys", 0, "/", "error" },
		{ "4:memorys:/a\n", "rw,memory", 0, "/", "error" },
	};
	for (size_t i = 0; i < N(rows); i++) {
		char out[64];
		int r = cgroup_path(rows[i].self, rows[i].options, rows[i].v2,
				    rows[i].root, out, sizeof out);

		cr_expect_str_eq(r < 0 ? "error" : out, rows[i].expect,
				 "row %zu: options \"%s\" root \"%s\"", i,
				 rows[i].options, rows[i].root);
	}
}

Test(mountinfo, cgroup_path_too_long)
{
	char out[5];

	cr_expect_eq(cgroup_path("0::/abc\n", "rw", 1, "/", out, sizeof out), 0);
	cr_expect_str_eq(out, "/abc");
	cr_expect_eq(cgroup_path("0::/abcd\n", "rw", 1, "/", out, sizeof out), -1);
}

/* --systemd-cgroup's slice:prefix:name, as systemd places the scope */
Test(mountinfo, cgroup_systemd_path)
{
	static const struct { const char *spec, *expect; } rows[] = {
		{ "system.slice:docker:ID", "/system.slice/docker-ID.scope" },
		{ "machine.slice:libpod:ab", "/machine.slice/libpod-ab.scope" },
		{ "a-b-c.slice:p:n", "/a.slice/a-b.slice/a-b-c.slice/p-n.scope" },
		{ ":docker:ID", "/system.slice/docker-ID.scope" },
		{ "-.slice:p:n", "/p-n.scope" },
		{ "user.slice::n", "/user.slice/n.scope" },
		{ "/default/x", "error" },
		{ "a.slice:p", "error" },
		{ "a.slice:p:", "error" },
		{ "a.slice:p:n:m", "error" },
		{ "a.slice:p:../n", "error" },
		{ "a.slice:p:..", "error" },
		{ "nota:p:n", "error" },
		{ "-a.slice:p:n", "error" },
		{ "a-.slice:p:n", "error" },
		{ "a--b.slice:p:n", "error" },
		{ ".slice:p:n", "error" },
	};
	for (size_t i = 0; i < N(rows); i++) {
		char out[64];
		const char *why = cgroup_systemd_path(rows[i].spec, out,
						      sizeof out);

		cr_expect_str_eq(why ? "error" : out, rows[i].expect,
				 "row %zu: %s", i, rows[i].spec);
	}
}

Test(mountinfo, cgroup_systemd_path_too_long)
{
	char out[24];

	cr_expect_null(cgroup_systemd_path("a.slice:p:n", out, sizeof out));
	cr_expect_not_null(cgroup_systemd_path("a.slice:p:nnnnnnnnnnnn",
					       out, sizeof out));
	cr_expect_not_null(cgroup_systemd_path("a-b-c-d-e.slice:p:n", out,
					       sizeof out));
}
