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
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcp_options.h"
#include "dhcp_wire.h"
#include "leases.h"
#include "pool.h"
#include "server.h"

/* leases of one client looked at once: more are old history */
#define OWN_MAX		16

struct srv_opt {
	uint8_t		 code;
	uint16_t	 len;
	uint8_t		*val;
};

struct srv_opts {
	struct srv_opt	*v;
	size_t		 n;
};

struct srv_if;

struct server_host {
	struct server_host_conf	 conf;
	struct srv_opts		 opts;
	struct server_host	*next;
};

struct server_subnet {
	struct srv_if		*ifp;
	uint32_t		 net;		/* network order */
	uint32_t		 mask;
	uint32_t		 lease_time;
	struct srv_opts		 opts;
	struct server_subnet	*next;
};

struct srv_if {
	struct server_if_conf	 conf;
	struct server_ifaddr	 addrs[SERVER_IFADDR_MAX];
	size_t			 naddrs;
	struct srv_opts		 opts;
	struct server_subnet	*subnets;
	struct server_host	*hosts;
	struct server_host	**hosts_tail;
	struct srv_if		*next;
};

struct srv_range {
	struct pool		*pool;
	int			 bootp;
	struct srv_if		*ifp;
	struct server_subnet	*sn;		/* NULL: the block's */
};

struct ping_pend {
	uint32_t	 addr;
	time_t		 since;
};

struct server {
	struct lease_db		*db;
	struct server_settings	 set;
	struct srv_if		*ifs;
	struct srv_if		**ifs_tail;
	struct srv_range	*ranges;	/* sorted by first address */
	size_t			 nranges;
	struct ping_pend	 pings[SERVER_PING_MAX];
	size_t			 npings;
	struct server_stats	 st;
	int			 started;
};

/* where a client is: a block, and one of its relayed subnets or none */
struct seg {
	struct srv_if		*ifp;
	struct server_subnet	*sn;
};

/* one request being decided */
struct client {
	struct server		*srv;
	const struct dhcp_msg	*m;
	struct server_result	*res;
	struct srv_if		*rx;		/* where it came in, if ours */
	unsigned int		 ifindex;
	int			 unicast;
	time_t			 now;
	const uint8_t		*cid;		/* option 61, or NULL */
	size_t			 cid_len;
	int			 cid_key;	/* leases are keyed by cid */
	struct seg		 seg;
	struct server_host	*host;
	char			 who[96];
};

static void	drop(struct client *, enum server_level, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	say(struct client *, enum server_level, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	do_discover(struct client *);

static uint32_t
mask_of(int prefixlen)
{
	if (prefixlen <= 0)
		return 0;
	return htonl(0xffffffffU << (32 - prefixlen));
}

static const char *
ntoa(uint32_t a, char *buf)
{
	struct in_addr	 in;

	in.s_addr = a;
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* configuration */

struct server *
server_new(struct lease_db *db, const struct server_settings *set)
{
	struct server	*srv;

	if (db == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return NULL;
	srv->db = db;
	srv->ifs_tail = &srv->ifs;
	if (set != NULL)
		srv->set = *set;
	srv->set.domain[sizeof(srv->set.domain) - 1] = '\0';
	if (srv->set.offer_hold <= 0)
		srv->set.offer_hold = SERVER_OFFER_HOLD;
	if (srv->set.quarantine <= 0)
		srv->set.quarantine = LEASE_QUARANTINE;
	return srv;
}

static void
opts_free(struct srv_opts *o)
{
	size_t	 i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].val);
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

void
server_free(struct server *srv)
{
	struct srv_if		*ifp, *nif;
	struct server_subnet	*sn, *nsn;
	struct server_host	*h, *nh;
	size_t			 i;

	if (srv == NULL)
		return;
	for (ifp = srv->ifs; ifp != NULL; ifp = nif) {
		nif = ifp->next;
		for (sn = ifp->subnets; sn != NULL; sn = nsn) {
			nsn = sn->next;
			opts_free(&sn->opts);
			free(sn);
		}
		for (h = ifp->hosts; h != NULL; h = nh) {
			nh = h->next;
			opts_free(&h->opts);
			free(h);
		}
		opts_free(&ifp->opts);
		free(ifp);
	}
	for (i = 0; i < srv->nranges; i++)
		pool_free(srv->ranges[i].pool);
	free(srv->ranges);
	free(srv);
}

static struct srv_if *
find_if(const struct server *srv, unsigned int ifindex)
{
	struct srv_if	*ifp;

	for (ifp = srv->ifs; ifp != NULL; ifp = ifp->next)
		if (ifp->conf.ifindex == ifindex)
			return ifp;
	return NULL;
}

int
server_add_interface(struct server *srv, const struct server_if_conf *conf)
{
	struct srv_if	*ifp;

	if (conf->ifindex == 0) {
		errno = EINVAL;
		return -1;
	}
	if (find_if(srv, conf->ifindex) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if ((ifp = calloc(1, sizeof(*ifp))) == NULL)
		return -1;
	ifp->conf = *conf;
	ifp->conf.name[sizeof(ifp->conf.name) - 1] = '\0';
	ifp->hosts_tail = &ifp->hosts;
	*srv->ifs_tail = ifp;
	srv->ifs_tail = &ifp->next;
	return 0;
}

int
server_set_addresses(struct server *srv, unsigned int ifindex,
    const struct server_ifaddr *a, size_t n)
{
	struct srv_if	*ifp;
	size_t		 i;

	if ((ifp = find_if(srv, ifindex)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (n > SERVER_IFADDR_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (a[i].prefixlen < 1 || a[i].prefixlen > 32 ||
		    a[i].addr.s_addr == htonl(INADDR_ANY)) {
			errno = EINVAL;
			return -1;
		}
	}
	if (n > 0)
		memcpy(ifp->addrs, a, n * sizeof(*a));
	ifp->naddrs = n;
	return 0;
}

static int
opts_add(struct srv_opts *o, uint8_t code, const void *val, size_t len)
{
	const struct dhcp_option_def	*d;
	struct srv_opt			*v;
	uint8_t				*copy;
	size_t				 i;

	d = dhcp_option_by_code(code);
	if (code == DHO_PAD || code == DHO_END || (d != NULL && d->server) ||
	    len > DHCP_OPTION_VALUE_MAX || (len > 0 && val == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, val, len);
	for (i = 0; i < o->n; i++) {
		if (o->v[i].code == code) {
			free(o->v[i].val);
			o->v[i].val = copy;
			o->v[i].len = (uint16_t)len;
			return 0;
		}
	}
	if ((v = reallocarray(o->v, o->n + 1, sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	o->v = v;
	o->v[o->n].code = code;
	o->v[o->n].len = (uint16_t)len;
	o->v[o->n].val = copy;
	o->n++;
	return 0;
}

int
server_if_option(struct server *srv, unsigned int ifindex, uint8_t code,
    const void *val, size_t len)
{
	struct srv_if	*ifp;

	if ((ifp = find_if(srv, ifindex)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	return opts_add(&ifp->opts, code, val, len);
}

int
server_subnet_option(struct server_subnet *sn, uint8_t code,
    const void *val, size_t len)
{
	return opts_add(&sn->opts, code, val, len);
}

int
server_host_option(struct server_host *h, uint8_t code, const void *val,
    size_t len)
{
	return opts_add(&h->opts, code, val, len);
}

struct server_subnet *
server_add_subnet(struct server *srv, unsigned int ifindex,
    struct in_addr network, int prefixlen, uint32_t lease_time)
{
	struct srv_if		*ifp;
	struct server_subnet	*sn, **sp;

	if ((ifp = find_if(srv, ifindex)) == NULL) {
		errno = ENOENT;
		return NULL;
	}
	if (prefixlen < 1 || prefixlen > 30 ||
	    (network.s_addr & ~mask_of(prefixlen)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((sn = calloc(1, sizeof(*sn))) == NULL)
		return NULL;
	sn->ifp = ifp;
	sn->net = network.s_addr;
	sn->mask = mask_of(prefixlen);
	sn->lease_time = lease_time;
	for (sp = &ifp->subnets; *sp != NULL; sp = &(*sp)->next)
		;
	*sp = sn;
	return sn;
}

static int
add_range(struct server *srv, struct srv_if *ifp, struct server_subnet *sn,
    struct in_addr first, struct in_addr last, int bootp)
{
	struct srv_range	*v;
	struct pool		*p;
	uint32_t		 f, l;
	size_t			 i, at;

	f = ntohl(first.s_addr);
	l = ntohl(last.s_addr);
	if (f > l || f == 0 || l == 0xffffffffU || (sn != NULL &&
	    ((first.s_addr & sn->mask) != sn->net ||
	    (last.s_addr & sn->mask) != sn->net))) {
		errno = EINVAL;
		return -1;
	}
	for (at = 0; at < srv->nranges; at++) {
		if (ntohl(pool_first(srv->ranges[at].pool)) > l)
			break;
		if (ntohl(pool_last(srv->ranges[at].pool)) >= f) {
			errno = EEXIST;
			return -1;
		}
	}
	if ((p = pool_new(first.s_addr, last.s_addr)) == NULL)
		return -1;
	v = reallocarray(srv->ranges, srv->nranges + 1, sizeof(*v));
	if (v == NULL) {
		pool_free(p);
		return -1;
	}
	srv->ranges = v;
	for (i = srv->nranges; i > at; i--)
		v[i] = v[i - 1];
	v[at].pool = p;
	v[at].bootp = bootp != 0;
	v[at].ifp = ifp;
	v[at].sn = sn;
	srv->nranges++;
	return 0;
}

int
server_if_range(struct server *srv, unsigned int ifindex,
    struct in_addr first, struct in_addr last, int bootp)
{
	struct srv_if	*ifp;

	if ((ifp = find_if(srv, ifindex)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	return add_range(srv, ifp, NULL, first, last, bootp);
}

int
server_subnet_range(struct server *srv, struct server_subnet *sn,
    struct in_addr first, struct in_addr last, int bootp)
{
	return add_range(srv, sn->ifp, sn, first, last, bootp);
}

struct server_host *
server_add_host(struct server *srv, unsigned int ifindex,
    const struct server_host_conf *conf)
{
	struct srv_if		*ifp;
	struct server_host	*h;
	char			 name[DHCP_LABEL_MAX + 1];

	if ((ifp = find_if(srv, ifindex)) == NULL) {
		errno = ENOENT;
		return NULL;
	}
	if ((!conf->has_hwaddr && conf->cid_len == 0) ||
	    conf->cid_len > SERVER_HOST_CID_MAX ||
	    conf->address.s_addr == htonl(INADDR_BROADCAST)) {
		errno = EINVAL;
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->conf = *conf;
	if (dhcp_label_sanitize((const uint8_t *)conf->name,
	    strnlen(conf->name, sizeof(conf->name)), name) == -1)
		name[0] = '\0';
	strlcpy(h->conf.name, name, sizeof(h->conf.name));
	*ifp->hosts_tail = h;
	ifp->hosts_tail = &h->next;
	return h;
}

static struct srv_range *
range_of(const struct server *srv, uint32_t addr)
{
	size_t		 lo = 0, hi = srv->nranges, mid;
	uint32_t	 a = ntohl(addr);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a < ntohl(pool_first(srv->ranges[mid].pool)))
			hi = mid;
		else if (a > ntohl(pool_last(srv->ranges[mid].pool)))
			lo = mid + 1;
		else
			return &srv->ranges[mid];
	}
	return NULL;
}

/* tell the pool of addr what the database now holds there */
static void
note(struct server *srv, uint32_t addr)
{
	struct srv_range	*r;
	const struct lease	*l;

	if ((r = range_of(srv, addr)) == NULL)
		return;
	l = lease_db_find_addr(srv->db, addr);
	if (l == NULL)
		pool_mark_free(r->pool, addr);
	else if (l->state == LEASE_EXPIRED || l->state == LEASE_RELEASED)
		pool_mark_reusable(r->pool, addr, l->end);
	else
		pool_mark_used(r->pool, addr);
}

static int
start_cb(const struct lease *l, void *arg)
{
	struct server	*srv = arg;
	struct srv_range *r;

	if ((r = range_of(srv, l->addr)) == NULL)
		return 0;
	if (l->state == LEASE_EXPIRED || l->state == LEASE_RELEASED) {
		if (pool_mark_reusable(r->pool, l->addr, l->end) == -1)
			return -1;
	} else
		pool_mark_used(r->pool, l->addr);
	return 0;
}

int
server_start(struct server *srv)
{
	struct srv_if		*ifp;
	struct server_host	*h;
	struct srv_range	*r;

	for (ifp = srv->ifs; ifp != NULL; ifp = ifp->next)
		for (h = ifp->hosts; h != NULL; h = h->next)
			if (h->conf.address.s_addr != htonl(INADDR_ANY) &&
			    (r = range_of(srv, h->conf.address.s_addr)) != NULL)
				pool_reserve(r->pool, h->conf.address.s_addr);
	if (lease_db_walk(srv->db, start_cb, srv) != 0) {
		errno = ENOMEM;
		return -1;
	}
	srv->started = 1;
	return 0;
}

void
server_stats(const struct server *srv, struct server_stats *st)
{
	*st = srv->st;
}

/* pings */

static ssize_t
ping_find(struct server *srv, uint32_t addr)
{
	size_t	 i;

	for (i = 0; i < srv->npings; i++)
		if (srv->pings[i].addr == addr)
			return (ssize_t)i;
	return -1;
}

static void
ping_del(struct server *srv, uint32_t addr)
{
	ssize_t	 i;

	if ((i = ping_find(srv, addr)) == -1)
		return;
	srv->pings[i] = srv->pings[--srv->npings];
}

static void
ping_purge(struct server *srv, time_t now)
{
	size_t	 i = 0;

	while (i < srv->npings) {
		if (srv->pings[i].since > now ||
		    now - srv->pings[i].since > srv->set.offer_hold)
			srv->pings[i] = srv->pings[--srv->npings];
		else
			i++;
	}
}

/* segments and addresses */

static int
ifaddr_holds(const struct server_ifaddr *ia, uint32_t addr)
{
	uint32_t	 m = mask_of(ia->prefixlen);

	return (ia->addr.s_addr & m) == (addr & m);
}

static const struct server_ifaddr *
if_prefix(const struct srv_if *ifp, uint32_t addr)
{
	size_t	 i;

	for (i = 0; i < ifp->naddrs; i++)
		if (ifaddr_holds(&ifp->addrs[i], addr))
			return &ifp->addrs[i];
	return NULL;
}

static int
seg_contains(const struct client *c, uint32_t addr)
{
	if (c->seg.sn != NULL)
		return (addr & c->seg.sn->mask) == c->seg.sn->net;
	return if_prefix(c->seg.ifp, addr) != NULL;
}

/* the network mask of the segment's prefix holding addr; 0 when none */
static uint32_t
seg_mask(const struct client *c, uint32_t addr)
{
	const struct server_ifaddr	*ia;

	if (c->seg.sn != NULL)
		return (addr & c->seg.sn->mask) == c->seg.sn->net ?
		    c->seg.sn->mask : 0;
	if ((ia = if_prefix(c->seg.ifp, addr)) == NULL)
		return 0;
	return mask_of(ia->prefixlen);
}

static int
is_ours(const struct server *srv, uint32_t addr)
{
	const struct srv_if	*ifp;
	size_t			 i;

	for (ifp = srv->ifs; ifp != NULL; ifp = ifp->next)
		for (i = 0; i < ifp->naddrs; i++)
			if (ifp->addrs[i].addr.s_addr == addr)
				return 1;
	return 0;
}

/* an address no client may have: ours, or a network or broadcast one */
static int
is_special(const struct client *c, uint32_t addr)
{
	uint32_t	 m;

	if (addr == htonl(INADDR_ANY) || addr == htonl(INADDR_BROADCAST) ||
	    is_ours(c->srv, addr))
		return 1;
	m = seg_mask(c, addr);
	if (m == htonl(0xfffffffeU) || m == htonl(0xffffffffU))
		return 0;
	return (addr & ~m) == 0 || (addr & ~m) == ~m;
}

static uint32_t
server_id(const struct client *c, uint32_t hint)
{
	const struct server_ifaddr	*ia;
	const struct srv_if		*ifp = c->seg.ifp;

	if (c->seg.sn != NULL) {
		if (c->rx != NULL && c->rx->naddrs > 0)
			return c->rx->addrs[0].addr.s_addr;
	} else if (hint != 0 && (ia = if_prefix(ifp, hint)) != NULL)
		return ia->addr.s_addr;
	return ifp->naddrs > 0 ? ifp->addrs[0].addr.s_addr : 0;
}

static int
seg_by_subnet(struct client *c, uint32_t addr)
{
	struct srv_if		*ifp;
	struct server_subnet	*sn;

	for (ifp = c->srv->ifs; ifp != NULL; ifp = ifp->next)
		for (sn = ifp->subnets; sn != NULL; sn = sn->next)
			if ((addr & sn->mask) == sn->net) {
				c->seg.ifp = ifp;
				c->seg.sn = sn;
				return 1;
			}
	return 0;
}

static int
seg_by_prefix(struct client *c, uint32_t addr)
{
	struct srv_if	*ifp;

	if (c->rx != NULL && if_prefix(c->rx, addr) != NULL) {
		c->seg.ifp = c->rx;
		c->seg.sn = NULL;
		return 1;
	}
	for (ifp = c->srv->ifs; ifp != NULL; ifp = ifp->next)
		if (if_prefix(ifp, addr) != NULL) {
			c->seg.ifp = ifp;
			c->seg.sn = NULL;
			return 1;
		}
	return 0;
}

/*
 * RFC 2131 4.3.1: a relayed request is on the relay's subnet; a client
 * that has an address and unicasts (RENEWING, INFORM) is on the segment
 * of its address; any other is on the interface it came in on.
 */
static int
find_segment(struct client *c)
{
	const struct dhcp_msg	*m = c->m;
	uint32_t		 g = m->giaddr.s_addr, ci = m->ciaddr.s_addr;
	char			 buf[INET_ADDRSTRLEN];

	if (g != htonl(INADDR_ANY)) {
		if (seg_by_subnet(c, g) || seg_by_prefix(c, g))
			return 0;
		drop(c, SERVER_LOG_DEBUG, "no subnet for relay %s",
		    ntoa(g, buf));
		return -1;
	}
	if (ci != htonl(INADDR_ANY) && m->type != DHCPDISCOVER &&
	    (seg_by_prefix(c, ci) || seg_by_subnet(c, ci)))
		return 0;
	if (c->rx == NULL) {
		drop(c, SERVER_LOG_DEBUG, "no dhcp on interface %u",
		    c->ifindex);
		return -1;
	}
	if (c->rx->naddrs == 0) {
		drop(c, SERVER_LOG_DEBUG, "no IPv4 address on %s",
		    c->rx->conf.name);
		return -1;
	}
	c->seg.ifp = c->rx;
	c->seg.sn = NULL;
	return 0;
}

static struct server_host *
find_host(const struct client *c)
{
	struct server_host	*h;
	const struct dhcp_msg	*m = c->m;

	if (c->cid != NULL)
		for (h = c->seg.ifp->hosts; h != NULL; h = h->next)
			if (h->conf.cid_len == c->cid_len &&
			    memcmp(h->conf.cid, c->cid, c->cid_len) == 0)
				return h;
	if (m->htype != DHCP_HTYPE_ETHER || m->hlen != DHCP_ETHER_ADDR_LEN)
		return NULL;
	for (h = c->seg.ifp->hosts; h != NULL; h = h->next)
		if (h->conf.has_hwaddr &&
		    memcmp(h->conf.hwaddr, m->chaddr, DHCP_ETHER_ADDR_LEN) == 0)
			return h;
	return NULL;
}

/* leases and owners */

static int
owns(const struct client *c, const struct lease *l)
{
	const struct dhcp_msg	*m = c->m;

	if (c->cid_key && l->cid_len > 0)
		return l->cid_len == c->cid_len &&
		    memcmp(l->cid, c->cid, c->cid_len) == 0;
	if (l->cid_len > 0)
		return 0;
	return m->hlen > 0 && l->hlen == m->hlen && l->htype == m->htype &&
	    memcmp(l->hwaddr, m->chaddr, m->hlen) == 0;
}

/* copies of the client's leases, each once */
static size_t
own_leases(struct client *c, struct lease *out, size_t max)
{
	struct lease_db		*db = c->srv->db;
	const struct dhcp_msg	*m = c->m;
	const struct lease	*l = NULL;
	size_t			 n = 0, i;

	if (c->cid_key)
		while (n < max &&
		    (l = lease_db_find_cid(db, c->cid, c->cid_len, l)) != NULL)
			if (owns(c, l))
				out[n++] = *l;
	l = NULL;
	while (n < max && m->hlen > 0 && (l = lease_db_find_hw(db, m->htype,
	    m->hlen, m->chaddr, l)) != NULL) {
		if (!owns(c, l))
			continue;
		for (i = 0; i < n && out[i].addr != l->addr; i++)
			;
		if (i == n)
			out[n++] = *l;
	}
	return n;
}

/*
 * May the client have addr, of a dynamic (bootp 0) or BOOTP range or as
 * its host's fixed address?  The database says whether it is free.
 */
static int
addr_usable(struct client *c, uint32_t addr, int bootp)
{
	const struct srv_range	*r;
	const struct lease	*l;
	int			 fixed;

	if (!seg_contains(c, addr) || is_special(c, addr))
		return 0;
	fixed = c->host != NULL && c->host->conf.address.s_addr == addr;
	if (!fixed) {
		r = range_of(c->srv, addr);
		if (r == NULL || r->ifp != c->seg.ifp || r->sn != c->seg.sn ||
		    r->bootp != bootp || pool_is_reserved(r->pool, addr))
			return 0;
	}
	if ((l = lease_db_find_addr(c->srv->db, addr)) == NULL)
		return 1;
	switch (l->state) {
	case LEASE_OFFERED:
	case LEASE_BOUND:
		return owns(c, l);
	case LEASE_EXPIRED:
	case LEASE_RELEASED:
		return 1;
	default:
		return 0;
	}
}

static int
state_rank(const struct lease *l)
{
	switch (l->state) {
	case LEASE_BOUND:
		return 3;
	case LEASE_OFFERED:
		return 2;
	default:
		return 1;
	}
}

/* the client's best lease on the segment that it may still have */
static const struct lease *
best_own(struct client *c, int bootp, struct lease *own, size_t n)
{
	const struct lease	*best = NULL;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (!addr_usable(c, own[i].addr, bootp))
			continue;
		if (best == NULL || state_rank(&own[i]) > state_rank(best) ||
		    (state_rank(&own[i]) == state_rank(best) &&
		    own[i].end > best->end))
			best = &own[i];
	}
	return best;
}

static int
seg_range(const struct client *c, const struct srv_range *r, int bootp)
{
	return r->ifp == c->seg.ifp && r->sn == c->seg.sn &&
	    r->bootp == bootp && (seg_contains(c, pool_first(r->pool)) ||
	    seg_contains(c, pool_last(r->pool)));
}

static uint32_t
alloc_fresh(struct client *c, int bootp)
{
	struct server		*srv = c->srv;
	struct srv_range	*r;
	size_t			 i, n;
	uint32_t		 a;

	for (i = 0; i < srv->nranges; i++) {
		r = &srv->ranges[i];
		if (!seg_range(c, r, bootp))
			continue;
		n = pool_fresh_count(r->pool);
		while (n-- > 0 && (a = pool_fresh_next(r->pool)) != 0) {
			if (lease_db_find_addr(srv->db, a) != NULL) {
				/* a stale hint: the database knows better */
				note(srv, a);
				continue;
			}
			if (addr_usable(c, a, bootp))
				return a;
		}
	}
	return 0;
}

static uint32_t
alloc_reuse(struct client *c, int bootp)
{
	struct server		*srv = c->srv;
	struct srv_range	*r, *best;
	const struct lease	*l;
	time_t			 since, best_since = 0;
	size_t			 i;
	uint32_t		 a;

	for (;;) {
		best = NULL;
		for (i = 0; i < srv->nranges; i++) {
			r = &srv->ranges[i];
			if (!seg_range(c, r, bootp) ||
			    pool_reuse_peek(r->pool, &since) == 0)
				continue;
			if (best == NULL || since < best_since) {
				best = r;
				best_since = since;
			}
		}
		if (best == NULL)
			return 0;
		a = pool_reuse_peek(best->pool, NULL);
		pool_reuse_pop(best->pool);
		l = lease_db_find_addr(srv->db, a);
		if (l != NULL && (l->state == LEASE_EXPIRED ||
		    l->state == LEASE_RELEASED) && addr_usable(c, a, bootp))
			return a;
		if (l == NULL)
			note(srv, a);
	}
}

/*
 * The address for a DISCOVER or a BOOTREQUEST; *isnew when the client
 * did not hold it (bound or offered) and it may need a ping.  -1 with
 * the result set to a drop.
 */
static int
choose(struct client *c, int bootp, uint32_t *addr, int *isnew)
{
	struct lease		 own[OWN_MAX];
	const struct lease	*l;
	struct in_addr		 ra;
	char			 buf[INET_ADDRSTRLEN];
	size_t			 n;
	uint32_t		 a;

	*isnew = 0;
	if (c->host != NULL && (a = c->host->conf.address.s_addr) != 0 &&
	    seg_contains(c, a)) {
		if (addr_usable(c, a, bootp)) {
			*addr = a;
			return 0;
		}
		say(c, SERVER_LOG_WARN, "fixed address %s is not free: "
		    "giving a dynamic one", ntoa(a, buf));
	}
	n = own_leases(c, own, OWN_MAX);
	if ((l = best_own(c, bootp, own, n)) != NULL) {
		if (l->state == LEASE_OFFERED &&
		    ping_find(c->srv, l->addr) != -1) {
			drop(c, SERVER_LOG_DEBUG, "ping of %s in progress",
			    ntoa(l->addr, buf));
			return -1;
		}
		*addr = l->addr;
		*isnew = l->state != LEASE_BOUND && l->state != LEASE_OFFERED;
		return 0;
	}
	*isnew = 1;
	if (!bootp && dhcp_msg_requested_addr(c->m, &ra) == 0 &&
	    addr_usable(c, ra.s_addr, bootp)) {
		*addr = ra.s_addr;
		return 0;
	}
	if ((a = alloc_fresh(c, bootp)) != 0 ||
	    (a = alloc_reuse(c, bootp)) != 0) {
		*addr = a;
		return 0;
	}
	c->srv->st.no_address++;
	drop(c, SERVER_LOG_WARN, "no free address%s", bootp ?
	    " in a BOOTP range" : "");
	return -1;
}

static uint32_t
lease_time(const struct client *c)
{
	const uint8_t	*v;
	size_t		 len;
	uint32_t	 lt, want;

	if (c->seg.sn != NULL && c->seg.sn->lease_time != 0)
		lt = c->seg.sn->lease_time;
	else if (c->seg.ifp->conf.lease_time != 0)
		lt = c->seg.ifp->conf.lease_time;
	else
		lt = SERVER_LEASE_TIME;
	if (dhcp_msg_option(c->m, DHO_LEASE_TIME, &v, &len) && len == 4) {
		want = get_be32(v);
		if (want < SERVER_LEASE_MIN)
			want = SERVER_LEASE_MIN;
		if (want < lt)
			lt = want;
	}
	return lt;
}

/* the lease's name: the host's, the client's own, or the one it had */
static void
choose_name(const struct client *c, const struct lease *old, char *out)
{
	struct dhcp_fqdn	 f;

	out[0] = '\0';
	if (c->host != NULL && c->host->conf.name[0] != '\0')
		strlcpy(out, c->host->conf.name, LEASE_NAME_MAX + 1);
	else if (dhcp_msg_fqdn(c->m, &f) == 0 && f.host[0] != '\0')
		strlcpy(out, f.host, LEASE_NAME_MAX + 1);
	else if (dhcp_msg_hostname(c->m, out) == 0)
		;
	else if (old != NULL && owns(c, old))
		strlcpy(out, old->hostname, LEASE_NAME_MAX + 1);
	if (!lease_hostname_valid(out))
		out[0] = '\0';
}

static void
make_lease(const struct client *c, struct lease *l, uint32_t addr,
    uint8_t state, const char *name, time_t end, uint8_t flags)
{
	const struct dhcp_msg	*m = c->m;

	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->state = state;
	l->flags = flags;
	l->htype = m->htype;
	l->hlen = m->hlen;
	memcpy(l->hwaddr, m->chaddr, m->hlen);
	if (c->cid_key) {
		l->cid_len = (uint8_t)c->cid_len;
		memcpy(l->cid, c->cid, c->cid_len);
	}
	strlcpy(l->hostname, name, sizeof(l->hostname));
	l->start = c->now;
	l->end = end;
}

/* the database takes l, and the pool hears of it either way */
static const struct lease *
stage(struct client *c, const struct lease *l)
{
	const struct lease	*r;
	char			 buf[INET_ADDRSTRLEN];
	int			 saved;

	r = lease_db_update(c->srv->db, l);
	saved = errno;
	note(c->srv, l->addr);
	if (r == NULL)
		drop(c, SERVER_LOG_WARN, "lease of %s refused: %s",
		    ntoa(l->addr, buf), strerror(saved));
	return r;
}

static void
add_event(struct client *c, enum server_ev type, const struct lease *l,
    const char *old_name)
{
	struct server_event	*ev;

	if (c->res->nevents >= SERVER_EVENTS_MAX)
		return;
	ev = &c->res->events[c->res->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->lease = *l;
	if (old_name != NULL) {
		strlcpy(ev->old_name, old_name, sizeof(ev->old_name));
		ev->name_changed = strcmp(old_name, l->hostname) != 0;
	}
}

/* quarantine addr: someone else uses it */
static int
quarantine(struct client *c, uint32_t addr)
{
	struct lease	 l;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.state = LEASE_DECLINED;
	l.start = c->now;
	l.end = c->now + c->srv->set.quarantine;
	ping_del(c->srv, addr);
	return stage(c, &l) != NULL ? 0 : -1;
}

/* the reply */

struct optval {
	const uint8_t	*v;
	size_t		 len;
	int		 set;
};

static void
overlay(struct optval *ov, const struct srv_opts *o)
{
	size_t	 i;

	for (i = 0; i < o->n; i++) {
		ov[o->v[i].code].v = o->v[i].val;
		ov[o->v[i].code].len = o->v[i].len;
		ov[o->v[i].code].set = 1;
	}
}

static void
set_dest(struct client *c, uint32_t yiaddr)
{
	struct server_result	*res = c->res;
	const struct dhcp_msg	*m = c->m;

	res->dest = dhcp_reply_dest(m, res->type);
	res->ifindex = c->ifindex;
	res->dport = DHCP_PORT_CLIENT;
	switch (res->dest) {
	case DHCP_DEST_RELAY:
		res->dst = m->giaddr;
		res->dport = DHCP_PORT_SERVER;
		break;
	case DHCP_DEST_CIADDR:
		res->dst = m->ciaddr;
		break;
	case DHCP_DEST_BROADCAST:
		res->dst.s_addr = htonl(INADDR_BROADCAST);
		break;
	case DHCP_DEST_HWADDR:
		res->dst.s_addr = yiaddr;
		memcpy(res->dst_mac, m->chaddr, DHCP_ETHER_ADDR_LEN);
		break;
	}
}

/*
 * Build the reply of this type: yiaddr, a lease time (0: none, as for
 * INFORM and BOOTP), the lease's name for option 81, a NAK's message.
 */
static void
reply(struct client *c, uint8_t type, uint32_t yiaddr, uint32_t lt,
    const char *name, const char *nak)
{
	struct optval		 ov[256];
	struct server_result	*res = c->res;
	const struct dhcp_msg	*m = c->m;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	struct dhcp_codeset	 avail;
	struct dhcp_fqdn	 f;
	uint8_t			 codes[256], sidb[4], ltb[4], t1b[4], t2b[4];
	uint8_t			 maskb[4], bcastb[4];
	uint8_t			 fq[DHCP_FQDN_TEXT_MAX + 8];
	char			 fqname[SERVER_DOMAIN_MAX + LEASE_NAME_MAX + 8];
	uint32_t		 sid, mask, where;
	size_t			 n, i, fqlen;
	uint8_t			 flags;
	int			 full;

	where = yiaddr != 0 ? yiaddr : m->ciaddr.s_addr;
	if ((sid = server_id(c, where)) == 0) {
		drop(c, SERVER_LOG_DEBUG, "no address to answer from");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.yiaddr.s_addr = yiaddr;
	if (type == DHCPACK || type == 0)
		r.ciaddr = m->ciaddr;
	r.broadcast = type == DHCPNAK && m->giaddr.s_addr != 0;
	dhcp_builder_init(&b, res->pkt, sizeof(res->pkt),
	    dhcp_msg_max_reply(m));
	dhcp_build_reply(&b, m, &r);
	memcpy(sidb, &sid, 4);
	/* RFC 6842: the client identifier back, in every DHCP reply */
	if (type != 0 && c->cid != NULL)
		dhcp_build_option(&b, DHO_CLIENT_ID, c->cid, c->cid_len);
	if (type == DHCPNAK) {
		dhcp_build_option(&b, DHO_SERVER_ID, sidb, 4);
		if (nak != NULL)
			dhcp_build_option(&b, DHO_MESSAGE, nak, strlen(nak));
		goto finish;
	}

	memset(ov, 0, sizeof(ov));
	if (type != 0) {
		ov[DHO_SERVER_ID] = (struct optval){ sidb, 4, 1 };
	}
	if (lt != 0) {
		put_be32(ltb, lt);
		put_be32(t1b, lt / 2);
		put_be32(t2b, (uint32_t)((uint64_t)lt * 7 / 8));
		ov[DHO_LEASE_TIME] = (struct optval){ ltb, 4, 1 };
		ov[DHO_RENEWAL_TIME] = (struct optval){ t1b, 4, 1 };
		ov[DHO_REBINDING_TIME] = (struct optval){ t2b, 4, 1 };
	}
	if ((mask = seg_mask(c, where)) != 0) {
		memcpy(maskb, &mask, 4);
		ov[DHO_SUBNET_MASK] = (struct optval){ maskb, 4, 1 };
		if (mask != htonl(0xffffffffU)) {
			mask = (where & mask) | ~mask;
			memcpy(bcastb, &mask, 4);
			ov[DHO_BROADCAST_ADDRESS] =
			    (struct optval){ bcastb, 4, 1 };
		}
	}
	if (c->host != NULL && c->host->conf.name[0] != '\0')
		ov[DHO_HOST_NAME] = (struct optval){
		    (const uint8_t *)c->host->conf.name,
		    strlen(c->host->conf.name), 1 };
	if (type != 0 && name != NULL && name[0] != '\0' &&
	    dhcp_msg_fqdn(m, &f) == 0) {
		/* RFC 4702 3.1: we publish the name; O when we overrode S */
		flags = f.flags & DHCP_FQDN_E;
		if (f.flags & DHCP_FQDN_N)
			flags |= DHCP_FQDN_N;
		else
			flags |= DHCP_FQDN_S |
			    ((f.flags & DHCP_FQDN_S) ? 0 : DHCP_FQDN_O);
		full = c->srv->set.domain[0] != '\0';
		snprintf(fqname, sizeof(fqname), "%s%s%s", name,
		    full ? "." : "", c->srv->set.domain);
		if (dhcp_fqdn_encode(flags, fqname, full, fq, sizeof(fq),
		    &fqlen) == 0)
			ov[DHO_FQDN] = (struct optval){ fq, fqlen, 1 };
	}
	overlay(ov, &c->seg.ifp->opts);
	if (c->seg.sn != NULL)
		overlay(ov, &c->seg.sn->opts);
	if (c->host != NULL)
		overlay(ov, &c->host->opts);

	memset(&avail, 0, sizeof(avail));
	for (i = 1; i < 255; i++)
		if (ov[i].set)
			dhcp_codeset_add(&avail, (uint8_t)i);
	n = dhcp_reply_options(m, &avail, codes);
	for (i = 0; i < n; i++)
		dhcp_build_option(&b, codes[i], ov[codes[i]].v,
		    ov[codes[i]].len);
 finish:
	if ((res->len = dhcp_build_finish(&b)) == 0) {
		drop(c, SERVER_LOG_WARN, "reply could not be built");
		return;
	}
	res->action = SERVER_REPLY;
	res->type = type;
	res->src.s_addr = sid;
	set_dest(c, yiaddr);
	c->srv->st.out[type]++;
}

static void
nak(struct client *c, const char *why, uint32_t addr)
{
	char	 buf[INET_ADDRSTRLEN];

	say(c, SERVER_LOG_INFO, "NAK %s: %s", ntoa(addr, buf), why);
	c->res->wait_commit = 0;
	reply(c, DHCPNAK, 0, 0, NULL, why);
}

/* give up the client's other leases on the segment */
static void
release_others(struct client *c, uint32_t keep)
{
	struct lease	 own[OWN_MAX];
	size_t		 n, i;

	n = own_leases(c, own, OWN_MAX);
	for (i = 0; i < n; i++) {
		if (own[i].addr == keep || !seg_contains(c, own[i].addr) ||
		    (own[i].state != LEASE_BOUND &&
		    own[i].state != LEASE_OFFERED))
			continue;
		if (lease_db_release(c->srv->db, own[i].addr, c->now) == -1)
			continue;
		ping_del(c->srv, own[i].addr);
		note(c->srv, own[i].addr);
		if (own[i].state == LEASE_BOUND)
			add_event(c, SERVER_EV_DEL, &own[i], NULL);
	}
}

/* ACK (or BOOTREPLY) addr to the client, bound in the database */
static void
ack_lease(struct client *c, uint32_t addr, int bootp)
{
	const struct lease	*cur;
	struct lease		 old, l;
	char			 name[LEASE_NAME_MAX + 1];
	uint32_t		 lt = bootp ? 0 : lease_time(c);
	int			 had = 0, renew;

	if ((cur = lease_db_find_addr(c->srv->db, addr)) != NULL) {
		old = *cur;
		had = 1;
	}
	renew = had && old.state == LEASE_BOUND && owns(c, &old);
	choose_name(c, had ? &old : NULL, name);
	release_others(c, addr);
	make_lease(c, &l, addr, LEASE_BOUND, name,
	    bootp ? c->now : c->now + (time_t)lt, bootp ? LEASE_F_BOOTP : 0);
	if (stage(c, &l) == NULL)
		return;
	ping_del(c->srv, addr);
	add_event(c, renew ? SERVER_EV_OLD : SERVER_EV_ADD, &l,
	    renew ? old.hostname : NULL);
	c->res->wait_commit = 1;
	reply(c, bootp ? 0 : DHCPACK, addr, lt, name, NULL);
}

static void
offer(struct client *c, uint32_t addr)
{
	const struct lease	*cur;
	struct lease		 l;
	char			 name[LEASE_NAME_MAX + 1];

	cur = lease_db_find_addr(c->srv->db, addr);
	choose_name(c, cur, name);
	/* a bound lease of the client's reserves its address already */
	if (cur == NULL || cur->state != LEASE_BOUND || !owns(c, cur)) {
		make_lease(c, &l, addr, LEASE_OFFERED, name,
		    c->now + c->srv->set.offer_hold, 0);
		if (stage(c, &l) == NULL)
			return;
	}
	reply(c, DHCPOFFER, addr, lease_time(c), name, NULL);
}

/* the messages */

static void
do_discover(struct client *c)
{
	struct server	*srv = c->srv;
	struct lease	 l;
	char		 name[LEASE_NAME_MAX + 1];
	uint32_t	 addr;
	int		 isnew;

	if (choose(c, 0, &addr, &isnew) == -1)
		return;
	if (!isnew || !c->seg.ifp->conf.ping_check) {
		offer(c, addr);
		return;
	}
	ping_purge(srv, c->now);
	if (srv->npings >= SERVER_PING_MAX) {
		drop(c, SERVER_LOG_DEBUG, "too many pings pending");
		return;
	}
	/* the offer holds the address while the ping is out */
	choose_name(c, NULL, name);
	make_lease(c, &l, addr, LEASE_OFFERED, name,
	    c->now + srv->set.offer_hold, 0);
	if (stage(c, &l) == NULL)
		return;
	srv->pings[srv->npings].addr = addr;
	srv->pings[srv->npings++].since = c->now;
	srv->st.pings++;
	c->res->action = SERVER_PING;
	c->res->ping_addr.s_addr = addr;
	c->res->ifindex = c->ifindex;
}

/* the client took another server's offer: ours is free again */
static void
free_offers(struct client *c)
{
	struct lease	 own[OWN_MAX];
	size_t		 n, i;

	n = own_leases(c, own, OWN_MAX);
	for (i = 0; i < n; i++) {
		if (own[i].state != LEASE_OFFERED)
			continue;
		lease_db_release(c->srv->db, own[i].addr, c->now);
		ping_del(c->srv, own[i].addr);
		note(c->srv, own[i].addr);
	}
}

static void
do_request(struct client *c)
{
	const struct dhcp_msg	*m = c->m;
	struct in_addr		 sid, ra;
	char			 buf[INET_ADDRSTRLEN];
	uint32_t		 a;
	int			 has_sid, has_ra, rebinding;

	has_sid = dhcp_msg_server_id(m, &sid) == 0;
	has_ra = dhcp_msg_requested_addr(m, &ra) == 0;
	if (has_sid) {
		/* SELECTING */
		if (!is_ours(c->srv, sid.s_addr)) {
			free_offers(c);
			drop(c, SERVER_LOG_DEBUG, "client chose server %s",
			    ntoa(sid.s_addr, buf));
			return;
		}
		a = has_ra ? ra.s_addr : m->ciaddr.s_addr;
		if (a == 0) {
			drop(c, SERVER_LOG_DEBUG, "no requested address");
			return;
		}
		if (addr_usable(c, a, 0))
			ack_lease(c, a, 0);
		else
			nak(c, "address not available", a);
		return;
	}
	if (m->ciaddr.s_addr != 0) {
		/* RENEWING (unicast) or REBINDING (broadcast, relayed) */
		a = m->ciaddr.s_addr;
		rebinding = !c->unicast || m->giaddr.s_addr != 0;
		if (!seg_contains(c, a)) {
			if (rebinding)
				drop(c, SERVER_LOG_DEBUG, "rebinding %s: not "
				    "on a segment of ours", ntoa(a, buf));
			else
				nak(c, "wrong network", a);
			return;
		}
		if (addr_usable(c, a, 0))
			ack_lease(c, a, 0);
		else
			nak(c, "lease not the client's", a);
		return;
	}
	if (!has_ra) {
		drop(c, SERVER_LOG_DEBUG, "REQUEST without an address");
		return;
	}
	/* INIT-REBOOT: we are authoritative on our segments */
	if (!seg_contains(c, ra.s_addr))
		nak(c, "wrong network", ra.s_addr);
	else if (addr_usable(c, ra.s_addr, 0))
		ack_lease(c, ra.s_addr, 0);
	else
		nak(c, "address not available", ra.s_addr);
}

/* DECLINE and RELEASE must name us when they name a server */
static int
for_us(struct client *c)
{
	struct in_addr	 sid;
	char		 buf[INET_ADDRSTRLEN];

	if (dhcp_msg_server_id(c->m, &sid) == 0 &&
	    !is_ours(c->srv, sid.s_addr)) {
		drop(c, SERVER_LOG_DEBUG, "for server %s",
		    ntoa(sid.s_addr, buf));
		return 0;
	}
	return 1;
}

static void
do_decline(struct client *c)
{
	const struct lease	*cur;
	struct lease		 old;
	struct in_addr		 a;
	char			 buf[INET_ADDRSTRLEN];

	if (!for_us(c))
		return;
	if (dhcp_msg_requested_addr(c->m, &a) == -1) {
		drop(c, SERVER_LOG_DEBUG, "DECLINE without an address");
		return;
	}
	cur = lease_db_find_addr(c->srv->db, a.s_addr);
	if (cur == NULL || (cur->state != LEASE_OFFERED &&
	    cur->state != LEASE_BOUND) || !owns(c, cur)) {
		drop(c, SERVER_LOG_INFO, "DECLINE of %s, not the client's",
		    ntoa(a.s_addr, buf));
		return;
	}
	old = *cur;
	if (quarantine(c, a.s_addr) == -1)
		return;
	if (old.state == LEASE_BOUND)
		add_event(c, SERVER_EV_DEL, &old, NULL);
	drop(c, SERVER_LOG_WARN, "%s declined, in use by another host: "
	    "quarantined for %lld s", ntoa(a.s_addr, buf),
	    (long long)c->srv->set.quarantine);
}

static void
do_release(struct client *c)
{
	const struct lease	*cur;
	struct lease		 old;
	uint32_t		 a = c->m->ciaddr.s_addr;
	char			 buf[INET_ADDRSTRLEN];

	if (!for_us(c))
		return;
	cur = lease_db_find_addr(c->srv->db, a);
	if (cur == NULL || (cur->state != LEASE_OFFERED &&
	    cur->state != LEASE_BOUND) || !owns(c, cur)) {
		drop(c, SERVER_LOG_DEBUG, "RELEASE of %s, not the client's",
		    ntoa(a, buf));
		return;
	}
	old = *cur;
	if (lease_db_release(c->srv->db, a, c->now) == -1) {
		drop(c, SERVER_LOG_WARN, "RELEASE of %s: %s", ntoa(a, buf),
		    strerror(errno));
		return;
	}
	ping_del(c->srv, a);
	note(c->srv, a);
	if (old.state == LEASE_BOUND)
		add_event(c, SERVER_EV_DEL, &old, NULL);
	drop(c, SERVER_LOG_DEBUG, "released %s", ntoa(a, buf));
}

static void
do_inform(struct client *c)
{
	char	 buf[INET_ADDRSTRLEN];

	if (c->m->ciaddr.s_addr == 0) {
		drop(c, SERVER_LOG_DEBUG, "INFORM without ciaddr");
		return;
	}
	if (!seg_contains(c, c->m->ciaddr.s_addr)) {
		drop(c, SERVER_LOG_DEBUG, "INFORM from %s, not on the segment",
		    ntoa(c->m->ciaddr.s_addr, buf));
		return;
	}
	reply(c, DHCPACK, 0, 0, NULL, NULL);
}

static void
do_bootp(struct client *c)
{
	uint32_t	 addr;
	int		 isnew;

	if (choose(c, 1, &addr, &isnew) == -1)
		return;
	ack_lease(c, addr, 1);
}

/* results and their reasons */

static const char *
type_name(uint8_t type)
{
	static const char *const names[] = {
		"BOOTREQUEST", "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST",
		"DHCPDECLINE", "DHCPACK", "DHCPNAK", "DHCPRELEASE",
		"DHCPINFORM"
	};

	return type <= DHCPINFORM ? names[type] : "DHCP message";
}

static void
set_who(struct client *c)
{
	const struct dhcp_msg	*m = c->m;
	char			 hw[3 * DHCP_HLEN_MAX + 1];
	char			 buf[INET_ADDRSTRLEN];
	size_t			 i, n = 0;

	hw[0] = '\0';
	for (i = 0; i < m->hlen; i++)
		n += snprintf(hw + n, sizeof(hw) - n, "%s%02x", i ? ":" : "",
		    m->chaddr[i]);
	if (m->hlen == 0)
		strlcpy(hw, "-", sizeof(hw));
	if (m->giaddr.s_addr != 0)
		snprintf(c->who, sizeof(c->who), "%s from %s via %s",
		    type_name(m->type), hw, ntoa(m->giaddr.s_addr, buf));
	else if (c->rx != NULL)
		snprintf(c->who, sizeof(c->who), "%s from %s on %s",
		    type_name(m->type), hw, c->rx->conf.name);
	else
		snprintf(c->who, sizeof(c->who), "%s from %s on %u",
		    type_name(m->type), hw, c->ifindex);
}

static void
vsay(struct client *c, enum server_level level, const char *fmt, va_list ap)
{
	struct server_result	*res = c->res;
	int			 n;

	res->level = level;
	n = snprintf(res->reason, sizeof(res->reason), "%s: ", c->who);
	if (n < 0 || (size_t)n >= sizeof(res->reason))
		return;
	vsnprintf(res->reason + n, sizeof(res->reason) - n, fmt, ap);
}

static void
say(struct client *c, enum server_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsay(c, level, fmt, ap);
	va_end(ap);
}

static void
drop(struct client *c, enum server_level level, const char *fmt, ...)
{
	va_list	 ap;

	c->res->action = SERVER_DROP;
	c->res->wait_commit = 0;
	c->srv->st.dropped++;
	va_start(ap, fmt);
	vsay(c, level, fmt, ap);
	va_end(ap);
}

/* 0 when the request may be looked at */
static int
client_init(struct client *c, struct server *srv, const struct dhcp_msg *m,
    unsigned int ifindex, int unicast, time_t now, struct server_result *res)
{
	const uint8_t	*cid;
	size_t		 cid_len;

	res->action = SERVER_DROP;
	res->level = SERVER_LOG_DEBUG;
	res->reason[0] = '\0';
	res->wait_commit = 0;
	res->type = 0;
	res->len = 0;
	res->nevents = 0;
	res->ifindex = ifindex;
	res->ping_addr.s_addr = 0;
	memset(c, 0, sizeof(*c));
	c->srv = srv;
	c->m = m;
	c->res = res;
	c->ifindex = ifindex;
	c->unicast = unicast;
	c->now = now;
	c->rx = find_if(srv, ifindex);
	set_who(c);
	if (!srv->started && server_start(srv) == -1) {
		drop(c, SERVER_LOG_WARN, "server not started: %s",
		    strerror(errno));
		return -1;
	}
	if (m->op != DHCP_BOOTREQUEST) {
		drop(c, SERVER_LOG_DEBUG, "not a request");
		return -1;
	}
	if (dhcp_msg_client_id(m, &cid, &cid_len) == 0) {
		c->cid = cid;
		c->cid_len = cid_len;
		c->cid_key = cid_len <= LEASE_CID_MAX;
	}
	if (m->hlen == 0 && !c->cid_key) {
		drop(c, SERVER_LOG_DEBUG, "no client identity");
		return -1;
	}
	/* time(3) beyond what the database takes: a broken clock */
	if (now <= 0 || now > ((time_t)1 << 39)) {
		drop(c, SERVER_LOG_WARN, "bad time");
		return -1;
	}
	return 0;
}

void
server_handle(struct server *srv, const struct dhcp_msg *m,
    unsigned int ifindex, int unicast, time_t now, struct server_result *res)
{
	struct client	 c;

	if (m->type <= DHCPINFORM)
		srv->st.in[m->type]++;
	if (client_init(&c, srv, m, ifindex, unicast, now, res) == -1)
		return;
	switch (m->type) {
	case DHCPDECLINE:
		do_decline(&c);
		return;
	case DHCPRELEASE:
		do_release(&c);
		return;
	case 0:
	case DHCPDISCOVER:
	case DHCPREQUEST:
	case DHCPINFORM:
		break;
	default:
		drop(&c, SERVER_LOG_DEBUG, "not a client message");
		return;
	}
	if (find_segment(&c) == -1)
		return;
	c.host = find_host(&c);
	switch (m->type) {
	case 0:
		do_bootp(&c);
		break;
	case DHCPDISCOVER:
		do_discover(&c);
		break;
	case DHCPREQUEST:
		do_request(&c);
		break;
	case DHCPINFORM:
		do_inform(&c);
		break;
	}
}

void
server_ping_result(struct server *srv, const struct dhcp_msg *m,
    unsigned int ifindex, struct in_addr addr, int answered, time_t now,
    struct server_result *res)
{
	const struct lease	*cur;
	struct client		 c;
	char			 buf[INET_ADDRSTRLEN];
	ssize_t			 i;

	if (client_init(&c, srv, m, ifindex, 0, now, res) == -1)
		return;
	if (m->type != DHCPDISCOVER) {
		drop(&c, SERVER_LOG_DEBUG, "ping result for a %s",
		    type_name(m->type));
		return;
	}
	if (find_segment(&c) == -1)
		return;
	c.host = find_host(&c);
	ping_purge(srv, now);
	if ((i = ping_find(srv, addr.s_addr)) == -1) {
		drop(&c, SERVER_LOG_DEBUG, "no ping of %s pending",
		    ntoa(addr.s_addr, buf));
		return;
	}
	srv->pings[i] = srv->pings[--srv->npings];
	cur = lease_db_find_addr(srv->db, addr.s_addr);
	if (cur == NULL || cur->state != LEASE_OFFERED || !owns(&c, cur)) {
		/* the offer went meanwhile: start again */
		do_discover(&c);
		return;
	}
	if (!answered) {
		offer(&c, addr.s_addr);
		return;
	}
	srv->st.ping_answered++;
	if (quarantine(&c, addr.s_addr) == -1)
		return;
	do_discover(&c);
	/* tell of the conflict unless the new answer has more to say */
	if (res->reason[0] == '\0')
		say(&c, SERVER_LOG_WARN, "%s answered a ping: quarantined for "
		    "%lld s", ntoa(addr.s_addr, buf),
		    (long long)srv->set.quarantine);
}

struct expire_ctx {
	struct server	*srv;
	void		(*cb)(const struct server_event *, void *);
	void		*arg;
};

static void
expire_cb(const struct lease *l, enum lease_state next, void *arg)
{
	struct expire_ctx	*x = arg;
	struct srv_range	*r = range_of(x->srv, l->addr);
	struct server_event	 ev;

	if (next != LEASE_EXPIRED) {
		if (r != NULL)
			pool_mark_free(r->pool, l->addr);
		ping_del(x->srv, l->addr);
		return;
	}
	if (r != NULL)
		pool_mark_reusable(r->pool, l->addr, l->end);
	if (x->cb == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = SERVER_EV_DEL;
	ev.lease = *l;
	x->cb(&ev, x->arg);
}

size_t
server_expire(struct server *srv, time_t now,
    void (*cb)(const struct server_event *, void *), void *arg)
{
	struct expire_ctx	 x;

	x.srv = srv;
	x.cb = cb;
	x.arg = arg;
	return lease_db_expire(srv->db, now, expire_cb, &x);
}
