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
 * Lease names fed arbitrary add, del and clear operations, as the parent
 * would send them (a name of 64 arbitrary bytes), then an arbitrary
 * query.  The input is a sequence of operations, each a byte (its low
 * two bits: add, del, clear; the high bit set ends the list and starts
 * the query, the rest of the input), an address of four bytes and a
 * name of one length byte and that many bytes.  After each operation
 * the table must say what it was told; an answer must parse, carry the
 * query's ID and question, and never be written where there is no room.
 * Every broken promise is an abort().
 */

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leasenames.h"
#include "local.h"
#include "proto.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* small, so that the bound is reached */
#define FUZZ_TABLE_MAX	16

static uint8_t	 outbuf[DNS_MSG_MAX];

static void
check_add(const struct leasenames *ln, struct in_addr a, const char *name,
    int r)
{
	struct in_addr	 got;
	const char	*n;

	if (r == -1)
		return;
	if (leasenames_by_name(ln, (const uint8_t *)name, strlen(name),
	    &got) == -1 || got.s_addr != a.s_addr)
		abort();
	if ((n = leasenames_by_addr(ln, a)) == NULL ||
	    strcasecmp(n, name) != 0)
		abort();
}

static size_t
run_ops(struct leasenames *ln, const uint8_t *data, size_t size)
{
	struct in_addr	 a;
	char		 name[MOAT_DHCP_NAME_MAX];
	size_t		 pos = 0, len;
	uint8_t		 op;
	int		 r;

	while (pos < size) {
		op = data[pos++];
		if (op & 0x80)
			return pos;
		if (size - pos < 5)
			return size;
		memcpy(&a.s_addr, data + pos, 4);
		len = data[pos + 4];
		pos += 5;
		if (len > size - pos)
			len = size - pos;
		memset(name, 0, sizeof(name));
		memcpy(name, data + pos, len < sizeof(name) ? len :
		    sizeof(name));
		pos += len;
		switch (op & 3) {
		case 0:
			r = leasenames_add(ln, a, name);
			if (r == 0 && !leasenames_label_valid(name,
			    sizeof(name)))
				abort();
			check_add(ln, a, name, r);
			break;
		case 1:
			if (leasenames_del(ln, a, name) == 1 &&
			    leasenames_by_addr(ln, a) != NULL)
				abort();
			break;
		default:
			leasenames_clear(ln);
			if (leasenames_count(ln) != 0)
				abort();
		}
		if (leasenames_count(ln) > FUZZ_TABLE_MAX)
			abort();
	}
	return pos;
}

static void
check_answer(const struct leasenames *ln, const uint8_t *dom, size_t dlen,
    const struct dns_msg *qm)
{
	struct dns_msg	 am;
	size_t		 n;

	n = leasenames_answer(ln, dom, dlen, qm, outbuf, sizeof(outbuf));
	if (n == 0)
		return;
	if (n > sizeof(outbuf) || dns_msg_parse(outbuf, n, &am) !=
	    DNS_PARSE_OK)
		abort();
	if (am.hdr.id != qm->hdr.id || !(am.hdr.flags & DNS_F_QR) ||
	    !(am.hdr.flags & DNS_F_AA) ||
	    (am.hdr.flags & DNS_F_RCODE_MASK) != DNS_RCODE_NOERROR ||
	    am.hdr.ancount > 1)
		abort();
	if (!am.has_question || am.q.qname_len != qm->q.qname_len ||
	    memcmp(am.q.qname, qm->q.qname, qm->q.qname_len) != 0 ||
	    am.q.qtype != qm->q.qtype || am.q.qclass != qm->q.qclass ||
	    am.has_edns != qm->has_edns)
		abort();
	if (leasenames_answer(ln, dom, dlen, qm, outbuf, n - 1) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 lan[] = "\003lan";
	static const uint8_t	 root = 0;
	struct leasenames	*ln;
	struct dns_msg		 qm;
	size_t			 pos;

	if ((ln = leasenames_new(FUZZ_TABLE_MAX)) == NULL)
		abort();
	pos = run_ops(ln, data, size);
	if (dns_msg_parse(data + pos, size - pos, &qm) == DNS_PARSE_OK &&
	    qm.has_question) {
		check_answer(ln, lan, sizeof(lan), &qm);
		check_answer(ln, &root, 1, &qm);
	}
	leasenames_free(ln);
	return 0;
}
