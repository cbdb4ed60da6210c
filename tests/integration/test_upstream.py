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
"""The test tools themselves, without moatd: when these fail, a failure
elsewhere says nothing about moatd."""
import os
import socket
import struct

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from moathelp import make_query, rrset_texts, tcp_read_msg


def test_namespace_is_isolated(net, client):
    r = net.run(["ip", "-o", "addr", "show", "dev", "dum0"])
    assert "10.53.0.1/24" in r.stdout and "fd00:53::1/64" in r.stdout
    before = os.readlink("/proc/thread-self/ns/net")
    with net.entered():
        assert os.readlink("/proc/thread-self/ns/net") != before
    assert os.readlink("/proc/thread-self/ns/net") == before
    # the socket made inside binds an address only the namespace has
    s = net.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.53.0.1", 0))
    s.close()
    with pytest.raises(OSError):
        t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("10.53.0.1", 0))
        finally:
            t.close()


def test_upstream_records_and_log(net, client, upstream):
    up = upstream("10.53.0.2", "one")
    r = client.query("who.example", "TXT", addr="10.53.0.2", qid=99)
    assert rrset_texts(r) == {("who.example.", 16, '"server=one"')}
    r = client.query("unknown.example", "TYPE65280", addr="10.53.0.2",
                     edns=0, payload=1232)
    assert r.answer[0][0].to_text().lower() == "\\# 4 deadbeef"
    r = client.query("nxabc.example", "A", addr="10.53.0.2", tcp=True)
    assert r.rcode() == dns.rcode.NXDOMAIN
    log = up.queries()
    assert [e["transport"] for e in log] == ["udp", "udp", "tcp"]
    assert log[0]["id"] == 99 and log[0]["edns"] is False
    assert log[1]["edns"] is True and log[1]["payload"] == 1232
    assert log[1]["qtype"] == "TYPE65280"
    assert log[0]["src"].startswith("10.53.0.")


def test_upstream_truncation_and_big(net, client, upstream):
    upstream.many([("10.53.0.2", "one", ["truncate-udp"]),
                   ("10.53.0.3", "two")])
    r = client.query("txt.example", "TXT", addr="10.53.0.2")
    assert r.flags & dns.flags.TC and not r.answer
    r = client.query("txt.example", "TXT", addr="10.53.0.2", tcp=True)
    assert not r.flags & dns.flags.TC and r.answer
    r = client.query("big.example", "TXT", addr="10.53.0.3")
    assert r.flags & dns.flags.TC
    r = client.query("big.example", "TXT", addr="10.53.0.3", edns=0,
                     payload=4096)
    assert not r.flags & dns.flags.TC and len(r.to_wire()) > 1500


def test_upstream_pipelined_tcp(net, client, upstream):
    upstream("10.53.0.2", "one")
    s = client.tcp_connect("10.53.0.2")
    try:
        out = b""
        for qid in (1, 2, 3):
            w = make_query("www.example", qid=qid).to_wire()
            out += struct.pack("!H", len(w)) + w
        s.sendall(out)
        ids = {dns.message.from_wire(tcp_read_msg(s)).id for _ in range(3)}
    finally:
        s.close()
    assert ids == {1, 2, 3}


def test_upstream_modes(net, client, upstream):
    upstream.many([("10.53.0.2", "r", ["refuse"]),
                   ("10.53.0.3", "s", ["servfail"]),
                   ("10.53.0.4", "d", ["drop"]),
                   ("10.53.0.5", "b", ["bad-id"]),
                   ("10.53.0.6", "w", ["wrong-port"])])
    assert client.query("www.example", addr="10.53.0.2").rcode() == \
        dns.rcode.REFUSED
    assert client.query("www.example", addr="10.53.0.3").rcode() == \
        dns.rcode.SERVFAIL
    # the dead addresses swallow packets without an ICMP error
    for addr in ("10.53.0.4", "10.53.0.6", "10.53.0.200", "fd00:53::c8"):
        # dnspython ignores answers from elsewhere, as moatd must
        with pytest.raises(dns.exception.Timeout):
            client.query("www.example", addr=addr, timeout=0.5)
    with pytest.raises(dns.query.BadResponse):
        client.query("www.example", addr="10.53.0.5", timeout=0.5)
