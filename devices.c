/*
 * devices.c - the device policy: which device nodes a container may
 * make (mknod), read and write, from config.json's
 * linux.resources.devices, compiled for the two kernels' ways of saying
 * it.  Pure: rules in, lines or instructions out (cgroup_devices.c
 * applies them).
 *
 * Why it matters: a device node is only a name for (type, major, minor);
 * with CAP_MKNOD, which docker, containerd and podman all grant, a
 * container can make /dev/sda (b 8:0) anywhere and read the host's disk.
 * The policy is what stops that, in the open(2) of the node, with EPERM.
 *
 * The rules (the runtime spec's config-linux.md, "Device allowlist"):
 * {allow, type a|b|c, major, minor (absent or -1: any), access "rwm"}.
 * A list is read as runc reads it: everything denied at first, then each
 * rule in order, a later one overriding an earlier one where they overlap
 * (runc's device emulator replays them so; its v2 filter tries them from
 * the last, the first match deciding), and runc's own allow list after
 * the config's (libcontainer/specconv's AllowedDevices: mknod of any
 * node, null, zero, full, random, urandom, tty, console, ptmx, the pts
 * nodes, tun), so a config cannot take those away: what docker sends is
 * "deny all" then its few, and mknod stays allowed while open is not.
 * An empty access is refused, as runc does; unknown letters too.
 *
 * Two targets:
 *   v1: the devices controller.  devices.deny "a" (the kernel's word for
 *       "all devices, all access": it empties the cgroup's exceptions and
 *       denies by default), then one devices.allow line per rule, "c 1:3
 *       rwm".  The kernel keeps a list of exceptions and removes one only
 *       on an exact match, so a deny cannot carve a hole in an earlier,
 *       wider allow: devices_v1() works out the end state itself and,
 *       where the kernel cannot say it exactly, says less (the wider allow
 *       loses the denied access): never more than the rules allow.
 *   v2: no controller; a BPF_PROG_TYPE_CGROUP_DEVICE program attached to
 *       the cgroup, run on every mknod and open of a device node with
 *       struct bpf_cgroup_dev_ctx { u32 access_type (the type in the low
 *       16 bits, the access in the high 16), major, minor } and returning
 *       1 (allowed) or 0 (EPERM).  One open asks several accesses at once
 *       (O_RDWR: read and write), and a rule may decide some of them
 *       only: the program walks the rules from the last, keeping the
 *       accesses still undecided and those allowed, and allows when
 *       every access asked was allowed by the last rule that speaks of it.
 *       Raw eBPF (no libbpf, no compiler): only loads, 32-bit ALU, jumps.
 * Man pages: mknod(2), bpf(2); the kernel's admin-guide/cgroup-v1/
 * devices.rst and cgroup-v2.rst ("Device controller").
 */
#include <stdio.h>
#include <string.h>

#include "minictr.h"

/* Everything denied (where every list starts: `run` uses the whole
 * table), then runc's allow list (AllowedDevices), which config.json's
 * rules get after their own. */
const struct dev_rule dev_defaults[] = {
	{ 'a', -1, -1, DEV_RWM, 0 },
	{ 'c', -1, -1, DEV_MKNOD, 1 },  /* mknod of any node: opening it */
	{ 'b', -1, -1, DEV_MKNOD, 1 },  /*   is what the policy decides */
	{ 'c', 1, 3, DEV_RWM, 1 },      /* null */
	{ 'c', 1, 8, DEV_RWM, 1 },      /* random */
	{ 'c', 1, 7, DEV_RWM, 1 },      /* full */
	{ 'c', 5, 0, DEV_RWM, 1 },      /* tty */
	{ 'c', 1, 5, DEV_RWM, 1 },      /* zero */
	{ 'c', 1, 9, DEV_RWM, 1 },      /* urandom */
	{ 'c', 5, 1, DEV_RWM, 1 },      /* console */
	{ 'c', 136, -1, DEV_RWM, 1 },   /* pts */
	{ 'c', 5, 2, DEV_RWM, 1 },      /* ptmx */
	{ 'c', 10, 200, DEV_RWM, 1 },   /* tun */
};
const int dev_ndefaults = sizeof dev_defaults / sizeof *dev_defaults;

/* "rwm" into access bits; -1 for an empty word or another letter. */
static int access_bits(const char *s)
{
	int bits = 0;

	for (; *s; s++) {
		const char *p = strchr("mrw", *s);
		if (!p)
			return -1;
		bits |= 1 << (p - "mrw");       /* DEV_MKNOD, _READ, _WRITE */
	}
	return bits ? bits : -1;
}

/*
 * One rule, its members as config.json gives them (type and access: NULL
 * when absent; major and minor: -1 when absent or null), into r, and
 * into r[1] when type "a" names fewer than all devices (a "b" and a "c"
 * rule: v1 knows "a" only as everything).  The number of rules, or -1
 * and *why.
 */
int devices_rule(int allow, const char *type, const char *access,
		 long long major, long long minor, struct dev_rule *r,
		 const char **why)
{
	int bits = access ? access_bits(access) : -1;

	if (allow < 0)
		return *why = "allow: true or false", -1;
	if (!type)
		type = "a";     /* the spec: unset means all */
	if (strcmp(type, "a") && strcmp(type, "b") && strcmp(type, "c"))
		return *why = "type: a, b or c", -1;
	if (bits < 0)
		return *why = "access: cannot be empty; letters r, w and m", -1;
	if (major < -1 || major > 4095 || minor < -1 || minor > 1048575)
		return *why = "major: -1 or 0 to 4095; minor: -1 or 0 to "
			      "1048575", -1;
	*r = (struct dev_rule){ type[0], (int)major, (int)minor,
				(unsigned char)bits, (unsigned char)allow };
	if (r->type != 'a' || (r->major < 0 && r->minor < 0 &&
			       r->access == DEV_RWM))
		return 1;
	r[1] = r[0];
	r[0].type = 'b';
	r[1].type = 'c';
	return 2;
}

/* Does rule a speak of every device rule b speaks of? */
static int covers(const struct dev_rule *a, const struct dev_rule *b)
{
	return (a->type == 'a' || a->type == b->type) &&
	       (a->major < 0 || a->major == b->major) &&
	       (a->minor < 0 || a->minor == b->minor);
}

static int overlap(const struct dev_rule *a, const struct dev_rule *b)
{
	return (a->type == 'a' || b->type == 'a' || a->type == b->type) &&
	       (a->major < 0 || b->major < 0 || a->major == b->major) &&
	       (a->minor < 0 || b->minor < 0 || a->minor == b->minor);
}

/* A later rule r of the default's own kind takes its access away from
 * the exceptions it meets: all of them where it covers them; where it
 * only overlaps one, the exception keeps whatever side is stricter (a
 * narrower deny shrinks a wider allow; a narrower allow leaves a deny). */
static int settle(struct dev_rule *e, int n, const struct dev_rule *r)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (covers(r, &e[i]) || (overlap(r, &e[i]) && !r->allow))
			e[i].access &= (unsigned char)~r->access;
		if (e[i].access)
			e[k++] = e[i];
	}
	return k;
}

/*
 * v1: the lines to write, in order, into out (room for n + 1): out[0]
 * is the default, type 'a' ("a" into devices.deny or devices.allow), the
 * rest the exceptions, each into the other file.  The number of lines.
 */
int devices_v1(const struct dev_rule *r, int n, struct dev_rule *out)
{
	int k = 0;

	out[0] = dev_defaults[0];
	for (int i = 0; i < n; i++) {
		if (r[i].type == 'a') {         /* everything: a new start */
			out[0].allow = r[i].allow;
			k = 0;
		} else if (r[i].allow != out[0].allow) {
			out[1 + k++] = r[i];
		} else {
			k = settle(out + 1, k, &r[i]);
		}
	}
	return k + 1;
}

/* One v1 line: "a", or "c 1:3 rwm", "b *:* m"; buf has 32 bytes. */
const char *devices_line(const struct dev_rule *r, char *buf)
{
	char *p = buf;

	*p++ = r->type;
	if (r->type != 'a') {
		p += snprintf(p, 28, r->major < 0 ? " *:" : " %d:", r->major);
		p += snprintf(p, 16, r->minor < 0 ? "* " : "%d ", r->minor);
		for (int b = 1; b < 4; b++)     /* r, w, m: the usual order */
			if (r->access & 1 << b % 3)
				*p++ = "mrw"[b % 3];
	}
	*p = '\0';
	return buf;
}

/* eBPF's instruction encoding (linux/bpf.h), as much as is used here */
#define LDX_W   0x61            /* BPF_LDX | BPF_MEM | BPF_W */
#define MOV_K   0xb4            /* BPF_ALU | BPF_MOV | BPF_K (32-bit) */
#define MOV_X   0xbc
#define AND_K   0x54
#define AND_X   0x5c
#define OR_X    0x4c
#define RSH_K   0x74
#define JEQ_K   0x15            /* BPF_JMP | BPF_JEQ | BPF_K */
#define JEQ_X   0x1d
#define JNE_K   0x55
#define EXIT    0x95
/* the registers: the context, then what is read from it */
enum { R0, R1, R2_TYPE, R3_ACCESS, R4_MAJOR, R5_MINOR, R6_OPEN, R7_OK };

static struct bpf_insn insn(unsigned char code, int dst, int src, int off,
			    int imm)
{
	return (struct bpf_insn){ code, (unsigned char)(dst | src << 4),
				  (short)off, imm };
}

/* One rule, tried on the accesses still open: its tests (each jumps
 * past the rule when the device differs), then its decision. */
static int compile_rule(const struct dev_rule *r, struct bpf_insn *p)
{
	int n = 0, tests = (r->type != 'a') + (r->major >= 0) +
			   (r->minor >= 0);
	int body = r->allow ? 5 : 2;    /* the instructions after the tests */
	int type = r->type == 'b' ? DEV_BPF_BLOCK : DEV_BPF_CHAR;

	if (r->type != 'a')
		p[n++] = insn(JNE_K, R2_TYPE, 0, --tests + body, type);
	if (r->major >= 0)
		p[n++] = insn(JNE_K, R4_MAJOR, 0, --tests + body, r->major);
	if (r->minor >= 0)
		p[n++] = insn(JNE_K, R5_MINOR, 0, --tests + body, r->minor);
	if (r->allow) {                 /* ok |= open & access */
		p[n++] = insn(MOV_X, R1, R6_OPEN, 0, 0);
		p[n++] = insn(AND_K, R1, 0, 0, r->access);
		p[n++] = insn(OR_X, R7_OK, R1, 0, 0);
	}
	p[n++] = insn(AND_K, R6_OPEN, 0, 0, ~(int)r->access);
	p[n++] = insn(JEQ_K, R6_OPEN, 0, 0, 0);        /* patched: to the end */
	return n;
}

/*
 * v2: the program into out (room for DEV_BPF_MAX(n)); its length.  The
 * rules are tried from the last: the last one that speaks of an access
 * decides it.  Accesses no rule decides are denied.  A jump's offset is
 * 16 bits: n stays below 4000 (config.c allows 2 * DEV_RULES_MAX + 12,
 * and one more a linux.devices node: at most DEV_RULES_MAX of them).
 */
int devices_bpf(const struct dev_rule *r, int n, struct bpf_insn *out)
{
	int k = 0, end;

	out[k++] = insn(LDX_W, R2_TYPE, R1, 0, 0);      /* access_type */
	out[k++] = insn(LDX_W, R4_MAJOR, R1, 4, 0);
	out[k++] = insn(LDX_W, R5_MINOR, R1, 8, 0);
	out[k++] = insn(MOV_X, R3_ACCESS, R2_TYPE, 0, 0);
	out[k++] = insn(RSH_K, R3_ACCESS, 0, 0, 16);
	out[k++] = insn(AND_K, R2_TYPE, 0, 0, 0xffff);
	out[k++] = insn(MOV_X, R6_OPEN, R3_ACCESS, 0, 0);
	out[k++] = insn(MOV_K, R7_OK, 0, 0, 0);
	for (int i = n - 1; i >= 0; i--)
		k += compile_rule(&r[i], out + k);
	end = k;
	out[k++] = insn(MOV_K, R0, 0, 0, 1);            /* ok == asked: 1 */
	out[k++] = insn(JEQ_X, R7_OK, R3_ACCESS, 1, 0);
	out[k++] = insn(MOV_K, R0, 0, 0, 0);
	out[k++] = insn(EXIT, 0, 0, 0, 0);
	for (int i = 0; i < end; i++)   /* nothing open: straight to the end */
		if (out[i].code == JEQ_K && out[i].regs == R6_OPEN)
			out[i].off = (short)(end - i - 1);
	return k;
}
