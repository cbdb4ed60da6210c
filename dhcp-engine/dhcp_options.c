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

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "dhcp_options.h"
#include "wire.h"

#define ITEM_MAX	DHCP_OPTION_VALUE_MAX

/* sorted by code, for dhcp_option_by_code */
static const struct dhcp_option_def	options[] = {
	{ 1,	"subnet-mask",		DHCP_OT_ADDR,	 0, 0, 0 },
	{ 2,	"time-offset",		DHCP_OT_S32,	 0, 0, 0 },
	{ 3,	"router",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 4,	"time-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 6,	"dns-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 7,	"log-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 9,	"lpr-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 12,	"hostname",		DHCP_OT_STRING,	 0, 0, 0 },
	{ 13,	"boot-size",		DHCP_OT_U16,	 0, 0, 0 },
	{ 15,	"domain-name",		DHCP_OT_STRING,	 0, 0, 0 },
	{ 17,	"root-path",		DHCP_OT_STRING,	 0, 0, 0 },
	{ 19,	"ip-forwarding",	DHCP_OT_FLAG,	 0, 0, 0 },
	{ 23,	"default-ttl",		DHCP_OT_U8,	 0, 1, 255 },
	{ 26,	"interface-mtu",	DHCP_OT_U16,	 0, 68, 65535 },
	{ 28,	"broadcast-address",	DHCP_OT_ADDR,	 0, 0, 0 },
	{ 40,	"nis-domain",		DHCP_OT_STRING,	 0, 0, 0 },
	{ 41,	"nis-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 42,	"ntp-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 44,	"netbios-name-server",	DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 45,	"netbios-dd-server",	DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 46,	"netbios-node-type",	DHCP_OT_U8,	 0, 0, 0 },
	{ 47,	"netbios-scope",	DHCP_OT_STRING,	 0, 0, 0 },
	{ 50,	"requested-address",	DHCP_OT_ADDR,	 1, 0, 0 },
	{ 51,	"lease-time",		DHCP_OT_U32,	 1, 0, 0 },
	{ 52,	"overload",		DHCP_OT_U8,	 1, 0, 0 },
	{ 53,	"message-type",		DHCP_OT_U8,	 1, 0, 0 },
	{ 54,	"server-identifier",	DHCP_OT_ADDR,	 1, 0, 0 },
	{ 55,	"parameter-request-list", DHCP_OT_HEX,	 1, 0, 0 },
	{ 56,	"message",		DHCP_OT_STRING,	 1, 0, 0 },
	{ 57,	"max-message-size",	DHCP_OT_U16,	 1, 0, 0 },
	{ 58,	"renewal-time",		DHCP_OT_U32,	 1, 0, 0 },
	{ 59,	"rebinding-time",	DHCP_OT_U32,	 1, 0, 0 },
	{ 60,	"vendor-class",		DHCP_OT_STRING,	 0, 0, 0 },
	{ 61,	"client-identifier",	DHCP_OT_HEX,	 1, 0, 0 },
	{ 66,	"tftp-server-name",	DHCP_OT_STRING,	 0, 0, 0 },
	{ 67,	"bootfile-name",	DHCP_OT_STRING,	 0, 0, 0 },
	{ 69,	"smtp-server",		DHCP_OT_ADDRS,	 0, 0, 0 },
	{ 81,	"fqdn",			DHCP_OT_HEX,	 1, 0, 0 },
	{ 82,	"relay-agent-information", DHCP_OT_HEX,	 1, 0, 0 },
	{ 119,	"domain-search",	DHCP_OT_DOMAINS, 0, 0, 0 },
	{ 121,	"classless-static-routes", DHCP_OT_ROUTES, 0, 0, 0 },
	{ 150,	"tftp-server-address",	DHCP_OT_ADDRS,	 0, 0, 0 }
};

#define NOPTIONS	(sizeof(options) / sizeof(options[0]))

/*
 * The codes the server puts in every reply it can, in this order: the
 * ones a client cannot do without come before anything it asked for.
 */
static const uint8_t	 always[] = {
	DHO_SERVER_ID, DHO_LEASE_TIME, DHO_RENEWAL_TIME, DHO_REBINDING_TIME,
	DHO_SUBNET_MASK
};

const struct dhcp_option_def *
dhcp_option_by_code(uint8_t code)
{
	size_t	 lo = 0, hi = NOPTIONS, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (options[mid].code == code)
			return &options[mid];
		if (options[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct dhcp_option_def *
dhcp_option_by_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < NOPTIONS; i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

const char *
dhcp_option_name(uint8_t code, char *buf)
{
	const struct dhcp_option_def	*d;

	if ((d = dhcp_option_by_code(code)) != NULL)
		return d->name;
	snprintf(buf, 4, "%u", code);
	return buf;
}

static int
is_digits(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

int
dhcp_option_lookup(const char *word, uint8_t *code, char *err, size_t errsz)
{
	const struct dhcp_option_def	*d;
	unsigned long			 v;

	if ((d = dhcp_option_by_name(word)) != NULL) {
		*code = d->code;
		return 0;
	}
	if (!is_digits(word)) {
		snprintf(err, errsz, "unknown option %s", word);
		return -1;
	}
	errno = 0;
	v = strtoul(word, NULL, 10);
	if (errno != 0 || v < 1 || v > 254) {
		snprintf(err, errsz, "option %s: not a code from 1 to 254",
		    word);
		return -1;
	}
	*code = (uint8_t)v;
	return 0;
}

static int
fail(char *err, size_t errsz, uint8_t code, const char *fmt, ...)
	__attribute__((__format__ (printf, 4, 5)));

static int
fail(char *err, size_t errsz, uint8_t code, const char *fmt, ...)
{
	char	 msg[DHCP_OPTION_ERR_MAX], nbuf[4];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errsz, "option %s: %s", dhcp_option_name(code, nbuf),
	    msg);
	return -1;
}

/* the encoding at work: where it writes and whom to blame */
struct enc {
	uint8_t		 code;
	uint8_t		*out;
	size_t		 len;
	char		*err;
	size_t		 errsz;
};

static int
enc_put(struct enc *e, const void *p, size_t n)
{
	if (DHCP_OPTION_VALUE_MAX - e->len < n)
		return fail(e->err, e->errsz, e->code,
		    "value longer than %d bytes", DHCP_OPTION_VALUE_MAX);
	memcpy(e->out + e->len, p, n);
	e->len += n;
	return 0;
}

/* the items of a list: words, and in each word its comma-separated parts */
struct items {
	const char *const	*w;
	size_t			 n;
	size_t			 i;
	const char		*p;	/* in w[i], or NULL for its start */
};

static void
items_init(struct items *it, const char *const *w, size_t n)
{
	memset(it, 0, sizeof(*it));
	it->w = w;
	it->n = n;
}

/* 1 and the next item in buf, 0 at the end, -1 when too long */
static int
items_next(struct items *it, char *buf, size_t bufsz)
{
	size_t	 l;

	for (;;) {
		if (it->i >= it->n)
			return 0;
		if (it->p == NULL)
			it->p = it->w[it->i];
		if (*it->p == '\0') {
			it->i++;
			it->p = NULL;
			continue;
		}
		l = strcspn(it->p, ",");
		if (l == 0) {
			it->p++;
			continue;
		}
		if (l >= bufsz)
			return -1;
		memcpy(buf, it->p, l);
		buf[l] = '\0';
		it->p += l;
		return 1;
	}
}

static int
parse_addr(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

static int
enc_addrs(struct enc *e, const char *const *w, size_t n, int one)
{
	struct items	 it;
	struct in_addr	 a;
	char		 item[ITEM_MAX];
	int		 r, count = 0;

	items_init(&it, w, n);
	while ((r = items_next(&it, item, sizeof(item))) == 1) {
		if (parse_addr(item, &a) == -1)
			return fail(e->err, e->errsz, e->code,
			    "not an IPv4 address: %s", item);
		if (one && count > 0)
			return fail(e->err, e->errsz, e->code,
			    "takes one IPv4 address");
		if (enc_put(e, &a, 4) == -1)
			return -1;
		count++;
	}
	if (r == -1)
		return fail(e->err, e->errsz, e->code, "word too long");
	if (count == 0)
		return fail(e->err, e->errsz, e->code, "needs an IPv4 address");
	return 0;
}

static int
enc_string(struct enc *e, const char *const *w, size_t n)
{
	if (n != 1)
		return fail(e->err, e->errsz, e->code, "takes one string");
	if (w[0][0] == '\0')
		return fail(e->err, e->errsz, e->code, "empty string");
	return enc_put(e, w[0], strlen(w[0]));
}

static int
parse_number(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	const char	*p = s;
	long long	 x;
	char		*end;

	if (*p == '-')
		p++;
	if (!is_digits(p))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

static void
type_bounds(const struct dhcp_option_def *d, enum dhcp_otype t, int64_t *lo,
    int64_t *hi)
{
	if (d != NULL && (d->min != 0 || d->max != 0)) {
		*lo = d->min;
		*hi = d->max;
		return;
	}
	*lo = 0;
	switch (t) {
	case DHCP_OT_U8:
		*hi = UINT8_MAX;
		break;
	case DHCP_OT_U16:
		*hi = UINT16_MAX;
		break;
	case DHCP_OT_S32:
		*lo = INT32_MIN;
		*hi = INT32_MAX;
		break;
	default:
		*hi = UINT32_MAX;
		break;
	}
}

static size_t
type_width(enum dhcp_otype t)
{
	switch (t) {
	case DHCP_OT_U8:
		return 1;
	case DHCP_OT_U16:
		return 2;
	default:
		return 4;
	}
}

static int
enc_number(struct enc *e, const struct dhcp_option_def *d, enum dhcp_otype t,
    const char *const *w, size_t n)
{
	uint8_t		 b[4];
	int64_t		 lo, hi, v;
	uint32_t	 u;
	size_t		 width, i;

	type_bounds(d, t, &lo, &hi);
	if (n != 1 || parse_number(w[0], lo, hi, &v) == -1)
		return fail(e->err, e->errsz, e->code,
		    "not a number from %lld to %lld: %s", (long long)lo,
		    (long long)hi, n > 0 ? w[0] : "");
	u = (uint32_t)v;
	width = type_width(t);
	for (i = 0; i < width; i++)
		b[i] = (u >> (8 * (width - 1 - i))) & 0xff;
	return enc_put(e, b, width);
}

static int
enc_flag(struct enc *e, const char *const *w, size_t n)
{
	static const char	*yes[] = { "true", "yes", "on", "1" };
	static const char	*no[] = { "false", "no", "off", "0" };
	uint8_t			 b;
	size_t			 i;

	if (n == 1) {
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcmp(w[0], yes[i]) == 0) {
				b = 1;
				return enc_put(e, &b, 1);
			}
			if (strcmp(w[0], no[i]) == 0) {
				b = 0;
				return enc_put(e, &b, 1);
			}
		}
	}
	return fail(e->err, e->errsz, e->code, "takes true or false");
}

static int
enc_domains(struct enc *e, const char *const *w, size_t n)
{
	struct dns_builder	 b;
	struct items		 it;
	uint8_t			 name[DNS_NAME_MAX];
	char			 item[ITEM_MAX];
	size_t			 nlen;
	int			 r, count = 0;

	/* RFC 3397 pointers count from the start of the option's value */
	dns_builder_init(&b, e->out + e->len, DHCP_OPTION_VALUE_MAX - e->len);
	items_init(&it, w, n);
	while ((r = items_next(&it, item, sizeof(item))) == 1) {
		if (dns_name_from_text(item, name, &nlen) == -1 || nlen == 1)
			return fail(e->err, e->errsz, e->code,
			    "not a domain name: %s", item);
		if (dns_build_name(&b, name, nlen) == -1)
			return fail(e->err, e->errsz, e->code,
			    "value longer than %d bytes",
			    DHCP_OPTION_VALUE_MAX);
		count++;
	}
	if (r == -1)
		return fail(e->err, e->errsz, e->code, "word too long");
	if (count == 0)
		return fail(e->err, e->errsz, e->code, "needs a domain name");
	e->len += b.len;
	return 0;
}

/* "10.0.0.0/8" or "default" into its address and prefix length */
static int
parse_dest(const char *s, struct in_addr *a, int *plen)
{
	char		 buf[INET_ADDRSTRLEN];
	const char	*slash;
	int64_t		 v;
	uint32_t	 mask;

	if (strcmp(s, "default") == 0) {
		a->s_addr = htonl(INADDR_ANY);
		*plen = 0;
		return 0;
	}
	if ((slash = strchr(s, '/')) == NULL ||
	    (size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (parse_addr(buf, a) == -1 || slash[1] == '-' ||
	    parse_number(slash + 1, 0, 32, &v) == -1)
		return -1;
	*plen = (int)v;
	mask = v == 0 ? 0 : htonl(0xffffffffU << (32 - v));
	return (a->s_addr & ~mask) == 0 ? 0 : -2;
}

static int
enc_routes(struct enc *e, const char *const *w, size_t n)
{
	struct items	 it;
	struct in_addr	 dst, gw;
	char		 item[ITEM_MAX];
	uint8_t		 b[9];
	int		 r, plen, count = 0;
	size_t		 sig;

	items_init(&it, w, n);
	while ((r = items_next(&it, item, sizeof(item))) == 1) {
		if ((r = parse_dest(item, &dst, &plen)) == -2)
			return fail(e->err, e->errsz, e->code,
			    "%s has bits set past the prefix", item);
		if (r == -1)
			return fail(e->err, e->errsz, e->code,
			    "not a destination/prefix: %s", item);
		if ((r = items_next(&it, item, sizeof(item))) != 1) {
			count = 0;	/* a destination without gateway */
			break;
		}
		if (parse_addr(item, &gw) == -1)
			return fail(e->err, e->errsz, e->code,
			    "not an IPv4 gateway: %s", item);
		/* RFC 3442: the width, then only the significant octets */
		sig = (plen + 7) / 8;
		b[0] = (uint8_t)plen;
		memcpy(b + 1, &dst, sig);
		memcpy(b + 1 + sig, &gw, 4);
		if (enc_put(e, b, 1 + sig + 4) == -1)
			return -1;
		count++;
	}
	if (r == -1)
		return fail(e->err, e->errsz, e->code, "word too long");
	if (count > 0)
		return 0;
	return fail(e->err, e->errsz, e->code,
	    "route needs a destination/prefix and a gateway");
}

static int
enc_hex(struct enc *e, const char *s)
{
	size_t	 i = 0, l;
	uint8_t	 b;
	int	 colons = strchr(s, ':') != NULL;

	if (!colons && strlen(s) % 2 != 0)
		goto bad;
	while (s[i] != '\0') {
		/* one or two digits before a colon, always two without */
		l = colons ? strcspn(s + i, ":") : 2;
		if (l < 1 || l > 2 || hex_digit(s[i]) == -1 ||
		    (l == 2 && hex_digit(s[i + 1]) == -1))
			goto bad;
		b = l == 2 ? hex_digit(s[i]) << 4 | hex_digit(s[i + 1]) :
		    hex_digit(s[i]);
		if (enc_put(e, &b, 1) == -1)
			return -1;
		i += l;
		if (colons && s[i] == ':') {
			if (s[++i] == '\0')
				goto bad;
		}
	}
	return 0;
 bad:
	return fail(e->err, e->errsz, e->code, "not hex bytes: %s", s);
}

static int
all_addrs(const char *const *w, size_t n)
{
	struct items	 it;
	struct in_addr	 a;
	char		 item[ITEM_MAX];
	int		 r, count = 0;

	items_init(&it, w, n);
	while ((r = items_next(&it, item, sizeof(item))) == 1) {
		if (parse_addr(item, &a) == -1)
			return 0;
		count++;
	}
	return r == 0 && count > 0;
}

/* an option known by its number only: the words say what it is */
static int
enc_guess(struct enc *e, const char *const *w, size_t n)
{
	static const struct {
		const char	*word;
		enum dhcp_otype	 type;
	} named[] = {
		{ "u8", DHCP_OT_U8 },
		{ "u16", DHCP_OT_U16 },
		{ "u32", DHCP_OT_U32 },
		{ "string", DHCP_OT_STRING }
	};
	size_t	 i;

	for (i = 0; n == 2 && i < sizeof(named) / sizeof(named[0]); i++) {
		if (strcmp(w[0], named[i].word) != 0)
			continue;
		if (named[i].type == DHCP_OT_STRING)
			return enc_string(e, w + 1, 1);
		return enc_number(e, NULL, named[i].type, w + 1, 1);
	}
	if (all_addrs(w, n))
		return enc_addrs(e, w, n, 0);
	if (n == 1 && is_digits(w[0]))
		return enc_number(e, NULL, DHCP_OT_U32, w, 1);
	if (n == 1)
		return enc_string(e, w, 1);
	return fail(e->err, e->errsz, e->code,
	    "give addresses, a number, one string or hex \"...\"");
}

int
dhcp_option_encode(uint8_t code, const char *const *w, size_t n,
    uint8_t *out, size_t *outlen, char *err, size_t errsz)
{
	const struct dhcp_option_def	*d;
	struct enc			 e;
	int				 rv;

	e.code = code;
	e.out = out;
	e.len = 0;
	e.err = err;
	e.errsz = errsz;
	d = dhcp_option_by_code(code);
	if (code == DHO_PAD || code == DHO_END)
		return fail(err, errsz, code, "not a code from 1 to 254");
	if (d != NULL && d->server)
		return fail(err, errsz, code, "set by the server, not "
		    "configurable%s", code == DHO_LEASE_TIME ?
		    " (use lease time)" : "");
	if (n == 0)
		return fail(err, errsz, code, "needs a value");
	if (n == 2 && strcmp(w[0], "hex") == 0)
		rv = enc_hex(&e, w[1]);
	else if (d == NULL)
		rv = enc_guess(&e, w, n);
	else {
		switch (d->type) {
		case DHCP_OT_ADDRS:
		case DHCP_OT_ADDR:
			rv = enc_addrs(&e, w, n, d->type == DHCP_OT_ADDR);
			break;
		case DHCP_OT_STRING:
			rv = enc_string(&e, w, n);
			break;
		case DHCP_OT_U8:
		case DHCP_OT_U16:
		case DHCP_OT_U32:
		case DHCP_OT_S32:
			rv = enc_number(&e, d, d->type, w, n);
			break;
		case DHCP_OT_FLAG:
			rv = enc_flag(&e, w, n);
			break;
		case DHCP_OT_DOMAINS:
			rv = enc_domains(&e, w, n);
			break;
		case DHCP_OT_ROUTES:
			rv = enc_routes(&e, w, n);
			break;
		default:
			rv = fail(err, errsz, code, "takes hex \"...\"");
			break;
		}
	}
	if (rv == -1)
		return -1;
	*outlen = e.len;
	return 0;
}

/* text being written: stops for good when full */
struct text {
	char	*buf;
	size_t	 sz;
	size_t	 len;
	int	 full;
};

static void
text_init(struct text *t, char *buf, size_t sz)
{
	t->buf = buf;
	t->sz = sz;
	t->len = 0;
	t->full = sz == 0;
	if (sz > 0)
		buf[0] = '\0';
}

static void
text_add(struct text *t, const char *fmt, ...)
	__attribute__((__format__ (printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (t->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->sz - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->sz - t->len) {
		t->full = 1;
		t->buf[t->len] = '\0';
		return;
	}
	t->len += n;
}

static void
text_sep(struct text *t)
{
	if (t->len > 0)
		text_add(t, " ");
}

static void
text_quoted(struct text *t, const uint8_t *p, size_t len)
{
	size_t	 i;

	text_sep(t);
	text_add(t, "\"");
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			text_add(t, "\\");
		text_add(t, "%c", p[i]);
	}
	text_add(t, "\"");
}

static void
text_addr(struct text *t, const uint8_t *p)
{
	char	 buf[INET_ADDRSTRLEN];

	text_sep(t);
	if (inet_ntop(AF_INET, p, buf, sizeof(buf)) == NULL)
		t->full = 1;
	else
		text_add(t, "%s", buf);
}

static void
dec_hex(struct text *t, const uint8_t *p, size_t len)
{
	size_t	 i;

	text_add(t, "hex \"");
	for (i = 0; i < len; i++)
		text_add(t, i == 0 ? "%02x" : ":%02x", p[i]);
	text_add(t, "\"");
}

static int
printable(const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return len > 0;
}

static int
dec_number(struct text *t, enum dhcp_otype type, const uint8_t *p,
    size_t len)
{
	uint32_t	 u = 0;
	size_t		 i;

	if (len != type_width(type))
		return -1;
	for (i = 0; i < len; i++)
		u = u << 8 | p[i];
	if (type == DHCP_OT_S32)
		text_add(t, "%d", (int32_t)u);
	else
		text_add(t, "%u", u);
	return 0;
}

static int
dec_domains(struct text *t, const uint8_t *p, size_t len)
{
	struct dns_cursor	 c;
	uint8_t			 name[DNS_NAME_MAX];
	char			 txt[DNS_NAME_TEXT_MAX];
	size_t			 nlen;

	dns_cursor_init(&c, p, len);
	while (c.pos < len) {
		if (dns_read_name(&c, name, &nlen) == -1 ||
		    dns_name_to_text(name, nlen, txt, sizeof(txt)) == -1)
			return -1;
		text_quoted(t, (const uint8_t *)txt, strlen(txt));
	}
	return len > 0 ? 0 : -1;
}

static int
dec_routes(struct text *t, const uint8_t *p, size_t len)
{
	uint8_t	 dst[4];
	size_t	 pos = 0, sig;
	char	 buf[INET_ADDRSTRLEN];

	while (pos < len) {
		if (p[pos] > 32)
			return -1;
		sig = (p[pos] + 7) / 8;
		if (len - pos < 1 + sig + 4)
			return -1;
		memset(dst, 0, sizeof(dst));
		memcpy(dst, p + pos + 1, sig);
		if (inet_ntop(AF_INET, dst, buf, sizeof(buf)) == NULL)
			return -1;
		text_sep(t);
		text_add(t, "%s/%u", buf, p[pos]);
		text_addr(t, p + pos + 1 + sig);
		pos += 1 + sig + 4;
	}
	return len > 0 ? 0 : -1;
}

/* the text of a value as its type says, -1 when it does not fit it */
static int
dec_typed(struct text *t, enum dhcp_otype type, const uint8_t *p,
    size_t len)
{
	size_t	 i;

	switch (type) {
	case DHCP_OT_ADDR:
	case DHCP_OT_ADDRS:
		if (len == 0 || len % 4 != 0 ||
		    (type == DHCP_OT_ADDR && len != 4))
			return -1;
		for (i = 0; i < len; i += 4)
			text_addr(t, p + i);
		return 0;
	case DHCP_OT_STRING:
		if (!printable(p, len))
			return -1;
		text_quoted(t, p, len);
		return 0;
	case DHCP_OT_U8:
	case DHCP_OT_U16:
	case DHCP_OT_U32:
	case DHCP_OT_S32:
		return dec_number(t, type, p, len);
	case DHCP_OT_FLAG:
		if (len != 1 || p[0] > 1)
			return -1;
		text_add(t, "%s", p[0] ? "true" : "false");
		return 0;
	case DHCP_OT_DOMAINS:
		return dec_domains(t, p, len);
	case DHCP_OT_ROUTES:
		return dec_routes(t, p, len);
	default:
		return -1;
	}
}

/*
 * Whether text encodes back to exactly val: the promise decode makes.
 * A client's value may be valid and still not come back the same (a
 * domain list compressed otherwise, a number out of the configurable
 * range); those print as hex.
 */
static int
round_trips(uint8_t code, const char *text, const uint8_t *val, size_t len)
{
	char		 copy[DHCP_OPTION_TEXT_MAX];
	const char	*words[DHCP_OPTION_VALUE_MAX];
	uint8_t		 back[DHCP_OPTION_VALUE_MAX];
	char		 err[DHCP_OPTION_ERR_MAX];
	size_t		 blen;
	int		 n;

	if (strlcpy(copy, text, sizeof(copy)) >= sizeof(copy) ||
	    (n = dhcp_option_split(copy, words, DHCP_OPTION_VALUE_MAX)) == -1)
		return 0;
	if (dhcp_option_encode(code, words, n, back, &blen, err,
	    sizeof(err)) == -1)
		return 0;
	return blen == len && memcmp(back, val, len) == 0;
}

static int
dec_try(uint8_t code, enum dhcp_otype type, const char *prefix,
    const uint8_t *val, size_t len, char *out, size_t outsz)
{
	struct text	 t;

	text_init(&t, out, outsz);
	if (prefix != NULL)
		text_add(&t, "%s", prefix);
	if (dec_typed(&t, type, val, len) == -1 || t.full)
		return -1;
	return round_trips(code, out, val, len) ? 0 : -1;
}

int
dhcp_option_decode(uint8_t code, const uint8_t *val, size_t len, char *out,
    size_t outsz)
{
	const struct dhcp_option_def	*d;
	struct text			 t;

	if (out == NULL || outsz == 0)
		return -1;
	d = dhcp_option_by_code(code);
	/* server options do not encode: their typed text is only shown */
	if (d != NULL && d->server && d->type != DHCP_OT_HEX) {
		text_init(&t, out, outsz);
		if (dec_typed(&t, d->type, val, len) == 0 && !t.full)
			return 0;
	}
	if (len <= DHCP_OPTION_VALUE_MAX) {
		if (d != NULL && d->type != DHCP_OT_HEX &&
		    dec_try(code, d->type, NULL, val, len, out, outsz) == 0)
			return 0;
		if (d == NULL &&
		    (dec_try(code, DHCP_OT_STRING, NULL, val, len, out,
		    outsz) == 0 ||
		    dec_try(code, DHCP_OT_STRING, "string", val, len, out,
		    outsz) == 0))
			return 0;
	}
	text_init(&t, out, outsz);
	dec_hex(&t, val, len);
	return t.full ? -1 : 0;
}

int
dhcp_option_split(char *text, const char **words, size_t max)
{
	char	*p = text, *o;
	size_t	 n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return (int)n;
		if (n >= max || n >= INT_MAX)
			return -1;
		if (*p != '"') {
			words[n++] = p;
			p += strcspn(p, " \t");
			if (*p != '\0')
				*p++ = '\0';
			continue;
		}
		/* unescape in place: the word only shrinks */
		words[n++] = o = ++p;
		while (*p != '"') {
			if (*p == '\\')
				p++;
			if (*p == '\0')
				return -1;
			*o++ = *p++;
		}
		p++;
		*o = '\0';
	}
}

void
dhcp_codeset_add(struct dhcp_codeset *s, uint8_t code)
{
	s->bits[code >> 3] |= 1 << (code & 7);
}

int
dhcp_codeset_has(const struct dhcp_codeset *s, uint8_t code)
{
	return (s->bits[code >> 3] >> (code & 7)) & 1;
}

static void
reply_add(const struct dhcp_codeset *avail, struct dhcp_codeset *done,
    uint8_t code, uint8_t *out, size_t *n)
{
	if (code == DHO_PAD || code == DHO_END || code == DHO_MESSAGE_TYPE ||
	    code == DHO_OVERLOAD || code == DHO_RELAY_AGENT_INFO ||
	    !dhcp_codeset_has(avail, code) ||
	    dhcp_codeset_has(done, code))
		return;
	dhcp_codeset_add(done, code);
	out[(*n)++] = code;
}

size_t
dhcp_reply_options(const struct dhcp_msg *req,
    const struct dhcp_codeset *avail, uint8_t *out)
{
	struct dhcp_codeset	 done;
	const uint8_t		*prl;
	size_t			 n = 0, plen, i;
	int			 c;

	memset(&done, 0, sizeof(done));
	for (i = 0; i < sizeof(always); i++)
		reply_add(avail, &done, always[i], out, &n);
	if (dhcp_msg_has_option(req, DHO_FQDN))
		reply_add(avail, &done, DHO_FQDN, out, &n);
	if (dhcp_msg_param_list(req, &prl, &plen) == 0) {
		for (i = 0; i < plen; i++)
			reply_add(avail, &done, prl[i], out, &n);
		return n;
	}
	for (c = 1; c < DHO_END; c++)
		reply_add(avail, &done, (uint8_t)c, out, &n);
	return n;
}
