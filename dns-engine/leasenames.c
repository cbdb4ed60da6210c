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

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leasenames.h"
#include "local.h"
#include "proto.h"
#include "log.h"
#include "siphash.h"
#include "wire.h"

/*
 * Every entry sits in two chained hash tables, one keyed by the folded
 * label, one by the address, both sized to the entry count (doubling as
 * it grows), so a lookup walks a chain of about one.  The keys are
 * SipHash under a random key: the names come from DHCP clients, and a
 * client must not be able to pick names that share a bucket.
 */

#define LN_BUCKETS_MIN		64	/* a power of two */
#define LN_LABEL_MAX		63

struct lentry {
	struct lentry	*name_next;
	struct lentry	*addr_next;
	uint64_t	 name_hash;
	struct in_addr	 addr;
	uint8_t		 len;
	char		 label[];	/* as given, NUL-terminated */
};

struct leasenames {
	struct lentry	**by_name;
	struct lentry	**by_addr;
	size_t		  nbuckets;
	size_t		  count;
	size_t		  max;
	uint64_t	  key[2];
	int		  full_logged;
};

int
leasenames_label_valid(const char *s, size_t bufsz)
{
	return s != NULL && proto_label_valid(s, bufsz) && s[0] != '\0';
}

static uint64_t
name_hash(const struct leasenames *ln, const uint8_t *label, size_t len)
{
	uint8_t	 buf[LN_LABEL_MAX];
	size_t	 i;

	for (i = 0; i < len; i++)
		buf[i] = dns_fold(label[i]);
	return siphash13(ln->key, buf, len);
}

static uint64_t
addr_hash(const struct leasenames *ln, struct in_addr addr)
{
	return siphash13(ln->key, &addr.s_addr, sizeof(addr.s_addr));
}

static int
label_equal(const struct lentry *e, const uint8_t *label, size_t len)
{
	size_t	 i;

	if (e->len != len)
		return 0;
	for (i = 0; i < len; i++)
		if (dns_fold((uint8_t)e->label[i]) != dns_fold(label[i]))
			return 0;
	return 1;
}

static struct lentry *
find_name(const struct leasenames *ln, const uint8_t *label, size_t len)
{
	struct lentry	*e;
	uint64_t	 h;

	if (len == 0 || len > LN_LABEL_MAX)
		return NULL;
	h = name_hash(ln, label, len);
	for (e = ln->by_name[h & (ln->nbuckets - 1)]; e != NULL;
	    e = e->name_next)
		if (e->name_hash == h && label_equal(e, label, len))
			return e;
	return NULL;
}

static struct lentry *
find_addr(const struct leasenames *ln, struct in_addr addr)
{
	struct lentry	*e;

	for (e = ln->by_addr[addr_hash(ln, addr) & (ln->nbuckets - 1)];
	    e != NULL; e = e->addr_next)
		if (e->addr.s_addr == addr.s_addr)
			return e;
	return NULL;
}

static void
insert(struct leasenames *ln, struct lentry *e)
{
	size_t	 b;

	b = e->name_hash & (ln->nbuckets - 1);
	e->name_next = ln->by_name[b];
	ln->by_name[b] = e;
	b = addr_hash(ln, e->addr) & (ln->nbuckets - 1);
	e->addr_next = ln->by_addr[b];
	ln->by_addr[b] = e;
}

/* unlink e from both tables and free it */
static void
remove_entry(struct leasenames *ln, struct lentry *e)
{
	struct lentry	**pp;

	for (pp = &ln->by_name[e->name_hash & (ln->nbuckets - 1)];
	    *pp != e; pp = &(*pp)->name_next)
		if (*pp == NULL)
			fatalx("%s: entry not in its name chain", __func__);
	*pp = e->name_next;
	for (pp = &ln->by_addr[addr_hash(ln, e->addr) & (ln->nbuckets - 1)];
	    *pp != e; pp = &(*pp)->addr_next)
		if (*pp == NULL)
			fatalx("%s: entry not in its address chain", __func__);
	*pp = e->addr_next;
	free(e);
	ln->count--;
	if (ln->count < ln->max)
		ln->full_logged = 0;
}

/* both tables at n buckets, the entries moved over; -1 without memory */
static int
rehash(struct leasenames *ln, size_t n)
{
	struct lentry	**nname, **naddr, **oname = ln->by_name, *e, *next;
	size_t		  i, on = ln->nbuckets;

	if ((nname = calloc(n, sizeof(*nname))) == NULL)
		return -1;
	if ((naddr = calloc(n, sizeof(*naddr))) == NULL) {
		free(nname);
		return -1;
	}
	/* every entry is in the name table once: walk that one only */
	free(ln->by_addr);
	ln->by_name = nname;
	ln->by_addr = naddr;
	ln->nbuckets = n;
	for (i = 0; i < on; i++) {
		for (e = oname[i]; e != NULL; e = next) {
			next = e->name_next;
			insert(ln, e);
		}
	}
	free(oname);
	return 0;
}

struct leasenames *
leasenames_new(size_t max)
{
	struct leasenames	*ln;

	if ((ln = calloc(1, sizeof(*ln))) == NULL)
		return NULL;
	ln->nbuckets = LN_BUCKETS_MIN;
	ln->by_name = calloc(ln->nbuckets, sizeof(*ln->by_name));
	ln->by_addr = calloc(ln->nbuckets, sizeof(*ln->by_addr));
	if (ln->by_name == NULL || ln->by_addr == NULL) {
		free(ln->by_name);
		free(ln->by_addr);
		free(ln);
		return NULL;
	}
	ln->max = max;
	arc4random_buf(ln->key, sizeof(ln->key));
	return ln;
}

static void
free_entries(struct leasenames *ln)
{
	struct lentry	*e, *next;
	size_t		 i;

	for (i = 0; i < ln->nbuckets; i++) {
		for (e = ln->by_name[i]; e != NULL; e = next) {
			next = e->name_next;
			free(e);
		}
		ln->by_name[i] = NULL;
		ln->by_addr[i] = NULL;
	}
	ln->count = 0;
	ln->full_logged = 0;
}

void
leasenames_free(struct leasenames *ln)
{
	if (ln == NULL)
		return;
	free_entries(ln);
	free(ln->by_name);
	free(ln->by_addr);
	free(ln);
}

void
leasenames_clear(struct leasenames *ln)
{
	free_entries(ln);
	/* give back what a large table took; keep it if that fails */
	if (ln->nbuckets > LN_BUCKETS_MIN)
		(void)rehash(ln, LN_BUCKETS_MIN);
}

size_t
leasenames_count(const struct leasenames *ln)
{
	return ln->count;
}

static int
table_full(struct leasenames *ln, const char *label)
{
	if (ln->count < ln->max)
		return 0;
	if (!ln->full_logged) {
		log_warnx("%zu lease names held, the most there may be: "
		    "\"%s\" and the names after it are not answered",
		    ln->count, label);
		ln->full_logged = 1;
	}
	return 1;
}

int
leasenames_add(struct leasenames *ln, struct in_addr addr,
    const char *label)
{
	struct lentry	*e;
	size_t		 len;

	if (!leasenames_label_valid(label, LN_LABEL_MAX + 1))
		return -1;
	len = strlen(label);
	if ((e = find_addr(ln, addr)) != NULL) {
		if (label_equal(e, (const uint8_t *)label, len)) {
			/* the same name: only its spelling may change */
			memcpy(e->label, label, len);
			return 0;
		}
		remove_entry(ln, e);
	}
	if ((e = find_name(ln, (const uint8_t *)label, len)) != NULL)
		remove_entry(ln, e);
	if (table_full(ln, label))
		return -1;
	if (ln->count >= ln->nbuckets && rehash(ln, ln->nbuckets * 2) == -1)
		log_warnx("%s: no memory to grow the table", __func__);
	if ((e = malloc(offsetof(struct lentry, label) + len + 1)) == NULL) {
		log_warn("%s", __func__);
		return -1;
	}
	e->name_hash = name_hash(ln, (const uint8_t *)label, len);
	e->addr = addr;
	e->len = (uint8_t)len;
	memcpy(e->label, label, len + 1);
	insert(ln, e);
	ln->count++;
	return 0;
}

int
leasenames_del(struct leasenames *ln, struct in_addr addr,
    const char *label)
{
	struct lentry	*e;
	size_t		 len;

	if (!leasenames_label_valid(label, LN_LABEL_MAX + 1))
		return 0;
	len = strlen(label);
	if ((e = find_addr(ln, addr)) == NULL ||
	    !label_equal(e, (const uint8_t *)label, len))
		return 0;
	remove_entry(ln, e);
	return 1;
}

int
leasenames_by_name(const struct leasenames *ln, const uint8_t *label,
    size_t len, struct in_addr *addr)
{
	const struct lentry	*e;

	if ((e = find_name(ln, label, len)) == NULL)
		return -1;
	*addr = e->addr;
	return 0;
}

const char *
leasenames_by_addr(const struct leasenames *ln, struct in_addr addr)
{
	const struct lentry	*e;

	if ((e = find_addr(ln, addr)) == NULL)
		return NULL;
	return e->label;
}

/* the address a name d.c.b.a.in-addr.arpa stands for; 0 or -1 */
static int
reverse_addr(const uint8_t *name, size_t len, struct in_addr *addr)
{
	static const uint8_t	 tail[] = "\007in-addr\004arpa";
	uint8_t			 a[4];
	size_t			 pos = 0;
	int			 i;

	if (dns_name_labels(name, len) != 6)
		return -1;
	for (i = 3; i >= 0; i--) {
		if (dns_label_octet(name + pos, &a[i]) == -1)
			return -1;
		pos += 1 + name[pos];
	}
	/* the tail with its root byte, the array's NUL */
	if (!dns_name_equal(name + pos, len - pos, tail, sizeof(tail)))
		return -1;
	memcpy(&addr->s_addr, a, sizeof(a));
	return 0;
}

/* 1 when name is one label under domain; that label's place in *label */
static int
forward_label(const uint8_t *name, size_t len, const uint8_t *domain,
    size_t dlen, const uint8_t **label, size_t *llen)
{
	int	 nl, dl;

	if ((nl = dns_name_labels(name, len)) < 0 ||
	    (dl = dns_name_labels(domain, dlen)) < 0 || nl != dl + 1)
		return 0;
	if (!dns_name_is_below(name, len, domain, dlen))
		return 0;
	*label = name + 1;
	*llen = name[0];
	return 1;
}

/* NAME.domain in wire form into out (DNS_NAME_MAX); its length or 0 */
static size_t
full_name(const char *label, const uint8_t *domain, size_t dlen,
    uint8_t *out)
{
	size_t	 len = strlen(label);

	if (len == 0 || len > LN_LABEL_MAX || 1 + len + dlen > DNS_NAME_MAX)
		return 0;
	out[0] = (uint8_t)len;
	memcpy(out + 1, label, len);
	memcpy(out + 1 + len, domain, dlen);
	return 1 + len + dlen;
}

size_t
leasenames_answer(const struct leasenames *ln, const uint8_t *domain,
    size_t dlen, const struct dns_msg *qm, uint8_t *out, size_t outsz)
{
	const uint8_t	*label;
	const char	*name;
	uint8_t		 full[DNS_NAME_MAX];
	size_t		 llen, flen;
	struct in_addr	 addr;
	uint16_t	 qtype;

	if (ln == NULL || ln->count == 0 || qm == NULL || !qm->has_question ||
	    (qm->hdr.flags & DNS_F_QR) || DNS_OPCODE(qm->hdr.flags) != 0)
		return 0;
	if (qm->q.qclass != DNS_CLASS_IN && qm->q.qclass != DNS_CLASS_ANY)
		return 0;
	qtype = qm->q.qtype;
	if (forward_label(qm->q.qname, qm->q.qname_len, domain, dlen, &label,
	    &llen)) {
		if (leasenames_by_name(ln, label, llen, &addr) == -1)
			return 0;
		if (qtype != DNS_TYPE_A && qtype != DNS_TYPE_ANY)
			return local_answer_one(qm, 0, NULL, 0, 0, out, outsz);
		return local_answer_one(qm, DNS_TYPE_A,
		    (uint8_t *)&addr.s_addr, sizeof(addr.s_addr), 0, out,
		    outsz);
	}
	if (reverse_addr(qm->q.qname, qm->q.qname_len, &addr) == -1 ||
	    (name = leasenames_by_addr(ln, addr)) == NULL ||
	    (flen = full_name(name, domain, dlen, full)) == 0)
		return 0;
	if (qtype != DNS_TYPE_PTR && qtype != DNS_TYPE_ANY)
		return local_answer_one(qm, 0, NULL, 0, 0, out, outsz);
	return local_answer_one(qm, DNS_TYPE_PTR, full, (uint16_t)flen, 0, out,
	    outsz);
}

size_t
leasenames_local_answer(const struct local_store *ls,
    const struct leasenames *ln, const uint8_t *domain, size_t dlen,
    const struct dns_msg *qm, const uint8_t *query, size_t qlen,
    int explicit_forwarder, uint8_t *out, size_t outsz)
{
	size_t	 n;

	if (ls != NULL && (n = local_answer_part(ls, qm, explicit_forwarder,
	    LOCAL_DATA, out, outsz)) != 0)
		return n;
	if ((n = leasenames_answer(ln, domain, dlen, qm, out, outsz)) != 0)
		return n;
	if (ls == NULL)
		return 0;
	return local_answer_part(ls, qm, explicit_forwarder, LOCAL_POLICY,
	    out, outsz);
}
