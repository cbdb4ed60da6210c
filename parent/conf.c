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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "conf.h"
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
 * DHCP options.  Until the encoder of dhcp-engine/dhcp_options.c takes
 * over, the options named in moatd.conf(5) are checked here for the
 * values they take, and other options by number are taken as written.
 */
enum opt_type {
	OT_ADDRS,		/* one or more IPv4 addresses */
	OT_ADDR,		/* one IPv4 address */
	OT_STRING,		/* one string */
	OT_DOMAIN,		/* one domain name */
	OT_DOMAINS,		/* one or more domain names */
	OT_ROUTES,		/* pairs of a prefix and a router */
	OT_MTU,			/* a number from 68 to 65535 */
	OT_S32			/* a signed 32-bit number */
};

static const struct {
	const char	*name;
	uint8_t		 code;
	enum opt_type	 type;
} dhcp_option_table[] = {
	{ "time-offset",		2,	OT_S32 },
	{ "router",			3,	OT_ADDRS },
	{ "dns-server",			6,	OT_ADDRS },
	{ "hostname",			12,	OT_STRING },
	{ "domain-name",		15,	OT_DOMAIN },
	{ "interface-mtu",		26,	OT_MTU },
	{ "broadcast-address",		28,	OT_ADDR },
	{ "ntp-server",			42,	OT_ADDRS },
	{ "netbios-name-server",	44,	OT_ADDRS },
	{ "tftp-server-name",		66,	OT_STRING },
	{ "bootfile-name",		67,	OT_STRING },
	{ "domain-search",		119,	OT_DOMAINS },
	{ "classless-static-routes",	121,	OT_ROUTES },
};

#define OPTION_TABLE_LEN \
	(sizeof(dhcp_option_table) / sizeof(dhcp_option_table[0]))

/* what the server sets itself, from the exchange or other statements */
static const struct {
	uint8_t		 code;
	const char	*why;
} dhcp_option_refused[] = {
	{ 50,	"set by the client" },
	{ 51,	"set by the server; use lease time" },
	{ 52,	"set by the server" },
	{ 53,	"set by the server" },
	{ 54,	"set by the server" },
	{ 55,	"set by the client" },
	{ 57,	"set by the client" },
	{ 61,	"set by the client; use client-id in a host" },
	{ 82,	"set by the relay agent" },
};

int
conf_dhcp_option_code(const char *name)
{
	size_t	 i;

	for (i = 0; i < OPTION_TABLE_LEN; i++)
		if (strcasecmp(dhcp_option_table[i].name, name) == 0)
			return dhcp_option_table[i].code;
	return -1;
}

const char *
conf_dhcp_option_name(uint8_t code)
{
	size_t	 i;

	for (i = 0; i < OPTION_TABLE_LEN; i++)
		if (dhcp_option_table[i].code == code)
			return dhcp_option_table[i].name;
	return NULL;
}

/* -1: no type known here, any words go */
static int
option_type(uint8_t code)
{
	size_t	 i;

	for (i = 0; i < OPTION_TABLE_LEN; i++)
		if (dhcp_option_table[i].code == code)
			return dhcp_option_table[i].type;
	return -1;
}

void
conf_dhcp_option_free(struct dhcp_option_conf *o)
{
	size_t	 i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nvals; i++)
		free(o->vals[i].text);
	free(o->vals);
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

static void
option_label(char *buf, size_t bufsz, const char *name, int64_t code)
{
	if (name != NULL)
		snprintf(buf, bufsz, "option %s", name);
	else
		snprintf(buf, bufsz, "option %lld", (long long)code);
}

static char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return p;
}

/* "10.0.0.0/8" with no host bits set, written back the same way */
static int
parse_route_prefix(const char *s, char *out, size_t outsz)
{
	char		 buf[INET_ADDRSTRLEN + 4], *slash;
	struct in_addr	 a;
	const char	*errstr;
	uint32_t	 mask;
	long long	 len;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	len = strtonum(slash, 0, 32, &errstr);
	if (errstr != NULL || *slash == '\0' ||
	    inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	mask = len == 0 ? 0 : 0xffffffffU << (32 - len);
	if ((ntohl(a.s_addr) & ~mask) != 0)
		return -1;
	snprintf(out, outsz, "%s/%lld", buf, len);
	return 0;
}

static int
parse_s32(const char *s, int64_t *v)
{
	const char	*errstr;

	*v = strtonum(s, INT32_MIN, INT32_MAX, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* a number however it was written ("-60" is a word), in decimal */
static void
set_number(struct dhcp_optval *v, int64_t n)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)n);
	free(v->text);
	v->text = xstrdup(buf);
	v->kind = OPTVAL_NUMBER;
}

/* the words against what the option takes; texts normalized in place */
static int
option_check_type(struct dhcp_option_conf *o, int type, const char *label,
    char *err, size_t errsz)
{
	char	 norm[MOAT_DOMAIN_MAX];
	size_t	 i;
	int64_t	 v;

	switch (type) {
	case OT_ADDRS:
	case OT_ADDR:
		if (o->nvals == 0 || (type == OT_ADDR && o->nvals != 1))
			goto addrs;
		for (i = 0; i < o->nvals; i++)
			if (o->vals[i].kind != OPTVAL_ADDRESS)
				goto addrs;
		return 0;
	case OT_STRING:
		if (o->nvals != 1 || o->vals[0].text[0] == '\0') {
			snprintf(err, errsz, "%s: needs one string", label);
			return -1;
		}
		return 0;
	case OT_DOMAIN:
	case OT_DOMAINS:
		if (o->nvals == 0 || (type == OT_DOMAIN && o->nvals != 1)) {
			snprintf(err, errsz, "%s: needs %s", label,
			    type == OT_DOMAIN ? "one domain name" :
			    "one or more domain names");
			return -1;
		}
		for (i = 0; i < o->nvals; i++) {
			if (conf_norm_domain(o->vals[i].text, norm,
			    sizeof(norm)) == -1 || norm[0] == '\0') {
				snprintf(err, errsz, "%s: \"%s\" is not a "
				    "domain name", label, o->vals[i].text);
				return -1;
			}
			free(o->vals[i].text);
			o->vals[i].text = xstrdup(norm);
			o->vals[i].kind = OPTVAL_STRING;
		}
		return 0;
	case OT_ROUTES:
		if (o->nvals == 0 || o->nvals % 2 != 0)
			goto routes;
		for (i = 0; i < o->nvals; i += 2) {
			if (parse_route_prefix(o->vals[i].text, norm,
			    sizeof(norm)) == -1 ||
			    o->vals[i + 1].kind != OPTVAL_ADDRESS)
				goto routes;
			free(o->vals[i].text);
			o->vals[i].text = xstrdup(norm);
		}
		return 0;
	case OT_MTU:
		if (o->nvals != 1 || parse_s32(o->vals[0].text, &v) == -1 ||
		    v < 68 || v > 65535) {
			snprintf(err, errsz, "%s: needs a number from 68 to "
			    "65535", label);
			return -1;
		}
		set_number(&o->vals[0], v);
		return 0;
	case OT_S32:
		if (o->nvals != 1 || parse_s32(o->vals[0].text, &v) == -1) {
			snprintf(err, errsz, "%s: needs a number of seconds "
			    "from %d to %d", label, INT32_MIN, INT32_MAX);
			return -1;
		}
		set_number(&o->vals[0], v);
		return 0;
	}
	return 0;
 addrs:
	snprintf(err, errsz, "%s: needs %s", label, type == OT_ADDR ?
	    "one IPv4 address" : "one or more IPv4 addresses");
	return -1;
 routes:
	snprintf(err, errsz, "%s: needs pairs of a prefix such as "
	    "10.0.0.0/8 and a router address", label);
	return -1;
}

/* one word of the line, classified */
static int
option_word(struct dhcp_optval *v, const struct rr_arg *a,
    const char *label, char *err, size_t errsz)
{
	char		 buf[INET_ADDRSTRLEN];
	struct in_addr	 in;

	if (a->is_number) {
		snprintf(buf, sizeof(buf), "%lld", (long long)a->number);
		v->kind = OPTVAL_NUMBER;
		v->text = xstrdup(buf);
		return 0;
	}
	if (strlen(a->string) > DHCP_OPTION_DATA_MAX) {
		snprintf(err, errsz, "%s: string longer than %d bytes", label,
		    DHCP_OPTION_DATA_MAX);
		return -1;
	}
	if (inet_pton(AF_INET, a->string, &in) == 1) {
		inet_ntop(AF_INET, &in, buf, sizeof(buf));
		v->kind = OPTVAL_ADDRESS;
		v->text = xstrdup(buf);
		return 0;
	}
	v->kind = OPTVAL_STRING;
	v->text = xstrdup(a->string);
	return 0;
}

/* the hex value as "01:ab:..": the one form printed back */
static int
option_hex(struct dhcp_optval *v, const char *hex, const char *label,
    char *err, size_t errsz)
{
	uint8_t	 bytes[DHCP_OPTION_DATA_MAX];
	char	*text;
	size_t	 size, pos;
	int	 n, i;

	if ((n = conf_parse_hex(hex, bytes, sizeof(bytes))) == -1) {
		snprintf(err, errsz, "%s: hex \"%s\": not hex bytes such as "
		    "\"01:ab\", or longer than %d bytes", label, hex,
		    DHCP_OPTION_DATA_MAX);
		return -1;
	}
	/* two digits a byte, a colon between, a NUL */
	size = n * 3;
	if ((text = malloc(size)) == NULL)
		fatal("malloc");
	for (i = 0, pos = 0; i < n; i++)
		pos += snprintf(text + pos, size - pos, "%s%02x",
		    i ? ":" : "", bytes[i]);
	v->kind = OPTVAL_HEX;
	v->text = text;
	return 0;
}

static int
option_code(const char *name, int64_t number, const char *label,
    char *err, size_t errsz)
{
	size_t	 i;
	int	 code;

	if (name != NULL) {
		if ((code = conf_dhcp_option_code(name)) == -1) {
			snprintf(err, errsz, "%s: unknown option; give its "
			    "number", label);
			return -1;
		}
		return code;
	}
	if (number < 1 || number > 254) {
		snprintf(err, errsz, "%s: not an option number (1-254)",
		    label);
		return -1;
	}
	for (i = 0; i < sizeof(dhcp_option_refused) /
	    sizeof(dhcp_option_refused[0]); i++)
		if (dhcp_option_refused[i].code == number) {
			snprintf(err, errsz, "%s: %s", label,
			    dhcp_option_refused[i].why);
			return -1;
		}
	return number;
}

struct dhcp_option_conf *
conf_dhcp_option_new(const char *name, int64_t number,
    const struct rr_arg *args, size_t nargs, const char *hex, char *err,
    size_t errsz)
{
	struct dhcp_option_conf	*o;
	char			 label[64];
	size_t			 i, n;
	int			 code;

	option_label(label, sizeof(label), name, number);
	if ((code = option_code(name, number, label, err, errsz)) == -1)
		return NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		fatal("calloc");
	o->code = code;
	o->by_name = name != NULL;
	n = hex != NULL ? 1 : nargs;
	if (n > 0 && (o->vals = calloc(n, sizeof(*o->vals))) == NULL)
		fatal("calloc");
	if (hex != NULL) {
		if (option_hex(&o->vals[0], hex, label, err, errsz) == -1)
			goto fail;
		o->nvals = 1;
		return o;
	}
	for (i = 0; i < nargs; i++) {
		if (option_word(&o->vals[i], &args[i], label, err,
		    errsz) == -1)
			goto fail;
		o->nvals++;
	}
	if (option_check_type(o, option_type(o->code), label, err,
	    errsz) == -1)
		goto fail;
	return o;
 fail:
	conf_dhcp_option_free(o);
	return NULL;
}
