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

#ifndef MOAT_DNS_LEASENAMES_H
#define MOAT_DNS_LEASENAMES_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

struct dns_msg;
struct local_store;

/*
 * The names of DHCP leases, as the parent relays them: one label per
 * IPv4 address and one address per label.  A name claimed by a second
 * address moves to it (the latest claim wins), and an address given a
 * new name drops its old one.  Names compare without regard to case and
 * keep the spelling they came with.  Both lookups are one hash probe.
 * The table lives apart from the configuration: a reload keeps it.
 */

/* entries; more are refused */
#define LEASENAMES_MAX		1000000

struct leasenames;

/* an empty table that holds at most max entries; NULL without memory */
struct leasenames	*leasenames_new(size_t max);
void			 leasenames_free(struct leasenames *);

/*
 * 1 when the NUL-terminated string within bufsz bytes is a name the
 * table takes: 1 to 63 letters, digits and hyphens.
 */
int	leasenames_label_valid(const char *, size_t bufsz);

/*
 * Give addr the name label (checked as above).  Returns 0, or -1 when
 * the label is not valid or the table is full (logged once until there
 * is room again).
 */
int	leasenames_add(struct leasenames *, struct in_addr, const char *);
/*
 * Forget the name of addr when it is label; a name that has moved to
 * another address stays with that one.  Returns 1 when removed, else 0.
 */
int	leasenames_del(struct leasenames *, struct in_addr, const char *);
void	leasenames_clear(struct leasenames *);
size_t	leasenames_count(const struct leasenames *);

/* the address of a label of len bytes (not NUL-terminated); 0 or -1 */
int	leasenames_by_name(const struct leasenames *, const uint8_t *,
	    size_t len, struct in_addr *);
/* the name of addr, NUL-terminated, or NULL */
const char	*leasenames_by_addr(const struct leasenames *,
		    struct in_addr);

/*
 * Answer the client's query (qm parsed from it) from the table into
 * out, or return 0 when the table does not know the name.  domain is
 * the network's domain in wire form (the root, a lone 0 byte, when none
 * is set): NAME.domain answers A (ANY too) with the lease's address and
 * any other type with no records; the reverse name of a lease's address
 * (d.c.b.a.in-addr.arpa) answers PTR (ANY too) with NAME.domain and any
 * other type with no records.  Only classes IN and ANY are answered.
 * TTL 0, AA set, and the header, question and OPT record as the local
 * answers have them (local.h).  Returns the length, 0 to go on.
 */
size_t	leasenames_answer(const struct leasenames *,
	    const uint8_t *domain, size_t dlen, const struct dns_msg *qm,
	    uint8_t *out, size_t outsz);

/*
 * The local answer of a query: the local data of ls (NULL: none wanted:
 * records, hosts files, address blocks with or without addresses)
 * first, then leasenames_answer, then the policies of ls (a local
 * domain, block unqualified, block private reverse), which keep the
 * unknown names of the network from the forwarders and must not hide
 * the names of its leases.  Returns the length in out, or 0 to go on to
 * the cache.
 */
size_t	leasenames_local_answer(const struct local_store *ls,
	    const struct leasenames *, const uint8_t *domain, size_t dlen,
	    const struct dns_msg *qm, const uint8_t *query, size_t qlen,
	    int explicit_forwarder, uint8_t *out, size_t outsz);

#endif /* MOAT_DNS_LEASENAMES_H */
