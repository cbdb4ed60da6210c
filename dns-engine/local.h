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

#ifndef MOAT_DNS_LOCAL_H
#define MOAT_DNS_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/*
 * Local names and the policies answered without asking anyone: records
 * and hosts file entries (exact names), address blocks (a domain and all
 * below it), local domains, and the blocks of unqualified names and of
 * private reverse lookups.  A store is filled from one configuration
 * transaction and read-only afterwards.  Lookups cost O(labels of the
 * name): one hash probe per suffix.
 */

struct local_store;

struct local_store	*local_new(void);
void			 local_free(struct local_store *);

/*
 * One IMSG_CONF_RECORDS payload (see proto.h): entries of a kind byte and
 * an uncompressed resource record.  Names are kept without regard to
 * case.  Returns 0, or -1 when the payload is malformed (then nothing of
 * it is kept).
 */
int	local_add_records(struct local_store *, const uint8_t *, size_t);
/* enum domain_kind and a domain in text; -1 when not a name */
int	local_add_domain(struct local_store *, uint32_t kind, const char *);
/* DNS_BLOCK_PRIVATE_REVERSE and DNS_BLOCK_UNQUALIFIED of proto.h */
void	local_set_flags(struct local_store *, uint32_t);

/*
 * Answer the client's query (qm parsed from query, qlen bytes) from local
 * data into out, or say nothing (return 0) so that it is forwarded.  In
 * order: a name with exact records answers with those of the type asked
 * (CNAME chains followed through local data, at most 8 links), or NODATA
 * when it has other types only; then the longest address block above the
 * name answers A/AAAA from its addresses, NODATA for other types, or
 * NXDOMAIN for a block without addresses; then a name in a local domain
 * that nothing above matched is NXDOMAIN; then, when set, an unqualified
 * name (one label) is NXDOMAIN, and a reverse name in a private range
 * (RFC 1918, 100.64/10, 127/8, 169.254/16, fc00::/7, fe80::/10, ::1) is
 * NXDOMAIN unless explicit_forwarder says a forwarder was named for a
 * domain that holds it.  Answers carry the query's ID, RD and CD, QR, AA
 * and RA, the question as sent, and an OPT record (UDP size 1232, DO
 * echoed) when the query had one.  Returns the length, 0 to forward.
 */
size_t	local_answer(const struct local_store *, const struct dns_msg *qm,
	    const uint8_t *query, size_t qlen, int explicit_forwarder,
	    uint8_t *out, size_t outsz);
/*
 * One part of local_answer, so that other names (those of DHCP leases)
 * can come between: LOCAL_DATA, the records and address blocks;
 * LOCAL_POLICY, the local domains and the blocks of unqualified and
 * private reverse names.
 */
#define LOCAL_DATA	0x01
#define LOCAL_POLICY	0x02
size_t	local_answer_part(const struct local_store *, const struct dns_msg *qm,
	    int explicit_forwarder, int parts, uint8_t *out, size_t outsz);

/*
 * An answer as local_answer makes them (AA, the question, EDNS) for a
 * name known elsewhere (a DHCP lease): one record of type with rdata for
 * the name asked, or NOERROR with no data when rdata is NULL.  Returns
 * the length, 0 when out is too small.
 */
size_t	local_answer_one(const struct dns_msg *qm, uint16_t type,
	    const uint8_t *rdata, uint16_t rdlen, uint32_t ttl, uint8_t *out,
	    size_t outsz);

/* 1 when name lies in a domain allowed private addresses (rebind ok) */
int	local_rebind_allowed(const struct local_store *, const uint8_t *name,
	    size_t len);

/* entries held, for the log and stats */
size_t	local_count(const struct local_store *);

#endif /* MOAT_DNS_LOCAL_H */
