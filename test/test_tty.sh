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
quiet_exit() { tm kill-server 2>/dev/null; }
# On every exit, a failure or MUTATE_FAST's first "not ok" included: the
# tmux server goes, and so does any minictr this suite started (matched on
# its full path, by pid: another helper's containers are not ours), and
# the files the TIOCSTI checks may have made.
tok=$RANDOM$RANDOM
clean_up() {
	local pid
	quiet_exit
	for pid in $(pgrep -f "^$M run"); do kill -KILL "$pid" 2>/dev/null; done
	rm -rf "$T" /tmp/pwned"$tok".*
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

tm new-session -d -s t -x 80 -y 24 \
	"env -i PATH=$PATH HOME=/root TERM=screen PS1='host\$ ' bash --norc --noprofile"
wait_for screen_has '^host\$ ' || { not_ok "tmux starts a shell"; summary; exit 1; }
driver_tty=$(tm display -p -t t '#{pane_tty}')

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
mc run -t /bin/sh -c 'echo $TERM'
is "-t: TERM defaults to the caller's" "$(tr -d '\r' <<<"$out")" "$(printenv TERM || echo xterm)"
out=$(env -u TERM "$M" run -t /bin/sh -c 'echo $TERM' </dev/null)
is "-t: TERM is xterm when the caller has none" "$(tr -d '\r' <<<"$out")" xterm
out=$(TERM=dumb "$M" run -t -e TERM=vt100 /bin/sh -c 'echo $TERM' </dev/null)
is "-t: -e TERM=... overrides it" "$(tr -d '\r' <<<"$out")" vt100
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
