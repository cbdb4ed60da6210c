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
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp_engine.h"
#include "dhcp_wire.h"
#include "leases.h"
#include "log.h"
#include "server.h"

/*
 * Group commit.  Every request of a loop turn is decided at once; the
 * ACKs that bind a lease are held; when the turn's input is drained one
 * lease_db_commit (one write, one fdatasync) makes the turn's leases
 * durable and only then are the held replies sent and the lease events
 * told to the parent.  Under load a turn holds many requests, so the
 * fsyncs per second stay bounded while the leases per second grow.
 */

#define IO_BATCH		512	/* datagrams read per callback */
#define IO_HELD_MAX		4096	/* replies held before a commit */
#define IO_PKT_MAX		4096	/* bigger datagrams are not DHCP */
#define PING_TIMEOUT_MS		1000
#define EXPIRY_MAX_WAIT		3600	/* re-read the clock this often */

struct held_reply {
	enum dhcp_dest		 dest;
	unsigned int		 ifindex;
	struct in_addr		 src;
	struct in_addr		 dst;
	uint16_t		 dport;
	uint8_t			 dst_mac[DHCP_ETHER_ADDR_LEN];
	size_t			 len;
	uint8_t			 pkt[DHCP_REPLY_MAX];
};

struct ping {
	int			 in_use;
	uint16_t		 seq;
	struct in_addr		 addr;
	unsigned int		 ifindex;
	struct server		*srv;
	struct event		 ev;
	struct dhcp_msg		 msg;
};

static struct held_reply	*held;
static size_t			 nheld;
static struct msg_lease_event	*events;
static size_t			 nevents, events_cap;
static struct event		 flush_ev;
static struct event		 expiry_ev;
static struct ping		*pings[SERVER_PING_MAX];
static uint16_t			 ping_ident;
static uint8_t			 ping_gen;
static struct log_limit		 warn_limit;
/* big: one of each, reused */
static struct server_result	 result;
static struct dhcp_msg		 request;

static void	 process(struct server_result *, const struct dhcp_msg *);

static void
queue_event(const struct server_event *sev)
{
	struct msg_lease_event	*m;
	struct dhcp_if		*ifp;
	struct in_addr		 a;
	const struct lease	*l = &sev->lease;

	if (nevents == events_cap) {
		size_t	 cap = events_cap ? events_cap * 2 : 64;

		if ((events = reallocarray(events, cap, sizeof(*events))) ==
		    NULL)
			fatal("reallocarray");
		events_cap = cap;
	}
	m = &events[nevents++];
	memset(m, 0, sizeof(*m));
	switch (sev->type) {
	case SERVER_EV_ADD:
		m->type = LEASE_EVENT_ADD;
		break;
	case SERVER_EV_OLD:
		m->type = LEASE_EVENT_OLD;
		if (sev->name_changed)
			strlcpy(m->old_name, sev->old_name,
			    sizeof(m->old_name));
		break;
	case SERVER_EV_DEL:
		m->type = LEASE_EVENT_DEL;
		break;
	}
	a.s_addr = l->addr;
	if (dhcp_running != NULL &&
	    (ifp = dhcp_if_of_addr(dhcp_running, a)) != NULL)
		strlcpy(m->ifname, ifp->name, sizeof(m->ifname));
	dhcp_lease_to_msg(l, &m->lease);
}

static void
expire_event(const struct server_event *sev, void *arg)
{
	queue_event(sev);
}

static void
flush_schedule(void)
{
	struct timeval	 tv = { 0, 0 };

	if (!evtimer_pending(&flush_ev, NULL))
		evtimer_add(&flush_ev, &tv);
}

static int
send_udp(struct dhcp_if *ifp, const struct held_reply *h)
{
	struct sockaddr_in	 sin;
	struct msghdr		 mh;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	struct in_pktinfo	*pi;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cmsg;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = h->dst;
	sin.sin_port = htons(h->dport);
	iov.iov_base = (void *)h->pkt;
	iov.iov_len = h->len;
	memset(&mh, 0, sizeof(mh));
	memset(&cmsg, 0, sizeof(cmsg));
	mh.msg_name = &sin;
	mh.msg_namelen = sizeof(sin);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cmsg.buf;
	mh.msg_controllen = sizeof(cmsg.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	pi = (struct in_pktinfo *)CMSG_DATA(cm);
	pi->ipi_spec_dst = h->src;
	return sendmsg(ifp->udp_fd, &mh, 0) == -1 ? -1 : 0;
}

/* to a client with no address yet: a whole frame, no ARP needed */
static int
send_frame(struct dhcp_if *ifp, const struct held_reply *h)
{
	struct dhcp_frame_addrs	 fa;
	struct sockaddr_ll	 sll;
	uint8_t			 frame[DHCP_FRAME_HDRS + DHCP_REPLY_MAX];
	size_t			 n;

	memset(&fa, 0, sizeof(fa));
	memcpy(fa.src_mac, ifp->hwaddr, sizeof(fa.src_mac));
	if (h->dest == DHCP_DEST_BROADCAST)
		memset(fa.dst_mac, 0xff, sizeof(fa.dst_mac));
	else
		memcpy(fa.dst_mac, h->dst_mac, sizeof(fa.dst_mac));
	fa.src = h->src;
	fa.dst = h->dst;
	fa.sport = DHCP_PORT_SERVER;
	fa.dport = h->dport;
	if ((n = dhcp_frame_build(&fa, h->pkt, h->len, frame,
	    sizeof(frame))) == 0) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = ifp->ifindex;
	sll.sll_halen = DHCP_ETHER_ADDR_LEN;
	memcpy(sll.sll_addr, fa.dst_mac, DHCP_ETHER_ADDR_LEN);
	return sendto(ifp->pkt_fd, frame, n, 0, (struct sockaddr *)&sll,
	    sizeof(sll)) == -1 ? -1 : 0;
}

static void
send_reply(const struct held_reply *h)
{
	struct dhcp_if	*ifp;
	int		 rv;

	if (dhcp_running == NULL ||
	    (ifp = dhcp_if_find(dhcp_running, h->ifindex)) == NULL) {
		log_debug("reply for interface %u, which is gone", h->ifindex);
		return;
	}
	if ((h->dest == DHCP_DEST_BROADCAST || h->dest == DHCP_DEST_HWADDR) &&
	    ifp->pkt_fd != -1)
		rv = send_frame(ifp, h);
	else if (ifp->udp_fd != -1)
		rv = send_udp(ifp, h);
	else {
		errno = EBADF;
		rv = -1;
	}
	if (rv == -1)
		log_limited(&warn_limit, "send on %s: %s", ifp->name,
		    strerror(errno));
}

static void
reply_from_result(const struct server_result *res, struct held_reply *h)
{
	h->dest = res->dest;
	h->ifindex = res->ifindex;
	h->src = res->src;
	h->dst = res->dst;
	h->dport = res->dport;
	memcpy(h->dst_mac, res->dst_mac, sizeof(h->dst_mac));
	h->len = res->len;
	memcpy(h->pkt, res->pkt, res->len);
}

static void
send_events(void)
{
	size_t	 i;

	for (i = 0; i < nevents; i++)
		dhcp_send_parent(IMSG_DHCP_LEASE_EVENT, &events[i],
		    sizeof(events[i]));
	nevents = 0;
}

/*
 * The commit point: what the turn decided is made durable, then the
 * held ACKs leave and the parent hears of the changes.  A failed commit
 * sends nothing that depends on it; its changes stay in memory and the
 * next commit writes them (lease_db_commit rewrites the database then).
 */
void
io_flush_now(void)
{
	size_t	 i;

	if (evtimer_pending(&flush_ev, NULL))
		evtimer_del(&flush_ev);
	if (lease_db_commit(dhcp_db) == -1) {
		log_limited(&warn_limit, "lease database: commit failed, "
		    "%zu replies not sent", nheld);
		nheld = 0;
		io_arm_expiry();
		return;
	}
	for (i = 0; i < nheld; i++)
		send_reply(&held[i]);
	nheld = 0;
	send_events();
	io_arm_expiry();
}

static void
flush_cb(int fd, short ev, void *arg)
{
	io_flush_now();
}

static void
hold_reply(const struct server_result *res)
{
	if (nheld == IO_HELD_MAX)
		io_flush_now();
	reply_from_result(res, &held[nheld++]);
}

static void
log_result(const struct server_result *res)
{
	if (res->reason[0] == '\0')
		return;
	switch (res->level) {
	case SERVER_LOG_DEBUG:
		log_debug("%s", res->reason);
		break;
	case SERVER_LOG_INFO:
		log_info("%s", res->reason);
		break;
	case SERVER_LOG_WARN:
		log_limited(&warn_limit, "%s", res->reason);
		break;
	}
}

/* a reply that binds or refuses is worth a line, as dnsmasq writes */
static void
log_reply(const struct server_result *res)
{
	char		 hw[3 * DHCP_ETHER_ADDR_LEN];
	struct in_addr	 yi;
	const char	*what;
	size_t		 i;

	if (res->len < 28 + DHCP_ETHER_ADDR_LEN)
		return;
	switch (res->type) {
	case DHCPACK:
		what = "DHCPACK";
		break;
	case DHCPNAK:
		what = "DHCPNAK";
		break;
	case 0:
		what = "BOOTREPLY";
		break;
	case DHCPOFFER:
		if (log_getverbose() < 1)
			return;
		what = "DHCPOFFER";
		break;
	default:
		return;
	}
	for (i = 0; i < DHCP_ETHER_ADDR_LEN; i++)
		snprintf(hw + 3 * i, sizeof(hw) - 3 * i, "%02x%s",
		    res->pkt[28 + i], i + 1 < DHCP_ETHER_ADDR_LEN ? ":" : "");
	memcpy(&yi, res->pkt + 16, sizeof(yi));
	log_info("%s %s to %s", what, inet_ntoa(yi), hw);
}

/* pings: the ICMP socket is the running configuration's */

static struct ping *
ping_slot(struct in_addr addr, int *busy)
{
	struct ping	*free_slot = NULL;
	size_t		 i;

	*busy = 0;
	for (i = 0; i < SERVER_PING_MAX; i++) {
		if (pings[i] == NULL || !pings[i]->in_use) {
			if (free_slot == NULL) {
				if (pings[i] == NULL &&
				    (pings[i] = calloc(1, sizeof(*pings[i]))) ==
				    NULL)
					fatal("calloc");
				free_slot = pings[i];
				free_slot->seq = (uint16_t)(i | (ping_gen << 8));
			}
			continue;
		}
		if (pings[i]->addr.s_addr == addr.s_addr)
			*busy = 1;
	}
	return free_slot;
}

static void
ping_done(struct ping *p, int answered)
{
	struct server	*srv = p->srv;

	evtimer_del(&p->ev);
	p->in_use = 0;
	if (dhcp_running == NULL || dhcp_running->srv != srv)
		return;
	/* the slot may be reused by what follows */
	memcpy(&request, &p->msg, sizeof(request));
	server_ping_result(srv, &request, p->ifindex, p->addr, answered,
	    time(NULL), &result);
	process(&result, &request);
}

static void
ping_timeout_cb(int fd, short ev, void *arg)
{
	ping_done(arg, 0);
}

static int
ping_send(const struct ping *p)
{
	struct sockaddr_in	 sin;
	uint8_t			 pkt[16];
	uint16_t		 sum;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 8;		/* echo request */
	pkt[4] = ping_ident >> 8;
	pkt[5] = ping_ident & 0xff;
	pkt[6] = p->seq >> 8;
	pkt[7] = p->seq & 0xff;
	memcpy(pkt + 8, "moatd-pc", 8);
	sum = dhcp_inet_cksum(pkt, sizeof(pkt));
	pkt[2] = sum >> 8;
	pkt[3] = sum & 0xff;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = p->addr;
	return sendto(dhcp_running->icmp_fd, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&sin, sizeof(sin)) == -1 ? -1 : 0;
}

static void
ping_start(const struct server_result *res, const struct dhcp_msg *m)
{
	struct timeval	 tv = { 0, PING_TIMEOUT_MS * 1000 };
	struct ping	*p;
	struct in_addr	 addr = res->ping_addr;
	unsigned int	 ifindex = res->ifindex;
	int		 busy;

	if (dhcp_running->icmp_fd == -1) {
		/* no socket to ping with: nobody answered */
		memcpy(&request, m, sizeof(request));
		server_ping_result(dhcp_running->srv, &request, ifindex, addr,
		    0, time(NULL), &result);
		process(&result, &request);
		return;
	}
	if ((p = ping_slot(addr, &busy)) == NULL || busy) {
		log_debug("ping check of %s: %s", inet_ntoa(addr),
		    busy ? "already pending" : "too many pending");
		return;
	}
	log_debug("ping check of %s", inet_ntoa(addr));
	p->in_use = 1;
	p->addr = addr;
	p->ifindex = ifindex;
	p->srv = dhcp_running->srv;
	memcpy(&p->msg, m, sizeof(p->msg));
	if (ping_send(p) == -1) {
		log_limited(&warn_limit, "ping %s: %s", inet_ntoa(addr),
		    strerror(errno));
		p->in_use = 0;
		return;
	}
	evtimer_set(&p->ev, ping_timeout_cb, p);
	evtimer_add(&p->ev, &tv);
}

static void
icmp_input(const uint8_t *b, size_t n)
{
	struct in_addr	 src;
	size_t		 hl, i;
	uint16_t	 id, seq;

	if (n < 20 || (b[0] >> 4) != 4)
		return;
	hl = (size_t)(b[0] & 0x0f) * 4;
	if (hl < 20 || n < hl + 8 || b[hl] != 0)	/* echo reply */
		return;
	id = (uint16_t)(b[hl + 4] << 8 | b[hl + 5]);
	seq = (uint16_t)(b[hl + 6] << 8 | b[hl + 7]);
	if (id != ping_ident)
		return;
	memcpy(&src, b + 12, sizeof(src));
	for (i = 0; i < SERVER_PING_MAX; i++) {
		if (pings[i] == NULL || !pings[i]->in_use ||
		    pings[i]->seq != seq || pings[i]->addr.s_addr != src.s_addr)
			continue;
		ping_done(pings[i], 1);
		flush_schedule();
		return;
	}
}

static void
icmp_read_cb(int fd, short ev, void *arg)
{
	uint8_t	 buf[1500];
	ssize_t	 n;
	int	 i;

	for (i = 0; i < IO_BATCH; i++) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_limited(&warn_limit, "icmp: %s",
				    strerror(errno));
			return;
		}
		icmp_input(buf, (size_t)n);
	}
}

/* what server.c decided, carried out */
static void
process(struct server_result *res, const struct dhcp_msg *m)
{
	struct held_reply	 h;
	size_t			 i;

	log_result(res);
	for (i = 0; i < res->nevents && i < SERVER_EVENTS_MAX; i++)
		queue_event(&res->events[i]);
	switch (res->action) {
	case SERVER_DROP:
		break;
	case SERVER_REPLY:
		log_reply(res);
		if (res->wait_commit)
			hold_reply(res);
		else {
			reply_from_result(res, &h);
			send_reply(&h);
		}
		break;
	case SERVER_PING:
		ping_start(res, m);
		break;
	}
	if (res->nevents > 0 || res->wait_commit)
		flush_schedule();
}

static int
is_unicast(const struct dhcp_if *ifp, struct in_addr dst)
{
	size_t	 i;

	for (i = 0; i < ifp->naddrs; i++)
		if (ifp->addrs[i].addr.s_addr == dst.s_addr)
			return 1;
	return 0;
}

static void
dhcp_input(struct dhcp_if *ifp, const uint8_t *buf, size_t n,
    struct in_addr dst)
{
	const char	*why = NULL;

	if (dhcp_msg_parse(buf, n, &request, &why) == -1) {
		log_debug("%zu bytes on %s dropped: %s", n, ifp->name,
		    why != NULL ? why : "malformed");
		return;
	}
	if (request.op != DHCP_BOOTREQUEST)
		return;
	server_handle(dhcp_running->srv, &request, ifp->ifindex,
	    is_unicast(ifp, dst), time(NULL), &result);
	process(&result, &request);
}

static void
udp_read_cb(int fd, short ev, void *arg)
{
	struct dhcp_if		*ifp = arg;
	uint8_t			 buf[IO_PKT_MAX];
	struct sockaddr_in	 from;
	struct msghdr		 mh;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	struct in_addr		 dst;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cmsg;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < IO_BATCH; i++) {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cmsg.buf;
		mh.msg_controllen = sizeof(cmsg.buf);
		if ((n = recvmsg(fd, &mh, 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_limited(&warn_limit, "receive on %s: %s",
				    ifp->name, strerror(errno));
			return;
		}
		if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
			continue;
		dst.s_addr = htonl(INADDR_BROADCAST);
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		    cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO &&
			    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo)))
				memcpy(&dst, &((struct in_pktinfo *)
				    CMSG_DATA(cm))->ipi_addr, sizeof(dst));
		dhcp_input(ifp, buf, (size_t)n, dst);
		if (dhcp_running == NULL)
			return;
	}
}

static void
expiry_cb(int fd, short ev, void *arg)
{
	if (dhcp_running != NULL)
		server_expire(dhcp_running->srv, time(NULL), expire_event,
		    NULL);
	io_flush_now();
}

void
io_arm_expiry(void)
{
	struct timeval	 tv = { 0, 0 };
	time_t		 next, now;

	if (evtimer_pending(&expiry_ev, NULL))
		evtimer_del(&expiry_ev);
	if (dhcp_running == NULL || (next = lease_db_next_expiry(dhcp_db)) ==
	    -1)
		return;
	now = time(NULL);
	if (next > now)
		tv.tv_sec = next - now > EXPIRY_MAX_WAIT ? EXPIRY_MAX_WAIT :
		    next - now;
	evtimer_add(&expiry_ev, &tv);
}

void
io_start(struct dhcp_config *c)
{
	struct dhcp_if	*ifp;

	TAILQ_FOREACH(ifp, &c->ifs, entry) {
		if (ifp->udp_fd == -1) {
			log_warnx("%s: no DHCP socket", ifp->name);
			continue;
		}
		event_set(&ifp->udp_ev, ifp->udp_fd, EV_READ | EV_PERSIST,
		    udp_read_cb, ifp);
		event_add(&ifp->udp_ev, NULL);
		ifp->udp_ev_set = 1;
	}
	if (c->icmp_fd != -1) {
		event_set(&c->icmp_ev, c->icmp_fd, EV_READ | EV_PERSIST,
		    icmp_read_cb, NULL);
		event_add(&c->icmp_ev, NULL);
		c->icmp_ev_set = 1;
	}
}

void
io_stop(struct dhcp_config *c)
{
	struct dhcp_if	*ifp;
	size_t		 i;

	TAILQ_FOREACH(ifp, &c->ifs, entry)
		if (ifp->udp_ev_set) {
			event_del(&ifp->udp_ev);
			ifp->udp_ev_set = 0;
		}
	if (c->icmp_ev_set) {
		event_del(&c->icmp_ev);
		c->icmp_ev_set = 0;
	}
	for (i = 0; i < SERVER_PING_MAX; i++)
		if (pings[i] != NULL && pings[i]->in_use &&
		    pings[i]->srv == c->srv) {
			evtimer_del(&pings[i]->ev);
			pings[i]->in_use = 0;
		}
	/* replies held for it would go out on closed sockets */
	if (nheld > 0)
		io_flush_now();
	ping_gen++;
}

void
io_init(void)
{
	if ((held = calloc(IO_HELD_MAX, sizeof(*held))) == NULL)
		fatal("calloc");
	ping_ident = (uint16_t)arc4random();
	evtimer_set(&flush_ev, flush_cb, NULL);
	evtimer_set(&expiry_ev, expiry_cb, NULL);
}
