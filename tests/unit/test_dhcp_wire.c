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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_wire.h"

struct pkt {
	uint8_t	 b[8192];
	size_t	 len;
};

static const uint8_t	 mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t	 cookie[4] = { 99, 130, 83, 99 };

static void
p_bytes(struct pkt *p, const void *data, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	if (n == 0)
		return;
	memcpy(p->b + p->len, data, n);
	p->len += n;
}

static void
p_opt(struct pkt *p, uint8_t code, const void *val, size_t len)
{
	uint8_t	 h[2] = { code, (uint8_t)len };

	assert_true(len <= 255);
	p_bytes(p, h, 2);
	p_bytes(p, val, len);
}

static void
p_byte(struct pkt *p, uint8_t b)
{
	p_bytes(p, &b, 1);
}

static struct in_addr
addr(const char *s)
{
	struct in_addr	 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* the fixed part of a request from mac with xid 0x12345678, no cookie */
static void
p_fixed(struct pkt *p)
{
	memset(p->b, 0, 236);
	p->b[0] = DHCP_BOOTREQUEST;
	p->b[1] = DHCP_HTYPE_ETHER;
	p->b[2] = 6;
	p->b[4] = 0x12;
	p->b[5] = 0x34;
	p->b[6] = 0x56;
	p->b[7] = 0x78;
	p->b[8] = 0;
	p->b[9] = 3;		/* secs */
	memcpy(p->b + 28, mac, 6);
	p->len = 236;
}

/* a DHCP request: fixed part, cookie, option 53 */
static void
p_dhcp(struct pkt *p, uint8_t type)
{
	p_fixed(p);
	p_bytes(p, cookie, 4);
	p_opt(p, DHO_MESSAGE_TYPE, &type, 1);
}

static void
p_end(struct pkt *p)
{
	p_byte(p, DHO_END);
	while (p->len < 300)
		p_byte(p, 0);
}

static void
set_addr(struct pkt *p, size_t off, const char *s)
{
	struct in_addr	 a = addr(s);

	memcpy(p->b + off, &a, 4);
}

static const uint8_t	 prl[] = { 1, 3, 6, 12, 15, 119, 121 };
static const uint8_t	 cid[] = { 1, 0x02, 0, 0, 0, 0, 0x01 };

static void
test_discover(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	const uint8_t	*v;
	size_t		 l;
	uint8_t		 mms[2] = { 1500 >> 8, 1500 & 0xff };
	char		 host[DHCP_LABEL_MAX + 1];
	const char	*why = "unset";

	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_CLIENT_ID, cid, sizeof(cid));
	p_opt(&p, DHO_PARAMETER_LIST, prl, sizeof(prl));
	p_opt(&p, DHO_HOST_NAME, "Laptop", 6);
	p_opt(&p, DHO_MAX_MESSAGE_SIZE, mms, 2);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, &why), 0);
	assert_null(why);
	assert_int_equal(m.op, DHCP_BOOTREQUEST);
	assert_int_equal(m.htype, 1);
	assert_int_equal(m.hlen, 6);
	assert_int_equal(m.xid, 0x12345678);
	assert_int_equal(m.secs, 3);
	assert_int_equal(m.flags, 0);
	assert_memory_equal(m.chaddr, mac, 6);
	assert_true(m.has_cookie);
	assert_false(m.missing_end);
	assert_int_equal(m.type, DHCPDISCOVER);
	assert_int_equal(m.overload, 0);
	assert_string_equal(m.sname, "");
	assert_string_equal(m.file, "");

	assert_int_equal(dhcp_msg_client_id(&m, &v, &l), 0);
	assert_int_equal(l, sizeof(cid));
	assert_memory_equal(v, cid, sizeof(cid));
	assert_int_equal(dhcp_msg_param_list(&m, &v, &l), 0);
	assert_int_equal(l, sizeof(prl));
	assert_memory_equal(v, prl, sizeof(prl));
	assert_int_equal(dhcp_msg_hostname(&m, host), 0);
	assert_string_equal(host, "laptop");
	assert_int_equal(dhcp_msg_max_reply(&m), 1500 - 28);
	assert_true(dhcp_msg_has_option(&m, DHO_MESSAGE_TYPE));
	assert_false(dhcp_msg_has_option(&m, DHO_ROUTERS));
	assert_false(dhcp_msg_has_option(&m, DHO_PAD));
	assert_false(dhcp_msg_has_option(&m, DHO_END));
	assert_int_equal(dhcp_msg_option(&m, DHO_ROUTERS, &v, &l), 0);
	/* absent ones */
	assert_int_equal(dhcp_msg_relay_info(&m, &v, &l), -1);
	assert_int_equal(dhcp_msg_requested_addr(&m, &(struct in_addr){0}),
	    -1);
	assert_int_equal(dhcp_reply_dest(&m, DHCPOFFER), DHCP_DEST_HWADDR);
	m.flags = DHCP_FLAG_BROADCAST;
	assert_int_equal(dhcp_reply_dest(&m, DHCPOFFER), DHCP_DEST_BROADCAST);
	m.flags = 0;
	m.htype = 6;	/* IEEE 802: cannot be sent a frame by us */
	assert_int_equal(dhcp_reply_dest(&m, DHCPOFFER), DHCP_DEST_BROADCAST);
}

static void
test_request_selecting(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	struct in_addr	 a;

	p_dhcp(&p, DHCPREQUEST);
	a = addr("192.168.1.100");
	p_opt(&p, DHO_REQUESTED_ADDRESS, &a, 4);
	a = addr("192.168.1.1");
	p_opt(&p, DHO_SERVER_ID, &a, 4);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(m.type, DHCPREQUEST);
	assert_int_equal(dhcp_msg_requested_addr(&m, &a), 0);
	assert_int_equal(a.s_addr, addr("192.168.1.100").s_addr);
	assert_int_equal(dhcp_msg_server_id(&m, &a), 0);
	assert_int_equal(a.s_addr, addr("192.168.1.1").s_addr);
	assert_int_equal(dhcp_reply_dest(&m, DHCPNAK), DHCP_DEST_BROADCAST);

	/* three bytes of address is no address */
	p_dhcp(&p, DHCPREQUEST);
	p_opt(&p, DHO_REQUESTED_ADDRESS, "\300\250\001", 3);
	p_opt(&p, DHO_SERVER_ID, "\300\250\001\001\001", 5);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(dhcp_msg_requested_addr(&m, &a), -1);
	assert_int_equal(dhcp_msg_server_id(&m, &a), -1);
}

static void
test_renew_release_inform(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	static const uint8_t	 types[] = { DHCPREQUEST, DHCPRELEASE,
	    DHCPINFORM, DHCPDECLINE };
	size_t		 i;

	for (i = 0; i < sizeof(types); i++) {
		p_dhcp(&p, types[i]);
		set_addr(&p, 12, "192.168.1.100");
		p_end(&p);
		assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
		assert_int_equal(m.type, types[i]);
		assert_int_equal(m.ciaddr.s_addr,
		    addr("192.168.1.100").s_addr);
		assert_int_equal(dhcp_reply_dest(&m, DHCPACK),
		    DHCP_DEST_CIADDR);
	}
}

static void
test_relayed(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	static const uint8_t	 agent[] = { 1, 6, 'e', 't', 'h', '0', '/',
	    '1', 2, 2, 0xaa, 0xbb };
	const uint8_t	*v;
	size_t		 l;

	p_dhcp(&p, DHCPDISCOVER);
	p.b[3] = 1;
	set_addr(&p, 24, "10.60.0.1");
	p_opt(&p, DHO_RELAY_AGENT_INFO, agent, sizeof(agent));
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(m.hops, 1);
	assert_int_equal(m.giaddr.s_addr, addr("10.60.0.1").s_addr);
	assert_int_equal(dhcp_msg_relay_info(&m, &v, &l), 0);
	assert_int_equal(l, sizeof(agent));
	assert_memory_equal(v, agent, sizeof(agent));
	assert_int_equal(dhcp_reply_dest(&m, DHCPOFFER), DHCP_DEST_RELAY);
	assert_int_equal(dhcp_reply_dest(&m, DHCPNAK), DHCP_DEST_RELAY);
}

static void
test_bootp(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;

	p_fixed(&p);
	memcpy(p.b + 44, "bootserver", 10);
	memcpy(p.b + 108, "pxelinux.0", 10);
	while (p.len < 300)
		p_byte(&p, 0);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_false(m.has_cookie);
	assert_int_equal(m.type, 0);
	assert_int_equal(dhcp_msg_max_reply(&m), DHCP_BOOTP_MIN);
	assert_string_equal(m.sname, "bootserver");
	assert_string_equal(m.file, "pxelinux.0");
	assert_int_equal(m.optdata_len, 0);
	assert_false(dhcp_msg_has_option(&m, DHO_MESSAGE_TYPE));

	/* a wrong cookie: the vendor area is not read, not an error */
	p.b[236] = 99;
	p.b[237] = 130;
	p.b[238] = 83;
	p.b[239] = 100;
	p.b[240] = DHO_MESSAGE_TYPE;
	p.b[241] = 1;
	p.b[242] = DHCPDISCOVER;
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_false(m.has_cookie);
	assert_int_equal(m.type, 0);

	/* only the fixed part: still a BOOTP request */
	assert_int_equal(dhcp_msg_parse(p.b, 236, &m, NULL), 0);
	assert_false(m.has_cookie);
	/* the cookie and nothing after it: no options, no END */
	memcpy(p.b + 236, cookie, 4);
	assert_int_equal(dhcp_msg_parse(p.b, 240, &m, NULL), 0);
	assert_true(m.has_cookie);
	assert_true(m.missing_end);
	assert_int_equal(m.type, 0);
	/* a full sname without NUL */
	memset(p.b + 44, 'a', 64);
	assert_int_equal(dhcp_msg_parse(p.b, 240, &m, NULL), 0);
	assert_int_equal(strlen(m.sname), 64);
}

static void
test_overload(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	uint8_t		*f, *s, ov = 3;
	const uint8_t	*v;
	size_t		 l;
	char		 host[DHCP_LABEL_MAX + 1];

	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, &ov, 1);
	p_opt(&p, 77, "ab", 2);
	p_byte(&p, DHO_END);
	/* file: hostname, more of 77, an option 52 that must not count */
	f = p.b + 108;
	memcpy(f, "\x0c\x04over\x4d\x02" "cd\x34\x01\x01\xff", 14);
	/* sname: the parameter list and the rest of 77 */
	s = p.b + 44;
	memcpy(s, "\x37\x03\x01\x03\x06\x00\x4d\x01" "e", 9);
	/* no END in sname: it ends with the field */
	memset(s + 9, 0, 55);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(m.overload, 3);
	assert_string_equal(m.sname, "");
	assert_string_equal(m.file, "");
	assert_int_equal(dhcp_msg_hostname(&m, host), 0);
	assert_string_equal(host, "over");
	assert_int_equal(dhcp_msg_param_list(&m, &v, &l), 0);
	assert_int_equal(l, 3);
	/* RFC 2131 4.1 order: options field, file, sname */
	assert_int_equal(dhcp_msg_option(&m, 77, &v, &l), 1);
	assert_int_equal(l, 5);
	assert_memory_equal(v, "abcde", 5);
	/* the 52 inside file was skipped, not concatenated */
	assert_int_equal(dhcp_msg_option(&m, DHO_OVERLOAD, &v, &l), 1);
	assert_int_equal(l, 1);

	/* overload 1: sname stays a name */
	ov = 1;
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, &ov, 1);
	p_byte(&p, DHO_END);
	memcpy(p.b + 44, "srv", 4);
	memcpy(p.b + 108, "\x0c\x02hi\xff", 5);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(m.overload, DHCP_OVERLOAD_FILE);
	assert_string_equal(m.sname, "srv");
	assert_string_equal(m.file, "");
	assert_int_equal(dhcp_msg_hostname(&m, host), 0);
	assert_string_equal(host, "hi");

	/* an option in file running past the field is refused */
	memcpy(p.b + 108 + 120, "\x0c\x10", 2);
	memset(p.b + 108, 0, 120);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), -1);
}

static void
test_bad_overload(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	const char	*why;
	uint8_t		 v[2] = { 1, 2 };

	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, "\x04", 1);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, &why), -1);
	assert_string_equal(why, "bad option overload (52)");
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, v, 2);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, &why), -1);
	/* an empty instance and a good one: 1 byte in all, still fine */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, v, 1);
	p_opt(&p, DHO_OVERLOAD, v, 0);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, &why), 0);
	assert_int_equal(m.overload, 1);
	/* an empty instance alone is not an overload value */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_OVERLOAD, v, 0);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, &why), -1);
}

static void
test_rfc3396(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	uint8_t		 big[600];
	const uint8_t	*v;
	size_t		 l, i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, 77, big, 255);
	p_opt(&p, DHO_PARAMETER_LIST, prl, sizeof(prl));
	p_byte(&p, DHO_PAD);
	p_opt(&p, 77, big + 255, 255);
	p_opt(&p, DHO_HOST_NAME, "x", 1);
	p_opt(&p, 77, big + 510, 90);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(dhcp_msg_option(&m, 77, &v, &l), 1);
	assert_int_equal(l, sizeof(big));
	assert_memory_equal(v, big, sizeof(big));
	assert_int_equal(dhcp_msg_param_list(&m, &v, &l), 0);
	assert_memory_equal(v, prl, sizeof(prl));

	/* a concatenated 53 is two bytes long: refused */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_MESSAGE_TYPE, "\x01", 1);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), -1);
	/* an empty option is present with length 0 */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, 80, NULL, 0);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(dhcp_msg_option(&m, 80, &v, &l), 1);
	assert_int_equal(l, 0);
}

static void
expect_refused(const struct pkt *p, size_t len, const char *reason)
{
	struct dhcp_msg	 m;
	const char	*why = NULL;

	assert_int_equal(dhcp_msg_parse(p->b, len, &m, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
	/* nothing half parsed is left to be used */
	assert_false(dhcp_msg_has_option(&m, DHO_MESSAGE_TYPE));
	assert_int_equal(m.type, 0);
}

static void
test_bad_lengths(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	size_t		 i;

	p_dhcp(&p, DHCPDISCOVER);
	p_end(&p);
	expect_refused(&p, 235, "shorter than a BOOTP header");
	expect_refused(&p, 0, "shorter than a BOOTP header");
	assert_int_equal(dhcp_msg_parse(NULL, 300, &m, NULL), -1);
	p.b[2] = 17;
	expect_refused(&p, p.len, "hardware address longer than 16");
	p.b[2] = 16;
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	p.b[2] = 6;
	p.b[0] = 3;
	expect_refused(&p, p.len, "bad op");
	p.b[0] = 0;
	expect_refused(&p, p.len, "bad op");
	p.b[0] = DHCP_BOOTREPLY;
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);

	/* a value running past the end of the packet */
	p_dhcp(&p, DHCPDISCOVER);
	p_bytes(&p, "\x0c\x10" "ab", 4);
	expect_refused(&p, p.len, "option value past the end");
	/* the length byte itself missing */
	p_dhcp(&p, DHCPDISCOVER);
	p_byte(&p, DHO_HOST_NAME);
	expect_refused(&p, p.len, "option length past the end");
	/* every cut of a good packet inside its options is refused */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_PARAMETER_LIST, prl, sizeof(prl));
	p_byte(&p, DHO_END);
	for (i = 244; i < p.len - 1; i++) {
		if (i == 243 + 2 + sizeof(prl))
			continue;	/* ends right after the option */
		assert_int_equal(dhcp_msg_parse(p.b, i, &m, NULL), -1);
	}
	/* bad 53 */
	p_fixed(&p);
	p_bytes(&p, cookie, 4);
	p_opt(&p, DHO_MESSAGE_TYPE, "\x01\x01", 2);
	p_end(&p);
	expect_refused(&p, p.len, "bad message type (53)");
	p_dhcp(&p, 0);
	p_end(&p);
	expect_refused(&p, p.len, "bad message type (53)");
}

static void
test_missing_end(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	const uint8_t	*v;
	size_t		 l;

	/* accepted when the last option ends with the packet */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_PARAMETER_LIST, prl, sizeof(prl));
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_true(m.missing_end);
	assert_int_equal(dhcp_msg_param_list(&m, &v, &l), 0);
	assert_int_equal(l, sizeof(prl));
	/* and pads to the end are fine too */
	p_byte(&p, DHO_PAD);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_true(m.missing_end);
	/* anything after END is padding, even junk */
	p_byte(&p, DHO_END);
	p_bytes(&p, "\x0c\x40junk", 6);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_false(m.missing_end);
	assert_false(dhcp_msg_has_option(&m, DHO_HOST_NAME));
}

static void
test_too_many_bytes(void **state)
{
	struct pkt	 p;
	struct dhcp_msg	 m;
	uint8_t		 val[255];
	int		 c;

	memset(val, 'x', sizeof(val));
	/* 53 (1 byte) + 16 * 255 = 4081: fits DHCP_OPTDATA_MAX */
	p_dhcp(&p, DHCPDISCOVER);
	for (c = 100; c < 116; c++)
		p_opt(&p, c, val, 255);
	p_opt(&p, 120, val, 4096 - 4081);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(m.optdata_len, DHCP_OPTDATA_MAX);
	/* one byte more is refused */
	p.len -= 1;	/* over END */
	p.b[p.len - 1 - (4096 - 4081)]++;
	p_byte(&p, 'x');
	p_end(&p);
	expect_refused(&p, p.len, "too many option bytes");
}

static void
test_hostname(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*out;	/* NULL: refused */
	} cases[] = {
		{ "laptop", 6, "laptop" },
		{ "My Laptop", 9, "my-laptop" },
		{ "my_pc.corp.example", 18, "my-pc" },
		{ "-x-", 3, "x" },
		{ "a\0b", 3, "a" },
		{ "\xff\xfe" "caf\xc3\xa9", 7, "caf" },
		{ "...", 3, NULL },
		{ "", 0, NULL },
		{ "---", 3, NULL },
		{ "!@#", 3, NULL },
	};
	char		 out[DHCP_LABEL_MAX + 1];
	uint8_t		 longname[100];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].out == NULL) {
			assert_int_equal(dhcp_label_sanitize((const uint8_t *)
			    cases[i].in, cases[i].len, out), -1);
			continue;
		}
		assert_int_equal(dhcp_label_sanitize((const uint8_t *)
		    cases[i].in, cases[i].len, out), 0);
		assert_string_equal(out, cases[i].out);
	}
	memset(longname, 'A', sizeof(longname));
	assert_int_equal(dhcp_label_sanitize(longname, sizeof(longname), out),
	    0);
	assert_int_equal(strlen(out), 63);
	assert_int_equal(out[62], 'a');
	/* cut at 63 leaving a '-' at the end: it goes */
	longname[62] = '_';
	assert_int_equal(dhcp_label_sanitize(longname, sizeof(longname), out),
	    0);
	assert_int_equal(strlen(out), 62);
}

static int
parse_fqdn(const void *val, size_t len, struct dhcp_fqdn *f)
{
	struct pkt	 p;
	struct dhcp_msg	 m;

	p_dhcp(&p, DHCPREQUEST);
	p_opt(&p, DHO_FQDN, val, len);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	return dhcp_msg_fqdn(&m, f);
}

static void
test_fqdn(void **state)
{
	struct dhcp_fqdn	 f;
	uint8_t			 buf[300];
	size_t			 l;

	assert_int_equal(parse_fqdn("\x05\x00\x00\x06Laptop\x04" "corp"
	    "\x07" "example\x00", 24, &f), 0);
	assert_int_equal(f.flags, DHCP_FQDN_S | DHCP_FQDN_E);
	assert_false(f.partial);
	assert_string_equal(f.name, "laptop.corp.example");
	assert_string_equal(f.host, "laptop");
	/* wire form without the root label: partial */
	assert_int_equal(parse_fqdn("\x04\x00\x00\x02pc", 6, &f), 0);
	assert_true(f.partial);
	assert_string_equal(f.name, "pc");
	/* ASCII, with Windows' trailing NUL, and a full one */
	assert_int_equal(parse_fqdn("\x01\xff\xffMy_PC\0", 9, &f), 0);
	assert_true(f.partial);
	assert_string_equal(f.host, "my-pc");
	assert_int_equal(f.rcode1, 255);
	assert_int_equal(parse_fqdn("\x00\x00\x00pc.lan.", 10, &f), 0);
	assert_false(f.partial);
	assert_string_equal(f.name, "pc.lan");
	/* no name: the client leaves it to us */
	assert_int_equal(parse_fqdn("\x04\x00\x00", 3, &f), 0);
	assert_string_equal(f.name, "");
	assert_string_equal(f.host, "");
	/* broken ones */
	assert_int_equal(parse_fqdn("\x04\x00", 2, &f), -1);
	assert_int_equal(parse_fqdn("\x04\x00\x00\x05pc", 6, &f), -1);
	assert_int_equal(parse_fqdn("\x04\x00\x00\x02pc\x00\x00", 8, &f), -1);
	assert_int_equal(parse_fqdn("\x04\x00\x00\x40", 4, &f), -1);
	assert_int_equal(parse_fqdn("\x00\x00\x00pc..lan", 10, &f), -1);
	assert_int_equal(parse_fqdn("\x04\x00\x00\x03!!!\x00", 8, &f), -1);
	assert_string_equal(f.name, "");

	/* encode, then read it back */
	assert_int_equal(dhcp_fqdn_encode(DHCP_FQDN_S | DHCP_FQDN_E,
	    "pc.lan", 1, buf, sizeof(buf), &l), 0);
	assert_int_equal(l, 3 + 8);
	assert_memory_equal(buf, "\x05\xff\xff\x02pc\x03lan\x00", 11);
	assert_int_equal(parse_fqdn(buf, l, &f), 0);
	assert_string_equal(f.name, "pc.lan");
	assert_int_equal(dhcp_fqdn_encode(0, "pc.lan", 1, buf, sizeof(buf),
	    &l), 0);
	assert_memory_equal(buf, "\x00\xff\xffpc.lan.", l);
	assert_int_equal(dhcp_fqdn_encode(DHCP_FQDN_E, "", 1, buf,
	    sizeof(buf), &l), 0);
	assert_int_equal(l, 3);
	assert_int_equal(dhcp_fqdn_encode(DHCP_FQDN_E, "a..b", 1, buf,
	    sizeof(buf), &l), -1);
	assert_int_equal(dhcp_fqdn_encode(DHCP_FQDN_E, "pc.lan", 1, buf, 10,
	    &l), -1);
}

static void
test_max_reply(void **state)
{
	static const struct {
		uint16_t	 opt57;
		size_t		 max;
	} cases[] = {
		{ 0, 548 }, { 300, 548 }, { 575, 548 }, { 576, 548 },
		{ 1000, 972 }, { 1500, 1472 }, { 9000, 1472 }
	};
	struct pkt	 p;
	struct dhcp_msg	 m;
	uint8_t		 v[2];
	size_t		 i;

	p_dhcp(&p, DHCPDISCOVER);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(dhcp_msg_max_reply(&m), DHCP_REPLY_MIN);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v[0] = cases[i].opt57 >> 8;
		v[1] = cases[i].opt57 & 0xff;
		p_dhcp(&p, DHCPDISCOVER);
		p_opt(&p, DHO_MAX_MESSAGE_SIZE, v, 2);
		p_end(&p);
		assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
		assert_int_equal(dhcp_msg_max_reply(&m), cases[i].max);
	}
	/* a wrong length counts as absent */
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_MAX_MESSAGE_SIZE, "\x05\xdc\x00", 3);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &m, NULL), 0);
	assert_int_equal(dhcp_msg_max_reply(&m), DHCP_REPLY_MIN);
}

/* a parsed DISCOVER with the broadcast bit, from a relay with option 82 */
static void
relayed_request(struct pkt *p, struct dhcp_msg *m, size_t agent_len)
{
	uint8_t	 agent[255];

	memset(agent, 0xab, sizeof(agent));
	p_dhcp(p, DHCPDISCOVER);
	p->b[10] = 0x80;
	set_addr(p, 24, "10.60.0.1");
	p_opt(p, DHO_PARAMETER_LIST, prl, sizeof(prl));
	if (agent_len > 0)
		p_opt(p, DHO_RELAY_AGENT_INFO, agent, agent_len);
	p_end(p);
	assert_int_equal(dhcp_msg_parse(p->b, p->len, m, NULL), 0);
}

static void
test_build_reply(void **state)
{
	struct pkt		 p;
	struct dhcp_msg		 req, m;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	uint8_t			 out[1500];
	const uint8_t		*v;
	size_t			 n, l;

	relayed_request(&p, &req, 12);
	memset(&r, 0, sizeof(r));
	r.type = DHCPOFFER;
	r.yiaddr = addr("10.60.0.100");
	r.siaddr = addr("10.60.0.1");
	r.file = "pxelinux.0";
	dhcp_builder_init(&b, out, sizeof(out), dhcp_msg_max_reply(&req));
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option_addr(&b, DHO_SERVER_ID,
	    addr("10.60.0.1")), 0);
	assert_int_equal(dhcp_build_option_u32(&b, DHO_LEASE_TIME, 3600), 0);
	/* the same code twice is refused, and not an error */
	assert_int_equal(dhcp_build_option_u32(&b, DHO_LEASE_TIME, 60), -1);
	assert_int_equal(b.dropped, 1);
	assert_false(b.error);
	/* 82 is the builder's own, 53 already written */
	assert_int_equal(dhcp_build_option(&b, DHO_RELAY_AGENT_INFO, "x", 1),
	    -1);
	assert_int_equal(dhcp_build_option(&b, DHO_MESSAGE_TYPE, "\x05", 1),
	    -1);
	/* replies never lend file and sname */
	assert_int_equal(dhcp_build_option(&b, DHO_OVERLOAD, "\x03", 1), -1);
	assert_int_equal(b.dropped, 4);
	n = dhcp_build_finish(&b);
	assert_int_equal(n, DHCP_BOOTP_MIN);
	assert_int_equal(out[0], DHCP_BOOTREPLY);
	assert_memory_equal(out + 236, cookie, 4);
	/* 53 comes first */
	assert_memory_equal(out + 240, "\x35\x01\x02", 3);
	/* then 54, 51, then the echoed 82, then END */
	assert_int_equal(out[243], DHO_SERVER_ID);
	assert_int_equal(out[249], DHO_LEASE_TIME);
	assert_int_equal(out[255], DHO_RELAY_AGENT_INFO);
	assert_int_equal(out[256], 12);
	assert_int_equal(out[269], DHO_END);
	assert_int_equal(out[270], 0);

	assert_int_equal(dhcp_msg_parse(out, n, &m, NULL), 0);
	assert_int_equal(m.op, DHCP_BOOTREPLY);
	assert_int_equal(m.type, DHCPOFFER);
	assert_int_equal(m.xid, req.xid);
	assert_int_equal(m.flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(m.hops, 0);
	assert_int_equal(m.secs, 0);
	assert_int_equal(m.htype, req.htype);
	assert_int_equal(m.hlen, req.hlen);
	assert_memory_equal(m.chaddr, req.chaddr, DHCP_CHADDR_LEN);
	assert_int_equal(m.giaddr.s_addr, addr("10.60.0.1").s_addr);
	assert_int_equal(m.yiaddr.s_addr, r.yiaddr.s_addr);
	assert_int_equal(m.siaddr.s_addr, r.siaddr.s_addr);
	assert_int_equal(m.ciaddr.s_addr, 0);
	assert_string_equal(m.file, "pxelinux.0");
	assert_string_equal(m.sname, "");
	assert_int_equal(dhcp_msg_relay_info(&m, &v, &l), 0);
	assert_int_equal(l, 12);
	assert_memory_equal(v, req.optdata + req.opt_off[82], 12);
	assert_false(m.missing_end);

	/* finish once only; no options after it */
	assert_int_equal(dhcp_build_finish(&b), 0);
	assert_true(b.error);

	/* a NAK through a relay asks for the broadcast bit */
	relayed_request(&p, &req, 0);
	req.flags = 0;
	memset(&r, 0, sizeof(r));
	r.type = DHCPNAK;
	r.broadcast = 1;
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(out[10], 0x80);
	assert_int_equal(out[11], 0);
}

static void
test_build_bootp(void **state)
{
	struct pkt		 p;
	struct dhcp_msg		 req, m;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	uint8_t			 out[600];
	size_t			 n;

	p_fixed(&p);
	/* a 16-byte hardware address goes back whole */
	p.b[2] = 16;
	memset(p.b + 28, 0x5a, 16);
	while (p.len < 300)
		p_byte(&p, 0);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &req, NULL), 0);
	memset(&r, 0, sizeof(r));
	r.yiaddr = addr("192.168.1.10");
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option_addr(&b, DHO_SUBNET_MASK,
	    addr("255.255.255.0")), 0);
	n = dhcp_build_finish(&b);
	assert_int_equal(n, 300);
	assert_int_equal(dhcp_msg_parse(out, n, &m, NULL), 0);
	assert_true(m.has_cookie);
	assert_int_equal(m.type, 0);
	assert_false(dhcp_msg_has_option(&m, DHO_MESSAGE_TYPE));
	assert_true(dhcp_msg_has_option(&m, DHO_SUBNET_MASK));
	assert_int_equal(m.hlen, 16);
	assert_memory_equal(m.chaddr, p.b + 28, 16);
	assert_int_equal(dhcp_reply_dest(&req, DHCPACK), DHCP_DEST_BROADCAST);

	/* names that do not fit their fields */
	memset(&r, 0, sizeof(r));
	r.sname = "a-name-longer-than-sixty-four-bytes-does-not-fit-the-sname"
	    "-field-of-bootp";
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), -1);
	assert_int_equal(dhcp_build_finish(&b), 0);
}

static void
test_build_split(void **state)
{
	struct pkt		 p;
	struct dhcp_msg		 req, m;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	uint8_t			 out[1500], big[600];
	const uint8_t		*v;
	size_t			 n, l, i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13);
	p_dhcp(&p, DHCPDISCOVER);
	p_opt(&p, DHO_MAX_MESSAGE_SIZE, "\x05\xdc", 2);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &req, NULL), 0);
	memset(&r, 0, sizeof(r));
	r.type = DHCPACK;
	dhcp_builder_init(&b, out, sizeof(out), dhcp_msg_max_reply(&req));
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option(&b, DHO_DOMAIN_SEARCH, big,
	    sizeof(big)), 0);
	assert_int_equal(dhcp_build_option(&b, 80, NULL, 0), 0);
	n = dhcp_build_finish(&b);
	/* 240 + 3 + 600 + 3 * 2 + 2 + 1 */
	assert_int_equal(n, 852);
	/* three instances: 255, 255, 90 */
	assert_int_equal(out[243], DHO_DOMAIN_SEARCH);
	assert_int_equal(out[244], 255);
	assert_int_equal(out[243 + 257], DHO_DOMAIN_SEARCH);
	assert_int_equal(out[244 + 257], 255);
	assert_int_equal(out[243 + 514], DHO_DOMAIN_SEARCH);
	assert_int_equal(out[244 + 514], 90);
	assert_int_equal(dhcp_msg_parse(out, n, &m, NULL), 0);
	assert_int_equal(dhcp_msg_option(&m, DHO_DOMAIN_SEARCH, &v, &l), 1);
	assert_int_equal(l, sizeof(big));
	assert_memory_equal(v, big, sizeof(big));
	assert_int_equal(dhcp_msg_option(&m, 80, &v, &l), 1);
	assert_int_equal(l, 0);
}

static void
test_build_limits(void **state)
{
	struct pkt		 p;
	struct dhcp_msg		 req, m;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	uint8_t			 out[1500], val[400];
	size_t			 n;

	memset(val, 'v', sizeof(val));
	memset(&r, 0, sizeof(r));
	r.type = DHCPOFFER;

	/* no option 57: 548 bytes; with 82 of 100 bytes kept room for */
	relayed_request(&p, &req, 100);
	dhcp_builder_init(&b, out, sizeof(out), dhcp_msg_max_reply(&req));
	assert_int_equal(b.max, 548);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	/* 243 used; 548 - 243 - 1 - 102 = 202 left, 2 after this */
	assert_int_equal(dhcp_build_option(&b, 200, val, 198), 0);
	assert_int_equal(b.len, 443);
	assert_int_equal(dhcp_build_option(&b, 201, val, 1), -1);
	assert_int_equal(b.dropped, 1);
	assert_int_equal(dhcp_build_option(&b, 202, NULL, 0), 0);
	assert_int_equal(dhcp_build_option(&b, 203, NULL, 0), -1);
	assert_int_equal(b.dropped, 2);
	assert_false(b.error);
	n = dhcp_build_finish(&b);
	assert_int_equal(n, 548);
	assert_int_equal(out[n - 1], DHO_END);
	assert_int_equal(out[n - 103], DHO_RELAY_AGENT_INFO);
	assert_int_equal(dhcp_msg_parse(out, n, &m, NULL), 0);
	assert_true(dhcp_msg_has_option(&m, 200));
	assert_false(dhcp_msg_has_option(&m, 201));
	assert_true(dhcp_msg_has_option(&m, 202));
	assert_true(dhcp_msg_has_option(&m, DHO_RELAY_AGENT_INFO));

	/* a small value goes in after a big one was dropped */
	relayed_request(&p, &req, 0);
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option(&b, 200, val, 400), -1);
	assert_int_equal(dhcp_build_option(&b, 201, val, 10), 0);
	assert_int_equal(dhcp_build_finish(&b), 300);

	/* the buffer bounds max, and a max under 300 is raised */
	dhcp_builder_init(&b, out, 400, 1472);
	assert_int_equal(b.max, 400);
	dhcp_builder_init(&b, out, 400, 100);
	assert_int_equal(b.max, 300);

	/* misuse */
	dhcp_builder_init(&b, out, 299, 0);
	assert_true(b.error);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), -1);
	dhcp_builder_init(&b, NULL, 1500, 0);
	assert_true(b.error);
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_option(&b, 3, val, 4), -1);
	assert_true(b.error);
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option(&b, DHO_PAD, val, 1), -1);
	assert_true(b.error);
	assert_int_equal(dhcp_build_finish(&b), 0);
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option(&b, 3, NULL, 4), -1);
	assert_true(b.error);
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_option(&b, 3, val, DHCP_OPTDATA_MAX + 1),
	    -1);
	assert_true(b.error);
}

static void
test_build_relay_too_big(void **state)
{
	struct pkt		 p;
	struct dhcp_msg		 req;
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	uint8_t			 out[1500], agent[255];
	int			 i;

	/* 82 of 1020 bytes in four instances cannot fit 548 bytes */
	memset(agent, 1, sizeof(agent));
	p_dhcp(&p, DHCPDISCOVER);
	for (i = 0; i < 4; i++)
		p_opt(&p, DHO_RELAY_AGENT_INFO, agent, 255);
	p_end(&p);
	assert_int_equal(dhcp_msg_parse(p.b, p.len, &req, NULL), 0);
	memset(&r, 0, sizeof(r));
	r.type = DHCPOFFER;
	dhcp_builder_init(&b, out, sizeof(out), 0);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), -1);
	assert_int_equal(dhcp_build_finish(&b), 0);
	/* a client taking 1500 bytes gets it back in four pieces */
	dhcp_builder_init(&b, out, sizeof(out), DHCP_REPLY_MAX);
	assert_int_equal(dhcp_build_reply(&b, &req, &r), 0);
	assert_int_equal(dhcp_build_finish(&b), 240 + 3 + 1020 + 8 + 1);
}

/* RFC 1071's worked example */
static void
test_cksum(void **state)
{
	static const uint8_t	 data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4,
	    0xf5, 0xf6, 0xf7 };
	uint8_t			 odd[3] = { 0x01, 0x02, 0x03 };

	assert_int_equal(dhcp_inet_cksum(data, sizeof(data)), 0x220d);
	/* an odd byte counts as the high half of a last word */
	assert_int_equal(dhcp_inet_cksum(odd, 3), (uint16_t)~0x0402);
	assert_int_equal(dhcp_inet_cksum(odd, 0), 0xffff);
}

/* made by make_dhcp_seeds.py --frame (scapy), 244-byte payload */
static const uint8_t scapy_headers[42] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	0x00, 0x00, 0x00, 0xfe, 0x08, 0x00, 0x45, 0x00,
	0x01, 0x10, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb6, 0x27, 0xc0, 0xa8, 0x01, 0x01, 0xc0, 0xa8,
	0x01, 0x64, 0x00, 0x43, 0x00, 0x44, 0x00, 0xfc,
	0x56, 0x18,
};

/* the checksum over the pseudo-header and UDP part: 0 when it holds */
static uint16_t
udp_check(const uint8_t *frame, size_t len)
{
	uint8_t		 buf[2048];
	size_t		 udplen = len - DHCP_ETHER_LEN - DHCP_IP_LEN;

	assert_true(12 + udplen <= sizeof(buf));
	memcpy(buf, frame + DHCP_ETHER_LEN + 12, 8);
	buf[8] = 0;
	buf[9] = IPPROTO_UDP;
	buf[10] = udplen >> 8;
	buf[11] = udplen & 0xff;
	memcpy(buf + 12, frame + DHCP_ETHER_LEN + DHCP_IP_LEN, udplen);
	return dhcp_inet_cksum(buf, 12 + udplen);
}

static void
test_frame(void **state)
{
	struct dhcp_frame_addrs	 fa;
	uint8_t			 payload[244], out[1600];
	size_t			 n;

	memset(payload, 0, sizeof(payload));
	payload[0] = 2;
	payload[1] = 1;
	payload[2] = 6;
	memcpy(payload + 4, "\x12\x34\x56\x78", 4);
	memcpy(payload + 16, "\xc0\xa8\x01\x64", 4);
	memcpy(payload + 28, mac, 6);
	memcpy(payload + 236, cookie, 4);
	memcpy(payload + 240, "\x35\x01\x02\xff", 4);

	memset(&fa, 0, sizeof(fa));
	memcpy(fa.src_mac, "\x02\x00\x00\x00\x00\xfe", 6);
	memcpy(fa.dst_mac, mac, 6);
	fa.src = addr("192.168.1.1");
	fa.dst = addr("192.168.1.100");
	fa.sport = DHCP_PORT_SERVER;
	fa.dport = DHCP_PORT_CLIENT;
	n = dhcp_frame_build(&fa, payload, sizeof(payload), out, sizeof(out));
	assert_int_equal(n, 42 + 244);
	assert_memory_equal(out, scapy_headers, sizeof(scapy_headers));
	assert_memory_equal(out + 42, payload, sizeof(payload));
	/* both checksums verify to zero */
	assert_int_equal(dhcp_inet_cksum(out + DHCP_ETHER_LEN, DHCP_IP_LEN), 0);
	assert_int_equal(udp_check(out, n), 0);

	/* an odd payload length */
	n = dhcp_frame_build(&fa, payload, 243, out, sizeof(out));
	assert_int_equal(n, 42 + 243);
	assert_int_equal(dhcp_inet_cksum(out + DHCP_ETHER_LEN, DHCP_IP_LEN), 0);
	assert_int_equal(udp_check(out, n), 0);

	/* too small a buffer, or none */
	assert_int_equal(dhcp_frame_build(&fa, payload, 244, out, 285), 0);
	assert_int_equal(dhcp_frame_build(&fa, payload, 244, out, 41), 0);
	assert_int_equal(dhcp_frame_build(&fa, NULL, 10, out, sizeof(out)),
	    0);
	assert_int_equal(dhcp_frame_build(&fa, payload, 65536, out,
	    sizeof(out)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover),
		cmocka_unit_test(test_request_selecting),
		cmocka_unit_test(test_renew_release_inform),
		cmocka_unit_test(test_relayed),
		cmocka_unit_test(test_bootp),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_bad_overload),
		cmocka_unit_test(test_rfc3396),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_missing_end),
		cmocka_unit_test(test_too_many_bytes),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_fqdn),
		cmocka_unit_test(test_max_reply),
		cmocka_unit_test(test_build_reply),
		cmocka_unit_test(test_build_bootp),
		cmocka_unit_test(test_build_split),
		cmocka_unit_test(test_build_limits),
		cmocka_unit_test(test_build_relay_too_big),
		cmocka_unit_test(test_cksum),
		cmocka_unit_test(test_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
