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
"""Write the seed corpus of fuzz_local into corpus/fuzz_local.

Each seed is what fuzz_local.c reads: the length of a records payload in
two bytes (big endian), the payload (entries of a record_kind byte and an
uncompressed resource record, as IMSG_CONF_RECORDS carries them), then a
DNS query.  The harness itself adds the local domain "lan", the rebind
domain "corp.example" and the own domain "home", and turns on the blocks
of private reverse and unqualified names.  Fixed IDs, so a second run
writes the same bytes; files this script does not know (reproducers the
fuzzer found) are left alone.  Run with /usr/bin/python3 (dnspython).
"""

import os
import struct
import sys

import dns.message
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz_local")

RECORD_EXACT = 1
RECORD_SUBTREE = 2
RECORD_NXDOMAIN = 3


def owner(name):
    return dns.name.from_text(name).to_wire()


def entry(kind, name, rtype, text, ttl=0):
    rd = dns.rdata.from_text(dns.rdataclass.IN, rtype, text)
    # no compression table: names in the rdata go out uncompressed
    rdata = rd.to_wire()
    return (bytes([kind]) + owner(name) +
            struct.pack("!HHIH", dns.rdatatype.from_text(rtype), 1, ttl,
                        len(rdata)) + rdata)


def nxdomain(name):
    return (bytes([RECORD_NXDOMAIN]) + owner(name) +
            struct.pack("!HHIH", 0, 1, 0, 0))


def query(name, rtype, qid, **kw):
    q = dns.message.make_query(name, rtype, **kw)
    q.id = qid
    return q.to_wire()


def seed(payload, q):
    return struct.pack("!H", len(payload)) + payload + q


def records():
    return b"".join([
        entry(RECORD_EXACT, "router.lan", "A", "192.168.1.1"),
        entry(RECORD_EXACT, "router.lan", "AAAA", "fd00::1"),
        entry(RECORD_EXACT, "lan", "MX", "10 mail.lan."),
        entry(RECORD_EXACT, "_ldap._tcp.lan", "SRV", "0 0 389 dc.lan."),
        entry(RECORD_EXACT, "www.lan", "CNAME", "router.lan."),
        entry(RECORD_EXACT, "lan", "TXT", '"v=spf1 -all" "second"'),
        entry(RECORD_EXACT, "1.1.168.192.in-addr.arpa", "PTR",
              "router.lan."),
        entry(RECORD_EXACT, "lan", "NAPTR",
              '100 10 "u" "E2U+sip" "!^.*$!sip:info@lan!" .'),
        entry(RECORD_EXACT, "lan", "CAA", '0 issue "letsencrypt.org"'),
    ])


def blocks():
    return b"".join([
        entry(RECORD_SUBTREE, "ads.example", "A", "0.0.0.0"),
        entry(RECORD_SUBTREE, "ads.example", "AAAA", "::"),
        entry(RECORD_SUBTREE, "a.b.example", "A", "10.0.0.2"),
        nxdomain("tracker.example"),
    ])


def chains():
    out = [entry(RECORD_EXACT, "loop1.lan", "CNAME", "loop2.lan."),
           entry(RECORD_EXACT, "loop2.lan", "CNAME", "loop1.lan."),
           entry(RECORD_EXACT, "ext.lan", "CNAME", "www.example.com."),
           entry(RECORD_EXACT, "ad.lan", "CNAME", "x.ads.example.")]
    for i in range(10):
        out.append(entry(RECORD_EXACT, "c%d.lan" % i, "CNAME",
                         "c%d.lan." % (i + 1)))
    out.append(entry(RECORD_EXACT, "c10.lan", "A", "10.9.9.9"))
    return b"".join(out) + blocks()


def seeds():
    rec = records()
    blk = blocks()
    chn = chains()
    s = {}
    s["exact_a"] = seed(rec, query("router.lan", "A", 0x0101))
    s["exact_aaaa_edns"] = seed(rec, query("Router.LAN", "AAAA", 0x0102,
                                           use_edns=0, want_dnssec=True))
    s["exact_mx"] = seed(rec, query("lan", "MX", 0x0103))
    s["exact_srv"] = seed(rec, query("_ldap._tcp.lan", "SRV", 0x0104))
    s["exact_txt"] = seed(rec, query("lan", "TXT", 0x0105))
    s["exact_ptr"] = seed(rec, query("1.1.168.192.in-addr.arpa", "PTR",
                                     0x0106))
    s["exact_naptr"] = seed(rec, query("lan", "NAPTR", 0x0107))
    s["exact_caa"] = seed(rec, query("lan", "CAA", 0x0108))
    s["exact_any"] = seed(rec, query("lan", "ANY", 0x0109))
    s["cname_a"] = seed(rec, query("www.lan", "A", 0x010a))
    s["nodata"] = seed(rec, query("router.lan", "HINFO", 0x010b))
    s["local_nxdomain"] = seed(rec, query("nothere.lan", "A", 0x010c))
    s["local_ent"] = seed(rec, query("_tcp.lan", "SRV", 0x010d))
    s["block_a"] = seed(blk, query("x.y.ads.example", "A", 0x0201))
    s["block_aaaa"] = seed(blk, query("ads.example", "AAAA", 0x0202,
                                      use_edns=0))
    s["block_mx"] = seed(blk, query("ads.example", "MX", 0x0203))
    s["block_longest"] = seed(blk, query("z.a.b.example", "A", 0x0204))
    s["block_nx"] = seed(blk, query("q.tracker.example", "A", 0x0205))
    s["chain_loop"] = seed(chn, query("loop1.lan", "A", 0x0301))
    s["chain_long"] = seed(chn, query("c0.lan", "A", 0x0302))
    s["chain_ext"] = seed(chn, query("ext.lan", "AAAA", 0x0303))
    s["chain_block"] = seed(chn, query("ad.lan", "A", 0x0304))
    s["unqualified"] = seed(rec, query("nas", "A", 0x0401))
    s["private_v4"] = seed(rec, query("168.192.in-addr.arpa", "PTR",
                                      0x0402))
    s["private_v6"] = seed(rec, query(
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
        "ip6.arpa", "PTR", 0x0403))
    s["private_fe80"] = seed(rec, query("9.e.f.ip6.arpa", "PTR", 0x0404))
    s["public_reverse"] = seed(rec, query("8.8.8.8.in-addr.arpa", "PTR",
                                          0x0405))
    s["rebind_name"] = seed(rec, query("host.corp.example", "A", 0x0406))
    s["forwarded"] = seed(rec, query("www.example.com", "A", 0x0407))
    # refused payloads: a subtree of MX, a truncated record
    s["bad_subtree_mx"] = seed(
        entry(RECORD_SUBTREE, "x.lan", "MX", "10 mail.lan."),
        query("x.lan", "MX", 0x0501))
    s["bad_truncated"] = seed(rec[:-3], query("router.lan", "A", 0x0502))
    s["bad_kind"] = seed(b"\x07" + rec[1:], query("router.lan", "A",
                                                  0x0503))
    return s


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
