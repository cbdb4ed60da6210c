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
"""Anti-spoofing beyond random ports and IDs: 0x20 case randomisation,
nothing outside the question's bailiwick cached, and rebind protection
(block rebind, allow rebind for domain)."""
import dns.rcode
import pytest

from moathelp import answer_addrs, check_each, count_queries, json_find, \
    rrset_texts

# what a client gets instead of a private address from upstream
# ("block rebind"): the answer is dropped, logged ("rebind: NAME from
# ADDR ... answer refused") and the client gets REFUSED
REBIND_RCODES = (dns.rcode.REFUSED,)


# ------------------------------------------------------------ 0x20 case

def test_random_case(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "random case"])
    names = ["r%d.randomcase.example" % i for i in range(24)]
    for n in names:
        r = client.query(n, "A")
        assert r.rcode() == dns.rcode.NOERROR
        assert rrset_texts(r) == {(n + ".", 1, "198.51.100.1")}, \
            "the answer to a 0x20 query was not accepted"
        assert r.question[0].name.to_text() == n + ".", \
            "the client must see the name as it sent it"
    raw = [q["qraw"] for q in up.queries() if q["qname"] in
           [n + "." for n in names]]
    assert len(raw) >= 24
    letters = "".join(c for q in raw for c in q if c.isalpha())
    upper = sum(1 for c in letters if c.isupper())
    assert upper > 0, "no upper case letter upstream: %s" % raw[:5]
    # random, not all upper case either
    assert 0.2 < upper / len(letters) < 0.8, raw[:5]
    assert len(set(raw)) == len(raw)


def test_random_case_wrong_case_answer_ignored(net, client, upstream, moatd):
    low, honest = upstream.many([("10.53.0.2", "low", ["lower-answer"]),
                                 ("10.53.0.3", "honest")])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
               "forwarder 10.53.0.3", "strategy in-order", "random case"])
    for i in range(2):
        name = "www.case%d.checkrandomcase.example" % i
        r = client.query(name, "A", timeout=6)
        assert r.rcode() == dns.rcode.NOERROR
        # only the honest forwarder's answer may come through
        assert rrset_texts(r) == {(name + ".", 1, "192.0.2.2")}
    assert low.queries(), "the lower-casing forwarder was never asked"


def test_without_random_case_case_insensitive(net, client, upstream, moatd):
    up = upstream("10.53.0.2", "low", modes=["lower-answer"])
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    r = client.query("WwW.MiXeD.Example", "A", timeout=3)
    assert r.rcode() == dns.rcode.NOERROR
    assert answer_addrs(r) == {"192.0.2.1"}
    assert r.question[0].name.to_text() == "WwW.MiXeD.Example."
    assert count_queries(up, "www.mixed.example") == 1


# ------------------------------------------------------------ bailiwick

@pytest.fixture
def corp(net, upstream, moatd):
    d, c = upstream.many([("10.53.0.2", "default"), ("10.53.0.3", "corp")])
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
                   'forwarder 10.53.0.3 for domain "corp.example"'])
    return m, d, c


def test_out_of_bailiwick_not_cached(corp, client):
    m, d, c = corp
    r = client.query("oob.corp.example", "A")
    assert r.rcode() == dns.rcode.NOERROR
    assert ("oob.corp.example.", 1, "192.0.2.77") in rrset_texts(r)
    r = client.query("oob.corp.example", "A")
    assert ("oob.corp.example.", 1, "192.0.2.77") in rrset_texts(r)
    assert count_queries(c, "oob.corp.example") == 2, \
        "an answer with a record outside corp.example was cached"
    # and the stray record poisons nothing: evil.example is asked for
    r = client.query("evil.example", "A")
    assert "203.0.113.66" not in answer_addrs(r)
    assert count_queries(d, "evil.example") == 1
    # in-bailiwick answers of the same forwarder are cached
    client.query("www.corp.example", "A")
    client.query("www.corp.example", "A")
    assert count_queries(c, "www.corp.example") == 1


def test_out_of_bailiwick_additional(corp, client):
    """An additional record outside the bailiwick: either the answer is
    not cached, or it is cached without that record; in no case does
    evil2.example resolve from it."""
    m, d, c = corp
    r = client.query("oobadd.corp.example", "A")
    assert ("oobadd.corp.example.", 1, "192.0.2.78") in rrset_texts(r)
    r = client.query("oobadd.corp.example", "A")
    assert ("oobadd.corp.example.", 1, "192.0.2.78") in rrset_texts(r)
    if count_queries(c, "oobadd.corp.example") == 1:
        assert not any(rrs.name.to_text() == "evil2.example."
                       for rrs in r.additional), \
            "a cached answer carries a record outside its bailiwick"
    r = client.query("evil2.example", "A")
    assert "203.0.113.66" not in answer_addrs(r)
    assert count_queries(d, "evil2.example") == 1


# --------------------------------------------------------------- rebind

PRIVATE = [("priv10", "A"), ("priv172", "A"), ("priv192", "A"),
           ("priv127", "A"), ("priv169", "A"), ("privfd", "AAAA"),
           ("privlo6", "AAAA"), ("privfe80", "AAAA")]
PRIVATE_ADDRS = {"10.1.2.3", "172.16.5.5", "192.168.1.1", "127.0.0.1",
                 "169.254.1.1", "fd00::1", "::1", "fe80::1"}


@pytest.fixture
def rebind(net, upstream, moatd):
    up = upstream("10.53.0.2", "one")
    m = moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2",
                   "block rebind", 'allow rebind for domain "corp.example"',
                   'record "router.lan" A 192.168.1.1'])
    return m, up


def test_rebind_blocked(rebind, client):
    m, up = rebind

    def check(label, rdtype):
        name = "%s.example" % label
        for _ in range(2):			# and not from the cache either
            r = client.query(name, rdtype)
            assert not answer_addrs(r) & PRIVATE_ADDRS, r
            assert r.rcode() in REBIND_RCODES, dns.rcode.to_text(r.rcode())
        assert count_queries(up, name) >= 1
    check_each(PRIVATE, check)
    # the log is rate limited: the first ones at least are named
    assert "rebind" in m.log.lower() and "priv10.example" in m.log, \
        "the blocked answer was not logged:\n" + m.log
    st = m.ctl("show", "stats", json_out=True)
    assert st.returncode == 0, st.stdout + st.stderr
    assert json_find(st.json, "rebind_blocked") >= len(PRIVATE), st.stdout


def test_rebind_public_passes(rebind, client):
    m, up = rebind
    assert answer_addrs(client.query("public.example", "A")) == \
        {"203.0.113.5"}
    assert answer_addrs(client.query("public.example", "AAAA")) == \
        {"2001:db8::5"}
    assert answer_addrs(client.query("www.example", "A")) == {"192.0.2.1"}
    # local data is ours, not an upstream's: never blocked
    assert answer_addrs(client.query("router.lan", "A")) == {"192.168.1.1"}


def test_rebind_allowed_domain(rebind, client):
    m, up = rebind

    def check(name, rdtype, addr):
        r = client.query(name, rdtype)
        assert r.rcode() == dns.rcode.NOERROR
        assert answer_addrs(r) == {addr}
    check_each([("priv192.corp.example", "A", "192.168.1.1"),
                ("priv10.x.corp.example", "A", "10.1.2.3"),
                ("privfd.corp.example", "AAAA", "fd00::1"),
                ("privlo6.corp.example", "AAAA", "::1")], check)


    # a suffix of labels, not of characters
    r = client.query("priv192.notcorp.example", "A")
    assert "192.168.1.1" not in answer_addrs(r)


def test_private_answers_pass_without_block_rebind(net, client, upstream,
                                                   moatd):
    upstream("10.53.0.2", "one")
    moatd(dns=["listen on 10.53.0.1", "forwarder 10.53.0.2"])
    assert answer_addrs(client.query("priv192.example", "A")) == \
        {"192.168.1.1"}
    assert answer_addrs(client.query("privfe80.example", "AAAA")) == \
        {"fe80::1"}
