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
"""Write the seed corpus of fuzz_dhcp into corpus/fuzz_dhcp.

The messages are laid out byte by byte with struct, so that every run
writes the same bytes and the odd cases (overload, RFC 3396 splits,
broken lengths) are exactly what they claim; the good ones are checked
against scapy's BOOTP/DHCP dissector.  Files this script does not know
(reproducers the fuzzer found) are left alone.

With --frame it prints instead, as a C array, the Ethernet, IPv4 and UDP
headers scapy puts around a small DHCPOFFER (op 2, xid 0x12345678,
yiaddr 192.168.1.100, chaddr 02:00:00:00:00:01, cookie, option 53, END:
244 bytes), with scapy's checksums: test_dhcp_wire.c makes the same
frame with dhcp_frame_build and compares.

Run with /usr/bin/python3 (it has scapy).
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz_dhcp")

COOKIE = bytes([99, 130, 83, 99])
MAC = bytes.fromhex("020000000001")


def ip(s):
    return bytes(int(x) for x in s.split("."))


def fixed(op=1, xid=0x12345678, flags=0, ciaddr="0.0.0.0",
          yiaddr="0.0.0.0", siaddr="0.0.0.0", giaddr="0.0.0.0",
          chaddr=MAC, htype=1, hlen=6, hops=0, secs=0, sname=b"",
          file=b""):
    return (struct.pack("!BBBBIHH", op, htype, hlen, hops, xid, secs, flags)
            + ip(ciaddr) + ip(yiaddr) + ip(siaddr) + ip(giaddr)
            + chaddr.ljust(16, b"\0") + sname.ljust(64, b"\0")
            + file.ljust(128, b"\0"))


def opt(code, value):
    return bytes([code, len(value)]) + value


def split_opt(code, value):
    """One option as several instances of at most 255 bytes (RFC 3396)."""
    out = b""
    for i in range(0, len(value), 255):
        out += opt(code, value[i:i + 255])
    return out


def dhcp(msgtype, options=b"", pad=True, **kw):
    body = fixed(**kw) + COOKIE + opt(53, bytes([msgtype])) + options
    body += b"\xff"
    if pad and len(body) < 300:
        body = body.ljust(300, b"\0")
    return body


PRL = opt(55, bytes([1, 3, 6, 12, 15, 26, 28, 42, 119, 121]))
CLIENT_ID = opt(61, b"\x01" + MAC)
HOSTNAME = opt(12, b"laptop")


def seeds():
    s = {}
    s["discover"] = dhcp(1, CLIENT_ID + PRL + HOSTNAME +
                         opt(57, struct.pack("!H", 1500)))
    s["discover_broadcast"] = dhcp(1, PRL, flags=0x8000, pad=False)
    s["request_selecting"] = dhcp(3, CLIENT_ID + opt(50, ip("192.168.1.100"))
                                  + opt(54, ip("192.168.1.1")) + PRL
                                  + HOSTNAME)
    s["request_renewing"] = dhcp(3, CLIENT_ID + PRL,
                                 ciaddr="192.168.1.100")
    s["request_fqdn_wire"] = dhcp(3, opt(50, ip("192.168.1.101")) +
                                  opt(81, b"\x05\x00\x00\x06laptop\x04corp"
                                      b"\x07example\x00") + PRL)
    s["request_fqdn_ascii"] = dhcp(3, opt(81, b"\x01\xff\xffMy_Laptop")
                                   + PRL)
    s["release"] = dhcp(7, CLIENT_ID + opt(54, ip("192.168.1.1")),
                        ciaddr="192.168.1.100")
    s["decline"] = dhcp(4, CLIENT_ID + opt(50, ip("192.168.1.100")) +
                        opt(54, ip("192.168.1.1")))
    s["inform"] = dhcp(8, PRL, ciaddr="192.168.1.50")
    # circuit-id "eth0/1", remote-id the relay's MAC
    agent = opt(1, b"eth0/1") + opt(2, bytes.fromhex("0a0b0c0d0e0f"))
    s["relayed_discover"] = dhcp(1, CLIENT_ID + PRL + opt(82, agent),
                                 giaddr="10.60.0.1", hops=1)
    # BOOTP: a vendor area of zeros, no cookie
    s["bootp"] = fixed(xid=0xb0070001).ljust(300, b"\0")
    s["bootp_rfc1497"] = (fixed(xid=0xb0070002) + COOKIE +
                          opt(1, b"") + b"\xff").ljust(300, b"\0")
    # overload 3: options go on in file, then in sname
    file_opts = (opt(61, b"\x01" + MAC) + opt(12, b"over") +
                 b"\xff").ljust(128, b"\0")
    sname_opts = (opt(55, bytes([1, 3, 6])) + b"\xff").ljust(64, b"\0")
    s["overload_both"] = (fixed(sname=sname_opts, file=file_opts) + COOKIE
                          + opt(53, b"\x01") + opt(52, b"\x03") + b"\xff")
    s["overload_file"] = (fixed(file=file_opts) + COOKIE +
                          opt(53, b"\x03") + opt(52, b"\x01") +
                          opt(50, ip("192.168.1.7")) + b"\xff")
    # a 600-byte option in three instances, with another between
    long_value = bytes((i * 7) & 0xff for i in range(600))
    parts = split_opt(77, long_value)
    s["rfc3396_split"] = dhcp(1, parts[:257] + PRL + parts[257:])
    s["hlen_16"] = dhcp(1, PRL, htype=32, hlen=16,
                        chaddr=bytes(range(0xa0, 0xb0)))
    s["max_size_576"] = dhcp(1, opt(57, struct.pack("!H", 576)) + PRL)

    good = dict(s)
    # the broken ones
    s["short_235"] = s["discover"][:235]
    s["hlen_17"] = dhcp(1, PRL, hlen=17)
    s["op_3"] = dhcp(1, PRL, op=3)
    s["opt_past_end"] = fixed() + COOKIE + opt(53, b"\x01") + b"\x0c\x10ab"
    s["opt_len_missing"] = fixed() + COOKIE + opt(53, b"\x01") + b"\x0c"
    s["no_end"] = fixed() + COOKIE + opt(53, b"\x01") + PRL
    s["bad_type_len"] = fixed() + COOKIE + opt(53, b"\x01\x01") + b"\xff"
    s["two_types"] = fixed() + COOKIE + opt(53, b"\x01") + opt(53, b"\x03")
    s["bad_overload"] = fixed() + COOKIE + opt(53, b"\x01") + opt(52, b"\x04")
    s["overload_in_file"] = (fixed(file=(opt(52, b"\x03") + b"\xff")
                                   .ljust(128, b"\0")) + COOKIE +
                             opt(53, b"\x01") + opt(52, b"\x01") + b"\xff")
    s["wrong_cookie"] = fixed() + b"\x63\x82\x53\x64" + opt(53, b"\x01")
    s["too_many_bytes"] = dhcp(1, b"".join(opt(c, b"x" * 255)
                                           for c in range(100, 118)))
    s["fqdn_bad_label"] = dhcp(3, opt(81, b"\x04\x00\x00\x40" + b"a" * 64))
    s["hostname_junk"] = dhcp(1, opt(12, b"..\xff\x00x") + PRL)
    s["empty"] = b""
    return s, good


def check_with_scapy(good):
    from scapy.layers.dhcp import BOOTP, DHCP
    for name, data in good.items():
        p = BOOTP(data)
        if p.xid == 0:
            sys.exit("%s: scapy sees no xid" % name)
        if data[236:240] == COOKIE and DHCP not in p:
            sys.exit("%s: scapy sees no DHCP options" % name)


def frame():
    from scapy.layers.dhcp import BOOTP, DHCP
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    payload = bytes(BOOTP(op=2, xid=0x12345678, yiaddr="192.168.1.100",
                          chaddr=MAC.ljust(16, b"\0")) /
                    DHCP(options=[("message-type", "offer"), "end"]))
    f = (Ether(src="02:00:00:00:00:fe", dst=MAC.hex(":"), type=0x0800) /
         IP(src="192.168.1.1", dst="192.168.1.100", ttl=64, flags="DF",
            id=0) / UDP(sport=67, dport=68) / payload)
    data = bytes(f)
    hdrs = 14 + 20 + 8
    if data[hdrs:] != payload or len(payload) != 244:
        sys.exit("scapy laid out the payload otherwise")
    # the payload is easy to make again in C: only the headers are printed
    print("/* made by make_dhcp_seeds.py --frame (scapy), %d-byte payload */"
          % len(payload))
    print("static const uint8_t scapy_headers[%d] = {" % hdrs)
    for i in range(0, hdrs, 8):
        print("\t" + ", ".join("0x%02x" % b
                                for b in data[i:min(i + 8, hdrs)]) + ",")
    print("};")


def main():
    if "--frame" in sys.argv[1:]:
        frame()
        return
    s, good = seeds()
    check_with_scapy(good)
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(s.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(s), OUT))


if __name__ == "__main__":
    main()
