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
"""Upstreams with a cache in front: split DNS for reverse zones, the
strategies (fastest among them), dead forwarders skipped and retried, the
bound on outstanding upstream queries, and identical concurrent queries
coalesced into one upstream query."""
import socket
import time

import dns.exception
import dns.rcode
import dns.reversename

from moathelp import count_queries, json_find, make_query, rrset_texts, \
    send_all_at_once, wait_until

# how long a dead forwarder may stay skipped before moatd tries it again
RETRY_BOUND_S = 40


def ptr_target(client, name):
    r = client.query(name, "PTR")
    assert r.answer, "%s: %s" % (name, r)
    return r.answer[0][0].target.to_text()


def test_split_dns_reverse_longest_suffix(net, client, upstream, moatd):
    # "short" serves 10/8 and fd00::/8, "long" 10.53/16 and fd00:53::/32
    upstream.many([("10.53.0.2", "default"), ("10.53.0.3", "short"),
                   ("10.53.0.4", "long")])
    v6zone = "d.f.ip6.arpa"				# fd00::/8
    v6zone53 = "3.5.0.0.0.0.d.f.ip6.arpa"		# fd00:53::/32
    moatd(dns=["listen on 10.53.0.1", "no hosts file",
               'forwarder 10.53.0.4 for domain "53.10.in-addr.arpa"',
               "forwarder 10.53.0.2",
               'forwarder 10.53.0.3 for domain "10.in-addr.arpa"',
               'forwarder 10.53.0.4 for domain "%s"' % v6zone53,
               'forwarder 10.53.0.3 for domain "%s"' % v6zone])
    cases = {
        "1.0.53.10.in-addr.arpa": "long",
        "1.0.54.10.in-addr.arpa": "short",
        "1.0.0.10.in-addr.arpa": "short",
        "1.0.53.11.in-addr.arpa": "default",
        "53.10.in-addr.arpa": "long",
        "1.153.10.in-addr.arpa": "short",	# labels, not characters
        dns.reversename.from_address("fd00:53::1").to_text(): "long",
        dns.reversename.from_address("fd00:54::1").to_text(): "short",
        dns.reversename.from_address("fc00::1").to_text(): "default",
        dns.reversename.from_address("2001:db8::1").to_text(): "default",
    }
    for name, want in cases.items():
        assert ptr_target(client, name) == "%s.ptr.example." % want, name


def test_split_dns_cached_per_forwarder(net, client, upstream, moatd):
    """A cached answer of one forwarder does not answer a name another
    forwarder is responsible for."""
    d, corp = upstream.many([("10.53.0.2", "default"),
                             ("10.53.0.3", "corp")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               'forwarder 10.53.0.3 for domain "corp.example"'])
    for _ in range(2):
        assert client.who(name="who.example") == "default"
        assert client.who(name="who.corp.example") == "corp"
    assert count_queries(d, "who.example") == 1
    assert count_queries(corp, "who.corp.example") == 1


def test_strategy_round_robin_unique_names(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3", "strategy round-robin"])
    got = [client.who(name="who.rr%d.example" % i) for i in range(12)]
    assert got.count("one") >= 3 and got.count("two") >= 3, got


def test_strategy_fastest(net, client, upstream, moatd):
    slow, fast = upstream.many([("10.53.0.2", "slow", ["delay=0.3"]),
                                ("10.53.0.3", "fast")])
    # the slow one is named first: in-order would always pick it
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3", "strategy fastest"])
    for i in range(6):				# let it learn
        client.who(name="who.warm%d.example" % i)
    got = []
    t0 = time.monotonic()
    for i in range(20):
        got.append(client.who(name="who.f%d.example" % i))
    took = time.monotonic() - t0
    assert got.count("fast") >= 15, got
    # 20 queries at 300 ms each would take 6 s
    assert took < 4.0, "%.1f s for 20 queries" % took


def test_dead_forwarder_skipped_then_retried(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one", ["drop"]),
                              ("10.53.0.3", "two")])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
                   "forwarder 10.53.0.3", "strategy in-order"])
    # the first queries wait for one's timeout before two answers, until
    # moatd has seen enough failures to call it dead
    for i in range(10):
        t0 = time.monotonic()
        assert client.who(name="who.d%d.example" % i, timeout=6) == "two"
        if time.monotonic() - t0 < 0.9:
            break
    assert one.queries()
    print("\nskipped after %d queries" % (i + 1))
    # then one is known dead: no more waiting for it, query after query
    slowest = 0
    for i in range(10):
        t0 = time.monotonic()
        assert client.who(name="who.s%d.example" % i, timeout=6) == "two"
        slowest = max(slowest, time.monotonic() - t0)
    assert slowest < 0.9, "a query took %.2f s: the dead forwarder was " \
        "not skipped" % slowest
    st = m.ctl("show", "stats", json_out=True)
    if st.returncode == 0:
        fwd = json_find(st.json, "forwarders") or []
        dead = [f for f in fwd if "10.53.0.2" in str(json_find(
            f, "address", "addr"))]
        assert dead and dead[0].get("dead") in (1, True), st.stdout
    # one comes back to life: moatd tries it again in a while
    one.stop()
    back = upstream("10.53.0.2", "one-back")
    t0 = time.monotonic()
    seq = iter(range(100000))

    def using_one():
        return client.who(name="who.b%d.example" % next(seq),
                          timeout=3) == "one-back"
    wait_until(using_one, RETRY_BOUND_S, interval=0.25,
               what="the dead forwarder to be tried again")
    print("\ndead forwarder used again after %.1f s" %
          (time.monotonic() - t0))
    assert back.queries()


def test_outstanding_bound(net, client, upstream, moatd):
    """A flood of unique names to a forwarder that never answers: moatd
    stays alive (same engine), and answers again once it has passed."""
    drop, good = upstream.many([("10.53.0.2", "drop", ["drop"]),
                                ("10.53.0.3", "good")])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.3",
                   'forwarder 10.53.0.2 for domain "flood.example"'])
    eng = m.engine_pid()
    s = m.ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    try:
        for i in range(5000):
            q = make_query("r%d.flood.example" % i, "A", qid=i & 0xffff)
            s.sendto(q.to_wire(), ("10.53.0.1", 53))
            if i % 500 == 499:
                time.sleep(0.02)	# let the engine keep up reading
    finally:
        s.close()
    m.check_alive()

    def answers():
        try:
            return client.who(timeout=1) == "good"
        except dns.exception.Timeout:
            return False		# still over the bound: dropped
    t0 = time.monotonic()
    wait_until(answers, 20, interval=0.2, what="answers after the flood")
    print("\nanswering again %.1f s after the flood" %
          (time.monotonic() - t0))
    assert m.engine_pid() == eng, "the engine was restarted"
    assert len(drop.queries()) >= 100, "the flood did not reach upstream"
    assert len(drop.queries()) <= 5000 * 3
    st = m.ctl("show", "stats", json_out=True)
    assert st.returncode == 0, st.stdout + st.stderr
    print("\nstats after the flood: %s; the dropping upstream saw %d" %
          (st.stdout.strip(), len(drop.queries())))
    r = client.query("www.example", "A")
    assert rrset_texts(r) == {("www.example.", 1, "192.0.2.2")}


def test_identical_queries_coalesced(net, upstream, moatd):
    up = upstream("10.53.0.2", "one", modes=["delay=0.3"])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    qs = [make_query("www.coalesce.example", "A", qid=0x1000 + i)
          for i in range(20)]
    got = send_all_at_once(m.ns, qs)
    assert sorted(got) == [q.id for q in qs], "missing answers: %s" % \
        sorted(set(q.id for q in qs) - set(got))
    for qid, answers in got.items():
        assert len(answers) == 1
        a = answers[0]
        assert a.rcode() == dns.rcode.NOERROR
        assert rrset_texts(a) == {("www.coalesce.example.", 1, "192.0.2.1")}
    assert count_queries(up, "www.coalesce.example") == 1, up.queries()
    st = m.ctl("show", "stats", json_out=True)
    assert st.returncode == 0, st.stdout + st.stderr
    assert json_find(st.json, "coalesced") >= 19, st.stdout


def test_different_types_not_coalesced(net, upstream, moatd):
    up = upstream("10.53.0.2", "one", modes=["delay=0.3"])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    qs = [make_query("www.coalesce.example", t, qid=0x2000 + i)
          for i, t in enumerate(("A", "AAAA", "A", "AAAA"))]
    got = send_all_at_once(m.ns, qs)
    assert len(got) == 4
    assert {a[0].answer[0].rdtype for a in got.values()} == {1, 28}
    for qid, answers in got.items():
        q = qs[qid - 0x2000]
        assert answers[0].question[0].rdtype == q.question[0].rdtype
        assert answers[0].answer[0].rdtype == q.question[0].rdtype
    assert count_queries(up, "www.coalesce.example", "A") == 1
    assert count_queries(up, "www.coalesce.example", "AAAA") == 1
