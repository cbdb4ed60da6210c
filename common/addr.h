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

#ifndef MOAT_ADDR_H
#define MOAT_ADDR_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>

/* socket addresses as every process keeps them: IPv4 or IPv6 */

/* the length to pass with the address; 0 for another family */
socklen_t	addr_len(const struct sockaddr_storage *);
/* same family, address, port and (IPv6) scope */
int		addr_equal(const struct sockaddr_storage *,
		    const struct sockaddr_storage *);
/* "192.0.2.1" or "2001:db8::1" into buf, "?" when it cannot be written */
const char	*addr_text(const struct sockaddr_storage *, char *, size_t);
/* the port, host order */
in_port_t	addr_port(const struct sockaddr_storage *);

#endif /* MOAT_ADDR_H */
