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

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imsg.h"
#include "log.h"
#include "proto.h"

enum fd_rule {
	FD_NEVER,
	FD_ALWAYS
};

/* a payload of SIZE_VARIABLE bytes may be 1 to IMSG_MAX_PAYLOAD long */
#define SIZE_VARIABLE	((size_t)-1)

struct msg_spec {
	const char	*name;
	size_t		 size;
	enum fd_rule	 fd;
};

static const struct msg_spec msg_specs[IMSG_TYPE_MAX] = {
	[IMSG_CONF_BEGIN] =
	    { "CONF_BEGIN", sizeof(struct msg_conf_begin), FD_NEVER },
	[IMSG_CONF_LISTEN] =
	    { "CONF_LISTEN", sizeof(struct msg_listen), FD_ALWAYS },
	[IMSG_CONF_FORWARDER] =
	    { "CONF_FORWARDER", sizeof(struct msg_forwarder), FD_NEVER },
	[IMSG_CONF_END] =
	    { "CONF_END", 0, FD_NEVER },
	[IMSG_LOG_VERBOSE] =
	    { "LOG_VERBOSE", sizeof(struct msg_verbose), FD_NEVER },
	[IMSG_CTL_SHOW_STATUS] =
	    { "CTL_SHOW_STATUS", 0, FD_NEVER },
	[IMSG_CTL_RELOAD] =
	    { "CTL_RELOAD", 0, FD_NEVER },
	[IMSG_CTL_ENGINE_STATUS] =
	    { "CTL_ENGINE_STATUS", sizeof(struct msg_engine_status), FD_NEVER },
	[IMSG_CTL_RESULT] =
	    { "CTL_RESULT", sizeof(struct msg_ctl_result), FD_NEVER },
	[IMSG_CONF_DOMAIN] =
	    { "CONF_DOMAIN", sizeof(struct msg_domain), FD_NEVER },
	[IMSG_CONF_RECORDS] =
	    { "CONF_RECORDS", SIZE_VARIABLE, FD_NEVER },
	[IMSG_CTL_SHOW_CACHE] =
	    { "CTL_SHOW_CACHE", 0, FD_NEVER },
	[IMSG_CTL_FLUSH_CACHE] =
	    { "CTL_FLUSH_CACHE", 0, FD_NEVER },
	[IMSG_CTL_SHOW_STATS] =
	    { "CTL_SHOW_STATS", 0, FD_NEVER },
	[IMSG_CTL_CACHE_ENTRY] =
	    { "CTL_CACHE_ENTRY", sizeof(struct msg_cache_entry), FD_NEVER },
	[IMSG_CTL_DNS_STATS] =
	    { "CTL_DNS_STATS", sizeof(struct msg_dns_stats), FD_NEVER },
	[IMSG_CTL_FORWARDER_STATS] =
	    { "CTL_FORWARDER_STATS", sizeof(struct msg_forwarder_stats),
	    FD_NEVER },
	[IMSG_DHCP_CONF_BEGIN] =
	    { "DHCP_CONF_BEGIN", sizeof(struct msg_dhcp_begin), FD_NEVER },
	[IMSG_DHCP_CONF_INTERFACE] =
	    { "DHCP_CONF_INTERFACE", sizeof(struct msg_dhcp_interface),
	    FD_NEVER },
	[IMSG_DHCP_CONF_SOCKET] =
	    { "DHCP_CONF_SOCKET", sizeof(struct msg_dhcp_socket), FD_ALWAYS },
	[IMSG_DHCP_CONF_SUBNET] =
	    { "DHCP_CONF_SUBNET", sizeof(struct msg_dhcp_subnet), FD_NEVER },
	[IMSG_DHCP_CONF_RANGE] =
	    { "DHCP_CONF_RANGE", sizeof(struct msg_dhcp_range), FD_NEVER },
	[IMSG_DHCP_CONF_HOST] =
	    { "DHCP_CONF_HOST", sizeof(struct msg_dhcp_host), FD_NEVER },
	[IMSG_DHCP_CONF_OPTION] =
	    { "DHCP_CONF_OPTION", sizeof(struct msg_dhcp_option), FD_NEVER },
	[IMSG_DHCP_CONF_END] =
	    { "DHCP_CONF_END", 0, FD_NEVER },
	[IMSG_DHCP_IFADDRS] =
	    { "DHCP_IFADDRS", sizeof(struct msg_dhcp_ifaddrs), FD_NEVER },
	[IMSG_DHCP_NAMES_RESET] =
	    { "DHCP_NAMES_RESET", 0, FD_NEVER },
	[IMSG_DHCP_LEASE_EVENT] =
	    { "DHCP_LEASE_EVENT", sizeof(struct msg_lease_event), FD_NEVER },
	[IMSG_DNS_LEASE_NAMES_CLEAR] =
	    { "DNS_LEASE_NAMES_CLEAR", 0, FD_NEVER },
	[IMSG_DNS_LEASE_NAME] =
	    { "DNS_LEASE_NAME", sizeof(struct msg_lease_name), FD_NEVER },
	[IMSG_CTL_SHOW_LEASES] =
	    { "CTL_SHOW_LEASES", 0, FD_NEVER },
	[IMSG_CTL_LEASE] =
	    { "CTL_LEASE", sizeof(struct msg_ctl_lease), FD_NEVER },
};

/* in the order of enum lease_state, dhcp-engine/leases.h */
static const char *const lease_states[] = {
	"free", "offered", "bound", "released", "expired", "declined"
};

const char *
proto_lease_state(uint8_t state)
{
	if (state >= sizeof(lease_states) / sizeof(lease_states[0]))
		return "unknown";
	return lease_states[state];
}

int
proto_label_valid(const char *s, size_t bufsz)
{
	const char	*end;
	size_t		 i, len;

	if ((end = memchr(s, '\0', bufsz)) == NULL)
		return 0;
	if ((len = end - s) > MOAT_DHCP_NAME_MAX - 1)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

const char *
proto_name(uint32_t type)
{
	if (type >= IMSG_TYPE_MAX || msg_specs[type].name == NULL)
		return "unknown";
	return msg_specs[type].name;
}

int
proto_check(const struct imsg *imsg, const char *peer)
{
	const struct msg_spec	*spec;
	uint32_t		 type = imsg->hdr.type;

	if (type >= IMSG_TYPE_MAX || msg_specs[type].name == NULL) {
		log_warnx("%s: message of unknown type %u", peer, type);
		return -1;
	}
	spec = &msg_specs[type];
	if (spec->size == SIZE_VARIABLE) {
		if (imsg->len == 0 || imsg->len > IMSG_MAX_PAYLOAD) {
			log_warnx("%s: %s message of %zu bytes", peer,
			    spec->name, imsg->len);
			return -1;
		}
	} else if (imsg->len != spec->size) {
		log_warnx("%s: %s message of %zu bytes, expected %zu", peer,
		    spec->name, imsg->len, spec->size);
		return -1;
	}
	if (spec->fd == FD_ALWAYS && imsg->fd == -1) {
		log_warnx("%s: %s message without its descriptor", peer,
		    spec->name);
		return -1;
	}
	if (spec->fd == FD_NEVER && imsg->fd != -1) {
		log_warnx("%s: %s message with an unexpected descriptor", peer,
		    spec->name);
		return -1;
	}
	return 0;
}
