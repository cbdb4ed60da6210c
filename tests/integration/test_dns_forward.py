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
"""The DNS engine as a forwarder: record types, transports, truncation,
EDNS0, randomisation, failover, split DNS, strategies, forwarder files."""
import os
import select
import signal
import socket
import struct
import time

import dns.exception
import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdatatype
import pytest

from moathelp import RECORD_TYPES, Client, make_query, rrset_texts, \
    tcp_read_msg, wait_until


@pytest.mark.parametrize("name,rdtype", RECORD_TYPES)
def test_record_types_forwarded(std, client, name, rdtype):
    m, up = std
    direct = client.query(name, rdtype, addr="10.53.0.2")
    assert direct.answer, "the upstream itself has no %s %s" % (name, rdtype)
    r = client.query(name, rdtype)
    assert r.rcode() == dns.rcode.NOERROR
    assert r.flags & dns.flags.QR
    assert r.question[0].name == direct.question[0].name
    assert r.question[0].rdtype == dns.rdatatype.from_text(rdtype)
    assert rrset_texts(r) == rrset_texts(direct)
    assert r.answer[0].ttl <= direct.answer[0].ttl
    # no cache in this build: the upstream saw our query
    assert up.queries(qname=name + ".", qtype=rdtype, transport="udp")


def test_nxdomain_passed_through(std, client):
    r = client.query("nxnothing.example", "A")
    assert r.rcode() == dns.rcode.NXDOMAIN
    assert not r.answer


def test_query_id_and_rd_kept(std, client):
    q = make_query("www.example", "A", qid=0x4242)
    r = client.udp(q, "10.53.0.1")
    assert r.id == 0x4242
    assert r.flags & dns.flags.RD
    assert rrset_texts(r) == {("www.example.", 1, "192.0.2.1")}


def test_tcp_query(std, client):
    m, up = std
    r = client.query("txt.example", "TXT", tcp=True)
    assert r.rcode() == dns.rcode.NOERROR
    assert rrset_texts(r) == rrset_texts(
        client.query("txt.example", "TXT", addr="10.53.0.2"))


def test_tcp_pipelined(std, client):
    names = [("www.example", "A", 0x1111), ("mx.example", "MX", 0x2222),
             ("txt.example", "TXT", 0x3333)]
    s = client.tcp_connect()
    try:
        out = b""
        for name, t, qid in names:
            w = make_query(name, t, qid=qid).to_wire()
            out += struct.pack("!H", len(w)) + w
        s.sendall(out)			# all three in one segment
        got = {}
        for _ in names:
            wire = tcp_read_msg(s)
            assert wire is not None, "connection closed with answers due"
            r = dns.message.from_wire(wire)
            got[r.id] = r
    finally:
        s.close()
    assert sorted(got) == [0x1111, 0x2222, 0x3333]
    for name, t, qid in names:
        r = got[qid]
        assert r.question[0].name.to_text() == name + "."
        assert r.rcode() == dns.rcode.NOERROR and r.answer


def test_tcp_two_queries_sequential_on_one_connection(std, client):
    s = client.tcp_connect()
    try:
        for qid in (7, 8):
            w = make_query("www.example", "A", qid=qid).to_wire()
            s.sendall(struct.pack("!H", len(w)) + w)
            r = dns.message.from_wire(tcp_read_msg(s))
            assert r.id == qid and r.answer
    finally:
        s.close()


def test_upstream_truncation_retried_over_tcp(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one", modes=["truncate-udp"])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    r = client.query("txt.example", "TXT", edns=True, payload=1232)
    assert not r.flags & dns.flags.TC
    assert rrset_texts(r) == {
        ("txt.example.", 16, '"hello" "world"'),
        ("txt.example.", 16, '"v=spf1 -all"')}
    assert up.queries(qname="txt.example.", transport="udp")
    assert up.queries(qname="txt.example.", transport="tcp"), \
        "moatd did not retry over TCP after TC=1"


def test_edns_forwarded(std, client):
    m, up = std
    r = client.query("www.example", "A", edns=0, payload=1232)
    assert r.rcode() == dns.rcode.NOERROR
    assert r.edns >= 0, "the client sent OPT: the answer carries one"
    seen = up.queries(qname="www.example.", qtype="A")
    assert seen and all(q["edns"] for q in seen), seen


def test_big_answer_truncated_for_client_without_edns(std, client):
    m, up = std
    r = client.query("big.example", "TXT")
    assert r.flags & dns.flags.TC, "a >1500 byte answer to a 512 byte client"
    assert len(r.to_wire()) <= 512
    full = client.query("big.example", "TXT", tcp=True)
    assert not full.flags & dns.flags.TC
    assert len(full.to_wire()) > 1500
    assert rrset_texts(full) == rrset_texts(
        client.query("big.example", "TXT", addr="10.53.0.2", tcp=True))


def test_big_answer_fits_a_big_edns_buffer(std, client):
    r = client.query("big.example", "TXT", edns=0, payload=4096)
    assert not r.flags & dns.flags.TC
    assert len(r.to_wire()) > 1500
    assert r.answer


def test_big_answer_truncated_for_small_edns_buffer(std, client):
    r = client.query("big.example", "TXT", edns=0, payload=1232)
    assert r.flags & dns.flags.TC
    assert len(r.to_wire()) <= 1232


def test_random_source_ports_and_ids(std, client):
    m, up = std
    for i in range(20):
        r = client.udp(make_query("r%d.example" % i, "A", qid=0x5555),
                       "10.53.0.1")
        assert r.id == 0x5555 and r.answer
    seen = [q for q in up.queries(transport="udp")
            if q["qname"].startswith("r")]
    assert len(seen) >= 20
    ports = {q["sport"] for q in seen}
    ids = {q["id"] for q in seen}
    assert len(ports) >= 15, sorted(ports)
    assert len(ids) >= 15, sorted(ids)
    assert sum(1 for q in seen if q["id"] == 0x5555) <= 2


def test_failover_from_a_dead_forwarder(net, client, upstream, moatd):
    upstream("10.53.0.3", "two")
    # packets to 10.53.0.200 vanish (see add_lan)
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.200",
               "forwarder 10.53.0.3"])
    t0 = time.monotonic()
    assert client.who(timeout=5) == "two"
    assert time.monotonic() - t0 < 3.0


def test_failover_from_a_dropping_forwarder(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one", ["drop"]),
                              ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3"])
    t0 = time.monotonic()
    assert client.who(timeout=5) == "two"
    assert time.monotonic() - t0 < 3.0
    assert one.queries(qname="who.example.")


@pytest.mark.parametrize("mode", ["refuse", "servfail"])
def test_failover_on_refused_and_servfail(net, client, upstream, moatd,
                                          mode):
    one, two = upstream.many([("10.53.0.2", "one", [mode]),
                              ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3"])
    t0 = time.monotonic()
    assert client.who(timeout=5) == "two"
    # a refusal is an answer: no 1 s timeout before the next one
    assert time.monotonic() - t0 < 0.9
    assert one.queries(qname="who.example.")


def test_failover_on_connection_refused(net, client, upstream, moatd):
    upstream("10.53.0.3", "two")
    # 10.53.0.4 is ours but nothing listens: ICMP port unreachable
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.4",
               "forwarder 10.53.0.3"])
    t0 = time.monotonic()
    assert client.who(timeout=5) == "two"
    assert time.monotonic() - t0 < 0.9


@pytest.mark.parametrize("mode", ["bad-id", "bad-question", "wrong-port"])
def test_spoofed_answers_ignored(net, client, upstream, moatd, mode):
    one, two = upstream.many([("10.53.0.2", "one", [mode]),
                              ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3"])
    r = client.query("www.example", "A", timeout=5)
    assert r.rcode() == dns.rcode.NOERROR
    # only the second, honest forwarder's answer may come through
    assert rrset_texts(r) == {("www.example.", 1, "192.0.2.2")}
    assert one.queries(qname="www.example.")


def test_all_forwarders_dead_servfail(net, client, upstream, moatd):
    upstream("10.53.0.2", "one", modes=["drop"])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.200"])
    t0 = time.monotonic()
    r = client.query("www.example", "A", timeout=8)
    assert r.rcode() == dns.rcode.SERVFAIL
    assert time.monotonic() - t0 < 6


def test_split_dns(net, client, upstream, moatd):
    upstream.many([("10.53.0.2", "default"), ("10.53.0.3", "corp"),
                   ("10.53.0.4", "acorp"), ("10.53.0.5", "rev")])
    # without the hosts file, whose localhost PTR would answer here
    moatd(dns=["listen on 10.53.0.1", "no hosts file",
               'forwarder 10.53.0.4 for domain "a.corp.example"',
               "forwarder 10.53.0.2",
               'forwarder 10.53.0.3 for domain "corp.example"',
               'forwarder 10.53.0.5 for domain "53.10.in-addr.arpa"'])
    cases = {
        "who.example": "default",
        "who.corp.example": "corp",
        "who.x.corp.example": "corp",
        "WHO.Corp.Example": "corp",
        "who.xcorp.example": "default",		# a label, not a suffix
        "who.a.corp.example": "acorp",
        "who.b.a.corp.example": "acorp",
        "who.org": "default",
    }
    for name, want in cases.items():
        assert client.who(name=name) == want, name
    for name, want in (("1.0.53.10.in-addr.arpa", "rev"),
                       ("7.7.53.10.in-addr.arpa", "rev"),
                       ("1.0.0.127.in-addr.arpa", "default")):
        r = client.query(name, "PTR")
        assert r.answer, name
        assert r.answer[0][0].target.to_text() == "%s.ptr.example." % want


def test_name_without_forwarder_refused(net, client, upstream, moatd):
    corp = upstream("10.53.0.3", "corp")
    moatd(dns=["listen on 10.53.0.1",
               'forwarder 10.53.0.3 for domain "corp.example"'])
    assert client.who(name="who.corp.example") == "corp"
    r = client.query("who.example", "TXT")
    assert r.rcode() == dns.rcode.REFUSED
    assert not corp.queries(qname="who.example.")


def test_strategy_round_robin(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3", "strategy round-robin",
               "cache size 0"])
    got = [client.who() for _ in range(12)]
    assert got.count("one") >= 3 and got.count("two") >= 3, got


def test_strategy_in_order(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3", "strategy in-order",
               "cache size 0"])
    got = [client.who() for _ in range(12)]
    assert got == ["one"] * 12
    assert not two.queries()


def test_forwarder_file_followed(net, client, upstream, moatd, tmp_path):
    upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("# test\nsearch example\nnameserver 10.53.0.2\n")
    moatd(dns=["listen on 10.53.0.1", 'forwarder file "%s"' % resolv])
    assert client.who() == "one"
    new = tmp_path / "resolv.conf.new"
    new.write_text("nameserver 10.53.0.3\n")
    os.rename(new, resolv)
    t0 = time.monotonic()
    wait_until(lambda: client.who() == "two", 5,
               what="queries to go to the new nameserver")
    assert time.monotonic() - t0 < 3.5
    # and when the file is edited in place
    with open(resolv, "w") as f:
        f.write("nameserver 10.53.0.2\n")
    wait_until(lambda: client.who() == "one", 5,
               what="queries to follow an in-place edit")


def test_forwarder_equal_to_listen_address_skipped(net, client, upstream,
                                                   moatd):
    upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.1",
                   "forwarder 10.53.0.2"])
    assert "skipping forwarder 10.53.0.1" in m.log
    assert "it is one of our own listen addresses" in m.log
    t0 = time.monotonic()
    assert client.who() == "one"
    assert time.monotonic() - t0 < 0.9


def test_forwarder_on_own_address_other_port_used(net, client, upstream,
                                                  moatd):
    upstream("10.53.0.1", "one", port=5353)
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.1 port 5353"])
    assert "skipping forwarder" not in m.log
    assert client.who() == "one"


def test_listen_port_and_forwarder_port(net, client, upstream, moatd):
    upstream("10.53.0.2", "one", port=5353)
    moatd(dns=["listen on 127.0.0.1 port 5300",
               "forwarder 10.53.0.2 port 5353"])
    assert client.who(addr="127.0.0.1", port=5300) == "one"
    assert client.who(addr="127.0.0.1", port=5300, tcp=True) == "one"


def test_ipv6_listen_and_forwarder(net, client, upstream, moatd):
    up = upstream("fd00:53::2", "six")
    moatd(dns=["listen on fd00:53::1", "forwarder fd00:53::2"])
    assert client.who(addr="fd00:53::1") == "six"
    assert client.who(addr="fd00:53::1", tcp=True) == "six"
    assert all(q["src"].startswith("fd00:53::") for q in up.queries())


def test_listen_on_interface_name_over_veth(make_ns, upstream, moatd):
    """moatd listens on a veth by name; the client is in another
    namespace at the far end of the pair."""
    srv = make_ns()
    cli = make_ns()
    srv.add_lan(v4=[2])
    # every address of veth0 is bound at start, the link-local one while
    # duplicate address detection still holds it tentative
    srv.ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
           "netns", cli.name)
    srv.ip("addr", "add", "10.53.1.1/24", "dev", "veth0")
    srv.ip("link", "set", "veth0", "up")
    cli.ip("addr", "add", "10.53.1.2/24", "dev", "veth1")
    cli.ip("link", "set", "veth1", "up")
    upstream("10.53.0.2", "one", ns=srv)
    moatd(ns=srv, dns=["listen on veth0", "forwarder 10.53.0.2"])
    c = Client(cli)
    assert c.who(addr="10.53.1.1") == "one"
    assert c.who(addr="10.53.1.1", tcp=True) == "one"


def test_opcode_not_query_notimp(std, client):
    q = make_query("www.example", "A")
    q.set_opcode(dns.opcode.STATUS)
    r = client.udp(q, "10.53.0.1")
    assert r.rcode() == dns.rcode.NOTIMP
    assert r.id == q.id
    q = make_query("www.example", "SOA")
    q.set_opcode(dns.opcode.NOTIFY)
    r = client.udp(q, "10.53.0.1")
    assert r.rcode() == dns.rcode.NOTIMP


def test_dig(std):
    m, up = std
    r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "TXT",
                  "who.example"])
    assert "status: NOERROR" in r.stdout, r.stdout
    assert '"server=one"' in r.stdout
    r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "+tcp",
                  "+short", "MX", "mx.example"])
    assert sorted(r.stdout.split("\n")) == sorted(
        ["", "10 mail.example.", "20 mail2.example."]), r.stdout


def test_kdig(std):
    m, up = std
    r = m.ns.run(["kdig", "@10.53.0.1", "+retry=0", "+timeout=3", "+tcp",
                  "TXT", "txt.example"])
    assert "status: NOERROR" in r.stdout, r.stdout
    assert '"hello" "world"' in r.stdout
    r = m.ns.run(["kdig", "@10.53.0.1", "+retry=0", "+timeout=3",
                  "+bufsize=1232", "SRV", "_sip._udp.example"])
    assert "0 5 5060 sip.example." in r.stdout, r.stdout
    assert up.queries(qname="txt.example.")
    assert up.queries(qname="_sip._udp.example.", edns=True)


def test_slow_upstream_does_not_block_others(std, client):
    """An answer the upstream takes 0.5 s over holds up nobody else."""
    m, up = std
    s = m.ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(3)
        slow = make_query("slow1.example", "A", qid=0x0510)
        s.sendto(slow.to_wire(), ("10.53.0.1", 53))
        wait_until(lambda: up.queries(qname="slow1.example."), 2,
                   what="the slow query to reach the upstream")
        t0 = time.monotonic()
        assert client.who(timeout=2) == "one"
        assert client.who(timeout=2, tcp=True) == "one"
        assert time.monotonic() - t0 < 0.4
        r = dns.message.from_wire(s.recv(65535))
        assert r.id == 0x0510 and r.answer
    finally:
        s.close()


def test_tcp_pipelined_behind_a_slow_answer(std, client):
    s = client.tcp_connect()
    try:
        out = b""
        for name, qid in (("slow2.example", 1), ("www.example", 2),
                          ("r3.example", 3)):
            w = make_query(name, "A", qid=qid).to_wire()
            out += struct.pack("!H", len(w)) + w
        s.sendall(out)
        got = {}
        for _ in range(3):
            r = dns.message.from_wire(tcp_read_msg(s))
            got[r.id] = r.question[0].name.to_text()
    finally:
        s.close()
    assert got == {1: "slow2.example.", 2: "www.example.", 3: "r3.example."}


def test_burst_of_queries(std, client):
    """100 queries at once, each with its own ID and name: every answer
    goes back to the right query."""
    m, up = std
    s = m.ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
    want = {}
    try:
        for i in range(100):
            q = make_query("r%d.example" % i, "A", qid=1000 + i)
            want[q.id] = "r%d.example." % i
            s.sendto(q.to_wire(), ("10.53.0.1", 53))
        got = {}
        end = time.monotonic() + 5
        while len(got) < len(want) and time.monotonic() < end:
            r, _, _ = select.select([s], [], [], 0.2)
            if r:
                a = dns.message.from_wire(s.recv(65535))
                got[a.id] = a
    finally:
        s.close()
    assert len(got) >= 98, "%d of 100 answered" % len(got)
    for qid, a in got.items():
        assert a.question[0].name.to_text() == want[qid]
        assert a.answer and a.answer[0].name.to_text() == want[qid]


def test_forwarder_file_survives_engine_restart(net, client, upstream, moatd,
                                                tmp_path):
    upstream("10.53.0.3", "two")
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 10.53.0.3\n")
    m = moatd(dns=["listen on 10.53.0.1", 'forwarder file "%s"' % resolv])
    assert client.who() == "two"
    old = m.engine_pid()
    os.kill(old, signal.SIGKILL)
    m.engine_pid(wait=3, not_pid=old)
    wait_until(lambda: client.who(timeout=1) == "two", 3,
               what="the restarted engine to use the file's nameserver")


def test_reload_drops_a_listen_address(net, client, upstream, moatd):
    upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "listen on 10.53.0.5",
                   "forwarder 10.53.0.2"])
    assert client.who(addr="10.53.0.5") == "one"
    m.write_conf(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    r = m.ctl("reload")
    assert r.returncode == 0, r.stdout + r.stderr

    def gone():
        try:
            client.query("who.example", "TXT", addr="10.53.0.5",
                         timeout=0.5)
            return False
        except (dns.exception.Timeout, ConnectionRefusedError):
            return True
    wait_until(gone, 3, what="10.53.0.5 to stop answering")
    assert client.who() == "one"
