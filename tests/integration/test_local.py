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
"""Local names: the hosts file, record and address lines, domain, local
domain, block unqualified, block private reverse and names written in
Unicode.  Local answers are authoritative (AA), carry TTL 0 and never
reach an upstream."""
import os
import time

import dns.flags
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.reversename
import pytest

from moathelp import answer_addrs, check_each, count_queries, rrset_texts, \
    wait_until

BASE = ["listen on 10.53.0.1", "forwarder 10.53.0.2"]


def rd(rdtype, text):
    """rdata text as dnspython prints it, for exact comparisons."""
    t = dns.rdatatype.from_text(rdtype)
    return dns.rdata.from_text(dns.rdataclass.IN, t, text).to_text()


def assert_local(r, rcode=dns.rcode.NOERROR):
    assert r.rcode() == rcode, dns.rcode.to_text(r.rcode())
    assert r.flags & dns.flags.AA, "a local answer is authoritative"
    assert r.flags & dns.flags.QR
    for rrs in r.answer:
        assert rrs.ttl == 0, "local answers carry TTL 0: %s" % rrs


def assert_nodata(r):
    assert_local(r)
    assert not r.answer, r


def ptr_targets(r):
    return {x.target.to_text() for rrs in r.answer
            if rrs.rdtype == dns.rdatatype.PTR for x in rrs}


# ------------------------------------------------------------ hosts file

HOSTS = """# a test hosts file
10.53.7.1	host1 host1alias	# the first name is the canonical one
fd00:53:7::1	host6
10.53.7.3	both.example
fd00:53:7::3	both.example

10.53.7.2 router
"""


def test_hosts_file(net, client, upstream, moatd, tmp_path):
    up = upstream("10.53.0.2", "one")
    hosts = tmp_path / "hosts"
    hosts.write_text(HOSTS)
    moatd(dns=BASE + ['hosts file "%s"' % hosts])
    r = client.query("host1", "A")
    assert_local(r)
    assert rrset_texts(r) == {("host1.", 1, "10.53.7.1")}
    r = client.query("host1alias", "A")
    assert_local(r)
    assert answer_addrs(r) == {"10.53.7.1"}
    r = client.query("host6", "AAAA")
    assert_local(r)
    assert rrset_texts(r) == {("host6.", 28, "fd00:53:7::1")}
    r = client.query("both.example", "A", edns=0)
    assert_local(r)
    assert answer_addrs(r) == {"10.53.7.3"}
    r = client.query("both.example", "AAAA")
    assert answer_addrs(r) == {"fd00:53:7::3"}
    assert_nodata(client.query("host1", "AAAA"))
    assert_nodata(client.query("host6", "A"))
    r = client.query("1.7.53.10.in-addr.arpa", "PTR")
    assert_local(r)
    assert "host1." in ptr_targets(r), r
    r = client.query(dns.reversename.from_address("fd00:53:7::1"), "PTR")
    assert_local(r)
    assert ptr_targets(r) == {"host6."}, r
    r = client.query("2.7.53.10.in-addr.arpa", "PTR", tcp=True)
    assert ptr_targets(r) == {"router."}
    assert not up.queries(), "local names reached the upstream: %s" % \
        up.queries()
    # what the hosts file does not hold is forwarded as before
    assert client.who() == "one"


def test_hosts_file_change_followed(net, client, upstream, moatd, tmp_path):
    upstream("10.53.0.2", "one")
    hosts = tmp_path / "hosts"
    hosts.write_text(HOSTS)
    moatd(dns=BASE + ['hosts file "%s"' % hosts])
    assert answer_addrs(client.query("host1", "A")) == {"10.53.7.1"}
    new = tmp_path / "hosts.new"
    new.write_text("10.53.7.11 host1\n10.53.7.12 host2\n")
    os.rename(new, hosts)
    t0 = time.monotonic()
    wait_until(lambda: answer_addrs(client.query("host1", "A", timeout=1)) ==
               {"10.53.7.11"}, 8, what="the new hosts file to be used")
    took = time.monotonic() - t0
    assert took < 4.5, "took %.1f s to follow the hosts file" % took
    assert answer_addrs(client.query("host2", "A")) == {"10.53.7.12"}
    r = client.query("host6", "AAAA")
    assert not r.answer, "a name gone from the hosts file still answers"
    # edited in place
    with open(hosts, "a") as f:
        f.write("10.53.7.13 host3\n")
    wait_until(lambda: answer_addrs(client.query("host3", "A", timeout=1)) ==
               {"10.53.7.13"}, 8, what="an in-place edit to be followed")


def test_no_hosts_file_and_no_blocks(net, client, upstream, moatd):
    """Without a hosts file and without the blocks, localhost, unqualified
    names and private reverse names all go upstream."""
    up = upstream("10.53.0.2", "one")
    moatd(dns=BASE + ["no hosts file"])
    # /etc/hosts would answer localhost here; without it, it is forwarded
    r = client.query("localhost", "A")
    assert not r.flags & dns.flags.AA or "127.0.0.1" not in answer_addrs(r)
    assert count_queries(up, "localhost", "A") == 1
    client.query("foo", "A")
    assert count_queries(up, "foo") == 1
    r = client.query("1.0.168.192.in-addr.arpa", "PTR")
    assert ptr_targets(r) == {"one.ptr.example."}
    assert count_queries(up, "1.0.168.192.in-addr.arpa") == 1


def test_domain_qualifies_hosts_names(net, client, upstream, moatd,
                                      tmp_path):
    up = upstream("10.53.0.2", "one")
    hosts = tmp_path / "hosts"
    hosts.write_text(HOSTS)
    moatd(dns=BASE + ['hosts file "%s"' % hosts, 'domain "lan"'])
    r = client.query("router.lan", "A")
    assert_local(r)
    assert rrset_texts(r) == {("router.lan.", 1, "10.53.7.2")}
    assert answer_addrs(client.query("router", "A")) == {"10.53.7.2"}
    r = client.query("host6.lan", "AAAA")
    assert answer_addrs(r) == {"fd00:53:7::1"}
    # names with a dot are not qualified again
    client.query("both.example.lan", "A")
    assert count_queries(up, "both.example.lan") == 1
    assert not up.queries(qname="router.lan.")


# ---------------------------------------------------------- record lines

RECORDS = [
    'record "router.lan" A 10.53.9.1',
    'record "router.lan" AAAA fd00:53:9::1',
    'record "multi.lan" A 10.53.9.2',
    'record "multi.lan" A 10.53.9.3',
    'record "www.lan" CNAME "router.lan"',
    'record "web.lan" CNAME "www.lan"',
    'record "lan" MX 10 "mail.lan"',
    'record "lan" MX 20 "mail2.lan"',
    'record "_ldap._tcp.lan" SRV 0 0 389 "dc.lan"',
    'record "lan" TXT "v=spf1 -all"',
    'record "txt2.lan" TXT "hello" "world"',
    'record "1.9.53.10.in-addr.arpa" PTR "router.lan"',
    'record "lan" NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:info@lan!" "."',
    'record "lan" CAA 0 "issue" "letsencrypt.org"',
]


@pytest.fixture
def records(net, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=BASE + RECORDS)
    return m, up


RECORD_ANSWERS = [
    ("router.lan", "A", ["10.53.9.1"]),
    ("router.lan", "AAAA", ["fd00:53:9::1"]),
    ("multi.lan", "A", ["10.53.9.2", "10.53.9.3"]),
    ("lan", "MX", ["10 mail.lan.", "20 mail2.lan."]),
    ("_ldap._tcp.lan", "SRV", ["0 0 389 dc.lan."]),
    ("lan", "TXT", ['"v=spf1 -all"']),
    ("txt2.lan", "TXT", ['"hello" "world"']),
    ("1.9.53.10.in-addr.arpa", "PTR", ["router.lan."]),
    ("lan", "NAPTR", ['100 10 "u" "E2U+sip" "!^.*$!sip:info@lan!" .']),
    ("lan", "CAA", ['0 issue "letsencrypt.org"']),
    ("www.lan", "CNAME", ["router.lan."]),
    ("Router.LAN", "A", ["10.53.9.1"]),
]


def test_record_lines(records, client):
    m, up = records

    def check(name, rdtype, want):
        for tcp, edns in ((False, None), (False, 0), (True, None)):
            r = client.query(name, rdtype, tcp=tcp, edns=edns)
            assert_local(r)
            t = dns.rdatatype.from_text(rdtype)
            assert rrset_texts(r) == {(name.lower() + ".", t, rd(rdtype, w))
                                      for w in want}
            assert r.question[0].name.to_text() == name + "."
            assert (r.edns >= 0) == (edns is not None)
    check_each(RECORD_ANSWERS, check)
    assert not up.queries()


def test_record_cname_chains_to_local_a(records, client):
    m, up = records
    r = client.query("www.lan", "A")
    assert_local(r)
    assert rrset_texts(r) == {("www.lan.", 5, "router.lan."),
                              ("router.lan.", 1, "10.53.9.1")}
    assert r.answer[0].rdtype == dns.rdatatype.CNAME, "CNAME comes first"
    r = client.query("web.lan", "AAAA")
    assert_local(r)
    assert [(x.name.to_text(), x.rdtype) for x in r.answer] == [
        ("web.lan.", 5), ("www.lan.", 5), ("router.lan.", 28)]
    assert answer_addrs(r) == {"fd00:53:9::1"}
    assert not up.queries()


def test_record_other_types_nodata(records, client):
    m, up = records
    check_each([
        ("router.lan", "MX"), ("router.lan", "TXT"), ("lan", "A"),
        ("lan", "AAAA"), ("_ldap._tcp.lan", "A"), ("txt2.lan", "A"),
        ("1.9.53.10.in-addr.arpa", "TXT"), ("multi.lan", "AAAA"),
        ("lan", "SRV"), ("router.lan", "TYPE65280"),
    ], lambda name, rdtype: assert_nodata(client.query(name, rdtype)))
    assert not up.queries()


def test_records_with_dig(records):
    m, up = records
    r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "router.lan",
                  "A"])
    assert "status: NOERROR" in r.stdout, r.stdout
    flags = [ln for ln in r.stdout.split("\n") if ln.startswith(";; flags:")]
    assert flags and " aa" in flags[0].split(";")[2], r.stdout
    assert "router.lan.\t\t0\tIN\tA\t10.53.9.1" in r.stdout, r.stdout
    r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "+short",
                  "lan", "MX"])
    assert sorted(r.stdout.split()) == sorted(["10", "mail.lan.", "20",
                                               "mail2.lan."])
    r = m.ns.run(["dig", "@10.53.0.1", "+tries=1", "+time=3", "+short",
                  "-x", "10.53.9.1"])
    assert r.stdout.strip() == "router.lan."
    assert not up.queries()


def test_names_beside_records_forwarded(records, client):
    """A record for router.lan says nothing of other.lan: forwarded."""
    m, up = records
    r = client.query("other.lan", "A")
    assert r.rcode() == dns.rcode.NXDOMAIN
    assert count_queries(up, "other.lan") == 1


# --------------------------------------------------------- address lines

ADDRESSES = [
    'address "ads.example" 0.0.0.0',
    'address "good.ads.example" 10.53.8.9',
    'address "tracker.example"',
    'address "dual.example" 10.53.8.1 fd00:53:8::1',
    'address "two.example" 10.53.8.2',
    'address "two.example" 10.53.8.3',
]


@pytest.fixture
def addresses(net, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=BASE + ADDRESSES)
    return m, up


def test_address_subtree(addresses, client):
    m, up = addresses

    def check(name):
        r = client.query(name, "A")
        assert_local(r)
        assert answer_addrs(r) == {"0.0.0.0"}
        assert r.answer[0].name.to_text().lower() == name.lower() + "."
        assert_nodata(client.query(name, "AAAA"))
        assert_nodata(client.query(name, "MX"))
    check_each(["ads.example", "x.ads.example", "x.y.ads.example",
                "ADS.Example"], check)
    assert not up.queries()


def test_address_longest_match_and_siblings(addresses, client):
    m, up = addresses
    assert answer_addrs(client.query("good.ads.example", "A")) == \
        {"10.53.8.9"}
    assert answer_addrs(client.query("a.good.ads.example", "A")) == \
        {"10.53.8.9"}
    # a label, not a suffix: notads.example is somebody else
    client.query("www.notads.example", "A")
    assert count_queries(up, "www.notads.example") == 1
    client.query("www.example", "A")
    assert count_queries(up, "www.example") == 1


def test_address_without_address_nxdomain(addresses, client):
    m, up = addresses

    def check(name):
        for t in ("A", "AAAA", "TXT"):
            r = client.query(name, t)
            assert_local(r, dns.rcode.NXDOMAIN)
            assert not r.answer
    check_each(["tracker.example", "a.tracker.example", "a.b.tracker.example"],
               check)
    assert not up.queries()


def test_address_several_addresses(addresses, client):
    m, up = addresses
    assert answer_addrs(client.query("dual.example", "A")) == {"10.53.8.1"}
    assert answer_addrs(client.query("x.dual.example", "AAAA")) == \
        {"fd00:53:8::1"}
    assert answer_addrs(client.query("two.example", "A")) == \
        {"10.53.8.2", "10.53.8.3"}
    assert_nodata(client.query("two.example", "AAAA"))
    assert not up.queries()


def test_blocklist_of_100000(net, client, upstream, moatd, tmp_path):
    """A generated list of 100,000 address lines, included in the dns
    block as users do with downloaded blocklists."""
    up = upstream("10.53.0.2", "one")
    n = 100000
    blocklist = tmp_path / "blocklist.conf"
    with open(blocklist, "w") as f:
        f.write("# generated\n")
        for i in range(n):
            f.write('address "ad%d.net%d.example" 0.0.0.0\n' % (i, i % 251))
    m = moatd(dns=BASE + ['include "%s"' % blocklist], start=False)
    t0 = time.monotonic()
    m.start(wait=False)
    last = "x.ad%d.net%d.example" % (n - 1, (n - 1) % 251)

    def blocked():
        m.check_alive()
        try:
            r = client.query(last, "A", timeout=0.3)
        except Exception:
            return False
        return answer_addrs(r) == {"0.0.0.0"}
    wait_until(blocked, 15, interval=0.02,
               what="moatd with 100,000 address lines to answer")
    took = time.monotonic() - t0
    print("\n100,000 address lines: first blocked answer %.2f s after "
          "start" % took)
    for i in (0, 1, 4242, 77777):
        r = client.query("ad%d.net%d.example" % (i, i % 251), "A")
        assert answer_addrs(r) == {"0.0.0.0"}, i
    assert not up.queries(), "a blocked name was forwarded"
    assert client.who() == "one"
    client.query("ad100000.net100.example", "A")
    assert count_queries(up, "ad100000.net100.example") == 1
    m.wait_started()


# ------------------------------------------------ local domain and blocks

def test_local_domain(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    moatd(dns=BASE + ['local domain "lan"', 'local domain "home.arpa"',
                      'record "router.lan" A 10.53.9.1'])
    assert answer_addrs(client.query("router.lan", "A")) == {"10.53.9.1"}
    for name in ("unknown.lan", "a.b.unknown.lan", "x.router.lan",
                 "nas.home.arpa", "UNKNOWN.Lan"):
        for t in ("A", "AAAA", "MX"):
            r = client.query(name, t)
            assert_local(r, dns.rcode.NXDOMAIN)
            assert not r.answer
    assert not up.queries(), "the upstream saw a local domain: %s" % \
        up.queries()
    # a neighbour is not the local domain
    client.query("www.notlan", "A")
    assert count_queries(up, "www.notlan") == 1


def test_block_unqualified(net, client, upstream, moatd, tmp_path):
    up = upstream("10.53.0.2", "one")
    hosts = tmp_path / "hosts"
    hosts.write_text("10.53.7.5 nas\n")
    moatd(dns=BASE + ["block unqualified", 'hosts file "%s"' % hosts])
    for t in ("A", "AAAA", "MX"):
        r = client.query("foo", t)
        assert r.rcode() == dns.rcode.NXDOMAIN, t
    assert answer_addrs(client.query("nas", "A")) == {"10.53.7.5"}
    assert not up.queries(), up.queries()
    assert client.who() == "one"		# qualified names go on


PRIVATE_REVERSE = ["1.0.168.192.in-addr.arpa", "4.3.2.10.in-addr.arpa",
                   "1.0.16.172.in-addr.arpa", "9.9.31.172.in-addr.arpa",
                   "1.0.0.127.in-addr.arpa", "1.1.254.169.in-addr.arpa",
                   "5.5.64.100.in-addr.arpa",
                   dns.reversename.from_address("fd00::1").to_text(),
                   dns.reversename.from_address("fe80::1").to_text(),
                   dns.reversename.from_address("::1").to_text()]
PUBLIC_REVERSE = ["5.113.0.203.in-addr.arpa", "1.0.32.172.in-addr.arpa",
                  "8.8.8.8.in-addr.arpa",
                  dns.reversename.from_address("2001:db8::1").to_text()]


def test_block_private_reverse(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    moatd(dns=BASE + ["block private reverse", "no hosts file"])
    for name in PRIVATE_REVERSE:
        r = client.query(name, "PTR")
        assert r.rcode() == dns.rcode.NXDOMAIN, name
        assert not r.answer
    assert not up.queries(), up.queries()
    for name in PUBLIC_REVERSE:
        r = client.query(name, "PTR")
        assert ptr_targets(r) == {"one.ptr.example."}, name
        assert count_queries(up, name) == 1


def test_block_private_reverse_with_own_forwarder(net, client, upstream,
                                                  moatd):
    one, two = upstream.many([("10.53.0.2", "one"), ("10.53.0.3", "two")])
    moatd(dns=BASE + ["block private reverse", "no hosts file",
                      'forwarder 10.53.0.3 for domain '
                      '"168.192.in-addr.arpa"'])
    r = client.query("1.0.168.192.in-addr.arpa", "PTR")
    assert ptr_targets(r) == {"two.ptr.example."}
    assert count_queries(two, "1.0.168.192.in-addr.arpa") == 1
    r = client.query("4.3.2.10.in-addr.arpa", "PTR")
    assert r.rcode() == dns.rcode.NXDOMAIN
    r = client.query("5.113.0.203.in-addr.arpa", "PTR")
    assert ptr_targets(r) == {"one.ptr.example."}
    assert not one.queries(qname="4.3.2.10.in-addr.arpa.")


# ------------------------------------------------------------------- IDN

def test_unicode_names(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    m = moatd(start=False)
    text = m.conf_text(BASE + [
        'record "bücher.lan" A 10.53.9.9',
        'record "straße.lan" A 10.53.9.10',
        'address "größe.example" 10.53.9.11',
        'local domain "münchen"',
        'forwarder 10.53.0.3 for domain "bücher.example"',
    ])
    with open(m.conf, "w", encoding="utf-8") as f:
        f.write(text)
    two = upstream("10.53.0.3", "two")
    m.start()
    r = client.query("xn--bcher-kva.lan", "A")
    assert_local(r)
    assert rrset_texts(r) == {("xn--bcher-kva.lan.", 1, "10.53.9.9")}
    # IDNA2008, non-transitional: ß stays, it is not mapped to "ss"
    r = client.query("xn--strae-oqa.lan", "A")
    assert answer_addrs(r) == {"10.53.9.10"}
    r = client.query("x.xn--gre-6ka8i.example", "A")
    assert answer_addrs(r) == {"10.53.9.11"}
    r = client.query("nas.xn--mnchen-3ya", "A")
    assert r.rcode() == dns.rcode.NXDOMAIN and r.flags & dns.flags.AA
    assert client.who(name="who.xn--bcher-kva.example") == "two"
    assert count_queries(two, "who.xn--bcher-kva.example") == 1
    assert not up.queries()
