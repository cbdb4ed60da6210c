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
"""Write the seed corpus of fuzz_cache into corpus/fuzz_cache.

Every seed is an upstream answer made with dnspython, with fixed IDs so
that a second run writes the same bytes.  The harness reads the first
byte (the ID's high byte) as the time the answer is stored at and, when
even, takes the parent of the question as the bailiwick (the root when
odd); the second byte picks the client's flags and spelling.  Files this
script does not know (reproducers the fuzzer found) are left alone.  Run
with /usr/bin/python3 (it has dnspython).
"""

import os
import struct
import sys

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz_cache")

SOA = ("example.com.", 3600, "SOA",
       "ns1.example.com. hostmaster.example.com. 2026010101 7200 900 "
       "1209600 300")


def answer(name, rdtype, qid, answers=(), authority=(), additional=(),
           rcode=dns.rcode.NOERROR, **kw):
    q = dns.message.make_query(name, rdtype, **kw)
    q.id = qid
    r = dns.message.make_response(q)
    r.flags |= dns.flags.RA
    r.set_rcode(rcode)
    for section, rrsets in ((r.answer, answers), (r.authority, authority),
                            (r.additional, additional)):
        for owner, ttl, rtype, *rdatas in rrsets:
            section.append(dns.rrset.from_text(owner, ttl, "IN", rtype,
                                               *rdatas))
    return r


def wire(msg):
    # unshuffled, so that every run writes the same bytes
    return msg.to_wire(want_shuffle=False)


def opt_not_last(msg):
    """The answer with an A record appended after its OPT record."""
    data = bytearray(wire(msg))
    arcount = struct.unpack("!H", data[10:12])[0]
    data[10:12] = struct.pack("!H", arcount + 1)
    return bytes(data) + (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) +
                          bytes([192, 0, 2, 9]))


def seeds():
    s = {}
    s["a"] = wire(answer(
        "www.example.com", "A", 0x2345,
        answers=[("www.example.com.", 300, "A", "192.0.2.1",
                  "192.0.2.2")]))
    s["a_mixed_case"] = wire(answer(
        "WwW.ExAmPlE.CoM", "A", 0x2446,
        answers=[("WwW.ExAmPlE.CoM.", 60, "A", "192.0.2.3")]))
    s["aaaa"] = wire(answer(
        "www.example.com", "AAAA", 0x3456,
        answers=[("www.example.com.", 300, "AAAA", "2001:db8::1")]))
    s["mx"] = wire(answer(
        "example.com", "MX", 0x4567,
        answers=[("example.com.", 300, "MX", "10 mail.example.com.",
                  "20 mail2.example.com.")],
        additional=[("mail.example.com.", 300, "A", "192.0.2.25"),
                    ("mail2.example.com.", 300, "AAAA", "2001:db8::25")]))
    s["cname_chain"] = wire(answer(
        "www.example.com", "A", 0x5679,
        answers=[("www.example.com.", 3600, "CNAME", "web.example.com."),
                 ("web.example.com.", 60, "CNAME", "host.example.com."),
                 ("host.example.com.", 600, "A", "192.0.2.80")],
        authority=[("example.com.", 3600, "NS", "ns1.example.com.",
                    "ns2.example.com.")],
        additional=[("ns1.example.com.", 3600, "A", "192.0.2.53")]))
    s["cname_out_of_bailiwick"] = wire(answer(
        "www.example.com", "A", 0x5a7a,
        answers=[("www.example.com.", 300, "CNAME", "cdn.example.net."),
                 ("cdn.example.net.", 300, "A", "192.0.2.81")]))
    s["nxdomain_soa"] = wire(answer(
        "nope.example.com", "A", 0x6789, authority=[SOA],
        rcode=dns.rcode.NXDOMAIN))
    s["nodata_soa"] = wire(answer(
        "www.example.com", "MX", 0x789a, authority=[SOA]))
    s["nxdomain_no_soa"] = wire(answer(
        "nope.example.com", "A", 0x79ab, rcode=dns.rcode.NXDOMAIN))
    s["with_opt"] = wire(answer(
        "www.example.com", "A", 0x89ab,
        answers=[("www.example.com.", 300, "A", "192.0.2.1")],
        use_edns=0, payload=1232, want_dnssec=True))
    s["opt_not_last"] = opt_not_last(answer(
        "www.example.com", "A", 0x9abc,
        answers=[("www.example.com.", 300, "A", "192.0.2.1")],
        use_edns=0, payload=1232))
    tc = answer("big.example.com", "TXT", 0xabcd,
                answers=[("big.example.com.", 300, "TXT", '"part"')])
    tc.flags |= dns.flags.TC
    s["truncated"] = wire(tc)
    s["servfail"] = wire(answer(
        "www.example.com", "A", 0xbcde, rcode=dns.rcode.SERVFAIL))
    s["txt_srv_ptr"] = wire(answer(
        "_sip._udp.example.com", "SRV", 0xcdef,
        answers=[("_sip._udp.example.com.", 300, "SRV",
                  "0 5 5060 sip.example.com.")],
        additional=[("sip.example.com.", 300, "TXT", '"hello" "world"')]))
    s["ttl_zero"] = wire(answer(
        "www.example.com", "A", 0xdef0,
        answers=[("www.example.com.", 0, "A", "192.0.2.1")]))
    return s


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
