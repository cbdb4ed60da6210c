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

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bytes.h"
#include "cache.h"
#include "siphash.h"
#include "wire.h"

/*
 * Layout.  One block per entry: the header below, the offsets of the TTL
 * fields, then the upstream's packet less its OPT record.  The question
 * name of the stored packet is kept in lower case; it is the key's name,
 * and every hit writes the client's spelling over it in the copy.
 * Buckets are chained through hnext; the LRU list runs from the most
 * recently used (head) to the least (tail).
 */
struct entry {
	struct entry	*hnext;
	struct entry	*prev;
	struct entry	*next;
	time_t		 stored;
	uint32_t	 hash;
	uint32_t	 lifetime;
	uint32_t	 hits;
	uint16_t	 qtype;
	uint16_t	 qclass;
	uint16_t	 len;		/* of the stored packet */
	uint8_t		 qname_len;
	uint8_t		 nttl;
	uint16_t	 ttl_off[];	/* then the packet */
};

struct cache {
	struct entry	**buckets;
	size_t		  mask;
	size_t		  max;
	size_t		  count;
	struct entry	 *head;
	struct entry	 *tail;
	uint64_t	  key[2];
	uint64_t	  hits;
	uint64_t	  misses;
	uint64_t	  evictions;
};

#define QNAME_OFF	DNS_HEADER_LEN
#define KEY_MAX		(DNS_NAME_MAX + 4)
#define OPT_RR_LEN	11		/* root, type, class, ttl, rdlen */
#define EDNS_OURS	1232		/* as wire.c advertises */
#define EDNS_DO		0x8000
#define TTL_MAX		0x7fffffffU	/* RFC 2181 8: above is 0 */
#define SOA_FIXED	20

static uint8_t *
entry_pkt(struct entry *e)
{
	return (uint8_t *)(e->ttl_off + e->nttl);
}

static const uint8_t *
entry_cpkt(const struct entry *e)
{
	return (const uint8_t *)(e->ttl_off + e->nttl);
}

/*
 * The key: the name in lower case, then type and class.  Label lengths
 * are below 'A', so folding every byte only touches label text.
 */
static size_t
make_key(uint8_t *key, const uint8_t *name, size_t nlen, uint16_t qtype,
    uint16_t qclass)
{
	size_t	 i;
	uint8_t	 ch;

	for (i = 0; i < nlen; i++) {
		ch = name[i];
		key[i] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	}
	put_be16(key + nlen, qtype);
	put_be16(key + nlen + 2, qclass);
	return nlen + 4;
}

static uint32_t
key_hash(const struct cache *c, const uint8_t *key, size_t klen)
{
	/* keyed at cache_new: clients must not pile names in one bucket */
	return (uint32_t)siphash13(c->key, key, klen);
}

static int
entry_expired(const struct entry *e, time_t now)
{
	return now >= e->stored && now - e->stored >= (time_t)e->lifetime;
}

static uint32_t
entry_elapsed(const struct entry *e, time_t now)
{
	return now > e->stored ? (uint32_t)(now - e->stored) : 0;
}

struct cache *
cache_new(size_t max_entries)
{
	struct cache	*c;
	size_t		 n = 1;

	/* load <= 1, and a bound that cannot overflow the bucket array */
	if (max_entries > SIZE_MAX / 4 / sizeof(struct entry *))
		return NULL;
	while (n < max_entries)
		n <<= 1;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->buckets = calloc(n, sizeof(*c->buckets))) == NULL) {
		free(c);
		return NULL;
	}
	c->mask = n - 1;
	c->max = max_entries;
	arc4random_buf(c->key, sizeof(c->key));
	return c;
}

void
cache_flush(struct cache *c)
{
	struct entry	*e, *next;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		free(e);
	}
	memset(c->buckets, 0, (c->mask + 1) * sizeof(*c->buckets));
	c->head = c->tail = NULL;
	c->count = 0;
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	cache_flush(c);
	free(c->buckets);
	explicit_bzero(c->key, sizeof(c->key));
	free(c);
}

static void
lru_unlink(struct cache *c, struct entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push_front(struct cache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	else
		c->tail = e;
	c->head = e;
}

static void
entry_remove(struct cache *c, struct entry *e)
{
	struct entry	**pp;

	for (pp = &c->buckets[e->hash & c->mask]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	}
	lru_unlink(c, e);
	c->count--;
	free(e);
}

static struct entry *
entry_find(const struct cache *c, uint32_t hash, const uint8_t *key,
    size_t nlen, uint16_t qtype, uint16_t qclass)
{
	struct entry	*e;

	for (e = c->buckets[hash & c->mask]; e != NULL; e = e->hnext) {
		if (e->hash == hash && e->qtype == qtype &&
		    e->qclass == qclass && e->qname_len == nlen &&
		    memcmp(entry_cpkt(e) + QNAME_OFF, key, nlen) == 0)
			return e;
	}
	return NULL;
}

/*
 * What a walk of the upstream's answer finds: where the TTLs are, how
 * long the answer may live, and how many bytes are kept.
 */
struct scan {
	uint16_t	 ttl_off[CACHE_MAX_RRS];
	size_t		 nttl;
	uint32_t	 lifetime;
	int		 have_soa;
	uint32_t	 soa_min;
	size_t		 keep;
	/* bytes a hit rewrites: no name may be read through them */
	uint8_t		 mut[DNS_MSG_MAX / 8 + 1];
};

static int
mut_test(const struct scan *s, size_t pos)
{
	return (s->mut[pos >> 3] >> (pos & 7)) & 1;
}

static void
mut_set(struct scan *s, size_t pos, size_t n)
{
	while (n-- > 0) {
		s->mut[pos >> 3] |= 1 << (pos & 7);
		pos++;
	}
}

/*
 * A name of the stored packet must decode the same after a hit rewrote
 * the header and the TTLs, so no byte it is read from (through
 * compression pointers too) may be one of those.  The question name is
 * rewritten in case only, which changes no label length.  The parser
 * has checked that pointers point backwards; hops are bounded anyway.
 */
static int
name_stable(const struct scan *s, const uint8_t *pkt, size_t len,
    size_t pos)
{
	size_t	 hops = 0, i;
	uint8_t	 l;

	for (;;) {
		if (pos >= len || mut_test(s, pos))
			return -1;
		l = pkt[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || mut_test(s, pos + 1) ||
			    ++hops > DNS_NAME_MAX)
				return -1;
			pos = ((size_t)(l & 0x3f) << 8) | pkt[pos + 1];
			continue;
		}
		if ((l & 0xc0) != 0 || len - pos - 1 < l)
			return -1;
		for (i = 1; i <= l; i++)
			if (mut_test(s, pos + i))
				return -1;
		if (l == 0)
			return 0;
		pos += 1 + l;
	}
}

/* the names of rdata, for the types whose rdata the parser decodes */
static int
rdata_names_stable(const struct scan *s, const uint8_t *pkt, size_t len,
    const struct dns_rr *rr)
{
	struct dns_cursor	 c;

	dns_cursor_init(&c, pkt, len);
	c.pos = rr->rdata_off;
	switch (rr->type) {
	case DNS_TYPE_NS:
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
		return name_stable(s, pkt, len, c.pos);
	case DNS_TYPE_MX:
		return name_stable(s, pkt, len, c.pos + 2);
	case DNS_TYPE_SRV:
		return name_stable(s, pkt, len, c.pos + 6);
	case DNS_TYPE_SOA:
		if (name_stable(s, pkt, len, c.pos) == -1 ||
		    dns_read_name(&c, NULL, NULL) == -1)
			return -1;
		return name_stable(s, pkt, len, c.pos);
	default:
		return 0;
	}
}

static uint32_t
ttl_value(uint32_t ttl)
{
	return ttl > TTL_MAX ? 0 : ttl;
}

/* one record other than the OPT: its TTL, owner and lifetime share */
static int
scan_record(struct scan *s, const uint8_t *pkt, size_t len, size_t start,
    const struct dns_rr *rr, const uint8_t *bailiwick, size_t blen)
{
	size_t		 off = rr->rdata_off - 6;
	uint32_t	 ttl = ttl_value(rr->ttl), min;

	if (s->nttl >= CACHE_MAX_RRS)
		return -1;
	if (!dns_name_is_below(rr->name, rr->name_len, bailiwick, blen))
		return -1;
	s->ttl_off[s->nttl++] = off;
	mut_set(s, off, 4);
	if (name_stable(s, pkt, len, start) == -1 ||
	    rdata_names_stable(s, pkt, len, rr) == -1)
		return -1;
	if (rr->section == DNS_SECTION_ADDITIONAL)
		return 0;
	if (ttl < s->lifetime)
		s->lifetime = ttl;
	if (rr->section == DNS_SECTION_AUTHORITY &&
	    rr->type == DNS_TYPE_SOA && rr->rdlen >= SOA_FIXED) {
		min = ttl_value(get_be32(pkt + rr->rdata_off + rr->rdlen - 4));
		if (!s->have_soa || min < s->soa_min)
			s->soa_min = min;
		s->have_soa = 1;
	}
	return 0;
}

/* the OPT record: only as the last record, and with no extended rcode */
static int
scan_opt(struct scan *s, const struct dns_msg *m, size_t start,
    const struct dns_rr *rr, size_t i, size_t total)
{
	if (i + 1 != total || !m->has_edns || start != m->opt_off)
		return -1;
	if ((rr->ttl >> 24) != 0)
		return -1;
	s->keep = start;
	return 0;
}

static int
scan_records(struct scan *s, const uint8_t *pkt, size_t len,
    const struct dns_msg *m, const uint8_t *bailiwick, size_t blen)
{
	struct dns_cursor	 c;
	struct dns_rr		 rr;
	size_t			 i, total, start;

	total = (size_t)m->hdr.ancount + m->hdr.nscount + m->hdr.arcount;
	dns_cursor_init(&c, pkt, len);
	c.pos = m->question_end;
	for (i = 0; i < total; i++) {
		memset(&rr, 0, sizeof(rr));
		rr.section = dns_section_of(&m->hdr, i);
		start = c.pos;
		if (dns_read_rr(&c, &rr) == -1)
			return -1;
		if (rr.type == DNS_TYPE_OPT) {
			if (scan_opt(s, m, start, &rr, i, total) == -1)
				return -1;
		} else if (scan_record(s, pkt, len, start, &rr, bailiwick,
		    blen) == -1)
			return -1;
	}
	return c.pos == len ? 0 : -1;
}

/* the question must be q, written out whole at offset 12 */
static int
check_question(const struct dns_question *q, const uint8_t *pkt,
    size_t len, const struct dns_msg *m)
{
	size_t	 pos = QNAME_OFF;

	if (!m->has_question || m->q.qtype != q->qtype ||
	    m->q.qclass != q->qclass ||
	    !dns_name_equal(m->q.qname, m->q.qname_len, q->qname,
	    q->qname_len))
		return -1;
	while (pos < len && pkt[pos] != 0) {
		if (pkt[pos] > DNS_LABEL_MAX)
			return -1;
		pos += 1 + pkt[pos];
	}
	if (pos >= len || pos + 1 - QNAME_OFF != m->q.qname_len ||
	    m->question_end != pos + 5)
		return -1;
	return 0;
}

/* m must be pkt's parse: its counts drive the walk of pkt */
static int
check_header(const uint8_t *pkt, size_t len, const struct dns_msg *m)
{
	struct dns_cursor	 c;
	struct dns_header	 h;
	uint16_t		 flags = m->hdr.flags;
	uint16_t		 rcode = flags & DNS_F_RCODE_MASK;

	dns_cursor_init(&c, pkt, len);
	if (dns_read_header(&c, &h) == -1 || h.id != m->hdr.id ||
	    h.flags != flags || h.qdcount != m->hdr.qdcount ||
	    h.ancount != m->hdr.ancount || h.nscount != m->hdr.nscount ||
	    h.arcount != m->hdr.arcount)
		return -1;
	if (!(flags & DNS_F_QR) || DNS_OPCODE(flags) != 0 ||
	    (flags & DNS_F_TC))
		return -1;
	if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN)
		return -1;
	return 0;
}

static int
scan_answer(struct scan *s, const struct dns_question *q, const uint8_t *pkt,
    size_t len, const struct dns_msg *m, const uint8_t *bailiwick,
    size_t blen)
{
	uint16_t	 rcode = m->hdr.flags & DNS_F_RCODE_MASK;

	if (len < DNS_HEADER_LEN || len > DNS_MSG_MAX)
		return -1;
	if (check_header(pkt, len, m) == -1 ||
	    check_question(q, pkt, len, m) == -1)
		return -1;
	s->nttl = 0;
	s->lifetime = TTL_MAX;
	s->have_soa = 0;
	s->soa_min = 0;
	s->keep = len;
	memset(s->mut, 0, (len + 7) / 8);
	mut_set(s, 0, DNS_HEADER_LEN);
	if (scan_records(s, pkt, len, m, bailiwick, blen) == -1)
		return -1;
	if (m->has_edns != (s->keep != len) || s->keep > DNS_MSG_MAX)
		return -1;
	/* RFC 2308: a negative answer lives as long as its SOA says */
	if (rcode == DNS_RCODE_NXDOMAIN || m->hdr.ancount == 0) {
		if (!s->have_soa)
			return -1;
		if (s->soa_min < s->lifetime)
			s->lifetime = s->soa_min;
	}
	return s->lifetime == 0 ? -1 : 0;
}

static struct entry *
entry_make(const struct scan *s, const uint8_t *pkt, const struct dns_msg *m,
    time_t now)
{
	struct entry	*e;
	uint8_t		*p;

	if ((e = malloc(sizeof(*e) + s->nttl * sizeof(uint16_t) +
	    s->keep)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->stored = now;
	e->lifetime = s->lifetime;
	e->qtype = m->q.qtype;
	e->qclass = m->q.qclass;
	e->len = s->keep;
	e->qname_len = m->q.qname_len;
	e->nttl = s->nttl;
	memcpy(e->ttl_off, s->ttl_off, s->nttl * sizeof(uint16_t));
	p = entry_pkt(e);
	memcpy(p, pkt, s->keep);
	if (m->has_edns)	/* the OPT record was cut */
		put_be16(p + 10, m->hdr.arcount - 1);
	return e;
}

int
cache_store(struct cache *c, const struct dns_question *q,
    const uint8_t *pkt, size_t len, const struct dns_msg *m,
    const uint8_t *bailiwick, size_t blen, time_t now)
{
	struct scan		 s;
	uint8_t			 key[KEY_MAX];
	struct entry		*e, *old;
	size_t			 klen;

	if (c == NULL || c->max == 0 || q == NULL || pkt == NULL ||
	    m == NULL || bailiwick == NULL)
		return -1;
	if (scan_answer(&s, q, pkt, len, m, bailiwick, blen) == -1)
		return -1;
	if ((e = entry_make(&s, pkt, m, now)) == NULL)
		return -1;
	klen = make_key(key, m->q.qname, m->q.qname_len, m->q.qtype,
	    m->q.qclass);
	/* the stored question name is the key's: lower case */
	memcpy(entry_pkt(e) + QNAME_OFF, key, e->qname_len);
	e->hash = key_hash(c, key, klen);

	old = entry_find(c, e->hash, key, e->qname_len, e->qtype, e->qclass);
	if (old != NULL)
		entry_remove(c, old);
	else if (c->count >= c->max) {
		entry_remove(c, c->tail);
		c->evictions++;
	}
	e->hnext = c->buckets[e->hash & c->mask];
	c->buckets[e->hash & c->mask] = e;
	lru_push_front(c, e);
	c->count++;
	return 0;
}

/* the header of a hit: ours, with the client's ID, RD and CD */
static void
answer_header(uint8_t *out, const struct entry *e, const struct dns_msg *qm)
{
	uint16_t	 flags;

	flags = DNS_F_QR | DNS_F_RA | (qm->hdr.flags & (DNS_F_RD | DNS_F_CD)) |
	    (get_be16(entry_cpkt(e) + 2) & DNS_F_RCODE_MASK);
	put_be16(out, qm->hdr.id);
	put_be16(out + 2, flags);
}

static void
answer_ttls(uint8_t *out, const struct entry *e, time_t now)
{
	uint32_t	 spent = entry_elapsed(e, now), ttl;
	size_t		 i;

	for (i = 0; i < e->nttl; i++) {
		ttl = ttl_value(get_be32(out + e->ttl_off[i]));
		put_be32(out + e->ttl_off[i], ttl > spent ? ttl - spent : 0);
	}
}

static void
answer_opt(uint8_t *out, size_t len, const struct dns_msg *qm)
{
	uint8_t	*p = out + len;

	p[0] = 0;
	put_be16(p + 1, DNS_TYPE_OPT);
	put_be16(p + 3, EDNS_OURS);
	put_be32(p + 5, qm->edns_flags & EDNS_DO);
	put_be16(p + 9, 0);
	put_be16(out + 10, get_be16(out + 10) + 1);
}

size_t
cache_answer(struct cache *c, const struct dns_msg *qm, const uint8_t *query,
    size_t qlen, time_t now, uint8_t *out, size_t outsz)
{
	uint8_t		 key[KEY_MAX];
	struct entry	*e;
	size_t		 klen, need;
	uint32_t	 hash;

	if (c == NULL || qm == NULL || out == NULL || !qm->has_question ||
	    DNS_OPCODE(qm->hdr.flags) != 0 || qm->q.qname_len == 0 ||
	    qm->q.qname_len > DNS_NAME_MAX)
		return 0;
	klen = make_key(key, qm->q.qname, qm->q.qname_len, qm->q.qtype,
	    qm->q.qclass);
	hash = key_hash(c, key, klen);
	e = entry_find(c, hash, key, qm->q.qname_len, qm->q.qtype,
	    qm->q.qclass);
	if (e == NULL) {
		c->misses++;
		return 0;
	}
	if (entry_expired(e, now)) {
		entry_remove(c, e);
		c->misses++;
		return 0;
	}
	need = e->len + (qm->has_edns ? OPT_RR_LEN : 0);
	if (outsz < need)
		return 0;

	memcpy(out, entry_cpkt(e), e->len);
	answer_header(out, e, qm);
	memcpy(out + QNAME_OFF, qm->q.qname, qm->q.qname_len);
	answer_ttls(out, e, now);
	if (qm->has_edns)
		answer_opt(out, e->len, qm);

	if (c->head != e) {
		lru_unlink(c, e);
		lru_push_front(c, e);
	}
	e->hits++;
	c->hits++;
	return need;
}

void
cache_stats(const struct cache *c, struct cache_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (c == NULL)
		return;
	st->hits = c->hits;
	st->misses = c->misses;
	st->evictions = c->evictions;
	st->entries = c->count;
	st->size = c->max;
}

void
cache_walk(const struct cache *c, time_t now,
    void (*cb)(const struct cache_entry_info *, void *), void *arg)
{
	struct cache_entry_info	 info;
	const struct entry	*e;
	const uint8_t		*pkt;

	if (c == NULL || cb == NULL)
		return;
	for (e = c->head; e != NULL; e = e->next) {
		if (entry_expired(e, now))
			continue;
		pkt = entry_cpkt(e);
		memset(&info, 0, sizeof(info));
		info.name = pkt + QNAME_OFF;
		info.name_len = e->qname_len;
		info.qtype = e->qtype;
		info.qclass = e->qclass;
		info.rcode = get_be16(pkt + 2) & DNS_F_RCODE_MASK;
		info.ttl = e->lifetime - entry_elapsed(e, now);
		info.records = get_be16(pkt + 6);
		info.hits = e->hits;
		cb(&info, arg);
	}
}
