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

#include <sys/types.h>

#include <stdint.h>
#include <string.h>

#include "rebind.h"
#include "wire.h"

/*
 * DNS rebinding: a name out on the Internet that resolves to an address
 * of the local network lets a web page reach what only the LAN should.
 * These are the addresses an upstream answer must not carry (dnsmasq's
 * stop-dns-rebind set, with 100.64/10 for carrier-grade NAT).
 */

static int
private_v4(const uint8_t *a)
{
	return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64) ||
	    (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168);
}

static int
private_v6(const uint8_t *a)
{
	static const uint8_t	 zero[16], mapped[12] = {
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return 1;		/* :: and ::1 */
	if ((a[0] & 0xfe) == 0xfc)
		return 1;		/* fc00::/7 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 1;		/* fe80::/10 */
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return private_v4(a + 12);
	return 0;
}

int
rebind_private_address(const uint8_t *pkt, size_t len,
    const struct dns_msg *m, char *name, size_t namesz)
{
	struct dns_cursor	 c;
	struct dns_rr		 rr;
	int			 i;
	int			 n = m->hdr.ancount;

	dns_cursor_init(&c, pkt, len);
	c.pos = m->question_end;
	for (i = 0; i < n; i++) {
		rr.section = DNS_SECTION_ANSWER;
		if (dns_read_rr(&c, &rr) == -1)
			return 0;
		if (rr.rclass != DNS_CLASS_IN)
			continue;
		if ((rr.type == DNS_TYPE_A && rr.rdlen == 4 &&
		    private_v4(pkt + rr.rdata_off)) ||
		    (rr.type == DNS_TYPE_AAAA && rr.rdlen == 16 &&
		    private_v6(pkt + rr.rdata_off))) {
			if (dns_name_to_text(rr.name, rr.name_len, name,
			    namesz) == -1)
				strlcpy(name, "?", namesz);
			return 1;
		}
	}
	return 0;
}
