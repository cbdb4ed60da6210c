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

#include "dhcp_options.h"

#define NWORDS(a)	(sizeof(a) / sizeof((a)[0]))

struct enc {
	uint8_t	 v[DHCP_OPTION_VALUE_MAX];
	size_t	 len;
	char	 err[DHCP_OPTION_ERR_MAX];
};

/* the words of a line given as one string, split as decode's text */
static int
encode_line(uint8_t code, const char *line, struct enc *e)
{
	char		 copy[DHCP_OPTION_TEXT_MAX];
	const char	*words[DHCP_OPTION_VALUE_MAX];
	int		 n;

	assert_true(strlcpy(copy, line, sizeof(copy)) < sizeof(copy));
	n = dhcp_option_split(copy, words, NWORDS(words));
	assert_true(n >= 0);
	e->err[0] = '\0';
	return dhcp_option_encode(code, words, n, e->v, &e->len, e->err,
	    sizeof(e->err));
}

/*
 * line encodes to the len bytes of want, and the value prints back as
 * text (printed when given) that encodes to the same bytes.
 */
static void
expect_enc(uint8_t code, const char *line, const void *want, size_t len,
    const char *printed)
{
	struct enc	 e, back;
	char		 text[DHCP_OPTION_TEXT_MAX];

	if (encode_line(code, line, &e) == -1)
		fail_msg("option %u %s: %s", code, line, e.err);
	assert_int_equal(e.len, len);
	assert_memory_equal(e.v, want, len);
	assert_int_equal(dhcp_option_decode(code, e.v, e.len, text,
	    sizeof(text)), 0);
	if (printed != NULL)
		assert_string_equal(text, printed);
	assert_int_equal(encode_line(code, text, &back), 0);
	assert_int_equal(back.len, e.len);
	assert_memory_equal(back.v, e.v, e.len);
}

static void
expect_err(uint8_t code, const char *line, const char *msg)
{
	struct enc	 e;

	assert_int_equal(encode_line(code, line, &e), -1);
	assert_string_equal(e.err, msg);
}

static void
test_lookup(void **state)
{
	char		 err[DHCP_OPTION_ERR_MAX], buf[4];
	uint8_t		 code = 0;
	const struct dhcp_option_def	*d;
	static const struct {
		const char	*name;
		uint8_t		 code;
	} names[] = {
		{ "router", 3 }, { "dns-server", 6 }, { "domain-name", 15 },
		{ "hostname", 12 }, { "ntp-server", 42 },
		{ "domain-search", 119 }, { "classless-static-routes", 121 },
		{ "interface-mtu", 26 }, { "broadcast-address", 28 },
		{ "netbios-name-server", 44 }, { "tftp-server-name", 66 },
		{ "bootfile-name", 67 }, { "time-offset", 2 },
		{ "subnet-mask", 1 }, { "tftp-server-address", 150 }
	};
	size_t		 i;

	for (i = 0; i < NWORDS(names); i++) {
		assert_int_equal(dhcp_option_lookup(names[i].name, &code, err,
		    sizeof(err)), 0);
		assert_int_equal(code, names[i].code);
		assert_string_equal(dhcp_option_name(code, buf),
		    names[i].name);
		d = dhcp_option_by_code(code);
		assert_non_null(d);
		assert_ptr_equal(d, dhcp_option_by_name(names[i].name));
	}
	assert_int_equal(dhcp_option_lookup("252", &code, err, sizeof(err)),
	    0);
	assert_int_equal(code, 252);
	assert_string_equal(dhcp_option_name(252, buf), "252");
	assert_null(dhcp_option_by_code(252));
	assert_int_equal(dhcp_option_lookup("3", &code, err, sizeof(err)), 0);
	assert_int_equal(code, 3);
	assert_int_equal(dhcp_option_lookup("routers", &code, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unknown option routers");
	assert_int_equal(dhcp_option_lookup("0", &code, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "option 0: not a code from 1 to 254");
	assert_int_equal(dhcp_option_lookup("255", &code, err, sizeof(err)),
	    -1);
	assert_int_equal(dhcp_option_lookup("99999999999999999999", &code,
	    err, sizeof(err)), -1);
	assert_int_equal(dhcp_option_lookup("", &code, err, sizeof(err)), -1);
	/* the table is sorted, so lookup by code finds every entry */
	for (i = 1; i < 255; i++) {
		d = dhcp_option_by_code((uint8_t)i);
		if (d != NULL) {
			assert_int_equal(d->code, i);
			assert_ptr_equal(dhcp_option_by_name(d->name), d);
		}
	}
}

static void
test_addresses(void **state)
{
	expect_enc(3, "192.168.1.1", "\300\250\001\001", 4, "192.168.1.1");
	expect_enc(6, "192.168.1.1 8.8.8.8,1.1.1.1",
	    "\300\250\001\001\010\010\010\010\001\001\001\001", 12,
	    "192.168.1.1 8.8.8.8 1.1.1.1");
	expect_enc(42, "10.0.0.1", "\012\000\000\001", 4, NULL);
	expect_enc(44, "10.0.0.2 10.0.0.3", "\012\000\000\002\012\000\000"
	    "\003", 8, NULL);
	expect_enc(28, "192.168.1.255", "\300\250\001\377", 4,
	    "192.168.1.255");
	expect_err(3, "192.168.1.x", "option router: not an IPv4 address: "
	    "192.168.1.x");
	expect_err(6, "1.1.1.1 ::1", "option dns-server: not an IPv4 "
	    "address: ::1");
	expect_err(28, "1.1.1.1 2.2.2.2", "option broadcast-address: takes "
	    "one IPv4 address");
	expect_err(3, ",", "option router: needs an IPv4 address");
	expect_err(3, "", "option router: needs a value");
}

static void
test_strings(void **state)
{
	expect_enc(15, "lan", "lan", 3, "\"lan\"");
	expect_enc(12, "printer", "printer", 7, NULL);
	expect_enc(66, "\"tftp.lan\"", "tftp.lan", 8, "\"tftp.lan\"");
	expect_enc(67, "\"pxe linux.0\"", "pxe linux.0", 11,
	    "\"pxe linux.0\"");
	/* quotes and backslashes escaped in print */
	expect_enc(67, "\"a\\\"b\\\\c\"", "a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	/* a comma is part of a string */
	expect_enc(15, "a,b", "a,b", 3, NULL);
	expect_err(15, "a b", "option domain-name: takes one string");
	expect_err(15, "\"\"", "option domain-name: empty string");
}

static void
test_numbers(void **state)
{
	expect_enc(26, "1500", "\005\334", 2, "1500");
	expect_enc(26, "68", "\000\104", 2, NULL);
	expect_enc(2, "-3600", "\377\377\361\360", 4, "-3600");
	expect_enc(2, "3600", "\000\000\016\020", 4, "3600");
	expect_enc(23, "64", "\100", 1, "64");
	expect_enc(19, "yes", "\001", 1, "true");
	expect_enc(19, "false", "\000", 1, "false");
	expect_err(26, "67", "option interface-mtu: not a number from 68 "
	    "to 65535: 67");
	expect_err(26, "70000", "option interface-mtu: not a number from "
	    "68 to 65535: 70000");
	expect_err(26, "15x", "option interface-mtu: not a number from 68 "
	    "to 65535: 15x");
	expect_err(26, "1500 1500", "option interface-mtu: not a number "
	    "from 68 to 65535: 1500");
	expect_err(2, "2147483648", "option time-offset: not a number from "
	    "-2147483648 to 2147483647: 2147483648");
	expect_err(23, "0", "option default-ttl: not a number from 1 to "
	    "255: 0");
	expect_err(46, "-1", "option netbios-node-type: not a number from "
	    "0 to 255: -1");
	expect_err(19, "maybe", "option ip-forwarding: takes true or "
	    "false");
	/* a number where an address is wanted */
	expect_err(3, "3", "option router: not an IPv4 address: 3");
}

static void
test_domain_search(void **state)
{
	static const uint8_t	 want[] = "\003lan\000\004corp\007example\000"
	    "\001a\300\000";

	/* "a.lan" points back at "lan" at offset 0 (RFC 3397) */
	expect_enc(119, "lan corp.example a.lan", want, sizeof(want) - 1,
	    "\"lan\" \"corp.example\" \"a.lan\"");
	expect_enc(119, "lan,corp.example", want, 19, NULL);
	expect_err(119, "a..b", "option domain-search: not a domain name: "
	    "a..b");
	expect_err(119, ".", "option domain-search: not a domain name: .");
}

static void
test_routes(void **state)
{
	/* the examples of RFC 3442 section 3 */
	expect_enc(121, "10.0.0.0/8 192.168.1.1",
	    "\010\012\300\250\001\001", 6, "10.0.0.0/8 192.168.1.1");
	expect_enc(121, "default 10.0.0.1 10.17.0.0/16 10.0.0.2",
	    "\000\012\000\000\001" "\020\012\021\012\000\000\002", 12,
	    "0.0.0.0/0 10.0.0.1 10.17.0.0/16 10.0.0.2");
	expect_enc(121, "10.27.129.0/24,10.0.0.1 10.229.0.128/25 10.0.0.2",
	    "\030\012\033\201\012\000\000\001"
	    "\031\012\345\000\200\012\000\000\002", 17, NULL);
	expect_enc(121, "192.168.5.7/32 10.0.0.1",
	    "\040\300\250\005\007\012\000\000\001", 9, NULL);
	expect_err(121, "10.0.0.0/8", "option classless-static-routes: "
	    "route needs a destination/prefix and a gateway");
	expect_err(121, "10.0.0.0/8 1.1.1.1 10.1.0.0/16",
	    "option classless-static-routes: route needs a "
	    "destination/prefix and a gateway");
	expect_err(121, "10.0.0.1/8 1.1.1.1", "option "
	    "classless-static-routes: 10.0.0.1/8 has bits set past the "
	    "prefix");
	expect_err(121, "10.0.0.0/33 1.1.1.1", "option "
	    "classless-static-routes: not a destination/prefix: 10.0.0.0/33");
	expect_err(121, "10.0.0.0 1.1.1.1", "option "
	    "classless-static-routes: not a destination/prefix: 10.0.0.0");
	expect_err(121, "10.0.0.0/8 gw", "option classless-static-routes: "
	    "not an IPv4 gateway: gw");
	/* by number, the same messages name the code */
	expect_err(121, "", "option classless-static-routes: needs a value");
}

static void
test_unknown_codes(void **state)
{
	expect_enc(252, "\"http://wpad.lan/wpad.dat\"",
	    "http://wpad.lan/wpad.dat", 24, "\"http://wpad.lan/wpad.dat\"");
	expect_enc(252, "1.2.3.4", "\001\002\003\004", 4, NULL);
	expect_enc(252, "1.2.3.4 5.6.7.8", "\001\002\003\004\005\006\007"
	    "\010", 8, NULL);
	expect_enc(252, "string 1.2.3.4", "1.2.3.4", 7,
	    "string \"1.2.3.4\"");
	expect_enc(252, "300", "\000\000\001\054", 4, NULL);
	expect_enc(252, "u8 7", "\007", 1, NULL);
	expect_enc(252, "u16 7", "\000\007", 2, NULL);
	expect_enc(252, "u32 7", "\000\000\000\007", 4, NULL);
	expect_enc(252, "string 42", "42", 2, "string \"42\"");
	expect_enc(252, "hex \"01:02:ab\"", "\001\002\253", 3,
	    "hex \"01:02:ab\"");
	expect_enc(252, "hex 0102AB", "\001\002\253", 3, NULL);
	expect_enc(252, "hex 1:2:3", "\001\002\003", 3, NULL);
	expect_enc(252, "hex \"\"", "", 0, "hex \"\"");
	expect_enc(252, "\"with \\\"quote\\\"\"", "with \"quote\"", 12,
	    NULL);
	/* known options take hex too */
	expect_enc(3, "hex c0:a8:01:01", "\300\250\001\001", 4,
	    "192.168.1.1");
	expect_enc(26, "hex 0005", "\000\005", 2, "hex \"00:05\"");
	expect_err(252, "hex 0:1:", "option 252: not hex bytes: 0:1:");
	expect_err(252, "hex 012", "option 252: not hex bytes: 012");
	expect_err(252, "hex 0::1", "option 252: not hex bytes: 0::1");
	expect_err(252, "hex 123:4", "option 252: not hex bytes: 123:4");
	expect_err(252, "hex zz", "option 252: not hex bytes: zz");
	expect_err(252, "u8 256", "option 252: not a number from 0 to 255: "
	    "256");
	expect_err(252, "4294967296", "option 252: not a number from 0 to "
	    "4294967295: 4294967296");
	expect_err(252, "a b", "option 252: give addresses, a number, one "
	    "string or hex \"...\"");
}

static void
test_refused(void **state)
{
	expect_err(51, "3600", "option lease-time: set by the server, not "
	    "configurable (use lease time)");
	expect_err(54, "1.2.3.4", "option server-identifier: set by the "
	    "server, not configurable");
	expect_err(82, "hex 01", "option relay-agent-information: set by "
	    "the server, not configurable");
	expect_err(0, "1", "option 0: not a code from 1 to 254");
	expect_err(255, "1", "option 255: not a code from 1 to 254");
}

static void
test_long_values(void **state)
{
	char		 line[8192];
	uint8_t		 want[DHCP_OPTION_VALUE_MAX];
	size_t		 i, n = 0;
	struct enc	 e;

	/* 256 addresses: 1024 bytes, the most there may be */
	for (i = 0; i < 256; i++) {
		n += snprintf(line + n, sizeof(line) - n, "10.0.%zu.%zu ",
		    i / 256, i % 256);
		want[4 * i] = 10;
		want[4 * i + 1] = 0;
		want[4 * i + 2] = (uint8_t)(i / 256);
		want[4 * i + 3] = (uint8_t)(i % 256);
	}
	expect_enc(6, line, want, 1024, NULL);
	snprintf(line + n, sizeof(line) - n, "10.1.0.0");
	expect_err(6, line, "option dns-server: value longer than 1024 "
	    "bytes");
	/* a string of 1025 bytes */
	memset(line, 'a', 1025);
	line[1025] = '\0';
	expect_err(15, line, "option domain-name: value longer than 1024 "
	    "bytes");
	line[1024] = '\0';
	assert_int_equal(encode_line(15, line, &e), 0);
	assert_int_equal(e.len, 1024);
}

static void
expect_text(uint8_t code, const void *val, size_t len, const char *text)
{
	char	 out[DHCP_OPTION_TEXT_MAX];

	assert_int_equal(dhcp_option_decode(code, val, len, out, sizeof(out)),
	    0);
	assert_string_equal(out, text);
}

static void
test_decode_fallback(void **state)
{
	char	 small[8];

	/* values that do not fit their type print as hex */
	expect_text(3, "\001\002\003", 3, "hex \"01:02:03\"");
	expect_text(3, "", 0, "hex \"\"");
	expect_text(15, "a\nb", 3, "hex \"61:0a:62\"");
	expect_text(19, "\002", 1, "hex \"02\"");
	expect_text(26, "\000\020", 2, "hex \"00:10\"");
	expect_text(121, "\041\001\002\003\004\005\006\007\010", 9,
	    "hex \"21:01:02:03:04:05:06:07:08\"");
	expect_text(121, "\010\012\300\250\001", 5,
	    "hex \"08:0a:c0:a8:01\"");
	/* a client's uncompressed list would not encode the same */
	expect_text(119, "\001a\000\001b\001a\000", 8,
	    "hex \"01:61:00:01:62:01:61:00\"");
	expect_text(119, "\001a\000", 3, "\"a\"");
	expect_text(119, "\300\000", 2, "hex \"c0:00\"");
	expect_text(252, "\001\002", 2, "hex \"01:02\"");
	/* the server's own options show as their type */
	expect_text(51, "\000\000\016\020", 4, "3600");
	expect_text(54, "\300\250\001\001", 4, "192.168.1.1");
	expect_text(61, "\001\002", 2, "hex \"01:02\"");
	expect_text(51, "\001", 1, "hex \"01\"");
	/* too small a buffer */
	assert_int_equal(dhcp_option_decode(252, (const uint8_t *)"\001\002"
	    "\003", 3, small, sizeof(small)), -1);
	assert_int_equal(dhcp_option_decode(3, (const uint8_t *)"\001\002"
	    "\003\004", 4, small, 0), -1);
}

static void
test_split(void **state)
{
	char		 text[64];
	const char	*w[4];

	strlcpy(text, "  a \"b c\"\t\"d\\\"e\" \"\"", sizeof(text));
	assert_int_equal(dhcp_option_split(text, w, 4), 4);
	assert_string_equal(w[0], "a");
	assert_string_equal(w[1], "b c");
	assert_string_equal(w[2], "d\"e");
	assert_string_equal(w[3], "");
	strlcpy(text, "a b c", sizeof(text));
	assert_int_equal(dhcp_option_split(text, w, 2), -1);
	strlcpy(text, "\"open", sizeof(text));
	assert_int_equal(dhcp_option_split(text, w, 4), -1);
	strlcpy(text, "\"ends\\", sizeof(text));
	assert_int_equal(dhcp_option_split(text, w, 4), -1);
	strlcpy(text, "   ", sizeof(text));
	assert_int_equal(dhcp_option_split(text, w, 4), 0);
}

/* a request with a parameter request list (NULL: none) and maybe 81 */
static void
request(struct dhcp_msg *m, const uint8_t *prl, size_t n, int fqdn)
{
	uint8_t	 p[600];
	size_t	 len = 0;

	memset(p, 0, 236);
	p[0] = DHCP_BOOTREQUEST;
	p[1] = 1;
	p[2] = 6;
	len = 236;
	memcpy(p + len, "\143\202\123\143\065\001\001", 7);
	len += 7;
	if (prl != NULL) {
		p[len++] = DHO_PARAMETER_LIST;
		p[len++] = (uint8_t)n;
		memcpy(p + len, prl, n);
		len += n;
	}
	if (fqdn) {
		memcpy(p + len, "\121\003\000\000\000", 5);
		len += 5;
	}
	p[len++] = DHO_END;
	assert_int_equal(dhcp_msg_parse(p, len, m, NULL), 0);
}

static void
test_reply_options(void **state)
{
	struct dhcp_msg		 m;
	struct dhcp_codeset	 avail;
	uint8_t			 out[256];
	static const uint8_t	 prl[] = { 121, 3, 6, 3, 200, 53, 82, 0, 255,
	    52, 15, 1, 54 };
	static const uint8_t	 want_prl[] = { 54, 51, 58, 59, 1, 121, 3,
	    6, 15 };
	static const uint8_t	 want_none[] = { 54, 51, 58, 59, 1, 3, 6,
	    15, 42, 81, 121 };
	static const uint8_t	 want_fqdn[] = { 54, 51, 58, 59, 1, 81, 3 };
	static const uint8_t	 want_inform[] = { 54, 1, 3 };
	static const uint8_t	 have[] = { 1, 3, 6, 15, 42, 51, 52, 53, 54,
	    58, 59, 81, 82, 121 };
	size_t			 n, i;

	memset(&avail, 0, sizeof(avail));
	for (i = 0; i < sizeof(have); i++)
		dhcp_codeset_add(&avail, have[i]);
	assert_true(dhcp_codeset_has(&avail, 121));
	assert_false(dhcp_codeset_has(&avail, 120));

	/* the list in its order, each once, never 53, 82, 0, 255 */
	request(&m, prl, sizeof(prl), 0);
	n = dhcp_reply_options(&m, &avail, out);
	assert_int_equal(n, sizeof(want_prl));
	assert_memory_equal(out, want_prl, n);

	/* no list: everything there is, by code */
	request(&m, NULL, 0, 0);
	n = dhcp_reply_options(&m, &avail, out);
	assert_int_equal(n, sizeof(want_none));
	assert_memory_equal(out, want_none, n);

	/* 81 when the client sent it, after the ones always sent */
	request(&m, (const uint8_t *)"\003", 1, 1);
	n = dhcp_reply_options(&m, &avail, out);
	assert_int_equal(n, sizeof(want_fqdn));
	assert_memory_equal(out, want_fqdn, n);

	/* an INFORM reply has no lease times */
	memset(&avail, 0, sizeof(avail));
	dhcp_codeset_add(&avail, 1);
	dhcp_codeset_add(&avail, 3);
	dhcp_codeset_add(&avail, 54);
	dhcp_codeset_add(&avail, 6);
	request(&m, (const uint8_t *)"\003", 1, 0);
	n = dhcp_reply_options(&m, &avail, out);
	assert_int_equal(n, sizeof(want_inform));
	assert_memory_equal(out, want_inform, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_domain_search),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_decode_fallback),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_reply_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
