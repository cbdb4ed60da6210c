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
"""The DNS engine's cache: hits never reach the upstream, every record
type, TTLs counted down and expired, negative caching (RFC 2308), the
entry bound with LRU eviction, case, EDNS, and moatctl show cache, flush
cache and show stats."""
import re
import time

import dns.flags
import dns.rcode
import dns.rdatatype
import pytest

from moathelp import RECORD_TYPES, check_each, count_queries, json_find, \
    rrset_texts, wait_until

STD = ["listen on 10.53.0.1", "forwarder 10.53.0.2"]


@pytest.fixture
def cached(net, upstream, moatd):
    """moatd with a cache (the default size) forwarding to "one"."""
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=STD)
    return m, up


def test_second_query_answered_from_cache(cached, client):
    m, up = cached
    r1 = client.query("www.example", "A")
    assert rrset_texts(r1) == {("www.example.", 1, "192.0.2.1")}
    assert count_queries(up, "www.example", "A") == 1
    r2 = client.query("www.example", "A")
    assert r2.rcode() == dns.rcode.NOERROR
    assert r2.flags & dns.flags.QR and r2.flags & dns.flags.RA
    assert rrset_texts(r2) == rrset_texts(r1)
    assert count_queries(up, "www.example", "A") == 1, \
        "the second query reached the upstream"
    # the cache knows the type: AAAA of the same name is a miss
    client.query("www.example", "AAAA")
    assert count_queries(up, "www.example", "AAAA") == 1


TYPES = RECORD_TYPES + [
    ("alias.example", "A"),
    ("alias2.example", "AAAA"),
    ("alias.example", "CNAME"),
]


def test_every_type_cached(cached, client):
    m, up = cached

    def check(name, rdtype):
        r1 = client.query(name, rdtype)
        assert r1.rcode() == dns.rcode.NOERROR and r1.answer
        r2 = client.query(name, rdtype, edns=0)
        assert r2.rcode() == dns.rcode.NOERROR
        assert rrset_texts(r2) == rrset_texts(r1)
        assert count_queries(up, name, rdtype) == 1, \
            "asked upstream %d times" % count_queries(up, name, rdtype)
        for rrs in r2.answer:
            assert rrs.ttl <= 300
    check_each(TYPES, check)


def test_cname_chain_cached_whole(cached, client):
    """The chain alias -> alias2 -> www comes back whole from the cache,
    in order, and alias2 (a name inside the chain) was not asked for."""
    m, up = cached
    r1 = client.query("alias.example", "A")
    chain = [(rrs.name.to_text(), dns.rdatatype.to_text(rrs.rdtype))
             for rrs in r1.answer]
    assert chain == [("alias.example.", "CNAME"), ("alias2.example.", "CNAME"),
                     ("www.example.", "A")]
    r2 = client.query("alias.example", "A")
    assert [(rrs.name.to_text(), dns.rdatatype.to_text(rrs.rdtype))
            for rrs in r2.answer] == chain
    assert rrset_texts(r2) == rrset_texts(r1)
    assert count_queries(up, "alias.example") == 1


NEGATIVE = [
    ("nxsoa1.example", "A", dns.rcode.NXDOMAIN),	# SOA TTL 300, MIN 2
    ("nxsoattl1.example", "A", dns.rcode.NXDOMAIN),	# SOA TTL 2, MIN 300
    ("nodata1.example", "AAAA", dns.rcode.NOERROR),	# SOA TTL 300, MIN 2
    ("nodata2.example", "MX", dns.rcode.NOERROR),
]


def test_ttl_countdown_and_expiry(cached, client):
    """One wait of 3 s serves all the clocks: TTL 300 counts down (seen
    by dnspython and by dig), TTL 2 expires, and negative answers live
    min(SOA TTL, SOA MINIMUM) = 2 s (RFC 2308)."""
    m, up = cached

    def dig_ttl():
        r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "+noall",
                      "+answer", "MX", "mx.example"])
        lines = [ln.split() for ln in r.stdout.strip().split("\n")]
        assert len(lines) == 2 and all(ln[3] == "MX" for ln in lines), \
            r.stdout
        return int(lines[0][1])

    def negative_cached(name, rdtype, rcode):
        r1 = client.query(name, rdtype)
        assert r1.rcode() == rcode and not r1.answer
        assert r1.authority and r1.authority[0].rdtype == dns.rdatatype.SOA
        r2 = client.query(name, rdtype, edns=0)
        assert r2.rcode() == rcode and not r2.answer
        assert count_queries(up, name) == 1, \
            "the negative answer was not cached"
        # the SOA goes back with the cached answer too
        assert r2.authority and r2.authority[0].rdtype == dns.rdatatype.SOA
        assert r2.authority[0].ttl <= r1.authority[0].ttl

    def negative_expired(name, rdtype, rcode):
        r3 = client.query(name, rdtype)
        assert r3.rcode() == rcode
        assert count_queries(up, name) == 2, \
            "the negative answer outlived min(SOA TTL, MINIMUM) = 2 s"

    t0 = time.monotonic()
    r = client.query("www.example", "A")
    assert r.answer[0].ttl == 300
    assert dig_ttl() == 300
    r = client.query("short1.example", "A")
    assert r.answer[0].ttl == 2
    client.query("short1.example", "A")
    assert count_queries(up, "short1.example") == 1
    check_each(NEGATIVE, negative_cached)
    time.sleep(max(0, 3.1 - (time.monotonic() - t0)))

    r = client.query("www.example", "A")
    assert count_queries(up, "www.example", "A") == 1
    assert 280 <= r.answer[0].ttl <= 298, r.answer[0].ttl
    assert 280 <= dig_ttl() <= 298
    assert count_queries(up, "mx.example", "MX") == 1
    r = client.query("short1.example", "A")
    assert r.answer and r.answer[0][0].address == "198.51.100.1"
    assert count_queries(up, "short1.example") == 2, \
        "an answer with TTL 2 was still served from the cache after 3 s"
    check_each(NEGATIVE, negative_expired)


def test_negative_without_soa_not_cached(cached, client):
    m, up = cached

    def check(name, rdtype, rcode):
        for _ in range(3):
            r = client.query(name, rdtype)
            assert r.rcode() == rcode and not r.answer
        assert count_queries(up, name, rdtype) == 3
    check_each([("nxnosoa.example", "A", dns.rcode.NXDOMAIN),
                ("www.example", "TXT", dns.rcode.NOERROR),	# NODATA
                ("r5.example", "AAAA", dns.rcode.NOERROR)], check)


def test_lru_eviction(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=STD + ["cache size 3"])
    for n in ("r1", "r2", "r3"):
        client.query(n + ".example", "A")
    client.query("r1.example", "A")		# r1 is now the most recent
    assert count_queries(up, "r1.example") == 1
    client.query("r4.example", "A")		# evicts r2, the oldest use
    for n in ("r1", "r3", "r4"):
        client.query(n + ".example", "A")
    assert [count_queries(up, n + ".example") for n in
            ("r1", "r2", "r3", "r4")] == [1, 1, 1, 1]
    client.query("r2.example", "A")
    assert count_queries(up, "r2.example") == 2, \
        "r2 should have been evicted as the least recently used"
    st = m.ctl("show", "stats", json_out=True)
    assert st.returncode == 0, st.stdout + st.stderr
    ev = json_find(st.json, "evictions", "cache_evictions")
    assert ev is not None and ev >= 2, st.stdout
    entries = json_find(st.json, "entries", "cache_entries")
    assert entries == 3, st.stdout


def test_cache_size_zero_caches_nothing(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    moatd(dns=STD + ["cache size 0"])
    for _ in range(3):
        r = client.query("www.example", "A")
        assert rrset_texts(r) == {("www.example.", 1, "192.0.2.1")}
    assert count_queries(up, "www.example") == 3


def test_case_of_the_client_kept(cached, client):
    m, up = cached
    r1 = client.query("WWW.example", "A")
    assert r1.question[0].name.to_text() == "WWW.example."
    r2 = client.query("www.EXAMPLE", "A")
    assert count_queries(up, "www.example") == 1, \
        "a name differing only in case missed the cache"
    assert r2.question[0].name.to_text() == "www.EXAMPLE.", \
        "the cached answer should carry the question as this client spelled it"
    assert {a[2] for a in rrset_texts(r2)} == {"192.0.2.1"}


def test_edns_and_plain_clients_share_entries(cached, client):
    m, up = cached
    r1 = client.query("txt.example", "TXT", edns=0, payload=1232)
    assert r1.edns >= 0
    r2 = client.query("txt.example", "TXT")
    assert r2.edns < 0, "a client without EDNS got an OPT record"
    assert rrset_texts(r2) == rrset_texts(r1)
    r3 = client.query("txt.example", "TXT", edns=0, payload=4096)
    assert r3.edns >= 0
    assert rrset_texts(r3) == rrset_texts(r1)
    # the other way round: a plain client first
    r4 = client.query("mx.example", "MX")
    assert r4.edns < 0
    r5 = client.query("mx.example", "MX", edns=0)
    assert r5.edns >= 0 and rrset_texts(r5) == rrset_texts(r4)
    assert count_queries(up, "txt.example") == 1
    assert count_queries(up, "mx.example") == 1


def test_big_cached_answer_truncated_per_client(cached, client):
    m, up = cached
    full = client.query("big.example", "TXT", tcp=True)
    assert not full.flags & dns.flags.TC and len(full.to_wire()) > 1500
    asked = len(up.queries(qname="big.example."))
    r = client.query("big.example", "TXT")
    assert r.flags & dns.flags.TC and len(r.to_wire()) <= 512
    r = client.query("big.example", "TXT", edns=0, payload=4096)
    assert not r.flags & dns.flags.TC
    assert rrset_texts(r) == rrset_texts(full)
    r = client.query("big.example", "TXT", tcp=True)
    assert rrset_texts(r) == rrset_texts(full)
    assert len(up.queries(qname="big.example.")) == asked


def test_show_cache(cached, client):
    m, up = cached
    client.query("www.example", "A")
    client.query("mx.example", "MX")
    client.query("mx.example", "MX")
    client.query("nxsoa2.example", "A")
    r = m.ctl("show", "cache")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "www.example" in r.stdout and "mx.example" in r.stdout, r.stdout
    assert "nxsoa2.example" in r.stdout
    assert "MX" in r.stdout
    j = m.ctl("show", "cache", json_out=True)
    assert j.returncode == 0, j.stdout + j.stderr
    entries = json_find(j.json, "entries", "cache")
    assert isinstance(entries, list), j.stdout
    byname = {}
    for e in entries:
        byname[(e["name"].rstrip(".").lower(), str(e.get("type",
                e.get("qtype"))))] = e
    assert ("www.example", "A") in byname or ("www.example", "1") in byname, \
        j.stdout
    mx = byname.get(("mx.example", "MX")) or byname.get(("mx.example", "15"))
    assert mx is not None, j.stdout
    assert 0 < mx["ttl"] <= 300
    assert mx["hits"] >= 1
    nx = byname.get(("nxsoa2.example", "A")) or \
        byname.get(("nxsoa2.example", "1"))
    assert nx is not None and nx["ttl"] <= 2, j.stdout


def test_flush_cache(cached, client):
    m, up = cached
    client.query("www.example", "A")
    client.query("www.example", "A")
    assert count_queries(up, "www.example") == 1
    r = m.ctl("flush", "cache")
    assert r.returncode == 0, r.stdout + r.stderr
    j = m.ctl("show", "cache", json_out=True)
    assert j.returncode == 0
    assert not json_find(j.json, "entries", "cache"), j.stdout
    client.query("www.example", "A")
    assert count_queries(up, "www.example") == 2, \
        "the query after a flush did not reach the upstream"
    r = m.ctl("flush", "cache", json_out=True)
    assert r.returncode == 0 and r.json["ok"] is True


def test_show_stats(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one", ["drop"]),
                              ("10.53.0.3", "two", ["delay=0.05"])])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
                   "forwarder 10.53.0.3"])
    client.query("www.example", "A", timeout=6)	# miss, one fails
    client.query("www.example", "A")			# hit
    client.query("mx.example", "MX", timeout=6)	# miss
    client.query("mx.example", "MX")			# hit
    client.query("mx.example", "MX")			# hit
    r = m.ctl("show", "stats")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "10.53.0.2" in r.stdout and "10.53.0.3" in r.stdout, r.stdout
    assert re.search(r"hits\s+3\n", r.stdout), r.stdout
    assert re.search(r"misses\s+2\n", r.stdout), r.stdout
    j = m.ctl("show", "stats", json_out=True)
    assert j.returncode == 0, j.stdout + j.stderr
    s = j.json
    assert json_find(s, "queries") >= 5
    assert json_find(s, "hits", "cache_hits") == 3
    assert json_find(s, "misses", "cache_misses") == 2
    assert json_find(s, "evictions", "cache_evictions") == 0
    fwd = json_find(s, "forwarders")
    assert isinstance(fwd, list) and len(fwd) == 2, j.stdout
    by = {}
    for f in fwd:
        addr = json_find(f, "address", "addr")
        addr = str(addr).split("#")[0].split(" ")[0]
        by[addr.rsplit(":", 1)[0] if addr.count(":") == 1 else addr] = f
    assert set(by) == {"10.53.0.2", "10.53.0.3"}, j.stdout
    assert by["10.53.0.2"]["queries"] >= 1
    assert by["10.53.0.2"]["failures"] >= 1
    assert by["10.53.0.3"]["queries"] >= 2
    assert by["10.53.0.3"]["failures"] == 0
    lat = json_find(by["10.53.0.3"], "latency_ms", "latency")
    assert lat is not None and 20 <= lat <= 1000, j.stdout


def test_new_configuration_flushes(net, client, upstream, moatd):
    one, two = upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    m = moatd(dns=STD)
    assert client.who() == "one"
    assert client.who() == "one"
    assert count_queries(one, "who.example") == 1
    m.write_conf(dns=["listen on 10.53.0.1", "forwarder 10.53.0.3"])
    assert m.ctl("reload").returncode == 0
    wait_until(lambda: client.who(timeout=1) == "two", 3,
               what="the cache to be flushed by the new configuration")
