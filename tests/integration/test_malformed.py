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
"""Hostile input to the DNS engine: it answers FORMERR where it can, stays
silent where it cannot, and never dies or stalls."""
import random
import select
import socket
import struct
import time

import dns.rcode
import pytest

from moathelp import make_query, tcp_read_msg

FORMERR = 1
QTYPE_A = b"\x00\x01\x00\x01"		# type A, class IN


def header(qid, qd=1, an=0, ns=0, ar=0, flags=0x0100):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def name(*labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\x00"


BAD_QUERIES = {
    # a pointer to itself
    "compression-loop": header(0xa001) + b"\xc0\x0c" + QTYPE_A,
    # two pointers to each other
    "compression-loop2": header(0xa002) + b"\x01a\xc0\x10\xc0\x0c" + QTYPE_A,
    # a pointer forward, to a name after the question
    "forward-pointer": header(0xa003) + b"\xc0\x12" + QTYPE_A +
    name(b"www", b"example"),
    # a pointer beyond the end of the message
    "pointer-past-end": header(0xa004) + b"\xc0\xff" + QTYPE_A,
    "two-questions": header(0xa005, qd=2) + name(b"www", b"example") +
    QTYPE_A + name(b"mx", b"example") + QTYPE_A,
    # label types 01 and 10 are reserved
    "label-type-01": header(0xa006) + b"\x41" + b"x" * 65 + b"\x00" +
    QTYPE_A,
    "label-type-10": header(0xa007) + b"\x81" + b"x" + b"\x00" + QTYPE_A,
    "name-over-255": header(0xa008) + name(*[b"x" * 63] * 5) + QTYPE_A,
    "question-cut": header(0xa009) + b"\x03ww",
    "no-qtype": header(0xa00a) + name(b"www", b"example"),
    "label-past-end": header(0xa00b) + b"\x3fabc",
    "qdcount-lies": header(0xa00c, qd=40) + name(b"www", b"example") +
    QTYPE_A,
}


def expect_formerr(reply, qid, what):
    assert reply is not None, "%s: no answer" % what
    assert len(reply) >= 12, "%s: short answer %r" % (what, reply)
    rid, flags = struct.unpack("!HH", reply[:4])
    assert rid == qid, what
    assert flags & 0x8000, "%s: QR not set" % what
    assert flags & 0x000f == FORMERR, "%s: rcode %d" % (what, flags & 0xf)


def alive_and_answering(m, client, engine):
    assert m.proc.poll() is None, "moatd died:\n" + m.log
    assert m.engine_pid() == engine, "the engine was replaced:\n" + m.log
    assert client.who(timeout=3) == "one"
    assert client.who(timeout=3, tcp=True) == "one"
    assert m.engine_pid() == engine


@pytest.mark.parametrize("what", sorted(BAD_QUERIES))
def test_formerr(std, client, what):
    m, up = std
    eng = m.engine_pid()
    wire = BAD_QUERIES[what]
    qid = struct.unpack("!H", wire[:2])[0]
    expect_formerr(client.raw_udp(wire, timeout=2), qid, what)
    # nothing of it reached the upstream
    assert not up.queries()
    alive_and_answering(m, client, eng)


def test_formerr_over_tcp(std, client):
    m, up = std
    eng = m.engine_pid()
    s = client.tcp_connect()
    try:
        for what in ("compression-loop", "two-questions", "name-over-255"):
            wire = BAD_QUERIES[what]
            s.sendall(struct.pack("!H", len(wire)) + wire)
            reply = tcp_read_msg(s)
            expect_formerr(reply, struct.unpack("!H", wire[:2])[0], what)
    finally:
        s.close()
    alive_and_answering(m, client, eng)


def test_short_packets_get_no_answer(std, client):
    m, up = std
    eng = m.engine_pid()
    socks = []
    try:
        for n in range(1, 12):
            s = m.ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
            socks.append(s)
            s.sendto(bytes([0xab]) * n, ("10.53.0.1", 53))
        # a good query after them: once it is answered, so would they be
        assert client.who() == "one"
        r, _, _ = select.select(socks, [], [], 0.3)
        assert r == [], "answers to packets shorter than a header"
    finally:
        for s in socks:
            s.close()
    alive_and_answering(m, client, eng)


def test_random_udp_packets(std, client):
    m, up = std
    eng = m.engine_pid()
    rng = random.Random(20260101)
    s = m.ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent_ids = set()
    want_answer = 0		# queries with a header: FORMERR at least
    replies = []
    try:
        s.setblocking(False)
        deadline = time.monotonic() + 20
        for i in range(200):
            size = rng.randint(0, 600)
            pkt = bytes(rng.getrandbits(8) for _ in range(size))
            if size >= 12 and i % 3 == 0:
                # half of these look like queries, to reach deeper
                pkt = pkt[:2] + b"\x01\x00\x00\x01" + pkt[6:]
            if size >= 2:
                sent_ids.add(pkt[:2])
            if size >= 12 and not pkt[2] & 0x80:
                want_answer += 1
            s.sendto(pkt, ("10.53.0.1", 53))
            if i % 20 == 19:
                time.sleep(0.01)	# do not just overflow the buffer
            while True:
                try:
                    replies.append(s.recv(65535))
                except BlockingIOError:
                    break
            assert time.monotonic() < deadline
        end = time.monotonic() + 1.5
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], 0.1)
            if r:
                replies.append(s.recv(65535))
    finally:
        s.close()
    # a few may be lost to a full socket buffer, not dozens
    assert len(replies) >= want_answer * 0.9, (len(replies), want_answer)
    for rep in replies:
        assert len(rep) >= 12
        assert rep[:2] in sent_ids
        assert rep[2] & 0x80, "an answer without QR"
    alive_and_answering(m, client, eng)


def tcp_junk(client, data, linger=0.2):
    s = client.tcp_connect()
    try:
        s.sendall(data)
        end = time.monotonic() + linger
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], 0.05)
            if r:
                try:
                    if not s.recv(65535):
                        break
                except ConnectionResetError:
                    break
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        s.close()


def test_tcp_garbage(std, client):
    m, up = std
    eng = m.engine_pid()
    rng = random.Random(777)
    junk = [
        b"\xff\xff" + bytes(rng.getrandbits(8) for _ in range(100)),
        b"\x00\x00",
        b"\x00\x00" + make_query("www.example").to_wire(),
        b"\x00\x05" + b"\x01\x02\x03\x04\x05",
        b"\x00\x0b" + b"\x00" * 11,
        bytes(rng.getrandbits(8) for _ in range(3000)),
        b"\x00",
    ]
    for _ in range(10):
        n = rng.randint(12, 300)
        junk.append(struct.pack("!H", rng.choice([n, n - 7, n + 9, 65535])) +
                    bytes(rng.getrandbits(8) for _ in range(n)))
    for data in junk:
        tcp_junk(client, data)
    alive_and_answering(m, client, eng)


def test_tcp_half_message_does_not_stall_others(std, client):
    m, up = std
    eng = m.engine_pid()
    stalled = client.tcp_connect()
    try:
        w = make_query("www.example").to_wire()
        stalled.sendall(struct.pack("!H", len(w)) + w[:len(w) // 2])
        stalled2 = client.tcp_connect()
        stalled2.sendall(b"\x00")		# half of a length
        try:
            t0 = time.monotonic()
            assert client.who(timeout=3, tcp=True) == "one"
            assert client.who(timeout=3) == "one"
            assert time.monotonic() - t0 < 2
        finally:
            stalled2.close()
    finally:
        stalled.close()
    alive_and_answering(m, client, eng)


def test_tcp_many_idle_connections(std, client):
    m, up = std
    eng = m.engine_pid()
    idle = []
    try:
        for _ in range(20):
            idle.append(client.tcp_connect())
        assert client.who(timeout=3, tcp=True) == "one"
        assert client.who(timeout=3) == "one"
    finally:
        for s in idle:
            s.close()
    alive_and_answering(m, client, eng)


def test_tcp_client_gone_before_answer(std, client):
    """The answer is written to a connection the client has closed (and
    reset): the engine must not die of SIGPIPE or the error."""
    m, up = std
    eng = m.engine_pid()
    for i in range(20):
        s = client.tcp_connect()
        w = make_query("r%d.example" % i).to_wire()
        s.sendall(struct.pack("!H", len(w)) + w)
        # RST rather than FIN: the engine's write fails at once
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()
    # let the upstream's answers come back to the closed connections
    deadline = time.monotonic() + 3
    while len(up.queries()) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    alive_and_answering(m, client, eng)


def test_rcode_of_good_query_after_all(std, client):
    """The same engine answers a good query with the right data."""
    m, up = std
    for wire in BAD_QUERIES.values():
        client.raw_udp(wire, timeout=0.2)
    r = client.query("www.example", "A")
    assert r.rcode() == dns.rcode.NOERROR
    assert r.answer[0][0].to_text() == "192.0.2.1"
