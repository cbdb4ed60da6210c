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
"""What the integration tests share: network namespaces, processes
started and stopped by pid, the upstream test server, moatd itself, and a
DNS client that runs inside a namespace.

Sockets are made inside a namespace by switching the calling thread into
it with setns(2) (through ctypes: os.setns is Python 3.12) around the
socket() call, or around a whole dnspython query; a socket keeps the
namespace it was made in, so the rest of the test runs in the root
namespace.  Commands (dig, kdig, moatd, upstream.py) run under
"ip netns exec".
"""
import contextlib
import ctypes
import itertools
import json
import os
import pwd
import signal
import socket
import struct
import subprocess
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype


HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
PREFIX = os.environ.get("MOAT_PREFIX", "")
SOURCE = os.environ.get("MOAT_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(HERE)))
MOATD = os.path.join(PREFIX, "sbin", "moatd")
MOATCTL = os.path.join(PREFIX, "sbin", "moatctl")
DNS_ENGINE = os.path.join(PREFIX, "libexec", "moatd", "dns-engine")
DHCP_ENGINE = os.path.join(PREFIX, "libexec", "moatd", "dhcp-engine")
ENGINES = {"dns-engine": DNS_ENGINE, "dhcp-engine": DHCP_ENGINE}

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)
_counter = itertools.count(1)


def run(cmd, check=True, **kw):
    """Run a command to completion; failures show its output."""
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 30)
    r = subprocess.run(cmd, **kw)
    if check and r.returncode != 0:
        raise AssertionError("%s: exit %d\nstdout: %s\nstderr: %s" % (
            " ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def wait_until(pred, timeout, interval=0.05, what="condition"):
    """Poll pred until it returns something true; that is returned."""
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= end:
            raise AssertionError("timed out after %.1f s waiting for %s" %
                                 (timeout, what))
        time.sleep(interval)


def pid_alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def proc_ppid(pid):
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def children_of(ppid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            if proc_ppid(int(d)) == ppid:
                out.append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return sorted(out)


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def is_engine_exe(pid, exe=None):
    """True when pid runs the DNS engine executable (a forked child that
    has not exec'd yet still runs moatd)."""
    try:
        return os.path.samefile("/proc/%d/exe" % pid, exe or DNS_ENGINE)
    except OSError:
        return False


def kill_pid(pid, timeout=5.0, popen=None):
    """SIGTERM, then SIGKILL once timeout has passed; reaps our children."""
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


class Netns:
    """A network namespace with lo up, and what it holds."""

    def __init__(self, name):
        self.name = name
        self.procs = []
        run(["ip", "netns", "add", name])
        self.ip("link", "set", "lo", "up")

    def ip(self, *args):
        return run(["ip", "-n", self.name] + list(args))

    def add_lan(self, ifname="dum0", v4=(), v6=()):
        """An interface holding 10.53.0.X/24 and fd00:53::X/64 for each X,
        every one of them local.  10.53.0.200 and fd00:53::c8 are dead
        servers: their packets leave for a link address nobody has and
        vanish without an error.  (A veth pair with both ends here: this
        kernel may lack the dummy driver.)"""
        cmds = ["link add %s type veth peer name %sp" % (ifname, ifname)]
        cmds += ["addr add 10.53.0.%d/24 dev %s" % (x, ifname) for x in v4]
        cmds += ["addr add fd00:53::%x/64 dev %s nodad" % (x, ifname)
                 for x in v6]
        cmds += ["link set %sp up" % ifname, "link set %s up" % ifname,
                 "neigh replace 10.53.0.200 lladdr 02:00:00:00:53:c8 dev %s "
                 "nud permanent" % ifname]
        if v6:
            cmds.append("neigh replace fd00:53::c8 lladdr "
                        "02:00:00:00:53:c8 dev %s nud permanent" % ifname)
        run(["ip", "-n", self.name, "-batch", "-"],
            input="\n".join(cmds) + "\n")

    def exec_cmd(self, cmd):
        return ["ip", "netns", "exec", self.name] + list(cmd)

    def run(self, cmd, check=True, **kw):
        return run(self.exec_cmd(cmd), check=check, **kw)

    def popen(self, cmd, **kw):
        """Start cmd in the namespace; it is stopped by pid at cleanup."""
        p = subprocess.Popen(self.exec_cmd(cmd), **kw)
        self.procs.append(p)
        return p

    @contextlib.contextmanager
    def entered(self):
        """Run the body with this thread in the namespace."""
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open("/run/netns/%s" % self.name, os.O_RDONLY)
        try:
            if _libc.setns(target, CLONE_NEWNET) != 0:
                e = ctypes.get_errno()
                raise OSError(e, "setns %s: %s" % (self.name,
                                                   os.strerror(e)))
            try:
                yield
            finally:
                if _libc.setns(own, CLONE_NEWNET) != 0:
                    # a thread stuck in a test namespace is not usable
                    os._exit(3)
        finally:
            os.close(own)
            os.close(target)

    def socket(self, family, type_):
        with self.entered():
            return socket.socket(family, type_)

    def cleanup(self):
        for p in self.procs:
            kill_pid(p.pid, timeout=3, popen=p)
        # whatever else still runs in the namespace, each by its pid
        r = run(["ip", "netns", "pids", self.name], check=False)
        for s in r.stdout.split():
            if s.isdigit() and int(s) != os.getpid():
                kill_pid(int(s), timeout=2)
        run(["ip", "netns", "del", self.name], check=False)


# the names upstream.py answers, one of each record type it serves
RECORD_TYPES = [
    ("www.example", "A"),
    ("www.example", "AAAA"),
    ("mx.example", "MX"),
    ("txt.example", "TXT"),
    ("_sip._udp.example", "SRV"),
    ("unknown.example", "TYPE65280"),
    ("1.0.53.10.in-addr.arpa", "PTR"),
]


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


# ---------------------------------------------------------------- client

def make_query(name, rdtype="A", edns=None, payload=1232, qid=None, rd=True):
    """A query; edns=None or False: no OPT, edns=0: OPT with payload."""
    if edns is None or edns is False:
        q = dns.message.make_query(name, rdtype, use_edns=False)
    else:
        q = dns.message.make_query(name, rdtype, use_edns=edns,
                                   payload=payload)
    if not rd:
        q.flags &= ~dns.flags.RD
    if qid is not None:
        q.id = qid
    return q


class Client:
    """A DNS client whose sockets live in a namespace."""

    def __init__(self, ns):
        self.ns = ns

    def udp(self, q, addr, port=53, timeout=4.0):
        with self.ns.entered():
            return dns.query.udp(q, addr, port=port, timeout=timeout,
                                 ignore_unexpected=True)

    def tcp(self, q, addr, port=53, timeout=4.0):
        with self.ns.entered():
            return dns.query.tcp(q, addr, port=port, timeout=timeout)

    def query(self, name, rdtype="A", addr="10.53.0.1", port=53, tcp=False,
              timeout=4.0, **kw):
        q = make_query(name, rdtype, **kw)
        if tcp:
            return self.tcp(q, addr, port, timeout)
        return self.udp(q, addr, port, timeout)

    def who(self, addr="10.53.0.1", port=53, name="who.example", **kw):
        """The label of the upstream that answered, or the rcode text."""
        r = self.query(name, "TXT", addr=addr, port=port, **kw)
        if r.rcode() != dns.rcode.NOERROR or not r.answer:
            return dns.rcode.to_text(r.rcode())
        txt = b"".join(r.answer[0][0].strings).decode()
        assert txt.startswith("server="), txt
        return txt[len("server="):]

    def raw_udp(self, wire, addr="10.53.0.1", port=53, timeout=1.0):
        """Send bytes, return the reply bytes or None."""
        s = self.ns.socket(family_of(addr), socket.SOCK_DGRAM)
        try:
            s.settimeout(timeout)
            s.sendto(wire, (addr, port))
            try:
                return s.recv(65535)
            except socket.timeout:
                return None
        finally:
            s.close()

    def tcp_connect(self, addr="10.53.0.1", port=53, timeout=4.0):
        s = self.ns.socket(family_of(addr), socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect((addr, port))
        return s


def tcp_read_msg(sock):
    """One length-prefixed DNS message from a stream, or None at EOF."""
    def readn(n):
        buf = b""
        while len(buf) < n:
            d = sock.recv(n - len(buf))
            if not d:
                return None
            buf += d
        return buf
    h = readn(2)
    if h is None:
        return None
    return readn(struct.unpack("!H", h)[0])


def rrset_texts(msg, rdtype=None):
    """The answer section as a comparable set of (name, type, rdata)."""
    out = set()
    for rrs in msg.answer:
        if rdtype is not None and rrs.rdtype != dns.rdatatype.from_text(
                rdtype):
            continue
        for rd in rrs:
            out.add((rrs.name.to_text().lower(), rrs.rdtype, rd.to_text()))
    return out


# -------------------------------------------------------------- upstream

class Upstream:
    """The test DNS server of upstream.py, in a namespace."""

    def __init__(self, ns, tmp, addr, port=53, label="one", index=1,
                 modes=(), zones=()):
        self.ns, self.addr, self.port, self.label = ns, addr, port, label
        tag = "%s-%s-%d" % (label, addr.replace(":", "_"), port)
        self.logpath = os.path.join(str(tmp), "upstream-%s.log" % tag)
        self.ready = os.path.join(str(tmp), "upstream-%s.ready" % tag)
        self.errpath = os.path.join(str(tmp), "upstream-%s.err" % tag)
        cmd = [PYTHON, os.path.join(HERE, "upstream.py"), "--listen", addr,
               "--port", str(port), "--log", self.logpath, "--ready",
               self.ready, "--label", label, "--index", str(index)]
        for m in modes:
            cmd.append("--" + m)
        for z in zones:
            cmd += ["--zone", z]
        self.err = open(self.errpath, "w")
        self.proc = ns.popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=self.err)

    def wait_ready(self, timeout=10):
        def ready():
            if self.proc.poll() is not None:
                with open(self.errpath) as f:
                    raise AssertionError("upstream %s died: %s" %
                                         (self.label, f.read()))
            return os.path.exists(self.ready)
        wait_until(ready, timeout, what="upstream %s" % self.label)
        return self

    def queries(self, **match):
        """Logged queries, optionally those whose fields equal match."""
        out = []
        try:
            with open(self.logpath) as f:
                for line in f:
                    if not line.endswith("\n"):
                        break
                    e = json.loads(line)
                    if all(e.get(k) == v for k, v in match.items()):
                        out.append(e)
        except FileNotFoundError:
            pass
        return out

    def stop(self):
        kill_pid(self.proc.pid, timeout=2, popen=self.proc)
        self.err.close()


# ----------------------------------------------------------------- moatd

def moatd_user_gid():
    return pwd.getpwnam("_moatd").pw_gid


class MoatdDied(AssertionError):
    pass


class Moatd:
    """moatd started in the foreground in a namespace, logging to a file.

    dns is the body of the dns block (lines); glob are extra global
    lines; blocks are extra top-level lines after the dns block (a dhcp
    block, say).  Every path is under tmp.
    """

    def __init__(self, ns, tmp, dns=None, glob=(), conf_text=None,
                 args=(), blocks=()):
        self.ns = ns
        self.tmp = str(tmp)
        n = next(_counter)
        self.conf = os.path.join(self.tmp, "moatd%d.conf" % n)
        self.sock = os.path.join(self.tmp, "moatd%d.sock" % n)
        self.pidfile = os.path.join(self.tmp, "moatd%d.pid" % n)
        self.state = os.path.join(self.tmp, "state%d" % n)
        self.logpath = os.path.join(self.tmp, "moatd%d.log" % n)
        self.args = list(args)
        self.proc = None
        self.expect_exit = False
        self.engines_seen = set()
        self.blocks = list(blocks)
        self.write_conf(dns=dns, glob=glob, conf_text=conf_text)

    def conf_text(self, dns, glob=(), blocks=None):
        lines = ['pidfile "%s"' % self.pidfile,
                 'state directory "%s"' % self.state,
                 'user "_moatd"']
        lines += list(glob)
        lines.append("dns {")
        lines += ["\t" + x for x in dns]
        lines.append("}")
        lines += list(self.blocks if blocks is None else blocks)
        return "\n".join(lines) + "\n"

    def write_conf(self, dns=None, glob=(), conf_text=None, blocks=None):
        if blocks is not None:
            self.blocks = list(blocks)
        if conf_text is None:
            conf_text = self.conf_text(dns or [], glob)
        tmp = self.conf + ".new"
        with open(tmp, "w") as f:
            f.write(conf_text)
        os.rename(tmp, self.conf)

    @property
    def pid(self):
        return self.proc.pid

    @property
    def log(self):
        try:
            with open(self.logpath, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None and \
                not self.expect_exit:
            raise MoatdDied("moatd exited with status %s\n--- log:\n%s" %
                            (self.proc.returncode, self.log))

    def start(self, wait=True, timeout=10):
        self.logf = open(self.logpath, "ab")
        cmd = [MOATD, "-d", "-f", self.conf, "-s", self.sock] + self.args
        self.proc = self.ns.popen(cmd, stdin=subprocess.DEVNULL,
                                  stdout=self.logf, stderr=self.logf)
        if wait:
            self.wait_started(timeout)
        return self

    def wait_started(self, timeout=10):
        def up():
            self.check_alive()
            return "started" in self.log and self.engine_pid(wait=0)
        wait_until(up, timeout, what="moatd to start; log:\n" + self.log)

    def engine_pids(self, name="dns-engine"):
        """The running engines: children of the parent that exec'd the
        engine executable name (dns-engine, dhcp-engine; None: any)."""
        out = []
        exes = list(ENGINES.values()) if name is None else [ENGINES[name]]
        for c in children_of(self.pid):
            if pid_alive(c) and any(is_engine_exe(c, e) for e in exes):
                out.append(c)
        self.engines_seen.update(out)
        return out

    def engine_pid(self, wait=5.0, not_pid=None, name="dns-engine"):
        """The pid of an engine, the DNS engine unless name says another
        (waits for one, other than not_pid)."""
        def find():
            self.check_alive()
            for p in self.engine_pids(name):
                if p != not_pid:
                    return p
            return None
        if wait == 0:
            return find()
        return wait_until(find, wait, what="a %s; log:\n%s" % (name,
                                                                 self.log))

    def ctl(self, *args, json_out=False, check=False, user=None):
        cmd = [MOATCTL, "-s", self.sock]
        if json_out:
            cmd.append("-j")
        cmd += list(args)
        if user is not None:
            cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user,
                   "--clear-groups"] + cmd
        r = run(cmd, check=check, timeout=15)
        if json_out and r.returncode in (0, 1) and r.stdout.strip():
            r.json = json.loads(r.stdout)
        return r

    def signal(self, sig):
        os.kill(self.pid, sig)

    def stop(self, timeout=8):
        if self.proc is None:
            return
        engines = set(self.engine_pids(None)) | self.engines_seen
        self.expect_exit = True
        kill_pid(self.pid, timeout=timeout, popen=self.proc)
        for e in engines:
            if pid_alive(e) and any(is_engine_exe(e, x)
                                    for x in ENGINES.values()):
                kill_pid(e, timeout=1)
        self.logf.close()


def moatd_check(*args, **kw):
    """moatd -n (and more options): the CompletedProcess."""
    return run([MOATD] + list(args), check=False, timeout=20, **kw)


# ------------------------------------------------ issue 5: cache and co.

def count_queries(up, qname, qtype=None, **match):
    """How many times the upstream was asked for qname (any case)."""
    if not qname.endswith("."):
        qname += "."
    if qtype is not None:
        match["qtype"] = qtype
    return len(up.queries(qname=qname.lower(), **match))


def answer_addrs(msg):
    """Every A and AAAA address in the answer section."""
    out = set()
    for rrs in msg.answer:
        if rrs.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            out.update(rd.address for rd in rrs)
    return out


def send_all_at_once(ns, queries, addr="10.53.0.1", port=53, timeout=5.0):
    """Send each query from a socket of its own, all before reading any
    answer; returns {qid: answer message} of what came back in time."""
    import select
    socks = []
    try:
        for q in queries:
            s = ns.socket(family_of(addr), socket.SOCK_DGRAM)
            socks.append((s, q))
        for s, q in socks:
            s.sendto(q.to_wire(), (addr, port))
        got = {}
        pending = {s.fileno(): (s, q) for s, q in socks}
        end = time.monotonic() + timeout
        while pending and time.monotonic() < end:
            r, _, _ = select.select([s for s, _ in pending.values()], [],
                                    [], 0.1)
            for s in r:
                a = dns.message.from_wire(s.recv(65535))
                got.setdefault(a.id, []).append(a)
                pending.pop(s.fileno(), None)
        return got
    finally:
        for s, _ in socks:
            s.close()


def json_find(obj, *keys):
    """The first value, depth first, of a key among keys in a JSON
    document (the layout of moatctl -j output may nest)."""
    if isinstance(obj, dict):
        for k in keys:
            if k in obj:
                return obj[k]
        for v in obj.values():
            f = json_find(v, *keys)
            if f is not None:
                return f
    elif isinstance(obj, list):
        for v in obj:
            f = json_find(v, *keys)
            if f is not None:
                return f
    return None


def check_each(cases, check):
    """Run check(*case) for every case (one moatd serves them all, which
    is much faster than a test each) and fail with every case that
    failed, not just the first."""
    failed = []
    for case in cases:
        if not isinstance(case, tuple):
            case = (case,)
        try:
            check(*case)
        except (AssertionError, Exception) as e:
            failed.append("%s: %s: %s" % (case, type(e).__name__, e))
    assert not failed, "%d of %d failed:\n" % (len(failed), len(cases)) + \
        "\n".join(failed)
