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

#include "answer.h"
#include "wire.h"

int
question_plain(const struct dns_msg *m)
{
	return m->has_question &&
	    m->question_end == DNS_HEADER_LEN + m->q.qname_len + 4;
}

size_t
answer_adapt(const uint8_t *pkt, size_t len, const struct dns_msg *am,
    const uint8_t *query, const struct dns_msg *qm, uint8_t *out)
{
	uint16_t	 flags;

	memcpy(out, pkt, len);
	out[0] = qm->hdr.id >> 8;
	out[1] = qm->hdr.id & 0xff;
	/* not authoritative, and not validated here (yet) */
	flags = am->hdr.flags & ~(DNS_F_RD | DNS_F_CD | DNS_F_AA | DNS_F_AD);
	flags |= qm->hdr.flags & (DNS_F_RD | DNS_F_CD);
	out[2] = flags >> 8;
	out[3] = flags & 0xff;
	if (question_plain(am) && question_plain(qm) &&
	    am->q.qname_len == qm->q.qname_len)
		memcpy(out + DNS_HEADER_LEN, query + DNS_HEADER_LEN,
		    qm->q.qname_len);
	if (!qm->has_edns && am->has_edns && am->hdr.arcount > 0 &&
	    am->opt_off + am->opt_len == len) {
		len = am->opt_off;
		out[10] = (am->hdr.arcount - 1) >> 8;
		out[11] = (am->hdr.arcount - 1) & 0xff;
	}
	return len;
}
