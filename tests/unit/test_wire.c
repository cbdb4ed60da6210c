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

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testpkt.h"

#include "wire.h"

/* a wire name given as a string literal, its NUL being the root label */
#define WNAME(s)	(const uint8_t *)(s), sizeof(s)

#define WWW_EXAMPLE	"\003www\007example\003com"

static void
p_header(struct pkt *p, uint16_t id, uint16_t flags, uint16_t qd,
    uint16_t an, uint16_t ns, uint16_t ar)
{
	p->len = 0;
	p_u16(p, id);
	p_u16(p, flags);
	p_u16(p, qd);
	p_u16(p, an);
	p_u16(p, ns);
	p_u16(p, ar);
}

/* www.example.com A IN at offset 12: "example.com" is at offset 16 */
static void
p_question(struct pkt *p, uint16_t qtype)
{
	p_bytes(p, WNAME(WWW_EXAMPLE));
	p_u16(p, qtype);
	p_u16(p, DNS_CLASS_IN);
}

static void
p_rr_head(struct pkt *p, const uint8_t *name, size_t nlen, uint16_t type,
    uint16_t rclass, uint32_t ttl, uint16_t rdlen)
{
	p_bytes(p, name, nlen);
	p_u16(p, type);
	p_u16(p, rclass);
	p_u32(p, ttl);
	p_u16(p, rdlen);
}

static const uint8_t	 ptr_question[] = { 0xc0, 0x0c };
static const uint8_t	 root_name[] = { 0 };

/* an OPT record: udp size, extended rcode, version, flags */
static void
p_opt(struct pkt *p, uint16_t udp, uint8_t ext, uint8_t version,
    uint16_t flags)
{
	p_rr_head(p, root_name, 1, DNS_TYPE_OPT, udp,
	    ((uint32_t)ext << 24) | ((uint32_t)version << 16) | flags, 0);
}

static enum dns_parse_result
parse(const struct pkt *p, struct dns_msg *m)
{
	return dns_msg_parse(p->b, p->len, m);
}

static void
test_header_only(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	p_header(&p, 0xbeef, DNS_F_RD, 0, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_int_equal(m.hdr.id, 0xbeef);
	assert_int_equal(m.hdr.flags, DNS_F_RD);
	assert_false(m.has_question);
	assert_false(m.has_edns);
	assert_int_equal(m.question_end, DNS_HEADER_LEN);
}

static void
test_short_header(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	p_header(&p, 1, 0, 0, 0, 0, 0);
	assert_int_equal(dns_msg_parse(p.b, 11, &m), DNS_PARSE_GARBAGE);
	assert_int_equal(dns_msg_parse(p.b, 0, &m), DNS_PARSE_GARBAGE);
	assert_int_equal(dns_msg_parse(NULL, 0, &m), DNS_PARSE_GARBAGE);
}

static void
test_query(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	p_header(&p, 0x1234, DNS_F_RD, 1, 0, 0, 0);
	p_question(&p, DNS_TYPE_AAAA);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_true(m.has_question);
	assert_int_equal(m.q.qtype, DNS_TYPE_AAAA);
	assert_int_equal(m.q.qclass, DNS_CLASS_IN);
	assert_int_equal(m.q.qname_len, sizeof(WWW_EXAMPLE));
	assert_memory_equal(m.q.qname, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	assert_int_equal(m.question_end, p.len);
	assert_false(m.has_edns);
}

static void
test_qdcount2(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	p_header(&p, 0x4242, 0, 2, 0, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_question(&p, DNS_TYPE_A);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* the header survives so an error answer can carry the ID */
	assert_int_equal(m.hdr.id, 0x4242);
	assert_false(m.has_question);
	/* the count alone is enough */
	p_header(&p, 0x4242, 0, 2, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	p_header(&p, 0x4242, 0, 0xffff, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
}

static void
test_trailing_byte(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;
	uint8_t		 zero = 0;

	p_header(&p, 1, 0, 1, 0, 0, 0);
	p_question(&p, DNS_TYPE_A);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	p_bytes(&p, &zero, 1);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
}

static void
test_counts_past_end(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	/* announces an answer that is not there */
	p_header(&p, 1, DNS_F_QR, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_A);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* a question cut inside its type */
	p_header(&p, 1, 0, 1, 0, 0, 0);
	p_question(&p, DNS_TYPE_A);
	assert_int_equal(dns_msg_parse(p.b, p.len - 3, &m), DNS_PARSE_FORMERR);
}

struct rr_case {
	const char	*what;
	uint16_t	 type;
	uint8_t		 rdata[128];
	size_t		 len;
};

/* offset 16 holds "example.com" in every packet of these tests */
static const struct rr_case rr_cases[] = {
	{ "A", DNS_TYPE_A, { 192, 0, 2, 1 }, 4 },
	{ "AAAA", DNS_TYPE_AAAA, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 1 }, 16 },
	{ "NS", DNS_TYPE_NS, "\003ns1\300\020", 6 },
	{ "CNAME", DNS_TYPE_CNAME, "\003web\007example\003com", 17 },
	{ "PTR", DNS_TYPE_PTR, "\300\014", 2 },
	{ "MX", DNS_TYPE_MX, "\000\012\004mail\300\020", 9 },
	{ "SOA", DNS_TYPE_SOA, "\003ns1\300\020\012hostmaster\300\020"
	    "\170\301\000\001" "\000\000\034\040" "\000\000\003\204"
	    "\000\022\165\000" "\000\000\001\054", 39 },
	{ "SRV", DNS_TYPE_SRV, "\000\000\000\005\023\304\003sip\300\020",
	    12 },
};

/* one answer record after the question, rdlen as given, bytes as given */
static void
rr_packet(struct pkt *p, const struct rr_case *rc, uint16_t rdlen,
    const uint8_t *rdata, size_t n)
{
	p_header(p, 7, DNS_F_QR, 1, 1, 0, 0);
	p_question(p, rc->type);
	p_rr_head(p, ptr_question, 2, rc->type, DNS_CLASS_IN, 300, rdlen);
	p_bytes(p, rdata, n);
}

/* read the record at the end of the question with dns_read_rr alone */
static int
read_answer(const struct pkt *p, struct dns_rr *rr)
{
	struct dns_cursor	 c;
	size_t			 start;
	int			 rv;

	start = DNS_HEADER_LEN + sizeof(WWW_EXAMPLE) + 4;
	dns_cursor_init(&c, p->b, p->len);
	c.pos = start;
	rr->section = DNS_SECTION_ANSWER;
	rv = dns_read_rr(&c, rr);
	/* a failure leaves the cursor where it was */
	if (rv == -1)
		assert_int_equal(c.pos, start);
	else
		assert_int_equal(c.pos, start + 12 + rr->rdlen);
	return rv;
}

static void
test_rr_types(void **state)
{
	const struct rr_case	*rc;
	struct pkt		 p;
	struct dns_msg		 m;
	struct dns_rr		 rr;
	uint8_t			 longer[129];
	size_t			 i;

	for (i = 0; i < sizeof(rr_cases) / sizeof(rr_cases[0]); i++) {
		rc = &rr_cases[i];
		print_message("%s\n", rc->what);

		rr_packet(&p, rc, rc->len, rc->rdata, rc->len);
		assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
		assert_int_equal(read_answer(&p, &rr), 0);
		assert_int_equal(rr.type, rc->type);
		assert_int_equal(rr.rdlen, rc->len);
		assert_int_equal(rr.ttl, 300);
		assert_int_equal(rr.rdata_off, p.len - rc->len);
		assert_int_equal(rr.section, DNS_SECTION_ANSWER);
		assert_int_equal(rr.name_len, sizeof(WWW_EXAMPLE));

		/* one byte short: the packet ends early */
		rr_packet(&p, rc, rc->len - 1, rc->rdata, rc->len - 1);
		assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
		assert_int_equal(read_answer(&p, &rr), -1);

		/* one byte short by rdlen only, the bytes still there */
		rr_packet(&p, rc, rc->len - 1, rc->rdata, rc->len);
		assert_int_equal(read_answer(&p, &rr), -1);
		assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

		/* one byte long */
		memcpy(longer, rc->rdata, rc->len);
		longer[rc->len] = 0;
		rr_packet(&p, rc, rc->len + 1, longer, rc->len + 1);
		assert_int_equal(read_answer(&p, &rr), -1);
		assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

		/* rdlen past the end of the packet */
		rr_packet(&p, rc, rc->len + 1, rc->rdata, rc->len);
		assert_int_equal(read_answer(&p, &rr), -1);
		assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	}
}

static void
test_rr_opaque(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;
	struct dns_rr	 rr;

	/* TXT and unknown types are opaque: any rdlen that fits */
	p_header(&p, 7, DNS_F_QR, 1, 2, 0, 0);
	p_question(&p, DNS_TYPE_TXT);
	p_rr_head(&p, ptr_question, 2, DNS_TYPE_TXT, DNS_CLASS_IN, 1, 6);
	p_bytes(&p, "\005hello", 6);
	p_rr_head(&p, ptr_question, 2, 65280, DNS_CLASS_IN, 1, 3);
	p_bytes(&p, "\001\002\003", 3);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_int_equal(read_answer(&p, &rr), 0);
	assert_int_equal(rr.type, DNS_TYPE_TXT);
	assert_int_equal(rr.rdlen, 6);
}

static void
expect_question_formerr(const uint8_t *name, size_t n, const char *what)
{
	struct pkt		 p;
	struct dns_msg		 m;
	struct dns_cursor	 c;

	print_message("%s\n", what);
	p_header(&p, 9, 0, 1, 0, 0, 0);
	p_bytes(&p, name, n);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* the name itself is what is refused, the cursor left in place */
	dns_cursor_init(&c, p.b, p.len);
	c.pos = DNS_HEADER_LEN;
	assert_int_equal(dns_read_name(&c, NULL, NULL), -1);
	assert_int_equal(c.pos, DNS_HEADER_LEN);
}

static void
test_compression_bad(void **state)
{
	static const uint8_t	 self[] = { 0xc0, 0x0c };
	static const uint8_t	 loop2[] = { 0xc0, 0x0e, 0xc0, 0x0c };
	static const uint8_t	 inside[] = { 3, 'w', 'w', 'w', 0xc0, 0x0c };
	static const uint8_t	 forward[] = { 0xc0, 0x12, 0, 1, 0, 1,
	    3, 'w', 'w', 'w', 0 };
	static const uint8_t	 header[] = { 0xc0, 0x04 };
	struct pkt		 p;
	struct dns_msg		 m;
	size_t			 owner;
	int			 i;

	expect_question_formerr(self, sizeof(self), "pointer to itself");
	expect_question_formerr(loop2, sizeof(loop2), "loop of two");
	expect_question_formerr(inside, sizeof(inside), "into its own name");
	expect_question_formerr(forward, sizeof(forward), "forward");

	/*
	 * An owner pointing forward to the name in its own CNAME rdata:
	 * the packet is whole, only the direction is wrong.  Pointing
	 * back at the question instead makes it good.
	 */
	p_header(&p, 9, DNS_F_QR, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_CNAME);
	owner = p.len;
	p_rr_head(&p, ptr_question, 2, DNS_TYPE_CNAME, DNS_CLASS_IN, 1, 17);
	p_bytes(&p, WNAME("\003web\007example\003com"));
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	p.b[owner + 1] = p.len - 17;
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

	/* past the end, and a pointer cut in half */
	p_header(&p, 9, DNS_F_QR, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_bytes(&p, "\300\377", 2);
	p_u16(&p, DNS_TYPE_A);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	p_header(&p, 9, 0, 1, 0, 0, 0);
	p_bytes(&p, "\300", 1);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

	/*
	 * Two pointers into each other inside opaque rdata, reached from a
	 * later name: each pointer is backwards from the name, but the
	 * second is not backwards from the first.
	 */
	p_header(&p, 9, DNS_F_QR, 1, 2, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_rr_head(&p, ptr_question, 2, 65280, DNS_CLASS_IN, 1, 4);
	owner = p.len;
	p_u16(&p, 0xc000 | (owner + 2));
	p_u16(&p, 0xc000 | owner);
	p_rr_head(&p, ptr_question, 2, 65280, DNS_CLASS_IN, 1, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	p.b[p.len - 11] = owner;
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	p.b[p.len - 11] = owner + 2;
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* the same with a label in the loop */
	p.b[owner - 1] = 6;
	p.len = owner;
	p_bytes(&p, "\001a", 2);
	p_u16(&p, 0xc000 | (owner + 4));
	p_u16(&p, 0xc000 | owner);
	p_rr_head(&p, ptr_question, 2, 65280, DNS_CLASS_IN, 1, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	p.b[p.len - 11] = owner + 4;
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

	/*
	 * A pointer back into the question whose label runs on past the
	 * pointer itself, over the record's own bytes: refused, as no name
	 * written earlier can end after it.  The question's own start is
	 * fine.
	 */
	p_header(&p, 9, DNS_F_QR, 1, 1, 0, 0);
	p_bytes(&p, "\001\060\000", 3);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	owner = p.len;
	p_bytes(&p, "\300\015", 2);
	p_u16(&p, 65280);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 1);
	p_u16(&p, 60);
	for (i = 0; i < 60; i++)
		p_bytes(&p, "", 1);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	p.b[owner + 1] = DNS_HEADER_LEN;
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);

	/*
	 * Backwards into the header is refused: no name lives there, and a
	 * name read from header bytes changes when the ID is rewritten.
	 */
	p_header(&p, 9, 0, 1, 0, 0, 0);
	p_bytes(&p, header, sizeof(header));
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	p_header(&p, 9, DNS_F_QR, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_bytes(&p, "\300\013", 2);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 1);
	p_u16(&p, 4);
	p_bytes(&p, "\012\000\000\001", 4);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
}

static void
test_compression_chain(void **state)
{
	struct pkt		 p;
	struct dns_msg		 m;
	struct dns_rr		 rr;
	struct dns_cursor	 c;
	size_t			 web;

	/* web.example.com -> example.com, then mail.web.example.com */
	p_header(&p, 9, DNS_F_QR, 1, 2, 0, 0);
	p_question(&p, DNS_TYPE_A);
	web = p.len;
	p_rr_head(&p, (const uint8_t *)"\003web\300\020", 6, DNS_TYPE_A,
	    DNS_CLASS_IN, 1, 4);
	p_bytes(&p, "\300\000\002\001", 4);
	p_bytes(&p, "\004mail", 5);
	p_u16(&p, 0xc000 | web);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	p_u32(&p, 1);
	p_u16(&p, 4);
	p_bytes(&p, "\300\000\002\002", 4);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);

	/* the second record's owner goes through two pointers */
	dns_cursor_init(&c, p.b, p.len);
	c.pos = web;
	rr.section = DNS_SECTION_ANSWER;
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_int_equal(c.pos, p.len);
	assert_int_equal(rr.name_len, 22);
	assert_memory_equal(rr.name, "\004mail\003web\007example\003com", 22);
}

/* a name of total wire length len made of labels of up to 63 */
static size_t
long_name(uint8_t *out, size_t len)
{
	size_t	 n = 0, l;

	while (len - n > 1) {
		l = len - n - 1 - 1;
		if (l > DNS_LABEL_MAX)
			l = DNS_LABEL_MAX;
		/* never leave a remainder that cannot be a label */
		if (len - n - 1 - (l + 1) == 1)
			l--;
		out[n] = l;
		memset(out + n + 1, 'a', l);
		n += 1 + l;
	}
	out[n++] = 0;
	return n;
}

static void
test_name_limits(void **state)
{
	uint8_t		 name[300];
	struct pkt	 p;
	struct dns_msg	 m;
	size_t		 n;

	n = long_name(name, 255);
	assert_int_equal(n, 255);
	assert_int_equal(dns_name_labels(name, n), 4);
	p_header(&p, 9, 0, 1, 0, 0, 0);
	p_bytes(&p, name, n);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_int_equal(m.q.qname_len, 255);

	/* one more label on top of it, through a pointer: 257 */
	p_header(&p, 9, DNS_F_QR, 1, 1, 0, 0);
	p_bytes(&p, name, n);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	p_rr_head(&p, (const uint8_t *)"\001a\300\014", 4, 65280,
	    DNS_CLASS_IN, 1, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* pointing past the first label instead makes 193: fine */
	p.b[p.len - 11] = DNS_HEADER_LEN + 64;
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);

	n = long_name(name, 256);
	assert_int_equal(n, 256);
	expect_question_formerr(name, n, "256 bytes");
	assert_int_equal(dns_name_labels(name, n), -1);
}

static void
test_label_limits(void **state)
{
	uint8_t		 name[80];
	struct pkt	 p;
	struct dns_msg	 m;

	name[0] = 63;
	memset(name + 1, 'x', 63);
	name[64] = 0;
	p_header(&p, 9, 0, 1, 0, 0, 0);
	p_bytes(&p, name, 65);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);

	/* 64 is label type 01; 0x40 and 0x80 are the reserved types */
	name[0] = 64;
	memset(name + 1, 'x', 64);
	name[65] = 0;
	expect_question_formerr(name, 66, "64-byte label");
	expect_question_formerr(WNAME("\100\000"), "type 0x40");
	expect_question_formerr(WNAME("\200\000"), "type 0x80");
}

static void
test_opt(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;
	size_t		 off;

	p_header(&p, 5, DNS_F_RD, 1, 0, 0, 1);
	p_question(&p, DNS_TYPE_A);
	off = p.len;
	p_opt(&p, 1232, 0, 0, 0x8000);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_true(m.has_edns);
	assert_int_equal(m.edns_udp_size, 1232);
	assert_int_equal(m.edns_version, 0);
	assert_int_equal(m.edns_flags, 0x8000);
	assert_int_equal(m.opt_off, off);
	assert_int_equal(m.opt_len, 11);

	p_header(&p, 5, DNS_F_RD, 1, 0, 0, 1);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 4096, 0, 1, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_int_equal(m.edns_version, 1);
	assert_int_equal(m.edns_flags, 0);
}

static void
test_opt_bad(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;

	print_message("two OPT\n");
	p_header(&p, 5, 0, 1, 0, 0, 2);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 1232, 0, 0, 0);
	p_opt(&p, 1232, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	assert_false(m.has_edns);

	print_message("OPT in the answer section\n");
	p_header(&p, 5, DNS_F_QR, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 1232, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

	print_message("OPT in the authority section\n");
	p_header(&p, 5, DNS_F_QR, 1, 0, 1, 0);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 1232, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);

	print_message("OPT with a name\n");
	p_header(&p, 5, 0, 1, 0, 0, 1);
	p_question(&p, DNS_TYPE_A);
	p_rr_head(&p, ptr_question, 2, DNS_TYPE_OPT, 1232, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
}

static void
test_make_error_parsed(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m, am;
	uint8_t		 out[512];
	size_t		 n;
	uint16_t	 qflags;

	/* opcode 2 (STATUS), RD and CD set, AA set (must not be copied) */
	qflags = (2 << 11) | DNS_F_RD | DNS_F_CD | DNS_F_AA;
	p_header(&p, 0xabcd, qflags, 1, 0, 0, 0);
	p_question(&p, DNS_TYPE_MX);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	n = dns_make_error(p.b, p.len, &m, DNS_RCODE_REFUSED, out,
	    sizeof(out));
	assert_int_equal(n, p.len);
	assert_int_equal(dns_msg_parse(out, n, &am), DNS_PARSE_OK);
	assert_int_equal(am.hdr.id, 0xabcd);
	assert_int_equal(am.hdr.flags, DNS_F_QR | DNS_F_RA | (2 << 11) |
	    DNS_F_RD | DNS_F_CD | DNS_RCODE_REFUSED);
	assert_int_equal(am.hdr.qdcount, 1);
	assert_int_equal(am.hdr.ancount + am.hdr.nscount + am.hdr.arcount, 0);
	assert_true(am.has_question);
	assert_int_equal(am.q.qtype, DNS_TYPE_MX);
	assert_true(dns_name_equal(am.q.qname, am.q.qname_len, m.q.qname,
	    m.q.qname_len));
	assert_false(am.has_edns);

	/* exactly big enough works, one byte less gives nothing */
	assert_int_equal(dns_make_error(p.b, p.len, &m, DNS_RCODE_REFUSED,
	    out, n), n);
	assert_int_equal(dns_make_error(p.b, p.len, &m, DNS_RCODE_REFUSED,
	    out, n - 1), 0);
	assert_int_equal(dns_make_error(p.b, p.len, &m, DNS_RCODE_REFUSED,
	    out, 5), 0);
}

static void
test_make_error_unparsed(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m, am;
	uint8_t		 out[512];
	size_t		 n;

	/* a header and garbage: answered with the header only */
	p_header(&p, 0x7777, (5 << 11) | DNS_F_RD, 3, 0, 0, 0);
	p_bytes(&p, "\377\377\377", 3);
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	n = dns_make_error(p.b, p.len, NULL, DNS_RCODE_FORMERR, out,
	    sizeof(out));
	assert_int_equal(n, DNS_HEADER_LEN);
	assert_int_equal(dns_msg_parse(out, n, &am), DNS_PARSE_OK);
	assert_int_equal(am.hdr.id, 0x7777);
	assert_int_equal(DNS_OPCODE(am.hdr.flags), 5);
	assert_true(am.hdr.flags & DNS_F_QR);
	assert_true(am.hdr.flags & DNS_F_RD);
	assert_int_equal(am.hdr.flags & DNS_F_RCODE_MASK, DNS_RCODE_FORMERR);
	assert_int_equal(am.hdr.qdcount, 0);

	/* the FORMERR result's header works the same */
	assert_int_equal(dns_make_error(p.b, p.len, &m, DNS_RCODE_FORMERR,
	    out, sizeof(out)), DNS_HEADER_LEN);
	assert_int_equal(dns_msg_parse(out, DNS_HEADER_LEN, &am),
	    DNS_PARSE_OK);
	assert_int_equal(am.hdr.id, 0x7777);

	/* no header, or no room for one */
	assert_int_equal(dns_make_error(p.b, 11, NULL, DNS_RCODE_FORMERR, out,
	    sizeof(out)), 0);
	assert_int_equal(dns_make_error(NULL, 0, NULL, DNS_RCODE_FORMERR, out,
	    sizeof(out)), 0);
	assert_int_equal(dns_make_error(p.b, p.len, NULL, DNS_RCODE_FORMERR,
	    out, 11), 0);
}

static void
test_make_error_opt(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m, am;
	struct dns_cursor c;
	struct dns_rr	 rr;
	uint8_t		 out[512];
	size_t		 n;

	p_header(&p, 0x5151, DNS_F_RD, 1, 0, 0, 1);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 4096, 0, 0, 0x8000);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	n = dns_make_error(p.b, p.len, &m, DNS_RCODE_SERVFAIL, out,
	    sizeof(out));
	assert_int_equal(n, p.len);
	assert_int_equal(dns_msg_parse(out, n, &am), DNS_PARSE_OK);
	assert_true(am.has_edns);
	assert_int_equal(am.hdr.arcount, 1);
	assert_int_equal(am.edns_flags & 0x8000, 0x8000);
	assert_int_equal(am.edns_version, 0);
	assert_true(am.edns_udp_size >= DNS_UDP_MIN);
	assert_int_equal(am.hdr.flags & DNS_F_RCODE_MASK, DNS_RCODE_SERVFAIL);

	/* an extended rcode (BADVERS, 16) splits between header and OPT */
	n = dns_make_error(p.b, p.len, &m, 16, out, sizeof(out));
	assert_int_equal(dns_msg_parse(out, n, &am), DNS_PARSE_OK);
	assert_int_equal(am.hdr.flags & DNS_F_RCODE_MASK, 0);
	dns_cursor_init(&c, out, n);
	c.pos = am.opt_off;
	rr.section = DNS_SECTION_ADDITIONAL;
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_int_equal(rr.ttl >> 24, 1);

	/* without room for the OPT there is no answer at all */
	assert_int_equal(dns_make_error(p.b, p.len, &m, DNS_RCODE_SERVFAIL,
	    out, p.len - 1), 0);
}

/* an answer with many A records, an OPT with an option, over 512 bytes */
static void
big_answer(struct pkt *p, struct dns_msg *m, int with_opt)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	uint8_t			 addr[4] = { 192, 0, 2, 0 };
	static const uint8_t	 opt_rdata[] = { 0, 10, 0, 8,
	    1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t	 root = 0;
	int			 i;

	memset(&h, 0, sizeof(h));
	h.id = 0x2222;
	h.flags = DNS_F_QR | DNS_F_RD | DNS_F_RA;
	memcpy(q.qname, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	q.qname_len = sizeof(WWW_EXAMPLE);
	q.qtype = DNS_TYPE_A;
	q.qclass = DNS_CLASS_IN;
	dns_builder_init(&b, p->b, sizeof(p->b));
	dns_build_header(&b, &h);
	dns_build_question(&b, &q);
	for (i = 0; i < 60; i++) {
		addr[3] = i;
		dns_build_rr(&b, q.qname, q.qname_len, DNS_TYPE_A,
		    DNS_CLASS_IN, 60, addr, 4);
	}
	dns_build_rr(&b, q.qname, q.qname_len, DNS_TYPE_NS, DNS_CLASS_IN, 60,
	    WNAME("\002ns\007example\003com"));
	if (with_opt)
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, 1232, 0x8000,
		    opt_rdata, sizeof(opt_rdata));
	dns_builder_set_counts(&b, 1, 60, 1, with_opt ? 1 : 0);
	assert_false(b.error);
	p->len = b.len;
	assert_true(p->len > 900);
	assert_int_equal(parse(p, m), DNS_PARSE_OK);
}

static void
test_truncate(void **state)
{
	struct pkt		 p;
	struct dns_msg		 m, tm;
	struct dns_cursor	 c;
	struct dns_rr		 rr;
	size_t			 n;

	big_answer(&p, &m, 1);
	assert_true(m.has_edns);
	n = dns_truncate(p.b, p.len, &m, 512);
	assert_true(n > 0 && n <= 512);
	assert_int_equal(dns_msg_parse(p.b, n, &tm), DNS_PARSE_OK);
	assert_true(tm.hdr.flags & DNS_F_TC);
	assert_true(tm.hdr.flags & DNS_F_QR);
	assert_int_equal(tm.hdr.id, 0x2222);
	assert_int_equal(tm.hdr.qdcount, 1);
	assert_int_equal(tm.hdr.ancount, 0);
	assert_int_equal(tm.hdr.nscount, 0);
	assert_int_equal(tm.hdr.arcount, 1);
	assert_true(tm.has_question);
	assert_memory_equal(tm.q.qname, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	assert_true(tm.has_edns);
	assert_int_equal(tm.edns_udp_size, 1232);
	assert_int_equal(tm.edns_flags, 0x8000);
	assert_int_equal(tm.opt_len, 11 + 12);
	assert_int_equal(n, DNS_HEADER_LEN + sizeof(WWW_EXAMPLE) + 4 + 23);
	/* the option went along byte for byte */
	dns_cursor_init(&c, p.b, n);
	c.pos = tm.opt_off;
	rr.section = DNS_SECTION_ADDITIONAL;
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_memory_equal(p.b + rr.rdata_off,
	    "\000\012\000\010\001\002\003\004\005\006\007\010", 12);

	/* room for the question but not the OPT: dropped */
	big_answer(&p, &m, 1);
	n = dns_truncate(p.b, p.len, &m, DNS_HEADER_LEN + 21 + 10);
	assert_int_equal(n, DNS_HEADER_LEN + 21);
	assert_int_equal(dns_msg_parse(p.b, n, &tm), DNS_PARSE_OK);
	assert_int_equal(tm.hdr.arcount, 0);
	assert_false(tm.has_edns);
	assert_true(tm.hdr.flags & DNS_F_TC);

	/* without OPT */
	big_answer(&p, &m, 0);
	n = dns_truncate(p.b, p.len, &m, 512);
	assert_int_equal(n, DNS_HEADER_LEN + 21);
	assert_int_equal(dns_msg_parse(p.b, n, &tm), DNS_PARSE_OK);

	/* not even the question fits */
	big_answer(&p, &m, 1);
	assert_int_equal(dns_truncate(p.b, p.len, &m, DNS_HEADER_LEN + 20),
	    0);
	assert_int_equal(dns_truncate(p.b, p.len, &m, 5), 0);

	/* small enough already: left alone */
	big_answer(&p, &m, 1);
	assert_int_equal(dns_truncate(p.b, p.len, &m, p.len), p.len);
	assert_int_equal(parse(&p, &tm), DNS_PARSE_OK);
	assert_false(tm.hdr.flags & DNS_F_TC);
}

/*
 * A question name pointing into the header would change when the header
 * is rewritten (TC set, the ID replaced): the parser refuses it, so no
 * truncation or rewrite ever meets one.
 */
static void
test_question_in_header_refused(void **state)
{
	struct pkt	 p;
	struct dns_msg	 m;
	int		 i;

	p_header(&p, 0x3f00, 0x0100, 1, 30, 0, 0);
	p_bytes(&p, "\300\002", 2);
	p_u16(&p, DNS_TYPE_A);
	p_u16(&p, DNS_CLASS_IN);
	for (i = 0; i < 30; i++) {
		p_rr_head(&p, WNAME("\001x"), DNS_TYPE_A, DNS_CLASS_IN, 1, 4);
		p_bytes(&p, "\300\000\002\001", 4);
	}
	assert_int_equal(parse(&p, &m), DNS_PARSE_FORMERR);
	/* the same answer with the question written out is fine */
	p_header(&p, 0x3f00, 0x8100, 1, 1, 0, 0);
	p_question(&p, DNS_TYPE_A);
	p_rr_head(&p, WNAME("\001x"), DNS_TYPE_A, DNS_CLASS_IN, 1, 4);
	p_bytes(&p, "\300\000\002\001", 4);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
}

static void
test_client_udp_max(void **state)
{
	struct dns_msg	 m;
	struct pkt	 p;

	memset(&m, 0, sizeof(m));
	assert_int_equal(dns_client_udp_max(&m), 512);
	m.has_edns = 1;
	m.edns_udp_size = 100;
	assert_int_equal(dns_client_udp_max(&m), 512);
	m.edns_udp_size = 512;
	assert_int_equal(dns_client_udp_max(&m), 512);
	m.edns_udp_size = 1232;
	assert_int_equal(dns_client_udp_max(&m), 1232);
	m.edns_udp_size = 4096;
	assert_int_equal(dns_client_udp_max(&m), 4096);
	m.edns_udp_size = 65535;
	assert_int_equal(dns_client_udp_max(&m), 4096);

	/* and from a parsed query */
	p_header(&p, 1, 0, 1, 0, 0, 1);
	p_question(&p, DNS_TYPE_A);
	p_opt(&p, 1400, 0, 0, 0);
	assert_int_equal(parse(&p, &m), DNS_PARSE_OK);
	assert_int_equal(dns_client_udp_max(&m), 1400);
}

static void
expect_text(const char *text, const uint8_t *wire, size_t wlen,
    const char *back)
{
	uint8_t	 name[DNS_NAME_MAX];
	char	 out[DNS_NAME_TEXT_MAX];
	size_t	 n;

	print_message("%s\n", text);
	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	assert_int_equal(n, wlen);
	assert_memory_equal(name, wire, wlen);
	assert_int_equal(dns_name_to_text(name, n, out, sizeof(out)), 0);
	assert_string_equal(out, back);
}

static void
expect_text_refused(const char *text)
{
	uint8_t	 name[DNS_NAME_MAX];
	size_t	 n = 12345;

	print_message("refused: %s\n", text);
	assert_int_equal(dns_name_from_text(text, name, &n), -1);
	assert_int_equal(n, 12345);
}

static void
test_name_text(void **state)
{
	char	 text[400], out[DNS_NAME_TEXT_MAX];
	uint8_t	 name[DNS_NAME_MAX];
	size_t	 n, i;

	expect_text("www.example.com", WNAME(WWW_EXAMPLE), "www.example.com");
	expect_text("www.example.com.", WNAME(WWW_EXAMPLE),
	    "www.example.com");
	expect_text(".", WNAME(""), ".");
	expect_text("a\\.b.c", WNAME("\003a.b\001c"), "a\\.b.c");
	expect_text("a\\\\b", WNAME("\003a\\b"), "a\\\\b");
	expect_text("\\065bc.Org", WNAME("\003Abc\003Org"), "Abc.Org");
	expect_text("sp\\032ce", WNAME("\005sp ce"), "sp\\032ce");
	expect_text("sp ce", WNAME("\005sp ce"), "sp\\032ce");
	expect_text("\\000\\255", WNAME("\002\000\377"), "\\000\\255");
	expect_text("_sip._udp.x-y", WNAME("\004_sip\004_udp\003x-y"),
	    "_sip._udp.x-y");
	expect_text("\\q", WNAME("\001q"), "q");

	expect_text_refused("");
	expect_text_refused("a..b");
	expect_text_refused(".a");
	expect_text_refused("a.b..");
	expect_text_refused("..");
	expect_text_refused("a\\");
	expect_text_refused("a\\25");
	expect_text_refused("a\\256");

	/* 63 is the longest label */
	memset(text, 'x', 63);
	strlcpy(text + 63, ".com", sizeof(text) - 63);
	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	assert_int_equal(n, 1 + 63 + 4 + 1);
	memset(text, 'x', 64);
	strlcpy(text + 64, ".com", sizeof(text) - 64);
	expect_text_refused(text);
	/* escapes count as the one byte they make */
	text[0] = '\0';
	for (i = 0; i < 63; i++)
		strlcat(text, "\\046", sizeof(text));
	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	strlcat(text, "\\046", sizeof(text));
	expect_text_refused(text);

	/* 255 wire bytes are the most: 3 x 63 + 61, with a dot each */
	memset(text, 'a', 63);
	text[63] = '.';
	memcpy(text + 64, text, 64);
	memcpy(text + 128, text, 64);
	memset(text + 192, 'b', 61);
	text[253] = '\0';
	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	assert_int_equal(n, 255);
	assert_int_equal(dns_name_to_text(name, n, out, sizeof(out)), 0);
	assert_string_equal(out, text);
	/* with a dot at the end: the same name */
	strlcat(text, ".", sizeof(text));
	assert_int_equal(dns_name_from_text(text, name, &n), 0);
	assert_int_equal(n, 255);
	text[253] = 'b';
	text[254] = '\0';
	expect_text_refused(text);

	/* the text side has limits too */
	assert_int_equal(dns_name_from_text(".", name, &n), 0);
	assert_int_equal(dns_name_to_text(name, n, out, 1), -1);
	assert_int_equal(dns_name_to_text(name, n, out, 2), 0);
	assert_int_equal(dns_name_to_text(WNAME(WWW_EXAMPLE), out, 15), -1);
	assert_int_equal(dns_name_to_text(WNAME(WWW_EXAMPLE), out, 16), 0);
	/* and a malformed wire name is no name */
	assert_int_equal(dns_name_to_text((const uint8_t *)"\003ab", 4, out,
	    sizeof(out)), -1);
	assert_int_equal(dns_name_to_text((const uint8_t *)WWW_EXAMPLE,
	    sizeof(WWW_EXAMPLE) - 1, out, sizeof(out)), -1);
}

static void
test_name_compare(void **state)
{
	static const uint8_t	 mixed[] = "\003wWw\007ExAmPlE\003COM";
	static const uint8_t	 example[] = "\007example\003com";
	static const uint8_t	 xexample[] = "\010xexample\003com";
	static const uint8_t	 com[] = "\003com";

	assert_true(dns_name_equal(WNAME(WWW_EXAMPLE), mixed, sizeof(mixed)));
	assert_false(dns_name_equal(WNAME(WWW_EXAMPLE), example,
	    sizeof(example)));
	assert_false(dns_name_equal(WNAME("\003wwx\007example\003com"),
	    mixed, sizeof(mixed)));
	assert_true(dns_name_equal(WNAME(""), WNAME("")));

	assert_true(dns_name_is_below(mixed, sizeof(mixed), example,
	    sizeof(example)));
	assert_true(dns_name_is_below(WNAME(WWW_EXAMPLE),
	    WNAME("\007EXAMPLE\003cOm")));
	assert_true(dns_name_is_below(example, sizeof(example), example,
	    sizeof(example)));
	assert_true(dns_name_is_below(example, sizeof(example), WNAME("")));
	assert_true(dns_name_is_below(xexample, sizeof(xexample), com,
	    sizeof(com)));
	assert_false(dns_name_is_below(xexample, sizeof(xexample), example,
	    sizeof(example)));
	assert_false(dns_name_is_below(example, sizeof(example),
	    WNAME(WWW_EXAMPLE)));
	assert_false(dns_name_is_below(WNAME(""), com, sizeof(com)));
	/* label bytes that look like a suffix are not one */
	assert_false(dns_name_is_below(WNAME("\005a\003com"), com,
	    sizeof(com)));

	assert_int_equal(dns_name_labels(WNAME("")), 0);
	assert_int_equal(dns_name_labels(WNAME(WWW_EXAMPLE)), 3);
	assert_int_equal(dns_name_labels((const uint8_t *)"\003ab", 4), -1);
}

static void
test_builder_compresses(void **state)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	struct dns_msg		 m;
	struct dns_cursor	 c;
	struct dns_rr		 rr;
	uint8_t			 buf[512];
	static const uint8_t	 mail[] = "\004mail\007example\003com";
	static const uint8_t	 upper[] = "\003WWW\007example\003com";
	static const uint8_t	 a[4] = { 192, 0, 2, 1 };
	size_t			 before, first, second, third;

	memset(&h, 0, sizeof(h));
	h.id = 0x6060;
	h.flags = DNS_F_QR;
	memcpy(q.qname, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	q.qname_len = sizeof(WWW_EXAMPLE);
	q.qtype = DNS_TYPE_A;
	q.qclass = DNS_CLASS_IN;

	dns_builder_init(&b, buf, sizeof(buf));
	assert_int_equal(dns_build_header(&b, &h), 0);
	assert_int_equal(dns_build_question(&b, &q), 0);
	first = b.len - DNS_HEADER_LEN - 4;
	assert_int_equal(first, sizeof(WWW_EXAMPLE));

	/* the same name again: one pointer to offset 12 */
	before = b.len;
	assert_int_equal(dns_build_rr(&b, WNAME(WWW_EXAMPLE), DNS_TYPE_A,
	    DNS_CLASS_IN, 60, a, 4), 0);
	second = b.len - before - 14;
	assert_int_equal(second, 2);
	assert_memory_equal(buf + before, "\300\014", 2);

	/* a sibling: its own label, then a pointer to example.com */
	before = b.len;
	assert_int_equal(dns_build_rr(&b, mail, sizeof(mail), DNS_TYPE_A,
	    DNS_CLASS_IN, 60, a, 4), 0);
	third = b.len - before - 14;
	assert_int_equal(third, 5 + 2);
	assert_true(third < sizeof(mail));
	assert_memory_equal(buf + before, "\004mail\300\020", 7);

	/* case is kept: WWW only shares example.com */
	before = b.len;
	assert_int_equal(dns_build_rr(&b, upper, sizeof(upper), DNS_TYPE_A,
	    DNS_CLASS_IN, 60, a, 4), 0);
	assert_memory_equal(buf + before, "\003WWW\300\020", 6);

	/* "a\003com" is one label: its tail is no suffix to share */
	before = b.len;
	assert_int_equal(dns_build_name(&b, WNAME("\005a\003com")), 0);
	assert_int_equal(b.len - before, 7);
	assert_memory_equal(buf + before, "\005a\003com", 7);
	b.len = before;
	b.ncomp -= 1;

	/* the root is never compressed */
	before = b.len;
	assert_int_equal(dns_build_name(&b, WNAME("")), 0);
	assert_int_equal(b.len - before, 1);
	b.len = before;

	dns_builder_set_counts(&b, 1, 3, 0, 0);
	assert_false(b.error);
	assert_int_equal(dns_msg_parse(buf, b.len, &m), DNS_PARSE_OK);
	assert_int_equal(m.hdr.ancount, 3);
	dns_cursor_init(&c, buf, b.len);
	c.pos = m.question_end;
	rr.section = DNS_SECTION_ANSWER;
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_memory_equal(rr.name, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_int_equal(rr.name_len, sizeof(mail));
	assert_memory_equal(rr.name, mail, sizeof(mail));
	assert_int_equal(dns_read_rr(&c, &rr), 0);
	assert_memory_equal(rr.name, upper, sizeof(upper));
	assert_memory_equal(buf + rr.rdata_off, a, 4);
}

static void
test_builder_overflow(void **state)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	uint8_t			 buf[64];

	memset(&h, 0, sizeof(h));
	memcpy(q.qname, WWW_EXAMPLE, sizeof(WWW_EXAMPLE));
	q.qname_len = sizeof(WWW_EXAMPLE);
	q.qtype = DNS_TYPE_A;
	q.qclass = DNS_CLASS_IN;
	memset(buf, 0xee, sizeof(buf));

	/* room for the header and the name, not the type and class */
	dns_builder_init(&b, buf, DNS_HEADER_LEN + sizeof(WWW_EXAMPLE) + 2);
	assert_int_equal(dns_build_header(&b, &h), 0);
	assert_int_equal(dns_build_question(&b, &q), -1);
	assert_true(b.error);
	assert_int_equal(b.len, DNS_HEADER_LEN);
	/* sticky: even what would fit fails now */
	assert_int_equal(dns_build_name(&b, WNAME("")), -1);
	assert_int_equal(dns_build_header(&b, &h), -1);
	assert_int_equal(b.len, DNS_HEADER_LEN);
	/* nothing written past the capacity */
	assert_int_equal(buf[DNS_HEADER_LEN + sizeof(WWW_EXAMPLE) + 2], 0xee);

	/* a header that does not fit */
	dns_builder_init(&b, buf, 11);
	assert_int_equal(dns_build_header(&b, &h), -1);
	assert_true(b.error);
	assert_int_equal(b.len, 0);

	/* counts without a header */
	dns_builder_init(&b, buf, sizeof(buf));
	dns_builder_set_counts(&b, 1, 0, 0, 0);
	assert_true(b.error);

	/* a broken name is an error too */
	dns_builder_init(&b, buf, sizeof(buf));
	assert_int_equal(dns_build_name(&b, (const uint8_t *)"\003ab", 4), -1);
	assert_true(b.error);
}

static void
test_builder_comp_limit(void **state)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_msg		 m;
	static uint8_t		 buf[30000];
	static const uint8_t	 rdata[90], big[0x4000];
	uint8_t			 name[DNS_NAME_MAX];
	size_t			 n, i;
	char			 text[32];

	/* more names than DNS_COMP_MAX and past offset 0x3fff */
	memset(&h, 0, sizeof(h));
	dns_builder_init(&b, buf, sizeof(buf));
	dns_build_header(&b, &h);
	for (i = 0; i < 200; i++) {
		snprintf(text, sizeof(text), "host%zu.example.com", i % 100);
		assert_int_equal(dns_name_from_text(text, name, &n), 0);
		dns_build_rr(&b, name, n, 65280, DNS_CLASS_IN, 0, rdata,
		    sizeof(rdata));
	}
	assert_false(b.error);
	assert_int_equal(b.ncomp, DNS_COMP_MAX);
	for (i = 0; i < b.ncomp; i++)
		assert_true(b.comp_off[i] < 0x4000);
	assert_true(b.len > 0x4000);
	dns_builder_set_counts(&b, 0, 200, 0, 0);
	assert_int_equal(dns_msg_parse(buf, b.len, &m), DNS_PARSE_OK);

	/* names past 0x3fff are written whole and never pointed at */
	dns_builder_init(&b, buf, sizeof(buf));
	dns_build_header(&b, &h);
	dns_build_rr(&b, WNAME("\001a"), 65280, DNS_CLASS_IN, 0, big,
	    0x4000);
	assert_int_equal(b.ncomp, 1);
	n = b.len;
	dns_build_rr(&b, WNAME("\001b\001a"), 65280, DNS_CLASS_IN, 0, NULL, 0);
	assert_int_equal(b.len - n, 4 + 10);
	assert_int_equal(b.ncomp, 1);
	n = b.len;
	dns_build_rr(&b, WNAME("\001b\001a"), 65280, DNS_CLASS_IN, 0, NULL, 0);
	assert_int_equal(b.len - n, 4 + 10);
	dns_builder_set_counts(&b, 0, 3, 0, 0);
	assert_false(b.error);
	assert_int_equal(dns_msg_parse(buf, b.len, &m), DNS_PARSE_OK);
}

static void
test_read_bounds(void **state)
{
	static const uint8_t	 bytes[] = { 1, 2, 3 };
	struct dns_cursor	 c;
	uint8_t			 u8;
	uint16_t		 u16;
	uint32_t		 u32;
	struct dns_header	 h;

	dns_cursor_init(&c, bytes, sizeof(bytes));
	assert_int_equal(dns_read_u32(&c, &u32), -1);
	assert_int_equal(dns_read_header(&c, &h), -1);
	assert_int_equal(dns_read_u16(&c, &u16), 0);
	assert_int_equal(u16, 0x0102);
	assert_int_equal(dns_read_u16(&c, &u16), -1);
	assert_int_equal(dns_read_u8(&c, &u8), 0);
	assert_int_equal(u8, 3);
	assert_int_equal(dns_read_u8(&c, &u8), -1);
	assert_int_equal(c.pos, 3);
	assert_int_equal(dns_read_name(&c, NULL, NULL), -1);
}

static void
test_read_name_bounds(void **state)
{
	/* only the first three bytes are the packet */
	static const uint8_t	 label[] = { 5, 'a', 'b', 0, 0, 0, 0, 0 };
	static const uint8_t	 ptr[] = { 1, 'x', 0, 0xc0, 0, 0 };
	struct dns_cursor	 c;
	uint8_t			 name[DNS_NAME_MAX], *exact;
	size_t			 n;

	dns_cursor_init(&c, label, 3);
	assert_int_equal(dns_read_name(&c, name, &n), -1);
	/* on the heap at its exact size, for the sanitizer to watch */
	exact = malloc(3);
	assert_non_null(exact);
	memcpy(exact, label, 3);
	dns_cursor_init(&c, exact, 3);
	assert_int_equal(dns_read_name(&c, name, &n), -1);
	free(exact);
	dns_cursor_init(&c, label, sizeof(label));
	assert_int_equal(dns_read_name(&c, name, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(c.pos, 7);

	/* a pointer whose second byte is past the end */
	dns_cursor_init(&c, ptr, 4);
	c.pos = 3;
	assert_int_equal(dns_read_name(&c, name, &n), -1);
	dns_cursor_init(&c, ptr, sizeof(ptr));
	c.pos = 3;
	assert_int_equal(dns_read_name(&c, name, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(c.pos, 5);
	assert_memory_equal(name, "\001x", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_short_header),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_qdcount2),
		cmocka_unit_test(test_trailing_byte),
		cmocka_unit_test(test_counts_past_end),
		cmocka_unit_test(test_rr_types),
		cmocka_unit_test(test_rr_opaque),
		cmocka_unit_test(test_compression_bad),
		cmocka_unit_test(test_compression_chain),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_label_limits),
		cmocka_unit_test(test_opt),
		cmocka_unit_test(test_opt_bad),
		cmocka_unit_test(test_make_error_parsed),
		cmocka_unit_test(test_make_error_unparsed),
		cmocka_unit_test(test_make_error_opt),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_question_in_header_refused),
		cmocka_unit_test(test_client_udp_max),
		cmocka_unit_test(test_name_text),
		cmocka_unit_test(test_name_compare),
		cmocka_unit_test(test_builder_compresses),
		cmocka_unit_test(test_builder_overflow),
		cmocka_unit_test(test_builder_comp_limit),
		cmocka_unit_test(test_read_bounds),
		cmocka_unit_test(test_read_name_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
