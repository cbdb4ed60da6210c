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

#ifndef MOAT_DNS_CACHE_H
#define MOAT_DNS_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wire.h"

/*
 * The answer cache: every record type, keyed by (name, type, class) with
 * no regard to case, bounded in entries with LRU eviction, O(1) lookup.
 * An entry keeps the upstream's answer as it came (less its OPT record),
 * so a hit is a copy plus a few patches: the client's ID, flags and
 * question spelling, TTLs counted down, and the client's EDNS.
 * Times are seconds of CLOCK_MONOTONIC.
 */

struct cache;

struct cache_stats {
	uint64_t	 hits;
	uint64_t	 misses;
	uint64_t	 evictions;
	uint64_t	 entries;
	uint64_t	 size;		/* the bound */
};

struct cache_entry_info {
	const uint8_t	*name;		/* wire form, lower case */
	size_t		 name_len;
	uint16_t	 qtype;
	uint16_t	 qclass;
	uint16_t	 rcode;
	uint32_t	 ttl;		/* seconds left */
	uint16_t	 records;	/* answer section */
	uint32_t	 hits;
};

/* max_entries 0 makes a cache that stores nothing */
struct cache	*cache_new(size_t max_entries);
void		 cache_free(struct cache *);
void		 cache_flush(struct cache *);

/*
 * Store pkt, len bytes, parsed as m, the answer to question q received at
 * now.  Its lifetime is the smallest TTL of its answer and authority
 * records; a negative answer (NXDOMAIN, or NOERROR with no answer record)
 * lives min(SOA TTL, SOA MINIMUM) of the SOA in its authority section
 * (RFC 2308) and is not cached without one.  Not cached: TC set, rcodes
 * other than NOERROR and NXDOMAIN, a lifetime of 0, more than
 * CACHE_MAX_RRS records, or any record whose owner lies outside the
 * bailiwick (wire form: the domain of the forwarder that answered; the
 * root for a forwarder of every domain).  Replaces an older entry for
 * the same key.  Returns 0 when stored, -1 when not.
 */
#define CACHE_MAX_RRS	64
int	cache_store(struct cache *, const struct dns_question *q,
	    const uint8_t *pkt, size_t len, const struct dns_msg *m,
	    const uint8_t *bailiwick, size_t blen, time_t now);

/*
 * On a hit, build the answer to the client's query (qm parsed from
 * query, qlen bytes) into out: the query's ID, RD and CD, QR and RA set,
 * the question as the client spelled it, every TTL less the time spent
 * in the cache, and an OPT record (UDP size 1232, the DO bit echoed) when
 * the query had one.  Returns its length; 0 on a miss or an expired
 * entry (then removed) or when out is too small.  The answer may exceed
 * what a UDP client takes: the caller truncates.
 */
size_t	cache_answer(struct cache *, const struct dns_msg *qm,
	    const uint8_t *query, size_t qlen, time_t now, uint8_t *out,
	    size_t outsz);

void	cache_stats(const struct cache *, struct cache_stats *);
/* every live entry, most recently used first */
void	cache_walk(const struct cache *, time_t now,
	    void (*)(const struct cache_entry_info *, void *), void *);

#endif /* MOAT_DNS_CACHE_H */
