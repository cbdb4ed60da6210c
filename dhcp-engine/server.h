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

#ifndef MOAT_DHCP_SERVER_H
#define MOAT_DHCP_SERVER_H

#include <netinet/in.h>
#include <net/if.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dhcp_wire.h"
#include "leases.h"

/*
 * The DHCPv4 and BOOTP server's decisions (RFC 951, 1542, 2131, 2132,
 * 4702): given a parsed request, the interface it came in on and the
 * time, what to answer and which leases change.  No sockets, no events,
 * no clocks: the engine around it receives, sends, pings, commits and
 * keeps the timers.
 *
 * Configuration.  The engine fills a struct server with the add
 * functions below, once per configuration (a reload makes a new one over
 * the same lease database), then calls server_start.  Everything is
 * copied.  The model, after the `dhcp on IF` block of moatd.conf:
 *
 *   interface	one per block: ifindex, name, hardware address, lease
 *		time, ping check, and its IPv4 addresses with prefixes
 *		(server_set_addresses, again whenever they change).  The
 *		prefixes of its addresses are the segments it serves
 *		directly: a client without giaddr on it is on one of them.
 *		The block's ranges, options and hosts belong to it.
 *   subnet	a relayed segment of a block, picked by the relay's giaddr
 *		(or by ciaddr for a client unicasting to us): network and
 *		prefix, lease time, ranges, options.
 *   range	first..last inside the segment, dynamic or "bootp range"
 *		(BOOTP clients only, leases without end).  Ranges never
 *		overlap.  A range of a block is used while it lies in a
 *		prefix of the interface.
 *   host	a static host of a block: name, hardware address and/or
 *		client identifier (option 61), fixed address (or none:
 *		name and options only), options.  Its fixed address is
 *		given only on the segment that holds it, and no dynamic
 *		client gets it.
 *   options	option TLVs as dhcp_option_encode makes them.  A host's
 *		win over a subnet's, a subnet's over the block's; one
 *		configured code 1 (subnet mask) or 28 (broadcast address)
 *		wins over the ones the server works out from the prefix.
 *		Which ones a reply carries is dhcp_reply_options' rule.
 *   settings	offer hold time, decline quarantine time, the DNS domain
 *		the names of leases go in (for option 81 replies).
 *
 * Policy, where RFC 2131 leaves a choice:
 *   - Identity: option 61 when present (and at most LEASE_CID_MAX bytes:
 *     a longer one falls back to the hardware address), else htype and
 *     chaddr.  A client that starts sending option 61 keeps the lease
 *     it had by hardware address; one that stops does not.
 *   - Address of a DISCOVER, in order: the host's fixed address; the
 *     client's current or last lease on the segment (bound, offered,
 *     then the latest expired or released); the requested address
 *     (option 50) when free and in a dynamic range of the segment; a
 *     never used address of the ranges, in order; the address free the
 *     longest.  A client that gets a new address on a segment gives up
 *     its other bound ones there (released, event del).
 *   - Authoritative on every segment served: a REQUEST in INIT-REBOOT is
 *     NAKed when its address is not on the client's segment, or is
 *     taken, quarantined, reserved for a host or outside the ranges; an
 *     address that is free in a range is ACKed even without a record
 *     (the client keeps its address when our database was lost).  So
 *     moatd must be the only DHCP server of the segments it serves, as
 *     dnsmasq with dhcp-authoritative.  RENEWING (unicast, ciaddr) is
 *     ACKed by the same rule or NAKed; REBINDING (broadcast or relayed,
 *     ciaddr) the same, except that an address on none of our segments
 *     gets no answer: it is another server's client.
 *   - Lease time: the subnet's, else the block's, else
 *     SERVER_LEASE_TIME.  A client's shorter option 51 is honoured down
 *     to SERVER_LEASE_MIN; a longer one is not.  T1 is half of it, T2
 *     seven eighths.  BOOTP leases have none.
 *   - Name: the host's configured one, else option 81's first label,
 *     else option 12, sanitised to a DNS label (dhcp_label_sanitize),
 *     else what the client's lease had.
 *   - Ping check (per block): an address new to the client is offered
 *     only after a ping nobody answered; the client's own bound or
 *     offered address and a host's fixed address are not pinged.
 *   - Every DHCP reply, NAK included, carries the client's option 61
 *     back (RFC 6842).
 *   - The server id is the address of the interface whose prefix holds
 *     the client's address; for a relayed subnet, the first address of
 *     the interface the request came in on, else of the block's.
 */

#define SERVER_LEASE_TIME	43200	/* 12 h, when nothing is configured */
#define SERVER_LEASE_MIN	60	/* the shortest lease a client gets */
#define SERVER_OFFER_HOLD	60	/* an offer keeps its address */
#define SERVER_IFADDR_MAX	16	/* addresses of one interface */
#define SERVER_PING_MAX		256	/* pings pending at once */
#define SERVER_EVENTS_MAX	8
#define SERVER_REASON_MAX	192
#define SERVER_DOMAIN_MAX	254
#define SERVER_HOST_CID_MAX	255

struct server;
struct server_subnet;
struct server_host;

struct server_settings {
	time_t		 offer_hold;	/* 0: SERVER_OFFER_HOLD */
	time_t		 quarantine;	/* 0: LEASE_QUARANTINE */
	char		 domain[SERVER_DOMAIN_MAX + 1];	/* "" none */
};

struct server_if_conf {
	unsigned int	 ifindex;
	char		 name[IF_NAMESIZE];
	uint8_t		 hwaddr[DHCP_ETHER_ADDR_LEN];
	uint32_t	 lease_time;	/* 0: SERVER_LEASE_TIME */
	int		 ping_check;
};

struct server_ifaddr {
	struct in_addr	 addr;
	int		 prefixlen;	/* 1 .. 32 */
};

struct server_host_conf {
	char		 name[LEASE_NAME_MAX + 1];	/* "" none */
	int		 has_hwaddr;	/* Ethernet: htype 1, hlen 6 */
	uint8_t		 hwaddr[DHCP_ETHER_ADDR_LEN];
	uint8_t		 cid[SERVER_HOST_CID_MAX];	/* option 61 */
	size_t		 cid_len;	/* 0: none */
	struct in_addr	 address;	/* INADDR_ANY: none */
};

/*
 * NULL with errno when out of memory.  The database is the caller's and
 * must outlive the server; only the server changes it between
 * server_start and server_free (except lease_db_commit: the engine's).
 */
struct server	*server_new(struct lease_db *, const struct server_settings *);
void		 server_free(struct server *);

/*
 * Each returns 0, or -1 with errno: EINVAL (bad value: ifindex 0, a
 * prefix out of range, a range outside its subnet or reversed or over
 * POOL_SIZE_MAX, a host with neither hardware address nor client id, a
 * code 0, 255 or one the server sets itself), EEXIST (an interface
 * twice, a range overlapping another), ENOENT (no such interface),
 * ENOMEM.  An option code given twice at one level: the last wins.
 */
int	server_add_interface(struct server *, const struct server_if_conf *);
/* replaces the interface's addresses; at most SERVER_IFADDR_MAX */
int	server_set_addresses(struct server *, unsigned int ifindex,
	    const struct server_ifaddr *, size_t);
int	server_if_range(struct server *, unsigned int ifindex,
	    struct in_addr first, struct in_addr last, int bootp);
int	server_if_option(struct server *, unsigned int ifindex,
	    uint8_t code, const void *, size_t);
struct server_subnet *server_add_subnet(struct server *, unsigned int ifindex,
	    struct in_addr network, int prefixlen, uint32_t lease_time);
int	server_subnet_range(struct server *, struct server_subnet *,
	    struct in_addr first, struct in_addr last, int bootp);
int	server_subnet_option(struct server_subnet *, uint8_t code,
	    const void *, size_t);
/* the name is sanitised to a DNS label ("" when nothing is left) */
struct server_host *server_add_host(struct server *, unsigned int ifindex,
	    const struct server_host_conf *);
int	server_host_option(struct server_host *, uint8_t code, const void *,
	    size_t);

/*
 * After the configuration and before the first request: reserves the
 * hosts' fixed addresses in the ranges and reads the lease database
 * into the pools (one walk).  0, or -1 (ENOMEM).
 */
int	server_start(struct server *);

enum server_action {
	SERVER_DROP,		/* no answer; reason says why */
	SERVER_REPLY,		/* send pkt as dest says */
	SERVER_PING		/* ping ping_addr, then server_ping_result */
};

/* how the engine logs reason: debug (verbose only), info, warning */
enum server_level {
	SERVER_LOG_DEBUG,
	SERVER_LOG_INFO,
	SERVER_LOG_WARN
};

/* for the lease hook (add, old, del) and the names in the DNS */
enum server_ev {
	SERVER_EV_ADD,		/* a lease bound */
	SERVER_EV_OLD,		/* a bound lease renewed (name maybe new) */
	SERVER_EV_DEL		/* released, declined, expired, replaced */
};

struct server_event {
	enum server_ev	 type;
	int		 name_changed;	/* OLD: the hostname is new */
	char		 old_name[LEASE_NAME_MAX + 1];	/* OLD: the last */
	struct lease	 lease;		/* DEL: as it was */
};

struct server_result {
	enum server_action	 action;
	enum server_level	 level;
	/* "DHCPDISCOVER from 02:00:00:00:00:01 on eth0: ...", or "" */
	char			 reason[SERVER_REASON_MAX];
	/*
	 * The reply acknowledges a lease staged in the database: send it
	 * only after lease_db_commit returned 0 (and never when it failed).
	 */
	int			 wait_commit;

	/* SERVER_REPLY */
	uint8_t			 type;	/* DHCPOFFER ACK NAK; 0 BOOTP */
	uint8_t			 pkt[DHCP_REPLY_MAX];
	size_t			 len;
	enum dhcp_dest		 dest;
	/*
	 * The interface the request came in on (for BROADCAST and HWADDR:
	 * the packet socket's), the server id as source address, the
	 * destination (RELAY: giaddr, port 67; CIADDR: ciaddr; BROADCAST:
	 * 255.255.255.255; HWADDR: yiaddr at dst_mac; port 68 but to a
	 * relay).
	 */
	unsigned int		 ifindex;
	struct in_addr		 src;
	struct in_addr		 dst;
	uint16_t		 dport;
	uint8_t			 dst_mac[DHCP_ETHER_ADDR_LEN];

	/* SERVER_PING */
	struct in_addr		 ping_addr;

	/* any action: for the parent, after the commit */
	struct server_event	 events[SERVER_EVENTS_MAX];
	size_t			 nevents;
};

/*
 * Decide on one request.  unicast: it was sent to one of our addresses,
 * not broadcast (IP_PKTINFO); it tells RENEWING from REBINDING.  The
 * result is big: the engine keeps one and reuses it.
 */
void	server_handle(struct server *, const struct dhcp_msg *,
	    unsigned int ifindex, int unicast, time_t now,
	    struct server_result *);
/*
 * After SERVER_PING: the same DISCOVER again, the address pinged and
 * whether anything answered (a timeout is 0).  Not answered: the OFFER.
 * Answered: the address is quarantined like a declined one and the
 * DISCOVER goes on with another address (maybe SERVER_PING again).  A
 * pending ping lasts the offer hold time; after that its result is
 * dropped.
 */
void	server_ping_result(struct server *, const struct dhcp_msg *,
	    unsigned int ifindex, struct in_addr, int answered, time_t now,
	    struct server_result *);

/*
 * lease_db_expire for the engine's expiry timer (at
 * lease_db_next_expiry): keeps the pools right and calls cb with a del
 * event for each bound lease that expired.  Commit afterwards.
 */
size_t	server_expire(struct server *, time_t now,
	    void (*cb)(const struct server_event *, void *), void *);

struct server_stats {
	uint64_t	 in[DHCPINFORM + 1];	/* by type; 0 BOOTP */
	uint64_t	 out[DHCPINFORM + 1];
	uint64_t	 dropped;
	uint64_t	 pings;
	uint64_t	 ping_answered;
	uint64_t	 no_address;	/* pools exhausted */
};
void	server_stats(const struct server *, struct server_stats *);

#endif /* MOAT_DHCP_SERVER_H */
