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

#include "addr.h"
#include "conf.h"
#include "log.h"
#include "testconf.h"

static const char *
text_of(const struct sockaddr_storage *ss)
{
	static char	 buf[INET6_ADDRSTRLEN];

	return addr_text(ss, buf, sizeof(buf));
}

static void
test_embedded_default(void **state)
{
	struct moatd_conf	*conf;
	struct listen_conf	*l;

	conf = conf_embedded();
	assert_non_null(conf);
	assert_true(conf->dns.enabled);
	l = TAILQ_FIRST(&conf->dns.listens);
	assert_string_equal(text_of(&l->addr), "127.0.0.1");
	assert_int_equal(l->port, 53);
	l = TAILQ_NEXT(l, entry);
	assert_string_equal(text_of(&l->addr), "::1");
	assert_null(TAILQ_NEXT(l, entry));
	assert_string_equal(conf->dns.forwarder_file, "/etc/resolv.conf");
	assert_true(TAILQ_EMPTY(&conf->dns.forwarders));
	assert_string_equal(conf->user, "_moatd");
	/* a caching forwarder that answers from /etc/hosts */
	assert_int_equal(conf->dns.cache_size, 10000);
	assert_string_equal(conf->dns.hosts_file, "/etc/hosts");
	assert_int_equal(conf->dns.flags, 0);
	assert_int_equal(conf->dns.records.count, 0);
	conf_free(conf);
}

static void
test_full(void **state)
{
	struct moatd_conf	*conf;
	struct listen_conf	*l;
	struct forwarder_conf	*f;

	conf = parse_ok(
	    "# a full configuration\n"
	    "up = \"10.9.8.7\"\n"
	    "user \"nobody\"\n"
	    "state directory \"/tmp/state\"\n"
	    "pidfile \"/tmp/moatd.pid\"\n"
	    "sandbox debug\n"
	    "dns {\n"
	    "\tlisten on 127.0.0.1 port 5353\n"
	    "\tlisten on lo\n"
	    "\tforwarder $up\n"
	    "\tforwarder 2001:db8::53 port 5300 for domain \"Corp.Example.\"\n"
	    "\tforwarder file \"/tmp/resolv.conf\"\n"
	    "\tstrategy round-robin\n"
	    "}\n");
	assert_string_equal(conf->user, "nobody");
	assert_string_equal(conf->state_dir, "/tmp/state");
	assert_string_equal(conf->pidfile, "/tmp/moatd.pid");
	assert_true(conf->sandbox_debug);
	assert_int_equal(conf->dns.strategy, STRATEGY_ROUND_ROBIN);
	l = TAILQ_FIRST(&conf->dns.listens);
	assert_string_equal(text_of(&l->addr), "127.0.0.1");
	assert_int_equal(l->port, 5353);
	l = TAILQ_NEXT(l, entry);
	assert_string_equal(l->ifname, "lo");
	assert_int_equal(l->port, 53);
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_string_equal(text_of(&f->addr), "10.9.8.7");
	assert_int_equal(addr_port(&f->addr), 53);
	assert_string_equal(f->domain, "");
	f = TAILQ_NEXT(f, entry);
	assert_string_equal(text_of(&f->addr), "2001:db8::53");
	assert_int_equal(addr_port(&f->addr), 5300);
	assert_string_equal(f->domain, "corp.example");
	assert_string_equal(conf->dns.forwarder_file, "/tmp/resolv.conf");
	conf_free(conf);
}

static void
test_defaults_in_block(void **state)
{
	struct moatd_conf	*conf;

	conf = parse_ok("dns {\n}\n");
	assert_false(TAILQ_EMPTY(&conf->dns.listens));
	assert_string_equal(conf->dns.forwarder_file, "/etc/resolv.conf");
	conf_free(conf);

	/* a named forwarder means no default forwarder file */
	conf = parse_ok("dns { forwarder 10.0.0.1 }");
	assert_string_equal(conf->dns.forwarder_file, "");
	assert_int_equal(conf->dns.cache_size, 10000);
	assert_string_equal(conf->dns.hosts_file, "/etc/hosts");
	conf_free(conf);
}

static void
test_dns_statements(void **state)
{
	struct moatd_conf	*conf;
	struct domain_conf	*d;

	conf = parse_ok("dns {\n"
	    "\tcache size 0\n"
	    "\tno hosts file\n"
	    "\tdomain \"Home.Arpa.\"\n"
	    "\tlocal domain \"lan\"\n"
	    "\tlocal domain \"home.arpa\"\n"
	    "\tblock private reverse\n"
	    "\tblock unqualified\n"
	    "\tblock rebind\n"
	    "\tallow rebind for domain \"corp.example\"\n"
	    "\tstrategy fastest\n"
	    "\trandom case\n"
	    "}\n");
	assert_int_equal(conf->dns.cache_size, 0);
	assert_string_equal(conf->dns.hosts_file, "");
	assert_string_equal(conf->dns.domain, "home.arpa");
	assert_int_equal(conf->dns.strategy, STRATEGY_FASTEST);
	assert_int_equal(conf->dns.flags, DNS_BLOCK_PRIVATE_REVERSE |
	    DNS_BLOCK_UNQUALIFIED | DNS_BLOCK_REBIND | DNS_RANDOM_CASE);
	d = TAILQ_FIRST(&conf->dns.domains);
	assert_int_equal(d->kind, DOMAIN_LOCAL);
	assert_string_equal(d->domain, "lan");
	d = TAILQ_NEXT(d, entry);
	assert_int_equal(d->kind, DOMAIN_LOCAL);
	assert_string_equal(d->domain, "home.arpa");
	d = TAILQ_NEXT(d, entry);
	assert_int_equal(d->kind, DOMAIN_REBIND_OK);
	assert_string_equal(d->domain, "corp.example");
	assert_null(TAILQ_NEXT(d, entry));
	conf_free(conf);

	conf = parse_ok("dns { cache size 10000000; hosts file \"/tmp/h\" }");
	assert_int_equal(conf->dns.cache_size, 10000000);
	assert_string_equal(conf->dns.hosts_file, "/tmp/h");
	assert_int_equal(conf->dns.flags, 0);
	conf_free(conf);
}

/* each record line is one entry; address lines one per address */
static void
test_records_and_addresses(void **state)
{
	struct moatd_conf	*conf;
	struct rr_entry		 e;
	const struct rr_buf	*b;
	size_t			 off;
	int			 kinds[16], types[16], n = 0;

	conf = parse_ok("dns {\n"
	    "\trecord \"router.lan\" A 192.168.1.1\n"
	    "\trecord \"router.lan\" AAAA fd00::1\n"
	    "\trecord \"lan\" MX 10 \"mail.lan\"\n"
	    "\trecord \"_ldap._tcp.lan\" SRV 0 0 389 \"dc.lan\"\n"
	    "\trecord \"www.lan\" CNAME \"router.lan\"\n"
	    "\trecord \"lan\" TXT \"v=spf1 -all\" \"two\"\n"
	    "\trecord \"1.1.168.192.in-addr.arpa\" PTR \"router.lan\"\n"
	    "\trecord \"lan\" NAPTR 100 10 \"u\" \"E2U+sip\" "
	    "\"!^.*$!sip:info@lan!\" \".\"\n"
	    "\trecord \"lan\" CAA 0 \"issue\" \"letsencrypt.org\"\n"
	    "\taddress \"ads.example\" 0.0.0.0 ::\n"
	    "\taddress \"ads.example\" 10.0.0.1\n"
	    "\taddress \"tracker.example\"\n"
	    "}\n");
	b = &conf->dns.records;
	for (off = 0; off < b->len && n < 16; off += e.len, n++) {
		assert_int_equal(rr_entry_read(b->data + off, b->len - off,
		    &e), 0);
		kinds[n] = e.kind;
		types[n] = e.type;
	}
	assert_int_equal(n, 13);
	assert_int_equal(b->count, 13);
	assert_int_equal(types[0], 1);
	assert_int_equal(types[1], 28);
	assert_int_equal(types[2], 15);
	assert_int_equal(types[3], 33);
	assert_int_equal(types[4], 5);
	assert_int_equal(types[5], 16);
	assert_int_equal(types[6], 12);
	assert_int_equal(types[7], 35);
	assert_int_equal(types[8], 257);
	assert_int_equal(kinds[8], RECORD_EXACT);
	assert_int_equal(kinds[9], RECORD_SUBTREE);
	assert_int_equal(types[9], 1);
	assert_int_equal(types[10], 28);
	assert_int_equal(kinds[11], RECORD_SUBTREE);
	assert_int_equal(kinds[12], RECORD_NXDOMAIN);
	assert_int_equal(types[12], 0);
	conf_free(conf);
}

/* names in Unicode are punycode, wherever a name is taken */
static void
test_idn(void **state)
{
	struct moatd_conf	*conf;
	struct forwarder_conf	*f;
	struct domain_conf	*d;
	char			 out[8192];

	conf = parse_ok("dns {\n"
	    "\tforwarder 10.0.0.1 for domain \"Bücher.example\"\n"
	    "\tdomain \"bücher.lan\"\n"
	    "\tlocal domain \"straße.de\"\n"
	    "\tallow rebind for domain \"münchen.example\"\n"
	    "\taddress \"werbung.bücher.example\" 0.0.0.0\n"
	    "\trecord \"bücher.lan\" CNAME \"café.lan\"\n"
	    "}\n");
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_string_equal(f->domain, "xn--bcher-kva.example");
	assert_string_equal(conf->dns.domain, "xn--bcher-kva.lan");
	d = TAILQ_FIRST(&conf->dns.domains);
	assert_string_equal(d->domain, "xn--strae-oqa.de");
	d = TAILQ_NEXT(d, entry);
	assert_string_equal(d->domain, "xn--mnchen-3ya.example");
	print_text(conf, out, sizeof(out));
	assert_non_null(strstr(out, "address \"werbung.xn--bcher-kva.example\" "
	    "0.0.0.0"));
	assert_non_null(strstr(out, "record \"xn--bcher-kva.lan\" CNAME "
	    "\"xn--caf-dma.lan\""));
	conf_free(conf);

	expect_error("dns {\n\tlocal domain \"a\xff.lan\"\n}\n",
	    "moatd.conf:2: local domain");
}

static void
test_dns_errors(void **state)
{
	char	 text[1024];

	expect_error("dns {\n\tcache size 99999999\n}\n",
	    "moatd.conf:2: cache size 99999999: too large");
	expect_error("dns {\n\tcache size 5\n\tcache size 6\n}\n",
	    "moatd.conf:3: cache size given twice");
	expect_error("dns {\n\tcache size -1\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dns {\n\thosts file \"/a\"\n\tno hosts file\n}\n",
	    "moatd.conf:3: hosts file given twice");
	expect_error("dns {\n\thosts file \"/a\"\n\thosts file \"/b\"\n}\n",
	    "moatd.conf:3: hosts file given twice");
	expect_error("dns {\n\thosts file \"etc/hosts\"\n}\n",
	    "moatd.conf:2: hosts file \"etc/hosts\": not an absolute path");
	expect_error("dns {\n\tdomain \"a\"\n\tdomain \"b\"\n}\n",
	    "moatd.conf:3: domain given twice");
	expect_error("dns {\n\tdomain \"a..b\"\n}\n",
	    "moatd.conf:2: domain \"a..b\": not a domain name");
	expect_error("dns {\n\tlocal domain \".\"\n}\n",
	    "moatd.conf:2: local domain \".\": not a domain name");
	expect_error("dns {\n\tallow rebind for domain \"a b\"\n}\n",
	    "moatd.conf:2: allow rebind for domain \"a b\": not a domain name");
	expect_error("dns {\n\tblock everything\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dns {\n\tstrategy slowest\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("dns {\n\trecord \"lan\" MX 10\n}\n",
	    "moatd.conf:2: record: MX needs a preference and a name");
	expect_error("dns {\n\trecord \"lan\" MX \"mail.lan\" 10\n}\n",
	    "moatd.conf:2: record: MX preference mail.lan: not a number");
	expect_error("dns {\n\trecord \"lan\" HINFO \"x\"\n}\n",
	    "moatd.conf:2: record: unknown type \"HINFO\"");
	expect_error("dns {\n\trecord \"a..lan\" A 10.0.0.1\n}\n",
	    "moatd.conf:2: record \"a..lan\": not a domain name");
	expect_error("dns {\n\trecord \"x.lan\" A 10.0.0.256\n}\n",
	    "moatd.conf:2: record: A needs an IPv4 address");
	expect_error("dns {\n\trecord \"x.lan\" AAAA 10.0.0.1\n}\n",
	    "moatd.conf:2: record: AAAA needs an IPv6 address");
	expect_error("dns {\n\trecord \"x.lan\" CNAME \"a b\"\n}\n",
	    "moatd.conf:2: record: CNAME \"a b\": not a domain name");
	expect_error("dns {\n\trecord \"x.lan\" SRV 0 0 389\n}\n",
	    "moatd.conf:2: record: SRV needs a priority, a weight, a port and "
	    "a target");
	expect_error("dns {\n\trecord \"x.lan\" CAA 0 \"issue\"\n}\n",
	    "moatd.conf:2: record: CAA needs flags, a tag and a value");
	expect_error("dns {\n\trecord \"x.lan\" NAPTR 1 2 \"u\"\n}\n",
	    "moatd.conf:2: record: NAPTR needs");
	snprintf(text, sizeof(text), "dns {\n\n\trecord \"x.lan\" TXT "
	    "\"ok\" \"%0256d\"\n}\n", 0);
	expect_error(text, "moatd.conf:3: record: TXT string longer than 255 "
	    "bytes");
	expect_error("dns {\n\taddress \"ads.example\" 0.0.0.0 1.2.3\n}\n",
	    "moatd.conf:2: address: \"1.2.3\": not an IPv4 or IPv6 address");
	expect_error("dns {\n\taddress \"ads.example\" 5\n}\n",
	    "not an IPv4 or IPv6 address");
	expect_error("dns {\n\taddress \"a..example\"\n}\n",
	    "moatd.conf:2: address \"a..example\": not a domain name");
	/* errors on several lines are each reported */
	expect_error("dns {\n\trecord \"x\" A 1\n\tcache size 5\n"
	    "\taddress \"y\" z\n}\n", "moatd.conf:4: address");
	assert_non_null(strstr(logged, "moatd.conf:2: record: A needs"));
}

/* a blocklist in a file of its own, included in the block */
static void
test_include_in_block(void **state)
{
	struct moatd_conf	*conf;
	FILE			*fp;
	char			 path[512];
	int			 i;

	snprintf(path, sizeof(path), "%s/block.conf", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (i = 0; i < 100000; i++)
		fprintf(fp, "address \"ad%d.example\" 0.0.0.0\n", i);
	fclose(fp);
	conf = parse_ok("dns {\n\tinclude \"block.conf\"\n"
	    "\trecord \"x.lan\" A 10.0.0.1\n}\n");
	assert_int_equal(conf->dns.records.count, 100001);
	conf_free(conf);

	/* past the bound on local records: one error, not one per line */
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (i = 0; i < 400000; i++)
		fprintf(fp, "address \"ad%d.example\" 0.0.0.0\n", i);
	fclose(fp);
	expect_error("dns {\n\tinclude \"block.conf\"\n}\n",
	    "local records take more than");
	assert_null(strstr(strstr(logged, "take more than") + 1,
	    "take more than"));

	write_file("bad.conf", "address \"x.example\" 0.0.0.0\n"
	    "address \"y.example\" nope\n");
	expect_error("dns {\n\tinclude \"bad.conf\"\n}\n",
	    "bad.conf:2: address: \"nope\"");
	unlink(path);
}

static void
test_separators(void **state)
{
	struct moatd_conf	*conf;

	conf = parse_text("dns { listen on 10.0.0.1; forwarder 10.0.0.2;"
	    " strategy in-order }");
	assert_non_null(conf);
	assert_int_equal(conf->dns.strategy, STRATEGY_IN_ORDER);
	conf_free(conf);

	conf = parse_ok("dns {\n\tforwarder \\\n\t    10.0.0.2 # note\n}");
	conf_free(conf);
}

static void
test_errors(void **state)
{
	expect_error("dns {\n\tlisten 10.0.0.1\n}\n",
	    "moatd.conf:2: syntax error");
	expect_error("\n\ndns {\n\tforwarder $nope\n}\n",
	    "moatd.conf:4: macro \"nope\" is not defined");
	expect_error("dns {\n\tforwarder 10.0.0.1 port 0\n}\n",
	    "moatd.conf:2: port 0 out of range");
	expect_error("dns {\n\tforwarder 10.0.0.1 port 65536\n}\n",
	    "port 65536 out of range");
	expect_error("dns {\n\tforwarder 10.0.0.300\n}\n",
	    "moatd.conf:2: forwarder \"10.0.0.300\": not an address");
	expect_error("dns {\n\tlisten on nosuchif0\n}\n",
	    "neither an address nor an interface");
	expect_error("dns {\n\tlisten on 0.0.0.0\n}\n", "not the wildcard");
	expect_error("dns {\n\tforwarder 10.0.0.1 for domain \"a..b\"\n}\n",
	    "not a domain name");
	expect_error("pidfile \"relative\"\n", "not an absolute path");
	expect_error("include \"/nonexistent/x.conf\"\n",
	    "moatd.conf:1: include \"/nonexistent/x.conf\"");
	expect_error("dns {\n}\ndns {\n}\n", "moatd.conf:3: dns: block given twice");
	expect_error("user \"unterminated\ndns {\n}\n",
	    "moatd.conf:1: unterminated quoted string");
	expect_error("dns {\n\tforwarder file \"/a\"\n\tforwarder file \"/b\"\n}\n",
	    "moatd.conf:3: forwarder file given twice");
}

static void
test_missing_engine(void **state)
{
#ifndef MOAT_DHCP
	expect_error("dns {\n}\ndhcp on lo {\n\trange 10.0.0.10 10.0.0.20\n"
	    "\thost \"x\" { hardware ethernet 00:11:22:33:44:55; }\n}\n",
	    "moatd.conf:3: dhcp: this moatd was built without the DHCP engine");
	/* one error only: the block's contents are not parsed */
	assert_null(strstr(strchr(logged, '\n') + 1, "moatd.conf"));
	expect_error("lease hook \"/bin/true\"\n",
	    "moatd.conf:1: lease hook: this moatd was built without the DHCP "
	    "engine");
#endif
	expect_error("dhcp6 on lo {\n}\n", "without the DHCPv6 engine");
	expect_error("tftp {\n}\n", "without the TFTP engine");
	expect_error("ra on lo {\n}\n",
	    "without the router advertisement engine");
}

static void
test_include_and_macros(void **state)
{
	struct moatd_conf	*conf;
	struct forwarder_conf	*f;

	write_file("fwd.conf", "dns {\n\tforwarder $up port $p\n}\n");
	conf = parse_ok("up = \"10.1.2.3\"\np = \"5353\"\n"
	    "include \"fwd.conf\"\n");
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_non_null(f);
	assert_string_equal(text_of(&f->addr), "10.1.2.3");
	assert_int_equal(addr_port(&f->addr), 5353);
	conf_free(conf);

	/* -D wins over the file */
	assert_int_equal(cmdline_symset("up=10.3.3.3"), 0);
	conf = parse_ok("up = \"10.1.2.3\"\ndns { forwarder $up }\n");
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_string_equal(text_of(&f->addr), "10.3.3.3");
	conf_free(conf);
	cmdline_symclear();
	assert_int_equal(cmdline_symset("no-equals"), -1);
	assert_int_equal(cmdline_symset("bad name=1"), -1);

	/* an include of itself stops at the depth limit */
	write_file("loop.conf", "include \"loop.conf\"\n");
	expect_error("include \"loop.conf\"\n", "nested too deep");
}

/* what print_config writes parses back to the same text */
static void
test_print_round_trip(void **state)
{
	struct moatd_conf	*conf;
	char			 first[4096];

	conf = parse_ok("user \"nobody\"\nsandbox debug\ndns {\n"
	    "\tlisten on 10.0.0.1 port 5353\n\tforwarder fd00::1\n"
	    "\tforwarder 10.0.0.2 for domain \"x.test\"\n"
	    "\tstrategy round-robin\n"
	    "\trandom case\n\tcache size 77\n\tno hosts file\n"
	    "\tdomain \"lan\"\n\tlocal domain \"lan\"\n"
	    "\tblock private reverse\n\tblock unqualified\n"
	    "\tblock rebind\n\tallow rebind for domain \"corp.example\"\n"
	    "\taddress \"ads.example\" 0.0.0.0 ::\n"
	    "\taddress \"ads.example\" 10.0.0.1\n"
	    "\taddress \"tracker.example\"\n"
	    "\taddress \"tracker2.example\"\n"
	    "\trecord \"router.lan\" A 192.168.1.1\n"
	    "\trecord \"router.lan\" AAAA fd00::1\n"
	    "\trecord \"lan\" MX 10 \"mail.lan\"\n"
	    "\trecord \"lan\" MX 0 \".\"\n"
	    "\trecord \"_ldap._tcp.lan\" SRV 0 0 389 \"dc.lan\"\n"
	    "\trecord \"www.lan\" CNAME \"router.lan\"\n"
	    "\trecord \"lan\" TXT \"v=spf1 -all\" \"a \\\"quoted\\\" \\\\ \"\n"
	    "\trecord \"1.1.168.192.in-addr.arpa\" PTR \"router.lan\"\n"
	    "\trecord \"lan\" NAPTR 100 10 \"u\" \"E2U+sip\" "
	    "\"!^.*$!sip:info@lan!\" \".\"\n"
	    "\trecord \"lan\" CAA 128 \"issue\" \"letsencrypt.org\"\n"
	    "\trecord \"bücher.lan\" A 10.0.0.9\n"
	    "}\n");
	print_twice(conf, first, sizeof(first));
	assert_non_null(strstr(first, "forwarder 10.0.0.2 port 53 for "
	    "domain \"x.test\""));
	assert_non_null(strstr(first, "\tcache size 77\n\tno hosts file\n"));
	assert_non_null(strstr(first, "\trandom case\n"));
	assert_non_null(strstr(first, "\tblock rebind\n"));
	assert_non_null(strstr(first, "\tallow rebind for domain "
	    "\"corp.example\"\n"));
	assert_non_null(strstr(first, "\taddress \"ads.example\" 0.0.0.0 :: "
	    "10.0.0.1\n"));
	assert_non_null(strstr(first, "\taddress \"tracker.example\"\n"
	    "\taddress \"tracker2.example\"\n"));
	assert_non_null(strstr(first, "\trecord \"lan\" TXT \"v=spf1 -all\" "
	    "\"a \\\"quoted\\\" \\\\ \"\n"));
	assert_non_null(strstr(first, "\trecord \"lan\" NAPTR 100 10 \"u\" "
	    "\"E2U+sip\" \"!^.*$!sip:info@lan!\" \".\"\n"));
	assert_non_null(strstr(first, "\trecord \"lan\" CAA 128 \"issue\" "
	    "\"letsencrypt.org\"\n"));
	assert_non_null(strstr(first, "\trecord \"_ldap._tcp.lan\" SRV 0 0 "
	    "389 \"dc.lan\"\n"));
	assert_non_null(strstr(first, "\trecord \"lan\" MX 0 \".\"\n"));
	assert_non_null(strstr(first, "\trecord \"xn--bcher-kva.lan\" A "
	    "10.0.0.9\n"));

	/* the defaults are printed too */
	conf = parse_ok("dns {\n}\n");
	print_text(conf, first, sizeof(first));
	conf_free(conf);
	assert_non_null(strstr(first, "\tcache size 10000\n"
	    "\thosts file \"/etc/hosts\"\n"));
}


static void
test_stream_refuses_include(void **state)
{
	const char	 text[] = "include \"/etc/hostname\"\n";
	FILE		*fp;

	fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	assert_null(parse_config_stream(fp, "stream"));
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_default),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults_in_block),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_dns_statements),
		cmocka_unit_test(test_records_and_addresses),
		cmocka_unit_test(test_idn),
		cmocka_unit_test(test_dns_errors),
		cmocka_unit_test(test_include_in_block),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_engine),
		cmocka_unit_test(test_include_and_macros),
		cmocka_unit_test(test_print_round_trip),
		cmocka_unit_test(test_stream_refuses_include),
	};
	int	 rv;

	log_init(1, LOG_DAEMON);
	if (tmpdir_make("parse") == -1)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	tmpdir_remove();
	return rv;
}
