#!/usr/bin/env bash
# test/test_boot.sh - `minictr boot` and `make vm-image` on the host, no
# VM (test/vm/boot-test.sh boots them):
#   - as the PID 1 of a mere PID namespace (`unshare -p -f minictr boot`,
#     a container's init) boot is not the machine's init: it refuses and
#     touches nothing (no mount, no hostname, no power off), and
#     --dry-run only prints (strace shows every call; the whole check
#     runs in a mount and UTS namespace of its own, so a minictr that got
#     it wrong mounts over nothing of the host's);
#   - --dry-run's `run ...` line is a valid /etc/minictr/boot that reads
#     back the same, whatever quotes the words hold; boot refuses run -d;
#     boot --help is the help;
#   - test/vm/mkimage.sh, through `make vm-image`: the qemu command it
#     prints works from any directory, with the words intact (a ', a $),
#     a word the kernel cannot carry (") or one word too many (the kernel
#     panics) is refused, and the script it writes exits with the
#     container's status, or 125 when the container never ran.  qemu is
#     a stand-in here (on PATH) that records its arguments and prints a
#     given console.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_boot"
for t in strace unshare cpio gzip; do
	command -v $t >/dev/null || { echo "1..0 # SKIP test_boot: no $t"; exit 77; }
done

# --- boot as the PID 1 of a PID namespace: not a machine --------------
# pidns WORDS...: minictr boot WORDS as PID 1 of a new PID namespace,
# inside a private mount + UTS namespace; prints its output, then
# "rc=N host=H" (H: the hostname after it) and its mount/sethostname/
# reboot calls, one a line.
pidns() {
	timeout -k 5 60 unshare -m -u --propagation private \
		strace -f -qq -o "$T/strace" -e trace=mount,umount2,sethostname,reboot \
		unshare -p -f "$M" boot "$@" 2>&1 </dev/null
	echo "rc=$? host=$(hostname)"
	grep -oE '(mount|umount2|sethostname|reboot)\(.*' "$T/strace" | grep -v CAD_OFF
}
out=$(pidns run /bin/true)
has "a PID namespace's PID 1: boot refuses, the machine's words" "$out" \
	"minictr: boot: minictr is not the machine's PID 1: the kernel starts it"
has "... with 125" "$out" "rc=125 host=$(hostname)"
is "... having mounted nothing, set no hostname, not powered off" \
	"$(echo "$out" | grep -E '^(mount|umount2|sethostname|reboot)\(')" ""
out=$(pidns --dry-run run --hostname x /bin/true)
is "... --dry-run there prints, mounts nothing, exits 0" "$out" \
	"hostname minictr
run --hostname x /bin/true
rc=0 host=$(hostname)"

# --- --dry-run's words, and run -d --------------------------------------
printf '%s\n' "run /bin/echo \"a'b\"'\"c' 'x y' \"it's\" '' \$HOME#" >"$T/conf"
mc boot --dry-run --config "$T/conf"
is "--dry-run quotes a word holding ' and \" as the file reads it" "$out" \
	"hostname minictr
run /bin/echo 'a'\"'\"'b\"c' 'x y' 'it'\"'\"'s' '' '\$HOME#'"
echo "$out" | sed -n 2p >"$T/conf2"
mc boot --dry-run --config "$T/conf2"
is "... and that run line, as the file, reads back the same" \
	"$(echo "$out" | sed -n 2p)" "$(cat "$T/conf2")"
: >"$T/empty"
mc boot --dry-run --config "$T/empty"
is "nothing to run: the file named is --config's" "$rc $err" \
	"125 minictr: boot: nothing to run: give \`run ...\` after boot, or in $T/empty"
echo "--config /etc/other run /bin/true" >"$T/conf3"
mc boot --dry-run --config "$T/conf3"
is "a --config inside the file is refused, not ignored" "$rc $err" \
	"125 minictr: boot: $T/conf3: --config: only on the command line"
mc boot --help
like "boot --help: the help, boot's part in it, status 0" "$rc $out" \
	"^0 usage: minictr run .*minictr boot \[--hostname NAME\] \[--config FILE\] \[--dry-run\]"
mc boot --dry-run run --stop-timeout -1 /bin/true
is "boot takes --stop-timeout -1 (docker's: the machine waits for its container, no SIGKILL)" \
	"$rc $out" "0 hostname minictr
run --stop-timeout -1 /bin/true"
mc boot --dry-run run -d --restart always /bin/true
is "boot refuses run -d (the machine powers off when run returns)" \
	"$rc $err" "125 minictr: boot: run -d: the machine powers off as soon as run returns, its container with it: leave -d out"

# --- make vm-image: the commands it prints and writes -------------------
# A qemu stand-in: its arguments, one a line, in $T/qemu.args; the
# console it "shows" from $T/console, with the serial line's \r.
mkdir -p "$T/bin" "$T/elsewhere"
cat >"$T/bin/qemu-system-x86_64" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T/qemu.args"
while [ \$# -gt 0 ]; do
	[ "\$1" = -initrd ] && { [ -f "\$2" ] || echo "initrd \$2 missing" >&2; }
	shift
done
sed 's/\$/\r/' "$T/console"
EOF
chmod 755 "$T/bin/qemu-system-x86_64"
build_rootfs "$T/my rootfs"
image="$T/my image.cpio.gz"
# vmimage CMD: make vm-image of "$T/my rootfs"; its output in $out
vmimage() {
	out=$(make -s -o vm-deps vm-image ROOTFS="$T/my rootfs" IMAGE="$image" \
		CMD="$1" 2>&1)
	rc=$?
}
vmimage "/bin/sh -c 'echo \$HOSTNAME it'\\''s; exit 7'"
is "make vm-image: the kernel's words keep a ' and a \$ (CMD is sh's words)" \
	"$(echo "$out" | sed -n '1s/.*rdinit=//p')" \
	"/minictr -- boot run --rootfs /rootfs /bin/sh -c \"echo \$HOSTNAME it's; exit 7\""
printf 'hi\nminictr: container exited with status 7\n[    2.4] reboot: Power down\n' >"$T/console"
qemu=$(echo "$out" | sed -n 2p)
(cd "$T/elsewhere" && PATH=$T/bin:$PATH sh -c "$qemu" >/dev/null 2>"$T/qemu.err" </dev/null)
is "the printed qemu command works as printed, from another directory" \
	"$(cat "$T/qemu.err"; grep -A1 -- -append "$T/qemu.args" | tail -n 1)" \
	"$(echo "$out" | sed -n 1p)"
script=$(echo "$out" | sed -n "3s/^or: '\\(.*\\)'  .*/\\1/p")
is "... and it names the script it wrote beside the image" "$script" "$T/my image.sh"
# runner CONSOLE...: the script's exit status, the console being those
# lines; its stdout in runner.out, its stderr in runner.err
runner() {
	printf '%s\n' "$@" >"$T/console"
	(cd "$T/elsewhere" && PATH=$T/bin:$PATH "$script" >"$T/runner.out" \
		2>"$T/runner.err" </dev/null)
	echo $?
}
is "the script: the console on its stdout, \\r gone" \
	"$(runner hi 'minictr: container exited with status 7'; cat "$T/runner.out")" \
	"7
hi
minictr: container exited with status 7"
is "... exits with the container's status, after --restart's lines" \
	"$(runner 'minictr: container exited with status 3; restart 1 of 1 in 100 ms (--restart)' \
		'minictr: container exited with status 0' '[ 1.2] reboot: Power down')" 0
is "... the last status line wins (the container printed one too)" \
	"$(runner 'minictr: container exited with status 9' 'minictr: container exited with status 4')" 4
is "... after output with no line break" \
	"$(runner 'no newlineminictr: container exited with status 2')" 2
is "... and says so last on stderr" "$(cat "$T/runner.err")" \
	"my image.sh: the container exited with status 2"
is "... 125 on \"minictr: boot failed\"" \
	"$(runner "minictr: run: unknown option '--bogus'" 'minictr: boot failed')" 125
is "... and stderr says the container never ran" "$(cat "$T/runner.err")" \
	"my image.sh: the container never ran: boot failed, exit 125"
is "... a container's own 125: 125, and stderr says it ran" \
	"$(runner 'minictr: boot failed' 'minictr: container exited with status 125'
	   cat "$T/runner.err")" \
	"125
my image.sh: the container exited with status 125"
is "... 125 on a kernel panic (no status line)" \
	"$(runner 'Kernel panic - not syncing: Too many boot init vars')" 125
is "... and stderr says there was no status line" "$(cat "$T/runner.err")" \
	"my image.sh: the container never ran: no minictr status line (a kernel panic, or qemu failed), exit 125"
is "... the qemu options given to it are qemu's" \
	"$(PATH=$T/bin:$PATH "$script" -m 1024 >/dev/null 2>&1; tail -n 2 "$T/qemu.args" | tr '\n' ' ')" \
	"-m 1024 "
vmimage "/bin/sh -c 'echo \"a b\"'"
is "a word with a \" is refused (the kernel cannot carry it)" \
	"$rc $(echo "$out" | head -n 1)" \
	"2 mkimage.sh: a kernel command line cannot carry the word echo \"a b\": put it in CONFIG"
vmimage "/bin/echo $(seq -s ' ' 2 28)"
is "28 words for run (32 for init): an image" "$rc" 0
vmimage "/bin/echo $(seq -s ' ' 2 29)"
like "29 (the kernel would panic): refused, CONFIG named" "$rc $out" \
	"^2 mkimage.sh: 29 RUN-WORDS: the kernel passes init at most 32 words, boot takes 4: put them in CONFIG"
# a user's mistakes, named in make's words (ROOTFS=, CMD=), not the script's
out=$(make -s -o vm-deps vm-image IMAGE="$image" CMD=true 2>&1); rc=$?
is "make vm-image without ROOTFS: says which variable" "$rc $(echo "$out" | head -n 1)" \
	"2 mkimage.sh: no ROOTFS: give make vm-image ROOTFS=DIR, the container's root filesystem"
vmimage ""
is "make vm-image without CMD or CONFIG: says which variables" "$rc $(echo "$out" | head -n 1)" \
	"2 mkimage.sh: nothing to run: give make vm-image CMD='COMMAND [ARG...]' (run's words) or CONFIG=FILE"
summary
