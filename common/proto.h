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

#include <netinet/in.h>

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

	/*
	 * parent -> DHCP engine: a configuration transaction, as for the
	 * DNS engine.  BEGIN opens it; INTERFACE declares a served
	 * interface (one per dhcp block whose interface exists), before
	 * anything that names its ifindex; SOCKET hands over its sockets
	 * (UDP 67 and the packet socket per interface, one ICMP socket);
	 * IFADDRS gives its IPv4 addresses; SUBNET, RANGE, HOST and
	 * OPTION fill it; END makes it the running one.  Subnets and
	 * hosts are numbered from 1 by the parent, per transaction.
	 */
	IMSG_DHCP_CONF_BEGIN,		/* struct msg_dhcp_begin */
	IMSG_DHCP_CONF_INTERFACE,	/* struct msg_dhcp_interface */
	IMSG_DHCP_CONF_SOCKET,		/* struct msg_dhcp_socket + socket */
	IMSG_DHCP_CONF_SUBNET,		/* struct msg_dhcp_subnet */
	IMSG_DHCP_CONF_RANGE,		/* struct msg_dhcp_range */
	IMSG_DHCP_CONF_HOST,		/* struct msg_dhcp_host */
	IMSG_DHCP_CONF_OPTION,		/* struct msg_dhcp_option */
	IMSG_DHCP_CONF_END,		/* empty */
	/*
	 * parent -> DHCP engine, inside a transaction or at any time: an
	 * interface's IPv4 addresses, all of them (netlink said they
	 * changed).  Outside a transaction it applies to the running one.
	 */
	IMSG_DHCP_IFADDRS,		/* struct msg_dhcp_ifaddrs */

	/*
	 * DHCP engine -> parent.  LEASE_EVENT after the change is on disk:
	 * add, old and del run the lease hook and change the names in the
	 * DNS; sync only names a bound lease.  NAMES_RESET opens the sync
	 * of every named bound lease that a starting engine sends after
	 * its first configuration: the names the parent held before it
	 * are forgotten.
	 */
	IMSG_DHCP_NAMES_RESET,		/* empty */
	IMSG_DHCP_LEASE_EVENT,		/* struct msg_lease_event */

	/*
	 * parent -> DNS engine, at any time (after its first
	 * configuration): the names of DHCP leases, answered as
	 * NAME.domain (the DOMAIN_OWN domain; NAME alone without one),
	 * A and PTR, unless a local record has the name.  CLEAR forgets
	 * every one; the parent sends CLEAR and the whole table again to
	 * a DNS engine that starts.
	 */
	IMSG_DNS_LEASE_NAMES_CLEAR,	/* empty */
	IMSG_DNS_LEASE_NAME,		/* struct msg_lease_name */

	/* moatctl -> parent -> DHCP engine, relayed as for the DNS engine */
	IMSG_CTL_SHOW_LEASES,		/* empty */
	IMSG_CTL_LEASE,			/* struct msg_ctl_lease */

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

/*
 * DHCP.  Addresses are struct in_addr (network order); an ifindex is the
 * kernel's; wall-clock times are seconds since the epoch.
 */
#define MOAT_IFNAME_MAX		16	/* IF_NAMESIZE */
#define MOAT_DHCP_IFADDR_MAX	16	/* SERVER_IFADDR_MAX */
#define MOAT_DHCP_NAME_MAX	64	/* one DNS label, NUL included */
#define MOAT_DHCP_HW_MAX	16	/* chaddr */
#define MOAT_DHCP_CID_MAX	255	/* option 61 of a host */
#define MOAT_DHCP_LEASE_CID_MAX	64	/* LEASE_CID_MAX */
#define MOAT_DHCP_OPTION_MAX	1024	/* DHCP_OPTION_VALUE_MAX */

struct msg_dhcp_begin {
	int32_t			 verbose;
	uint32_t		 offer_hold;	/* seconds; 0: the default */
	uint32_t		 quarantine;	/* seconds; 0: the default */
	/* the dns block's domain, for option 81 replies; "" none */
	char			 domain[MOAT_DOMAIN_MAX];
};

struct msg_dhcp_interface {
	uint32_t		 ifindex;
	char			 name[MOAT_IFNAME_MAX];
	uint8_t			 hwaddr[6];	/* Ethernet */
	uint8_t			 pad[2];
	uint32_t		 lease_time;	/* seconds */
	uint32_t		 ping_check;	/* 0 or 1 */
};

enum dhcp_sock_kind {
	DHCP_SOCK_UDP = 1,	/* 0.0.0.0:67 bound to the interface,
				   SO_BROADCAST and IP_PKTINFO set */
	DHCP_SOCK_PACKET = 2,	/* AF_PACKET, SOCK_RAW, protocol 0 (sends
				   only), bound to the interface */
	DHCP_SOCK_ICMP = 3	/* raw ICMP for the ping check; ifindex 0 */
};

struct msg_dhcp_socket {
	uint32_t		 ifindex;
	uint32_t		 kind;		/* enum dhcp_sock_kind */
};

struct msg_dhcp_ifaddr {
	struct in_addr		 addr;
	uint32_t		 prefixlen;	/* 1 .. 32 */
};

struct msg_dhcp_ifaddrs {
	uint32_t		 ifindex;
	uint32_t		 count;		/* <= MOAT_DHCP_IFADDR_MAX */
	struct msg_dhcp_ifaddr	 addrs[MOAT_DHCP_IFADDR_MAX];
};

struct msg_dhcp_subnet {
	uint32_t		 ifindex;	/* of its block */
	uint32_t		 subnet;	/* 1 .. */
	struct in_addr		 network;
	uint32_t		 prefixlen;
	uint32_t		 lease_time;	/* 0: the block's */
};

struct msg_dhcp_range {
	uint32_t		 ifindex;
	uint32_t		 subnet;	/* 0: the block's own */
	struct in_addr		 first;
	struct in_addr		 last;
	uint32_t		 bootp;		/* 1: bootp range */
};

struct msg_dhcp_host {
	uint32_t		 ifindex;
	uint32_t		 host;		/* 1 .. */
	char			 name[MOAT_DHCP_NAME_MAX];	/* "" none */
	uint32_t		 has_hwaddr;
	uint8_t			 hwaddr[6];	/* Ethernet */
	uint8_t			 pad[2];
	uint32_t		 cid_len;	/* 0: none */
	uint8_t			 cid[MOAT_DHCP_CID_MAX];
	uint8_t			 pad2;
	struct in_addr		 address;	/* INADDR_ANY: none */
};

enum dhcp_option_scope {
	DHCP_SCOPE_INTERFACE = 1,	/* id 0 */
	DHCP_SCOPE_SUBNET = 2,		/* id: the subnet */
	DHCP_SCOPE_HOST = 3		/* id: the host */
};

struct msg_dhcp_option {
	uint32_t		 ifindex;
	uint32_t		 scope;		/* enum dhcp_option_scope */
	uint32_t		 id;
	uint32_t		 code;		/* 1 .. 254 */
	uint32_t		 len;		/* <= MOAT_DHCP_OPTION_MAX */
	uint8_t			 data[MOAT_DHCP_OPTION_MAX];	/* encoded */
};

enum lease_event_type {
	LEASE_EVENT_ADD = 1,
	LEASE_EVENT_OLD = 2,
	LEASE_EVENT_DEL = 3,
	LEASE_EVENT_SYNC = 4
};

/* msg_lease.flags, as LEASE_F_* of dhcp-engine/leases.h */
#define MOAT_LEASE_F_BOOTP	0x01	/* no end: a BOOTP lease */

/* a lease as struct lease of dhcp-engine/leases.h has it */
struct msg_lease {
	struct in_addr		 addr;
	uint8_t			 state;		/* enum lease_state */
	uint8_t			 flags;		/* MOAT_LEASE_F_* */
	uint8_t			 htype;
	uint8_t			 hlen;
	uint8_t			 hwaddr[MOAT_DHCP_HW_MAX];
	uint8_t			 cid_len;
	uint8_t			 cid[MOAT_DHCP_LEASE_CID_MAX];
	uint8_t			 pad[3];
	char			 hostname[MOAT_DHCP_NAME_MAX];	/* "" none */
	int64_t			 start;
	int64_t			 end;		/* BOOTP: unused */
};

struct msg_lease_event {
	uint32_t		 type;		/* enum lease_event_type */
	/* the interface of the segment, "" when not known */
	char			 ifname[MOAT_IFNAME_MAX];
	/* old: the name the lease had, when it changed; else "" */
	char			 old_name[MOAT_DHCP_NAME_MAX];
	struct msg_lease	 lease;
};

enum lease_name_op {
	LEASE_NAME_ADD = 1,
	LEASE_NAME_DEL = 2
};

struct msg_lease_name {
	uint32_t		 op;		/* enum lease_name_op */
	struct in_addr		 addr;
	/* a DNS label, letters, digits and '-'; any case */
	char			 name[MOAT_DHCP_NAME_MAX];
};

struct msg_ctl_lease {
	char			 ifname[MOAT_IFNAME_MAX];	/* or "" */
	struct msg_lease	 lease;
};

struct imsg;

/*
 * Returns 0 when the frame's type is known and its payload and descriptor
 * are what the type declares, -1 (logged, naming peer) otherwise.
 */
int		 proto_check(const struct imsg *, const char *peer);
const char	*proto_name(uint32_t);
/*
 * The word for msg_lease.state (enum lease_state of dhcp-engine/leases.h:
 * free, offered, bound, released, expired, declined), "unknown" past it.
 */
const char	*proto_lease_state(uint8_t);
/*
 * 1 when s ends within bufsz bytes and is "" or one DNS label of at
 * most 63 letters, digits and hyphens: what msg_lease.hostname and
 * msg_lease_name.name may hold.
 */
int		 proto_label_valid(const char *s, size_t bufsz);

#endif /* MOAT_PROTO_H */
