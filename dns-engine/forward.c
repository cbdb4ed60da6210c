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

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "answer.h"
#include "cache.h"
#include "dns_engine.h"
#include "leasenames.h"
#include "local.h"
#include "log.h"
#include "proto.h"
#include "rebind.h"

/*
 * Answering: local names first, then the names of DHCP leases, then the
 * cache, then forwarding.  A
 * query goes to the forwarders of the longest domain that holds its name,
 * one try at a time, each try from a fresh socket on a random port with a
 * random ID (and, with random case, a random spelling of the name).  An
 * answer counts only when it comes from the address asked and carries
 * that ID and the question asked.  Clients that ask what is already being
 * asked wait for the same answer.
 */

#define TRY_UDP_MS		1000
#define TRY_TCP_MS		2000
#define MAX_CANDIDATES		8
#define MIN_TRIES		3	/* a lone forwarder is asked thrice */
#define PORT_TRIES		10
#define PORT_FIRST		1024
#define MAX_WAITERS		64	/* clients on one upstream query */
#define INFLIGHT_BUCKETS	8192
#define DEAD_AFTER		3	/* failures in a row */
#define DEAD_SECONDS		30

struct upstream {
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	struct forwarder	*fwd;		/* while gen is current */
	int			 failed;	/* answered badly: skip */
};

/* a client waiting for the answer, with its query as it sent it */
struct waiter {
	TAILQ_ENTRY(waiter)	 entry;
	struct client		 c;
	size_t			 qlen;
	uint8_t			 query[];
};

struct query {
	TAILQ_ENTRY(query)	 entry;
	LIST_ENTRY(query)	 hentry;	/* in flight, by question */
	uint32_t		 hash;
	uint16_t		 key_flags;	/* CD and DO of the query */
	TAILQ_HEAD(, waiter)	 waiters;
	int			 nwaiters;
	unsigned int		 gen;
	uint16_t		 up_id;
	struct dns_question	 q;
	uint8_t			 bailiwick[DNS_NAME_MAX];
	size_t			 blen;
	struct upstream		 cand[MAX_CANDIDATES];
	int			 ncand;
	int			 cur;		/* candidate of this try */
	int			 next;		/* candidate of the next */
	int			 tries;
	int			 max_tries;
	int			 fd;		/* upstream socket, or -1 */
	int			 tcp;		/* this try is over TCP */
	struct event		 ev;
	struct event		 timer;
	struct timespec		 sent;
	uint8_t			*tbuf;		/* TCP: out, then in */
	size_t			 tlen;
	size_t			 toff;
	size_t			 qlen;
	uint8_t			 qbuf[];	/* what goes upstream */
};

LIST_HEAD(query_bucket, query);

struct msg_dns_stats		 dns_stats;
static TAILQ_HEAD(, query)	 queries = TAILQ_HEAD_INITIALIZER(queries);
static struct query_bucket	 inflight[INFLIGHT_BUCKETS];
static uint32_t			 inflight_seed;
static int			 nqueries;
static uint8_t			 answer_buf[DNS_MSG_MAX];
static uint8_t			 out_buf[DNS_MSG_MAX];

static struct log_limit	 lim_full, lim_spoof, lim_socket, lim_rebind;

static void	query_try(struct query *);
static void	query_try_tcp(struct query *);

/* "ADDRESS port N" for the log */
static const char *
fwd_text(const struct sockaddr_storage *ss, char *buf, size_t bufsz)
{
	char	 ab[INET6_ADDRSTRLEN];

	snprintf(buf, bufsz, "%s port %u", addr_text(ss, ab, sizeof(ab)),
	    addr_port(ss));
	return buf;
}

static void
answer_error(struct client *c, const uint8_t *pkt, size_t len,
    const struct dns_msg *m, uint16_t rcode)
{
	uint8_t	 out[DNS_UDP_MIN];
	size_t	 n;

	if ((n = dns_make_error(pkt, len, m, rcode, out, sizeof(out))) > 0)
		client_send(c, out, n);
}

/* send an answer, truncated to what a UDP client takes */
static void
answer_send(struct client *c, const struct dns_msg *qm, uint8_t *pkt,
    size_t len)
{
	struct dns_msg	 am;
	size_t		 max;

	max = dns_client_udp_max(qm);
	if (!client_is_tcp(c) && len > max) {
		if (dns_msg_parse(pkt, len, &am) != DNS_PARSE_OK ||
		    (len = dns_truncate(pkt, len, &am, max)) == 0) {
			answer_error(c, NULL, 0, qm, DNS_RCODE_SERVFAIL);
			return;
		}
		/* truncation rebuilt the header from the parsed answer */
		pkt[0] = qm->hdr.id >> 8;
		pkt[1] = qm->hdr.id & 0xff;
	}
	client_send(c, pkt, len);
}

static uint32_t
inflight_hash(const struct dns_question *q, uint16_t key_flags)
{
	uint32_t	 h = inflight_seed;
	size_t		 i;
	uint8_t		 ch;

	for (i = 0; i < q->qname_len; i++) {
		ch = q->qname[i];
		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		h = (h ^ ch) * 16777619;
	}
	h = (h ^ q->qtype) * 16777619;
	h = (h ^ q->qclass) * 16777619;
	h = (h ^ key_flags) * 16777619;
	return h ^ (h >> 15);
}

static uint16_t
query_key_flags(const struct dns_msg *m)
{
	return (m->hdr.flags & DNS_F_CD) | (m->edns_flags & 0x8000 ? 1 : 0);
}

static struct query *
inflight_find(const struct dns_msg *m, uint32_t hash, uint16_t key_flags)
{
	struct query	*q;

	LIST_FOREACH(q, &inflight[hash % INFLIGHT_BUCKETS], hentry)
		if (q->hash == hash && q->key_flags == key_flags &&
		    q->q.qtype == m->q.qtype && q->q.qclass == m->q.qclass &&
		    dns_name_equal(q->q.qname, q->q.qname_len, m->q.qname,
		    m->q.qname_len))
			return q;
	return NULL;
}

static int
fwd_is_dead(const struct forwarder *f, time_t now)
{
	return f->dead_until > now;
}

/* the order forwarders are tried in: the strategy's, live ones first */
static void
candidates_order(struct upstream *cand, int n, time_t now)
{
	struct upstream	 tmp[MAX_CANDIDATES];
	int		 i, j, start, k = 0;

	if (dns_running->strategy == STRATEGY_ROUND_ROBIN && n > 1) {
		start = dns_running->rr_next++ % n;
		for (i = 0; i < n; i++)
			tmp[i] = cand[(start + i) % n];
		memcpy(cand, tmp, n * sizeof(*cand));
	} else if (dns_running->strategy == STRATEGY_FASTEST) {
		/* insertion sort by latency; unmeasured ones go first */
		for (i = 1; i < n; i++) {
			tmp[0] = cand[i];
			for (j = i; j > 0 && cand[j - 1].fwd->latency_us >
			    tmp[0].fwd->latency_us; j--)
				cand[j] = cand[j - 1];
			cand[j] = tmp[0];
		}
	}
	for (i = 0; i < n; i++)
		if (!fwd_is_dead(cand[i].fwd, now))
			tmp[k++] = cand[i];
	for (i = 0; i < n; i++)
		if (fwd_is_dead(cand[i].fwd, now))
			tmp[k++] = cand[i];
	memcpy(cand, tmp, n * sizeof(*cand));
}

/*
 * The forwarders of the longest domain that holds the name; best gets
 * that domain's label count (-1 when none holds it).
 */
static int
candidates(const struct dns_question *q, struct upstream *cand,
    const struct forwarder **group)
{
	struct forwarder	*f;
	int			 best = -1, n = 0;

	*group = NULL;
	TAILQ_FOREACH(f, &dns_running->forwarders, entry) {
		if (f->labels < best || !dns_name_is_below(q->qname,
		    q->qname_len, f->domain, f->domain_len))
			continue;
		if (f->labels > best) {
			best = f->labels;
			*group = f;
			n = 0;
		}
		if (n == MAX_CANDIDATES)
			continue;
		memset(&cand[n], 0, sizeof(cand[n]));
		cand[n].addr = f->addr;
		cand[n].addrlen = f->addrlen;
		cand[n].fwd = f;
		n++;
	}
	return n;
}

/* the forwarder of this try, while the configuration it came from runs */
static struct forwarder *
query_fwd(struct query *q)
{
	if (q->gen != dns_running->gen)
		return NULL;
	return q->cand[q->cur].fwd;
}

static void
fwd_failed(struct query *q, int alive)
{
	struct forwarder	*f;
	char			 buf[INET6_ADDRSTRLEN + 16];
	time_t			 now;

	if ((f = query_fwd(q)) == NULL)
		return;
	f->failures++;
	if (alive)
		return;
	now = engine_now();
	if (++f->fails_in_row < DEAD_AFTER || fwd_is_dead(f, now))
		return;
	f->dead_until = now + DEAD_SECONDS;
	log_warnx("forwarder %s is not answering: trying others first for "
	    "%d s", fwd_text(&f->addr, buf, sizeof(buf)), DEAD_SECONDS);
}

static void
fwd_answered(struct query *q)
{
	struct forwarder	*f;
	struct timespec		 ts;
	int64_t			 us;
	char			 buf[INET6_ADDRSTRLEN + 16];

	if ((f = query_fwd(q)) == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	us = (ts.tv_sec - q->sent.tv_sec) * 1000000 +
	    (ts.tv_nsec - q->sent.tv_nsec) / 1000;
	if (us < 1)
		us = 1;
	if (us > 60000000)
		us = 60000000;
	/* smoothed like TCP's RTT: 7/8 of the old, 1/8 of the new */
	f->latency_us = f->latency_us == 0 ? us :
	    (uint32_t)((7 * (int64_t)f->latency_us + us) / 8);
	f->fails_in_row = 0;
	if (f->dead_until != 0) {
		f->dead_until = 0;
		log_info("forwarder %s answers again",
		    fwd_text(&f->addr, buf, sizeof(buf)));
	}
}

static void
query_close_upstream(struct query *q)
{
	if (q->fd != -1) {
		event_del(&q->ev);
		close(q->fd);
		q->fd = -1;
	}
	evtimer_del(&q->timer);
	free(q->tbuf);
	q->tbuf = NULL;
	q->tcp = 0;
}

static void
waiter_free(struct query *q, struct waiter *w)
{
	TAILQ_REMOVE(&q->waiters, w, entry);
	q->nwaiters--;
	client_release(&w->c);
	free(w);
}

static void
query_free(struct query *q)
{
	struct waiter	*w;

	query_close_upstream(q);
	while ((w = TAILQ_FIRST(&q->waiters)) != NULL)
		waiter_free(q, w);
	LIST_REMOVE(q, hentry);
	TAILQ_REMOVE(&queries, q, entry);
	nqueries--;
	free(q);
}

/* every waiting client gets rcode */
static void
query_fail_with(struct query *q, uint16_t rcode)
{
	struct waiter	*w;
	struct dns_msg	 m;

	TAILQ_FOREACH(w, &q->waiters, entry) {
		/* each query parsed once; parse again rather than keep it */
		if (dns_msg_parse(w->query, w->qlen, &m) != DNS_PARSE_OK)
			fatalx("%s: a query that parsed no longer does",
			    __func__);
		answer_error(&w->c, w->query, w->qlen, &m, rcode);
	}
	query_free(q);
}

static void
query_deliver(struct query *q, const uint8_t *pkt, size_t len,
    const struct dns_msg *am)
{
	struct waiter	*w;
	struct dns_msg	 qm;
	size_t		 n;

	TAILQ_FOREACH(w, &q->waiters, entry) {
		if (dns_msg_parse(w->query, w->qlen, &qm) != DNS_PARSE_OK)
			fatalx("%s: a query that parsed no longer does",
			    __func__);
		n = answer_adapt(pkt, len, am, w->query, &qm, out_buf);
		answer_send(&w->c, &qm, out_buf, n);
	}
	query_free(q);
}

static void
query_arm_timer(struct query *q, int ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(&q->timer, &tv);
}

/*
 * A socket to the forwarder of this try, bound to a random port: the
 * kernel's own choice is the fallback when every draw is taken.
 */
static int
upstream_socket(struct query *q, int type)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	const struct upstream	*u = &q->cand[q->cur];
	int			 s, i;
	uint16_t		 port;

	if ((s = socket(u->addr.ss_family, type | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_limited(&lim_socket, "socket: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i <= PORT_TRIES; i++) {
		port = i == PORT_TRIES ? 0 :
		    PORT_FIRST + arc4random_uniform(65536 - PORT_FIRST);
		memset(&ss, 0, sizeof(ss));
		ss.ss_family = u->addr.ss_family;
		if (ss.ss_family == AF_INET)
			sin->sin_port = htons(port);
		else
			sin6->sin6_port = htons(port);
		if (bind(s, (struct sockaddr *)&ss, u->addrlen) == 0)
			break;
		if (errno != EADDRINUSE || i == PORT_TRIES) {
			log_limited(&lim_socket, "bind: %s", strerror(errno));
			close(s);
			return -1;
		}
	}
	if (connect(s, (struct sockaddr *)&u->addr, u->addrlen) == -1 &&
	    errno != EINPROGRESS) {
		log_debug("connect: %s", strerror(errno));
		close(s);
		return -1;
	}
	return s;
}

/* a fresh ID and, with random case, a fresh spelling of the name */
static void
query_new_id(struct query *q)
{
	uint8_t		*p = q->qbuf + DNS_HEADER_LEN;
	size_t		 i;
	uint32_t	 r = 0;
	int		 bits = 0;

	q->up_id = arc4random() & 0xffff;
	q->qbuf[0] = q->up_id >> 8;
	q->qbuf[1] = q->up_id & 0xff;
	if (!(dns_running->flags & DNS_RANDOM_CASE))
		return;
	/* label length bytes are below 64, never letters */
	for (i = 0; i < q->q.qname_len; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z')))
			continue;
		if (bits == 0) {
			r = arc4random();
			bits = 32;
		}
		p[i] = (r & 1) ? (p[i] & ~0x20) : (p[i] | 0x20);
		r >>= 1;
		bits--;
	}
}

/* 0 when the message answers the question of this try */
static int
answer_check(struct query *q, const uint8_t *pkt, size_t len,
    struct dns_msg *am)
{
	if (dns_msg_parse(pkt, len, am) != DNS_PARSE_OK)
		return -1;
	if (!(am->hdr.flags & DNS_F_QR) || am->hdr.id != q->up_id ||
	    !am->has_question)
		return -1;
	if (am->q.qtype != q->q.qtype || am->q.qclass != q->q.qclass ||
	    am->q.qname_len != q->q.qname_len)
		return -1;
	/* with random case, the spelling sent must come back */
	if (dns_running->flags & DNS_RANDOM_CASE)
		return memcmp(am->q.qname, q->qbuf + DNS_HEADER_LEN,
		    am->q.qname_len) == 0 ? 0 : -1;
	if (!dns_name_equal(am->q.qname, am->q.qname_len, q->q.qname,
	    q->q.qname_len))
		return -1;
	return 0;
}

static int
query_rebind_blocked(struct query *q, const uint8_t *pkt, size_t len,
    const struct dns_msg *am)
{
	char	 name[DNS_NAME_TEXT_MAX], fwd[INET6_ADDRSTRLEN + 16];

	if (!(dns_running->flags & DNS_BLOCK_REBIND))
		return 0;
	if (dns_running->local != NULL && local_rebind_allowed(
	    dns_running->local, q->q.qname, q->q.qname_len))
		return 0;
	if (!rebind_private_address(pkt, len, am, name, sizeof(name)))
		return 0;
	dns_stats.rebind_blocked++;
	log_limited(&lim_rebind, "rebind: %s from %s is a private address, "
	    "answer refused", name, fwd_text(&q->cand[q->cur].addr, fwd,
	    sizeof(fwd)));
	return 1;
}

static void
query_answer(struct query *q, uint8_t *pkt, size_t len,
    const struct dns_msg *am)
{
	uint16_t	 rcode = am->hdr.flags & DNS_F_RCODE_MASK;

	if ((am->hdr.flags & DNS_F_TC) && !q->tcp) {
		log_debug("truncated answer over UDP, asking again over TCP");
		query_try_tcp(q);
		return;
	}
	fwd_answered(q);
	if (rcode == DNS_RCODE_SERVFAIL || rcode == DNS_RCODE_REFUSED) {
		log_debug("forwarder answered rcode %u, trying the next",
		    rcode);
		fwd_failed(q, 1);
		q->cand[q->cur].failed = 1;
		query_try(q);
		return;
	}
	if (query_rebind_blocked(q, pkt, len, am)) {
		query_fail_with(q, DNS_RCODE_REFUSED);
		return;
	}
	if (dns_cache != NULL)
		cache_store(dns_cache, &q->q, pkt, len, am, q->bailiwick,
		    q->blen, engine_now());
	query_deliver(q, pkt, len, am);
}

/* this try failed in a way that asking this forwarder again won't fix */
static void
query_try_failed(struct query *q, const char *why)
{
	log_debug("forwarder try failed: %s", why);
	fwd_failed(q, 0);
	q->cand[q->cur].failed = 1;
	query_try(q);
}

static void
udp_answer(int fd, short event, void *arg)
{
	struct query		*q = arg;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	struct dns_msg		 am;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < DNS_UDP_BATCH; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, answer_buf, sizeof(answer_buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			query_try_failed(q, strerror(errno));
			return;
		}
		if (!addr_equal(&from, &q->cand[q->cur].addr) ||
		    answer_check(q, answer_buf, n, &am) == -1) {
			log_limited(&lim_spoof, "an answer that does not "
			    "match its query was ignored");
			continue;
		}
		query_answer(q, answer_buf, n, &am);
		return;
	}
}

static void
tcp_upstream_read(int fd, short event, void *arg)
{
	struct query	*q = arg;
	struct dns_msg	 am;
	size_t		 want;
	ssize_t		 n;

	want = q->toff < 2 ? 2 : 2 + ((size_t)q->tbuf[0] << 8 | q->tbuf[1]);
	n = read(fd, q->tbuf + q->toff, want - q->toff);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			query_try_failed(q, strerror(errno));
		return;
	}
	if (n == 0) {
		query_try_failed(q, "TCP connection closed early");
		return;
	}
	q->toff += n;
	if (q->toff < 2)
		return;
	want = 2 + ((size_t)q->tbuf[0] << 8 | q->tbuf[1]);
	if (q->toff < want)
		return;
	if (answer_check(q, q->tbuf + 2, q->toff - 2, &am) == -1) {
		query_try_failed(q, "TCP answer does not match the query");
		return;
	}
	query_answer(q, q->tbuf + 2, q->toff - 2, &am);
}

static void
tcp_upstream_write(int fd, short event, void *arg)
{
	struct query	*q = arg;
	socklen_t	 len = sizeof(int);
	int		 err = 0;
	ssize_t		 n;

	if (q->toff == 0 && (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
	    &len) == -1 || err != 0)) {
		query_try_failed(q, strerror(err ? err : errno));
		return;
	}
	n = send(fd, q->tbuf + q->toff, q->tlen - q->toff, MSG_NOSIGNAL);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			query_try_failed(q, strerror(errno));
		return;
	}
	q->toff += n;
	if (q->toff < q->tlen)
		return;
	event_del(&q->ev);
	q->toff = 0;
	event_set(&q->ev, fd, EV_READ | EV_PERSIST, tcp_upstream_read, q);
	event_add(&q->ev, NULL);
}

/* ask the forwarder of the current try again, over TCP */
static void
query_try_tcp(struct query *q)
{
	query_close_upstream(q);
	if ((q->fd = upstream_socket(q, SOCK_STREAM)) == -1) {
		query_try_failed(q, "no TCP socket");
		return;
	}
	q->tcp = 1;
	query_new_id(q);
	if ((q->tbuf = malloc(2 + DNS_MSG_MAX)) == NULL)
		fatal("malloc");
	q->tbuf[0] = q->qlen >> 8;
	q->tbuf[1] = q->qlen & 0xff;
	memcpy(q->tbuf + 2, q->qbuf, q->qlen);
	q->tlen = 2 + q->qlen;
	q->toff = 0;
	clock_gettime(CLOCK_MONOTONIC, &q->sent);
	event_set(&q->ev, q->fd, EV_WRITE | EV_PERSIST, tcp_upstream_write,
	    q);
	event_add(&q->ev, NULL);
	query_arm_timer(q, TRY_TCP_MS);
}

static int
query_send_udp(struct query *q)
{
	struct forwarder	*f;

	if ((q->fd = upstream_socket(q, SOCK_DGRAM)) == -1)
		return -1;
	query_new_id(q);
	if (send(q->fd, q->qbuf, q->qlen, 0) == -1) {
		log_debug("send: %s", strerror(errno));
		close(q->fd);
		q->fd = -1;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &q->sent);
	if ((f = query_fwd(q)) != NULL)
		f->queries++;
	dns_stats.forwarded++;
	event_set(&q->ev, q->fd, EV_READ | EV_PERSIST, udp_answer, q);
	event_add(&q->ev, NULL);
	query_arm_timer(q, TRY_UDP_MS);
	return 0;
}

/* the next forwarder that has not failed, in turn */
static int
query_next_candidate(struct query *q)
{
	int	 i, idx;

	for (i = 0; i < q->ncand; i++) {
		idx = (q->next + i) % q->ncand;
		if (!q->cand[idx].failed)
			return idx;
	}
	return -1;
}

static void
query_try(struct query *q)
{
	int	 idx;

	query_close_upstream(q);
	while (q->tries < q->max_tries &&
	    (idx = query_next_candidate(q)) != -1) {
		q->cur = idx;
		q->next = idx + 1;
		q->tries++;
		if (query_send_udp(q) == 0)
			return;
		fwd_failed(q, 0);
		q->cand[idx].failed = 1;
	}
	query_fail_with(q, DNS_RCODE_SERVFAIL);
}

static void
query_timeout(int fd, short event, void *arg)
{
	struct query	*q = arg;

	log_debug("forwarder did not answer in time");
	fwd_failed(q, 0);
	query_try(q);
}

/* 0 when the client now waits on q */
static int
query_add_waiter(struct query *q, struct client *c, const uint8_t *pkt,
    size_t len)
{
	struct waiter	*w;

	if (q->nwaiters >= MAX_WAITERS)
		return -1;
	if ((w = malloc(sizeof(*w) + len)) == NULL)
		fatal("malloc");
	w->c = *c;
	w->qlen = len;
	memcpy(w->query, pkt, len);
	client_hold(&w->c);
	TAILQ_INSERT_TAIL(&q->waiters, w, entry);
	q->nwaiters++;
	return 0;
}

static void
query_start(struct client *c, const uint8_t *pkt, size_t len,
    const struct dns_msg *m, uint32_t hash, uint16_t key_flags)
{
	struct upstream		 cand[MAX_CANDIDATES];
	const struct forwarder	*group;
	struct query		*q;
	int			 n;

	if ((n = candidates(&m->q, cand, &group)) == 0) {
		answer_error(c, pkt, len, m, DNS_RCODE_REFUSED);
		return;
	}
	if (nqueries >= DNS_MAX_QUERIES) {
		dns_stats.dropped++;
		log_limited(&lim_full, "%d queries outstanding, dropping one",
		    nqueries);
		return;
	}
	candidates_order(cand, n, engine_now());
	if ((q = calloc(1, sizeof(*q) + len)) == NULL)
		fatal("calloc");
	TAILQ_INIT(&q->waiters);
	q->hash = hash;
	q->key_flags = key_flags;
	q->gen = dns_running->gen;
	q->q = m->q;
	memcpy(q->bailiwick, group->domain, group->domain_len);
	q->blen = group->domain_len;
	memcpy(q->cand, cand, n * sizeof(*cand));
	q->ncand = n;
	q->max_tries = n > MIN_TRIES ? n : MIN_TRIES;
	q->fd = -1;
	q->qlen = len;
	memcpy(q->qbuf, pkt, len);
	evtimer_set(&q->timer, query_timeout, q);
	query_add_waiter(q, c, pkt, len);
	LIST_INSERT_HEAD(&inflight[hash % INFLIGHT_BUCKETS], q, hentry);
	TAILQ_INSERT_TAIL(&queries, q, entry);
	nqueries++;
	query_try(q);
}

/* 1 when a forwarder was named for a domain that holds the name */
static int
explicit_forwarder(const struct dns_question *q)
{
	struct forwarder	*f;

	TAILQ_FOREACH(f, &dns_running->forwarders, entry)
		if (f->labels > 0 && dns_name_is_below(q->qname,
		    q->qname_len, f->domain, f->domain_len))
			return 1;
	return 0;
}

/* 1 when local names or the blocks could answer: else skip the probes */
static int
local_wanted(void)
{
	return dns_running->local != NULL &&
	    (local_count(dns_running->local) > 0 || (dns_running->flags &
	    (DNS_BLOCK_PRIVATE_REVERSE | DNS_BLOCK_UNQUALIFIED)));
}

/* 1 when answered from local names, lease names or the cache */
static int
answer_here(struct client *c, const uint8_t *pkt, size_t len,
    const struct dns_msg *m)
{
	const struct local_store	*ls = NULL;
	size_t				 n;
	int				 explicit = 0;

	if (local_wanted()) {
		ls = dns_running->local;
		explicit = (dns_running->flags & DNS_BLOCK_PRIVATE_REVERSE) &&
		    explicit_forwarder(&m->q);
	}
	if ((n = leasenames_local_answer(ls, dns_leases, dns_running->domain,
	    dns_running->domain_len, m, pkt, len, explicit, out_buf,
	    sizeof(out_buf))) > 0) {
		dns_stats.local_answers++;
		answer_send(c, m, out_buf, n);
		return 1;
	}
	if (dns_cache != NULL && (n = cache_answer(dns_cache, m, pkt, len,
	    engine_now(), out_buf, sizeof(out_buf))) > 0) {
		answer_send(c, m, out_buf, n);
		return 1;
	}
	return 0;
}

void
query_receive(struct client *c, const uint8_t *pkt, size_t len)
{
	struct dns_msg	 m;
	struct query	*q;
	uint32_t	 hash;
	uint16_t	 key_flags;

	if (len < DNS_HEADER_LEN)
		return;
	/* an answer sent to a server is ignored, so two cannot loop */
	if (pkt[2] & (DNS_F_QR >> 8))
		return;
	switch (dns_msg_parse(pkt, len, &m)) {
	case DNS_PARSE_GARBAGE:
		return;
	case DNS_PARSE_FORMERR:
		answer_error(c, pkt, len, NULL, DNS_RCODE_FORMERR);
		return;
	case DNS_PARSE_OK:
		break;
	}
	dns_stats.queries++;
	if (DNS_OPCODE(m.hdr.flags) != 0) {
		answer_error(c, pkt, len, &m, DNS_RCODE_NOTIMP);
		return;
	}
	if (!question_plain(&m)) {
		answer_error(c, pkt, len, &m, DNS_RCODE_FORMERR);
		return;
	}
	if (answer_here(c, pkt, len, &m))
		return;
	key_flags = query_key_flags(&m);
	hash = inflight_hash(&m.q, key_flags);
	if ((q = inflight_find(&m, hash, key_flags)) != NULL &&
	    query_add_waiter(q, c, pkt, len) == 0) {
		dns_stats.coalesced++;
		return;
	}
	query_start(c, pkt, len, &m, hash, key_flags);
}

void
forward_init(void)
{
	size_t	 i;

	for (i = 0; i < INFLIGHT_BUCKETS; i++)
		LIST_INIT(&inflight[i]);
	inflight_seed = arc4random();
}

void
forward_shutdown(void)
{
	struct query	*q;

	while ((q = TAILQ_FIRST(&queries)) != NULL)
		query_free(q);
}
