/* bench/syscall_loop.c N - N getppid(2) calls in a tight loop, timed in
 * blocks of 1000; prints the nanoseconds per call of the quickest block
 * (bench/bench_seccomp.sh: filtered vs unconfined).  The quickest block,
 * not the mean: on a shared machine a block that was preempted or shared
 * its core is slower by far more than a seccomp filter costs, and the
 * quickest is the call's own cost, filter included (the filter runs on
 * every call, so no block escapes it).  clock_gettime is the vDSO's: it
 * makes no system call, so the filter never sees it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 1000

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char *argv[])
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	double best = 1e30;

	for (long done = 0; done < n; done += BLOCK) {
		double t0 = now_ns();
		for (int i = 0; i < BLOCK; i++)
			syscall(SYS_getppid);
		double t = (now_ns() - t0) / BLOCK;
		if (t < best)
			best = t;
	}
	printf("%.1f\n", best);
	return 0;
}
