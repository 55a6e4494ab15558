#!/usr/bin/env python3
"""test/trace_check.py TRACE STRACE_DIR - every --trace line that looks like
a system call is one that strace saw, with the same key arguments.

TRACE is minictr's stderr with --trace; STRACE_DIR holds `strace -ff -o`
files (one per process, so no call is split by another's).  A trace line
"looks like a call" when its text starts with `name(`, or when it ends in
` = N` (a result).  Such a line must be exactly `name(args) = ret` or
`name(args) = -1 (why)`: one call, no nested call in its arguments; the
name must be a call strace saw (libc's names mapped to the kernel's:
sigprocmask is rt_sigprocmask, waitpid is wait4 ...), and for the calls
that change the mount table, the hostname or the process, the key
arguments must be equal to one strace saw: mount's source, target,
fstype, flags (as a set) and data; umount2's target and flags;
pivot_root's two paths; chdir, chroot and sethostname's string; prctl's
option.  Prints "ok<TAB>LINE" or "not ok<TAB>LINE<TAB>WHY" for each
trace line that looks like a call (test/test_trace.sh counts them);
exit status 1 if any is not ok.
"""
import os
import re
import sys

# libc's name -> the names the kernel may know it by (x86_64, aarch64)
ALIASES = {
    "sigprocmask": ["rt_sigprocmask"], "sigaction": ["rt_sigaction"],
    "waitpid": ["wait4"], "open": ["open", "openat"], "dup2": ["dup2", "dup3"],
    "clone": ["clone", "clone3"], "mkdir": ["mkdir", "mkdirat"],
    "rmdir": ["rmdir", "unlinkat"], "symlink": ["symlink", "symlinkat"],
    "mknod": ["mknod", "mknodat"], "write": ["write", "writev"],
    "setrlimit": ["setrlimit", "prlimit64"],
}
# how many leading arguments must be equal, per call; flags compare as sets
KEY_ARGS = {"mount": 5, "umount2": 2, "pivot_root": 2, "chdir": 1,
            "chroot": 1, "sethostname": 1, "prctl": 1,
            "setuid": 1, "setgid": 1, "setgroups": 1, "write": 1}
CALL = re.compile(r"^([a-z_][a-z0-9_]*)\((.*)$")
LINE = re.compile(r"^minictr(?:\[\d+\])?: (.*)$")
RESULT = re.compile(r"^ = (-?\d+)(?: \(([^()]*)\))?$")


def split_call(text):
    """name(args)rest -> (name, [args], rest); args split at top-level
    commas, strings kept whole.  None if the parentheses do not close."""
    m = CALL.match(text)
    if not m:
        return None
    name, s = m.group(1), m.group(2)
    args, depth, cur, i, quote = [], 0, "", 0, False
    while i < len(s):
        c = s[i]
        if quote:
            cur += c
            if c == "\\" and i + 1 < len(s):
                cur += s[i + 1]
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote, cur = True, cur + c
        elif c in "([{":
            depth, cur = depth + 1, cur + c
        elif c in ")]}" and depth > 0:
            depth, cur = depth - 1, cur + c
        elif c == ")":
            if cur.strip() or args:
                args.append(cur.strip())
            return name, args, s[i + 1:]
        elif c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    return None


def norm(arg):
    """Flags compare as sets: "MS_REC|MS_PRIVATE" == "MS_PRIVATE|MS_REC"."""
    if re.fullmatch(r"[A-Z0-9_|]+", arg) and "|" in arg:
        return "|".join(sorted(arg.split("|")))
    return arg


def same(shown, real):
    """An argument as --trace shows it and as strace saw it.  strace shows
    a string it does not decode as its address (mount's fstype when the
    kernel ignores it, for a propagation change): a string matches it."""
    if re.fullmatch(r"0x[0-9a-f]+", real) and shown.startswith('"'):
        return True
    return norm(shown) == norm(real)


def strace_calls(directory):
    """{name: [(args, ret)]} from every strace -ff file."""
    calls = {}
    for f in os.listdir(directory):
        with open(os.path.join(directory, f), errors="replace") as fh:
            for line in fh:
                parsed = split_call(line.rstrip("\n"))
                if not parsed:
                    continue
                name, args, rest = parsed
                m = re.match(r"\s*= (-?\d+|\?)", rest)
                ret = m.group(1) if m else "?"
                calls.setdefault(name, []).append((args, ret))
    return calls


def check(text, calls):
    """None if the line is an honest call, else why not."""
    parsed = split_call(text)
    if not parsed:
        return "has a result but is not name(args)"
    name, args, rest = parsed
    m = RESULT.match(rest)
    if not m:
        return "not exactly name(args) = ret (rest: %r)" % rest
    # makedev(major, minor) is how strace itself writes a dev_t: a value
    if any(CALL.match(a) and not a.startswith("makedev(") for a in args):
        return "a call nested in the arguments"
    seen = []
    for real in ALIASES.get(name, [name]):
        seen += calls.get(real, [])
    if not seen:
        return "strace saw no %s" % name
    n = KEY_ARGS.get(name, 0)
    sign = m.group(1).startswith("-")
    for sargs, sret in seen:
        if len(sargs) >= len(args[:n]) and \
           all(same(a, b) for a, b in zip(args[:n], sargs)) and \
           (not n or sret.startswith("-") == sign):
            return None
    return "strace saw no %s with these arguments: %s" % (
        name, ", ".join(args[:n]))


def main():
    calls = strace_calls(sys.argv[2])
    bad = 0
    with open(sys.argv[1], errors="replace") as fh:
        for line in fh:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            text = m.group(1)
            if not CALL.match(text) and not re.search(r" = -?\d+$", text):
                continue                # prose
            why = check(text, calls)
            if why:
                bad += 1
                print("not ok\t%s\t%s" % (text, why))
            else:
                print("ok\t%s" % text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
