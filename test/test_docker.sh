#!/usr/bin/env bash
# test/test_docker.sh - minictr driven by docker: Debian's docker.io,
# installed if missing, its own dockerd started here with a private
# --data-root, --exec-root, --pidfile, socket and daemon.json (vfs,
# cgroupfs, no bridge, no iptables), minictr added with --add-runtime,
# an image from `docker import` of a busybox-static tarball, no registry.
# dockerd starts its own containerd, which drives minictr through
# containerd-shim-runc-v2, as in test_containerd.sh.
#
# docker 20.10 adds a prestart hook (libnetwork-setkey) to every container
# whose network namespace it makes, --network none included: minictr
# runs it, so `docker run` works (with or without docker's seccomp
# profile; -d, then docker exec).  A container created through the API
# with "NetworkDisabled": true carries no hook (docker start -a, logs,
# stop).
# Afterwards dockerd, its containerd, every shim and container are gone,
# and so is everything they made.
set -u
cd "$(dirname "$0")/.." || exit 1
. test/lib.sh
need_root "test_docker"
sh test/deps.sh docker.io curl util-linux ||
	{ echo "1..0 # SKIP docker.io cannot be installed"; exit 77; }

K=$T/docker
mkdir -p "$K"
build_rootfs "$K/rootfs"
host_snapshot before
# what dockerd and the shim make outside the paths they are given
had_run_docker=$(test -e /run/docker && echo yes)
had_run_containerd=$(test -e /run/containerd && echo yes)
# docker's cgroupsPath is /docker/ID: minictr makes /docker and leaves it
had_cg_docker=$(ls -d /sys/fs/cgroup/*/docker 2>/dev/null)
# deprecated-key-path: else dockerd 20.10 writes /etc/docker/key.json
cat >"$K/daemon.json" <<CONF
{"deprecated-key-path": "$K/key.json"}
CONF
DOCKER=/usr/bin/docker          # Debian's client (not one in /usr/local)
dk() { timeout -k 5 60 "$DOCKER" -H "unix://$K/docker.sock" "$@"; }
# create JSON_CMD: a container through the API, with no network at all
# (so no hook), minictr's runtime; prints its ID
create() {
	curl -s --unix-socket "$K/docker.sock" -H 'Content-Type: application/json' \
		-d '{"Image": "bb", "Cmd": '"$1"', "NetworkDisabled": true,
		"HostConfig": {"Runtime": "minictr", "NetworkMode": "none",
		"SecurityOpt": ["seccomp=unconfined"]}}' \
		http://localhost/containers/create | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p'
}
daemon=""
# dockerd stopped (it stops its containerd), then what they left
clean_up() {
	local m
	if [ -n "$daemon" ]; then
		dk ps -aq 2>/dev/null | xargs -r "$DOCKER" -H "unix://$K/docker.sock" rm -f >/dev/null 2>&1
		kill "$daemon" 2>/dev/null
		wait "$daemon" 2>/dev/null
	fi
	for m in $(awk -v t="$T" 'index($5, t) == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount -l "$m"
	done
	[ -n "$had_run_docker" ] || rm -rf /run/docker
	[ -n "$had_run_containerd" ] || rm -rf /run/containerd
	[ -n "$had_cg_docker" ] || rmdir /sys/fs/cgroup/*/docker 2>/dev/null
	rm -rf "$T"
}
trap clean_up EXIT

dockerd --data-root "$K/data" --exec-root "$K/exec" --pidfile "$K/docker.pid" \
	-H "unix://$K/docker.sock" --config-file "$K/daemon.json" \
	--bridge=none --iptables=false --ip6tables=false --storage-driver vfs \
	--exec-opt native.cgroupdriver=cgroupfs --add-runtime "minictr=$M" \
	>"$K/log" 2>&1 &
daemon=$!
# up to 30 s: dockerd starts containerd first (a guard, not a timing)
for i in 1 2 3; do wait_for test -S "$K/docker.sock" && break; done
if ! dk version >/dev/null 2>&1; then
	echo "1..0 # SKIP dockerd cannot start here: $(grep -m1 -E 'level=(fatal|error)' "$K/log" || tail -1 "$K/log")"
	exit 77
fi
if ! tar -C "$K/rootfs" -c . | dk import - bb >/dev/null 2>"$K/import"; then
	echo "1..0 # SKIP docker cannot import an image here: $(tail -1 "$K/import")"
	exit 77
fi

# --- docker run --runtime minictr: the prestart hook runs
out=$(dk run --runtime minictr --rm --network none \
	--security-opt seccomp=unconfined bb sh -c 'echo hi; exit 3' 2>&1); rc=$?
is "docker run --runtime minictr: output and exit status" "$rc:$out" "3:hi"
out=$(dk run --runtime minictr --rm --network none \
	--security-opt seccomp=unconfined bb nope 2>&1); rc=$?
is "docker run of a missing command: 127" "$rc" 127
out=$(dk run --runtime minictr --rm --network none \
	--security-opt seccomp=unconfined bb ls /sys/class/net 2>&1)
is "docker run --network none: only lo" "$out" lo
# --device: docker sends linux.devices (the host's type and numbers) and
# an allow rule; minictr makes the node where it is asked, opens as far
# as the driver
out=$(dk run --runtime minictr --rm --network none --device /dev/fuse:/dev/myfuse \
	bb sh -c 'stat -c "%n %F %t:%T" /dev/myfuse; exec 3<>/dev/myfuse && echo opened' 2>&1)
is "docker run --device /dev/fuse:/dev/myfuse: made there, opened" "$out" \
	"/dev/myfuse character special file a:e5"$'\n'"opened"
# docker's own seccomp profile (no --security-opt): in config.json, honoured
out=$(dk run --runtime minictr --rm --network none bb \
	sh -c 'grep Seccomp: /proc/self/status; echo ok' 2>&1); rc=$?
like "docker run with docker's seccomp profile: filtered, runs" "$rc:$out" \
	$'^0:Seccomp:[ \t]+2\nok$'
# docker run -d, then docker exec into it (runc's exec --process)
id=$(dk run -d --runtime minictr --network none bb sleep 300 2>&1)
out=$(dk exec "$id" sh -c 'echo in-$(hostname)' 2>&1)
is "docker exec into a docker run -d container" "$out" "in-${id:0:12}"
dk rm -f "$id" >/dev/null

# --- through the API, without a network: docker start -a, logs, stop
id=$(create '["sh", "-c", "echo hi; ls /sys/class/net; cat /proc/sys/net/ipv4/ping_group_range; exit 3"]')
out=$(dk start -a "$id" 2>&1); rc=$?
like "docker start -a: output, lo only, docker's sysctl, exit status" \
	"$rc:$out" $'^3:hi\nlo\n0[ \t]+2147483647$'
dk rm "$id" >/dev/null
id=$(create '["nope"]')
out=$(dk start -a "$id" 2>&1)
has "a missing command: runc's words reach docker" "$out" \
	"exec: \"nope\": executable file not found in \$PATH"
dk rm "$id" >/dev/null
id=$(create '["sh", "-c", "echo started; trap \"echo got-term; exit 0\" TERM; while :; do sleep 0.1; done"]')
dk start "$id" >/dev/null
wait_for sh -c "'$DOCKER' -H 'unix://$K/docker.sock' logs $id 2>/dev/null | grep -q started"
is "docker logs of a running container" "$(dk logs "$id" 2>&1)" started
dk stop -t 10 "$id" >/dev/null
is "docker stop: SIGTERM reached the trap, exit status 0" \
	"$(dk inspect "$id" --format '{{.State.Status}} {{.State.ExitCode}}')" "exited 0"
is "docker logs after stop" "$(dk logs "$id" 2>&1)" $'started\ngot-term'
dk rm "$id" >/dev/null
is "no container left" "$(dk ps -aq)" ""

# --- nothing left
dk rmi bb >/dev/null 2>&1
kill "$daemon"
wait "$daemon"
daemon=""
wait_for sh -c "! pgrep -f 'containerd.*$K' >/dev/null"
is "no dockerd left" "$(pgrep -af "dockerd --data-root $K" | grep -c .)" 0
is "no containerd or shim left" "$(pgrep -af containerd | grep -c "$K")" 0
is "no minictr process left" "$(pgrep -af "$M" | grep -c "$K")" 0
is "dockerd's key.json is in its private directory, not /etc/docker" "$(ls "$K/key.json" 2>&1)" "$K/key.json"
[ -n "$had_run_docker" ] || rm -rf /run/docker
[ -n "$had_run_containerd" ] || rm -rf /run/containerd
host_unchanged
summary
