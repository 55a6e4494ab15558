#!/usr/bin/env python3
"""gen/seccomp_tables.py ARCH OUT.c [DEFAULT.json] - the tables seccomp needs,
generated at build time, never typed by hand.

1. System call names and numbers, for every ABI a process of an ARCH build
   can use (x86_64: x86_64, i386 and x32; aarch64 and armhf: both arm ABIs;
   riscv64), read from the kernel's own uapi headers (linux-libc-dev and
   the linux-libc-dev-<arch>-cross packages, as test/vm/cross.sh uses):
   `cpp -dM` lists the __NR_ macros, a second cpp pass expands each one,
   and the sums ((__X32_SYSCALL_BIT + 514), (__ARM_NR_BASE+2)) are added
   here.  AUDIT_ARCH_* come from linux/audit.h the same way.
   Why the headers and not libseccomp's tables: README.md, "Seccomp".
2. docker's default profile (moby's profiles/seccomp/default.json, from
   Debian's golang-github-docker-docker-dev), as a struct sc_profile:
   names become indexes into table 1 (names this build does not know are
   dropped, as libseccomp does), and what the build already decides is
   decided here (archMap, includes/excludes "arches": the build's GOARCH);
   what depends on the container (capabilities, minKernel) stays a field.
"""
import json, os, re, subprocess, sys

X86 = '/usr/include/x86_64-linux-gnu'
# (SC_ bit, kernel include dir, the header, extra cpp flags, numbers base,
#  first number that is NOT this ABI's, GOARCH-like names of docker's)
ABIS = {
    'x86_64': ('SC_X86_64', X86, 'asm/unistd.h', [], 0, 0x40000000),
    'x86': ('SC_X86', X86, 'asm/unistd.h', ['-D__i386__'], 0, 1 << 32),
    'x32': ('SC_X32', X86, 'asm/unistd.h', ['-D__ILP32__'], 0x40000000,
            1 << 32),
    'arm': ('SC_ARM', '/usr/arm-linux-gnueabihf/include', 'asm/unistd.h',
            ['-D__ARM_EABI__'], 0, 1 << 32),
    'aarch64': ('SC_AARCH64', '/usr/aarch64-linux-gnu/include',
                'asm/unistd.h', [], 0, 1 << 32),
    'riscv64': ('SC_RISCV64', '/usr/riscv64-linux-gnu/include',
                'asm/unistd.h', [], 0, 1 << 32),
}
AUDIT = {'x86_64': 'AUDIT_ARCH_X86_64', 'x86': 'AUDIT_ARCH_I386',
         'x32': 'AUDIT_ARCH_X86_64', 'arm': 'AUDIT_ARCH_ARM',
         'aarch64': 'AUDIT_ARCH_AARCH64', 'riscv64': 'AUDIT_ARCH_RISCV64'}
BITS64 = {'x86_64', 'aarch64', 'riscv64'}    # seccomp_data args are 64-bit
# make's ARCH -> (the ABIs, native first; docker's GOARCH; its SCMP_ARCH)
BUILDS = {
    'x86_64': (['x86_64', 'x86', 'x32'], 'amd64', 'SCMP_ARCH_X86_64'),
    'aarch64': (['aarch64', 'arm'], 'arm64', 'SCMP_ARCH_AARCH64'),
    'armhf': (['arm', 'aarch64'], 'arm', 'SCMP_ARCH_ARM'),
    'riscv64': (['riscv64'], 'riscv64', 'SCMP_ARCH_RISCV64'),
}
SC_BIT = {'SCMP_ARCH_X86': 'SC_X86', 'SCMP_ARCH_X86_64': 'SC_X86_64',
          'SCMP_ARCH_X32': 'SC_X32', 'SCMP_ARCH_ARM': 'SC_ARM',
          'SCMP_ARCH_AARCH64': 'SC_AARCH64', 'SCMP_ARCH_RISCV64': 'SC_RISCV64'}


def cpp(text, incdir, flags, dump=False):
    """The host's preprocessor, over the ONE include dir of that arch."""
    cmd = ['cpp', '-P', '-nostdinc', '-isystem', incdir] + flags
    if dump:
        cmd.append('-dM')
    return subprocess.run(cmd, input=text, capture_output=True, text=True,
                          check=True).stdout


def evaluate(expr):
    """(0x40000000 + 514) and the like: integers, + and parentheses."""
    if not re.fullmatch(r'[0-9a-fA-FxX+() \t]+', expr):
        raise ValueError('not a sum of numbers: ' + expr)
    return sum(int(t, 0) for t in re.findall(r'0[xX][0-9a-fA-F]+|\d+', expr))


def numbers(abi):
    bit, inc, header, flags, base, end = ABIS[abi]
    if not os.path.isdir(inc):
        sys.exit('seccomp_tables.py: %s missing (its linux-libc-dev '
                 'package, see test/vm/cross.sh)' % inc)
    src = '#include <%s>\n' % header
    names = sorted(set(re.findall(r'#define __(?:ARM_)?NR_(\w+)',
                                  cpp(src, inc, flags, dump=True))))
    names = [n for n in names if n not in ('SYSCALL_BASE', 'BASE',
             'OABI_SYSCALL_BASE', 'SYSCALL_MASK', 'syscalls', 'arch_specific_syscall')]
    body = src + ''.join('@%s@ __NR_%s __ARM_NR_%s\n' % (n, n, n) for n in names)
    out = {}
    for line in cpp(body, inc, flags).splitlines():
        m = re.match(r'@(\w+)@ (.*)', line)
        if not m:
            continue
        parts = m.group(2).replace('__NR_' + m.group(1), '').replace(
            '__ARM_NR_' + m.group(1), '').strip()
        try:
            nr = evaluate(parts)
        except ValueError:
            continue            # an alias of an absent call, or a limit
        if base <= nr < end:
            out[m.group(1)] = nr - base
    return out


def audit_arch(abi):
    """AUDIT_ARCH_X86_64 is (EM_X86_64|__AUDIT_ARCH_64BIT|__AUDIT_ARCH_LE)."""
    text = cpp('#include <linux/audit.h>\n@@ %s\n' % AUDIT[abi],
               '/usr/include', ['-isystem', X86])
    expr = re.search(r'@@ (.*)', text).group(1)
    if not re.fullmatch(r'[0-9a-fA-FxX|() \t]+', expr):
        raise SystemExit('seccomp_tables.py: %s is %s' % (AUDIT[abi], expr))
    value = 0
    for t in re.findall(r'0[xX][0-9a-fA-F]+|\d+', expr):
        value |= int(t, 0)
    return value


def capabilities():
    """CAP_CHOWN ... CAP_CHECKPOINT_RESTORE, in bit order."""
    text = cpp('#include <linux/capability.h>\n', '/usr/include',
               ['-isystem', X86], dump=True)
    caps = {}
    for m in re.finditer(r'#define (CAP_[A-Z_]+) (\d+)\n', text):
        if m.group(1) != 'CAP_LAST_CAP':
            caps[m.group(1)] = int(m.group(2))
    return caps


def encode(nr):
    """One unsigned short: arm's private calls (0xf0000 + k) as 0xf000 + k,
    absent as 0xffff (minictr.h, struct sc_arch)."""
    if nr >= 0xf0000:
        nr = 0xf000 + nr - 0xf0000
    assert nr < 0xf000 or 0xf000 <= nr < 0xffff
    return nr


def c_string(names):
    return '\n'.join('\t"%s\\0"' % n for n in names)


def action(name, errno_ret):
    word = name.replace('SCMP_ACT_', '')
    if word == 'KILL':
        word = 'KILL_THREAD'
    if word in ('ERRNO', 'TRACE'):
        return 'SC_RET_%s | %d' % (word, 1 if errno_ret is None else errno_ret)
    return 'SC_RET_' + word


def kernel(version):
    if not version:
        return 0
    major, minor = version.split('.')[:2]
    return int(major) << 16 | int(minor)


def default_profile(path, build, index, caps, out):
    abis, goarch, native = BUILDS[build]
    p = json.load(open(path))
    arches = []
    # the archMap entry the build's ABI is in, as the architecture or as
    # a sub-architecture: an armhf minictr on an arm64 kernel runs 64-bit
    # programs too, and filters them by the same rules (docker's map has
    # no entry of ARM's own: its ABI alone would leave aarch64 unlisted,
    # every 64-bit call refused, every 64-bit program dead at start)
    for entry in p.get('archMap') or []:
        if native == entry['architecture'] or native in entry['subArchitectures']:
            arches = [entry['architecture']] + entry['subArchitectures']
    bits = ' | '.join(SC_BIT[a] for a in arches if a in SC_BIT) or '0'
    rules = []
    for i, s in enumerate(p['syscalls']):
        inc, exc = s.get('includes') or {}, s.get('excludes') or {}
        if goarch in (exc.get('arches') or []):
            continue
        if inc.get('arches') and goarch not in inc['arches']:
            continue
        names = sorted(index[n] for n in s['names'] if n in index)
        if not names:
            continue
        conds = ['{ %d, SC_%s, %dULL, %dULL }' % (a['index'], a['op'].replace(
            'SCMP_CMP_', ''), a['value'], a.get('valueTwo', 0))
            for a in s.get('args') or []]
        capbits = lambda key: ' | '.join('1ULL << %d' % caps[c] for c in key.get('caps') or []) or '0'
        out.write('static const unsigned short names%d[] = { %s };\n' % (
            i, ', '.join(map(str, names))))
        if conds:
            out.write('static const struct sc_cond conds%d[] = {\n\t%s\n};\n' % (
                i, ',\n\t'.join(conds)))
        rules.append('\t{ %s, names%d, %d, %s, %d, %s, %s, %d, %d }' % (
            action(s['action'], s.get('errnoRet')), i, len(names),
            'conds%d' % i if conds else 'NULL', len(conds),
            capbits(inc), capbits(exc), kernel(inc.get('minKernel')),
            kernel(exc.get('minKernel'))))
    out.write('static const struct sc_rule rules[] = {\n%s\n};\n' % ',\n'.join(rules))
    out.write('const struct sc_profile sc_docker_default = {\n\t%s, %s, rules, %d\n};\n'
              % (action(p['defaultAction'], p.get('defaultErrnoRet')), bits, len(rules)))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in BUILDS:
        sys.exit('usage: seccomp_tables.py x86_64|aarch64|armhf|riscv64 OUT.c DEFAULT.json')
    build, path, profile = sys.argv[1:]
    abis, goarch, native = BUILDS[build]
    tables = {abi: numbers(abi) for abi in abis}
    names = sorted(set().union(*tables.values()))
    index = {n: i for i, n in enumerate(names)}
    caps = capabilities()
    with open(path + '.tmp', 'w') as out:
        out.write('/* Generated by gen/seccomp_tables.py %s from the kernel\'s uapi '
                  'headers\n * and %s: do not edit. */\n#include <stddef.h>\n\n#include "../minictr.h"\n\n'
                  % (build, profile))
        out.write('const char sc_names[] =\n%s;\n' % c_string(names))
        at, off = [], 0
        for n in names:
            at.append(off)
            off += len(n) + 1
        out.write('const unsigned short sc_name_at[] = { %s };\n' % ', '.join(map(str, at)))
        out.write('const int sc_nnames = %d;\n' % len(names))
        out.write('const char sc_cap_names[] =\n%s;\n' % c_string(
            sorted(caps, key=caps.get)))
        out.write('const int sc_ncaps = %d;\n' % len(caps))
        rows = []
        for abi in abis:
            nr = tables[abi]
            out.write('static const unsigned short nr_%s[] = { %s };\n' % (
                abi, ', '.join(str(encode(nr[n])) if n in nr else '0xffff'
                               for n in names)))
            bit, _, _, _, base, end = ABIS[abi]
            rows.append('\t{ %s, %#x, %d, %#x, %#x, nr_%s }' % (
                bit, audit_arch(abi), abi in BITS64, base, end - 1, abi))
        out.write('const struct sc_arch sc_arches[] = {\n%s\n};\n' % ',\n'.join(rows))
        out.write('const int sc_narches = %d;\n' % len(abis))
        out.write('const char sc_goarch[] = "%s";\n\n' % goarch)
        default_profile(profile, build, index, caps, out)
    os.rename(path + '.tmp', path)


if __name__ == '__main__':
    main()
