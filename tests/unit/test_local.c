/*
 * Copyright (c) 2026 The moatd developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "local.h"
#include "proto.h"
#include "wire.h"

#define T_NAPTR		35
#define T_CAA		257
#define T_ANY		255
#define T_HINFO		13

#define QID		0x4d2e
#define PAYLOAD_MAX	(64 * 1024)

struct payload {
	uint8_t	 b[PAYLOAD_MAX + 1024];
	size_t	 len;
};

/* rdata, built by hand so that the tests check the bytes themselves */
struct rd {
	uint8_t	 b[1024];
	size_t	 len;
};

struct reply {
	uint8_t		 pkt[8192];
	size_t		 len;
	struct dns_msg	 m;
};

static void
rd_bytes(struct rd *r, const void *p, size_t n)
{
	assert_true(r->len + n <= sizeof(r->b));
	memcpy(r->b + r->len, p, n);
	r->len += n;
}

static void
rd_u8(struct rd *r, uint8_t v)
{
	rd_bytes(r, &v, 1);
}

static void
rd_u16(struct rd *r, uint16_t v)
{
	uint8_t	 b[2] = { v >> 8, v & 0xff };

	rd_bytes(r, b, 2);
}

static void
rd_name(struct rd *r, const char *text)
{
	uint8_t	 w[DNS_NAME_MAX];
	size_t	 wl;

	assert_int_equal(dns_name_from_text(text, w, &wl), 0);
	rd_bytes(r, w, wl);
}

static void
rd_string(struct rd *r, const char *s)
{
	size_t	 n = strlen(s);

	assert_true(n <= 255);
	rd_u8(r, (uint8_t)n);
	rd_bytes(r, s, n);
}

static void
rd_reset(struct rd *r)
{
	r->len = 0;
}

static void
pl_bytes(struct payload *p, const void *d, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	memcpy(p->b + p->len, d, n);
	p->len += n;
}

static void
pl_u16(struct payload *p, uint16_t v)
{
	uint8_t	 b[2] = { v >> 8, v & 0xff };

	pl_bytes(p, b, 2);
}

static void
pl_u32(struct payload *p, uint32_t v)
{
	pl_u16(p, v >> 16);
	pl_u16(p, v & 0xffff);
}

static void
pl_entry(struct payload *p, uint8_t kind, const char *name, uint16_t type,
    const void *rdata, size_t rdlen)
{
	uint8_t	 w[DNS_NAME_MAX];
	size_t	 wl;

	assert_int_equal(dns_name_from_text(name, w, &wl), 0);
	pl_bytes(p, &kind, 1);
	pl_bytes(p, w, wl);
	pl_u16(p, type);
	pl_u16(p, DNS_CLASS_IN);
	pl_u32(p, 0);
	pl_u16(p, (uint16_t)rdlen);
	if (rdlen > 0)
		pl_bytes(p, rdata, rdlen);
}

static void
add_one(struct local_store *ls, uint8_t kind, const char *name,
    uint16_t type, const void *rdata, size_t rdlen)
{
	struct payload	*p;

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	pl_entry(p, kind, name, type, rdata, rdlen);
	assert_int_equal(local_add_records(ls, p->b, p->len), 0);
	free(p);
}

static void
add_a(struct local_store *ls, uint8_t kind, const char *name, uint8_t a,
    uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t	 ip[4] = { a, b, c, d };

	add_one(ls, kind, name, DNS_TYPE_A, ip, 4);
}

static void
add_name_rr(struct local_store *ls, const char *name, uint16_t type,
    const char *target)
{
	struct rd	 r = { .len = 0 };

	rd_name(&r, target);
	add_one(ls, RECORD_EXACT, name, type, r.b, r.len);
}

static size_t
make_query(uint8_t *buf, size_t bufsz, const char *name, uint16_t qtype,
    uint16_t flags, int edns, uint16_t edns_flags)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	static const uint8_t	 root = 0;

	memset(&h, 0, sizeof(h));
	h.id = QID;
	h.flags = flags;
	h.qdcount = 1;
	h.arcount = edns ? 1 : 0;
	memset(&q, 0, sizeof(q));
	assert_int_equal(dns_name_from_text(name, q.qname, &q.qname_len), 0);
	q.qtype = qtype;
	q.qclass = DNS_CLASS_IN;
	dns_builder_init(&b, buf, bufsz);
	dns_build_header(&b, &h);
	dns_build_question(&b, &q);
	if (edns)
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, 4096, edns_flags,
		    NULL, 0);
	assert_false(b.error);
	return b.len;
}

/* answer a query; 0 when forwarded, else the reply parsed and checked */
static size_t
ask_full(const struct local_store *ls, const char *name, uint16_t qtype,
    uint16_t flags, int edns, uint16_t edns_flags, int explicit_fw,
    struct reply *r)
{
	uint8_t		 q[512];
	size_t		 qlen;
	struct dns_msg	 qm;

	qlen = make_query(q, sizeof(q), name, qtype, flags, edns, edns_flags);
	assert_int_equal(dns_msg_parse(q, qlen, &qm), DNS_PARSE_OK);
	memset(r, 0, sizeof(*r));
	r->len = local_answer(ls, &qm, q, qlen, explicit_fw, r->pkt,
	    sizeof(r->pkt));
	if (r->len == 0)
		return 0;
	assert_int_equal(dns_msg_parse(r->pkt, r->len, &r->m), DNS_PARSE_OK);
	assert_int_equal(r->m.hdr.id, QID);
	assert_true(r->m.hdr.flags & DNS_F_QR);
	assert_true(r->m.hdr.flags & DNS_F_AA);
	assert_true(r->m.hdr.flags & DNS_F_RA);
	assert_int_equal(DNS_OPCODE(r->m.hdr.flags), 0);
	assert_true(r->m.has_question);
	/* the question exactly as the client spelled it */
	assert_int_equal(r->m.q.qname_len, qm.q.qname_len);
	assert_memory_equal(r->m.q.qname, qm.q.qname, qm.q.qname_len);
	assert_int_equal(r->m.q.qtype, qtype);
	return r->len;
}

static size_t
ask(const struct local_store *ls, const char *name, uint16_t qtype,
    struct reply *r)
{
	return ask_full(ls, name, qtype, DNS_F_RD, 0, 0, 0, r);
}

static uint16_t
rcode(const struct reply *r)
{
	return r->m.hdr.flags & DNS_F_RCODE_MASK;
}

/* record i of the answer section; rdata into rd */
static void
answer_rr(const struct reply *r, int i, struct dns_rr *rr, struct rd *rd)
{
	struct dns_cursor	 c;
	int			 k;

	assert_true(i < r->m.hdr.ancount);
	dns_cursor_init(&c, r->pkt, r->len);
	c.pos = r->m.question_end;
	for (k = 0; k <= i; k++) {
		rr->section = DNS_SECTION_ANSWER;
		assert_int_equal(dns_read_rr(&c, rr), 0);
	}
	assert_true(rr->rdlen <= sizeof(rd->b));
	memcpy(rd->b, r->pkt + rr->rdata_off, rr->rdlen);
	rd->len = rr->rdlen;
}

static void
expect_rr(const struct reply *r, int i, const char *owner, uint16_t type,
    const struct rd *want)
{
	struct dns_rr	 rr;
	struct rd	 got;
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 wl;

	answer_rr(r, i, &rr, &got);
	assert_int_equal(dns_name_from_text(owner, w, &wl), 0);
	assert_true(dns_name_equal(rr.name, rr.name_len, w, wl));
	assert_int_equal(rr.type, type);
	assert_int_equal(rr.rclass, DNS_CLASS_IN);
	assert_int_equal(rr.ttl, 0);
	assert_int_equal(got.len, want->len);
	assert_memory_equal(got.b, want->b, want->len);
}

static void
expect_a(const struct reply *r, int i, const char *owner, uint8_t a,
    uint8_t b, uint8_t c, uint8_t d)
{
	struct rd	 want = { .len = 0 };
	uint8_t		 ip[4] = { a, b, c, d };

	rd_bytes(&want, ip, 4);
	expect_rr(r, i, owner, DNS_TYPE_A, &want);
}

static void
expect_empty(const struct reply *r, uint16_t rc)
{
	assert_int_equal(rcode(r), rc);
	assert_int_equal(r->m.hdr.ancount, 0);
	assert_int_equal(r->m.hdr.nscount, 0);
}

static struct local_store *
store(void)
{
	struct local_store	*ls;

	ls = local_new();
	assert_non_null(ls);
	return ls;
}

static void
test_types(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct rd		 rd;
	static const uint8_t	 v6[16] = { 0xfd, [15] = 1 };

	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 1);
	add_one(ls, RECORD_EXACT, "router.lan", DNS_TYPE_AAAA, v6, 16);

	assert_int_not_equal(ask(ls, "router.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "router.lan", 192, 168, 1, 1);

	assert_int_not_equal(ask(ls, "router.lan", DNS_TYPE_AAAA, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	rd_reset(&rd);
	rd_bytes(&rd, v6, 16);
	expect_rr(&r, 0, "router.lan", DNS_TYPE_AAAA, &rd);

	rd_reset(&rd);
	rd_u16(&rd, 10);
	rd_name(&rd, "mail.lan");
	add_one(ls, RECORD_EXACT, "lan", DNS_TYPE_MX, rd.b, rd.len);
	assert_int_not_equal(ask(ls, "lan", DNS_TYPE_MX, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "lan", DNS_TYPE_MX, &rd);

	rd_reset(&rd);
	rd_u16(&rd, 0);
	rd_u16(&rd, 5);
	rd_u16(&rd, 389);
	rd_name(&rd, "dc.lan");
	add_one(ls, RECORD_EXACT, "_ldap._tcp.lan", DNS_TYPE_SRV, rd.b,
	    rd.len);
	assert_int_not_equal(ask(ls, "_ldap._tcp.lan", DNS_TYPE_SRV, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "_ldap._tcp.lan", DNS_TYPE_SRV, &rd);

	rd_reset(&rd);
	rd_string(&rd, "v=spf1 -all");
	rd_string(&rd, "second");
	add_one(ls, RECORD_EXACT, "lan", DNS_TYPE_TXT, rd.b, rd.len);
	assert_int_not_equal(ask(ls, "lan", DNS_TYPE_TXT, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "lan", DNS_TYPE_TXT, &rd);

	rd_reset(&rd);
	rd_name(&rd, "router.lan");
	add_one(ls, RECORD_EXACT, "1.1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    rd.b, rd.len);
	assert_int_not_equal(ask(ls, "1.1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "1.1.168.192.in-addr.arpa", DNS_TYPE_PTR, &rd);

	rd_reset(&rd);
	rd_u16(&rd, 100);
	rd_u16(&rd, 10);
	rd_string(&rd, "u");
	rd_string(&rd, "E2U+sip");
	rd_string(&rd, "!^.*$!sip:info@lan!");
	rd_name(&rd, ".");
	add_one(ls, RECORD_EXACT, "lan", T_NAPTR, rd.b, rd.len);
	assert_int_not_equal(ask(ls, "lan", T_NAPTR, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "lan", T_NAPTR, &rd);

	rd_reset(&rd);
	rd_u8(&rd, 0);
	rd_string(&rd, "issue");
	rd_bytes(&rd, "letsencrypt.org", 15);
	add_one(ls, RECORD_EXACT, "lan", T_CAA, rd.b, rd.len);
	assert_int_not_equal(ask(ls, "lan", T_CAA, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "lan", T_CAA, &rd);

	/* a CNAME chain to an A record: both, in order */
	add_name_rr(ls, "www.lan", DNS_TYPE_CNAME, "router.lan");
	assert_int_not_equal(ask(ls, "www.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 2);
	rd_reset(&rd);
	rd_name(&rd, "router.lan");
	expect_rr(&r, 0, "www.lan", DNS_TYPE_CNAME, &rd);
	expect_a(&r, 1, "router.lan", 192, 168, 1, 1);

	/* asked for the CNAME itself: not followed */
	assert_int_not_equal(ask(ls, "www.lan", DNS_TYPE_CNAME, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_rr(&r, 0, "www.lan", DNS_TYPE_CNAME, &rd);

	/* one of each of the nine */
	assert_int_equal(local_count(ls), 9);
	local_free(ls);
}

static void
test_nodata_and_any(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct rd		 rd = { .len = 0 };

	add_a(ls, RECORD_EXACT, "host.lan", 10, 0, 0, 5);
	add_a(ls, RECORD_EXACT, "host.lan", 10, 0, 0, 6);
	rd_string(&rd, "hello");
	add_one(ls, RECORD_EXACT, "host.lan", DNS_TYPE_TXT, rd.b, rd.len);

	assert_int_not_equal(ask(ls, "host.lan", DNS_TYPE_MX, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	assert_int_not_equal(ask(ls, "host.lan", DNS_TYPE_AAAA, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);

	assert_int_not_equal(ask(ls, "host.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 2);
	expect_a(&r, 0, "host.lan", 10, 0, 0, 5);
	expect_a(&r, 1, "host.lan", 10, 0, 0, 6);

	assert_int_not_equal(ask(ls, "host.lan", T_ANY, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 3);
	expect_a(&r, 0, "host.lan", 10, 0, 0, 5);
	expect_rr(&r, 2, "host.lan", DNS_TYPE_TXT, &rd);

	/* not local at all, no local domain: forwarded */
	assert_int_equal(ask(ls, "other.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ls, "lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ls, "example.com", DNS_TYPE_A, &r), 0);
	local_free(ls);
}

static void
test_case(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_a(ls, RECORD_EXACT, "Router.LAN", 192, 168, 1, 1);
	assert_int_not_equal(ask(ls, "rOuTeR.lAn", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "router.lan", 192, 168, 1, 1);
	assert_memory_equal(r.pkt + DNS_HEADER_LEN, "\006rOuTeR\003lAn", 12);
	assert_int_not_equal(ask(ls, "ROUTER.LAN", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	local_free(ls);
}

static void
test_flags(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 1);
	assert_int_not_equal(ask_full(ls, "router.lan", DNS_TYPE_A,
	    DNS_F_RD | DNS_F_CD, 0, 0, 0, &r), 0);
	assert_true(r.m.hdr.flags & DNS_F_RD);
	assert_true(r.m.hdr.flags & DNS_F_CD);
	assert_false(r.m.hdr.flags & DNS_F_AD);
	assert_int_equal(r.m.hdr.arcount, 0);
	assert_int_not_equal(ask_full(ls, "router.lan", DNS_TYPE_A, 0, 0, 0,
	    0, &r), 0);
	assert_false(r.m.hdr.flags & DNS_F_RD);
	assert_false(r.m.hdr.flags & DNS_F_CD);
	/* not a standard query: the caller deals with it */
	assert_int_equal(ask_full(ls, "router.lan", DNS_TYPE_A, 0x0800, 0,
	    0, 0, &r), 0);
	local_free(ls);
}

static void
test_edns(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct dns_cursor	 c;
	struct dns_rr		 rr;

	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 1);
	assert_int_not_equal(ask_full(ls, "router.lan", DNS_TYPE_A,
	    DNS_F_RD, 1, 0x8000, 0, &r), 0);
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.edns_udp_size, 1232);
	assert_int_equal(r.m.edns_flags, 0x8000);
	assert_int_equal(r.m.edns_version, 0);
	assert_int_equal(r.m.hdr.arcount, 1);
	assert_int_equal(r.m.hdr.ancount, 1);
	/* the OPT comes after the answer and has no rdata */
	dns_cursor_init(&c, r.pkt, r.len);
	c.pos = r.m.opt_off;
	rr.section = DNS_SECTION_ADDITIONAL;
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_int_equal(rr.rdlen, 0);
	assert_int_equal(c.pos, r.len);

	assert_int_not_equal(ask_full(ls, "router.lan", DNS_TYPE_A,
	    DNS_F_RD, 1, 0, 0, &r), 0);
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.edns_flags, 0);

	/* and on a negative answer too */
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "lan"), 0);
	assert_int_not_equal(ask_full(ls, "nope.lan", DNS_TYPE_A,
	    DNS_F_RD, 1, 0x8000, 0, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.edns_flags, 0x8000);
	local_free(ls);
}

static void
test_block(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct rd		 rd = { .len = 0 };
	static const uint8_t	 any6[16];

	add_a(ls, RECORD_SUBTREE, "ads.example", 0, 0, 0, 0);
	add_one(ls, RECORD_SUBTREE, "ads.example", DNS_TYPE_AAAA, any6, 16);

	assert_int_not_equal(ask(ls, "ads.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "ads.example", 0, 0, 0, 0);

	assert_int_not_equal(ask(ls, "a.b.c.d.e.Ads.Example", DNS_TYPE_AAAA,
	    &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	rd_bytes(&rd, any6, 16);
	expect_rr(&r, 0, "a.b.c.d.e.ads.example", DNS_TYPE_AAAA, &rd);

	assert_int_not_equal(ask(ls, "x.ads.example", DNS_TYPE_MX, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);

	assert_int_not_equal(ask(ls, "x.ads.example", T_ANY, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 2);

	/* not below it, only alike */
	assert_int_equal(ask(ls, "xads.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ls, "example", DNS_TYPE_A, &r), 0);
	local_free(ls);
}

static void
test_block_longest(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_a(ls, RECORD_SUBTREE, "example", 1, 1, 1, 1);
	add_a(ls, RECORD_SUBTREE, "a.b.example", 2, 2, 2, 2);
	add_a(ls, RECORD_EXACT, "exact.a.b.example", 3, 3, 3, 3);

	assert_int_not_equal(ask(ls, "x.a.b.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "x.a.b.example", 2, 2, 2, 2);
	assert_int_not_equal(ask(ls, "a.b.example", DNS_TYPE_A, &r), 0);
	expect_a(&r, 0, "a.b.example", 2, 2, 2, 2);
	assert_int_not_equal(ask(ls, "b.example", DNS_TYPE_A, &r), 0);
	expect_a(&r, 0, "b.example", 1, 1, 1, 1);
	assert_int_not_equal(ask(ls, "zz.example", DNS_TYPE_A, &r), 0);
	expect_a(&r, 0, "zz.example", 1, 1, 1, 1);
	/* exact records beat blocks */
	assert_int_not_equal(ask(ls, "exact.a.b.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "exact.a.b.example", 3, 3, 3, 3);
	local_free(ls);
}

static void
test_block_nxdomain(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_one(ls, RECORD_NXDOMAIN, "tracker.example", 0, NULL, 0);
	add_a(ls, RECORD_SUBTREE, "ok.tracker.example", 127, 0, 0, 1);
	assert_int_not_equal(ask(ls, "tracker.example", DNS_TYPE_A, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_int_not_equal(ask(ls, "a.b.Tracker.Example", DNS_TYPE_MX, &r),
	    0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_int_not_equal(ask(ls, "x.ok.tracker.example", DNS_TYPE_A, &r),
	    0);
	expect_a(&r, 0, "x.ok.tracker.example", 127, 0, 0, 1);
	assert_int_equal(ask(ls, "example", DNS_TYPE_A, &r), 0);
	assert_int_equal(local_count(ls), 2);
	local_free(ls);
}

static void
test_local_domain(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct rd		 rd = { .len = 0 };

	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "lan"), 0);
	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 1);
	rd_u16(&rd, 0);
	rd_u16(&rd, 0);
	rd_u16(&rd, 389);
	rd_name(&rd, "dc.lan");
	add_one(ls, RECORD_EXACT, "_ldap._tcp.lan", DNS_TYPE_SRV, rd.b,
	    rd.len);

	assert_int_not_equal(ask(ls, "nothere.lan", DNS_TYPE_A, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_int_not_equal(ask(ls, "a.b.c.LAN", DNS_TYPE_AAAA, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_int_not_equal(ask(ls, "lan", DNS_TYPE_A, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	assert_int_not_equal(ask(ls, "lan", DNS_TYPE_SOA, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	/* an empty non-terminal exists: NODATA, not NXDOMAIN */
	assert_int_not_equal(ask(ls, "_tcp.lan", DNS_TYPE_A, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	assert_int_not_equal(ask(ls, "router.lan", DNS_TYPE_A, &r), 0);
	expect_a(&r, 0, "router.lan", 192, 168, 1, 1);
	assert_int_not_equal(ask(ls, "router.lan", DNS_TYPE_MX, &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	/* outside: forwarded; an own domain is not a local one */
	assert_int_equal(ask(ls, "xlan", DNS_TYPE_A, &r), 0);
	assert_int_equal(local_add_domain(ls, DOMAIN_OWN, "home"), 0);
	assert_int_equal(ask(ls, "x.home", DNS_TYPE_A, &r), 0);

	assert_int_equal(local_add_domain(ls, 0, "x"), -1);
	assert_int_equal(local_add_domain(ls, 99, "x"), -1);
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, ""), -1);
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "a..b"), -1);
	local_free(ls);
}

static void
test_unqualified(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_a(ls, RECORD_EXACT, "printer", 10, 0, 0, 9);
	assert_int_equal(ask(ls, "nas", DNS_TYPE_A, &r), 0);
	local_set_flags(ls, DNS_BLOCK_UNQUALIFIED);
	assert_int_not_equal(ask(ls, "nas", DNS_TYPE_A, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	assert_int_not_equal(ask(ls, "NAS", DNS_TYPE_MX, &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	/* local names still answer */
	assert_int_not_equal(ask(ls, "printer", DNS_TYPE_A, &r), 0);
	expect_a(&r, 0, "printer", 10, 0, 0, 9);
	/* qualified names and the root go on */
	assert_int_equal(ask(ls, "nas.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ls, ".", DNS_TYPE_NS, &r), 0);
	local_set_flags(ls, 0);
	assert_int_equal(ask(ls, "nas", DNS_TYPE_A, &r), 0);
	local_free(ls);
}

struct rev_case {
	const char	*name;
	int		 blocked;
};

static const struct rev_case rev_cases[] = {
	{ "1.0.168.192.in-addr.arpa", 1 },
	{ "0.168.192.in-addr.arpa", 1 },
	{ "168.192.in-addr.arpa", 1 },
	{ "192.in-addr.arpa", 0 },
	{ "169.192.in-addr.arpa", 0 },
	{ "1.2.3.10.in-addr.arpa", 1 },
	{ "10.in-addr.arpa", 1 },
	{ "16.172.in-addr.arpa", 1 },
	{ "5.4.31.172.in-addr.arpa", 1 },
	{ "15.172.in-addr.arpa", 0 },
	{ "32.172.in-addr.arpa", 0 },
	{ "172.in-addr.arpa", 0 },
	{ "64.100.in-addr.arpa", 1 },
	{ "1.127.100.in-addr.arpa", 1 },
	{ "128.100.in-addr.arpa", 0 },
	{ "63.100.in-addr.arpa", 0 },
	{ "1.0.0.127.in-addr.arpa", 1 },
	{ "127.in-addr.arpa", 1 },
	{ "3.254.169.in-addr.arpa", 1 },
	{ "253.169.in-addr.arpa", 0 },
	{ "8.8.8.8.in-addr.arpa", 0 },
	{ "in-addr.arpa", 0 },
	{ "arpa", 0 },
	{ "1.1.1.1.10.in-addr.arpa", 0 },	/* five octets: no address */
	{ "010.in-addr.arpa", 0 },		/* not how octets are written */
	{ "x.168.192.in-addr.arpa", 0 },
	{ "1.0.168.192.IN-ADDR.ARPA", 1 },
	{ "c.f.ip6.arpa", 1 },
	{ "0.0.d.f.ip6.arpa", 1 },
	{ "D.F.ip6.arpa", 1 },
	{ "e.f.ip6.arpa", 0 },
	{ "b.f.ip6.arpa", 0 },
	{ "f.ip6.arpa", 0 },
	{ "8.e.f.ip6.arpa", 1 },
	{ "b.e.f.ip6.arpa", 1 },
	{ "1.2.3.b.e.f.ip6.arpa", 1 },
	{ "7.e.f.ip6.arpa", 0 },
	{ "c.e.f.ip6.arpa", 0 },
	{ "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "ip6.arpa", 1 },
	{ "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "ip6.arpa", 0 },
	{ "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "ip6.arpa", 0 },
	{ "8.b.d.0.1.0.0.2.ip6.arpa", 0 },
	{ "ip6.arpa", 0 },
	{ "cc.f.ip6.arpa", 0 },
	{ "g.f.ip6.arpa", 0 },
};

static void
test_private_reverse(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	size_t			 i, n;

	for (i = 0; i < sizeof(rev_cases) / sizeof(rev_cases[0]); i++)
		assert_int_equal(ask(ls, rev_cases[i].name, DNS_TYPE_PTR, &r),
		    0);
	local_set_flags(ls, DNS_BLOCK_PRIVATE_REVERSE);
	for (i = 0; i < sizeof(rev_cases) / sizeof(rev_cases[0]); i++) {
		n = ask(ls, rev_cases[i].name, DNS_TYPE_PTR, &r);
		if (rev_cases[i].blocked != (n != 0))
			fail_msg("%s: %s", rev_cases[i].name,
			    n ? "blocked" : "forwarded");
		if (n != 0)
			expect_empty(&r, DNS_RCODE_NXDOMAIN);
		/* a forwarder named for its domain takes it */
		assert_int_equal(ask_full(ls, rev_cases[i].name, DNS_TYPE_PTR,
		    DNS_F_RD, 0, 0, 1, &r), 0);
	}

	/* hosts entries answer, and their parents exist */
	add_name_rr(ls, "5.1.168.192.in-addr.arpa", DNS_TYPE_PTR, "nas.lan");
	assert_int_not_equal(ask(ls, "5.1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	assert_int_not_equal(ask_full(ls, "5.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, DNS_F_RD, 0, 0, 1, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	assert_int_not_equal(ask(ls, "1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    &r), 0);
	expect_empty(&r, DNS_RCODE_NOERROR);
	assert_int_not_equal(ask(ls, "6.1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    &r), 0);
	expect_empty(&r, DNS_RCODE_NXDOMAIN);
	local_free(ls);
}

static void
test_cname(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct rd		 rd = { .len = 0 };
	char			 a[32], b[32];
	int			 i;

	/* a loop: each link once, then it stops */
	add_name_rr(ls, "a.lan", DNS_TYPE_CNAME, "b.lan");
	add_name_rr(ls, "b.lan", DNS_TYPE_CNAME, "A.lan");
	assert_int_not_equal(ask(ls, "a.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 2);
	add_name_rr(ls, "self.lan", DNS_TYPE_CNAME, "self.lan");
	assert_int_not_equal(ask(ls, "self.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);

	/* a long chain: 8 links at most */
	for (i = 0; i < 12; i++) {
		snprintf(a, sizeof(a), "c%d.lan", i);
		snprintf(b, sizeof(b), "c%d.lan", i + 1);
		add_name_rr(ls, a, DNS_TYPE_CNAME, b);
	}
	add_a(ls, RECORD_EXACT, "c12.lan", 10, 1, 1, 1);
	assert_int_not_equal(ask(ls, "c0.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 8);
	assert_int_not_equal(ask(ls, "c5.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 8);
	expect_a(&r, 7, "c12.lan", 10, 1, 1, 1);

	/* to a name not local: just the CNAME, the client resolves on */
	add_name_rr(ls, "ext.lan", DNS_TYPE_CNAME, "www.example.com");
	assert_int_not_equal(ask(ls, "ext.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 1);
	rd_name(&rd, "www.example.com");
	expect_rr(&r, 0, "ext.lan", DNS_TYPE_CNAME, &rd);

	/* to an address block */
	add_a(ls, RECORD_SUBTREE, "ads.example", 0, 0, 0, 0);
	add_name_rr(ls, "ad.lan", DNS_TYPE_CNAME, "x.ads.example");
	assert_int_not_equal(ask(ls, "ad.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 2);
	expect_a(&r, 1, "x.ads.example", 0, 0, 0, 0);

	/* to a missing name of a local domain */
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "lan"), 0);
	add_name_rr(ls, "dangling.lan", DNS_TYPE_CNAME, "gone.lan");
	assert_int_not_equal(ask(ls, "dangling.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	assert_int_equal(r.m.hdr.ancount, 1);
	local_free(ls);
}

static void
test_duplicates(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;

	add_a(ls, RECORD_EXACT, "nas.lan", 10, 0, 0, 2);
	add_a(ls, RECORD_EXACT, "NAS.lan", 10, 0, 0, 2);
	add_a(ls, RECORD_SUBTREE, "ads.example", 0, 0, 0, 0);
	add_a(ls, RECORD_SUBTREE, "ads.example", 0, 0, 0, 0);
	assert_int_equal(local_count(ls), 2);
	assert_int_not_equal(ask(ls, "nas.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	assert_int_not_equal(ask(ls, "ads.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	local_free(ls);
}

static void
expect_refused(struct local_store *ls, const struct payload *p)
{
	struct reply	 r;
	size_t		 before = local_count(ls);

	assert_int_equal(local_add_records(ls, p->b, p->len), -1);
	assert_int_equal(local_count(ls), before);
	/* the good entry in front of the bad one was not kept either */
	assert_int_equal(ask(ls, "good.lan", DNS_TYPE_A, &r), 0);
}

static void
test_malformed(void **state)
{
	struct local_store	*ls = store();
	struct payload		*p, *good;
	struct rd		 rd = { .len = 0 };
	static const uint8_t	 ip[4] = { 10, 0, 0, 1 };
	size_t			 cut;

	p = calloc(1, sizeof(*p));
	good = calloc(1, sizeof(*good));
	assert_non_null(p);
	assert_non_null(good);
	pl_entry(good, RECORD_EXACT, "good.lan", DNS_TYPE_A, ip, 4);

	assert_int_equal(local_add_records(ls, good->b, 0), -1);
	assert_int_equal(local_add_records(ls, NULL, 5), -1);

	/* truncated anywhere: refused */
	for (cut = 1; cut < good->len; cut++) {
		memcpy(p, good, sizeof(*p));
		p->len = good->len + cut;
		memcpy(p->b + good->len, good->b, cut);
		expect_refused(ls, p);
	}

	/* rdlen past the end */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_TXT, "\003abc", 4);
	p->b[p->len - 6] = 0x00;
	p->b[p->len - 5] = 0x09;
	expect_refused(ls, p);

	/* unknown kinds */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, 0, "x.lan", DNS_TYPE_A, ip, 4);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, 4, "x.lan", DNS_TYPE_A, ip, 4);
	expect_refused(ls, p);

	/* a subtree of anything but addresses */
	rd_u16(&rd, 10);
	rd_name(&rd, "mail.lan");
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_SUBTREE, "x.lan", DNS_TYPE_MX, rd.b, rd.len);
	expect_refused(ls, p);

	/* NXDOMAIN with a type or rdata */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_NXDOMAIN, "x.lan", DNS_TYPE_A, ip, 4);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_NXDOMAIN, "x.lan", 0, ip, 4);
	expect_refused(ls, p);

	/* bad rdata for its type */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_A, ip, 3);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_TXT, "\005abc", 4);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_TXT, NULL, 0);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", T_CAA, "\000\000", 2);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", T_NAPTR, "\000\001\000\002\001u",
	    6);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_OPT, NULL, 0);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", T_ANY, ip, 4);
	expect_refused(ls, p);

	/* compression: a pointer in the rdata, then in the owner */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_CNAME, "\xc0\x01", 2);
	expect_refused(ls, p);
	memcpy(p, good, sizeof(*p));
	pl_bytes(p, "\001\001x\xc0\x06", 5);	/* x + "lan" of good.lan */
	pl_u16(p, DNS_TYPE_A);
	pl_u16(p, DNS_CLASS_IN);
	pl_u32(p, 0);
	pl_u16(p, 4);
	pl_bytes(p, ip, 4);
	expect_refused(ls, p);

	/* a class other than IN */
	memcpy(p, good, sizeof(*p));
	pl_entry(p, RECORD_EXACT, "x.lan", DNS_TYPE_A, ip, 4);
	p->b[p->len - 11] = 3;
	expect_refused(ls, p);

	assert_int_equal(local_count(ls), 0);
	assert_int_equal(local_add_records(ls, good->b, good->len), 0);
	assert_int_equal(local_count(ls), 1);
	free(p);
	free(good);
	local_free(ls);
}

static void
test_out_small(void **state)
{
	struct local_store	*ls = store();
	struct reply		 r;
	struct dns_msg		 qm;
	uint8_t			 q[512], *out;
	size_t			 qlen, full, sz;

	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 1);
	add_a(ls, RECORD_EXACT, "router.lan", 192, 168, 1, 2);
	full = ask_full(ls, "router.lan", DNS_TYPE_A, DNS_F_RD, 1, 0x8000, 0,
	    &r);
	assert_int_not_equal(full, 0);
	qlen = make_query(q, sizeof(q), "router.lan", DNS_TYPE_A, DNS_F_RD, 1,
	    0x8000);
	assert_int_equal(dns_msg_parse(q, qlen, &qm), DNS_PARSE_OK);
	/* exactly sized buffers: the sanitizers see any write past them */
	for (sz = 0; sz < full; sz++) {
		out = malloc(sz == 0 ? 1 : sz);
		assert_non_null(out);
		assert_int_equal(local_answer(ls, &qm, q, qlen, 0, out, sz),
		    0);
		free(out);
	}
	out = malloc(full);
	assert_non_null(out);
	assert_int_equal(local_answer(ls, &qm, q, qlen, 0, out, full), full);
	assert_memory_equal(out, r.pkt, full);
	free(out);
	assert_int_equal(local_answer(ls, &qm, q, qlen, 0, NULL, 100), 0);
	local_free(ls);
}

static void
test_rebind(void **state)
{
	struct local_store	*ls = store();
	uint8_t			 w[DNS_NAME_MAX];
	size_t			 wl;

	assert_int_equal(local_add_domain(ls, DOMAIN_REBIND_OK,
	    "corp.example"), 0);
	assert_int_equal(dns_name_from_text("Host.CORP.example", w, &wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl), 1);
	assert_int_equal(dns_name_from_text("corp.example", w, &wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl), 1);
	assert_int_equal(dns_name_from_text("xcorp.example", w, &wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl), 0);
	assert_int_equal(dns_name_from_text("example", w, &wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl + 1), 0);
	/* a local domain is not a rebind exception */
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "lan"), 0);
	assert_int_equal(dns_name_from_text("a.lan", w, &wl), 0);
	assert_int_equal(local_rebind_allowed(ls, w, wl), 0);
	local_free(ls);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
heap_used(void)
{
	struct mallinfo2	 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

#define BENCH_BLOCKS	100000

static void
test_bench_100k(void **state)
{
	struct local_store	*ls;
	struct payload		*p;
	struct reply		 r;
	size_t			 np = 0, i, mem0, mem;
	char			 name[32];
	static const uint8_t	 ip[4];
	double			 t0, t;

	p = calloc(80, sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < BENCH_BLOCKS; i++) {
		if (p[np].len + 64 > PAYLOAD_MAX)
			np++;
		assert_true(np < 80);
		snprintf(name, sizeof(name), "ad%05zu.example", i);
		pl_entry(&p[np], RECORD_SUBTREE, name, DNS_TYPE_A, ip, 4);
	}
	np++;

	mem0 = heap_used();
	t0 = now();
	ls = store();
	for (i = 0; i < np; i++)
		assert_int_equal(local_add_records(ls, p[i].b, p[i].len), 0);
	t = now() - t0;
	mem = heap_used();
	/* sanitizers bring their own allocator, which mallinfo2 does not see */
	if (mem > mem0)
		print_message("100000 address blocks in %zu payloads: loaded "
		    "in %.1f ms, %.2f MB held\n", np, t * 1e3,
		    (mem - mem0) / 1048576.0);
	else
		print_message("100000 address blocks in %zu payloads: loaded "
		    "in %.1f ms\n", np, t * 1e3);
	assert_int_equal(local_count(ls), BENCH_BLOCKS);

	assert_int_not_equal(ask(ls, "a.b.c.d.e.f.g.h.ad04242.example",
	    DNS_TYPE_A, &r), 0);
	assert_int_equal(r.m.hdr.ancount, 1);
	expect_a(&r, 0, "a.b.c.d.e.f.g.h.ad04242.example", 0, 0, 0, 0);
	assert_int_not_equal(ask(ls, "ad99999.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ls, "ad100000.example", DNS_TYPE_A, &r), 0);

	t0 = now();
	for (i = 0; i < 100000; i++)
		ask(ls, "a.b.c.d.e.f.g.h.ad04242.example", DNS_TYPE_A, &r);
	t = now() - t0;
	print_message("100000 queries 10 labels deep (building and parsing "
	    "included): %.1f ms\n", t * 1e3);
	local_free(ls);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_nodata_and_any),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_edns),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_block_longest),
		cmocka_unit_test(test_block_nxdomain),
		cmocka_unit_test(test_local_domain),
		cmocka_unit_test(test_unqualified),
		cmocka_unit_test(test_private_reverse),
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_out_small),
		cmocka_unit_test(test_rebind),
		cmocka_unit_test(test_bench_100k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
