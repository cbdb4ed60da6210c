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

#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "conf.h"
#ifdef MOAT_DHCP
#include "dhcp_options.h"
#endif
#include "log.h"

struct moatd_conf *
conf_new(void)
{
	struct moatd_conf	*conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	strlcpy(conf->user, MOAT_USER, sizeof(conf->user));
	strlcpy(conf->state_dir, MOAT_STATE_DIR, sizeof(conf->state_dir));
	strlcpy(conf->pidfile, MOAT_PIDFILE, sizeof(conf->pidfile));
	TAILQ_INIT(&conf->dns.listens);
	TAILQ_INIT(&conf->dns.forwarders);
	TAILQ_INIT(&conf->dns.domains);
	conf->dns.strategy = STRATEGY_IN_ORDER;
	conf->dns.cache_size = MOAT_CACHE_SIZE;
	rr_buf_init(&conf->dns.records, MOAT_RECORDS_MAX);
	TAILQ_INIT(&conf->dhcp);
	return conf;
}

struct moatd_conf *
conf_embedded(void)
{
	struct moatd_conf	*conf;

	if ((conf = conf_new()) == NULL)
		return NULL;
#ifdef MOAT_DNS
	conf->dns.enabled = 1;
#endif
	if (conf_finish(conf) == -1) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

static int
conf_add_listen(struct dns_conf *dns, const char *addr)
{
	struct listen_conf	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	l->port = MOAT_DNS_PORT;
	if (conf_parse_addr(addr, l->port, &l->addr) == -1) {
		free(l);
		return -1;
	}
	TAILQ_INSERT_TAIL(&dns->listens, l, entry);
	return 0;
}

static void
dhcp_finish(struct moatd_conf *conf)
{
	struct dhcp_conf	*d;

	TAILQ_FOREACH(d, &conf->dhcp, entry)
		if (d->lease_time == 0)
			d->lease_time = MOAT_DHCP_LEASE_TIME;
	if (conf->lease_hook[0] != '\0' && conf->lease_hook_user[0] == '\0')
		strlcpy(conf->lease_hook_user, MOAT_DHCP_HOOK_USER,
		    sizeof(conf->lease_hook_user));
}

int
conf_finish(struct moatd_conf *conf)
{
	struct dns_conf	*dns = &conf->dns;

	dhcp_finish(conf);
	if (!dns->enabled)
		return 0;
	if (TAILQ_EMPTY(&dns->listens)) {
		if (conf_add_listen(dns, "127.0.0.1") == -1 ||
		    conf_add_listen(dns, "::1") == -1) {
			log_warnx("out of memory");
			return -1;
		}
	}
	if (TAILQ_EMPTY(&dns->forwarders) && dns->forwarder_file[0] == '\0')
		strlcpy(dns->forwarder_file, MOAT_RESOLV_CONF,
		    sizeof(dns->forwarder_file));
	if (!dns->hosts_file_set)
		strlcpy(dns->hosts_file, MOAT_HOSTS_FILE,
		    sizeof(dns->hosts_file));
	return 0;
}

static void
dhcp_free_options(struct dhcp_option_list *list)
{
	struct dhcp_option_conf	*o;

	while ((o = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, o, entry);
		conf_dhcp_option_free(o);
	}
}

static void
dhcp_free_ranges(struct dhcp_range_list *list)
{
	struct dhcp_range_conf	*r;

	while ((r = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, r, entry);
		free(r);
	}
}

static void
dhcp_free_all(struct dhcp_list *list)
{
	struct dhcp_conf	*d;
	struct dhcp_host_conf	*h;
	struct dhcp_subnet_conf	*sn;

	while ((d = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, d, entry);
		while ((h = TAILQ_FIRST(&d->hosts)) != NULL) {
			TAILQ_REMOVE(&d->hosts, h, entry);
			dhcp_free_options(&h->options);
			free(h);
		}
		while ((sn = TAILQ_FIRST(&d->subnets)) != NULL) {
			TAILQ_REMOVE(&d->subnets, sn, entry);
			dhcp_free_ranges(&sn->ranges);
			dhcp_free_options(&sn->options);
			free(sn);
		}
		dhcp_free_ranges(&d->ranges);
		dhcp_free_options(&d->options);
		free(d);
	}
}

void
conf_free(struct moatd_conf *conf)
{
	struct listen_conf	*l;
	struct forwarder_conf	*f;
	struct domain_conf	*d;

	if (conf == NULL)
		return;
	while ((l = TAILQ_FIRST(&conf->dns.listens)) != NULL) {
		TAILQ_REMOVE(&conf->dns.listens, l, entry);
		free(l);
	}
	while ((f = TAILQ_FIRST(&conf->dns.forwarders)) != NULL) {
		TAILQ_REMOVE(&conf->dns.forwarders, f, entry);
		free(f);
	}
	while ((d = TAILQ_FIRST(&conf->dns.domains)) != NULL) {
		TAILQ_REMOVE(&conf->dns.domains, d, entry);
		free(d);
	}
	rr_buf_free(&conf->dns.records);
	dhcp_free_all(&conf->dhcp);
	free(conf);
}

/* A numeric IPv4 or IPv6 address, with an optional %scope for IPv6. */
int
conf_parse_addr(const char *s, in_port_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	char			*scope;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return 0;
	}
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	if ((scope = strchr(buf, '%')) != NULL)
		*scope++ = '\0';
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return -1;
	if (scope != NULL &&
	    (sin6->sin6_scope_id = if_nametoindex(scope)) == 0)
		return -1;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	return 0;
}

/*
 * Labels of 1 to 63 letters, digits, '-' or '_', at most 253 characters
 * in all, lower cased.  "." is the root: "".
 */
static int
norm_ascii(const char *s, char *out, size_t outsz)
{
	size_t	 i, n, label = 0;

	n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n > 253 || n + 1 > outsz)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char	 c = s[i];

		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return -1;
		} else
			return -1;
		out[i] = tolower(c);
	}
	if (n > 0 && label == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static int
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/*
 * Names in Unicode become punycode (IDNA2008, with the UTS #46 mapping
 * that folds case), as a query for them arrives; ASCII names are taken
 * as they are, which keeps underscores (SRV owners) and costs nothing.
 */
int
conf_norm_domain(const char *s, char *out, size_t outsz)
{
	char	*ascii = NULL;
	int	 rv;

	if (!has_non_ascii(s))
		return norm_ascii(s, out, outsz);
	if (idn2_to_ascii_8z(s, &ascii, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL) != IDN2_OK)
		return -1;
	rv = norm_ascii(ascii, out, outsz);
	idn2_free(ascii);
	return rv;
}

/*
 * DHCP options: the engine's own table and encoder, so that a value the
 * engine would refuse is an error with its file and line here.
 */
#ifdef MOAT_DHCP
const char *
conf_dhcp_option_name(uint8_t code, char *buf)
{
	return dhcp_option_name(code, buf);
}

/*
 * The encoder reads domain names in ASCII: a name in Unicode becomes
 * punycode first, as conf_norm_domain makes it for the DNS block.
 */
static const char *
option_word(uint8_t code, const char *word, char *buf, size_t bufsz)
{
	const struct dhcp_option_def	*d;

	d = dhcp_option_by_code(code);
	if (d == NULL || !has_non_ascii(word) ||
	    (d->type != DHCP_OT_DOMAINS && code != DHO_DOMAIN_NAME))
		return word;
	if (strchr(word, ',') != NULL ||
	    conf_norm_domain(word, buf, bufsz) == -1 || buf[0] == '\0')
		return word;
	return buf;
}

struct dhcp_option_conf *
conf_dhcp_option_new(const char *opt, const char *const *words,
    size_t nwords, char *err, size_t errsz)
{
	struct dhcp_option_conf	*o;
	const char		**w = NULL;
	char			(*norm)[MOAT_DOMAIN_MAX] = NULL;
	uint8_t			 code;
	size_t			 i;
	int			 rv;

	if (dhcp_option_lookup(opt, &code, err, errsz) == -1)
		return NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		fatal("calloc");
	o->code = code;
	if (nwords > 0) {
		if ((w = calloc(nwords, sizeof(*w))) == NULL ||
		    (norm = calloc(nwords, sizeof(*norm))) == NULL)
			fatal("calloc");
		for (i = 0; i < nwords; i++)
			w[i] = option_word(code, words[i], norm[i],
			    sizeof(norm[i]));
	}
	rv = dhcp_option_encode(code, w, nwords, o->data, &o->len, err,
	    errsz);
	free(w);
	free(norm);
	if (rv == -1) {
		free(o);
		return NULL;
	}
	return o;
}
#else
const char *
conf_dhcp_option_name(uint8_t code, char *buf)
{
	snprintf(buf, 4, "%u", code);
	return buf;
}

struct dhcp_option_conf *
conf_dhcp_option_new(const char *opt, const char *const *words,
    size_t nwords, char *err, size_t errsz)
{
	snprintf(err, errsz, "option %s: this moatd was built without the "
	    "DHCP engine", opt);
	return NULL;
}
#endif /* MOAT_DHCP */

void
conf_dhcp_option_free(struct dhcp_option_conf *o)
{
	free(o);
}

int
conf_parse_hex(const char *s, uint8_t *out, size_t outsz)
{
	size_t	 n = 0;
	int	 hi, lo;

	if (*s == '\0')
		return -1;
	if (strchr(s, ':') == NULL) {
		/* pairs of digits with nothing between */
		for (; *s != '\0'; s += 2) {
			if ((hi = hex_digit(s[0])) == -1 ||
			    (lo = hex_digit(s[1])) == -1 || n == outsz)
				return -1;
			out[n++] = hi << 4 | lo;
		}
		return n;
	}
	for (;;) {
		if ((hi = hex_digit(*s++)) == -1 || n == outsz)
			return -1;
		if ((lo = hex_digit(*s)) != -1) {
			hi = hi << 4 | lo;
			s++;
		}
		out[n++] = hi;
		if (*s == '\0')
			return n;
		if (*s++ != ':')
			return -1;
	}
}

int
conf_parse_mac(const char *s, uint8_t *mac)
{
	const char	*p;
	size_t		 colons = 0;

	for (p = s; *p != '\0'; p++)
		if (*p == ':')
			colons++;
	if (colons != DHCP_HWADDR_LEN - 1)
		return -1;
	if (conf_parse_hex(s, mac, DHCP_HWADDR_LEN) != DHCP_HWADDR_LEN)
		return -1;
	return 0;
}
