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

#ifndef MOAT_DHCP_POOL_H
#define MOAT_DHCP_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The free addresses of one configured range, for the allocator of
 * server.c.  The lease database stays the authority on who holds what:
 * a pool is a hint that finds a candidate at once, and the server checks
 * every candidate against the database before it uses it (and tells the
 * pool when a hint was stale).  The server tells the pool of every change
 * it makes or sees (pool_mark_*), so the hints are right in practice.
 *
 * Two kinds of free address:
 *   fresh	no lease record at all: never used, or an offer or a
 *		quarantine that ended.  A bitmap with one bit per address
 *		(set: not fresh) and a cursor that moves round the range,
 *		so consecutive allocations cost O(1) and the worst case is
 *		one pass over the bitmap, 64 addresses a word.
 *   reusable	a lease that expired or was released: free, but
 *		remembered for its client so that it gets the same address
 *		back.  A min-heap by the time it became free, so the least
 *		recently used goes first (O(log n)).  An address is in the
 *		heap at most once; an entry that is stale when it comes out
 *		(the old client took its address back) is dropped.
 * Fresh addresses are handed out before reusable ones.  Reserved
 * addresses (hosts' fixed addresses inside the range) are never fresh.
 *
 * Addresses are uint32_t in network byte order, as in struct lease.
 */

/* a /8 at most: 2 MB of bitmap per bitmap */
#define POOL_SIZE_MAX		(1U << 24)

struct pool;

/* first <= last; NULL with errno EINVAL (too big, reversed) or ENOMEM */
struct pool	*pool_new(uint32_t first, uint32_t last);
void		 pool_free(struct pool *);

uint32_t	 pool_first(const struct pool *);
uint32_t	 pool_last(const struct pool *);
int		 pool_contains(const struct pool *, uint32_t addr);

/* never fresh again; ignored outside the range */
void		 pool_reserve(struct pool *, uint32_t addr);
int		 pool_is_reserved(const struct pool *, uint32_t addr);

/* a lease record now stands on the address (offered, bound, declined) */
void		 pool_mark_used(struct pool *, uint32_t addr);
/* the address has no lease record any more: fresh unless reserved */
void		 pool_mark_free(struct pool *, uint32_t addr);
/*
 * The address's lease expired or was released at since: reusable.
 * Returns 0, or -1 when the heap could not grow (the address then stays
 * out of the allocator until it changes again: it is never given twice).
 */
int		 pool_mark_reusable(struct pool *, uint32_t addr, time_t since);

/* how many addresses are fresh */
size_t		 pool_fresh_count(const struct pool *);
/*
 * The next fresh address at or after the cursor, going round; the cursor
 * moves past it.  0 when none is fresh.  It stays fresh until marked:
 * calling again pool_fresh_count times visits each fresh address once.
 */
uint32_t	 pool_fresh_next(struct pool *);

/* the reusable address free the longest, without taking it: 0 if none */
uint32_t	 pool_reuse_peek(const struct pool *, time_t *since);
/* take it off the heap */
void		 pool_reuse_pop(struct pool *);
size_t		 pool_reuse_count(const struct pool *);

#endif /* MOAT_DHCP_POOL_H */
