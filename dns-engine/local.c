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

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"
#include "log.h"
#include "proto.h"
#include "wire.h"

/*
 * One hash table from lower-cased wire names to nodes.  A node holds the
 * exact records of its name, the addresses of an address block rooted
 * there, and flags for the domains named in the configuration.  The
 * store never shrinks and is dropped whole with its configuration, so
 * nodes and records come from an arena of large chunks: no per-object
 * malloc overhead, and freeing is a walk over the chunks.
 */

#define LOCAL_CHAIN_MAX		8	/* CNAME links followed */
#define LOCAL_BUCKETS_MIN	64	/* a power of two */
#define LOCAL_CHUNK		(64 * 1024 - 64)
#define LOCAL_LABELS_MAX	128	/* 127 one-byte labels, then the root */
#define LOCAL_EDNS_SIZE		1232
#define LOCAL_ALIGN		8

#define TYPE_NAPTR		35
#define TYPE_CAA		257
#define EDNS_DO			0x8000

#define FNV_OFFSET		0xcbf29ce484222325ULL
#define FNV_PRIME		0x100000001b3ULL

/* lnode.flags */
#define NODE_BLOCK		0x01	/* an address line: the whole subtree */
#define NODE_LOCAL		0x02	/* a local domain */
#define NODE_REBIND_OK		0x04
#define NODE_OWN		0x08
#define NODE_ENT		0x10	/* records below: the name exists */
#define NODE_NX			0x20	/* an address line without address */

struct lrec {
	struct lrec	*next;
	uint32_t	 ttl;
	uint16_t	 type;
	uint16_t	 rclass;
	uint16_t	 rdlen;
	uint8_t		 rdata[];
};

struct lnode {
	struct lnode	*next;		/* in its bucket */
	struct lrec	*exact;		/* records of this name, in order */
	struct lrec	*block;		/* addresses of the subtree */
	uint32_t	 hash;
	uint8_t		 flags;
	uint8_t		 namelen;
	uint8_t		 name[];	/* wire form, lower case */
};

struct chunk {
	struct chunk	*next;
	size_t		 cap;
	size_t		 used;
};
#define CHUNK_HDR	((sizeof(struct chunk) + LOCAL_ALIGN - 1) & \
			    ~(size_t)(LOCAL_ALIGN - 1))

struct local_store {
	struct lnode	**buckets;
	size_t		  nbuckets;
	size_t		  nnodes;
	size_t		  nentries;
	uint64_t	  seed;
	uint32_t	  flags;
	struct chunk	 *chunks;
};

/* a name looked up: lower case, where its labels start, their hashes */
struct lname {
	uint8_t		 name[DNS_NAME_MAX];
	size_t		 len;
	int		 nlabels;		/* the root not counted */
	uint8_t		 off[LOCAL_LABELS_MAX];	/* label k starts here */
	uint32_t	 hash[LOCAL_LABELS_MAX]; /* of the suffix at off[k] */
};

/* what one probe per suffix of a name found */
struct scan {
	const struct lnode	*full;		/* the name itself */
	const struct lnode	*block;		/* longest address block */
	const struct lnode	*local;		/* longest local domain */
	int			 rebind_ok;
};

/* one record of a payload, checked */
struct entry {
	uint8_t		 kind;
	struct dns_rr	 rr;
	const uint8_t	*rdata;
};

struct answer {
	struct dns_builder	 b;
	const struct dns_msg	*qm;
	uint16_t		 qtype;
	uint16_t		 qclass;
	uint16_t		 an;
	uint16_t		 rcode;
};

static void *
arena_alloc(struct local_store *ls, size_t n)
{
	struct chunk	*c = ls->chunks;
	size_t		 cap;
	uint8_t		*p;

	n = (n + LOCAL_ALIGN - 1) & ~(size_t)(LOCAL_ALIGN - 1);
	if (c == NULL || c->cap - c->used < n) {
		cap = n > LOCAL_CHUNK ? n : LOCAL_CHUNK;
		if ((c = malloc(CHUNK_HDR + cap)) == NULL)
			fatal("%s", __func__);
		c->cap = cap;
		c->used = 0;
		/* an outsized one goes behind, not to waste the current one */
		if (n > LOCAL_CHUNK && ls->chunks != NULL) {
			c->next = ls->chunks->next;
			ls->chunks->next = c;
		} else {
			c->next = ls->chunks;
			ls->chunks = c;
		}
	}
	p = (uint8_t *)c + CHUNK_HDR + c->used;
	c->used += n;
	return p;
}

static uint32_t
hash_final(uint64_t h, size_t len)
{
	h ^= len;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/*
 * The name is hashed from its end, so that the hash of every suffix
 * that starts at a label comes on the way: a whole name costs one pass,
 * however many of its suffixes are probed.
 */
static int
lname_init(const struct local_store *ls, struct lname *ln,
    const uint8_t *name, size_t len)
{
	uint64_t	 h;
	size_t		 pos, i;
	int		 labels, k;

	if ((labels = dns_name_labels(name, len)) < 0)
		return -1;
	ln->len = len;
	ln->nlabels = labels;
	for (pos = 0, k = 0; name[pos] != 0; k++) {
		ln->off[k] = (uint8_t)pos;
		ln->name[pos] = name[pos];
		for (i = 1; i <= name[pos]; i++)
			ln->name[pos + i] = dns_fold(name[pos + i]);
		pos += 1 + name[pos];
	}
	ln->off[k] = (uint8_t)pos;
	ln->name[pos] = 0;

	h = ls->seed;
	for (i = len; i-- > 0; ) {
		h = (h ^ ln->name[i]) * FNV_PRIME;
		if (k >= 0 && i == ln->off[k]) {
			ln->hash[k] = hash_final(h, len - i);
			k--;
		}
	}
	return 0;
}

static struct lnode *
node_find(const struct local_store *ls, const uint8_t *name, size_t len,
    uint32_t hash)
{
	struct lnode	*n;

	for (n = ls->buckets[hash & (ls->nbuckets - 1)]; n != NULL;
	    n = n->next)
		if (n->hash == hash && n->namelen == len &&
		    memcmp(n->name, name, len) == 0)
			return n;
	return NULL;
}

static void
table_grow(struct local_store *ls)
{
	struct lnode	**nb, *n, *next;
	size_t		  nsize = ls->nbuckets * 2, i, b;

	if ((nb = calloc(nsize, sizeof(*nb))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < ls->nbuckets; i++) {
		for (n = ls->buckets[i]; n != NULL; n = next) {
			next = n->next;
			b = n->hash & (nsize - 1);
			n->next = nb[b];
			nb[b] = n;
		}
	}
	free(ls->buckets);
	ls->buckets = nb;
	ls->nbuckets = nsize;
}

/* the node of the suffix at label k of ln, made when missing */
static struct lnode *
node_get(struct local_store *ls, const struct lname *ln, int k)
{
	struct lnode	*n;
	const uint8_t	*name = ln->name + ln->off[k];
	size_t		 len = ln->len - ln->off[k], b;

	if ((n = node_find(ls, name, len, ln->hash[k])) != NULL)
		return n;
	if (ls->nnodes >= ls->nbuckets)
		table_grow(ls);
	n = arena_alloc(ls, offsetof(struct lnode, name) + len);
	memset(n, 0, offsetof(struct lnode, name));
	n->hash = ln->hash[k];
	n->namelen = (uint8_t)len;
	memcpy(n->name, name, len);
	b = n->hash & (ls->nbuckets - 1);
	n->next = ls->buckets[b];
	ls->buckets[b] = n;
	ls->nnodes++;
	return n;
}

static void
scan_name(const struct local_store *ls, const struct lname *ln,
    struct scan *s)
{
	const struct lnode	*n;
	int			 k;

	memset(s, 0, sizeof(*s));
	for (k = 0; k <= ln->nlabels; k++) {
		n = node_find(ls, ln->name + ln->off[k], ln->len - ln->off[k],
		    ln->hash[k]);
		if (n == NULL)
			continue;
		if (k == 0)
			s->full = n;
		if ((n->flags & NODE_BLOCK) && s->block == NULL)
			s->block = n;
		if ((n->flags & NODE_LOCAL) && s->local == NULL)
			s->local = n;
		if (n->flags & NODE_REBIND_OK)
			s->rebind_ok = 1;
	}
}

struct local_store *
local_new(void)
{
	struct local_store	*ls;

	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return NULL;
	ls->nbuckets = LOCAL_BUCKETS_MIN;
	if ((ls->buckets = calloc(ls->nbuckets, sizeof(*ls->buckets))) ==
	    NULL) {
		free(ls);
		return NULL;
	}
	ls->seed = FNV_OFFSET ^ (((uint64_t)arc4random() << 32) |
	    arc4random());
	return ls;
}

void
local_free(struct local_store *ls)
{
	struct chunk	*c, *next;

	if (ls == NULL)
		return;
	for (c = ls->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(ls->buckets);
	free(ls);
}

/* length of the uncompressed name filling p exactly, or 0 */
static size_t
plain_name(const uint8_t *p, size_t n)
{
	size_t	 pos = 0;

	while (pos < n && pos < DNS_NAME_MAX) {
		/* pointers and the label types 01 and 10 are above 63 */
		if (p[pos] > DNS_LABEL_MAX)
			return 0;
		if (p[pos] == 0)
			return pos + 1;
		pos += 1 + p[pos];
	}
	return 0;
}

static int
name_fills(const uint8_t *p, size_t n, size_t skip)
{
	return n > skip && plain_name(p + skip, n - skip) == n - skip;
}

/* count character strings from *pos, each within n */
static int
skip_strings(const uint8_t *p, size_t n, size_t *pos, int count)
{
	while (count-- > 0) {
		if (*pos >= n || n - *pos - 1 < p[*pos])
			return -1;
		*pos += 1 + p[*pos];
	}
	return 0;
}

/*
 * The rdata goes out to clients as it is stored, so it must be whole and
 * free of compression pointers, which would point into the payload.
 */
static int
rdata_ok(uint16_t type, const uint8_t *rd, size_t len)
{
	size_t	 pos, l1;

	switch (type) {
	case DNS_TYPE_A:
		return len == 4 ? 0 : -1;
	case DNS_TYPE_AAAA:
		return len == 16 ? 0 : -1;
	case DNS_TYPE_NS:
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
		return name_fills(rd, len, 0) ? 0 : -1;
	case DNS_TYPE_MX:
		return name_fills(rd, len, 2) ? 0 : -1;
	case DNS_TYPE_SRV:
		return name_fills(rd, len, 6) ? 0 : -1;
	case DNS_TYPE_SOA:
		if ((l1 = plain_name(rd, len)) == 0)
			return -1;
		pos = plain_name(rd + l1, len - l1);
		return pos != 0 && l1 + pos + 20 == len ? 0 : -1;
	case DNS_TYPE_TXT:
		if (len == 0)
			return -1;
		for (pos = 0; pos < len; )
			if (skip_strings(rd, len, &pos, 1) == -1)
				return -1;
		return 0;
	case TYPE_NAPTR:
		pos = 4;
		if (len < pos || skip_strings(rd, len, &pos, 3) == -1)
			return -1;
		return name_fills(rd, len, pos) ? 0 : -1;
	case TYPE_CAA:
		return len >= 2 && rd[1] >= 1 && len - 2 >= rd[1] ? 0 : -1;
	case 0:
	case DNS_TYPE_OPT:
		return -1;
	default:
		/* the query and meta types are no data */
		return type >= 128 && type <= 255 ? -1 : 0;
	}
}

static int
entry_read(struct dns_cursor *c, struct entry *e)
{
	size_t	 start;

	if (dns_read_u8(c, &e->kind) == -1)
		return -1;
	start = c->pos;
	e->rr.section = DNS_SECTION_ANSWER;
	if (dns_read_rr(c, &e->rr) == -1)
		return -1;
	if (plain_name(c->pkt + start, c->len - start) != e->rr.name_len)
		return -1;
	e->rdata = c->pkt + e->rr.rdata_off;
	switch (e->kind) {
	case RECORD_EXACT:
		if (e->rr.rclass != DNS_CLASS_IN)
			return -1;
		return rdata_ok(e->rr.type, e->rdata, e->rr.rdlen);
	case RECORD_SUBTREE:
		if (e->rr.rclass != DNS_CLASS_IN ||
		    (e->rr.type != DNS_TYPE_A && e->rr.type != DNS_TYPE_AAAA))
			return -1;
		return 0;
	case RECORD_NXDOMAIN:
		return e->rr.type == 0 && e->rr.rdlen == 0 ? 0 : -1;
	default:
		return -1;
	}
}

/* append to a list unless the same record is there; 1 when added */
static int
rec_add(struct local_store *ls, struct lrec **list, const struct entry *e)
{
	struct lrec	*r;

	for (; *list != NULL; list = &(*list)->next) {
		r = *list;
		if (r->type == e->rr.type && r->rclass == e->rr.rclass &&
		    r->rdlen == e->rr.rdlen &&
		    memcmp(r->rdata, e->rdata, r->rdlen) == 0)
			return 0;
	}
	r = arena_alloc(ls, offsetof(struct lrec, rdata) + e->rr.rdlen);
	r->next = NULL;
	r->ttl = e->rr.ttl;
	r->type = e->rr.type;
	r->rclass = e->rr.rclass;
	r->rdlen = e->rr.rdlen;
	memcpy(r->rdata, e->rdata, e->rr.rdlen);
	*list = r;
	return 1;
}

static void
entry_insert(struct local_store *ls, const struct entry *e)
{
	struct lname	 ln;
	struct lnode	*n;
	int		 k;

	if (lname_init(ls, &ln, e->rr.name, e->rr.name_len) == -1)
		fatalx("%s: a name that parsed no longer does", __func__);
	n = node_get(ls, &ln, 0);
	switch (e->kind) {
	case RECORD_EXACT:
		ls->nentries += rec_add(ls, &n->exact, e);
		/* its ancestors exist now, if only as empty non-terminals */
		for (k = 1; k < ln.nlabels; k++)
			node_get(ls, &ln, k)->flags |= NODE_ENT;
		break;
	case RECORD_SUBTREE:
		n->flags |= NODE_BLOCK;
		ls->nentries += rec_add(ls, &n->block, e);
		break;
	case RECORD_NXDOMAIN:
		if (!(n->flags & NODE_NX))
			ls->nentries++;
		n->flags |= NODE_BLOCK | NODE_NX;
		break;
	}
}

/*
 * All is checked before anything is kept, so a bad payload leaves the
 * store as it was; the second pass reads what the first accepted.
 */
int
local_add_records(struct local_store *ls, const uint8_t *data, size_t len)
{
	struct dns_cursor	 c;
	struct entry		 e;

	if (ls == NULL || data == NULL || len == 0)
		return -1;
	dns_cursor_init(&c, data, len);
	while (c.pos < c.len)
		if (entry_read(&c, &e) == -1)
			return -1;
	dns_cursor_init(&c, data, len);
	while (c.pos < c.len) {
		if (entry_read(&c, &e) == -1)
			fatalx("%s: a payload that parsed no longer does",
			    __func__);
		entry_insert(ls, &e);
	}
	return 0;
}

int
local_add_domain(struct local_store *ls, uint32_t kind, const char *domain)
{
	struct lname	 ln;
	struct lnode	*n;
	uint8_t		 wire[DNS_NAME_MAX], flag;
	size_t		 wlen;

	switch (kind) {
	case DOMAIN_LOCAL:
		flag = NODE_LOCAL;
		break;
	case DOMAIN_REBIND_OK:
		flag = NODE_REBIND_OK;
		break;
	case DOMAIN_OWN:
		flag = NODE_OWN;
		break;
	default:
		return -1;
	}
	if (ls == NULL || domain == NULL ||
	    dns_name_from_text(domain, wire, &wlen) == -1 ||
	    lname_init(ls, &ln, wire, wlen) == -1)
		return -1;
	n = node_get(ls, &ln, 0);
	if (!(n->flags & flag))
		ls->nentries++;
	n->flags |= flag;
	return 0;
}

void
local_set_flags(struct local_store *ls, uint32_t flags)
{
	ls->flags = flags & (DNS_BLOCK_PRIVATE_REVERSE | DNS_BLOCK_UNQUALIFIED);
}

size_t
local_count(const struct local_store *ls)
{
	return ls->nentries;
}

int
local_rebind_allowed(const struct local_store *ls, const uint8_t *name,
    size_t len)
{
	struct lname	 ln;
	struct scan	 s;

	if (ls == NULL || lname_init(ls, &ln, name, len) == -1)
		return 0;
	scan_name(ls, &ln, &s);
	return s.rebind_ok;
}

/*
 * Private reverse names.  A name stands for the prefix its labels spell
 * (8 bits a label under in-addr.arpa, 4 under ip6.arpa); it is private
 * when that whole prefix lies inside a private range, so 168.192 is
 * private but 172 alone is not.
 */
struct prange {
	uint8_t		 net[16];
	unsigned int	 bits;
};

static const struct prange private_v4[] = {
	{ { 10 }, 8 },
	{ { 100, 64 }, 10 },
	{ { 127 }, 8 },
	{ { 169, 254 }, 16 },
	{ { 172, 16 }, 12 },
	{ { 192, 168 }, 16 },
};

static const struct prange private_v6[] = {
	{ { 0xfc }, 7 },
	{ { 0xfe, 0x80 }, 10 },
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128 },
};

static int
prefix_in(const uint8_t *addr, unsigned int bits, const struct prange *r,
    size_t nr)
{
	size_t		 i;
	unsigned int	 full, rest;
	uint8_t		 mask;

	for (i = 0; i < nr; i++) {
		if (bits < r[i].bits)
			continue;
		full = r[i].bits / 8;
		rest = r[i].bits % 8;
		if (memcmp(addr, r[i].net, full) != 0)
			continue;
		mask = (uint8_t)(0xff << (8 - rest));
		if (rest == 0 || (addr[full] & mask) == r[i].net[full])
			return 1;
	}
	return 0;
}

static int
label_is(const struct lname *ln, int k, const char *s)
{
	const uint8_t	*l = ln->name + ln->off[k];
	size_t		 n = strlen(s);

	return l[0] == n && memcmp(l + 1, s, n) == 0;
}

static int
label_nibble(const uint8_t *l, uint8_t *v)
{
	if (l[0] != 1)
		return -1;
	if (l[1] >= '0' && l[1] <= '9')
		*v = l[1] - '0';
	else if (l[1] >= 'a' && l[1] <= 'f')
		*v = l[1] - 'a' + 10;
	else
		return -1;
	return 0;
}

static int
reverse_private(const struct lname *ln)
{
	uint8_t		 addr[16], v;
	int		 n = ln->nlabels - 2, j;
	const uint8_t	*l;

	if (n < 1 || !label_is(ln, n + 1, "arpa"))
		return 0;
	memset(addr, 0, sizeof(addr));
	/* the label next to in-addr or ip6 is the first of the address */
	if (label_is(ln, n, "in-addr")) {
		if (n > 4)
			return 0;
		for (j = 0; j < n; j++) {
			l = ln->name + ln->off[n - 1 - j];
			if (dns_label_octet(l, &addr[j]) == -1)
				return 0;
		}
		return prefix_in(addr, 8 * n, private_v4,
		    sizeof(private_v4) / sizeof(private_v4[0]));
	}
	if (label_is(ln, n, "ip6")) {
		if (n > 32)
			return 0;
		for (j = 0; j < n; j++) {
			l = ln->name + ln->off[n - 1 - j];
			if (label_nibble(l, &v) == -1)
				return 0;
			addr[j / 2] |= j % 2 ? v : v << 4;
		}
		return prefix_in(addr, 4 * n, private_v6,
		    sizeof(private_v6) / sizeof(private_v6[0]));
	}
	return 0;
}

static void
answer_start(struct answer *a, const struct dns_msg *qm, uint8_t *out,
    size_t outsz)
{
	struct dns_header	 h;

	memset(a, 0, sizeof(*a));
	a->qm = qm;
	a->qtype = qm->q.qtype;
	a->qclass = qm->q.qclass;
	/* no more than one message can hold, so the counts cannot wrap */
	dns_builder_init(&a->b, out, outsz > DNS_MSG_MAX ? DNS_MSG_MAX : outsz);
	memset(&h, 0, sizeof(h));
	dns_build_header(&a->b, &h);
	dns_build_question(&a->b, &qm->q);
}

static void
answer_rr(struct answer *a, const uint8_t *owner, size_t olen,
    const struct lrec *r)
{
	if (dns_build_rr(&a->b, owner, olen, r->type, r->rclass, r->ttl,
	    r->rdata, r->rdlen) == 0)
		a->an++;
}

/* every record of the list the question asks for; how many */
static int
answer_list(struct answer *a, const uint8_t *owner, size_t olen,
    const struct lrec *r)
{
	int	 n = 0;

	for (; r != NULL; r = r->next) {
		if (r->rclass != a->qclass && a->qclass != DNS_CLASS_ANY)
			continue;
		if (r->type != a->qtype && a->qtype != DNS_TYPE_ANY)
			continue;
		answer_rr(a, owner, olen, r);
		n++;
	}
	return n;
}

static const struct lrec *
find_cname(const struct answer *a, const struct lrec *r)
{
	for (; r != NULL; r = r->next)
		if (r->type == DNS_TYPE_CNAME &&
		    (r->rclass == a->qclass || a->qclass == DNS_CLASS_ANY))
			return r;
	return NULL;
}

/*
 * Exact records, then address blocks, for the name and for the targets
 * of its CNAME chain.  The first name goes out as the client spelled it
 * (so it compresses against the question), targets as stored.  Returns
 * 0 when nothing local knows the query's name.
 */
static int
answer_data(const struct local_store *ls, struct answer *a,
    struct lname *ln, const struct scan *first)
{
	const struct lnode	*seen[LOCAL_CHAIN_MAX];
	const struct lrec	*cname;
	const uint8_t		*owner = a->qm->q.qname;
	size_t			 olen = a->qm->q.qname_len;
	struct scan		 s = *first;
	int			 links = 0, i;

	for (;;) {
		if (links > 0)
			scan_name(ls, ln, &s);
		for (i = 0; i < links; i++)
			if (seen[i] == s.full)
				return 1;	/* a loop: the chain so far */
		if (s.full != NULL && s.full->exact != NULL) {
			if (answer_list(a, owner, olen, s.full->exact) > 0 ||
			    a->qtype == DNS_TYPE_CNAME ||
			    (cname = find_cname(a, s.full->exact)) == NULL)
				return 1;
			answer_rr(a, owner, olen, cname);
			seen[links++] = s.full;
			if (links == LOCAL_CHAIN_MAX)
				return 1;
			/* stored rdata is exactly one uncompressed name */
			owner = cname->rdata;
			olen = cname->rdlen;
			if (lname_init(ls, ln, owner, olen) == -1)
				return 1;
			continue;
		}
		if (s.block != NULL) {
			if (s.block->block == NULL)
				a->rcode = DNS_RCODE_NXDOMAIN;
			else
				answer_list(a, owner, olen, s.block->block);
			return 1;
		}
		if (links == 0)
			return 0;
		/* not local: the client resolves on, or a local domain says no */
		if (s.local != NULL && !(s.full != NULL &&
		    (s.full->flags & (NODE_LOCAL | NODE_ENT))))
			a->rcode = DNS_RCODE_NXDOMAIN;
		return 1;
	}
}

/*
 * The name has no local data.  Local domains and, when asked, the
 * blocks of unqualified and private reverse names answer it here: the
 * names that exist (a local domain's apex, a name with records below)
 * with NODATA, the others with NXDOMAIN.
 */
static int
answer_policy(const struct local_store *ls, struct answer *a,
    const struct lname *ln, const struct scan *s, int explicit_forwarder)
{
	int	 exists;

	exists = s->full != NULL &&
	    (s->full->flags & (NODE_LOCAL | NODE_ENT));
	if (s->local == NULL &&
	    !((ls->flags & DNS_BLOCK_UNQUALIFIED) && ln->nlabels == 1) &&
	    !((ls->flags & DNS_BLOCK_PRIVATE_REVERSE) && !explicit_forwarder &&
	    reverse_private(ln)))
		return 0;
	if (!exists)
		a->rcode = DNS_RCODE_NXDOMAIN;
	return 1;
}

static size_t
answer_finish(struct answer *a)
{
	struct dns_builder	 hb;
	struct dns_header	 h;
	static const uint8_t	 root = 0;
	const struct dns_msg	*qm = a->qm;

	if (qm->has_edns)
		dns_build_rr(&a->b, &root, 1, DNS_TYPE_OPT, LOCAL_EDNS_SIZE,
		    qm->edns_flags & EDNS_DO, NULL, 0);
	if (a->b.error)
		return 0;
	memset(&h, 0, sizeof(h));
	h.id = qm->hdr.id;
	h.flags = DNS_F_QR | DNS_F_AA | DNS_F_RA |
	    (qm->hdr.flags & (DNS_F_RD | DNS_F_CD)) | a->rcode;
	h.qdcount = 1;
	h.ancount = a->an;
	h.arcount = qm->has_edns ? 1 : 0;
	dns_builder_init(&hb, a->b.buf, DNS_HEADER_LEN);
	if (dns_build_header(&hb, &h) == -1)
		return 0;
	return a->b.len;
}

size_t
local_answer_one(const struct dns_msg *qm, uint16_t type,
    const uint8_t *rdata, uint16_t rdlen, uint32_t ttl, uint8_t *out,
    size_t outsz)
{
	struct answer	 a;

	answer_start(&a, qm, out, outsz);
	if (rdata != NULL && dns_build_rr(&a.b, qm->q.qname, qm->q.qname_len,
	    type, DNS_CLASS_IN, ttl, rdata, rdlen) == 0)
		a.an++;
	return answer_finish(&a);
}

static size_t
answer_parts(const struct local_store *ls, const struct dns_msg *qm,
    int explicit_forwarder, int parts, uint8_t *out, size_t outsz)
{
	struct answer	 a;
	struct lname	 ln;
	struct scan	 s;

	if (ls == NULL || qm == NULL || !qm->has_question ||
	    (qm->hdr.flags & DNS_F_QR) || DNS_OPCODE(qm->hdr.flags) != 0)
		return 0;
	if (lname_init(ls, &ln, qm->q.qname, qm->q.qname_len) == -1)
		return 0;
	scan_name(ls, &ln, &s);
	answer_start(&a, qm, out, outsz);
	/* answer_data leaves ln alone when it returns 0 */
	if ((parts & LOCAL_DATA) && answer_data(ls, &a, &ln, &s))
		return answer_finish(&a);
	if ((parts & LOCAL_POLICY) &&
	    answer_policy(ls, &a, &ln, &s, explicit_forwarder))
		return answer_finish(&a);
	return 0;
}

size_t
local_answer(const struct local_store *ls, const struct dns_msg *qm,
    const uint8_t *query, size_t qlen, int explicit_forwarder,
    uint8_t *out, size_t outsz)
{
	return answer_parts(ls, qm, explicit_forwarder,
	    LOCAL_DATA | LOCAL_POLICY, out, outsz);
}

size_t
local_answer_part(const struct local_store *ls, const struct dns_msg *qm,
    int explicit_forwarder, int parts, uint8_t *out, size_t outsz)
{
	return answer_parts(ls, qm, explicit_forwarder, parts, out, outsz);
}
