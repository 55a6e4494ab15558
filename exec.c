/*
 * exec.c - (parent) entering a running container: `minictr exec`, in
 * runc's form (containerd's shim, conmon and CRI-O send --process FILE,
 * --detach --pid-file, maybe --console-socket) and in docker's (-i -t -e
 * -w -u ID COMMAND...).  The process gets no more power than the
 * container's init, and nothing runs in between but minictr's own steps:
 *
 *   1. what runs         the container's process (ROOT/ID/config.json,
 *                        create's copy), replaced by --process FILE, or
 *                        with the command, -e, --cwd, -t on top, as runc
 *                        does; config.c reads both
 *   2. the namespaces    the init's /proc/PID/ns/TYPE, opened now, while the
 *                        path is the host's; one equal to ours is left
 *                        alone (setns(2) into our own user namespace is
 *                        EINVAL, and the others would change nothing)
 *   3. pid               (rootless: user first, for the right to)
 *                        setns(2) in minictr itself: it moves only the
 *                        children it makes from now on (pid_namespaces(7)),
 *                        so the process must be...
 *   4. a fork            ...after it: a pid of its own in the container
 *   then the child:
 *   5. the cgroups       the init's (the state's list), by cgroup.procs
 *                        (cgroup.c), before any setns: the paths are the
 *                        host's, and so are the rights to move
 *   6. the rest          setns(2): user first when it differs (it gives
 *                        the rights over the namespaces it owns), ipc,
 *                        uts, net, cgroup, and mnt last: it changes / and
 *                        the working directory, so no host path after it
 *   7. the terminal      -t: a pty of the container's devpts (pty.c), its
 *                        master to --console-socket, or to minictr
 *   8. the process       cwd, groups, rlimits (process.c), no_new_privs
 *                        and capabilities (caps.c), the command looked up
 *                        in the container's PATH (created.c), then
 *                        init.c's last steps: signals, fds, the seccomp
 *                        filter (ROOT/ID/seccomp.bpf, else the TIOCSTI
 *                        one), execve
 *   then minictr:
 *   --detach             waits for execve (the status pipe's EOF), writes
 *                        the pid file, exits: the process is reparented
 *                        to the caller, a subreaper, which reaps it
 *   in the foreground    relays and waits as `run` does (run.c), and
 *                        exits with the process's status
 * Man pages: setns(2), namespaces(7), pid_namespaces(7), cgroups(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

extern char **environ;

/* The namespaces, in the order they are joined (see above). */
static const struct { const char *proc; int flag; const char *name; }
kinds[] = {
	{ "user", CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ "ipc", CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ "uts", CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ "net", CLONE_NEWNET, "CLONE_NEWNET" },
	{ "pid", CLONE_NEWPID, "CLONE_NEWPID" },
	{ "cgroup", CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ "mnt", CLONE_NEWNS, "CLONE_NEWNS" },
};
#define NKINDS (sizeof kinds / sizeof *kinds)
#define PID_NS 4                /* kinds[4]: joined by minictr itself */
#define USER_NS 0               /* kinds[0]: so is this one, rootless */
#define BPF_MAXINSNS 4096       /* linux/bpf_common.h: a filter's limit */

/* One line, exit 125, no errno appended: what exec will not do. */
#define refuse(...) (errno = 0, die(__VA_ARGS__))

/* A file of the container's (ROOT/ID/name), or NULL when it has none. */
static char *state_file(const struct oci_state *s, const char *name,
			size_t *len)
{
	char path[PATH_MAX_OCI];
	char *text = read_whole(state_path(s, name, path, sizeof path), len);

	if (!text && errno != ENOENT)
		die("read %s", path);
	return text;
}

/* run.json's "env" (runjson.c): the environment the container was given,
 * --env-file's entries and -e's, as they were then; the files are not
 * read again (they may have changed, or be gone). */
static void recorded_env(const struct json *j, int env,
			 const struct oci_state *s, struct run_opts *c)
{
	int n = json_type(j, env) == JSON_ARRAY ? json_size(j, env) : -1;

	if (n < 0)
		refuse("%s/run.json: env: not what run wrote", s->id);
	c->env = calloc((size_t)n + 1, sizeof *c->env);
	if (!c->env)
		die("exec");
	for (int i = 0; i < n; i++)
		if (!(c->env[i] = json_string(j, json_at(j, env, i))))
			refuse("%s/run.json: env[%d]", s->id, i);
	c->nenv = n;
	c->nenv_files = 0;
}

/* A `run --name`/`run -d` container: the words it was started with
 * (ROOT/ID/run.json's "args", runjson.c), parsed again by parse_run(), so
 * exec gets its user, capabilities, no_new_privs and -e as its init did,
 * and the environment it was given ("env": -e and --env-file, resolved).
 * What only concerns the start (-d, --rm, --init, --restart) is not
 * exec's.  The arrays are the heap's: exec's process ends in execve. */
static void run_words(const struct oci_state *s, struct run_opts *c)
{
	size_t len;
	char *text = state_file(s, "run.json", &len);
	struct json j;
	struct parse_error err;
	int args, env, n;
	char **words;

	if (!text)
		return;         /* neither: run's defaults */
	if (json_parse(text, len, &j) ||
	    (args = json_get(&j, 0, "args")) < 0 ||
	    json_type(&j, args) != JSON_ARRAY)
		refuse("%s/run.json: not what run wrote", s->id);
	n = json_size(&j, args);
	words = calloc((size_t)n + 1, sizeof *words);
	c->env = calloc((size_t)n + 1, sizeof *c->env);
	c->env_files = calloc((size_t)n + 1, sizeof *c->env_files);
	c->volumes = calloc((size_t)n + 1, sizeof *c->volumes);
	c->tmpfs = calloc((size_t)n + 1, sizeof *c->tmpfs);
	c->group_add = calloc((size_t)n + 1, sizeof *c->group_add);
	if (!words || !c->env || !c->env_files || !c->volumes || !c->tmpfs ||
	    !c->group_add)
		die("exec");
	for (int i = 0; i < n; i++)
		if (!(words[i] = json_string(&j, json_at(&j, args, i))))
			refuse("%s/run.json: args[%d]", s->id, i);
	if (parse_run(n, words, c, &err) != PARSE_OK)
		refuse("%s/run.json: its words no longer parse", s->id);
	if ((env = json_get(&j, 0, "env")) >= 0)   /* none: an older run's */
		recorded_env(&j, env, s, c);
	c->detach = c->rm = c->init = 0;
	c->name = NULL;
	c->restart.when = 0;
}

/* The container's own process, from create's copy of config.json, or
 * the words `run --name`/`run -d` was given; else run's defaults. */
static void container_process(const struct oci_state *s, struct run_opts *c)
{
	struct config_error err;
	size_t len;
	char *text = state_file(s, "config.json", &len);

	*c = (struct run_opts){ .umask = -1, .ngroups = -1, .stop_timeout = 10 };
	if (!text)
		run_words(s, c);
	else if (config_parse(text, len, s->bundle, c, &err) < 0)
		refuse("%s/config.json: %s: %s", s->id, err.field, err.reason);
}

/* The command and the flags over the container's process, as runc's
 * exec without --process; the environment: the container's, then -e. */
static void with_flags(const struct oci_args *a, struct run_opts *o)
{
	const char **env = malloc((o->nenv + a->nenv + 1) * sizeof *env);

	if (!env)
		die("exec");
	if (a->user)            /* looked up in the container's /etc (caps.c) */
		o->user = a->user;
	for (int i = 0; i < o->nenv; i++)
		env[i] = o->env[i];
	for (int i = 0; i < a->nenv; i++)
		env[o->nenv + i] = a->env[i];
	o->env = env;
	o->nenv += a->nenv;
	o->argv = a->cmd_argv;
	o->tty = a->tty;
	if (a->cwd)
		o->workdir = a->cwd;
}

/* What runs (step 1), and with what: the container's filter too. */
static void describe(const struct oci_args *a, const struct oci_state *s,
		     struct run_opts *o)
{
	struct config_error err;
	size_t len;
	char *text;

	if (!a->process) {
		container_process(s, o);
		with_flags(a, o);
	} else if (!(text = read_whole(a->process, &len))) {
		refuse("--process %s: %s", a->process, read_error(errno));
	} else {                /* runc takes the file's process whole */
		*o = (struct run_opts){ 0 };
		if (config_parse(text, len, NULL, o, &err) < 0)
			refuse("--process %s: %s: %s", a->process, err.field,
			       err.reason);
	}
	/* 8 bytes an instruction: struct sock_filter {u16; u8; u8; u32} */
	len = 0;
	text = state_file(s, "seccomp.bpf", &len);
	if (text && (len == 0 || len % 8 || len / 8 > BPF_MAXINSNS))
		refuse("%s/seccomp.bpf: not a whole seccomp filter", s->id);
	o->filter = (const struct sock_filter *)text;
	o->filter_len = (int)(len / 8);
	/* the callers always send --process and pass their stdin */
	o->interactive = a->interactive || a->process;
	o->hostname = o->domainname = NULL;     /* the init set them */
	o->preserve_fds = (int)a->preserve_fds;
	o->oci = 1;
}

/* Step 2: the init's namespaces; -1 for each that is ours already. */
static void open_namespaces(int pid, int fds[NKINDS])
{
	struct stat theirs, ours;
	char path[64];

	for (size_t i = 0; i < NKINDS; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, kinds[i].proc);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0 && errno == ENOENT)
			continue;       /* a kernel without it (cgroup: 4.6) */
		if (fds[i] < 0 || fstat(fds[i], &theirs) < 0)
			die("open %s", path);
		snprintf(path, sizeof path, "/proc/self/ns/%s", kinds[i].proc);
		if (stat(path, &ours) == 0 && ours.st_ino == theirs.st_ino &&
		    ours.st_dev == theirs.st_dev) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
}

/* setns(2) into kinds[i], narrated; 0, or -1 with errno. */
static int join(const int fds[NKINDS], size_t i)
{
	if (fds[i] < 0) {
		trace("%s namespace: the init's is minictr's: not joined",
		      kinds[i].proc);
		return 0;
	}
	return (int)traced(setns(fds[i], kinds[i].flag), "setns(%d, %s)",
			   fds[i], kinds[i].name);
}

/* Rootless: the user namespace first, in minictr itself, since setns(2)
 * into the pid namespace needs CAP_SYS_ADMIN in the user namespace that
 * owns it, which a user has only inside.  (Root has it outside, and
 * keeps the host's rights for the cgroups until the child joins.) */
static void user_first(int fds[NKINDS])
{
	if (geteuid() == 0 || fds[USER_NS] < 0)
		return;
	if (join(fds, USER_NS) < 0)
		die("join the container's user namespace");
	close(fds[USER_NS]);
	fds[USER_NS] = -1;      /* the child is in it already */
}

/* The child: steps 5 to 8.  Nothing here returns. */
static _Noreturn void enter(const struct run_opts *o, const char *cgroups,
			    const int fds[NKINDS], int report_fd,
			    const struct console *con)
{
	const char **envp = malloc(env_size(o) * sizeof *envp);
	struct env_entry *work = malloc(env_size(o) * sizeof *work);
	char hostname[80], home[4100];
	struct user_creds creds;
	struct utsname u;
	int keep_term;

	msg_in_container();
	if (cgroup_join(cgroups) < 0)
		fail(report_fd, EXIT_SETUP, errno, "join the container's cgroup");
	for (size_t i = 0; i < NKINDS; i++)
		if (i != PID_NS && join(fds, i) < 0)
			fail(report_fd, EXIT_SETUP, errno, "join the container's "
			     "%s namespace", kinds[i].proc);
	if (o->tty && (traced(setsid(), "setsid()") < 0 ||
		       pty_inside(con->sock, &con->size, 0) < 0))
		fail(report_fd, EXIT_SETUP, errno, "open the terminal");
	setup_stdin(o, report_fd);
	if (!envp || !work)
		fail(report_fd, EXIT_SETUP, errno, "environment");
	uname(&u);              /* the container's name, by now */
	snprintf(hostname, sizeof hostname, "HOSTNAME=%s", u.nodename);
	keep_term = o->tty && getenv("TERM") && terminfo_has(getenv("TERM"));
	user_lookup(o, &creds, report_fd);      /* -u: the container's files */
	snprintf(home, sizeof home, "HOME=%.*s", creds.home_len, creds.home);
	env_build(o, environ, hostname, home, keep_term, work, envp);
	if (o->workdir && traced(chdir(o->workdir), "chdir(\"%s\")",
				 o->workdir) < 0)
		fail(report_fd, EXIT_SETUP, errno, "cwd %s", o->workdir);
	process_attributes(o, report_fd);
	filter_before_drop(o, report_fd);       /* -u without no_new_privs */
	drop_privileges(o, &creds, report_fd);
	command_check(o, envp, report_fd);
	exec_command(o, envp, report_fd);
}

/* --detach: execve worked (EOF on the pipe) and the pid file says who;
 * or the child's report says why not. */
static int detached(const struct oci_args *a, pid_t pid, int report_fd)
{
	struct child_report r;
	char text[16];
	ssize_t n;

	do
		n = read(report_fd, &r, sizeof r);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof r) {
		waitpid(pid, NULL, 0);  /* it exits after its report */
		error_line(r.err, "%s", r.what);
		return r.status;
	}
	snprintf(text, sizeof text, "%d", (int)pid);
	/* no newline: containerd's reader does strconv.Atoi on it all */
	if (a->pid_file && write_atomic(a->pid_file, text, strlen(text),
					0644) < 0) {
		kill(pid, SIGKILL);     /* nobody would know it runs */
		die("write %s", a->pid_file);
	}
	return 0;
}

/* -t: the master goes to --console-socket, or to minictr by a
 * socketpair (sv) for the relay; without -t, no socket at all. */
static void terminal(const struct run_opts *o, int console_sock, int sv[2],
		     struct console *con)
{
	con->sock = -1;
	if (!o->tty && console_sock >= 0)
		close(console_sock);
	if (!o->tty)
		return;
	if (console_sock >= 0) {
		con->sock = console_sock;
		con->size = (struct winsize){ o->console_rows, o->console_cols,
					      0, 0 };
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	con->sock = sv[1];
	pty_user_size(&con->size);
}

/* Steps 1 to 4, then the parent's part; minictr's exit status. */
int exec_container(const struct oci_args *a, const struct oci_state *s,
		   int console_sock)
{
	int fds[NKINDS], pipefd[2], sv[2] = { -1, -1 };
	struct console con;
	struct run_opts o;
	sigset_t set;
	pid_t pid;

	describe(a, s, &o);
	if (o.tty && a->detach && console_sock < 0)
		refuse("cannot allocate tty if runc will detach without "
		       "setting console socket");
	open_namespaces(s->pid, fds);
	if (!state_alive(s))    /* its pid could be another's by now */
		refuse("cannot exec in a stopped container");
	if (!a->detach)
		block_signals(&o, &set);
	terminal(&o, console_sock, sv, &con);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die("pipe");
	user_first(fds);
	if (join(fds, PID_NS) < 0)
		die("join the container's pid namespace");
	pid = ns_clone(SIGCHLD);        /* a plain fork, into that one */
	if (pid == 0) {
		close(pipefd[0]);
		if (sv[0] >= 0)
			close(sv[0]);
		enter(&o, s->cgroups, fds, pipefd[1], &con);
	}
	traced(pid, "clone(SIGCHLD)");
	if (pid < 0)
		die("clone");
	close(pipefd[1]);
	for (size_t i = 0; i < NKINDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (con.sock >= 0)
		close(con.sock);
	if (a->detach)
		return detached(a, pid, pipefd[0]);
	o.tty = sv[0] >= 0;     /* no relay when the master went elsewhere */
	return watch_child(&o, pid, pipefd[0], sv[0], -1, &set);
}
