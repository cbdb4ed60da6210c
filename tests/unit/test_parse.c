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

#include <fcntl.h>
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

static char	 tmpdir[] = "/tmp/moat-test-parse.XXXXXX";
static char	 errors[8192];

static char *
write_file(const char *name, const char *text)
{
	static char	 path[512];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* parse text as a file; what the parser logged lands in errors[] */
static struct moatd_conf *
parse_text(const char *text)
{
	struct moatd_conf	*conf;
	char			*path;
	int			 saved, fd;
	ssize_t			 n;

	path = write_file("moatd.conf", text);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open("/tmp/moat-test-parse.err", O_RDWR | O_CREAT | O_TRUNC,
	    0600);
	assert_true(fd >= 0);
	dup2(fd, STDERR_FILENO);
	conf = parse_config(path);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, errors, sizeof(errors) - 1);
	errors[n > 0 ? n : 0] = '\0';
	close(fd);
	return conf;
}

/* parse text that must be accepted */
static struct moatd_conf *
parse_ok(const char *text)
{
	struct moatd_conf	*conf;

	if ((conf = parse_text(text)) == NULL)
		fail_msg("refused: %s", errors);
	return conf;
}

static void
expect_error(const char *text, const char *message)
{
	struct moatd_conf	*conf;

	conf = parse_text(text);
	assert_null(conf);
	if (strstr(errors, message) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", message, errors);
}

static const char *
addr_text(const struct sockaddr_storage *ss)
{
	static char	 buf[INET6_ADDRSTRLEN];

	return conf_addr_text(ss, buf, sizeof(buf));
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
	assert_string_equal(addr_text(&l->addr), "127.0.0.1");
	assert_int_equal(l->port, 53);
	l = TAILQ_NEXT(l, entry);
	assert_string_equal(addr_text(&l->addr), "::1");
	assert_null(TAILQ_NEXT(l, entry));
	assert_string_equal(conf->dns.forwarder_file, "/etc/resolv.conf");
	assert_true(TAILQ_EMPTY(&conf->dns.forwarders));
	assert_string_equal(conf->user, "_moatd");
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
	assert_string_equal(addr_text(&l->addr), "127.0.0.1");
	assert_int_equal(l->port, 5353);
	l = TAILQ_NEXT(l, entry);
	assert_string_equal(l->ifname, "lo");
	assert_int_equal(l->port, 53);
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_string_equal(addr_text(&f->addr), "10.9.8.7");
	assert_int_equal(conf_addr_port(&f->addr), 53);
	assert_string_equal(f->domain, "");
	f = TAILQ_NEXT(f, entry);
	assert_string_equal(addr_text(&f->addr), "2001:db8::53");
	assert_int_equal(conf_addr_port(&f->addr), 5300);
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
	conf_free(conf);
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
	expect_error("dns {\n}\ndhcp on lo {\n\trange 10.0.0.10 10.0.0.20\n"
	    "\thost \"x\" { hardware ethernet 00:11:22:33:44:55; }\n}\n",
	    "moatd.conf:3: dhcp: this moatd was built without the DHCP engine");
	/* one error only: the block's contents are not parsed */
	assert_null(strstr(strchr(errors, '\n') + 1, "moatd.conf"));
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
	assert_string_equal(addr_text(&f->addr), "10.1.2.3");
	assert_int_equal(conf_addr_port(&f->addr), 5353);
	conf_free(conf);

	/* -D wins over the file */
	assert_int_equal(cmdline_symset("up=10.3.3.3"), 0);
	conf = parse_ok("up = \"10.1.2.3\"\ndns { forwarder $up }\n");
	f = TAILQ_FIRST(&conf->dns.forwarders);
	assert_string_equal(addr_text(&f->addr), "10.3.3.3");
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
	char			 first[4096], second[4096];
	FILE			*fp;
	size_t			 n;

	conf = parse_ok("user \"nobody\"\nsandbox debug\ndns {\n"
	    "\tlisten on 10.0.0.1 port 5353\n\tforwarder fd00::1\n"
	    "\tforwarder 10.0.0.2 for domain \"x.test\"\n"
	    "\tstrategy round-robin\n}\n");
	fp = fmemopen(first, sizeof(first), "w");
	print_config(fp, conf);
	n = ftell(fp);
	fclose(fp);
	first[n] = '\0';
	conf_free(conf);

	conf = parse_ok(first);
	fp = fmemopen(second, sizeof(second), "w");
	print_config(fp, conf);
	n = ftell(fp);
	fclose(fp);
	second[n] = '\0';
	conf_free(conf);
	assert_string_equal(first, second);
	assert_non_null(strstr(first, "forwarder 10.0.0.2 port 53 for "
	    "domain \"x.test\""));
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

static void
remove_tmpdir(void)
{
	const char	*names[] = { "moatd.conf", "fwd.conf", "loop.conf" };
	char		 path[512];
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_default),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults_in_block),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_engine),
		cmocka_unit_test(test_include_and_macros),
		cmocka_unit_test(test_print_round_trip),
		cmocka_unit_test(test_stream_refuses_include),
	};
	int	 rv;

	log_init(1, LOG_DAEMON);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	unlink("/tmp/moat-test-parse.err");
	remove_tmpdir();
	return rv;
}
