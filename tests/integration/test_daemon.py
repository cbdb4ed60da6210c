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
"""The parent as a daemon: supervision of the engine, reload, shutdown,
pidfile, state directory, install layout and man pages."""
import glob
import os
import signal
import time

import moathelp
from moathelp import pid_alive, run, wait_until


def test_install_layout_and_engine_from_prefix(std):
    m, up = std
    for p in (moathelp.MOATD, moathelp.MOATCTL, moathelp.DNS_ENGINE):
        assert os.path.isfile(p) and os.access(p, os.X_OK), p
    eng = m.engine_pid()
    # the engine runs the executable of the prefix moatd was started from
    assert os.path.samefile("/proc/%d/exe" % eng, moathelp.DNS_ENGINE)
    assert os.path.samefile("/proc/%d/exe" % m.pid, moathelp.MOATD)
    build = os.environ.get("MOAT_BUILD_DIR")
    if build:
        built = os.path.join(build, "libexec", "moatd", "dns-engine")
        if os.path.exists(built):
            assert not os.path.samefile(built, moathelp.DNS_ENGINE)


def test_pidfile_written_and_engine_is_child(std):
    m, up = std
    with open(m.pidfile) as f:
        assert int(f.read().strip()) == m.pid
    eng = m.engine_pid()
    assert moathelp.proc_ppid(eng) == m.pid
    assert len(m.engine_pids()) == 1


def test_state_directory_only_for_dhcp(std):
    """Only the DHCP engine keeps state (test_dhcp_clients checks the
    directory it gets): a DNS-only moatd makes none."""
    m, up = std
    assert not os.path.exists(m.state)


def test_engine_restarted_after_sigkill(std, client):
    m, up = std
    assert client.who() == "one"
    old = m.engine_pid()
    t0 = time.monotonic()
    os.kill(old, signal.SIGKILL)
    new = m.engine_pid(wait=3, not_pid=old)
    assert new != old
    wait_until(lambda: client.who(timeout=1) == "one", 3.5 -
               (time.monotonic() - t0), what="answers from the new engine")
    assert time.monotonic() - t0 < 3.5
    assert pid_alive(m.pid)
    assert "killed by signal 9" in m.log
    r = m.ctl("show", "status", json_out=True, check=True)
    (dns,) = [e for e in r.json["engines"] if e["name"] == "dns"]
    assert dns["restarts"] == 1
    assert dns["pid"] == new
    assert dns["state"] == "running"


def test_engine_restarted_twice_with_backoff(std, client):
    m, up = std
    first = m.engine_pid()
    os.kill(first, signal.SIGKILL)
    second = m.engine_pid(wait=3, not_pid=first)
    os.kill(second, signal.SIGKILL)
    t0 = time.monotonic()
    third = m.engine_pid(wait=5, not_pid=second)
    # the second restart within a minute waits longer than the first
    assert time.monotonic() - t0 >= 0.7
    assert third not in (first, second)
    wait_until(lambda: client.who(timeout=1) == "one", 4,
               what="answers after two restarts")
    r = m.ctl("show", "status", json_out=True, check=True)
    assert r.json["engines"][0]["restarts"] == 2


def test_sighup_with_broken_config_keeps_running(std, client):
    m, up = std
    eng = m.engine_pid()
    with open(m.conf, "a") as f:
        f.write("this is not a statement\n")
    m.signal(signal.SIGHUP)
    wait_until(lambda: "has errors" in m.log, 5,
               what="the log to report the broken config")
    assert "keeping the running configuration" in m.log
    assert m.conf + ":" in m.log		# file:line: of the error
    assert client.who() == "one"
    assert m.engine_pid() == eng
    assert pid_alive(m.pid)


def test_sighup_with_new_forwarder(net, client, upstream, moatd):
    upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    assert client.who() == "one"
    m.write_conf(dns=["listen on 10.53.0.1", "forwarder 10.53.0.3"])
    m.signal(signal.SIGHUP)
    wait_until(lambda: client.who(timeout=1) == "two", 3,
               what="the reloaded forwarder to be used")
    assert pid_alive(m.pid)


def test_sighup_adds_a_listen_address(net, client, upstream, moatd):
    upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    m.write_conf(dns=["listen on 10.53.0.1", "listen on 10.53.0.5",
                      "forwarder 10.53.0.2"])
    m.signal(signal.SIGHUP)
    wait_until(lambda: "reloaded" in m.log, 5, what="the reload")
    wait_until(lambda: client.who(addr="10.53.0.5", timeout=1) == "one", 3,
               what="answers on the new address")
    assert client.who(addr="10.53.0.1") == "one"


def test_sigterm_stops_everything(std):
    m, up = std
    eng = m.engine_pid()
    assert os.path.exists(m.pidfile)
    assert os.path.exists(m.sock)
    m.expect_exit = True
    m.signal(signal.SIGTERM)
    wait_until(lambda: m.proc.poll() is not None and not pid_alive(eng), 5,
               what="moatd and its engine to exit")
    assert m.proc.returncode == 0
    assert not os.path.exists(m.pidfile)
    assert not os.path.exists(m.sock)
    assert "stopped" in m.log


def test_second_moatd_on_same_socket_refused(std, moatd):
    m, up = std
    other = moatd(start=False, dns=["listen on 127.0.0.1 port 5300",
                                    "forwarder 10.53.0.2"])
    other.sock = m.sock
    other.expect_exit = True
    other.start(wait=False)
    wait_until(lambda: other.proc.poll() is not None, 10,
               what="the second moatd to give up")
    assert other.proc.returncode != 0
    assert "in use" in other.log
    assert pid_alive(m.pid) and os.path.exists(m.sock)


def test_moatd_needs_root(make_ns, public_dir):
    conf = os.path.join(public_dir, "moatd.conf")
    with open(conf, "w") as f:
        f.write('pidfile "%s/pid"\ndns {\n\tlisten on 127.0.0.1 port 5300\n'
                '\tforwarder 10.53.0.2\n}\n' % public_dir)
    os.chmod(conf, 0o644)
    exe = os.path.join(public_dir, "moatd")
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    # checking a configuration needs no privilege
    r = run(nobody + [exe, "-n", "-f", conf], check=False)
    assert r.returncode == 0, r.stderr
    # in a namespace of its own, should it start after all
    ns = make_ns()
    r = ns.run(nobody + [exe, "-d", "-f", conf, "-s",
                         os.path.join(public_dir, "sock")], check=False,
               timeout=10)
    assert r.returncode == 1
    assert "root" in r.stderr, r.stderr
    assert not os.path.exists(os.path.join(public_dir, "sock"))


def test_man_pages_lint_clean():
    pages = sorted(glob.glob(os.path.join(moathelp.SOURCE, "man", "*.[58]")))
    assert pages, "no man pages under %s/man" % moathelp.SOURCE
    names = {os.path.basename(p) for p in pages}
    for want in ("moatd.8", "moatd.conf.5", "moatctl.8"):
        assert want in names, "missing man page %s" % want
    r = run(["mandoc", "-Tlint", "-W", "warning"] + pages, check=False)
    assert r.stdout == "" and r.stderr == "", r.stdout + r.stderr
