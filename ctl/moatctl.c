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
 * moatctl: ask a running moatd over its control socket.  One request,
 * then every reply frame up to the IMSG_CTL_RESULT that ends it.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "imsg.h"
#include "log.h"
#include "proto.h"

#ifndef MOAT_CTL_SOCKET
#define MOAT_CTL_SOCKET		"/var/run/moatd.sock"
#endif

/* silence this long, not the whole reply: a big cache takes a while */
#define CTL_TIMEOUT_MS		10000
/* far more than moatd runs; a longer reply is a broken peer */
#define CTL_MAX_ENGINES		64
#define CTL_MAX_FORWARDERS	4096

enum command {
	CMD_SHOW_STATUS,
	CMD_RELOAD,
	CMD_LOG_VERBOSE,
	CMD_LOG_BRIEF,
	CMD_SHOW_CACHE,
	CMD_FLUSH_CACHE,
	CMD_SHOW_STATS,
	CMD_SHOW_LEASES
};

static const struct {
	const char	*word1;
	const char	*word2;		/* NULL: a one-word command */
	enum command	 cmd;
} commands[] = {
	{ "show",	"status",	CMD_SHOW_STATUS },
	{ "reload",	NULL,		CMD_RELOAD },
	{ "log",	"verbose",	CMD_LOG_VERBOSE },
	{ "log",	"brief",	CMD_LOG_BRIEF },
	{ "show",	"cache",	CMD_SHOW_CACHE },
	{ "flush",	"cache",	CMD_FLUSH_CACHE },
	{ "show",	"stats",	CMD_SHOW_STATS },
	{ "show",	"leases",	CMD_SHOW_LEASES },
};

struct reply {
	struct msg_engine_status	 engines[CTL_MAX_ENGINES];
	size_t				 nengines;
	struct msg_ctl_result		 result;
	/* show cache: entries are printed as they come */
	size_t				 ncache;
	/* show stats */
	struct msg_dns_stats		 stats;
	int				 has_stats;
	struct msg_forwarder_stats	*fwd;
	size_t				 nfwd;
	/* show leases: entries are printed as they come */
	size_t				 nleases;
};

static const struct {
	uint16_t	 type;
	const char	*name;
} rr_type_names[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
	{ 33, "SRV" }, { 35, "NAPTR" }, { 39, "DNAME" }, { 43, "DS" },
	{ 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" }, { 50, "NSEC3" },
	{ 52, "TLSA" }, { 64, "SVCB" }, { 65, "HTTPS" }, { 99, "SPF" },
	{ 255, "ANY" }, { 257, "CAA" },
};

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"
};

/* the read buffer is large: keep it off the stack */
static struct imsgbuf	 ibuf;
static struct reply	 reply;
static const char	*sockpath = MOAT_CTL_SOCKET;

static void		 usage(void) __attribute__((__noreturn__));
static enum command	 parse_command(int, char *[]);
static int		 ctl_connect(const char *);
static void		 send_request(enum command);
static void		 read_reply(enum command);
static int		 handle_frame(struct imsg *, enum command);
static long		 ms_left(const struct timespec *);
static const char	*state_word(uint32_t);
static void		 fmt_uptime(int64_t, char *, size_t);
static void		 safe_copy(char *, const char *, size_t);
static size_t		 utf8_len(const unsigned char *);
static void		 json_string(const char *);
static void		 print_status(void);
static void		 print_status_json(void);
static int		 print_result(int);
static void		 cache_entry(const struct msg_cache_entry *, int);
static void		 cache_end(int);
static void		 print_stats(void);
static void		 print_stats_json(void);
static void		 lease_check(const struct msg_ctl_lease *);
static void		 lease_entry(const struct msg_ctl_lease *, int);
static void		 leases_end(int);

static int		 json;

static void
usage(void)
{
	fprintf(stderr, "usage: moatctl [-j] [-s socket] command\n"
	    "commands: show status | show cache | show stats | show leases |\n"
	    "          flush cache | reload | log verbose | log brief\n");
	exit(1);
}

static enum command
parse_command(int argc, char *argv[])
{
	size_t	 i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].word1) != 0)
			continue;
		if (commands[i].word2 == NULL && argc == 1)
			return commands[i].cmd;
		if (commands[i].word2 != NULL && argc == 2 &&
		    strcmp(argv[1], commands[i].word2) == 0)
			return commands[i].cmd;
	}
	usage();
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "%s: path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "%s", path);
	/* imsg wants a non-blocking socket; waits are done with poll */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	return fd;
}

static void
send_request(enum command cmd)
{
	struct msg_verbose	 mv;
	uint32_t		 type;
	const void		*data = NULL;
	size_t			 len = 0;

	memset(&mv, 0, sizeof(mv));
	switch (cmd) {
	case CMD_SHOW_STATUS:
		type = IMSG_CTL_SHOW_STATUS;
		break;
	case CMD_RELOAD:
		type = IMSG_CTL_RELOAD;
		break;
	case CMD_SHOW_CACHE:
		type = IMSG_CTL_SHOW_CACHE;
		break;
	case CMD_FLUSH_CACHE:
		type = IMSG_CTL_FLUSH_CACHE;
		break;
	case CMD_SHOW_STATS:
		type = IMSG_CTL_SHOW_STATS;
		break;
	case CMD_SHOW_LEASES:
		type = IMSG_CTL_SHOW_LEASES;
		break;
	case CMD_LOG_VERBOSE:
	case CMD_LOG_BRIEF:
		type = IMSG_LOG_VERBOSE;
		mv.verbose = cmd == CMD_LOG_VERBOSE;
		data = &mv;
		len = sizeof(mv);
		break;
	default:
		fatalx("unknown command %d", cmd);
	}
	if (imsg_compose(&ibuf, type, 0, getpid(), -1, data, len) == -1)
		err(1, "imsg_compose");
	if (imsg_flush(&ibuf) == -1)
		err(1, "%s", sockpath);
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	long		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

/* returns 1 when the frame was the result that ends the reply */
static int
handle_frame(struct imsg *imsg, enum command cmd)
{
	if (proto_check(imsg, "moatd") == -1)
		exit(1);
	switch (imsg->hdr.type) {
	case IMSG_CTL_ENGINE_STATUS:
		if (cmd != CMD_SHOW_STATUS)
			break;
		if (reply.nengines >= CTL_MAX_ENGINES)
			errx(1, "%s: too many engines in the reply", sockpath);
		memcpy(&reply.engines[reply.nengines], imsg->data,
		    sizeof(reply.engines[0]));
		reply.engines[reply.nengines].name[MOAT_ENGINE_NAME_MAX - 1] =
		    '\0';
		reply.nengines++;
		return 0;
	case IMSG_CTL_CACHE_ENTRY: {
		struct msg_cache_entry	 ce;

		if (cmd != CMD_SHOW_CACHE)
			break;
		memcpy(&ce, imsg->data, sizeof(ce));
		ce.name[MOAT_DOMAIN_MAX - 1] = '\0';
		cache_entry(&ce, json);
		return 0;
	}
	case IMSG_CTL_DNS_STATS:
		if (cmd != CMD_SHOW_STATS)
			break;
		memcpy(&reply.stats, imsg->data, sizeof(reply.stats));
		reply.has_stats = 1;
		return 0;
	case IMSG_CTL_FORWARDER_STATS: {
		struct msg_forwarder_stats	*f;

		if (cmd != CMD_SHOW_STATS)
			break;
		if (reply.nfwd >= CTL_MAX_FORWARDERS)
			errx(1, "%s: too many forwarders in the reply",
			    sockpath);
		if ((f = reallocarray(reply.fwd, reply.nfwd + 1,
		    sizeof(*f))) == NULL)
			err(1, NULL);
		reply.fwd = f;
		f = &reply.fwd[reply.nfwd++];
		memcpy(f, imsg->data, sizeof(*f));
		f->domain[MOAT_DOMAIN_MAX - 1] = '\0';
		return 0;
	}
	case IMSG_CTL_LEASE: {
		struct msg_ctl_lease	 cl;

		if (cmd != CMD_SHOW_LEASES)
			break;
		memcpy(&cl, imsg->data, sizeof(cl));
		lease_check(&cl);
		lease_entry(&cl, json);
		return 0;
	}
	case IMSG_CTL_RESULT:
		memcpy(&reply.result, imsg->data, sizeof(reply.result));
		reply.result.message[MOAT_CTL_MESSAGE_MAX - 1] = '\0';
		return 1;
	}
	errx(1, "%s: unexpected %s message", sockpath,
	    proto_name(imsg->hdr.type));
}

static void
read_reply(enum command cmd)
{
	struct timespec	 deadline;
	struct pollfd	 pfd;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 rv, done;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += CTL_TIMEOUT_MS / 1000;
	for (;;) {
		while ((rv = imsg_get(&ibuf, &imsg)) == 1) {
			done = handle_frame(&imsg, cmd);
			imsg_free(&imsg);
			if (done)
				return;
			clock_gettime(CLOCK_MONOTONIC, &deadline);
			deadline.tv_sec += CTL_TIMEOUT_MS / 1000;
		}
		if (rv == -1)
			errx(1, "%s: malformed reply", sockpath);
		pfd.fd = ibuf.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rv = poll(&pfd, 1, ms_left(&deadline));
		if (rv == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (rv == 0)
			errx(1, "%s: no reply within %d seconds", sockpath,
			    CTL_TIMEOUT_MS / 1000);
		if ((n = imsg_read(&ibuf)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			err(1, "%s", sockpath);
		}
		if (n == 0)
			errx(1, "%s: connection closed before a result",
			    sockpath);
	}
}

static const char *
state_word(uint32_t state)
{
	switch (state) {
	case ENGINE_RUNNING:
		return "running";
	case ENGINE_WAITING:
		return "waiting";
	case ENGINE_STOPPED:
		return "stopped";
	}
	return "unknown";
}

/* 45s, 3m12s, 1h02m, 2d03h */
static void
fmt_uptime(int64_t s, char *buf, size_t bufsz)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, bufsz, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, bufsz, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, bufsz, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, bufsz, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

/* text from the daemon goes to a terminal: no control characters */
static void
safe_copy(char *dst, const char *src, size_t dstsz)
{
	size_t	 i;

	for (i = 0; src[i] != '\0' && i + 1 < dstsz; i++) {
		unsigned char	 c = src[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : c;
	}
	dst[i] = '\0';
}

/* length of the valid UTF-8 sequence at s, or 0 when it is not one */
static size_t
utf8_len(const unsigned char *s)
{
	size_t		 n, i;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* a JSON string; bytes that are not UTF-8 become U+FFFD */
static void
json_string(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	putchar('"');
	while (*s != '\0') {
		if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			printf("\\u%04x", *s++);
			continue;
		}
		if ((n = utf8_len(s)) == 0) {
			fputs("\\ufffd", stdout);
			s++;
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
	putchar('"');
}

static void
print_status(void)
{
	const struct msg_engine_status	*st;
	char				 name[MOAT_ENGINE_NAME_MAX];
	char				 pid[16], up[32];
	size_t				 i;

	printf("%-9s %-9s %-8s %-7s %s\n", "ENGINE", "STATE", "PID",
	    "UPTIME", "RESTARTS");
	for (i = 0; i < reply.nengines; i++) {
		st = &reply.engines[i];
		if (st->state == ENGINE_RUNNING && st->pid > 0) {
			snprintf(pid, sizeof(pid), "%d", (int)st->pid);
			fmt_uptime(st->uptime, up, sizeof(up));
		} else {
			strlcpy(pid, "-", sizeof(pid));
			strlcpy(up, "-", sizeof(up));
		}
		safe_copy(name, st->name, sizeof(name));
		printf("%-9s %-9s %-8s %-7s %u\n", name,
		    state_word(st->state), pid, up, st->restarts);
	}
}

static void
print_status_json(void)
{
	const struct msg_engine_status	*st;
	size_t				 i;

	fputs("{\"engines\":[", stdout);
	for (i = 0; i < reply.nengines; i++) {
		st = &reply.engines[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		json_string(st->name);
		printf(",\"state\":\"%s\",\"pid\":%d,\"uptime\":%lld,"
		    "\"restarts\":%u}", state_word(st->state), (int)st->pid,
		    (long long)(st->uptime < 0 ? 0 : st->uptime),
		    st->restarts);
	}
	fputs("]}\n", stdout);
}

static const char *
type_name(uint16_t type, char *buf, size_t bufsz)
{
	size_t	 i;

	for (i = 0; i < sizeof(rr_type_names) / sizeof(rr_type_names[0]); i++)
		if (rr_type_names[i].type == type)
			return rr_type_names[i].name;
	snprintf(buf, bufsz, "TYPE%u", type);
	return buf;
}

static const char *
rcode_name(uint16_t rcode, char *buf, size_t bufsz)
{
	if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0]))
		return rcode_names[rcode];
	snprintf(buf, bufsz, "RCODE%u", rcode);
	return buf;
}

/* one entry of "show cache", printed at once: a cache can be large */
static void
cache_entry(const struct msg_cache_entry *ce, int as_json)
{
	char	 name[MOAT_DOMAIN_MAX], tbuf[16], rbuf[16];

	if (as_json) {
		fputs(reply.ncache++ ? ",{\"name\":" : "{\"cache\":[{\"name\":",
		    stdout);
		json_string(ce->name);
		printf(",\"type\":\"%s\",\"rcode\":\"%s\",\"ttl\":%u,"
		    "\"records\":%u,\"hits\":%u}",
		    type_name(ce->qtype, tbuf, sizeof(tbuf)),
		    rcode_name(ce->rcode, rbuf, sizeof(rbuf)), ce->ttl,
		    ce->records, ce->hits);
		return;
	}
	if (reply.ncache++ == 0)
		printf("%-40s %-9s %-8s %7s %7s %7s\n", "NAME", "TYPE",
		    "RCODE", "TTL", "RECORDS", "HITS");
	safe_copy(name, ce->name, sizeof(name));
	printf("%-40s %-9s %-8s %7u %7u %7u\n", name,
	    type_name(ce->qtype, tbuf, sizeof(tbuf)),
	    rcode_name(ce->rcode, rbuf, sizeof(rbuf)), ce->ttl, ce->records,
	    ce->hits);
}

/* close the table or the JSON array the entries opened */
static void
cache_end(int as_json)
{
	if (as_json)
		fputs(reply.ncache ? "]}\n" : "{\"cache\":[]}\n", stdout);
	else if (reply.ncache == 0)
		printf("%-40s %-9s %-8s %7s %7s %7s\n", "NAME", "TYPE",
		    "RCODE", "TTL", "RECORDS", "HITS");
}

static const char *
fwd_address(const struct msg_forwarder_stats *f, char *buf, size_t bufsz,
    unsigned int *port)
{
	*port = addr_port(&f->addr);
	return addr_text(&f->addr, buf, bufsz);
}

static void
print_stats(void)
{
	const struct msg_dns_stats	*st = &reply.stats;
	const struct msg_forwarder_stats *f;
	char				 addr[INET6_ADDRSTRLEN];
	char				 where[INET6_ADDRSTRLEN + 16];
	char				 domain[MOAT_DOMAIN_MAX], lat[24];
	const char			*a;
	unsigned int			 port;
	size_t				 i;

	printf("%-16s %llu\n", "queries", (unsigned long long)st->queries);
	printf("%-16s %llu\n", "cache hits",
	    (unsigned long long)st->cache_hits);
	printf("%-16s %llu\n", "cache misses",
	    (unsigned long long)st->cache_misses);
	printf("%-16s %llu\n", "cache evictions",
	    (unsigned long long)st->cache_evictions);
	printf("%-16s %llu/%llu\n", "cache entries",
	    (unsigned long long)st->cache_entries,
	    (unsigned long long)st->cache_size);
	printf("%-16s %llu\n", "local answers",
	    (unsigned long long)st->local_answers);
	printf("%-16s %llu\n", "forwarded", (unsigned long long)st->forwarded);
	printf("%-16s %llu\n", "coalesced", (unsigned long long)st->coalesced);
	printf("%-16s %llu\n", "rebind blocked",
	    (unsigned long long)st->rebind_blocked);
	printf("%-16s %llu\n", "dropped", (unsigned long long)st->dropped);
	printf("\n%-30s %-24s %9s %9s %8s %s\n", "ADDRESS", "DOMAIN",
	    "QUERIES", "FAILURES", "LATENCY", "STATE");
	for (i = 0; i < reply.nfwd; i++) {
		f = &reply.fwd[i];
		a = fwd_address(f, addr, sizeof(addr), &port);
		if (f->addr.ss_family == AF_INET6)
			snprintf(where, sizeof(where), "[%s]:%u", a, port);
		else
			snprintf(where, sizeof(where), "%s:%u", a, port);
		safe_copy(domain, f->domain[0] != '\0' ? f->domain : "*",
		    sizeof(domain));
		snprintf(lat, sizeof(lat), "%ums", f->latency_ms);
		printf("%-30s %-24s %9llu %9llu %8s %s\n", where, domain,
		    (unsigned long long)f->queries,
		    (unsigned long long)f->failures, lat,
		    f->dead ? "dead" : "alive");
	}
}

static void
print_stats_json(void)
{
	const struct msg_dns_stats	*st = &reply.stats;
	const struct msg_forwarder_stats *f;
	char				 addr[INET6_ADDRSTRLEN];
	unsigned int			 port;
	size_t				 i;

	printf("{\"stats\":{\"queries\":%llu,\"cache_hits\":%llu,"
	    "\"cache_misses\":%llu,\"cache_evictions\":%llu,"
	    "\"cache_entries\":%llu,\"cache_size\":%llu,"
	    "\"local_answers\":%llu,\"forwarded\":%llu,\"coalesced\":%llu,"
	    "\"rebind_blocked\":%llu,\"dropped\":%llu},\"forwarders\":[",
	    (unsigned long long)st->queries,
	    (unsigned long long)st->cache_hits,
	    (unsigned long long)st->cache_misses,
	    (unsigned long long)st->cache_evictions,
	    (unsigned long long)st->cache_entries,
	    (unsigned long long)st->cache_size,
	    (unsigned long long)st->local_answers,
	    (unsigned long long)st->forwarded,
	    (unsigned long long)st->coalesced,
	    (unsigned long long)st->rebind_blocked,
	    (unsigned long long)st->dropped);
	for (i = 0; i < reply.nfwd; i++) {
		f = &reply.fwd[i];
		fputs(i ? ",{\"address\":" : "{\"address\":", stdout);
		json_string(fwd_address(f, addr, sizeof(addr), &port));
		printf(",\"port\":%u,\"domain\":", port);
		json_string(f->domain);
		printf(",\"queries\":%llu,\"failures\":%llu,"
		    "\"latency_ms\":%u,\"dead\":%s}",
		    (unsigned long long)f->queries,
		    (unsigned long long)f->failures, f->latency_ms,
		    f->dead ? "true" : "false");
	}
	fputs("]}\n", stdout);
}

/* a lease whose lengths or strings are out of bounds is a broken peer */
static void
lease_check(const struct msg_ctl_lease *cl)
{
	const struct msg_lease	*l = &cl->lease;

	if (memchr(cl->ifname, '\0', sizeof(cl->ifname)) == NULL ||
	    memchr(l->hostname, '\0', sizeof(l->hostname)) == NULL)
		errx(1, "%s: a lease with an unterminated string", sockpath);
	if (l->hlen > sizeof(l->hwaddr) || l->cid_len > sizeof(l->cid))
		errx(1, "%s: a lease with an address or identifier too long",
		    sockpath);
}

/* "aa:bb:cc", lower case; "" for no bytes */
static const char *
hex_colons(const uint8_t *b, size_t n, char *buf, size_t bufsz)
{
	size_t	 i, off = 0;

	buf[0] = '\0';
	/* each byte takes three characters at most, with the NUL four */
	for (i = 0; i < n && off + 4 <= bufsz; i++)
		off += snprintf(buf + off, bufsz - off, "%s%02x",
		    i ? ":" : "", b[i]);
	return buf;
}

/* local time as YYYY-MM-DD HH:MM:SS */
static const char *
fmt_time(int64_t t, char *buf, size_t bufsz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if ((int64_t)tt != t || localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, bufsz, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		strlcpy(buf, "0000-00-00 00:00:00", bufsz);
	return buf;
}

/* a JSON string, or null when it is empty */
static void
json_string_or_null(const char *s)
{
	if (s[0] == '\0')
		fputs("null", stdout);
	else
		json_string(s);
}

static void
leases_header(void)
{
	printf("%-15s %-8s %-17s %-20s %-20s %s\n", "ADDRESS", "STATE",
	    "HWADDR", "CLIENT-ID", "HOSTNAME", "EXPIRES");
}

/* one entry of "show leases", printed at once: there may be many */
static void
lease_entry(const struct msg_ctl_lease *cl, int as_json)
{
	const struct msg_lease	*l = &cl->lease;
	char			 addr[INET_ADDRSTRLEN];
	char			 hw[3 * MOAT_DHCP_HW_MAX + 1];
	char			 cid[3 * MOAT_DHCP_LEASE_CID_MAX + 1];
	char			 host[MOAT_DHCP_NAME_MAX], when[32];
	int			 bootp = l->flags & MOAT_LEASE_F_BOOTP;

	if (inet_ntop(AF_INET, &l->addr, addr, sizeof(addr)) == NULL)
		strlcpy(addr, "?", sizeof(addr));
	hex_colons(l->hwaddr, l->hlen, hw, sizeof(hw));
	hex_colons(l->cid, l->cid_len, cid, sizeof(cid));
	if (as_json) {
		printf("%s{\"address\":\"%s\",\"state\":\"%s\",\"hwaddr\":",
		    reply.nleases++ ? "," : "[", addr,
		    proto_lease_state(l->state));
		json_string(hw);
		fputs(",\"client_id\":", stdout);
		json_string_or_null(cid);
		fputs(",\"hostname\":", stdout);
		json_string_or_null(l->hostname);
		fputs(",\"interface\":", stdout);
		json_string_or_null(cl->ifname);
		printf(",\"starts\":%lld,\"expires\":", (long long)l->start);
		if (bootp)
			fputs("null}", stdout);
		else
			printf("%lld}", (long long)l->end);
		return;
	}
	if (reply.nleases++ == 0)
		leases_header();
	safe_copy(host, l->hostname, sizeof(host));
	printf("%-15s %-8s %-17s %-20s %-20s %s\n", addr,
	    proto_lease_state(l->state), hw[0] != '\0' ? hw : "-",
	    cid[0] != '\0' ? cid : "-", host[0] != '\0' ? host : "-",
	    bootp ? "never" : fmt_time(l->end, when, sizeof(when)));
}

/* close the table or the JSON array the entries opened */
static void
leases_end(int as_json)
{
	if (as_json)
		fputs(reply.nleases ? "]\n" : "[]\n", stdout);
	else if (reply.nleases == 0)
		leases_header();
}

/* returns the exit status */
static int
print_result(int as_json)
{
	const struct msg_ctl_result	*r = &reply.result;
	char				 msg[MOAT_CTL_MESSAGE_MAX];

	if (as_json) {
		printf("{\"ok\":%s,\"message\":", r->ok ? "true" : "false");
		json_string(r->message);
		fputs("}\n", stdout);
	} else if (r->message[0] != '\0') {
		safe_copy(msg, r->message, sizeof(msg));
		puts(msg);
	}
	return r->ok ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	enum command	 cmd;
	char		 msg[MOAT_CTL_MESSAGE_MAX];
	int		 ch, status;

	log_init(1, LOG_DAEMON);
	log_procinit("moatctl");
	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = parse_command(argc, argv);

	/* a daemon that hangs up must give an error, not a silent death */
	signal(SIGPIPE, SIG_IGN);
	imsgbuf_init(&ibuf, ctl_connect(sockpath));
	send_request(cmd);
	read_reply(cmd);
	imsgbuf_clear(&ibuf);
	close(ibuf.fd);

	status = 0;
	if (cmd == CMD_SHOW_STATUS && reply.result.ok) {
		if (json)
			print_status_json();
		else
			print_status();
	} else if (cmd == CMD_SHOW_CACHE && reply.result.ok)
		cache_end(json);
	else if (cmd == CMD_SHOW_CACHE && reply.ncache > 0) {
		/* cut short: close what was printed, then say why */
		cache_end(json);
		safe_copy(msg, reply.result.message, sizeof(msg));
		warnx("%s", msg[0] != '\0' ? msg : "the reply was cut short");
		status = 1;
	} else if (cmd == CMD_SHOW_LEASES && reply.result.ok) {
		leases_end(json);
		/* a note such as entries left out goes to stderr */
		if (reply.result.message[0] != '\0') {
			safe_copy(msg, reply.result.message, sizeof(msg));
			warnx("%s", msg);
		}
	} else if (cmd == CMD_SHOW_LEASES && reply.nleases > 0) {
		leases_end(json);
		safe_copy(msg, reply.result.message, sizeof(msg));
		warnx("%s", msg[0] != '\0' ? msg : "the reply was cut short");
		status = 1;
	} else if (cmd == CMD_SHOW_STATS && reply.result.ok) {
		if (!reply.has_stats)
			errx(1, "%s: no statistics in the reply", sockpath);
		if (json)
			print_stats_json();
		else
			print_stats();
	} else
		status = print_result(json);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}
