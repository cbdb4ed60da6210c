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
"""The DHCP engine driven by hand-made packets and by perfdhcp: relayed
requests, BOOTP, malformed packets, the lease database under load and
kill -9, and the checking of dhcp blocks by moatd -n."""
import ipaddress
import os
import random
import select
import socket
import struct
import subprocess
import time

import pytest

import moathelp
from dhcphelp import ACK, CLIENT_IF, DISCOVER, OFFER, REQUEST, \
    SERVER_ADDR, bootp, dhcp, dhcp_block, dmoatd, dnet, ip4, \
    mac_bytes, opt_addrs, options, parse_bootp  # noqa: F401 (fixtures)
from moathelp import moatd_check, pid_alive, wait_until

BASE = [
    "range 10.77.0.100 10.77.0.149",
    "lease time 10m",
    "option router 10.77.0.1",
    "option dns-server 10.77.0.1",
    'option domain-name "lan"',
]


def in_range(addr, first, last):
    a = ipaddress.ip_address(addr)
    return ipaddress.ip_address(first) <= a <= ipaddress.ip_address(last)


# ------------------------------------------------- sockets in a namespace

def udp_socket(ns, addr, port):
    s = ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((addr, port))
    return s


def packet_socket(ns, ifname=CLIENT_IF):
    with ns.entered():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(0x0003))
        s.bind((ifname, 0))
    return s


def collect(s, read_one, timeout, want):
    """What read_one(s) makes of each datagram, leaving out None, until
    want were read or timeout seconds passed."""
    got = []
    end = time.monotonic() + timeout
    while len(got) < want:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        item = read_one(s)
        if item is not None:
            got.append(item)
    return got


def udp_replies(s, xid, timeout=3.0, want=1):
    """Replies (op 2) with xid read from a UDP socket: [(reply, src)]."""
    def read_one(sock):
        data, src = sock.recvfrom(65535)
        p = parse_bootp(data)
        if p is not None and p["op"] == 2 and p["xid"] == xid:
            return (p, src)
        return None
    return collect(s, read_one, timeout, want)


def frame(payload, src_mac, src="0.0.0.0", dst="255.255.255.255"):
    from scapy.all import IP, UDP, Ether, Raw
    f = Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff") / \
        IP(src=src, dst=dst, ttl=64) / UDP(sport=68, dport=67) / \
        Raw(payload)
    return bytes(f)


def l2_replies(s, xid, timeout=3.0, want=1):
    """Replies (op 2, UDP to port 68) with xid seen on a packet socket:
    [(reply, ip destination, ethernet destination)]."""
    from scapy.all import IP, UDP, Ether

    def read_one(sock):
        e = Ether(sock.recv(65535))
        if UDP not in e or e[UDP].dport != 68:
            return None
        p = parse_bootp(bytes(e[UDP].payload))
        if p is not None and p["op"] == 2 and p["xid"] == xid:
            return (p, e[IP].dst, e.dst)
        return None
    return collect(s, read_one, timeout, want)


# ------------------------------------------------- 7. relay and BOOTP

RELAY = "10.78.0.1"
SUBNET_LINES = [
    "subnet 10.78.0.0/24 {",
    "\trange 10.78.0.100 10.78.0.150",
    "\toption router 10.78.0.1",
    "}",
]
BOOTP_MAC = "02:77:bb:00:00:01"
BOOTP_LINES = [
    "bootp range 10.77.0.200 10.77.0.209",
    'host "bootme" { hardware ethernet %s; address 10.77.0.20 }' % BOOTP_MAC,
]
AGENT = options((1, b"circuit-7"), (2, b"\x02\x77\xaa\xbb\xcc\xdd"),
                end=False)


@pytest.fixture
def relayed(dnet, dmoatd):
    """moatd with a relayed subnet, and a relay (10.77.0.2 on the
    segment, 10.78.0.1 its other side) in a client namespace."""
    c = dnet.add_client(addrs=["10.77.0.2/24", "%s/24" % RELAY])
    dnet.server.ip("route", "add", "10.78.0.0/24", "via", "10.77.0.2")
    m = dmoatd(BASE + SUBNET_LINES + BOOTP_LINES)
    return m, c


def test_relayed_discover_request(relayed):
    m, c = relayed
    s = udp_socket(c.ns, RELAY, 67)
    try:
        chaddr = "02:77:78:00:00:01"
        xid = 0x7801
        s.sendto(dhcp(DISCOVER, (82, AGENT), xid=xid, chaddr=chaddr,
                      giaddr=RELAY, hops=1), (SERVER_ADDR, 67))
        got = udp_replies(s, xid)
        assert got, "no answer to a relayed DISCOVER; log:\n" + m.log
        offer, src = got[0]
        assert src == (SERVER_ADDR, 67), src
        assert offer["type"] == OFFER, offer
        assert offer["giaddr"] == RELAY and offer["chaddr"] == chaddr
        addr = offer["yiaddr"]
        assert in_range(addr, "10.78.0.100", "10.78.0.150"), addr
        o = offer["options"]
        assert opt_addrs(o[3]) == [RELAY], o
        assert opt_addrs(o[1]) == ["255.255.255.0"], o
        assert o.get(82) == AGENT, "option 82 not echoed: %r" % o.get(82)
        server_id = o[54]
        # the REQUEST of that offer
        s.sendto(dhcp(REQUEST, (50, ip4(addr)), (54, server_id),
                      (82, AGENT), xid=xid + 1, chaddr=chaddr,
                      giaddr=RELAY, hops=1), (SERVER_ADDR, 67))
        got = udp_replies(s, xid + 1)
        assert got, "no answer to a relayed REQUEST; log:\n" + m.log
        ack, src = got[0]
        assert src == (SERVER_ADDR, 67)
        assert ack["type"] == ACK and ack["yiaddr"] == addr, ack
        o = ack["options"]
        assert opt_addrs(o[3]) == [RELAY] and o.get(82) == AGENT, o
        assert struct.unpack("!I", o[51])[0] == 600, o
        e = wait_until(lambda: m.lease(addr), 3, what="the relayed lease")
        assert e["state"] == "bound" and e["hwaddr"] == chaddr, e
    finally:
        s.close()


def test_bootp(relayed):
    m, c = relayed
    s = packet_socket(c.ns)
    try:
        # a static host, sending an RFC 951 request: no magic cookie at all
        xid = 0xb0b1
        s.send(frame(bootp(xid=xid, chaddr=BOOTP_MAC, cookie=False),
                     BOOTP_MAC))
        got = l2_replies(s, xid)
        assert got, "no answer to BOOTP from a static host; log:\n" + m.log
        r = got[0][0]
        assert r["yiaddr"] == "10.77.0.20" and r["type"] == 0, r
        assert 53 not in r["options"], "a BOOTP reply with a DHCP type"
        # a dynamic client: magic cookie and no option but END
        mac = "02:77:bb:00:00:02"
        xid = 0xb0b2
        s.send(frame(bootp(xid=xid, chaddr=mac), mac))
        got = l2_replies(s, xid)
        assert got, "no answer to BOOTP from a dynamic client; log:\n" + \
            m.log
        r = got[0][0]
        dyn = r["yiaddr"]
        assert in_range(dyn, "10.77.0.200", "10.77.0.209"), r
        assert 53 not in r["options"]
        assert r["options"].get(3) == ip4("10.77.0.1"), r["options"]
        # asked again, the same address
        s.send(frame(bootp(xid=xid + 1, chaddr=mac), mac))
        got = l2_replies(s, xid + 1)
        assert got and got[0][0]["yiaddr"] == dyn
        e = wait_until(lambda: m.lease(dyn), 3, what="the BOOTP lease")
        assert e["state"] == "bound" and e["hwaddr"] == mac, e
        assert e["expires"] is None, "a BOOTP lease expires: %r" % e
        rows = [w for w in m.leases_text() if w[0] == dyn]
        assert rows and rows[0][-1] == "never", rows
        # DHCP clients never get the BOOTP range
        xid = 0xd1
        s.send(frame(dhcp(DISCOVER, xid=xid, chaddr="02:77:bb:00:00:03"),
                     "02:77:bb:00:00:03"))
        got = l2_replies(s, xid)
        assert got and in_range(got[0][0]["yiaddr"], "10.77.0.100",
                                "10.77.0.149"), got
    finally:
        s.close()


# ------------------------------------------------------ 8. malformed

def valid_discover(xid, mac):
    return dhcp(DISCOVER, (61, b"\x01" + mac_bytes(mac)),
                (55, bytes([1, 3, 6, 15, 51, 54])), (12, b"fuzzy"),
                xid=xid, chaddr=mac)


def crafted(mac):
    """Hand-made bad packets, each named for the report."""
    good = valid_discover(0x6600, mac)
    head = good[:236]
    out = [("empty", b""), ("one byte", b"\x01")]
    for n in (10, 100, 235, 236, 237, 239, 240, 241, 243):
        out.append(("truncated to %d" % n, good[:n]))
    out.append(("bad magic cookie", head + b"\x63\x82\x53\x64" + good[240:]))
    bad_hlen = bytearray(good)
    bad_hlen[2] = 255
    out.append(("hlen 255", bytes(bad_hlen)))
    bad_htype = bytearray(good)
    bad_htype[1] = 0
    bad_htype[2] = 0
    out.append(("htype 0 hlen 0", bytes(bad_htype)))
    out.append(("option length past the end",
                head + b"\x63\x82\x53\x63\x35\x01\x01\x0c\xff" + b"ab"))
    out.append(("option 53 without value", head + b"\x63\x82\x53\x63\x35"))
    out.append(("option 53 length 0",
                head + b"\x63\x82\x53\x63\x35\x00\xff"))
    out.append(("option 53 length 4",
                head + b"\x63\x82\x53\x63\x35\x04\x01\x01\x01\x01\xff"))
    out.append(("options without END",
                head + b"\x63\x82\x53\x63\x35\x01\x01" + b"\x00" * 40))
    out.append(("message type 0", dhcp(0, xid=0x6601, chaddr=mac)))
    out.append(("message type 255", dhcp(255, xid=0x6602, chaddr=mac)))
    out.append(("op 2 from a client", bootp(op=2, opts=options(
        (53, b"\x01")), chaddr=mac)))
    out.append(("op 7", bootp(op=7, opts=options((53, b"\x01")),
                              chaddr=mac)))
    # overload: option 52 says file and sname hold options, and they
    # say so again, pointing back at each other
    loop = b"\x34\x01\x03\xff"
    sname = loop.ljust(64, b"\0")
    file = loop.ljust(128, b"\0")
    out.append(("overload loop", bootp(
        opts=options((53, b"\x01"), (52, b"\x03")), chaddr=mac,
        sname=sname, file=file)))
    out.append(("overload into garbage", bootp(
        opts=options((53, b"\x01"), (52, b"\x03")), chaddr=mac,
        sname=b"\x0c\xff" + b"x" * 62, file=b"\x37\x90" + b"\x01" * 126)))
    out.append(("overload value 0 and 9", bootp(
        opts=options((53, b"\x01"), (52, b"\x00"), (52, b"\x09")),
        chaddr=mac)))
    out.append(("long option 81", dhcp(DISCOVER, (81, b"\x00\x00\x00" +
                                                  b"\x3f" + b"a" * 200),
                                       chaddr=mac)))
    out.append(("option 81 with a label past its end",
                dhcp(DISCOVER, (81, b"\x04\x00\x00\x3f\x61"), chaddr=mac)))
    out.append(("option 12 with NULs and dots",
                dhcp(DISCOVER, (12, b"a\0b.c..\xff"), chaddr=mac)))
    out.append(("option 61 of 255 bytes",
                dhcp(DISCOVER, (61, b"\x00" * 255), chaddr=mac)))
    out.append(("option 50 of 3 bytes",
                dhcp(REQUEST, (50, b"\x0a\x4d\x00"), chaddr=mac)))
    out.append(("option 54 of 2 bytes",
                dhcp(REQUEST, (54, b"\x0a\x4d"), (50, ip4("10.77.0.100")),
                     chaddr=mac)))
    out.append(("REQUEST for a broadcast address",
                dhcp(REQUEST, (50, ip4("10.77.0.255")), chaddr=mac)))
    out.append(("option 82 with bad sub-options",
                dhcp(DISCOVER, (82, b"\x01\xff\x02"), chaddr=mac,
                     giaddr="10.77.0.2")))
    rnd = random.Random(6)
    out.append(("1500 random bytes",
                bytes(rnd.getrandbits(8) for _ in range(1500))))
    out.append(("random after the cookie", head + b"\x63\x82\x53\x63" +
                bytes(rnd.getrandbits(8) for _ in range(1000))))
    return out


def mutations(mac, n, seed=6):
    """n seeded random mutations of a valid DISCOVER."""
    rnd = random.Random(seed)
    good = bytearray(valid_discover(0x6700, mac))
    for i in range(n):
        p = bytearray(good)
        struct.pack_into("!I", p, 4, 0x67000000 + i)
        for _ in range(rnd.randint(1, 6)):
            what = rnd.randrange(6)
            at = rnd.randrange(len(p)) if p else 0
            if what == 0 and p:
                p[at] = rnd.getrandbits(8)
            elif what == 1 and p:
                # an option area byte: lengths and codes
                at = 240 + rnd.randrange(max(1, min(len(p) - 240, 40)))
                if at < len(p):
                    p[at] = rnd.choice([0, 1, 52, 53, 55, 61, 81, 82, 255,
                                        rnd.getrandbits(8)])
            elif what == 2:
                del p[rnd.randrange(len(p) + 1):]
            elif what == 3:
                p[at:at] = bytes(rnd.getrandbits(8)
                                 for _ in range(rnd.randint(1, 64)))
            elif what == 4 and len(p) > 2:
                p[1:3] = bytes([rnd.getrandbits(8), rnd.getrandbits(8)])
            else:
                p[240:240] = bytes([52, 1, rnd.randint(0, 4)])
        yield bytes(p[:1500])


def test_malformed_packets_dropped(dnet, dmoatd):
    m = dmoatd(BASE)
    c = dnet.add_client(addrs=["10.77.0.2/24"])
    eng = m.dhcp_pid()
    dns_eng = m.engine_pid()
    s = udp_socket(c.ns, "10.77.0.2", 68)
    raw = packet_socket(c.ns)
    sent = 0
    try:
        cases = crafted(c.mac)
        cases += [("mutation %d" % i, p)
                  for i, p in enumerate(mutations(c.mac, 400))]
        for i, (name, pkt) in enumerate(cases):
            if i % 3 == 0:
                s.sendto(pkt, (SERVER_ADDR, 67))
            elif i % 3 == 1:
                s.sendto(pkt, ("255.255.255.255", 67))
            else:
                raw.send(frame(pkt, c.mac))
            sent += 1
            if i % 50 == 49:
                time.sleep(0.05)
                assert pid_alive(eng), "the DHCP engine died after %r\n" \
                    "log:\n%s" % (name, m.log)
        time.sleep(1.0)
        # each way the packets went reaches the engine: a valid DISCOVER
        # sent each way is answered
        raw.setblocking(False)
        try:
            while raw.recv(65535):
                pass
        except BlockingIOError:
            pass
        raw.setblocking(True)
        for i, how in enumerate(("unicast", "broadcast", "raw")):
            xid = 0x6e00 + i
            probe = valid_discover(xid, "02:77:6e:00:00:%02x" % i)
            if how == "unicast":
                s.sendto(probe, (SERVER_ADDR, 67))
            elif how == "broadcast":
                s.sendto(probe, ("255.255.255.255", 67))
            else:
                raw.send(frame(probe, c.mac))
            got = l2_replies(raw, xid)
            assert got and got[0][0]["type"] == OFFER, \
                "no OFFER to a valid DISCOVER sent %s; log:\n%s" % (how,
                                                                   m.log)
    finally:
        s.close()
        raw.close()
    m.check_alive()
    assert m.dhcp_pid() == eng, "the DHCP engine was replaced after %d " \
        "bad packets; log:\n%s" % (sent, m.log)
    assert m.engine_pid() == dns_eng
    # still serving
    good = dnet.add_client()
    env = good.udhcpc()
    assert in_range(env["ip"], "10.77.0.100", "10.77.0.149"), env
    assert m.lease(env["ip"])["state"] == "bound"
    assert m.dhcp_pid() == eng


# ------------------------------------------- 6. load and kill -9

def acks_in_pcap(path):
    """[(yiaddr, chaddr)] of every DHCPACK in a capture."""
    from scapy.all import UDP, PcapReader
    out = []
    try:
        reader = PcapReader(path)
    except Exception:
        return out
    with reader:
        for pkt in reader:
            if UDP not in pkt:
                continue
            p = parse_bootp(bytes(pkt[UDP].payload))
            if p is not None and p["op"] == 2 and p["type"] == ACK:
                out.append((p["yiaddr"], p["chaddr"]))
    return out


def test_kill9_under_load_keeps_acked_leases(dnet, dmoatd, tmp_path):
    # a /16 beside the /24, for many clients; perfdhcp relays from
    # 10.79.0.2 (giaddr) on the segment
    dnet.server.ip("addr", "add", "10.79.0.1/16", "dev", "dh0")
    m = dmoatd(["range 10.79.1.0 10.79.60.255", "lease time 1h",
                "option router 10.79.0.1"])
    c = dnet.add_client(addrs=["10.79.0.2/16"])
    pcap = os.path.join(str(tmp_path), "acks.pcap")
    tderr = open(os.path.join(str(tmp_path), "tcpdump.err"), "w")
    td = c.ns.popen(["tcpdump", "-i", CLIENT_IF, "-U", "-n", "-s", "0",
                     "-Z", "root", "-w", pcap, "udp port 67"],
                    stdout=subprocess.DEVNULL, stderr=tderr)
    wait_until(lambda: "listening on" in open(tderr.name).read(), 10,
               what="tcpdump to listen")
    perf_out = open(os.path.join(str(tmp_path), "perfdhcp.out"), "w")
    perf = c.ns.popen(["perfdhcp", "-4", "-l", "10.79.0.2", "-r", "500",
                       "-R", "20000", "-n", "4000", "-p", "6",
                       "10.79.0.1"], stdout=perf_out,
                      stderr=subprocess.STDOUT)
    t0 = time.monotonic()
    try:
        # let leases pile up, then kill every moatd process at once,
        # while perfdhcp still sends
        time.sleep(2.5)
        assert perf.poll() is None, "perfdhcp ended before the kill:\n" + \
            open(perf_out.name).read()
        killed = m.kill9()
        took = time.monotonic() - t0
        assert len(killed) >= 3, "parent and two engines: %s" % killed
        # the load goes on a moment against nobody
        time.sleep(0.5)
    finally:
        moathelp.kill_pid(perf.pid, timeout=3, popen=perf)
        time.sleep(0.3)
        moathelp.kill_pid(td.pid, timeout=3, popen=td)
        tderr.close()
        perf_out.close()
    acks = acks_in_pcap(pcap)
    assert len(acks) >= 50, "only %d ACKs under load" % len(acks)
    m.restart()
    leases = {e["address"]: e for e in m.leases()}
    lost = []
    for addr, chaddr in acks:
        e = leases.get(addr)
        if e is None or e["state"] != "bound" or \
                (e["hwaddr"] or "").lower() != chaddr:
            lost.append((addr, chaddr, e))
    print("\nkill -9 under load after %.1f s: %d ACKs captured, %d "
          "distinct, %d leases after restart" % (took, len(acks),
                                                 len(set(acks)),
                                                 len(leases)))
    assert not lost, "%d of %d acknowledged leases lost or changed by " \
        "kill -9, e.g. %s" % (len(lost), len(acks), lost[:5])


def test_log_compacted_under_load(dnet, dmoatd, tmp_path):
    """A few hundred clients asking again and again grow the lease log
    (a record per ACK) past the size at which the engine compacts it
    into a snapshot of the live leases: the engine must live through
    that, inside its sandbox, and keep every lease."""
    dnet.server.ip("addr", "add", "10.79.0.1/16", "dev", "dh0")
    m = dmoatd(["range 10.79.1.0 10.79.60.255", "lease time 1h"])
    pid = m.dhcp_pid()
    c = dnet.add_client(addrs=["10.79.0.2/16"])
    db = os.path.join(m.state, "leases.db")
    perf_out = open(os.path.join(str(tmp_path), "perfdhcp.out"), "w")
    # 300 clients, each binding its lease again at every exchange:
    # about 20,000 records, well past the 1 MB compaction threshold
    perf = c.ns.popen(["perfdhcp", "-4", "-l", "10.79.0.2", "-r", "1500",
                       "-R", "300", "-n", "20000", "-p", "25",
                       "10.79.0.1"], stdout=perf_out,
                      stderr=subprocess.STDOUT)
    biggest = 0
    try:
        deadline = time.monotonic() + 30
        while perf.poll() is None and time.monotonic() < deadline:
            try:
                biggest = max(biggest, os.path.getsize(db))
            except OSError:
                pass
            time.sleep(0.05)
    finally:
        moathelp.kill_pid(perf.pid, timeout=3, popen=perf)
        perf_out.close()
    out = open(perf_out.name).read()
    assert m.dhcp_pid(wait=0) == pid, "the DHCP engine died:\n" + m.log
    assert "killed by signal" not in m.log, m.log
    # it grew, then was compacted to what is live
    final = os.path.getsize(db)
    assert biggest > 1024 * 1024 or final < biggest, \
        "the log never reached the compaction threshold (%d bytes); " \
        "perfdhcp:\n%s" % (biggest, out)
    assert final < 1024 * 1024, "not compacted: %d bytes" % final
    leases = [e for e in m.leases() if e["state"] == "bound"]
    assert 250 <= len(leases) <= 300, "%d bound leases" % len(leases)


# ------------------------------------------------ 9. moatd -n

FULL_EXAMPLE = """lan = "dhtestnone0"
lease hook "/usr/local/libexec/lease-notify"

dns {
	listen on 127.0.0.1
	domain "lan"
	local domain "lan"
}

dhcp on $lan {
	range 192.168.1.100 192.168.1.200
	bootp range 192.168.1.210 192.168.1.220
	lease time 12h
	ping check
	option router 192.168.1.1
	option dns-server 192.168.1.1
	option domain-name "lan"
	option domain-search "lan" "corp.example"
	option interface-mtu 1400
	option ntp-server 192.168.1.1
	option time-offset -3600
	option classless-static-routes 10.0.0.0/8 192.168.1.254 0.0.0.0/0 192.168.1.1
	option 252 "http://wpad.lan/wpad.dat"
	option 224 hex "01:02:ab"
	host "printer" { hardware ethernet 00:11:22:33:44:55; address 192.168.1.10 }
	host "phone" {
		client-id hex "01:aa:bb:cc:dd:ee:ff"
		option bootfile-name "phone.cfg"
	}
	host "tv" { client-id "tv-1"; hardware ethernet 00:11:22:33:44:56 }
	subnet 10.60.0.0/24 {
		range 10.60.0.100 10.60.0.150
		bootp range 10.60.0.200 10.60.0.210
		lease time 90m
		option router 10.60.0.1
	}
}
"""

BAD_BLOCKS = [
    (["range 10.0.0.9 10.0.0.1"], 1, "after"),
    (["range 10.0.0.1 10.0.0.300"], 1, None),
    (["range 127.0.0.1 127.0.0.2"], 1, None),
    (["range 10.0.0.1 10.0.0.9", "range 10.0.0.5 10.0.0.20"], 2, "overlap"),
    (["lease time 1m"], 1, None),
    (["option 53 5"], 1, None),
    (["option 82 hex \"01:02\""], 1, None),
    (["option nosuch 1"], 1, "nosuch"),
    (["option router 10.0.0"], 1, None),
    (["option interface-mtu 20"], 1, None),
    (["option 255 1"], 1, None),
    (['host "x" { address 10.0.0.5 }'], 1, None),
    (['host "a" { hardware ethernet 00:11:22:33:44 }'], 1, None),
    (['host "a" { hardware ethernet 00:11:22:33:44:gg }'], 1, None),
    (['host "a" { hardware ethernet 00:11:22:33:44:55 }',
      'host "a" { hardware ethernet 00:11:22:33:44:56 }'], 2, None),
    (['host "a" { hardware ethernet 00:11:22:33:44:55 }',
      'host "b" { hardware ethernet 00:11:22:33:44:55 }'], 2, None),
    (["subnet 10.1.0.1/24 {", "\trange 10.1.0.10 10.1.0.20", "}"], 1, None),
    (["subnet 10.1.0.0/24 {", "\trange 10.2.0.10 10.2.0.20", "}"], 2, None),
    (["ping check", "bogus statement"], 2, None),
    (['include "/dev/null"'], 1, None),
]


def test_check_example_configs(tmp_path):
    for path in (os.path.join(moathelp.SOURCE, "etc", "moatd.conf"),):
        r = moatd_check("-n", "-f", path)
        assert r.returncode == 0, "%s: %s%s" % (path, r.stdout, r.stderr)
    conf = tmp_path / "full.conf"
    conf.write_text(FULL_EXAMPLE)
    r = moatd_check("-n", "-f", str(conf))
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_rejects_bad_dhcp_blocks(tmp_path):
    failed = []
    for i, (lines, bad, word) in enumerate(BAD_BLOCKS):
        head = ['state directory "%s"' % tmp_path, "dns {",
                "\tlisten on 127.0.0.1", "}", "# the block"]
        text = "\n".join(head + dhcp_block(lines, "dhtest0")) + "\n"
        conf = tmp_path / ("bad%d.conf" % i)
        conf.write_text(text)
        # the block starts after head; its first statement is line +2
        line = len(head) + 1 + bad
        r = moatd_check("-n", "-f", str(conf))
        where = "%s:%d:" % (conf, line)
        if r.returncode != 1 or where not in r.stderr or \
                (word is not None and word not in r.stderr):
            failed.append("%s: exit %d, want %s%s: %s" % (
                lines, r.returncode, where,
                " ... " + word if word else "", r.stderr.strip()))
    assert not failed, "%d of %d bad blocks:\n" % (len(failed),
                                                  len(BAD_BLOCKS)) + \
        "\n".join(failed)
