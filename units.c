/*
 * units.c - the values of the limit and mount options, as pure functions.
 *
 * A string goes in, a number (or the pieces of a volume) comes out; no
 * printing, no allocation, no globals, no libc parsing (strtol accepts
 * "  +12", "0x1f" and silently saturates; these functions accept exactly
 * the documented syntax and report overflow).  That is what lets
 * test/unit_units.c check them as tables, and a fuzzer call them with
 * anything.  args.c decides which values are meaningful for an option.
 *
 *   parse_whole     "42"                 digits only, up to a maximum
 *   parse_size      "64m", "1G", "4096"  bytes as the kernel reads size=
 *   ram_in_bytes    "64mb", "1.5 GiB"    bytes as docker reads -m
 *   parse_cpus      ".5", "1/2" -> 5e8   CPUs as docker reads --cpus
 *   parse_cpu_list  "0-1,3"              the kernel's cpu list syntax
 *   cpu_list_within "1" within "0-1"     a list's CPUs all in another
 *   volume_split    "/a:/b:ro"           HOST:CONTAINER[:ro|:rw]
 *   tmpfs_split     "/run:size=64m,exec" PATH[:OPTIONS] of --tmpfs
 *   format_size     33554432 -> "32M"    the way back, for messages
 *
 * Man pages: cpuset(7) ("List format"), docker-run(1) (--memory, --cpus,
 * --tmpfs), tmpfs(5), mount(8) ("FILESYSTEM-INDEPENDENT MOUNT OPTIONS").
 */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "minictr.h"

#define LLONG_LIMIT 9223372036854775807LL

/* Digits only, no sign, no spaces; *out <= max.  0 on success, else -1. */
int parse_whole(const char *s, long long max, long long *out)
{
	long long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > max / 10 || n * 10 > max - (*s - '0'))
			return -1;      /* not (max - digit) / 10: -1 / 10 is 0 */
		n = n * 10 + (*s - '0');
	}
	*out = n;
	return 0;
}

/*
 * Bytes as the kernel's memparse() reads tmpfs(5)'s size=: digits, then
 * nothing or one of k, m, g, t, p, e (any case) for 2^10 ... 2^60.  This
 * is --tmpfs size= (docker hands its options to the kernel unread, so
 * "64mb" fails there as here) and config.json's.  Not the kernel's "0x"
 * and octal forms, nor its "50%": one way each.
 */
int parse_size(const char *s, long long *out)
{
	static const char suffixes[] = "kmgtpe";
	char digits[24];
	size_t len = strlen(s);
	const char *unit;
	long long n;
	int shift = 0;

	if (len == 0 || len >= sizeof digits)
		return -1;
	unit = strchr(suffixes, s[len - 1] | 0x20);     /* | 0x20: lower case */
	if (unit) {
		shift = 10 * (int)(unit - suffixes + 1);
		len--;
	}
	memcpy(digits, s, len);
	digits[len] = '\0';
	if (parse_whole(digits, LLONG_LIMIT >> shift, &n) < 0)
		return -1;
	*out = n << shift;
	return 0;
}

/*
 * A decimal number as Go's strconv.ParseFloat and big.Rat read one, the
 * way docker reads -m and --cpus: an optional sign, digits with at most
 * one '.' and at least one digit ("5", ".5", "5."), an optional exponent
 * ("1e3", "25E-2").  Not Go's "0x1p4", "inf" or "1_000".  Computed
 * exactly, not in floating point: the digits and where the point falls.
 */
#define DECIMAL_DIGITS 40       /* after the leading zeros */
struct decimal {
	char digit[DECIMAL_DIGITS];     /* the digits, without the '.' */
	int n;
	int point;      /* how many digits come before the point, exponent
			 * applied, within +-64 (where nothing changes) */
	int negative;
};

/* "e-12": the exponent after a number, into *exp (saturated).  Moves *s. */
static int scan_exponent(const char **s, int *exp)
{
	const char *p = *s + 1;
	int sign = 1;

	*exp = 0;
	if ((**s | 0x20) != 'e')
		return 0;       /* (p is not read: it may be past the end) */
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		*exp = *exp > 999 ? 999 : *exp * 10 + (*p - '0');
	*exp *= sign;
	*s = p;
	return 0;
}

/* Scan a decimal at the start of s: where it ends, or NULL. */
static const char *scan_decimal(const char *s, struct decimal *d)
{
	int dot = -1, seen = 0, exp;

	d->n = 0;
	d->negative = *s == '-';
	s += *s == '-' || *s == '+';
	for (; (*s >= '0' && *s <= '9') || (*s == '.' && dot < 0); s++) {
		if (*s == '.') {
			dot = d->n;
			continue;
		}
		seen = 1;
		if (*s == '0' && d->n == 0 && dot < 0)
			continue;       /* a leading zero: "007" is "7" */
		if (d->n == DECIMAL_DIGITS)
			return NULL;
		d->digit[d->n++] = *s;
	}
	if (!seen || scan_exponent(&s, &exp) < 0)
		return NULL;
	d->point = (dot < 0 ? d->n : dot) + exp;
	d->point = d->point > 64 ? 64 : d->point < -64 ? -64 : d->point;
	return s;
}

/* A minus sign is refused but on a zero ("-0"), as docker does. */
static int decimal_sign_ok(const struct decimal *d)
{
	for (int i = 0; i < d->n; i++)
		if (d->digit[i] != '0')
			return !d->negative;
	return 1;
}

/*
 * floor(d * 10^p10 * 2^shift) into *out, at most max, else -1; *exact
 * is 0 when something was cut off.  The fraction is its first 18 digits
 * over 10^18, doubled shift times (a binary long division): no overflow
 * and no 128-bit arithmetic, which armhf lacks.
 */
static int decimal_value(const struct decimal *d, int p10, int shift,
			 long long max, long long *out, int *exact)
{
	const long long one = 1000000000000000000LL;    /* 10^18 */
	long long whole = 0, frac = 0, q = 0;
	int point = d->point + p10, i;

	for (i = 0; i < point; i++) {
		int digit = i < d->n ? d->digit[i] - '0' : 0;
		if (whole > (max >> shift) / 10 ||
		    whole * 10 > (max >> shift) - digit)
			return -1;
		whole = whole * 10 + digit;
	}
	for (i = point; i < point + 18; i++)
		frac = frac * 10 + (i >= 0 && i < d->n ? d->digit[i] - '0' : 0);
	*exact = 1;
	for (i = point + 18 < 0 ? 0 : point + 18; i < d->n; i++)
		*exact &= d->digit[i] == '0';
	for (i = 0; i < shift; i++) {
		frac *= 2;
		q = q * 2 + (frac >= one);
		frac -= frac >= one ? one : 0;
	}
	*exact &= frac == 0;
	whole <<= shift;
	if (whole > max - q)
		return -1;
	*out = whole + q;
	return 0;
}

/* RAMInBytes's unit: "", b, or k, m, g, t, p alone or followed by b or
 * ib, any case.  Its power of 2, or -1. */
static int ram_unit(const char *s)
{
	static const char units[] = "kmgtp";
	const char *u = strchr(units, *s | 0x20);

	if (!*s || ((*s | 0x20) == 'b' && !s[1]))
		return 0;
	if (!u)
		return -1;
	s++;
	if ((s[0] | 0x20) == 'i' && (s[1] | 0x20) == 'b')
		s += 2;
	else if ((*s | 0x20) == 'b')
		s++;
	return *s ? -1 : 10 * (int)(u - units + 1);
}

/*
 * Bytes as docker reads -m, --memory-swap and --shm-size (go-units'
 * RAMInBytes): a decimal, at most one space, a unit of ram_unit(), always
 * a multiple of 1024: "64m", "64mb", "64 MiB", "1.5g", ".5g", "1e3" are
 * bytes, truncated ("0.3k" is 307).  Refused (-1): "64ki", " 64", "64  m",
 * a sign but for "-0".  Refused as too large (-2): RAM_BYTES_MAX and more.
 * docker 20.10 computes the number as a float64 times the unit, then
 * int64(): 2^63 - 512 bytes and more round to 2^63, which becomes
 * -2^63 on x86_64, and its daemon refuses that ("Minimum memory limit
 * allowed is 6MB").  Whatever the unit, that is where the float rounds
 * up, so the edge is one number of bytes, computed here exactly.
 */
int ram_in_bytes(const char *s, long long *out)
{
	struct decimal d;
	const char *unit = scan_decimal(s, &d);
	int shift, exact;

	if (!unit)
		return -1;
	unit += *unit == ' ';
	shift = ram_unit(unit);
	if (shift < 0 || !decimal_sign_ok(&d))
		return -1;
	if (decimal_value(&d, 0, shift, RAM_BYTES_MAX, out, &exact) < 0)
		return -2;
	return 0;
}

/* "1/2": a fraction of whole numbers, the numerator scanned into d.  Go
 * reads "010" in octal there: a leading 0 is refused, not misread. */
static int cpu_fraction(const char *s, const struct decimal *d,
			const char *slash, long long *nano)
{
	long long a, b;
	int exact;

	s += *s == '-' || *s == '+';
	if ((*s == '0' && s + 1 != slash) || slash[1] == '0' ||
	    strspn(s, "0123456789") != (size_t)(slash - s) ||
	    parse_whole(slash + 1, LLONG_LIMIT, &b) < 0 ||
	    decimal_value(d, 9, 0, LLONG_LIMIT, &a, &exact) < 0 || a % b)
		return -1;
	*nano = a / b;
	return 0;
}

/*
 * --cpus as docker reads it (big.Rat's SetString): a decimal ("1.5",
 * ".5", "1e-1") or a fraction ("1/2"), in billionths of a CPU; a value
 * that needs more than 9 decimals is refused, as docker's "value is too
 * precise", and so is a negative one ("-0" is 0).
 */
int parse_cpus(const char *s, long long *nano)
{
	struct decimal d;
	const char *end = scan_decimal(s, &d);
	int exact = 1;

	if (!end || !decimal_sign_ok(&d))
		return -1;
	if (*end == '/') {
		if (cpu_fraction(s, &d, end, nano) < 0)
			return -1;
	} else if (*end || decimal_value(&d, 9, 0, LLONG_LIMIT, nano,
					 &exact) < 0 || !exact) {
		return -1;
	}
	return 0;
}

/* One CPU number of a list: digits, at most CPU_LIST_MAX.  Moves *s. */
static int cpu_number(const char **s, long long *n)
{
	char digits[8];
	size_t len = 0;

	while ((*s)[len] >= '0' && (*s)[len] <= '9')
		len++;
	if (len == 0 || len >= sizeof digits)
		return -1;
	memcpy(digits, *s, len);
	digits[len] = '\0';
	*s += len;
	return parse_whole(digits, CPU_LIST_MAX, n);
}

/* One "N" or "N-M" (N <= M) of a CPU list.  Moves *s past it. */
static int cpu_range(const char **s, long long *first, long long *last)
{
	if (cpu_number(s, first) < 0)
		return -1;
	*last = *first;
	if (**s != '-')
		return 0;
	(*s)++;
	return cpu_number(s, last) < 0 || *last < *first ? -1 : 0;
}

/*
 * "0-1,3": CPU numbers and ascending ranges, separated by commas, as the
 * kernel writes cpuset.cpus.  Only the syntax is checked here; whether
 * those CPUs exist is the host's to say (cpu_list_within).
 */
int parse_cpu_list(const char *s)
{
	long long first, last;

	do {
		if (cpu_range(&s, &first, &last) < 0)
			return -1;
	} while (*s++ == ',');
	return s[-1] == '\0' ? 0 : -1;
}

/* cpu is in the (valid) list: 1, and *end is the last of its range. */
static int cpu_in_list(const char *list, long long cpu, long long *end)
{
	long long first, last;

	do {
		cpu_range(&list, &first, &last);
		if (first <= cpu && cpu <= last) {
			*end = last;
			return 1;
		}
	} while (*list++ == ',');
	return 0;
}

/*
 * Every CPU of the list want is one of the list have ("" has none):
 * 1 if so, 0 if not, -1 if either is not a CPU list.  have is what the
 * host offers, as the kernel writes it (cpuset.cpus.effective, or
 * /sys/devices/system/cpu/online), without its newline.
 */
int cpu_list_within(const char *want, const char *have)
{
	long long first, last, end;

	if (parse_cpu_list(want) < 0 || (*have && parse_cpu_list(have) < 0))
		return -1;
	do {
		cpu_range(&want, &first, &last);
		for (long long cpu = first; cpu <= last; cpu = end + 1)
			if (!*have || !cpu_in_list(have, cpu, &end))
				return 0;
	} while (*want++ == ',');
	return 1;
}

/* "..": a path component that would climb out of where it is put. */
static int has_dotdot(const char *path, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (path[i] == '.' && path[i + 1] == '.' &&
		    (i == 0 || path[i - 1] == '/') &&
		    (i + 2 == len || path[i + 2] == '/'))
			return 1;
	return 0;
}

/* What is wrong with a path inside the container, len bytes: 0 (nothing),
 * 1 (not absolute), 2 (a ".."), 3 ("/" itself, spelled "//" or "/."). */
/*
 * Is path /proc or inside it (//proc/x, /./proc too)?  The container's
 * own proc is mounted there after the volumes: one on /proc would be
 * hidden by it, or hide it, and runc refuses both ("cannot be mounted
 * because it is inside /proc").
 */
static int in_proc(const char *p, int len)
{
	int i = 0;

	for (;;) {
		while (i < len && p[i] == '/')
			i++;
		if (i < len && p[i] == '.' && (i + 1 == len || p[i + 1] == '/'))
			i++;    /* a "." component */
		else
			break;
	}
	return len - i >= 4 && memcmp(p + i, "proc", 4) == 0 &&
	       (len - i == 4 || p[i + 4] == '/');
}

static int target_problem(const char *path, int len)
{
	if (len < 1 || path[0] != '/')
		return 1;
	if (has_dotdot(path, (size_t)len))
		return 2;
	if (mount_depth(path, len) == 0)
		return 3;
	return in_proc(path, len) ? 4 : 0;
}

/*
 * "HOST:CONTAINER", "HOST:CONTAINER:ro" or "HOST:CONTAINER:rw" (docker's
 * default, spelled out), both absolute paths, no ".." in CONTAINER, and
 * CONTAINER not "/" itself.  Fills v with pointers into spec and lengths
 * (spec is not modified).  Returns NULL, or the reason.
 */
const char *volume_split(const char *spec, struct volume *v)
{
	static const char *const why[] = {
		NULL, "use HOST:CONTAINER[:ro|:rw], both absolute paths",
		"no '..' in CONTAINER", "CONTAINER cannot be /",
		"CONTAINER cannot be /proc or inside it: the container's "
		"own proc is mounted there",
	};
	const char *colon = strchr(spec, ':');
	const char *rest, *end;

	if (!colon || spec[0] != '/')
		return why[1];
	rest = colon + 1;
	end = strchr(rest, ':');
	v->ro = 0;
	if (end) {
		if (strcmp(end, ":ro") != 0 && strcmp(end, ":rw") != 0)
			return "after CONTAINER, only :ro or :rw";
		v->ro = end[2] == 'o';
	} else {
		end = rest + strlen(rest);
	}
	v->host = spec;
	v->host_len = (int)(colon - spec);
	v->target = rest;
	v->target_len = (int)(end - rest);
	return why[target_problem(rest, v->target_len)];
}

/* The flag words of --tmpfs, as mount(8) spells them: what each sets and
 * what it clears (the atime words exclude one another). */
static const struct {
	const char *word;
	unsigned long set, clear;
} tmpfs_words[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME },
	{ "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME },
	{ "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
};

/* "0755" -> 0755: 1 to 4 octal digits. */
static int parse_mode(const char *s, int len, int *mode)
{
	if (len < 1 || len > 4)
		return -1;
	*mode = 0;
	for (int i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		*mode = *mode * 8 + (s[i] - '0');
	}
	return 0;
}

/* One word of --tmpfs's OPTIONS (len bytes, not terminated) into t. */
static int tmpfs_word(const char *w, int len, struct tmpfs_spec *t)
{
	char value[24];

	if (len > 5 && memcmp(w, "size=", 5) == 0) {
		if (len - 5 >= (int)sizeof value)
			return -1;
		snprintf(value, sizeof value, "%.*s", len - 5, w + 5);
		return parse_size(value, &t->size);
	}
	if (len > 5 && memcmp(w, "mode=", 5) == 0)
		return parse_mode(w + 5, len - 5, &t->mode);
	for (size_t i = 0; i < sizeof tmpfs_words / sizeof tmpfs_words[0]; i++)
		if ((int)strlen(tmpfs_words[i].word) == len &&
		    memcmp(tmpfs_words[i].word, w, (size_t)len) == 0) {
			t->flags = (t->flags & ~tmpfs_words[i].clear) |
				   tmpfs_words[i].set;
			return 0;
		}
	return -1;
}

/*
 * docker's --tmpfs PATH[:OPTIONS]: PATH absolute, no "..", not "/";
 * OPTIONS comma-separated: size=BYTES (k, m, g), mode=OCTAL and the flag
 * words above, applied in order over docker's default
 * rw,nosuid,nodev,noexec.  Returns NULL, or the reason.
 */
const char *tmpfs_split(const char *spec, struct tmpfs_spec *t)
{
	static const char *const why[] = {
		NULL, "PATH must be absolute", "no '..' in PATH",
		"PATH cannot be /", "PATH cannot be /proc or inside it: the "
		"container's own proc is mounted there",
	};
	const char *colon = strchr(spec, ':'), *w;
	int problem;

	t->target = spec;
	t->target_len = colon ? (int)(colon - spec) : (int)strlen(spec);
	t->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	t->size = -1;
	t->mode = -1;
	problem = target_problem(spec, t->target_len);
	if (problem)
		return why[problem];
	for (w = colon; w; w = strchr(w, ',')) {
		int len = (int)strcspn(++w, ",");

		if (tmpfs_word(w, len, t) < 0)
			return "OPTIONS are size=BYTES[k|m|g|t|p|e], mode=OCTAL and ro, "
			       "rw, [no]suid, [no]dev, [no]exec, [no]atime, "
			       "[no]diratime, relatime, strictatime, "
			       "separated by commas";
	}
	return NULL;
}

/* 33554432 -> "32M": the largest unit that divides it exactly. */
const char *format_size(long long bytes, char *buf, size_t len)
{
	static const char units[] = "GMK";
	int shift = 30;

	for (const char *u = units; *u; u++, shift -= 10)
		if (bytes > 0 && bytes % (1LL << shift) == 0) {
			snprintf(buf, len, "%lld%c", bytes >> shift, *u);
			return buf;
		}
	snprintf(buf, len, "%lldB", bytes);
	return buf;
}
