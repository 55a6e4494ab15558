/*
 * boot.c - `minictr boot`: minictr as the init of a minimal machine, a
 * kernel, this one static binary and the application's root filesystem.
 *
 * The kernel runs rdinit=/minictr (or init=) as PID 1 with the words that
 * follow "--" on its command line, e.g.
 *     rdinit=/minictr -- boot run --rootfs /app /app/server
 * and the rest is minictr's normal `run` (main.c, run.c): one path.
 * Before it, what a machine needs and nothing more:
 *   - proc, sysfs, devtmpfs on /dev with devpts and shm, tmpfs on /run and
 *     /tmp, cgroup2 alone on /sys/fs/cgroup (pure v2: the limits);
 *   - stdin, stdout and stderr on /dev/console: the kernel opens it only
 *     if the initramfs has the node, and ours need not;
 *   - the hostname (--hostname, default "minictr"), lo up (ns.c);
 *   - reboot(2) CAD_OFF, first of all: Ctrl-Alt-Del then sends PID 1 a
 *     SIGINT instead of rebooting at once, and run.c stops the container
 *     (SIGTERM, then --stop-timeout) as for SIGTERM and SIGPWR; and it
 *     fails in any PID namespace but the first, where boot touches
 *     nothing (a container's PID 1 is not a machine's).
 * While the container runs, run_signals.c reaps every orphan (o->machine).
 * When it ends, one line the host can parse:
 *     minictr: container exited with status N
 * then sync, unmount, reboot(2) POWER_OFF.  A failure before the
 * container's command was started (a bad word, a mount, the config file,
 * a limit the kernel lacks, an execve that failed) prints its own line
 * and then
 *     minictr: boot failed
 * and powers off the same way.  Which line is run.c's to say (o->ran:
 * its status pipe closed by execve, or holding a report), not the
 * status's: a container may exit 125 or 127 itself.  qemu exits 0 either
 * way, so the host tells the two apart by the console's last minictr
 * line.  Init must never exit
 * (the kernel panics: "Attempted to kill init"), so every exit(3) of
 * PID 1, die() included, ends in power_off(), an atexit handler
 * registered first, hence run last (after cgroup.c's clean-up).
 *
 * Man pages: reboot(2), mount(2), sethostname(2), bootparam(7) (words
 * after "--" go to init; other words the kernel does not know, too).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/* What a machine needs mounted, in order: /dev before the console. */
static const struct machine_mount {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
} mounts[] = {
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	  "mode=0620,ptmxmode=0666" },
	{ "shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "cgroup2", "/sys/fs/cgroup", "cgroup2",
	  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
};
#define NMOUNTS (sizeof mounts / sizeof mounts[0])

static struct {
	int pid1;               /* we are the machine's init */
	int ran;                /* the container ran: status is its */
	int dry;                /* --dry-run: nothing was to run */
	int status;
	unsigned mounted;       /* bit i: mounts[i] is ours to unmount */
} machine;

/* atexit, last: the status line, then power off.  Never returns. */
static void power_off(void)
{
	if (getpid() != 1)
		return;         /* a child that exit()ed: not its machine */
	if (machine.dry)        /* no status line: nothing ran */
		error_line(0, "boot --dry-run: nothing ran");
	else if (machine.ran)
		error_line(0, "container exited with status %d", machine.status);
	else
		error_line(0, "boot failed");
	sync();
	for (int i = NMOUNTS - 1; i >= 0; i--)
		if (machine.mounted & 1u << i)
			umount2(mounts[i].target, MNT_DETACH);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)                /* only if the kernel cannot power off */
		pause();
}

/*
 * Are we the machine's init, not merely a PID namespace's PID 1 (a
 * container's, or `unshare -p -f minictr boot`, whose mounts would land
 * on the host's /dev, /proc and /sys)?  reboot(2) tells: CAD_OFF works
 * only in the first PID namespace (elsewhere EINVAL; EPERM without
 * CAP_SYS_BOOT), so the question is also the set-up: Ctrl-Alt-Del now
 * sends us SIGINT instead of rebooting at once.  Asked before anything
 * is mounted.
 */
static int machine_init(void)
{
	return reboot(RB_DISABLE_CAD) == 0;
}

/* 0, 1 and 2 on /dev/console, whatever the kernel left there. */
static void console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;         /* nothing to say it on: power off says it */
	for (int i = 0; i <= 2; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void mount_machine(void)
{
	for (size_t i = 0; i < NMOUNTS; i++) {
		const struct machine_mount *m = &mounts[i];

		mkdir(m->target, 0755);         /* EEXIST is fine */
		if (traced_mount(m->source, m->target, m->fstype, m->flags,
				 m->data) == 0)
			machine.mounted |= 1u << i;
		else if (errno != EBUSY)        /* EBUSY: the kernel's own */
			die("boot: mount %s on %s", m->fstype, m->target);
		if (i == 0)
			console();
	}
}

/* The file's words, then the command line's over them (bootconf.c). */
static void read_options(int argc, char *argv[], struct boot_opts *b)
{
	struct boot_opts first = { 0 };
	const char *path;
	char *text, **words;
	size_t len;
	int n;

	if (boot_args(argc, argv, &first) < 0) {
		*b = first;
		goto bad;
	}
	path = first.config ? first.config : BOOT_CONFIG;
	memset(b, 0, sizeof *b);
	if ((text = read_whole(path, &len))) {
		words = malloc((len / 2 + 2) * sizeof *words);
		if (!words)
			die("boot: %s", path);
		if ((n = boot_words(text, len, words, b)) < 0 ||
		    boot_args(n, words, b) < 0) {
			if (b->line)
				error_line(0, "boot: %s:%d: %s", path, b->line,
					   b->error);
			else
				error_line(0, "boot: %s: %s: '%s'", path,
					   b->error, b->word);
			exit(EXIT_SETUP);
		}
		if (b->config) {        /* else silently not read */
			error_line(0, "boot: %s: --config: only on the command "
				   "line", path);
			exit(EXIT_SETUP);
		}
	} else if (errno != ENOENT || first.config) {
		error_line(0, "boot: %s: %s", path, read_error(errno));
		exit(EXIT_SETUP);
	}
	if (boot_args(argc, argv, b) == 0 && b->run)
		return;
	if (!b->error) {
		error_line(0, "boot: nothing to run: give `run ...` after boot, "
			   "or in %s", path);
		exit(EXIT_SETUP);
	}
bad:
	if (b->word)
		error_line(0, "boot: %s: '%s'", b->error, b->word);
	else
		error_line(0, "boot: %s", b->error);
	exit(EXIT_SETUP);
}

/* One word as the file would take it back: '...', and a ' as "'". */
static void print_word(const char *w)
{
	if (*w && !strpbrk(w, " \t\r\n'\"#")) {
		printf(" %s", w);
		return;
	}
	fputs(" '", stdout);
	for (; *w; w++)
		fputs(*w == '\'' ? "'\"'\"'" : (char[2]){ *w, 0 }, stdout);
	putchar('\'');
}

/* --dry-run: the words run would get, one line, quoted where needed:
 * its `run ...` is a valid /etc/minictr/boot. */
void boot_print(const struct boot_opts *b)
{
	machine.dry = 1;
	printf("hostname %s\nrun", b->hostname ? b->hostname : "minictr");
	for (int i = 0; i < b->nrun; i++)
		print_word(b->run[i]);
	putchar('\n');
}

/*
 * Everything before the container: as PID 1, the machine; then the
 * options.  With --dry-run, 1 (nothing is done); else 0, and the
 * caller runs b->run with o->machine set.
 */
int boot_start(int argc, char *argv[], struct boot_opts *b)
{
	const char *name;

	machine.pid1 = getpid() == 1 && machine_init();
	if (machine.pid1) {
		atexit(power_off);
		mount_machine();
	}
	read_options(argc, argv, b);
	if (b->dry_run)
		return 1;       /* main.c checks run's words, then prints */
	if (!machine.pid1) {
		error_line(0, "boot: minictr is not the machine's PID 1: the "
			   "kernel starts it (rdinit=/minictr -- boot run ...); "
			   "--dry-run shows what it would run");
		exit(EXIT_SETUP);
	}
	name = b->hostname ? b->hostname : "minictr";
	if (traced(sethostname(name, strlen(name)), "sethostname(\"%s\", %zu)",
		   name, strlen(name)) < 0)
		die("boot: sethostname");
	if (ns_loopback_up() < 0)
		die("boot: bring lo up");
	return 0;
}

/* The container has ended (or, not PID 1, --dry-run has printed).  ran:
 * its command was started (execve succeeded: run.c's status pipe closed
 * without a report), so status is the container's own, even a 125 or a
 * 127 of its; else set-up or execve failed, and run printed why. */
_Noreturn void boot_end(int status, int ran)
{
	machine.ran = ran;
	machine.status = status;
	exit(status);           /* the clean-ups, then power_off() */
}

/*
 * Is this `boot`?  The index of the first word after it, or 0.  As the
 * machine's init (PID 1, and CAD off works: not a container's PID 1)
 * always: words before "boot" are the kernel's (parameters it does not
 * know go to init), and without "boot" (before any "run") every word is
 * boot's, none at all included (BOOT_CONFIG says what to run).  A bad
 * word is then a boot failure and a power off, never the kernel's panic
 * ("Attempted to kill init") that minictr's usual exit would be.
 */
int boot_wanted(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "boot") == 0)
		return 2;
	if (getpid() != 1 || !machine_init())
		return 0;
	for (int i = 1; i < argc && strcmp(argv[i], "run") != 0; i++)
		if (strcmp(argv[i], "boot") == 0)
			return i + 1;
	return 1;
}
