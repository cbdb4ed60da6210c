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

#ifndef MOAT_DNS_ENGINE_H
#define MOAT_DNS_ENGINE_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wire.h"

/* limits that bound what a flood of clients can make us hold */
#define DNS_MAX_QUERIES		4096	/* outstanding upstream queries */
#define DNS_MAX_TCP_CLIENTS	128
#define DNS_TCP_PIPELINE	16	/* queries in flight per connection */
#define DNS_TCP_IDLE_SEC	10
#define DNS_UDP_BATCH		64	/* datagrams read per wake-up */

struct forwarder {
	TAILQ_ENTRY(forwarder)	 entry;
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	uint8_t			 domain[DNS_NAME_MAX];	/* wire form */
	size_t			 domain_len;
	int			 labels;
	/* health, for the strategies and moatctl show stats */
	uint64_t		 queries;
	uint64_t		 failures;
	uint32_t		 latency_us;	/* smoothed; 0 unknown */
	int			 fails_in_row;	/* timeouts and errors */
	time_t			 dead_until;	/* skipped before then */
};
TAILQ_HEAD(forwarder_list, forwarder);

/* a socket from the parent, UDP or TCP, bound to one listen address */
struct listener {
	TAILQ_ENTRY(listener)	 entry;
	int			 fd;
	int			 proto;		/* LISTEN_UDP or LISTEN_TCP */
	struct sockaddr_storage	 addr;
	struct event		 ev;
	int			 armed;
	/*
	 * A listener replaced by a new configuration stops reading but
	 * stays open until the queries that answer through it are done.
	 */
	int			 refs;
	int			 retired;
};
TAILQ_HEAD(listener_list, listener);

struct local_store;

struct dns_config {
	struct listener_list	 listeners;
	struct forwarder_list	 forwarders;
	int			 strategy;	/* enum dns_strategy */
	unsigned int		 rr_next;
	uint32_t		 flags;		/* DNS_* of proto.h */
	size_t			 cache_size;
	struct local_store	*local;
	/* the DOMAIN_OWN domain, wire form; the root when none is set */
	uint8_t			 domain[DNS_NAME_MAX];
	size_t			 domain_len;
	/* queries started under another configuration do not touch this */
	unsigned int		 gen;
};

struct tcp_client;

/* where an answer goes */
struct client {
	struct listener		*l;
	struct tcp_client	*tcp;		/* NULL for UDP */
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
};

struct cache;
struct leasenames;
struct msg_dns_stats;

extern struct dns_config	*dns_running;
extern struct cache		*dns_cache;
/* names of DHCP leases: kept across configurations, see leasenames.h */
extern struct leasenames	*dns_leases;
extern struct msg_dns_stats	 dns_stats;

/* seconds of the monotonic clock */
time_t	engine_now(void);

/* listen.c */
void	listener_start(struct listener *);
void	listener_retire(struct listener *);
void	client_hold(struct client *);
void	client_release(struct client *);
int	client_is_tcp(const struct client *);
void	client_send(struct client *, const uint8_t *, size_t);

/* forward.c */
void	query_receive(struct client *, const uint8_t *, size_t);
void	forward_init(void);
void	forward_shutdown(void);

#endif /* MOAT_DNS_ENGINE_H */
