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

and, for the cache, local-name and anti-spoofing tests:

  short*.D           A    198.51.100.N with a TTL of 2 s
  alias.D            CNAME alias2.D, alias2.D CNAME www.D, and www.D's
                     records (alias2.D alone: CNAME www.D and those)
  nxsoattl*.D        NXDOMAIN, SOA in authority: TTL 2, MINIMUM 300
  nxsoa*.D           NXDOMAIN, SOA in authority: TTL 300, MINIMUM 2
  nodata*.D          NOERROR, no answer, SOA: TTL 300, MINIMUM 2
  priv10.D ...       private, loopback and link-local addresses (rebind):
                     priv10 A 10.1.2.3, priv172 A 172.16.5.5, priv192 A
                     192.168.1.1, priv127 A 127.0.0.1, priv169 A
                     169.254.1.1, privfd AAAA fd00::1, privlo6 AAAA ::1,
                     privfe80 AAAA fe80::1
  public.D           A 203.0.113.5, AAAA 2001:db8::5
  oob.D              A 192.0.2.77, and in the answer section also
                     evil.example. A 203.0.113.66 (out of bailiwick)
  oobadd.D           A 192.0.2.78, and in the additional section
                     evil2.example. A 203.0.113.66

Over UDP an answer bigger than the client's size (512 without EDNS) is
truncated (TC=1, no records).  Every query is logged as one JSON line.

Modes: --truncate-udp (every UDP answer has TC=1 and no records),
--refuse, --servfail, --drop (never answer), --big (every TXT answer is
big), --bad-id (answer with the wrong ID), --bad-question (answer for
another name), --wrong-port (answer from another source port),
--lower-answer (the question and owner names of the answer in lower case,
whatever case the query had), --delay=S (every answer S seconds late).
The log holds the name as sent too (qraw), case and all.
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
SHORT_TTL = 2
NEG_LONG, NEG_SHORT = 300, 2	# SOA TTL and MINIMUM of negative answers
REBIND = {
    "priv10": (dns.rdatatype.A, "10.1.2.3"),
    "priv172": (dns.rdatatype.A, "172.16.5.5"),
    "priv192": (dns.rdatatype.A, "192.168.1.1"),
    "priv127": (dns.rdatatype.A, "127.0.0.1"),
    "priv169": (dns.rdatatype.A, "169.254.1.1"),
    "privfd": (dns.rdatatype.AAAA, "fd00::1"),
    "privlo6": (dns.rdatatype.AAAA, "::1"),
    "privfe80": (dns.rdatatype.AAAA, "fe80::1"),
}


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

    def rr(self, qname, rdtype, *texts, ttl=TTL):
        rrs = dns.rrset.RRset(qname, dns.rdataclass.IN, rdtype)
        for t in texts:
            rrs.add(dns.rdata.from_text(dns.rdataclass.IN, rdtype, t),
                    ttl)
        return rrs

    def soa(self, qname, ttl, minimum):
        """The SOA of a negative answer, owned by the name's parent."""
        owner = qname.parent() if len(qname.labels) > 1 else qname
        return self.rr(owner, dns.rdatatype.SOA,
                       "ns.%s hostmaster.%s 1 3600 600 86400 %d" %
                       (owner.to_text(), owner.to_text(), minimum), ttl=ttl)

    def extra_records(self, qname, qtype, first):
        """(rcode, answer, authority, additional) for the names that need
        more than an answer section, or None."""
        parent = qname.parent()
        idx = self.args.index
        www = dns.name.Name((b"www",) + parent.labels)
        if first in ("alias", "alias2"):
            ans = []
            if first == "alias":
                a2 = dns.name.Name((b"alias2",) + parent.labels)
                ans.append(self.rr(qname, dns.rdatatype.CNAME, a2.to_text()))
                src = a2
            else:
                src = qname
            ans.append(self.rr(src, dns.rdatatype.CNAME, www.to_text()))
            if qtype == dns.rdatatype.CNAME:
                return dns.rcode.NOERROR, ans[:1], [], []
            if qtype == dns.rdatatype.A:
                ans.append(self.rr(www, qtype, "192.0.2.%d" % idx))
            elif qtype == dns.rdatatype.AAAA:
                ans.append(self.rr(www, qtype, "2001:db8::%x" % idx))
            return dns.rcode.NOERROR, ans, [], []
        if first.startswith("short"):
            if qtype == dns.rdatatype.A:
                return dns.rcode.NOERROR, [self.rr(
                    qname, qtype, "198.51.100.%d" % idx, ttl=SHORT_TTL)], \
                    [], []
            return dns.rcode.NOERROR, [], [], []
        if first.startswith("nxsoattl"):
            return dns.rcode.NXDOMAIN, [], [self.soa(qname, NEG_SHORT,
                                                     NEG_LONG)], []
        if first.startswith("nxsoa"):
            return dns.rcode.NXDOMAIN, [], [self.soa(qname, NEG_LONG,
                                                     NEG_SHORT)], []
        if first.startswith("nodata"):
            return dns.rcode.NOERROR, [], [self.soa(qname, NEG_LONG,
                                                    NEG_SHORT)], []
        if first in REBIND:
            t, addr = REBIND[first]
            if qtype == t:
                return dns.rcode.NOERROR, [self.rr(qname, t, addr)], [], []
            return dns.rcode.NOERROR, [], [], []
        if first == "public":
            data = {dns.rdatatype.A: "203.0.113.5",
                    dns.rdatatype.AAAA: "2001:db8::5"}.get(qtype)
            if data is None:
                return dns.rcode.NOERROR, [], [], []
            return dns.rcode.NOERROR, [self.rr(qname, qtype, data)], [], []
        if first in ("oob", "oobadd") and qtype == dns.rdatatype.A:
            evil = dns.name.from_text("evil.example." if first == "oob"
                                      else "evil2.example.")
            own = self.rr(qname, qtype, "192.0.2.77" if first == "oob"
                          else "192.0.2.78")
            bad = self.rr(evil, dns.rdatatype.A, "203.0.113.66")
            if first == "oob":
                return dns.rcode.NOERROR, [own, bad], [], []
            return dns.rcode.NOERROR, [own], [], [bad]
        return None

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
        if first and first not in table:
            extra = self.extra_records(qname, qtype, first)
            if extra is not None:
                return extra
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
                 qraw=qname.to_text() if qname else None,
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
                got = self.answer_records(qname, qtype, origin)
                r.set_rcode(got[0])
                r.answer.extend(got[1])
                if len(got) > 2:
                    r.authority.extend(got[2])
                    r.additional.extend(got[3])
        if a.lower_answer and qname is not None:
            self.lower_names(r)
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
    def lower_names(r):
        """The question and every owner name in lower case."""
        def low(rrs):
            out = dns.rrset.RRset(
                dns.name.from_text(rrs.name.to_text().lower()),
                rrs.rdclass, rrs.rdtype)
            for rd in rrs:
                out.add(rd, rrs.ttl)
            return out
        r.question = [low(rrs) for rrs in r.question]
        r.answer = [low(rrs) for rrs in r.answer]

    @staticmethod
    def truncated(r):
        r.answer = []
        r.authority = []
        r.additional = []
        r.flags |= dns.flags.TC
        return r.to_wire()

    def delay_of(self, wire):
        """Queries for names starting with "slow" wait SLOW_S; with
        --delay every answer waits that long at least."""
        base = self.args.delay or 0
        try:
            q = dns.message.from_wire(wire)
            first = q.question[0].name.labels[0].lower()
        except Exception:
            return base
        return max(base, SLOW_S if first.startswith(b"slow") else 0)

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
              "bad-id", "bad-question", "wrong-port", "lower-answer"):
        p.add_argument("--" + m, action="store_true")
    p.add_argument("--delay", type=float, default=0,
                   help="seconds every answer waits")
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
