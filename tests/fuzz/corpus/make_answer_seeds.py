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
# Seeds for fuzz_answer: a 2-byte length, an upstream answer, then a
# client's query for the same question.  Re-running gives the same bytes.

import os
import struct

import dns.flags
import dns.message
import dns.rrset

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_answer")


def pair(qname, qtype, rrs, client_edns, up_edns, client_name=None):
    up = dns.message.make_query(qname, qtype, use_edns=up_edns)
    up.id = 0x1111
    ans = dns.message.make_response(up)
    for text in rrs:
        ans.answer.append(dns.rrset.from_text(qname, 300, "IN", qtype, text))
    q = dns.message.make_query(client_name or qname, qtype,
                               use_edns=client_edns)
    q.id = 0x2222
    a = ans.to_wire(max_size=65535)
    return struct.pack("!H", len(a)) + a + q.to_wire()


SEEDS = {
    "a_public": pair("www.example.", "A", ["192.0.2.1"], False, False),
    "a_private_edns": pair("x.example.", "A", ["192.168.1.1"], 0, 0),
    "aaaa_ula_mixed_case": pair("w.example.", "AAAA", ["fd00::1"], False,
                                0, "W.ExAmPle."),
    "strip_opt": pair("t.example.", "TXT", ['"%s"' % ("y" * 200)] * 1,
                      False, 0),
    "big_txt": pair("big.example.", "TXT",
                    ['"%d%s"' % (i, "z" * 250) for i in range(8)], False, 0),
    "mapped_v6": pair("m.example.", "AAAA", ["::ffff:10.0.0.1"], 0, False),
}

os.makedirs(HERE, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
