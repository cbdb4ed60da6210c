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

#ifndef MOAT_CONF_H
#define MOAT_CONF_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <limits.h>
#include <net/if.h>
#include <stdio.h>

#include "proto.h"

#define MOAT_DNS_PORT		53
#define MOAT_USER_MAX		64
#define MOAT_RESOLV_CONF	"/etc/resolv.conf"

/* one "listen on" line: an address, or an interface and all of its */
struct listen_conf {
	TAILQ_ENTRY(listen_conf) entry;
	char			 ifname[IF_NAMESIZE];	/* "" for an address */
	struct sockaddr_storage	 addr;			/* when no ifname */
	in_port_t		 port;
};
TAILQ_HEAD(listen_list, listen_conf);

struct forwarder_conf {
	TAILQ_ENTRY(forwarder_conf) entry;
	struct sockaddr_storage	 addr;			/* with the port */
	char			 domain[MOAT_DOMAIN_MAX];	/* "" all */
};
TAILQ_HEAD(forwarder_list, forwarder_conf);

struct dns_conf {
	int			 enabled;
	struct listen_list	 listens;
	struct forwarder_list	 forwarders;
	char			 forwarder_file[PATH_MAX];	/* "" none */
	enum dns_strategy	 strategy;
};

struct moatd_conf {
	char			 user[MOAT_USER_MAX];
	char			 state_dir[PATH_MAX];
	char			 pidfile[PATH_MAX];
	int			 sandbox_debug;
	struct dns_conf		 dns;
};

/*
 * Parse a configuration file.  Errors go to the log as "file:line:
 * message"; the result is NULL when there was any.
 */
struct moatd_conf	*parse_config(const char *);
/* the same from an open stream, named name; includes are refused */
struct moatd_conf	*parse_config_stream(FILE *, const char *);
/* define a macro from the command line: "name=value"; -1 if malformed */
int			 cmdline_symset(const char *);
void			 cmdline_symclear(void);

/* conf.c */
struct moatd_conf	*conf_new(void);
/* the embedded default: a DNS forwarder on the loopback addresses */
struct moatd_conf	*conf_embedded(void);
/* fill in what the file left out; returns 0, or -1 (logged) */
int			 conf_finish(struct moatd_conf *);
void			 conf_free(struct moatd_conf *);
int			 conf_parse_addr(const char *, in_port_t,
			    struct sockaddr_storage *);
int			 conf_norm_domain(const char *, char *, size_t);
const char		*conf_addr_text(const struct sockaddr_storage *,
			    char *, size_t);
in_port_t		 conf_addr_port(const struct sockaddr_storage *);

/* printconf.c */
void			 print_config(FILE *, const struct moatd_conf *);

#endif /* MOAT_CONF_H */
