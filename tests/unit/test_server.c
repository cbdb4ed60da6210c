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
 * The server's decisions (dhcp-engine/server.c) with client packets laid
 * out by hand and replies read back with dhcp_wire's parser, over a real
 * lease database in a temporary directory.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dhcp_wire.h"
#include "leases.h"
#include "server.h"

#define T0		1700000000
#define LAN		1	/* 192.168.1.1/24, relayed 10.60.0.0/24 */
#define SMALL		2	/* 172.20.0.1/24, three addresses */
#define BIG		3	/* 10.0.0.1/14 */
#define PINGED		4	/* 172.21.0.1/24, three, ping check */
#define QUARANTINE	600

struct fix {
	char		 path[64];
	int		 dfd;
	struct lease_db	*db;
	struct server	*srv;
};

struct pkt {
	uint8_t		 b[1024];
	size_t		 len;
};

static struct pkt		 P;
static struct dhcp_msg		 req, rep;
static struct server_result	 res;

static uint32_t
A(const char *s)
{
	struct in_addr	 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static struct in_addr
IN(const char *s)
{
	struct in_addr	 a;

	a.s_addr = A(s);
	return a;
}

/* packets from client n: chaddr 02:00:00:nn:nn:nn */

static void
pk_new(uint8_t type, unsigned int n, uint32_t xid)
{
	static const uint8_t	 cookie[4] = { 99, 130, 83, 99 };

	memset(&P, 0, sizeof(P));
	P.b[0] = DHCP_BOOTREQUEST;
	P.b[1] = DHCP_HTYPE_ETHER;
	P.b[2] = 6;
	P.b[4] = xid >> 24;
	P.b[5] = xid >> 16;
	P.b[6] = xid >> 8;
	P.b[7] = xid;
	P.b[28] = 0x02;
	P.b[31] = n >> 16;
	P.b[32] = n >> 8;
	P.b[33] = n;
	memcpy(P.b + 236, cookie, 4);
	P.len = 240;
	if (type != 0) {
		P.b[P.len++] = DHO_MESSAGE_TYPE;
		P.b[P.len++] = 1;
		P.b[P.len++] = type;
	}
}

static void
pk_opt(uint8_t code, const void *v, size_t len)
{
	P.b[P.len++] = code;
	P.b[P.len++] = (uint8_t)len;
	memcpy(P.b + P.len, v, len);
	P.len += len;
}

static void
pk_ip(uint8_t code, const char *s)
{
	uint32_t	 a = A(s);

	pk_opt(code, &a, 4);
}

static void
pk_str(uint8_t code, const char *s)
{
	pk_opt(code, s, strlen(s));
}

/* ciaddr at 12, giaddr at 24 */
static void
pk_field(size_t off, const char *s)
{
	uint32_t	 a = A(s);

	memcpy(P.b + off, &a, 4);
}

static void
pk_hw(const uint8_t *hw)
{
	memcpy(P.b + 28, hw, 6);
}

static void
pk_done(void)
{
	P.b[P.len++] = DHO_END;
	if (P.len < DHCP_BOOTP_MIN)
		P.len = DHCP_BOOTP_MIN;
	assert_int_equal(dhcp_msg_parse(P.b, P.len, &req, NULL), 0);
}

static struct server_result *
run_on(struct fix *f, unsigned int ifindex, int unicast, time_t now)
{
	const char	*why = NULL;

	pk_done();
	server_handle(f->srv, &req, ifindex, unicast, now, &res);
	if (res.action == SERVER_REPLY) {
		if (dhcp_msg_parse(res.pkt, res.len, &rep, &why) != 0)
			fail_msg("reply does not parse: %s", why);
		assert_int_equal(rep.op, DHCP_BOOTREPLY);
		assert_int_equal(rep.xid, req.xid);
		assert_int_equal(rep.type, res.type);
		assert_true(res.len <= dhcp_msg_max_reply(&req));
	}
	return &res;
}

static struct server_result *
run(struct fix *f, time_t now)
{
	return run_on(f, LAN, 0, now);
}

static int
rep_u32(uint8_t code, uint32_t *v)
{
	const uint8_t	*p;
	size_t		 l;

	if (!dhcp_msg_option(&rep, code, &p, &l) || l != 4)
		return -1;
	*v = ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
	return 0;
}

static uint32_t
rep_addr(uint8_t code)
{
	const uint8_t	*p;
	size_t		 l;
	uint32_t	 a;

	if (!dhcp_msg_option(&rep, code, &p, &l) || l != 4)
		return 0;
	memcpy(&a, p, 4);
	return a;
}

static const struct lease *
lease_at(struct fix *f, const char *s)
{
	return lease_db_find_addr(f->db, A(s));
}

static void
commit(struct fix *f)
{
	assert_int_equal(lease_db_commit(f->db), 0);
}

static void
must_drop(const char *what)
{
	assert_int_equal(res.action, SERVER_DROP);
	if (what != NULL && strstr(res.reason, what) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", res.reason, what);
}

/* DISCOVER and REQUEST on ifindex; the address ACKed */
static uint32_t
dora_on(struct fix *f, unsigned int ifindex, unsigned int n,
    const char *name, time_t now)
{
	uint32_t	 yi, sid, xid = 0x1000 + n;

	pk_new(DHCPDISCOVER, n, xid);
	if (name != NULL)
		pk_str(DHO_HOST_NAME, name);
	run_on(f, ifindex, 0, now);
	if (res.action != SERVER_REPLY)
		fail_msg("client %u: no offer: %s", n, res.reason);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(res.wait_commit, 0);
	yi = rep.yiaddr.s_addr;
	sid = rep_addr(DHO_SERVER_ID);
	assert_int_not_equal(sid, 0);

	pk_new(DHCPREQUEST, n, xid);
	pk_opt(DHO_REQUESTED_ADDRESS, &yi, 4);
	pk_opt(DHO_SERVER_ID, &sid, 4);
	if (name != NULL)
		pk_str(DHO_HOST_NAME, name);
	run_on(f, ifindex, 0, now);
	if (res.action != SERVER_REPLY)
		fail_msg("client %u: no ack: %s", n, res.reason);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(rep.yiaddr.s_addr, yi);
	assert_int_equal(res.wait_commit, 1);
	return yi;
}

static uint32_t
dora(struct fix *f, unsigned int n, const char *name, time_t now)
{
	return dora_on(f, LAN, n, name, now);
}

static void
iface(struct server *srv, unsigned int ifindex, const char *name,
    const char *addr, int plen, uint32_t lt, int ping)
{
	struct server_if_conf	 ic;
	struct server_ifaddr	 ia;

	memset(&ic, 0, sizeof(ic));
	ic.ifindex = ifindex;
	strlcpy(ic.name, name, sizeof(ic.name));
	ic.hwaddr[0] = 0x02;
	ic.hwaddr[5] = 0xaa;
	ic.lease_time = lt;
	ic.ping_check = ping;
	assert_int_equal(server_add_interface(srv, &ic), 0);
	ia.addr = IN(addr);
	ia.prefixlen = plen;
	assert_int_equal(server_set_addresses(srv, ifindex, &ia, 1), 0);
}

static void
configure(struct server *srv)
{
	struct server_subnet	*sn;
	struct server_host_conf	 hc;
	struct server_host	*h;
	uint32_t		 router = A("192.168.1.1");
	uint32_t		 router2 = A("10.60.0.1");
	uint32_t		 dns = A("192.168.1.53");
	static const uint8_t	 mac_printer[6] = { 0, 0x11, 0x22, 0x33, 0x44,
	    0x55 };
	static const uint8_t	 cid_camera[] = { 0, 'c', 'a', 'm' };

	iface(srv, LAN, "lan0", "192.168.1.1", 24, 3600, 0);
	assert_int_equal(server_if_range(srv, LAN, IN("192.168.1.100"),
	    IN("192.168.1.199"), 0), 0);
	assert_int_equal(server_if_range(srv, LAN, IN("192.168.1.50"),
	    IN("192.168.1.59"), 1), 0);
	assert_int_equal(server_if_option(srv, LAN, DHO_ROUTERS, &router, 4),
	    0);
	assert_int_equal(server_if_option(srv, LAN, DHO_DNS_SERVERS, &dns, 4),
	    0);
	assert_int_equal(server_if_option(srv, LAN, DHO_DOMAIN_NAME, "lan",
	    3), 0);

	assert_non_null(sn = server_add_subnet(srv, LAN, IN("10.60.0.0"), 24,
	    7200));
	assert_int_equal(server_subnet_range(srv, sn, IN("10.60.0.100"),
	    IN("10.60.0.150"), 0), 0);
	assert_int_equal(server_subnet_option(sn, DHO_ROUTERS, &router2, 4),
	    0);

	memset(&hc, 0, sizeof(hc));
	strlcpy(hc.name, "printer", sizeof(hc.name));
	hc.has_hwaddr = 1;
	memcpy(hc.hwaddr, mac_printer, 6);
	hc.address = IN("192.168.1.10");
	assert_non_null(h = server_add_host(srv, LAN, &hc));
	assert_int_equal(server_host_option(h, DHO_TFTP_SERVER_NAME, "tftp",
	    4), 0);

	memset(&hc, 0, sizeof(hc));
	strlcpy(hc.name, "Camera_1", sizeof(hc.name));
	memcpy(hc.cid, cid_camera, sizeof(cid_camera));
	hc.cid_len = sizeof(cid_camera);
	hc.address = IN("192.168.1.11");
	assert_non_null(server_add_host(srv, LAN, &hc));

	/* a host whose address lies in the dynamic range */
	memset(&hc, 0, sizeof(hc));
	hc.has_hwaddr = 1;
	hc.hwaddr[0] = 0x02;
	hc.hwaddr[5] = 0xee;
	hc.address = IN("192.168.1.100");
	assert_non_null(server_add_host(srv, LAN, &hc));

	iface(srv, SMALL, "small0", "172.20.0.1", 24, 600, 0);
	assert_int_equal(server_if_range(srv, SMALL, IN("172.20.0.10"),
	    IN("172.20.0.12"), 0), 0);

	iface(srv, BIG, "big0", "10.0.0.1", 14, 0, 0);
	assert_int_equal(server_if_range(srv, BIG, IN("10.0.0.10"),
	    IN("10.3.255.250"), 0), 0);

	iface(srv, PINGED, "ping0", "172.21.0.1", 24, 600, 1);
	assert_int_equal(server_if_range(srv, PINGED, IN("172.21.0.10"),
	    IN("172.21.0.12"), 0), 0);
}

static int
setup(void **state)
{
	struct fix		*f;
	struct server_settings	 set;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	strlcpy(f->path, "/tmp/test_server.XXXXXX", sizeof(f->path));
	if (mkdtemp(f->path) == NULL ||
	    (f->dfd = open(f->path, O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	if ((f->db = lease_db_open(f->dfd, NULL)) == NULL)
		return -1;
	memset(&set, 0, sizeof(set));
	set.quarantine = QUARANTINE;
	strlcpy(set.domain, "lan", sizeof(set.domain));
	if ((f->srv = server_new(f->db, &set)) == NULL)
		return -1;
	configure(f->srv);
	if (server_start(f->srv) == -1)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;
	DIR		*dp;
	struct dirent	*de;

	server_free(f->srv);
	lease_db_close(f->db);
	if ((dp = fdopendir(f->dfd)) != NULL) {
		while ((de = readdir(dp)) != NULL)
			if (de->d_name[0] != '.')
				unlinkat(dirfd(dp), de->d_name, 0);
		closedir(dp);
	}
	rmdir(f->path);
	free(f);
	return 0;
}

static int
in_range(uint32_t a, const char *lo, const char *hi)
{
	return ntohl(a) >= ntohl(A(lo)) && ntohl(a) <= ntohl(A(hi));
}

static void
test_config_refused(void **state)
{
	struct fix		*f = *state;
	struct server_host_conf	 hc;
	uint32_t		 v = 1;

	errno = 0;
	assert_int_equal(server_if_range(f->srv, LAN, IN("192.168.1.150"),
	    IN("192.168.1.210"), 0), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(server_if_range(f->srv, 99, IN("192.168.1.1"),
	    IN("192.168.1.2"), 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(server_if_range(f->srv, LAN, IN("192.168.1.9"),
	    IN("192.168.1.8"), 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(server_if_option(f->srv, LAN, DHO_LEASE_TIME, &v, 4),
	    -1);
	assert_int_equal(server_if_option(f->srv, LAN, DHO_END, &v, 4), -1);
	assert_null(server_add_subnet(f->srv, LAN, IN("10.61.0.1"), 24, 0));
	memset(&hc, 0, sizeof(hc));
	assert_null(server_add_host(f->srv, LAN, &hc));
	assert_int_equal(errno, EINVAL);
}

static void
test_dora(void **state)
{
	struct fix		*f = *state;
	const struct lease	*l;
	uint32_t		 yi, sid, v;
	static const uint8_t	 prl[] = { 1, 3, 6, 15, 51, 54 };

	pk_new(DHCPDISCOVER, 1, 42);
	pk_opt(DHO_PARAMETER_LIST, prl, sizeof(prl));
	pk_str(DHO_HOST_NAME, "laptop");
	run(f, T0);
	assert_int_equal(res.action, SERVER_REPLY);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(res.wait_commit, 0);
	yi = rep.yiaddr.s_addr;
	assert_true(in_range(yi, "192.168.1.101", "192.168.1.199"));
	assert_int_equal(rep.ciaddr.s_addr, 0);
	sid = rep_addr(DHO_SERVER_ID);
	assert_int_equal(sid, A("192.168.1.1"));
	assert_int_equal(rep_addr(DHO_SUBNET_MASK), A("255.255.255.0"));
	assert_int_equal(rep_addr(DHO_ROUTERS), A("192.168.1.1"));
	assert_int_equal(rep_addr(DHO_DNS_SERVERS), A("192.168.1.53"));
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(rep_u32(DHO_RENEWAL_TIME, &v), 0);
	assert_int_equal(v, 1800);
	assert_int_equal(rep_u32(DHO_REBINDING_TIME, &v), 0);
	assert_int_equal(v, 3150);
	/* not asked for */
	assert_false(dhcp_msg_has_option(&rep, DHO_BROADCAST_ADDRESS));
	assert_int_equal(res.dest, DHCP_DEST_HWADDR);
	assert_int_equal(res.dst.s_addr, yi);
	assert_int_equal(res.dport, DHCP_PORT_CLIENT);
	assert_int_equal(res.src.s_addr, sid);
	assert_int_equal(res.ifindex, LAN);
	assert_int_equal(res.dst_mac[0], 0x02);
	assert_int_equal(res.dst_mac[5], 1);
	assert_int_equal(res.nevents, 0);
	assert_non_null(l = lease_db_find_addr(f->db, yi));
	assert_int_equal(l->state, LEASE_OFFERED);

	/* a retransmitted DISCOVER gets the same offer */
	pk_new(DHCPDISCOVER, 1, 43);
	run(f, T0 + 1);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(rep.yiaddr.s_addr, yi);

	pk_new(DHCPREQUEST, 1, 43);
	pk_opt(DHO_REQUESTED_ADDRESS, &yi, 4);
	pk_opt(DHO_SERVER_ID, &sid, 4);
	pk_opt(DHO_PARAMETER_LIST, prl, sizeof(prl));
	pk_str(DHO_HOST_NAME, "laptop");
	run(f, T0 + 2);
	assert_int_equal(res.action, SERVER_REPLY);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.wait_commit, 1);
	assert_int_equal(rep.yiaddr.s_addr, yi);
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(res.nevents, 1);
	assert_int_equal(res.events[0].type, SERVER_EV_ADD);
	assert_int_equal(res.events[0].lease.addr, yi);
	assert_string_equal(res.events[0].lease.hostname, "laptop");
	assert_non_null(l = lease_db_find_addr(f->db, yi));
	assert_int_equal(l->state, LEASE_BOUND);
	assert_int_equal(l->end, T0 + 2 + 3600);
	assert_string_equal(l->hostname, "laptop");
	commit(f);

	/* the broadcast flag: the reply is broadcast and says so */
	pk_new(DHCPDISCOVER, 2, 44);
	P.b[10] = 0x80;
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(res.dest, DHCP_DEST_BROADCAST);
	assert_int_equal(res.dst.s_addr, htonl(INADDR_BROADCAST));
	assert_true(rep.flags & DHCP_FLAG_BROADCAST);
	assert_int_not_equal(rep.yiaddr.s_addr, yi);
}

static void
test_selecting_other_server(void **state)
{
	struct fix	*f = *state;
	uint32_t	 yi;

	pk_new(DHCPDISCOVER, 3, 1);
	run(f, T0);
	yi = rep.yiaddr.s_addr;
	assert_non_null(lease_db_find_addr(f->db, yi));
	pk_new(DHCPREQUEST, 3, 1);
	pk_opt(DHO_REQUESTED_ADDRESS, &yi, 4);
	pk_ip(DHO_SERVER_ID, "192.168.1.254");
	run(f, T0 + 1);
	must_drop("chose server 192.168.1.254");
	/* our offer is free again */
	assert_null(lease_db_find_addr(f->db, yi));

	/* server id ours, address someone else's offer: NAK */
	pk_new(DHCPDISCOVER, 4, 2);
	run(f, T0);
	yi = rep.yiaddr.s_addr;
	pk_new(DHCPREQUEST, 5, 2);
	pk_opt(DHO_REQUESTED_ADDRESS, &yi, 4);
	pk_ip(DHO_SERVER_ID, "192.168.1.1");
	run(f, T0 + 1);
	assert_int_equal(res.type, DHCPNAK);
	assert_int_equal(res.dest, DHCP_DEST_BROADCAST);
	assert_int_equal(rep.yiaddr.s_addr, 0);
	assert_int_equal(rep_addr(DHO_SERVER_ID), A("192.168.1.1"));
	assert_false(dhcp_msg_has_option(&rep, DHO_LEASE_TIME));
	assert_int_equal(res.wait_commit, 0);
}

static void
test_renew_rebind(void **state)
{
	struct fix		*f = *state;
	const struct lease	*l;
	uint32_t		 a, b, v;
	char			 buf[INET_ADDRSTRLEN];

	a = dora(f, 10, "ten", T0);
	b = dora(f, 11, NULL, T0);
	commit(f);
	inet_ntop(AF_INET, &a, buf, sizeof(buf));

	/* RENEWING: unicast, ciaddr */
	pk_new(DHCPREQUEST, 10, 7);
	pk_field(12, buf);
	pk_str(DHO_HOST_NAME, "ten-renamed");
	run_on(f, LAN, 1, T0 + 1800);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.wait_commit, 1);
	assert_int_equal(rep.yiaddr.s_addr, a);
	assert_int_equal(rep.ciaddr.s_addr, a);
	assert_int_equal(res.dest, DHCP_DEST_CIADDR);
	assert_int_equal(res.dst.s_addr, a);
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(res.nevents, 1);
	assert_int_equal(res.events[0].type, SERVER_EV_OLD);
	assert_true(res.events[0].name_changed);
	assert_string_equal(res.events[0].old_name, "ten");
	l = lease_db_find_addr(f->db, a);
	assert_int_equal(l->end, T0 + 1800 + 3600);
	assert_string_equal(l->hostname, "ten-renamed");

	/* REBINDING: broadcast, ciaddr */
	pk_new(DHCPREQUEST, 10, 8);
	pk_field(12, buf);
	run_on(f, LAN, 0, T0 + 3200);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.events[0].type, SERVER_EV_OLD);
	/* no name sent: the lease keeps its name */
	assert_false(res.events[0].name_changed);
	assert_int_equal(lease_db_find_addr(f->db, a)->end, T0 + 3200 + 3600);

	/* another client's address: NAK when renewing and rebinding */
	pk_new(DHCPREQUEST, 12, 9);
	memcpy(P.b + 12, &b, 4);
	run_on(f, LAN, 1, T0 + 100);
	assert_int_equal(res.type, DHCPNAK);
	pk_new(DHCPREQUEST, 12, 9);
	memcpy(P.b + 12, &b, 4);
	run_on(f, LAN, 0, T0 + 100);
	assert_int_equal(res.type, DHCPNAK);
	assert_int_equal(lease_db_find_addr(f->db, b)->state, LEASE_BOUND);

	/* an address on none of our segments */
	pk_new(DHCPREQUEST, 12, 10);
	pk_field(12, "172.31.9.9");
	run_on(f, LAN, 0, T0 + 100);
	must_drop("not on a segment of ours");
	pk_new(DHCPREQUEST, 12, 10);
	pk_field(12, "172.31.9.9");
	run_on(f, LAN, 1, T0 + 100);
	assert_int_equal(res.type, DHCPNAK);
}

static void
test_init_reboot(void **state)
{
	struct fix	*f = *state;
	uint32_t	 a, b;

	a = dora(f, 20, NULL, T0);
	b = dora(f, 21, NULL, T0);
	commit(f);

	/* its own lease */
	pk_new(DHCPREQUEST, 20, 1);
	pk_opt(DHO_REQUESTED_ADDRESS, &a, 4);
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(rep.yiaddr.s_addr, a);
	assert_int_equal(res.events[0].type, SERVER_EV_OLD);

	/* wrong network */
	pk_new(DHCPREQUEST, 20, 2);
	pk_ip(DHO_REQUESTED_ADDRESS, "10.99.0.5");
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPNAK);
	assert_int_equal(res.dest, DHCP_DEST_BROADCAST);
	assert_non_null(strstr(res.reason, "wrong network"));

	/* another client's */
	pk_new(DHCPREQUEST, 20, 3);
	pk_opt(DHO_REQUESTED_ADDRESS, &b, 4);
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPNAK);

	/* on the segment, outside the ranges; ours; a host's */
	pk_new(DHCPREQUEST, 22, 4);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.20");
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPNAK);
	pk_new(DHCPREQUEST, 22, 4);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.1");
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPNAK);
	pk_new(DHCPREQUEST, 22, 4);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.100");
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPNAK);

	/*
	 * Unknown client, free address in a range: authoritative, ACKed
	 * (documented in server.h).
	 */
	pk_new(DHCPREQUEST, 22, 5);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.190");
	run(f, T0 + 10);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(rep.yiaddr.s_addr, A("192.168.1.190"));
	assert_int_equal(res.events[0].type, SERVER_EV_ADD);
	assert_int_equal(lease_at(f, "192.168.1.190")->state, LEASE_BOUND);

	/* moving to another free address gives up the old one */
	pk_new(DHCPREQUEST, 22, 6);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.191");
	run(f, T0 + 20);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.nevents, 2);
	assert_int_equal(res.events[0].type, SERVER_EV_DEL);
	assert_int_equal(res.events[0].lease.addr, A("192.168.1.190"));
	assert_int_equal(res.events[1].type, SERVER_EV_ADD);
	assert_int_equal(lease_at(f, "192.168.1.190")->state, LEASE_RELEASED);

	/* no address at all */
	pk_new(DHCPREQUEST, 22, 7);
	run(f, T0 + 20);
	must_drop("without an address");
}

static void
test_decline(void **state)
{
	struct fix		*f = *state;
	const struct lease	*l;
	uint32_t		 a, b;

	a = dora(f, 30, "thirty", T0);
	commit(f);
	pk_new(DHCPDECLINE, 30, 5);
	pk_opt(DHO_REQUESTED_ADDRESS, &a, 4);
	pk_ip(DHO_SERVER_ID, "192.168.1.1");
	run(f, T0 + 5);
	must_drop("declined");
	assert_int_equal(res.level, SERVER_LOG_WARN);
	assert_int_equal(res.nevents, 1);
	assert_int_equal(res.events[0].type, SERVER_EV_DEL);
	assert_string_equal(res.events[0].lease.hostname, "thirty");
	assert_non_null(l = lease_db_find_addr(f->db, a));
	assert_int_equal(l->state, LEASE_DECLINED);
	assert_int_equal(l->end, T0 + 5 + QUARANTINE);
	commit(f);

	/* the same client gets another address; nobody gets this one */
	b = dora(f, 30, NULL, T0 + 6);
	assert_int_not_equal(a, b);
	pk_new(DHCPREQUEST, 31, 6);
	pk_opt(DHO_REQUESTED_ADDRESS, &a, 4);
	run(f, T0 + 7);
	assert_int_equal(res.type, DHCPNAK);

	/* a decline of what is not the client's is ignored */
	pk_new(DHCPDECLINE, 31, 7);
	pk_opt(DHO_REQUESTED_ADDRESS, &b, 4);
	run(f, T0 + 8);
	must_drop("not the client's");
	assert_int_equal(lease_db_find_addr(f->db, b)->state, LEASE_BOUND);
	/* nor one for another server */
	pk_new(DHCPDECLINE, 30, 7);
	pk_opt(DHO_REQUESTED_ADDRESS, &b, 4);
	pk_ip(DHO_SERVER_ID, "192.168.1.254");
	run(f, T0 + 8);
	must_drop("for server");
	assert_int_equal(lease_db_find_addr(f->db, b)->state, LEASE_BOUND);

	/* the quarantine ends */
	assert_true(server_expire(f->srv, T0 + 5 + QUARANTINE, NULL, NULL) >=
	    1);
	assert_null(lease_db_find_addr(f->db, a));
	pk_new(DHCPREQUEST, 31, 8);
	pk_opt(DHO_REQUESTED_ADDRESS, &a, 4);
	run(f, T0 + 5 + QUARANTINE);
	assert_int_equal(res.type, DHCPACK);
}

static void
test_release(void **state)
{
	struct fix		*f = *state;
	const struct lease	*l;
	char			 buf[INET_ADDRSTRLEN];
	uint32_t		 a, b;

	a = dora(f, 40, "forty", T0);
	commit(f);
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	pk_new(DHCPRELEASE, 40, 9);
	pk_field(12, buf);
	pk_ip(DHO_SERVER_ID, "192.168.1.1");
	run_on(f, LAN, 1, T0 + 60);
	must_drop("released");
	assert_int_equal(res.nevents, 1);
	assert_int_equal(res.events[0].type, SERVER_EV_DEL);
	assert_int_equal(res.events[0].lease.addr, a);
	assert_non_null(l = lease_db_find_addr(f->db, a));
	assert_int_equal(l->state, LEASE_RELEASED);
	commit(f);

	/* a new client gets a never used address, not this one */
	b = dora(f, 41, NULL, T0 + 61);
	assert_int_not_equal(a, b);
	/* the old client gets its address back */
	assert_int_equal(dora(f, 40, NULL, T0 + 62), a);

	/* a release by someone else does nothing */
	pk_new(DHCPRELEASE, 42, 9);
	pk_field(12, buf);
	run_on(f, LAN, 1, T0 + 63);
	must_drop("not the client's");
	assert_int_equal(lease_db_find_addr(f->db, a)->state, LEASE_BOUND);
}

static void
test_inform(void **state)
{
	struct fix	*f = *state;

	pk_new(DHCPINFORM, 50, 11);
	pk_field(12, "192.168.1.77");
	run_on(f, LAN, 1, T0);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.wait_commit, 0);
	assert_int_equal(rep.yiaddr.s_addr, 0);
	assert_int_equal(rep.ciaddr.s_addr, A("192.168.1.77"));
	assert_false(dhcp_msg_has_option(&rep, DHO_LEASE_TIME));
	assert_false(dhcp_msg_has_option(&rep, DHO_RENEWAL_TIME));
	assert_int_equal(rep_addr(DHO_ROUTERS), A("192.168.1.1"));
	assert_int_equal(rep_addr(DHO_SERVER_ID), A("192.168.1.1"));
	assert_int_equal(res.dest, DHCP_DEST_CIADDR);
	assert_int_equal(res.dst.s_addr, A("192.168.1.77"));
	assert_null(lease_at(f, "192.168.1.77"));
	assert_int_equal(res.nevents, 0);

	pk_new(DHCPINFORM, 50, 12);
	run(f, T0);
	must_drop("without ciaddr");

	/* a relayed client's INFORM, straight to us: its subnet's options */
	pk_new(DHCPINFORM, 50, 13);
	pk_field(12, "10.60.0.33");
	run_on(f, LAN, 1, T0);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(rep_addr(DHO_ROUTERS), A("10.60.0.1"));

}

static void
test_bootp(void **state)
{
	struct fix		*f = *state;
	const struct lease	*l;
	static const uint8_t	 printer[6] = { 0, 0x11, 0x22, 0x33, 0x44,
	    0x55 };
	uint32_t		 a;

	/* static, by hardware address */
	pk_new(0, 0, 21);
	pk_hw(printer);
	run(f, T0);
	assert_int_equal(res.action, SERVER_REPLY);
	assert_int_equal(res.type, 0);
	assert_int_equal(rep.type, 0);
	assert_int_equal(rep.yiaddr.s_addr, A("192.168.1.10"));
	assert_false(dhcp_msg_has_option(&rep, DHO_MESSAGE_TYPE));
	assert_false(dhcp_msg_has_option(&rep, DHO_LEASE_TIME));
	assert_false(dhcp_msg_has_option(&rep, DHO_SERVER_ID));
	assert_int_equal(rep_addr(DHO_SUBNET_MASK), A("255.255.255.0"));
	/* all of it within the 64-byte vendor area */
	assert_int_equal(res.len, DHCP_BOOTP_MIN);
	assert_int_equal(res.wait_commit, 1);
	assert_non_null(l = lease_at(f, "192.168.1.10"));
	assert_int_equal(l->state, LEASE_BOUND);
	assert_true(l->flags & LEASE_F_BOOTP);
	assert_string_equal(l->hostname, "printer");

	/* dynamic: a BOOTP range, for good */
	pk_new(0, 60, 22);
	run(f, T0);
	assert_int_equal(res.action, SERVER_REPLY);
	a = rep.yiaddr.s_addr;
	assert_true(in_range(a, "192.168.1.50", "192.168.1.59"));
	assert_non_null(l = lease_db_find_addr(f->db, a));
	assert_true(l->flags & LEASE_F_BOOTP);
	assert_int_equal(res.events[0].type, SERVER_EV_ADD);
	commit(f);
	pk_new(0, 60, 23);
	run(f, T0 + 100000);
	assert_int_equal(rep.yiaddr.s_addr, a);
	assert_int_equal(server_expire(f->srv, T0 + 10000000, NULL, NULL), 0);
	assert_int_equal(lease_db_find_addr(f->db, a)->state, LEASE_BOUND);

	/* a DHCP client never gets a BOOTP range's address */
	pk_new(DHCPREQUEST, 61, 24);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.55");
	run(f, T0);
	assert_int_equal(res.type, DHCPNAK);

	/* no BOOTP range on this interface */
	pk_new(0, 62, 25);
	run_on(f, SMALL, 0, T0);
	must_drop("no free address in a BOOTP range");
}

static void
test_relay(void **state)
{
	struct fix	*f = *state;
	uint32_t	 yi, v, sid;
	static const uint8_t	 o82[] = { 1, 4, 'p', 'o', 'r', 't' };

	pk_new(DHCPDISCOVER, 70, 31);
	pk_field(24, "10.60.0.1");
	pk_opt(DHO_RELAY_AGENT_INFO, o82, sizeof(o82));
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	yi = rep.yiaddr.s_addr;
	assert_true(in_range(yi, "10.60.0.100", "10.60.0.150"));
	assert_int_equal(res.dest, DHCP_DEST_RELAY);
	assert_int_equal(res.dst.s_addr, A("10.60.0.1"));
	assert_int_equal(res.dport, DHCP_PORT_SERVER);
	assert_int_equal(rep.giaddr.s_addr, A("10.60.0.1"));
	assert_int_equal(rep_addr(DHO_ROUTERS), A("10.60.0.1"));
	assert_int_equal(rep_addr(DHO_SUBNET_MASK), A("255.255.255.0"));
	sid = rep_addr(DHO_SERVER_ID);
	assert_int_equal(sid, A("192.168.1.1"));
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 7200);
	assert_true(dhcp_msg_has_option(&rep, DHO_RELAY_AGENT_INFO));

	pk_new(DHCPREQUEST, 70, 31);
	pk_field(24, "10.60.0.1");
	pk_opt(DHO_REQUESTED_ADDRESS, &yi, 4);
	pk_opt(DHO_SERVER_ID, &sid, 4);
	run(f, T0);
	assert_int_equal(res.type, DHCPACK);
	assert_int_equal(res.dest, DHCP_DEST_RELAY);

	/* a NAK through a relay has the broadcast bit */
	pk_new(DHCPREQUEST, 71, 32);
	pk_field(24, "10.60.0.1");
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.150");
	run(f, T0);
	assert_int_equal(res.type, DHCPNAK);
	assert_int_equal(res.dest, DHCP_DEST_RELAY);
	assert_true(rep.flags & DHCP_FLAG_BROADCAST);

	/* a relay we do not know */
	pk_new(DHCPDISCOVER, 72, 33);
	pk_field(24, "10.77.0.1");
	run(f, T0);
	must_drop("no subnet for relay 10.77.0.1");
	/* the relay may reach us on any interface */
	pk_new(DHCPDISCOVER, 72, 33);
	pk_field(24, "10.60.0.1");
	run_on(f, 99, 0, T0);
	assert_int_equal(res.type, DHCPOFFER);
}

static void
test_static_hosts(void **state)
{
	struct fix		*f = *state;
	static const uint8_t	 printer[6] = { 0, 0x11, 0x22, 0x33, 0x44,
	    0x55 };
	static const uint8_t	 cid_camera[] = { 0, 'c', 'a', 'm' };
	static const uint8_t	 prl[] = { 1, 3, 12, 66 };
	const struct lease	*l;
	uint32_t		 sid = A("192.168.1.1");
	const uint8_t		*v;
	size_t			 len;

	/* by hardware address; its name wins over the client's */
	pk_new(DHCPDISCOVER, 0, 51);
	pk_hw(printer);
	pk_str(DHO_HOST_NAME, "NPI12345");
	pk_opt(DHO_PARAMETER_LIST, prl, sizeof(prl));
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(rep.yiaddr.s_addr, A("192.168.1.10"));
	assert_true(dhcp_msg_option(&rep, DHO_HOST_NAME, &v, &len));
	assert_int_equal(len, 7);
	assert_memory_equal(v, "printer", 7);
	assert_true(dhcp_msg_option(&rep, DHO_TFTP_SERVER_NAME, &v, &len));
	assert_memory_equal(v, "tftp", 4);
	pk_new(DHCPREQUEST, 0, 51);
	pk_hw(printer);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.10");
	pk_opt(DHO_SERVER_ID, &sid, 4);
	pk_str(DHO_HOST_NAME, "NPI12345");
	run(f, T0);
	assert_int_equal(res.type, DHCPACK);
	assert_string_equal(res.events[0].lease.hostname, "printer");

	/* by client id, whatever its hardware address; name sanitised */
	pk_new(DHCPDISCOVER, 52, 52);
	pk_opt(DHO_CLIENT_ID, cid_camera, sizeof(cid_camera));
	run(f, T0);
	assert_int_equal(rep.yiaddr.s_addr, A("192.168.1.11"));
	/* RFC 6842: the client id comes back */
	assert_true(dhcp_msg_option(&rep, DHO_CLIENT_ID, &v, &len));
	assert_int_equal(len, sizeof(cid_camera));
	assert_memory_equal(v, cid_camera, len);
	pk_new(DHCPREQUEST, 53, 52);
	pk_opt(DHO_CLIENT_ID, cid_camera, sizeof(cid_camera));
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.11");
	pk_opt(DHO_SERVER_ID, &sid, 4);
	run(f, T0);
	assert_int_equal(res.type, DHCPACK);
	assert_non_null(l = lease_at(f, "192.168.1.11"));
	assert_string_equal(l->hostname, "camera-1");
	assert_int_equal(l->cid_len, sizeof(cid_camera));

	/* nobody else gets a host's address, even one inside a range */
	pk_new(DHCPDISCOVER, 54, 53);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.100");
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_not_equal(rep.yiaddr.s_addr, A("192.168.1.100"));
	pk_new(DHCPREQUEST, 54, 54);
	pk_ip(DHO_REQUESTED_ADDRESS, "192.168.1.10");
	run(f, T0);
	assert_int_equal(res.type, DHCPNAK);
}

/* a host's address held by someone else (an older configuration) */
static void
test_static_conflict(void **state)
{
	struct fix		*f = *state;
	static const uint8_t	 printer[6] = { 0, 0x11, 0x22, 0x33, 0x44,
	    0x55 };
	struct lease		 l;

	memset(&l, 0, sizeof(l));
	l.addr = A("192.168.1.10");
	l.state = LEASE_BOUND;
	l.htype = 1;
	l.hlen = 6;
	l.hwaddr[0] = 0x02;
	l.hwaddr[5] = 0x77;
	l.start = T0;
	l.end = T0 + 3600;
	assert_non_null(lease_db_update(f->db, &l));
	pk_new(DHCPDISCOVER, 0, 55);
	pk_hw(printer);
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	assert_true(in_range(rep.yiaddr.s_addr, "192.168.1.101",
	    "192.168.1.199"));
	assert_int_equal(res.level, SERVER_LOG_WARN);
	assert_non_null(strstr(res.reason, "fixed address 192.168.1.10"));
	/* the name and options of the host still apply */
	assert_true(dhcp_msg_has_option(&rep, DHO_HOST_NAME));
}

static void
test_identity(void **state)
{
	struct fix		*f = *state;
	static const uint8_t	 cid1[] = { 1, 2, 0, 0, 0, 0, 0x80 };
	static const uint8_t	 cid2[] = { 1, 2, 0, 0, 0, 0, 0x81 };
	uint32_t		 a, b, c, d, sid = A("192.168.1.1");

	/* one hardware address, two client ids: two clients */
	pk_new(DHCPDISCOVER, 80, 1);
	pk_opt(DHO_CLIENT_ID, cid1, sizeof(cid1));
	run(f, T0);
	a = rep.yiaddr.s_addr;
	pk_new(DHCPREQUEST, 80, 1);
	pk_opt(DHO_CLIENT_ID, cid1, sizeof(cid1));
	pk_opt(DHO_REQUESTED_ADDRESS, &a, 4);
	pk_opt(DHO_SERVER_ID, &sid, 4);
	run(f, T0);
	assert_int_equal(res.type, DHCPACK);
	pk_new(DHCPDISCOVER, 80, 2);
	pk_opt(DHO_CLIENT_ID, cid2, sizeof(cid2));
	run(f, T0);
	b = rep.yiaddr.s_addr;
	assert_int_not_equal(a, b);

	/* one client id, another hardware address: the same client */
	pk_new(DHCPDISCOVER, 81, 3);
	pk_opt(DHO_CLIENT_ID, cid1, sizeof(cid1));
	run(f, T0);
	assert_int_equal(rep.yiaddr.s_addr, a);

	/* without a client id, the hardware address decides */
	c = dora(f, 82, NULL, T0);
	pk_new(DHCPDISCOVER, 82, 4);
	run(f, T0);
	assert_int_equal(rep.yiaddr.s_addr, c);
	/* a client that starts to send one keeps its lease */
	pk_new(DHCPDISCOVER, 82, 5);
	pk_opt(DHO_CLIENT_ID, cid2 + 1, sizeof(cid2) - 1);
	run(f, T0);
	assert_int_equal(rep.yiaddr.s_addr, c);
	/* one that sent it is not found by hardware address alone */
	pk_new(DHCPDISCOVER, 80, 6);
	run(f, T0);
	d = rep.yiaddr.s_addr;
	assert_int_not_equal(d, a);

	/* no identity at all */
	pk_new(DHCPDISCOVER, 83, 7);
	P.b[2] = 0;
	run(f, T0);
	must_drop("no client identity");
}

static void
test_hostname(void **state)
{
	struct fix		*f = *state;
	static const uint8_t	 fq[] = { 0, 0, 0, 'b', 'o', 'x', '.', 'e',
	    'x', 'a', 'm', 'p', 'l', 'e' };
	struct dhcp_fqdn	 fd;
	uint32_t		 a;

	a = dora(f, 90, "My_Laptop.local", T0);
	assert_string_equal(lease_db_find_addr(f->db, a)->hostname,
	    "my-laptop");
	assert_string_equal(res.events[0].lease.hostname, "my-laptop");

	/* nothing usable: no name */
	a = dora(f, 91, "...", T0);
	assert_string_equal(lease_db_find_addr(f->db, a)->hostname, "");

	/* option 81 wins over 12, and is answered */
	pk_new(DHCPDISCOVER, 92, 9);
	pk_str(DHO_HOST_NAME, "other");
	pk_opt(DHO_FQDN, fq, sizeof(fq));
	run(f, T0);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(dhcp_msg_fqdn(&rep, &fd), 0);
	assert_true(fd.flags & DHCP_FQDN_S);
	assert_true(fd.flags & DHCP_FQDN_O);
	assert_string_equal(fd.name, "box.lan");
	assert_int_equal(fd.partial, 0);
	assert_string_equal(lease_db_find_addr(f->db,
	    rep.yiaddr.s_addr)->hostname, "box");
}

static void
test_lease_time_wish(void **state)
{
	struct fix	*f = *state;
	uint32_t	 v, want;

	want = htonl(600);
	pk_new(DHCPDISCOVER, 95, 1);
	pk_opt(DHO_LEASE_TIME, &want, 4);
	run(f, T0);
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 600);
	assert_int_equal(rep_u32(DHO_RENEWAL_TIME, &v), 0);
	assert_int_equal(v, 300);
	want = htonl(86400);
	pk_new(DHCPDISCOVER, 95, 2);
	pk_opt(DHO_LEASE_TIME, &want, 4);
	run(f, T0);
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, 3600);
	want = htonl(5);
	pk_new(DHCPDISCOVER, 95, 3);
	pk_opt(DHO_LEASE_TIME, &want, 4);
	run(f, T0);
	assert_int_equal(rep_u32(DHO_LEASE_TIME, &v), 0);
	assert_int_equal(v, SERVER_LEASE_MIN);
}

static void
expired_cb(const struct server_event *ev, void *arg)
{
	int	*n = arg;

	assert_int_equal(ev->type, SERVER_EV_DEL);
	(*n)++;
}

static void
test_exhaustion_expiry(void **state)
{
	struct fix		*f = *state;
	struct server_stats	 st;
	uint32_t		 a[3];
	int			 n = 0;

	a[0] = dora_on(f, SMALL, 100, NULL, T0);
	a[1] = dora_on(f, SMALL, 101, NULL, T0 + 10);
	a[2] = dora_on(f, SMALL, 102, NULL, T0 + 5);
	commit(f);
	assert_int_not_equal(a[0], a[1]);
	assert_int_not_equal(a[1], a[2]);
	assert_int_not_equal(a[0], a[2]);

	pk_new(DHCPDISCOVER, 103, 1);
	run_on(f, SMALL, 0, T0 + 20);
	must_drop("no free address");
	assert_int_equal(res.level, SERVER_LOG_WARN);
	server_stats(f->srv, &st);
	assert_int_equal(st.no_address, 1);

	/* they expire; the new client gets the one free the longest */
	assert_int_equal(server_expire(f->srv, T0 + 10 + 600, expired_cb, &n),
	    3);
	assert_int_equal(n, 3);
	assert_int_equal(lease_db_find_addr(f->db, a[1])->state,
	    LEASE_EXPIRED);
	pk_new(DHCPDISCOVER, 103, 2);
	run_on(f, SMALL, 0, T0 + 700);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(rep.yiaddr.s_addr, a[0]);
	/* an old client still gets its own back */
	pk_new(DHCPDISCOVER, 101, 3);
	run_on(f, SMALL, 0, T0 + 700);
	assert_int_equal(rep.yiaddr.s_addr, a[1]);
	/* the offers run out after the hold time */
	assert_int_equal(server_expire(f->srv, T0 + 700 + SERVER_OFFER_HOLD,
	    NULL, NULL), 2);
	/* an offer over an expired lease replaced it: now fresh */
	assert_null(lease_db_find_addr(f->db, a[1]));
	pk_new(DHCPDISCOVER, 104, 4);
	run_on(f, SMALL, 0, T0 + 800);
	assert_int_equal(res.type, DHCPOFFER);
	assert_true(rep.yiaddr.s_addr == a[0] || rep.yiaddr.s_addr == a[1]);
}

static int
count_bound(const struct lease *l, void *arg)
{
	size_t	*n = arg;

	if (l->state == LEASE_BOUND)
		(*n)++;
	return 0;
}

static void
test_unique(void **state)
{
	struct fix	*f = *state;
	uint8_t		 seen[65536];
	uint32_t	 a;
	size_t		 i, n = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 2000; i++) {
		a = dora_on(f, BIG, 1000 + i, NULL, T0);
		assert_int_equal(seen[ntohl(a) & 0xffff], 0);
		seen[ntohl(a) & 0xffff] = 1;
		if (i % 3 == 0) {
			/* some come back and must get the same */
			assert_int_equal(dora_on(f, BIG, 1000 + i / 2, NULL,
			    T0), dora_on(f, BIG, 1000 + i / 2, NULL, T0));
		}
	}
	commit(f);
	lease_db_walk(f->db, count_bound, &n);
	assert_int_equal(n, 2000);
}

static void
test_scale(void **state)
{
	struct fix		*f = *state;
	struct timespec		 t0, t1;
	struct lease_db_stats	 ls;
	size_t			 i, n = 0;
	double			 s;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100000; i++) {
		dora_on(f, BIG, 0x100000 + i, NULL, T0);
		if (i % 1000 == 999)
			commit(f);
	}
	commit(f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("100000 DORA exchanges (commit per 1000) in %.2f s: "
	    "%.0f/s\n", s, 100000 / s);
	lease_db_walk(f->db, count_bound, &n);
	assert_int_equal(n, 100000);
	lease_db_stats(f->db, &ls);
	assert_int_equal(ls.by_state[LEASE_BOUND], 100000);
}

static void
test_ping(void **state)
{
	struct fix		*f = *state;
	struct server_stats	 st;
	struct dhcp_msg		*disc;
	uint32_t		 a, b, sid;

	if ((disc = malloc(sizeof(*disc))) == NULL)
		fail();
	pk_new(DHCPDISCOVER, 110, 77);
	run_on(f, PINGED, 0, T0);
	assert_int_equal(res.action, SERVER_PING);
	a = res.ping_addr.s_addr;
	assert_true(in_range(a, "172.21.0.10", "172.21.0.12"));
	assert_int_equal(lease_db_find_addr(f->db, a)->state, LEASE_OFFERED);
	*disc = req;

	/* a retransmission while the ping is out */
	pk_new(DHCPDISCOVER, 110, 78);
	run_on(f, PINGED, 0, T0);
	must_drop("in progress");

	/* another client does not get the address being pinged */
	pk_new(DHCPDISCOVER, 111, 79);
	run_on(f, PINGED, 0, T0);
	assert_int_equal(res.action, SERVER_PING);
	assert_int_not_equal(res.ping_addr.s_addr, a);

	/* someone answered: quarantined, and another address is tried */
	server_ping_result(f->srv, disc, PINGED, (struct in_addr){ a }, 1,
	    T0 + 1, &res);
	assert_int_equal(res.action, SERVER_PING);
	b = res.ping_addr.s_addr;
	assert_int_not_equal(a, b);
	assert_non_null(strstr(res.reason, "answered a ping"));
	assert_int_equal(lease_db_find_addr(f->db, a)->state, LEASE_DECLINED);

	/* a result nobody waits for */
	server_ping_result(f->srv, disc, PINGED, (struct in_addr){ a }, 0,
	    T0 + 1, &res);
	must_drop("no ping of");

	/* silence: the offer */
	server_ping_result(f->srv, disc, PINGED, (struct in_addr){ b }, 0,
	    T0 + 2, &res);
	assert_int_equal(res.action, SERVER_REPLY);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(dhcp_msg_parse(res.pkt, res.len, &rep, NULL), 0);
	assert_int_equal(rep.yiaddr.s_addr, b);
	assert_int_equal(rep.xid, 77);

	/* a retransmitted DISCOVER now gets the offer at once */
	pk_new(DHCPDISCOVER, 110, 80);
	run_on(f, PINGED, 0, T0 + 3);
	assert_int_equal(res.type, DHCPOFFER);
	assert_int_equal(rep.yiaddr.s_addr, b);
	sid = rep_addr(DHO_SERVER_ID);
	pk_new(DHCPREQUEST, 110, 80);
	pk_opt(DHO_REQUESTED_ADDRESS, &b, 4);
	pk_opt(DHO_SERVER_ID, &sid, 4);
	run_on(f, PINGED, 0, T0 + 3);
	assert_int_equal(res.type, DHCPACK);

	/* a bound client's own address is not pinged again */
	pk_new(DHCPDISCOVER, 110, 81);
	run_on(f, PINGED, 0, T0 + 4);
	assert_int_equal(res.type, DHCPOFFER);
	server_stats(f->srv, &st);
	assert_int_equal(st.pings, 3);
	assert_int_equal(st.ping_answered, 1);
	free(disc);
}

static void
test_bad(void **state)
{
	struct fix	*f = *state;

	pk_new(DHCPDISCOVER, 120, 1);
	P.b[0] = DHCP_BOOTREPLY;
	run(f, T0);
	must_drop("not a request");
	pk_new(DHCPOFFER, 120, 1);
	run(f, T0);
	must_drop("not a client message");
	pk_new(DHCPDISCOVER, 120, 1);
	run_on(f, 77, 0, T0);
	must_drop("no dhcp on interface 77");
	pk_new(DHCPDISCOVER, 120, 1);
	run(f, 0);
	must_drop("bad time");
}

int
main(void)
{
#define T(x)	cmocka_unit_test_setup_teardown(x, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_config_refused),
		T(test_dora),
		T(test_selecting_other_server),
		T(test_renew_rebind),
		T(test_init_reboot),
		T(test_decline),
		T(test_release),
		T(test_inform),
		T(test_bootp),
		T(test_relay),
		T(test_static_hosts),
		T(test_static_conflict),
		T(test_identity),
		T(test_hostname),
		T(test_lease_time_wish),
		T(test_exhaustion_expiry),
		T(test_unique),
		T(test_scale),
		T(test_ping),
		T(test_bad),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
