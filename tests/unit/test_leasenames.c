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

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leasenames.h"
#include "local.h"
#include "proto.h"
#include "wire.h"
#include "testpkt.h"

#define QID		0x7a31
#define T_MX		15
#define T_ANY		255
#define C_CH		3
#define EDNS_DO		0x8000

struct reply {
	uint8_t		 pkt[4096];
	size_t		 len;
	struct dns_msg	 m;
};

/* a domain in wire form; "" for none, the root */
struct dom {
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 len;
};

static struct in_addr
ip(const char *s)
{
	struct in_addr	 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct dom
domain(const char *text)
{
	struct dom	 d;

	if (text[0] == '\0') {
		d.w[0] = 0;
		d.len = 1;
		return d;
	}
	assert_int_equal(dns_name_from_text(text, d.w, &d.len), 0);
	return d;
}

static struct leasenames *
table(size_t max)
{
	struct leasenames	*ln;

	ln = leasenames_new(max);
	assert_non_null(ln);
	return ln;
}

/* a query built byte by byte, the name written label by label */
static void
query(struct pkt *p, const char *name, uint16_t qtype, uint16_t qclass,
    uint16_t flags, int edns, uint16_t edns_flags)
{
	const char	*dot;
	size_t		 n;
	uint8_t		 l;

	memset(p, 0, sizeof(*p));
	p_u16(p, QID);
	p_u16(p, flags);
	p_u16(p, 1);
	p_u16(p, 0);
	p_u16(p, 0);
	p_u16(p, edns ? 1 : 0);
	while (*name != '\0') {
		dot = strchr(name, '.');
		n = dot != NULL ? (size_t)(dot - name) : strlen(name);
		assert_true(n > 0 && n <= 63);
		l = (uint8_t)n;
		p_bytes(p, &l, 1);
		p_bytes(p, name, n);
		name += n + (dot != NULL);
	}
	l = 0;
	p_bytes(p, &l, 1);
	p_u16(p, qtype);
	p_u16(p, qclass);
	if (edns) {
		p_bytes(p, &l, 1);
		p_u16(p, DNS_TYPE_OPT);
		p_u16(p, 4096);
		p_u32(p, edns_flags);
		p_u16(p, 0);
	}
}

static void
check_reply(const struct pkt *q, const struct dns_msg *qm, struct reply *r)
{
	assert_int_equal(dns_msg_parse(r->pkt, r->len, &r->m), DNS_PARSE_OK);
	assert_int_equal(r->m.hdr.id, QID);
	assert_true(r->m.hdr.flags & DNS_F_QR);
	assert_true(r->m.hdr.flags & DNS_F_AA);
	assert_true(r->m.hdr.flags & DNS_F_RA);
	assert_int_equal(r->m.hdr.flags & (DNS_F_RD | DNS_F_CD),
	    qm->hdr.flags & (DNS_F_RD | DNS_F_CD));
	assert_true(r->m.has_question);
	assert_int_equal(r->m.q.qname_len, qm->q.qname_len);
	/* the name as the client spelled it */
	assert_memory_equal(r->m.q.qname, qm->q.qname, qm->q.qname_len);
	assert_int_equal(r->m.q.qtype, qm->q.qtype);
	assert_int_equal(r->m.hdr.nscount, 0);
	(void)q;
}

/* ask the table alone; 0 when it does not answer */
static size_t
ask_full(const struct leasenames *ln, const char *dname, const char *name,
    uint16_t qtype, uint16_t qclass, uint16_t flags, int edns,
    uint16_t edns_flags, struct reply *r)
{
	struct pkt	 q;
	struct dns_msg	 qm;
	struct dom	 d = domain(dname);

	query(&q, name, qtype, qclass, flags, edns, edns_flags);
	assert_int_equal(dns_msg_parse(q.b, q.len, &qm), DNS_PARSE_OK);
	memset(r, 0, sizeof(*r));
	r->len = leasenames_answer(ln, d.w, d.len, &qm, r->pkt,
	    sizeof(r->pkt));
	if (r->len > 0)
		check_reply(&q, &qm, r);
	return r->len;
}

static size_t
ask(const struct leasenames *ln, const char *dname, const char *name,
    uint16_t qtype, struct reply *r)
{
	return ask_full(ln, dname, name, qtype, DNS_CLASS_IN, DNS_F_RD, 0, 0,
	    r);
}

/* ask the local store, then the table, as the engine does */
static size_t
ask_both(const struct local_store *ls, const struct leasenames *ln,
    const char *dname, const char *name, uint16_t qtype, struct reply *r)
{
	struct pkt	 q;
	struct dns_msg	 qm;
	struct dom	 d = domain(dname);

	query(&q, name, qtype, DNS_CLASS_IN, DNS_F_RD, 0, 0);
	assert_int_equal(dns_msg_parse(q.b, q.len, &qm), DNS_PARSE_OK);
	memset(r, 0, sizeof(*r));
	r->len = leasenames_local_answer(ls, ln, d.w, d.len, &qm, q.b, q.len,
	    0, r->pkt, sizeof(r->pkt));
	if (r->len > 0)
		check_reply(&q, &qm, r);
	return r->len;
}

static uint16_t
rcode(const struct reply *r)
{
	return r->m.hdr.flags & DNS_F_RCODE_MASK;
}

/* the only answer record, which must be of type and TTL 0 */
static void
only_rr(const struct reply *r, uint16_t type, struct dns_rr *rr)
{
	struct dns_cursor	 c;

	assert_int_equal(rcode(r), DNS_RCODE_NOERROR);
	assert_int_equal(r->m.hdr.ancount, 1);
	dns_cursor_init(&c, r->pkt, r->len);
	c.pos = r->m.question_end;
	rr->section = DNS_SECTION_ANSWER;
	assert_int_equal(dns_read_rr(&c, rr), 0);
	assert_int_equal(rr->type, type);
	assert_int_equal(rr->rclass, DNS_CLASS_IN);
	assert_int_equal(rr->ttl, 0);
	assert_true(dns_name_equal(rr->name, rr->name_len, r->m.q.qname,
	    r->m.q.qname_len));
}

static void
expect_a(const struct reply *r, const char *addr)
{
	struct dns_rr	 rr;
	struct in_addr	 a = ip(addr);

	only_rr(r, DNS_TYPE_A, &rr);
	assert_int_equal(rr.rdlen, 4);
	assert_memory_equal(r->pkt + rr.rdata_off, &a.s_addr, 4);
}

static void
expect_ptr(const struct reply *r, const char *target)
{
	struct dns_rr	 rr;
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 wl;

	only_rr(r, DNS_TYPE_PTR, &rr);
	assert_int_equal(dns_name_from_text(target, w, &wl), 0);
	assert_int_equal(rr.rdlen, wl);
	/* the spelling the lease came with, not folded */
	assert_memory_equal(r->pkt + rr.rdata_off, w, wl);
}

static void
expect_nodata(const struct reply *r)
{
	assert_int_equal(rcode(r), DNS_RCODE_NOERROR);
	assert_int_equal(r->m.hdr.ancount, 0);
}

static void
test_label_valid(void **state)
{
	char	 buf[MOAT_DHCP_NAME_MAX];
	char	 unterminated[4] = { 'a', 'b', 'c', 'd' };

	assert_true(leasenames_label_valid("printer", 8));
	assert_true(leasenames_label_valid("Host-01", 8));
	assert_true(leasenames_label_valid("x", 64));
	assert_false(leasenames_label_valid("", 64));
	assert_false(leasenames_label_valid("a.b", 64));
	assert_false(leasenames_label_valid("a_b", 64));
	assert_false(leasenames_label_valid("a b", 64));
	assert_false(leasenames_label_valid("caf\xc3\xa9", 64));
	assert_false(leasenames_label_valid(unterminated,
	    sizeof(unterminated)));
	assert_false(leasenames_label_valid(NULL, 64));
	memset(buf, 'a', 63);
	buf[63] = '\0';
	assert_true(leasenames_label_valid(buf, sizeof(buf)));
	memset(buf, 'a', sizeof(buf));
	assert_false(leasenames_label_valid(buf, sizeof(buf)));
}

static void
test_add_lookup(void **state)
{
	struct leasenames	*ln = table(100);
	struct in_addr		 a;

	assert_int_equal(leasenames_add(ln, ip("192.168.1.50"), "Laptop"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"laptop", 6,
	    &a), 0);
	assert_int_equal(a.s_addr, ip("192.168.1.50").s_addr);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"LAPTOP", 6,
	    &a), 0);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"lapto", 5,
	    &a), -1);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"", 0, &a),
	    -1);
	assert_string_equal(leasenames_by_addr(ln, ip("192.168.1.50")),
	    "Laptop");
	assert_null(leasenames_by_addr(ln, ip("192.168.1.51")));

	/* invalid names are refused and change nothing */
	assert_int_equal(leasenames_add(ln, ip("192.168.1.51"), "a.b"), -1);
	assert_int_equal(leasenames_add(ln, ip("192.168.1.51"), ""), -1);
	assert_int_equal(leasenames_count(ln), 1);

	/* the same name again, spelled otherwise: still one entry */
	assert_int_equal(leasenames_add(ln, ip("192.168.1.50"), "LAPTOP"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	assert_string_equal(leasenames_by_addr(ln, ip("192.168.1.50")),
	    "LAPTOP");

	/* del needs the name the address has */
	assert_int_equal(leasenames_del(ln, ip("192.168.1.50"), "desktop"), 0);
	assert_int_equal(leasenames_del(ln, ip("192.168.1.49"), "laptop"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	assert_int_equal(leasenames_del(ln, ip("192.168.1.50"), "laptop"), 1);
	assert_int_equal(leasenames_count(ln), 0);
	assert_null(leasenames_by_addr(ln, ip("192.168.1.50")));
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"laptop", 6,
	    &a), -1);
	leasenames_free(ln);
}

static void
test_latest_wins(void **state)
{
	struct leasenames	*ln = table(100);
	struct in_addr		 a;

	assert_int_equal(leasenames_add(ln, ip("10.0.0.10"), "phone"), 0);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.20"), "Phone"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"phone", 5,
	    &a), 0);
	assert_int_equal(a.s_addr, ip("10.0.0.20").s_addr);
	/* the old address lost the name, PTR included */
	assert_null(leasenames_by_addr(ln, ip("10.0.0.10")));
	/* the old lease ending does not take the name from the new one */
	assert_int_equal(leasenames_del(ln, ip("10.0.0.10"), "phone"), 0);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"phone", 5,
	    &a), 0);
	assert_int_equal(a.s_addr, ip("10.0.0.20").s_addr);

	/* an address renamed drops its old name */
	assert_int_equal(leasenames_add(ln, ip("10.0.0.20"), "tablet"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"phone", 5,
	    &a), -1);
	assert_string_equal(leasenames_by_addr(ln, ip("10.0.0.20")),
	    "tablet");
	leasenames_free(ln);
}

static void
test_bound(void **state)
{
	struct leasenames	*ln = table(3);
	struct in_addr		 a;

	assert_int_equal(leasenames_add(ln, ip("10.0.0.1"), "a"), 0);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.2"), "b"), 0);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.3"), "c"), 0);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.4"), "d"), -1);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.5"), "e"), -1);
	assert_int_equal(leasenames_count(ln), 3);
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"d", 1, &a),
	    -1);
	/* replacing in place needs no room */
	assert_int_equal(leasenames_add(ln, ip("10.0.0.3"), "cc"), 0);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.9"), "a"), 0);
	assert_int_equal(leasenames_count(ln), 3);
	assert_int_equal(leasenames_del(ln, ip("10.0.0.2"), "b"), 1);
	assert_int_equal(leasenames_add(ln, ip("10.0.0.4"), "d"), 0);
	assert_int_equal(leasenames_count(ln), 3);
	leasenames_free(ln);
}

static void
test_many_and_clear(void **state)
{
	struct leasenames	*ln = table(LEASENAMES_MAX);
	struct in_addr		 a, got;
	char			 name[32];
	uint32_t		 i;
	const uint32_t		 n = 50000;

	for (i = 0; i < n; i++) {
		a.s_addr = htonl(0x0a000000 + i + 1);
		snprintf(name, sizeof(name), "Host-%u", i);
		assert_int_equal(leasenames_add(ln, a, name), 0);
	}
	assert_int_equal(leasenames_count(ln), n);
	for (i = 0; i < n; i++) {
		a.s_addr = htonl(0x0a000000 + i + 1);
		snprintf(name, sizeof(name), "host-%u", i);
		assert_int_equal(leasenames_by_name(ln, (uint8_t *)name,
		    strlen(name), &got), 0);
		assert_int_equal(got.s_addr, a.s_addr);
		assert_non_null(leasenames_by_addr(ln, a));
	}
	/* half of them go */
	for (i = 0; i < n; i += 2) {
		a.s_addr = htonl(0x0a000000 + i + 1);
		snprintf(name, sizeof(name), "HOST-%u", i);
		assert_int_equal(leasenames_del(ln, a, name), 1);
	}
	assert_int_equal(leasenames_count(ln), n / 2);
	leasenames_clear(ln);
	assert_int_equal(leasenames_count(ln), 0);
	a.s_addr = htonl(0x0a000002);
	assert_null(leasenames_by_addr(ln, a));
	assert_int_equal(leasenames_by_name(ln, (const uint8_t *)"host-1", 6,
	    &got), -1);
	/* usable after a clear */
	assert_int_equal(leasenames_add(ln, a, "again"), 0);
	assert_int_equal(leasenames_count(ln), 1);
	leasenames_free(ln);
}

static void
test_answer_a(void **state)
{
	struct leasenames	*ln = table(100);
	struct reply		 r;

	assert_int_equal(leasenames_add(ln, ip("192.168.1.50"), "Laptop"), 0);
	assert_true(ask(ln, "lan", "laptop.lan", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.50");
	assert_true(ask(ln, "lan", "LAPTOP.Lan", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.50");
	assert_true(ask(ln, "lan", "laptop.lan", T_ANY, &r) > 0);
	expect_a(&r, "192.168.1.50");
	/* the name exists: other types get no data, not NXDOMAIN */
	assert_true(ask(ln, "lan", "laptop.lan", DNS_TYPE_AAAA, &r) > 0);
	expect_nodata(&r);
	assert_true(ask(ln, "lan", "laptop.lan", T_MX, &r) > 0);
	expect_nodata(&r);
	/* names the table does not hold go on */
	assert_int_equal(ask(ln, "lan", "desktop.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ln, "lan", "laptop", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ln, "lan", "laptop.example", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ln, "lan", "x.laptop.lan", DNS_TYPE_A, &r), 0);
	assert_int_equal(ask(ln, "lan", "lan", DNS_TYPE_A, &r), 0);
	/* a longer domain */
	assert_true(ask(ln, "home.example.org", "laptop.home.example.org",
	    DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.50");
	assert_int_equal(ask(ln, "home.example.org", "laptop.example.org",
	    DNS_TYPE_A, &r), 0);
	/* a class other than IN and ANY goes on */
	assert_int_equal(ask_full(ln, "lan", "laptop.lan", DNS_TYPE_A, C_CH,
	    DNS_F_RD, 0, 0, &r), 0);
	assert_true(ask_full(ln, "lan", "laptop.lan", DNS_TYPE_A, 255,
	    DNS_F_RD, 0, 0, &r) > 0);
	leasenames_free(ln);
}

static void
test_answer_no_domain(void **state)
{
	struct leasenames	*ln = table(100);
	struct reply		 r;

	assert_int_equal(leasenames_add(ln, ip("10.1.2.3"), "nas"), 0);
	assert_true(ask(ln, "", "nas", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "10.1.2.3");
	assert_int_equal(ask(ln, "", "nas.lan", DNS_TYPE_A, &r), 0);
	assert_true(ask(ln, "", "3.2.1.10.in-addr.arpa", DNS_TYPE_PTR,
	    &r) > 0);
	expect_ptr(&r, "nas");
	leasenames_free(ln);
}

static void
test_answer_ptr(void **state)
{
	struct leasenames	*ln = table(100);
	struct reply		 r;

	assert_int_equal(leasenames_add(ln, ip("192.168.1.50"), "Laptop"), 0);
	assert_true(ask(ln, "lan", "50.1.168.192.in-addr.arpa", DNS_TYPE_PTR,
	    &r) > 0);
	expect_ptr(&r, "Laptop.lan");
	assert_true(ask(ln, "lan", "50.1.168.192.IN-ADDR.ARPA", T_ANY,
	    &r) > 0);
	expect_ptr(&r, "Laptop.lan");
	assert_true(ask(ln, "lan", "50.1.168.192.in-addr.arpa", DNS_TYPE_A,
	    &r) > 0);
	expect_nodata(&r);
	/* not the reverse name of a lease */
	assert_int_equal(ask(ln, "lan", "51.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "050.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "x.50.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "50.1.168.192.in-addr.example",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "50.1.168.256.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "50.1.168.192.ip6.arpa",
	    DNS_TYPE_PTR, &r), 0);
	/* after del, neither name answers */
	assert_int_equal(leasenames_del(ln, ip("192.168.1.50"), "laptop"), 1);
	assert_int_equal(ask(ln, "lan", "50.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r), 0);
	assert_int_equal(ask(ln, "lan", "laptop.lan", DNS_TYPE_A, &r), 0);
	leasenames_free(ln);
}

static void
test_answer_edns_flags(void **state)
{
	struct leasenames	*ln = table(100);
	struct reply		 r;

	assert_int_equal(leasenames_add(ln, ip("192.168.1.7"), "tv"), 0);
	assert_true(ask_full(ln, "lan", "tv.lan", DNS_TYPE_A, DNS_CLASS_IN,
	    DNS_F_RD | DNS_F_CD, 1, EDNS_DO, &r) > 0);
	expect_a(&r, "192.168.1.7");
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.edns_udp_size, 1232);
	assert_int_equal(r.m.edns_flags & EDNS_DO, EDNS_DO);
	assert_int_equal(r.m.hdr.arcount, 1);
	/* no RD asked, none given; no OPT without one in the query */
	assert_true(ask_full(ln, "lan", "tv.lan", DNS_TYPE_A, DNS_CLASS_IN,
	    0, 0, 0, &r) > 0);
	assert_false(r.m.hdr.flags & DNS_F_RD);
	assert_false(r.m.has_edns);
	assert_int_equal(r.m.hdr.arcount, 0);
	leasenames_free(ln);
}

static void
test_answer_small_out(void **state)
{
	struct leasenames	*ln = table(100);
	struct pkt		 q;
	struct dns_msg		 qm;
	struct dom		 d = domain("lan");
	uint8_t			 out[64];
	size_t			 sz;

	assert_int_equal(leasenames_add(ln, ip("192.168.1.7"), "tv"), 0);
	query(&q, "tv.lan", DNS_TYPE_A, DNS_CLASS_IN, DNS_F_RD, 0, 0);
	assert_int_equal(dns_msg_parse(q.b, q.len, &qm), DNS_PARSE_OK);
	/* too small for the record: no answer rather than a broken one */
	for (sz = 0; sz < q.len + 16; sz++)
		assert_int_equal(leasenames_answer(ln, d.w, d.len, &qm, out,
		    sz), 0);
	assert_int_equal(leasenames_answer(ln, d.w, d.len, &qm, out,
	    sizeof(out)), q.len + 16);
	/* an empty table never answers */
	leasenames_clear(ln);
	assert_int_equal(leasenames_answer(ln, d.w, d.len, &qm, out,
	    sizeof(out)), 0);
	leasenames_free(ln);
}

/* one record payload entry, as the parent sends IMSG_CONF_RECORDS */
static void
add_record(struct local_store *ls, const char *name, uint16_t type,
    const void *rdata, uint16_t rdlen)
{
	struct pkt	 p;
	uint8_t		 w[DNS_NAME_MAX], kind = RECORD_EXACT;
	size_t		 wl;

	memset(&p, 0, sizeof(p));
	assert_int_equal(dns_name_from_text(name, w, &wl), 0);
	p_bytes(&p, &kind, 1);
	p_bytes(&p, w, wl);
	p_u16(&p, type);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 0);
	p_u16(&p, rdlen);
	p_bytes(&p, rdata, rdlen);
	assert_int_equal(local_add_records(ls, p.b, p.len), 0);
}

static void
add_nx_block(struct local_store *ls, const char *name)
{
	struct pkt	 p;
	uint8_t		 w[DNS_NAME_MAX], kind = RECORD_NXDOMAIN;
	size_t		 wl;

	memset(&p, 0, sizeof(p));
	assert_int_equal(dns_name_from_text(name, w, &wl), 0);
	p_bytes(&p, &kind, 1);
	p_bytes(&p, w, wl);
	p_u16(&p, 0);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 0);
	p_u16(&p, 0);
	assert_int_equal(local_add_records(ls, p.b, p.len), 0);
}

static void
test_local_wins(void **state)
{
	struct leasenames	*ln = table(100);
	struct local_store	*ls = local_new();
	struct reply		 r;
	struct in_addr		 a = ip("192.168.1.1");
	uint8_t			 v6[16] = { 0xfd, [15] = 1 };

	assert_non_null(ls);
	add_record(ls, "router.lan", DNS_TYPE_A, &a.s_addr, 4);
	add_record(ls, "six.lan", DNS_TYPE_AAAA, v6, 16);
	assert_int_equal(leasenames_add(ln, ip("192.168.1.60"), "router"), 0);
	assert_int_equal(leasenames_add(ln, ip("192.168.1.61"), "six"), 0);
	assert_int_equal(leasenames_add(ln, ip("192.168.1.62"), "pc"), 0);

	/* a record of the name wins, for its type and for others */
	assert_true(ask_both(ls, ln, "lan", "router.lan", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.1");
	assert_true(ask_both(ls, ln, "lan", "six.lan", DNS_TYPE_A, &r) > 0);
	expect_nodata(&r);
	/* a name local data does not know is the lease's */
	assert_true(ask_both(ls, ln, "lan", "pc.lan", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.62");
	/* without a local store, the lease answers */
	assert_true(ask_both(NULL, ln, "lan", "router.lan", DNS_TYPE_A,
	    &r) > 0);
	expect_a(&r, "192.168.1.60");
	/* neither knows it: on to the cache */
	assert_int_equal(ask_both(ls, ln, "lan", "nobody.lan", DNS_TYPE_A,
	    &r), 0);
	local_free(ls);
	leasenames_free(ln);
}

static void
test_over_policies(void **state)
{
	struct leasenames	*ln = table(100);
	struct local_store	*ls = local_new();
	struct reply		 r;

	assert_non_null(ls);
	assert_int_equal(local_add_domain(ls, DOMAIN_OWN, "lan"), 0);
	assert_int_equal(local_add_domain(ls, DOMAIN_LOCAL, "lan"), 0);
	local_set_flags(ls, DNS_BLOCK_PRIVATE_REVERSE | DNS_BLOCK_UNQUALIFIED);
	add_nx_block(ls, "blocked.example");
	assert_int_equal(leasenames_add(ln, ip("192.168.1.62"), "pc"), 0);

	/* a local domain says NXDOMAIN to unknown names, not to leases */
	assert_true(ask_both(ls, ln, "lan", "pc.lan", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.62");
	assert_true(ask_both(ls, ln, "lan", "pc.lan", DNS_TYPE_AAAA, &r) > 0);
	expect_nodata(&r);
	assert_true(ask_both(ls, ln, "lan", "other.lan", DNS_TYPE_A, &r) > 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	/* block private reverse does not hide a lease's reverse name */
	assert_true(ask_both(ls, ln, "lan", "62.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r) > 0);
	expect_ptr(&r, "pc.lan");
	assert_true(ask_both(ls, ln, "lan", "63.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR, &r) > 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	/* nor does block unqualified a bare lease name without a domain */
	assert_true(ask_both(ls, ln, "", "pc", DNS_TYPE_A, &r) > 0);
	expect_a(&r, "192.168.1.62");
	assert_true(ask_both(ls, ln, "", "other", DNS_TYPE_A, &r) > 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	/* other local NXDOMAIN answers stay */
	assert_true(ask_both(ls, ln, "lan", "blocked.example", DNS_TYPE_A,
	    &r) > 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	/* an address line without addresses is data: it hides a lease */
	add_nx_block(ls, "evil.lan");
	assert_int_equal(leasenames_add(ln, ip("192.168.1.63"), "evil"), 0);
	assert_true(ask_both(ls, ln, "lan", "evil.lan", DNS_TYPE_A, &r) > 0);
	assert_int_equal(rcode(&r), DNS_RCODE_NXDOMAIN);
	local_free(ls);
	leasenames_free(ln);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_valid),
		cmocka_unit_test(test_add_lookup),
		cmocka_unit_test(test_latest_wins),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_many_and_clear),
		cmocka_unit_test(test_answer_a),
		cmocka_unit_test(test_answer_no_domain),
		cmocka_unit_test(test_answer_ptr),
		cmocka_unit_test(test_answer_edns_flags),
		cmocka_unit_test(test_answer_small_out),
		cmocka_unit_test(test_local_wins),
		cmocka_unit_test(test_over_policies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
