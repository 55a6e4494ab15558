# minictr - a plain Makefile.  Override anything: make CC=gcc PREFIX=/usr
#
#   make            build ./minictr (static, musl)
#   make run        install missing build packages, build, start a shell
#   make test       install missing test packages, build, run every test
#   make deps       install missing build packages (test-deps: test ones)
#   make bench      compare start-up cost with unshare, bwrap, tini, crun
#   make install    PREFIX=/usr/local DESTDIR= : the binary and man page

CC      = musl-gcc
CFLAGS  = -Os -Wall -Wextra -std=c11 -D_GNU_SOURCE $(SMALL)
LDFLAGS = -static $(SMALL) -Wl,--gc-sections -Wl,-z,noseparate-code
# Size: no unwind tables (C has no exceptions), one section per function so
# the linker drops what is unused, and no page-aligned padding between the
# code and data segments.
SMALL   = -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
PREFIX  = /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man/man1

# The unit tests link criterion, built for glibc: they use the host's cc.
HOSTCC  = cc
UNIT_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -g

SRC = main.c args.c units.c env.c run.c ns.c init.c pid1.c msg.c \
      mountinfo.c cgroup.c rootfs.c caps.c sealed.c
OBJ = $(SRC:.c=.o)
UNIT_SRC = test/unit_args.c test/unit_env.c test/unit_units.c args.c units.c env.c

# Debian packages, installed by test/deps.sh only when missing.
BUILD_PKGS = make gcc libc6-dev musl-tools
TEST_PKGS  = libcriterion-dev iproute2 procps util-linux iputils-ping busybox-static \
	     cpio qemu-system-x86 linux-image-cloud-amd64
BENCH_PKGS = hyperfine util-linux busybox-static bubblewrap tini crun bc

all: minictr

minictr: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ)

$(OBJ): minictr.h

deps:
	@sh test/deps.sh $(BUILD_PKGS)

test-deps:
	@sh test/deps.sh $(BUILD_PKGS) $(TEST_PKGS)

run: deps
	$(MAKE) minictr
	./minictr run -ti /bin/sh

test/unit: $(UNIT_SRC) minictr.h
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRC) -lcriterion

SUITES = test/unit test/test_docs.sh test/test_run.sh test/test_limits.sh \
	 test/test_rootfs.sh test/test_vm.sh

test: test-deps
	$(MAKE) minictr test/unit
	test/all.sh $(SUITES)

bench: deps
	@sh test/deps.sh $(BENCH_PKGS)
	$(MAKE) minictr
	bench/bench.sh
	bench/bench_rootfs.sh

install: minictr
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 -s minictr $(DESTDIR)$(BINDIR)/minictr
	install -m 644 minictr.1 $(DESTDIR)$(MANDIR)/minictr.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minictr $(DESTDIR)$(MANDIR)/minictr.1

clean:
	rm -f minictr $(OBJ) test/unit

.PHONY: all deps test-deps run test bench install uninstall clean
