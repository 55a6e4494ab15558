# minictr - a plain Makefile.  Override anything: make CC=gcc PREFIX=/usr
#
#   make            build ./minictr (static, musl, stripped: what you ship)
#   make minictr.debug   the same program with symbols and -g, for gdb
#   make run        install missing build packages, build, start a shell
#   make test       install missing test packages, build, run every test
#   make mutate     put small deliberate bugs in scratch copies, one at a
#                   time, and count those the suites catch (slow; not CI)
#   make deps       install missing build packages (test-deps: test ones)
#   make vm-test    boot a minimal VM (qemu, Debian's kernel, busybox) and
#                   run the container scenario in it; ARCH=x86_64|aarch64|armhf
#   make cross      a static binary for ARCH=aarch64|armhf|riscv64
#   make bench      compare start-up cost with unshare, bwrap, tini, crun
#   make install    PREFIX=/usr/local DESTDIR= : the binary and man page

CC      = musl-gcc
CFLAGS  = -Os -Wall -Wextra -std=c11 -D_GNU_SOURCE $(SMALL)
LDFLAGS = -static -s $(SMALL) -Wl,--gc-sections -Wl,-z,noseparate-code \
	  -Wl,-z,norelro
# Size: no unwind tables (C has no exceptions), one section per function so
# the linker drops what is unused, and no page-aligned padding between the
# code and data segments.  RELRO is off: it write-protects what a dynamic
# loader fills in, and a static binary has none (its GOT is one entry, set
# at link time), while its page alignment costs 4 KiB of file on x86_64
# and 52 KiB on aarch64 (64 KiB pages).  -s: no symbol table (and no
# debug information, which musl's libc.a brings): the binary is the size
# README gives; minictr.debug keeps them, for gdb and readable backtraces.
SMALL   = -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
PREFIX  = /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man/man1

# The unit tests link criterion, built for glibc: they use the host's cc.
HOSTCC  = cc
UNIT_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -g

SRC = main.c args.c units.c env.c run.c stop.c ns.c init.c pid1.c pty.c \
      relay.c inroot.c mounts.c mountorder.c readonly.c etcfiles.c \
      seccomp.c mountinfo.c cgroup.c stale.c rootfs.c caps.c sealed.c chroot.c \
      msg.c json.c config.c config_linux.c process.c ociargs.c oci.c \
      state.c created.c spec.c \
      hooks.c
OBJ = $(SRC:.c=.o)
# jsmn (libjsmn-dev) is one header in /usr/include, where musl-gcc does not
# look (-nostdinc): a directory that holds only a link to it lets it in,
# and no glibc header with it (test/vm/cross.sh does the same for linux/).
JSMN = .jsmn/jsmn.h
UNIT_SRC = test/unit_args.c test/unit_env.c test/unit_units.c test/unit_msg.c \
	   test/unit_mountinfo.c test/unit_json.c test/unit_config.c \
	   test/unit_ociargs.c args.c units.c env.c msg.c mountorder.c \
	   mountinfo.c json.c config.c config_linux.c ociargs.c
# The same unit tests under AddressSanitizer and UBSan, and a libFuzzer
# harness for every parser (make fuzz; FUZZ_SECONDS bounds the run).
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZ_SECONDS = 60

# Debian packages, installed by test/deps.sh only when missing.
BUILD_PKGS = make gcc libc6-dev musl-tools libjsmn-dev
TEST_PKGS  = libcriterion-dev iproute2 procps util-linux iputils-ping tmux \
	     valgrind clang libclang-rt-14-dev busybox-static strace python3 \
	     python3-cram file man-db containerd perl
BENCH_PKGS = hyperfine util-linux busybox-static bubblewrap tini bsdutils \
	     crun bc

all: minictr

minictr: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ)

$(OBJ): minictr.h

$(JSMN): /usr/include/jsmn.h
	mkdir -p $(@D) && ln -sf $< $@

json.o: $(JSMN)
json.o: CFLAGS += -I$(dir $(JSMN))

minictr.debug: $(SRC) minictr.h $(JSMN)
	$(CC) $(CFLAGS) -I$(dir $(JSMN)) -g $(filter-out -s,$(LDFLAGS)) -o $@ $(SRC)

deps:
	@sh test/deps.sh $(BUILD_PKGS)

test-deps:
	@sh test/deps.sh $(BUILD_PKGS) $(TEST_PKGS)

run: deps
	$(MAKE) minictr
	./minictr run -ti /bin/sh

test/unit: $(UNIT_SRC) minictr.h
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRC) -lcriterion

test/unit-asan: $(UNIT_SRC) minictr.h
	$(HOSTCC) $(UNIT_CFLAGS) $(SANITIZE) -o $@ $(UNIT_SRC) -lcriterion

FUZZ_CFLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
test/fuzz_args: test/fuzz_args.c args.c units.c env.c mountorder.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_args.c args.c units.c env.c \
		mountorder.c

test/fuzz_units: test/fuzz_units.c units.c mountorder.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_units.c units.c mountorder.c

test/fuzz_envfile: test/fuzz_envfile.c env.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_envfile.c env.c

CONFIG_SRC = json.c config.c config_linux.c args.c units.c env.c mountorder.c
test/fuzz_config: test/fuzz_config.c $(CONFIG_SRC) minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_config.c $(CONFIG_SRC)

# the caller's side of --console-socket, for test/test_oci.sh (host cc)
test/console_recv: test/console_recv.c
	$(HOSTCC) -O2 -Wall -Wextra -o $@ test/console_recv.c

fuzz: test/fuzz_args test/fuzz_units test/fuzz_envfile test/fuzz_config
	test/fuzz.sh $(FUZZ_SECONDS)

# Every suite runs, even after one fails; the last line counts them.
SUITES = test/unit test/unit-asan test/test_docs.sh test/test_run.sh \
	 test/test_tty.sh test/test_limits.sh test/test_rootfs.sh \
	 test/test_edges.sh test/test_trace.sh test/test_chroot.sh \
	 test/test_soak.sh test/test_verify.sh test/test_oci.sh \
	 test/test_containerd.sh \
	 test/test_ocihooks.sh \
	 "test/fuzz.sh $(FUZZ_SECONDS)" \
	 "$(MAKE) -s vm-test ARCH=x86_64" "$(MAKE) -s vm-test ARCH=aarch64" \
	 "test/vm/optional.sh armhf"

test: test-deps
	$(MAKE) minictr test/unit test/unit-asan test/fuzz_args test/fuzz_units \
		test/fuzz_envfile test/fuzz_config test/console_recv
	test/all.sh $(SUITES)

# Mutation testing: each bug of test/mutants in a scratch copy of the tree,
# built and run against the suites that should catch it; the score last.
# MUTANTS="ID..." runs some of them.  Too slow for `make test` and CI.
mutate: test-deps
	$(MAKE) minictr test/unit
	test/mutate.sh $(MUTANTS)

# The minimal VM: test/vm/ (deps.sh downloads the kernels and busybox into
# /var/cache/minictr-vm; nothing is installed into /boot).
ARCH = x86_64
vm-deps:
	@sh test/vm/deps.sh $(ARCH)

vm-test: vm-deps
	@if [ "$(ARCH)" = x86_64 ]; then \
		$(MAKE) -s minictr && bash test/vm/vm-test.sh x86_64; \
	else \
		$(MAKE) -s minictr-$(ARCH) && \
		MINICTR=./minictr-$(ARCH) bash test/vm/vm-test.sh $(ARCH); \
	fi

# Cross builds, with Debian's cross gcc and musl-dev:<arch> (test/vm/cross.sh)
cross: vm-deps
	$(MAKE) minictr-$(ARCH)

minictr-%: $(SRC) minictr.h $(JSMN)
	CFLAGS="$(CFLAGS)" CPPFLAGS="-I$(CURDIR)/$(dir $(JSMN))" LDFLAGS="$(LDFLAGS)" \
		sh test/vm/cross.sh $* $@ $(SRC)

bench: deps
	@sh test/deps.sh $(BENCH_PKGS)
	$(MAKE) minictr
	bench/bench.sh
	bench/bench_tty.sh
	bench/bench_load.sh
	bench/bench_rootfs.sh

install: minictr
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 -s minictr $(DESTDIR)$(BINDIR)/minictr
	install -m 644 minictr.1 $(DESTDIR)$(MANDIR)/minictr.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minictr $(DESTDIR)$(MANDIR)/minictr.1

clean:
	rm -f minictr minictr.debug minictr-* $(OBJ) test/unit test/unit-asan test/fuzz_args \
	      test/fuzz_units test/fuzz_envfile test/fuzz_config test/console_recv
	rm -rf .jsmn

.PHONY: all deps test-deps run test mutate fuzz vm-deps vm-test cross bench install \
	uninstall clean
