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
#include <sys/file.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "leases.h"
#include "proto.h"
#include "log.h"
#include "siphash.h"

/*
 * The file: a sequence of records, each
 *
 *	0	2	magic "ml"
 *	2	1	version, 1
 *	3	1	type: REC_FILE, REC_LEASE, REC_GONE
 *	4	2	length of the whole record, this header and the CRC
 *		in (big endian, like every number here)
 *	6	2	zero
 *	8	8	sequence number: the previous record's plus one
 *	16	n	payload
 *	16+n	4	CRC-32C of everything before it in the record
 *
 * The first record is REC_FILE (payload: the 8 bytes FILE_TAG).  A
 * REC_LEASE carries a whole lease, the last word on its address:
 *
 *	0	4	address, network order as in struct lease
 *	4	1	state		5	1	flags
 *	6	1	htype		7	1	hlen
 *	8	1	cid_len		9	1	hostname length
 *	10	2	zero
 *	12	8	start		20	8	end (signed)
 *	28		hwaddr (hlen), cid (cid_len), hostname (no NUL)
 *
 * A REC_GONE (payload: the address) says the address has no durable
 * lease any more.  Replaying the records in order rebuilds the durable
 * leases.  The sequence numbers keep rising across snapshots, so a
 * record that is not the next one (stale blocks after a crash) is as
 * bad as a wrong checksum.
 *
 * Appending: records are staged in memory and written by one write()
 * and one fdatasync() at commit.  A crash before fdatasync returns may
 * leave any prefix of the batch, or a batch cut inside a record, or
 * zeros where the file grew: a torn tail, which no ACK ever depended
 * on, cut off at the next start.
 *
 * Compaction (lease_db_compact), the steps and what a kill after each
 * leaves behind:
 *	1. unlink a stale LEASE_DB_TEMP; create it afresh.
 *	   Killed: LEASE_DB_FILE is the complete log.
 *	2. write REC_FILE and one REC_LEASE per durable lease.
 *	   Killed: the log is complete; LEASE_DB_TEMP is any prefix of the
 *	   snapshot, and the next start removes it without reading it.
 *	3. fdatasync LEASE_DB_TEMP.
 *	   Killed: as 2; the snapshot may be complete but is not used.
 *	4. rename LEASE_DB_TEMP over LEASE_DB_FILE (atomic).
 *	   Killed: until the directory is synced, either name may survive;
 *	   both files are complete and hold every acknowledged lease.
 *	5. fsync the directory.  Now only the snapshot survives.
 *	6. append to the snapshot from now on; close the old log.
 * The snapshot's sequence numbers follow the old log's, so appends to it
 * never look like the old file's records.  Should step 5 fail, the new
 * file's name may not be durable yet: the next commit makes a whole
 * snapshot again rather than append to it.
 */

#define REC_MAGIC0	'm'
#define REC_MAGIC1	'l'
#define REC_VERSION	1
#define REC_FILE	1
#define REC_LEASE	2
#define REC_GONE	3

#define REC_HDR		16
#define REC_CRC		4
#define FILE_TAG	"moatdlog"
#define FILE_PAYLOAD	8
#define LEASE_FIXED	28
#define GONE_PAYLOAD	4
#define REC_MIN		(REC_HDR + GONE_PAYLOAD + REC_CRC)
#define REC_MAX		(REC_HDR + LEASE_FIXED + LEASE_HW_MAX + \
			    LEASE_CID_MAX + LEASE_NAME_MAX + REC_CRC)
#define FILE_REC_LEN	(REC_HDR + FILE_PAYLOAD + REC_CRC)
#define GONE_REC_LEN	(REC_HDR + GONE_PAYLOAD + REC_CRC)

#define IOBUF		65536
#define BAD_COPIES	1000
/* times beyond year 36000 are corruption, and cannot overflow a sum */
#define TIME_LIMIT	((int64_t)1 << 40)
#define INITIAL_BUCKETS	256
#define HEAP_NONE	SIZE_MAX

enum { IX_ADDR, IX_HW, IX_CID, IX_N };

struct link {
	struct lease_node	 *next;
	struct lease_node	**pprev;	/* NULL: not in this index */
};

/* lease first: a const struct lease * handed out converts back */
struct lease_node {
	struct lease	 l;
	struct link	 link[IX_N];
	uint32_t	 hash[IX_N];
	size_t		 heap_idx;
	uint16_t	 rec_len;	/* its REC_LEASE; 0: not durable */
};

struct lease_db {
	struct lease_node	**bucket[IX_N];
	size_t			  mask;
	size_t			  count;
	uint64_t		  key[2];

	struct lease_node	**heap;
	size_t			  heap_len;
	size_t			  heap_cap;

	uint8_t			 *stage;
	size_t			  stage_len;
	size_t			  stage_cap;
	size_t			  staged;

	int			  dirfd;
	int			  fd;
	int			  broken;	/* the next commit snapshots */
	uint64_t		  seq;		/* the last one used */
	uint64_t		  log_bytes;
	uint64_t		  live_bytes;
	struct lease_db_conf	  conf;
	struct lease_db_stats	  st;
};

static uint32_t	crc_table[256];

static void
crc_init(void)
{
	uint32_t	 c;
	int		 i, k;

	if (crc_table[1] != 0)
		return;
	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t
lease_db_crc(const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	uint32_t	 c = 0xffffffffU;

	crc_init();
	while (len-- > 0)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffU;
}

/*
 * Keyed at open: a client chooses its hardware address and client
 * identifier, and must not be able to pile leases into a bucket.
 */
static uint32_t
sip13(const uint64_t key[2], const uint8_t *p, size_t len)
{
	return (uint32_t)siphash13(key, p, len);
}

static uint32_t
hash_addr(const struct lease_db *db, uint32_t addr)
{
	return sip13(db->key, (const uint8_t *)&addr, sizeof(addr));
}

static uint32_t
hash_hw(const struct lease_db *db, uint8_t htype, uint8_t hlen,
    const uint8_t *hw)
{
	uint8_t	 k[2 + LEASE_HW_MAX];

	k[0] = htype;
	k[1] = hlen;
	memcpy(k + 2, hw, hlen);
	return sip13(db->key, k, 2 + (size_t)hlen);
}

static uint32_t
hash_cid(const struct lease_db *db, const uint8_t *cid, size_t len)
{
	return sip13(db->key, cid, len);
}

/* whether node n belongs in index ix at all */
static int
indexed(const struct lease_node *n, int ix)
{
	switch (ix) {
	case IX_HW:
		return n->l.hlen > 0;
	case IX_CID:
		return n->l.cid_len > 0;
	default:
		return 1;
	}
}

static uint32_t
node_hash(const struct lease_db *db, const struct lease_node *n, int ix)
{
	switch (ix) {
	case IX_HW:
		return hash_hw(db, n->l.htype, n->l.hlen, n->l.hwaddr);
	case IX_CID:
		return hash_cid(db, n->l.cid, n->l.cid_len);
	default:
		return hash_addr(db, n->l.addr);
	}
}

static void
ix_link(struct lease_db *db, struct lease_node *n, int ix)
{
	struct lease_node	**head = &db->bucket[ix][n->hash[ix] & db->mask];
	struct link		 *k = &n->link[ix];

	k->next = *head;
	if (*head != NULL)
		(*head)->link[ix].pprev = &k->next;
	k->pprev = head;
	*head = n;
}

static void
ix_unlink(struct lease_node *n, int ix)
{
	struct link	*k = &n->link[ix];

	if (k->pprev == NULL)
		return;
	*k->pprev = k->next;
	if (k->next != NULL)
		k->next->link[ix].pprev = k->pprev;
	k->next = NULL;
	k->pprev = NULL;
}

static void
index_node(struct lease_db *db, struct lease_node *n)
{
	int	 ix;

	for (ix = 0; ix < IX_N; ix++) {
		if (!indexed(n, ix))
			continue;
		n->hash[ix] = node_hash(db, n, ix);
		ix_link(db, n, ix);
	}
}

static void
unindex_node(struct lease_node *n)
{
	int	 ix;

	for (ix = 0; ix < IX_N; ix++)
		ix_unlink(n, ix);
}

/* load at most 1; a failed allocation only makes the chains longer */
static void
grow(struct lease_db *db)
{
	struct lease_node	**nb[IX_N], **old[IX_N], *n, *next;
	size_t			  oldsize = db->mask + 1, i;
	int			  ix;

	if (db->count <= oldsize || oldsize > SIZE_MAX / 2 / sizeof(n))
		return;
	for (ix = 0; ix < IX_N; ix++) {
		if ((nb[ix] = calloc(oldsize * 2, sizeof(n))) == NULL) {
			while (ix-- > 0)
				free(nb[ix]);
			return;
		}
		old[ix] = db->bucket[ix];
		db->bucket[ix] = nb[ix];
	}
	db->mask = oldsize * 2 - 1;
	for (ix = 0; ix < IX_N; ix++) {
		for (i = 0; i < oldsize; i++) {
			for (n = old[ix][i]; n != NULL; n = next) {
				next = n->link[ix].next;
				ix_link(db, n, ix);
			}
		}
		free(old[ix]);
	}
}

/* the heap of end times, over the leases that expire */
static int
expires(const struct lease *l)
{
	switch (l->state) {
	case LEASE_OFFERED:
	case LEASE_DECLINED:
		return 1;
	case LEASE_BOUND:
		return (l->flags & LEASE_F_BOOTP) == 0;
	default:
		return 0;
	}
}

static void
heap_set(struct lease_db *db, size_t i, struct lease_node *n)
{
	db->heap[i] = n;
	n->heap_idx = i;
}

static void
heap_up(struct lease_db *db, size_t i)
{
	struct lease_node	*n = db->heap[i];
	size_t			 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (db->heap[parent]->l.end <= n->l.end)
			break;
		heap_set(db, i, db->heap[parent]);
		i = parent;
	}
	heap_set(db, i, n);
}

static void
heap_down(struct lease_db *db, size_t i)
{
	struct lease_node	*n = db->heap[i];
	size_t			 c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= db->heap_len)
			break;
		if (c + 1 < db->heap_len &&
		    db->heap[c + 1]->l.end < db->heap[c]->l.end)
			c++;
		if (n->l.end <= db->heap[c]->l.end)
			break;
		heap_set(db, i, db->heap[c]);
		i = c;
	}
	heap_set(db, i, n);
}

/* room for one more, before anything changes */
static int
heap_reserve(struct lease_db *db)
{
	struct lease_node	**h;
	size_t			  cap;

	if (db->heap_len < db->heap_cap)
		return 0;
	cap = db->heap_cap ? db->heap_cap * 2 : 64;
	if ((h = reallocarray(db->heap, cap, sizeof(*h))) == NULL)
		return -1;
	db->heap = h;
	db->heap_cap = cap;
	return 0;
}

static void
heap_insert(struct lease_db *db, struct lease_node *n)
{
	heap_set(db, db->heap_len++, n);
	heap_up(db, db->heap_len - 1);
}

static void
heap_remove(struct lease_db *db, struct lease_node *n)
{
	size_t			 i = n->heap_idx;
	struct lease_node	*last;

	if (i == HEAP_NONE)
		return;
	n->heap_idx = HEAP_NONE;
	last = db->heap[--db->heap_len];
	if (last == n)
		return;
	heap_set(db, i, last);
	heap_up(db, i);
	heap_down(db, last->heap_idx);
}

int
lease_hostname_valid(const char *name)
{
	size_t	 len;

	if (!proto_label_valid(name, LEASE_NAME_MAX + 1))
		return 0;
	len = strlen(name);
	return len == 0 || (name[0] != '-' && name[len - 1] != '-');
}

const char *
lease_state_name(enum lease_state s)
{
	return proto_lease_state(s);
}

static int
time_ok(time_t t)
{
	return t >= 0 && (int64_t)t < TIME_LIMIT;
}

/* 0 when the database may hold l */
static int
lease_check(const struct lease *l)
{
	int	 owner = l->hlen > 0 || l->cid_len > 0;

	if (l->addr == 0 || l->addr == 0xffffffffU)
		return -1;
	if (l->state < LEASE_OFFERED || l->state > LEASE_STATE_MAX ||
	    (l->flags & ~LEASE_F_ALL) != 0)
		return -1;
	if (l->hlen > LEASE_HW_MAX || l->cid_len > LEASE_CID_MAX)
		return -1;
	if (memchr(l->hostname, '\0', sizeof(l->hostname)) == NULL ||
	    !lease_hostname_valid(l->hostname))
		return -1;
	if (!time_ok(l->start) || !time_ok(l->end))
		return -1;
	switch (l->state) {
	case LEASE_OFFERED:
	case LEASE_BOUND:
		return owner ? 0 : -1;
	case LEASE_DECLINED:
		return owner || l->hostname[0] != '\0' ? -1 : 0;
	default:
		return 0;
	}
}

/* a copy with every byte past the lengths zero, padding included */
static void
lease_clean(struct lease *dst, const struct lease *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->addr = src->addr;
	dst->state = src->state;
	dst->flags = src->flags;
	dst->htype = src->htype;
	dst->hlen = src->hlen;
	memcpy(dst->hwaddr, src->hwaddr, src->hlen);
	dst->cid_len = src->cid_len;
	memcpy(dst->cid, src->cid, src->cid_len);
	strlcpy(dst->hostname, src->hostname, sizeof(dst->hostname));
	dst->start = src->start;
	dst->end = src->end;
}

static size_t
lease_rec_len(const struct lease *l)
{
	return REC_HDR + LEASE_FIXED + l->hlen + l->cid_len +
	    strlen(l->hostname) + REC_CRC;
}

static void
rec_header(uint8_t *p, uint8_t type, size_t len, uint64_t seq)
{
	p[0] = REC_MAGIC0;
	p[1] = REC_MAGIC1;
	p[2] = REC_VERSION;
	p[3] = type;
	put_be16(p + 4, len);
	put_be16(p + 6, 0);
	put_be64(p + 8, seq);
}

static void
rec_seal(uint8_t *p, size_t len)
{
	put_be32(p + len - REC_CRC, lease_db_crc(p, len - REC_CRC));
}

/* p holds REC_MAX bytes; returns the record's length */
static size_t
encode_lease(uint8_t *p, const struct lease *l, uint64_t seq)
{
	size_t	 len = lease_rec_len(l), nlen = strlen(l->hostname);
	uint8_t	*q = p + REC_HDR;

	rec_header(p, REC_LEASE, len, seq);
	memcpy(q, &l->addr, 4);
	q[4] = l->state;
	q[5] = l->flags;
	q[6] = l->htype;
	q[7] = l->hlen;
	q[8] = l->cid_len;
	q[9] = nlen;
	put_be16(q + 10, 0);
	put_be64(q + 12, (uint64_t)(int64_t)l->start);
	put_be64(q + 20, (uint64_t)(int64_t)l->end);
	q += LEASE_FIXED;
	memcpy(q, l->hwaddr, l->hlen);
	q += l->hlen;
	memcpy(q, l->cid, l->cid_len);
	q += l->cid_len;
	memcpy(q, l->hostname, nlen);
	rec_seal(p, len);
	return len;
}

static size_t
encode_gone(uint8_t *p, uint32_t addr, uint64_t seq)
{
	rec_header(p, REC_GONE, GONE_REC_LEN, seq);
	memcpy(p + REC_HDR, &addr, 4);
	rec_seal(p, GONE_REC_LEN);
	return GONE_REC_LEN;
}

static size_t
encode_file(uint8_t *p, uint64_t seq)
{
	rec_header(p, REC_FILE, FILE_REC_LEN, seq);
	memcpy(p + REC_HDR, FILE_TAG, FILE_PAYLOAD);
	rec_seal(p, FILE_REC_LEN);
	return FILE_REC_LEN;
}

/* the payload of a REC_LEASE back into a lease; -1 when it is not one */
static int
decode_lease(const uint8_t *q, size_t plen, struct lease *l)
{
	int64_t	 start, end;
	size_t	 nlen;

	if (plen < LEASE_FIXED)
		return -1;
	memset(l, 0, sizeof(*l));
	memcpy(&l->addr, q, 4);
	l->state = q[4];
	l->flags = q[5];
	l->htype = q[6];
	l->hlen = q[7];
	l->cid_len = q[8];
	nlen = q[9];
	if (get_be16(q + 10) != 0 || l->hlen > LEASE_HW_MAX ||
	    l->cid_len > LEASE_CID_MAX || nlen > LEASE_NAME_MAX ||
	    plen != LEASE_FIXED + l->hlen + l->cid_len + nlen)
		return -1;
	start = (int64_t)get_be64(q + 12);
	end = (int64_t)get_be64(q + 20);
	if (start < 0 || start >= TIME_LIMIT || end < 0 || end >= TIME_LIMIT)
		return -1;
	l->start = (time_t)start;
	l->end = (time_t)end;
	if ((int64_t)l->start != start || (int64_t)l->end != end)
		return -1;
	q += LEASE_FIXED;
	memcpy(l->hwaddr, q, l->hlen);
	q += l->hlen;
	memcpy(l->cid, q, l->cid_len);
	q += l->cid_len;
	memcpy(l->hostname, q, nlen);
	l->hostname[nlen] = '\0';
	/* a NUL inside the name fails here: the lengths would not match */
	if (strlen(l->hostname) != nlen || lease_check(l) != 0)
		return -1;
	return 0;
}

static int
stage(struct lease_db *db, const uint8_t *rec, size_t len)
{
	uint8_t	*p;
	size_t	 cap;

	if (db->stage_len + len > db->stage_cap) {
		cap = db->stage_cap ? db->stage_cap : 4096;
		while (cap < db->stage_len + len)
			cap *= 2;
		if ((p = realloc(db->stage, cap)) == NULL) {
			/* memory is still right: a snapshot catches up */
			log_warnx("leases: out of memory staging a record");
			db->broken = 1;
			return -1;
		}
		db->stage = p;
		db->stage_cap = cap;
	}
	memcpy(db->stage + db->stage_len, rec, len);
	db->stage_len += len;
	db->staged++;
	return 0;
}

static void
stage_lease(struct lease_db *db, const struct lease *l)
{
	uint8_t	 rec[REC_MAX];

	stage(db, rec, encode_lease(rec, l, ++db->seq));
}

static void
stage_gone(struct lease_db *db, uint32_t addr)
{
	uint8_t	 rec[GONE_REC_LEN];

	stage(db, rec, encode_gone(rec, addr, ++db->seq));
}

static void
stage_clear(struct lease_db *db)
{
	db->stage_len = 0;
	db->staged = 0;
	/* a burst must not pin a large buffer for good */
	if (db->stage_cap > 1024 * 1024) {
		free(db->stage);
		db->stage = NULL;
		db->stage_cap = 0;
	}
}

static struct lease_node *
find_addr(struct lease_db *db, uint32_t addr)
{
	struct lease_node	*n;
	uint32_t		 h = hash_addr(db, addr);

	for (n = db->bucket[IX_ADDR][h & db->mask]; n != NULL;
	    n = n->link[IX_ADDR].next)
		if (n->hash[IX_ADDR] == h && n->l.addr == addr)
			return n;
	return NULL;
}

static void
node_free(struct lease_db *db, struct lease_node *n)
{
	unindex_node(n);
	heap_remove(db, n);
	db->live_bytes -= n->rec_len;
	db->st.by_state[n->l.state]--;
	db->count--;
	free(n);
}

/*
 * Make l (checked) the lease of its address in memory.  rec_len is the
 * length of its durable record, 0 when it has none.  No staging.
 */
static struct lease_node *
node_set(struct lease_db *db, const struct lease *l, size_t rec_len)
{
	struct lease_node	*n;
	int			 fresh = 0;

	if (heap_reserve(db) == -1)
		return NULL;
	if ((n = find_addr(db, l->addr)) == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL)
			return NULL;
		n->heap_idx = HEAP_NONE;
		fresh = 1;
	} else {
		unindex_node(n);
		db->live_bytes -= n->rec_len;
		db->st.by_state[n->l.state]--;
	}
	lease_clean(&n->l, l);
	if (!expires(&n->l))
		heap_remove(db, n);
	else if (n->heap_idx == HEAP_NONE)
		heap_insert(db, n);
	else {
		heap_up(db, n->heap_idx);
		heap_down(db, n->heap_idx);
	}
	index_node(db, n);
	n->rec_len = rec_len;
	db->live_bytes += rec_len;
	db->st.by_state[n->l.state]++;
	if (fresh) {
		db->count++;
		grow(db);
	}
	return n;
}

const struct lease *
lease_db_find_addr(struct lease_db *db, uint32_t addr)
{
	struct lease_node	*n = find_addr(db, addr);

	return n != NULL ? &n->l : NULL;
}

const struct lease *
lease_db_find_hw(struct lease_db *db, uint8_t htype, uint8_t hlen,
    const uint8_t *hw, const struct lease *prev)
{
	struct lease_node	*n;
	uint32_t		 h;

	if (hlen == 0 || hlen > LEASE_HW_MAX)
		return NULL;
	h = hash_hw(db, htype, hlen, hw);
	if (prev != NULL)
		n = ((const struct lease_node *)prev)->link[IX_HW].next;
	else
		n = db->bucket[IX_HW][h & db->mask];
	for (; n != NULL; n = n->link[IX_HW].next)
		if (n->hash[IX_HW] == h && n->l.htype == htype &&
		    n->l.hlen == hlen && memcmp(n->l.hwaddr, hw, hlen) == 0)
			return &n->l;
	return NULL;
}

const struct lease *
lease_db_find_cid(struct lease_db *db, const uint8_t *cid, size_t len,
    const struct lease *prev)
{
	struct lease_node	*n;
	uint32_t		 h;

	if (len == 0 || len > LEASE_CID_MAX)
		return NULL;
	h = hash_cid(db, cid, len);
	if (prev != NULL)
		n = ((const struct lease_node *)prev)->link[IX_CID].next;
	else
		n = db->bucket[IX_CID][h & db->mask];
	for (; n != NULL; n = n->link[IX_CID].next)
		if (n->hash[IX_CID] == h && n->l.cid_len == len &&
		    memcmp(n->l.cid, cid, len) == 0)
			return &n->l;
	return NULL;
}

/* lease_db_update without the checks: l is clean and valid */
static struct lease_node *
apply(struct lease_db *db, const struct lease *l)
{
	struct lease_node	*n;
	size_t			 old_rec = 0;

	if ((n = find_addr(db, l->addr)) != NULL)
		old_rec = n->rec_len;
	if (l->state == LEASE_OFFERED) {
		if ((n = node_set(db, l, 0)) == NULL)
			return NULL;
		if (old_rec != 0)
			stage_gone(db, l->addr);
		return n;
	}
	if ((n = node_set(db, l, lease_rec_len(l))) == NULL)
		return NULL;
	stage_lease(db, &n->l);
	return n;
}

const struct lease *
lease_db_update(struct lease_db *db, const struct lease *l)
{
	struct lease_node	*n;
	struct lease		 c;

	if (memchr(l->hostname, '\0', sizeof(l->hostname)) == NULL) {
		errno = EINVAL;
		return NULL;
	}
	lease_clean(&c, l);
	if (lease_check(&c) != 0) {
		errno = EINVAL;
		return NULL;
	}
	n = find_addr(db, c.addr);
	if (c.state == LEASE_OFFERED && n != NULL &&
	    n->l.state == LEASE_BOUND) {
		errno = EBUSY;
		return NULL;
	}
	if ((n = apply(db, &c)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	return &n->l;
}

static void
remove_node(struct lease_db *db, struct lease_node *n)
{
	if (n->rec_len != 0)
		stage_gone(db, n->l.addr);
	node_free(db, n);
}

int
lease_db_remove(struct lease_db *db, uint32_t addr)
{
	struct lease_node	*n;

	if ((n = find_addr(db, addr)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	remove_node(db, n);
	return 0;
}

int
lease_db_release(struct lease_db *db, uint32_t addr, time_t now)
{
	struct lease_node	*n;
	struct lease		 l;

	if ((n = find_addr(db, addr)) == NULL ||
	    (n->l.state != LEASE_BOUND && n->l.state != LEASE_OFFERED)) {
		errno = ENOENT;
		return -1;
	}
	if (n->l.state == LEASE_OFFERED) {
		remove_node(db, n);
		return 0;
	}
	l = n->l;
	l.state = LEASE_RELEASED;
	if (time_ok(now))
		l.end = now;
	return apply(db, &l) != NULL ? 0 : -1;
}

int
lease_db_decline(struct lease_db *db, uint32_t addr, time_t now)
{
	struct lease	 l;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.state = LEASE_DECLINED;
	l.start = now;
	if (time_ok(now))
		l.end = now + db->conf.quarantine;
	if (!time_ok(now) || lease_check(&l) != 0) {
		errno = EINVAL;
		return -1;
	}
	return apply(db, &l) != NULL ? 0 : -1;
}

size_t
lease_db_expire(struct lease_db *db, time_t now, lease_expire_cb cb,
    void *arg)
{
	struct lease_node	*n;
	struct lease		 l;
	size_t			 count = 0;

	while (db->heap_len > 0 && db->heap[0]->l.end <= now) {
		n = db->heap[0];
		if (n->l.state == LEASE_BOUND) {
			if (cb != NULL)
				cb(&n->l, LEASE_EXPIRED, arg);
			l = n->l;
			l.state = LEASE_EXPIRED;
			if (apply(db, &l) == NULL) {
				/* out of memory: forget it rather than spin */
				remove_node(db, n);
			}
		} else {
			if (cb != NULL)
				cb(&n->l, LEASE_FREE, arg);
			remove_node(db, n);
		}
		count++;
	}
	return count;
}

time_t
lease_db_next_expiry(const struct lease_db *db)
{
	return db->heap_len > 0 ? db->heap[0]->l.end : -1;
}

int
lease_db_walk(struct lease_db *db, int (*cb)(const struct lease *, void *),
    void *arg)
{
	struct lease_node	*n, *next;
	size_t			 i;
	int			 rv;

	for (i = 0; i <= db->mask; i++) {
		for (n = db->bucket[IX_ADDR][i]; n != NULL; n = next) {
			next = n->link[IX_ADDR].next;
			if ((rv = cb(&n->l, arg)) != 0)
				return rv;
		}
	}
	return 0;
}

void
lease_db_stats(const struct lease_db *db, struct lease_db_stats *st)
{
	*st = db->st;
	st->leases = db->count;
	st->log_bytes = db->log_bytes;
	st->live_bytes = db->live_bytes;
	st->staged = db->staged;
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int
cmp_addr(const void *a, const void *b)
{
	uint32_t	 x = ntohl((*(struct lease_node *const *)a)->l.addr);
	uint32_t	 y = ntohl((*(struct lease_node *const *)b)->l.addr);

	return x < y ? -1 : x > y;
}

/* the durable leases, by address: the snapshot is the same every time */
static struct lease_node **
durable_nodes(struct lease_db *db, size_t *countp)
{
	struct lease_node	**v, *n;
	size_t			  i, count = 0;

	if ((v = reallocarray(NULL, db->count + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i <= db->mask; i++)
		for (n = db->bucket[IX_ADDR][i]; n != NULL;
		    n = n->link[IX_ADDR].next)
			if (n->l.state != LEASE_OFFERED)
				v[count++] = n;
	qsort(v, count, sizeof(*v), cmp_addr);
	*countp = count;
	return v;
}

/* steps 1 to 3 of the procedure above; returns the open file or -1 */
static int
write_snapshot(struct lease_db *db, uint64_t *bytes)
{
	struct lease_node	**v;
	uint8_t			 *buf;
	size_t			  count, i, len = 0;
	int			  fd;

	if (unlinkat(db->dirfd, LEASE_DB_TEMP, 0) == -1 && errno != ENOENT) {
		log_warn("leases: unlink %s", LEASE_DB_TEMP);
		return -1;
	}
	if ((v = durable_nodes(db, &count)) == NULL)
		return -1;
	if ((buf = malloc(IOBUF)) == NULL) {
		free(v);
		return -1;
	}
	if ((fd = openat(db->dirfd, LEASE_DB_TEMP, O_WRONLY | O_CREAT |
	    O_EXCL | O_APPEND | O_CLOEXEC, 0600)) == -1) {
		log_warn("leases: create %s", LEASE_DB_TEMP);
		goto fail;
	}
	*bytes = 0;
	len = encode_file(buf, ++db->seq);
	for (i = 0; i < count; i++) {
		if (len + REC_MAX > IOBUF) {
			if (write_all(fd, buf, len) == -1)
				goto fail_write;
			*bytes += len;
			len = 0;
		}
		v[i]->rec_len = encode_lease(buf + len, &v[i]->l, ++db->seq);
		len += v[i]->rec_len;
	}
	if (write_all(fd, buf, len) == -1)
		goto fail_write;
	*bytes += len;
	if (fdatasync(fd) == -1)
		goto fail_write;
	free(buf);
	free(v);
	return fd;

 fail_write:
	log_warn("leases: write %s", LEASE_DB_TEMP);
	close(fd);
	unlinkat(db->dirfd, LEASE_DB_TEMP, 0);
 fail:
	free(buf);
	free(v);
	return -1;
}

int
lease_db_compact(struct lease_db *db)
{
	uint64_t	 bytes = 0;
	int		 fd;

	if ((fd = write_snapshot(db, &bytes)) == -1) {
		db->broken = 1;
		stage_clear(db);
		return -1;
	}
	if (renameat(db->dirfd, LEASE_DB_TEMP, db->dirfd,
	    LEASE_DB_FILE) == -1) {
		log_warn("leases: rename %s", LEASE_DB_TEMP);
		close(fd);
		unlinkat(db->dirfd, LEASE_DB_TEMP, 0);
		db->broken = 1;
		stage_clear(db);
		return -1;
	}
	/* the old log is gone from the directory: never append to it */
	if (db->fd != -1)
		close(db->fd);
	db->fd = fd;
	db->log_bytes = bytes;
	db->live_bytes = bytes;
	db->st.compactions++;
	stage_clear(db);
	if (fsync(db->dirfd) == -1) {
		log_warn("leases: fsync of the directory");
		db->broken = 1;
		return -1;
	}
	db->broken = 0;
	return 0;
}

static int
need_compact(const struct lease_db *db)
{
	return db->log_bytes > db->conf.compact_min &&
	    db->log_bytes / 2 > db->live_bytes;
}

int
lease_db_commit(struct lease_db *db)
{
	if (db->broken)
		return lease_db_compact(db);
	if (db->stage_len == 0)
		return 0;
	if (write_all(db->fd, db->stage, db->stage_len) == -1 ||
	    fdatasync(db->fd) == -1) {
		log_warn("leases: write %s", LEASE_DB_FILE);
		/* cut a partial batch; the next commit snapshots anyway */
		if (ftruncate(db->fd, db->log_bytes) == -1)
			log_warn("leases: truncate %s", LEASE_DB_FILE);
		db->broken = 1;
		stage_clear(db);
		return -1;
	}
	db->log_bytes += db->stage_len;
	db->st.commits++;
	db->st.records += db->staged;
	stage_clear(db);
	/* this turn is durable already: a failed compaction is only noted */
	if (need_compact(db) && lease_db_compact(db) == -1)
		log_warnx("leases: compaction failed, will retry");
	return 0;
}

/*
 * Replay.  The reader keeps a window of the file in buf: [0, len) holds
 * the file from offset base on.
 */
struct reader {
	int		 fd;
	uint8_t		*buf;
	size_t		 len;
	size_t		 pos;		/* of the next record in buf */
	uint64_t	 base;
	uint64_t	 size;		/* of the file */
};

/* at least want bytes at pos, or all that is left of the file */
static int
reader_fill(struct reader *r, size_t want)
{
	ssize_t	 n;

	if (r->len - r->pos >= want)
		return 0;
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->base += r->pos;
	r->len -= r->pos;
	r->pos = 0;
	while (r->len < IOBUF && r->base + r->len < r->size) {
		n = read(r->fd, r->buf + r->len, IOBUF - r->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		r->len += n;
	}
	return 0;
}

enum rec_result { REC_OK, REC_TORN, REC_CORRUPT };

/*
 * Whether the bytes from off to the end of the file are all zero: a
 * file system that grew the file in a crash before the data landed.
 */
static int
tail_zero(int fd, uint64_t off, uint64_t size, uint8_t *buf)
{
	ssize_t	 n;
	size_t	 i;

	while (off < size) {
		n = pread(fd, buf, size - off < IOBUF ? size - off : IOBUF,
		    off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != 0)
				return 0;
		off += n;
	}
	return 1;
}

/*
 * Read the record at the reader's position; on REC_OK, *type, the
 * payload (p, plen) and the record's length (*rlen) are set.  Anything
 * else says whether the rest of the file looks like a torn append (a
 * record that runs to the end of the file or past it, zeros) or like
 * damage with data after it.
 */
static enum rec_result
read_record(struct reader *r, uint64_t expect, int first, uint8_t *type,
    const uint8_t **payload, size_t *plen, size_t *rlen, uint8_t *scratch)
{
	const uint8_t	*p;
	uint64_t	 rest;
	size_t		 avail, len;
	int		 sane;

	rest = r->size - (r->base + r->pos);
	avail = r->len - r->pos;
	p = r->buf + r->pos;
	if (avail < REC_HDR)
		return rest < REC_HDR ? REC_TORN : REC_CORRUPT;
	len = get_be16(p + 4);
	sane = p[0] == REC_MAGIC0 && p[1] == REC_MAGIC1 &&
	    p[2] == REC_VERSION && len >= REC_MIN && len <= REC_MAX;
	if (sane && len <= avail && lease_db_crc(p, len - REC_CRC) ==
	    get_be32(p + len - REC_CRC) && get_be16(p + 6) == 0 &&
	    (first || get_be64(p + 8) == expect)) {
		*type = p[3];
		*payload = p + REC_HDR;
		*plen = len - REC_HDR - REC_CRC;
		*rlen = len;
		return REC_OK;
	}
	if (sane && len >= rest)
		return REC_TORN;
	if (tail_zero(r->fd, r->base + r->pos, r->size, scratch))
		return REC_TORN;
	return REC_CORRUPT;
}

/* keep the damaged log as LEASE_DB_BAD.N, a hard link */
static void
keep_bad_copy(struct lease_db *db)
{
	char	 name[sizeof(LEASE_DB_BAD) + 16];
	int	 i;

	for (i = 1; i < BAD_COPIES; i++) {
		snprintf(name, sizeof(name), "%s.%d", LEASE_DB_BAD, i);
		if (linkat(db->dirfd, LEASE_DB_FILE, db->dirfd, name, 0) == 0) {
			log_warnx("leases: the damaged log is kept as %s",
			    name);
			return;
		}
		if (errno != EEXIST)
			break;
	}
	log_warn("leases: cannot keep a copy of the damaged log");
}

/* apply one good record; -1 when it is well framed but means nothing */
static int
replay_one(struct lease_db *db, uint8_t type, const uint8_t *p, size_t plen,
    size_t rlen)
{
	struct lease_node	*n;
	struct lease		 l;
	uint32_t		 addr;

	switch (type) {
	case REC_LEASE:
		if (decode_lease(p, plen, &l) == -1 ||
		    l.state == LEASE_OFFERED)
			return -1;
		if (node_set(db, &l, rlen) == NULL)
			fatal("leases: replay");
		return 0;
	case REC_GONE:
		if (plen != GONE_PAYLOAD)
			return -1;
		memcpy(&addr, p, 4);
		if ((n = find_addr(db, addr)) != NULL)
			node_free(db, n);
		return 0;
	default:
		return -1;
	}
}

/*
 * Replay the log on db->fd.  Returns 0 when it is sound to append to
 * (a torn tail was cut), 1 when it must be replaced by a snapshot (no
 * file header, or damage before its end), -1 on a read error.
 */
static int
replay(struct lease_db *db)
{
	struct reader	 r;
	struct stat	 sb;
	const uint8_t	*p;
	uint8_t		*scratch, type;
	uint64_t	 good = 0;
	size_t		 plen, rlen;
	int		 rv = -1, first = 1, saved;
	enum rec_result	 res = REC_OK;

	memset(&r, 0, sizeof(r));
	if (fstat(db->fd, &sb) == -1)
		return -1;
	r.fd = db->fd;
	r.size = sb.st_size;
	r.buf = malloc(IOBUF);
	scratch = malloc(IOBUF);
	if (r.buf == NULL || scratch == NULL)
		goto done;
	if (reader_fill(&r, REC_MAX) == -1)
		goto done;
	if (r.len > REC_HDR && r.buf[0] == REC_MAGIC0 &&
	    r.buf[1] == REC_MAGIC1 && r.buf[2] > REC_VERSION) {
		/* not ours to repair: a downgrade must not eat it */
		log_warnx("leases: %s is of a newer version (%u)",
		    LEASE_DB_FILE, r.buf[2]);
		errno = EPROTONOSUPPORT;
		goto done;
	}
	for (;;) {
		if (reader_fill(&r, REC_MAX) == -1)
			goto done;
		if (r.pos == r.len)
			break;
		res = read_record(&r, db->seq + 1, first, &type, &p, &plen,
		    &rlen, scratch);
		if (res == REC_OK && first && (type != REC_FILE ||
		    plen != FILE_PAYLOAD || memcmp(p, FILE_TAG, plen) != 0))
			res = REC_CORRUPT;
		else if (res == REC_OK && !first &&
		    replay_one(db, type, p, plen, rlen) == -1)
			res = rlen == r.size - good ? REC_TORN : REC_CORRUPT;
		if (res != REC_OK)
			break;
		db->seq = get_be64(r.buf + r.pos + 8);
		first = 0;
		r.pos += rlen;
		good += rlen;
	}
	db->log_bytes = good;
	db->live_bytes += good > 0 ? FILE_REC_LEN : 0;
	if (res == REC_OK) {
		rv = good > 0 ? 0 : 1;
	} else if (res == REC_TORN) {
		log_warnx("leases: %s: torn tail at offset %llu (%llu bytes) "
		    "cut off", LEASE_DB_FILE, (unsigned long long)good,
		    (unsigned long long)(r.size - good));
		if (good == 0)
			rv = 1;
		else if (ftruncate(db->fd, good) == -1 ||
		    fdatasync(db->fd) == -1) {
			log_warn("leases: truncate %s", LEASE_DB_FILE);
			/* never append after the damage: snapshot now */
			rv = 1;
		} else
			rv = 0;
	} else {
		log_warnx("leases: %s: damaged record at offset %llu of %llu:"
		    " the leases after it are lost", LEASE_DB_FILE,
		    (unsigned long long)good, (unsigned long long)r.size);
		keep_bad_copy(db);
		rv = 1;
	}
 done:
	saved = errno;
	free(r.buf);
	free(scratch);
	errno = saved;
	return rv;
}

struct lease_db *
lease_db_open(int dirfd, const struct lease_db_conf *conf)
{
	struct lease_db	*db;
	int		 ix, rv, saved;

	crc_init();
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->fd = -1;
	db->dirfd = -1;
	if (conf != NULL)
		db->conf = *conf;
	if (db->conf.quarantine <= 0 || db->conf.quarantine > 10 * 365 * 86400)
		db->conf.quarantine = LEASE_QUARANTINE;
	if (db->conf.compact_min == 0)
		db->conf.compact_min = LEASE_COMPACT_MIN;
	arc4random_buf(db->key, sizeof(db->key));
	db->mask = INITIAL_BUCKETS - 1;
	for (ix = 0; ix < IX_N; ix++)
		if ((db->bucket[ix] = calloc(INITIAL_BUCKETS,
		    sizeof(*db->bucket[ix]))) == NULL)
			goto fail;

	if ((db->dirfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		log_warn("leases: open the directory");
		goto fail;
	}
	if (flock(db->dirfd, LOCK_EX | LOCK_NB) == -1) {
		log_warn("leases: the database is in use");
		goto fail;
	}
	/* a snapshot that never got renamed: the log is complete */
	if (unlinkat(db->dirfd, LEASE_DB_TEMP, 0) == 0)
		log_info("leases: removed an unfinished %s", LEASE_DB_TEMP);
	if ((db->fd = openat(db->dirfd, LEASE_DB_FILE, O_RDWR | O_APPEND |
	    O_CLOEXEC)) == -1 && errno != ENOENT) {
		log_warn("leases: open %s", LEASE_DB_FILE);
		goto fail;
	}
	rv = db->fd == -1 ? 1 : replay(db);
	if (rv == -1) {
		if (errno != EPROTONOSUPPORT)
			log_warn("leases: read %s", LEASE_DB_FILE);
		goto fail;
	}
	if (rv == 1 && lease_db_compact(db) == -1)
		goto fail;
	return db;

 fail:
	saved = errno;
	lease_db_close(db);
	errno = saved != 0 ? saved : EIO;
	return NULL;
}

void
lease_db_close(struct lease_db *db)
{
	struct lease_node	*n, *next;
	size_t			 i;
	int			 ix;

	if (db == NULL)
		return;
	if (db->bucket[IX_ADDR] != NULL) {
		for (i = 0; i <= db->mask; i++)
			for (n = db->bucket[IX_ADDR][i]; n != NULL; n = next) {
				next = n->link[IX_ADDR].next;
				free(n);
			}
	}
	for (ix = 0; ix < IX_N; ix++)
		free(db->bucket[ix]);
	free(db->heap);
	free(db->stage);
	if (db->fd != -1)
		close(db->fd);
	if (db->dirfd != -1)
		close(db->dirfd);
	free(db);
}
