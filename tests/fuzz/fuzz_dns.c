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
 * The DNS wire format fed arbitrary packets, as the engine meets them
 * from the network: parsing must never read out of bounds, and what the
 * engine then does with a parsed packet (answer an error, truncate it,
 * print and re-read its names, build a new message from them) must give
 * a packet that parses again.  Every broken promise is an abort().
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fixed size, never grown: big enough for any message */
static uint8_t	 outbuf[DNS_MSG_MAX];

static void
check_error_answer(const uint8_t *data, size_t size,
    const struct dns_msg *qm)
{
	struct dns_msg	 am;
	size_t		 n, small;

	n = dns_make_error(data, size, qm, DNS_RCODE_SERVFAIL, outbuf,
	    sizeof(outbuf));
	if (n == 0 || n > sizeof(outbuf))
		abort();
	if (dns_msg_parse(outbuf, n, &am) != DNS_PARSE_OK)
		abort();
	if (!(am.hdr.flags & DNS_F_QR) ||
	    (am.hdr.flags & DNS_F_RCODE_MASK) != DNS_RCODE_SERVFAIL)
		abort();
	if (qm != NULL && am.hdr.id != qm->hdr.id)
		abort();

	/* one byte short never writes past the end nor half an answer */
	small = n - 1;
	if (dns_make_error(data, size, qm, DNS_RCODE_SERVFAIL, outbuf,
	    small) != 0)
		abort();
}

static void
check_name(const uint8_t *name, size_t len)
{
	char	 text[DNS_NAME_TEXT_MAX];
	uint8_t	 back[DNS_NAME_MAX];
	size_t	 blen;

	if (dns_name_labels(name, len) < 0)
		abort();
	if (dns_name_to_text(name, len, text, sizeof(text)) == -1)
		abort();
	if (dns_name_from_text(text, back, &blen) == -1)
		abort();
	if (!dns_name_equal(name, len, back, blen))
		abort();
	if (!dns_name_is_below(name, len, back, blen))
		abort();
}

static void
check_truncate(const uint8_t *data, size_t size, const struct dns_msg *m)
{
	struct dns_msg	 tm;
	uint8_t		*copy;
	size_t		 max, n, need;

	max = DNS_HEADER_LEN + (size_t)data[0] * 8;
	if ((copy = malloc(size)) == NULL)
		return;
	memcpy(copy, data, size);
	n = dns_truncate(copy, size, m, max);
	need = DNS_HEADER_LEN + (m->has_question ? m->q.qname_len + 4 : 0);
	if (n == 0) {
		/* only when even the question does not fit */
		if (size <= max || need <= max)
			abort();
	} else {
		if (size > max ? n > max : n != size)
			abort();
		if (dns_msg_parse(copy, n, &tm) != DNS_PARSE_OK)
			abort();
		if (size > max && (!(tm.hdr.flags & DNS_F_TC) ||
		    tm.hdr.ancount != 0 || tm.hdr.nscount != 0))
			abort();
		if (tm.has_question != m->has_question || (m->has_question &&
		    !dns_name_equal(tm.q.qname, tm.q.qname_len,
		    m->q.qname, m->q.qname_len)))
			abort();
	}
	free(copy);
}

/*
 * Every name goes through the text form and back, and into a new
 * message made with the builder's compression, which must parse to the
 * same names.
 */
static void
check_records(const uint8_t *data, size_t size, const struct dns_msg *m)
{
	struct dns_cursor	 c, rc;
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	struct dns_rr		 rr, back;
	struct dns_msg		 bm;
	size_t			 i, total;

	memset(&h, 0, sizeof(h));
	dns_builder_init(&b, outbuf, sizeof(outbuf));
	dns_build_header(&b, &h);
	dns_cursor_init(&c, data, size);
	c.pos = m->question_end;
	if (m->has_question) {
		check_name(m->q.qname, m->q.qname_len);
		dns_build_question(&b, &m->q);
	}
	total = (size_t)m->hdr.ancount + m->hdr.nscount + m->hdr.arcount;
	for (i = 0; i < total; i++) {
		memset(&rr, 0, sizeof(rr));
		if (dns_read_rr(&c, &rr) == -1)
			abort();
		check_name(rr.name, rr.name_len);
		/* a type with opaque rdata: only the owner names matter */
		dns_build_rr(&b, rr.name, rr.name_len, 0xff00, DNS_CLASS_IN,
		    0, NULL, 0);
	}
	if (c.pos != size)
		abort();
	dns_builder_set_counts(&b, m->has_question, total, 0, 0);
	if (b.error)
		return;

	if (dns_msg_parse(outbuf, b.len, &bm) != DNS_PARSE_OK)
		abort();
	dns_cursor_init(&rc, outbuf, b.len);
	rc.pos = DNS_HEADER_LEN;
	if (m->has_question && (dns_read_question(&rc, &q) == -1 ||
	    q.qname_len != m->q.qname_len ||
	    memcmp(q.qname, m->q.qname, q.qname_len) != 0))
		abort();
	dns_cursor_init(&c, data, size);
	c.pos = m->question_end;
	for (i = 0; i < total; i++) {
		memset(&rr, 0, sizeof(rr));
		memset(&back, 0, sizeof(back));
		if (dns_read_rr(&c, &rr) == -1 || dns_read_rr(&rc, &back) == -1)
			abort();
		if (rr.name_len != back.name_len ||
		    memcmp(rr.name, back.name, rr.name_len) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg		 m;
	enum dns_parse_result	 r;

	r = dns_msg_parse(data, size, &m);
	if (r == DNS_PARSE_GARBAGE) {
		if (size >= DNS_HEADER_LEN)
			abort();
		return 0;
	}
	if (size < DNS_HEADER_LEN)
		abort();
	check_error_answer(data, size, NULL);
	check_error_answer(data, size, &m);
	if (r != DNS_PARSE_OK)
		return 0;
	check_truncate(data, size, &m);
	check_records(data, size, &m);
	return 0;
}
