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

#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pool.h"

struct pool_ent {
	time_t		 since;
	uint32_t	 off;		/* from first */
};

struct pool {
	uint32_t	 first;		/* host order */
	uint32_t	 last;
	size_t		 size;
	size_t		 nwords;
	size_t		 nfresh;
	size_t		 cursor;	/* the offset to look at next */
	uint64_t	*used;		/* set: not fresh */
	uint64_t	*resv;		/* set: reserved */
	uint64_t	*queued;	/* set: in the heap */
	struct pool_ent	*heap;
	size_t		 heap_len;
	size_t		 heap_cap;
};

static int
bit_get(const uint64_t *v, size_t i)
{
	return (v[i >> 6] >> (i & 63)) & 1;
}

static void
bit_put(uint64_t *v, size_t i, int on)
{
	if (on)
		v[i >> 6] |= (uint64_t)1 << (i & 63);
	else
		v[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

struct pool *
pool_new(uint32_t first, uint32_t last)
{
	struct pool	*p;
	size_t		 i;

	first = ntohl(first);
	last = ntohl(last);
	if (first > last || (uint64_t)last - first + 1 > POOL_SIZE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->first = first;
	p->last = last;
	p->size = (size_t)(last - first) + 1;
	p->nwords = (p->size + 63) / 64;
	p->used = calloc(p->nwords, sizeof(uint64_t));
	p->resv = calloc(p->nwords, sizeof(uint64_t));
	p->queued = calloc(p->nwords, sizeof(uint64_t));
	if (p->used == NULL || p->resv == NULL || p->queued == NULL) {
		pool_free(p);
		errno = ENOMEM;
		return NULL;
	}
	/* the bits past the end of the last word are never fresh */
	for (i = p->size; i < p->nwords * 64; i++)
		bit_put(p->used, i, 1);
	p->nfresh = p->size;
	return p;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->used);
	free(p->resv);
	free(p->queued);
	free(p->heap);
	free(p);
}

uint32_t
pool_first(const struct pool *p)
{
	return htonl(p->first);
}

uint32_t
pool_last(const struct pool *p)
{
	return htonl(p->last);
}

/* the offset of addr in the range, or -1 */
static int64_t
offset(const struct pool *p, uint32_t addr)
{
	uint32_t	 a = ntohl(addr);

	if (a < p->first || a > p->last)
		return -1;
	return a - p->first;
}

int
pool_contains(const struct pool *p, uint32_t addr)
{
	return offset(p, addr) != -1;
}

static void
set_used(struct pool *p, size_t i)
{
	if (bit_get(p->used, i))
		return;
	bit_put(p->used, i, 1);
	p->nfresh--;
}

void
pool_reserve(struct pool *p, uint32_t addr)
{
	int64_t	 i;

	if ((i = offset(p, addr)) == -1)
		return;
	bit_put(p->resv, i, 1);
	set_used(p, i);
}

int
pool_is_reserved(const struct pool *p, uint32_t addr)
{
	int64_t	 i;

	if ((i = offset(p, addr)) == -1)
		return 0;
	return bit_get(p->resv, i);
}

void
pool_mark_used(struct pool *p, uint32_t addr)
{
	int64_t	 i;

	if ((i = offset(p, addr)) != -1)
		set_used(p, i);
}

void
pool_mark_free(struct pool *p, uint32_t addr)
{
	int64_t	 i;

	if ((i = offset(p, addr)) == -1 || bit_get(p->resv, i) ||
	    !bit_get(p->used, i))
		return;
	bit_put(p->used, i, 0);
	p->nfresh++;
}

static int
ent_less(const struct pool_ent *a, const struct pool_ent *b)
{
	if (a->since != b->since)
		return a->since < b->since;
	return a->off < b->off;
}

static void
heap_swap(struct pool *p, size_t a, size_t b)
{
	struct pool_ent	 t = p->heap[a];

	p->heap[a] = p->heap[b];
	p->heap[b] = t;
}

static void
heap_up(struct pool *p, size_t i)
{
	size_t	 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!ent_less(&p->heap[i], &p->heap[parent]))
			break;
		heap_swap(p, i, parent);
		i = parent;
	}
}

static void
heap_down(struct pool *p, size_t i)
{
	size_t	 l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < p->heap_len && ent_less(&p->heap[l], &p->heap[m]))
			m = l;
		if (r < p->heap_len && ent_less(&p->heap[r], &p->heap[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(p, i, m);
		i = m;
	}
}

int
pool_mark_reusable(struct pool *p, uint32_t addr, time_t since)
{
	struct pool_ent	*h;
	size_t		 cap;
	int64_t		 i;

	if ((i = offset(p, addr)) == -1)
		return 0;
	set_used(p, i);
	if (bit_get(p->resv, i) || bit_get(p->queued, i))
		return 0;
	if (p->heap_len == p->heap_cap) {
		cap = p->heap_cap ? p->heap_cap * 2 : 64;
		if (cap > p->size)
			cap = p->size;
		if ((h = reallocarray(p->heap, cap, sizeof(*h))) == NULL)
			return -1;
		p->heap = h;
		p->heap_cap = cap;
	}
	p->heap[p->heap_len].since = since;
	p->heap[p->heap_len].off = (uint32_t)i;
	heap_up(p, p->heap_len++);
	bit_put(p->queued, i, 1);
	return 0;
}

size_t
pool_fresh_count(const struct pool *p)
{
	return p->nfresh;
}

uint32_t
pool_fresh_next(struct pool *p)
{
	size_t		 n, w, off;
	uint64_t	 bits;

	if (p->nfresh == 0)
		return 0;
	w = p->cursor / 64;
	bits = ~p->used[w] & (~(uint64_t)0 << (p->cursor % 64));
	/* one lap of the words, and the cursor's word once more */
	for (n = 0; n <= p->nwords; n++) {
		if (bits != 0) {
			off = w * 64 + (size_t)__builtin_ctzll(bits);
			p->cursor = (off + 1) % p->size;
			return htonl(p->first + (uint32_t)off);
		}
		w = (w + 1) % p->nwords;
		bits = ~p->used[w];
	}
	return 0;
}

uint32_t
pool_reuse_peek(const struct pool *p, time_t *since)
{
	if (p->heap_len == 0)
		return 0;
	if (since != NULL)
		*since = p->heap[0].since;
	return htonl(p->first + p->heap[0].off);
}

void
pool_reuse_pop(struct pool *p)
{
	if (p->heap_len == 0)
		return;
	bit_put(p->queued, p->heap[0].off, 0);
	p->heap[0] = p->heap[--p->heap_len];
	if (p->heap_len > 0)
		heap_down(p, 0);
}

size_t
pool_reuse_count(const struct pool *p)
{
	return p->heap_len;
}
