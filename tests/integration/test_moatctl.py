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
"""moatctl against a running moatd: status, reload, log level, errors and
the permissions of the control socket."""
import os
import stat

import pytest

import moathelp
from moathelp import run, wait_until


def test_show_status_text(std):
    m, up = std
    eng = m.engine_pid()
    r = m.ctl("show", "status", check=True)
    lines = [ln.split() for ln in r.stdout.strip().split("\n")]
    assert lines[0] == ["ENGINE", "STATE", "PID", "UPTIME", "RESTARTS"]
    rows = [ln for ln in lines[1:] if ln and ln[0] == "dns"]
    assert len(rows) == 1, r.stdout
    row = rows[0]
    assert row[1] == "running"
    assert int(row[2]) == eng
    assert row[4] == "0"
    assert r.stderr == ""


def test_show_status_json(std):
    m, up = std
    eng = m.engine_pid()
    r = m.ctl("show", "status", json_out=True, check=True)
    engines = r.json["engines"]
    assert [e["name"] for e in engines] == ["dns"]
    e = engines[0]
    assert e["state"] == "running"
    assert e["pid"] == eng
    assert e["restarts"] == 0
    assert isinstance(e["uptime"], int) and 0 <= e["uptime"] < 60


def test_reload(net, client, upstream, moatd):
    upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    r = m.ctl("reload", json_out=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.json["ok"] is True
    assert r.json["message"]
    r = m.ctl("reload")
    assert r.returncode == 0 and r.stdout.strip(), r.stdout + r.stderr
    m.write_conf(dns=["listen on 10.53.0.1", "forwarder 10.53.0.3"])
    assert m.ctl("reload").returncode == 0
    wait_until(lambda: client.who(timeout=1) == "two", 3,
               what="the reloaded configuration")


def test_reload_broken_config_fails(std, client):
    m, up = std
    eng = m.engine_pid()
    with open(m.conf, "a") as f:
        f.write("dns {\n")
    r = m.ctl("reload", json_out=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.json["ok"] is False
    assert "error" in r.json["message"]
    r = m.ctl("reload")
    assert r.returncode == 1
    assert r.stdout.strip() or r.stderr.strip()
    assert client.who() == "one"
    assert m.engine_pid() == eng


@pytest.mark.parametrize("level", ["verbose", "brief"])
def test_log_level(std, client, level):
    m, up = std
    r = m.ctl("log", level)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    r = m.ctl("log", level, json_out=True)
    assert r.returncode == 0
    assert r.json["ok"] is True
    assert client.who() == "one"		# the engine took it in its stride


def test_log_verbose_then_brief(std, client):
    m, up = std
    assert m.ctl("log", "verbose").returncode == 0
    client.who()
    assert m.ctl("log", "brief").returncode == 0
    assert client.who() == "one"
    assert m.ctl("show", "status", json_out=True).json["engines"][0][
        "restarts"] == 0


@pytest.mark.parametrize("args", [["frobnicate"], ["show"],
                                  ["show", "nonsense"], ["log"],
                                  ["log", "loud"], ["reload", "now"]])
def test_unknown_command(std, args):
    m, up = std
    r = m.ctl(*args)
    assert r.returncode == 1
    assert "usage" in r.stderr
    assert pid_ok(m)


def pid_ok(m):
    return m.proc.poll() is None


def test_no_daemon(tmp_path):
    r = run([moathelp.MOATCTL, "-s", str(tmp_path / "nothere.sock"), "show",
             "status"], check=False)
    assert r.returncode == 1
    assert "nothere.sock" in r.stderr


def test_socket_mode_and_non_root(net, upstream, moatd, public_dir):
    upstream("10.53.0.2", "one")
    m = moatd(start=False, dns=["listen on 10.53.0.1",
                                "forwarder 10.53.0.2"])
    # in a directory anyone may enter: only the socket's mode keeps
    # other users out
    m.sock = os.path.join(public_dir, "ctl.sock")
    m.start()
    st = os.stat(m.sock)
    assert stat.S_ISSOCK(st.st_mode)
    assert st.st_uid == 0
    assert stat.S_IMODE(st.st_mode) == 0o600
    ctl = os.path.join(public_dir, "moatctl")
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    r = run(nobody + [ctl], check=False)
    assert r.returncode == 1 and "usage" in r.stderr, \
        "moatctl does not even run as nobody: " + r.stderr
    r = run(nobody + [ctl, "-s", m.sock, "show", "status"], check=False)
    assert r.returncode == 1
    assert "ENGINE" not in r.stdout
    assert "Permission denied" in r.stderr, r.stderr
    r = run(nobody + [ctl, "-s", m.sock, "reload"], check=False)
    assert r.returncode == 1
    assert "reloading" not in m.log
    assert pid_ok(m)
    assert m.ctl("show", "status").returncode == 0


def test_many_clients_in_a_row(std):
    m, up = std
    for _ in range(20):
        r = m.ctl("show", "status", json_out=True)
        assert r.returncode == 0 and r.json["engines"][0]["state"] == \
            "running"
    assert pid_ok(m)
