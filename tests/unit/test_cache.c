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

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bytes.h"
#include "cache.h"
#include "testpkt.h"
#include "wire.h"

#define T0		1000	/* the time answers are stored at */
#define QID		0x5a5a	/* the client's query ID */
#define UPID		0x1111	/* the upstream's */

#define EDNS_NONE	0
#define EDNS_PLAIN	1
#define EDNS_DO		2

/* what an answer from the cache holds, read back with the wire module */
struct reply {
	struct dns_msg	 m;
	size_t		 len;
	size_t		 nrr;
	struct dns_rr	 rr[CACHE_MAX_RRS + 2];
};

static void
p_header(struct pkt *p, uint16_t flags, uint16_t an, uint16_t ns,
    uint16_t ar)
{
	p->len = 0;
	p_u16(p, UPID);
	p_u16(p, DNS_F_QR | DNS_F_RD | DNS_F_RA | flags);
	p_u16(p, 1);
	p_u16(p, an);
	p_u16(p, ns);
	p_u16(p, ar);
}

static void
p_name(struct pkt *p, const char *text)
{
	uint8_t	 name[DNS_NAME_MAX];
	size_t	 n;

	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	p_bytes(p, name, n);
}

static void
p_ptr(struct pkt *p, uint16_t off)
{
	p_u16(p, 0xc000 | off);
}

/* an answer starts: header, then the question at offset 12 */
static void
p_answer(struct pkt *p, uint16_t flags, uint16_t an, uint16_t ns,
    uint16_t ar, const char *qname, uint16_t qtype)
{
	p_header(p, flags, an, ns, ar);
	p_name(p, qname);
	p_u16(p, qtype);
	p_u16(p, DNS_CLASS_IN);
}

/* type, class, ttl and a room for rdlen after an owner already written */
static size_t
p_rr_begin(struct pkt *p, uint16_t type, uint32_t ttl)
{
	p_u16(p, type);
	p_u16(p, DNS_CLASS_IN);
	p_u32(p, ttl);
	p_u16(p, 0);
	return p->len;
}

static void
p_rr_end(struct pkt *p, size_t start)
{
	put_be16(p->b + start - 2, p->len - start);
}

static void
p_a(struct pkt *p, uint32_t ttl, const char *addr)
{
	uint8_t	 a[4];
	size_t	 at;

	assert_int_equal(inet_pton(AF_INET, addr, a), 1);
	at = p_rr_begin(p, DNS_TYPE_A, ttl);
	p_bytes(p, a, 4);
	p_rr_end(p, at);
}

static void
p_aaaa(struct pkt *p, uint32_t ttl, const char *addr)
{
	uint8_t	 a[16];
	size_t	 at;

	assert_int_equal(inet_pton(AF_INET6, addr, a), 1);
	at = p_rr_begin(p, DNS_TYPE_AAAA, ttl);
	p_bytes(p, a, 16);
	p_rr_end(p, at);
}

static void
p_cname(struct pkt *p, uint32_t ttl, const char *target)
{
	size_t	 at;

	at = p_rr_begin(p, DNS_TYPE_CNAME, ttl);
	p_name(p, target);
	p_rr_end(p, at);
}

static void
p_soa(struct pkt *p, uint32_t ttl, uint32_t minimum)
{
	size_t	 at;

	at = p_rr_begin(p, DNS_TYPE_SOA, ttl);
	p_name(p, "ns1.example.com");
	p_name(p, "hostmaster.example.com");
	p_u32(p, 2026010101);
	p_u32(p, 7200);
	p_u32(p, 900);
	p_u32(p, 1209600);
	p_u32(p, minimum);
	p_rr_end(p, at);
}

static void
p_opt(struct pkt *p, uint16_t udp, uint32_t ttl)
{
	uint8_t	 root = 0;

	p_bytes(p, &root, 1);
	p_u16(p, DNS_TYPE_OPT);
	p_u16(p, udp);
	p_u32(p, ttl);
	p_u16(p, 0);
}

/* www.example.com A: two addresses */
static void
make_a(struct pkt *p, const char *qname, uint32_t ttl)
{
	p_answer(p, 0, 2, 0, 0, qname, DNS_TYPE_A);
	p_ptr(p, 12);
	p_a(p, ttl, "192.0.2.1");
	p_ptr(p, 12);
	p_a(p, ttl, "192.0.2.2");
}

/* NXDOMAIN or NODATA with an SOA, or without one */
static void
make_negative(struct pkt *p, uint16_t rcode, int soa, uint32_t ttl,
    uint32_t minimum)
{
	p_answer(p, rcode, 0, soa, 0, "nope.example.com", DNS_TYPE_A);
	if (soa) {
		p_ptr(p, 12 + 5);	/* example.com */
		p_soa(p, ttl, minimum);
	}
}

static uint8_t *
bw(const char *text, size_t *len)
{
	static uint8_t	 name[DNS_NAME_MAX];

	assert_int_equal(dns_name_from_text(text, name, len), 0);
	return name;
}

/* store p as its own question's answer, within the bailiwick given */
static int
store_in(struct cache *c, const struct pkt *p, const char *bailiwick,
    time_t now)
{
	struct dns_msg	 m;
	uint8_t		*b;
	size_t		 blen;

	assert_int_equal(dns_msg_parse(p->b, p->len, &m), DNS_PARSE_OK);
	assert_true(m.has_question);
	b = bw(bailiwick, &blen);
	return cache_store(c, &m.q, p->b, p->len, &m, b, blen, now);
}

static enum dns_parse_result
parse_result(const struct pkt *p)
{
	struct dns_msg	 m;

	return dns_msg_parse(p->b, p->len, &m);
}

static int
store(struct cache *c, const struct pkt *p, time_t now)
{
	return store_in(c, p, ".", now);
}

static void
make_query(struct pkt *p, const char *qname, uint16_t qtype, int edns,
    uint16_t flags)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	static const uint8_t	 root = 0;

	memset(&h, 0, sizeof(h));
	h.id = QID;
	h.flags = flags;
	h.qdcount = 1;
	h.arcount = edns != EDNS_NONE;
	memset(&q, 0, sizeof(q));
	assert_int_equal(dns_name_from_text(qname, q.qname, &q.qname_len), 0);
	q.qtype = qtype;
	q.qclass = DNS_CLASS_IN;
	dns_builder_init(&b, p->b, sizeof(p->b));
	dns_build_header(&b, &h);
	dns_build_question(&b, &q);
	if (edns != EDNS_NONE)
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, 4096,
		    edns == EDNS_DO ? 0x8000 : 0, NULL, 0);
	assert_false(b.error);
	p->len = b.len;
}

/*
 * Ask the cache; an answer must parse, carry the client's ID and its
 * question exactly as spelled.  Returns the answer's length.
 */
static size_t
ask_flags(struct cache *c, const char *qname, uint16_t qtype, int edns,
    uint16_t flags, time_t now, struct reply *r)
{
	struct pkt		 query;
	struct dns_msg		 qm;
	struct dns_cursor	 cur;
	static uint8_t		 out[DNS_MSG_MAX];
	size_t			 n, i, total;

	make_query(&query, qname, qtype, edns, flags);
	assert_int_equal(dns_msg_parse(query.b, query.len, &qm), DNS_PARSE_OK);
	n = cache_answer(c, &qm, query.b, query.len, now, out, sizeof(out));
	memset(r, 0, sizeof(*r));
	r->len = n;
	if (n == 0)
		return 0;
	assert_int_equal(dns_msg_parse(out, n, &r->m), DNS_PARSE_OK);
	assert_int_equal(r->m.hdr.id, QID);
	assert_true(r->m.has_question);
	assert_int_equal(r->m.q.qname_len, qm.q.qname_len);
	assert_memory_equal(r->m.q.qname, qm.q.qname, qm.q.qname_len);
	assert_memory_equal(out + DNS_HEADER_LEN, qm.q.qname,
	    qm.q.qname_len);
	assert_int_equal(r->m.q.qtype, qtype);
	assert_true(r->m.hdr.flags & DNS_F_QR);
	assert_true(r->m.hdr.flags & DNS_F_RA);
	assert_false(r->m.hdr.flags & DNS_F_TC);
	assert_false(r->m.hdr.flags & DNS_F_AA);
	assert_int_equal(r->m.hdr.flags & (DNS_F_RD | DNS_F_CD),
	    flags & (DNS_F_RD | DNS_F_CD));
	total = (size_t)r->m.hdr.ancount + r->m.hdr.nscount +
	    r->m.hdr.arcount;
	assert_true(total <= CACHE_MAX_RRS + 1);
	dns_cursor_init(&cur, out, n);
	cur.pos = r->m.question_end;
	for (i = 0; i < total; i++)
		assert_int_equal(dns_read_rr(&cur, &r->rr[i]), 0);
	r->nrr = total;
	return n;
}

static size_t
ask(struct cache *c, const char *qname, uint16_t qtype, int edns,
    time_t now, struct reply *r)
{
	return ask_flags(c, qname, qtype, edns, DNS_F_RD, now, r);
}

static struct cache *
new_cache(size_t size)
{
	struct cache	*c;

	c = cache_new(size);
	assert_non_null(c);
	return c;
}

static uint64_t
entries(const struct cache *c)
{
	struct cache_stats	 st;

	cache_stats(c, &st);
	return st.entries;
}

static void
test_a(void **state)
{
	struct cache		*c = new_cache(16);
	struct cache_stats	 st;
	struct reply		 r;
	struct pkt		 p;

	make_a(&p, "www.example.com", 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_equal(entries(c), 1);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0, &r), 0);
	/* nothing changed at the same second: the very packet, new ID */
	assert_int_equal(r.len, p.len);
	assert_int_equal(r.m.hdr.flags & DNS_F_RCODE_MASK, DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 2);
	assert_int_equal(r.nrr, 2);
	assert_int_equal(r.rr[0].type, DNS_TYPE_A);
	assert_int_equal(r.rr[0].ttl, 300);
	assert_int_equal(r.rr[1].ttl, 300);
	/* other types and names miss */
	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_AAAA, EDNS_NONE,
	    T0, &r), 0);
	assert_int_equal(ask(c, "ww.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0, &r), 0);
	cache_stats(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 2);
	assert_int_equal(st.size, 16);
	cache_free(c);
}

static void
test_aaaa(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	p_answer(&p, 0, 1, 0, 0, "v6.example.com", DNS_TYPE_AAAA);
	p_ptr(&p, 12);
	p_aaaa(&p, 120, "2001:db8::1");
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "v6.example.com", DNS_TYPE_AAAA,
	    EDNS_NONE, T0 + 20, &r), 0);
	assert_int_equal(r.nrr, 1);
	assert_int_equal(r.rr[0].type, DNS_TYPE_AAAA);
	assert_int_equal(r.rr[0].rdlen, 16);
	assert_int_equal(r.rr[0].ttl, 100);
	cache_free(c);
}

/* MX: names compressed against the question and against rdata */
static void
test_mx(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;
	size_t		 at, mail;
	uint8_t		 name[DNS_NAME_MAX];
	size_t		 nlen;

	p_answer(&p, 0, 2, 0, 1, "example.com", DNS_TYPE_MX);
	p_ptr(&p, 12);
	at = p_rr_begin(&p, DNS_TYPE_MX, 600);
	p_u16(&p, 10);
	mail = p.len;
	p_bytes(&p, "\004mail", 5);
	p_ptr(&p, 12);
	p_rr_end(&p, at);
	p_ptr(&p, 12);
	at = p_rr_begin(&p, DNS_TYPE_MX, 600);
	p_u16(&p, 20);
	p_bytes(&p, "\005mail2", 6);
	p_ptr(&p, 12);
	p_rr_end(&p, at);
	p_ptr(&p, mail);
	p_a(&p, 300, "192.0.2.25");
	assert_int_equal(store(c, &p, T0), 0);

	assert_int_not_equal(ask(c, "EXAMPLE.com", DNS_TYPE_MX, EDNS_NONE,
	    T0 + 1, &r), 0);
	assert_int_equal(r.nrr, 3);
	assert_int_equal(r.m.hdr.ancount, 2);
	assert_int_equal(r.m.hdr.arcount, 1);
	assert_int_equal(r.rr[0].type, DNS_TYPE_MX);
	assert_int_equal(r.rr[0].ttl, 599);
	assert_int_equal(r.rr[2].ttl, 299);
	/* owner names decompress to the client's spelling of the question */
	assert_memory_equal(r.rr[0].name, "\007EXAMPLE\003com", 13);
	assert_memory_equal(r.rr[2].name, "\004mail\007EXAMPLE\003com", 18);
	assert_int_equal(dns_name_from_text("mail.example.com", name, &nlen),
	    0);
	assert_true(dns_name_equal(r.rr[2].name, r.rr[2].name_len, name,
	    nlen));
	cache_free(c);
}

static void
test_cname_chain(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;
	size_t		 web;

	p_answer(&p, 0, 3, 0, 0, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_cname(&p, 3600, "web.example.com");
	web = p.len - 17;	/* web.example.com in the rdata */
	p_ptr(&p, web);
	p_cname(&p, 60, "host.example.net");
	p_name(&p, "host.example.net");
	p_a(&p, 600, "192.0.2.80");
	assert_int_equal(store(c, &p, T0), 0);

	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 59, &r), 0);
	assert_int_equal(r.nrr, 3);
	assert_int_equal(r.rr[0].type, DNS_TYPE_CNAME);
	assert_int_equal(r.rr[0].ttl, 3600 - 59);
	assert_int_equal(r.rr[1].type, DNS_TYPE_CNAME);
	assert_memory_equal(r.rr[1].name, "\003web\007example\003com", 17);
	assert_int_equal(r.rr[1].ttl, 1);
	assert_int_equal(r.rr[2].type, DNS_TYPE_A);
	assert_int_equal(r.rr[2].ttl, 600 - 59);
	/* the shortest TTL of the chain bounds the entry */
	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 60, &r), 0);
	assert_int_equal(entries(c), 0);
	cache_free(c);
}

static void
test_nxdomain_soa(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	/* MINIMUM below the SOA's TTL bounds it */
	make_negative(&p, DNS_RCODE_NXDOMAIN, 1, 3600, 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "nope.example.com", DNS_TYPE_A,
	    EDNS_NONE, T0 + 299, &r), 0);
	assert_int_equal(r.m.hdr.flags & DNS_F_RCODE_MASK,
	    DNS_RCODE_NXDOMAIN);
	assert_int_equal(r.m.hdr.ancount, 0);
	assert_int_equal(r.m.hdr.nscount, 1);
	assert_int_equal(r.rr[0].type, DNS_TYPE_SOA);
	assert_int_equal(r.rr[0].ttl, 3600 - 299);
	assert_int_equal(ask(c, "nope.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 300, &r), 0);
	assert_int_equal(entries(c), 0);

	/* and the SOA's TTL below MINIMUM */
	make_negative(&p, DNS_RCODE_NXDOMAIN, 1, 60, 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "nope.example.com", DNS_TYPE_A,
	    EDNS_NONE, T0 + 59, &r), 0);
	assert_int_equal(r.rr[0].ttl, 1);
	assert_int_equal(ask(c, "nope.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 60, &r), 0);
	cache_free(c);
}

static void
test_nodata_soa(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	make_negative(&p, DNS_RCODE_NOERROR, 1, 900, 120);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "nope.example.com", DNS_TYPE_A,
	    EDNS_NONE, T0 + 119, &r), 0);
	assert_int_equal(r.m.hdr.flags & DNS_F_RCODE_MASK, DNS_RCODE_NOERROR);
	assert_int_equal(r.m.hdr.ancount, 0);
	assert_int_equal(r.m.hdr.nscount, 1);
	assert_int_equal(ask(c, "nope.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 120, &r), 0);
	cache_free(c);
}

static void
test_negative_without_soa(void **state)
{
	struct cache	*c = new_cache(16);
	struct pkt	 p;

	make_negative(&p, DNS_RCODE_NXDOMAIN, 0, 0, 0);
	assert_int_equal(store(c, &p, T0), -1);
	make_negative(&p, DNS_RCODE_NOERROR, 0, 0, 0);
	assert_int_equal(store(c, &p, T0), -1);
	/* an NS in the authority section is no SOA */
	p_answer(&p, DNS_RCODE_NXDOMAIN, 0, 1, 0, "nope.example.com",
	    DNS_TYPE_A);
	p_ptr(&p, 12 + 5);
	p_cname(&p, 300, "ns.example.com");
	put_be16(p.b + p.len - 16 - 10, DNS_TYPE_NS);
	assert_int_equal(store(c, &p, T0), -1);
	assert_int_equal(entries(c), 0);
	cache_free(c);
}

static void
test_ttl_countdown(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	/* an additional record shorter lived than the entry stops at 0 */
	p_answer(&p, 0, 1, 0, 1, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 3600, "192.0.2.1");
	p_name(&p, "other.example.com");
	p_a(&p, 50, "192.0.2.2");
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 100, &r), 0);
	assert_int_equal(r.rr[0].ttl, 3500);
	assert_int_equal(r.rr[1].ttl, 0);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 3599, &r), 0);
	assert_int_equal(r.rr[0].ttl, 1);
	/* a clock seen going back counts no time */
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 - 5, &r), 0);
	assert_int_equal(r.rr[0].ttl, 3600);
	cache_free(c);
}

static void
test_expiry(void **state)
{
	struct cache		*c = new_cache(16);
	struct cache_stats	 st;
	struct reply		 r;
	struct pkt		 p;

	make_a(&p, "www.example.com", 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 100, &r), 0);
	assert_int_equal(r.rr[0].ttl, 200);
	assert_int_equal(r.rr[1].ttl, 200);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 299, &r), 0);
	assert_int_equal(r.rr[0].ttl, 1);
	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 300, &r), 0);
	cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 1);
	cache_free(c);
}

static void
test_case(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	make_a(&p, "WWW.Example", 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_not_equal(ask(c, "www.EXAMPLE", DNS_TYPE_A, EDNS_NONE,
	    T0, &r), 0);
	assert_memory_equal(r.m.q.qname, "\003www\007EXAMPLE", 13);
	/* the owners point at the question: they follow the spelling */
	assert_memory_equal(r.rr[0].name, "\003www\007EXAMPLE", 13);
	assert_int_not_equal(ask(c, "wWw.eXaMpLe", DNS_TYPE_A, EDNS_NONE,
	    T0, &r), 0);
	assert_memory_equal(r.m.q.qname, "\003wWw\007eXaMpLe", 13);
	/* storing another spelling replaces the one entry */
	make_a(&p, "www.example", 300);
	assert_int_equal(store(c, &p, T0), 0);
	assert_int_equal(entries(c), 1);
	cache_free(c);
}

static void
test_edns(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;
	size_t		 plain;

	/* the upstream's OPT (4096, DO) is not kept */
	p_answer(&p, 0, 1, 0, 1, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_opt(&p, 4096, 0x8000);
	assert_int_equal(store(c, &p, T0), 0);

	plain = ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE, T0, &r);
	assert_int_equal(plain, p.len - 11);
	assert_false(r.m.has_edns);
	assert_int_equal(r.m.hdr.arcount, 0);

	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_DO, T0,
	    &r), plain + 11);
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.hdr.arcount, 1);
	assert_int_equal(r.m.edns_udp_size, 1232);
	assert_int_equal(r.m.edns_version, 0);
	assert_int_equal(r.m.edns_flags, 0x8000);
	assert_int_equal(r.m.opt_off + r.m.opt_len, r.len);

	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_PLAIN, T0,
	    &r), plain + 11);
	assert_true(r.m.has_edns);
	assert_int_equal(r.m.edns_flags, 0);
	assert_int_equal(r.m.edns_udp_size, 1232);
	cache_free(c);
}

static void
test_opt_not_last(void **state)
{
	struct cache	*c = new_cache(16);
	struct pkt	 p;

	p_answer(&p, 0, 1, 0, 2, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_opt(&p, 1232, 0);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.2");
	assert_int_equal(store(c, &p, T0), -1);
	/* an extended rcode (BADVERS and the like) is no NOERROR */
	p_answer(&p, 0, 1, 0, 1, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_opt(&p, 1232, 1U << 24);
	assert_int_equal(store(c, &p, T0), -1);
	assert_int_equal(entries(c), 0);
	cache_free(c);
}

static void
test_not_cached(void **state)
{
	struct cache	*c = new_cache(16);
	struct pkt	 p;

	make_a(&p, "www.example.com", 300);
	p.b[2] |= DNS_F_TC >> 8;
	assert_int_equal(store(c, &p, T0), -1);
	make_a(&p, "www.example.com", 300);
	p.b[3] = (p.b[3] & 0xf0) | DNS_RCODE_SERVFAIL;
	assert_int_equal(store(c, &p, T0), -1);
	make_a(&p, "www.example.com", 300);
	p.b[3] = (p.b[3] & 0xf0) | DNS_RCODE_REFUSED;
	assert_int_equal(store(c, &p, T0), -1);
	/* a query is not an answer */
	make_a(&p, "www.example.com", 300);
	p.b[2] &= ~(DNS_F_QR >> 8);
	assert_int_equal(store(c, &p, T0), -1);
	/* lifetime 0, and TTLs with the top bit set (RFC 2181: 0) */
	make_a(&p, "www.example.com", 0);
	assert_int_equal(store(c, &p, T0), -1);
	make_a(&p, "www.example.com", 0x80000000U);
	assert_int_equal(store(c, &p, T0), -1);
	assert_int_equal(entries(c), 0);
	/* the control: the same answer, well formed, is kept */
	make_a(&p, "www.example.com", 0x7fffffffU);
	assert_int_equal(store(c, &p, T0), 0);
	cache_free(c);
}

static void
test_question_mismatch(void **state)
{
	struct cache		*c = new_cache(16);
	struct dns_question	 q;
	struct dns_msg		 m;
	struct pkt		 p, p2;

	make_a(&p, "www.example.com", 300);
	assert_int_equal(dns_msg_parse(p.b, p.len, &m), DNS_PARSE_OK);
	q = m.q;
	q.qtype = DNS_TYPE_AAAA;
	assert_int_equal(cache_store(c, &q, p.b, p.len, &m,
	    (const uint8_t *)"", 1, T0), -1);
	q = m.q;
	q.qclass = 3;
	assert_int_equal(cache_store(c, &q, p.b, p.len, &m,
	    (const uint8_t *)"", 1, T0), -1);
	q = m.q;
	q.qname[1] = 'x';
	assert_int_equal(cache_store(c, &q, p.b, p.len, &m,
	    (const uint8_t *)"", 1, T0), -1);
	/* a parse of another packet (here: one truncated) is refused */
	make_a(&p2, "www.example.com", 300);
	p2.b[2] |= DNS_F_TC >> 8;
	assert_int_equal(cache_store(c, &m.q, p2.b, p2.len, &m,
	    (const uint8_t *)"", 1, T0), -1);
	assert_int_equal(entries(c), 0);
	/* other case is the same question */
	q = m.q;
	q.qname[1] = 'W';
	assert_int_equal(cache_store(c, &q, p.b, p.len, &m,
	    (const uint8_t *)"", 1, T0), 0);
	cache_free(c);
}

static void
test_bailiwick(void **state)
{
	struct cache	*c = new_cache(16);
	struct reply	 r;
	struct pkt	 p;

	p_answer(&p, 0, 2, 0, 0, "host.corp.example", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_cname(&p, 300, "x.evil.example");
	p_name(&p, "x.evil.example");
	p_a(&p, 300, "192.0.2.66");
	assert_int_equal(store_in(c, &p, "corp.example", T0), -1);
	assert_int_equal(entries(c), 0);
	assert_int_equal(store_in(c, &p, ".", T0), 0);
	assert_int_not_equal(ask(c, "host.corp.example", DNS_TYPE_A,
	    EDNS_NONE, T0, &r), 0);

	/* an authority or additional record outside counts the same */
	cache_flush(c);
	p_answer(&p, 0, 1, 0, 1, "host.corp.example", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_name(&p, "www.bank.example");
	p_a(&p, 300, "192.0.2.66");
	assert_int_equal(store_in(c, &p, "corp.example", T0), -1);
	p_answer(&p, 0, 1, 1, 0, "host.corp.example", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_name(&p, "example");
	p_soa(&p, 300, 300);
	assert_int_equal(store_in(c, &p, "corp.example", T0), -1);
	assert_int_equal(entries(c), 0);

	/* everything at or below the bailiwick is kept */
	p_answer(&p, 0, 1, 1, 0, "host.corp.example", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	p_ptr(&p, 12 + 5);
	p_soa(&p, 300, 300);
	assert_int_equal(store_in(c, &p, "CORP.example", T0), 0);
	/* "xcorp.example" is not below "corp.example" */
	p_answer(&p, 0, 1, 0, 0, "host.xcorp.example", DNS_TYPE_A);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	assert_int_equal(store_in(c, &p, "corp.example", T0), -1);
	assert_int_equal(entries(c), 1);
	cache_free(c);
}

static void
store_name(struct cache *c, const char *name, time_t now)
{
	struct pkt	 p;

	make_a(&p, name, 300);
	assert_int_equal(store(c, &p, now), 0);
}

static int
hit(struct cache *c, const char *name)
{
	struct reply	 r;

	return ask(c, name, DNS_TYPE_A, EDNS_NONE, T0, &r) != 0;
}

static void
test_lru(void **state)
{
	struct cache		*c = new_cache(3);
	struct cache_stats	 st;

	store_name(c, "a.example", T0);
	store_name(c, "b.example", T0);
	store_name(c, "c.example", T0);
	assert_int_equal(entries(c), 3);
	/* a is the oldest, but a hit makes b the least recently used */
	assert_true(hit(c, "a.example"));
	store_name(c, "d.example", T0);
	cache_stats(c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evictions, 1);
	assert_false(hit(c, "b.example"));
	assert_true(hit(c, "a.example"));
	assert_true(hit(c, "c.example"));
	assert_true(hit(c, "d.example"));
	/* now a is the least recently used */
	store_name(c, "e.example", T0);
	assert_false(hit(c, "a.example"));
	cache_stats(c, &st);
	assert_int_equal(st.evictions, 2);
	assert_int_equal(st.entries, 3);
	cache_free(c);
}

static void
test_replace(void **state)
{
	struct cache		*c = new_cache(2);
	struct cache_stats	 st;
	struct reply		 r;
	struct pkt		 p;

	make_a(&p, "www.example.com", 300);
	assert_int_equal(store(c, &p, T0), 0);
	make_a(&p, "www.example.com", 600);
	assert_int_equal(store(c, &p, T0 + 10), 0);
	cache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.evictions, 0);
	assert_int_not_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE,
	    T0 + 20, &r), 0);
	assert_int_equal(r.rr[0].ttl, 590);
	/* replacing in a full cache evicts nothing */
	store_name(c, "other.example", T0);
	assert_int_equal(store(c, &p, T0), 0);
	cache_stats(c, &st);
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.evictions, 0);
	cache_free(c);
}

static void
test_size_zero(void **state)
{
	struct cache	*c = new_cache(0);
	struct reply	 r;
	struct pkt	 p;

	make_a(&p, "www.example.com", 300);
	assert_int_equal(store(c, &p, T0), -1);
	assert_int_equal(entries(c), 0);
	assert_int_equal(ask(c, "www.example.com", DNS_TYPE_A, EDNS_NONE, T0,
	    &r), 0);
	cache_flush(c);
	cache_free(c);
	cache_free(NULL);
}

static void
test_flush(void **state)
{
	struct cache	*c = new_cache(8);

	store_name(c, "a.example", T0);
	store_name(c, "b.example", T0);
	store_name(c, "c.example", T0);
	assert_int_equal(entries(c), 3);
	cache_flush(c);
	assert_int_equal(entries(c), 0);
	assert_false(hit(c, "a.example"));
	assert_false(hit(c, "b.example"));
	/* and it works on after */
	store_name(c, "a.example", T0);
	assert_true(hit(c, "a.example"));
	cache_free(c);
}

static void
test_out_too_small(void **state)
{
	struct cache	*c = new_cache(8);
	struct pkt	 p, query;
	struct dns_msg	 qm;
	uint8_t		 out[512];

	make_a(&p, "www.example.com", 300);
	assert_int_equal(store(c, &p, T0), 0);
	make_query(&query, "www.example.com", DNS_TYPE_A, EDNS_NONE, 0);
	assert_int_equal(dns_msg_parse(query.b, query.len, &qm),
	    DNS_PARSE_OK);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(cache_answer(c, &qm, query.b, query.len, T0, out,
	    p.len - 1), 0);
	assert_int_equal(out[p.len - 1], 0xee);
	assert_int_equal(cache_answer(c, &qm, query.b, query.len, T0, out,
	    p.len), p.len);
	make_query(&query, "www.example.com", DNS_TYPE_A, EDNS_DO, 0);
	assert_int_equal(dns_msg_parse(query.b, query.len, &qm),
	    DNS_PARSE_OK);
	assert_int_equal(cache_answer(c, &qm, query.b, query.len, T0, out,
	    p.len + 10), 0);
	assert_int_equal(cache_answer(c, &qm, query.b, query.len, T0, out,
	    p.len + 11), p.len + 11);
	/* the entry is still there */
	assert_int_equal(entries(c), 1);
	cache_free(c);
}

static void
test_flags(void **state)
{
	struct cache	*c = new_cache(8);
	struct reply	 r;
	struct pkt	 p;

	make_a(&p, "www.example.com", 300);
	p.b[2] |= (DNS_F_AA | DNS_F_RD) >> 8;
	p.b[3] |= DNS_F_AD | DNS_F_CD;
	assert_int_equal(store(c, &p, T0), 0);
	/* ask_flags checks QR, RA, AA and TC clear, RD and CD as asked */
	assert_int_not_equal(ask_flags(c, "www.example.com", DNS_TYPE_A,
	    EDNS_NONE, 0, T0, &r), 0);
	assert_int_equal(r.m.hdr.flags, DNS_F_QR | DNS_F_RA);
	assert_int_not_equal(ask_flags(c, "www.example.com", DNS_TYPE_A,
	    EDNS_NONE, DNS_F_RD | DNS_F_CD, T0, &r), 0);
	assert_int_equal(r.m.hdr.flags,
	    DNS_F_QR | DNS_F_RA | DNS_F_RD | DNS_F_CD);
	cache_free(c);
}

/* answers whose names would read bytes that a hit rewrites */
static void
test_unstable_names(void **state)
{
	struct cache	*c = new_cache(8);
	struct pkt	 p;
	size_t		 ttl;

	/*
	 * The question name compressed into the header: the parser refuses
	 * it, so such an answer never reaches the cache.
	 */
	p_header(&p, 0, 1, 0, 0);
	/* offset 4, qdcount's high byte, is 0: the root name */
	p_ptr(&p, 4);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	p_ptr(&p, 12);
	p_a(&p, 300, "192.0.2.1");
	assert_int_equal(parse_result(&p), DNS_PARSE_FORMERR);

	/* an owner pointing into the header (arcount's bytes: 0 0) */
	p_header(&p, 0, 1, 0, 0);
	p_name(&p, "www.example.com");
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	p_ptr(&p, 10);
	p_a(&p, 300, "192.0.2.1");
	assert_int_equal(parse_result(&p), DNS_PARSE_FORMERR);

	/*
	 * A CNAME whose target ends in the TTL of the record before: its
	 * first byte reads as the root label only while the TTL is small.
	 */
	p_answer(&p, 0, 2, 0, 0, "www.example.com", DNS_TYPE_A);
	p_ptr(&p, 12);
	ttl = p.len + 4;
	p_a(&p, 300, "192.0.2.1");
	p_ptr(&p, 12);
	p_u16(&p, DNS_TYPE_CNAME);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 300);
	p_u16(&p, 4);
	p_bytes(&p, "\001x", 2);
	p_ptr(&p, ttl);
	assert_int_equal(store(c, &p, T0), -1);
	/* the control: the same answer pointing at the question is kept */
	p.len -= 2;
	p_ptr(&p, 12);
	assert_int_equal(store(c, &p, T0), 0);
	cache_flush(c);
	assert_int_equal(entries(c), 0);
	cache_free(c);
}

static void
test_max_rrs(void **state)
{
	struct cache	*c = new_cache(8);
	struct pkt	 p;
	int		 i;

	p_answer(&p, 0, CACHE_MAX_RRS, 0, 0, "www.example.com", DNS_TYPE_A);
	for (i = 0; i < CACHE_MAX_RRS; i++) {
		p_ptr(&p, 12);
		p_a(&p, 300, "192.0.2.1");
	}
	assert_int_equal(store(c, &p, T0), 0);
	/* the OPT record is not one of them */
	put_be16(p.b + 10, 1);
	p_opt(&p, 1232, 0);
	assert_int_equal(store(c, &p, T0), 0);

	p_answer(&p, 0, CACHE_MAX_RRS + 1, 0, 0, "big.example.com",
	    DNS_TYPE_A);
	for (i = 0; i < CACHE_MAX_RRS + 1; i++) {
		p_ptr(&p, 12);
		p_a(&p, 300, "192.0.2.1");
	}
	assert_int_equal(store(c, &p, T0), -1);
	assert_int_equal(entries(c), 1);
	cache_free(c);
}

struct walked {
	int		 n;
	char		 names[8][DNS_NAME_TEXT_MAX];
	uint32_t	 ttl[8];
	uint32_t	 hits[8];
	uint16_t	 rcode[8];
	uint16_t	 records[8];
	uint16_t	 qtype[8];
};

static void
walk_cb(const struct cache_entry_info *info, void *arg)
{
	struct walked	*w = arg;

	assert_true(w->n < 8);
	assert_int_equal(dns_name_to_text(info->name, info->name_len,
	    w->names[w->n], sizeof(w->names[w->n])), 0);
	w->ttl[w->n] = info->ttl;
	w->hits[w->n] = info->hits;
	w->rcode[w->n] = info->rcode;
	w->records[w->n] = info->records;
	w->qtype[w->n] = info->qtype;
	assert_int_equal(info->qclass, DNS_CLASS_IN);
	w->n++;
}

static void
test_walk(void **state)
{
	struct cache	*c = new_cache(8);
	struct walked	 w;
	struct pkt	 p;

	make_a(&p, "Long.Example", 600);
	assert_int_equal(store(c, &p, T0), 0);
	make_negative(&p, DNS_RCODE_NXDOMAIN, 1, 3600, 60);
	assert_int_equal(store(c, &p, T0), 0);
	make_a(&p, "short.example", 100);
	assert_int_equal(store(c, &p, T0), 0);
	assert_true(hit(c, "long.example"));
	assert_true(hit(c, "LONG.example"));

	memset(&w, 0, sizeof(w));
	cache_walk(c, T0 + 30, walk_cb, &w);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.names[0], "long.example");
	assert_int_equal(w.ttl[0], 570);
	assert_int_equal(w.hits[0], 2);
	assert_int_equal(w.records[0], 2);
	assert_int_equal(w.qtype[0], DNS_TYPE_A);
	assert_string_equal(w.names[1], "short.example");
	assert_int_equal(w.ttl[1], 70);
	assert_string_equal(w.names[2], "nope.example.com");
	assert_int_equal(w.rcode[2], DNS_RCODE_NXDOMAIN);
	assert_int_equal(w.records[2], 0);
	assert_int_equal(w.ttl[2], 30);

	/* expired entries are skipped, and left for a lookup to remove */
	memset(&w, 0, sizeof(w));
	cache_walk(c, T0 + 100, walk_cb, &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.names[0], "long.example");
	assert_int_equal(entries(c), 3);
	cache_free(c);
}

/* many names in a small table: chains and the LRU stay consistent */
static void
test_many(void **state)
{
	struct cache		*c = new_cache(100);
	struct cache_stats	 st;
	char			 name[64];
	int			 i, hits = 0;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "h%d.example", i);
		store_name(c, name, T0);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "H%d.EXAMPLE", i);
		hits += hit(c, name);
		assert_int_equal(hit(c, name), i >= 900);
	}
	assert_int_equal(hits, 100);
	cache_stats(c, &st);
	assert_int_equal(st.entries, 100);
	assert_int_equal(st.evictions, 900);
	cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a),
		cmocka_unit_test(test_aaaa),
		cmocka_unit_test(test_mx),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_nxdomain_soa),
		cmocka_unit_test(test_nodata_soa),
		cmocka_unit_test(test_negative_without_soa),
		cmocka_unit_test(test_ttl_countdown),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_edns),
		cmocka_unit_test(test_opt_not_last),
		cmocka_unit_test(test_not_cached),
		cmocka_unit_test(test_question_mismatch),
		cmocka_unit_test(test_bailiwick),
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_out_too_small),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_unstable_names),
		cmocka_unit_test(test_max_rrs),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
