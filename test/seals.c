/*
 * test/seals.c - which seals does a file have?  For test_rootfs.sh: the
 * sealed copy of minictr that an --init container runs as PID 1.
 *
 *   seals FILE          e.g. seals /proc/1/exe
 *
 * Opens FILE read-only and prints fcntl(F_GET_SEALS) by name, in the
 * order sealed.c adds them: "F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|
 * F_SEAL_WRITE".  Why not just try to write?  While PID 1 runs the file,
 * the kernel refuses to open it for writing with ETXTBSY, seals or not:
 * a write attempt cannot tell a sealed copy from an unsealed one.  The
 * seals are what protect it once nothing executes it any more.
 * Exit 1 when the file cannot be opened or has no seals (EINVAL: not a
 * memfd).  Man page: fcntl(2), File Sealing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

int main(int argc, char *argv[])
{
	static const struct { int seal; const char *name; } names[] = {
		{ F_SEAL_SEAL, "F_SEAL_SEAL" }, { F_SEAL_SHRINK, "F_SEAL_SHRINK" },
		{ F_SEAL_GROW, "F_SEAL_GROW" }, { F_SEAL_WRITE, "F_SEAL_WRITE" },
	};
	const char *sep = "";
	int fd, seals;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDONLY);
	seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);
	if (seals < 0) {
		printf("%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (seals & names[i].seal) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
		}
	}
	printf("%s\n", *sep ? "" : "no seals");
	return 0;
}
