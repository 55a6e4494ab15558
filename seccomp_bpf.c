/*
 * seccomp_bpf.c - a seccomp profile compiled into classic BPF, the
 * program the kernel runs on every system call of the container.
 *
 * The program reads struct seccomp_data { int nr; u32 arch; u64 ip;
 * u64 args[6]; } and returns SECCOMP_RET_ALLOW, _ERRNO | errno, _KILL...
 * What a home-made filter gets wrong, and how this one does it:
 *   - the architecture first.  A system call number means nothing
 *     without it: 59 is execve on x86_64 and a harmless call on i386,
 *     which any x86_64 process reaches by int $0x80; x32's calls share
 *     x86_64's AUDIT_ARCH and carry bit 30 (__X32_SYSCALL_BIT); an armhf
 *     minictr on an arm64 kernel can exec a 64-bit program.  So the
 *     program dispatches on seccomp_data.arch, one section per ABI the
 *     profile lists, each with that ABI's numbers (the generated tables),
 *     x32's as the range above bit 30 of the x86_64 section.  An ABI the
 *     profile does not list gets the default action when that refuses,
 *     and SECCOMP_RET_KILL_PROCESS when it allows (libseccomp's "bad
 *     arch" action is a kill, too): it never gets through unfiltered.
 *   - 64-bit arguments, 32-bit registers: classic BPF compares 32 bits,
 *     so an argument is two loads, high half then low half, and GT is
 *     "high greater, or high equal and low greater".  For a 32-bit ABI
 *     only the low half is compared, as libseccomp does.
 *   - a decision tree, not a list: the calls the profile names become
 *     intervals of numbers with one outcome each (docker's default allows
 *     runs of neighbours: 300 names make about 80 intervals), searched
 *     by halves, so a system call costs about log2(intervals) jumps.
 *   - BPF jumps reach 255 instructions: a far jump is an unconditional
 *     JA (32-bit offset) after a conditional jump that skips 0 or 1.
 * Rules of one call are tried in the profile's order, conditional ones
 * first, then the first unconditional; one args[] index named twice in a
 * rule makes each of its conditions a rule of its own (runc's way:
 * podman's socket rules need it).  Every container's filter also refuses
 * ioctl TIOCSTI and TIOCLINUX with EPERM, before the profile's ioctl
 * rules (seccomp.c says why), even "unconfined" ones.
 * Pure: a profile in, instructions out; no printing, no globals.
 * Man pages: seccomp(2) (the filter, SECCOMP_RET_*), bpf(4) of BSD for
 * classic BPF; the kernel's Documentation/userspace-api/seccomp_filter.rst.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "minictr.h"

#define LD_ABS  0x20            /* BPF_LD | BPF_W | BPF_ABS: A = data[k] */
#define AND_K   0x54            /* BPF_ALU | BPF_AND | BPF_K */
#define JA      0x05            /* BPF_JMP | BPF_JA: pc += k */
#define JEQ     0x15            /* BPF_JMP | BPF_JEQ | BPF_K */
#define JGT     0x25
#define JGE     0x35
#define RET     0x06            /* BPF_RET | BPF_K */
#define OFF_NR   0
#define OFF_ARCH 4
#define OFF_LO(i) (16 + 8 * (i))        /* args[i]: little-endian, as */
#define OFF_HI(i) (20 + 8 * (i))        /* every ABI minictr builds for */

/* The rules every container has first, on ioctl (seccomp.c): the request
 * is an unsigned int to the kernel, so only the low 32 bits count. */
static const struct sc_cond tty_conds[2] = {
	{ 1, SC_MASKED_EQ, 0xffffffffULL, TIOCSTI },
	{ 1, SC_MASKED_EQ, 0xffffffffULL, TIOCLINUX },
};
static const struct sc_rule tty_rules[2] = {
	{ .action = SC_RET_ERRNO | EPERM, .conds = &tty_conds[0], .nconds = 1 },
	{ .action = SC_RET_ERRNO | EPERM, .conds = &tty_conds[1], .nconds = 1 },
};

/* A number range of one ABI with one outcome: a return value, or the
 * rules of the names at point[first, first + n) (one number). */
struct interval {
	unsigned long long start;
	unsigned ret;
	int first, n;           /* n 0: ret */
};
struct point {
	unsigned nr;
	int name;
};

struct cc {
	struct sock_filter *out;
	int n;                  /* instructions so far; > max: too long */
	int dry;                /* only counting (tree() measuring) */
	const struct sc_profile *p;
	const struct sc_rule **live;    /* the rules this container has */
	int nlive;
	int *by_name, *at;      /* rule numbers per name: by_name[at[i]..] */
	char *hit;
	int ioctl, is64;
	unsigned bad_arch;
	struct point *pts;
	struct interval *iv;
};

static int emit(struct cc *c, unsigned short code, unsigned k, int jt, int jf)
{
	if (c->n < SC_FILTER_MAX && !c->dry)
		c->out[c->n] = (struct sock_filter){ code, (unsigned char)jt,
						     (unsigned char)jf, k };
	return c->n++;
}

/* A JA's target is known now: patch the offset. */
static void land(struct cc *c, int ja)
{
	if (ja < SC_FILTER_MAX && !c->dry)
		c->out[ja].k = (unsigned)(c->n - ja - 1);
}

/* One condition; each failing branch is a JA, listed in fails[]. */
static void condition(struct cc *c, const struct sc_cond *d, int *fails,
		      int *nf)
{
	unsigned hi = (unsigned)(d->value >> 32), lo = (unsigned)d->value;
	unsigned hi2 = (unsigned)(d->value_two >> 32), lo2 = (unsigned)d->value_two;
	int op = d->op, i = d->index;
	/* GT and GE fail when lower; LT and LE are their negations */
	unsigned short cmp = op == SC_GT || op == SC_LE ? JGT : JGE;

	if (c->is64 && op == SC_MASKED_EQ) {
		emit(c, LD_ABS, OFF_HI(i), 0, 0);
		emit(c, AND_K, hi, 0, 0);
		emit(c, JEQ, hi2, 1, 0);
		fails[(*nf)++] = emit(c, JA, 0, 0, 0);
	} else if (c->is64 && (op == SC_EQ || op == SC_NE)) {
		emit(c, LD_ABS, OFF_HI(i), 0, 0);
		if (op == SC_EQ) {
			emit(c, JEQ, hi, 1, 0);
			fails[(*nf)++] = emit(c, JA, 0, 0, 0);
		} else {
			emit(c, JEQ, hi, 0, 3);         /* differs: holds */
		}
	} else if (c->is64) {   /* LT LE GT GE: the high half decides ... */
		int up = op == SC_GT || op == SC_GE;
		emit(c, LD_ABS, OFF_HI(i), 0, 0);
		emit(c, JGT, hi, up ? 5 : 4, 0);    /* GT/GE: holds; LT/LE: fails */
		emit(c, JEQ, hi, 1, 0);             /* ... unless it is equal */
		if (up)
			fails[(*nf)++] = emit(c, JA, 0, 0, 0);
		else
			emit(c, JA, 3, 0, 0);       /* high lower: holds */
	}
	emit(c, LD_ABS, OFF_LO(i), 0, 0);
	if (op == SC_MASKED_EQ)
		emit(c, AND_K, lo, 0, 0);
	if (op == SC_EQ || op == SC_MASKED_EQ)
		emit(c, JEQ, op == SC_EQ ? lo : lo2, 1, 0);
	else if (op == SC_NE)
		emit(c, JEQ, lo, 0, 1);
	else if (op == SC_GT || op == SC_GE)
		emit(c, cmp, lo, 1, 0);
	else
		emit(c, cmp, lo, 0, 1);
	fails[(*nf)++] = emit(c, JA, 0, 0, 0);
}

/* All of conds: the action; else on to what follows. */
static void conditions(struct cc *c, unsigned action,
		       const struct sc_cond *conds, int n)
{
	int fails[12], nf = 0;

	for (int i = 0; i < n; i++)
		condition(c, &conds[i], fails, &nf);
	emit(c, RET, action, 0, 0);
	for (int i = 0; i < nf; i++)
		land(c, fails[i]);
}

static int index_twice(const struct sc_rule *r)
{
	unsigned seen = 0;

	for (int i = 0; i < r->nconds; i++) {
		if (seen & 1u << r->conds[i].index)
			return 1;
		seen |= 1u << r->conds[i].index;
	}
	return 0;
}

/* One rule; 1 when it ends the chain (it has no conditions). */
static int rule(struct cc *c, const struct sc_rule *r)
{
	if (r->nconds == 0) {
		emit(c, RET, r->action, 0, 0);
		return 1;
	}
	if (index_twice(r))
		for (int i = 0; i < r->nconds; i++)
			conditions(c, r->action, &r->conds[i], 1);
	else
		conditions(c, r->action, r->conds, r->nconds);
	return 0;
}

/* The rules of the names at pts[first, first + n), which share a number:
 * TIOCSTI's for ioctl, the profile's conditional ones in its order, then
 * its first unconditional one, else the default. */
static void chain(struct cc *c, int first, int n)
{
	int ioctl = 0, pass, k;

	for (int i = first; i < first + n; i++) {
		int name = c->pts[i].name;
		ioctl |= name == c->ioctl;
		for (k = c->at[name]; k < c->at[name + 1]; k++)
			c->hit[c->by_name[k]] = 1;
	}
	if (ioctl) {
		rule(c, &tty_rules[0]);
		rule(c, &tty_rules[1]);
	}
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < c->nlive; k++)
			if (c->hit[k] && (c->live[k]->nconds > 0) == !pass &&
			    rule(c, c->live[k]))
				break;
	memset(c->hit, 0, (size_t)c->nlive);
	if (k == c->nlive)
		emit(c, RET, c->p->default_action, 0, 0);
}

/* 1 and *ret when the names' outcome needs no argument: one return. */
static int simple(struct cc *c, int first, int n, unsigned *ret)
{
	int best = c->nlive;

	for (int i = first; i < first + n; i++) {
		int name = c->pts[i].name;
		if (name == c->ioctl)
			return 0;
		for (int k = c->at[name]; k < c->at[name + 1]; k++) {
			if (c->live[c->by_name[k]]->nconds)
				return 0;
			if (c->by_name[k] < best)
				best = c->by_name[k];
		}
	}
	*ret = best < c->nlive ? c->live[best]->action : c->p->default_action;
	return 1;
}

/* The balanced search over iv[lo, hi]: A holds the number.  "At or above
 * the middle" jumps over the left half when it is near enough (255), or
 * to a JA over it; the left half is measured first by a dry run. */
static void tree(struct cc *c, int lo, int hi)
{
	if (lo == hi) {
		if (c->iv[lo].n)
			chain(c, c->iv[lo].first, c->iv[lo].n);
		else
			emit(c, RET, c->iv[lo].ret, 0, 0);
		return;
	}
	int mid = (lo + hi + 1) / 2, at = c->n, dry = c->dry, left;

	c->dry = 1;             /* how long is the left half? */
	tree(c, lo, mid - 1);
	left = c->n - at;
	c->n = at;
	c->dry = dry;
	if (left <= 255) {      /* near: the conditional jump itself */
		emit(c, JGE, (unsigned)c->iv[mid].start, left, 0);
		tree(c, lo, mid - 1);
		tree(c, mid, hi);
		return;
	}
	emit(c, JGE, (unsigned)c->iv[mid].start, 0, 1);
	int right = emit(c, JA, 0, 0, 0);       /* far: through a JA */
	tree(c, lo, mid - 1);
	land(c, right);
	tree(c, mid, hi);
}

/* By number: an insertion sort (a few hundred, nearly in order). */
static void sort_points(struct point *p, int n)
{
	for (int i = 1; i < n; i++) {
		struct point x = p[i];
		int k = i;
		for (; k > 0 && p[k - 1].nr > x.nr; k--)
			p[k] = p[k - 1];
		p[k] = x;
	}
}

/* Add an interval; neighbours with the same single return merge. */
static void add(struct cc *c, int *n, unsigned long long start, unsigned ret,
		int first, int len)
{
	if (*n && !len && !c->iv[*n - 1].n && c->iv[*n - 1].ret == ret)
		return;
	c->iv[(*n)++] = (struct interval){ start, ret, first, len };
}

/* The intervals of one ABI's numbers, from *n on. */
static void intervals(struct cc *c, const struct sc_arch *a, int listed,
		      int *n, int *npts)
{
	unsigned def = listed ? c->p->default_action : c->bad_arch, ret;
	unsigned long long next = a->first;
	int base = *npts, np = base;

	for (int i = 0; listed && i < sc_nnames; i++) {
		unsigned v = a->nr[i];
		if (v == 0xffff || (c->at[i] == c->at[i + 1] && i != c->ioctl))
			continue;       /* absent, or no rule: the default */
		c->pts[np++] = (struct point){ a->first + (v >= 0xf000 ?
			0xf0000 + v - 0xf000 : v), i };
	}
	sort_points(c->pts + base, np - base);
	*npts = np;
	for (int i = base, g; i < np; i = g) {
		for (g = i; g < np && c->pts[g].nr == c->pts[i].nr; g++)
			;
		if (c->pts[i].nr > next)
			add(c, n, next, def, 0, 0);
		if (simple(c, i, g - i, &ret))
			add(c, n, c->pts[i].nr, ret, 0, 0);
		else
			add(c, n, c->pts[i].nr, 0, i, g - i);
		next = c->pts[i].nr + 1ULL;
	}
	if (next <= a->last)
		add(c, n, next, def, 0, 0);
}

/* One section: the numbers of every ABI with this AUDIT_ARCH value. */
static void section(struct cc *c, unsigned audit, unsigned arches, int *npts)
{
	int n = 0;

	c->is64 = -1;   /* the first ABI's: x32's calls pass 64-bit registers */
	for (int r = 0; r < sc_narches; r++) {
		if (sc_arches[r].audit != audit)
			continue;
		if (c->is64 < 0)
			c->is64 = sc_arches[r].is64;
		intervals(c, &sc_arches[r], !!(arches & sc_arches[r].bit), &n,
			  npts);
	}
	emit(c, LD_ABS, OFF_NR, 0, 0);
	tree(c, 0, n - 1);
}

/* The rules this container has (capabilities, kernel), and for each
 * name the numbers of its rules: by_name[at[name] .. at[name + 1]). */
static int live_rules(struct cc *c, unsigned long long caps, int kernel)
{
	int total = 0;

	for (int i = 0; i < c->p->nrules; i++) {
		const struct sc_rule *r = &c->p->rules[i];
		if ((r->caps_in & ~caps) || (r->caps_out & caps) ||
		    (r->kernel_in && kernel < r->kernel_in) ||
		    (r->kernel_out && kernel >= r->kernel_out))
			continue;
		c->live[c->nlive++] = r;
		total += r->nnames;
		for (int k = 0; k < r->nnames; k++)
			c->at[r->names[k] + 1]++;
	}
	for (int i = 0; i < sc_nnames; i++)
		c->at[i + 1] += c->at[i];
	if (!(c->by_name = malloc(((size_t)total + 1) * sizeof *c->by_name)))
		return -1;
	for (int k = 0; k < c->nlive; k++)     /* at[name]: where next */
		for (int i = 0; i < c->live[k]->nnames; i++)
			c->by_name[c->at[c->live[k]->names[i]]++] = k;
	for (int i = sc_nnames; i > 0; i--)     /* at[name]: its first */
		c->at[i] = c->at[i - 1];
	c->at[0] = 0;
	return 0;
}

/* Row r is the first of its AUDIT_ARCH, and the profile lists an ABI of
 * it (x86_64 and x32 share one). */
static int audit_listed(int r, unsigned arches)
{
	int listed = 0;

	for (int k = 0; k < sc_narches; k++) {
		if (sc_arches[k].audit != sc_arches[r].audit)
			continue;
		if (k < r)
			return 0;
		listed |= (arches & sc_arches[k].bit) != 0;
	}
	return listed;
}

/*
 * The filter of profile p for a container with the capabilities caps
 * (the bounding set) on a kernel major << 16 | minor, into out (room for
 * SC_FILTER_MAX).  The number of instructions, or -1 and *why.
 */
int seccomp_compile(const struct sc_profile *p, unsigned long long caps,
		    int kernel, struct sock_filter *out, const char **why)
{
	struct cc c = { .out = out, .p = p, .ioctl = sc_name_index("ioctl") };
	unsigned arches = p->arches ? p->arches : sc_arches[0].bit;
	unsigned d = p->default_action & 0xffff0000u;
	int jumps[8], nj = 0, npts = 0;

	*why = "out of memory";
	/* an ABI the profile leaves out: refused, never let through */
	c.bad_arch = d == SC_RET_ALLOW || d == SC_RET_LOG || d == SC_RET_TRACE ?
		     SC_RET_KILL_PROCESS : p->default_action;
	c.live = malloc(((size_t)p->nrules + 1) * sizeof *c.live);
	c.at = calloc((size_t)sc_nnames + 1, sizeof *c.at);
	c.hit = calloc((size_t)p->nrules + 1, 1);
	c.pts = malloc((size_t)(sc_nnames * sc_narches) * sizeof *c.pts);
	/* per ABI at most a gap before each point, and one after the last */
	c.iv = malloc((size_t)((2 * sc_nnames + 1) * sc_narches) * sizeof *c.iv);
	if (!c.live || !c.at || !c.hit || !c.pts || !c.iv ||
	    live_rules(&c, caps, kernel) < 0)
		return -1;
	emit(&c, LD_ABS, OFF_ARCH, 0, 0);
	for (int r = 0; r < sc_narches; r++)    /* one entry per AUDIT_ARCH */
		if (audit_listed(r, arches)) {
			emit(&c, JEQ, sc_arches[r].audit, 0, 1);
			jumps[nj++] = emit(&c, JA, 0, 0, 0);
		}
	emit(&c, RET, c.bad_arch, 0, 0);
	for (int r = 0, k = 0; r < sc_narches; r++)
		if (audit_listed(r, arches)) {
			land(&c, jumps[k++]);
			section(&c, sc_arches[r].audit, arches, &npts);
		}
	/* not freed: minictr has no free(); it execs or exits soon after */
	*why = "more than 4096 BPF instructions, the kernel's limit";
	return c.n > SC_FILTER_MAX ? -1 : c.n;
}
