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

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "log.h"
#include "testconf.h"

static const char *
ip4(struct in_addr a)
{
	static char	 buf[4][INET_ADDRSTRLEN];
	static int	 i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
}

/* the option's encoded value is exactly len bytes of want */
static void
assert_value(const struct dhcp_option_conf *o, uint8_t code,
    const void *want, size_t len)
{
	assert_non_null(o);
	assert_int_equal(o->code, code);
	assert_int_equal(o->len, len);
	if (len > 0)
		assert_memory_equal(o->data, want, len);
}

/* the block of DESIGN.md, word for word */
static void
test_dhcp_design_example(void **state)
{
	struct moatd_conf		*conf;
	struct dhcp_conf		*d;
	struct dhcp_range_conf		*r;
	struct dhcp_option_conf		*o;
	struct dhcp_host_conf		*h;
	struct dhcp_subnet_conf		*sn;
	static const uint8_t		 mac[6] = { 0x00, 0x11, 0x22, 0x33,
					    0x44, 0x55 };

	conf = parse_ok("lan = \"veth0\"\n"
	    "dhcp on $lan {\n"
	    "\trange 192.168.1.100 192.168.1.200\n"
	    "\tlease time 12h\n"
	    "\toption router 192.168.1.1\n"
	    "\toption dns-server 192.168.1.1\n"
	    "\toption domain-name \"lan\"\n"
	    "\toption 252 \"http://wpad.lan/wpad.dat\"\n"
	    "\thost \"printer\" { hardware ethernet 00:11:22:33:44:55; "
	    "address 192.168.1.10 }\n"
	    "\tsubnet 10.60.0.0/24 {                # a relayed segment\n"
	    "\t\trange 10.60.0.100 10.60.0.150\n"
	    "\t\toption router 10.60.0.1\n"
	    "\t}\n"
	    "}\n");
	assert_false(conf->dns.enabled);
	d = TAILQ_FIRST(&conf->dhcp);
	assert_non_null(d);
	assert_null(TAILQ_NEXT(d, entry));
	assert_string_equal(d->ifname, "veth0");
	assert_int_equal(d->lease_time, 12 * 3600);
	assert_false(d->ping_check);
	r = TAILQ_FIRST(&d->ranges);
	assert_string_equal(ip4(r->start), "192.168.1.100");
	assert_string_equal(ip4(r->end), "192.168.1.200");
	assert_false(r->bootp);
	assert_null(TAILQ_NEXT(r, entry));

	o = TAILQ_FIRST(&d->options);
	assert_value(o, 3, "\xc0\xa8\x01\x01", 4);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 6, "\xc0\xa8\x01\x01", 4);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 15, "lan", 3);
	o = TAILQ_NEXT(o, entry);
	/* a number without a name and a word: a string */
	assert_value(o, 252, "http://wpad.lan/wpad.dat", 24);
	assert_null(TAILQ_NEXT(o, entry));

	h = TAILQ_FIRST(&d->hosts);
	assert_string_equal(h->name, "printer");
	assert_true(h->has_hwaddr);
	assert_memory_equal(h->hwaddr, mac, 6);
	assert_int_equal(h->client_id_len, 0);
	assert_string_equal(ip4(h->address), "192.168.1.10");
	assert_true(TAILQ_EMPTY(&h->options));

	sn = TAILQ_FIRST(&d->subnets);
	assert_string_equal(ip4(sn->network), "10.60.0.0");
	assert_string_equal(ip4(sn->netmask), "255.255.255.0");
	assert_int_equal(sn->prefixlen, 24);
	assert_int_equal(sn->lease_time, 0);
	r = TAILQ_FIRST(&sn->ranges);
	assert_string_equal(ip4(r->start), "10.60.0.100");
	assert_string_equal(ip4(r->end), "10.60.0.150");
	o = TAILQ_FIRST(&sn->options);
	assert_value(o, 3, "\x0a\x3c\x00\x01", 4);
	assert_null(TAILQ_NEXT(sn, entry));
	conf_free(conf);
}

static void
test_dhcp_statements(void **state)
{
	struct moatd_conf		*conf;
	struct dhcp_conf		*d;
	struct dhcp_range_conf		*r;
	struct dhcp_host_conf		*h;
	struct dhcp_subnet_conf		*sn;

	conf = parse_ok("lease hook \"/usr/local/libexec/hook\" as user "
	    "\"_hook\"\n"
	    "dhcp on veth0 {\n"
	    "\tping check\n"
	    "\tlease time 2m\n"
	    "\tbootp range 10.0.0.200 10.0.0.210\n"
	    "\trange 10.0.0.10 10.0.0.10\n"
	    "\thost \"a\" {\n"
	    "\t\tclient-id \"ab\"\n"
	    "\t}\n"
	    "\thost \"B\" { client-id hex \"01:0:aa\"; hardware ethernet "
	    "0:1:2:3:4:FF\n"
	    "\t\toption hostname \"bee\"\n\t}\n"
	    "\tsubnet 10.9.0.0/16 {\n"
	    "\t\tlease time 1d; bootp range 10.9.1.1 10.9.1.2\n"
	    "\t}\n"
	    "}\n"
	    "dhcp on veth1 {\n}\n");
	assert_string_equal(conf->lease_hook, "/usr/local/libexec/hook");
	assert_string_equal(conf->lease_hook_user, "_hook");
	d = TAILQ_FIRST(&conf->dhcp);
	assert_true(d->ping_check);
	assert_int_equal(d->lease_time, 120);
	r = TAILQ_FIRST(&d->ranges);
	assert_true(r->bootp);
	assert_string_equal(ip4(r->start), "10.0.0.200");
	r = TAILQ_NEXT(r, entry);
	assert_false(r->bootp);
	assert_int_equal(r->start.s_addr, r->end.s_addr);
	h = TAILQ_FIRST(&d->hosts);
	assert_string_equal(h->name, "a");
	assert_false(h->has_hwaddr);
	assert_int_equal(h->client_id_len, 2);
	assert_memory_equal(h->client_id, "ab", 2);
	assert_false(h->client_id_hex);
	assert_int_equal(h->address.s_addr, INADDR_ANY);
	h = TAILQ_NEXT(h, entry);
	assert_string_equal(h->name, "b");
	assert_int_equal(h->client_id_len, 3);
	assert_memory_equal(h->client_id, "\x01\x00\xaa", 3);
	assert_true(h->client_id_hex);
	assert_true(h->has_hwaddr);
	assert_memory_equal(h->hwaddr, "\x00\x01\x02\x03\x04\xff", 6);
	assert_int_equal(TAILQ_FIRST(&h->options)->code, 12);
	sn = TAILQ_FIRST(&d->subnets);
	assert_int_equal(sn->lease_time, 86400);
	assert_true(TAILQ_FIRST(&sn->ranges)->bootp);
	/* the second block has the defaults */
	d = TAILQ_NEXT(d, entry);
	assert_string_equal(d->ifname, "veth1");
	assert_int_equal(d->lease_time, 12 * 3600);
	assert_true(TAILQ_EMPTY(&d->ranges));
	conf_free(conf);

	/* the hook user defaults to nobody; lease times in any unit */
	conf = parse_ok("lease hook \"/bin/true\"\n"
	    "dhcp on a { lease time 7200 }\ndhcp on b { lease time 150s }\n"
	    "dhcp on c { lease time 45m }\n");
	assert_string_equal(conf->lease_hook_user, "nobody");
	d = TAILQ_FIRST(&conf->dhcp);
	assert_int_equal(d->lease_time, 7200);
	d = TAILQ_NEXT(d, entry);
	assert_int_equal(d->lease_time, 150);
	d = TAILQ_NEXT(d, entry);
	assert_int_equal(d->lease_time, 45 * 60);
	conf_free(conf);
}

static void
test_dhcp_options(void **state)
{
	struct moatd_conf		*conf;
	struct dhcp_option_conf		*o;
	static const uint8_t		 search[] = { 3, 'l', 'a', 'n', 0,
	    13, 'x', 'n', '-', '-', 'b', 'c', 'h', 'e', 'r', '-', 'k', 'v',
	    'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	static const uint8_t		 routes[] = { 8, 10, 10, 0, 0, 1,
	    0, 10, 0, 0, 254 };
	char				 buf[4];

	conf = parse_ok("dhcp on veth0 {\n"
	    "\toption dns-server 10.0.0.1 10.0.0.2\n"
	    "\toption domain-search \"lan\" \"bücher.example.\"\n"
	    "\toption classless-static-routes 10.0.0.0/8 10.0.0.1 "
	    "0.0.0.0/0 10.0.0.254\n"
	    "\toption interface-mtu 1500\n"
	    "\toption time-offset -3600\n"
	    "\toption 150 hex \"c0A80101\"\n"
	    "\toption 224 10.1.2.3 10.1.2.4\n"
	    "\toption 225 42\n"
	    "\toption 226 u8 7\n"
	    "\toption 227 string \"1.2.3.4\"\n"
	    "\toption 80 hex \"\"\n"
	    "\toption bootfile-name \"007\"\n"
	    "\toption ip-forwarding true\n"
	    "\toption router 10.0.0.1,10.0.0.2\n"
	    "}\n");
	o = TAILQ_FIRST(&TAILQ_FIRST(&conf->dhcp)->options);
	assert_value(o, 6, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	o = TAILQ_NEXT(o, entry);
	/* names in Unicode are sent as punycode */
	assert_value(o, 119, search, sizeof(search));
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 121, routes, sizeof(routes));
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 26, "\x05\xdc", 2);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 2, "\xff\xff\xf1\xf0", 4);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 150, "\xc0\xa8\x01\x01", 4);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 224, "\x0a\x01\x02\x03\x0a\x01\x02\x04", 8);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 225, "\x00\x00\x00\x2a", 4);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 226, "\x07", 1);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 227, "1.2.3.4", 7);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 80, "", 0);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 67, "007", 3);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 19, "\x01", 1);
	o = TAILQ_NEXT(o, entry);
	assert_value(o, 3, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	assert_null(TAILQ_NEXT(o, entry));
	conf_free(conf);

	/* a host, a subnet and the block may each set the same option */
	conf = parse_ok("dhcp on veth0 {\n\toption router 10.0.0.1\n"
	    "\thost \"h\" { hardware ethernet 00:00:00:00:00:01; "
	    "option router 10.0.0.2 }\n"
	    "\tsubnet 10.1.0.0/24 { option router 10.1.0.1 }\n}\n");
	o = TAILQ_FIRST(&TAILQ_FIRST(&TAILQ_FIRST(&conf->dhcp)->hosts)->
	    options);
	assert_value(o, 3, "\x0a\x00\x00\x02", 4);
	o = TAILQ_FIRST(&TAILQ_FIRST(&TAILQ_FIRST(&conf->dhcp)->subnets)->
	    options);
	assert_value(o, 3, "\x0a\x01\x00\x01", 4);
	conf_free(conf);

	assert_string_equal(conf_dhcp_option_name(3, buf), "router");
	assert_string_equal(conf_dhcp_option_name(252, buf), "252");
}

static void
test_dhcp_hex_and_mac(void **state)
{
	uint8_t	 b[8];

	assert_int_equal(conf_parse_hex("01:ab:C", b, sizeof(b)), 3);
	assert_memory_equal(b, "\x01\xab\x0c", 3);
	assert_int_equal(conf_parse_hex("01abCD", b, sizeof(b)), 3);
	assert_memory_equal(b, "\x01\xab\xcd", 3);
	assert_int_equal(conf_parse_hex("", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("abc", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("01:", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex(":01", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("01::02", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("123:4", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("0g", b, sizeof(b)), -1);
	assert_int_equal(conf_parse_hex("0102", b, 1), -1);
	assert_int_equal(conf_parse_hex("1:2:3", b, 2), -1);
	assert_int_equal(conf_parse_mac("00:11:22:33:44:5f", b), 0);
	assert_memory_equal(b, "\x00\x11\x22\x33\x44\x5f", 6);
	assert_int_equal(conf_parse_mac("00:11:22:33:44", b), -1);
	assert_int_equal(conf_parse_mac("00:11:22:33:44:55:66", b), -1);
	assert_int_equal(conf_parse_mac("001122334455", b), -1);
	assert_int_equal(conf_parse_mac("00:11:22:33:44:555", b), -1);
	assert_int_equal(conf_parse_mac("00-11-22-33-44-55", b), -1);
}

static void
test_dhcp_errors(void **state)
{
	char	 text[2048], word[1026];

	expect_error("dhcp on veth0 {\n\trange 10.0.0.9 10.0.0.1\n}\n",
	    "moatd.conf:2: range 10.0.0.9 10.0.0.1: start after end");
	expect_error("dhcp on veth0 {\n\tbootp range 10.0.0.9 10.0.0.1\n}\n",
	    "moatd.conf:2: bootp range 10.0.0.9 10.0.0.1: start after end");
	expect_error("dhcp on veth0 {\n\trange 10.0.0 10.0.0.1\n}\n",
	    "moatd.conf:2: range 10.0.0 10.0.0.1: \"10.0.0\" is not an IPv4 "
	    "address a client can have");
	expect_error("dhcp on veth0 {\n\trange 10.0.0.1 224.0.0.1\n}\n",
	    "\"224.0.0.1\" is not an IPv4 address");
	expect_error("dhcp on veth0 {\n\trange 127.0.0.1 127.0.0.2\n}\n",
	    "\"127.0.0.1\" is not an IPv4 address");
	expect_error("dhcp on veth0 {\n\trange 10.0.0.1 10.0.0.9\n"
	    "\tbootp range 10.0.0.9 10.0.0.20\n}\n",
	    "moatd.conf:3: bootp range 10.0.0.9 10.0.0.20: overlaps range "
	    "10.0.0.1 10.0.0.9");
	expect_error("dhcp on veth0 {\n\tsubnet 10.1.0.0/24 {\n"
	    "\t\trange 10.1.0.10 10.1.0.20\n\t}\n"
	    "\trange 10.1.0.5 10.1.0.10\n}\n",
	    "moatd.conf:5: range 10.1.0.5 10.1.0.10: overlaps range "
	    "10.1.0.10 10.1.0.20");
	expect_error("dhcp on veth0 {\n\tsubnet 10.1.0.0/24 {\n"
	    "\t\trange 10.1.0.10 10.1.1.20\n\t}\n}\n",
	    "moatd.conf:3: range 10.1.0.10 10.1.1.20: not inside subnet "
	    "10.1.0.0/24");
	expect_error("dhcp on veth0 {\n\tlease time 1m\n}\n",
	    "moatd.conf:2: lease time 1m: less than 2m");
	expect_error("dhcp on veth0 {\n\tlease time 119\n}\n",
	    "moatd.conf:2: lease time 119: less than 2m");
	expect_error("dhcp on veth0 {\n\tlease time 12x\n}\n",
	    "moatd.conf:2: lease time 12x: not a time");
	expect_error("dhcp on veth0 {\n\tlease time h\n}\n",
	    "lease time h: not a time");
	expect_error("dhcp on veth0 {\n\tlease time 1hh\n}\n",
	    "lease time 1hh: not a time");
	expect_error("dhcp on veth0 {\n\tlease time 99999999999d\n}\n",
	    "lease time 99999999999d: too long");
	expect_error("dhcp on veth0 {\n\tlease time 4294967295\n}\n",
	    "lease time 4294967295: too long");
	expect_error("dhcp on veth0 {\n\tlease time 1h\n\tlease time 2h\n}\n",
	    "moatd.conf:3: lease time given twice");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/8 { lease time 1h; "
	    "lease time 1h }\n}\n", "moatd.conf:2: lease time given twice");
	expect_error("dhcp on veth0 {\n}\ndhcp on veth0 {\n}\n",
	    "moatd.conf:3: dhcp on veth0: block given twice");
	expect_error("dhcp on \"a/b\" {\n}\n",
	    "moatd.conf:1: dhcp on \"a/b\": not an interface name");
	expect_error("dhcp on \"averyveryverylongname\" {\n}\n",
	    "not an interface name");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/33 {\n\t}\n}\n",
	    "moatd.conf:2: subnet 10.0.0.0/33: bad prefix length");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/0 {\n\t}\n}\n",
	    "subnet 10.0.0.0/0: bad prefix length");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/ {\n\t}\n}\n",
	    "subnet 10.0.0.0/: bad prefix length");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0 {\n\t}\n}\n",
	    "subnet 10.0.0.0: not a network");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.1/24 {\n\t}\n}\n",
	    "subnet 10.0.0.1/24: host bits set");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/24 {\n\t}\n"
	    "\tsubnet 10.0.0.0/24 {\n\t}\n}\n",
	    "moatd.conf:4: subnet 10.0.0.0/24: given twice");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/24 {\n\t}\n"
	    "\tsubnet 10.0.0.0/16 {\n\t}\n}\n",
	    "moatd.conf:4: subnet 10.0.0.0/16: overlaps subnet 10.0.0.0/24");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/16 {\n\t}\n"
	    "\tsubnet 10.0.5.0/24 {\n\t}\n}\n",
	    "overlaps subnet 10.0.0.0/16");
	expect_error("dhcp on veth0 {\n\tsubnet 10.0.0.0/24 { ping check }\n"
	    "}\n", "moatd.conf:2: syntax error");
	expect_error("dhcp on veth0 {\n\tinclude \"x.conf\"\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dhcp on veth0 {\n\tlisten on lo\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dhcp {\n}\n", "moatd.conf:1: syntax error");
	expect_error("dhcp on veth0\n{\n}\n", "moatd.conf:1: syntax error");

	/* hosts */
	expect_error("dhcp on veth0 {\n\thost \"x\" {\n\t\taddress 10.0.0.5\n"
	    "\t}\n}\n",
	    "moatd.conf:2: host \"x\": needs a hardware address or a "
	    "client-id");
	expect_error("dhcp on veth0 {\n\thost \"x\" { hardware ethernet "
	    "00:11:22:33:44 }\n}\n",
	    "moatd.conf:2: hardware ethernet 00:11:22:33:44: not a MAC "
	    "address");
	expect_error("dhcp on veth0 {\n\thost \"x\" { hardware ethernet "
	    "zz:11:22:33:44:55 }\n}\n", "not a MAC address");
	/* only the first error of a host is told */
	assert_null(strstr(logged, "needs a hardware address"));
	expect_error("dhcp on veth0 {\n\thost \"x\" { hardware ethernet "
	    "00:11:22:33:44:55\n\t\thardware ethernet 00:11:22:33:44:56 }\n"
	    "}\n", "moatd.conf:3: host \"x\": hardware address given twice");
	expect_error("dhcp on veth0 {\n\thost \"x\" { client-id \"ab\"; "
	    "client-id \"cd\" }\n}\n",
	    "moatd.conf:2: host \"x\": client-id given twice");
	expect_error("dhcp on veth0 {\n\thost \"x\" { client-id \"a\" }\n}\n",
	    "moatd.conf:2: client-id \"a\": not 2 to 255 bytes");
	expect_error("dhcp on veth0 {\n\thost \"x\" { client-id hex \"0g\" }\n"
	    "}\n", "moatd.conf:2: client-id hex \"0g\": not 2 to 255 bytes");
	snprintf(text, sizeof(text), "dhcp on veth0 {\n\thost \"x\" { "
	    "client-id \"%0256d\" }\n}\n", 0);
	expect_error(text, "not 2 to 255 bytes");
	expect_error("dhcp on veth0 {\n\thost \"x\" { client-id \"ab\"; "
	    "address 10.0.0.1; address 10.0.0.2 }\n}\n",
	    "moatd.conf:2: host \"x\": address given twice");
	expect_error("dhcp on veth0 {\n\thost \"x\" { client-id \"ab\"; "
	    "address 10.0.0 }\n}\n",
	    "moatd.conf:2: address 10.0.0: not an IPv4 address");
	expect_error("dhcp on veth0 {\n\thost \"a b\" { client-id \"ab\" }\n"
	    "}\n", "moatd.conf:2: host \"a b\": not a host name");
	expect_error("dhcp on veth0 {\n\thost \"a.lan\" { client-id \"ab\" }\n"
	    "}\n", "host \"a.lan\": not a host name");
	expect_error("dhcp on veth0 {\n\thost \"\" { client-id \"ab\" }\n}\n",
	    "host \"\": not a host name");
	expect_error("dhcp on veth0 {\n\thost \"a\" { client-id \"ab\" }\n"
	    "\thost \"A\" { client-id \"cd\" }\n}\n",
	    "moatd.conf:3: host \"A\": given twice");
	expect_error("dhcp on veth0 {\n"
	    "\thost \"a\" { hardware ethernet 00:11:22:33:44:55 }\n"
	    "\thost \"b\" {\n\t\thardware ethernet 00:11:22:33:44:55\n\t}\n}\n",
	    "moatd.conf:3: host \"b\": hardware ethernet 00:11:22:33:44:55: "
	    "already given for host \"a\"");
	expect_error("dhcp on veth0 {\n"
	    "\thost \"a\" { client-id \"ab\"; address 10.0.0.5 }\n"
	    "\thost \"b\" { client-id \"cd\"; address 10.0.0.5 }\n}\n",
	    "moatd.conf:3: host \"b\": address 10.0.0.5 already given for "
	    "host \"a\"");
	expect_error("dhcp on veth0 {\n"
	    "\thost \"a\" { client-id hex \"61:62\" }\n"
	    "\thost \"b\" { client-id \"ab\" }\n}\n",
	    "moatd.conf:3: host \"b\": client-id already given for host "
	    "\"a\"");
	expect_error("dhcp on veth0 {\n\thost \"x\" { range 10.0.0.1 "
	    "10.0.0.2 }\n}\n", "moatd.conf:2: syntax error");

	/* options: the engine's encoder tells what is wrong */
	expect_error("dhcp on veth0 {\n\toption routers 10.0.0.1\n}\n",
	    "moatd.conf:2: unknown option routers");
	expect_error("dhcp on veth0 {\n\toption 0 1\n}\n",
	    "moatd.conf:2: option 0: not a code from 1 to 254");
	expect_error("dhcp on veth0 {\n\toption 255 1\n}\n",
	    "option 255: not a code from 1 to 254");
	expect_error("dhcp on veth0 {\n\toption 300 1\n}\n",
	    "option 300: not a code from 1 to 254");
	expect_error("dhcp on veth0 {\n\toption 51 60\n}\n",
	    "moatd.conf:2: option lease-time: set by the server, not "
	    "configurable (use lease time)");
	expect_error("dhcp on veth0 {\n\toption 53 1\n}\n",
	    "option message-type: set by the server");
	expect_error("dhcp on veth0 {\n\toption client-identifier hex "
	    "\"01\"\n}\n", "option client-identifier: set by the server");
	expect_error("dhcp on veth0 {\n\toption router\n}\n",
	    "moatd.conf:2: option router: needs a value");
	expect_error("dhcp on veth0 {\n\toption router \"gw\"\n}\n",
	    "option router: not an IPv4 address: gw");
	expect_error("dhcp on veth0 {\n\toption 3 10.0.0.1 5\n}\n",
	    "option router: not an IPv4 address: 5");
	expect_error("dhcp on veth0 {\n\toption broadcast-address 10.0.0.255 "
	    "10.0.0.254\n}\n",
	    "option broadcast-address: takes one IPv4 address");
	expect_error("dhcp on veth0 {\n\toption domain-name \"a\" \"b\"\n}\n",
	    "option domain-name: takes one string");
	expect_error("dhcp on veth0 {\n\toption domain-search\n}\n",
	    "option domain-search: needs a value");
	expect_error("dhcp on veth0 {\n\toption domain-search \"a..b\"\n}\n",
	    "option domain-search: not a domain name: a..b");
	expect_error("dhcp on veth0 {\n\toption hostname \"\"\n}\n",
	    "option hostname: empty string");
	expect_error("dhcp on veth0 {\n\toption interface-mtu 67\n}\n",
	    "option interface-mtu: not a number from 68 to 65535: 67");
	expect_error("dhcp on veth0 {\n\toption interface-mtu 65536\n}\n",
	    "option interface-mtu: not a number from 68 to 65535");
	expect_error("dhcp on veth0 {\n\toption time-offset 2147483648\n}\n",
	    "option time-offset: not a number from -2147483648 to "
	    "2147483647");
	expect_error("dhcp on veth0 {\n\toption ip-forwarding maybe\n}\n",
	    "option ip-forwarding: takes true or false");
	expect_error("dhcp on veth0 {\n\toption classless-static-routes "
	    "10.0.0.0/8\n}\n",
	    "option classless-static-routes: route needs a "
	    "destination/prefix and a gateway");
	expect_error("dhcp on veth0 {\n\toption classless-static-routes "
	    "10.0.0.1/8 10.0.0.1\n}\n",
	    "option classless-static-routes: 10.0.0.1/8 has bits set past "
	    "the prefix");
	expect_error("dhcp on veth0 {\n\toption classless-static-routes "
	    "10.0.0.0/33 10.0.0.1\n}\n",
	    "option classless-static-routes: not a destination/prefix: "
	    "10.0.0.0/33");
	expect_error("dhcp on veth0 {\n\toption 224 hex \"zz\"\n}\n",
	    "moatd.conf:2: option 224: not hex bytes: zz");
	expect_error("dhcp on veth0 {\n\toption 224 hex \"012\"\n}\n",
	    "option 224: not hex bytes: 012");
	expect_error("dhcp on veth0 {\n\toption 224 \"a\" \"b\"\n}\n",
	    "option 224: give addresses, a number, one string or hex");
	expect_error("dhcp on veth0 {\n\toption 224 hex \"01\" \"02\"\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dhcp on veth0 {\n\toption router 10.0.0.1\n"
	    "\toption 3 10.0.0.2\n}\n",
	    "moatd.conf:3: option router: given twice");
	expect_error("dhcp on veth0 {\n\toption 3 10.0.0.1\n"
	    "\toption router 10.0.0.2\n}\n",
	    "moatd.conf:3: option router: given twice");
	memset(word, 'a', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	snprintf(text, sizeof(text), "dhcp on veth0 {\n\toption 224 "
	    "\"%s\"\n}\n", word);
	expect_error(text, "moatd.conf:2: option 224: value longer than "
	    "1024 bytes");
	/* the longest value goes */
	word[sizeof(word) - 2] = '\0';
	snprintf(text, sizeof(text), "dhcp on veth0 {\n\toption 224 "
	    "\"%s\"\n}\n", word);
	conf_free(parse_ok(text));

	/* lease hook */
	expect_error("lease hook \"hook.sh\"\n",
	    "moatd.conf:1: lease hook \"hook.sh\": not an absolute path");
	expect_error("lease hook \"/a\"\nlease hook \"/b\"\n",
	    "moatd.conf:2: lease hook given twice");
	expect_error("lease hook \"/a\" as user \"\"\n",
	    "moatd.conf:1: lease hook: user \"\": bad user name");
	expect_error("lease hook \"/a\" as \"nobody\"\n",
	    "moatd.conf:1: syntax error");

	/* errors on several lines of a block are each told */
	expect_error("dhcp on veth0 {\n\trange 10.0.0.9 10.0.0.1\n"
	    "\tlease time 1m\n\toption nope 1\n\thost \"x\" {\n\t}\n"
	    "\tping check\n}\n", "moatd.conf:5: host \"x\": needs");
	assert_non_null(strstr(logged, "moatd.conf:2: range"));
	assert_non_null(strstr(logged, "moatd.conf:3: lease time"));
	assert_non_null(strstr(logged, "moatd.conf:4: unknown option nope"));
}

/* print -> parse -> print gives the same text, and keeps every part */
static void
test_dhcp_print_round_trip(void **state)
{
	struct moatd_conf	*conf;
	char			 first[8192];

	conf = parse_ok("lease hook \"/usr/local/bin/lease \\\"hook\\\"\" as "
	    "user \"nobody\"\n"
	    "dns {\n\tlisten on 127.0.0.1\n}\n"
	    "dhcp on veth0 {\n"
	    "\trange 192.168.1.100 192.168.1.200\n"
	    "\tbootp range 192.168.1.201 192.168.1.210\n"
	    "\tlease time 86400\n"
	    "\tping check\n"
	    "\toption router 192.168.1.1\n"
	    "\toption dns-server 192.168.1.1 192.168.1.2\n"
	    "\toption domain-name \"Lan.\"\n"
	    "\toption domain-search lan \"home.arpa\"\n"
	    "\toption ntp-server 192.168.1.1\n"
	    "\toption classless-static-routes 10.0.0.0/8 192.168.1.254\n"
	    "\toption interface-mtu 1500\n"
	    "\toption broadcast-address 192.168.1.255\n"
	    "\toption netbios-name-server 192.168.1.3\n"
	    "\toption tftp-server-name \"tftp.lan\"\n"
	    "\toption bootfile-name \"pxelinux.0\"\n"
	    "\toption time-offset \"-3600\"\n"
	    "\toption 252 \"http://wpad.lan/wpad.dat\"\n"
	    "\toption 224 hex \"01:AB:c\"\n"
	    "\toption 225 string \"a \\\"b\\\" \\\\\"\n"
	    "\toption 226 u16 7\n"
	    "\toption 227 \"1.2.3.4\"\n"
	    "\toption 228 string \"1.2.3.4\"\n"
	    "\toption ip-forwarding yes\n"
	    "\toption 4 hex \"0a000001\"\n"
	    "\toption 80 hex \"\"\n"
	    "\thost \"printer\" { hardware ethernet 00:11:22:33:44:55; "
	    "address 192.168.1.10 }\n"
	    "\thost \"phone\" {\n"
	    "\t\tclient-id hex \"01:aa:bb:cc:dd:ee:ff\"\n"
	    "\t\taddress 192.168.1.11\n"
	    "\t\toption hostname \"phone\"\n"
	    "\t}\n"
	    "\thost \"büro\" { client-id \"x\\\"y\"; option 252 \"x\" }\n"
	    "\tsubnet 10.60.0.0/24 {\n"
	    "\t\trange 10.60.0.100 10.60.0.150\n"
	    "\t\tbootp range 10.60.0.200 10.60.0.210\n"
	    "\t\toption router 10.60.0.1\n"
	    "\t\tlease time 5400\n"
	    "\t}\n"
	    "\tsubnet 10.61.0.0/16 {\n\t}\n"
	    "}\n"
	    "dhcp on veth1 { lease time 121 }\n");
	print_twice(conf, first, sizeof(first));
	assert_non_null(strstr(first, "lease hook \"/usr/local/bin/lease "
	    "\\\"hook\\\"\" as user \"nobody\"\n"));
	assert_non_null(strstr(first, "\ndhcp on \"veth0\" {\n"
	    "\tlease time 1d\n\tping check\n"
	    "\trange 192.168.1.100 192.168.1.200\n"
	    "\tbootp range 192.168.1.201 192.168.1.210\n"
	    "\toption router 192.168.1.1\n"));
	/* values are printed as the decoder reads them */
	assert_non_null(strstr(first, "\toption domain-name \"Lan.\"\n"
	    "\toption domain-search \"lan\" \"home.arpa\"\n"));
	assert_non_null(strstr(first, "\toption classless-static-routes "
	    "10.0.0.0/8 192.168.1.254\n"));
	assert_non_null(strstr(first, "\toption time-offset -3600\n"
	    "\toption 252 \"http://wpad.lan/wpad.dat\"\n"
	    "\toption 224 hex \"01:ab:0c\"\n"
	    "\toption 225 \"a \\\"b\\\" \\\\\"\n"
	    "\toption 226 hex \"00:07\"\n"
	    "\toption 227 hex \"01:02:03:04\"\n"
	    "\toption 228 string \"1.2.3.4\"\n"
	    "\toption ip-forwarding true\n"
	    "\toption time-server 10.0.0.1\n"
	    "\toption 80 hex \"\"\n"));
	assert_non_null(strstr(first, "\thost \"printer\" {\n"
	    "\t\thardware ethernet 00:11:22:33:44:55\n"
	    "\t\taddress 192.168.1.10\n\t}\n"));
	assert_non_null(strstr(first, "\thost \"phone\" {\n"
	    "\t\tclient-id hex \"01:aa:bb:cc:dd:ee:ff\"\n"
	    "\t\taddress 192.168.1.11\n"
	    "\t\toption hostname \"phone\"\n\t}\n"));
	assert_non_null(strstr(first, "\thost \"xn--bro-hoa\" {\n"
	    "\t\tclient-id \"x\\\"y\"\n\t\toption 252 \"x\"\n\t}\n"));
	assert_non_null(strstr(first, "\tsubnet 10.60.0.0/24 {\n"
	    "\t\tlease time 90m\n"
	    "\t\trange 10.60.0.100 10.60.0.150\n"
	    "\t\tbootp range 10.60.0.200 10.60.0.210\n"
	    "\t\toption router 10.60.0.1\n\t}\n"
	    "\tsubnet 10.61.0.0/16 {\n\t}\n}\n"));
	assert_non_null(strstr(first, "\ndhcp on \"veth1\" {\n"
	    "\tlease time 121\n}\n"));

	/* the defaults are printed */
	conf = parse_ok("dhcp on veth0 {\n}\n");
	print_twice(conf, first, sizeof(first));
	assert_non_null(strstr(first, "dhcp on \"veth0\" {\n"
	    "\tlease time 12h\n}\n"));
}

/* the embedded default serves no addresses */
static void
test_dhcp_not_default(void **state)
{
	struct moatd_conf	*conf;

	conf = conf_embedded();
	assert_non_null(conf);
	assert_true(TAILQ_EMPTY(&conf->dhcp));
	assert_string_equal(conf->lease_hook, "");
	conf_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhcp_design_example),
		cmocka_unit_test(test_dhcp_statements),
		cmocka_unit_test(test_dhcp_options),
		cmocka_unit_test(test_dhcp_hex_and_mac),
		cmocka_unit_test(test_dhcp_errors),
		cmocka_unit_test(test_dhcp_print_round_trip),
		cmocka_unit_test(test_dhcp_not_default),
	};
	int	 rv;

	log_init(1, LOG_DAEMON);
	if (tmpdir_make("parse-dhcp") == -1)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	tmpdir_remove();
	return rv;
}
