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
"""Fixtures of the integration tests: namespaces, upstream servers and
moatd, each cleaned up by pid when the test ends, pass or fail.

The tests are skipped only when they cannot run at all (not root, or
MOAT_PREFIX unset); a missing tool is a failure.
"""
import itertools
import os
import shutil
import tempfile

import pytest

import moathelp
from moathelp import Client, Moatd, Netns, Upstream

_ns_counter = itertools.count(1)
OWN_FILES = ("test_build_options.py",)


def _skip_reason():
    if os.geteuid() != 0:
        return "the integration tests run moatd as root in network " \
            "namespaces: run them as root"
    if not os.environ.get("MOAT_PREFIX"):
        return "MOAT_PREFIX is not set (an install prefix holding " \
            "sbin/moatd, sbin/moatctl and libexec/moatd/dns-engine)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if os.path.basename(str(item.fspath)) in OWN_FILES:
            continue
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    for i, m in enumerate(getattr(item, "_moatds", [])):
        rep.sections.append(("moatd %d log (%s)" % (i, m.logpath), m.log))
    for u in getattr(item, "_upstreams", []):
        try:
            with open(u.errpath) as f:
                err = f.read()
        except OSError:
            err = ""
        if err:
            rep.sections.append(("upstream %s stderr" % u.label, err))


@pytest.fixture
def make_ns():
    """make_ns() -> a new Netns with lo up, deleted at the end."""
    made = []

    def make():
        name = "mt%d_%d" % (os.getpid() % 100000, next(_ns_counter))
        ns = Netns(name)
        made.append(ns)
        return ns
    yield make
    for ns in reversed(made):
        ns.cleanup()


@pytest.fixture
def net(make_ns):
    """The usual namespace: 10.53.0.1-9/24 and fd00:53::1-9/64 on one
    interface.  moatd listens on .1, upstreams on .2 and up; 10.53.0.200
    is a dead address (packets to it vanish)."""
    ns = make_ns()
    ns.add_lan(v4=range(1, 10), v6=range(1, 10))
    return ns


@pytest.fixture
def client(net):
    return Client(net)


@pytest.fixture
def upstream(request, net, tmp_path):
    """upstream(addr, label, modes=(), ns=net, ...) -> a ready Upstream.
    upstream.many([(addr, label, modes), ...]) starts several at once."""
    started = []
    request.node._upstreams = started

    def start(addr, label="one", modes=(), ns=None, wait=True, **kw):
        u = Upstream(ns or net, tmp_path, addr, label=label, modes=modes,
                     index=len(started) + 1, **kw)
        started.append(u)
        if wait:
            u.wait_ready()
        return u

    def many(specs):
        ups = [start(*s, wait=False) for s in specs]
        for u in ups:
            u.wait_ready()
        return ups
    start.many = many
    yield start
    for u in started:
        u.stop()


@pytest.fixture
def moatd(request, net, tmp_path):
    """moatd(dns=[lines], glob=[lines], start=True, ns=net) -> Moatd.
    A moatd that died without the test expecting it fails the test."""
    started = []
    request.node._moatds = started

    def make(dns=None, glob=(), start=True, ns=None, **kw):
        m = Moatd(ns or net, tmp_path, dns=dns, glob=glob, **kw)
        started.append(m)
        if start:
            m.start()
        return m
    yield make
    died = []
    for m in started:
        if m.proc is not None and m.proc.poll() is not None and \
                not m.expect_exit:
            died.append(m)
        m.stop()
    if died:
        pytest.fail("moatd exited during the test (status %s)\n--- log:\n%s"
                    % (died[0].proc.returncode, died[0].log))


@pytest.fixture
def public_dir():
    """A directory every user may enter (pytest's tmp_path is 0700), with
    copies of moatd and moatctl that every user may run."""
    d = tempfile.mkdtemp(prefix="moat-pub.")
    os.chmod(d, 0o755)
    for exe in (moathelp.MOATD, moathelp.MOATCTL):
        if os.path.exists(exe):
            dst = os.path.join(d, os.path.basename(exe))
            shutil.copy(exe, dst)
            os.chmod(dst, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def std(net, upstream, moatd):
    """moatd on 10.53.0.1 forwarding to one upstream "one" on 10.53.0.2."""
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    return m, up


def pytest_report_header(config):
    return "moatd prefix: %s" % (moathelp.PREFIX or "(unset)")
