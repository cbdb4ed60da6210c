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
 * An upstream's answer on its way to the clients that asked: the input is
 * a 2-byte length, that many bytes of answer, then a client's query.
 * When both parse and ask the same question, the answer is adapted to the
 * query, checked for private addresses, and truncated as for a UDP client;
 * every result must parse and fit.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "rebind.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[DNS_MSG_MAX];

static int
same_question(const struct dns_msg *a, const struct dns_msg *q)
{
	return a->has_question && q->has_question &&
	    a->q.qtype == q->q.qtype && a->q.qclass == q->q.qclass &&
	    dns_name_equal(a->q.qname, a->q.qname_len, q->q.qname,
	    q->q.qname_len);
}

static void
check_truncate(size_t len, const struct dns_msg *qm)
{
	struct dns_msg	 m;
	size_t		 max, n;

	max = dns_client_udp_max(qm);
	if (len <= max)
		return;
	if (dns_msg_parse(out, len, &m) != DNS_PARSE_OK)
		abort();
	if ((n = dns_truncate(out, len, &m, max)) == 0)
		return;
	if (n > max || dns_msg_parse(out, n, &m) != DNS_PARSE_OK ||
	    !(m.hdr.flags & DNS_F_TC))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg	 am, qm, m;
	char		 name[DNS_NAME_TEXT_MAX];
	size_t		 alen, len;

	if (size < 2)
		return 0;
	alen = (size_t)data[0] << 8 | data[1];
	if (alen > size - 2)
		return 0;
	if (dns_msg_parse(data + 2, alen, &am) != DNS_PARSE_OK)
		return 0;
	(void)rebind_private_address(data + 2, alen, &am, name,
	    sizeof(name));
	if (dns_msg_parse(data + 2 + alen, size - 2 - alen, &qm) !=
	    DNS_PARSE_OK || !same_question(&am, &qm))
		return 0;
	len = answer_adapt(data + 2, alen, &am, data + 2 + alen, &qm, out);
	if (len > alen || dns_msg_parse(out, len, &m) != DNS_PARSE_OK)
		abort();
	if (m.hdr.id != qm.hdr.id || (!qm.has_edns && m.has_edns &&
	    m.opt_off + m.opt_len == len))
		abort();
	check_truncate(len, &qm);
	return 0;
}
