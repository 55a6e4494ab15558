/*
 * test/unit_seccomp.c - seccomp_profile.c and seccomp_bpf.c: profiles in,
 * filters out, and the filters RUN here, by a small classic-BPF
 * interpreter, on made-up system calls of every ABI of the build: so the
 * i386 and x32 sections, the 64-bit argument halves and every operator
 * are checked even where the kernel runs no i386 code.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../minictr.h"

/* struct seccomp_data */
struct data {
	int nr;
	unsigned arch;
	unsigned long long ip, args[6];
};

static int steps;               /* instructions run, by the last run() */

/* The kernel's classic BPF, as much of it as seccomp_bpf.c emits. */
static unsigned run(const struct sock_filter *f, int n, const struct data *d)
{
	unsigned a = 0;

	steps = 0;
	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		int taken;
		steps++;
		switch (i->code) {
		case 0x20:
			cr_assert(i->k % 4 == 0 && i->k < sizeof *d);
			memcpy(&a, (const char *)d + i->k, 4);
			continue;
		case 0x54: a &= i->k; continue;
		case 0x05: pc += (int)i->k; continue;
		case 0x06: return i->k;
		case 0x15: taken = a == i->k; break;
		case 0x25: taken = a > i->k; break;
		case 0x35: taken = a >= i->k; break;
		default: cr_assert_fail("code %#x", i->code);
		}
		pc += taken ? i->jt : i->jf;
	}
	cr_assert_fail("fell off the end");
	return 0;
}

static const struct sc_arch *abi(unsigned bit)
{
	for (int i = 0; i < sc_narches; i++)
		if (sc_arches[i].bit == bit)
			return &sc_arches[i];
	return NULL;
}

/* What the filter returns for NAME through the ABI of bit, with args. */
static unsigned verdict(const struct sock_filter *f, int n, unsigned bit,
			const char *name, unsigned long long a0,
			unsigned long long a1)
{
	const struct sc_arch *s = abi(bit);
	int idx = sc_name_index(name);
	struct data d = { .args = { a0, a1 } };

	cr_assert(s && idx >= 0 && s->nr[idx] != 0xffff, "%s", name);
	d.arch = s->audit;
	d.nr = (int)(s->first + s->nr[idx]);
	return run(f, n, &d);
}

static struct sock_filter f[SC_FILTER_MAX];

static int compile_text(const char *json, unsigned long long caps)
{
	struct sc_profile p;
	char where[96];
	const char *why = seccomp_load(json, strlen(json), &p, where, sizeof where);
	int n;

	cr_assert_null(why, "%s: %s", where, why);
	n = seccomp_compile(&p, caps, 6 << 16, f, &why);
	cr_assert_gt(n, 0, "%s", why);
	return n;
}

#define EPERM_RET (SC_RET_ERRNO | EPERM)

Test(seccomp, docker_default_follows_capabilities)
{
	const char *why;
	int n = seccomp_compile(&sc_docker_default, CAPS_DEFAULT, 6 << 16, f, &why);
	const unsigned bits[] = { SC_X86_64, SC_X86, SC_X32 };

	cr_assert_gt(n, 0);
	for (int i = 0; i < (sc_arches[0].bit == SC_X86_64 ? 3 : 1); i++) {
		unsigned b = i ? bits[i] : sc_arches[0].bit;
		cr_expect_eq(verdict(f, n, b, "unshare", 0x10000000, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "keyctl", 0, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "add_key", 0, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "mount", 0, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "personality", 0xffff, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "personality", 0, 0), SC_RET_ALLOW);
		cr_expect_eq(verdict(f, n, b, "clone", 0x10000000 | 17, 0), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "clone", 17, 0), SC_RET_ALLOW);
		cr_expect_eq(verdict(f, n, b, "read", 0, 0), SC_RET_ALLOW);
		cr_expect_eq(verdict(f, n, b, "ioctl", 0, TIOCSTI), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "ioctl", 0, TIOCLINUX), EPERM_RET);
		cr_expect_eq(verdict(f, n, b, "ioctl", 0, FIONREAD), SC_RET_ALLOW);
	}
	if (sc_arches[0].bit == SC_X86_64)      /* the high bits: no way past */
		cr_expect_eq(verdict(f, n, SC_X86_64, "ioctl", 0,
				     TIOCSTI | 1ULL << 32), EPERM_RET);
	/* CAP_SYS_ADMIN (21): what docker ties to it comes back */
	n = seccomp_compile(&sc_docker_default, CAPS_DEFAULT | 1ULL << 21,
			    6 << 16, f, &why);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "unshare", 0x10000000, 0),
		     SC_RET_ALLOW);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "mount", 0, 0), SC_RET_ALLOW);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "keyctl", 0, 0), EPERM_RET);
}

/* One row: an operator, its operands, an argument, whether it matches. */
static const struct { const char *op; const char *v; unsigned long long arg;
		      int match; } ops[] = {
	{ "EQ", "5", 5, 1 }, { "EQ", "5", 6, 0 },
	{ "EQ", "5", 5 | 1ULL << 32, 0 },       /* the high half counts */
	{ "NE", "5", 5, 0 }, { "NE", "5", 4, 1 }, { "NE", "5", 5ULL << 32 | 5, 1 },
	{ "GT", "4294967296", 4294967297ULL, 1 },
	{ "GT", "4294967296", 4294967296ULL, 0 },
	{ "GT", "4294967296", 4294967295ULL, 0 },    /* low half bigger */
	{ "GT", "1", 1ULL << 32, 1 },                 /* high half decides */
	{ "GE", "4294967296", 4294967296ULL, 1 }, { "GE", "7", 6, 0 },
	{ "LT", "4294967296", 4294967295ULL, 1 }, { "LT", "4294967296",
	  4294967296ULL, 0 }, { "LT", "3", 1ULL << 32, 0 },
	{ "LE", "7", 7, 1 }, { "LE", "7", 8, 0 }, { "LE", "8589934592",
	  4294967296ULL | 0xffffffff, 1 },
	{ "MASKED_EQ", "255,\"valueTwo\":3", 0x103, 1 },
	{ "MASKED_EQ", "255,\"valueTwo\":3", 0x104, 0 },
	{ "MASKED_EQ", "18446744069414584320,\"valueTwo\":4294967296",
	  1ULL << 32 | 77, 1 },
};

Test(seccomp, every_operator_on_64_bit_arguments)
{
	char json[400];

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		snprintf(json, sizeof json, "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
			 "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":"
			 "\"SCMP_ACT_ERRNO\",\"errnoRet\":33,\"args\":[{\"index\":"
			 "2,\"op\":\"SCMP_CMP_%s\",\"value\":%s}]}]}", ops[i].op,
			 ops[i].v);
		int n = compile_text(json, 0);
		const struct sc_arch *s = &sc_arches[0];
		struct data d = { .arch = s->audit, .args = { 0, 0, ops[i].arg } };
		d.nr = (int)(s->first + s->nr[sc_name_index("getpid")]);
		cr_expect_eq(run(f, n, &d), ops[i].match ? SC_RET_ERRNO | 33 :
			     SC_RET_ALLOW, "%s %s on %#llx", ops[i].op, ops[i].v,
			     ops[i].arg);
	}
}

Test(seccomp, actions_and_unlisted_abis)
{
	static const struct { const char *act; unsigned ret; } acts[] = {
		{ "SCMP_ACT_ALLOW\"", SC_RET_ALLOW },
		{ "SCMP_ACT_ERRNO\",\"errnoRet\":5", SC_RET_ERRNO | 5 },
		{ "SCMP_ACT_ERRNO\"", SC_RET_ERRNO | EPERM },
		{ "SCMP_ACT_KILL\"", SC_RET_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD\"", SC_RET_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS\"", SC_RET_KILL_PROCESS },
		{ "SCMP_ACT_TRAP\"", SC_RET_TRAP },
		{ "SCMP_ACT_LOG\"", SC_RET_LOG },
		{ "SCMP_ACT_TRACE\",\"errnoRet\":9", SC_RET_TRACE | 9 },
	};
	char json[300];

	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		snprintf(json, sizeof json, "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
			 "\"defaultErrnoRet\":38,\"syscalls\":[{\"names\":"
			 "[\"getppid\",\"nosuchcall\"],\"action\":\"%s}]}",
			 acts[i].act);
		int n = compile_text(json, 0);
		cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getppid", 0, 0),
			     acts[i].ret, "%s", acts[i].act);
		cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getpid", 0, 0),
			     SC_RET_ERRNO | 38);
	}
	/* no architectures: the build's own only; the others refused, and
	 * killed when the default would let them through */
	for (int i = 1; i < sc_narches; i++) {
		int n = compile_text("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 0);
		cr_expect_eq(verdict(f, n, sc_arches[i].bit, "read", 0, 0),
			     SC_RET_KILL_PROCESS, "ABI %u", sc_arches[i].bit);
		n = compile_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\","
				 "\"syscalls\":[{\"names\":[\"read\"],\"action\":"
				 "\"SCMP_ACT_ALLOW\"}]}", 0);
		cr_expect_eq(verdict(f, n, sc_arches[i].bit, "read", 0, 0),
			     EPERM_RET, "ABI %u", sc_arches[i].bit);
	}
}

/* podman's socket rules: one index twice is an OR (runc's reading), and
 * conditional rules come before the unconditional one */
Test(seccomp, one_index_twice_and_rule_order)
{
	int n = compile_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
		"[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":"
		"7,\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}", 0);

	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getpid", 1, 0), SC_RET_ERRNO | 7);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getpid", 2, 0), SC_RET_ERRNO | 7);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getpid", 3, 0), SC_RET_ALLOW);
}

static const struct { const char *json, *where; } refused[] = {
	{ "[]", "JSON" },
	{ "{}", "defaultAction" },
	{ "{\"defaultAction\":\"SCMP_ACT_NOPE\"}", "defaultAction" },
	{ "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "defaultAction" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/s\"}",
	  "listenerPath" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"X\"]}",
	  "architectures" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
	  "[\"SCMP_ARCH_X86\"],\"archMap\":[{}]}", "archMap" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "syscalls" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[1]}", "syscalls[0]" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,"
	  "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0]" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	  "\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0]" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	  "\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}", "syscalls[0].args[0]" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[7],\"action\":\"SCMP_ACT_ALLOW\"}]}", "syscalls[0].names[0]" },
	{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":70000}",
	  "defaultAction" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":"
	  "\"four\"}}]}", "syscalls[0].includes" },
	{ "{\"defaultAction\"", "JSON" },
	/* an object is no array, though its keys are strings */
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":"
	  "{\"CAP_SYS_ADMIN\":1}}}]}", "syscalls[0].includes" },
	{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	  "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":"
	  "{\"amd64\":1}}}]}", "syscalls[0].excludes" },
};

Test(seccomp, refusals_name_the_field)
{
	struct sc_profile p;
	char where[96];

	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		const char *why = seccomp_load(refused[i].json,
					       strlen(refused[i].json), &p,
					       where, sizeof where);
		cr_expect_not_null(why, "%s", refused[i].json);
		cr_expect_str_eq(where, refused[i].where, "%s: %s", refused[i].json,
				 why);
	}
}

Test(seccomp, includes_and_excludes)
{
	char json[600];

	/* an arch entry of another build is dropped; minKernel, caps kept */
	snprintf(json, sizeof json, "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
		 "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":"
		 "\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"s390x\"]}},"
		 "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"includes\":{\"arches\":[\"%s\"],\"minKernel\":\"7.1\"}},"
		 "{\"names\":[\"gettid\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}", sc_goarch);
	int n = compile_text(json, 0);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getpid", 0, 0), EPERM_RET);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "getppid", 0, 0), EPERM_RET);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "gettid", 0, 0), SC_RET_ALLOW);
	n = compile_text(json, 1ULL << 21);
	cr_expect_eq(verdict(f, n, sc_arches[0].bit, "gettid", 0, 0), EPERM_RET);
}

Test(seccomp, too_long_is_refused)
{
	static char json[1 << 20];
	struct sc_profile p;
	char where[96];
	const char *why;
	int len = snprintf(json, sizeof json, "{\"defaultAction\":"
			   "\"SCMP_ACT_ALLOW\",\"syscalls\":[");

	for (int i = 0; i < 800; i++)
		len += snprintf(json + len, sizeof json - (size_t)len,
				"%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_"
				"ERRNO\",\"args\":[{\"index\":0,\"value\":%d,\"op\":"
				"\"SCMP_CMP_EQ\"}]}", i ? "," : "", i);
	snprintf(json + len, sizeof json - (size_t)len, "]}");
	cr_assert_null(seccomp_load(json, strlen(json), &p, where, sizeof where));
	cr_expect_eq(seccomp_compile(&p, 0, 0, f, &why), -1);
}

/* every name of the build, conditional, on every ABI: the most intervals
 * a profile can make (unit-asan checks nothing overflows) */
Test(seccomp, every_name_conditional)
{
	static char json[1 << 16];
	struct sc_profile p;
	char where[96];
	const char *why, *name = sc_names;
	int len = snprintf(json, sizeof json, "{\"defaultAction\":"
			   "\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
			   "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_ARM\","
			   "\"SCMP_ARCH_AARCH64\"],\"syscalls\":[{\"names\":[");

	for (int i = 0; i < sc_nnames; i++, name += strlen(name) + 1)
		len += snprintf(json + len, sizeof json - (size_t)len, "%s\"%s\"",
				i ? "," : "", name);
	snprintf(json + len, sizeof json - (size_t)len, "],\"action\":\"SCMP_ACT_"
		 "ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	cr_assert_null(seccomp_load(json, strlen(json), &p, where, sizeof where));
	cr_expect_eq(seccomp_compile(&p, 0, 0, f, &why), -1);   /* too long */
}

/* a search, not a scan: no number of any ABI runs more than a few dozen
 * of docker's 700-odd instructions (a list would run hundreds) */
Test(seccomp, a_balanced_search)
{
	const char *why;
	int n = seccomp_compile(&sc_docker_default, CAPS_DEFAULT, 6 << 16, f, &why);

	for (int r = 0; r < sc_narches; r++)
		for (unsigned nr = 0; nr < 1100; nr++) {
			struct data d = { .arch = sc_arches[r].audit,
					  .nr = (int)(sc_arches[r].first + nr) };
			run(f, n, &d);
			cr_expect_leq(steps, 40, "ABI %u, number %u: %d steps",
				      sc_arches[r].bit, nr, steps);
		}
}
