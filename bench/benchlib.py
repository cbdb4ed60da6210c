#
# Copyright (c) 2026 The moatd developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
"""What the benchmarks under bench/ share: processes started in network
namespaces of their own, remembered by pid and stopped by pid, the CPU
time they and the machine's cores spent, and the frame of a bench.py's
main().  Each bench.py puts this directory on its path to import it.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

# every server runs on the first core, the load on the second
SERVER_CPU = "0"
LOAD_CPU = "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """Something the benchmark needs could not run."""


def log(msg):
    print("bench: %s" % msg, flush=True)


# --------------------------------------------------------------- processes

def proc_stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (state first)."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def pid_alive(pid):
    try:
        return proc_stat_fields(pid)[0] != "Z"
    except (OSError, IndexError):
        return False


def descendants(pid):
    """pid and every process below it."""
    parent = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            parent[int(d)] = int(proc_stat_fields(int(d))[1])
        except (OSError, IndexError, ValueError):
            pass
    out = [pid]
    i = 0
    while i < len(out):
        out += [c for c, p in parent.items() if p == out[i]]
        i += 1
    return out


def kill_pid(pid, popen=None, timeout=5.0):
    """SIGTERM, SIGKILL after timeout; reaps it when it is ours."""
    def gone():
        if popen is not None:
            return popen.poll() is not None
        return not pid_alive(pid)
    if gone():
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if gone():
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    if popen is not None:
        popen.wait(timeout=5)


def run(cmd, timeout=60, check=True, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    r = subprocess.run(cmd, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise BenchError("%s: exit %d: %s%s" % (" ".join(cmd), r.returncode,
                                                 r.stdout, r.stderr))
    return r


def reap(p, limit, what, interval):
    """Wait for p with wait4, for its CPU time; kill it past limit
    seconds.  interval is how often to look, in seconds."""
    end = time.monotonic() + limit
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return ru
        if time.monotonic() > end:
            os.kill(p.pid, signal.SIGKILL)
            os.wait4(p.pid, 0)
            p.returncode = -9
            raise BenchError("%s ran past %d s" % (what, limit))
        time.sleep(interval)


class Namespaces:
    """Network namespaces made here and the processes started in them.
    A subclass names its namespaces and makes them in make(), with add()
    and batch(); cleanup() stops every process in them by pid and deletes
    them, also when make() fails half way.  No interface is ever made in
    the namespace this runs in."""

    def __init__(self):
        self.made = []
        self.procs = []
        try:
            self.make()
        except BaseException:
            self.cleanup()
            raise

    def make(self):
        raise NotImplementedError

    def add(self, ns):
        run(["ip", "netns", "add", ns])
        self.made.append(ns)

    def batch(self, ns, cmds):
        """ip(8) commands run in ns, one a line."""
        run(["ip", "-n", ns, "-batch", "-"], input="\n".join(cmds) + "\n")

    def cmd(self, ns, argv, cpu=None):
        out = ["ip", "netns", "exec", ns]
        if cpu is not None:
            out += ["taskset", "-c", cpu]
        return out + list(argv)

    def popen(self, ns, argv, cpu, logpath, env=None, new_session=False):
        """Start argv in ns pinned to cpu.  ip netns exec and taskset both
        exec, so the pid is the server's own."""
        logf = open(logpath, "ab")
        p = subprocess.Popen(self.cmd(ns, argv, cpu),
                             stdin=subprocess.DEVNULL, stdout=logf,
                             stderr=logf, env=env,
                             start_new_session=new_session)
        logf.close()
        self.procs.append(p)
        return p

    def stop(self, p):
        """Stop p, started by popen(), and every process below it."""
        pids = descendants(p.pid)
        kill_pid(p.pid, popen=p, timeout=5)
        for q in pids[1:]:
            kill_pid(q, timeout=2)
        if p in self.procs:
            self.procs.remove(p)

    def cleanup(self):
        for p in self.procs:
            kill_pid(p.pid, popen=p, timeout=3)
        for ns in self.made:
            r = run(["ip", "netns", "pids", ns], check=False)
            for s in r.stdout.split():
                if s.isdigit() and int(s) != os.getpid():
                    kill_pid(int(s), timeout=2)
            run(["ip", "netns", "del", ns], check=False)
        self.made = []


# ------------------------------------------------------------ CPU accounting

def cpu_ticks(pids):
    """utime + stime, in clock ticks, of each pid still there."""
    out = {}
    for p in pids:
        try:
            f = proc_stat_fields(p)
            out[p] = int(f[11]) + int(f[12])
        except (OSError, IndexError, ValueError):
            pass
    return out


def cores_busy(cores):
    """Ticks the cores spent running processes, from /proc/stat: user,
    nice and system (interrupts are left out: most are the load's).
    /proc/stat counts in USER_HZ, like /proc/PID/stat."""
    total = 0
    with open("/proc/stat") as f:
        for line in f:
            m = re.match(r"cpu(\d+) (.*)", line)
            if m and m.group(1) in cores:
                v = [int(x) for x in m.group(2).split()]
                total += v[0] + v[1] + v[2]
    return total


def timed_load(cmd, outpath, limit, what, interval):
    """Run the load cmd, its output to outpath, and reap it (see reap()):
    its Popen, its rusage, the seconds it ran and the ticks the server's
    and the load's cores were busy meanwhile."""
    busy0 = cores_busy((SERVER_CPU, LOAD_CPU))
    t0 = time.monotonic()
    with open(outpath, "w") as out:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT)
    ru = reap(p, limit, what, interval)
    elapsed = time.monotonic() - t0
    busy = cores_busy((SERVER_CPU, LOAD_CPU)) - busy0
    return p, ru, elapsed, busy


def rusage_ticks(ru):
    """The CPU time of a rusage in clock ticks (a float)."""
    return (ru.ru_utime + ru.ru_stime) * CLK_TCK


def foreign_cpu_pct(busy, ours, elapsed):
    """The share of a core, in percent, that the two cores ran other than
    ours, both in ticks: other load on the machine, which makes every
    figure worse."""
    return round(max(0.0, 100.0 * (busy - ours) / CLK_TCK / elapsed), 1)


# ------------------------------------------------------------------ main

def server_list(ap, text, known):
    """The servers named in text, split at commas; ap.error on one not
    in known."""
    names = [x for x in text.split(",") if x]
    bad = [x for x in names if x not in known]
    if bad:
        ap.error("unknown servers: %s" % ",".join(bad))
    return names


def ratio(a, b, digits):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, digits)


def dash(v, spec):
    """v formatted with spec, "-" for None: a cell of a summary table."""
    return "-" if v is None else spec % v


def on_signal(signum, frame):
    raise KeyboardInterrupt()


def main_run(make, results_path, logs):
    """The frame of a bench.py: b = make() is the benchmark, with
    b.results (a dict holding "servers"), b.run_all(), b.cleanup(),
    b.summarize() and b.print_summary().  A TERM or HUP counts as a
    Ctrl-C, and whatever ran is cleaned up, summed up and written to
    results_path as JSON however it ended.  logs is printed last.
    Returns the exit status."""
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    b = None
    status = 0
    try:
        b = make()
        b.results["started"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        b.run_all()
    except (BenchError, subprocess.TimeoutExpired) as e:
        print("bench: could not run: %s" % e, file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        status = 2
    finally:
        if b is not None:
            b.cleanup()
    if b is None or not b.results["servers"]:
        return status
    b.summarize()
    with open(results_path, "w") as f:
        json.dump(b.results, f, indent=2, sort_keys=True)
        f.write("\n")
    b.print_summary()
    print()
    print("results: %s" % results_path)
    print(logs)
    return status
