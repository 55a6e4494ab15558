/*
 * seccomp_profile.c - a seccomp profile, as docker, podman and the OCI
 * runtime spec write it, into struct sc_profile.
 *
 * Two shapes of the same thing: the file docker and podman read
 * (`--security-opt seccomp=FILE`, docker's profiles/seccomp/default.json,
 * podman's /usr/share/containers/seccomp.json) and the linux.seccomp
 * object of config.json, which the engine made from such a file.  Both
 * have defaultAction, defaultErrnoRet, architectures and syscalls[] with
 * names, action, errnoRet and args[]; the file may also have archMap
 * (the architectures, per native one) and, per entry, includes/excludes:
 * arches (Go's GOARCH words), caps and minKernel.  The entry then applies
 * only to containers that have those capabilities (docker's default lets
 * CAP_SYS_ADMIN unshare and mount) or run on that kernel; the compiler
 * (seccomp_bpf.c) decides that, knowing the container.  The arches are
 * known here: this build's own (amd64, arm64, arm, riscv64).
 *
 * Names this build does not know are skipped, as runc and libseccomp do
 * (a profile names calls of every architecture); so is an entry left with
 * none.  What the spec allows and minictr cannot do is refused by name:
 * SCMP_ACT_NOTIFY and listenerPath (a seccomp agent).  Unknown keys are
 * ignored ("comment", podman's "errno"), as Go's decoder does.
 *
 * Pure: JSON in, a struct or the failing field and why out; no printing,
 * no globals.  What it allocates (one block, p->rules) lives as long as
 * the process.  See the runtime spec's config-linux.md "Seccomp", moby's
 * profiles/seccomp/seccomp_linux.go, seccomp(2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minictr.h"

/* libseccomp's names; index i is bit 1 << i (the first six: minictr.h). */
static const char *const arch_names[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_RISCV32", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};
#define NARCH_NAMES (int)(sizeof arch_names / sizeof arch_names[0])

static const struct { const char *name; unsigned ret; } actions[] = {
	{ "SCMP_ACT_KILL", SC_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SC_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SC_RET_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SC_RET_TRAP },
	{ "SCMP_ACT_ERRNO", SC_RET_ERRNO },
	{ "SCMP_ACT_TRACE", SC_RET_TRACE },
	{ "SCMP_ACT_LOG", SC_RET_LOG },
	{ "SCMP_ACT_ALLOW", SC_RET_ALLOW },
};
static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT",
	"SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ" };        /* SC_NE = 1 ... */

/* The parse in progress: the failing field is written into where. */
struct sp {
	const struct json *j;
	char *where;
	size_t len;
};

static const char *bad(struct sp *s, const char *why, const char *fmt, int i,
		       int k)
{
	snprintf(s->where, s->len, fmt, i, k);
	return why;
}

/* A string token into buf (at most len-1 bytes), or -1. */
static int text(const struct json *j, int t, char *buf, int len)
{
	int n;
	const char *raw;

	if (json_type(j, t) != JSON_STRING)
		return -1;
	raw = json_raw(j, t, &n);
	if (n >= len)           /* unescaped is never longer than raw */
		return -1;
	return json_unescape(raw, n, buf) < 0 ? -1 : 0;
}

/* An index into a sorted "\0"-separated table, or -1. */
static int lookup(const char *table, const unsigned short *at, int n,
		  const char *name)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(name, table + at[mid]);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

int sc_name_index(const char *name)
{
	return lookup(sc_names, sc_name_at, sc_nnames, name);
}

/* CAP_SYS_ADMIN (or SYS_ADMIN) to 21, or -1; in bit order, not sorted. */
int sc_cap_number(const char *name)
{
	const char *c = sc_cap_names;

	for (int i = 0; i < sc_ncaps; i++, c += strlen(c) + 1)
		if (strcmp(c, name) == 0 || strcmp(c + 4, name) == 0)
			return i;
	return -1;
}

/* A whole number in [0, max], as unsigned long long: 0 or -1. */
static int number(const struct json *j, int t, unsigned long long max,
		  unsigned long long *out)
{
	int len;
	const char *s;
	unsigned long long v = 0;

	if (json_type(j, t) != JSON_PRIMITIVE)
		return -1;
	s = json_raw(j, t, &len);
	for (int i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (~0ULL - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (len == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "SCMP_ACT_ERRNO" and errnoRet (absent: EPERM, as runc) into a return
 * value; 0, or -1 with *why. */
static int action(const struct json *j, int t, int ret, unsigned *out,
		  const char **why)
{
	char name[32];
	unsigned long long data = 1;

	*why = "use SCMP_ACT_ALLOW, ERRNO, KILL, KILL_PROCESS, KILL_THREAD, "
	       "TRAP, LOG or TRACE";
	if (text(j, t, name, sizeof name) < 0)
		return -1;
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0) {
		*why = "not supported: minictr has no seccomp agent";
		return -1;
	}
	if (ret >= 0 && json_type(j, ret) != JSON_NONE &&
	    number(j, ret, 65535, &data) < 0) {
		*why = "errnoRet: use a whole number from 0 to 65535";
		return -1;
	}
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (strcmp(name, actions[i].name) != 0)
			continue;
		*out = actions[i].ret;
		if (*out == SC_RET_ERRNO || *out == SC_RET_TRACE)
			*out |= (unsigned)data;
		return 0;
	}
	return -1;
}

/* An array of strings, each an index of names[]; the bits, or -1. */
static long long arch_bits(const struct json *j, int t)
{
	char name[32];
	long long bits = 0;
	int n = json_size(j, t), e = t + 1;

	if (json_type(j, t) != JSON_ARRAY)
		return -1;
	for (int i = 0; i < n; i++, e = json_next(j, e)) {
		int k;
		if (text(j, e, name, sizeof name) < 0)
			return -1;
		for (k = 0; k < NARCH_NAMES; k++)
			if (strcmp(name, arch_names[k]) == 0)
				break;
		if (k == NARCH_NAMES)
			return -1;
		bits |= 1LL << k;
	}
	return bits;
}

/* architectures, or archMap's entry for this build's own; 0 or why. */
static const char *arches(struct sp *s, int obj, struct sc_profile *p)
{
	int list = json_get(s->j, obj, "architectures");
	int map = json_get(s->j, obj, "archMap");
	long long bits = 0;

	if (json_type(s->j, list) == JSON_ARRAY && json_size(s->j, list) &&
	    json_type(s->j, map) == JSON_ARRAY && json_size(s->j, map))
		return bad(s, "use either architectures or archMap",
			   "archMap", 0, 0);
	if (list >= 0 && json_type(s->j, list) != JSON_NONE &&
	    json_type(s->j, list) != JSON_PRIMITIVE &&
	    (bits = arch_bits(s->j, list)) < 0)
		return bad(s, "an array of SCMP_ARCH_ names", "architectures",
			   0, 0);
	for (int i = 0, e = map + 1; json_type(s->j, map) == JSON_ARRAY &&
	     i < json_size(s->j, map); i++, e = json_next(s->j, e)) {
		long long own = arch_bits(s->j, json_get(s->j, e, "subArchitectures"));
		int a = json_get(s->j, e, "architecture");
		char name[32];
		if (text(s->j, a, name, sizeof name) < 0 || own < 0)
			return bad(s, "architecture and subArchitectures: "
				   "SCMP_ARCH_ names", "archMap[%d]", i, 0);
		if (strcmp(name, arch_names[__builtin_ctz(sc_arches[0].bit)]) == 0)
			bits = own | sc_arches[0].bit;
	}
	p->arches = (unsigned)bits;
	return NULL;
}

/* One args[] element. */
static const char *condition(struct sp *s, int t, struct sc_cond *c, int i,
			     int k)
{
	char op[32];
	unsigned long long index, v2 = 0;
	int two = json_get(s->j, t, "valueTwo");

	if (number(s->j, json_get(s->j, t, "index"), 5, &index) < 0)
		return bad(s, "index: use 0 to 5", "syscalls[%d].args[%d]", i, k);
	if (number(s->j, json_get(s->j, t, "value"), ~0ULL, &c->value) < 0 ||
	    (two >= 0 && number(s->j, two, ~0ULL, &v2) < 0))
		return bad(s, "value and valueTwo: whole numbers from 0 to "
			   "2^64-1", "syscalls[%d].args[%d]", i, k);
	c->index = (unsigned char)index;
	c->value_two = v2;
	if (text(s->j, json_get(s->j, t, "op"), op, sizeof op) == 0)
		for (c->op = 0; c->op < 7; c->op++)
			if (strcmp(op, ops[c->op]) == 0)
				break;
	if (c->op++ >= 7)
		return bad(s, "op: use SCMP_CMP_EQ, NE, LT, LE, GT, GE or "
			   "MASKED_EQ", "syscalls[%d].args[%d]", i, k);
	return NULL;
}

/* includes or excludes: caps into a mask, minKernel, and whether its
 * arches leave this build out (includes) or in (excludes). */
static const char *condition_set(struct sp *s, int t, int include,
				 struct sc_rule *r, int *skip, int i)
{
	const char *field = include ? "syscalls[%d].includes" :
			    "syscalls[%d].excludes";
	int caps = json_get(s->j, t, "caps"), arches = json_get(s->j, t, "arches");
	int kernel = json_get(s->j, t, "minKernel"), hit = 0;
	char word[32], *dot;
	unsigned long major, minor;

	if (t < 0 || json_type(s->j, t) == JSON_PRIMITIVE)
		return NULL;    /* absent or null */
	if (json_type(s->j, t) != JSON_OBJECT)
		return bad(s, "not an object", field, i, 0);
	if (json_type(s->j, caps) == JSON_OBJECT)
		return bad(s, "caps: an array of CAP_ names", field, i, 0);
	if (json_type(s->j, arches) == JSON_OBJECT)
		return bad(s, "arches: an array of strings", field, i, 0);
	/* (elements walked with json_next: json_at(k) would start over) */
	for (int k = 0, e = caps + 1; k < json_size(s->j, caps);
	     k++, e = json_next(s->j, e)) {
		if (text(s->j, e, word, sizeof word) < 0)
			return bad(s, "caps: an array of CAP_ names", field, i, 0);
		int cap = sc_cap_number(word);
		/* a capability this kernel's headers do not name: nobody has
		 * it, so an include never holds and an exclude never hits */
		unsigned long long bit = cap < 0 ? 1ULL << 63 : 1ULL << cap;
		if (include)
			r->caps_in |= bit;
		else if (cap >= 0)
			r->caps_out |= bit;
	}
	for (int k = 0, e = arches + 1; k < json_size(s->j, arches);
	     k++, e = json_next(s->j, e)) {
		if (text(s->j, e, word, sizeof word) < 0)
			return bad(s, "arches: an array of strings", field, i, 0);
		hit |= strcmp(word, sc_goarch) == 0;
	}
	if (json_size(s->j, arches) && hit != include)
		*skip = 1;      /* docker's test: the build's GOARCH */
	if (kernel >= 0 && json_type(s->j, kernel) != JSON_PRIMITIVE) {
		if (text(s->j, kernel, word, sizeof word) < 0 ||
		    (major = strtoul(word, &dot, 10)) > 255 || dot == word ||
		    *dot != '.' || (minor = strtoul(dot + 1, &dot, 10)) > 65535 ||
		    *dot != '\0' || word[0] < '0' || word[0] > '9')
			return bad(s, "minKernel: use MAJOR.MINOR", field, i, 0);
		*(include ? &r->kernel_in : &r->kernel_out) =
			(int)(major << 16 | minor);
	}
	return NULL;
}

/* names (or name), each known to this build into r->names; 0 or why. */
static const char *names(struct sp *s, int t, struct sc_rule *r, int i)
{
	int list = json_get(s->j, t, "names"), one = json_get(s->j, t, "name");
	int n = one >= 0 ? 1 : json_size(s->j, list);
	unsigned short *out = (unsigned short *)r->names;
	char name[64];

	if (one >= 0 && list >= 0 && json_size(s->j, list))
		return bad(s, "use either name or names", "syscalls[%d]", i, 0);
	if (one < 0 && json_type(s->j, list) != JSON_ARRAY)
		return bad(s, "names: an array of strings", "syscalls[%d]", i, 0);
	for (int k = 0, e = one >= 0 ? one : list + 1; k < n;
	     k++, e = json_next(s->j, e)) {
		int idx = -1;
		if (json_type(s->j, e) != JSON_STRING)
			return bad(s, "not a string", "syscalls[%d].names[%d]",
				   i, k);
		if (text(s->j, e, name, sizeof name) == 0)
			idx = sc_name_index(name);
		if (idx >= 0)   /* not this build's: skipped, as runc does */
			out[r->nnames++] = (unsigned short)idx;
	}
	return NULL;
}

/* One syscalls[] entry into r; *skip when it is not for this build. */
static const char *entry(struct sp *s, int t, struct sc_rule *r, int i,
			 int *skip)
{
	const char *why;
	int args = json_get(s->j, t, "args");
	struct sc_cond *c = (struct sc_cond *)r->conds;

	if (json_type(s->j, t) != JSON_OBJECT)
		return bad(s, "not an object", "syscalls[%d]", i, 0);
	if (action(s->j, json_get(s->j, t, "action"), json_get(s->j, t,
		   "errnoRet"), &r->action, &why) < 0)
		return bad(s, why, "syscalls[%d].action", i, 0);
	if ((why = names(s, t, r, i)) ||
	    (why = condition_set(s, json_get(s->j, t, "includes"), 1, r, skip, i)) ||
	    (why = condition_set(s, json_get(s->j, t, "excludes"), 0, r, skip, i)))
		return why;
	if (args >= 0 && json_type(s->j, args) != JSON_ARRAY &&
	    json_type(s->j, args) != JSON_PRIMITIVE)
		return bad(s, "not an array", "syscalls[%d].args", i, 0);
	for (int k = 0, e = args + 1; json_type(s->j, args) == JSON_ARRAY &&
	     k < json_size(s->j, args); k++, e = json_next(s->j, e)) {
		if (json_type(s->j, e) != JSON_OBJECT)
			return bad(s, "not an object", "syscalls[%d].args[%d]",
				   i, k);
		if ((why = condition(s, e, &c[r->nconds++], i, k)))
			return why;
	}
	*skip |= r->nnames == 0;
	return NULL;
}

/* How many names and args the entries hold: the room to allocate. */
static void count(const struct json *j, int sys, int *nnames, int *nconds)
{
	int e = sys + 1;

	*nnames = *nconds = 0;
	for (int i = 0; i < json_size(j, sys); i++, e = json_next(j, e)) {
		*nnames += json_size(j, json_get(j, e, "names")) + 1;
		*nconds += json_size(j, json_get(j, e, "args"));
	}
}

/* The profile object at obj (a file's top, or linux.seccomp).  On
 * failure, the reason, and the field in where. */
const char *seccomp_parse(const struct json *j, int obj, struct sc_profile *p,
			  char *where, size_t len)
{
	struct sp s = { j, where, len };
	int sys = json_get(j, obj, "syscalls"), def = json_get(j, obj,
		"defaultErrnoRet"), listener = json_get(j, obj, "listenerPath");
	int nnames, nconds, e = sys + 1;
	const char *why;
	struct sc_rule *rules;

	memset(p, 0, sizeof *p);
	where[0] = '\0';
	if (json_type(j, obj) != JSON_OBJECT)
		return "not an object";
	if (action(j, json_get(j, obj, "defaultAction"), def, &p->default_action,
		   &why) < 0)
		return bad(&s, why, "defaultAction", 0, 0);
	if (json_type(j, listener) == JSON_STRING &&
	    json_raw(j, listener, &nnames) && nnames > 0)
		return bad(&s, "not supported: minictr has no seccomp agent",
			   "listenerPath", 0, 0);
	if ((why = arches(&s, obj, p)))
		return why;
	if (sys >= 0 && json_type(j, sys) != JSON_ARRAY &&
	    json_type(j, sys) != JSON_PRIMITIVE)
		return bad(&s, "not an array", "syscalls", 0, 0);
	if (json_type(j, sys) != JSON_ARRAY)
		return NULL;
	count(j, sys, &nnames, &nconds);
	rules = malloc(json_size(j, sys) * sizeof *rules + (size_t)nconds *
		       sizeof(struct sc_cond) + (size_t)nnames * 2);
	if (!rules)
		return "out of memory";
	struct sc_cond *conds = (struct sc_cond *)(rules + json_size(j, sys));
	unsigned short *pool = (unsigned short *)(conds + nconds);
	for (int i = 0; i < json_size(j, sys); i++, e = json_next(j, e)) {
		struct sc_rule *r = &rules[p->nrules];
		int skip = 0;
		*r = (struct sc_rule){ .names = pool, .conds = conds };
		if ((why = entry(&s, e, r, i, &skip)))
			return why;     /* rules not freed: see the top */
		if (skip)
			continue;
		pool += r->nnames;
		conds += r->nconds;
		p->nrules++;
	}
	p->rules = rules;
	return NULL;
}

/* A profile file's text: JSON, then the profile. */
const char *seccomp_load(const char *text, size_t len, struct sc_profile *p,
			 char *where, size_t wlen)
{
	struct json j;
	const char *why = json_parse(text, len, &j);

	if (why) {
		snprintf(where, wlen, "JSON");
		return why;
	}
	why = seccomp_parse(&j, 0, p, where, wlen);
	json_free(&j);
	return why;
}
