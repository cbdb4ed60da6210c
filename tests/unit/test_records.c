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
 * The local records the parent sends the DNS engine: what "record" and
 * "address" lines and hosts files encode, read back with the engine's
 * own wire parser.
 */

#include <sys/types.h>
#include <sys/queue.h>
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
#include "imsg.h"
#include "log.h"
#include "testconf.h"
#include "wire.h"

/* an rr_buf entry, parsed by the DNS engine's reader */
struct parsed {
	uint8_t		 kind;
	char		 owner[DNS_NAME_TEXT_MAX];
	struct dns_rr	 rr;
	const uint8_t	*rdata;
};

/* read every entry of b; returns how many */
static size_t
parse_all(const struct rr_buf *b, struct parsed *out, size_t max)
{
	struct dns_cursor	 cur;
	size_t			 n = 0;

	dns_cursor_init(&cur, b->data, b->len);
	while (cur.pos < b->len) {
		uint8_t		 kind;

		assert_true(n < max);
		assert_int_equal(dns_read_u8(&cur, &kind), 0);
		out[n].kind = kind;
		assert_int_equal(dns_read_rr(&cur, &out[n].rr), 0);
		assert_int_equal(dns_name_to_text(out[n].rr.name,
		    out[n].rr.name_len, out[n].owner, sizeof(out[n].owner)), 0);
		assert_int_equal(out[n].rr.rclass, DNS_CLASS_IN);
		assert_int_equal(out[n].rr.ttl, 0);
		out[n].rdata = b->data + out[n].rr.rdata_off;
		n++;
	}
	assert_int_equal(cur.pos, b->len);
	assert_int_equal(n, b->count);
	return n;
}

static struct rr_arg *
args(size_t n, ...)
{
	static struct rr_arg	 a[16];
	va_list			 ap;
	size_t			 i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char	*s = va_arg(ap, const char *);

		memset(&a[i], 0, sizeof(a[i]));
		if (s[0] == '#') {
			a[i].is_number = 1;
			a[i].number = strtoll(s + 1, NULL, 10);
		} else
			a[i].string = (char *)s;
	}
	va_end(ap);
	return a;
}

static void
add_ok(struct rr_buf *b, const char *owner, const char *type, size_t n,
    struct rr_arg *a)
{
	char	 err[512];

	if (records_add_record(b, owner, type, a, n, err, sizeof(err)) == -1)
		fail_msg("record %s %s refused: %s", owner, type, err);
}

static void
add_bad(const char *owner, const char *type, size_t n, struct rr_arg *a,
    const char *message)
{
	struct rr_buf	 b;
	char		 err[512] = "";

	rr_buf_init(&b, 0);
	assert_int_equal(records_add_record(&b, owner, type, a, n, err,
	    sizeof(err)), -1);
	if (strstr(err, message) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", message, err);
	assert_int_equal(b.len, 0);
	rr_buf_free(&b);
}

static void
test_each_type(void **state)
{
	static const uint8_t	 mx[] = { 0, 10, 4, 'm', 'a', 'i', 'l', 3,
	    'l', 'a', 'n', 0 };
	static const uint8_t	 srv[] = { 0, 1, 0, 2, 1, 0x85, 2, 'd', 'c',
	    3, 'l', 'a', 'n', 0 };
	static const uint8_t	 txt[] = { 11, 'v', '=', 's', 'p', 'f', '1',
	    ' ', '-', 'a', 'l', 'l', 0, 2, 'x', 'y' };
	static const uint8_t	 naptr[] = { 0, 100, 0, 10, 1, 'u', 7, 'E',
	    '2', 'U', '+', 's', 'i', 'p', 3, '!', 'a', '!', 0 };
	static const uint8_t	 caa[] = { 128, 5, 'i', 's', 's', 'u', 'e',
	    'c', 'a', '.', 'e', 'x' };
	struct parsed		 p[16];
	struct rr_buf		 b;
	uint8_t			 a4[4], a6[16];

	rr_buf_init(&b, 0);
	add_ok(&b, "Router.LAN.", "A", 1, args(1, "192.168.1.1"));
	add_ok(&b, "router.lan", "aaaa", 1, args(1, "fd00::1"));
	add_ok(&b, "lan", "MX", 2, args(2, "#10", "mail.lan"));
	add_ok(&b, "_ldap._tcp.lan", "SRV", 4, args(4, "#1", "2", "#389",
	    "dc.lan"));
	add_ok(&b, "www.lan", "CNAME", 1, args(1, "router.lan"));
	add_ok(&b, "lan", "TXT", 3, args(3, "v=spf1 -all", "", "xy"));
	add_ok(&b, "1.1.168.192.in-addr.arpa", "PTR", 1, args(1,
	    "router.lan"));
	add_ok(&b, "lan", "NAPTR", 6, args(6, "#100", "#10", "u", "E2U+sip",
	    "!a!", "."));
	add_ok(&b, "lan", "CAA", 3, args(3, "#128", "issue", "ca.ex"));
	add_ok(&b, "bücher.lan", "A", 1, args(1, "10.0.0.9"));
	assert_int_equal(parse_all(&b, p, 16), 10);

	inet_pton(AF_INET, "192.168.1.1", a4);
	inet_pton(AF_INET6, "fd00::1", a6);
	assert_int_equal(p[0].kind, RECORD_EXACT);
	assert_string_equal(p[0].owner, "router.lan");
	assert_int_equal(p[0].rr.type, DNS_TYPE_A);
	assert_int_equal(p[0].rr.rdlen, 4);
	assert_memory_equal(p[0].rdata, a4, 4);
	assert_int_equal(p[1].rr.type, DNS_TYPE_AAAA);
	assert_memory_equal(p[1].rdata, a6, 16);
	assert_int_equal(p[2].rr.type, DNS_TYPE_MX);
	assert_int_equal(p[2].rr.rdlen, sizeof(mx));
	assert_memory_equal(p[2].rdata, mx, sizeof(mx));
	assert_string_equal(p[3].owner, "_ldap._tcp.lan");
	assert_int_equal(p[3].rr.type, DNS_TYPE_SRV);
	assert_int_equal(p[3].rr.rdlen, sizeof(srv));
	assert_memory_equal(p[3].rdata, srv, sizeof(srv));
	assert_int_equal(p[4].rr.type, DNS_TYPE_CNAME);
	assert_int_equal(p[5].rr.type, DNS_TYPE_TXT);
	assert_int_equal(p[5].rr.rdlen, sizeof(txt));
	assert_memory_equal(p[5].rdata, txt, sizeof(txt));
	assert_string_equal(p[6].owner, "1.1.168.192.in-addr.arpa");
	assert_int_equal(p[6].rr.type, DNS_TYPE_PTR);
	assert_int_equal(p[7].rr.type, 35);
	assert_int_equal(p[7].rr.rdlen, sizeof(naptr));
	assert_memory_equal(p[7].rdata, naptr, sizeof(naptr));
	assert_int_equal(p[8].rr.type, 257);
	assert_int_equal(p[8].rr.rdlen, sizeof(caa));
	assert_memory_equal(p[8].rdata, caa, sizeof(caa));
	assert_string_equal(p[9].owner, "xn--bcher-kva.lan");
	rr_buf_free(&b);
}

static void
test_bad_records(void **state)
{
	char	 long_str[300];

	memset(long_str, 'x', 256);
	long_str[256] = '\0';
	add_bad("x.lan", "FOO", 1, args(1, "1"), "unknown type \"FOO\"");
	add_bad("x..lan", "A", 1, args(1, "10.0.0.1"), "not a domain name");
	add_bad(".", "A", 1, args(1, "10.0.0.1"), "not a domain name");
	add_bad("x.lan", "A", 1, args(1, "::1"), "A needs an IPv4 address");
	add_bad("x.lan", "A", 2, args(2, "10.0.0.1", "10.0.0.2"),
	    "A needs an IPv4 address");
	add_bad("x.lan", "AAAA", 1, args(1, "10.0.0.1"),
	    "AAAA needs an IPv6 address");
	add_bad("x.lan", "MX", 1, args(1, "#10"),
	    "MX needs a preference and a name");
	add_bad("x.lan", "MX", 2, args(2, "#65536", "m.lan"),
	    "MX preference 65536");
	add_bad("x.lan", "SRV", 3, args(3, "#0", "#0", "#1"),
	    "SRV needs a priority, a weight, a port and a target");
	add_bad("x.lan", "CNAME", 1, args(1, "."), "not a domain name");
	add_bad("x.lan", "TXT", 0, args(0), "TXT needs one or more strings");
	add_bad("x.lan", "TXT", 1, args(1, long_str),
	    "TXT string longer than 255 bytes");
	add_bad("x.lan", "NAPTR", 5, args(5, "#1", "#1", "u", "s", "r"),
	    "NAPTR needs");
	add_bad("x.lan", "CAA", 3, args(3, "#256", "issue", "x"),
	    "CAA flags 256");
	add_bad("x.lan", "CAA", 3, args(3, "#0", "is sue", "x"),
	    "CAA tag \"is sue\"");
}

static void
test_addresses(void **state)
{
	struct parsed	 p[8];
	struct rr_buf	 b;
	char		 err[512];

	rr_buf_init(&b, 0);
	assert_int_equal(records_add_address(&b, "Ads.Example", args(2,
	    "0.0.0.0", "::"), 2, err, sizeof(err)), 0);
	assert_int_equal(records_add_address(&b, "tracker.example", NULL, 0,
	    err, sizeof(err)), 0);
	assert_int_equal(parse_all(&b, p, 8), 3);
	assert_int_equal(p[0].kind, RECORD_SUBTREE);
	assert_string_equal(p[0].owner, "ads.example");
	assert_int_equal(p[0].rr.type, DNS_TYPE_A);
	assert_int_equal(p[1].kind, RECORD_SUBTREE);
	assert_int_equal(p[1].rr.type, DNS_TYPE_AAAA);
	assert_int_equal(p[2].kind, RECORD_NXDOMAIN);
	assert_string_equal(p[2].owner, "tracker.example");
	assert_int_equal(p[2].rr.type, 0);
	assert_int_equal(p[2].rr.rdlen, 0);

	/* one bad address and none of the line is kept */
	assert_int_equal(records_add_address(&b, "x.example", args(2,
	    "10.0.0.1", "10.0.0"), 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an IPv4 or IPv6 address"));
	assert_int_equal(b.count, 3);
	rr_buf_free(&b);
}

/* batches: whole entries, each at most the payload, all of them */
static void
test_batches(void **state)
{
	struct rr_buf	 b;
	struct rr_entry	 e;
	char		 name[64], err[512];
	size_t		 i, off, n, batches = 0, entries = 0, at;

	rr_buf_init(&b, MOAT_RECORDS_MAX);
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "ad%zu.example", i);
		assert_int_equal(records_add_address(&b, name, args(1,
		    "0.0.0.0"), 1, err, sizeof(err)), 0);
	}
	for (off = 0; off < b.len; off += n) {
		n = rr_buf_batch(&b, off, IMSG_MAX_PAYLOAD);
		assert_true(n > 0);
		assert_true(n <= IMSG_MAX_PAYLOAD);
		for (at = off; at < off + n; at += e.len) {
			assert_int_equal(rr_entry_read(b.data + at,
			    off + n - at, &e), 0);
			entries++;
		}
		assert_int_equal(at, off + n);
		batches++;
	}
	assert_int_equal(entries, 100000);
	assert_true(batches >= b.len / IMSG_MAX_PAYLOAD);
	assert_true(batches <= b.len / IMSG_MAX_PAYLOAD + 2);
	assert_int_equal(rr_buf_batch(&b, b.len, IMSG_MAX_PAYLOAD), 0);
	rr_buf_free(&b);

	/* the bound */
	rr_buf_init(&b, 100);
	assert_int_equal(records_add_address(&b, "a.example", args(1,
	    "10.0.0.1"), 1, err, sizeof(err)), 0);
	for (i = 0; i < 10; i++)
		if (records_add_address(&b, "a.example", args(1,
		    "10.0.0.1"), 1, err, sizeof(err)) == -1)
			break;
	assert_true(i < 10);
	assert_non_null(strstr(err, "local records take more than 100 bytes"));
	assert_true(b.len <= 100);
	rr_buf_free(&b);
}

static void
test_reverse_names(void **state)
{
	char	 buf[128];
	uint8_t	 a[16];

	inet_pton(AF_INET, "192.168.1.10", a);
	records_reverse_name(AF_INET, a, buf, sizeof(buf));
	assert_string_equal(buf, "10.1.168.192.in-addr.arpa");
	inet_pton(AF_INET6, "2001:db8::5f", a);
	records_reverse_name(AF_INET6, a, buf, sizeof(buf));
	assert_string_equal(buf, "f.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

/* hosts_read with what it logs caught in logged[] */
static int
read_hosts(const char *path, const char *domain, struct rr_buf *b)
{
	struct capture	 c;
	int		 rv;

	capture_begin(&c);
	rv = hosts_read(path, domain, b);
	capture_end(&c);
	return rv;
}

static const struct parsed *
find(const struct parsed *p, size_t n, const char *owner, uint16_t type)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].owner, owner) == 0 && p[i].rr.type == type)
			return &p[i];
	return NULL;
}

static size_t
count(const struct parsed *p, size_t n, const char *owner, uint16_t type)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].owner, owner) == 0 && p[i].rr.type == type)
			c++;
	return c;
}

static void
test_hosts(void **state)
{
	struct parsed		 p[64];
	const struct parsed	*q;
	struct rr_buf		 b;
	struct dns_cursor	 cur;
	uint8_t			 name[DNS_NAME_MAX];
	char			 text[DNS_NAME_TEXT_MAX];
	size_t			 n, len;
	char			*path;

	path = write_file("hosts",
	    "# the usual\n"
	    "127.0.0.1\tlocalhost\n"
	    "::1 localhost ip6-localhost   # comment\n"
	    "\n"
	    "192.168.1.10 Router router.lan.example # router\n"
	    "192.168.1.10 other\n"
	    "127.0.0.1 localhost\n"
	    "10.0.0.300 broken\n"
	    "10.0.0.5\n"
	    "10.0.0.6 good bad..name\n"
	    "fe80::1%eth0 linklocal\n"
	    "   # indented comment\n");
	rr_buf_init(&b, 0);
	assert_int_equal(read_hosts(path, "home", &b), 0);
	n = parse_all(&b, p, 64);

	/* bad lines and names are named, with their line */
	assert_non_null(strstr(logged, "hosts:8: \"10.0.0.300\": not an "
	    "address"));
	assert_non_null(strstr(logged, "hosts:9: an address without a host "
	    "name"));
	assert_non_null(strstr(logged, "hosts:10: \"bad..name\": not a host "
	    "name"));

	assert_non_null(q = find(p, n, "localhost", DNS_TYPE_A));
	assert_int_equal(q->kind, RECORD_EXACT);
	assert_int_equal(count(p, n, "localhost", DNS_TYPE_A), 1);
	assert_int_equal(count(p, n, "localhost", DNS_TYPE_AAAA), 1);
	assert_non_null(find(p, n, "localhost.home", DNS_TYPE_A));
	assert_non_null(find(p, n, "ip6-localhost", DNS_TYPE_AAAA));
	assert_non_null(find(p, n, "router", DNS_TYPE_A));
	assert_non_null(find(p, n, "router.home", DNS_TYPE_A));
	assert_non_null(find(p, n, "router.lan.example", DNS_TYPE_A));
	assert_null(find(p, n, "router.lan.example.home", DNS_TYPE_A));
	assert_non_null(find(p, n, "other", DNS_TYPE_A));
	assert_null(find(p, n, "broken", DNS_TYPE_A));
	assert_non_null(find(p, n, "good", DNS_TYPE_A));
	assert_non_null(find(p, n, "linklocal", DNS_TYPE_AAAA));

	/* one PTR per address, to the first name of its first line */
	assert_int_equal(count(p, n, "10.1.168.192.in-addr.arpa",
	    DNS_TYPE_PTR), 1);
	q = find(p, n, "10.1.168.192.in-addr.arpa", DNS_TYPE_PTR);
	dns_cursor_init(&cur, b.data, b.len);
	cur.pos = q->rr.rdata_off;
	assert_int_equal(dns_read_name(&cur, name, &len), 0);
	assert_int_equal(dns_name_to_text(name, len, text, sizeof(text)), 0);
	assert_string_equal(text, "router.home");
	assert_int_equal(count(p, n, "1.0.0.127.in-addr.arpa", DNS_TYPE_PTR),
	    1);
	assert_non_null(find(p, n, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa", DNS_TYPE_PTR));
	rr_buf_free(&b);

	/* without a domain, names stay as they are */
	rr_buf_init(&b, 0);
	assert_int_equal(read_hosts(path, "", &b), 0);
	n = parse_all(&b, p, 64);
	assert_null(find(p, n, "router.home", DNS_TYPE_A));
	q = find(p, n, "10.1.168.192.in-addr.arpa", DNS_TYPE_PTR);
	assert_non_null(q);
	rr_buf_free(&b);

	assert_int_equal(read_hosts("/nonexistent/hosts", "", &b), -1);
	assert_int_equal(b.len, 0);
}

/* a file over the byte bound keeps what fits and says so */
static void
test_hosts_bound(void **state)
{
	struct rr_buf	 b;
	FILE		*fp;
	char		 path[512];
	int		 i;

	snprintf(path, sizeof(path), "%s/bighosts", tmpdir);
	assert_non_null(fp = fopen(path, "w"));
	for (i = 0; i < 70000; i++)
		fprintf(fp, "10.%d.%d.%d host%d.a.rather.long.domain.example "
		    "alias%d.a.rather.long.domain.example\n", i >> 16,
		    (i >> 8) & 0xff, i & 0xff, i, i);
	fclose(fp);
	assert_int_equal(read_hosts(path, "", &b), 0);
	assert_true(b.len > 0);
	assert_true(b.len <= MOAT_HOSTS_RECORDS_MAX);
	assert_non_null(strstr(logged, "the rest is ignored"));
	rr_buf_free(&b);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_type),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_reverse_names),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_hosts_bound),
	};
	int	 rv;

	log_init(1, LOG_DAEMON);
	if (tmpdir_make("records") == -1)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	tmpdir_remove();
	return rv;
}
