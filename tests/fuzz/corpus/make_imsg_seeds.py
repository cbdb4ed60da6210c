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
# Writes the seed corpus of fuzz_imsg: imsg frames as a peer would send
# them (header in host byte order, then payload), good and bad.  Payload
# sizes are those of common/proto.h on LP64 Linux (x86_64, aarch64).
# Run from anywhere: ./make_imsg_seeds.py

import os
import socket
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_imsg")

# enum imsg_type
CONF_BEGIN, CONF_LISTEN, CONF_FORWARDER, CONF_END = 1, 2, 3, 4
LOG_VERBOSE, CTL_SHOW_STATUS, CTL_RELOAD = 5, 6, 7
CTL_ENGINE_STATUS, CTL_RESULT = 8, 9
CONF_DOMAIN, CONF_RECORDS = 10, 11
CTL_SHOW_CACHE, CTL_FLUSH_CACHE, CTL_SHOW_STATS = 12, 13, 14
CTL_CACHE_ENTRY, CTL_DNS_STATS, CTL_FORWARDER_STATS = 15, 16, 17

# enum domain_kind, enum record_kind, msg_conf_begin.flags
DOMAIN_LOCAL, DOMAIN_REBIND_OK, DOMAIN_OWN = 1, 2, 3
RECORD_EXACT, RECORD_SUBTREE, RECORD_NXDOMAIN = 1, 2, 3
DNS_BLOCK_REBIND, DNS_RANDOM_CASE = 0x0004, 0x0008

HDR_SIZE = 20
MAX_PAYLOAD = 64 * 1024 + 1024
MAX_FRAME = HDR_SIZE + MAX_PAYLOAD
IMSGF_HASFD = 0x0001
PID = 4242


def hdr(itype, length, flags=0, peerid=0):
    return struct.pack("=IIIII", itype, length, flags, peerid, PID)


def frame(itype, payload=b"", flags=0, peerid=0):
    return hdr(itype, HDR_SIZE + len(payload), flags, peerid) + payload


def sockaddr_in(addr, port):
    # struct sockaddr_storage (128 bytes) holding a sockaddr_in
    sin = struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
        socket.inet_aton(addr)
    return sin.ljust(128, b"\0")


def conf_begin(verbose, strategy, cache_size=10000, flags=0):
    return struct.pack("=iIII", verbose, strategy, cache_size, flags)


def domain(kind, name):
    # kind 4, domain 256
    return struct.pack("=I", kind) + name.encode().ljust(256, b"\0")


def wire_name(name):
    out = b""
    for label in name.split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def entry(kind, owner, rtype, rdata=b""):
    # a kind byte, then the record: owner, type, class IN, TTL 0, rdata
    return (bytes([kind]) + wire_name(owner) +
            struct.pack("!HHIH", rtype, 1, 0, len(rdata)) + rdata)


def cache_entry(name, qtype, rcode, ttl, records, hits):
    # name 256, qtype 2, rcode 2, ttl 4, records 4, hits 4
    return name.encode().ljust(256, b"\0") + \
        struct.pack("=HHIII", qtype, rcode, ttl, records, hits)


def dns_stats(*values):
    return struct.pack("=11Q", *values)


def forwarder_stats(addr, port, domain_name, queries, failures, latency, dead):
    # addr 128, domain 256, queries 8, failures 8, latency 4, dead 4
    return (sockaddr_in(addr, port) + domain_name.encode().ljust(256, b"\0") +
            struct.pack("=QQII", queries, failures, latency, dead))


RECORDS = (
    entry(RECORD_EXACT, "router.lan", 1, socket.inet_aton("192.168.1.1")) +
    entry(RECORD_EXACT, "router.lan", 28,
          socket.inet_pton(socket.AF_INET6, "fd00::1")) +
    entry(RECORD_EXACT, "lan", 15, struct.pack("!H", 10) +
          wire_name("mail.lan")) +
    entry(RECORD_EXACT, "lan", 16, b"\x0bv=spf1 -all") +
    entry(RECORD_EXACT, "1.1.168.192.in-addr.arpa", 12,
          wire_name("router.lan")) +
    entry(RECORD_SUBTREE, "ads.example", 1, bytes(4)) +
    entry(RECORD_NXDOMAIN, "tracker.example", 0))


def forwarder(addr, port, domain, from_file):
    # addr 128, domain 256, from_file 4, padding to 392
    return (sockaddr_in(addr, port) + domain.encode().ljust(256, b"\0") +
            struct.pack("=I", from_file)).ljust(392, b"\0")


def engine_status(name, pid, state, uptime, restarts):
    # name 16, pid 4, state 4, uptime 8, restarts 4, padding to 40
    return (name.encode().ljust(16, b"\0") +
            struct.pack("=iIqI", pid, state, uptime, restarts)).ljust(40, b"\0")


def ctl_result(ok, message):
    return struct.pack("=i", ok) + message.encode().ljust(256, b"\0")


SEEDS = {
    # valid frames
    "conf_begin": frame(CONF_BEGIN, conf_begin(1, 1)),
    "conf_transaction": frame(CONF_BEGIN, conf_begin(0, 0)) +
        frame(CONF_FORWARDER, forwarder("10.0.0.53", 53, "example.test", 0)) +
        frame(CONF_END),
    "conf_local": frame(CONF_BEGIN, conf_begin(0, 2, 500,
            DNS_BLOCK_REBIND | DNS_RANDOM_CASE)) +
        frame(CONF_DOMAIN, domain(DOMAIN_OWN, "lan")) +
        frame(CONF_DOMAIN, domain(DOMAIN_LOCAL, "lan")) +
        frame(CONF_DOMAIN, domain(DOMAIN_REBIND_OK, "corp.example")) +
        frame(CONF_RECORDS, RECORDS) +
        frame(CONF_END),
    "records_full": frame(CONF_RECORDS, (entry(RECORD_SUBTREE,
        "ad00000.example", 1, bytes(4)) * 3000)[:MAX_PAYLOAD]),
    "ctl_cache": frame(CTL_SHOW_CACHE, peerid=3) +
        frame(CTL_CACHE_ENTRY, cache_entry("example.com", 1, 0, 300, 1, 4),
            peerid=3) +
        frame(CTL_CACHE_ENTRY, cache_entry("nx.example", 65280, 3, 60, 0, 0),
            peerid=3) +
        frame(CTL_RESULT, ctl_result(1, ""), peerid=3),
    "ctl_stats": frame(CTL_SHOW_STATS, peerid=4) +
        frame(CTL_DNS_STATS, dns_stats(100, 60, 40, 2, 38, 10000, 5, 35, 3,
            1, 0), peerid=4) +
        frame(CTL_FORWARDER_STATS, forwarder_stats("10.0.0.1", 53, "", 30, 2,
            12, 0), peerid=4) +
        frame(CTL_RESULT, ctl_result(1, ""), peerid=4),
    "ctl_flush": frame(CTL_FLUSH_CACHE, peerid=5) +
        frame(CTL_RESULT, ctl_result(1, "cache flushed"), peerid=5),
    "ctl_result": frame(CTL_RESULT, ctl_result(1, "logging verbose")),
    "three_in_a_row": frame(CTL_SHOW_STATUS, peerid=1) +
        frame(CTL_ENGINE_STATUS, engine_status("dns", 1234, 1, 3600, 2)) +
        frame(LOG_VERBOSE, struct.pack("=i", 2), peerid=2),
    # bad frames
    "wrong_size": frame(LOG_VERBOSE, struct.pack("=ii", 1, 0)),
    "conf_begin_old_size": frame(CONF_BEGIN, struct.pack("=iI", 0, 0)),
    "records_empty": frame(CONF_RECORDS),
    "records_too_big": frame(CONF_RECORDS, bytes(MAX_PAYLOAD + 1)),
    "records_cut": frame(CONF_RECORDS, RECORDS[:-7]),
    "domain_short": frame(CONF_DOMAIN, domain(DOMAIN_LOCAL, "lan")[:100]),
    "cache_entry_fd": frame(CTL_CACHE_ENTRY, cache_entry("x", 1, 0, 1, 1, 1),
        flags=IMSGF_HASFD),
    "truncated_header": hdr(CTL_RELOAD, HDR_SIZE)[:11],
    "truncated_payload": frame(CONF_FORWARDER,
        forwarder("10.0.0.1", 53, "", 1))[:HDR_SIZE + 100],
    "len_zero": hdr(CTL_RELOAD, 0),
    "len_huge": hdr(CTL_RESULT, MAX_FRAME + 1) + ctl_result(0, "x"),
    "unknown_flags": frame(CTL_RELOAD, flags=0x0102) +
        frame(CONF_LISTEN, sockaddr_in("127.0.0.1", 53) +
            struct.pack("=II", 1, 0), flags=IMSGF_HASFD),
}


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
