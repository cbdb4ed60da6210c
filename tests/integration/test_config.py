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
"""moatd -n: a good configuration passes, each kind of error is reported
as file:line: message and exit status 1."""
import pytest

from moathelp import moatd_check

GOOD = '''# a full configuration
fw = "10.53.0.2"
pidfile "{d}/moatd.pid"
state directory "{d}/state"
user "_moatd"
sandbox debug

dns {{
	listen on 127.0.0.1 port 5300
	listen on ::1
	forwarder $fw
	forwarder 10.53.0.3 port 5353 for domain "corp.example"
	forwarder fd00:53::2 for domain "53.10.in-addr.arpa"
	forwarder file "{d}/resolv.conf"
	strategy round-robin
}}
'''


def write(tmp_path, text, name="moatd.conf"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_good_config(tmp_path):
    conf = write(tmp_path, GOOD.format(d=tmp_path))
    r = moatd_check("-n", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stdout + r.stderr
    assert "10.53.0.2" not in r.stdout, "-n alone prints no configuration"


def test_good_config_verbose_prints_it(tmp_path):
    conf = write(tmp_path, GOOD.format(d=tmp_path))
    r = moatd_check("-n", "-v", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stdout + r.stderr
    out = r.stdout
    for want in ('user "_moatd"', 'state directory "%s/state"' % tmp_path,
                 'pidfile "%s/moatd.pid"' % tmp_path, "sandbox debug",
                 "listen on 127.0.0.1 port 5300", "listen on ::1 port 53",
                 "forwarder 10.53.0.2 port 53",
                 'forwarder 10.53.0.3 port 5353 for domain "corp.example"',
                 'for domain "53.10.in-addr.arpa"',
                 'forwarder file "%s/resolv.conf"' % tmp_path,
                 "strategy round-robin"):
        assert want in out, "%r not in:\n%s" % (want, out)


def test_printed_config_parses_to_itself(tmp_path):
    conf = write(tmp_path, GOOD.format(d=tmp_path))
    first = moatd_check("-n", "-v", "-f", conf).stdout
    again = write(tmp_path, first, "again.conf")
    r = moatd_check("-n", "-v", "-f", again)
    assert r.returncode == 0, r.stderr
    assert r.stdout == first


def test_semicolons_and_continuations(tmp_path):
    conf = write(tmp_path, 'dns { listen on 127.0.0.1 port 5300; '
                 'forwarder \\\n 10.53.0.2 }\n')
    r = moatd_check("-n", "-v", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert "forwarder 10.53.0.2 port 53" in r.stdout


ERRORS = [
    # (text, line, words expected in the message)
    ('dns {\n\tlisten on 127.0.0.1 port 70000\n}\n', 2, ["port", "70000"]),
    ('dns {\n\tlisten on 127.0.0.1 port 0\n}\n', 2, ["port"]),
    ('dns {\n\tforwarder 10.53.0.2 port 65536\n}\n', 2, ["port"]),
    ('user "_moatd"\n\nfrobnicate yes\ndns {\n\tforwarder 10.53.0.2\n}\n',
     3, []),
    ('dns {\n\tforwarder 10.53.0.2\n\tfrobnicate\n}\n', 3, []),
    ('dns {\n\tforwarder 10.53.0.2\n\tforwarder $nope\n}\n', 3,
     ["nope", "not defined"]),
    ('# comment\ninclude "/nonexistent/moatd-test.conf"\n'
     'dns {\n\tforwarder 10.53.0.2\n}\n', 2, ["/nonexistent/moatd-test.conf"]),
    ('dns {\n\tforwarder 10.53.0.2\n}\ndhcp on eth0 {\n\trange 10.0.0.9 '
     '10.0.0.1\n}\n', 5, ["range"]),
    ('dns {\n\tforwarder 10.53.0.2\n}\ndhcp6 on eth0 {\n}\n', 4,
     ["built without"]),
    ('dns {\n\tforwarder 10.53.0.2\n}\n\nra on eth0 {\n}\n', 5,
     ["built without"]),
    ('tftp {\n\troot "/srv/tftp"\n}\ndns {\n\tforwarder 10.53.0.2\n}\n', 1,
     ["built without", "TFTP"]),
    ('dns {\n\tforwarder 10.53.0.2\n}\npxe on eth0 {\n\tboot "x"\n}\n', 4,
     ["built without", "PXE"]),
    ('dns {\n\tforwarder 10.53.0.2\n\tlisten on 0.0.0.0\n}\n', 3,
     ["wildcard"]),
    ('dns {\n\tlisten on nosuchif0\n\tforwarder 10.53.0.2\n}\n', 2,
     ["nosuchif0"]),
    ('dns {\n\tforwarder 300.1.2.3\n}\n', 2, ["300.1.2.3"]),
    ('dns {\n\tforwarder 10.53.0.2 for domain "a..b"\n}\n', 2, ["a..b"]),
    ('dns {\n\tforwarder 10.53.0.2\n\tstrategy fastest-ever\n}\n', 3, []),
    ('pidfile "relative.pid"\ndns {\n\tforwarder 10.53.0.2\n}\n', 1,
     ["absolute"]),
    ('dns {\n\tforwarder 10.53.0.2\n}\ndns {\n\tforwarder 10.53.0.3\n}\n',
     4, ["twice"]),
    ('dns {\n\tforwarder "10.53.0.2\n}\n', 2, ["unterminated"]),
    ('1bad = "x"\ndns {\n\tforwarder 10.53.0.2\n}\n', 1, []),
]


@pytest.mark.parametrize("text,line,words", ERRORS,
                         ids=["port-70000", "port-0", "fwd-port",
                              "keyword-top", "keyword-dns", "macro",
                              "include", "dhcp-range", "dhcp6", "ra", "tftp",
                              "pxe", "wildcard", "no-iface", "bad-addr",
                              "bad-domain", "strategy", "relative-path",
                              "dns-twice", "unterminated", "macro-name"])
def test_config_errors(tmp_path, text, line, words):
    conf = write(tmp_path, text)
    r = moatd_check("-n", "-f", conf)
    assert r.returncode == 1, "accepted:\n%s" % text
    prefix = "%s:%d:" % (conf, line)
    msgs = [ln for ln in r.stderr.split("\n") if prefix in ln]
    assert msgs, "no %r in:\n%s" % (prefix, r.stderr)
    for w in words:
        assert any(w in ln for ln in msgs), "%r not in %s" % (w, msgs)
    assert "configuration OK" not in r.stdout + r.stderr


def test_error_in_included_file_names_that_file(tmp_path):
    inc = write(tmp_path, '# included\n\ndns {\n'
                '\tforwarder 10.53.0.2 port 99999\n}\n', "inc.conf")
    conf = write(tmp_path, '# main\ninclude "%s"\n' % inc)
    r = moatd_check("-n", "-f", conf)
    assert r.returncode == 1
    assert "%s:4:" % inc in r.stderr, r.stderr
    assert "99999" in r.stderr


def test_include_relative_to_including_file(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, 'fw = "10.53.0.7"\n', "sub/macros.conf")
    conf = write(tmp_path, 'include "sub/macros.conf"\n'
                 'dns {\n\tlisten on 127.0.0.1 port 5300\n'
                 '\tforwarder $fw\n}\n')
    r = moatd_check("-n", "-v", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert "forwarder 10.53.0.7 port 53" in r.stdout


def test_several_errors_all_reported(tmp_path):
    conf = write(tmp_path, 'dns {\n\tlisten on 127.0.0.1 port 0\n'
                 '\tforwarder $undefined\n\tforwarder 10.53.0.2\n}\n'
                 'bogus\n')
    r = moatd_check("-n", "-f", conf)
    assert r.returncode == 1
    for line in (2, 3, 6):
        assert "%s:%d:" % (conf, line) in r.stderr, r.stderr


def test_macro_from_command_line(tmp_path):
    conf = write(tmp_path, 'dns {\n\tlisten on 127.0.0.1 port 5300\n'
                 '\tforwarder $fw port $p\n}\n')
    r = moatd_check("-n", "-f", conf)
    assert r.returncode == 1
    assert "%s:3:" % conf in r.stderr
    r = moatd_check("-n", "-v", "-D", "fw=10.53.0.9", "-D", "p=5353", "-f",
                    conf)
    assert r.returncode == 0, r.stderr
    assert "forwarder 10.53.0.9 port 5353" in r.stdout


def test_command_line_macro_wins_over_file(tmp_path):
    conf = write(tmp_path, 'fw = "10.53.0.2"\ndns {\n'
                 '\tlisten on 127.0.0.1 port 5300\n\tforwarder $fw\n}\n')
    r = moatd_check("-n", "-v", "-D", "fw=10.53.0.8", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert "forwarder 10.53.0.8 port 53" in r.stdout
    assert "10.53.0.2" not in r.stdout


def test_bad_command_line_macro(tmp_path):
    conf = write(tmp_path, GOOD.format(d=tmp_path))
    r = moatd_check("-n", "-D", "novalue", "-f", conf)
    assert r.returncode == 1
    assert "novalue" in r.stderr


def test_missing_config_file(tmp_path):
    r = moatd_check("-n", "-f", str(tmp_path / "absent.conf"))
    assert r.returncode == 1
    assert "absent.conf" in r.stderr


def test_usage(tmp_path):
    r = moatd_check("-x")
    assert r.returncode == 1
    assert "usage" in r.stderr


def test_defaults_shown(tmp_path):
    conf = write(tmp_path, 'dns {\n\tforwarder 10.53.0.2\n}\n')
    r = moatd_check("-n", "-v", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert 'user "_moatd"' in r.stdout
    assert "listen on 127.0.0.1 port 53" in r.stdout
    assert "listen on ::1 port 53" in r.stdout
    assert "strategy in-order" in r.stdout
    assert "forwarder file" not in r.stdout


def test_no_forwarder_means_resolv_conf(tmp_path):
    conf = write(tmp_path, 'dns {\n\tlisten on 127.0.0.1 port 5300\n}\n')
    r = moatd_check("-n", "-v", "-f", conf)
    assert r.returncode == 0, r.stderr
    assert 'forwarder file "/etc/resolv.conf"' in r.stdout
