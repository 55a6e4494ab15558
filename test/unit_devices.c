/*
 * test/unit_devices.c - the device policy (devices.c) as tables: one
 * rule's members into struct dev_rule, a list into the v1 lines, and a
 * list into the v2 program, which a tiny eBPF interpreter below runs
 * (the instructions devices_bpf() emits, nothing more) against the
 * meaning the rules have: the last rule that speaks of an access of a
 * device decides it.  The v1 lines, read the kernel's way, may allow
 * less than that meaning, never more.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../minictr.h"

#define N(a) (sizeof a / sizeof a[0])
#define BIG (2 * DEV_RULES_MAX + 16)  /* the most rules config.c gives */

Test(devices, rule)
{
	static const struct {
		int allow;
		const char *type, *access;
		long long major, minor;
		const char *expect;     /* the rules as v1 lines, or the error */
	} c[] = {
		{ 1, "c", "rwm", 1, 3, "c 1:3 rwm" },
		{ 0, "b", "r", 8, -1, "b 8:* r" },
		{ 1, NULL, "rwm", -1, -1, "a" },        /* type unset: all */
		{ 0, "a", "rwm", -1, -1, "a" },
		{ 1, "a", "m", -1, -1, "b *:* m,c *:* m" },     /* not all */
		{ 1, "a", "rwm", 1, -1, "b 1:* rwm,c 1:* rwm" },
		{ 1, "c", "mmr", 4095, 1048575, "c 4095:1048575 rm" },
		{ 1, "c", "", 1, 3, "access: cannot be empty; letters r, w and m" },
		{ 1, "c", NULL, 1, 3, "access: cannot be empty; letters r, w and m" },
		{ 1, "c", "rwx", 1, 3, "access: cannot be empty; letters r, w and m" },
		{ 1, "x", "r", 1, 3, "type: a, b or c" },
		{ 1, "cc", "r", 1, 3, "type: a, b or c" },
		{ 1, "", "r", 1, 3, "type: a, b or c" },
		{ -1, "c", "r", 1, 3, "allow: true or false" },
		{ 1, "c", "r", 4096, 3, "major: -1 or 0 to 4095; minor: -1 or 0 to 1048575" },
		{ 1, "c", "r", 1, 1048576, "major: -1 or 0 to 4095; minor: -1 or 0 to 1048575" },
		{ 1, "c", "r", -2, 3, "major: -1 or 0 to 4095; minor: -1 or 0 to 1048575" },
	};

	for (size_t i = 0; i < N(c); i++) {
		struct dev_rule r[2];
		const char *why = NULL;
		char got[80] = "", line[32];
		int n = devices_rule(c[i].allow, c[i].type, c[i].access,
				     c[i].major, c[i].minor, r, &why);

		for (int k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got),
				 "%s%s", k ? "," : "", devices_line(&r[k], line));
		cr_expect_str_eq(n < 0 ? why : got, c[i].expect, "row %zu", i);
		for (int k = 0; k < n; k++)
			cr_expect_eq(r[k].allow, c[i].allow, "row %zu", i);
	}
}

/* "+c 1:3 rwm -c 240:0 w +a" into rules (+ allow, - deny) */
static int rules_of(const char *s, struct dev_rule *r)
{
	int n = 0;
	char sign, type, maj[8], min[8], acc[8];
	const char *why;

	while (*s) {
		int used = 0;
		if (sscanf(s, " %c%c%n", &sign, &type, &used) < 2)
			break;
		s += used;
		maj[0] = min[0] = acc[0] = '\0';
		if (type != 'a' && sscanf(s, " %7[^:]:%7s %7s%n", maj, min, acc,
					  &used) == 3)
			s += used;
		else
			strcpy(maj, "*"), strcpy(min, "*"), strcpy(acc, "rwm");
		n += devices_rule(sign == '+', (char[]){ type, 0 }, acc,
				  maj[0] == '*' ? -1 : atoll(maj),
				  min[0] == '*' ? -1 : atoll(min), r + n, &why);
	}
	return n;
}

/* The lines to write, "-a +c 1:3 rwm": - into devices.deny, + allow. */
static void v1_text(const char *rules, char *out, size_t len)
{
	struct dev_rule r[64], l[65];
	char line[32];
	int n = devices_v1(r, rules_of(rules, r), l);

	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%c%s",
			 i ? " " : "", l[i].allow ? '+' : '-',
			 devices_line(&l[i], line));
}

Test(devices, v1)
{
	static const struct { const char *rules, *expect; } c[] = {
		{ "", "-a" },
		{ "+c 1:3 rwm", "-a +c 1:3 rwm" },
		/* docker's: deny all, some allows, a deny no allow meets */
		{ "-a +c 1:5 rwm +c 1:3 rwm -c 10:229 rwm",
		  "-a +c 1:5 rwm +c 1:3 rwm" },
		{ "+c 1:3 rwm -a +c 1:5 r", "-a +c 1:5 r" },
		{ "+a -b 8:* rwm", "+a -b 8:* rwm" },
		{ "+a -b 8:* rwm +b 8:* r", "+a -b 8:* wm" },
		/* a deny covering an allow takes its access away */
		{ "+c 240:0 rw -c 240:* w", "-a +c 240:0 r" },
		{ "+c 240:0 rw -c 240:* rw", "-a" },
		/* a narrower deny: the wider allow loses it (stricter) */
		{ "+c 240:* rwm -c 240:0 w", "-a +c 240:* rm" },
		/* a narrower allow in a deny list: the deny stays (stricter) */
		{ "+a -c 240:* rwm +c 240:0 r", "+a -c 240:* rwm" },
		{ "+a -c 240:* rwm +c 240:* r", "+a -c 240:* wm" },
		{ "+a -c 240:* rwm +a", "+a" },
		{ "-a +c 240:* r -a", "-a" },
	};
	char got[256];

	for (size_t i = 0; i < N(c); i++) {
		v1_text(c[i].rules, got, sizeof got);
		cr_expect_str_eq(got, c[i].expect, "row %zu: %s", i, c[i].rules);
	}
}

/* The meaning: the access bits of (type, major, minor) allowed. */
static int meaning(const struct dev_rule *r, int n, char type, int major,
		   int minor)
{
	int open = DEV_RWM, ok = 0;

	for (int i = n - 1; i >= 0 && open; i--) {
		if ((r[i].type != 'a' && r[i].type != type) ||
		    (r[i].major >= 0 && r[i].major != major) ||
		    (r[i].minor >= 0 && r[i].minor != minor))
			continue;
		if (r[i].allow)
			ok |= open & r[i].access;
		open &= ~r[i].access;
	}
	return ok;
}

/* The kernel's v1 check of one access set (security/device_cgroup.c):
 * allow by default unless an exception meets any of it; deny by default
 * unless one exception holds all of it. */
static int v1_allows(const struct dev_rule *l, int n, char type, int major,
		     int minor, int access)
{
	for (int i = 1; i < n; i++) {
		if (l[i].type != type ||
		    (l[i].major >= 0 && l[i].major != major) ||
		    (l[i].minor >= 0 && l[i].minor != minor))
			continue;
		if (l[0].allow && (l[i].access & access))
			return 0;
		if (!l[0].allow && !(access & ~l[i].access))
			return 1;
	}
	return l[0].allow;
}

/* The eBPF the program uses, run on one bpf_cgroup_dev_ctx. */
static unsigned run_bpf(const struct bpf_insn *p, int n,
			const unsigned ctx[3])
{
	unsigned long long r[11] = { 0 };

	for (int pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		int dst = i->regs & 15, src = i->regs >> 4;
		unsigned long long k = (unsigned long long)(long long)i->imm;

		cr_assert(dst < 11 && src < 11);
		switch (i->code) {
		case 0x61: cr_assert(src == 1 && i->off >= 0 && i->off <= 8 &&
				     i->off % 4 == 0);
			   r[dst] = ctx[i->off / 4]; break;
		case 0xb4: r[dst] = (unsigned)i->imm; break;
		case 0xbc: r[dst] = (unsigned)r[src]; break;
		case 0x54: r[dst] = (unsigned)(r[dst] & (unsigned)i->imm); break;
		case 0x5c: r[dst] = (unsigned)(r[dst] & r[src]); break;
		case 0x4c: r[dst] = (unsigned)(r[dst] | r[src]); break;
		case 0x74: r[dst] = (unsigned)r[dst] >> i->imm; break;
		case 0x15: pc += r[dst] == k ? i->off : 0; break;
		case 0x1d: pc += r[dst] == r[src] ? i->off : 0; break;
		case 0x55: pc += r[dst] != k ? i->off : 0; break;
		case 0x95: return (unsigned)r[0];
		default: cr_assert_fail("opcode %#x at %d", i->code, pc);
		}
		cr_assert(i->off >= 0 && pc + 1 < n + 1, "forward, inside");
	}
	cr_assert_fail("ran off the end");
	return 0;
}

/* Every device of a few numbers, every access set: the program says
 * what the rules mean; v1 never allows more. */
static void check_list(const struct dev_rule *r, int n, const char *name)
{
	static const int majors[] = { 1, 8, 240 }, minors[] = { 0, 1, 3 };
	static struct bpf_insn p[DEV_BPF_MAX(BIG)];
	static struct dev_rule l[BIG + 1];
	int len = devices_bpf(r, n, p), nl = devices_v1(r, n, l);

	cr_assert(len <= DEV_BPF_MAX(n));
	cr_assert_eq(p[len - 1].code, 0x95, "%s: ends in exit", name);
	for (int t = 0; t < 2; t++)
	for (size_t a = 0; a < N(majors); a++)
	for (size_t b = 0; b < N(minors); b++)
	for (int acc = 1; acc <= DEV_RWM; acc++) {
		char type = "bc"[t];
		int want = (meaning(r, n, type, majors[a], minors[b]) &
			    acc) == acc;
		unsigned ctx[3] = { (unsigned)acc << 16 | (t ? DEV_BPF_CHAR :
			DEV_BPF_BLOCK), (unsigned)majors[a], (unsigned)minors[b] };

		cr_assert_eq(run_bpf(p, len, ctx), (unsigned)want,
			     "%s: %c %d:%d access %d", name, type, majors[a],
			     minors[b], acc);
		cr_assert(want || !v1_allows(l, nl, type, majors[a], minors[b],
					     acc), "%s: v1 allows more: %c %d:%d "
			  "access %d", name, type, majors[a], minors[b], acc);
	}
}

Test(devices, bpf_tables)
{
	static const char *const lists[] = {
		"", "+a", "-a", "+c 1:3 rwm", "+c 240:0 r",
		"+c 240:* rwm -c 240:0 w", "-c 240:0 rwm +c 240:* rw",
		"+a -b 8:* rwm", "+b *:* m +c *:* m +c 1:3 rwm -c 1:3 w",
		"-a +c 1:5 rwm +c 1:3 rwm -c 10:229 rwm",
	};
	struct dev_rule r[64];

	for (size_t i = 0; i < N(lists); i++)
		check_list(r, rules_of(lists[i], r), lists[i]);
	check_list(dev_defaults, dev_ndefaults, "runc's defaults");
}

/* The longest list config.json may give (every "a" rule split in two,
 * then runc's): the jumps over it still land where they should. */
Test(devices, bpf_longest)
{
	static struct dev_rule r[BIG];
	const char *why;
	int n = 0;

	for (int i = 0; i < DEV_RULES_MAX; i++)
		n += devices_rule(i % 2, "a", i % 3 ? "rw" : "m", 1 + i % 5,
				  i % 7 ? -1 : 3, r + n, &why);
	memcpy(r + n, dev_defaults + 1, (dev_ndefaults - 1) * sizeof *r);
	n += dev_ndefaults - 1;
	cr_assert(n <= BIG);
	check_list(r, n, "the longest list");
}

/* Lists drawn at random (a fixed seed: the same every run). */
Test(devices, bpf_random)
{
	static const char *const types = "abc";
	static const int nums[] = { -1, 0, 1, 3, 8, 240 };
	unsigned seed = 12345;
	struct dev_rule r[64];
	const char *why;

	for (int round = 0; round < 2000; round++) {
		int n = 0, want = 1 + round % 7;
		char name[32];

		for (int i = 0; i < want; i++) {
			char acc[4] = "", *a = acc;
			int bits;
			seed = seed * 1103515245 + 12345;
			bits = 1 + (seed >> 8) % 7;
			for (int b = 0; b < 3; b++)
				if (bits & 1 << b)
					*a++ = "mrw"[b];
			n += devices_rule((seed >> 12) & 1,
					  (char[]){ types[(seed >> 14) % 3], 0 },
					  acc, nums[(seed >> 17) % 6],
					  nums[(seed >> 21) % 6], r + n, &why);
		}
		snprintf(name, sizeof name, "random list %d", round);
		check_list(r, n, name);
	}
}
