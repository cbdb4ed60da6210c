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

#ifndef MOAT_DHCP_ENGINE_H
#define MOAT_DHCP_ENGINE_H

#include <sys/queue.h>

#include <netinet/in.h>
#include <net/if.h>

#include <event.h>
#include <stdint.h>
#include <time.h>

#include "proto.h"
#include "server.h"

/*
 * The DHCP engine: the lease database and the server of server.c, fed
 * by the sockets the parent opened.  dhcp_engine.c holds the channel to
 * the parent and the configuration; dhcp_io.c receives, sends, pings
 * and commits.
 */

/* an interface of a dhcp block, with the sockets the parent gave it */
struct dhcp_if {
	TAILQ_ENTRY(dhcp_if)	 entry;
	unsigned int		 ifindex;
	char			 name[IF_NAMESIZE];
	uint8_t			 hwaddr[DHCP_ETHER_ADDR_LEN];
	int			 udp_fd;	/* -1 until given */
	int			 pkt_fd;
	struct event		 udp_ev;
	int			 udp_ev_set;
	struct server_ifaddr	 addrs[SERVER_IFADDR_MAX];
	size_t			 naddrs;
};
TAILQ_HEAD(dhcp_if_list, dhcp_if);

/* one configuration transaction, then the running configuration */
struct dhcp_config {
	struct server		*srv;
	struct dhcp_if_list	 ifs;
	int			 icmp_fd;
	struct event		 icmp_ev;
	int			 icmp_ev_set;
	struct server_subnet	**subnets;	/* by the parent's number */
	size_t			 nsubnets;
	struct server_host	**hosts;
	size_t			 nhosts;
	int			 failed;	/* a message was refused */
};

extern struct dhcp_config	*dhcp_running;
extern struct lease_db		*dhcp_db;

/* dhcp_engine.c */
struct dhcp_if	*dhcp_if_find(struct dhcp_config *, unsigned int);
/* the interface whose prefixes hold addr, else NULL */
struct dhcp_if	*dhcp_if_of_addr(struct dhcp_config *, struct in_addr);
void		 dhcp_send_parent(uint32_t, const void *, size_t);
void		 dhcp_lease_to_msg(const struct lease *, struct msg_lease *);

/* dhcp_io.c */
void	io_init(void);
/* start receiving on a configuration that just became the running one */
void	io_start(struct dhcp_config *);
/* stop receiving on a retired configuration; pings of it are dropped */
void	io_stop(struct dhcp_config *);
/* commit what is staged now (at start and after the expiry) */
void	io_flush_now(void);
/* the expiry timer follows the database's next end */
void	io_arm_expiry(void);

#endif /* MOAT_DHCP_ENGINE_H */
