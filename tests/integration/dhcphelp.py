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
"""What the DHCP integration tests share.

The topology: a server namespace holding a bridge dh0 (10.77.0.1/24)
on which moatd runs its dns block and a `dhcp on dh0` block; each client
has a namespace of its own, joined to the bridge by a veth pair whose
client end is called dh0p there.  A bridge rather than one veth pair so
that several clients, each with its own hardware address and its own
namespace, can be on the segment at once.

The real clients (ISC dhclient, busybox udhcpc, dhcpcd) run in their
namespace with every file they write under the test's tmp directory;
each one runs a script that appends its environment to a file, and
configures the address when the client leaves that to its script.  No
client can touch this machine's /etc/resolv.conf: each client namespace
has an /etc/netns/NAME/resolv.conf, which "ip netns exec" mounts over it,
removed at the end.
"""
import itertools
import os
import shutil
import signal
import stat
import subprocess
import time

import dns.rcode
import dns.rdatatype
import dns.reversename
import pytest

import moathelp
from moathelp import Client, Moatd, Netns, children_of, kill_pid, \
    pid_alive, run, wait_until

SERVER_IF = "dh0"
SERVER_ADDR = "10.77.0.1"
CLIENT_IF = "dh0p"
DOMAIN = "lan"
PATH = "/usr/sbin:/usr/bin:/sbin:/bin"

_ns_counter = itertools.count(1)
_client_counter = itertools.count(1)

DNS_LINES = ["listen on %s" % SERVER_ADDR, 'domain "%s"' % DOMAIN,
             'local domain "%s"' % DOMAIN, "no hosts file"]


def ns_name():
    return "md%d_%d" % (os.getpid() % 100000, next(_ns_counter))


def dhcp_block(lines, ifname=SERVER_IF):
    """The lines of a `dhcp on IF` block holding lines."""
    return ["dhcp on %s {" % ifname] + ["\t" + x for x in lines] + ["}"]


def mac_of(n, sub=0):
    return "02:77:%02x:00:%02x:%02x" % (sub, (n >> 8) & 0xff, n & 0xff)


# -------------------------------------------------------------- topology

class DhcpNet:
    """The server namespace with its bridge, and the client namespaces."""

    def __init__(self, tmp, prefixlen=24, addr=SERVER_ADDR):
        self.tmp = str(tmp)
        self.made = []
        self.etc_dirs = []
        self.clients = []
        self.server = self.new_ns()
        self.addr = addr
        cmds = ["link add %s type bridge" % SERVER_IF,
                "link set %s type bridge stp_state 0 forward_delay 0" %
                SERVER_IF,
                "addr add %s/%d dev %s" % (addr, prefixlen, SERVER_IF),
                "link set %s up" % SERVER_IF]
        run(["ip", "-n", self.server.name, "-batch", "-"],
            input="\n".join(cmds) + "\n")

    def resolve(self, name, rdtype="A", timeout=3.0):
        """A query to moatd's DNS from the server namespace, for when no
        client has an address."""
        return Client(self.server).query(name, rdtype, addr=self.addr,
                                         timeout=timeout)

    def new_ns(self):
        ns = Netns(ns_name())
        self.made.append(ns)
        return ns

    def add_client(self, mac=None, addrs=(), name=None):
        """A client namespace whose dh0p is on the bridge, with the
        hardware address mac and the addresses addrs ("10.77.0.2/24")."""
        n = next(_client_counter)
        ns = self.new_ns()
        etc = os.path.join("/etc/netns", ns.name)
        os.makedirs(etc, exist_ok=True)
        self.etc_dirs.append(etc)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            f.write("# written by the moatd DHCP tests\n"
                    "nameserver %s\n" % self.addr)
        port = "dhb%d" % n
        peer = "dhc%d" % n
        self.server.ip("link", "add", port, "type", "veth", "peer", "name",
                       peer)
        self.server.ip("link", "set", port, "master", SERVER_IF)
        self.server.ip("link", "set", port, "up")
        self.server.ip("link", "set", peer, "netns", ns.name)
        ns.ip("link", "set", peer, "name", CLIENT_IF)
        if mac is None:
            mac = mac_of(n)
        ns.ip("link", "set", CLIENT_IF, "address", mac)
        for a in addrs:
            ns.ip("addr", "add", a, "dev", CLIENT_IF)
        ns.ip("link", "set", CLIENT_IF, "up")
        c = DhcpClient(self, ns, mac, name or "c%d" % n)
        self.clients.append(c)
        return c

    def cleanup(self):
        for c in self.clients:
            c.stop()
        for ns in reversed(self.made):
            ns.cleanup()
        for d in self.etc_dirs:
            shutil.rmtree(d, ignore_errors=True)
        try:
            os.rmdir("/etc/netns")
        except OSError:
            pass


# --------------------------------------------------------------- clients

ENV_SCRIPT = """#!/bin/sh
# A DHCP client's script for the moatd tests: record the event and the
# environment, and configure the address when the client leaves that to
# its script.
PATH=%(path)s
export PATH
out=%(out)s
{
	echo "=== ${reason:-$1}"
	env | LC_ALL=C sort
} >>"$out"
kind=%(kind)s
ev="${reason:-$1}"
case "$kind/$ev" in
dhclient/PREINIT)
	ip link set dev "$interface" up
	;;
dhclient/BOUND|dhclient/RENEW|dhclient/REBIND|dhclient/REBOOT)
	if [ -n "$old_ip_address" ] &&
	    [ "$old_ip_address" != "$new_ip_address" ]; then
		ip -4 addr flush dev "$interface"
	fi
	ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface"
	;;
dhclient/EXPIRE|dhclient/FAIL|dhclient/RELEASE|dhclient/STOP)
	ip -4 addr flush dev "$interface"
	;;
udhcpc/deconfig)
	ip -4 addr flush dev "$interface"
	ip link set dev "$interface" up
	;;
udhcpc/bound|udhcpc/renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/$subnet" dev "$interface"
	;;
esac
echo "=== end" >>"$out"
exit 0
"""


def parse_env_file(path):
    """[(event, {var: value})] in the order the script ran."""
    out = []
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return out
    cur = None
    for line in text.split("\n"):
        if line.startswith("=== "):
            ev = line[4:]
            if ev == "end":
                cur = None
                continue
            cur = {}
            out.append((ev, cur))
        elif cur is not None and "=" in line:
            k, _, v = line.partition("=")
            cur[k] = v
    return out


class DhcpClient:
    """One client namespace and the DHCP clients run in it."""

    def __init__(self, net, ns, mac, name):
        self.net = net
        self.ns = ns
        self.mac = mac
        self.name = name
        self.dir = os.path.join(net.tmp, "client-%s-%s" % (name, ns.name))
        os.makedirs(self.dir, exist_ok=True)
        self.envfile = os.path.join(self.dir, "env.log")
        self.procs = []
        self.dns = Client(ns)

    # ---- what the namespace shows

    def addrs(self):
        """The IPv4 addresses on dh0p, as "10.77.0.100/24"."""
        r = self.ns.run(["ip", "-4", "-o", "addr", "show", "dev", CLIENT_IF])
        out = []
        for line in r.stdout.split("\n"):
            w = line.split()
            if "inet" in w:
                out.append(w[w.index("inet") + 1])
        return out

    def routes(self):
        return self.ns.run(["ip", "-4", "route", "show"]).stdout

    def mtu(self):
        r = self.ns.run(["cat", "/sys/class/net/%s/mtu" % CLIENT_IF])
        return int(r.stdout.strip())

    def events(self):
        return parse_env_file(self.envfile)

    def last_env(self, *events):
        """The environment of the last script run for one of events."""
        want = {e.lower() for e in events}
        for ev, env in reversed(self.events()):
            if ev.lower() in want:
                return env
        return None

    def wait_env(self, *events, timeout=20, proc=None):
        def got():
            if proc is not None and proc.poll() not in (None, 0):
                raise AssertionError("%s exited with %s; script log:\n%s" %
                                     (proc.args, proc.returncode,
                                      self.log_text()))
            return self.last_env(*events)
        return wait_until(got, timeout, interval=0.1,
                          what="%s in %s; script log:\n%s" % (
                              "/".join(events), self.name, self.log_text()))

    def log_text(self):
        try:
            with open(self.envfile, errors="replace") as f:
                return f.read()[-4000:]
        except FileNotFoundError:
            return "(no script run)"

    def script(self, kind):
        path = os.path.join(self.dir, "%s.sh" % kind)
        with open(path, "w") as f:
            f.write(ENV_SCRIPT % {"path": PATH, "out": self.envfile,
                                  "kind": kind})
        os.chmod(path, 0o755)
        return path

    def popen(self, cmd, logname):
        log = open(os.path.join(self.dir, logname), "ab")
        p = self.ns.popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                          stderr=subprocess.STDOUT)
        log.close()
        self.procs.append(p)
        return p

    def client_log(self, logname):
        try:
            with open(os.path.join(self.dir, logname), errors="replace") as f:
                return f.read()[-4000:]
        except FileNotFoundError:
            return ""

    def stop(self):
        for p in self.procs:
            kill_pid(p.pid, timeout=3, popen=p)
        for pf in ("dhclient.pid",):
            path = os.path.join(self.dir, pf)
            try:
                with open(path) as f:
                    pid = int(f.read().strip())
            except (OSError, ValueError):
                continue
            if pid_alive(pid) and b"dhclient" in moathelp.cmdline(pid):
                kill_pid(pid, timeout=2)

    # ---- ISC dhclient

    def dhclient_conf(self, hostname=None, client_id=None, extra=()):
        path = os.path.join(self.dir, "dhclient.conf")
        lines = [
            "# moatd DHCP tests",
            "option rfc3442-classless-static-routes code 121 = "
            "array of unsigned integer 8;",
            "option wpad code 252 = text;",
            "timeout 20;",
            "retry 2;",
            "initial-interval 1;",
            "request subnet-mask, broadcast-address, routers, "
            "domain-name, domain-name-servers, host-name, interface-mtu, "
            "rfc3442-classless-static-routes, wpad;",
        ]
        if hostname is not None:
            lines.append('send host-name "%s";' % hostname)
        if client_id is not None:
            lines.append('send dhcp-client-identifier "%s";' % client_id)
        lines += list(extra)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def dhclient_args(self):
        return ["-cf", os.path.join(self.dir, "dhclient.conf"),
                "-lf", os.path.join(self.dir, "dhclient.leases"),
                "-pf", os.path.join(self.dir, "dhclient.pid"),
                "-sf", self.script("dhclient")]

    def dhclient(self, hostname=None, client_id=None, timeout=25):
        """Get a lease with dhclient -1; it stays running (in the
        background, by its pidfile) to renew.  Returns the BOUND env."""
        self.dhclient_conf(hostname=hostname, client_id=client_id)
        cmd = ["dhclient", "-4", "-1", "-v"] + self.dhclient_args() + \
            [CLIENT_IF]
        r = self.ns.run(cmd, check=False, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("dhclient: exit %d\n%s\nscript log:\n%s" %
                                 (r.returncode, r.stderr[-3000:],
                                  self.log_text()))
        return self.wait_env("BOUND", "REBOOT", timeout=2)

    def dhclient_release(self, timeout=15):
        cmd = ["dhclient", "-4", "-r", "-v"] + self.dhclient_args() + \
            [CLIENT_IF]
        return self.ns.run(cmd, check=False, timeout=timeout)

    def dhclient_pid(self):
        try:
            with open(os.path.join(self.dir, "dhclient.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    # ---- busybox udhcpc

    def udhcpc_cmd(self, hostname=None, client_id_hex=None, extra=(),
                   once=True, tries=5):
        cmd = ["udhcpc", "-f", "-i", CLIENT_IF, "-s", self.script("udhcpc"),
               "-t", str(tries), "-T", "1", "-A", "1",
               "-O", "mtu", "-O", "staticroutes", "-O", "252",
               "-O", "lease"]
        if once:
            cmd += ["-q", "-n"]
        if hostname is not None:
            cmd += ["-x", "hostname:%s" % hostname]
        if client_id_hex is not None:
            cmd += ["-C", "-x", "0x3d:%s" % client_id_hex]
        return cmd + list(extra)

    def udhcpc(self, hostname=None, client_id_hex=None, extra=(),
               timeout=20, check=True, tries=5):
        """udhcpc -q -n: get a lease and exit.  The bound env, or None
        when check is False and no lease came."""
        cmd = self.udhcpc_cmd(hostname, client_id_hex, extra, tries=tries)
        r = self.ns.run(cmd, check=False, timeout=timeout)
        self.last_udhcpc = r
        if r.returncode != 0:
            if not check:
                return None
            raise AssertionError("udhcpc: exit %d\n%s\n%s\nscript log:\n%s"
                                 % (r.returncode, r.stdout[-2000:],
                                    r.stderr[-2000:], self.log_text()))
        return self.last_env("bound", "renew")

    def udhcpc_start(self, hostname=None, client_id_hex=None, extra=()):
        """udhcpc staying in the foreground (SIGUSR1 renews, SIGUSR2
        releases); returns the Popen once bound."""
        cmd = self.udhcpc_cmd(hostname, client_id_hex, extra, once=False)
        p = self.popen(cmd, "udhcpc.log")
        self.wait_env("bound", proc=p)
        return p

    # ---- dhcpcd

    def dhcpcd(self, hostname=None, fqdn=False, timeout=30, extra=()):
        """dhcpcd -1 -4 in the foreground; its database and run
        directories are tmpfs/bind mounts of its own mount namespace
        (ip netns exec gives it one), so it writes nothing outside tmp.
        Returns the BOUND env."""
        db = os.path.join(self.dir, "dhcpcd-db")
        os.makedirs(db, exist_ok=True)
        conf = os.path.join(self.dir, "dhcpcd.conf")
        lines = ["# moatd DHCP tests", "ipv4only", "noipv4ll", "noarp",
                 "nodelay",
                 "nohook resolv.conf, hostname, ntp.conf, timesyncd.conf",
                 "persistent", "timeout 20",
                 "option domain_name_servers, domain_name, routers",
                 "option classless_static_routes, interface_mtu",
                 "option 252", "option host_name"]
        if hostname is not None:
            lines.append("hostname %s" % hostname)
            if fqdn:
                lines.append("fqdn both")
        lines += list(extra)
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        logf = os.path.join(self.dir, "dhcpcd.log")
        inner = ("set -e; mount -t tmpfs -o mode=0755 moat-run /run; "
                 "mkdir -p /run/dhcpcd; "
                 "if [ -d /var/lib/dhcpcd ]; then "
                 "mount --bind %s /var/lib/dhcpcd; fi; "
                 "exec dhcpcd -B -1 -4 -f %s -c %s -j %s %s" % (
                     db, conf, self.script("dhcpcd"), logf, CLIENT_IF))
        r = self.ns.run(["sh", "-c", inner], check=False, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("dhcpcd: exit %d\n%s\n%s\nlog:\n%s\n"
                                 "script log:\n%s" % (
                                     r.returncode, r.stdout[-2000:],
                                     r.stderr[-2000:],
                                     self.client_log("dhcpcd.log"),
                                     self.log_text()))
        return self.wait_env("BOUND", "REBOOT", timeout=2)

    # ---- DNS

    def resolve(self, name, rdtype="A", timeout=3.0):
        return self.dns.query(name, rdtype, addr=SERVER_ADDR,
                              timeout=timeout)


# ----------------------------------------------------------------- moatd

class DhcpMoatd:
    """moatd in the server namespace with a dns block and dhcp blocks;
    restartable on the same state directory."""

    def __init__(self, net, tmp, dhcp, dns=(), glob=(), blocks=None):
        self.net = net
        if blocks is None:
            blocks = dhcp_block(dhcp)
        self.m = Moatd(net.server, tmp, dns=DNS_LINES + list(dns),
                       glob=glob, blocks=blocks)

    def __getattr__(self, k):
        return getattr(self.m, k)

    def start(self, timeout=10):
        self.m.expect_exit = False
        self.m.start(wait=False)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=10):
        """Both engines run and the DHCP engine answers show leases."""
        m = self.m

        def ready():
            m.check_alive()
            if m.engine_pid(wait=0) is None:
                return False
            if m.engine_pid(wait=0, name="dhcp-engine") is None:
                return False
            r = m.ctl("show", "leases")
            return r.returncode == 0
        wait_until(ready, timeout, interval=0.1,
                   what="moatd with its DHCP engine; log:\n" + m.log)

    def dhcp_pid(self, wait=5.0, not_pid=None):
        return self.m.engine_pid(wait=wait, not_pid=not_pid,
                                 name="dhcp-engine")

    def all_pids(self):
        """The parent and every child of it, engines or hooks."""
        return [self.m.pid] + children_of(self.m.pid)

    def kill9(self):
        """kill -9 of every moatd process, each by its pid."""
        pids = self.all_pids()
        self.m.engine_pids(None)
        self.m.expect_exit = True
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.m.proc.wait(timeout=5)
        for p in pids:
            wait_until(lambda: not pid_alive(p), 5, what="pid %d to die" % p)
        self.m.logf.close()
        return pids

    def restart(self, timeout=10):
        if self.m.proc is not None and self.m.proc.poll() is None:
            self.m.stop()
        self.m.engines_seen = set()
        return self.start(timeout)

    # ---- show leases

    def leases(self):
        """moatctl -j show leases: the list of lease objects."""
        r = self.m.ctl("show", "leases", json_out=True)
        assert r.returncode == 0, "moatctl -j show leases: exit %d: %s %s" \
            % (r.returncode, r.stdout, r.stderr)
        j = getattr(r, "json", [])
        assert isinstance(j, list), "show leases -j is not an array: %r" % j
        for e in j:
            for k in ("address", "state", "hwaddr", "client_id", "hostname",
                      "interface", "starts", "expires"):
                assert k in e, "lease without %s: %r" % (k, e)
        return j

    def lease(self, address=None, hwaddr=None):
        """The one lease of address (and/or hwaddr), or None."""
        found = [e for e in self.leases()
                 if (address is None or e["address"] == address) and
                 (hwaddr is None or (e["hwaddr"] or "").lower() ==
                  hwaddr.lower())]
        assert len(found) <= 1, "two leases match: %r" % found
        return found[0] if found else None

    def leases_text(self):
        """moatctl show leases: rows of words for each line that starts
        with an address (the expires column is two words, or "never")."""
        r = self.m.ctl("show", "leases")
        assert r.returncode == 0, r.stdout + r.stderr
        rows = []
        for line in r.stdout.split("\n"):
            w = line.split()
            if w and w[0].count(".") == 3 and w[0].replace(".", "").isdigit():
                rows.append(w)
        return rows


def assert_bound(m, address, hwaddr, hostname=None, client_id=None):
    """show leases (JSON and text) has address bound to hwaddr."""
    e = wait_until(lambda: m.lease(address), 3, what="the lease of %s" %
                   address)
    assert e["state"] == "bound", e
    assert (e["hwaddr"] or "").lower() == hwaddr.lower(), e
    assert e["interface"] == SERVER_IF, e
    assert isinstance(e["starts"], int) and isinstance(e["expires"], int), e
    assert e["expires"] > time.time() > e["starts"] - 5, e
    if hostname is not None:
        assert e["hostname"] == hostname, e
    if client_id is not None:
        assert (e["client_id"] or "").lower() == client_id.lower(), e
    rows = [w for w in m.leases_text() if w[0] == address]
    assert len(rows) == 1, m.ctl("show", "leases").stdout
    w = rows[0]
    assert w[1] == "bound" and w[2].lower() == hwaddr.lower(), w
    if hostname is not None:
        assert w[4] == hostname, w
    assert len(w) == 7 and len(w[5]) == 10 and len(w[6]) == 8, \
        "expires is not YYYY-MM-DD HH:MM:SS: %r" % w
    return e


# --------------------------------------------------------------- the DNS

def a_addrs(r):
    out = set()
    for rrs in r.answer:
        if rrs.rdtype == dns.rdatatype.A:
            out.update(rd.address for rd in rrs)
    return out


def ptr_names(r):
    return {rd.target.to_text().lower() for rrs in r.answer
            if rrs.rdtype == dns.rdatatype.PTR for rd in rrs}


def resolves(client, name, addr, timeout=5):
    """Wait until NAME.lan has A addr and addr's PTR is NAME.lan; client
    is a DhcpClient with an address, or the DhcpNet."""
    fq = "%s.%s" % (name, DOMAIN)

    def ok():
        r = client.resolve(fq)
        if a_addrs(r) != {addr}:
            return False
        p = client.resolve(dns.reversename.from_address(addr), "PTR")
        return ptr_names(p) == {fq + "."}
    wait_until(ok, timeout, interval=0.1,
               what="%s to resolve to %s (A and PTR)" % (fq, addr))
    r = client.resolve(fq)
    assert r.rcode() == dns.rcode.NOERROR
    for rrs in r.answer:
        assert rrs.ttl == 0, "a lease name is answered with TTL 0: %s" % rrs


def gone(client, name, addr, timeout=5):
    """Wait until NAME.lan has no A and addr no PTR."""
    fq = "%s.%s" % (name, DOMAIN)

    def ok():
        r = client.resolve(fq)
        p = client.resolve(dns.reversename.from_address(addr), "PTR")
        return not a_addrs(r) and fq + "." not in ptr_names(p)
    wait_until(ok, timeout, interval=0.1,
               what="%s (%s) to be gone from the DNS" % (fq, addr))


# -------------------------------------------------------------- fixtures

@pytest.fixture
def dnet(tmp_path):
    """The server namespace with its bridge dh0 (10.77.0.1/24)."""
    net = DhcpNet(tmp_path)
    yield net
    net.cleanup()


@pytest.fixture
def dmoatd(request, dnet, tmp_path):
    """dmoatd(dhcp=[lines], dns=[lines], glob=[lines]) -> a started
    DhcpMoatd, stopped at the end; one that died unexpectedly fails."""
    started = []
    request.node._moatds = []

    def make(dhcp, dns=(), glob=(), start=True, blocks=None, net=None):
        m = DhcpMoatd(net or dnet, tmp_path, dhcp, dns=dns, glob=glob,
                      blocks=blocks)
        started.append(m)
        request.node._moatds.append(m.m)
        if start:
            m.start()
        return m
    yield make
    died = None
    for m in started:
        mm = m.m
        if mm.proc is not None and mm.proc.poll() is not None and \
                not mm.expect_exit:
            died = mm
        mm.stop()
    if died is not None:
        pytest.fail("moatd exited during the test (status %s)\n--- log:\n%s"
                    % (died.proc.returncode, died.log))


def public_tmpdir():
    """A directory every user may enter (tmp_path is 0700)."""
    import tempfile
    d = tempfile.mkdtemp(prefix="moat-dhcp.")
    os.chmod(d, 0o755)
    st = os.stat(d)
    assert stat.S_IMODE(st.st_mode) == 0o755
    return d


def hwaddr_hex(mac):
    return mac.replace(":", "").lower()


# ------------------------------------------------------ packets by hand

MAGIC = b"\x63\x82\x53\x63"
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = range(1, 9)


def ip4(a):
    import socket
    return socket.inet_aton(a)


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def options(*pairs, end=True):
    """Option TLVs from (code, bytes) pairs, then END."""
    out = b""
    for code, val in pairs:
        out += bytes([code, len(val)]) + val
    return out + (b"\xff" if end else b"")


def bootp(op=1, xid=0x4d6f6174, chaddr="02:77:00:00:00:01", htype=1, hlen=6,
          hops=0, secs=0, flags=0, ciaddr="0.0.0.0", yiaddr="0.0.0.0",
          siaddr="0.0.0.0", giaddr="0.0.0.0", sname=b"", file=b"",
          opts=None, cookie=True):
    """A BOOTP/DHCP message.  opts: the bytes after the magic cookie
    (None: no options); cookie False: a plain RFC 951 vendor area of
    zeros.  Padded to 300 bytes, as BOOTP relays expect."""
    import struct
    hw = mac_bytes(chaddr) if isinstance(chaddr, str) else chaddr
    pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, htype, hlen, hops,
                      xid, secs, flags, ip4(ciaddr), ip4(yiaddr),
                      ip4(siaddr), ip4(giaddr), hw[:16], sname, file)
    if cookie:
        pkt += MAGIC + (opts if opts is not None else b"\xff")
    return pkt.ljust(300, b"\0")


def dhcp(mtype, *pairs, **kw):
    """A DHCP message of type mtype with the options pairs."""
    return bootp(opts=options((53, bytes([mtype])), *pairs), **kw)


def parse_bootp(data):
    """A reply as a dict (op, xid, yiaddr, giaddr, chaddr as text,
    options {code: bytes}, type), or None when it is not one."""
    import socket
    import struct
    if len(data) < 236:
        return None
    op, htype, hlen, hops, xid, secs, flags = struct.unpack("!BBBBIHH",
                                                            data[:12])
    addrs = [socket.inet_ntoa(data[i:i + 4]) for i in (12, 16, 20, 24)]
    hl = min(hlen, 16)
    chaddr = ":".join("%02x" % b for b in data[28:28 + hl])
    opts = {}
    if data[236:240] == MAGIC:
        i = 240
        while i < len(data):
            code = data[i]
            if code == 255:
                break
            if code == 0:
                i += 1
                continue
            if i + 1 >= len(data):
                break
            n = data[i + 1]
            opts[code] = opts.get(code, b"") + data[i + 2:i + 2 + n]
            i += 2 + n
    t = opts.get(53, b"\0")[0] if 53 in opts else 0
    return {"op": op, "htype": htype, "hlen": hlen, "xid": xid,
            "flags": flags, "ciaddr": addrs[0], "yiaddr": addrs[1],
            "siaddr": addrs[2], "giaddr": addrs[3], "chaddr": chaddr,
            "options": opts, "type": t, "vend": data[236:]}


def opt_addrs(val):
    import socket
    return [socket.inet_ntoa(val[i:i + 4]) for i in range(0, len(val) - 3,
                                                           4)]
