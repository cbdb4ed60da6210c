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
#include <sys/socket.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "imsg.h"
#include "log.h"
#include "proto.h"
#include "testconf.h"

/* what each type must carry, as proto.h declares it */
struct expect {
	uint32_t	 type;
	const char	*name;
	size_t		 size;
	int		 needs_fd;
};

static const struct expect expects[] = {
	{ IMSG_CONF_BEGIN, "CONF_BEGIN", sizeof(struct msg_conf_begin), 0 },
	{ IMSG_CONF_LISTEN, "CONF_LISTEN", sizeof(struct msg_listen), 1 },
	{ IMSG_CONF_FORWARDER, "CONF_FORWARDER",
	    sizeof(struct msg_forwarder), 0 },
	{ IMSG_CONF_END, "CONF_END", 0, 0 },
	{ IMSG_LOG_VERBOSE, "LOG_VERBOSE", sizeof(struct msg_verbose), 0 },
	{ IMSG_CTL_SHOW_STATUS, "CTL_SHOW_STATUS", 0, 0 },
	{ IMSG_CTL_RELOAD, "CTL_RELOAD", 0, 0 },
	{ IMSG_CTL_ENGINE_STATUS, "CTL_ENGINE_STATUS",
	    sizeof(struct msg_engine_status), 0 },
	{ IMSG_CTL_RESULT, "CTL_RESULT", sizeof(struct msg_ctl_result), 0 },
	{ IMSG_CONF_DOMAIN, "CONF_DOMAIN", sizeof(struct msg_domain), 0 },
	{ IMSG_CTL_SHOW_CACHE, "CTL_SHOW_CACHE", 0, 0 },
	{ IMSG_CTL_FLUSH_CACHE, "CTL_FLUSH_CACHE", 0, 0 },
	{ IMSG_CTL_SHOW_STATS, "CTL_SHOW_STATS", 0, 0 },
	{ IMSG_CTL_CACHE_ENTRY, "CTL_CACHE_ENTRY",
	    sizeof(struct msg_cache_entry), 0 },
	{ IMSG_CTL_DNS_STATS, "CTL_DNS_STATS", sizeof(struct msg_dns_stats),
	    0 },
	{ IMSG_CTL_FORWARDER_STATS, "CTL_FORWARDER_STATS",
	    sizeof(struct msg_forwarder_stats), 0 },
	{ IMSG_DHCP_CONF_BEGIN, "DHCP_CONF_BEGIN",
	    sizeof(struct msg_dhcp_begin), 0 },
	{ IMSG_DHCP_CONF_INTERFACE, "DHCP_CONF_INTERFACE",
	    sizeof(struct msg_dhcp_interface), 0 },
	{ IMSG_DHCP_CONF_SOCKET, "DHCP_CONF_SOCKET",
	    sizeof(struct msg_dhcp_socket), 1 },
	{ IMSG_DHCP_CONF_SUBNET, "DHCP_CONF_SUBNET",
	    sizeof(struct msg_dhcp_subnet), 0 },
	{ IMSG_DHCP_CONF_RANGE, "DHCP_CONF_RANGE",
	    sizeof(struct msg_dhcp_range), 0 },
	{ IMSG_DHCP_CONF_HOST, "DHCP_CONF_HOST",
	    sizeof(struct msg_dhcp_host), 0 },
	{ IMSG_DHCP_CONF_OPTION, "DHCP_CONF_OPTION",
	    sizeof(struct msg_dhcp_option), 0 },
	{ IMSG_DHCP_CONF_END, "DHCP_CONF_END", 0, 0 },
	{ IMSG_DHCP_IFADDRS, "DHCP_IFADDRS",
	    sizeof(struct msg_dhcp_ifaddrs), 0 },
	{ IMSG_DHCP_NAMES_RESET, "DHCP_NAMES_RESET", 0, 0 },
	{ IMSG_DHCP_LEASE_EVENT, "DHCP_LEASE_EVENT",
	    sizeof(struct msg_lease_event), 0 },
	{ IMSG_DNS_LEASE_NAMES_CLEAR, "DNS_LEASE_NAMES_CLEAR", 0, 0 },
	{ IMSG_DNS_LEASE_NAME, "DNS_LEASE_NAME",
	    sizeof(struct msg_lease_name), 0 },
	{ IMSG_CTL_SHOW_LEASES, "CTL_SHOW_LEASES", 0, 0 },
	{ IMSG_CTL_LEASE, "CTL_LEASE", sizeof(struct msg_ctl_lease), 0 },
};
#define NEXPECTS	(sizeof(expects) / sizeof(expects[0]))

static int	 devnull = -1;
/* big enough for any payload, so a checker that reads it stays in bounds */
static unsigned char	 payload[IMSG_MAX_PAYLOAD + 1];

/* proto_check with what it logs captured in logged[] */
static int
check(uint32_t type, size_t len, int fd)
{
	struct imsg	 imsg;
	struct capture	 c;
	int		 rv;

	assert_true(len <= sizeof(payload));
	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = type;
	imsg.hdr.len = IMSG_HDR_SIZE + len;
	imsg.hdr.flags = fd == -1 ? 0 : IMSGF_HASFD;
	imsg.len = len;
	imsg.data = len > 0 ? payload : NULL;
	imsg.fd = fd;

	capture_begin(&c);
	rv = proto_check(&imsg, "testpeer");
	capture_end(&c);
	return rv;
}

static void
expect_refused(uint32_t type, size_t len, int fd, const char *words)
{
	if (check(type, len, fd) != -1)
		fail_msg("type %u, %zu bytes, fd %d: accepted", type, len, fd);
	if (strstr(logged, "testpeer") == NULL ||
	    strstr(logged, words) == NULL)
		fail_msg("type %u: expected \"%s\" and the peer in \"%s\"",
		    type, words, logged);
}

static void
test_accepts_declared(void **state)
{
	const struct expect	*e;
	size_t			 i;

	for (i = 0; i < NEXPECTS; i++) {
		e = &expects[i];
		if (check(e->type, e->size, e->needs_fd ? devnull : -1) != 0)
			fail_msg("%s refused: %s", e->name, logged);
		assert_string_equal(logged, "");
	}
}

static void
test_wrong_size(void **state)
{
	const struct expect	*e;
	size_t			 i;
	int			 fd;

	for (i = 0; i < NEXPECTS; i++) {
		e = &expects[i];
		fd = e->needs_fd ? devnull : -1;
		expect_refused(e->type, e->size + 1, fd, e->name);
		expect_refused(e->type, e->size + 1, fd, "expected");
		if (e->size == 0)
			continue;
		expect_refused(e->type, e->size - 1, fd, e->name);
		expect_refused(e->type, 0, fd, "of 0 bytes");
	}
}

static void
test_fd_rules(void **state)
{
	const struct expect	*e;
	size_t			 i;

	for (i = 0; i < NEXPECTS; i++) {
		e = &expects[i];
		if (e->needs_fd)
			expect_refused(e->type, e->size, -1,
			    "without its descriptor");
		else
			expect_refused(e->type, e->size, devnull,
			    "unexpected descriptor");
	}
}

/* CONF_RECORDS carries 1 to IMSG_MAX_PAYLOAD bytes, never a descriptor */
static void
test_variable_size(void **state)
{
	size_t	 ok[] = { 1, 100, IMSG_MAX_PAYLOAD };
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (check(IMSG_CONF_RECORDS, ok[i], -1) != 0)
			fail_msg("%zu bytes refused: %s", ok[i], logged);
		assert_string_equal(logged, "");
	}
	expect_refused(IMSG_CONF_RECORDS, 0, -1, "CONF_RECORDS");
	expect_refused(IMSG_CONF_RECORDS, IMSG_MAX_PAYLOAD + 1, -1,
	    "CONF_RECORDS");
	expect_refused(IMSG_CONF_RECORDS, 10, devnull,
	    "unexpected descriptor");
	assert_string_equal(proto_name(IMSG_CONF_RECORDS), "CONF_RECORDS");
}

static void
test_unknown_types(void **state)
{
	expect_refused(IMSG_NONE, 0, -1, "unknown type 0");
	expect_refused(IMSG_TYPE_MAX, 0, -1, "unknown type");
	expect_refused(IMSG_TYPE_MAX + 1, 4, -1, "unknown type");
	expect_refused(UINT32_MAX, 0, -1, "unknown type 4294967295");
	expect_refused(UINT32_MAX, 0, devnull, "unknown type");
}

static void
test_names(void **state)
{
	size_t	 i;

	for (i = 0; i < NEXPECTS; i++)
		assert_string_equal(proto_name(expects[i].type),
		    expects[i].name);
	/* every known type is in the table above, or CONF_RECORDS */
	assert_int_equal(NEXPECTS + 1, IMSG_TYPE_MAX - 1);
	assert_string_equal(proto_name(IMSG_NONE), "unknown");
	assert_string_equal(proto_name(IMSG_TYPE_MAX), "unknown");
	assert_string_equal(proto_name(UINT32_MAX), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_declared),
		cmocka_unit_test(test_variable_size),
		cmocka_unit_test(test_wrong_size),
		cmocka_unit_test(test_fd_rules),
		cmocka_unit_test(test_unknown_types),
		cmocka_unit_test(test_names),
	};
	int	 rv;

	log_init(1, LOG_DAEMON);
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		return 1;
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	close(devnull);
	return rv;
}
