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

HDR_SIZE = 20
MAX_FRAME = HDR_SIZE + 64 * 1024 + 1024
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


def conf_begin(verbose, strategy):
    return struct.pack("=iI", verbose, strategy)


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
    "ctl_result": frame(CTL_RESULT, ctl_result(1, "logging verbose")),
    "three_in_a_row": frame(CTL_SHOW_STATUS, peerid=1) +
        frame(CTL_ENGINE_STATUS, engine_status("dns", 1234, 1, 3600, 2)) +
        frame(LOG_VERBOSE, struct.pack("=i", 2), peerid=2),
    # bad frames
    "wrong_size": frame(LOG_VERBOSE, struct.pack("=ii", 1, 0)),
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
