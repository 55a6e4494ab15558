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
#                   (x86_64, aarch64: then boot minictr as the VM's init)
#   make vm-image   ROOTFS=DIR CMD='...': an initramfs of minictr and DIR
#                   that boots into that container, and its qemu command
#                   (also as IMAGE's .sh: exits with the container's status)
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
      dockerargs.c names.c logfile.c detach.c docker.c ps.c logs.c \
      exec.c features.c userns.c subid.c cgroupns.c
SRC += capnames.c passwd.c
SRC += seccomp_profile.c seccomp_bpf.c
# Generated at build time (gen/seccomp_tables.py): the syscall tables of
# each ABI from the kernel's uapi headers, and docker's default profile
# (Debian's golang-github-docker-docker-dev) as a struct; never committed.
DOCKER_SECCOMP = /usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
GEN = .gen/seccomp_x86_64.c
SRC += restart.c boot.c bootconf.c
SRC += hooks.c
SRC += devices.c
SRC += devnodes.c
SRC += maker.c
SRC += interrupt.c
SRC += cgroup_find.c cgroup_check.c cgroup_make.c cgroup_devices.c \
       cgroup_end.c cgroup_oom.c
SRC += config_mounts.c config_ns.c config_resources.c config_devices.c
SRC += userns_auto.c userns_rootless.c userns_write.c
SRC += container.c runjson.c
SRC += oci_create.c oci_start.c
SRC += run_watch.c run_signals.c
OBJ = $(SRC:.c=.o) $(GEN:.c=.o)
# jsmn (libjsmn-dev) is one header in /usr/include, where musl-gcc does not
# look (-nostdinc): a directory that holds only a link to it lets it in,
# and no glibc header with it (test/vm/cross.sh does the same for linux/).
JSMN = .jsmn/jsmn.h
UNIT_SRC = test/unit_args.c test/unit_env.c test/unit_units.c test/unit_msg.c \
	   test/unit_mountinfo.c test/unit_json.c test/unit_config.c \
	   test/unit_ociargs.c args.c units.c env.c msg.c mountorder.c \
	   mountinfo.c json.c config.c config_linux.c ociargs.c \
	   test/unit_dockerargs.c dockerargs.c \
	   test/unit_subid.c subid.c
UNIT_SRC += test/unit_users.c capnames.c passwd.c
UNIT_SRC += test/unit_seccomp.c seccomp_profile.c seccomp_bpf.c $(GEN)
UNIT_SRC += test/unit_boot.c restart.c bootconf.c
UNIT_SRC += test/unit_devices.c devices.c
UNIT_SRC += config_mounts.c config_ns.c config_resources.c config_devices.c
# The same unit tests under AddressSanitizer and UBSan, and a libFuzzer
# harness for every parser (make fuzz; FUZZ_SECONDS bounds the run).
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZ_SECONDS = 60

# Debian packages, installed by test/deps.sh only when missing.
BUILD_PKGS = make gcc libc6-dev musl-tools libjsmn-dev
BUILD_PKGS += python3 linux-libc-dev golang-github-docker-docker-dev
TEST_PKGS  = libcriterion-dev iproute2 procps util-linux iputils-ping tmux \
	     valgrind clang libclang-rt-14-dev busybox-static strace python3 \
	     python3-cram file man-db containerd perl \
	     podman conmon \
	     docker.io curl
TEST_PKGS += uidmap
BENCH_PKGS = hyperfine util-linux busybox-static bubblewrap tini bsdutils \
	     crun bc \
	     runc

all: minictr

minictr: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ)

$(OBJ): minictr.h
cgroup.o cgroup_find.o cgroup_check.o cgroup_make.o cgroup_devices.o \
cgroup_end.o cgroup_oom.o: cgroup.h
userns.o userns_auto.o userns_rootless.o userns_write.o: userns.h
oci.o oci_create.o oci_start.o: oci.h
run.o run_watch.o run_signals.o: run.h

.gen/seccomp_%.c: gen/seccomp_tables.py $(DOCKER_SECCOMP)
	@mkdir -p $(@D)
	python3 gen/seccomp_tables.py $* $@ $(DOCKER_SECCOMP)

$(JSMN): /usr/include/jsmn.h
	mkdir -p $(@D) && ln -sf $< $@

json.o: $(JSMN)
json.o: CFLAGS += -I$(dir $(JSMN))

minictr.debug: $(SRC) $(GEN) minictr.h cgroup.h userns.h oci.h run.h $(JSMN)
	$(CC) $(CFLAGS) -I. -I$(dir $(JSMN)) -g $(filter-out -s,$(LDFLAGS)) -o $@ $(SRC) $(GEN)

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
test/fuzz_args: test/fuzz_args.c args.c units.c env.c mountorder.c minictr.h \
		capnames.c passwd.c restart.c devices.c
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_args.c args.c units.c env.c \
		mountorder.c capnames.c passwd.c restart.c devices.c

test/fuzz_units: test/fuzz_units.c units.c mountorder.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_units.c units.c mountorder.c

test/fuzz_envfile: test/fuzz_envfile.c env.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_envfile.c env.c

CONFIG_SRC = json.c config.c config_linux.c args.c units.c env.c mountorder.c \
	     seccomp_profile.c $(GEN)
CONFIG_SRC += capnames.c passwd.c
CONFIG_SRC += restart.c
CONFIG_SRC += devices.c
CONFIG_SRC += config_mounts.c config_ns.c config_resources.c config_devices.c
test/fuzz_config: test/fuzz_config.c $(CONFIG_SRC) minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_config.c $(CONFIG_SRC)

test/fuzz_docker: test/fuzz_docker.c dockerargs.c ociargs.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_docker.c dockerargs.c ociargs.c

test/fuzz_users: test/fuzz_users.c passwd.c minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_users.c passwd.c

test/fuzz_seccomp: test/fuzz_seccomp.c json.c seccomp_profile.c seccomp_bpf.c $(GEN) minictr.h
	clang $(FUZZ_CFLAGS) -I. -o $@ test/fuzz_seccomp.c json.c seccomp_profile.c \
		seccomp_bpf.c $(GEN)

# one system call by name through one ABI, for test/test_seccomp.sh (host
# cc; static and not PIE: int $0x80 takes pointers below 4 GiB)
test/seccomp_try: test/seccomp_try.c seccomp_profile.c json.c $(GEN) $(JSMN) minictr.h
	$(HOSTCC) -O2 -Wall -Wextra -static -no-pie -I$(dir $(JSMN)) -o $@ \
		test/seccomp_try.c seccomp_profile.c json.c $(GEN)

# the caller's side of --console-socket, for test/test_oci.sh (host cc)
test/console_recv: test/console_recv.c
	$(HOSTCC) -O2 -Wall -Wextra -o $@ test/console_recv.c

# boot's words and /etc/minictr/boot (bootconf.c)
BOOT_SRC = bootconf.c args.c units.c env.c mountorder.c restart.c \
	   capnames.c passwd.c
BOOT_SRC += devices.c
test/fuzz_boot: test/fuzz_boot.c $(BOOT_SRC) minictr.h
	clang $(FUZZ_CFLAGS) -o $@ test/fuzz_boot.c $(BOOT_SRC)

fuzz: test/fuzz_args test/fuzz_units test/fuzz_envfile test/fuzz_config \
	test/fuzz_docker test/fuzz_users test/fuzz_seccomp test/fuzz_boot
	test/fuzz.sh $(FUZZ_SECONDS)

# Every suite runs, even after one fails; the last line counts them.
SUITES = test/unit test/unit-asan test/test_docs.sh test/test_run.sh \
	 test/test_tty.sh test/test_limits.sh test/test_rootfs.sh \
	 test/test_edges.sh test/test_trace.sh test/test_chroot.sh \
	 test/test_soak.sh test/test_verify.sh test/test_oci.sh \
	 test/test_containerd.sh \
	 test/test_detached.sh \
	 test/test_devices.sh \
	 test/test_exec.sh \
	 test/test_podman.sh \
	 test/test_docker.sh \
	 test/test_rootless.sh \
	 test/test_users.sh \
	 test/test_seccomp.sh \
	 test/test_ocihooks.sh \
	 test/test_halfmade.sh \
	 test/test_boot.sh \
	 "test/fuzz.sh $(FUZZ_SECONDS)" \
	 "$(MAKE) -s vm-test ARCH=x86_64" "$(MAKE) -s vm-test ARCH=aarch64" \
	 "test/vm/optional.sh armhf"

test: test-deps
	$(MAKE) minictr test/unit test/unit-asan test/fuzz_args test/fuzz_units \
		test/fuzz_envfile test/fuzz_config test/console_recv \
		test/fuzz_docker test/fuzz_users test/fuzz_seccomp \
		test/seccomp_try test/fuzz_boot
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
		$(MAKE) -s minictr && bash test/vm/vm-test.sh x86_64 && \
		bash test/vm/boot-test.sh x86_64; \
	else \
		$(MAKE) -s minictr-$(ARCH) && \
		MINICTR=./minictr-$(ARCH) bash test/vm/vm-test.sh $(ARCH) && \
		if [ "$(ARCH)" = aarch64 ]; then \
			MINICTR=./minictr-$(ARCH) bash test/vm/boot-test.sh $(ARCH); \
		fi; \
	fi

# An appliance: kernel + initramfs with only minictr (rdinit) and ROOTFS,
# which runs CMD (run's words: options and command) as its container and
# powers off when it ends; CONFIG=FILE adds /etc/minictr/boot (see
# bootconf.c).  Prints the kernel command line and the qemu command, and
# writes that as IMAGE's .sh, which exits with the container's status (125:
# it never ran; its last line, on stderr, says which, as a container may
# exit 125 itself).  CMD is split as sh splits words ($ is not make's here).
#   make vm-image ROOTFS=DIR CMD='/bin/sh -c "echo hi"' [ARCH=aarch64]
IMAGE = vm-image-$(ARCH).cpio.gz
vm-image: vm-deps
	@if [ "$(ARCH)" = x86_64 ]; then \
		$(MAKE) -s minictr && bin=./minictr; \
	else \
		$(MAKE) -s minictr-$(ARCH) && bin=./minictr-$(ARCH); \
	fi && sh test/vm/mkimage.sh $(ARCH) "$(IMAGE)" $$bin "$(ROOTFS)" \
		"$(CONFIG)" -- $(value CMD)

# Cross builds, with Debian's cross gcc and musl-dev:<arch> (test/vm/cross.sh)
cross: vm-deps
	$(MAKE) minictr-$(ARCH)

# (armhf and aarch64 each need the other's headers too: seccomp filters
# both ABIs, so linux-libc-dev-arm64-cross and -armhf-cross)
minictr-%: $(SRC) minictr.h $(JSMN) .gen/seccomp_%.c
	CFLAGS="$(CFLAGS)" CPPFLAGS="-I$(CURDIR) -I$(CURDIR)/$(dir $(JSMN))" LDFLAGS="$(LDFLAGS)" \
		sh test/vm/cross.sh $* $@ $(SRC) .gen/seccomp_$*.c

bench: deps
	@sh test/deps.sh $(BENCH_PKGS)
	$(MAKE) minictr
	bench/bench.sh
	bench/bench_tty.sh
	bench/bench_load.sh
	bench/bench_rootfs.sh
	bench/bench_detach.sh
	bench/bench_oci.sh
	bench/bench_exec.sh
	bench/bench_rootless.sh
	bench/bench_seccomp.sh

install: minictr
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 -s minictr $(DESTDIR)$(BINDIR)/minictr
	install -m 644 minictr.1 $(DESTDIR)$(MANDIR)/minictr.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minictr $(DESTDIR)$(MANDIR)/minictr.1

clean:
	rm -f minictr minictr.debug minictr-* $(OBJ) test/unit test/unit-asan test/fuzz_args \
	      test/fuzz_units test/fuzz_envfile test/fuzz_config test/console_recv \
	      test/fuzz_docker test/fuzz_users test/fuzz_seccomp test/seccomp_try \
	      test/fuzz_boot
	rm -rf .jsmn .gen

.PHONY: all deps test-deps run test mutate fuzz vm-deps vm-test cross bench install \
	uninstall clean
.PHONY: vm-image
