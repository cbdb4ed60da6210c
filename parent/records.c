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

/*
 * Local records in the form the DNS engine takes them: each "record" and
 * "address" line, and each hosts file entry, becomes entries of a kind
 * byte and one resource record in uncompressed wire form, class IN, TTL
 * 0, appended to an rr_buf.  The engine reads them back with its packet
 * parser, so what is written here must be exactly what RFC 1035 and the
 * RFCs of each type say.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "conf.h"
#include "wire.h"

#define TYPE_NAPTR		35
#define TYPE_CAA		257
#define RDATA_MAX		65535
#define CHARSTR_MAX		255

struct rdata {
	uint8_t		 buf[RDATA_MAX];
	size_t		 len;
	int		 overflow;
};

typedef int	encode_fn(struct rdata *, const char *,
		    const struct rr_arg *, size_t, char *, size_t);

struct rr_type {
	const char	*name;
	uint16_t	 type;
	encode_fn	*encode;
	const char	*usage;		/* "needs ..." */
};

static encode_fn	enc_a, enc_aaaa, enc_name, enc_mx, enc_srv, enc_txt;
static encode_fn	enc_naptr, enc_caa;

static const struct rr_type rr_types[] = {
	{ "A", DNS_TYPE_A, enc_a, "an IPv4 address" },
	{ "AAAA", DNS_TYPE_AAAA, enc_aaaa, "an IPv6 address" },
	{ "CAA", TYPE_CAA, enc_caa, "flags, a tag and a value" },
	{ "CNAME", DNS_TYPE_CNAME, enc_name, "a name" },
	{ "MX", DNS_TYPE_MX, enc_mx, "a preference and a name" },
	{ "NAPTR", TYPE_NAPTR, enc_naptr, "an order, a preference, flags, "
	    "a service, a regexp and a replacement" },
	{ "PTR", DNS_TYPE_PTR, enc_name, "a name" },
	{ "SRV", DNS_TYPE_SRV, enc_srv, "a priority, a weight, a port and "
	    "a target" },
	{ "TXT", DNS_TYPE_TXT, enc_txt, "one or more strings" },
};
#define NTYPES	(sizeof(rr_types) / sizeof(rr_types[0]))

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

void
rr_buf_init(struct rr_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
rr_buf_free(struct rr_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = b->count = 0;
}

static int
rr_buf_grow(struct rr_buf *b, size_t need)
{
	uint8_t	*p;
	size_t	 ncap;

	if (b->max != 0 && b->len + need > b->max) {
		errno = E2BIG;
		return -1;
	}
	if (b->len + need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + need)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
rr_buf_add(struct rr_buf *b, uint8_t kind, const uint8_t *owner,
    size_t olen, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	uint8_t	*p;
	size_t	 need;

	if (olen == 0 || olen > DNS_NAME_MAX || rdlen > RDATA_MAX) {
		errno = EINVAL;
		return -1;
	}
	need = 1 + olen + 10 + rdlen;
	if (rr_buf_grow(b, need) == -1)
		return -1;
	p = b->data + b->len;
	*p++ = kind;
	memcpy(p, owner, olen);
	p += olen;
	put_be16(p, type);
	put_be16(p + 2, DNS_CLASS_IN);
	/* TTL 0: clients do not keep local data */
	memset(p + 4, 0, 4);
	put_be16(p + 8, rdlen);
	if (rdlen > 0)
		memcpy(p + 10, rdata, rdlen);
	b->len += need;
	b->count++;
	return 0;
}

/* the uncompressed name at data: its length, or 0 when malformed */
static size_t
wire_name_len(const uint8_t *data, size_t len)
{
	size_t	 off = 0;

	while (off < len && off < DNS_NAME_MAX) {
		if (data[off] == 0)
			return off + 1;
		if (data[off] > DNS_LABEL_MAX)
			return 0;
		off += 1 + data[off];
	}
	return 0;
}

int
rr_entry_read(const uint8_t *data, size_t len, struct rr_entry *e)
{
	size_t	 n;

	memset(e, 0, sizeof(*e));
	if (len < 1 + 1 + 10)
		return -1;
	e->kind = data[0];
	if ((n = wire_name_len(data + 1, len - 1)) == 0 ||
	    n > DNS_NAME_MAX || 1 + n + 10 > len)
		return -1;
	e->owner = data + 1;
	e->owner_len = n;
	data += 1 + n;
	e->type = data[0] << 8 | data[1];
	e->rdlen = data[8] << 8 | data[9];
	if (1 + n + 10 + (size_t)e->rdlen > len)
		return -1;
	e->rdata = data + 10;
	e->len = 1 + n + 10 + e->rdlen;
	return 0;
}

size_t
rr_buf_batch(const struct rr_buf *b, size_t off, size_t max)
{
	struct rr_entry	 e;
	size_t		 end = off;

	while (end < b->len) {
		if (rr_entry_read(b->data + end, b->len - end, &e) == -1)
			return 0;
		if (end + e.len - off > max)
			break;
		end += e.len;
	}
	return end - off;
}

int
records_name_to_wire(const char *name, uint8_t *out, size_t *outlen)
{
	if (name[0] == '\0') {
		out[0] = 0;
		*outlen = 1;
		return 0;
	}
	return dns_name_from_text(name, out, outlen);
}

static void
rd_put(struct rdata *rd, const void *p, size_t n)
{
	if (rd->overflow || rd->len + n > sizeof(rd->buf)) {
		rd->overflow = 1;
		return;
	}
	memcpy(rd->buf + rd->len, p, n);
	rd->len += n;
}

static void
rd_put16(struct rdata *rd, uint16_t v)
{
	uint8_t	 b[2];

	put_be16(b, v);
	rd_put(rd, b, 2);
}

/* a number wanted: a number token, or a quoted string of digits */
static int
arg_number(const struct rr_arg *a, int64_t max, int64_t *out)
{
	const char	*errstr;

	if (a->is_number) {
		if (a->number < 0 || a->number > max)
			return -1;
		*out = a->number;
		return 0;
	}
	if (a->string[0] == '\0' ||
	    strspn(a->string, "0123456789") != strlen(a->string))
		return -1;
	*out = strtonum(a->string, 0, max, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* a string wanted: numbers are taken as the digits they were */
static const char *
arg_string(const struct rr_arg *a, char *buf, size_t bufsz)
{
	if (!a->is_number)
		return a->string;
	snprintf(buf, bufsz, "%lld", (long long)a->number);
	return buf;
}

/* a name in rdata; root_ok for targets where "." means "none" */
static int
rd_name(struct rdata *rd, const struct rr_arg *a, int root_ok,
    const char *type, char *err, size_t errsz)
{
	char		 norm[MOAT_DOMAIN_MAX], num[32];
	uint8_t		 wire[DNS_NAME_MAX];
	size_t		 wlen;
	const char	*s = arg_string(a, num, sizeof(num));

	if (conf_norm_domain(s, norm, sizeof(norm)) == -1 ||
	    (norm[0] == '\0' && !root_ok) ||
	    records_name_to_wire(norm, wire, &wlen) == -1) {
		seterr(err, errsz, "record: %s \"%s\": not a domain name",
		    type, s);
		return -1;
	}
	rd_put(rd, wire, wlen);
	return 0;
}

static int
rd_u16(struct rdata *rd, const struct rr_arg *a, const char *type,
    const char *what, char *err, size_t errsz)
{
	int64_t	 v;
	char	 num[32];

	if (arg_number(a, 65535, &v) == -1) {
		seterr(err, errsz, "record: %s %s %s: not a number from 0 to "
		    "65535", type, what, arg_string(a, num, sizeof(num)));
		return -1;
	}
	rd_put16(rd, v);
	return 0;
}

/* a <character-string>: a length byte and up to 255 bytes */
static int
rd_charstr(struct rdata *rd, const struct rr_arg *a, const char *type,
    char *err, size_t errsz)
{
	char		 num[32];
	const char	*s = arg_string(a, num, sizeof(num));
	size_t		 n = strlen(s);
	uint8_t		 len;

	if (n > CHARSTR_MAX) {
		seterr(err, errsz, "record: %s string longer than %d bytes",
		    type, CHARSTR_MAX);
		return -1;
	}
	len = n;
	rd_put(rd, &len, 1);
	rd_put(rd, s, n);
	return 0;
}

static int
enc_addr(struct rdata *rd, const struct rr_arg *a, size_t n, int af,
    const char *type, char *err, size_t errsz)
{
	uint8_t	 addr[16];

	if (n != 1 || a[0].is_number ||
	    inet_pton(af, a[0].string, addr) != 1) {
		seterr(err, errsz, "record: %s needs an %s address", type,
		    af == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	rd_put(rd, addr, af == AF_INET ? 4 : 16);
	return 0;
}

static int
enc_a(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	return enc_addr(rd, a, n, AF_INET, tname, err, errsz);
}

static int
enc_aaaa(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	return enc_addr(rd, a, n, AF_INET6, tname, err, errsz);
}

/* CNAME and PTR; the caller checked the count */
static int
enc_name(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	return rd_name(rd, &a[0], 0, tname, err, errsz);
}

static int
enc_mx(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	if (rd_u16(rd, &a[0], "MX", "preference", err, errsz) == -1)
		return -1;
	/* "." is RFC 7505's null MX: this domain takes no mail */
	return rd_name(rd, &a[1], 1, "MX", err, errsz);
}

static int
enc_srv(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	if (rd_u16(rd, &a[0], "SRV", "priority", err, errsz) == -1 ||
	    rd_u16(rd, &a[1], "SRV", "weight", err, errsz) == -1 ||
	    rd_u16(rd, &a[2], "SRV", "port", err, errsz) == -1)
		return -1;
	/* "." says the service is not offered here (RFC 2782) */
	return rd_name(rd, &a[3], 1, "SRV", err, errsz);
}

static int
enc_txt(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (rd_charstr(rd, &a[i], "TXT", err, errsz) == -1)
			return -1;
	return 0;
}

static int
enc_naptr(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	if (rd_u16(rd, &a[0], "NAPTR", "order", err, errsz) == -1 ||
	    rd_u16(rd, &a[1], "NAPTR", "preference", err, errsz) == -1 ||
	    rd_charstr(rd, &a[2], "NAPTR", err, errsz) == -1 ||
	    rd_charstr(rd, &a[3], "NAPTR", err, errsz) == -1 ||
	    rd_charstr(rd, &a[4], "NAPTR", err, errsz) == -1)
		return -1;
	return rd_name(rd, &a[5], 1, "NAPTR", err, errsz);
}

/* RFC 8659: flags, a tag of letters and digits, the value to the end */
static int
enc_caa(struct rdata *rd, const char *tname, const struct rr_arg *a,
    size_t n, char *err, size_t errsz)
{
	char		 num[32];
	const char	*tag, *value, *s;
	int64_t		 flags;
	uint8_t		 b;

	if (arg_number(&a[0], 255, &flags) == -1) {
		seterr(err, errsz, "record: CAA flags %s: not a number from "
		    "0 to 255", arg_string(&a[0], num, sizeof(num)));
		return -1;
	}
	tag = arg_string(&a[1], num, sizeof(num));
	for (s = tag; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s))
			break;
	if (*s != '\0' || tag[0] == '\0' || strlen(tag) > CHARSTR_MAX) {
		seterr(err, errsz, "record: CAA tag \"%s\": not a word of "
		    "letters and digits", tag);
		return -1;
	}
	b = flags;
	rd_put(rd, &b, 1);
	b = strlen(tag);
	rd_put(rd, &b, 1);
	rd_put(rd, tag, strlen(tag));
	value = arg_string(&a[2], num, sizeof(num));
	rd_put(rd, value, strlen(value));
	return 0;
}

/* how many values each type takes; TXT: one or more */
static int
args_fit(uint16_t type, size_t n)
{
	switch (type) {
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA:
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
		return n == 1;
	case DNS_TYPE_MX:
		return n == 2;
	case DNS_TYPE_SRV:
		return n == 4;
	case DNS_TYPE_TXT:
		return n >= 1;
	case TYPE_NAPTR:
		return n == 6;
	case TYPE_CAA:
		return n == 3;
	}
	return 0;
}

const char *
records_type_name(uint16_t type)
{
	size_t	 i;

	for (i = 0; i < NTYPES; i++)
		if (rr_types[i].type == type)
			return rr_types[i].name;
	return NULL;
}

static int
owner_wire(const char *owner, const char *what, uint8_t *wire, size_t *wlen,
    char *err, size_t errsz)
{
	char	 norm[MOAT_DOMAIN_MAX];

	if (conf_norm_domain(owner, norm, sizeof(norm)) == -1 ||
	    norm[0] == '\0' || records_name_to_wire(norm, wire, wlen) == -1) {
		seterr(err, errsz, "%s \"%s\": not a domain name", what,
		    owner);
		return -1;
	}
	return 0;
}

static int
add_failed(struct rr_buf *b, char *err, size_t errsz)
{
	if (errno == E2BIG)
		seterr(err, errsz, "local records take more than %zu bytes",
		    b->max);
	else
		seterr(err, errsz, "local records: %s", strerror(errno));
	return -1;
}

int
records_add_record(struct rr_buf *b, const char *owner, const char *type,
    const struct rr_arg *args, size_t nargs, char *err, size_t errsz)
{
	const struct rr_type	*t = NULL;
	struct rdata		*rd;
	uint8_t			 wire[DNS_NAME_MAX];
	size_t			 wlen, i;
	int			 rv;

	for (i = 0; i < NTYPES; i++)
		if (strcasecmp(type, rr_types[i].name) == 0)
			t = &rr_types[i];
	if (t == NULL) {
		seterr(err, errsz, "record: unknown type \"%s\" (A, AAAA, "
		    "CAA, CNAME, MX, NAPTR, PTR, SRV or TXT)", type);
		return -1;
	}
	if (owner_wire(owner, "record", wire, &wlen, err, errsz) == -1)
		return -1;
	if (!args_fit(t->type, nargs)) {
		seterr(err, errsz, "record: %s needs %s", t->name, t->usage);
		return -1;
	}
	/* 64 KiB: not on the stack */
	if ((rd = calloc(1, sizeof(*rd))) == NULL) {
		seterr(err, errsz, "record: out of memory");
		return -1;
	}
	if ((rv = t->encode(rd, t->name, args, nargs, err, errsz)) == 0) {
		if (rd->overflow) {
			seterr(err, errsz, "record: %s data longer than %d "
			    "bytes", t->name, RDATA_MAX);
			rv = -1;
		} else if (rr_buf_add(b, RECORD_EXACT, wire, wlen, t->type,
		    rd->buf, rd->len) == -1)
			rv = add_failed(b, err, errsz);
	}
	free(rd);
	return rv;
}

int
records_add_address(struct rr_buf *b, const char *owner,
    const struct rr_arg *args, size_t nargs, char *err, size_t errsz)
{
	uint8_t		 wire[DNS_NAME_MAX], addr[16];
	char		 num[32];
	size_t		 wlen, i;

	if (owner_wire(owner, "address", wire, &wlen, err, errsz) == -1)
		return -1;
	/* check every address before any is added */
	for (i = 0; i < nargs; i++) {
		const char	*s = arg_string(&args[i], num, sizeof(num));

		if (args[i].is_number || (inet_pton(AF_INET, s, addr) != 1 &&
		    inet_pton(AF_INET6, s, addr) != 1)) {
			seterr(err, errsz, "address: \"%s\": not an IPv4 or "
			    "IPv6 address", s);
			return -1;
		}
	}
	if (nargs == 0) {
		if (rr_buf_add(b, RECORD_NXDOMAIN, wire, wlen, 0, NULL, 0) ==
		    -1)
			return add_failed(b, err, errsz);
		return 0;
	}
	for (i = 0; i < nargs; i++) {
		if (inet_pton(AF_INET, args[i].string, addr) == 1) {
			if (rr_buf_add(b, RECORD_SUBTREE, wire, wlen,
			    DNS_TYPE_A, addr, 4) == -1)
				return add_failed(b, err, errsz);
		} else {
			inet_pton(AF_INET6, args[i].string, addr);
			if (rr_buf_add(b, RECORD_SUBTREE, wire, wlen,
			    DNS_TYPE_AAAA, addr, 16) == -1)
				return add_failed(b, err, errsz);
		}
	}
	return 0;
}

void
records_reverse_name(int af, const void *addr, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789abcdef";
	const uint8_t		*a = addr;
	size_t			 off = 0;
	int			 i;

	if (af == AF_INET) {
		snprintf(out, outsz, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2],
		    a[1], a[0]);
		return;
	}
	/* 32 nibbles, least significant first: 64 bytes, then ip6.arpa */
	for (i = 15; i >= 0 && off + 4 < outsz; i--) {
		out[off++] = hex[a[i] & 0x0f];
		out[off++] = '.';
		out[off++] = hex[a[i] >> 4];
		out[off++] = '.';
	}
	out[off] = '\0';
	strlcat(out, "ip6.arpa", outsz);
}
