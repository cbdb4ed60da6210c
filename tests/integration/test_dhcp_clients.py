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
"""The DHCP engine with real clients: ISC dhclient, busybox udhcpc and
dhcpcd get leases with the configured options, static hosts get their
address and name, lease names resolve through moatd's DNS, a release
frees the address, leases survive a restart, and the lease hook runs
for add, old and del as an unprivileged user."""
import ipaddress
import os
import pwd
import signal
import stat
import time

import pytest

from dhcphelp import CLIENT_IF, SERVER_IF, a_addrs, assert_bound, \
    dmoatd, dnet, gone, public_tmpdir, resolves  # noqa: F401 (fixtures)
from moathelp import kill_pid, wait_until


def moathelp_kill(p):
    kill_pid(p.pid, timeout=3, popen=p)

RANGE = ("10.77.0.100", "10.77.0.149")
WPAD = "http://wpad.lan/wpad.dat"
BASE = [
    "range %s %s" % RANGE,
    "lease time 10m",
    "option router 10.77.0.1",
    "option dns-server 10.77.0.1",
    'option domain-name "lan"',
    "option interface-mtu 1400",
    'option 252 "%s"' % WPAD,
    "option classless-static-routes 10.99.0.0/16 10.77.0.254 "
    "0.0.0.0/0 10.77.0.1",
]
ROUTES_3442 = "16 10 99 10 77 0 254 0 10 77 0 1"
ROUTES_TEXT = "10.99.0.0/16 10.77.0.254 0.0.0.0/0 10.77.0.1"


def in_range(addr, first=RANGE[0], last=RANGE[1]):
    a = ipaddress.ip_address(addr)
    return ipaddress.ip_address(first) <= a <= ipaddress.ip_address(last)


def unquote(v):
    """A string option as a client script shows it: dhclient quotes and
    escapes, dhcpcd may quote."""
    return v.replace('\\"', '"').strip('"')


def check_dhclient_env(env):
    assert env["new_subnet_mask"] == "255.255.255.0", env
    assert env["new_routers"] == "10.77.0.1", env
    assert env["new_domain_name_servers"] == "10.77.0.1", env
    assert env["new_domain_name"] == "lan", env
    assert env["new_dhcp_lease_time"] == "600", env
    assert env["new_dhcp_server_identifier"] == "10.77.0.1", env
    assert env["new_interface_mtu"] == "1400", env
    assert env["new_rfc3442_classless_static_routes"] == ROUTES_3442, env
    assert unquote(env["new_wpad"]) == WPAD, env
    return env["new_ip_address"]


def check_udhcpc_env(env):
    assert env["subnet"] == "255.255.255.0", env
    assert env["router"] == "10.77.0.1", env
    assert env["dns"].split() == ["10.77.0.1"], env
    assert env["domain"] == "lan", env
    assert env["lease"] == "600", env
    assert env["serverid"] == "10.77.0.1", env
    assert env["mtu"] == "1400", env
    assert env["staticroutes"] == ROUTES_TEXT, env
    # busybox knows 252 as "wpad"; an older one shows it as hex opt252
    if "wpad" in env:
        assert unquote(env["wpad"]) == WPAD, env
    else:
        assert env.get("opt252", "").lower() == WPAD.encode().hex(), env
    return env["ip"]


def check_dhcpcd_env(env, client):
    assert env["new_subnet_mask"] == "255.255.255.0", env
    assert env["new_domain_name_servers"] == "10.77.0.1", env
    assert env["new_domain_name"] == "lan", env
    assert env["new_dhcp_lease_time"] == "600", env
    assert env["new_dhcp_server_identifier"] == "10.77.0.1", env
    assert env["new_interface_mtu"] == "1400", env
    assert env["new_classless_static_routes"] == ROUTES_TEXT, env
    assert unquote(env["new_wpad_url"]) == WPAD, env
    # dhcpcd applies the routes of option 121 (and so ignores option 3)
    # and the MTU itself
    routes = client.routes()
    assert "10.99.0.0/16 via 10.77.0.254 dev %s" % CLIENT_IF in routes, \
        routes
    assert "default via 10.77.0.1 dev %s" % CLIENT_IF in routes, routes
    assert "mtu 1400" in routes or client.mtu() == 1400, routes
    return env["new_ip_address"]


def get_lease(kind, client, hostname):
    """Run one client to a lease; its address, checked against the
    options of BASE."""
    if kind == "dhclient":
        env = client.dhclient(hostname=hostname)
        return check_dhclient_env(env)
    if kind == "udhcpc":
        env = client.udhcpc(hostname=hostname)
        return check_udhcpc_env(env)
    env = client.dhcpcd(hostname=hostname)
    return check_dhcpcd_env(env, client)


# ------------------------------------------------------------- 1. leases

@pytest.mark.parametrize("kind", ["dhclient", "udhcpc", "dhcpcd"])
def test_client_gets_lease_with_options(dnet, dmoatd, kind):
    m = dmoatd(BASE)
    c = dnet.add_client()
    name = "host-%s" % kind
    addr = get_lease(kind, c, name)
    assert in_range(addr), addr
    assert c.addrs() == ["%s/24" % addr], c.addrs()
    assert_bound(m, addr, c.mac, hostname=name)
    # a second client on the segment gets another address of the range
    c2 = dnet.add_client()
    env = c2.udhcpc()
    assert in_range(env["ip"]) and env["ip"] != addr, env
    assert_bound(m, env["ip"], c2.mac)
    assert_bound(m, addr, c.mac, hostname=name)


# -------------------------------------------------------- 2. static hosts

PRINTER_MAC = "02:77:00:00:aa:10"
PHONE_CID = "01:02:77:00:00:bb:11"


def test_static_hosts(dnet, dmoatd):
    m = dmoatd(BASE + [
        'host "printer" { hardware ethernet %s; address 10.77.0.10 }' %
        PRINTER_MAC,
        'host "phone" {',
        '\tclient-id hex "%s"' % PHONE_CID,
        "\taddress 10.77.0.11",
        "}",
    ])
    printer = dnet.add_client(mac=PRINTER_MAC)
    env = printer.dhclient(hostname="notprinter")
    assert env["new_ip_address"] == "10.77.0.10", env
    assert printer.addrs() == ["10.77.0.10/24"]
    # the phone's hardware address is nothing special: its client id is
    phone = dnet.add_client()
    env = phone.udhcpc(client_id_hex=PHONE_CID.replace(":", ""),
                       hostname="notphone")
    assert env["ip"] == "10.77.0.11", env
    assert phone.addrs() == ["10.77.0.11/24"]
    # the same hardware address without that client id is dynamic
    other = dnet.add_client(mac=phone.mac)
    env = other.udhcpc()
    assert in_range(env["ip"]), env
    assert_bound(m, "10.77.0.10", PRINTER_MAC, hostname="printer")
    assert_bound(m, "10.77.0.11", phone.mac, hostname="phone",
                 client_id=PHONE_CID)
    resolves(printer, "printer", "10.77.0.10")
    resolves(printer, "phone", "10.77.0.11")
    assert not a_addrs(printer.resolve("notprinter.lan"))
    assert not a_addrs(printer.resolve("notphone.lan"))


# -------------------------------------------------------------- 3. names

def test_client_names_in_dns(dnet, dmoatd):
    m = dmoatd(BASE, dns=['record "taken.lan" A 10.77.0.5'])
    alpha = dnet.add_client()
    a = alpha.dhclient(hostname="alpha")["new_ip_address"]	# option 12
    beta = dnet.add_client()
    b = beta.udhcpc(hostname="beta")["ip"]			# option 12
    gamma = dnet.add_client()
    g = gamma.dhcpcd(hostname="gamma", fqdn=True)		# option 81
    g = g["new_ip_address"]
    taker = dnet.add_client()
    t = taker.udhcpc(hostname="taken")["ip"]
    assert len({a, b, g, t}) == 4
    for client, name, addr in ((alpha, "alpha", a), (beta, "beta", b),
                               (gamma, "gamma", g)):
        resolves(client, name, addr)
        assert_bound(m, addr, client.mac, hostname=name)
    # dig from a client namespace, as a user would
    r = alpha.ns.run(["dig", "@10.77.0.1", "+tries=1", "+time=3", "+short",
                      "beta.lan", "A"])
    assert r.stdout.split() == [b], r.stdout
    r = alpha.ns.run(["dig", "@10.77.0.1", "+tries=1", "+time=3", "+short",
                      "-x", g])
    assert r.stdout.split() == ["gamma.lan."], r.stdout
    # the configured record wins over the client's claim
    assert_bound(m, t, taker.mac)
    time.sleep(0.5)
    assert a_addrs(taker.resolve("taken.lan")) == {"10.77.0.5"}
    # a DNS engine that starts again gets every lease name again
    old = m.engine_pid()
    os.kill(old, signal.SIGKILL)
    m.engine_pid(wait=5, not_pid=old)
    for client, name, addr in ((alpha, "alpha", a), (beta, "beta", b),
                               (gamma, "gamma", g)):
        resolves(client, name, addr)
    assert a_addrs(taker.resolve("taken.lan")) == {"10.77.0.5"}


# ------------------------------------------------------------ 4. release

def test_release_frees_address(dnet, dmoatd):
    only = "10.77.0.100"
    m = dmoatd(["range %s %s" % (only, only)] + BASE[1:])
    a = dnet.add_client()
    env = a.dhclient(hostname="leaver")
    assert env["new_ip_address"] == only, env
    assert_bound(m, only, a.mac, hostname="leaver")
    resolves(a, "leaver", only)
    # the range is full: nobody else gets an address
    b = dnet.add_client()
    assert b.udhcpc(check=False, tries=2) is None, \
        "a second client got an address of a full range: %s" % \
        b.last_env("bound")
    r = a.dhclient_release()
    assert r.returncode == 0, r.stderr
    assert a.addrs() == []

    def released():
        e = m.lease(only)
        return e is not None and e["state"] == "released" and e
    e = wait_until(released, 5, what="the lease to show released; "
                   "leases: %s" % m.leases())
    assert e["hwaddr"].lower() == a.mac
    gone(dnet, "leaver", only)
    env = b.udhcpc()
    assert env["ip"] == only, env
    assert_bound(m, only, b.mac)


# ------------------------------------------------------------ 5. restart

def test_leases_survive_restart(dnet, dmoatd):
    m = dmoatd(BASE)
    a = dnet.add_client()
    # ask for an address in the middle of the range: a fresh database
    # would offer the first one
    env = a.udhcpc(hostname="keeper", extra=["-r", "10.77.0.120"])
    assert env["ip"] == "10.77.0.120", env
    assert_bound(m, "10.77.0.120", a.mac, hostname="keeper")
    resolves(a, "keeper", "10.77.0.120")
    # the state directory is the engine's: the user's, mode 0750
    st = os.stat(m.state)
    assert st.st_uid == pwd.getpwnam("_moatd").pw_uid, st
    assert stat.S_IMODE(st.st_mode) == 0o750, oct(st.st_mode)
    assert os.path.exists(os.path.join(m.state, "leases.db"))
    old_dhcp = m.dhcp_pid()
    m.restart()
    assert m.dhcp_pid() != old_dhcp
    # before the client says anything: the lease and its name are back
    assert_bound(m, "10.77.0.120", a.mac, hostname="keeper")
    resolves(a, "keeper", "10.77.0.120")
    # the DHCP engine alone killed: the parent starts another, which
    # reads the database and names its leases again
    old_dhcp = m.dhcp_pid()
    os.kill(old_dhcp, signal.SIGKILL)
    m.dhcp_pid(wait=5, not_pid=old_dhcp)
    m.wait_ready()
    assert_bound(m, "10.77.0.120", a.mac, hostname="keeper")
    resolves(a, "keeper", "10.77.0.120")
    # the client, which (udhcpc) keeps no lease of its own, gets its
    # address back
    env = a.udhcpc(hostname="keeper")
    assert env["ip"] == "10.77.0.120", env
    # and a newcomer does not get it
    b = dnet.add_client()
    env = b.udhcpc()
    assert env["ip"] != "10.77.0.120" and in_range(env["ip"]), env


# -------------------------------------------------------- 10. lease hook

HOOK = """#!/bin/sh
# moatd test lease hook: one line per run, then its MOATD_ environment
out=%s
msg=$(
	printf 'RUN uid=%%s gid=%%s cwd=%%s PATH=%%s argc=%%s' "$(id -u)" \\
	    "$(id -g)" "$(pwd)" "$PATH" "$#"
	for a in "$@"; do printf ' [%%s]' "$a"; done
	printf '\\n'
	env | grep '^MOATD_' | LC_ALL=C sort | sed 's/^/ENV /'
)
printf '%%s\\nEND\\n' "$msg" >>"$out"
"""


def read_hook(path):
    """[(argv list, {MOATD_*: value}, {uid, gid, cwd, PATH})] of the
    runs written whole (each ends with a line END)."""
    runs = []
    try:
        with open(path) as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return runs
    done = 0
    for line in lines:
        if line == "END":
            done = len(runs)
        elif line.startswith("RUN "):
            head, _, rest = line[4:].partition(" [")
            info = dict(w.split("=", 1) for w in head.split())
            args = []
            if rest:
                args = ("[" + rest).strip()[1:-1].split("] [")
            runs.append((args, {}, info))
        elif line.startswith("ENV ") and runs:
            k, _, v = line[4:].partition("=")
            runs[-1][1][k] = v
    return runs[:done]


def test_lease_hook(dnet, dmoatd):
    pub = public_tmpdir()
    try:
        hook = os.path.join(pub, "hook.sh")
        out = os.path.join(pub, "hook.out")
        with open(hook, "w") as f:
            f.write(HOOK % out)
        os.chmod(hook, 0o755)
        with open(out, "w"):
            pass
        os.chmod(out, 0o666)
        m = dmoatd(BASE, glob=['lease hook "%s"' % hook])
        c = dnet.add_client()
        p = c.udhcpc_start(hostname="hooky")
        addr = c.last_env("bound")["ip"]

        def runs(n):
            r = read_hook(out)
            return len(r) >= n and r
        wait_until(lambda: runs(1), 5, what="the hook to run for add; "
                   "log:\n" + m.log)
        t_add = time.time()
        os.kill(p.pid, signal.SIGUSR1)		# renew
        wait_until(lambda: runs(2), 8, what="the hook to run for old; "
                   "runs: %s\nlog:\n%s" % (read_hook(out), m.log))
        # a restart syncs the names of the leases, which is no event
        m.restart()
        resolves(c, "hooky", addr)
        time.sleep(0.5)
        assert len(read_hook(out)) == 2, read_hook(out)
        os.kill(p.pid, signal.SIGUSR2)		# release
        got = wait_until(lambda: runs(3), 8, what="the hook to run for "
                         "del; runs: %s" % read_hook(out))
        time.sleep(0.5)
        got = read_hook(out)
        assert [g[0][0] for g in got] == ["add", "old", "del"], got
        cid = "01:" + c.mac.lower()
        for args, env, info in got:
            assert args[1:] == [c.mac.lower(), addr, "hooky"], args
            assert info["uid"] == "65534" and info["gid"] == "65534", info
            assert info["cwd"] == "/", info
            assert info["PATH"] == "/usr/bin:/bin", info
            assert env.get("MOATD_INTERFACE") == SERVER_IF, env
            assert env.get("MOATD_DOMAIN") == "lan", env
            assert env.get("MOATD_CLIENT_ID", "").lower() == cid, env
        for args, env, info in got[:2]:
            assert env.get("MOATD_LEASE_LENGTH") == "600", env
            exp = int(env["MOATD_LEASE_EXPIRES"])
            assert abs(exp - (t_add + 600)) < 30, (exp, t_add)
        assert "MOATD_OLD_HOSTNAME" not in got[1][1], got[1]
        # a bound lease asked for again under another name: old, with
        # the name it had, and the DNS follows
        moathelp_kill(p)
        env = c.udhcpc(hostname="first")
        assert env["ip"] == addr, env
        wait_until(lambda: runs(4), 5, what="add of first")
        resolves(c, "first", addr)
        env = c.udhcpc(hostname="second")
        assert env["ip"] == addr, env
        wait_until(lambda: runs(5), 5, what="the event of second")
        args, env, info = read_hook(out)[4]
        assert args == ["old", c.mac.lower(), addr, "second"], args
        assert env.get("MOATD_OLD_HOSTNAME") == "first", env
        resolves(c, "second", addr)
        gone(c, "first", addr)
        assert [r[0][0] for r in read_hook(out)] == \
            ["add", "old", "del", "add", "old"], read_hook(out)
    finally:
        import shutil
        shutil.rmtree(pub, ignore_errors=True)
