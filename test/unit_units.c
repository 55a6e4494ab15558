/*
 * test/unit_units.c - the value parsers of units.c, as tables of cases.
 *
 * Each row is an input and what must come out: the number, or "error".
 * The edges are the point: the largest value that fits and the first
 * that does not, every suffix in both cases, signs, spaces, empty input.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "../minictr.h"

struct number_case {
	const char *in;
	const char *expect;     /* the number printed, or "error" */
};

static void check_numbers(const struct number_case *c, size_t n,
			  int (*parse)(const char *, long long *))
{
	for (size_t i = 0; i < n; i++) {
		long long v = -42;
		char got[32];

		if (parse(c[i].in, &v) < 0)
			snprintf(got, sizeof got, "error");
		else
			snprintf(got, sizeof got, "%lld", v);
		cr_expect_str_eq(got, c[i].expect, "input \"%s\"", c[i].in);
	}
}

#define N(a) (sizeof a / sizeof a[0])

static int whole_to_1000(const char *s, long long *out)
{
	return parse_whole(s, 1000, out);
}

Test(units, parse_whole)
{
	static const struct number_case c[] = {
		{ "0", "0" }, { "7", "7" }, { "0007", "7" }, { "1000", "1000" },
		{ "1001", "error" }, { "99999999999999999999", "error" },
		{ "", "error" }, { "-1", "error" }, { "+1", "error" },
		{ " 1", "error" }, { "1 ", "error" }, { "1k", "error" },
		{ "0x10", "error" }, { "1.0", "error" },
	};
	check_numbers(c, N(c), whole_to_1000);
}

Test(units, parse_whole_max)
{
	long long v;

	cr_expect_eq(parse_whole("9223372036854775807", 9223372036854775807LL, &v), 0);
	cr_expect_eq(v, 9223372036854775807LL);
	cr_expect_eq(parse_whole("9223372036854775808", 9223372036854775807LL, &v), -1);
	/* a digit above a maximum under 10 ((7 - 8) / 10 is 0 in C) */
	cr_expect_eq(parse_whole("7", 7, &v), 0);
	cr_expect_eq(parse_whole("8", 7, &v), -1);
	cr_expect_eq(parse_whole("0", 0, &v), 0);
	cr_expect_eq(parse_whole("1", 0, &v), -1);
}

/* the kernel's memparse(), as tmpfs(5) reads size=: no fractions, no "kb" */
Test(units, parse_size)
{
	static const struct number_case c[] = {
		{ "0", "0" }, { "1", "1" }, { "4096", "4096" },
		{ "1k", "1024" }, { "1K", "1024" }, { "32m", "33554432" },
		{ "32M", "33554432" }, { "2g", "2147483648" }, { "2G", "2147483648" },
		{ "1t", "1099511627776" }, { "1T", "1099511627776" },
		{ "1p", "1125899906842624" }, { "7e", "8070450532247928832" },
		{ "8e", "error" }, { "8191P", "9222246136947933184" },
		{ "8192p", "error" },
		{ "9223372036854775807", "9223372036854775807" },
		{ "9223372036854775808", "error" },
		{ "9007199254740991k", "9223372036854774784" },
		{ "9007199254740992k", "error" },
		{ "8589934591g", "9223372035781033984" }, { "8589934592g", "error" },
		{ "", "error" }, { "k", "error" }, { "m", "error" }, { "-1m", "error" },
		{ "+1m", "error" }, { "1.5g", "error" }, { "1kb", "error" },
		{ "1mm", "error" }, { "1x", "error" }, { "1 m", "error" },
		{ "1b", "error" }, { "12345678901234567890123m", "error" },
		{ "1%", "error" }, { "0x10", "error" }, { "1MiB", "error" },
	};
	check_numbers(c, N(c), parse_size);
}

/* docker's -m (go-units' RAMInBytes): every spelling it takes, with its
 * meaning (binary units, truncated), and every one it refuses */
Test(units, ram_in_bytes)
{
	static const struct number_case c[] = {
		{ "0", "0" }, { "32", "32" }, { "32b", "32" }, { "32B", "32" },
		{ "32k", "32768" }, { "32K", "32768" }, { "32kb", "32768" },
		{ "32Kb", "32768" }, { "32kB", "32768" }, { "32KiB", "32768" },
		{ "32kib", "32768" }, { "32KIB", "32768" },
		{ "64m", "67108864" }, { "64mb", "67108864" }, { "64MB", "67108864" },
		{ "64MiB", "67108864" }, { "64 m", "67108864" },
		{ "64 MiB", "67108864" }, { "64 b", "64" },
		{ "1g", "1073741824" }, { "1.5g", "1610612736" },
		{ "1.5GB", "1610612736" }, { ".5g", "536870912" },
		{ "5.g", "5368709120" }, { "1t", "1099511627776" },
		{ "32Tb", "35184372088832" }, { "32P", "36028797018963968" },
		{ "32.3", "32" }, { "32.3 mb", "33869004" }, { "0.3MB", "314572" },
		{ "0.3k", "307" }, { "1e3", "1000" }, { "1E3k", "1024000" },
		{ "2.5e-1k", "256" }, { "1e+2", "100" }, { "+5m", "5242880" },
		{ "-0", "0" }, { "-0.0m", "0" }, { "007m", "7340032" },
		{ "64 ", "64" }, { "0.000000000000000000001p", "0" },
		/* docker's float64 rounds 2^63 - 512 bytes and more up to
		 * 2^63, which wraps: refused, in any unit */
		{ "9223372036854775295", "9223372036854775295" },
		{ "9223372036854775295.999", "9223372036854775295" },
		{ "9223372036854775296", "error" },
		{ "9223372036854775807", "error" },
		{ "9007199254740991.4999k", "9223372036854775295" },
		{ "9007199254740991.5k", "error" },
		{ "8191.999999999999p", "9223372036854774682" },
		{ "8191.999999999999999p", "error" },
		{ "8191.9999999999999999999p", "error" },
		{ "9223372036854775808", "error" }, { "8192p", "error" },
		{ "1e19", "error" }, { "1e999999999", "error" },
		{ "0e999999999", "0" }, { "1e-999999999", "0" },
		{ "", "error" }, { "m", "error" }, { "mb", "error" }, { ".", "error" },
		{ ".m", "error" }, { "-1", "error" }, { "-32m", "error" },
		{ "-0.4", "error" }, { " 32", "error" }, { " 32 ", "error" },
		{ "32  m", "error" }, { "32m ", "error" }, { "32m b", "error" },
		{ "32bm", "error" }, { "32bb", "error" }, { "32ki", "error" },
		{ "32Ki", "error" }, { "32mib ", "error" }, { "32mibb", "error" },
		{ "32i", "error" }, { "32ib", "error" }, { "32e", "error" },
		{ "1e", "error" }, { "1e+", "error" }, { "1e3.5", "error" },
		{ "1.5.5", "error" }, { "32x", "error" }, { "0x10", "error" },
		{ "inf", "error" }, { "1_000", "error" }, { "++1", "error" },
		{ "1,5g", "error" },
		{ "12345678901234567890123456789012345678901", "error" },
	};
	check_numbers(c, N(c), ram_in_bytes);
}

/* docker's --cpus (big.Rat): billionths of a CPU, 9 decimals at most */
Test(units, parse_cpus)
{
	static const struct number_case c[] = {
		{ "0", "0" }, { "0.5", "500000000" }, { ".5", "500000000" },
		{ "1", "1000000000" }, { "2", "2000000000" }, { "1.", "1000000000" },
		{ "1.5", "1500000000" }, { "1.25", "1250000000" },
		{ "0.01", "10000000" }, { "0.000000001", "1" },
		{ "0.123456789", "123456789" }, { "2.500000000000", "2500000000" },
		{ "1e-1", "100000000" }, { "25E-2", "250000000" },
		{ "1e3", "1000000000000" }, { "+1", "1000000000" }, { "-0", "0" },
		{ "1/2", "500000000" }, { "3/4", "750000000" }, { "+1/4", "250000000" },
		{ "0/7", "0" }, { "-0/7", "0" }, { "1/3", "error" }, { "1/0", "error" },
		{ "010/2", "error" }, { "1/02", "error" }, { "1/-2", "error" },
		{ "1.5/2", "error" }, { "1e1/2", "error" }, { "1/", "error" },
		{ "/2", "error" }, { "1/2/3", "error" },
		{ "0.0000000001", "error" }, { "0.1234567891", "error" },
		{ "-1", "error" }, { "-0.5", "error" }, { "-1/2", "error" },
		{ "", "error" }, { ".", "error" }, { "1..2", "error" }, { "1.2.3", "error" },
		{ "1,5", "error" }, { " 1", "error" }, { "1 ", "error" },
		{ "0x1", "error" }, { "1e", "error" }, { "inf", "error" },
		{ "99999999999", "error" }, { "9223372037", "error" },
		{ "9223372036", "9223372036000000000" },
	};
	check_numbers(c, N(c), parse_cpus);
}

Test(units, parse_cpu_list)
{
	static const char *good[] = {
		"0", "3", "0-1", "0,2", "0-1,3", "1-1", "0-3,5,7-9", "65535",
	};
	static const char *bad[] = {
		"", ",", "0,", ",0", "0-", "-1", "1-0", "0--1", "0-1-2", "a",
		"0 1", " 0", "0,,1", "65536", "0x1", "1.5", "99999999",
	};
	for (size_t i = 0; i < N(good); i++)
		cr_expect_eq(parse_cpu_list(good[i]), 0, "\"%s\"", good[i]);
	for (size_t i = 0; i < N(bad); i++)
		cr_expect_eq(parse_cpu_list(bad[i]), -1, "\"%s\"", bad[i]);
}

/* want's CPUs all in have: 1, 0, or -1 for a list that is not one */
Test(units, cpu_list_within)
{
	static const struct { const char *want, *have; int expect; } rows[] = {
		{ "0", "0-1", 1 }, { "1", "0-1", 1 }, { "0-1", "0-1", 1 },
		{ "5", "0-1", 0 }, { "0-2", "0-1", 0 }, { "2", "0-1", 0 },
		{ "1,3", "0-1,3", 1 }, { "0-3", "0-1,2-3", 1 },
		{ "0-3", "0-1,3", 0 }, { "4095", "0-1", 0 }, { "0", "", 0 },
		{ "65535", "0-65535", 1 }, { "3,1", "1,3", 1 }, { "2", "1,3", 0 },
		{ "", "0-1", -1 }, { "x", "0-1", -1 }, { "0", "0-1\n", -1 },
		{ "0", "junk", -1 },
	};
	for (size_t i = 0; i < N(rows); i++)
		cr_expect_eq(cpu_list_within(rows[i].want, rows[i].have),
			     rows[i].expect, "\"%s\" within \"%s\"",
			     rows[i].want, rows[i].have);
}

/* "host|target|ro" or the reason */
static void volume(const char *spec, const char *expect)
{
	struct volume v;
	const char *why = volume_split(spec, &v);
	char got[256];

	if (why)
		snprintf(got, sizeof got, "%s", why);
	else
		snprintf(got, sizeof got, "%.*s|%.*s|%d", v.host_len, v.host,
			 v.target_len, v.target, v.ro);
	cr_expect_str_eq(got, expect, "spec \"%s\"", spec);
}

Test(units, volume_split)
{
	volume("/a:/b", "/a|/b|0");
	volume("/a:/b:ro", "/a|/b|1");
	volume("/host/dir:/in/side", "/host/dir|/in/side|0");
	volume("/a b:/c d:ro", "/a b|/c d|1");
	volume("/a:/b..c", "/a|/b..c|0");
	volume("/a:/..b/c..", "/a|/..b/c..|0");
	volume("/:/mnt", "/|/mnt|0");
	volume("/a:/b/", "/a|/b/|0");
	volume("/a:/b:rw", "/a|/b|0");
	volume("/a:/b/:rw", "/a|/b/|0");
	volume("/a:/b:ro,rw", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:rw,ro", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:r", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:rwx", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:RO", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:z", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:ro:x", "after CONTAINER, only :ro or :rw");
	volume("/a:/b:rw:ro", "after CONTAINER, only :ro or :rw");
	volume("/a::ro", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume("/a:/b/..", "no '..' in CONTAINER");
	volume("/a:/../etc", "no '..' in CONTAINER");
	volume("/a:/b/../c", "no '..' in CONTAINER");
	volume("/a:/", "CONTAINER cannot be /");
	volume("/a://", "CONTAINER cannot be /");
	volume("/a:/:ro", "CONTAINER cannot be /");
	volume("/a:/.", "CONTAINER cannot be /");
	volume("/a:/././/:rw", "CONTAINER cannot be /");
	volume("/a:/proc", "CONTAINER cannot be /proc or inside it: the container's own proc is mounted there");
	volume("/a://proc/:ro", "CONTAINER cannot be /proc or inside it: the container's own proc is mounted there");
	volume("/a:/./proc/cpuinfo", "CONTAINER cannot be /proc or inside it: the container's own proc is mounted there");
	volume("/a:/procs", "/a|/procs|0");
	volume("/a:/srv/proc", "/a|/srv/proc|0");
	volume("/proc:/hostproc", "/proc|/hostproc|0");
	volume("", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume("/a", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume("a:/b", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume("/a:b", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume(":/b", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
	volume("/a:", "use HOST:CONTAINER[:ro|:rw], both absolute paths");
}

/* "target|flags|size|mode" (flags by letters) or the reason */
static void tmpfs(const char *spec, const char *expect)
{
	static const struct { unsigned long flag; const char *name; } f[] = {
		{ MS_RDONLY, "ro" }, { MS_NOSUID, "nosuid" }, { MS_NODEV, "nodev" },
		{ MS_NOEXEC, "noexec" }, { MS_NOATIME, "noatime" },
		{ MS_NODIRATIME, "nodiratime" }, { MS_RELATIME, "relatime" },
		{ MS_STRICTATIME, "strictatime" },
	};
	struct tmpfs_spec t;
	const char *why = tmpfs_split(spec, &t);
	char got[256], flags[128] = "";

	for (size_t i = 0; i < N(f); i++)
		if (t.flags & f[i].flag)
			snprintf(flags + strlen(flags), sizeof flags - strlen(flags),
				 "%s%s", flags[0] ? "," : "", f[i].name);
	if (why)
		snprintf(got, sizeof got, "%s", why);
	else
		snprintf(got, sizeof got, "%.*s|%s|%lld|%o", t.target_len,
			 t.target, flags, t.size, t.mode);
	cr_expect_str_eq(got, expect, "spec \"%s\"", spec);
}

#define TMPFS_OPTIONS "OPTIONS are size=BYTES[k|m|g|t|p|e], mode=OCTAL and ro, rw, " \
	"[no]suid, [no]dev, [no]exec, [no]atime, [no]diratime, relatime, " \
	"strictatime, separated by commas"

Test(units, tmpfs_split)
{
	/* docker's default: rw,nosuid,nodev,noexec; size and mode unset */
	tmpfs("/run", "/run|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/a/b/", "/a/b/|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:size=64m", "/t|nosuid,nodev,noexec|67108864|37777777777");
	tmpfs("/t:size=4096,mode=1777", "/t|nosuid,nodev,noexec|4096|1777");
	tmpfs("/t:mode=0700", "/t|nosuid,nodev,noexec|-1|700");
	tmpfs("/t:mode=7", "/t|nosuid,nodev,noexec|-1|7");
	tmpfs("/t:ro", "/t|ro,nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:ro,rw", "/t|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:exec,suid,dev", "/t||-1|37777777777");
	tmpfs("/t:exec,noexec", "/t|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:noatime,nodiratime", "/t|nosuid,nodev,noexec,noatime,nodiratime|-1|37777777777");
	tmpfs("/t:noatime,relatime", "/t|nosuid,nodev,noexec,relatime|-1|37777777777");
	tmpfs("/t:relatime,strictatime", "/t|nosuid,nodev,noexec,strictatime|-1|37777777777");
	tmpfs("/t:strictatime,noatime,atime", "/t|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:diratime", "/t|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/t:size=1g,size=2k", "/t|nosuid,nodev,noexec|2048|37777777777");
	tmpfs("/t:size=0", "/t|nosuid,nodev,noexec|0|37777777777");
	tmpfs("/a b:rw", "/a b|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("", "PATH must be absolute");
	tmpfs("run", "PATH must be absolute");
	tmpfs(":size=1m", "PATH must be absolute");
	tmpfs("/", "PATH cannot be /");
	tmpfs("//:ro", "PATH cannot be /");
	tmpfs("/.", "PATH cannot be /");
	tmpfs("/proc", "PATH cannot be /proc or inside it: the container's own proc is mounted there");
	tmpfs("/proc/sys:ro", "PATH cannot be /proc or inside it: the container's own proc is mounted there");
	tmpfs("/.proc", "/.proc|nosuid,nodev,noexec|-1|37777777777");
	tmpfs("/./:ro", "PATH cannot be /");
	tmpfs("/a/..", "no '..' in PATH");
	tmpfs("/../b:ro", "no '..' in PATH");
	tmpfs("/t:", TMPFS_OPTIONS);
	tmpfs("/t:,", TMPFS_OPTIONS);
	tmpfs("/t:ro,", TMPFS_OPTIONS);
	tmpfs("/t:,ro", TMPFS_OPTIONS);
	tmpfs("/t:ro,,rw", TMPFS_OPTIONS);
	tmpfs("/t:RO", TMPFS_OPTIONS);
	tmpfs("/t:size=", TMPFS_OPTIONS);
	/* the kernel reads size= (docker passes it on): t, p, e too, but
	 * not -m's "64mb" or "64MiB", which the kernel refuses */
	tmpfs("/t:size=1t", "/t|nosuid,nodev,noexec|1099511627776|37777777777");
	tmpfs("/t:size=1P", "/t|nosuid,nodev,noexec|1125899906842624|37777777777");
	tmpfs("/t:size=64mb", TMPFS_OPTIONS);
	tmpfs("/t:size=64MiB", TMPFS_OPTIONS);
	tmpfs("/t:size=8e", TMPFS_OPTIONS);
	tmpfs("/t:size=-1", TMPFS_OPTIONS);
	tmpfs("/t:size=1.5g", TMPFS_OPTIONS);
	tmpfs("/t:size=99999999999999999999999", TMPFS_OPTIONS);
	tmpfs("/t:mode=", TMPFS_OPTIONS);
	tmpfs("/t:mode=8", TMPFS_OPTIONS);
	tmpfs("/t:mode=17777", TMPFS_OPTIONS);
	tmpfs("/t:mode=0x1ff", TMPFS_OPTIONS);
	tmpfs("/t:uid=0", TMPFS_OPTIONS);
	tmpfs("/t:nosuid ", TMPFS_OPTIONS);
	tmpfs("/t:ro:rw", TMPFS_OPTIONS);
}

Test(units, mount_depth)
{
	static const struct { const char *path; int depth; } c[] = {
		{ "/", 0 }, { "", 0 }, { "//", 0 }, { "/.", 0 }, { "/a", 1 },
		{ "/a/", 1 }, { "//a//", 1 }, { "/a/b", 2 }, { "/a/./b/.", 2 },
		{ "/a/b/c", 3 }, { "/etc/hosts", 2 }, { "/.a/b..", 2 },
		{ "a/b", 2 },
	};

	for (size_t i = 0; i < N(c); i++)
		cr_expect_eq(mount_depth(c[i].path, (int)strlen(c[i].path)),
			     c[i].depth, "\"%s\"", c[i].path);
}

/* The targets in, the order they are mounted in out: "spec spec ..." */
static void order(const char *const *targets, const char *expect)
{
	struct ctr_mount m[16];
	char got[256] = "";
	int n = 0;

	for (; targets[n]; n++)
		m[n] = (struct ctr_mount){ .target = targets[n],
			.target_len = (int)strlen(targets[n]),
			.spec = targets[n] };
	mount_sort(m, n);
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s",
			 i ? " " : "", m[i].spec);
	cr_expect_str_eq(got, expect);
}

Test(units, mount_sort)
{
	/* the bug: the child given first */
	order((const char *[]){ "/data/sub", "/data", NULL }, "/data /data/sub");
	order((const char *[]){ "/a/b/c", "/a/b", "/a", NULL }, "/a /a/b /a/b/c");
	/* equal depths keep their order: the last given ends on top */
	order((const char *[]){ "/x", "/y", "/x", NULL }, "/x /y /x");
	order((const char *[]){ "/b/1", "/a", "/b/2", "/c", NULL }, "/a /c /b/1 /b/2");
	/* the generated /etc files come first: -v X:/etc goes under them,
	 * a user's -v ...:/etc/hosts over them */
	order((const char *[]){ "/etc/hosts", "/etc/hostname", "/etc", "/etc/hosts", NULL },
	      "/etc /etc/hosts /etc/hostname /etc/hosts");
	/* cleaned: doubled slashes, "." and a trailing slash do not count */
	order((const char *[]){ "//data//./sub/", "/data/", NULL }, "/data/ //data//./sub/");
	order((const char *[]){ "/one", NULL }, "/one");
	order((const char *[]){ NULL }, "");
}

Test(units, format_size)
{
	static const struct { long long in; const char *out; } c[] = {
		{ 33554432, "32M" }, { 1073741824, "1G" }, { 3221225472LL, "3G" },
		{ 1024, "1K" }, { 1536, "1536B" }, { 1048576 + 1024, "1025K" },
		{ 1, "1B" }, { 0, "0B" },
	};
	char buf[32];

	for (size_t i = 0; i < N(c); i++)
		cr_expect_str_eq(format_size(c[i].in, buf, sizeof buf), c[i].out);
}
