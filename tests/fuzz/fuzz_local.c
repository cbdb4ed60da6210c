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
 * Local names fed an arbitrary records payload, as the parent would send
 * it, then an arbitrary query.  The input is a length of two bytes (big
 * endian), that many bytes of payload (fewer when the input ends), and
 * the query in the rest.  A payload that is refused must leave nothing;
 * an answer must parse, carry the query's ID and question, and never be
 * written where there is no room.  Every broken promise is an abort().
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"
#include "proto.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	 outbuf[DNS_MSG_MAX];

static void
check_answer(const struct local_store *ls, const struct dns_msg *qm,
    const uint8_t *q, size_t qlen, int explicit_fw)
{
	struct dns_msg	 am;
	size_t		 n;
	uint16_t	 rc;

	n = local_answer(ls, qm, q, qlen, explicit_fw, outbuf,
	    sizeof(outbuf));
	if (n == 0)
		return;
	if (n > sizeof(outbuf))
		abort();
	if (dns_msg_parse(outbuf, n, &am) != DNS_PARSE_OK)
		abort();
	if (am.hdr.id != qm->hdr.id || !(am.hdr.flags & DNS_F_QR) ||
	    !(am.hdr.flags & DNS_F_AA) || DNS_OPCODE(am.hdr.flags) != 0)
		abort();
	rc = am.hdr.flags & DNS_F_RCODE_MASK;
	if (rc != DNS_RCODE_NOERROR && rc != DNS_RCODE_NXDOMAIN)
		abort();
	if (!am.has_question || am.q.qname_len != qm->q.qname_len ||
	    memcmp(am.q.qname, qm->q.qname, qm->q.qname_len) != 0 ||
	    am.q.qtype != qm->q.qtype || am.q.qclass != qm->q.qclass)
		abort();
	if (am.has_edns != qm->has_edns)
		abort();
	/* one byte short: nothing, and nothing written past it */
	if (local_answer(ls, qm, q, qlen, explicit_fw, outbuf, n - 1) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct local_store	*ls;
	struct dns_msg		 qm;
	const uint8_t		*q;
	size_t			 plen, qlen, before;
	int			 r;

	if (size < 2)
		return 0;
	plen = ((size_t)data[0] << 8) | data[1];
	if (plen > size - 2)
		plen = size - 2;
	q = data + 2 + plen;
	qlen = size - 2 - plen;

	if ((ls = local_new()) == NULL)
		abort();
	if (local_add_domain(ls, DOMAIN_LOCAL, "lan") == -1 ||
	    local_add_domain(ls, DOMAIN_REBIND_OK, "corp.example") == -1 ||
	    local_add_domain(ls, DOMAIN_OWN, "home") == -1)
		abort();
	local_set_flags(ls, DNS_BLOCK_PRIVATE_REVERSE | DNS_BLOCK_UNQUALIFIED);
	before = local_count(ls);
	r = local_add_records(ls, data + 2, plen);
	if (r == -1 && local_count(ls) != before)
		abort();
	if (r == 0 && local_count(ls) < before)
		abort();

	if (dns_msg_parse(q, qlen, &qm) == DNS_PARSE_OK && qm.has_question) {
		check_answer(ls, &qm, q, qlen, 0);
		check_answer(ls, &qm, q, qlen, 1);
		r = local_rebind_allowed(ls, qm.q.qname, qm.q.qname_len);
		if (r != 0 && r != 1)
			abort();
	}
	local_free(ls);
	return 0;
}
