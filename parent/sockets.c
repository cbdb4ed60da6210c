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

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "moatd.h"

/*
 * The parent opens every privileged socket and keeps it for the life of
 * the configuration, handing the engines duplicates: an engine that dies
 * is restarted with the same sockets, and a reload keeps the sockets of
 * addresses it still names, so queries queued on them are not lost.
 */

/*
 * freebind: the address is the interface's own but may still be
 * tentative (IPv6 duplicate address detection right after boot), when a
 * plain bind fails.
 */
static int
socket_bind(const struct sockaddr_storage *ss, enum listen_proto proto,
    int freebind)
{
	char	 buf[INET6_ADDRSTRLEN];
	int	 fd, on = 1;
	int	 type = proto == LISTEN_TCP ? SOCK_STREAM : SOCK_DGRAM;

	if ((fd = socket(ss->ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		log_warn("SO_REUSEADDR");
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		log_warn("IPV6_V6ONLY");
#ifdef IP_FREEBIND
	if (freebind && setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on,
	    sizeof(on)) == -1)
		log_warn("IP_FREEBIND");
#endif
	if (bind(fd, (const struct sockaddr *)ss, addr_len(ss)) == -1) {
		log_warn("bind %s %s port %u",
		    proto == LISTEN_TCP ? "tcp" : "udp",
		    addr_text(ss, buf, sizeof(buf)), addr_port(ss));
		close(fd);
		return -1;
	}
	if (proto == LISTEN_TCP && listen(fd, 128) == -1) {
		log_warn("listen");
		close(fd);
		return -1;
	}
	return fd;
}

static struct bound_sock *
sockets_find(struct bound_list *list, const struct sockaddr_storage *ss,
    enum listen_proto proto)
{
	struct bound_sock	*b;

	TAILQ_FOREACH(b, list, entry)
		if (b->proto == proto && addr_equal(&b->addr, ss))
			return b;
	return NULL;
}

/* mark the socket for ss as wanted, opening it if it is new */
static int
sockets_want(struct bound_list *list, const struct sockaddr_storage *ss,
    enum listen_proto proto, int freebind)
{
	struct bound_sock	*b;

	if ((b = sockets_find(list, ss, proto)) != NULL) {
		b->used = 1;
		return 0;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		log_warn("calloc");
		return -1;
	}
	b->addr = *ss;
	b->proto = proto;
	b->used = 2;		/* new in this round */
	if ((b->fd = socket_bind(ss, proto, freebind)) == -1) {
		free(b);
		return -1;
	}
	TAILQ_INSERT_TAIL(list, b, entry);
	return 0;
}

static int
sockets_want_both(struct bound_list *list, const struct sockaddr_storage *ss,
    int freebind)
{
	if (sockets_want(list, ss, LISTEN_UDP, freebind) == -1 ||
	    sockets_want(list, ss, LISTEN_TCP, freebind) == -1)
		return -1;
	return 0;
}

/* every address of an interface, with the port of its listen line */
static int
sockets_want_if(struct bound_list *list, const struct listen_conf *l)
{
	struct ifaddrs		*ifap, *ifa;
	struct sockaddr_storage	 ss;
	int			 n = 0, rv = 0;

	if (getifaddrs(&ifap) == -1) {
		log_warn("getifaddrs");
		return -1;
	}
	for (ifa = ifap; ifa != NULL && rv == 0; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    strcmp(ifa->ifa_name, l->ifname) != 0)
			continue;
		memset(&ss, 0, sizeof(ss));
		if (ifa->ifa_addr->sa_family == AF_INET) {
			memcpy(&ss, ifa->ifa_addr, sizeof(struct sockaddr_in));
			((struct sockaddr_in *)&ss)->sin_port = htons(l->port);
		} else if (ifa->ifa_addr->sa_family == AF_INET6) {
			memcpy(&ss, ifa->ifa_addr,
			    sizeof(struct sockaddr_in6));
			((struct sockaddr_in6 *)&ss)->sin6_port =
			    htons(l->port);
		} else
			continue;
		n++;
		rv = sockets_want_both(list, &ss, 1);
	}
	freeifaddrs(ifap);
	if (rv == 0 && n == 0)
		log_warnx("listen on %s: the interface has no address",
		    l->ifname);
	return rv;
}

static void
sockets_rollback(struct bound_list *list)
{
	struct bound_sock	*b, *next;

	TAILQ_FOREACH_SAFE(b, list, entry, next) {
		if (b->used == 2) {
			TAILQ_REMOVE(list, b, entry);
			close(b->fd);
			free(b);
		} else
			b->used = 1;
	}
}

/*
 * Make moatd->dns_socks hold a socket for each address of dns (none when
 * the block is off).  Sockets no longer named stay open, marked unused,
 * until sockets_close_unused; on failure nothing changes.
 */
int
sockets_dns_open(const struct dns_conf *dns)
{
	struct bound_list	*list = &moatd->dns_socks;
	struct listen_conf	*l;
	struct bound_sock	*b;
	int			 rv = 0;

	TAILQ_FOREACH(b, list, entry)
		b->used = 0;
	if (!dns->enabled)
		return 0;
	TAILQ_FOREACH(l, &dns->listens, entry) {
		if (l->ifname[0] != '\0')
			rv = sockets_want_if(list, l);
		else
			rv = sockets_want_both(list, &l->addr, 0);
		if (rv == -1) {
			sockets_rollback(list);
			return -1;
		}
	}
	return 0;
}

void
sockets_close_unused(struct bound_list *list)
{
	struct bound_sock	*b, *next;

	TAILQ_FOREACH_SAFE(b, list, entry, next) {
		if (b->used) {
			b->used = 1;
			continue;
		}
		TAILQ_REMOVE(list, b, entry);
		close(b->fd);
		free(b);
	}
}

/* is ss (address and port) one that our DNS engine answers on? */
int
sockets_is_own(const struct sockaddr_storage *ss)
{
	struct bound_sock	*b;

	TAILQ_FOREACH(b, &moatd->dns_socks, entry)
		if (b->used && addr_equal(&b->addr, ss))
			return 1;
	return 0;
}
