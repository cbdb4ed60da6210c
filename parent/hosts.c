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
 * The hosts file, read by the parent because no engine can see it from
 * its chroot.  Each line is an address and the names it has; each name
 * becomes an A or AAAA record, and the address's reverse name a PTR to
 * the first name.  The same address on several lines (localhost, often)
 * keeps the PTR of its first line, and a repeated name and address is
 * kept once, so the engine never answers with duplicates.
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

#include "conf.h"
#include "log.h"
#include "wire.h"

#define HOSTS_LINE_MAX		4096
/* a broken file is reported, not copied into the log line by line */
#define HOSTS_WARN_MAX		10

/* entries already in the buffer, by offset, to drop repeats */
struct seen {
	size_t		*slots;		/* offset + 1, or 0 */
	size_t		 nslots;	/* a power of two */
	size_t		 used;
};

struct hosts_ctx {
	const char	*path;
	const char	*domain;	/* "" none */
	struct rr_buf	*out;
	struct seen	 seen;
	int		 lineno;
	int		 warnings;
	int		 full;		/* the byte bound was hit */
};

/*
 * What makes two entries the same: for a PTR its owner (the first line
 * of an address wins), for the rest the whole entry.
 */
static size_t
entry_key(const uint8_t *p, size_t len)
{
	struct rr_entry	 e;

	if (rr_entry_read(p, len, &e) == -1)
		return len;
	if (e.type == DNS_TYPE_PTR)
		return 1 + e.owner_len + 2;
	return e.len;
}

static uint64_t
key_hash(const uint8_t *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
seen_grow(struct seen *s, const struct rr_buf *b)
{
	size_t	*old = s->slots, oldn = s->nslots, i, j, off, klen;

	s->nslots = oldn ? oldn * 2 : 1024;
	if ((s->slots = calloc(s->nslots, sizeof(*s->slots))) == NULL) {
		s->slots = old;
		s->nslots = oldn;
		return -1;
	}
	for (i = 0; i < oldn; i++) {
		if (old[i] == 0)
			continue;
		off = old[i] - 1;
		klen = entry_key(b->data + off, b->len - off);
		j = key_hash(b->data + off, klen) & (s->nslots - 1);
		while (s->slots[j] != 0)
			j = (j + 1) & (s->nslots - 1);
		s->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/*
 * The entry just appended at off: 1 when an equal one came before (the
 * caller takes it back), 0 when it is new and now remembered.
 */
static int
seen_check(struct seen *s, const struct rr_buf *b, size_t off)
{
	const uint8_t	*p = b->data + off, *q;
	size_t		 klen, qoff, j;

	if ((s->used + 1) * 2 > s->nslots && seen_grow(s, b) == -1)
		return 0;	/* keep the repeat rather than lose an entry */
	klen = entry_key(p, b->len - off);
	j = key_hash(p, klen) & (s->nslots - 1);
	while (s->slots[j] != 0) {
		qoff = s->slots[j] - 1;
		q = b->data + qoff;
		if (entry_key(q, b->len - qoff) == klen &&
		    memcmp(p, q, klen) == 0)
			return 1;
		j = (j + 1) & (s->nslots - 1);
	}
	s->slots[j] = off + 1;
	s->used++;
	return 0;
}

static void	hosts_warn(struct hosts_ctx *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));

static void
hosts_warn(struct hosts_ctx *ctx, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	if (++ctx->warnings > HOSTS_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", ctx->path, ctx->lineno, msg);
}

static void
hosts_add(struct hosts_ctx *ctx, const char *name, uint16_t type,
    const uint8_t *rdata, size_t rdlen)
{
	uint8_t		 wire[DNS_NAME_MAX];
	size_t		 wlen, off = ctx->out->len;

	if (ctx->full || records_name_to_wire(name, wire, &wlen) == -1)
		return;
	if (rr_buf_add(ctx->out, RECORD_EXACT, wire, wlen, type, rdata,
	    rdlen) == -1) {
		if (errno == E2BIG)
			log_warnx("%s: more than %zu bytes of records, the "
			    "rest is ignored", ctx->path, ctx->out->max);
		else
			log_warn("%s", ctx->path);
		ctx->full = 1;
		return;
	}
	if (seen_check(&ctx->seen, ctx->out, off)) {
		ctx->out->len = off;
		ctx->out->count--;
	}
}

/* NAME and, for a name without a dot, NAME.domain; -1 when neither fits */
static int
hosts_names(struct hosts_ctx *ctx, const char *word, char *name,
    char *qualified)
{
	char	 buf[2 * MOAT_DOMAIN_MAX];

	qualified[0] = '\0';
	if (conf_norm_domain(word, name, MOAT_DOMAIN_MAX) == -1 ||
	    name[0] == '\0') {
		hosts_warn(ctx, "\"%s\": not a host name, skipped", word);
		return -1;
	}
	if (ctx->domain[0] != '\0' && strchr(name, '.') == NULL) {
		snprintf(buf, sizeof(buf), "%s.%s", name, ctx->domain);
		if (conf_norm_domain(buf, qualified, MOAT_DOMAIN_MAX) == -1)
			qualified[0] = '\0';
	}
	return 0;
}

static void
hosts_line(struct hosts_ctx *ctx, char *line)
{
	char		 name[MOAT_DOMAIN_MAX], qualified[MOAT_DOMAIN_MAX];
	char		 ptr[MOAT_DOMAIN_MAX], rev[80];
	uint8_t		 addr[16], wire[DNS_NAME_MAX];
	char		*word, *scope, *save = NULL;
	size_t		 wlen;
	uint16_t	 type;
	int		 af, nnames = 0;

	line[strcspn(line, "#\r\n")] = '\0';
	if ((word = strtok_r(line, " \t", &save)) == NULL)
		return;
	/* a link-local address's scope says nothing to a DNS client */
	if ((scope = strchr(word, '%')) != NULL)
		*scope = '\0';
	if (inet_pton(AF_INET, word, addr) == 1) {
		af = AF_INET;
		type = DNS_TYPE_A;
	} else if (inet_pton(AF_INET6, word, addr) == 1) {
		af = AF_INET6;
		type = DNS_TYPE_AAAA;
	} else {
		hosts_warn(ctx, "\"%s\": not an address, line skipped",
		    word);
		return;
	}
	ptr[0] = '\0';
	while ((word = strtok_r(NULL, " \t", &save)) != NULL) {
		if (hosts_names(ctx, word, name, qualified) == -1)
			continue;
		hosts_add(ctx, name, type, addr, af == AF_INET ? 4 : 16);
		if (qualified[0] != '\0')
			hosts_add(ctx, qualified, type, addr,
			    af == AF_INET ? 4 : 16);
		if (nnames++ == 0)
			strlcpy(ptr, qualified[0] != '\0' ? qualified : name,
			    sizeof(ptr));
	}
	if (nnames == 0) {
		hosts_warn(ctx, "an address without a host name, line "
		    "skipped");
		return;
	}
	if (records_name_to_wire(ptr, wire, &wlen) == -1)
		return;
	records_reverse_name(af, addr, rev, sizeof(rev));
	hosts_add(ctx, rev, DNS_TYPE_PTR, wire, wlen);
}

int
hosts_read(const char *path, const char *domain, struct rr_buf *out)
{
	struct hosts_ctx	 ctx;
	char			 line[HOSTS_LINE_MAX];
	FILE			*fp;
	int			 c;

	rr_buf_init(out, MOAT_HOSTS_RECORDS_MAX);
	if ((fp = fopen(path, "r")) == NULL) {
		log_warn("hosts file %s", path);
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.domain = domain != NULL ? domain : "";
	ctx.out = out;
	while (!ctx.full && fgets(line, sizeof(line), fp) != NULL) {
		if (++ctx.lineno > MOAT_HOSTS_LINES_MAX) {
			log_warnx("%s: more than %d lines, the rest is "
			    "ignored", path, MOAT_HOSTS_LINES_MAX);
			break;
		}
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			while ((c = fgetc(fp)) != EOF && c != '\n')
				;
			hosts_warn(&ctx, "line too long, skipped");
			continue;
		}
		hosts_line(&ctx, line);
	}
	if (ferror(fp))
		log_warn("hosts file %s", path);
	fclose(fp);
	free(ctx.seen.slots);
	if (ctx.warnings > HOSTS_WARN_MAX)
		log_warnx("%s: %d more bad lines or names", path,
		    ctx.warnings - HOSTS_WARN_MAX);
	return 0;
}
