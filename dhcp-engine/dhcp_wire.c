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

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "dhcp_wire.h"

#define OFF_OP		0
#define OFF_HTYPE	1
#define OFF_HLEN	2
#define OFF_HOPS	3
#define OFF_XID		4
#define OFF_SECS	8
#define OFF_FLAGS	10
#define OFF_CIADDR	12
#define OFF_YIADDR	16
#define OFF_SIADDR	20
#define OFF_GIADDR	24
#define OFF_CHADDR	28
#define OFF_SNAME	44
#define OFF_FILE	108
#define OFF_COOKIE	236

#define OPT_VALUE_MAX	255
#define IP_TTL_OURS	64
#define IP_DF		0x4000
#define ETHERTYPE_IPV4	0x0800

static const uint8_t	 cookie[DHCP_COOKIE_LEN] = { 99, 130, 83, 99 };

static int
bit_isset(const uint8_t *set, uint8_t code)
{
	return (set[code >> 3] >> (code & 7)) & 1;
}

static void
bit_set(uint8_t *set, uint8_t code)
{
	set[code >> 3] |= 1 << (code & 7);
}

/*
 * One place options may be: the options field, or file or sname when
 * option 52 lends them.  Walked twice: first to check the TLVs and add
 * up the length of each code, then to copy the values, so that every
 * instance of a code lands next to the others (RFC 3396) without any
 * allocation.
 */
struct opt_area {
	const uint8_t	*p;
	size_t		 len;
	int		 main;		/* the options field itself */
};

struct opt_walk {
	size_t		 total[256];	/* pass 1: bytes of each code */
	size_t		 filled[256];	/* pass 2: bytes copied so far */
	const uint8_t	*overload;	/* the last option 52 seen */
	size_t		 overload_len;
};

static int
area_walk(const struct opt_area *a, struct dhcp_msg *m, struct opt_walk *w,
    int copy, const char **why)
{
	size_t		 pos = 0, l;
	uint8_t		 code;

	while (pos < a->len) {
		code = a->p[pos++];
		if (code == DHO_PAD)
			continue;
		if (code == DHO_END)
			return 0;
		if (pos >= a->len) {
			*why = "option length past the end";
			return -1;
		}
		l = a->p[pos++];
		if (l > a->len - pos) {
			*why = "option value past the end";
			return -1;
		}
		/* option 52 in a lent field would lend it again: ignored */
		if (code == DHO_OVERLOAD && !a->main) {
			pos += l;
			continue;
		}
		if (!copy) {
			if (code == DHO_OVERLOAD) {
				/* an empty instance has no byte to point at */
				if (l > 0)
					w->overload = a->p + pos;
				w->overload_len += l;
			}
			w->total[code] += l;
			bit_set(m->present, code);
		} else {
			memcpy(m->optdata + m->opt_off[code] + w->filled[code],
			    a->p + pos, l);
			w->filled[code] += l;
		}
		pos += l;
	}
	m->missing_end = 1;
	return 0;
}

static int
take_overload(struct dhcp_msg *m, const struct opt_walk *w,
    const char **why)
{
	if (!bit_isset(m->present, DHO_OVERLOAD))
		return 0;
	if (w->overload_len != 1 || w->overload == NULL || w->overload[0] < 1 ||
	    w->overload[0] > 3) {
		*why = "bad option overload (52)";
		return -1;
	}
	m->overload = w->overload[0];
	return 0;
}

static int
place_options(struct dhcp_msg *m, const struct opt_walk *w,
    const char **why)
{
	size_t	 off = 0;
	int	 c;

	for (c = 1; c < DHO_END; c++) {
		if (!bit_isset(m->present, c))
			continue;
		if (w->total[c] > DHCP_OPTDATA_MAX - off) {
			*why = "too many option bytes";
			return -1;
		}
		m->opt_off[c] = off;
		m->opt_len[c] = w->total[c];
		off += w->total[c];
	}
	m->optdata_len = off;
	return 0;
}

static size_t
areas_of(const uint8_t *pkt, size_t len, const struct dhcp_msg *m,
    struct opt_area *a)
{
	size_t	 n = 0;

	/* RFC 2131 4.1: the options field, then file, then sname */
	a[n].p = pkt + DHCP_OPTIONS_OFF;
	a[n].len = len - DHCP_OPTIONS_OFF;
	a[n++].main = 1;
	if (m->overload & DHCP_OVERLOAD_FILE) {
		a[n].p = pkt + OFF_FILE;
		a[n].len = DHCP_FILE_LEN;
		a[n++].main = 0;
	}
	if (m->overload & DHCP_OVERLOAD_SNAME) {
		a[n].p = pkt + OFF_SNAME;
		a[n].len = DHCP_SNAME_LEN;
		a[n++].main = 0;
	}
	return n;
}

static int
parse_options(const uint8_t *pkt, size_t len, struct dhcp_msg *m,
    const char **why)
{
	struct opt_walk	 w;
	struct opt_area	 a[3];
	size_t		 n, i;

	memset(&w, 0, sizeof(w));
	/* the options field alone, until it says what else holds options */
	areas_of(pkt, len, m, a);
	if (area_walk(&a[0], m, &w, 0, why) == -1 ||
	    take_overload(m, &w, why) == -1)
		return -1;
	n = areas_of(pkt, len, m, a);
	for (i = 1; i < n; i++)
		if (area_walk(&a[i], m, &w, 0, why) == -1)
			return -1;
	if (place_options(m, &w, why) == -1)
		return -1;
	for (i = 0; i < n; i++)
		area_walk(&a[i], m, &w, 1, why);
	return 0;
}

static void
copy_text(char *out, const uint8_t *p, size_t len)
{
	size_t	 n;

	for (n = 0; n < len && p[n] != '\0'; n++)
		out[n] = (char)p[n];
	out[n] = '\0';
}

static int
take_type(struct dhcp_msg *m, const char **why)
{
	const uint8_t	*v;
	size_t		 l;

	if (!dhcp_msg_option(m, DHO_MESSAGE_TYPE, &v, &l))
		return 0;
	if (l != 1 || v[0] == 0) {
		*why = "bad message type (53)";
		return -1;
	}
	m->type = v[0];
	return 0;
}

int
dhcp_msg_parse(const uint8_t *pkt, size_t len, struct dhcp_msg *m,
    const char **why)
{
	const char	*dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	/* the header fields first, the big option table only when needed */
	memset(m, 0, offsetof(struct dhcp_msg, opt_off));
	if (pkt == NULL || len < DHCP_FIXED_LEN) {
		*why = "shorter than a BOOTP header";
		return -1;
	}
	m->op = pkt[OFF_OP];
	m->htype = pkt[OFF_HTYPE];
	m->hlen = pkt[OFF_HLEN];
	m->hops = pkt[OFF_HOPS];
	if (m->op != DHCP_BOOTREQUEST && m->op != DHCP_BOOTREPLY) {
		*why = "bad op";
		return -1;
	}
	if (m->hlen > DHCP_HLEN_MAX) {
		*why = "hardware address longer than 16";
		return -1;
	}
	m->xid = get_be32(pkt + OFF_XID);
	m->secs = get_be16(pkt + OFF_SECS);
	m->flags = get_be16(pkt + OFF_FLAGS);
	memcpy(&m->ciaddr, pkt + OFF_CIADDR, 4);
	memcpy(&m->yiaddr, pkt + OFF_YIADDR, 4);
	memcpy(&m->siaddr, pkt + OFF_SIADDR, 4);
	memcpy(&m->giaddr, pkt + OFF_GIADDR, 4);
	memcpy(m->chaddr, pkt + OFF_CHADDR, DHCP_CHADDR_LEN);
	m->optdata_len = 0;

	if (len >= DHCP_OPTIONS_OFF &&
	    memcmp(pkt + OFF_COOKIE, cookie, DHCP_COOKIE_LEN) == 0) {
		m->has_cookie = 1;
		if (parse_options(pkt, len, m, why) == -1 ||
		    take_type(m, why) == -1) {
			memset(m->present, 0, sizeof(m->present));
			m->overload = m->type = 0;
			return -1;
		}
	}
	if (!(m->overload & DHCP_OVERLOAD_SNAME))
		copy_text(m->sname, pkt + OFF_SNAME, DHCP_SNAME_LEN);
	if (!(m->overload & DHCP_OVERLOAD_FILE))
		copy_text(m->file, pkt + OFF_FILE, DHCP_FILE_LEN);
	return 0;
}

int
dhcp_msg_has_option(const struct dhcp_msg *m, uint8_t code)
{
	if (code == DHO_PAD || code == DHO_END)
		return 0;
	return bit_isset(m->present, code);
}

int
dhcp_msg_option(const struct dhcp_msg *m, uint8_t code, const uint8_t **val,
    size_t *len)
{
	if (!dhcp_msg_has_option(m, code))
		return 0;
	if (val != NULL)
		*val = m->optdata + m->opt_off[code];
	if (len != NULL)
		*len = m->opt_len[code];
	return 1;
}

static int
option_addr(const struct dhcp_msg *m, uint8_t code, struct in_addr *a)
{
	const uint8_t	*v;
	size_t		 l;

	if (!dhcp_msg_option(m, code, &v, &l) || l != 4)
		return -1;
	memcpy(a, v, 4);
	return 0;
}

int
dhcp_msg_requested_addr(const struct dhcp_msg *m, struct in_addr *a)
{
	return option_addr(m, DHO_REQUESTED_ADDRESS, a);
}

int
dhcp_msg_server_id(const struct dhcp_msg *m, struct in_addr *a)
{
	return option_addr(m, DHO_SERVER_ID, a);
}

static int
option_bytes(const struct dhcp_msg *m, uint8_t code, size_t min,
    const uint8_t **val, size_t *len)
{
	const uint8_t	*v;
	size_t		 l;

	if (!dhcp_msg_option(m, code, &v, &l) || l < min)
		return -1;
	*val = v;
	*len = l;
	return 0;
}

int
dhcp_msg_client_id(const struct dhcp_msg *m, const uint8_t **val,
    size_t *len)
{
	return option_bytes(m, DHO_CLIENT_ID, 2, val, len);
}

int
dhcp_msg_param_list(const struct dhcp_msg *m, const uint8_t **val,
    size_t *len)
{
	return option_bytes(m, DHO_PARAMETER_LIST, 1, val, len);
}

int
dhcp_msg_relay_info(const struct dhcp_msg *m, const uint8_t **val,
    size_t *len)
{
	/* sub-options are the relay's business: kept as they came */
	return option_bytes(m, DHO_RELAY_AGENT_INFO, 0, val, len);
}

size_t
dhcp_msg_max_reply(const struct dhcp_msg *m)
{
	const uint8_t	*v;
	size_t		 l, dgram;

	if (!dhcp_msg_option(m, DHO_MAX_MESSAGE_SIZE, &v, &l) || l != 2)
		return m->type == 0 ? DHCP_BOOTP_MIN : DHCP_REPLY_MIN;
	dgram = get_be16(v);
	if (dgram < DHCP_DGRAM_MIN)
		return DHCP_REPLY_MIN;
	if (dgram > DHCP_DGRAM_MAX)
		return DHCP_REPLY_MAX;
	return dgram - DHCP_UDP_IP_HDRS;
}

int
dhcp_label_sanitize(const uint8_t *p, size_t len, char *out)
{
	size_t	 i, n = 0;
	uint8_t	 c;

	for (i = 0; i < len && n < DHCP_LABEL_MAX; i++) {
		c = p[i];
		if (c == '.' || c == '\0')
			break;
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		else if (c == ' ' || c == '_')
			c = '-';
		else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') &&
		    c != '-')
			continue;
		if (c == '-' && n == 0)
			continue;
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return n == 0 ? -1 : 0;
}

int
dhcp_msg_hostname(const struct dhcp_msg *m, char *out)
{
	const uint8_t	*v;
	size_t		 l;

	out[0] = '\0';
	if (!dhcp_msg_option(m, DHO_HOST_NAME, &v, &l))
		return -1;
	return dhcp_label_sanitize(v, l, out);
}

/* add one label to the text of f, sanitized */
static int
fqdn_add_label(struct dhcp_fqdn *f, const uint8_t *p, size_t len)
{
	char	 label[DHCP_LABEL_MAX + 1];
	size_t	 have, n;

	if (len == 0 || dhcp_label_sanitize(p, len, label) == -1)
		return -1;
	have = strlen(f->name);
	n = strlen(label);
	if (have + (have > 0) + n > DHCP_FQDN_TEXT_MAX)
		return -1;
	if (have == 0)
		memcpy(f->host, label, n + 1);
	else
		f->name[have++] = '.';
	memcpy(f->name + have, label, n + 1);
	return 0;
}

static int
fqdn_wire(struct dhcp_fqdn *f, const uint8_t *p, size_t len)
{
	size_t	 pos = 0, l;

	while (pos < len) {
		l = p[pos++];
		if (l == 0)
			return pos == len ? 0 : -1;
		if (l > DHCP_LABEL_MAX || l > len - pos)
			return -1;
		if (fqdn_add_label(f, p + pos, l) == -1)
			return -1;
		pos += l;
	}
	f->partial = 1;
	return 0;
}

static int
fqdn_ascii(struct dhcp_fqdn *f, const uint8_t *p, size_t len)
{
	size_t	 start = 0, i;

	/* some clients end the name with a NUL */
	while (len > 0 && p[len - 1] == '\0')
		len--;
	if (len == 0)
		return 0;
	if (p[len - 1] == '.')
		len--;
	else
		f->partial = 1;
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '.')
			continue;
		if (i - start > DHCP_LABEL_MAX ||
		    fqdn_add_label(f, p + start, i - start) == -1)
			return -1;
		start = i + 1;
	}
	return 0;
}

int
dhcp_msg_fqdn(const struct dhcp_msg *m, struct dhcp_fqdn *f)
{
	const uint8_t	*v;
	size_t		 l;
	int		 rv;

	memset(f, 0, sizeof(*f));
	if (!dhcp_msg_option(m, DHO_FQDN, &v, &l) || l < 3)
		return -1;
	f->flags = v[0];
	f->rcode1 = v[1];
	f->rcode2 = v[2];
	if (f->flags & DHCP_FQDN_E)
		rv = fqdn_wire(f, v + 3, l - 3);
	else
		rv = fqdn_ascii(f, v + 3, l - 3);
	if (rv == -1) {
		memset(f, 0, sizeof(*f));
		return -1;
	}
	return 0;
}

int
dhcp_fqdn_encode(uint8_t flags, const char *name, int full, uint8_t *out,
    size_t outsz, size_t *outlen)
{
	size_t	 nlen, n = 3, start = 0, i, l;

	nlen = strlen(name);
	/* the worst case: a length byte per label and the root label */
	if (nlen > DHCP_FQDN_TEXT_MAX || outsz < 3 + nlen + 2)
		return -1;
	out[0] = flags;
	out[1] = out[2] = 255;
	if (!(flags & DHCP_FQDN_E)) {
		memcpy(out + n, name, nlen);
		n += nlen;
		if (full && nlen > 0)
			out[n++] = '.';
		*outlen = n;
		return 0;
	}
	for (i = 0; nlen > 0 && i <= nlen; i++) {
		if (i < nlen && name[i] != '.')
			continue;
		l = i - start;
		if (l == 0 || l > DHCP_LABEL_MAX)
			return -1;
		out[n++] = (uint8_t)l;
		memcpy(out + n, name + start, l);
		n += l;
		start = i + 1;
	}
	if (full && nlen > 0)
		out[n++] = 0;
	*outlen = n;
	return 0;
}

void
dhcp_builder_init(struct dhcp_builder *b, uint8_t *buf, size_t cap,
    size_t max)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = buf == NULL ? 0 : cap;
	if (b->cap < DHCP_BOOTP_MIN)
		b->error = 1;
	if (max == 0)
		max = DHCP_REPLY_MIN;
	if (max < DHCP_BOOTP_MIN)
		max = DHCP_BOOTP_MIN;
	b->max = max < b->cap ? max : b->cap;
}

/* bytes an option of len bytes of value takes, split per RFC 3396 */
static size_t
option_space(size_t len)
{
	if (len == 0)
		return 2;
	return len + 2 * ((len + OPT_VALUE_MAX - 1) / OPT_VALUE_MAX);
}

static size_t
builder_reserve(const struct dhcp_builder *b)
{
	return 1 + (b->relay != NULL ? option_space(b->relay_len) : 0);
}

static void
builder_write(struct dhcp_builder *b, uint8_t code, const uint8_t *val,
    size_t len)
{
	size_t	 l, done = 0;

	do {
		l = len - done > OPT_VALUE_MAX ? OPT_VALUE_MAX : len - done;
		b->buf[b->len++] = code;
		b->buf[b->len++] = (uint8_t)l;
		if (l > 0)
			memcpy(b->buf + b->len, val + done, l);
		b->len += l;
		done += l;
	} while (done < len);
}

static int
fixed_text(uint8_t *field, size_t size, const char *s)
{
	size_t	 n;

	if (s == NULL)
		return 0;
	/* a field filled to the last byte has no NUL: RFC 951 allows it */
	if ((n = strlen(s)) > size)
		return -1;
	memcpy(field, s, n);
	return 0;
}

int
dhcp_build_reply(struct dhcp_builder *b, const struct dhcp_msg *req,
    const struct dhcp_reply *r)
{
	uint8_t		*p;
	const uint8_t	*relay;
	size_t		 relay_len;

	if (b->error || b->state != 0) {
		b->error = 1;
		return -1;
	}
	p = b->buf;
	memset(p, 0, DHCP_OPTIONS_OFF);
	p[OFF_OP] = DHCP_BOOTREPLY;
	p[OFF_HTYPE] = req->htype;
	p[OFF_HLEN] = req->hlen;
	put_be32(p + OFF_XID, req->xid);
	put_be16(p + OFF_FLAGS, req->flags |
	    (r->broadcast ? DHCP_FLAG_BROADCAST : 0));
	memcpy(p + OFF_CIADDR, &r->ciaddr, 4);
	memcpy(p + OFF_YIADDR, &r->yiaddr, 4);
	memcpy(p + OFF_SIADDR, &r->siaddr, 4);
	memcpy(p + OFF_GIADDR, &req->giaddr, 4);
	memcpy(p + OFF_CHADDR, req->chaddr, DHCP_CHADDR_LEN);
	if (fixed_text(p + OFF_SNAME, DHCP_SNAME_LEN, r->sname) == -1 ||
	    fixed_text(p + OFF_FILE, DHCP_FILE_LEN, r->file) == -1) {
		b->error = 1;
		return -1;
	}
	memcpy(p + OFF_COOKIE, cookie, DHCP_COOKIE_LEN);
	b->len = DHCP_OPTIONS_OFF;
	b->state = 1;
	/* file and sname are never lent to options in our replies */
	bit_set(b->written, DHO_OVERLOAD);

	if (dhcp_msg_relay_info(req, &relay, &relay_len) == 0) {
		b->relay = relay;
		b->relay_len = relay_len;
		bit_set(b->written, DHO_RELAY_AGENT_INFO);
		/* a relay gets its option back or no answer at all */
		if (b->max - b->len < builder_reserve(b)) {
			b->error = 1;
			return -1;
		}
	}
	if (r->type != 0 &&
	    dhcp_build_option(b, DHO_MESSAGE_TYPE, &r->type, 1) == -1) {
		b->error = 1;
		return -1;
	}
	return 0;
}

int
dhcp_build_option(struct dhcp_builder *b, uint8_t code, const void *val,
    size_t len)
{
	if (b->error)
		return -1;
	if (b->state != 1 || code == DHO_PAD || code == DHO_END ||
	    len > DHCP_OPTDATA_MAX || (len > 0 && val == NULL)) {
		b->error = 1;
		return -1;
	}
	if (bit_isset(b->written, code) ||
	    b->max - b->len < option_space(len) + builder_reserve(b)) {
		b->dropped++;
		return -1;
	}
	builder_write(b, code, val, len);
	bit_set(b->written, code);
	return 0;
}

int
dhcp_build_option_addr(struct dhcp_builder *b, uint8_t code,
    struct in_addr a)
{
	return dhcp_build_option(b, code, &a, 4);
}

int
dhcp_build_option_u32(struct dhcp_builder *b, uint8_t code, uint32_t v)
{
	uint8_t	 buf[4];

	put_be32(buf, v);
	return dhcp_build_option(b, code, buf, 4);
}

size_t
dhcp_build_finish(struct dhcp_builder *b)
{
	if (b->error || b->state != 1) {
		b->error = 1;
		return 0;
	}
	/* room for these was kept by every option before */
	if (b->relay != NULL)
		builder_write(b, DHO_RELAY_AGENT_INFO, b->relay, b->relay_len);
	b->buf[b->len++] = DHO_END;
	if (b->len < DHCP_BOOTP_MIN) {
		memset(b->buf + b->len, 0, DHCP_BOOTP_MIN - b->len);
		b->len = DHCP_BOOTP_MIN;
	}
	b->state = 2;
	return b->len;
}

enum dhcp_dest
dhcp_reply_dest(const struct dhcp_msg *req, uint8_t type)
{
	if (req->giaddr.s_addr != htonl(INADDR_ANY))
		return DHCP_DEST_RELAY;
	if (type == DHCPNAK)
		return DHCP_DEST_BROADCAST;
	if (req->ciaddr.s_addr != htonl(INADDR_ANY))
		return DHCP_DEST_CIADDR;
	if (req->flags & DHCP_FLAG_BROADCAST)
		return DHCP_DEST_BROADCAST;
	if (req->htype != DHCP_HTYPE_ETHER || req->hlen != DHCP_ETHER_ADDR_LEN)
		return DHCP_DEST_BROADCAST;
	return DHCP_DEST_HWADDR;
}

/* the one's complement sum, not folded, of len bytes at p */
static uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += get_be16(p + i);
		/* fold as we go so the sum cannot overflow */
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += (uint32_t)p[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

static uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
dhcp_inet_cksum(const void *p, size_t len)
{
	return cksum_fold(cksum_add(0, p, len));
}

size_t
dhcp_frame_build(const struct dhcp_frame_addrs *fa, const uint8_t *payload,
    size_t plen, uint8_t *out, size_t outsz)
{
	uint8_t		 pseudo[12];
	uint8_t		*ip, *udp;
	size_t		 udplen;
	uint16_t	 sum;

	if (plen > 65535 - DHCP_IP_LEN - DHCP_UDP_LEN ||
	    outsz < DHCP_FRAME_HDRS || outsz - DHCP_FRAME_HDRS < plen ||
	    (plen > 0 && payload == NULL))
		return 0;
	udplen = DHCP_UDP_LEN + plen;

	memcpy(out, fa->dst_mac, DHCP_ETHER_ADDR_LEN);
	memcpy(out + 6, fa->src_mac, DHCP_ETHER_ADDR_LEN);
	put_be16(out + 12, ETHERTYPE_IPV4);

	ip = out + DHCP_ETHER_LEN;
	memset(ip, 0, DHCP_IP_LEN);
	ip[0] = 0x45;		/* version 4, 5 words */
	put_be16(ip + 2, DHCP_IP_LEN + udplen);
	put_be16(ip + 6, IP_DF);
	ip[8] = IP_TTL_OURS;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &fa->src, 4);
	memcpy(ip + 16, &fa->dst, 4);
	put_be16(ip + 10, dhcp_inet_cksum(ip, DHCP_IP_LEN));

	udp = ip + DHCP_IP_LEN;
	put_be16(udp, fa->sport);
	put_be16(udp + 2, fa->dport);
	put_be16(udp + 4, udplen);
	put_be16(udp + 6, 0);
	/* a payload that overlaps out is moved, not copied */
	if (plen > 0)
		memmove(udp + DHCP_UDP_LEN, payload, plen);

	memcpy(pseudo, &fa->src, 4);
	memcpy(pseudo + 4, &fa->dst, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put_be16(pseudo + 10, udplen);
	sum = cksum_fold(cksum_add(cksum_add(0, pseudo, sizeof(pseudo)),
	    udp, udplen));
	/* 0 means "no checksum" in UDP over IPv4 (RFC 768) */
	put_be16(udp + 6, sum == 0 ? 0xffff : sum);
	return DHCP_FRAME_HDRS + plen;
}
