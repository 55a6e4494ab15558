/*
 * test/euid.c - what a setuid-root program gets (test/test_users.sh):
 * its effective uid and effective capabilities, "euid=N CapEff=HEX".
 * Busybox cannot show it: run setuid, it drops back to the caller's uid
 * for every applet that does not need root (its FEATURE_SUID).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[256], eff[64] = "?";
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %63s", eff) == 1)
			break;
	printf("euid=%d CapEff=%s\n", (int)geteuid(), eff);
	return 0;
}
