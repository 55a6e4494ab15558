/*
 * config_resources.c - config.json's linux.resources: the limits
 * cgroup.c applies (memory, pids, CPU quota and period, CPU set), the
 * same fields -m, --pids-limit, --cpus and --cpuset-cpus fill; a limit
 * minictr lacks is refused unless it is a zero value (docker sends
 * "blockIO": {"weight": 0} to every container), what it does its own way
 * is noted.  (Its devices: config_devices.c.)
 * See the runtime spec's config-linux.md "Control groups", cgroups(7).
 */
#include <string.h>

#include "minictr.h"

/* null, 0, false, "", [], or an object of such values (docker sends
 * "blockIO": {"weight": 0} to every container: no weight).  Depth is
 * bounded by the document, which jsmn has already parsed whole. */
static int zero_value(const struct json *j, int t)
{
	int len, k = t + 1;
	const char *raw = json_raw(j, t, &len);

	switch (json_type(j, t)) {
	case JSON_PRIMITIVE:
		return (len == 1 && raw[0] == '0') || raw[0] == 'n' ||
		       json_bool(j, t) == 0;
	case JSON_STRING:
		return len == 0;
	case JSON_OBJECT:
		for (int i = 0; i < json_size(j, t); i++, k = json_next(j, k + 1))
			if (!zero_value(j, k + 1))
				return 0;
		return 1;
	default:
		return json_size(j, t) == 0;
	}
}

/* A member that must be absent or a zero value: refused else. */
static int must_be_unset(struct cfg *c, int obj, const char *key,
			 const char *where, const char *why)
{
	int t = json_get(c->j, obj, key);

	if (t < 0 || zero_value(c->j, t))
		return 0;
	return cfg_bad(c, why, "%s.%s", where, key);
}

/* Each of the n keys must be unset (must_be_unset): 0, or -1. */
int cfg_all_unset(struct cfg *c, int obj, const char *const *keys, int n,
		  const char *where, const char *why)
{
	for (int i = 0; i < n; i++)
		if (must_be_unset(c, obj, keys[i], where, why) < 0)
			return -1;
	return 0;
}

/* linux.resources.memory.swap: memory and swap together, as runc and
 * docker's --memory-swap read it (-1: swap unlimited).  Only beside a
 * limit: without one there is nothing to add swap to (docker sends twice
 * its limit when -m has no --memory-swap: docker's default swap), and
 * runc refuses it ("unable to set swap limit without memory limit"; v1's
 * kernel: EINVAL), as --memory-swap without -m is. */
static int swap(struct cfg *c, int mem)
{
	int t = json_get(c->j, mem, "swap");
	long long v = 0;

	if (t >= 0 && json_int(c->j, t, -1, 1LL << 62, &v) < 0)
		return cfg_bad(c, "not a number of bytes, or -1",
			       "linux.resources.memory.swap");
	if (v > 0 && v < c->o->memory)
		return cfg_bad(c, "below linux.resources.memory.limit: it is "
			       "memory and swap together",
			       "linux.resources.memory.swap");
	if (v > 0 && !c->o->memory)
		return cfg_bad(c, "without linux.resources.memory.limit: it is "
			       "memory and swap together (-1: unlimited swap)",
			       "linux.resources.memory.swap");
	c->o->memory_swap = c->o->memory ? v : 0;
	return 0;
}

/* linux.resources.memory and .pids: minictr's -m and --pids-limit. */
static int memory_pids(struct cfg *c, int r)
{
	int mem = json_get(c->j, r, "memory"), pids = json_get(c->j, r, "pids");
	long long v = 0;
	static const char *const no[] = { "kernel", "kernelTCP",
					  "disableOOMKiller" };

	if (cfg_all_unset(c, mem, no, 3, "linux.resources.memory",
			  "not supported yet") < 0)
		return -1;
	if (json_get(c->j, mem, "reservation") >= 0 ||
	    json_get(c->j, mem, "swappiness") >= 0)
		cfg_note(c, "linux.resources.memory: reservation and "
			 "swappiness are minictr's");
	if (json_get(c->j, mem, "limit") >= 0 &&
	    json_int(c->j, json_get(c->j, mem, "limit"), -1, 1LL << 62, &v) < 0)
		return cfg_bad(c, "not a number of bytes, or -1",
			       "linux.resources.memory.limit");
	c->o->memory = v > 0 ? v : 0;
	if (swap(c, mem) < 0)
		return -1;
	v = 0;
	if (json_get(c->j, pids, "limit") >= 0 &&
	    json_int(c->j, json_get(c->j, pids, "limit"), -1, 1LL << 62, &v) < 0)
		return cfg_bad(c, "not a number, or -1", "linux.resources.pids.limit");
	c->o->pids_limit = v > 0 ? (v > PIDS_MAX ? PIDS_MAX : v) : 0;
	return 0;
}

/* linux.resources.cpu: quota and period, cpus; the rest refused. */
static int cpu(struct cfg *c, int r)
{
	int t = json_get(c->j, r, "cpu");
	long long quota = 0, period = CPU_PERIOD_US;
	const char *cpus = NULL;
	static const char *const no[] = { "realtimeRuntime", "realtimePeriod",
					  "mems", "idle" };

	if (cfg_all_unset(c, t, no, 4, "linux.resources.cpu",
			  "not supported yet") < 0)
		return -1;
	if (json_get(c->j, t, "shares") >= 0)
		cfg_note(c, "linux.resources.cpu.shares: a weight, not applied");
	if ((json_get(c->j, t, "quota") >= 0 &&
	     json_int(c->j, json_get(c->j, t, "quota"), -1, 1LL << 40,
		      &quota) < 0) ||
	    (json_get(c->j, t, "period") >= 0 &&
	     json_int(c->j, json_get(c->j, t, "period"), 1000, 1000000,
		      &period) < 0))
		return cfg_bad(c, "quota: -1 or microseconds >= 1000; period: "
			       "1000 to 1000000", "linux.resources.cpu");
	if (quota > 0 && quota < 1000)
		return cfg_bad(c, "at least 1000 microseconds",
			       "linux.resources.cpu.quota");
	c->o->cpu_quota = quota > 0 ? quota : 0;
	c->o->cpu_period = quota > 0 ? period : 0;
	t = json_get(c->j, t, "cpus");
	if (t >= 0 && (!(cpus = json_string(c->j, t)) ||
		       (cpus[0] && parse_cpu_list(cpus) < 0)))
		return cfg_bad(c, "not a CPU list such as 0-1,3",
			       "linux.resources.cpu.cpus");
	c->o->cpuset_cpus = cpus && cpus[0] ? cpus : NULL;
	return 0;
}

/* linux.resources: what cgroup.c applies; limits it lacks are refused. */
int cfg_resources(struct cfg *c, int r)
{
	static const char *const no[] = { "blockIO", "hugepageLimits",
					  "network", "rdma", "unified" };

	if (r < 0)
		return 0;
	if (cfg_all_unset(c, r, no, 5, "linux.resources",
			  "this limit is not supported yet") < 0)
		return -1;
	return memory_pids(c, r) < 0 ? -1 : cpu(c, r);
}
