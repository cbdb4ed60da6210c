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
"""A small authoritative DNS server for the integration tests.

It answers over UDP and TCP (pipelined queries included) from a built-in
zone that is the same under every origin it serves (--zone, any number;
default: every name).  The first label picks the records:

  who.D              TXT  "server=LABEL"      (which server answered)
  www.D              A    192.0.2.N, AAAA 2001:db8::N  (N from --index)
  mx.D               MX   10 mail.D, 20 mail2.D
  mail.D             A    192.0.2.25
  txt.D              TXT  "hello" "world", "v=spf1 -all"
  _sip._udp.D        SRV  0 5 5060 sip.D
  unknown.D          TYPE65280 \\# 4 deadbeef
  big.D              TXT  more than 1500 bytes
  r*.D               A    198.51.100.N
  nx*.D              NXDOMAIN
  slow*.D            as r*.D, answered after 0.5 s
  *.in-addr.arpa     PTR  LABEL.ptr.example.
  anything else      NXDOMAIN

Over UDP an answer bigger than the client's size (512 without EDNS) is
truncated (TC=1, no records).  Every query is logged as one JSON line.

Modes: --truncate-udp (every UDP answer has TC=1 and no records),
--refuse, --servfail, --drop (never answer), --big (every TXT answer is
big), --bad-id (answer with the wrong ID), --bad-question (answer for
another name), --wrong-port (answer from another source port).
"""
import argparse
import json
import os
import socket
import struct
import sys
import threading

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

BIG_TXT = ["%03d-" % i + "x" * 195 for i in range(9)]	# about 1800 bytes
TTL = 300
SLOW_S = 0.5


class Server:
    def __init__(self, args):
        self.args = args
        self.origins = [dns.name.from_text(z) for z in (args.zone or ["."])]
        self.loglock = threading.Lock()
        self.logf = open(args.log, "a", buffering=1)

    def log(self, **kw):
        kw["label"] = self.args.label
        with self.loglock:
            self.logf.write(json.dumps(kw, sort_keys=True) + "\n")
            self.logf.flush()

    def origin_of(self, qname):
        best = None
        for o in self.origins:
            if qname.is_subdomain(o):
                if best is None or len(o) > len(best):
                    best = o
        return best

    def rr(self, qname, rdtype, *texts):
        rrs = dns.rrset.RRset(qname, dns.rdataclass.IN, rdtype)
        for t in texts:
            rrs.add(dns.rdata.from_text(dns.rdataclass.IN, rdtype, t),
                    TTL)
        return rrs

    def answer_records(self, qname, qtype, origin):
        """Returns (rcode, [rrsets])."""
        a = self.args
        if qname.is_subdomain(dns.name.from_text("in-addr.arpa")) or \
                qname.is_subdomain(dns.name.from_text("ip6.arpa")):
            if qtype in (dns.rdatatype.PTR, dns.rdatatype.ANY):
                return dns.rcode.NOERROR, [self.rr(
                    qname, dns.rdatatype.PTR, "%s.ptr.example." % a.label)]
            return dns.rcode.NOERROR, []
        labels = [lb.decode("ascii", "replace").lower()
                  for lb in qname.labels if lb]
        first = labels[0] if labels else ""
        second = labels[1] if len(labels) > 1 else ""
        parent = qname.parent().to_text() if labels else "."
        bigtxt = " ".join('"%s"' % s for s in BIG_TXT)
        table = {
            "who": {dns.rdatatype.TXT: ['"server=%s"' % a.label]},
            "www": {dns.rdatatype.A: ["192.0.2.%d" % a.index],
                    dns.rdatatype.AAAA: ["2001:db8::%x" % a.index]},
            "mx": {dns.rdatatype.MX: ["10 mail.%s" % parent,
                                      "20 mail2.%s" % parent]},
            "mail": {dns.rdatatype.A: ["192.0.2.25"]},
            "txt": {dns.rdatatype.TXT: ['"hello" "world"',
                                        '"v=spf1 -all"']},
            "_sip": {dns.rdatatype.SRV: ["0 5 5060 sip.%s" %
                                         qname.parent().parent().to_text()
                                         if len(labels) > 1 else "."]},
            "unknown": {65280: ["\\# 4 deadbeef"]},
            "big": {dns.rdatatype.TXT: [bigtxt]},
        }
        if first == "_sip" and second != "_udp":
            first = ""
        if first in table:
            data = table[first].get(qtype)
            if data is None:
                return dns.rcode.NOERROR, []
            if qtype == dns.rdatatype.TXT and a.big:
                data = [bigtxt]
            return dns.rcode.NOERROR, [self.rr(qname, qtype, *data)]
        if first.startswith("nx"):
            return dns.rcode.NXDOMAIN, []
        if first.startswith("r") or first.startswith("slow"):
            if qtype == dns.rdatatype.A:
                return dns.rcode.NOERROR, [self.rr(
                    qname, qtype, "198.51.100.%d" % a.index)]
            return dns.rcode.NOERROR, []
        return dns.rcode.NXDOMAIN, []

    def respond(self, wire, transport, src):
        """The answer to one query, or None to stay silent."""
        try:
            q = dns.message.from_wire(wire)
        except Exception as e:
            self.log(transport=transport, src=src[0], sport=src[1],
                     malformed=str(e), size=len(wire))
            return None
        qname = q.question[0].name if q.question else None
        qtype = q.question[0].rdtype if q.question else None
        self.log(transport=transport, src=src[0], sport=src[1], id=q.id,
                 qname=qname.to_text().lower() if qname else None,
                 qtype=dns.rdatatype.to_text(qtype) if qtype else None,
                 edns=q.edns >= 0, payload=q.payload if q.edns >= 0 else 0,
                 opcode=q.opcode(), size=len(wire))
        a = self.args
        if a.drop:
            return None
        r = dns.message.make_response(q)
        r.flags |= dns.flags.AA
        if a.refuse:
            r.set_rcode(dns.rcode.REFUSED)
        elif a.servfail:
            r.set_rcode(dns.rcode.SERVFAIL)
        elif qname is None:
            r.set_rcode(dns.rcode.FORMERR)
        else:
            origin = self.origin_of(qname)
            if origin is None:
                r.set_rcode(dns.rcode.REFUSED)
                r.flags &= ~dns.flags.AA
            else:
                rcode, rrsets = self.answer_records(qname, qtype, origin)
                r.set_rcode(rcode)
                r.answer.extend(rrsets)
        if a.bad_id:
            r.id = (q.id + 1) & 0xffff
        if a.bad_question and qname is not None:
            r.question = [dns.rrset.RRset(
                dns.name.from_text("spoofed.invalid"), dns.rdataclass.IN,
                qtype)]
            r.answer = [self.rr(r.question[0].name, dns.rdatatype.A,
                                "203.0.113.66")] \
                if qtype == dns.rdatatype.A else []
        if transport == "udp":
            limit = q.payload if q.edns >= 0 else 512
            if a.truncate_udp:
                return self.truncated(r)
            try:
                return r.to_wire(max_size=max(limit, 512))
            except dns.exception.TooBig:
                return self.truncated(r)
        return r.to_wire(max_size=65535)

    @staticmethod
    def truncated(r):
        r.answer = []
        r.authority = []
        r.additional = []
        r.flags |= dns.flags.TC
        return r.to_wire()

    @staticmethod
    def delay_of(wire):
        """Queries for names starting with "slow" wait SLOW_S."""
        try:
            q = dns.message.from_wire(wire)
            first = q.question[0].name.labels[0].lower()
        except Exception:
            return 0
        return SLOW_S if first.startswith(b"slow") else 0

    def send_udp(self, sock, out, src):
        if self.args.wrong_port:
            s2 = socket.socket(sock.family, socket.SOCK_DGRAM)
            s2.bind((self.args.listen, 0))
            s2.sendto(out, src[:2])
            s2.close()
        else:
            sock.sendto(out, src)

    def serve_udp(self, sock):
        while True:
            wire, src = sock.recvfrom(65535)
            out = self.respond(wire, "udp", src)
            if out is None:
                continue
            delay = self.delay_of(wire)
            if delay:
                threading.Timer(delay, self.send_udp,
                                (sock, out, src)).start()
            else:
                self.send_udp(sock, out, src)

    @staticmethod
    def send_tcp(conn, lock, out):
        with lock:
            try:
                conn.sendall(struct.pack("!H", len(out)) + out)
            except OSError:
                pass

    def serve_tcp_conn(self, conn, src):
        lock = threading.Lock()
        buf = b""
        try:
            while True:
                while len(buf) < 2 or len(buf) < 2 + \
                        struct.unpack("!H", buf[:2])[0]:
                    data = conn.recv(65535)
                    if not data:
                        return
                    buf += data
                n = struct.unpack("!H", buf[:2])[0]
                wire, buf = buf[2:2 + n], buf[2 + n:]
                out = self.respond(wire, "tcp", src)
                if out is None:
                    continue
                delay = self.delay_of(wire)
                if delay:
                    threading.Timer(delay, self.send_tcp,
                                    (conn, lock, out)).start()
                else:
                    self.send_tcp(conn, lock, out)
        except OSError:
            pass
        finally:
            conn.close()

    def serve_tcp(self, sock):
        while True:
            conn, src = sock.accept()
            threading.Thread(target=self.serve_tcp_conn, args=(conn, src),
                             daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", required=True)
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--log", required=True)
    p.add_argument("--ready", help="file created once listening")
    p.add_argument("--label", default="upstream")
    p.add_argument("--index", type=int, default=1)
    p.add_argument("--zone", action="append",
                   help="an origin served (default: the root)")
    for m in ("truncate-udp", "refuse", "servfail", "drop", "big",
              "bad-id", "bad-question", "wrong-port"):
        p.add_argument("--" + m, action="store_true")
    args = p.parse_args()

    family = socket.AF_INET6 if ":" in args.listen else socket.AF_INET
    udp = socket.socket(family, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((args.listen, args.port))
    tcp = socket.socket(family, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((args.listen, args.port))
    tcp.listen(64)

    server = Server(args)
    threading.Thread(target=server.serve_udp, args=(udp,),
                     daemon=True).start()
    threading.Thread(target=server.serve_tcp, args=(tcp,),
                     daemon=True).start()
    if args.ready:
        tmp = args.ready + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(tmp, args.ready)
    print("ready", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
