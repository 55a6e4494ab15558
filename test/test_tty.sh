#!/usr/bin/env bash
# test/test_tty.sh - `minictr run -t`, driven through a real terminal.
#
# tmux is the user's terminal emulator here: a detached session whose pane
# runs a plain bash (the "host shell"), which types `minictr run -ti
# /bin/sh` like a person would.  send-keys types, capture-pane reads the
# screen, resize-window changes the window size.  Needs root and tmux.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_tty.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux missing (make test-deps)"; exit 77; }
host_snapshot before

# static and not PIE: its data lies below 4 GiB, where int $0x80 can
# point (tiocsti.c tries the i386 and x32 ABIs too)
cc -O2 -static -no-pie -o "$T/tiocsti" test/tiocsti.c || exit 1
tm() { tmux -S "$T/tmux.sock" "$@"; }
n_jc=0
# the screen and the scrollback, joined: what a person would read
screen() { tm capture-pane -p -J -t t -S -200; }
type_line() { tm send-keys -t t -l "$1"; tm send-keys -t t Enter; }
# screen_has REGEX: a line on the screen matches; with wait_for, a guard
screen_has() { screen | grep -qE "$1"; }
# value_of NAME: the last NAME=<digits> on the screen (a marker the host
# shell echoes; it may follow the container's last prompt on its line)
value_of() { screen | grep -oE "$1=[0-9]+" | tail -1 | cut -d= -f2; }
# Clean up, also after a failed check, an interrupted run or MUTATE_FAST's
# first "not ok": whatever the pane's shell still runs (a minictr, which
# takes its container with it), any minictr this suite started (matched on
# its full path: another suite's containers are not ours), the tmux
# server, the files the TIOCSTI checks may have made.
quiet_exit() {
	[ -n "${pane_pid:-}" ] && pkill -KILL -P "$pane_pid" 2>/dev/null
	tm kill-server 2>/dev/null
	rm -f /tmp/pwned"${tok:-none}".*
}
clean_up() {
	local pid
	quiet_exit
	for pid in $(pgrep -f "^$M run"); do kill -KILL "$pid" 2>/dev/null; done
	rm -rf "$T"
}
# job_control LABEL PID: in the container's shell (whose $$ is PID), job
# control works: set -o says monitor on; Ctrl-C interrupts a foreground
# sleep and the shell survives; Ctrl-Z stops it and jobs lists it; fg
# brings it back.  Each call uses its own screen markers.
job_control() {
	local label=$1 pid=$2 tag
	n_jc=$((n_jc + 1))
	tag=jc$n_jc
	type_line "set -o | grep monitor; echo $tag-monitor"
	wait_for screen_has "^$tag-monitor"
	like "${label}job control is on (set -o: monitor on)" \
		"$(screen | grep '^monitor ' | tail -1)" 'on$'
	type_line 'sleep 100'
	wait_for pgrep -r S -x sleep >/dev/null
	tm send-keys -t t C-c
	type_line "echo $tag-ctrl-c=\$\$"
	wait_for screen_has "^$tag-ctrl-c="
	check "${label}Ctrl-C interrupts sleep 100, and the shell survives" \
		screen_has "^$tag-ctrl-c=$pid\$"
	type_line 'sleep 100'
	wait_for pgrep -r S -x sleep >/dev/null
	tm send-keys -t t C-z
	type_line "jobs; echo $tag-jobs"
	wait_for screen_has "^$tag-jobs"
	like "${label}Ctrl-Z stops sleep, jobs shows it" "$(screen)" \
		'\[1\] \+ Stopped +sleep 100'
	type_line 'fg'                # back to the foreground, then Ctrl-C
	wait_for pgrep -r S -x sleep >/dev/null
	tm send-keys -t t C-c
	type_line "echo $tag-back=\$\$"
	wait_for screen_has "^$tag-back="
	check "${label}fg brings it back, Ctrl-C ends it" \
		screen_has "^$tag-back=$pid\$"
}

trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
tok=$RANDOM$RANDOM

tm new-session -d -s t -x 80 -y 24 \
	"env -i PATH=$PATH HOME=/root TERM=screen PS1='host\$ ' bash --norc --noprofile"
wait_for screen_has '^host\$ ' || { not_ok "tmux starts a shell"; summary; exit 1; }
driver_tty=$(tm display -p -t t '#{pane_tty}')
pane_pid=$(tm display -p -t t '#{pane_pid}')

echo "# an interactive session: minictr run -ti /bin/sh"
type_line "stty -g >$T/stty.before; $M run -ti /bin/sh; echo rc_main=\$?; stty -g >$T/stty.after"
wait_for screen_has '^# $' || not_ok "the container's shell prompts"
type_line 'echo pid=$$'
wait_for screen_has '^pid=1'
check "echo \$\$ prints 1" screen_has '^pid=1$'

type_line 'echo tty=$(tty)'
wait_for screen_has '^tty='
tty_in=$(screen | sed -n 's/^tty=//p' | tail -1)
like "tty names a /dev/pts device" "$tty_in" '^/dev/pts/[0-9]+$'
if [ "$tty_in" != "$driver_tty" ]; then
	ok "it is not the driver's own terminal ($tty_in, driver $driver_tty)"
else
	not_ok "it is not the driver's own terminal" "both $tty_in"
fi

type_line 'echo size=$(stty size)'
wait_for screen_has '^size='
is "stty size matches the window" "$(screen | sed -n 's/^size=//p' | tail -1)" "24 80"
tm resize-window -t t -x 100 -y 30
type_line 'echo size2=$(stty size)'
wait_for screen_has '^size2='
is "after a resize, stty size follows (SIGWINCH)" \
	"$(screen | sed -n 's/^size2=//p' | tail -1)" "30 100"

type_line 'echo TERM=$TERM'
wait_for screen_has '^TERM='
is "TERM is the host's" "$(screen | sed -n 's/^TERM=//p' | tail -1)" screen

job_control "" 1
type_line 'exit 3'
wait_for screen_has 'rc_main=[0-9]'
is "exit 3 makes minictr exit 3" "$(value_of rc_main)" 3
wait_for test -s "$T/stty.after"
check "the driver's terminal modes are restored exactly (stty -g)" \
	cmp -s "$T/stty.before" "$T/stty.after"
tm resize-window -t t -x 80 -y 24

echo "# minictr killed mid-session: the terminal comes back"
for sig in TERM HUP INT; do
	tm send-keys -t t C-l
	tm clear-history -t t
	type_line "stty -g >$T/b.$sig; $M run -ti --stop-timeout 1 /bin/sh; echo rc_$sig=\$?; stty -g >$T/a.$sig"
	wait_for screen_has '^# $'
	pid=$(pgrep -f -x "$M run -ti --stop-timeout 1 /bin/sh")
	kill -$sig "$pid"
	wait_for screen_has "rc_$sig=[0-9]"
	is "SIG$sig to minictr: forwarded, then SIGKILL after --stop-timeout (137)" \
		"$(value_of rc_$sig)" 137
	wait_for test -s "$T/a.$sig"
	check "SIG$sig: the terminal modes are restored exactly" cmp -s "$T/b.$sig" "$T/a.$sig"
done

tm clear-history -t t
type_line "stty -g >$T/b.exec; $M run -ti /nope; echo rc_exec=\$?; stty -g >$T/a.exec"
wait_for screen_has 'rc_exec=[0-9]'
is "exec error under -t: 127" "$(value_of rc_exec)" 127
check "exec error under -t: one clean error line" \
	screen_has '^minictr: exec /nope: No such file or directory$'
check "... written after the terminal was restored: the next line starts in column 0" \
	screen_has '^rc_exec=127$'
wait_for test -s "$T/a.exec"
check "exec error under -t: the terminal modes are restored" cmp -s "$T/b.exec" "$T/a.exec"

echo "# output: complete, in order"
head -c 7500000 /dev/urandom | base64 >"$T/data"      # about 10 MB of text
tm clear-history -t t
type_line "$M run -t cat $T/data >$T/data.tmux; echo done=\$?"
wait_for screen_has '^done='
is "10 MB through the pty, stdin a terminal (raw mode): complete" \
	"$(tr -d '\r' <"$T/data.tmux" | md5sum)" "$(md5sum <"$T/data")"
"$M" run -t cat "$T/data" </dev/null >"$T/data.pipe"
is "10 MB through the pty, no terminal at all: complete" \
	"$(tr -d '\r' <"$T/data.pipe" | md5sum)" "$(md5sum <"$T/data")"
is "the terminal translated each newline to CR LF, nothing else" \
	"$(wc -c <"$T/data.pipe")" "$(( $(wc -c <"$T/data") + $(wc -l <"$T/data") ))"

timeout -k 1 20 "$M" run -t --stop-timeout 1 yes >/dev/null </dev/null &
mpid=$!
wait_for pgrep -x yes -P "$(pgrep -d, -P $mpid)" >/dev/null
kill -TERM $mpid
{ wait $mpid; } 2>/dev/null
is "a container flooding its terminal still gets our SIGTERM (137, not a hang)" "$?" 137

echo "# without a terminal: scripts and CI"
out=$(printf 'echo $((6*7))\nexit 5\n' | timeout -k 5 20 "$M" run -ti /bin/sh 2>&1)
rc=$?
is "input piped to -ti: runs, exit status passed" "$rc" 5
has "input piped to -ti: the output arrives" "$out" 42
out=$(printf 'echo no-exit-needed\n' | timeout -k 5 20 "$M" run -ti /bin/sh 2>&1)
rc=$?
is "input piped to -ti ends with EOF: the shell exits by itself" "$rc" 0
has "... after running the input" "$out" no-exit-needed
out=$(printf 'no final newline' | timeout -k 5 20 "$M" run -ti /bin/sh -c 'x=$(cat); echo "got[$x]"' 2>&1)
rc=$?
is "input piped to -ti without a final newline: seen whole, and it ends" \
	"$rc:$(tr -d '\r' <<<"$out" | grep -o 'got\[.*\]')" "0:got[no final newline]"

# The container writes and exits while minictr is stopped, so that all of
# its output still sits in the terminal when minictr learns of the exit:
# what is read after the exit (relay_drain) must be all of it.  12,000
# bytes fit in a pty's buffers (4 KiB of line discipline, 8 KiB of flip
# buffer), so the writer does not block.
"$M" run -t /bin/sh -c "while [ ! -e $T/go ]; do sleep 0.01; done
	head -c 12000 /dev/zero | tr '\\0' a" </dev/null >"$T/drain.out" &
mpid=$!
wait_for pgrep -P $mpid -x sh >/dev/null
cpid=$(pgrep -P $mpid -x sh)
kill -STOP $mpid
touch "$T/go"
zombie() { [ "$(sed 's/.*) //' "/proc/$cpid/stat" | cut -c1)" = Z ]; }
wait_for zombie
kill -CONT $mpid
wait $mpid
is "-t: a command that writes 12,000 bytes and exits at once: all of them arrive" \
	"$?:$(wc -c <"$T/drain.out")" "0:12000"
out=$(timeout -k 5 20 "$M" run -t /bin/sh -c 'head -c 1000000 /dev/zero | tr "\0" a' </dev/null | wc -c)
is "-t: 1,000,000 bytes written as fast as can be, then exit: all arrive" "$out" 1000000

out=$(echo hello | { timeout -k 5 20 "$M" run -t /bin/sh -c 'timeout 1 cat; echo end'; cat; })
is "-t without -i: the container gets nothing, our stdin is left alone" \
	"$(tr -d '\r' <<<"$out")" $'end\nhello'
out=$(env -u TERM "$M" run -t /bin/sh -c 'echo $TERM' </dev/null)
is "-t: TERM is xterm when the caller has none" "$(tr -d '\r' <<<"$out")" xterm
out=$(TERM=dumb "$M" run -t -e TERM=vt100 /bin/sh -c 'echo $TERM' </dev/null)
is "-t: -e TERM=... overrides it" "$(tr -d '\r' <<<"$out")" vt100

echo "# TERM: the caller's only when the container's root has its terminfo"
build_rootfs "$T/root"
term_in() {     # term_in TERM [OPTIONS...]: the container's $TERM
	local term=$1
	shift
	TERM=$term "$M" run -t "$@" /bin/sh -c 'echo $TERM' </dev/null | tr -d '\r'
}
is "--rootfs without that entry: xterm (docker's)" \
	"$(term_in xterm-kitty --rootfs "$T/root")" xterm
is "... and -e TERM=... still wins" \
	"$(term_in xterm-kitty --rootfs "$T/root" -e TERM=xterm-kitty)" xterm-kitty
mkdir -p "$T/root/usr/share/terminfo/x"
: >"$T/root/usr/share/terminfo/x/xterm-kitty"
is "--rootfs with usr/share/terminfo/x/xterm-kitty: kept" \
	"$(term_in xterm-kitty --rootfs "$T/root")" xterm-kitty
rm -r "$T/root/usr/share/terminfo"
mkdir -p "$T/root/etc/terminfo/78"
: >"$T/root/etc/terminfo/78/xterm-kitty"
is "--rootfs with etc/terminfo/78/xterm-kitty (macOS-style): kept" \
	"$(term_in xterm-kitty --rootfs "$T/root")" xterm-kitty
rm -r "$T/root/etc/terminfo"
is "a TERM that is a path is no name: xterm" \
	"$(term_in ../../bin/sh --rootfs "$T/root")" xterm
# Without --rootfs the host's terminfo decides: a name it lacks, then the
# same name given an entry in a throwaway mount namespace.
fake=minictr-test-$tok
is "without --rootfs, a TERM the host has no entry for: xterm" \
	"$(term_in "$fake")" xterm
for tdir in /etc/terminfo /lib/terminfo /usr/share/terminfo /usr/lib/terminfo; do
	[ -d "$tdir" ] && break
done
printf '%s\n' "mount -t tmpfs tmpfs $tdir && mkdir $tdir/m && : >$tdir/m/$fake &&" \
	"TERM=$fake $M run -t /bin/sh -c 'echo \$TERM' </dev/null | tr -d '\r'" \
	>"$T/terminfo.sh"
is "without --rootfs, the host's entry ($tdir/m/$fake): kept" \
	"$(unshare -m --propagation private sh "$T/terminfo.sh")" "$fake"
mc run /bin/sh -c 'tty; echo $TERM'
is "without -t: no terminal, no TERM" "$out" 'not a tty'

echo "# --init with -t"
tm clear-history -t t
type_line "$M run -ti --init /bin/sh; echo rc_init=\$?"
wait_for screen_has '^# $'
type_line 'echo initpid=$$'
wait_for screen_has '^initpid='
check "--init -t: the shell is PID 2" screen_has '^initpid=2$'
job_control "--init -t: " 2
type_line 'exit 4'
wait_for screen_has 'rc_init=[0-9]'
is "--init -t: exit status passed" "$(value_of rc_init)" 4

echo "# /dev/console is the container's terminal"
host_console=$(stat -c %t:%T /dev/console)
n=0
for where in "" "--rootfs $T/root"; do
	n=$((n + 1))
	label="-t${where:+ --rootfs}"
	tm clear-history -t t
	type_line "$M run -t $where /bin/sh -c 'test -c /dev/console && echo char$n-ok; exec >/dev/null 2>&1; echo con$n-\$((6*7)) >/dev/console'; echo rc_con$n=\$?"
	wait_for screen_has "rc_con$n=[0-9]"
	check "$label: echo hi >/dev/console reaches the terminal" screen_has "^con$n-42"
	check "$label: /dev/console is a character device" screen_has "^char$n-ok"
	is "$label: exit status 0" "$(value_of rc_con$n)" 0
done
is "the host's /dev/console is untouched" "$(stat -c %t:%T /dev/console)" "$host_console"
"$M" run -t --trace --rootfs "$T/root" true </dev/null >/dev/null 2>"$T/trace.err"
like "--trace -t: /dev/ptmx's open and the slave's open, as called" "$(cat "$T/trace.err")" \
	'minictr\[1\]: open\("/dev/ptmx", O_RDWR\|O_NOCTTY\|O_CLOEXEC\) = [0-9]+'$'\n''minictr\[1\]: open\("/dev/pts/0", O_RDWR\|O_NOCTTY\|O_CLOEXEC\) = [0-9]+'
like "--trace -t: the bind onto /dev/console, as called" "$(cat "$T/trace.err")" \
	'minictr\[1\]: mount\("/dev/pts/0", "/dev/console", NULL, MS_BIND, NULL\) = 0'
# the two sides write to one stderr at once: each line on its own
like "--trace -t: the master sent, sendmsg with its fd" "$(cat "$T/trace.err")" \
	'minictr\[1\]: sendmsg\([0-9]+, \{msg_iov=\["\\0"\], msg_control=\[SCM_RIGHTS \[[0-9]+\]\]\}, 0\) = 1'
like "--trace -t: the master received, recvmsg with its fd" "$(cat "$T/trace.err")" \
	'minictr: recvmsg\([0-9]+, \{msg_iov=\[1 byte\], msg_control=\[SCM_RIGHTS \[[0-9]+\]\]\}, MSG_CMSG_CLOEXEC\) = 1'

echo "# a stop that is not obeyed, under -t"
tm clear-history -t t
stop_cmd="$M run -t --stop-timeout 300 /bin/sh -c printf abc; exec sleep 1000"
type_line "$M run -t --stop-timeout 300 /bin/sh -c 'printf abc; exec sleep 1000'; echo rc_stop=\$?"
wait_for pgrep -f -x "$stop_cmd" >/dev/null
pid=$(pgrep -f -x "$stop_cmd")
wait_for pgrep -x sleep -P "$pid" >/dev/null
kill -TERM "$pid"
wait_for screen_has 'has not stopped'
check "-t: the notice is one line at the left margin (raw mode: CR first)" \
	screen_has "^minictr: the container has not stopped: .*; SIGKILL in 29[89] s, or SIGINT or SIGTERM to minictr again kills it now$"
kill -TERM "$pid"
if wait_for screen_has 'rc_stop=[0-9]'; then
	ok "-t: a second SIGTERM ends it at once, not after --stop-timeout 300"
else
	not_ok "-t: a second SIGTERM ends it at once, not after --stop-timeout 300"
	kill -KILL "$pid"       # do not wait 300 s
	wait_for screen_has 'rc_stop=[0-9]'
fi
is "-t: ... with 137" "$(value_of rc_stop)" 137
check "-t: ... and says so" screen_has '^minictr: container was killed: a second SIGINT or SIGTERM$'

echo "# -t output to a reader that has gone"
timeout -k 5 20 "$M" run -t yes "y$tok" </dev/null 2>/dev/null | head -n 1 >"$T/head.out"
is "-t yes | head -n 1 ends: the terminal is hung up, yes gets EIO (1)" \
	"${PIPESTATUS[0]}:$(tr -d '\r' <"$T/head.out")" "1:y$tok"
is "... and no yes is left" "$(pgrep -f -x "yes y$tok")" ""
# a shell loop goes on past EIO: only the hang-up's SIGHUP can end it
timeout -k 5 20 "$M" run -t --init /bin/sh -c 'while :; do echo x; done' \
	</dev/null 2>/dev/null | head -n 1 >/dev/null
is "-t --init: the container's session gets SIGHUP from the hang-up (129)" \
	"${PIPESTATUS[0]}" 129
timeout -k 5 20 "$M" run -t --stop-timeout 1 /bin/sh -c 'while :; do echo x; done' \
	</dev/null 2>"$T/hup.err" | head -n 1 >/dev/null
is "a PID 1 that ignores the hang-up: killed after --stop-timeout (137)" \
	"${PIPESTATUS[0]}" 137
is "... and minictr says so, as for a SIGHUP" "$(cat "$T/hup.err")" \
	"minictr: container was killed: still running 1 s after SIGHUP (--stop-timeout)"

echo "# TIOCSTI: no keystrokes pushed into the host's terminal"
n=0
for mode in "-ti" "-i" ""; do
	n=$((n + 1))
	tm clear-history -t t
	type_line "$M run $mode $T/tiocsti /tmp/pwned$tok.$n; echo rc$n=\$?"
	wait_for screen_has "rc$n=[0-9]"
	type_line "echo sentinel$n"       # the host shell reads on after it
	wait_for screen_has "^sentinel$n"
	is "run ${mode:-(no -t, -i)}: every TIOCSTI/TIOCLINUX got EPERM (native, i386, x32)" \
		"$(value_of rc$n)" 0
	check "run ${mode:-(no -t, -i)}: the host's shell ran nothing" \
		test ! -e "/tmp/pwned$tok.$n"
done
# The control: the same program on the host (root, no filter) does inject,
# so the checks above would see an injection.
tm clear-history -t t
type_line "$T/tiocsti /tmp/pwned$tok.control >/dev/null; echo control-done"
wait_for test -e "/tmp/pwned$tok.control"
check "control: without minictr the same program does inject" \
	test -e "/tmp/pwned$tok.control"
# The i386 ABI alone, without a filter: does it type on this kernel?
# Where it does, the three runs above proved the filter stops it; where
# int $0x80 faults (no i386 emulation), there is nothing to stop.
tm clear-history -t t
type_line "$T/tiocsti /tmp/pwned$tok.i386 i386 >$T/i386.out; echo rc_i386=\$?"
wait_for screen_has 'rc_i386=[0-9]'
case $(value_of rc_i386) in
0)	wait_for test -e "/tmp/pwned$tok.i386"
	check "control: without a filter, an i386 TIOCSTI (int \$0x80) does inject" \
		test -e "/tmp/pwned$tok.i386" ;;
3)	echo "# no i386 ABI to stop here: $(cat "$T/i386.out")" ;;
*)	not_ok "control: an i386 TIOCSTI types, or the kernel has no i386 ABI" \
		"$(cat "$T/i386.out")" ;;
esac
if [ "$(uname -m)" = x86_64 ]; then     # the only ABI with an x32
	mc run "$T/tiocsti" "$T/x32"
	has "x32's ioctl (514|__X32_SYSCALL_BIT) is refused by the filter (EPERM even where the kernel has no x32)" \
		"$out" "fd 0: x32 TIOCSTI: Operation not permitted"
fi
rm -f /tmp/pwned"$tok".*

quiet_exit
host_unchanged
sleep 0.2
is "no minictr process left running" "$(pgrep -f "^$M run")" ""
summary
