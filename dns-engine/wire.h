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

#ifndef MOAT_DNS_WIRE_H
#define MOAT_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/*
 * DNS wire format (RFC 1035, 6891).  Every reader works through a
 * dns_cursor that never reads past the end of its packet; every failure
 * returns -1 and leaves no partial result the caller must undo.  Names
 * inside this module are kept in uncompressed wire form (length-prefixed
 * labels ending with the root label), at most DNS_NAME_MAX bytes.
 */

#define DNS_HEADER_LEN		12
#define DNS_NAME_MAX		255
#define DNS_LABEL_MAX		63
#define DNS_UDP_MIN		512	/* without EDNS0 */
#define DNS_MSG_MAX		65535
#define DNS_NAME_TEXT_MAX	1024	/* worst case of escaped text */

/* header flag bits, host order */
#define DNS_F_QR		0x8000
#define DNS_F_OPCODE_MASK	0x7800
#define DNS_F_AA		0x0400
#define DNS_F_TC		0x0200
#define DNS_F_RD		0x0100
#define DNS_F_RA		0x0080
#define DNS_F_AD		0x0020
#define DNS_F_CD		0x0010
#define DNS_F_RCODE_MASK	0x000f
#define DNS_OPCODE(flags)	(((flags) & DNS_F_OPCODE_MASK) >> 11)

#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_FORMERR	1
#define DNS_RCODE_SERVFAIL	2
#define DNS_RCODE_NXDOMAIN	3
#define DNS_RCODE_NOTIMP	4
#define DNS_RCODE_REFUSED	5

#define DNS_TYPE_A		1
#define DNS_TYPE_NS		2
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_SOA		6
#define DNS_TYPE_PTR		12
#define DNS_TYPE_MX		15
#define DNS_TYPE_TXT		16
#define DNS_TYPE_AAAA		28
#define DNS_TYPE_SRV		33
#define DNS_TYPE_OPT		41
#define DNS_TYPE_ANY		255
#define DNS_CLASS_IN		1
#define DNS_CLASS_ANY		255

enum dns_section {
	DNS_SECTION_ANSWER = 0,
	DNS_SECTION_AUTHORITY = 1,
	DNS_SECTION_ADDITIONAL = 2
};

struct dns_header {
	uint16_t	id;
	uint16_t	flags;
	uint16_t	qdcount;
	uint16_t	ancount;
	uint16_t	nscount;
	uint16_t	arcount;
};

struct dns_cursor {
	const uint8_t	*pkt;
	size_t		 len;
	size_t		 pos;
	/*
	 * Compression pointers below this offset are refused: the header's
	 * length for a DNS message (dns_msg_parse sets it), 0 for a buffer
	 * of names alone (DHCP's domain search list), the default.
	 */
	size_t		 min_ptr;
};

void	dns_cursor_init(struct dns_cursor *, const uint8_t *, size_t);
int	dns_read_u8(struct dns_cursor *, uint8_t *);
int	dns_read_u16(struct dns_cursor *, uint16_t *);
int	dns_read_u32(struct dns_cursor *, uint32_t *);
int	dns_read_header(struct dns_cursor *, struct dns_header *);
/*
 * Read a possibly compressed name at the cursor into out (uncompressed
 * wire form, DNS_NAME_MAX bytes of room) and advance the cursor past its
 * encoding.  Pointers must point strictly backwards (so no loop can
 * form), into the packet at or after the cursor's min_ptr, and the name
 * must fit DNS_NAME_MAX; labels of type 01 and 10 are refused.  out may be NULL to only skip the name.
 */
int	dns_read_name(struct dns_cursor *, uint8_t *out, size_t *outlen);

struct dns_question {
	uint8_t		 qname[DNS_NAME_MAX];
	size_t		 qname_len;
	uint16_t	 qtype;
	uint16_t	 qclass;
};

struct dns_rr {
	uint8_t		 name[DNS_NAME_MAX];
	size_t		 name_len;
	uint16_t	 type;
	uint16_t	 rclass;
	uint32_t	 ttl;
	uint16_t	 rdlen;
	size_t		 rdata_off;	/* offset of rdata in the packet */
	enum dns_section section;
};

int	dns_read_question(struct dns_cursor *, struct dns_question *);
/* the section of the i-th record after the question, counting from 0 */
enum dns_section	dns_section_of(const struct dns_header *, size_t i);
/*
 * Read one resource record; checks that rdlen fits the packet and, for
 * types whose rdata holds names (NS, CNAME, PTR, MX, SOA, SRV) or has a
 * fixed size (A 4, AAAA 16), that the rdata is well formed and ends
 * exactly at rdlen.
 */
int	dns_read_rr(struct dns_cursor *, struct dns_rr *);

enum dns_parse_result {
	DNS_PARSE_OK = 0,
	DNS_PARSE_GARBAGE = 1,	/* no whole header: say nothing */
	DNS_PARSE_FORMERR = 2	/* a header, then malformed */
};

struct dns_msg {
	struct dns_header	 hdr;
	int			 has_question;	/* qdcount was 1 */
	struct dns_question	 q;
	size_t			 question_end;	/* offset after the question */
	int			 has_edns;
	uint16_t		 edns_udp_size;	/* as sent, not clamped */
	uint8_t			 edns_version;
	uint16_t		 edns_flags;	/* DO is 0x8000 */
	size_t			 opt_off;	/* offset of the OPT RR */
	size_t			 opt_len;	/* its whole length */
};

/*
 * Parse and check a whole message: header, at most one question (more is
 * FORMERR), then every record of every section, and at most one OPT
 * record, which must be in the additional section with the root name.
 * Bytes after the last record are FORMERR.
 */
enum dns_parse_result	dns_msg_parse(const uint8_t *, size_t, struct dns_msg *);

/* case-insensitive comparison of two names in wire form */
int	dns_name_equal(const uint8_t *, size_t, const uint8_t *, size_t);
/* 1 when name equals domain or lies below it (label-wise, no case) */
int	dns_name_is_below(const uint8_t *name, size_t nlen,
	    const uint8_t *domain, size_t dlen);
/* number of labels, the root not counted */
int	dns_name_labels(const uint8_t *, size_t);
/* ASCII lower case: names compare without regard to case (RFC 4343) */
uint8_t	dns_fold(uint8_t);
/*
 * A label (length byte first) that is a decimal octet 0-255 without
 * leading zeros, as reverse names spell them: 0 and the value, or -1.
 */
int	dns_label_octet(const uint8_t *label, uint8_t *);
/*
 * Text to wire form: "www.example.com", "www.example.com." and "." are
 * accepted; \DDD and \X escapes are decoded; empty labels and labels or
 * names over the limits are refused.
 */
int	dns_name_from_text(const char *, uint8_t *out, size_t *outlen);
/*
 * Wire form to text, without the trailing dot except for the root;
 * characters other than letters, digits, '-' and '_' are escaped as
 * \DDD (and '.' or '\' as \. and \).  out holds DNS_NAME_TEXT_MAX.
 */
int	dns_name_to_text(const uint8_t *, size_t, char *out, size_t outsz);

/*
 * Building messages.  The builder writes into a caller's buffer and
 * remembers where names were written, to compress later ones that end
 * the same way.  Once a write fails for lack of room, every later one
 * fails too and dns_builder_error is set; the caller checks once.
 */
#define DNS_COMP_MAX		64

struct dns_builder {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;
	int		 error;
	size_t		 ncomp;
	uint16_t	 comp_off[DNS_COMP_MAX];	/* names written so far */
};

void	dns_builder_init(struct dns_builder *, uint8_t *, size_t);
int	dns_build_header(struct dns_builder *, const struct dns_header *);
/* writes the name with compression against earlier names */
int	dns_build_name(struct dns_builder *, const uint8_t *, size_t);
int	dns_build_question(struct dns_builder *, const struct dns_question *);
int	dns_build_rr(struct dns_builder *, const uint8_t *name, size_t nlen,
	    uint16_t type, uint16_t rclass, uint32_t ttl,
	    const uint8_t *rdata, uint16_t rdlen);
/* rewrite the counts of the header already written */
void	dns_builder_set_counts(struct dns_builder *, uint16_t qd, uint16_t an,
	    uint16_t ns, uint16_t ar);

/*
 * An answer with no records for a query: the query's ID, opcode, RD and
 * CD, QR and RA set, the given rcode, the question when the query had one
 * (qm may be NULL when the query did not parse: then header only, ID and
 * opcode taken from the first bytes of query), and an OPT record when the
 * query had one.  Returns the length, or 0 when out is too small or the
 * query has no header.
 */
size_t	dns_make_error(const uint8_t *query, size_t qlen,
	    const struct dns_msg *qm, uint16_t rcode, uint8_t *out,
	    size_t outsz);

/*
 * Shrink an answer that is over max bytes for a UDP client: keep the
 * header and question, set TC, drop every section but the OPT record
 * (kept when it fits).  m is the parsed answer.  Returns the new length
 * (in place), always at most max; 0 when even the header and question
 * do not fit.
 */
size_t	dns_truncate(uint8_t *pkt, size_t len, const struct dns_msg *m,
	    size_t max);

/* the UDP payload size a client can take: 512, or its EDNS0 size clamped */
size_t	dns_client_udp_max(const struct dns_msg *);

#endif /* MOAT_DNS_WIRE_H */
