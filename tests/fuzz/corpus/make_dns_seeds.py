#!/usr/bin/python3
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
"""Write the seed corpus of fuzz_dns into corpus/fuzz_dns.

Real queries and answers come from dnspython, with fixed IDs so that a
second run writes the same bytes; the broken packets are made by hand.
Files this script does not know (reproducers the fuzzer found) are left
alone.  Run with /usr/bin/python3 (it has dnspython).
"""

import os
import struct
import sys

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz_dns")


def query(name, rdtype, qid, **kw):
    q = dns.message.make_query(name, rdtype, **kw)
    q.id = qid
    return q


def answer(name, rdtype, qid, answers=(), authority=(), additional=(),
           rcode=dns.rcode.NOERROR, **kw):
    r = dns.message.make_response(query(name, rdtype, qid, **kw))
    r.flags |= dns.flags.RA
    r.set_rcode(rcode)
    for section, rrsets in ((r.answer, answers), (r.authority, authority),
                            (r.additional, additional)):
        for owner, ttl, rtype, *rdatas in rrsets:
            section.append(dns.rrset.from_text(owner, ttl, "IN", rtype,
                                               *rdatas))
    return r


SOA = ("example.com.", 3600, "SOA",
       "ns1.example.com. hostmaster.example.com. 2026010101 7200 900 "
       "1209600 300")


def header(qid, flags, qd, an, ns, ar):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)


def question_bytes(labels, qtype=1):
    out = b""
    for label in labels:
        out += bytes([len(label)]) + label
    return out + b"\x00" + struct.pack("!HH", qtype, 1)


def wire(msg):
    # unshuffled, so that every run writes the same bytes
    return msg.to_wire(want_shuffle=False)


def seeds():
    s = {}
    s["query_a"] = wire(query("www.example.com", "A", 0x1234))
    s["answer_a"] = wire(answer(
        "www.example.com", "A", 0x2345,
        answers=[("www.example.com.", 300, "A", "192.0.2.1", "192.0.2.2")]))
    s["answer_aaaa"] = wire(answer(
        "www.example.com", "AAAA", 0x3456,
        answers=[("www.example.com.", 300, "AAAA", "2001:db8::1")]))
    s["answer_mx"] = wire(answer(
        "example.com", "MX", 0x4567,
        answers=[("example.com.", 300, "MX", "10 mail.example.com.",
                  "20 mail2.example.com.")],
        additional=[("mail.example.com.", 300, "A", "192.0.2.25")]))
    s["answer_txt"] = wire(answer(
        "txt.example.com", "TXT", 0x5678,
        answers=[("txt.example.com.", 300, "TXT", '"hello" "world"',
                  '"v=spf1 -all"')]))
    s["answer_srv"] = wire(answer(
        "_sip._udp.example.com", "SRV", 0x6789,
        answers=[("_sip._udp.example.com.", 300, "SRV",
                  "0 5 5060 sip.example.com.")]))
    s["answer_soa_nodata"] = wire(answer(
        "www.example.com", "MX", 0x789a, authority=[SOA]))
    s["answer_nxdomain"] = wire(answer(
        "nope.example.com", "A", 0x89ab, authority=[SOA],
        rcode=dns.rcode.NXDOMAIN))
    s["query_edns_do"] = wire(query(
        "example.com", "DNSKEY", 0x9abc, use_edns=0, payload=1232,
        want_dnssec=True))
    tc = answer("big.example.com", "TXT", 0xabcd, use_edns=0, payload=1232)
    tc.flags |= dns.flags.TC
    s["answer_truncated"] = wire(tc)
    s["answer_compressed"] = wire(answer(
        "www.example.com", "A", 0xbcde,
        answers=[("www.example.com.", 300, "CNAME", "web.example.com."),
                 ("web.example.com.", 300, "A", "192.0.2.80")],
        authority=[("example.com.", 3600, "NS", "ns1.example.com.",
                    "ns2.example.com.")],
        additional=[("ns1.example.com.", 3600, "A", "192.0.2.53"),
                    ("ns2.example.com.", 3600, "AAAA", "2001:db8::53")],
        use_edns=0))
    s["answer_ptr"] = wire(answer(
        "1.2.0.192.in-addr.arpa", "PTR", 0xcdef,
        answers=[("1.2.0.192.in-addr.arpa.", 300, "PTR",
                  "www.example.com.")]))
    s["answer_type65280"] = wire(answer(
        "unknown.example.com", "TYPE65280", 0xdef0,
        answers=[("unknown.example.com.", 300, "TYPE65280",
                  r"\# 4 deadbeef")]))

    # hand-made broken packets
    hdr1 = header(0x0bad, 0x0100, 1, 0, 0, 0)
    # 12: pointer to 14, 14: pointer back to 12
    s["bad_pointer_loop"] = hdr1 + b"\xc0\x0e\xc0\x0c" + b"\x00\x01\x00\x01"
    # a pointer to a name that comes later in the packet
    s["bad_forward_pointer"] = (hdr1 + b"\xc0\x12" + b"\x00\x01\x00\x01" +
                                b"\x03www\x00")
    s["bad_pointer_self"] = hdr1 + b"\xc0\x0c" + b"\x00\x01\x00\x01"
    s["bad_short_header"] = header(0x0bad, 0x0100, 1, 0, 0, 0)[:11]
    s["bad_qdcount2"] = (header(0x0bad, 0x0100, 2, 0, 0, 0) +
                         question_bytes([b"www", b"example", b"com"]) +
                         question_bytes([b"mail", b"example", b"com"]))

    # A question compressed into the header (whose flags and counts
    # change when truncated) and growing when written out whole, with
    # the OPT record right after it; the first byte (ID) makes the
    # harness truncate to 12 + 4 * 8 = 44 bytes.
    xrec = (b"\x01x\x00" + struct.pack("!HHIH", 1, 1, 60, 4) +
            b"\xc0\x00\x02\x01")
    s["trunc_question_in_header"] = (
        header(0x0400, 0x0500, 1, 0, 0, 31) + b"\xc0\x02" +
        struct.pack("!HH", 1, 1) +
        b"\x00" + struct.pack("!HHIH", 41, 1232, 0x8000, 4) +
        b"\x00\x0a\x00\x00" + xrec * 30)
    return s


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
