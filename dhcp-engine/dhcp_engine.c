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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp_engine.h"
#include "dhcp_wire.h"
#include "engine_proc.h"
#include "imsg.h"
#include "leases.h"
#include "log.h"
#include "proto.h"
#include "server.h"

/*
 * Calls beyond the sandbox's common set: the lease database's file
 * calls (leases.h lists them) and datagram receipt.  sysinfo: glibc's
 * qsort asks for the memory size before it sorts more than a little,
 * and compaction sorts the live leases.
 */
static const char *const dhcp_engine_calls[] = {
	"openat", "pread64", "ftruncate", "fdatasync", "fsync",
	"renameat", "renameat2", "linkat", "unlinkat", "flock",
	"recvfrom", "setsockopt", "getsockopt", "sysinfo",
	NULL
};

/* proto.h copies these limits of leases.h and server.h */
_Static_assert(LEASE_F_BOOTP == MOAT_LEASE_F_BOOTP, "BOOTP flag");
_Static_assert(LEASE_DECLINED == 5, "proto_lease_state's words");
_Static_assert(LEASE_CID_MAX == MOAT_DHCP_LEASE_CID_MAX, "client id");
_Static_assert(LEASE_NAME_MAX + 1 == MOAT_DHCP_NAME_MAX, "name");
_Static_assert(LEASE_HW_MAX == MOAT_DHCP_HW_MAX, "hardware address");
_Static_assert(SERVER_IFADDR_MAX == MOAT_DHCP_IFADDR_MAX, "addresses");
_Static_assert(SERVER_HOST_CID_MAX == MOAT_DHCP_CID_MAX, "host id");

#define DHCP_IDS_MAX		65536	/* subnets or hosts of a config */

struct dhcp_config	*dhcp_running;
struct lease_db		*dhcp_db;
static struct dhcp_config *dhcp_pending;
static struct imsgev	 parent_iev;
static int		 names_synced;

void
dhcp_send_parent(uint32_t type, const void *data, size_t len)
{
	if (imsgev_compose(&parent_iev, type, 0, -1, data, len) == -1)
		log_warn("cannot queue %s for the parent", proto_name(type));
}

void
dhcp_lease_to_msg(const struct lease *l, struct msg_lease *m)
{
	memset(m, 0, sizeof(*m));
	m->addr.s_addr = l->addr;
	m->state = l->state;
	m->flags = l->flags;
	m->htype = l->htype;
	m->hlen = l->hlen;
	memcpy(m->hwaddr, l->hwaddr, sizeof(m->hwaddr));
	m->cid_len = l->cid_len;
	memcpy(m->cid, l->cid, sizeof(m->cid));
	strlcpy(m->hostname, l->hostname, sizeof(m->hostname));
	m->start = l->start;
	m->end = l->end;
}

struct dhcp_if *
dhcp_if_find(struct dhcp_config *c, unsigned int ifindex)
{
	struct dhcp_if	*ifp;

	TAILQ_FOREACH(ifp, &c->ifs, entry)
		if (ifp->ifindex == ifindex)
			return ifp;
	return NULL;
}

struct dhcp_if *
dhcp_if_of_addr(struct dhcp_config *c, struct in_addr a)
{
	struct dhcp_if	*ifp;
	uint32_t	 mask;
	size_t		 i;

	TAILQ_FOREACH(ifp, &c->ifs, entry)
		for (i = 0; i < ifp->naddrs; i++) {
			mask = htonl(0xffffffffU << (32 - ifp->addrs[i].prefixlen));
			if ((ifp->addrs[i].addr.s_addr & mask) ==
			    (a.s_addr & mask))
				return ifp;
		}
	return NULL;
}

static void
config_free(struct dhcp_config *c)
{
	struct dhcp_if	*ifp;

	if (c == NULL)
		return;
	while ((ifp = TAILQ_FIRST(&c->ifs)) != NULL) {
		TAILQ_REMOVE(&c->ifs, ifp, entry);
		if (ifp->udp_fd != -1)
			close(ifp->udp_fd);
		if (ifp->pkt_fd != -1)
			close(ifp->pkt_fd);
		free(ifp);
	}
	if (c->icmp_fd != -1)
		close(c->icmp_fd);
	server_free(c->srv);
	free(c->subnets);
	free(c->hosts);
	free(c);
}

static int
refuse(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("parent: %s", msg);
	if (dhcp_pending != NULL)
		dhcp_pending->failed = 1;
	return 0;
}

static int
terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

static int
conf_begin(const struct imsg *imsg)
{
	struct msg_dhcp_begin	 m;
	struct server_settings	 st;

	memcpy(&m, imsg->data, sizeof(m));
	config_free(dhcp_pending);
	if ((dhcp_pending = calloc(1, sizeof(*dhcp_pending))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&dhcp_pending->ifs);
	dhcp_pending->icmp_fd = -1;
	log_setverbose(m.verbose);
	if (!terminated(m.domain, sizeof(m.domain)))
		return refuse("domain not terminated");
	memset(&st, 0, sizeof(st));
	st.offer_hold = m.offer_hold;
	st.quarantine = m.quarantine;
	if (strlcpy(st.domain, m.domain, sizeof(st.domain)) >=
	    sizeof(st.domain))
		return refuse("domain too long");
	if ((dhcp_pending->srv = server_new(dhcp_db, &st)) == NULL)
		fatal("server_new");
	return 0;
}

static int
conf_interface(const struct imsg *imsg)
{
	struct msg_dhcp_interface	 m;
	struct server_if_conf		 ic;
	struct dhcp_if			*ifp;

	memcpy(&m, imsg->data, sizeof(m));
	if (!terminated(m.name, sizeof(m.name)) || m.name[0] == '\0')
		return refuse("interface name not terminated");
	if (m.ping_check > 1)
		return refuse("%s: ping check %u", m.name, m.ping_check);
	memset(&ic, 0, sizeof(ic));
	ic.ifindex = m.ifindex;
	strlcpy(ic.name, m.name, sizeof(ic.name));
	memcpy(ic.hwaddr, m.hwaddr, sizeof(ic.hwaddr));
	ic.lease_time = m.lease_time;
	ic.ping_check = m.ping_check;
	if (server_add_interface(dhcp_pending->srv, &ic) == -1)
		return refuse("interface %s (%u): %s", m.name, m.ifindex,
		    strerror(errno));
	if ((ifp = calloc(1, sizeof(*ifp))) == NULL)
		fatal("calloc");
	ifp->ifindex = m.ifindex;
	strlcpy(ifp->name, m.name, sizeof(ifp->name));
	memcpy(ifp->hwaddr, m.hwaddr, sizeof(ifp->hwaddr));
	ifp->udp_fd = ifp->pkt_fd = -1;
	TAILQ_INSERT_TAIL(&dhcp_pending->ifs, ifp, entry);
	return 0;
}

static int
conf_socket(struct imsg *imsg)
{
	struct msg_dhcp_socket	 m;
	struct dhcp_if		*ifp = NULL;
	int			*slot;
	int			 fd = imsg->fd;

	memcpy(&m, imsg->data, sizeof(m));
	if (m.kind == DHCP_SOCK_ICMP)
		slot = &dhcp_pending->icmp_fd;
	else if ((m.kind == DHCP_SOCK_UDP || m.kind == DHCP_SOCK_PACKET) &&
	    (ifp = dhcp_if_find(dhcp_pending, m.ifindex)) != NULL)
		slot = m.kind == DHCP_SOCK_UDP ? &ifp->udp_fd : &ifp->pkt_fd;
	else
		return refuse("socket of kind %u for interface %u", m.kind,
		    m.ifindex);
	if (*slot != -1)
		return refuse("socket of kind %u for interface %u twice",
		    m.kind, m.ifindex);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	*slot = fd;
	imsg->fd = -1;
	return 0;
}

static int
ifaddrs_apply(struct dhcp_config *c, const struct msg_dhcp_ifaddrs *m)
{
	struct server_ifaddr	 a[SERVER_IFADDR_MAX];
	struct dhcp_if		*ifp;
	size_t			 i;

	if (m->count > MOAT_DHCP_IFADDR_MAX || m->count > SERVER_IFADDR_MAX)
		return refuse("%u addresses for interface %u", m->count,
		    m->ifindex);
	for (i = 0; i < m->count; i++) {
		if (m->addrs[i].prefixlen < 1 || m->addrs[i].prefixlen > 32)
			return refuse("prefix length %u",
			    m->addrs[i].prefixlen);
		a[i].addr = m->addrs[i].addr;
		a[i].prefixlen = m->addrs[i].prefixlen;
	}
	if ((ifp = dhcp_if_find(c, m->ifindex)) == NULL) {
		log_debug("addresses of interface %u, not served",
		    m->ifindex);
		return 0;
	}
	if (server_set_addresses(c->srv, m->ifindex, a, m->count) == -1)
		return refuse("addresses of %s: %s", ifp->name,
		    strerror(errno));
	memcpy(ifp->addrs, a, m->count * sizeof(a[0]));
	ifp->naddrs = m->count;
	log_debug("%s: %u IPv4 addresses", ifp->name, m->count);
	return 0;
}

static int
conf_ifaddrs(const struct imsg *imsg)
{
	struct msg_dhcp_ifaddrs	 m;

	memcpy(&m, imsg->data, sizeof(m));
	if (dhcp_pending != NULL)
		return ifaddrs_apply(dhcp_pending, &m);
	if (dhcp_running != NULL)
		return ifaddrs_apply(dhcp_running, &m);
	return 0;
}

/* the parent numbers subnets and hosts from 1 */
static int
id_slot(void ***arr, size_t *n, uint32_t id)
{
	void	**a;

	if (id == 0 || id > DHCP_IDS_MAX)
		return -1;
	if (id > *n) {
		if ((a = reallocarray(*arr, id, sizeof(*a))) == NULL)
			fatal("reallocarray");
		memset(a + *n, 0, (id - *n) * sizeof(*a));
		*arr = a;
		*n = id;
	}
	return 0;
}

static int
conf_subnet(const struct imsg *imsg)
{
	struct msg_dhcp_subnet	 m;
	struct server_subnet	*sn;

	memcpy(&m, imsg->data, sizeof(m));
	if (id_slot((void ***)&dhcp_pending->subnets, &dhcp_pending->nsubnets,
	    m.subnet) == -1 || dhcp_pending->subnets[m.subnet - 1] != NULL)
		return refuse("subnet number %u", m.subnet);
	if (m.prefixlen > 32 || (sn = server_add_subnet(dhcp_pending->srv,
	    m.ifindex, m.network, (int)m.prefixlen, m.lease_time)) == NULL)
		return refuse("subnet %s/%u: %s", inet_ntoa(m.network),
		    m.prefixlen, strerror(errno));
	dhcp_pending->subnets[m.subnet - 1] = sn;
	return 0;
}

static struct server_subnet *
subnet_of(uint32_t id)
{
	if (id == 0 || id > dhcp_pending->nsubnets)
		return NULL;
	return dhcp_pending->subnets[id - 1];
}

static struct server_host *
host_of(uint32_t id)
{
	if (id == 0 || id > dhcp_pending->nhosts)
		return NULL;
	return dhcp_pending->hosts[id - 1];
}

static int
conf_range(const struct imsg *imsg)
{
	struct msg_dhcp_range	 m;
	struct server_subnet	*sn;
	char			 first[INET_ADDRSTRLEN];
	int			 rv;

	memcpy(&m, imsg->data, sizeof(m));
	inet_ntop(AF_INET, &m.first, first, sizeof(first));
	if (m.bootp > 1)
		return refuse("range %s: bootp %u", first, m.bootp);
	if (m.subnet == 0)
		rv = server_if_range(dhcp_pending->srv, m.ifindex, m.first,
		    m.last, (int)m.bootp);
	else if ((sn = subnet_of(m.subnet)) == NULL)
		return refuse("range %s: no subnet %u", first, m.subnet);
	else
		rv = server_subnet_range(dhcp_pending->srv, sn, m.first,
		    m.last, (int)m.bootp);
	if (rv == -1)
		return refuse("range %s-%s: %s", first, inet_ntoa(m.last),
		    strerror(errno));
	return 0;
}

static int
conf_host(const struct imsg *imsg)
{
	struct msg_dhcp_host	 m;
	struct server_host_conf	 hc;
	struct server_host	*h;

	memcpy(&m, imsg->data, sizeof(m));
	if (!terminated(m.name, sizeof(m.name)))
		return refuse("host name not terminated");
	if (m.cid_len > sizeof(m.cid) || m.cid_len > sizeof(hc.cid) ||
	    m.has_hwaddr > 1)
		return refuse("host \"%s\": bad identity", m.name);
	if (id_slot((void ***)&dhcp_pending->hosts, &dhcp_pending->nhosts,
	    m.host) == -1 || dhcp_pending->hosts[m.host - 1] != NULL)
		return refuse("host number %u", m.host);
	memset(&hc, 0, sizeof(hc));
	if (strlcpy(hc.name, m.name, sizeof(hc.name)) >= sizeof(hc.name))
		return refuse("host name \"%s\" too long", m.name);
	hc.has_hwaddr = m.has_hwaddr;
	memcpy(hc.hwaddr, m.hwaddr, sizeof(hc.hwaddr));
	memcpy(hc.cid, m.cid, m.cid_len);
	hc.cid_len = m.cid_len;
	hc.address = m.address;
	if ((h = server_add_host(dhcp_pending->srv, m.ifindex, &hc)) == NULL)
		return refuse("host \"%s\": %s", m.name, strerror(errno));
	dhcp_pending->hosts[m.host - 1] = h;
	return 0;
}

static int
conf_option(const struct imsg *imsg)
{
	struct msg_dhcp_option	 m;
	struct server_subnet	*sn;
	struct server_host	*h;
	int			 rv;

	memcpy(&m, imsg->data, sizeof(m));
	if (m.code < 1 || m.code > 254 || m.len > sizeof(m.data))
		return refuse("option %u of %u bytes", m.code, m.len);
	switch (m.scope) {
	case DHCP_SCOPE_INTERFACE:
		rv = server_if_option(dhcp_pending->srv, m.ifindex,
		    (uint8_t)m.code, m.data, m.len);
		break;
	case DHCP_SCOPE_SUBNET:
		if ((sn = subnet_of(m.id)) == NULL)
			return refuse("option %u: no subnet %u", m.code, m.id);
		rv = server_subnet_option(sn, (uint8_t)m.code, m.data, m.len);
		break;
	case DHCP_SCOPE_HOST:
		if ((h = host_of(m.id)) == NULL)
			return refuse("option %u: no host %u", m.code, m.id);
		rv = server_host_option(h, (uint8_t)m.code, m.data, m.len);
		break;
	default:
		return refuse("option %u of scope %u", m.code, m.scope);
	}
	if (rv == -1)
		return refuse("option %u: %s", m.code, strerror(errno));
	return 0;
}

static int
names_sync_one(const struct lease *l, void *arg)
{
	struct msg_lease_event	 m;
	struct dhcp_if		*ifp;
	struct in_addr		 a;

	if (l->state != LEASE_BOUND || l->hostname[0] == '\0')
		return 0;
	memset(&m, 0, sizeof(m));
	m.type = LEASE_EVENT_SYNC;
	a.s_addr = l->addr;
	if ((ifp = dhcp_if_of_addr(dhcp_running, a)) != NULL)
		strlcpy(m.ifname, ifp->name, sizeof(m.ifname));
	dhcp_lease_to_msg(l, &m.lease);
	dhcp_send_parent(IMSG_DHCP_LEASE_EVENT, &m, sizeof(m));
	return 0;
}

static void
conf_end(void)
{
	struct dhcp_config	*old = dhcp_running;
	struct dhcp_if		*ifp;
	int			 n = 0;

	if (dhcp_pending->failed) {
		log_warnx("configuration refused, %s", old != NULL ?
		    "the running one stays" : "not serving");
		config_free(dhcp_pending);
		dhcp_pending = NULL;
		return;
	}
	if (server_start(dhcp_pending->srv) == -1)
		fatal("server_start");
	dhcp_running = dhcp_pending;
	dhcp_pending = NULL;
	if (old != NULL) {
		io_stop(old);
		config_free(old);
	}
	io_start(dhcp_running);
	TAILQ_FOREACH(ifp, &dhcp_running->ifs, entry)
		n++;
	log_debug("configuration: %d interfaces", n);
	if (!names_synced) {
		dhcp_send_parent(IMSG_DHCP_NAMES_RESET, NULL, 0);
		lease_db_walk(dhcp_db, names_sync_one, NULL);
		names_synced = 1;
	}
	io_arm_expiry();
}

static int
conf_dispatch(struct imsg *imsg)
{
	if (imsg->hdr.type == IMSG_DHCP_CONF_BEGIN)
		return conf_begin(imsg);
	if (imsg->hdr.type == IMSG_DHCP_IFADDRS)
		return conf_ifaddrs(imsg);
	if (dhcp_pending == NULL) {
		log_warnx("parent: %s outside a configuration",
		    proto_name(imsg->hdr.type));
		return -1;
	}
	/* after a refusal the rest of the transaction is only read */
	if (dhcp_pending->failed && imsg->hdr.type != IMSG_DHCP_CONF_END)
		return 0;
	switch (imsg->hdr.type) {
	case IMSG_DHCP_CONF_INTERFACE:
		return conf_interface(imsg);
	case IMSG_DHCP_CONF_SOCKET:
		return conf_socket(imsg);
	case IMSG_DHCP_CONF_SUBNET:
		return conf_subnet(imsg);
	case IMSG_DHCP_CONF_RANGE:
		return conf_range(imsg);
	case IMSG_DHCP_CONF_HOST:
		return conf_host(imsg);
	case IMSG_DHCP_CONF_OPTION:
		return conf_option(imsg);
	case IMSG_DHCP_CONF_END:
		conf_end();
		return 0;
	}
	return -1;
}

/*
 * show leases: the addresses are taken at once, the leases sent a batch
 * at a time, each when the channel to the parent has drained below a
 * low mark, so that 100,000 leases (22 MB of messages) never fill the
 * channel's bound.  A lease that changed meanwhile is sent as it is
 * then; one that is gone is left out.
 */
#define CTL_BATCH		2048
#define CTL_QUEUE_LOW		(2 * 1024 * 1024)
#define CTL_STREAMS_MAX		8
#define CTL_PACE_MS		5

struct ctl_stream {
	TAILQ_ENTRY(ctl_stream)	 entry;
	uint32_t		 peerid;
	uint32_t		*addrs;
	size_t			 n, cap, next;
};
static TAILQ_HEAD(, ctl_stream)	 ctl_streams =
    TAILQ_HEAD_INITIALIZER(ctl_streams);
static size_t			 nctl_streams;
static struct event		 ctl_ev;

static int
ctl_collect(const struct lease *l, void *arg)
{
	struct ctl_stream	*cs = arg;
	size_t			 cap;

	if (l->state == LEASE_FREE)
		return 0;
	if (cs->n == cs->cap) {
		cap = cs->cap ? cs->cap * 2 : 1024;
		if ((cs->addrs = reallocarray(cs->addrs, cap,
		    sizeof(*cs->addrs))) == NULL)
			fatal("reallocarray");
		cs->cap = cap;
	}
	cs->addrs[cs->n++] = l->addr;
	return 0;
}

static void
ctl_send_lease(uint32_t peerid, const struct lease *l)
{
	struct msg_ctl_lease	 m;
	struct dhcp_if		*ifp;
	struct in_addr		 a;

	memset(&m, 0, sizeof(m));
	a.s_addr = l->addr;
	if (dhcp_running != NULL &&
	    (ifp = dhcp_if_of_addr(dhcp_running, a)) != NULL)
		strlcpy(m.ifname, ifp->name, sizeof(m.ifname));
	dhcp_lease_to_msg(l, &m.lease);
	if (imsgev_compose(&parent_iev, IMSG_CTL_LEASE, peerid, -1, &m,
	    sizeof(m)) == -1)
		log_warn("cannot queue a lease for moatctl");
}

/* one batch of one stream; 1 when it is done */
static int
ctl_stream_step(struct ctl_stream *cs)
{
	const struct lease	*l;
	size_t			 sent = 0;

	while (cs->next < cs->n && sent < CTL_BATCH) {
		if (imsg_queued(&parent_iev.ibuf) >= CTL_QUEUE_LOW)
			return 0;
		l = lease_db_find_addr(dhcp_db, cs->addrs[cs->next++]);
		if (l == NULL || l->state == LEASE_FREE)
			continue;
		ctl_send_lease(cs->peerid, l);
		sent++;
	}
	if (cs->next < cs->n)
		return 0;
	engine_ctl_result(&parent_iev, cs->peerid, 1, "");
	return 1;
}

static void
ctl_pace(void)
{
	struct timeval	 tv = { 0, CTL_PACE_MS * 1000 };

	if (!TAILQ_EMPTY(&ctl_streams) && !evtimer_pending(&ctl_ev, NULL))
		evtimer_add(&ctl_ev, &tv);
}

static void
ctl_stream_cb(int fd, short ev, void *arg)
{
	struct ctl_stream	*cs, *next;

	TAILQ_FOREACH_SAFE(cs, &ctl_streams, entry, next) {
		if (!ctl_stream_step(cs))
			continue;
		TAILQ_REMOVE(&ctl_streams, cs, entry);
		nctl_streams--;
		free(cs->addrs);
		free(cs);
	}
	ctl_pace();
}

static int
ctl_dispatch(struct imsg *imsg)
{
	struct ctl_stream	*cs;

	if (nctl_streams == CTL_STREAMS_MAX) {
		engine_ctl_result(&parent_iev, imsg->hdr.peerid, 0,
		    "too many lease listings at once, try again");
		return 0;
	}
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		fatal("calloc");
	cs->peerid = imsg->hdr.peerid;
	lease_db_walk(dhcp_db, ctl_collect, cs);
	TAILQ_INSERT_TAIL(&ctl_streams, cs, entry);
	nctl_streams++;
	ctl_stream_cb(-1, 0, NULL);
	return 0;
}

static int
parent_dispatch(struct imsg *imsg)
{
	switch (imsg->hdr.type) {
	case IMSG_DHCP_CONF_BEGIN:
	case IMSG_DHCP_CONF_INTERFACE:
	case IMSG_DHCP_CONF_SOCKET:
	case IMSG_DHCP_CONF_SUBNET:
	case IMSG_DHCP_CONF_RANGE:
	case IMSG_DHCP_CONF_HOST:
	case IMSG_DHCP_CONF_OPTION:
	case IMSG_DHCP_CONF_END:
	case IMSG_DHCP_IFADDRS:
		return conf_dispatch(imsg);
	case IMSG_CTL_SHOW_LEASES:
		return ctl_dispatch(imsg);
	}
	return ENGINE_MSG_UNKNOWN;
}

int
main(int argc, char *argv[], char *envp[])
{
	const char	*root;

	root = engine_proc_start(argc, argv, envp, "dhcp engine",
	    dhcp_engine_calls);
	/* the chroot is the state directory: the database is here */
	if ((dhcp_db = lease_db_open(AT_FDCWD, NULL)) == NULL)
		fatalx("cannot open the lease database in %s", root);
	io_init();
	evtimer_set(&ctl_ev, ctl_stream_cb, NULL);
	engine_proc_run(&parent_iev, parent_dispatch);
}
