/*
 * test/unit_args.c - the `run` option parser, as a table of cases.
 *
 * Each row is an argv (the words after "run") and the one-line description
 * of what parse_run() must make of it: every field of struct run_opts, or
 * the exact error message.  describe() prints all the fields every time,
 * so a row checks that its option did its job AND that nothing else moved.
 * Criterion runs each row as its own test (built with the host's cc and
 * glibc: the parser is plain C, the same under musl).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "../minictr.h"

struct parse_case {
	const char *argv[16];   /* NULL-terminated */
	const char *expect;     /* describe() of the result */
};

/* The limit and root filesystem fields, only those that are set, so the
 * rows that do not use them read as before. */
static int describe_more(const struct run_opts *o, char *out, size_t len)
{
	int n = 0;

	if (o->memory)
		n += snprintf(out + n, len - n, " mem=%lld", o->memory);
	if (o->pids_limit)
		n += snprintf(out + n, len - n, " pids=%lld", o->pids_limit);
	if (o->cpu_quota)
		n += snprintf(out + n, len - n, " quota=%lld", o->cpu_quota);
	if (o->cpuset_cpus)
		n += snprintf(out + n, len - n, " cpuset=%s", o->cpuset_cpus);
	if (o->rootfs)
		n += snprintf(out + n, len - n, " rootfs=%s", o->rootfs);
	if (o->read_only)
		n += snprintf(out + n, len - n, " ro");
	for (int i = 0; i < o->nvolumes; i++)
		n += snprintf(out + n, len - n, " v=%s", o->volumes[i]);
	for (int i = 0; i < o->nenv_files; i++)
		n += snprintf(out + n, len - n, " envfile=%s", o->env_files[i]);
	for (int i = 0; i < o->ntmpfs; i++)
		n += snprintf(out + n, len - n, " tmpfs=%s", o->tmpfs[i]);
	if (o->userns_auto)
		n += snprintf(out + n, len - n, " userns=auto");
	if (o->cgroupns)
		n += snprintf(out + n, len - n, " cgroupns=%s",
			      o->cgroupns == CGROUPNS_HOST ? "host" : "private");
	if (o->user)
		n += snprintf(out + n, len - n, " user=%s", o->user);
	for (int i = 0; i < o->ngroup_add; i++)
		n += snprintf(out + n, len - n, " group=%s", o->group_add[i]);
	if (o->caps_given)
		n += snprintf(out + n, len - n, " caps=%llx", o->cap_bounding);
	if (o->privileged)
		n += snprintf(out + n, len - n, " privileged");
	if (o->no_new_privs != (o->rootfs != NULL))
		n += snprintf(out + n, len - n, " nnp=%d", o->no_new_privs);
	if (o->restart.when)
		n += snprintf(out + n, len - n, " restart=%s:%d",
			      o->restart.when == RESTART_ALWAYS ? "always" :
			      "on-failure", o->restart.max);
	if (o->memory_swap)
		n += snprintf(out + n, len - n, " swap=%lld", o->memory_swap);
	if (o->shm_size)
		n += snprintf(out + n, len - n, " shm=%lld", o->shm_size);
	return n;
}

/* Every field, in a fixed order; "-" where a string is unset. */
static void describe(const char *const *argv, char *out, size_t len)
{
	const char *env[16], *env_files[16], *volumes[16], *tmpfs[16];
	const char *group_add[16];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;
	char msg[256];
	int argc = 0, n;

	while (argv[argc])
		argc++;
	switch (parse_run(argc, (char *const *)argv, &o, &err)) {
	case PARSE_OK:
		break;
	case PARSE_HELP:
		snprintf(out, len, "help");
		return;
	default:
		format_parse_error(&err, msg, sizeof msg);
		snprintf(out, len, "error: %s", msg);
		return;
	}
	n = snprintf(out, len, "i=%d t=%d init=%d trace=%d net=%s timeout=%ld "
		     "host=%s wd=%s env=[", o.interactive, o.tty, o.init,
		     o.trace, o.net == NET_HOST ? "host" : "none",
		     o.stop_timeout, o.hostname ? o.hostname : "-",
		     o.workdir ? o.workdir : "-");
	for (int i = 0; i < o.nenv; i++)
		n += snprintf(out + n, len - n, "%s%s", i ? "," : "", o.env[i]);
	n += snprintf(out + n, len - n, "] cmd=[");
	for (int i = 0; o.argv[i]; i++)
		n += snprintf(out + n, len - n, "%s%s", i ? "," : "", o.argv[i]);
	n += snprintf(out + n, len - n, "]");
	describe_more(&o, out + n, len - n);
}

#define MEM_WHY "use bytes as docker does: a number and a unit b, k, m, g, " \
	"t or p, alone or with b or ib: 64m, 64MiB, 1.5g"
#define MEM_MAX "at most 9223372036854775295 bytes (8 EiB less 513 bytes), " \
	"docker's largest"
#define PIDS_WHY "use a whole number up to 4194304, or -1 or 0 for no limit"
#define CPUS_WHY "use a number of CPUs from 0.01 to 100000 (0: no limit), " \
	"at most 9 decimals: 1.5, .5, 1/2"
#define STOP_WHY "use a whole number of seconds, or -1 to wait for ever " \
	"(no SIGKILL)"
#define DEFAULTS "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] "

static struct parse_case cases[] = {
	/* the command, and where option parsing stops */
	{ { "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "/bin/ls", "-l", NULL }, DEFAULTS "cmd=[/bin/ls,-l]" },
	{ { "ls", "-t", "--init", NULL }, DEFAULTS "cmd=[ls,-t,--init]" },
	{ { "--", "-weird", NULL }, DEFAULTS "cmd=[-weird]" },
	{ { "--", "--", NULL }, DEFAULTS "cmd=[--]" },
	{ { "-t", "--", "ls", "--", NULL },
	  "i=0 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[ls,--]" },
	{ { "-", "x", NULL }, DEFAULTS "cmd=[-,x]" },
	{ { "", NULL }, DEFAULTS "cmd=[]" },
	/* flags, alone and clustered, in any order */
	{ { "-i", "sh", NULL },
	  "i=1 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "-t", "sh", NULL },
	  "i=0 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "-ti", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "-it", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "-t", "-i", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "--interactive", "--tty", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "--init", "--trace", "sh", NULL },
	  "i=0 t=0 init=1 trace=1 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "-i", "-i", "sh", NULL },
	  "i=1 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh]" },
	/* values: attached, separate, in a cluster, long with = or a space */
	{ { "-hbox", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "-h", "box", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "-ih", "box", "sh", NULL },
	  "i=1 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "-tihbox", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	/* pflag's -h=box, as docker takes it: the '=' is not the value's */
	{ { "-h=box", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "-ie=A=1", "sh", NULL },
	  "i=1 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[A=1] cmd=[sh]" },
	{ { "--hostname", "box", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "--hostname=box", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=box wd=- env=[] cmd=[sh]" },
	{ { "-h", "a.b-c.D9", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=a.b-c.D9 wd=- env=[] cmd=[sh]" },
	{ { "-h", "x", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=x wd=- env=[] cmd=[sh]" },
	{ { "-h", "1234567890123456789012345678901234567890123456789012345678901234", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=1234567890123456789012345678901234567890123456789012345678901234 wd=- env=[] cmd=[sh]" },
	{ { "-w", "/tmp", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=/tmp env=[] cmd=[sh]" },
	{ { "-w/tmp", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=/tmp env=[] cmd=[sh]" },
	{ { "--workdir=/a b", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=/a b env=[] cmd=[sh]" },
	{ { "--net", "host", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=host timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "--net=none", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	/* --network: docker's name for --net, the same values */
	{ { "--network", "host", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=host timeout=10 host=- wd=- env=[] cmd=[sh]" },
	{ { "--net", "host", "--network=none", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	/* --env-file: repeatable, kept in order, apart from -e (the files
	 * are read by main.c, not by the parser) */
	{ { "--env-file", "a.env", "-e", "A=1", "--env-file=/b c", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[A=1] cmd=[sh] envfile=a.env envfile=/b c" },
	{ { "--env-file", "-e", "sh", NULL }, DEFAULTS "cmd=[sh] envfile=-e" },
	{ { "--stop-timeout", "0", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=0 host=- wd=- env=[] cmd=[sh]" },
	{ { "--stop-timeout=2147483647", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=2147483647 host=- wd=- env=[] cmd=[sh]" },
	/* docker's: any negative number waits for ever (-1); "-0" is 0 */
	{ { "--stop-timeout", "-1", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=-1 host=- wd=- env=[] cmd=[sh]" },
	{ { "--stop-timeout=-2147483647", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=-1 host=- wd=- env=[] cmd=[sh]" },
	{ { "--stop-timeout", "-0", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=0 host=- wd=- env=[] cmd=[sh]" },
	/* values that look like options are still values */
	{ { "-w", "-i", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=-i env=[] cmd=[sh]" },
	{ { "-e", "--", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[--] cmd=[sh]" },
	/* -e: repeatable, kept in order; env.c resolves duplicates */
	{ { "-e", "A=1", "-eB=2", "--env", "C", "--env=D=x=y", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[A=1,B=2,C,D=x=y] cmd=[sh]" },
	{ { "-e", "A=", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=- env=[A=] cmd=[sh]" },
	/* repeated options: the last wins */
	{ { "-h", "one", "-h", "two", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=two wd=- env=[] cmd=[sh]" },
	{ { "--net", "host", "--net", "none", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--stop-timeout", "5", "--stop-timeout=7", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=7 host=- wd=- env=[] cmd=[sh]" },
	{ { "-w", "/a", "--workdir", "/b", "sh", NULL },
	  "i=0 t=0 init=0 trace=0 net=none timeout=10 host=- wd=/b env=[] cmd=[sh]" },
	/* everything at once */
	{ { "-ti", "--init", "-h", "c1", "-e", "X=1", "-w", "/", "--net=host",
	    "--stop-timeout", "3", NULL },
	  "error: missing command" },
	{ { "-ti", "--init", "-hc1", "-eX=1", "-w/", "--net=host",
	    "--stop-timeout=3", "--trace", "sh", "-c", "echo $$", NULL },
	  "i=1 t=1 init=1 trace=1 net=host timeout=3 host=c1 wd=/ env=[X=1] cmd=[sh,-c,echo $$]" },
	/* help */
	{ { "--help", NULL }, "help" },
	{ { "-i", "--help", "sh", NULL }, "help" },
	{ { "sh", "--help", NULL }, DEFAULTS "cmd=[sh,--help]" },
	/* rejections: missing command */
	{ { NULL }, "error: missing command" },
	{ { "-i", NULL }, "error: missing command" },
	{ { "--", NULL }, "error: missing command" },
	/* unknown options */
	{ { "--bogus", "sh", NULL }, "error: unknown option '--bogus'" },
	{ { "--bogus=1", "sh", NULL }, "error: unknown option '--bogus'" },
	{ { "-x", "sh", NULL }, "error: unknown option '-x'" },
	{ { "-tix", "sh", NULL }, "error: unknown option '-x'" },
	{ { "-t", "--tt", "sh", NULL }, "error: unknown option '--tt'" },
	{ { "--TTY", "sh", NULL }, "error: unknown option '--TTY'" },
	{ { "--ti", "sh", NULL }, "error: unknown option '--ti'" },
	{ { "-H", "box", "sh", NULL }, "error: unknown option '-H'" },
	/* missing values */
	{ { "-h", NULL }, "error: option '-h' needs a value" },
	{ { "-ih", NULL }, "error: option '-h' needs a value" },
	{ { "--hostname", NULL }, "error: option '--hostname' needs a value" },
	{ { "-e", NULL }, "error: option '-e' needs a value" },
	{ { "-w", NULL }, "error: option '-w' needs a value" },
	{ { "--net", NULL }, "error: option '--net' needs a value" },
	{ { "--stop-timeout", NULL }, "error: option '--stop-timeout' needs a value" },
	{ { "--restart", "on-failure:2", "sh", NULL }, DEFAULTS "cmd=[sh] restart=on-failure:2" },
	{ { "--restart=always", "sh", NULL }, DEFAULTS "cmd=[sh] restart=always:0" },
	{ { "--restart", "always", "--restart=no", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--restart", NULL }, "error: option '--restart' needs a value" },
	{ { "--restart", "sometimes", "sh", NULL }, "error: invalid value 'sometimes' for "
	  "'--restart': use no, on-failure, on-failure:N (N from 1), always or unless-stopped" },
	/* values given to flags */
	{ { "--init=1", "sh", NULL }, "error: option '--init' takes no value" },
	{ { "--tty=", "sh", NULL }, "error: option '--tty' takes no value" },
	/* bad hostnames */
	{ { "-h", "", "sh", NULL },
	  "error: invalid value '' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "--hostname=a_b", "sh", NULL },
	  "error: invalid value 'a_b' for '--hostname': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "-h", "-box", "sh", NULL },
	  "error: invalid value '-box' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "-h", "box.", "sh", NULL },
	  "error: invalid value 'box.' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "-h", "b ox", "sh", NULL },
	  "error: invalid value 'b ox' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "-h", "12345678901234567890123456789012345678901234567890123456789012345", "sh", NULL },
	  "error: invalid value '12345678901234567890123456789012345678901234567890123456789012345' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	{ { "-h", "h\xc3\xa9", "sh", NULL },
	  "error: invalid value 'h\xc3\xa9' for '-h': use 1-64 letters, digits, '-' and '.', starting and ending with a letter or digit" },
	/* --userns, --cgroupns: the last one wins */
	{ { "--userns=auto", "sh", NULL }, DEFAULTS "cmd=[sh] userns=auto" },
	{ { "--userns", "auto", "--userns=host", "sh", NULL },
	  DEFAULTS "cmd=[sh]" },
	{ { "--userns", "keep-id", "sh", NULL }, "error: invalid value "
	  "'keep-id' for '--userns': use auto or host" },
	{ { "--cgroupns", "private", "sh", NULL },
	  DEFAULTS "cmd=[sh] cgroupns=private" },
	{ { "--cgroupns=host", "sh", NULL }, DEFAULTS "cmd=[sh] cgroupns=host" },
	{ { "--cgroupns=", "sh", NULL }, "error: invalid value '' for "
	  "'--cgroupns': use host or private" },
	{ { "--cgroupns", NULL }, "error: option '--cgroupns' needs a value" },
	/* bad --net, -e, -w, --stop-timeout */
	{ { "--net", "bridge", "sh", NULL },
	  "error: invalid value 'bridge' for '--net': use none or host" },
	{ { "--net=", "sh", NULL }, "error: invalid value '' for '--net': use none or host" },
	{ { "--net", "HOST", "sh", NULL }, "error: invalid value 'HOST' for '--net': use none or host" },
	{ { "--network", "bridge", "sh", NULL },
	  "error: invalid value 'bridge' for '--network': use none or host" },
	{ { "--network", NULL }, "error: option '--network' needs a value" },
	{ { "--env-file", "", "sh", NULL }, "error: invalid value '' for '--env-file': an empty path" },
	{ { "--env-file", NULL }, "error: option '--env-file' needs a value" },
	{ { "-e", "", "sh", NULL }, "error: invalid value '' for '-e': empty variable name" },
	{ { "-e==x", "sh", NULL }, "error: invalid value '=x' for '-e': empty variable name" },
	{ { "--env", "=x", "sh", NULL }, "error: invalid value '=x' for '--env': empty variable name" },
	{ { "-w", "", "sh", NULL }, "error: invalid value '' for '-w': an empty path" },
	{ { "--stop-timeout", "-x", "sh", NULL },
	  "error: invalid value '-x' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "--1", "sh", NULL },
	  "error: invalid value '--1' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "-", "sh", NULL },
	  "error: invalid value '-' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "-1.5", "sh", NULL },
	  "error: invalid value '-1.5' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "-2147483648", "sh", NULL },
	  "error: invalid value '-2147483648' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "1.5", "sh", NULL },
	  "error: invalid value '1.5' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout=", "sh", NULL },
	  "error: invalid value '' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "2147483648", "sh", NULL },
	  "error: invalid value '2147483648' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "99999999999999999999", "sh", NULL },
	  "error: invalid value '99999999999999999999' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "+5", "sh", NULL },
	  "error: invalid value '+5' for '--stop-timeout': " STOP_WHY },
	{ { "--stop-timeout", "5s", "sh", NULL },
	  "error: invalid value '5s' for '--stop-timeout': " STOP_WHY },
	/* -m/--memory: docker's spellings (go-units' RAMInBytes), 0 no limit */
	{ { "-m", "64m", "sh", NULL }, DEFAULTS "cmd=[sh] mem=67108864" },
	{ { "-m32M", "sh", NULL }, DEFAULTS "cmd=[sh] mem=33554432" },
	{ { "--memory=1g", "sh", NULL }, DEFAULTS "cmd=[sh] mem=1073741824" },
	{ { "--memory", "4096", "sh", NULL }, DEFAULTS "cmd=[sh] mem=4096" },
	{ { "-m", "2K", "sh", NULL }, DEFAULTS "cmd=[sh] mem=2048" },
	{ { "-m", "8589934591g", "sh", NULL }, DEFAULTS "cmd=[sh] mem=9223372035781033984" },
	{ { "-ti", "-m1m", "sh", NULL },
	  "i=1 t=1 init=0 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh] mem=1048576" },
	{ { "-m", "64mb", "sh", NULL }, DEFAULTS "cmd=[sh] mem=67108864" },
	{ { "-m", "64MiB", "sh", NULL }, DEFAULTS "cmd=[sh] mem=67108864" },
	{ { "-m", "64 m", "sh", NULL }, DEFAULTS "cmd=[sh] mem=67108864" },
	{ { "-m", "1.5g", "sh", NULL }, DEFAULTS "cmd=[sh] mem=1610612736" },
	{ { "-m", ".5G", "sh", NULL }, DEFAULTS "cmd=[sh] mem=536870912" },
	{ { "-m", "2t", "sh", NULL }, DEFAULTS "cmd=[sh] mem=2199023255552" },
	{ { "-m", "0", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "-m", "0m", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--memory", "-1", "sh", NULL },
	  "error: invalid value '-1' for '--memory': " MEM_WHY },
	{ { "--memory=", "sh", NULL },
	  "error: invalid value '' for '--memory': " MEM_WHY },
	{ { "-m", "64ki", "sh", NULL },
	  "error: invalid value '64ki' for '-m': " MEM_WHY },
	{ { "-m", "64mbb", "sh", NULL },
	  "error: invalid value '64mbb' for '-m': " MEM_WHY },
	{ { "-m", " 64m", "sh", NULL },
	  "error: invalid value ' 64m' for '-m': " MEM_WHY },
	/* --memory-swap: docker's memory and swap together, with -m, at
	 * least -m; -1 (only so spelled) unlimited swap; 0 not set */
	{ { "-m", "64m", "--memory-swap", "128m", "sh", NULL },
	  DEFAULTS "cmd=[sh] mem=67108864 swap=134217728" },
	{ { "--memory-swap=1g", "-m", "1g", "sh", NULL },
	  DEFAULTS "cmd=[sh] mem=1073741824 swap=1073741824" },
	{ { "--memory-swap", "-1", "sh", NULL }, DEFAULTS "cmd=[sh] swap=-1" },
	{ { "-m", "8m", "--memory-swap", "-1", "sh", NULL },
	  DEFAULTS "cmd=[sh] mem=8388608 swap=-1" },
	{ { "--memory-swap", "0", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--memory-swap", "1g", "sh", NULL },
	  "error: option '--memory-swap' needs -m: it limits memory and swap "
	  "together (-1: unlimited swap)" },
	{ { "-m", "0", "--memory-swap", "1g", "sh", NULL },
	  "error: option '--memory-swap' needs -m: it limits memory and swap "
	  "together (-1: unlimited swap)" },
	{ { "-m", "1g", "--memory-swap", "1073741823", "sh", NULL },
	  "error: option '--memory-swap' is less than -m: it limits memory and "
	  "swap together, so it is at least -m (equal: no swap; -1: unlimited "
	  "swap)" },
	{ { "-m", "64m", "--memory-swap", "-2", "sh", NULL },
	  "error: invalid value '-2' for '--memory-swap': " MEM_WHY },
	{ { "-m", "64m", "--memory-swap", "-1m", "sh", NULL },
	  "error: invalid value '-1m' for '--memory-swap': " MEM_WHY },
	{ { "-m", "64m", "--memory-swap", "9223372036854775296", "sh", NULL },
	  "error: invalid value '9223372036854775296' for '--memory-swap': " MEM_MAX },
	{ { "--memory-swap", NULL }, "error: option '--memory-swap' needs a value" },
	/* --shm-size: /dev/shm's bytes, with --rootfs; 0: docker's 64m */
	{ { "--rootfs", "/r", "--shm-size", "1g", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r shm=1073741824" },
	{ { "--shm-size=1.5k", "--rootfs", "/r", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r shm=1536" },
	{ { "--shm-size", "0", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--shm-size", "64m", "sh", NULL },
	  "error: option '--shm-size' needs --rootfs" },
	{ { "--rootfs", "/r", "--shm-size", "64ki", "sh", NULL },
	  "error: invalid value '64ki' for '--shm-size': " MEM_WHY },
	{ { "--rootfs", "/r", "--shm-size", "-1", "sh", NULL },
	  "error: invalid value '-1' for '--shm-size': " MEM_WHY },
	{ { "--rootfs", "/r", "--shm-size", "8192p", "sh", NULL },
	  "error: invalid value '8192p' for '--shm-size': " MEM_MAX },
	/* docker's largest, and its edge (its float64 wraps above) */
	{ { "-m", "9223372036854775295", "sh", NULL },
	  DEFAULTS "cmd=[sh] mem=9223372036854775295" },
	{ { "-m", "9223372036854775296", "sh", NULL },
	  "error: invalid value '9223372036854775296' for '-m': " MEM_MAX },
	{ { "-m", "9223372036854775807", "sh", NULL },
	  "error: invalid value '9223372036854775807' for '-m': " MEM_MAX },
	{ { "-m", "8589934592g", "sh", NULL },
	  "error: invalid value '8589934592g' for '-m': " MEM_MAX },
	{ { "-m", "1e19", "sh", NULL },
	  "error: invalid value '1e19' for '-m': " MEM_MAX },
	{ { "-m", "99999999999999999999999999999p", "sh", NULL },
	  "error: invalid value '99999999999999999999999999999p' for '-m': " MEM_MAX },
	{ { "-m", "m", "sh", NULL },
	  "error: invalid value 'm' for '-m': " MEM_WHY },
	/* --pids-limit: 1 to the kernel's PID_MAX_LIMIT; -1 and 0 no limit */
	{ { "--pids-limit", "10", "sh", NULL }, DEFAULTS "cmd=[sh] pids=10" },
	{ { "--pids-limit=4194304", "sh", NULL }, DEFAULTS "cmd=[sh] pids=4194304" },
	{ { "--pids-limit", "0", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--pids-limit", "-1", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--pids-limit", "10", "--pids-limit", "-5", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--pids-limit", "4194305", "sh", NULL },
	  "error: invalid value '4194305' for '--pids-limit': " PIDS_WHY },
	{ { "--pids-limit", "1k", "sh", NULL },
	  "error: invalid value '1k' for '--pids-limit': " PIDS_WHY },
	{ { "--pids-limit", "010", "sh", NULL },
	  "error: invalid value '010' for '--pids-limit': " PIDS_WHY },
	{ { "--pids-limit", "-", "sh", NULL },
	  "error: invalid value '-' for '--pids-limit': " PIDS_WHY },
	{ { "--pids-limit", "-1x", "sh", NULL },
	  "error: invalid value '-1x' for '--pids-limit': " PIDS_WHY },
	/* --cpus: docker's spellings (big.Rat), 0.01 up, 9 decimals, 0 none */
	{ { "--cpus", "0.5", "sh", NULL }, DEFAULTS "cmd=[sh] quota=50000" },
	{ { "--cpus", ".5", "sh", NULL }, DEFAULTS "cmd=[sh] quota=50000" },
	{ { "--cpus", "1/2", "sh", NULL }, DEFAULTS "cmd=[sh] quota=50000" },
	{ { "--cpus", "1.5", "sh", NULL }, DEFAULTS "cmd=[sh] quota=150000" },
	{ { "--cpus", "1.", "sh", NULL }, DEFAULTS "cmd=[sh] quota=100000" },
	{ { "--cpus=2", "sh", NULL }, DEFAULTS "cmd=[sh] quota=200000" },
	{ { "--cpus", "0.01", "sh", NULL }, DEFAULTS "cmd=[sh] quota=1000" },
	{ { "--cpus", "1.23456", "sh", NULL }, DEFAULTS "cmd=[sh] quota=123456" },
	{ { "--cpus", "0.123456789", "sh", NULL }, DEFAULTS "cmd=[sh] quota=12345" },
	{ { "--cpus", "1e-1", "sh", NULL }, DEFAULTS "cmd=[sh] quota=10000" },
	{ { "--cpus", "100000", "sh", NULL }, DEFAULTS "cmd=[sh] quota=10000000000" },
	{ { "--cpus", "0", "sh", NULL }, DEFAULTS "cmd=[sh]" },
	{ { "--cpus", "0.009", "sh", NULL },
	  "error: invalid value '0.009' for '--cpus': " CPUS_WHY },
	{ { "--cpus", "100000.000000001", "sh", NULL },
	  "error: invalid value '100000.000000001' for '--cpus': " CPUS_WHY },
	{ { "--cpus", "-0.5", "sh", NULL },
	  "error: invalid value '-0.5' for '--cpus': " CPUS_WHY },
	{ { "--cpus", "1.0000000001", "sh", NULL },
	  "error: invalid value '1.0000000001' for '--cpus': " CPUS_WHY },
	{ { "--cpus", "1/3", "sh", NULL },
	  "error: invalid value '1/3' for '--cpus': " CPUS_WHY },
	{ { "--cpus=", "sh", NULL },
	  "error: invalid value '' for '--cpus': " CPUS_WHY },
	{ { "--cpus", "1,5", "sh", NULL },
	  "error: invalid value '1,5' for '--cpus': " CPUS_WHY },
	/* --cpuset-cpus: the kernel's list syntax */
	{ { "--cpuset-cpus", "0-1,3", "sh", NULL }, DEFAULTS "cmd=[sh] cpuset=0-1,3" },
	{ { "--cpuset-cpus=0", "sh", NULL }, DEFAULTS "cmd=[sh] cpuset=0" },
	{ { "--cpuset-cpus", "1-0", "sh", NULL },
	  "error: invalid value '1-0' for '--cpuset-cpus': use CPU numbers and ranges separated by commas: 0-1,3" },
	{ { "--cpuset-cpus", "0,", "sh", NULL },
	  "error: invalid value '0,' for '--cpuset-cpus': use CPU numbers and ranges separated by commas: 0-1,3" },
	{ { "--cpuset-cpus", "", "sh", NULL },
	  "error: invalid value '' for '--cpuset-cpus': use CPU numbers and ranges separated by commas: 0-1,3" },
	{ { "--cpuset-cpus", "0 1", "sh", NULL },
	  "error: invalid value '0 1' for '--cpuset-cpus': use CPU numbers and ranges separated by commas: 0-1,3" },
	/* --rootfs, -v, --read-only */
	{ { "--rootfs", "/srv/box", "sh", NULL }, DEFAULTS "cmd=[sh] rootfs=/srv/box" },
	{ { "--rootfs=rel", "--read-only", "sh", NULL }, DEFAULTS "cmd=[sh] rootfs=rel ro" },
	{ { "--rootfs", "/r", "-v", "/a:/b", "--volume=/c:/d:ro", "-v/e:/f", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r v=/a:/b v=/c:/d:ro v=/e:/f" },
	{ { "-v", "/a:/b", "--rootfs", "/r", "sh", NULL }, DEFAULTS "cmd=[sh] rootfs=/r v=/a:/b" },
	{ { "--rootfs", "", "sh", NULL }, "error: invalid value '' for '--rootfs': an empty path" },
	{ { "-v", "/a:/b", "sh", NULL }, "error: option '--volume' needs --rootfs" },
	{ { "--read-only", "sh", NULL }, "error: option '--read-only' needs --rootfs" },
	{ { "--read-only=1", "sh", NULL }, "error: option '--read-only' takes no value" },
	{ { "-v", "a:/b", "sh", NULL },
	  "error: invalid value 'a:/b' for '-v': use HOST:CONTAINER[:ro|:rw], both absolute paths" },
	{ { "--rootfs", "/r", "-v", "/a:/b:rw", "sh", NULL }, DEFAULTS "cmd=[sh] rootfs=/r v=/a:/b:rw" },
	{ { "-v", "/a:/b:ro,rw", "sh", NULL },
	  "error: invalid value '/a:/b:ro,rw' for '-v': after CONTAINER, only :ro or :rw" },
	{ { "-v", "/a:/b:RW", "sh", NULL },
	  "error: invalid value '/a:/b:RW' for '-v': after CONTAINER, only :ro or :rw" },
	{ { "-v", "/a:/b/../../etc", "sh", NULL },
	  "error: invalid value '/a:/b/../../etc' for '-v': no '..' in CONTAINER" },
	{ { "--volume", "/a:/", "sh", NULL },
	  "error: invalid value '/a:/' for '--volume': CONTAINER cannot be /" },
	{ { "-v", "", "sh", NULL },
	  "error: invalid value '' for '-v': use HOST:CONTAINER[:ro|:rw], both absolute paths" },
	/* --tmpfs */
	{ { "--rootfs", "/r", "--tmpfs", "/run", "--tmpfs=/tmp:size=64m,exec", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r tmpfs=/run tmpfs=/tmp:size=64m,exec" },
	{ { "--tmpfs", "/run", "sh", NULL }, "error: option '--tmpfs' needs --rootfs" },
	{ { "--tmpfs", "run", "sh", NULL },
	  "error: invalid value 'run' for '--tmpfs': PATH must be absolute" },
	{ { "--tmpfs", "/", "sh", NULL },
	  "error: invalid value '/' for '--tmpfs': PATH cannot be /" },
	{ { "--tmpfs=/a/../etc", "sh", NULL },
	  "error: invalid value '/a/../etc' for '--tmpfs': no '..' in PATH" },
	{ { "--tmpfs", "/t:size=1x", "sh", NULL },
	  "error: invalid value '/t:size=1x' for '--tmpfs': OPTIONS are size=BYTES[k|m|g|t|p|e], mode=OCTAL and ro, rw, [no]suid, [no]dev, [no]exec, [no]atime, [no]diratime, relatime, strictatime, separated by commas" },
	{ { "--tmpfs", "sh", NULL }, "error: invalid value 'sh' for '--tmpfs': PATH must be absolute" },
	/* all of them, with the rest */
	{ { "-ti", "-m", "32m", "--pids-limit", "10", "--cpus=0.5", "--cpuset-cpus", "0",
	    "--rootfs", "/r", "--read-only", "-v", "/a:/b:ro", "--init", "sh", NULL },
	  "i=1 t=1 init=1 trace=0 net=none timeout=10 host=- wd=- env=[] cmd=[sh] mem=33554432 pids=10 quota=50000 cpuset=0 rootfs=/r ro v=/a:/b:ro" },
	/* -u, --group-add: checked here, looked up inside (passwd.c) */
	{ { "-u", "alice", "sh", NULL }, DEFAULTS "cmd=[sh] user=alice" },
	{ { "--user=1000:100", "--group-add", "wheel", "--group-add=5", "sh", NULL },
	  DEFAULTS "cmd=[sh] user=1000:100 group=wheel group=5" },
	{ { "-ualice:staff", "sh", NULL }, DEFAULTS "cmd=[sh] user=alice:staff" },
	{ { "-u", "2147483647", "sh", NULL }, DEFAULTS "cmd=[sh] user=2147483647" },
	{ { "-u", "2147483648", "sh", NULL },
	  "error: invalid value '2147483648' for '-u': use USER[:GROUP], names or numbers from 0 to 2147483647" },
	{ { "-u", "", "sh", NULL },
	  "error: invalid value '' for '-u': use USER[:GROUP], names or numbers from 0 to 2147483647" },
	{ { "-u", ":5", "sh", NULL },
	  "error: invalid value ':5' for '-u': use USER[:GROUP], names or numbers from 0 to 2147483647" },
	{ { "-u", "bob:", "sh", NULL },
	  "error: invalid value 'bob:' for '-u': use USER[:GROUP], names or numbers from 0 to 2147483647" },
	{ { "--user", "bob:99999999999", "sh", NULL },
	  "error: invalid value 'bob:99999999999' for '--user': use USER[:GROUP], names or numbers from 0 to 2147483647" },
	{ { "--group-add", "", "sh", NULL },
	  "error: invalid value '' for '--group-add': use a group name or a number from 0 to 2147483647" },
	{ { "-u", NULL }, "error: option '-u' needs a value" },
	/* --cap-add, --cap-drop, --privileged: docker's rule (capnames.c) */
	{ { "--rootfs", "/r", "--cap-add", "NET_ADMIN", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=a00435fb" },
	{ { "--rootfs", "/r", "--cap-drop", "cap_chown", "--cap-add=sys_time", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=a20425fa" },
	{ { "--rootfs", "/r", "--cap-drop", "ALL", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=0" },
	{ { "--cap-add", "kill", "--rootfs", "/r", "--cap-drop", "all", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=20" },
	{ { "--rootfs", "/r", "--cap-add", "ALL", "--cap-drop", "MKNOD", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=1fff7ffffff" },
	{ { "--rootfs", "/r", "--cap-add", "CHOWN", "--cap-drop", "CHOWN", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=a00425fb" },
	{ { "--cap-drop", "NET_RAW", "sh", NULL }, DEFAULTS "cmd=[sh] caps=1ffffffdfff" },
	{ { "--rootfs", "/r", "--privileged", "--cap-drop", "ALL", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r caps=1ffffffffff privileged" },
	{ { "--cap-add", "CAP_ALL", "sh", NULL },
	  "error: invalid value 'CAP_ALL' for '--cap-add': use a capability of capabilities(7), with or without CAP_, or ALL" },
	{ { "--cap-drop=NET-ADMIN", "sh", NULL },
	  "error: invalid value 'NET-ADMIN' for '--cap-drop': use a capability of capabilities(7), with or without CAP_, or ALL" },
	{ { "--privileged=1", "sh", NULL }, "error: option '--privileged' takes no value" },
	/* --security-opt: no-new-privileges (on with --rootfs by default) */
	{ { "--security-opt", "no-new-privileges", "sh", NULL }, DEFAULTS "cmd=[sh] nnp=1" },
	{ { "--rootfs", "/r", "--security-opt=no-new-privileges=false", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r nnp=0" },
	{ { "--rootfs", "/r", "--security-opt", "no-new-privileges:FALSE", "sh", NULL },
	  DEFAULTS "cmd=[sh] rootfs=/r nnp=0" },
	{ { "--security-opt", "no-new-privileges=1", "sh", NULL }, DEFAULTS "cmd=[sh] nnp=1" },
	{ { "--security-opt", "no-new-privileges=yes", "sh", NULL },
	  "error: invalid value 'no-new-privileges=yes' for '--security-opt': use no-new-privileges, no-new-privileges=true or =false" },
	{ { "--security-opt", "label=disable", "sh", NULL },
	  "error: invalid value 'label=disable' for '--security-opt': use seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges[=true|false]" },
	/* the first error wins, and a later good option does not hide it */
	{ { "--bogus", "-h", "", "sh", NULL }, "error: unknown option '--bogus'" },
	{ { "-t", "--bogus", NULL }, "error: unknown option '--bogus'" },
	{ { "--init", "-q", NULL }, "error: unknown option '-q'" },
};

/*
 * Each row runs as its own test.  The parameter is the row's index, not
 * the row: criterion may run a test in a fresh process, where pointers
 * into our static table would not point at the same place.
 */
#define NCASES (sizeof cases / sizeof cases[0])
static int rows[NCASES];

ParameterizedTestParameters(parse_run, table)
{
	for (size_t i = 0; i < NCASES; i++)
		rows[i] = (int)i;
	return cr_make_param_array(int, rows, NCASES);
}

ParameterizedTest(int *row, parse_run, table)
{
	const struct parse_case *c = &cases[*row];
	char got[1024];

	describe(c->argv, got, sizeof got);
	cr_expect_str_eq(got, c->expect, "argv[0]=\"%s\"", c->argv[0] ? c->argv[0] : "(none)");
}

/* The parser keeps pointers into argv: nothing is copied, nothing freed. */
Test(parse_run, values_point_into_argv)
{
	char *argv[] = { "-hbox", "-e", "A=1", "--rootfs", "/r", "-v", "/a:/b",
			 "--cpuset-cpus=1", "sh", NULL };
	const char *env[9], *env_files[9], *volumes[9], *tmpfs[9];
	const char *group_add[9];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;

	cr_assert_eq(parse_run(9, argv, &o, &err), PARSE_OK);
	cr_expect_eq(o.hostname, argv[0] + 2);
	cr_expect_eq(o.env[0], argv[2]);
	cr_expect_eq(o.rootfs, argv[4]);
	cr_expect_eq(o.volumes[0], argv[6]);
	cr_expect_eq(o.cpuset_cpus, argv[7] + 14);
	cr_expect_eq(o.words, argv);
	cr_expect_eq(o.argv, argv + 8);
}

/* Parsing twice from the same struct starts from a clean slate. */
Test(parse_run, resets_between_calls)
{
	char *first[] = { "-ti", "-e", "A=1", "--tmpfs=/t", "sh", NULL };
	char *second[] = { "sh", NULL };
	const char *env[4], *env_files[4], *volumes[4], *tmpfs[4];
	const char *group_add[4];
	struct run_opts o = { .env = env, .env_files = env_files,
			      .volumes = volumes, .tmpfs = tmpfs,
			      .group_add = group_add };
	struct parse_error err;

	parse_run(5, first, &o, &err);
	cr_assert_eq(parse_run(1, second, &o, &err), PARSE_OK);
	cr_expect_eq(o.tty + o.interactive + o.nenv + o.nvolumes + o.ntmpfs, 0);
	cr_expect_eq(o.env, env);
	cr_expect_eq(o.volumes, volumes);
	cr_expect_eq(o.env_files, env_files);
	cr_expect_eq(o.tmpfs, tmpfs);
}
