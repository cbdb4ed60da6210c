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
 * The DHCP wire format and options fed arbitrary packets, as the engine
 * meets them on UDP 67: parsing must never read out of bounds, every
 * helper must give what it promises on what parsed, and a reply built
 * the way the engine builds one (the options the client asked for,
 * values taken from its own request) must parse again as a reply to it,
 * within the client's size, and go into a frame whose checksums hold.
 * Every broken promise is an abort().
 */

#include <sys/types.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_options.h"
#include "dhcp_wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fixed size, never grown */
static struct dhcp_msg	 req, rep;
static uint8_t		 outbuf[DHCP_REPLY_MAX];
static uint8_t		 frame[DHCP_FRAME_HDRS + DHCP_REPLY_MAX];
static char		 text[DHCP_OPTION_TEXT_MAX];

static void
check_label(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > DHCP_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		abort();
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			abort();
}

static void
check_helpers(const struct dhcp_msg *m)
{
	struct dhcp_fqdn	 f;
	struct in_addr		 a;
	const uint8_t		*v;
	char			 host[DHCP_LABEL_MAX + 1];
	size_t			 l, max;

	if (m->hlen > DHCP_HLEN_MAX || m->optdata_len > DHCP_OPTDATA_MAX)
		abort();
	if (m->has_cookie == 0 && m->type != 0)
		abort();
	dhcp_msg_requested_addr(m, &a);
	dhcp_msg_server_id(m, &a);
	if (dhcp_msg_client_id(m, &v, &l) == 0 && l < 2)
		abort();
	if (dhcp_msg_param_list(m, &v, &l) == 0 && l == 0)
		abort();
	dhcp_msg_relay_info(m, &v, &l);
	max = dhcp_msg_max_reply(m);
	if (max < (m->type == 0 ? DHCP_BOOTP_MIN : DHCP_REPLY_MIN) ||
	    max > DHCP_REPLY_MAX)
		abort();
	if (dhcp_msg_hostname(m, host) == 0)
		check_label(host);
	if (dhcp_msg_fqdn(m, &f) == 0) {
		if (f.name[0] != '\0')
			check_label(f.host);
		if (strlen(f.name) > DHCP_FQDN_TEXT_MAX ||
		    strncmp(f.name, f.host, strlen(f.host)) != 0)
			abort();
	}
	dhcp_reply_dest(m, DHCPOFFER);
	dhcp_reply_dest(m, DHCPNAK);
}

/*
 * Every option prints; what prints for a configurable option and fits
 * the configuration's bound encodes back to the same bytes.
 */
static void
check_decode(const struct dhcp_msg *m)
{
	const struct dhcp_option_def	*d;
	const char			*words[DHCP_OPTION_VALUE_MAX];
	char				 err[DHCP_OPTION_ERR_MAX];
	uint8_t				 back[DHCP_OPTION_VALUE_MAX];
	const uint8_t			*v;
	size_t				 l, bl;
	int				 c, n;

	for (c = 1; c < DHO_END; c++) {
		if (!dhcp_msg_option(m, c, &v, &l))
			continue;
		if (dhcp_option_decode(c, v, l, text, sizeof(text)) == -1) {
			if (l <= DHCP_OPTION_VALUE_MAX)
				abort();
			continue;
		}
		d = dhcp_option_by_code(c);
		if ((d != NULL && d->server) || l > DHCP_OPTION_VALUE_MAX)
			continue;
		if ((n = dhcp_option_split(text, words,
		    DHCP_OPTION_VALUE_MAX)) < 0)
			abort();
		if (dhcp_option_encode(c, words, n, back, &bl, err,
		    sizeof(err)) == -1)
			abort();
		if (bl != l || memcmp(back, v, l) != 0)
			abort();
	}
}

static int
frame_ok(const uint8_t *f, size_t n, size_t plen)
{
	uint8_t		 pseudo[12 + DHCP_UDP_LEN + DHCP_REPLY_MAX];
	size_t		 udplen = DHCP_UDP_LEN + plen;

	if (n != DHCP_FRAME_HDRS + plen ||
	    dhcp_inet_cksum(f + DHCP_ETHER_LEN, DHCP_IP_LEN) != 0)
		return 0;
	memcpy(pseudo, f + DHCP_ETHER_LEN + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	pseudo[10] = udplen >> 8;
	pseudo[11] = udplen & 0xff;
	memcpy(pseudo + 12, f + DHCP_ETHER_LEN + DHCP_IP_LEN, udplen);
	return dhcp_inet_cksum(pseudo, 12 + udplen) == 0;
}

static void
check_frame(const struct dhcp_msg *m, const uint8_t *payload, size_t plen)
{
	struct dhcp_frame_addrs	 fa;
	size_t			 n;

	memset(&fa, 0, sizeof(fa));
	memcpy(fa.dst_mac, m->chaddr, DHCP_ETHER_ADDR_LEN);
	memcpy(fa.src_mac, m->chaddr + 6, DHCP_ETHER_ADDR_LEN);
	fa.src = m->siaddr;
	fa.dst = m->yiaddr;
	fa.sport = DHCP_PORT_SERVER;
	fa.dport = DHCP_PORT_CLIENT;
	n = dhcp_frame_build(&fa, payload, plen, frame, sizeof(frame));
	if (!frame_ok(frame, n, plen) ||
	    memcmp(frame + DHCP_FRAME_HDRS, payload, plen) != 0)
		abort();
}

/* an option 81 for the reply, as the engine would answer the client's */
static int
reply_fqdn(const struct dhcp_msg *m, uint8_t *buf, size_t bufsz,
    size_t *len, struct dhcp_fqdn *f)
{
	if (dhcp_msg_fqdn(m, f) == -1)
		return -1;
	if (dhcp_fqdn_encode(f->flags & DHCP_FQDN_E, f->name, !f->partial,
	    buf, bufsz, len) == -1)
		abort();
	return 0;
}

static void
check_reply(const uint8_t *data, size_t size, const struct dhcp_msg *m)
{
	struct dhcp_builder	 b;
	struct dhcp_reply	 r;
	struct dhcp_codeset	 avail;
	struct dhcp_fqdn	 f, rf;
	uint8_t			 codes[256], fq[DHCP_FQDN_TEXT_MAX + 8];
	const uint8_t		*v, *rv;
	size_t			 n, i, l, rl, max, fql = 0;
	int			 has_fqdn, code;

	memset(&avail, 0, sizeof(avail));
	for (code = 1; code < DHO_END; code++)
		if (dhcp_msg_has_option(m, code))
			dhcp_codeset_add(&avail, code);
	has_fqdn = reply_fqdn(m, fq, sizeof(fq), &fql, &f) == 0;
	if (!has_fqdn)
		memset(&avail.bits[DHO_FQDN / 8], 0, 1);
	/* the message type is the builder's: the request's own is ignored */
	memset(&r, 0, sizeof(r));
	r.type = m->type == 0 ? 0 : DHCPOFFER;
	r.yiaddr = m->yiaddr;
	r.siaddr = m->siaddr;
	r.ciaddr = m->ciaddr;
	if (data[0] & 1)
		r.file = m->file;	/* up to 128 bytes: fits */
	max = dhcp_msg_max_reply(m);
	dhcp_builder_init(&b, outbuf, sizeof(outbuf), max);
	if (dhcp_build_reply(&b, m, &r) == -1) {
		/* only for a relay option too big to echo */
		if (dhcp_msg_relay_info(m, &v, &l) == -1 ||
		    l + 2 * (l / 255 + 1) + DHCP_OPTIONS_OFF + 4 <= max)
			abort();
		return;
	}
	n = dhcp_reply_options(m, &avail, codes);
	for (i = 0; i < n; i++) {
		if (codes[i] == DHO_FQDN) {
			dhcp_build_option(&b, DHO_FQDN, fq, fql);
			continue;
		}
		if (!dhcp_msg_option(m, codes[i], &v, &l))
			abort();
		dhcp_build_option(&b, codes[i], v, l);
	}
	if (b.error)
		abort();
	if ((n = dhcp_build_finish(&b)) == 0)
		abort();
	if (n > max || n < DHCP_BOOTP_MIN)
		abort();

	if (dhcp_msg_parse(outbuf, n, &rep, NULL) == -1)
		abort();
	if (rep.op != DHCP_BOOTREPLY || rep.xid != m->xid ||
	    rep.hlen != m->hlen || rep.htype != m->htype ||
	    memcmp(rep.chaddr, m->chaddr, DHCP_CHADDR_LEN) != 0 ||
	    rep.giaddr.s_addr != m->giaddr.s_addr || rep.type != r.type ||
	    rep.missing_end || !rep.has_cookie || rep.overload != 0)
		abort();
	if (r.file != NULL && strcmp(rep.file, m->file) != 0)
		abort();
	/* the relay's option comes back whole */
	if (dhcp_msg_relay_info(m, &v, &l) == 0 &&
	    (dhcp_msg_relay_info(&rep, &rv, &rl) == -1 || rl != l ||
	    memcmp(rv, v, l) != 0))
		abort();
	/* what went in comes out the same */
	for (code = 1; code < DHO_END; code++) {
		if (code == DHO_MESSAGE_TYPE || code == DHO_RELAY_AGENT_INFO ||
		    !dhcp_msg_option(&rep, code, &rv, &rl))
			continue;
		if (code == DHO_FQDN) {
			if (dhcp_msg_fqdn(&rep, &rf) == -1 ||
			    strcmp(rf.name, f.name) != 0)
				abort();
			continue;
		}
		if (!dhcp_msg_option(m, code, &v, &l) || l != rl ||
		    memcmp(v, rv, l) != 0)
			abort();
	}
	check_helpers(&rep);
	check_frame(&rep, outbuf, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*why = NULL;

	if (dhcp_msg_parse(data, size, &req, &why) == -1) {
		if (why == NULL || (req.type != 0))
			abort();
		return 0;
	}
	if (size < DHCP_FIXED_LEN || why != NULL)
		abort();
	check_helpers(&req);
	check_decode(&req);
	check_reply(data, size, &req);
	return 0;
}
