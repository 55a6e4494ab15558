/*
 * minictr.h - what the files of minictr share: the parsed command line,
 * the exit-status table, the child's failure report and each file's entry
 * points.  Read it first: it is the map of the program.
 *
 *   main.c    the command line front door: help, version, dispatch
 *   args.c    parsing `run` options: a pure function, unit-tested
 *   units.c   the values of the limit options: sizes, decimals, lists
 *   env.c     the container's environment: docker's clean default plus -e
 *             and --env-file (read by main.c, parsed here)
 *   run.c     the parent: clone, read the status pipe, the one poll loop
 *   stop.c    (parent) forwarding signals, the stop timeout, a second ^C
 *   ns.c      namespaces: the raw clone(2) wrapper, the flag table, lo up
 *   init.c    the child: private mounts, /proc, hostname, env, execve
 *   pid1.c    --init: a tiny PID 1 that forwards signals and reaps zombies
 *   pty.c     -t: a pseudo-terminal, raw mode, window sizes
 *   relay.c   -t: copying bytes between the user and the pty
 *   seccomp.c no container may push keystrokes into a terminal (TIOCSTI)
 *   cgroup.c  (parent) resource limits: cgroup v1 and v2, OOM, clean-up
 *   stale.c   (parent) whose cgroup it is, and the sweep of stale ones
 *   rootfs.c  (child) --rootfs: pivot_root, /dev, /sys, masks
 *   inroot.c  (child) paths inside DIR that never lead out of it
 *   mounts.c  (child) the container's own mounts: -v, --tmpfs, /etc files
 *   mountorder.c  the order of those mounts: parents first (pure)
 *   readonly.c (child) read-only, all the way down, keeping the flags
 *   etcfiles.c (parent) the generated /etc/hosts, hostname, resolv.conf
 *   caps.c    (child) no_new_privs and docker's capability set
 *   process.c (child) config.json's groups, umask, rlimits, OOM score
 *   sealed.c  (child) --rootfs --init: PID 1 runs from a sealed memfd
 *   chroot.c  (child) minictr in a chroot: / made a mount point, safely
 *   json.c    JSON: jsmn's tokens, strings unescaped, strings quoted
 *   config.c  config.json into struct run_opts: process, root, caps
 *   config_linux.c  config.json's mounts and linux: namespaces, limits
 *   ociargs.c runc's command line, for the OCI commands (pure)
 *   oci.c     the OCI front door: create, start, state, kill, delete, run
 *   state.c   an OCI container's state directory and its status
 *   created.c (child) between create and start: waiting on exec.fifo
 *   spec.c    `spec`: a config.json with minictr's defaults
 *   hooks.c   config.json's hooks: a program, the state JSON on stdin
 *   msg.c     the one error idiom (die, the child's fail and its exit
 *             status) and the --trace narration
 */
#ifndef MINICTR_H
#define MINICTR_H

#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#define MINICTR_VERSION "0.1.0"

/*
 * Exit statuses (docker's convention, also chroot(1) and env(1)):
 * the command's own status passes through; 128+N when it was killed by
 * signal N; and these three for the cases where it never ran.
 */
enum {
	EXIT_SETUP = 125,       /* minictr's own error: usage, setup */
	EXIT_CANNOT_RUN = 126,  /* execve failed for any reason but ENOENT */
	EXIT_NOT_FOUND = 127,   /* execve failed with ENOENT */
};

enum net_mode { NET_NONE, NET_HOST };

/* config.json's hooks, by kind, in the order they run (hooks.c). */
enum hook_kind { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER,
		 HOOK_START_CONTAINER, HOOK_POSTSTART, HOOK_POSTSTOP,
		 HOOK_KINDS };
extern const char *const hook_names[HOOK_KINDS];       /* config.c */

/* One hook: a program run with the container's state JSON on stdin. */
struct ctr_hook {
	const char *path;       /* absolute; execve(2)'d as it is */
	const char **args;      /* NULL-terminated; NULL: { path } */
	const char **env;       /* NULL-terminated; NULL: none at all */
	int timeout;            /* seconds; 0: none */
};
struct oci_state;

/* One linux.namespaces entry with a path: joined, not made (ns.c). */
struct ns_path {
	unsigned long flag;     /* CLONE_NEWNET ... */
	const char *path;       /* /proc/PID/ns/net, /run/netns/NAME ... */
};

/* Everything `minictr run` was asked to do, filled by parse_run(). */
struct run_opts {
	int interactive;        /* -i: container stdin is our stdin */
	int tty;                /* -t: a pseudo-terminal (see the -t issue) */
	int init;               /* --init: minictr stays PID 1 */
	int trace;              /* --trace: narrate each step on stderr */
	enum net_mode net;      /* --net none|host */
	long stop_timeout;      /* --stop-timeout: seconds before SIGKILL */
	const char *hostname;   /* -h: NULL keeps the host's name */
	const char *workdir;    /* -w: NULL keeps the current directory */
	const char **env;       /* -e values as given, in order; the caller */
	int nenv;               /*   provides room for argc pointers */
	const char **env_files; /* --env-file paths, in order; the caller */
	int nenv_files;         /*   provides room for argc pointers; read by
				 *   main.c, whose entries go before -e's */
	char *const *argv;      /* the command and its arguments */
	char *const *words;     /* the words parse_run() was given, ending in
				 * NULL as main's argv does (sealed.c) */
	/* resource limits (cgroup.c); 0 or NULL: no limit */
	long long memory;       /* -m: bytes */
	long long pids_limit;   /* --pids-limit: tasks */
	long long cpu_quota;    /* --cpus: microseconds per CPU_PERIOD_US */
	const char *cpuset_cpus;/* --cpuset-cpus: a checked list, "0-1,3" */
	/* the root filesystem (rootfs.c) */
	const char *rootfs;     /* --rootfs DIR; NULL: the host's / */
	int read_only;          /* --read-only */
	const char **volumes;   /* -v specs as given, in order; the caller */
	int nvolumes;           /*   provides room for argc pointers */
	const char **tmpfs;     /* --tmpfs specs as given, in order; the */
	int ntmpfs;             /*   caller provides room for argc pointers */
	/* what only config.json says (config.c); `run` leaves them 0 */
	unsigned long namespaces;       /* clone flags; 0: run's set */
	const char *domainname;         /* NULL: the host's */
	long long cpu_period;           /* microseconds; 0: CPU_PERIOD_US */
	const struct ctr_mount *mounts; /* config.json's bind and tmpfs */
	int nmounts;                    /*   mounts, parsed */
	const char **masked;            /* paths hidden besides minictr's */
	int nmasked;
	const char **ro_paths;          /* paths read-only besides minictr's */
	int nro_paths;
	int caps_given;                 /* the three sets below, not docker's */
	unsigned long long cap_bounding, cap_effective, cap_permitted;
	const struct ctr_rlimit *rlimits;
	int nrlimits;
	const unsigned *groups;         /* additionalGids; ngroups -1: keep */
	int ngroups;
	int umask;                      /* -1: keep minictr's */
	int oom_score_adj;              /* has_oom: write it */
	int has_oom;
	unsigned short console_rows, console_cols;  /* consoleSize; 0: none */
	const char *apparmor;           /* process.apparmorProfile, or NULL */
	const char *annotations;        /* the raw JSON object, or NULL */
	/* `create` (oci.c): the container outlives minictr */
	int oci;                /* no parent-death signal, no supervisor */
	int exec_fifo;          /* O_PATH fd of ROOT/ID/exec.fifo */
	int console_sock;       /* connected to --console-socket, or -1 */
	int preserve_fds;       /* --preserve-fds + LISTEN_FDS: kept open */
	const struct ctr_hook *hooks[HOOK_KINDS];       /* config.json's */
	int nhooks[HOOK_KINDS];
	const struct oci_state *state;  /* create: what hooks get on stdin */
	const struct ns_path *ns_paths; /* namespaces to join, not to make */
	int nns_paths;
};

/* docker's default capability set less CAP_MKNOD (caps.c says why):
 * CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
 * NET_BIND_SERVICE NET_RAW SYS_CHROOT AUDIT_WRITE SETFCAP: bits 0 1 3 4 5
 * 6 7 8 10 13 18 29 31.  Docker's is 0xa80425fb, with MKNOD (bit 27). */
#define CAPS_DEFAULT 0xa00425fbULL

/* One process.rlimits entry: setrlimit(2)'s resource and values. */
struct ctr_rlimit {
	int resource;
	unsigned long long soft, hard;
};

/* --cpus N is N * CPU_PERIOD_US microseconds of CPU time per period
 * (docker's period: 100 ms), so 5 decimals are exact. */
#define CPU_PERIOD_US 100000
#define CPU_DECIMALS 5
#define CPU_LIST_MAX 65535       /* the highest CPU number a list may name */
#define PIDS_MAX 4194304         /* the kernel's PID_MAX_LIMIT */

/* One -v HOST:CONTAINER[:ro|:rw], split by volume_split(): pointers into
 * the option's value, with lengths (the value is not modified). */
struct volume {
	const char *host;
	int host_len;
	const char *target;
	int target_len;
	int ro;
};

/* One --tmpfs PATH[:OPTIONS], split by tmpfs_split(). */
struct tmpfs_spec {
	const char *target;     /* PATH, target_len bytes of the value */
	int target_len;
	unsigned long flags;    /* MS_RDONLY, MS_NOSUID ...: mount(2)'s */
	long long size;         /* bytes; -1: the kernel's default (RAM/2) */
	int mode;               /* -1: the kernel's default (1777) */
};

/*
 * One mount inside the root for the container's own content (mounts.c),
 * in the list that mount_sort() orders: a bind (-v, a generated /etc
 * file) or a tmpfs (--tmpfs).
 */
struct ctr_mount {
	enum mount_kind { MOUNT_BIND, MOUNT_TMPFS } kind;
	const char *source;     /* MOUNT_BIND: the host's path, source_len */
	int source_len;         /*   bytes of it */
	const char *target;     /* the path inside, target_len bytes */
	int target_len;
	int ro;                 /* MOUNT_BIND: read-only, all the way down */
	int single;             /* MOUNT_BIND: this mount only, not those
				 * below it (config.json's "bind", not "rbind") */
	unsigned long flags;    /* MOUNT_BIND: MS_NOSUID, MS_NODEV, MS_NOEXEC
				 * set by a remount (config.json's options) */
	int optional;           /* skipped where DIR is read-only and lacks
				 * the target (the generated /etc files) */
	struct tmpfs_spec tmpfs;/* MOUNT_TMPFS */
	const char *spec;       /* the option as given, for messages */
};

/* Why parsing failed; format_parse_error() turns it into words. */
enum parse_code {
	PARSE_OK,
	PARSE_HELP,             /* --help: not an error, print help */
	PARSE_NO_COMMAND,
	PARSE_UNKNOWN_OPTION,
	PARSE_NEEDS_VALUE,
	PARSE_TAKES_NO_VALUE,
	PARSE_BAD_VALUE,        /* reason says why */
	PARSE_NEEDS_ROOTFS,     /* -v, --tmpfs, --read-only without --rootfs */
};

struct parse_error {
	enum parse_code code;
	char short_name;        /* the option as typed: '-x' ... */
	const char *long_name;  /* ... or "--name" (long_len bytes of it) */
	int long_len;
	const char *value;      /* the rejected value, when there is one */
	const char *reason;     /* PARSE_BAD_VALUE: what a good value is */
};

/* args.c */
enum parse_code parse_run(int argc, char *const argv[], struct run_opts *o,
			  struct parse_error *err);
int format_parse_error(const struct parse_error *err, char *buf, size_t len);
int valid_hostname(const char *name);

/* units.c */
int parse_whole(const char *s, long long max, long long *out);
int parse_size(const char *s, long long *out);
int parse_fixed(const char *s, int decimals, long long max, long long *out);
int parse_cpu_list(const char *s);
int cpu_list_within(const char *want, const char *have);
const char *volume_split(const char *spec, struct volume *v);
const char *tmpfs_split(const char *spec, struct tmpfs_spec *t);
const char *format_size(long long bytes, char *buf, size_t len);

/* json.c: tokens of a JSON text (jsmn's, kept opaque) and their values */
enum json_type { JSON_NONE, JSON_OBJECT, JSON_ARRAY, JSON_STRING,
		 JSON_PRIMITIVE };      /* jsmn's own numbering */
struct json {
	const char *text;
	size_t len;
	void *tok;              /* jsmntok_t[n], mmap(2)ed: size bytes */
	size_t size;
	int n;
};
const char *json_parse(const char *text, size_t len, struct json *j);
void json_free(struct json *j);
int json_type(const struct json *j, int t);
int json_size(const struct json *j, int t);
int json_next(const struct json *j, int t);
int json_get(const struct json *j, int obj, const char *key);
int json_at(const struct json *j, int arr, int i);
const char *json_raw(const struct json *j, int t, int *len);
int json_unescape(const char *s, int len, char *out);
char *json_string(const struct json *j, int t);
int json_int(const struct json *j, int t, long long min, long long max,
	     long long *out);
int json_bool(const struct json *j, int t);
size_t json_quote(const char *s, char *out, size_t len);

/* config.c: config.json into struct run_opts.  On failure, field names
 * what was refused ("process.args[0]") and reason says why; notes are
 * what was accepted but not done as asked (--debug prints them). */
#define CONFIG_NOTES 24
struct config_error {
	char field[96];
	const char *reason;
	const char *notes[CONFIG_NOTES];
	int nnotes;
};
int config_parse(const char *text, size_t len, const char *bundle,
		 struct run_opts *o, struct config_error *err);
/* config.c's helpers, shared with config_linux.c */
struct cfg {
	const struct json *j;
	struct run_opts *o;
	struct config_error *err;
};
int cfg_bad(struct cfg *c, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_note(struct cfg *c, const char *note);
int cfg_strings(struct cfg *c, int t, const char *field, const char ***out);
int cfg_linux(struct cfg *c, int l);
int cfg_mounts(struct cfg *c, int mounts);

/* ociargs.c: runc's command line, as a pure function */
enum oci_command { OCI_NONE, OCI_CREATE, OCI_START, OCI_STATE, OCI_KILL,
		   OCI_DELETE, OCI_RUN, OCI_SPEC };
struct oci_args {
	const char *root;       /* --root DIR: the state directories */
	const char *log;        /* --log FILE */
	int log_json;           /* --log-format json */
	int debug;              /* --debug: notes on stderr (and the log) */
	enum oci_command cmd;
	const char *bundle;     /* --bundle, -b: default "." */
	const char *pid_file, *console_socket;
	long preserve_fds;      /* --preserve-fds N */
	int all, force, detach; /* kill --all/-a, delete --force/-f, run -d */
	const char *id;
	const char *signal;     /* kill's SIGNAL as given; NULL: SIGTERM */
	const char *error;      /* what went wrong, with word */
	const char *word;
};
int parse_oci(int argc, char *const argv[], struct oci_args *a);
int parse_signal(const char *s);
int valid_id(const char *id);

/* oci.c, spec.c */
int oci_main(const struct oci_args *a);
int spec_write(const char *bundle);

/* state.c: a container's state directory, ROOT/ID */
#define ID_MAX 128
#define PATH_MAX_OCI 4096
#define CGROUPS_MAX 2048
struct oci_state {
	const char *root, *id;
	int pid;                /* the init's host pid */
	unsigned long long start;       /* its start time: pid reuse */
	char bundle[PATH_MAX_OCI], rootfs[PATH_MAX_OCI], created[48];
	char cgroups[CGROUPS_MAX];      /* its cgroups, one a line */
	const char *annotations;        /* the raw JSON object, or NULL */
	const char *config;             /* create: config.json's text, kept */
	size_t config_len;
	/* `create` (oci.c): the container outlives minictr */
	int oci;                /* no parent-death signal, no supervisor */
	int exec_fifo;          /* O_PATH fd of ROOT/ID/exec.fifo */
	int console_sock;       /* connected to --console-socket, or -1 */
	int preserve_fds;       /* --preserve-fds + LISTEN_FDS: kept open */
};
int write_atomic(const char *path, const char *data, size_t len, mode_t mode);
char *read_whole(const char *path, size_t *len);
const char *state_path(const struct oci_state *s, const char *name,
		       char *buf, size_t len);
size_t state_json(const struct oci_state *s, const char *status, int pid,
		  int with_own, char *out, size_t len);
int state_load(struct oci_state *s);
int state_alive(const struct oci_state *s);
const char *state_status(const struct oci_state *s);

/* mountinfo.c */
struct mount_entry {
	char *root;             /* what of its filesystem is mounted: "/" */
	char *point;            /* where it is mounted, unescaped */
	char *fstype;           /* "proc", "cgroup2" ... */
	char *options;          /* the filesystem's own (super) options */
};
typedef void (*mount_fn)(const struct mount_entry *m, void *arg);
int mountinfo_each(mount_fn fn, void *arg);
int cgroup_path(const char *self, const char *options, int v2,
		const char *root, char *out, size_t len);
int read_text(const char *dir, const char *name, char *buf, size_t len);
struct subdirs {                /* a directory being listed, no malloc */
	int fd;
	long len, off;          /* bytes in buf, and read so far */
	char buf[2048];         /* getdents64(2) records */
};
int subdirs_open(struct subdirs *d, const char *path);
const char *subdirs_next(struct subdirs *d);
void subdirs_close(struct subdirs *d);

/* cgroup.c */
void cgroup_setup(const struct run_opts *o);
void cgroup_keep(char *buf, size_t len);
int cgroup_remove(const char *dir);
void cgroup_wait(void);
void cgroup_place(pid_t pid);
int cgroup_report(int status);

/* stale.c */
void cgroup_name(char *buf, size_t len);
void sweep_stale(const char *parent);
int proc_start(const char *pid, unsigned long long *start, char *state);
int rmdir_tree(const char *dir);

/* rootfs.c */
void rootfs_enter(const struct run_opts *o, int report_fd);
void rootfs_finish(const struct run_opts *o, const char **envp, int report_fd);

/* inroot.c: DIR, as the lookups inside it need it */
struct inroot {
	int root;               /* O_PATH fd of the bind of DIR */
	const char *name;       /* DIR as given, for messages */
	int report_fd;
};
enum { NO_FOLLOW, FOLLOW };     /* what a symlink at the end of a path does */
int inroot_walk(const struct inroot *r, const char *path, int len,
		mode_t type, int follow);
int inroot_try_walk(const struct inroot *r, const char *path, int len,
		    mode_t type, int follow);
const char *fd_path(int fd, char *buf, size_t len);

/* mounts.c */
void mounts_make(const struct inroot *r, const struct run_opts *o);

/* mountorder.c */
int mount_depth(const char *path, int len);
void mount_sort(struct ctr_mount *m, int n);

/* readonly.c */
unsigned long kept_flags(const char *path);
int remount_read_only(const char *path);
int read_only_recursive(const char *path);

/* etcfiles.c */
void etcfiles_make(const struct run_opts *o);
int etcfiles_mounts(struct ctr_mount *out);

/* caps.c */
void drop_privileges(const struct run_opts *o, int report_fd);

/* process.c */
void process_attributes(const struct run_opts *o, int report_fd);

/* chroot.c */
void root_mount_point(int report_fd);

/* sealed.c */
_Noreturn void sealed_reexec(const struct run_opts *o, const char **envp,
			     int report_fd);
void sealed_init_main(int argc, char *argv[]);

/* env.c */
struct env_entry {
	const char *text;       /* "NAME=value" */
	int place;              /* where it came, among all of them */
};
int env_size(const struct run_opts *o);
int env_build(const struct run_opts *o, char *const host_env[],
	      const char *hostname_entry, int keep_term,
	      struct env_entry *work, const char **out);
int terminfo_path(const char *name, int i, char *buf, size_t len);
int terminfo_has(const char *name);

/* --env-file: at most this many bytes (env.c says why) */
#define ENV_FILE_MAX (2 << 20)
struct env_file_error {
	int line;               /* 1 for the first line */
	const char *reason;
};
int env_file_lines(const char *buf, size_t len);
int env_file_parse(char *buf, size_t len, const char **out,
		   struct env_file_error *err);

/*
 * The child's failure report, written once into the O_CLOEXEC status pipe
 * (smaller than PIPE_BUF, so the write is atomic).  The parent reads EOF
 * when execve succeeded, because the kernel closed the pipe on exec.
 */
struct child_report {
	int status;             /* 125, 126 or 127 */
	int err;                /* errno of the failed step */
	char what[248];         /* the step: "mount /proc", "exec /nope" */
};

/* -t: what the child needs to open its terminal and hand it over. */
struct console {
	int sock;               /* its end of the socketpair; -1 without -t */
	struct winsize size;    /* the user's window, set before the command */
};

/* The state of the copy between the user and the pty master (relay.c). */
struct relay {
	int in_fd;              /* our stdin; -1 without -i or after EOF */
	int master;             /* -1 without -t, or once we hung it up */
	int master_open;        /* 0 once read() said EIO: slave closed */
	int out_broken;         /* our stdout is gone: the terminal is hung up */
	int eof_pending;        /* stdin ended: send Ctrl-D when flushed */
	char last_in;           /* the last byte sent to the container */
	size_t in_len, in_off;  /* input read but not yet written */
	char in[4096];
};

/* Why minictr sent SIGKILL (stop.c). */
enum stop_kill { KILLED_NOT, KILLED_TIMEOUT, KILLED_AGAIN };

/* A stop in progress (stop.c): what was sent, when, what followed. */
struct stop {
	pid_t pid;              /* the container's PID 1, as we see it */
	long timeout;           /* --stop-timeout, seconds */
	int tty;                /* -t: Ctrl-C goes to the container */
	int signal;             /* the first stop signal; 0: none yet */
	long long since;        /* when, in CLOCK_MONOTONIC ms */
	int noticed;            /* the "has not stopped" line is out */
	enum stop_kill killed;
};

/* stop.c */
void stop_forward(struct stop *s, int sig);
void stop_hangup(struct stop *s);
int stop_ms_left(const struct stop *s);
void stop_tick(struct stop *s);
int stop_report(const struct stop *s, int status);

/* run.c */
int run_container(const struct run_opts *o);
pid_t create_container(const struct run_opts *o);

/* ns.c */
pid_t ns_clone(unsigned long flags);
#define NS_JOIN_MAX 6
struct ns_saved {               /* minictr's own, while it stands in the */
	int n;                  /* container's to clone (ns_join) */
	unsigned long flag[NS_JOIN_MAX];
	int own[NS_JOIN_MAX];
	int cwd;
};
int ns_join(const struct run_opts *o, struct ns_saved *s, char *what,
	    size_t len);
void ns_return(struct ns_saved *s);
const char *ns_flag_names(unsigned long flags, char *buf, size_t len);
int ns_loopback_up(void);

/* init.c */
_Noreturn void container_main(const struct run_opts *o, int report_fd,
			      const struct console *con);
_Noreturn void exec_command(const struct run_opts *o, const char **envp,
			    int report_fd);

/* created.c */
void await_start(const struct run_opts *o, const char **envp, int report_fd);
int command_found(const char *file, const char **envp);

/* hooks.c */
int hooks_run(const struct run_opts *o, enum hook_kind k, const char *state,
	      char *what, size_t len);
void hooks_sync_make(const struct run_opts *o);
int hooks_created(const struct run_opts *o, pid_t pid, char *what,
		  size_t len);
void hooks_wait(const struct run_opts *o);
int hooks_child(const struct run_opts *o, enum hook_kind k, char *what,
		size_t len);

/* pid1.c */
_Noreturn void pid1_main(const struct run_opts *o, const char **envp,
			 int report_fd);

/* pty.c */
void pty_user_size(struct winsize *ws);
int pty_inside(int sock, const struct winsize *ws);
int pty_receive(int sock);
void pty_copy_size(int master);
void pty_raw_mode(void);
void pty_restore(void);
void pty_line_start(void);

/* relay.c */
void relay_events(const struct relay *r, struct pollfd fds[2]);
int relay_io(struct relay *r, const struct pollfd fds[2]);
void relay_drain(struct relay *r);

/* seccomp.c */
int seccomp_deny_tiocsti(void);

/* msg.c */
extern int trace_enabled;
void msg_in_container(void);
void msg_log_to(int fd, int json);
const char *rfc3339_now(char *buf, size_t len);
_Noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void error_line(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void warn_line(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
_Noreturn void fail(int report_fd, int status, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int exit_status_of(int wait_status);
long traced(long ret, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void trace(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
struct flag_name {
	unsigned long flag;
	const char *name;
};
const char *flag_names(const struct flag_name *table, size_t n,
		       unsigned long flags, char *buf, size_t len);
const char *mount_flag_names(unsigned long flags, char *buf, size_t len);
int traced_mount(const char *src, const char *target, const char *fstype,
		 unsigned long flags, const char *data);


#endif
