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
"""Every engine runs confined: unprivileged user, no capabilities,
no_new_privs, a seccomp filter, a chroot; and the titles say who is who."""
import os
import pwd
import signal

import pytest

from moathelp import cmdline, proc_status, wait_until

DHCP_BLOCK = "dhcp on dum0 {\n\trange 10.53.0.100 10.53.0.110\n}"


@pytest.fixture(params=["dns-engine", "dhcp-engine"])
def confined(request, net, upstream, moatd):
    """moatd with a dns and a dhcp block; the engine under test."""
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"],
              blocks=[DHCP_BLOCK])
    m.under_test = request.param
    return m, up


def sandboxed(pid):
    try:
        return proc_status(pid).get("Seccomp") == "2"
    except OSError:
        return False


def engines_of(m, name=None):
    """The engine's pids, once each has installed its filter: an engine
    is found right after exec, before it has confined itself.  One that
    never does fails here."""
    name = name or getattr(m, "under_test", "dns-engine")
    pids = m.engine_pid(name=name) and m.engine_pids(name)
    assert pids, "no %s running; log:\n%s" % (name, m.log)
    wait_until(lambda: all(sandboxed(p) for p in pids), 5,
               what="%s to confine itself; log:\n%s" % (name, m.log))
    return pids


def expected_root(m):
    if getattr(m, "under_test", "dns-engine") == "dhcp-engine":
        return os.path.realpath(m.state)
    return "/var/empty"


def test_engine_user_and_groups(confined):
    m, up = confined
    pw = pwd.getpwnam("_moatd")
    for pid in engines_of(m):
        st = proc_status(pid)
        uids = [int(x) for x in st["Uid"].split()]
        gids = [int(x) for x in st["Gid"].split()]
        assert all(u != 0 for u in uids), st["Uid"]
        assert all(g != 0 for g in gids), st["Gid"]
        assert uids == [pw.pw_uid] * 4
        assert gids == [pw.pw_gid] * 4
        assert "0" not in st.get("Groups", "").split(), st.get("Groups")


def test_engine_has_no_capabilities(confined):
    m, up = confined
    for pid in engines_of(m):
        st = proc_status(pid)
        for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            assert int(st[cap], 16) == 0, "%s %s" % (cap, st[cap])


def test_engine_no_new_privs_and_seccomp(confined):
    m, up = confined
    for pid in engines_of(m):
        st = proc_status(pid)
        assert st["NoNewPrivs"] == "1"
        assert st["Seccomp"] == "2", "not under a seccomp filter"


def test_engine_chrooted(confined):
    m, up = confined
    for pid in engines_of(m):
        root = os.readlink("/proc/%d/root" % pid)
        assert root != "/"
        assert root == expected_root(m), root
        # nothing of the real root is in reach
        assert "etc" not in os.listdir("/proc/%d/root" % pid)


def test_engine_holds_no_file_outside(confined):
    m, up = confined
    for pid in engines_of(m):
        for fd in os.listdir("/proc/%d/fd" % pid):
            if int(fd) <= 2:
                continue	# stdio: with -d, the log the test gave moatd
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except FileNotFoundError:
                continue
            ok = target.startswith(("socket:", "pipe:", "anon_inode:")) or \
                target == "/dev/null"
            # the DHCP engine's lease database, in its chroot
            if m.under_test == "dhcp-engine":
                ok = ok or target == expected_root(m) or \
                    target.startswith(expected_root(m) + "/") or \
                    target in ("/leases.db", "/")
            assert ok, "engine fd %s is %s" % (fd, target)


def test_process_titles(confined):
    m, up = confined
    assert cmdline(m.pid).startswith(b"moatd: parent"), cmdline(m.pid)
    title = b"moatd: " + m.under_test.split("-")[0].encode() + b" engine"
    for pid in engines_of(m):
        assert cmdline(pid).startswith(title), cmdline(pid)


def test_parent_keeps_root(std):
    m, up = std
    st = proc_status(m.pid)
    assert st["Uid"].split()[0] == "0"


def test_restarted_engine_confined_too(std, client):
    m, up = std
    old = m.engine_pid()
    os.kill(old, signal.SIGKILL)
    new = m.engine_pid(wait=3, not_pid=old)
    assert client.who(timeout=3) == "one"
    st = proc_status(new)
    assert st["Seccomp"] == "2" and st["NoNewPrivs"] == "1"
    assert int(st["CapEff"], 16) == 0 and int(st["CapBnd"], 16) == 0
    assert all(int(u) != 0 for u in st["Uid"].split())
    assert cmdline(new).startswith(b"moatd: dns engine")


def test_sandbox_debug_still_confined(net, client, upstream, moatd):
    """sandbox debug logs forbidden calls instead of killing; the
    engine is still chrooted, unprivileged and filtered."""
    upstream("10.53.0.2", "one")
    m = moatd(glob=["sandbox debug"],
              dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    assert client.who() == "one"
    (pid,) = engines_of(m)
    st = proc_status(pid)
    assert st["Seccomp"] == "2" and st["NoNewPrivs"] == "1"
    assert all(int(u) != 0 for u in st["Uid"].split())
    assert os.readlink("/proc/%d/root" % pid) != "/"
