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

#ifndef MOAT_DHCP_WIRE_H
#define MOAT_DHCP_WIRE_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/*
 * BOOTP and DHCPv4 wire format (RFC 951, 1542, 2131, 2132, 3396).
 * A received message is parsed once into a struct dhcp_msg that owns a
 * copy of every option's value, so nothing points into the packet after
 * the parse and nothing is allocated.  Every reader checks its bounds
 * against the packet; every failure returns -1 with a short reason and
 * leaves no partial result to undo.  Replies are written by a builder
 * with a sticky error flag, like the DNS one: the caller checks once.
 *
 * Addresses are struct in_addr in network byte order; the other fixed
 * fields (xid, secs, flags) are kept in host order.
 */

#define DHCP_FIXED_LEN		236	/* op .. file, before the cookie */
#define DHCP_COOKIE_LEN		4
#define DHCP_OPTIONS_OFF	240	/* options after the magic cookie */
#define DHCP_CHADDR_LEN		16
#define DHCP_SNAME_LEN		64
#define DHCP_FILE_LEN		128
#define DHCP_HLEN_MAX		16
#define DHCP_BOOTP_MIN		300	/* the smallest BOOTP message */

/*
 * The size limits of RFC 2131 section 2 and RFC 2132 section 9.10 count
 * the whole IP datagram: 576 bytes is 548 bytes of DHCP payload after the
 * IPv4 (20) and UDP (8) headers.  A client's option 57 below 576 is
 * ignored; one above DHCP_DGRAM_MAX is clamped, since larger replies
 * would need fragments or jumbo frames.
 */
#define DHCP_UDP_IP_HDRS	28
#define DHCP_DGRAM_MIN		576
#define DHCP_DGRAM_MAX		1500
#define DHCP_REPLY_MIN		(DHCP_DGRAM_MIN - DHCP_UDP_IP_HDRS)
#define DHCP_REPLY_MAX		(DHCP_DGRAM_MAX - DHCP_UDP_IP_HDRS)

/*
 * The bound on the option bytes of one message, after RFC 3396
 * concatenation (values only, without codes and lengths).  A message
 * with more is refused: no client has a reason to send that much.
 */
#define DHCP_OPTDATA_MAX	4096

#define DHCP_PORT_SERVER	67
#define DHCP_PORT_CLIENT	68

#define DHCP_BOOTREQUEST	1
#define DHCP_BOOTREPLY		2

#define DHCP_HTYPE_ETHER	1
#define DHCP_FLAG_BROADCAST	0x8000	/* in flags, host order */

/* option 53 */
#define DHCPDISCOVER		1
#define DHCPOFFER		2
#define DHCPREQUEST		3
#define DHCPDECLINE		4
#define DHCPACK			5
#define DHCPNAK			6
#define DHCPRELEASE		7
#define DHCPINFORM		8

/* option 52 */
#define DHCP_OVERLOAD_FILE	1
#define DHCP_OVERLOAD_SNAME	2

/* the option codes this module or its callers handle by name */
#define DHO_PAD			0
#define DHO_SUBNET_MASK		1
#define DHO_TIME_OFFSET		2
#define DHO_ROUTERS		3
#define DHO_DNS_SERVERS		6
#define DHO_HOST_NAME		12
#define DHO_DOMAIN_NAME		15
#define DHO_INTERFACE_MTU	26
#define DHO_BROADCAST_ADDRESS	28
#define DHO_NTP_SERVERS		42
#define DHO_NETBIOS_NS		44
#define DHO_REQUESTED_ADDRESS	50
#define DHO_LEASE_TIME		51
#define DHO_OVERLOAD		52
#define DHO_MESSAGE_TYPE	53
#define DHO_SERVER_ID		54
#define DHO_PARAMETER_LIST	55
#define DHO_MESSAGE		56
#define DHO_MAX_MESSAGE_SIZE	57
#define DHO_RENEWAL_TIME	58
#define DHO_REBINDING_TIME	59
#define DHO_VENDOR_CLASS	60
#define DHO_CLIENT_ID		61
#define DHO_TFTP_SERVER_NAME	66
#define DHO_BOOTFILE_NAME	67
#define DHO_FQDN		81
#define DHO_RELAY_AGENT_INFO	82
#define DHO_DOMAIN_SEARCH	119
#define DHO_CLASSLESS_ROUTES	121
#define DHO_END			255

struct dhcp_msg {
	uint8_t		 op;		/* DHCP_BOOTREQUEST or DHCP_BOOTREPLY */
	uint8_t		 htype;
	uint8_t		 hlen;		/* at most DHCP_HLEN_MAX */
	uint8_t		 hops;
	uint32_t	 xid;
	uint16_t	 secs;
	uint16_t	 flags;
	struct in_addr	 ciaddr;
	struct in_addr	 yiaddr;
	struct in_addr	 siaddr;
	struct in_addr	 giaddr;
	uint8_t		 chaddr[DHCP_CHADDR_LEN];	/* all 16 as sent */
	/* up to the first NUL; empty when the field holds options */
	char		 sname[DHCP_SNAME_LEN + 1];
	char		 file[DHCP_FILE_LEN + 1];
	int		 has_cookie;	/* 0: BOOTP without options */
	int		 missing_end;	/* an option area ended without END */
	uint8_t		 overload;	/* option 52, DHCP_OVERLOAD_* bits */
	uint8_t		 type;		/* option 53; 0 for BOOTP */

	/*
	 * Every option by code: present is a bitmap, the value of code c
	 * is opt_len[c] bytes at optdata + opt_off[c], every instance of c
	 * concatenated in the order RFC 3396 says.  Pad and end are never
	 * present.  Use dhcp_msg_option rather than these fields.
	 */
	uint8_t		 present[32];
	uint16_t	 opt_off[256];
	uint16_t	 opt_len[256];
	size_t		 optdata_len;
	uint8_t		 optdata[DHCP_OPTDATA_MAX];
};

/*
 * Parse a whole BOOTP or DHCP message.  Refused (-1, *why set to a static
 * text for the log): shorter than DHCP_FIXED_LEN, op neither request nor
 * reply, hlen over 16, an option whose length runs past its area, option
 * 52 or 53 of a wrong length or value, more than DHCP_OPTDATA_MAX option
 * bytes.  A missing or wrong magic cookie is a BOOTP message without
 * options, not an error.  A missing END is accepted (missing_end is set)
 * when the area ends exactly after an option: the bound is the same and
 * some small clients forget it.  Bytes after END are padding.  Options
 * are read from the options field, then from file and then sname when
 * option 52 (which only counts in the options field) says so.  why may
 * be NULL.
 */
int	dhcp_msg_parse(const uint8_t *, size_t, struct dhcp_msg *,
	    const char **why);

/* 1 and the value (ptr may be NULL for an empty one) when present, else 0 */
int	dhcp_msg_option(const struct dhcp_msg *, uint8_t code,
	    const uint8_t **val, size_t *len);
int	dhcp_msg_has_option(const struct dhcp_msg *, uint8_t code);

/*
 * The helpers below return 0 and the value, or -1 when the option is
 * absent or malformed (a wrong length): the caller treats both as absent.
 */
/* options 50 and 54: exactly 4 bytes */
int	dhcp_msg_requested_addr(const struct dhcp_msg *, struct in_addr *);
int	dhcp_msg_server_id(const struct dhcp_msg *, struct in_addr *);
/* option 61: a type byte and at least one more (RFC 2132 9.14) */
int	dhcp_msg_client_id(const struct dhcp_msg *, const uint8_t **,
	    size_t *);
/* option 55: the codes in the client's order, at least one */
int	dhcp_msg_param_list(const struct dhcp_msg *, const uint8_t **,
	    size_t *);
/* option 82 as sent, to echo it back whole (RFC 3046) */
int	dhcp_msg_relay_info(const struct dhcp_msg *, const uint8_t **,
	    size_t *);
/*
 * The largest reply payload the client takes: its option 57 (two bytes,
 * counting IP and UDP headers) less the headers, clamped to
 * [DHCP_REPLY_MIN, DHCP_REPLY_MAX]; without it DHCP_REPLY_MIN, or
 * DHCP_BOOTP_MIN for a BOOTP client (no option 53), whose vendor area
 * is 64 bytes (RFC 951, 1497).  Never fails.
 */
size_t	dhcp_msg_max_reply(const struct dhcp_msg *);

/*
 * A host name made a DNS label, for the client's own name: the bytes up
 * to the first '.' or NUL, lower case; letters, digits and '-' kept,
 * ' ' and '_' made '-', anything else dropped; no '-' at either end;
 * at most 63 bytes.  Returns -1 when nothing is left.  out has
 * DHCP_LABEL_MAX + 1 bytes of room.
 */
#define DHCP_LABEL_MAX		63
int	dhcp_label_sanitize(const uint8_t *, size_t, char *out);
/* option 12 made a label as above */
int	dhcp_msg_hostname(const struct dhcp_msg *, char *out);

/* option 81 (RFC 4702) */
#define DHCP_FQDN_S		0x01	/* the server updates the A record */
#define DHCP_FQDN_O		0x02	/* the server overrode S */
#define DHCP_FQDN_E		0x04	/* the name is in wire form */
#define DHCP_FQDN_N		0x08	/* no DNS update by the server */
#define DHCP_FQDN_TEXT_MAX	254	/* dotted name without the root */

struct dhcp_fqdn {
	uint8_t		 flags;
	uint8_t		 rcode1;
	uint8_t		 rcode2;
	int		 partial;	/* the client sent no domain part */
	/* every label made a label by dhcp_label_sanitize, dot separated */
	char		 name[DHCP_FQDN_TEXT_MAX + 1];
	/* the first label alone: "" when the client sent no name */
	char		 host[DHCP_LABEL_MAX + 1];
};

/*
 * Option 81: three bytes of flags and rcodes, then the name in wire
 * form (E set; uncompressed; with the root label a full name, without
 * it a partial one) or in ASCII (E clear; a trailing dot makes a full
 * name).  An empty name is valid: the client leaves it to the server.
 * A label that sanitizes to nothing makes the option invalid.
 */
int	dhcp_msg_fqdn(const struct dhcp_msg *, struct dhcp_fqdn *);
/*
 * Write an option 81 value: flags, rcodes 255 (RFC 4702 3.0), the name
 * (dotted text; "" allowed) in wire form when flags has E, else ASCII.
 * A full name gets the root label.  -1 when a label is empty or too
 * long or out is too small.
 */
int	dhcp_fqdn_encode(uint8_t flags, const char *name, int full,
	    uint8_t *out, size_t outsz, size_t *outlen);

/*
 * Building replies.  The builder writes into the caller's buffer (at
 * least DHCP_BOOTP_MIN bytes) and keeps the message within max bytes
 * of payload (0 means DHCP_REPLY_MIN; see dhcp_msg_max_reply): an option
 * that does not fit, with room kept for END and the echo of option 82,
 * is dropped (counted in dropped) and later ones are still tried, so
 * the caller adds the options that matter most first.  An option with
 * a code already written is refused the same way, and so is option 52:
 * file and sname are kept for their own use (PXE), never lent.  Misuse
 * (no room for the fixed part, a value over DHCP_OPTDATA_MAX, code 0 or
 * 255, options before the fixed part) sets the sticky error.
 */
struct dhcp_builder {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 max;
	size_t		 len;
	int		 error;
	unsigned int	 dropped;
	int		 state;		/* 0 new, 1 fixed part out, 2 done */
	uint8_t		 written[32];	/* codes already added */
	const uint8_t	*relay;		/* option 82 to echo, or NULL */
	size_t		 relay_len;
};

struct dhcp_reply {
	uint8_t		 type;		/* DHCPOFFER ...; 0: BOOTP, no 53 */
	struct in_addr	 ciaddr;
	struct in_addr	 yiaddr;
	struct in_addr	 siaddr;	/* next server (TFTP) */
	int		 broadcast;	/* set the broadcast bit in flags */
	const char	*sname;		/* NULL for none */
	const char	*file;		/* NULL for none */
};

void	dhcp_builder_init(struct dhcp_builder *, uint8_t *, size_t cap,
	    size_t max);
/*
 * The fixed part of a reply to req: op BOOTREPLY; xid, flags (with the
 * broadcast bit added when r asks), giaddr, htype, hlen and chaddr from
 * req; hops and secs 0; the addresses, sname
 * and file (too long ones are refused: sticky error) from r; the magic
 * cookie; option 53 first when r->type is not 0.  The request's option
 * 82, if any, is remembered to be echoed by dhcp_build_finish (the
 * request must outlive the builder).
 */
int	dhcp_build_reply(struct dhcp_builder *, const struct dhcp_msg *req,
	    const struct dhcp_reply *r);
/*
 * Append an option; a value over 255 bytes is split into consecutive
 * instances of the code (RFC 3396).  0 when written; -1 when dropped
 * (no room or a code already written) or on error.
 */
int	dhcp_build_option(struct dhcp_builder *, uint8_t code,
	    const void *val, size_t len);
int	dhcp_build_option_addr(struct dhcp_builder *, uint8_t code,
	    struct in_addr);
int	dhcp_build_option_u32(struct dhcp_builder *, uint8_t code, uint32_t);
/*
 * Echo option 82, write END and pad with zeros to DHCP_BOOTP_MIN.
 * Returns the message length, or 0 after any error.
 */
size_t	dhcp_build_finish(struct dhcp_builder *);

/*
 * Where a reply to req goes (RFC 2131 4.1): to the relay at giaddr port
 * 67 when giaddr is set; a NAK without relay is broadcast; to ciaddr
 * when the client has one (renewing, INFORM); broadcast when the client
 * asked for it or its hardware address cannot be unicast to (not
 * Ethernet with hlen 6); else unicast to chaddr and yiaddr with a frame
 * from dhcp_frame_build on the packet socket, since the client cannot
 * answer ARP for an address it does not hold yet.  When giaddr is set
 * and the reply is a NAK, RFC 2131 asks the server to set the broadcast
 * bit in the reply: the engine sets broadcast in struct dhcp_reply.
 */
enum dhcp_dest {
	DHCP_DEST_RELAY,
	DHCP_DEST_CIADDR,
	DHCP_DEST_BROADCAST,
	DHCP_DEST_HWADDR
};
enum dhcp_dest	dhcp_reply_dest(const struct dhcp_msg *req, uint8_t type);

/*
 * An Ethernet II + IPv4 + UDP frame around a payload, for the AF_PACKET
 * socket (with SOCK_DGRAM, send from out + DHCP_ETHER_LEN: the IP
 * datagram alone).  IPv4: no options, DF set, ID 0 (RFC 6864 allows it
 * for atomic datagrams), TTL 64, header checksum; UDP checksum over the
 * pseudo-header (0 sent as 0xffff).  Addresses in network order, ports
 * in host order.  Returns the frame length, or 0 when out is too small
 * or the datagram would exceed 65535 bytes.
 */
#define DHCP_ETHER_ADDR_LEN	6
#define DHCP_ETHER_LEN		14
#define DHCP_IP_LEN		20
#define DHCP_UDP_LEN		8
#define DHCP_FRAME_HDRS		(DHCP_ETHER_LEN + DHCP_IP_LEN + DHCP_UDP_LEN)

struct dhcp_frame_addrs {
	uint8_t		 src_mac[DHCP_ETHER_ADDR_LEN];
	uint8_t		 dst_mac[DHCP_ETHER_ADDR_LEN];
	struct in_addr	 src;
	struct in_addr	 dst;
	uint16_t	 sport;
	uint16_t	 dport;
};

size_t	dhcp_frame_build(const struct dhcp_frame_addrs *,
	    const uint8_t *payload, size_t plen, uint8_t *out, size_t outsz);
/* the Internet checksum (RFC 1071) of a buffer, as put in a header */
uint16_t	dhcp_inet_cksum(const void *, size_t);

#endif /* MOAT_DHCP_WIRE_H */
