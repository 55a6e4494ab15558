/*
 * test/vm/escape.c - the classic chroot escape, run as a container's
 * command by the VM scenario's --rootfs checks.
 *
 * On an initramfs, minictr cannot pivot_root (the initramfs root refuses
 * it) and falls back on moving DIR over / and chroot(2).  A chroot alone
 * is escapable by root: chroot into a subdirectory, which leaves the
 * working directory outside the new root, climb out with "..", and
 * chroot(".") there.  This program does exactly that, then prints what it
 * can see: the number of processes in /proc and the name of PID 1, as
 * "N NAME".  Inside a good container that is still "1 escape": itself,
 * alone, in the container's own /proc (minictr detached the host's /proc
 * and /sys before the fallback, and DIR covers the initramfs's /).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	char comm[32] = "";
	int n = 0;
	struct dirent *e;
	DIR *d;
	FILE *f;

	mkdir("/tmp/x", 0755);
	if (chroot("/tmp/x") < 0)
		return 2;
	for (int i = 0; i < 64; i++)    /* the cwd is outside: climb */
		if (chdir("..") < 0)
			return 3;
	if (chroot(".") < 0)
		return 4;
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		n += atoi(e->d_name) > 0;
	f = fopen("/proc/1/comm", "r");
	if (f && fscanf(f, "%31s", comm) != 1)
		comm[0] = '\0';
	printf("%d %s\n", n, comm);
	return 0;
}
