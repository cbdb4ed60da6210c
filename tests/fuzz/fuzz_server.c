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

/*
 * The server's decisions over a sequence of packets.  The input is a
 * series of records: a control byte, a length (two bytes, big endian)
 * and that many bytes of packet.  The control byte picks the interface
 * (bits 0-1: LAN, SMALL with ping check, an unknown one, LAN again),
 * unicast (bit 2), how far the clock moves first (bits 3-5), whether the
 * expiry runs first (bit 6) and whether the database commits after
 * (bit 7).  Packets that dhcp_wire refuses are skipped, as the engine
 * would.  A SERVER_PING is answered at once, "answered" being the low bit
 * of the xid, a few times in a row at most.
 *
 * After each decision: every reply parses, is a BOOTREPLY with the
 * request's xid and fits what the client takes; an OFFER or ACK gives
 * an address of a range or of a host; an ACK never takes an address
 * bound to another client; every bound lease is in a range or a host's
 * fixed address; no more events than the result holds.  Every broken
 * promise is an abort().  Each input gets a fresh database in a
 * directory made under $TMPDIR (default /tmp) and removed after.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "dhcp_wire.h"
#include "leases.h"
#include "log.h"
#include "server.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define IF_LAN		1	/* 192.168.1.1/24, relayed 10.60.0.0/24 */
#define IF_SMALL	2	/* 172.20.0.1/24, ping check */
#define IF_UNKNOWN	9
#define MAX_RECORDS	64
#define MAX_PINGS	4
#define T0		1700000000

static const time_t	 steps[8] = { 0, 1, 10, 59, 61, 300, 3600, 86400 };

/* where addresses may go: [first, last] in host order */
static const struct {
	const char	*first;
	const char	*last;
} allowed[] = {
	{ "192.168.1.100", "192.168.1.120" },	/* LAN dynamic */
	{ "192.168.1.50", "192.168.1.53" },	/* LAN bootp */
	{ "10.60.0.100", "10.60.0.104" },	/* relayed */
	{ "172.20.0.10", "172.20.0.13" },	/* SMALL */
	{ "192.168.1.10", "192.168.1.11" },	/* hosts */
	{ "10.60.0.7", "10.60.0.7" },		/* a host, relayed */
};

static struct dhcp_msg		 req, rep;
static struct server_result	 res;

static uint32_t
A(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a.s_addr;
}

static int
is_allowed(uint32_t addr)
{
	uint32_t	 a = ntohl(addr);
	size_t		 i;

	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (a >= ntohl(A(allowed[i].first)) &&
		    a <= ntohl(A(allowed[i].last)))
			return 1;
	return 0;
}

static void
iface(struct server *srv, unsigned int ifindex, const char *addr, int ping)
{
	struct server_if_conf	 ic;
	struct server_ifaddr	 ia;

	memset(&ic, 0, sizeof(ic));
	ic.ifindex = ifindex;
	snprintf(ic.name, sizeof(ic.name), "if%u", ifindex);
	ic.lease_time = 600;
	ic.ping_check = ping;
	if (server_add_interface(srv, &ic) == -1)
		abort();
	ia.addr.s_addr = A(addr);
	ia.prefixlen = 24;
	if (server_set_addresses(srv, ifindex, &ia, 1) == -1)
		abort();
}

static void
range(struct server *srv, unsigned int ifindex, struct server_subnet *sn,
    const char *first, const char *last, int bootp)
{
	struct in_addr	 f, l;
	int		 rv;

	f.s_addr = A(first);
	l.s_addr = A(last);
	if (sn != NULL)
		rv = server_subnet_range(srv, sn, f, l, bootp);
	else
		rv = server_if_range(srv, ifindex, f, l, bootp);
	if (rv == -1)
		abort();
}

static void
host(struct server *srv, const char *name, const uint8_t *hw,
    const uint8_t *cid, size_t cid_len, const char *addr)
{
	struct server_host_conf	 hc;
	struct server_host	*h;

	memset(&hc, 0, sizeof(hc));
	strlcpy(hc.name, name, sizeof(hc.name));
	if (hw != NULL) {
		hc.has_hwaddr = 1;
		memcpy(hc.hwaddr, hw, 6);
	}
	if (cid_len > 0)
		memcpy(hc.cid, cid, cid_len);
	hc.cid_len = cid_len;
	hc.address.s_addr = A(addr);
	if ((h = server_add_host(srv, IF_LAN, &hc)) == NULL ||
	    server_host_option(h, 66, "tftp", 4) == -1)
		abort();
}

static struct server *
configure(struct lease_db *db)
{
	static const uint8_t	 hw1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t	 hw2[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t	 cid3[] = { 1, 2, 0, 0, 0, 0, 3 };
	struct server_settings	 set;
	struct server_subnet	*sn;
	struct server		*srv;
	uint32_t		 router = A("192.168.1.1");
	struct in_addr		 net;

	memset(&set, 0, sizeof(set));
	set.quarantine = 300;
	strlcpy(set.domain, "lan", sizeof(set.domain));
	if ((srv = server_new(db, &set)) == NULL)
		abort();
	iface(srv, IF_LAN, "192.168.1.1", 0);
	range(srv, IF_LAN, NULL, "192.168.1.100", "192.168.1.120", 0);
	range(srv, IF_LAN, NULL, "192.168.1.50", "192.168.1.53", 1);
	if (server_if_option(srv, IF_LAN, 3, &router, 4) == -1 ||
	    server_if_option(srv, IF_LAN, 15, "lan", 3) == -1)
		abort();
	net.s_addr = A("10.60.0.0");
	if ((sn = server_add_subnet(srv, IF_LAN, net, 24, 300)) == NULL)
		abort();
	range(srv, IF_LAN, sn, "10.60.0.100", "10.60.0.104", 0);
	host(srv, "one", hw1, NULL, 0, "192.168.1.10");
	host(srv, "two", hw2, NULL, 0, "192.168.1.110");	/* in a range */
	host(srv, "three", NULL, cid3, sizeof(cid3), "192.168.1.11");
	host(srv, "relayed", NULL, (const uint8_t *)"\0abc", 4, "10.60.0.7");
	iface(srv, IF_SMALL, "172.20.0.1", 1);
	range(srv, IF_SMALL, NULL, "172.20.0.10", "172.20.0.13", 0);
	if (server_start(srv) == -1)
		abort();
	return srv;
}

struct snap {
	struct lease	 v[64];
	size_t		 n;
};

static int
snap_cb(const struct lease *l, void *arg)
{
	struct snap	*s = arg;

	if (l->state == LEASE_BOUND) {
		/* a bound lease only where the configuration allows one */
		if (!is_allowed(l->addr))
			abort();
		if (s->n < sizeof(s->v) / sizeof(s->v[0]))
			s->v[s->n++] = *l;
	}
	return 0;
}

/* b is the lease of a's client: by client id if a had one, else hardware */
static int
same_owner(const struct lease *a, const struct lease *b)
{
	if (a->cid_len > 0)
		return a->cid_len == b->cid_len &&
		    memcmp(a->cid, b->cid, a->cid_len) == 0;
	return a->htype == b->htype && a->hlen == b->hlen &&
	    memcmp(a->hwaddr, b->hwaddr, a->hlen) == 0;
}

/* FUZZ_SERVER_DEBUG set: what happened, to read a reproducer */
static void
show(void)
{
	char	 a[INET_ADDRSTRLEN];

	if (getenv("FUZZ_SERVER_DEBUG") == NULL)
		return;
	inet_ntop(AF_INET, &rep.yiaddr, a, sizeof(a));
	fprintf(stderr, "type %u xid %08x: action %d reply %u yiaddr %s "
	    "commit %d events %zu: %s\n", req.type, req.xid, res.action,
	    res.type, res.action == SERVER_REPLY ? a : "-", res.wait_commit,
	    res.nevents, res.reason);
}

static void
check(struct lease_db *db, const struct snap *before)
{
	const struct lease	*l;
	uint32_t		 yi;
	size_t			 i;

	memset(&rep.yiaddr, 0, sizeof(rep.yiaddr));

	if (res.nevents > SERVER_EVENTS_MAX)
		abort();
	if (memchr(res.reason, '\0', sizeof(res.reason)) == NULL)
		abort();
	if (res.action != SERVER_REPLY) {
		show();
		return;
	}
	if (res.len == 0 || res.len > sizeof(res.pkt) ||
	    dhcp_msg_parse(res.pkt, res.len, &rep, NULL) != 0 ||
	    rep.op != DHCP_BOOTREPLY || rep.xid != req.xid ||
	    rep.type != res.type || res.len > dhcp_msg_max_reply(&req))
		abort();
	show();
	yi = rep.yiaddr.s_addr;
	if (res.type == DHCPNAK) {
		if (yi != 0 || res.wait_commit)
			abort();
		return;
	}
	if (yi == 0) {
		/* only INFORM answers without an address */
		if (req.type != DHCPINFORM || res.type != DHCPACK)
			abort();
		return;
	}
	if (!is_allowed(yi))
		abort();
	if (res.type != DHCPACK && res.type != 0)
		return;
	if (!res.wait_commit)
		abort();
	if ((l = lease_db_find_addr(db, yi)) == NULL ||
	    l->state != LEASE_BOUND)
		abort();
	for (i = 0; i < before->n; i++)
		if (before->v[i].addr == yi && !same_owner(&before->v[i], l))
			abort();
}

static void
remove_dir(const char *path, int dfd)
{
	DIR		*dp;
	struct dirent	*de;

	if ((dp = fdopendir(dfd)) == NULL) {
		close(dfd);
		rmdir(path);
		return;
	}
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			unlinkat(dirfd(dp), de->d_name, 0);
	closedir(dp);
	rmdir(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 logged;
	static const unsigned int ifs[4] = { IF_LAN, IF_SMALL, IF_UNKNOWN,
	    IF_LAN };
	struct snap		 before;
	struct lease_db		*db;
	struct server		*srv;
	const char		*tmp;
	char			 path[256];
	size_t			 pos = 0, len, records = 0;
	time_t			 now = T0;
	uint8_t			 ctl;
	int			 dfd, pings;

	if (!logged) {
		log_init(0, LOG_DAEMON);
		logged = 1;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(path, sizeof(path), "%s/fuzz_server.XXXXXX", tmp);
	if (mkdtemp(path) == NULL)
		abort();
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY)) == -1)
		abort();
	if ((db = lease_db_open(dfd, NULL)) == NULL)
		abort();
	srv = configure(db);

	while (size - pos >= 3 && records++ < MAX_RECORDS) {
		ctl = data[pos];
		len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		now += steps[(ctl >> 3) & 7];
		if (ctl & 0x40)
			server_expire(srv, now, NULL, NULL);
		if (dhcp_msg_parse(data + pos, len, &req, NULL) == 0) {
			before.n = 0;
			lease_db_walk(db, snap_cb, &before);
			server_handle(srv, &req, ifs[ctl & 3], (ctl >> 2) & 1,
			    now, &res);
			check(db, &before);
			for (pings = 0; res.action == SERVER_PING &&
			    pings < MAX_PINGS; pings++) {
				before.n = 0;
				lease_db_walk(db, snap_cb, &before);
				server_ping_result(srv, &req, ifs[ctl & 3],
				    res.ping_addr, req.xid & 1, now, &res);
				check(db, &before);
			}
		}
		pos += len;
		if ((ctl & 0x80) && lease_db_commit(db) == -1)
			abort();
	}
	before.n = 0;
	lease_db_walk(db, snap_cb, &before);

	server_free(srv);
	lease_db_close(db);
	remove_dir(path, dfd);
	return 0;
}
