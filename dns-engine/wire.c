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

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "wire.h"

/*
 * The largest UDP payload we believe a client about.  Bigger EDNS0 sizes
 * are legal but answers that large are fragmented on almost every path,
 * and fragments are lost or spoofed; 4096 is what RFC 6891 suggests as a
 * starting point, so a client asking for more gets 4096.
 */
#define DNS_UDP_CLAMP		4096

/*
 * The size we advertise in the OPT record of answers we make ourselves:
 * 1232 fits the IPv6 minimum MTU without fragmenting.
 */
#define DNS_EDNS_OURS		1232

#define DNS_OPT_FIXED		10	/* type, class, ttl, rdlen */
#define DNS_PTR_MAX		0x3fff

uint8_t
dns_fold(uint8_t c)
{
	/* ASCII only: DNS case rules do not follow the locale */
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

/*
 * Walk an uncompressed wire name and check it: labels within limits,
 * ending with the root label exactly at len.  Returns the label count.
 */
static int
name_walk(const uint8_t *name, size_t len)
{
	size_t	 pos = 0;
	int	 labels = 0;

	if (name == NULL || len == 0 || len > DNS_NAME_MAX)
		return -1;
	for (;;) {
		if (pos >= len || name[pos] > DNS_LABEL_MAX)
			return -1;
		if (name[pos] == 0)
			break;
		pos += 1 + name[pos];
		labels++;
	}
	if (pos + 1 != len)
		return -1;
	return labels;
}

void
dns_cursor_init(struct dns_cursor *c, const uint8_t *pkt, size_t len)
{
	c->pkt = pkt;
	c->len = pkt == NULL ? 0 : len;
	c->pos = 0;
	c->min_ptr = 0;
}

static int
cursor_left(const struct dns_cursor *c, size_t n)
{
	return c->pos <= c->len && c->len - c->pos >= n;
}

int
dns_read_u8(struct dns_cursor *c, uint8_t *v)
{
	if (!cursor_left(c, 1))
		return -1;
	*v = c->pkt[c->pos++];
	return 0;
}

int
dns_read_u16(struct dns_cursor *c, uint16_t *v)
{
	if (!cursor_left(c, 2))
		return -1;
	*v = get_be16(c->pkt + c->pos);
	c->pos += 2;
	return 0;
}

int
dns_read_u32(struct dns_cursor *c, uint32_t *v)
{
	const uint8_t	*p;

	if (!cursor_left(c, 4))
		return -1;
	p = c->pkt + c->pos;
	*v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
	c->pos += 4;
	return 0;
}

int
dns_read_header(struct dns_cursor *c, struct dns_header *h)
{
	const uint8_t	*p;

	if (!cursor_left(c, DNS_HEADER_LEN))
		return -1;
	p = c->pkt + c->pos;
	h->id = get_be16(p);
	h->flags = get_be16(p + 2);
	h->qdcount = get_be16(p + 4);
	h->ancount = get_be16(p + 6);
	h->nscount = get_be16(p + 8);
	h->arcount = get_be16(p + 10);
	c->pos += DNS_HEADER_LEN;
	return 0;
}

/*
 * Every pointer must point before the start of the label sequence it is
 * part of: before the name itself for the first one, before the previous
 * pointer's target for the next ones.  Targets then strictly decrease and
 * no loop can form, however the packet is built.  What a pointer leads
 * to must also end before the pointer, as every name written earlier in
 * the message does: a name that ran on into later bytes would change when
 * those are cut (an OPT record) or rewritten.  In a DNS message no
 * pointer may point into the header: no real name lives there, and a
 * name made of header bytes would change when an answer's ID or flags
 * are rewritten.
 */
int
dns_read_name(struct dns_cursor *c, uint8_t *out, size_t *outlen)
{
	uint8_t	 name[DNS_NAME_MAX];
	size_t	 pos, limit, end = 0, n = 0, target, bound;
	int	 jumped = 0;
	uint8_t	 l;

	pos = limit = c->pos;
	bound = c->len;
	for (;;) {
		if (pos >= bound)
			return -1;
		l = c->pkt[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= bound)
				return -1;
			target = ((size_t)(l & 0x3f) << 8) | c->pkt[pos + 1];
			if (target >= limit || target < c->min_ptr)
				return -1;
			if (!jumped)
				end = pos + 2;
			jumped = 1;
			bound = pos;
			pos = limit = target;
			continue;
		}
		if (l & 0xc0)		/* types 01 and 10 */
			return -1;
		if (n + 1 + l > DNS_NAME_MAX || bound - pos - 1 < l)
			return -1;
		memcpy(name + n, c->pkt + pos, 1 + l);
		n += 1 + l;
		pos += 1 + l;
		if (l == 0)
			break;
	}
	c->pos = jumped ? end : pos;
	if (out != NULL)
		memcpy(out, name, n);
	if (outlen != NULL)
		*outlen = n;
	return 0;
}

int
dns_read_question(struct dns_cursor *c, struct dns_question *q)
{
	struct dns_question	 tmp;
	size_t			 start = c->pos;

	if (dns_read_name(c, tmp.qname, &tmp.qname_len) == -1)
		return -1;
	if (dns_read_u16(c, &tmp.qtype) == -1 ||
	    dns_read_u16(c, &tmp.qclass) == -1) {
		c->pos = start;
		return -1;
	}
	*q = tmp;
	return 0;
}

/* rdata holding only names and fixed fields, in order, ending at end */
static int
rdata_check(struct dns_cursor *c, size_t end, size_t fixed_before,
    int names, size_t fixed_after)
{
	if (!cursor_left(c, fixed_before))
		return -1;
	c->pos += fixed_before;
	while (names-- > 0) {
		if (dns_read_name(c, NULL, NULL) == -1 || c->pos > end)
			return -1;
	}
	if (!cursor_left(c, fixed_after))
		return -1;
	c->pos += fixed_after;
	return c->pos == end ? 0 : -1;
}

static int
rdata_valid(const struct dns_cursor *pc, const struct dns_rr *rr)
{
	struct dns_cursor	 c;
	size_t			 end = rr->rdata_off + rr->rdlen;

	/*
	 * The cursor spans the whole packet: names in rdata may point
	 * back before the record.  What is read directly must stay
	 * inside the rdata, which rdata_check verifies step by step.
	 */
	c = *pc;
	c.pos = rr->rdata_off;
	switch (rr->type) {
	case DNS_TYPE_A:
		return rr->rdlen == 4 ? 0 : -1;
	case DNS_TYPE_AAAA:
		return rr->rdlen == 16 ? 0 : -1;
	case DNS_TYPE_NS:
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
		return rdata_check(&c, end, 0, 1, 0);
	case DNS_TYPE_MX:
		return rdata_check(&c, end, 2, 1, 0);
	case DNS_TYPE_SOA:
		return rdata_check(&c, end, 0, 2, 20);
	case DNS_TYPE_SRV:
		return rdata_check(&c, end, 6, 1, 0);
	default:
		return 0;
	}
}

int
dns_read_rr(struct dns_cursor *c, struct dns_rr *rr)
{
	struct dns_rr	 tmp;
	size_t		 start = c->pos;

	memset(&tmp, 0, sizeof(tmp));
	if (dns_read_name(c, tmp.name, &tmp.name_len) == -1)
		return -1;
	if (dns_read_u16(c, &tmp.type) == -1 ||
	    dns_read_u16(c, &tmp.rclass) == -1 ||
	    dns_read_u32(c, &tmp.ttl) == -1 ||
	    dns_read_u16(c, &tmp.rdlen) == -1 ||
	    !cursor_left(c, tmp.rdlen))
		goto fail;
	tmp.rdata_off = c->pos;
	if (rdata_valid(c, &tmp) == -1)
		goto fail;
	c->pos += tmp.rdlen;
	/* the section is the caller's to know: it is left as set */
	tmp.section = rr->section;
	*rr = tmp;
	return 0;
 fail:
	c->pos = start;
	return -1;
}

static int
msg_take_opt(struct dns_msg *m, const struct dns_rr *rr, size_t start,
    size_t end)
{
	if (m->has_edns || rr->section != DNS_SECTION_ADDITIONAL ||
	    rr->name_len != 1)
		return -1;
	m->has_edns = 1;
	m->edns_udp_size = rr->rclass;
	/* the extended rcode (top byte of ttl) has no field: answers only */
	m->edns_version = (rr->ttl >> 16) & 0xff;
	m->edns_flags = rr->ttl & 0xffff;
	m->opt_off = start;
	m->opt_len = end - start;
	return 0;
}

/*
 * On FORMERR only the header is left in m (has_question and has_edns are
 * 0), so passing m to dns_make_error then yields a header-only answer.
 */
enum dns_section
dns_section_of(const struct dns_header *h, size_t i)
{
	if (i < h->ancount)
		return DNS_SECTION_ANSWER;
	if (i < (size_t)h->ancount + h->nscount)
		return DNS_SECTION_AUTHORITY;
	return DNS_SECTION_ADDITIONAL;
}

enum dns_parse_result
dns_msg_parse(const uint8_t *pkt, size_t len, struct dns_msg *m)
{
	struct dns_cursor	 c;
	struct dns_header	 hdr;
	struct dns_rr		 rr;
	size_t			 start, i, total;

	memset(m, 0, sizeof(*m));
	dns_cursor_init(&c, pkt, len);
	c.min_ptr = DNS_HEADER_LEN;
	if (dns_read_header(&c, &hdr) == -1)
		return DNS_PARSE_GARBAGE;
	m->hdr = hdr;
	if (hdr.qdcount > 1)
		goto formerr;
	if (hdr.qdcount == 1) {
		if (dns_read_question(&c, &m->q) == -1)
			goto formerr;
		m->has_question = 1;
	}
	m->question_end = c.pos;

	total = (size_t)hdr.ancount + hdr.nscount + hdr.arcount;
	for (i = 0; i < total; i++) {
		rr.section = dns_section_of(&hdr, i);
		start = c.pos;
		if (dns_read_rr(&c, &rr) == -1)
			goto formerr;
		if (rr.type == DNS_TYPE_OPT &&
		    msg_take_opt(m, &rr, start, c.pos) == -1)
			goto formerr;
	}
	if (c.pos != c.len)
		goto formerr;
	return DNS_PARSE_OK;
 formerr:
	memset(m, 0, sizeof(*m));
	m->hdr = hdr;
	return DNS_PARSE_FORMERR;
}

int
dns_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t	 i;

	/*
	 * Label lengths are below 'A', so folding only touches label
	 * bytes and equal bytes mean equal label boundaries.
	 */
	if (alen != blen || name_walk(a, alen) == -1 ||
	    name_walk(b, blen) == -1)
		return 0;
	for (i = 0; i < alen; i++)
		if (dns_fold(a[i]) != dns_fold(b[i]))
			return 0;
	return 1;
}

int
dns_name_is_below(const uint8_t *name, size_t nlen, const uint8_t *domain,
    size_t dlen)
{
	size_t	 pos = 0;

	if (name_walk(name, nlen) == -1 || name_walk(domain, dlen) == -1)
		return 0;
	/* only at label boundaries, so xexample.com is not in example.com */
	for (;;) {
		if (nlen - pos == dlen)
			return dns_name_equal(name + pos, dlen, domain, dlen);
		if (nlen - pos < dlen || name[pos] == 0)
			return 0;
		pos += 1 + name[pos];
	}
}

int
dns_name_labels(const uint8_t *name, size_t len)
{
	return name_walk(name, len);
}

static int
text_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* decode one character or escape of text at *sp into *byte */
static int
text_char(const char **sp, uint8_t *byte)
{
	const char	*s = *sp;
	int		 v;

	if (*s != '\\') {
		*byte = (uint8_t)*s;
		*sp = s + 1;
		return 0;
	}
	s++;
	if (*s == '\0')
		return -1;
	if (!text_is_digit(*s)) {
		*byte = (uint8_t)*s;
		*sp = s + 1;
		return 0;
	}
	if (!text_is_digit(s[1]) || !text_is_digit(s[2]))
		return -1;
	v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (v > 255)
		return -1;
	*byte = (uint8_t)v;
	*sp = s + 3;
	return 0;
}

int
dns_name_from_text(const char *text, uint8_t *out, size_t *outlen)
{
	uint8_t		 name[DNS_NAME_MAX];
	const char	*s = text;
	size_t		 n = 0, lpos;
	uint8_t		 byte;

	if (text == NULL || *text == '\0')
		return -1;
	if (strcmp(text, ".") == 0) {
		out[0] = 0;
		*outlen = 1;
		return 0;
	}
	while (*s != '\0') {
		/* one label; room for its length byte and the root after */
		lpos = n++;
		if (n >= DNS_NAME_MAX)
			return -1;
		while (*s != '\0' && *s != '.') {
			if (text_char(&s, &byte) == -1)
				return -1;
			if (n - lpos - 1 >= DNS_LABEL_MAX || n + 1 >= DNS_NAME_MAX)
				return -1;
			name[n++] = byte;
		}
		if (n - lpos - 1 == 0)
			return -1;	/* empty label */
		name[lpos] = (uint8_t)(n - lpos - 1);
		if (*s == '.')
			s++;
	}
	name[n++] = 0;
	memcpy(out, name, n);
	*outlen = n;
	return 0;
}

static int
text_put(char *out, size_t outsz, size_t *pos, const char *s, size_t n)
{
	if (outsz - *pos <= n)	/* keep room for the NUL */
		return -1;
	memcpy(out + *pos, s, n);
	*pos += n;
	return 0;
}

static int
text_byte(char *out, size_t outsz, size_t *pos, uint8_t b)
{
	char	 esc[4];

	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	    (b >= '0' && b <= '9') || b == '-' || b == '_') {
		esc[0] = (char)b;
		return text_put(out, outsz, pos, esc, 1);
	}
	esc[0] = '\\';
	if (b == '.' || b == '\\') {
		esc[1] = (char)b;
		return text_put(out, outsz, pos, esc, 2);
	}
	esc[1] = '0' + b / 100;
	esc[2] = '0' + b / 10 % 10;
	esc[3] = '0' + b % 10;
	return text_put(out, outsz, pos, esc, 4);
}

int
dns_name_to_text(const uint8_t *name, size_t len, char *out, size_t outsz)
{
	size_t	 pos = 0, o = 0, i;

	if (out == NULL || outsz == 0 || name_walk(name, len) == -1)
		return -1;
	if (len == 1 && text_put(out, outsz, &o, ".", 1) == -1)
		return -1;
	while (name[pos] != 0) {
		if (pos != 0 && text_put(out, outsz, &o, ".", 1) == -1)
			return -1;
		for (i = 1; i <= name[pos]; i++)
			if (text_byte(out, outsz, &o, name[pos + i]) == -1)
				return -1;
		pos += 1 + name[pos];
	}
	out[o] = '\0';
	return 0;
}

void
dns_builder_init(struct dns_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = buf == NULL ? 0 : cap;
}

/* claim n bytes, or fail for good */
static uint8_t *
builder_claim(struct dns_builder *b, size_t n)
{
	uint8_t	*p;

	if (b->error)
		return NULL;
	if (b->cap - b->len < n) {
		b->error = 1;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

static int
builder_u16(struct dns_builder *b, uint16_t v)
{
	uint8_t	*p;

	if ((p = builder_claim(b, 2)) == NULL)
		return -1;
	put_be16(p, v);
	return 0;
}

static int
builder_u32(struct dns_builder *b, uint32_t v)
{
	if (builder_u16(b, v >> 16) == -1 || builder_u16(b, v & 0xffff) == -1)
		return -1;
	return 0;
}

int
dns_build_header(struct dns_builder *b, const struct dns_header *h)
{
	uint8_t	*p;

	if ((p = builder_claim(b, DNS_HEADER_LEN)) == NULL)
		return -1;
	put_be16(p, h->id);
	put_be16(p + 2, h->flags);
	put_be16(p + 4, h->qdcount);
	put_be16(p + 6, h->ancount);
	put_be16(p + 8, h->nscount);
	put_be16(p + 10, h->arcount);
	return 0;
}

/*
 * Find the longest suffix of name already in the buffer.  Matching is
 * exact, not case-insensitive: a name must go out as it was given (the
 * question echoes the client's mixed case).  Returns the offset in name
 * where the pointer replaces the rest, or len - 1 for no match.
 */
static size_t
builder_match(const struct dns_builder *b, const uint8_t *name, size_t len,
    const uint8_t *starts, uint16_t *ptr)
{
	struct dns_cursor	 c;
	uint8_t			 old[DNS_NAME_MAX];
	size_t			 best = len - 1, olen, i, j;

	for (j = 0; j < b->ncomp; j++) {
		dns_cursor_init(&c, b->buf, b->len);
		c.pos = b->comp_off[j];
		if (dns_read_name(&c, old, &olen) == -1 || olen > len)
			continue;
		i = len - olen;
		if (i >= best || !starts[i] || memcmp(name + i, old, olen) != 0)
			continue;
		best = i;
		*ptr = b->comp_off[j];
	}
	return best;
}

int
dns_build_name(struct dns_builder *b, const uint8_t *name, size_t len)
{
	uint8_t		 starts[DNS_NAME_MAX];
	uint8_t		*p;
	uint16_t	 ptr = 0;
	size_t		 cut, pos, need, at;

	if (b->error)
		return -1;
	if (name_walk(name, len) == -1) {
		b->error = 1;
		return -1;
	}
	memset(starts, 0, sizeof(starts));
	for (pos = 0; name[pos] != 0; pos += 1 + name[pos])
		starts[pos] = 1;
	cut = builder_match(b, name, len, starts, &ptr);
	need = cut == len - 1 ? len : cut + 2;
	at = b->len;
	if ((p = builder_claim(b, need)) == NULL)
		return -1;
	memcpy(p, name, cut);
	if (cut == len - 1)
		p[cut] = 0;
	else
		put_be16(p + cut, 0xc000 | ptr);
	for (pos = 0; pos < cut; pos += 1 + name[pos]) {
		if (b->ncomp >= DNS_COMP_MAX || at + pos > DNS_PTR_MAX)
			break;
		b->comp_off[b->ncomp++] = at + pos;
	}
	return 0;
}

int
dns_build_question(struct dns_builder *b, const struct dns_question *q)
{
	size_t	 len = b->len, ncomp = b->ncomp;

	if (dns_build_name(b, q->qname, q->qname_len) == -1 ||
	    builder_u16(b, q->qtype) == -1 ||
	    builder_u16(b, q->qclass) == -1) {
		b->len = len;
		b->ncomp = ncomp;
		return -1;
	}
	return 0;
}

int
dns_build_rr(struct dns_builder *b, const uint8_t *name, size_t nlen,
    uint16_t type, uint16_t rclass, uint32_t ttl, const uint8_t *rdata,
    uint16_t rdlen)
{
	size_t	 len = b->len, ncomp = b->ncomp;
	uint8_t	*p;

	if (rdlen > 0 && rdata == NULL) {
		b->error = 1;
		return -1;
	}
	if (dns_build_name(b, name, nlen) == -1 ||
	    builder_u16(b, type) == -1 ||
	    builder_u16(b, rclass) == -1 ||
	    builder_u32(b, ttl) == -1 ||
	    builder_u16(b, rdlen) == -1 ||
	    (p = builder_claim(b, rdlen)) == NULL) {
		b->len = len;
		b->ncomp = ncomp;
		return -1;
	}
	if (rdlen > 0)
		memcpy(p, rdata, rdlen);
	return 0;
}

void
dns_builder_set_counts(struct dns_builder *b, uint16_t qd, uint16_t an,
    uint16_t ns, uint16_t ar)
{
	if (b->error)
		return;
	if (b->len < DNS_HEADER_LEN) {
		b->error = 1;
		return;
	}
	put_be16(b->buf + 4, qd);
	put_be16(b->buf + 6, an);
	put_be16(b->buf + 8, ns);
	put_be16(b->buf + 10, ar);
}

static uint16_t
answer_flags(uint16_t qflags, uint16_t rcode)
{
	return DNS_F_QR | DNS_F_RA |
	    (qflags & (DNS_F_OPCODE_MASK | DNS_F_RD | DNS_F_CD)) |
	    (rcode & DNS_F_RCODE_MASK);
}

size_t
dns_make_error(const uint8_t *query, size_t qlen, const struct dns_msg *qm,
    uint16_t rcode, uint8_t *out, size_t outsz)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	static const uint8_t	 root = 0;
	int			 question, opt;
	uint32_t		 ttl;

	memset(&h, 0, sizeof(h));
	if (qm != NULL) {
		h.id = qm->hdr.id;
		h.flags = qm->hdr.flags;
	} else {
		if (query == NULL || qlen < DNS_HEADER_LEN)
			return 0;
		h.id = get_be16(query);
		h.flags = get_be16(query + 2);
	}
	question = qm != NULL && qm->has_question;
	opt = qm != NULL && qm->has_edns;
	h.flags = answer_flags(h.flags, rcode);
	h.qdcount = question;
	h.arcount = opt;

	dns_builder_init(&b, out, outsz);
	dns_build_header(&b, &h);
	if (question)
		dns_build_question(&b, &qm->q);
	if (opt) {
		/* upper rcode bits, version 0, the DO bit echoed (RFC 3225) */
		ttl = ((uint32_t)(rcode >> 4) & 0xff) << 24;
		ttl |= qm->edns_flags & 0x8000;
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, DNS_EDNS_OURS, ttl,
		    NULL, 0);
	}
	return b.error ? 0 : b.len;
}

/* where the OPT record's fixed part starts, after its (root) name */
static int
opt_fixed_off(const uint8_t *pkt, size_t len, const struct dns_msg *m,
    size_t *off)
{
	struct dns_cursor	 c;

	if (!m->has_edns || m->opt_off > len || len - m->opt_off < m->opt_len)
		return -1;
	dns_cursor_init(&c, pkt, m->opt_off + m->opt_len);
	c.pos = m->opt_off;
	if (dns_read_name(&c, NULL, NULL) == -1 ||
	    m->opt_off + m->opt_len - c.pos < DNS_OPT_FIXED)
		return -1;
	*off = c.pos;
	return 0;
}

/*
 * The question is written again from m rather than kept as it stands:
 * its name may be compressed into the header, whose flags and counts
 * change here.  The OPT record moves first, since a longer uncompressed
 * question could overwrite it.
 */
size_t
dns_truncate(uint8_t *pkt, size_t len, const struct dns_msg *m, size_t max)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	static const uint8_t	 root = 0;
	size_t			 qend, tail = 0, src = 0;
	int			 opt = 0;

	if (len <= max)		/* nothing to shrink: left as it is */
		return len;
	qend = DNS_HEADER_LEN;
	if (m->has_question)
		qend += m->q.qname_len + 4;
	if (qend > max)
		return 0;
	if (opt_fixed_off(pkt, len, m, &src) == 0) {
		/* type written anew; class, ttl, rdlen and rdata move as is */
		tail = m->opt_off + m->opt_len - src - 2;
		opt = qend + 3 + tail <= max;
	}
	if (opt)
		memmove(pkt + qend + 3, pkt + src + 2, tail);

	h = m->hdr;
	h.flags |= DNS_F_TC;
	h.qdcount = m->has_question;
	h.ancount = h.nscount = 0;
	h.arcount = opt;
	dns_builder_init(&b, pkt, max);
	dns_build_header(&b, &h);
	if (m->has_question)
		dns_build_question(&b, &m->q);
	if (opt) {
		dns_build_name(&b, &root, 1);
		builder_u16(&b, DNS_TYPE_OPT);
		b.len += tail;
	}
	if (b.error)
		return 0;
	return b.len;
}

size_t
dns_client_udp_max(const struct dns_msg *m)
{
	if (!m->has_edns || m->edns_udp_size < DNS_UDP_MIN)
		return DNS_UDP_MIN;
	if (m->edns_udp_size > DNS_UDP_CLAMP)
		return DNS_UDP_CLAMP;
	return m->edns_udp_size;
}

int
dns_label_octet(const uint8_t *l, uint8_t *v)
{
	unsigned int	 n = 0, i;

	if (l[0] < 1 || l[0] > 3 || (l[0] > 1 && l[1] == '0'))
		return -1;
	for (i = 1; i <= l[0]; i++) {
		if (l[i] < '0' || l[i] > '9')
			return -1;
		n = n * 10 + (l[i] - '0');
	}
	if (n > 255)
		return -1;
	*v = (uint8_t)n;
	return 0;
}
