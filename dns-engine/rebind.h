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

#ifndef MOAT_DNS_REBIND_H
#define MOAT_DNS_REBIND_H

#include <stddef.h>
#include <stdint.h>

struct dns_msg;

/*
 * 1 when an A or AAAA record of the answer section (m parsed from pkt)
 * holds a private, loopback, link-local or unspecified address; its owner
 * goes into name (DNS_NAME_TEXT_MAX bytes) for the log.
 */
int	rebind_private_address(const uint8_t *pkt, size_t len,
	    const struct dns_msg *m, char *name, size_t namesz);

#endif /* MOAT_DNS_REBIND_H */
