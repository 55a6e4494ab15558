/*
 * bench/interleave.c - start latency of several commands, interleaved.
 *
 *   interleave RUNS "NAME=CMD ARG..." ...
 *
 * hyperfine runs all of one command, then all of the next: on a shared
 * machine the load drifts between the blocks, and every run that creates
 * a network namespace leaves the kernel work to free it later, which
 * lands on whoever runs next.  Here round r runs every command once, in
 * an order rotated by r, so drift and leftovers fall on all alike.
 * Prints each command's median and quartiles in ms, and its median's
 * ratio to the first command's.  Words are split on spaces (no quoting).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 16
#define MAXARG 32

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* One run: fork, exec, wait; the wall time in ms, or -1 on failure. */
static double run_once(char *const argv[])
{
	double t0 = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || status != 0)
		return -1;
	return now_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char *argv[])
{
	int runs = argc > 1 ? atoi(argv[1]) : 0, n = argc - 2;
	char *name[MAXCMD], *args[MAXCMD][MAXARG];
	double *t[MAXCMD], first = 0;

	if (runs < 1 || n < 1 || n > MAXCMD)
		return fprintf(stderr, "usage: interleave RUNS NAME=CMD...\n"), 2;
	for (int c = 0; c < n; c++) {
		int k = 0;
		name[c] = strtok(argv[c + 2], "=");
		for (char *w = strtok(NULL, " "); w && k < MAXARG - 1; w = strtok(NULL, " "))
			args[c][k++] = w;
		args[c][k] = NULL;
		t[c] = calloc(runs, sizeof **t);
	}
	for (int r = 0; r < runs; r++)
		for (int i = 0; i < n; i++) {
			int c = (i + r) % n;
			if ((t[c][r] = run_once(args[c])) < 0)
				return fprintf(stderr, "%s failed\n", name[c]), 1;
		}
	printf("%-24s %9s %9s %9s %8s\n", "command", "median", "p25", "p75", "ratio");
	for (int c = 0; c < n; c++) {
		qsort(t[c], runs, sizeof **t, cmp);
		if (c == 0)
			first = t[c][runs / 2];
		printf("%-24s %9.3f %9.3f %9.3f %8.2f\n", name[c], t[c][runs / 2],
		       t[c][runs / 4], t[c][3 * runs / 4], t[c][runs / 2] / first);
	}
	return 0;
}
