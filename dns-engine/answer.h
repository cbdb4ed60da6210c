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

#ifndef MOAT_DNS_ANSWER_H
#define MOAT_DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

struct dns_msg;

/* 1 when the question's name is written out, uncompressed, at offset 12 */
int	question_plain(const struct dns_msg *);

/*
 * The upstream's answer pkt (len bytes, parsed as am), made the answer
 * to one client's query (query, parsed as qm, asking the same question)
 * in out, which holds len bytes: the client's ID, RD and CD, its spelling
 * of the name, AA and AD cleared, and no OPT record for a client that
 * sent none.  Returns the new length, at most len.
 */
size_t	answer_adapt(const uint8_t *pkt, size_t len, const struct dns_msg *am,
	    const uint8_t *query, const struct dns_msg *qm, uint8_t *out);

#endif /* MOAT_DNS_ANSWER_H */
