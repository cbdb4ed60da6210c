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
"""Write the seed corpus of fuzz_server into corpus/fuzz_server.

An input of fuzz_server is a series of records: a control byte, a
big-endian length and a packet.  The control byte: bits 0-1 the
interface (0 LAN 192.168.1.1/24 with the relayed 10.60.0.0/24, 1 SMALL
172.20.0.1/24 with ping check, 2 an interface the server does not know),
bit 2 unicast, bits 3-5 the step of the clock before the packet (0, 1,
10, 59, 61, 300, 3600, 86400 s), bit 6 run the expiry first, bit 7
commit after.

Each seed of fuzz_dhcp (written by make_dhcp_seeds.py, whose packet
helpers this script uses) becomes a one-record input, and the scenarios
below walk the server's paths: DORA, renew, rebind, release, decline,
INIT-REBOOT, INFORM, BOOTP, relays, static hosts, ping checks,
exhaustion and expiry.  Files this script does not know (reproducers
the fuzzer found) are left alone.

Run with /usr/bin/python3.
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fuzz_server")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the tree

import make_dhcp_seeds as w  # noqa: E402

LAN, SMALL, UNKNOWN = 0, 1, 2
UNICAST = 0x04
EXPIRE = 0x40
COMMIT = 0x80
SID = w.opt(54, w.ip("192.168.1.1"))


def step(i):
    return i << 3


def rec(pkt, ctl=0):
    return bytes([ctl]) + struct.pack("!H", len(pkt)) + pkt


def mac(n):
    return bytes([2, 0, 0, 0, 1, n])


def req50(addr):
    return w.opt(50, w.ip(addr))


def dora(n, addr, ctl=LAN, extra=b"", xid=None, sid=SID, **kw):
    xid = xid if xid is not None else 0x5000 + 2 * n
    kw.setdefault("chaddr", mac(n))
    return (rec(w.dhcp(1, w.PRL + extra, xid=xid, **kw), ctl)
            + rec(w.dhcp(3, req50(addr) + sid + w.PRL + extra, xid=xid,
                         **kw), ctl | COMMIT))


def scenarios():
    s = {}
    s["dora"] = dora(1, "192.168.1.100", extra=w.HOSTNAME)
    s["dora_renew_rebind_release"] = (
        dora(2, "192.168.1.100")
        + rec(w.dhcp(3, w.PRL, chaddr=mac(2), ciaddr="192.168.1.100"),
              LAN | UNICAST | step(5) | COMMIT)
        + rec(w.dhcp(3, w.PRL, chaddr=mac(2), ciaddr="192.168.1.100"),
              LAN | step(5) | COMMIT)
        + rec(w.dhcp(7, SID, chaddr=mac(2), ciaddr="192.168.1.100"),
              LAN | UNICAST | COMMIT)
        + dora(3, "192.168.1.101"))
    s["decline"] = (
        dora(4, "192.168.1.100")
        + rec(w.dhcp(4, req50("192.168.1.100") + SID, chaddr=mac(4)),
              LAN | COMMIT)
        + dora(4, "192.168.1.101")
        + rec(w.dhcp(1, w.PRL, chaddr=mac(5)), LAN | step(6) | EXPIRE))
    s["init_reboot"] = (
        dora(6, "192.168.1.100")
        + rec(w.dhcp(3, req50("192.168.1.100"), chaddr=mac(6)), LAN)
        + rec(w.dhcp(3, req50("10.99.0.5"), chaddr=mac(6)), LAN)
        + rec(w.dhcp(3, req50("192.168.1.100"), chaddr=mac(7)), LAN)
        + rec(w.dhcp(3, req50("192.168.1.115"), chaddr=mac(7)),
              LAN | COMMIT))
    s["other_server"] = (
        rec(w.dhcp(1, w.PRL, chaddr=mac(8)), LAN)
        + rec(w.dhcp(3, req50("192.168.1.100") +
                     w.opt(54, w.ip("192.168.1.254")), chaddr=mac(8)), LAN))
    s["inform"] = (
        rec(w.dhcp(8, w.PRL, ciaddr="192.168.1.77"), LAN | UNICAST)
        + rec(w.dhcp(8, w.PRL, ciaddr="10.60.0.9"), LAN | UNICAST)
        + rec(w.dhcp(8, w.PRL), LAN))
    bootp_static = w.fixed(xid=0xb0070001).ljust(300, b"\0")
    bootp_dyn = w.fixed(xid=0xb0070003, chaddr=mac(9)).ljust(300, b"\0")
    s["bootp"] = (rec(bootp_static, LAN | COMMIT) + rec(bootp_dyn, LAN)
                  + rec(bootp_dyn, LAN | step(7) | EXPIRE | COMMIT)
                  + rec(bootp_dyn, SMALL))
    agent = w.opt(1, b"eth0/1") + w.opt(2, bytes.fromhex("0a0b0c0d0e0f"))
    s["relay"] = (dora(10, "10.60.0.100", extra=w.opt(82, agent),
                       giaddr="10.60.0.1", hops=1)
                  + rec(w.dhcp(1, w.PRL, chaddr=mac(11), giaddr="10.60.0.1"),
                        UNKNOWN)
                  + rec(w.dhcp(1, w.PRL, chaddr=mac(11), giaddr="10.77.0.1"),
                        LAN)
                  + rec(w.dhcp(3, req50("192.168.1.100"), chaddr=mac(11),
                               giaddr="10.60.0.1"), LAN))
    s["hosts"] = (
        dora(0, "192.168.1.10", chaddr=w.MAC)
        + dora(12, "192.168.1.11",
               extra=w.opt(61, bytes([1, 2, 0, 0, 0, 0, 3])))
        + rec(w.dhcp(1, w.opt(61, b"\0abc"), chaddr=mac(13),
                     giaddr="10.60.0.1"), LAN)
        + rec(w.dhcp(3, req50("192.168.1.110"), chaddr=mac(14)), LAN))
    # even xid: nobody answers the ping; odd: someone does
    s["ping_quiet"] = dora(20, "172.20.0.10", ctl=SMALL, xid=0x100,
                           sid=w.opt(54, w.ip("172.20.0.1")))
    s["ping_answered"] = (
        rec(w.dhcp(1, w.PRL, chaddr=mac(21), xid=0x101), SMALL)
        + rec(w.dhcp(1, w.PRL, chaddr=mac(22), xid=0x102),
              SMALL | step(3) | EXPIRE))
    many = b""
    for n in range(30, 36):
        many += dora(n, "172.20.0.%d" % (10 + n - 30), ctl=SMALL,
                     xid=0x200 + 2 * n, sid=w.opt(54, w.ip("172.20.0.1")))
    s["exhaustion_expiry"] = (
        many + rec(w.dhcp(1, w.PRL, chaddr=mac(40), xid=0x400),
                   SMALL | step(6) | step(1) | EXPIRE | COMMIT))
    s["odd_places"] = (
        rec(w.dhcp(1, w.PRL, chaddr=mac(42)), UNKNOWN)
        + rec(w.dhcp(3, w.PRL, chaddr=mac(42), ciaddr="172.31.9.9"), LAN)
        + rec(w.dhcp(3, w.PRL, chaddr=mac(42), ciaddr="172.31.9.9"),
              LAN | UNICAST)
        + rec(w.dhcp(3, w.PRL, chaddr=mac(42), ciaddr="192.168.1.119"),
              LAN | UNICAST)
        + rec(w.dhcp(4, w.opt(54, w.ip("192.168.1.9")), chaddr=mac(42)),
              LAN)
        + rec(w.dhcp(1, w.opt(51, struct.pack("!I", 30)), chaddr=mac(43)),
              LAN))
    s["fqdn"] = dora(41, "192.168.1.100",
                     extra=w.opt(81, b"\x01\x00\x00box.example"))
    return s


def main():
    s, _ = w.seeds()
    out = {}
    for name, data in s.items():
        out["wire_" + name] = rec(data, LAN)
    out.update(scenarios())
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(out.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(out), OUT))


if __name__ == "__main__":
    main()
