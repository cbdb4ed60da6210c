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

#ifndef MOAT_DHCP_OPTIONS_H
#define MOAT_DHCP_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "dhcp_wire.h"

/*
 * DHCP options as the configuration names them and as they go on the
 * wire.  The parent encodes each `option NAME-OR-CODE VALUE...` line
 * once, with dhcp_option_encode, and sends the engine the wire value;
 * printconf (moatd -n -v) and moatctl print values back with
 * dhcp_option_decode, whose text encodes again to the same bytes.
 *
 * The words are what the parser got after the option's name or code,
 * in order, quoted or not (a NUMBER token given as its decimal text).
 * Within a word of an address, route or domain list a comma separates
 * items too, so "1.1.1.1,8.8.8.8" is two addresses.  Every type takes:
 *
 *   addresses	one or more IPv4 addresses (address: exactly one)
 *   string	one word, not empty
 *   u8 u16 u32	one decimal number in the type's range (some options
 *		narrow it: interface-mtu is 68..65535); s32 may be negative
 *   flag	true, false, yes, no, on, off, 1 or 0 (printed true or
 *		false: "no" and "on" are keywords of the grammar)
 *   domains	one or more domain names (RFC 3397, with compression)
 *   routes	pairs of DEST/PREFIX (or "default") and gateway (RFC 3442)
 *   hex	hex "01:02:ab" (groups of one or two hex digits separated by
 *		':', or an even run of hex digits; "" is an empty value;
 *		quote it, since the lexer reads a bare 0102 as the number 102)
 *
 * `hex "..."` is accepted for every option, known or not: raw bytes.
 * An option known by number only takes, by what its words look like:
 * hex "..."; string "...", u8 N, u16 N or u32 N to name the type; all
 * words IPv4 addresses: addresses; one decimal number: a u32; any other
 * single word: a string.  So `option 252 "http://wpad/wpad.dat"` is a
 * string and `option 252 "1.2.3.4"` an address (write string "1.2.3.4"
 * to mean the text).
 *
 * Values may be longer than 255 bytes, up to DHCP_OPTION_VALUE_MAX; the
 * reply builder splits them into several instances (RFC 3396).
 *
 * Options the server sets itself (50-59, 61, 81, 82, and 0 and 255) are
 * refused: lease time has its own configuration line.
 */

#define DHCP_OPTION_VALUE_MAX	1024
/* room for the text of any value up to DHCP_OPTION_VALUE_MAX bytes */
#define DHCP_OPTION_TEXT_MAX	(3 * DHCP_OPTION_VALUE_MAX + 16)
#define DHCP_OPTION_ERR_MAX	256

enum dhcp_otype {
	DHCP_OT_HEX = 0,	/* unknown or opaque: raw bytes */
	DHCP_OT_ADDRS,
	DHCP_OT_ADDR,
	DHCP_OT_STRING,
	DHCP_OT_U8,
	DHCP_OT_U16,
	DHCP_OT_U32,
	DHCP_OT_S32,
	DHCP_OT_FLAG,
	DHCP_OT_DOMAINS,
	DHCP_OT_ROUTES
};

struct dhcp_option_def {
	uint8_t		 code;
	const char	*name;
	enum dhcp_otype	 type;
	int		 server;	/* the server's own: not configurable */
	int64_t		 min;		/* a number's bounds; 0 0: the type's */
	int64_t		 max;
};

/* the table entry, or NULL for a code or name it does not hold */
const struct dhcp_option_def	*dhcp_option_by_code(uint8_t);
const struct dhcp_option_def	*dhcp_option_by_name(const char *);

/*
 * The code of a configuration's option word: a name from the table
 * ("router") or a decimal number 1..254 ("3", "252").  -1 and a message
 * ("unknown option foo", "option 300: not a code from 1 to 254") in err.
 */
int	dhcp_option_lookup(const char *, uint8_t *code, char *err,
	    size_t errsz);
/* the name to print: the table's name, else the decimal code; buf of 4 */
const char	*dhcp_option_name(uint8_t code, char *buf);

/*
 * Encode the words of an option line into its wire value; out holds
 * DHCP_OPTION_VALUE_MAX bytes.  -1 and a message naming the option, such
 * as "option router: not an IPv4 address: x", in err.
 */
int	dhcp_option_encode(uint8_t code, const char *const *words,
	    size_t nwords, uint8_t *out, size_t *outlen, char *err,
	    size_t errsz);

/*
 * A value as configuration words: `192.168.1.1 192.168.1.2`, `"lan"`
 * (with \" and \\ escapes), `1500`, `"lan" "corp.example"`,
 * `10.0.0.0/8 192.168.1.1`, or `hex "01:02:ab"` for unknown codes and
 * for a value that does not fit its type (a client's, say).  Encoding
 * the text again gives the same bytes, except for the options the server
 * sets, which print as their type says (lease-time 3600) for moatctl
 * but are refused by encode.  -1 only when outsz is too small
 * (DHCP_OPTION_TEXT_MAX is enough for any value up to
 * DHCP_OPTION_VALUE_MAX bytes).
 */
int	dhcp_option_decode(uint8_t code, const uint8_t *val, size_t len,
	    char *out, size_t outsz);

/*
 * Split text as decode writes it into words, the way the configuration
 * lexer reads them: blanks separate words; a word in double quotes may
 * hold blanks, and a backslash in it takes the next character as it is.
 * The text is changed in place.  Returns the number of words, or -1 for
 * an unterminated quote or more than max words.  For tests and tools.
 */
int	dhcp_option_split(char *text, const char **words, size_t max);

/* a set of option codes */
struct dhcp_codeset {
	uint8_t		 bits[32];
};

void	dhcp_codeset_add(struct dhcp_codeset *, uint8_t);
int	dhcp_codeset_has(const struct dhcp_codeset *, uint8_t);

/*
 * Which options a reply carries, and in which order, of those the
 * engine has a value for (avail: the configured ones and the ones the
 * server makes, such as 51, 54, 58, 59, 1):
 *   1. always: server id (54), lease time (51), renewal (58) and
 *      rebinding (59) time, subnet mask (1), the ones of these in avail
 *      (an INFORM reply leaves 51, 58 and 59 out of avail);
 *   2. FQDN (81) when the client sent one (RFC 4702);
 *   3. the codes of the client's parameter request list (55), in its
 *      order;
 *   4. only when the client sent no list (BOOTP, some small clients):
 *      every other code of avail, in ascending order.
 * Never 0, 255, 52 (replies do not overload), 53 (dhcp_build_reply
 * writes it) or 82 (echoed by dhcp_build_finish), nor a code twice.
 * Added in this order, the builder drops the least wanted first when
 * the reply is full.
 * Returns the number of codes written to out (at most 256).
 */
size_t	dhcp_reply_options(const struct dhcp_msg *req,
	    const struct dhcp_codeset *avail, uint8_t *out);

#endif /* MOAT_DHCP_OPTIONS_H */
