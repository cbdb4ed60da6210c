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

#include "addr.h"
#include "conf.h"
#ifdef MOAT_DHCP
#include "dhcp_options.h"
#endif
#include "wire.h"

#define TYPE_NAPTR	35
#define TYPE_CAA	257

/*
 * Print a configuration back in the grammar it was read in, defaults
 * included, so "moatd -nv" shows exactly what would run.
 */

static void
print_addr(FILE *fp, const struct sockaddr_storage *ss)
{
	char	 buf[INET6_ADDRSTRLEN];

	fputs(addr_text(ss, buf, sizeof(buf)), fp);
	if (ss->ss_family == AF_INET6 &&
	    ((const struct sockaddr_in6 *)ss)->sin6_scope_id != 0) {
		char	 ifname[IF_NAMESIZE];

		if (if_indextoname(((const struct sockaddr_in6 *)ss)->
		    sin6_scope_id, ifname) != NULL)
			fprintf(fp, "%%%s", ifname);
	}
}

/* a quoted string, as quoted_token reads it back */
static void
print_quoted(FILE *fp, const uint8_t *s, size_t n)
{
	size_t	 i;

	fputc('"', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', fp);
		fputc(s[i], fp);
	}
	fputc('"', fp);
}

static int
print_name(FILE *fp, const uint8_t *name, size_t len)
{
	char	 text[DNS_NAME_TEXT_MAX];

	if (dns_name_to_text(name, len, text, sizeof(text)) == -1)
		return -1;
	fputc(' ', fp);
	print_quoted(fp, (const uint8_t *)text, strlen(text));
	return 0;
}

/* the rdata name at *off, which must lie within the rdata */
static int
print_rdata_name(FILE *fp, const struct rr_entry *e, size_t *off)
{
	size_t	 n = *off;

	while (n < e->rdlen && e->rdata[n] != 0)
		n += 1 + e->rdata[n];
	if (n >= e->rdlen)
		return -1;
	n++;
	if (print_name(fp, e->rdata + *off, n - *off) == -1)
		return -1;
	*off = n;
	return 0;
}

static int
print_u16(FILE *fp, const struct rr_entry *e, size_t *off)
{
	if (*off + 2 > e->rdlen)
		return -1;
	fprintf(fp, " %u", e->rdata[*off] << 8 | e->rdata[*off + 1]);
	*off += 2;
	return 0;
}

static int
print_charstr(FILE *fp, const struct rr_entry *e, size_t *off)
{
	size_t	 n;

	if (*off >= e->rdlen)
		return -1;
	n = e->rdata[*off];
	if (*off + 1 + n > e->rdlen)
		return -1;
	fputc(' ', fp);
	print_quoted(fp, e->rdata + *off + 1, n);
	*off += 1 + n;
	return 0;
}

static int
print_rdata(FILE *fp, const struct rr_entry *e)
{
	char	 buf[INET6_ADDRSTRLEN];
	size_t	 off = 0;
	int	 rv = 0;

	switch (e->type) {
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA:
		if (e->rdlen != (e->type == DNS_TYPE_A ? 4 : 16))
			return -1;
		inet_ntop(e->type == DNS_TYPE_A ? AF_INET : AF_INET6,
		    e->rdata, buf, sizeof(buf));
		fprintf(fp, " %s", buf);
		return 0;
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
		rv = print_rdata_name(fp, e, &off);
		break;
	case DNS_TYPE_MX:
		rv = print_u16(fp, e, &off) ||
		    print_rdata_name(fp, e, &off);
		break;
	case DNS_TYPE_SRV:
		rv = print_u16(fp, e, &off) || print_u16(fp, e, &off) ||
		    print_u16(fp, e, &off) || print_rdata_name(fp, e, &off);
		break;
	case DNS_TYPE_TXT:
		while (rv == 0 && off < e->rdlen)
			rv = print_charstr(fp, e, &off);
		break;
	case TYPE_NAPTR:
		rv = print_u16(fp, e, &off) || print_u16(fp, e, &off) ||
		    print_charstr(fp, e, &off) ||
		    print_charstr(fp, e, &off) ||
		    print_charstr(fp, e, &off) ||
		    print_rdata_name(fp, e, &off);
		break;
	case TYPE_CAA:
		if (e->rdlen < 2 || 2 + (size_t)e->rdata[1] > e->rdlen)
			return -1;
		fprintf(fp, " %u", e->rdata[0]);
		fputc(' ', fp);
		print_quoted(fp, e->rdata + 2, e->rdata[1]);
		fputc(' ', fp);
		off = 2 + e->rdata[1];
		print_quoted(fp, e->rdata + off, e->rdlen - off);
		return 0;
	default:
		return -1;
	}
	return rv || off != e->rdlen ? -1 : 0;
}

/*
 * Records and addresses back from their wire form; the addresses of one
 * "address" line, which follow each other, go back on one line.
 */
static void
print_records(FILE *fp, const struct rr_buf *b)
{
	struct rr_entry	 e, prev;
	const char	*tname;
	size_t		 off = 0;
	int		 open = 0;

	while (off < b->len && rr_entry_read(b->data + off, b->len - off,
	    &e) == 0) {
		off += e.len;
		if (open && (e.kind != RECORD_SUBTREE ||
		    !dns_name_equal(e.owner, e.owner_len, prev.owner,
		    prev.owner_len))) {
			fputc('\n', fp);
			open = 0;
		}
		if (e.kind == RECORD_EXACT) {
			tname = records_type_name(e.type);
			fputs("\trecord", fp);
			print_name(fp, e.owner, e.owner_len);
			fprintf(fp, " %s", tname != NULL ? tname : "?");
			if (print_rdata(fp, &e) == -1)
				fputs(" # unreadable", fp);
			fputc('\n', fp);
			continue;
		}
		if (!open) {
			fputs("\taddress", fp);
			print_name(fp, e.owner, e.owner_len);
		}
		if (e.kind == RECORD_NXDOMAIN) {
			fputc('\n', fp);
			continue;
		}
		print_rdata(fp, &e);
		open = 1;
		prev = e;
	}
	if (open)
		fputc('\n', fp);
}

static const char *
strategy_word(enum dns_strategy s)
{
	switch (s) {
	case STRATEGY_ROUND_ROBIN:
		return "round-robin";
	case STRATEGY_FASTEST:
		return "fastest";
	default:
		return "in-order";
	}
}

static void
print_dns(FILE *fp, const struct dns_conf *dns)
{
	const struct listen_conf	*l;
	const struct forwarder_conf	*f;
	const struct domain_conf	*d;

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
		fprintf(fp, " port %u", addr_port(&f->addr));
		if (f->domain[0] != '\0')
			fprintf(fp, " for domain \"%s\"", f->domain);
		fprintf(fp, "\n");
	}
	if (dns->forwarder_file[0] != '\0')
		fprintf(fp, "\tforwarder file \"%s\"\n", dns->forwarder_file);
	fprintf(fp, "\tstrategy %s\n", strategy_word(dns->strategy));
	if (dns->flags & DNS_RANDOM_CASE)
		fprintf(fp, "\trandom case\n");
	fprintf(fp, "\tcache size %u\n", dns->cache_size);
	if (dns->hosts_file[0] != '\0') {
		fputs("\thosts file ", fp);
		print_quoted(fp, (const uint8_t *)dns->hosts_file,
		    strlen(dns->hosts_file));
		fputc('\n', fp);
	} else
		fprintf(fp, "\tno hosts file\n");
	if (dns->domain[0] != '\0')
		fprintf(fp, "\tdomain \"%s\"\n", dns->domain);
	TAILQ_FOREACH(d, &dns->domains, entry)
		if (d->kind == DOMAIN_LOCAL)
			fprintf(fp, "\tlocal domain \"%s\"\n", d->domain);
	if (dns->flags & DNS_BLOCK_PRIVATE_REVERSE)
		fprintf(fp, "\tblock private reverse\n");
	if (dns->flags & DNS_BLOCK_UNQUALIFIED)
		fprintf(fp, "\tblock unqualified\n");
	if (dns->flags & DNS_BLOCK_REBIND)
		fprintf(fp, "\tblock rebind\n");
	TAILQ_FOREACH(d, &dns->domains, entry)
		if (d->kind == DOMAIN_REBIND_OK)
			fprintf(fp, "\tallow rebind for domain \"%s\"\n",
			    d->domain);
	print_records(fp, &dns->records);
	fprintf(fp, "}\n");
}

static void
print_qstr(FILE *fp, const char *s)
{
	print_quoted(fp, (const uint8_t *)s, strlen(s));
}

/* in the largest unit that divides it, as "lease time" reads it */
static void
print_lease_time(FILE *fp, const char *indent, uint32_t t)
{
	if (t % (24 * 60 * 60) == 0)
		fprintf(fp, "%slease time %ud\n", indent, t / (24 * 60 * 60));
	else if (t % (60 * 60) == 0)
		fprintf(fp, "%slease time %uh\n", indent, t / (60 * 60));
	else if (t % 60 == 0)
		fprintf(fp, "%slease time %um\n", indent, t / 60);
	else
		fprintf(fp, "%slease time %u\n", indent, t);
}

static void
print_ranges(FILE *fp, const char *indent,
    const struct dhcp_range_list *list)
{
	const struct dhcp_range_conf	*r;
	char				 a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	TAILQ_FOREACH(r, list, entry)
		fprintf(fp, "%s%srange %s %s\n", indent,
		    r->bootp ? "bootp " : "",
		    inet_ntop(AF_INET, &r->start, a, sizeof(a)),
		    inet_ntop(AF_INET, &r->end, b, sizeof(b)));
}

/* each value as dhcp_option_decode writes it, which reads back the same */
static void
print_options(FILE *fp, const char *indent,
    const struct dhcp_option_list *list)
{
#ifdef MOAT_DHCP
	const struct dhcp_option_conf	*o;
	char				 text[DHCP_OPTION_TEXT_MAX], buf[4];

	TAILQ_FOREACH(o, list, entry) {
		/* the text buffer holds any value: decode cannot fail */
		if (dhcp_option_decode(o->code, o->data, o->len, text,
		    sizeof(text)) == -1) {
			fprintf(fp, "%s# option %u: cannot be printed\n",
			    indent, o->code);
			continue;
		}
		fprintf(fp, "%soption %s %s\n", indent,
		    conf_dhcp_option_name(o->code, buf), text);
	}
#endif
}

static void
print_host(FILE *fp, const struct dhcp_host_conf *h)
{
	char	 buf[INET_ADDRSTRLEN];
	size_t	 i;

	fprintf(fp, "\thost \"%s\" {\n", h->name);
	if (h->has_hwaddr)
		fprintf(fp, "\t\thardware ethernet "
		    "%02x:%02x:%02x:%02x:%02x:%02x\n", h->hwaddr[0],
		    h->hwaddr[1], h->hwaddr[2], h->hwaddr[3], h->hwaddr[4],
		    h->hwaddr[5]);
	if (h->client_id_len != 0 && h->client_id_hex) {
		fputs("\t\tclient-id hex \"", fp);
		for (i = 0; i < h->client_id_len; i++)
			fprintf(fp, "%s%02x", i ? ":" : "", h->client_id[i]);
		fputs("\"\n", fp);
	} else if (h->client_id_len != 0) {
		fputs("\t\tclient-id ", fp);
		print_quoted(fp, h->client_id, h->client_id_len);
		fputc('\n', fp);
	}
	if (h->address.s_addr != INADDR_ANY)
		fprintf(fp, "\t\taddress %s\n",
		    inet_ntop(AF_INET, &h->address, buf, sizeof(buf)));
	print_options(fp, "\t\t", &h->options);
	fprintf(fp, "\t}\n");
}

static void
print_dhcp(FILE *fp, const struct dhcp_conf *d)
{
	const struct dhcp_host_conf	*h;
	const struct dhcp_subnet_conf	*sn;
	char				 buf[INET_ADDRSTRLEN];

	fputs("dhcp on ", fp);
	print_qstr(fp, d->ifname);
	fputs(" {\n", fp);
	print_lease_time(fp, "\t", d->lease_time);
	if (d->ping_check)
		fprintf(fp, "\tping check\n");
	print_ranges(fp, "\t", &d->ranges);
	print_options(fp, "\t", &d->options);
	TAILQ_FOREACH(h, &d->hosts, entry)
		print_host(fp, h);
	TAILQ_FOREACH(sn, &d->subnets, entry) {
		fprintf(fp, "\tsubnet %s/%d {\n",
		    inet_ntop(AF_INET, &sn->network, buf, sizeof(buf)),
		    sn->prefixlen);
		if (sn->lease_time != 0)
			print_lease_time(fp, "\t\t", sn->lease_time);
		print_ranges(fp, "\t\t", &sn->ranges);
		print_options(fp, "\t\t", &sn->options);
		fprintf(fp, "\t}\n");
	}
	fprintf(fp, "}\n");
}

void
print_config(FILE *fp, const struct moatd_conf *conf)
{
	const struct dhcp_conf	*d;

	fprintf(fp, "user \"%s\"\n", conf->user);
	fprintf(fp, "state directory \"%s\"\n", conf->state_dir);
	fprintf(fp, "pidfile \"%s\"\n", conf->pidfile);
	if (conf->sandbox_debug)
		fprintf(fp, "sandbox debug\n");
	if (conf->lease_hook[0] != '\0') {
		fputs("lease hook ", fp);
		print_qstr(fp, conf->lease_hook);
		fputs(" as user ", fp);
		print_qstr(fp, conf->lease_hook_user);
		fputc('\n', fp);
	}
	if (conf->dns.enabled) {
		fprintf(fp, "\n");
		print_dns(fp, &conf->dns);
	}
	TAILQ_FOREACH(d, &conf->dhcp, entry) {
		fprintf(fp, "\n");
		print_dhcp(fp, d);
	}
}
