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
#include <sys/queue.h>
#include <sys/tree.h>
#include <sys/socket.h>

/* net/if.h first: linux/if.h then leaves out what it defines */
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <linux/icmp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <event.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "moatd.h"

/*
 * The parent's side of DHCP: the configuration transaction of the DHCP
 * engine with the sockets only root can open, the interfaces it serves
 * followed with netlink, and the lease events the engine sends back:
 * names for the DNS engine and runs of the lease hook.
 */

#define DHCP_SERVER_PORT	67
/* a compromised engine cannot make the parent hold more names */
#define DHCP_NAMES_MAX		65536

/* an interface as the kernel has it now */
struct if_state {
	unsigned int		 ifindex;	/* 0: it does not exist */
	uint8_t			 hwaddr[6];
	struct msg_dhcp_ifaddrs	 addrs;
};

/* what the DHCP engine was last told of the interface of each block */
struct served_if {
	char			 ifname[IF_NAMESIZE];
	struct if_state		 st;
	int			 failed;	/* its sockets did not open */
};

static struct served_if	*served;
static size_t		 nserved;

static int		 nl_fd = -1;
static struct event	 nl_ev;

/*
 * The names of bound leases, by address, as the DNS engine has them.
 * A list: an event comes every few seconds at most, and a walk of even
 * the largest table costs less than the message that caused it.
 */
struct lease_name {
	RB_ENTRY(lease_name)	 entry;
	struct in_addr		 addr;
	char			 name[MOAT_DHCP_NAME_MAX];
};

static int
lease_name_cmp(const struct lease_name *a, const struct lease_name *b)
{
	if (a->addr.s_addr == b->addr.s_addr)
		return 0;
	return a->addr.s_addr < b->addr.s_addr ? -1 : 1;
}

/* every lease event looks its address up: a tree, not a list */
RB_HEAD(lease_names, lease_name);
RB_PROTOTYPE(lease_names, lease_name, entry, lease_name_cmp)
RB_GENERATE(lease_names, lease_name, entry, lease_name_cmp)

static struct lease_names	 names = RB_INITIALIZER(&names);
static size_t			 nnames;

static int
prefix_len(const struct sockaddr *mask)
{
	uint32_t	 m;

	if (mask == NULL || mask->sa_family != AF_INET)
		return 32;
	m = ntohl(((const struct sockaddr_in *)mask)->sin_addr.s_addr);
	return __builtin_popcount(m);
}

/* the interface's index, Ethernet address and IPv4 addresses */
static void
if_state_get(struct ifaddrs *ifap, const char *name, struct if_state *st)
{
	struct ifaddrs			*ifa;
	const struct sockaddr_ll	*sll;
	struct msg_dhcp_ifaddr		*a;
	int				 plen;

	memset(st, 0, sizeof(*st));
	if ((st->ifindex = if_nametoindex(name)) == 0)
		return;
	st->addrs.ifindex = st->ifindex;
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || strcmp(ifa->ifa_name, name) != 0)
			continue;
		if (ifa->ifa_addr->sa_family == AF_PACKET) {
			sll = (const struct sockaddr_ll *)ifa->ifa_addr;
			if (sll->sll_halen == sizeof(st->hwaddr))
				memcpy(st->hwaddr, sll->sll_addr,
				    sizeof(st->hwaddr));
			continue;
		}
		if (ifa->ifa_addr->sa_family != AF_INET ||
		    st->addrs.count == MOAT_DHCP_IFADDR_MAX)
			continue;
		if ((plen = prefix_len(ifa->ifa_netmask)) == 0)
			continue;
		a = &st->addrs.addrs[st->addrs.count++];
		a->addr = ((const struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
		a->prefixlen = plen;
	}
}

#define DHCP_RCVBUF	(2 * 1024 * 1024)

/* UDP port 67 on the interface only, as the engine wants it */
static int
open_udp(const char *ifname)
{
	struct sockaddr_in	 sin;
	int			 fd, on = 1, rcvbuf = DHCP_RCVBUF;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("dhcp on %s: socket", ifname);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    strlen(ifname)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == -1) {
		log_warn("dhcp on %s: setsockopt", ifname);
		close(fd);
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_SERVER_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	/*
	 * A burst of clients (a switch coming back, a power cut over)
	 * arrives while the engine waits on a commit: room for a few
	 * thousand requests rather than the default few hundred.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		log_warn("dhcp on %s: receive buffer", ifname);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		log_warn("dhcp on %s: bind udp port %d", ifname,
		    DHCP_SERVER_PORT);
		close(fd);
		return -1;
	}
	return fd;
}

/* protocol 0: the socket sends frames and receives none */
static int
open_packet(const char *ifname, unsigned int ifindex)
{
	struct sockaddr_ll	 sll;
	int			 fd;

	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("dhcp on %s: packet socket", ifname);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		log_warn("dhcp on %s: bind packet socket", ifname);
		close(fd);
		return -1;
	}
	return fd;
}

static int
open_icmp(void)
{
	struct icmp_filter	 filt;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_ICMP)) == -1) {
		log_warn("dhcp: icmp socket");
		return -1;
	}
	/* the bits of the types the kernel drops: all but echo replies */
	filt.data = ~(1U << ICMP_ECHOREPLY);
	if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt)) == -1) {
		log_warn("dhcp: ICMP_FILTER");
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_socket(struct engine *e, unsigned int ifindex, enum dhcp_sock_kind kind,
    int fd)
{
	struct msg_dhcp_socket	 ms;

	memset(&ms, 0, sizeof(ms));
	ms.ifindex = ifindex;
	ms.kind = kind;
	return engine_compose(e, IMSG_DHCP_CONF_SOCKET, fd, &ms, sizeof(ms));
}

static int
send_range(struct engine *e, unsigned int ifindex, uint32_t subnet,
    const struct dhcp_range_conf *r)
{
	struct msg_dhcp_range	 mr;

	memset(&mr, 0, sizeof(mr));
	mr.ifindex = ifindex;
	mr.subnet = subnet;
	mr.first = r->start;
	mr.last = r->end;
	mr.bootp = r->bootp != 0;
	return engine_compose(e, IMSG_DHCP_CONF_RANGE, -1, &mr, sizeof(mr));
}

static int
send_options(struct engine *e, unsigned int ifindex,
    enum dhcp_option_scope scope, uint32_t id,
    const struct dhcp_option_list *list)
{
	const struct dhcp_option_conf	*o;
	struct msg_dhcp_option		*mo;
	int				 rv = 0;

	if ((mo = calloc(1, sizeof(*mo))) == NULL) {
		log_warn("calloc");
		return -1;
	}
	TAILQ_FOREACH(o, list, entry) {
		if (o->len > sizeof(mo->data))
			fatalx("option %u: %zu bytes", o->code, o->len);
		memset(mo, 0, sizeof(*mo));
		mo->ifindex = ifindex;
		mo->scope = scope;
		mo->id = id;
		mo->code = o->code;
		mo->len = o->len;
		memcpy(mo->data, o->data, o->len);
		if ((rv = engine_compose(e, IMSG_DHCP_CONF_OPTION, -1, mo,
		    sizeof(*mo))) == -1)
			break;
	}
	free(mo);
	return rv;
}

static int
send_host(struct engine *e, unsigned int ifindex, uint32_t id,
    const struct dhcp_host_conf *h)
{
	struct msg_dhcp_host	 mh;

	memset(&mh, 0, sizeof(mh));
	mh.ifindex = ifindex;
	mh.host = id;
	strlcpy(mh.name, h->name, sizeof(mh.name));
	mh.has_hwaddr = h->has_hwaddr != 0;
	memcpy(mh.hwaddr, h->hwaddr, sizeof(mh.hwaddr));
	if (h->client_id_len > sizeof(mh.cid))
		fatalx("host %s: client id of %zu bytes", h->name,
		    h->client_id_len);
	mh.cid_len = h->client_id_len;
	memcpy(mh.cid, h->client_id, h->client_id_len);
	mh.address = h->address;
	if (engine_compose(e, IMSG_DHCP_CONF_HOST, -1, &mh, sizeof(mh)) == -1)
		return -1;
	return send_options(e, ifindex, DHCP_SCOPE_HOST, id, &h->options);
}

static int
send_subnet(struct engine *e, unsigned int ifindex, uint32_t id,
    const struct dhcp_subnet_conf *sn)
{
	struct msg_dhcp_subnet		 ms;
	const struct dhcp_range_conf	*r;

	memset(&ms, 0, sizeof(ms));
	ms.ifindex = ifindex;
	ms.subnet = id;
	ms.network = sn->network;
	ms.prefixlen = sn->prefixlen;
	ms.lease_time = sn->lease_time;
	if (engine_compose(e, IMSG_DHCP_CONF_SUBNET, -1, &ms, sizeof(ms)) ==
	    -1)
		return -1;
	TAILQ_FOREACH(r, &sn->ranges, entry)
		if (send_range(e, ifindex, id, r) == -1)
			return -1;
	return send_options(e, ifindex, DHCP_SCOPE_SUBNET, id, &sn->options);
}

/* the numbers of hosts and subnets run on across the transaction */
struct txn {
	uint32_t	 hosts;
	uint32_t	 subnets;
};

/*
 * One block whose interface exists.  Returns 1 when its sockets did not
 * open (the block is left out, with a warning), -1 when a message could
 * not be queued.
 */
static int
send_block(struct engine *e, const struct dhcp_conf *d,
    const struct if_state *st, struct txn *t)
{
	struct msg_dhcp_interface	 mi;
	const struct dhcp_range_conf	*r;
	const struct dhcp_host_conf	*h;
	const struct dhcp_subnet_conf	*sn;
	unsigned int			 ifindex = st->ifindex;
	int				 udp, pkt;

	if ((udp = open_udp(d->ifname)) == -1)
		return 1;
	if ((pkt = open_packet(d->ifname, ifindex)) == -1) {
		close(udp);
		return 1;
	}
	memset(&mi, 0, sizeof(mi));
	mi.ifindex = ifindex;
	strlcpy(mi.name, d->ifname, sizeof(mi.name));
	memcpy(mi.hwaddr, st->hwaddr, sizeof(mi.hwaddr));
	mi.lease_time = d->lease_time;
	mi.ping_check = d->ping_check != 0;
	if (engine_compose(e, IMSG_DHCP_CONF_INTERFACE, -1, &mi,
	    sizeof(mi)) == -1) {
		close(udp);
		close(pkt);
		return -1;
	}
	if (send_socket(e, ifindex, DHCP_SOCK_UDP, udp) == -1) {
		close(pkt);
		return -1;
	}
	if (send_socket(e, ifindex, DHCP_SOCK_PACKET, pkt) == -1 ||
	    engine_compose(e, IMSG_DHCP_IFADDRS, -1, &st->addrs,
	    sizeof(st->addrs)) == -1)
		return -1;
	TAILQ_FOREACH(r, &d->ranges, entry)
		if (send_range(e, ifindex, 0, r) == -1)
			return -1;
	if (send_options(e, ifindex, DHCP_SCOPE_INTERFACE, 0,
	    &d->options) == -1)
		return -1;
	TAILQ_FOREACH(h, &d->hosts, entry)
		if (send_host(e, ifindex, ++t->hosts, h) == -1)
			return -1;
	TAILQ_FOREACH(sn, &d->subnets, entry)
		if (send_subnet(e, ifindex, ++t->subnets, sn) == -1)
			return -1;
	return 0;
}

static void
served_reset(size_t n)
{
	free(served);
	served = NULL;
	nserved = 0;
	if (n > 0 && (served = calloc(n, sizeof(*served))) == NULL)
		fatal("calloc");
	nserved = n;
}

/*
 * The whole configuration, sockets included: the parent keeps no copy
 * of them, so every transaction opens them again.
 */
int
dhcp_send_conf(struct engine *e)
{
	const struct moatd_conf	*conf = moatd->conf;
	const struct dhcp_conf	*d;
	struct msg_dhcp_begin	 mb;
	struct ifaddrs		*ifap;
	struct served_if	*s;
	struct txn		 t;
	size_t			 n = 0;
	int			 fd, ping = 0, rv = 0;

	if (getifaddrs(&ifap) == -1) {
		log_warn("getifaddrs");
		return -1;
	}
	TAILQ_FOREACH(d, &conf->dhcp, entry)
		n++;
	served_reset(n);
	memset(&mb, 0, sizeof(mb));
	mb.verbose = moatd->verbose;
	strlcpy(mb.domain, conf->dns.domain, sizeof(mb.domain));
	if (engine_compose(e, IMSG_DHCP_CONF_BEGIN, -1, &mb, sizeof(mb)) ==
	    -1) {
		freeifaddrs(ifap);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	s = served;
	TAILQ_FOREACH(d, &conf->dhcp, entry) {
		strlcpy(s->ifname, d->ifname, sizeof(s->ifname));
		if_state_get(ifap, d->ifname, &s->st);
		if (s->st.ifindex == 0)
			log_warnx("dhcp on %s: no such interface; it is served "
			    "when it appears", d->ifname);
		else if ((rv = send_block(e, d, &s->st, &t)) == 1) {
			log_warnx("dhcp on %s: left out", d->ifname);
			s->failed = 1;
			rv = 0;
		} else if (rv == -1)
			break;
		else if (d->ping_check)
			ping = 1;
		s++;
	}
	freeifaddrs(ifap);
	if (rv == -1)
		return -1;
	if (ping && (fd = open_icmp()) != -1 &&
	    send_socket(e, 0, DHCP_SOCK_ICMP, fd) == -1)
		return -1;
	return engine_compose(e, IMSG_DHCP_CONF_END, -1, NULL, 0);
}

/*
 * After a netlink message: an interface that came, went or changed its
 * index or Ethernet address takes a whole new transaction; new addresses
 * alone are sent as they are.
 */
static void
dhcp_recheck(void)
{
	struct ifaddrs		*ifap;
	struct served_if	*s;
	struct if_state		 st;
	size_t			 i;
	int			 again = 0;

	if (!engine_running(ENGINE_ID_DHCP))
		return;
	if (getifaddrs(&ifap) == -1) {
		log_warn("getifaddrs");
		return;
	}
	for (i = 0; i < nserved && !again; i++) {
		s = &served[i];
		if_state_get(ifap, s->ifname, &st);
		if (st.ifindex != s->st.ifindex ||
		    memcmp(st.hwaddr, s->st.hwaddr, sizeof(st.hwaddr)) != 0) {
			log_info("dhcp on %s: the interface %s", s->ifname,
			    st.ifindex == 0 ? "is gone" : s->st.ifindex == 0 ?
			    "appeared" : "changed");
			again = 1;
		} else if (st.ifindex != 0 && !s->failed &&
		    memcmp(&st.addrs, &s->st.addrs, sizeof(st.addrs)) != 0) {
			log_debug("dhcp on %s: %u IPv4 addresses", s->ifname,
			    st.addrs.count);
			s->st.addrs = st.addrs;
			engine_send(ENGINE_ID_DHCP, IMSG_DHCP_IFADDRS, -1,
			    &st.addrs, sizeof(st.addrs));
		}
	}
	freeifaddrs(ifap);
	if (again)
		engine_send_conf_again(ENGINE_ID_DHCP);
}

/* what the messages say does not matter: the kernel is asked again */
static void
dhcp_netlink_cb(int fd, short event, void *arg)
{
	struct sockaddr_nl	 from;
	socklen_t		 fromlen;
	char			 buf[8192];
	ssize_t			 n;
	int			 changed = 0;

	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			/* overrun: messages were lost, so look again */
			if (errno == ENOBUFS) {
				changed = 1;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("netlink");
			break;
		}
		/* only the kernel's own, not another process's */
		if (fromlen == sizeof(from) && from.nl_pid == 0 && n > 0)
			changed = 1;
	}
	if (changed)
		dhcp_recheck();
}

static void
netlink_open(void)
{
	struct sockaddr_nl	 snl;

	if ((nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, NETLINK_ROUTE)) == -1) {
		log_warn("netlink socket");
		return;
	}
	memset(&snl, 0, sizeof(snl));
	snl.nl_family = AF_NETLINK;
	snl.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR;
	if (bind(nl_fd, (struct sockaddr *)&snl, sizeof(snl)) == -1) {
		log_warn("netlink bind");
		close(nl_fd);
		nl_fd = -1;
		return;
	}
	event_set(&nl_ev, nl_fd, EV_READ | EV_PERSIST, dhcp_netlink_cb, NULL);
	event_add(&nl_ev, NULL);
}

static void
netlink_close(void)
{
	if (nl_fd == -1)
		return;
	event_del(&nl_ev);
	close(nl_fd);
	nl_fd = -1;
}

void
dhcp_netlink_update(void)
{
	if (TAILQ_EMPTY(&moatd->conf->dhcp)) {
		netlink_close();
		served_reset(0);
	} else if (nl_fd == -1)
		netlink_open();
}

/* the DNS engine's table changes with ours; dropped when it is down */
static void
dns_lease_name(enum lease_name_op op, const struct lease_name *ln)
{
	struct msg_lease_name	 m;

	memset(&m, 0, sizeof(m));
	m.op = op;
	m.addr = ln->addr;
	strlcpy(m.name, ln->name, sizeof(m.name));
	engine_send(ENGINE_ID_DNS, IMSG_DNS_LEASE_NAME, -1, &m, sizeof(m));
}

void
dhcp_names_send_all(void)
{
	struct lease_name	*ln;

	if (engine_send(ENGINE_ID_DNS, IMSG_DNS_LEASE_NAMES_CLEAR, -1, NULL,
	    0) == -1)
		return;
	RB_FOREACH(ln, lease_names, &names)
		dns_lease_name(LEASE_NAME_ADD, ln);
}

static void
names_clear(void)
{
	struct lease_name	*ln;

	while ((ln = RB_ROOT(&names)) != NULL) {
		RB_REMOVE(lease_names, &names, ln);
		free(ln);
	}
	nnames = 0;
}

/* the address names what the lease is called now, or nothing */
static void
names_apply(const struct msg_lease_event *ev)
{
	struct lease_name	*ln, key;
	const char		*name = ev->lease.hostname;

	key.addr = ev->lease.addr;
	ln = RB_FIND(lease_names, &names, &key);
	if (ev->type == LEASE_EVENT_DEL || name[0] == '\0') {
		if (ln == NULL)
			return;
		dns_lease_name(LEASE_NAME_DEL, ln);
		RB_REMOVE(lease_names, &names, ln);
		free(ln);
		nnames--;
		return;
	}
	if (ln != NULL) {
		if (strcmp(ln->name, name) == 0)
			return;
		dns_lease_name(LEASE_NAME_DEL, ln);
		strlcpy(ln->name, name, sizeof(ln->name));
		dns_lease_name(LEASE_NAME_ADD, ln);
		return;
	}
	if (nnames >= DHCP_NAMES_MAX) {
		log_warnx("dhcp engine: more than %d lease names, %s left out",
		    DHCP_NAMES_MAX, name);
		return;
	}
	if ((ln = calloc(1, sizeof(*ln))) == NULL) {
		log_warn("calloc");
		return;
	}
	ln->addr = ev->lease.addr;
	strlcpy(ln->name, name, sizeof(ln->name));
	RB_INSERT(lease_names, &names, ln);
	nnames++;
	dns_lease_name(LEASE_NAME_ADD, ln);
}

static int
ifname_ok(const char *s, size_t size)
{
	size_t	 i, n = strnlen(s, size);

	if (n == size)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return 0;
	return 1;
}

static const char *
event_check(const struct msg_lease_event *ev)
{
	if (ev->type < LEASE_EVENT_ADD || ev->type > LEASE_EVENT_SYNC)
		return "unknown event type";
	if (!ifname_ok(ev->ifname, sizeof(ev->ifname)))
		return "bad interface name";
	if (!proto_label_valid(ev->old_name, sizeof(ev->old_name)))
		return "old name not a DNS label";
	if (!proto_label_valid(ev->lease.hostname, sizeof(ev->lease.hostname)))
		return "host name not a DNS label";
	if (ev->lease.hlen > MOAT_DHCP_HW_MAX)
		return "hardware address too long";
	if (ev->lease.cid_len > MOAT_DHCP_LEASE_CID_MAX)
		return "client id too long";
	if (ev->lease.addr.s_addr == htonl(INADDR_ANY))
		return "no address";
	return NULL;
}

/*
 * A bad event is dropped, not the channel: the lease is on disk
 * already, and the engine's other events are still good.
 */
int
dhcp_engine_message(struct imsg *imsg)
{
	struct msg_lease_event	 ev;
	const char		*why;

	if (imsg->hdr.type == IMSG_DHCP_NAMES_RESET) {
		log_debug("dhcp engine: the names of leases are reset");
		names_clear();
		engine_send(ENGINE_ID_DNS, IMSG_DNS_LEASE_NAMES_CLEAR, -1,
		    NULL, 0);
		return 0;
	}
	memcpy(&ev, imsg->data, sizeof(ev));
	if ((why = event_check(&ev)) != NULL) {
		log_warnx("dhcp engine: lease event dropped: %s", why);
		return 0;
	}
	names_apply(&ev);
	if (ev.type != LEASE_EVENT_SYNC && moatd->conf->lease_hook[0] != '\0')
		hook_queue(&ev);
	return 0;
}
