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
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "cache.h"
#include "dns_engine.h"
#include "leasenames.h"
#include "local.h"
#include "engine_proc.h"
#include "imsg.h"
#include "log.h"
#include "proto.h"

/*
 * Calls the DNS engine needs beyond the sandbox's common set: upstream
 * sockets on random ports, TCP clients and upstreams, datagrams.
 */
static const char *const dns_engine_calls[] = {
	"bind", "accept4", "recvfrom", "getsockopt", "setsockopt",
	"shutdown", "getsockname", "recvmmsg", "sendmmsg",
	NULL
};

struct dns_config	*dns_running;
struct cache		*dns_cache;
struct leasenames	*dns_leases;
static struct dns_config *dns_pending;
static struct imsgev	 parent_iev;
static unsigned int	 config_gen;

time_t
engine_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct dns_config *
config_new(void)
{
	struct dns_config	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&c->listeners);
	TAILQ_INIT(&c->forwarders);
	c->local = local_new();
	c->domain[0] = 0;
	c->domain_len = 1;
	c->gen = ++config_gen;
	return c;
}

/* retire the listeners, free the rest */
static void
config_free(struct dns_config *c)
{
	struct listener		*l;
	struct forwarder	*f;

	if (c == NULL)
		return;
	while ((l = TAILQ_FIRST(&c->listeners)) != NULL) {
		TAILQ_REMOVE(&c->listeners, l, entry);
		listener_retire(l);
	}
	while ((f = TAILQ_FIRST(&c->forwarders)) != NULL) {
		TAILQ_REMOVE(&c->forwarders, f, entry);
		free(f);
	}
	local_free(c->local);
	free(c);
}

static int
conf_listen(struct imsg *imsg)
{
	struct msg_listen	 m;
	struct listener		*l;

	memcpy(&m, imsg->data, sizeof(m));
	if (m.proto != LISTEN_UDP && m.proto != LISTEN_TCP) {
		log_warnx("parent: listen socket of unknown protocol %u",
		    m.proto);
		return -1;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("calloc");
	l->fd = imsg->fd;
	imsg->fd = -1;
	l->refs = 1;
	l->proto = m.proto;
	l->addr = m.addr;
	if (fcntl(l->fd, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	TAILQ_INSERT_TAIL(&dns_pending->listeners, l, entry);
	return 0;
}

static int
conf_forwarder(struct imsg *imsg)
{
	struct msg_forwarder	 m;
	struct forwarder	*f;

	memcpy(&m, imsg->data, sizeof(m));
	if (memchr(m.domain, '\0', sizeof(m.domain)) == NULL) {
		log_warnx("parent: forwarder domain not terminated");
		return -1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatal("calloc");
	f->addr = m.addr;
	if ((f->addrlen = addr_len(&m.addr)) == 0) {
		log_warnx("parent: forwarder of unknown address family");
		free(f);
		return -1;
	}
	if (m.domain[0] == '\0') {
		f->domain[0] = 0;
		f->domain_len = 1;
	} else if (dns_name_from_text(m.domain, f->domain,
	    &f->domain_len) == -1) {
		log_warnx("parent: forwarder domain \"%s\" is not a name",
		    m.domain);
		free(f);
		return -1;
	}
	f->labels = dns_name_labels(f->domain, f->domain_len);
	TAILQ_INSERT_TAIL(&dns_pending->forwarders, f, entry);
	return 0;
}

static int
conf_domain(struct imsg *imsg)
{
	struct msg_domain	 m;

	memcpy(&m, imsg->data, sizeof(m));
	if (memchr(m.domain, '\0', sizeof(m.domain)) == NULL) {
		log_warnx("parent: domain not terminated");
		return -1;
	}
	if (m.kind != DOMAIN_LOCAL && m.kind != DOMAIN_REBIND_OK &&
	    m.kind != DOMAIN_OWN) {
		log_warnx("parent: domain of unknown kind %u", m.kind);
		return -1;
	}
	if (local_add_domain(dns_pending->local, m.kind, m.domain) == -1) {
		log_warnx("parent: domain \"%s\" is not a name", m.domain);
		return -1;
	}
	/* lease names answer below it; local_add_domain read it already */
	if (m.kind == DOMAIN_OWN && dns_name_from_text(m.domain,
	    dns_pending->domain, &dns_pending->domain_len) == -1)
		fatalx("%s: a domain that parsed no longer does", __func__);
	return 0;
}

static int
conf_records(struct imsg *imsg)
{
	if (local_add_records(dns_pending->local, imsg->data,
	    imsg->len) == -1) {
		log_warnx("parent: malformed local records");
		return -1;
	}
	return 0;
}

/* a new cache when its size changes; emptied on any new configuration */
static void
conf_cache(size_t size)
{
	struct cache_stats	 st;

	if (dns_cache != NULL) {
		cache_stats(dns_cache, &st);
		if (st.size == size) {
			cache_flush(dns_cache);
			return;
		}
		cache_free(dns_cache);
		dns_cache = NULL;
	}
	if (size > 0 && (dns_cache = cache_new(size)) == NULL)
		fatal("cache_new");
}

static void
conf_commit(void)
{
	struct dns_config	*old = dns_running;
	struct listener		*l;
	int			 nl = 0, nf = 0;
	struct forwarder	*f;

	dns_running = dns_pending;
	dns_pending = NULL;
	local_set_flags(dns_running->local, dns_running->flags);
	conf_cache(dns_running->cache_size);
	config_free(old);
	TAILQ_FOREACH(l, &dns_running->listeners, entry) {
		listener_start(l);
		nl++;
	}
	TAILQ_FOREACH(f, &dns_running->forwarders, entry)
		nf++;
	log_debug("configuration: %d sockets, %d forwarders, %zu local "
	    "entries, cache of %zu", nl, nf, local_count(dns_running->local),
	    dns_running->cache_size);
}

static int
conf_dispatch(struct imsg *imsg)
{
	struct msg_conf_begin	 b;

	if (imsg->hdr.type == IMSG_CONF_BEGIN) {
		memcpy(&b, imsg->data, sizeof(b));
		config_free(dns_pending);
		dns_pending = config_new();
		if (b.strategy != STRATEGY_IN_ORDER &&
		    b.strategy != STRATEGY_ROUND_ROBIN &&
		    b.strategy != STRATEGY_FASTEST) {
			log_warnx("parent: unknown strategy %u", b.strategy);
			return -1;
		}
		if (b.flags & ~DNS_FLAGS_ALL) {
			log_warnx("parent: unknown DNS flags 0x%x", b.flags);
			return -1;
		}
		dns_pending->strategy = b.strategy;
		dns_pending->flags = b.flags;
		dns_pending->cache_size = b.cache_size;
		log_setverbose(b.verbose);
		return 0;
	}
	if (dns_pending == NULL) {
		log_warnx("parent: %s outside a configuration",
		    proto_name(imsg->hdr.type));
		return -1;
	}
	switch (imsg->hdr.type) {
	case IMSG_CONF_LISTEN:
		return conf_listen(imsg);
	case IMSG_CONF_FORWARDER:
		return conf_forwarder(imsg);
	case IMSG_CONF_DOMAIN:
		return conf_domain(imsg);
	case IMSG_CONF_RECORDS:
		return conf_records(imsg);
	case IMSG_CONF_END:
		conf_commit();
		return 0;
	}
	return -1;
}

static const char *
lease_addr_text(struct in_addr addr, char *buf, size_t bufsz)
{
	if (inet_ntop(AF_INET, &addr, buf, bufsz) == NULL)
		strlcpy(buf, "?", bufsz);
	return buf;
}

/*
 * A lease name from the parent.  One that makes no sense is dropped and
 * logged: it costs that name, not the channel, which would cost every
 * answer.
 */
static int
lease_name(struct imsg *imsg)
{
	struct msg_lease_name	 m;
	char			 ab[INET_ADDRSTRLEN];

	memcpy(&m, imsg->data, sizeof(m));
	if (m.op != LEASE_NAME_ADD && m.op != LEASE_NAME_DEL) {
		log_warnx("parent: lease name of unknown operation %u", m.op);
		return 0;
	}
	if (m.addr.s_addr == INADDR_ANY) {
		log_warnx("parent: lease name for address 0.0.0.0");
		return 0;
	}
	if (!leasenames_label_valid(m.name, sizeof(m.name))) {
		log_warnx("parent: lease name for %s is not a DNS label",
		    lease_addr_text(m.addr, ab, sizeof(ab)));
		return 0;
	}
	if (m.op == LEASE_NAME_DEL) {
		if (leasenames_del(dns_leases, m.addr, m.name))
			log_debug("lease name %s of %s removed", m.name,
			    lease_addr_text(m.addr, ab, sizeof(ab)));
		return 0;
	}
	if (leasenames_add(dns_leases, m.addr, m.name) == 0)
		log_debug("lease name %s is %s", m.name,
		    lease_addr_text(m.addr, ab, sizeof(ab)));
	return 0;
}

static void
ctl_reply(uint32_t peerid, uint32_t type, const void *data, size_t len)
{
	if (imsgev_compose(&parent_iev, type, peerid, -1, data, len) == -1)
		log_warn("cannot queue a reply to moatctl");
}

/* what fits the channel to the parent with room to spare */
#define CTL_CACHE_SHOW_MAX	20000

struct ctl_walk {
	uint32_t	 peerid;
	size_t		 shown;
	size_t		 skipped;
};

static void
ctl_cache_entry(const struct cache_entry_info *ci, void *arg)
{
	struct msg_cache_entry	 m;
	struct ctl_walk		*w = arg;

	if (w->shown == CTL_CACHE_SHOW_MAX) {
		w->skipped++;
		return;
	}
	w->shown++;
	memset(&m, 0, sizeof(m));
	if (dns_name_to_text(ci->name, ci->name_len, m.name,
	    sizeof(m.name)) == -1)
		strlcpy(m.name, "?", sizeof(m.name));
	m.qtype = ci->qtype;
	m.rcode = ci->rcode;
	m.ttl = ci->ttl;
	m.records = ci->records;
	m.hits = ci->hits;
	ctl_reply(w->peerid, IMSG_CTL_CACHE_ENTRY, &m, sizeof(m));
}

static void
ctl_forwarder_stats(uint32_t peerid, const struct forwarder *f,
    time_t now)
{
	struct msg_forwarder_stats	 m;

	memset(&m, 0, sizeof(m));
	m.addr = f->addr;
	if (f->labels > 0 && dns_name_to_text(f->domain, f->domain_len,
	    m.domain, sizeof(m.domain)) == -1)
		strlcpy(m.domain, "?", sizeof(m.domain));
	m.queries = f->queries;
	m.failures = f->failures;
	m.latency_ms = (f->latency_us + 500) / 1000;
	m.dead = f->dead_until > now;
	ctl_reply(peerid, IMSG_CTL_FORWARDER_STATS, &m, sizeof(m));
}

static void
ctl_show_stats(uint32_t peerid)
{
	struct msg_dns_stats	 m = dns_stats;
	struct cache_stats	 cs;
	struct forwarder	*f;
	time_t			 now = engine_now();

	if (dns_cache != NULL) {
		cache_stats(dns_cache, &cs);
		m.cache_hits = cs.hits;
		m.cache_misses = cs.misses;
		m.cache_evictions = cs.evictions;
		m.cache_entries = cs.entries;
		m.cache_size = cs.size;
	}
	ctl_reply(peerid, IMSG_CTL_DNS_STATS, &m, sizeof(m));
	if (dns_running != NULL)
		TAILQ_FOREACH(f, &dns_running->forwarders, entry)
			ctl_forwarder_stats(peerid, f, now);
	engine_ctl_result(&parent_iev, peerid, 1, "");
}

static int
ctl_dispatch(struct imsg *imsg)
{
	uint32_t	 peerid = imsg->hdr.peerid;
	struct ctl_walk	 w = { peerid, 0, 0 };
	char		 msg[MOAT_CTL_MESSAGE_MAX] = "";

	switch (imsg->hdr.type) {
	case IMSG_CTL_SHOW_CACHE:
		if (dns_cache != NULL)
			cache_walk(dns_cache, engine_now(), ctl_cache_entry,
			    &w);
		if (w.skipped > 0)
			snprintf(msg, sizeof(msg), "%zu less recently used "
			    "entries not shown", w.skipped);
		engine_ctl_result(&parent_iev, peerid, 1, msg);
		break;
	case IMSG_CTL_FLUSH_CACHE:
		if (dns_cache != NULL)
			cache_flush(dns_cache);
		log_info("cache flushed");
		engine_ctl_result(&parent_iev, peerid, 1, dns_cache != NULL ?
		    "cache flushed" : "the cache is off");
		break;
	case IMSG_CTL_SHOW_STATS:
		ctl_show_stats(peerid);
		break;
	}
	return 0;
}

static int
parent_dispatch(struct imsg *imsg)
{
	switch (imsg->hdr.type) {
	case IMSG_CONF_BEGIN:
	case IMSG_CONF_LISTEN:
	case IMSG_CONF_FORWARDER:
	case IMSG_CONF_DOMAIN:
	case IMSG_CONF_RECORDS:
	case IMSG_CONF_END:
		return conf_dispatch(imsg);
	case IMSG_CTL_SHOW_CACHE:
	case IMSG_CTL_FLUSH_CACHE:
	case IMSG_CTL_SHOW_STATS:
		return ctl_dispatch(imsg);
	case IMSG_DNS_LEASE_NAMES_CLEAR:
		leasenames_clear(dns_leases);
		log_debug("lease names cleared");
		return 0;
	case IMSG_DNS_LEASE_NAME:
		return lease_name(imsg);
	}
	return ENGINE_MSG_UNKNOWN;
}

int
main(int argc, char *argv[], char *envp[])
{
	engine_proc_start(argc, argv, envp, "dns engine", dns_engine_calls);
	forward_init();
	if ((dns_leases = leasenames_new(LEASENAMES_MAX)) == NULL)
		fatal("leasenames_new");
	engine_proc_run(&parent_iev, parent_dispatch);
}
