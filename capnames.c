/*
 * capnames.c - capabilities by name, and docker's rule for --cap-add,
 * --cap-drop and --privileged (pure: unit-tested in test/unit_users.c).
 *
 * capabilities(7) numbers them 0 (CAP_CHOWN) to 40 (CAP_CHECKPOINT_
 * RESTORE, Linux 5.9).  Names are accepted as docker accepts them: with or
 * without "CAP_", in any case ("net_admin", "CAP_NET_ADMIN"), and "ALL".
 * A bit past the running kernel's last capability is harmless: capset(2)
 * masks it off, and PR_CAPBSET_DROP stops at the last (caps.c).
 *
 * Docker's rule (TweakCapabilities in moby's oci/caps), applied in this
 * order, so the order of the options on the command line never matters:
 *   --privileged           every capability
 *   --cap-add ALL          every capability but those dropped
 *   --cap-drop ALL         only those added
 *   otherwise              the base set, less those dropped, plus those
 *                          added (a capability both added and dropped
 *                          is kept)
 * The base set is docker's default less CAP_MKNOD with --rootfs
 * (CAPS_DEFAULT), and every capability without it: the host's / is the
 * container's root then, as it is root's on the host.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "minictr.h"

/* capabilities(7), by bit: the names config.json and docker use. */
static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
	"SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
	"MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

/* The name of capability bit, without "CAP_", or NULL. */
const char *cap_name(int bit)
{
	if (bit < 0 || bit >= (int)(sizeof cap_names / sizeof *cap_names))
		return NULL;
	return cap_names[bit];
}

/*
 * "NET_ADMIN", "cap_net_admin": its mask; "ALL": ~0ULL; 0 for a name
 * capabilities(7) does not have.  strict: config.json's spelling only,
 * "CAP_" and capitals (runc's rule), and no ALL.
 */
unsigned long long cap_mask(const char *name, int strict)
{
	int (*cmp)(const char *, const char *) = strict ? strcmp : strcasecmp;

	if (!strict && strcasecmp(name, "ALL") == 0)
		return ~0ULL;           /* not "CAP_ALL": docker's rule */
	if (strict ? strncmp(name, "CAP_", 4) == 0 :
	    strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	else if (strict)
		return 0;
	for (size_t i = 0; i < sizeof cap_names / sizeof *cap_names; i++)
		if (cmp(name, cap_names[i]) == 0)
			return 1ULL << i;
	return 0;
}

/* Docker's rule, above: add and drop are masks, ~0ULL for ALL.  (With
 * both ALL, docker keeps all but the capabilities also dropped by name;
 * here ALL swallows those names, and all are kept.) */
unsigned long long cap_tweak(unsigned long long base, unsigned long long add,
			     unsigned long long drop, int privileged)
{
	if (privileged || (add == ~0ULL && drop == ~0ULL))
		return CAPS_ALL;
	if (add == ~0ULL)
		return CAPS_ALL & ~drop;
	if (drop == ~0ULL)
		return add;
	return (base & ~drop) | add;
}
