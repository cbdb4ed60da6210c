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

/*
 * The cache fed arbitrary upstream answers.  Whatever it agrees to
 * store, the answers it then makes from it must parse, carry the
 * client's ID and question spelling, and hold the records it kept; a
 * cache of two entries makes every input evict.  The first byte of the
 * input (its ID's high byte) is the time it is stored at and picks the
 * bailiwick; the second byte picks the client's flags and case.  Every
 * broken promise is an abort().
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fixed size, never grown: big enough for any answer and our OPT */
static uint8_t	 outbuf[DNS_MSG_MAX + 64];

#define FUZZ_ID		0x4d4f

/* a query for q, spelled with the case bits of mask, maybe with EDNS */
static size_t
make_query(uint8_t *buf, size_t cap, const struct dns_question *q,
    int edns, uint8_t mask)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 cq = *q;
	static const uint8_t	 root = 0;
	size_t			 i;
	uint8_t			 ch;

	for (i = 0; i < cq.qname_len; i++) {
		ch = cq.qname[i];
		if (((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) &&
		    ((mask >> (i & 7)) & 1))
			cq.qname[i] ^= 0x20;
	}
	memset(&h, 0, sizeof(h));
	h.id = FUZZ_ID;
	h.flags = (mask & 1 ? DNS_F_RD : 0) | (mask & 2 ? DNS_F_CD : 0);
	h.qdcount = 1;
	h.arcount = edns != 0;
	dns_builder_init(&b, buf, cap);
	dns_build_header(&b, &h);
	dns_build_question(&b, &cq);
	if (edns)
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, 512,
		    mask & 4 ? 0x8000 : 0, NULL, 0);
	return b.error ? 0 : b.len;
}

/*
 * Ask for q; an answer must be a well-formed message for this very
 * query.  Returns its length, 0 on a miss.
 */
static size_t
ask(struct cache *c, const struct dns_question *q, int edns, uint8_t mask,
    time_t now, struct dns_msg *am)
{
	uint8_t		 query[DNS_HEADER_LEN + DNS_NAME_MAX + 4 + 11];
	struct dns_msg	 qm;
	size_t		 qlen, n;

	if ((qlen = make_query(query, sizeof(query), q, edns, mask)) == 0)
		abort();
	if (dns_msg_parse(query, qlen, &qm) != DNS_PARSE_OK)
		abort();
	n = cache_answer(c, &qm, query, qlen, now, outbuf, sizeof(outbuf));
	if (n == 0)
		return 0;
	if (n > sizeof(outbuf) || dns_msg_parse(outbuf, n, am) != DNS_PARSE_OK)
		abort();
	if (am->hdr.id != FUZZ_ID || !am->has_question ||
	    am->has_edns != qm.has_edns)
		abort();
	if (am->q.qname_len != qm.q.qname_len || memcmp(am->q.qname,
	    qm.q.qname, qm.q.qname_len) != 0 || am->q.qtype != qm.q.qtype ||
	    am->q.qclass != qm.q.qclass)
		abort();
	if ((am->hdr.flags & (DNS_F_QR | DNS_F_TC | DNS_F_AA | DNS_F_RD |
	    DNS_F_CD)) != (DNS_F_QR | (qm.hdr.flags & (DNS_F_RD | DNS_F_CD))))
		abort();
	if (qm.has_edns && (am->edns_flags & 0x8000) !=
	    (qm.edns_flags & 0x8000))
		abort();
	return n;
}

/* a hit for the input itself: the same records, less its OPT */
static void
check_hit(const uint8_t *data, size_t size, const struct dns_msg *m,
    const struct dns_msg *am, size_t n, int edns)
{
	size_t	 kept = m->has_edns ? m->opt_off : size;

	if (n != kept + (edns ? 11 : 0))
		abort();
	if (am->hdr.ancount != m->hdr.ancount ||
	    am->hdr.nscount != m->hdr.nscount ||
	    am->hdr.arcount != m->hdr.arcount - m->has_edns + edns)
		abort();
	if ((am->hdr.flags & DNS_F_RCODE_MASK) !=
	    (m->hdr.flags & DNS_F_RCODE_MASK))
		abort();
	/* past the question, only TTLs may differ: not checked bytewise */
	if (memcmp(outbuf + 4, data + 4, 6) != 0)
		abort();
}

/* a well-formed answer for name.fuzz.example, to have something to evict */
static size_t
make_filler(uint8_t *buf, size_t cap, const char *name, uint32_t ttl)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	static const uint8_t	 addr[4] = { 192, 0, 2, 1 };

	memset(&h, 0, sizeof(h));
	h.id = 1;
	h.flags = DNS_F_QR | DNS_F_RD | DNS_F_RA;
	h.qdcount = 1;
	h.ancount = 1;
	memset(&q, 0, sizeof(q));
	if (dns_name_from_text(name, q.qname, &q.qname_len) == -1)
		abort();
	q.qtype = DNS_TYPE_A;
	q.qclass = DNS_CLASS_IN;
	dns_builder_init(&b, buf, cap);
	dns_build_header(&b, &h);
	dns_build_question(&b, &q);
	dns_build_rr(&b, q.qname, q.qname_len, DNS_TYPE_A, DNS_CLASS_IN, ttl,
	    addr, sizeof(addr));
	return b.error ? 0 : b.len;
}

static int
store_packet(struct cache *c, const uint8_t *pkt, size_t len,
    const uint8_t *bw, size_t blen, time_t now, struct dns_msg *m)
{
	if (dns_msg_parse(pkt, len, m) != DNS_PARSE_OK || !m->has_question)
		return -1;
	return cache_store(c, &m->q, pkt, len, m, bw, blen, now);
}

static void
walk_cb(const struct cache_entry_info *info, void *arg)
{
	size_t	*count = arg;

	if (dns_name_labels(info->name, info->name_len) < 0 || info->ttl == 0)
		abort();
	(*count)++;
}

static void
walk_check(const struct cache *c, time_t now)
{
	struct cache_stats	 st;
	size_t			 count = 0;

	cache_stats(c, &st);
	cache_walk(c, now, walk_cb, &count);
	if (count > st.entries || st.entries > st.size)
		abort();
}

/* the bailiwick: the root, or the parent of the question's name */
static const uint8_t *
bailiwick(const struct dns_msg *m, uint8_t pick, size_t *blen)
{
	static const uint8_t	 root = 0;

	if ((pick & 1) || m->q.qname_len <= 1) {
		*blen = 1;
		return &root;
	}
	*blen = m->q.qname_len - 1 - m->q.qname[0];
	return m->q.qname + 1 + m->q.qname[0];
}

static void
fuzz_one(struct cache *c, const uint8_t *data, size_t size, int tiny)
{
	uint8_t			 filler[128];
	struct dns_msg		 m, am, fm;
	const uint8_t		*bw;
	size_t			 blen, n, flen;
	time_t			 now = data[0];
	uint8_t			 mask = data[1];
	int			 stored, edns;

	if (tiny) {
		flen = make_filler(filler, sizeof(filler), "a.fuzz.example",
		    60);
		if (store_packet(c, filler, flen, (const uint8_t *)"", 1, now,
		    &fm) != 0)
			abort();
		flen = make_filler(filler, sizeof(filler), "b.fuzz.example",
		    1);
		if (store_packet(c, filler, flen, (const uint8_t *)"", 1, now,
		    &fm) != 0)
			abort();
	}
	if (dns_msg_parse(data, size, &m) != DNS_PARSE_OK || !m.has_question)
		return;
	bw = bailiwick(&m, data[0], &blen);
	stored = cache_store(c, &m.q, data, size, &m, bw, blen, now) == 0;
	for (edns = 0; edns <= 1; edns++) {
		n = ask(c, &m.q, edns, mask, now, &am);
		if (stored && n == 0)
			abort();
		if (n != 0)
			check_hit(data, size, &m, &am, n, edns);
	}
	walk_check(c, now);
	/* later: a hit with TTLs counted down, or the entry expired */
	ask(c, &m.q, 1, mask ^ 0xff, now + mask, &am);
	if (tiny) {
		ask(c, &fm.q, 0, mask, now, &am);
		walk_check(c, now + 1);
	}
	cache_flush(c);
	if (ask(c, &m.q, 0, mask, now, &am) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cache	*c;

	if (size < DNS_HEADER_LEN)
		return 0;
	if ((c = cache_new(64)) == NULL)
		abort();
	fuzz_one(c, data, size, 0);
	cache_free(c);
	if ((c = cache_new(2)) == NULL)
		abort();
	fuzz_one(c, data, size, 1);
	cache_free(c);
	return 0;
}
