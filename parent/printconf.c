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

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "conf.h"

/*
 * Print a configuration back in the grammar it was read in, defaults
 * included, so "moatd -nv" shows exactly what would run.
 */

static void
print_addr(FILE *fp, const struct sockaddr_storage *ss)
{
	char	 buf[INET6_ADDRSTRLEN];

	fputs(conf_addr_text(ss, buf, sizeof(buf)), fp);
	if (ss->ss_family == AF_INET6 &&
	    ((const struct sockaddr_in6 *)ss)->sin6_scope_id != 0) {
		char	 ifname[IF_NAMESIZE];

		if (if_indextoname(((const struct sockaddr_in6 *)ss)->
		    sin6_scope_id, ifname) != NULL)
			fprintf(fp, "%%%s", ifname);
	}
}

static void
print_dns(FILE *fp, const struct dns_conf *dns)
{
	const struct listen_conf	*l;
	const struct forwarder_conf	*f;

	fprintf(fp, "dns {\n");
	TAILQ_FOREACH(l, &dns->listens, entry) {
		fprintf(fp, "\tlisten on ");
		if (l->ifname[0] != '\0')
			fprintf(fp, "%s", l->ifname);
		else
			print_addr(fp, &l->addr);
		fprintf(fp, " port %u\n", l->port);
	}
	TAILQ_FOREACH(f, &dns->forwarders, entry) {
		fprintf(fp, "\tforwarder ");
		print_addr(fp, &f->addr);
		fprintf(fp, " port %u", conf_addr_port(&f->addr));
		if (f->domain[0] != '\0')
			fprintf(fp, " for domain \"%s\"", f->domain);
		fprintf(fp, "\n");
	}
	if (dns->forwarder_file[0] != '\0')
		fprintf(fp, "\tforwarder file \"%s\"\n", dns->forwarder_file);
	fprintf(fp, "\tstrategy %s\n", dns->strategy == STRATEGY_ROUND_ROBIN ?
	    "round-robin" : "in-order");
	fprintf(fp, "}\n");
}

void
print_config(FILE *fp, const struct moatd_conf *conf)
{
	fprintf(fp, "user \"%s\"\n", conf->user);
	fprintf(fp, "state directory \"%s\"\n", conf->state_dir);
	fprintf(fp, "pidfile \"%s\"\n", conf->pidfile);
	if (conf->sandbox_debug)
		fprintf(fp, "sandbox debug\n");
	if (conf->dns.enabled) {
		fprintf(fp, "\n");
		print_dns(fp, &conf->dns);
	}
}
