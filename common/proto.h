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

#ifndef MOAT_PROTO_H
#define MOAT_PROTO_H

#include <sys/socket.h>

#include <stdint.h>

/*
 * The contract between moatd's processes: every message type, the
 * payload it carries, and (in proto.c) the size each must have.  A
 * receiver calls proto_check() before it reads a single field.
 */

/* engines find their channel to the parent on this descriptor */
#define MOAT_PARENT_FD		3

#define MOAT_DOMAIN_MAX		256	/* presentation form, NUL included */
#define MOAT_ENGINE_NAME_MAX	16
#define MOAT_CTL_MESSAGE_MAX	256

enum imsg_type {
	IMSG_NONE,

	/*
	 * parent -> engine: a configuration transaction.  BEGIN opens it,
	 * LISTEN and FORWARDER fill it, END makes it the running one.  The
	 * parent sends a whole transaction at start, on reload and when a
	 * forwarder file changes; what END replaces is dropped.
	 */
	IMSG_CONF_BEGIN,		/* struct msg_conf_begin */
	IMSG_CONF_LISTEN,		/* struct msg_listen, with its socket */
	IMSG_CONF_FORWARDER,		/* struct msg_forwarder */
	IMSG_CONF_END,			/* empty */

	/* moatctl -> parent, and parent -> engines */
	IMSG_LOG_VERBOSE,		/* struct msg_verbose */

	/* moatctl -> parent */
	IMSG_CTL_SHOW_STATUS,		/* empty */
	IMSG_CTL_RELOAD,		/* empty */

	/* parent -> moatctl */
	IMSG_CTL_ENGINE_STATUS,		/* struct msg_engine_status */
	IMSG_CTL_RESULT,		/* struct msg_ctl_result, ends a reply */

	/* parent -> DNS engine, inside a configuration transaction */
	IMSG_CONF_DOMAIN,		/* struct msg_domain */
	IMSG_CONF_RECORDS,		/* local records, packed: see below */

	/*
	 * moatctl -> parent -> DNS engine, and the replies back the same
	 * way, ended by IMSG_CTL_RESULT.  The parent sets peerid to the
	 * control client's id so it knows whose reply it relays.
	 */
	IMSG_CTL_SHOW_CACHE,		/* empty */
	IMSG_CTL_FLUSH_CACHE,		/* empty */
	IMSG_CTL_SHOW_STATS,		/* empty */
	IMSG_CTL_CACHE_ENTRY,		/* struct msg_cache_entry */
	IMSG_CTL_DNS_STATS,		/* struct msg_dns_stats */
	IMSG_CTL_FORWARDER_STATS,	/* struct msg_forwarder_stats */

	IMSG_TYPE_MAX
};

enum listen_proto {
	LISTEN_UDP = 1,
	LISTEN_TCP = 2
};

enum dns_strategy {
	STRATEGY_IN_ORDER = 0,
	STRATEGY_ROUND_ROBIN = 1,
	STRATEGY_FASTEST = 2
};

/* msg_conf_begin.flags */
#define DNS_BLOCK_PRIVATE_REVERSE	0x0001	/* dnsmasq's bogus-priv */
#define DNS_BLOCK_UNQUALIFIED		0x0002	/* dnsmasq's domain-needed */
#define DNS_BLOCK_REBIND		0x0004	/* dnsmasq's stop-dns-rebind */
#define DNS_RANDOM_CASE			0x0008	/* 0x20 in upstream queries */
#define DNS_FLAGS_ALL			0x000f

struct msg_conf_begin {
	int32_t			 verbose;
	uint32_t		 strategy;	/* enum dns_strategy */
	uint32_t		 cache_size;	/* entries; 0: no cache */
	uint32_t		 flags;		/* DNS_* above */
};

enum domain_kind {
	DOMAIN_LOCAL = 1,	/* answered here, never forwarded */
	DOMAIN_REBIND_OK = 2,	/* may answer with private addresses */
	DOMAIN_OWN = 3		/* "domain": qualifies hosts and leases */
};

struct msg_domain {
	uint32_t		 kind;		/* enum domain_kind */
	/* lower case, ASCII (punycode), no trailing dot */
	char			 domain[MOAT_DOMAIN_MAX];
};

/*
 * IMSG_CONF_RECORDS carries 1 to IMSG_MAX_PAYLOAD bytes: a sequence of
 * entries, each one byte of enum record_kind then one resource record in
 * uncompressed wire form (owner, type, class, TTL, rdlength, rdata, with
 * any name in the rdata uncompressed too).  The receiver reads them with
 * its DNS wire parser, bounds checked like any packet.
 */
enum record_kind {
	RECORD_EXACT = 1,	/* record, hosts file: this name only */
	RECORD_SUBTREE = 2,	/* address: the name and all below it */
	RECORD_NXDOMAIN = 3	/* address with no address: the rdata is
				   empty, the type 0; the subtree does not
				   exist */
};

struct msg_listen {
	struct sockaddr_storage	 addr;		/* bound address and port */
	uint32_t		 proto;		/* enum listen_proto */
};

struct msg_forwarder {
	struct sockaddr_storage	 addr;		/* address and port */
	/* lower case, no trailing dot; "" forwards every domain */
	char			 domain[MOAT_DOMAIN_MAX];
	uint32_t		 from_file;	/* 1: from a forwarder file */
};

struct msg_verbose {
	int32_t			 verbose;
};

enum engine_state {
	ENGINE_RUNNING = 1,
	ENGINE_WAITING = 2,	/* dead, restart pending (back-off) */
	ENGINE_STOPPED = 3
};

struct msg_engine_status {
	char			 name[MOAT_ENGINE_NAME_MAX];
	int32_t			 pid;		/* 0 when not running */
	uint32_t		 state;		/* enum engine_state */
	int64_t			 uptime;	/* seconds since this exec */
	uint32_t		 restarts;
};

struct msg_ctl_result {
	int32_t			 ok;		/* 1 done, 0 failed */
	char			 message[MOAT_CTL_MESSAGE_MAX];
};

struct msg_cache_entry {
	char			 name[MOAT_DOMAIN_MAX];	/* presentation */
	uint16_t		 qtype;
	uint16_t		 rcode;		/* of the cached answer */
	uint32_t		 ttl;		/* seconds left */
	uint32_t		 records;	/* in the answer section */
	uint32_t		 hits;
};

struct msg_dns_stats {
	uint64_t		 queries;	/* from clients */
	uint64_t		 cache_hits;
	uint64_t		 cache_misses;
	uint64_t		 cache_evictions;
	uint64_t		 cache_entries;
	uint64_t		 cache_size;	/* the bound */
	uint64_t		 local_answers;	/* local names, blocks */
	uint64_t		 forwarded;	/* upstream queries sent */
	uint64_t		 coalesced;	/* queries joined to another */
	uint64_t		 rebind_blocked;
	uint64_t		 dropped;	/* over the outstanding bound */
};

struct msg_forwarder_stats {
	struct sockaddr_storage	 addr;
	char			 domain[MOAT_DOMAIN_MAX];
	uint64_t		 queries;
	uint64_t		 failures;	/* timeouts, errors, SERVFAIL */
	uint32_t		 latency_ms;	/* smoothed, of answers */
	uint32_t		 dead;		/* 1: skipped until retried */
};

struct imsg;

/*
 * Returns 0 when the frame's type is known and its payload and descriptor
 * are what the type declares, -1 (logged, naming peer) otherwise.
 */
int		 proto_check(const struct imsg *, const char *peer);
const char	*proto_name(uint32_t);

#endif /* MOAT_PROTO_H */
