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

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "dns_engine.h"
#include "log.h"
#include "proto.h"

/*
 * Forwarding: each query goes to the forwarders that serve the longest
 * domain above its name, one try at a time, each try from a fresh socket
 * on a random port with a random ID.  An answer counts only when it comes
 * from the address asked and carries that ID and the question asked.
 */

#define TRY_UDP_MS		1000
#define TRY_TCP_MS		2000
#define MAX_CANDIDATES		8
#define MIN_TRIES		3	/* a lone forwarder is asked thrice */
#define PORT_TRIES		10
#define PORT_FIRST		1024

struct upstream {
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
	int			 failed;	/* answered badly: skip */
};

struct query {
	TAILQ_ENTRY(query)	 entry;
	struct client		 c;
	uint16_t		 client_id;
	uint16_t		 up_id;
	size_t			 udp_max;	/* the client's, for UDP */
	struct dns_question	 q;
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
	uint8_t			*tbuf;		/* TCP: out, then in */
	size_t			 tlen;
	size_t			 toff;
	size_t			 qlen;
	uint8_t			 qbuf[];	/* the client's query */
};

static TAILQ_HEAD(, query)	 queries = TAILQ_HEAD_INITIALIZER(queries);
static int			 nqueries;
static uint8_t			 answer_buf[DNS_MSG_MAX];

static struct log_limit	 lim_full, lim_spoof, lim_socket;

static void	query_try(struct query *);
static void	query_try_tcp(struct query *);

static void
answer_error(struct client *c, const uint8_t *pkt, size_t len,
    const struct dns_msg *m, uint16_t rcode)
{
	uint8_t	 out[DNS_UDP_MIN];
	size_t	 n;

	if ((n = dns_make_error(pkt, len, m, rcode, out, sizeof(out))) > 0)
		client_send(c, out, n);
}

/* the forwarders of the longest domain that holds the name */
static int
candidates(const struct dns_question *q, struct upstream *cand)
{
	struct forwarder	*f;
	struct upstream		 tmp[MAX_CANDIDATES];
	int			 best = -1, n = 0, i, start;

	TAILQ_FOREACH(f, &dns_running->forwarders, entry) {
		if (f->labels < best || !dns_name_is_below(q->qname,
		    q->qname_len, f->domain, f->domain_len))
			continue;
		if (f->labels > best) {
			best = f->labels;
			n = 0;
		}
		if (n == MAX_CANDIDATES)
			continue;
		memset(&cand[n], 0, sizeof(cand[n]));
		cand[n].addr = f->addr;
		cand[n].addrlen = f->addrlen;
		n++;
	}
	if (n < 2 || dns_running->strategy != STRATEGY_ROUND_ROBIN)
		return n;
	start = dns_running->rr_next++ % n;
	for (i = 0; i < n; i++)
		tmp[i] = cand[(start + i) % n];
	memcpy(cand, tmp, n * sizeof(*cand));
	return n;
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
query_free(struct query *q)
{
	query_close_upstream(q);
	client_release(&q->c);
	TAILQ_REMOVE(&queries, q, entry);
	nqueries--;
	free(q);
}

static void
query_fail(struct query *q)
{
	struct dns_msg	 m;

	/* the query parsed once; parse it again rather than keep it */
	q->qbuf[0] = q->client_id >> 8;
	q->qbuf[1] = q->client_id & 0xff;
	if (dns_msg_parse(q->qbuf, q->qlen, &m) != DNS_PARSE_OK)
		fatalx("%s: a query that parsed no longer does", __func__);
	answer_error(&q->c, q->qbuf, q->qlen, &m, DNS_RCODE_SERVFAIL);
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

static void
query_new_id(struct query *q)
{
	q->up_id = arc4random() & 0xffff;
	q->qbuf[0] = q->up_id >> 8;
	q->qbuf[1] = q->up_id & 0xff;
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
	if (am->q.qtype != q->q.qtype || am->q.qclass != q->q.qclass)
		return -1;
	if (!dns_name_equal(am->q.qname, am->q.qname_len, q->q.qname,
	    q->q.qname_len))
		return -1;
	return 0;
}

static void
query_deliver(struct query *q, uint8_t *pkt, size_t len,
    const struct dns_msg *am)
{
	size_t	 n;

	if (!client_is_tcp(&q->c) && len > q->udp_max) {
		if ((n = dns_truncate(pkt, len, am, q->udp_max)) == 0) {
			query_fail(q);
			return;
		}
		len = n;
	}
	pkt[0] = q->client_id >> 8;
	pkt[1] = q->client_id & 0xff;
	client_send(&q->c, pkt, len);
	query_free(q);
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
	if (rcode == DNS_RCODE_SERVFAIL || rcode == DNS_RCODE_REFUSED) {
		log_debug("forwarder answered rcode %u, trying the next",
		    rcode);
		q->cand[q->cur].failed = 1;
		query_try(q);
		return;
	}
	query_deliver(q, pkt, len, am);
}

/* this try failed in a way that asking this forwarder again won't fix */
static void
query_try_failed(struct query *q, const char *why)
{
	log_debug("forwarder try failed: %s", why);
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
	event_set(&q->ev, q->fd, EV_WRITE | EV_PERSIST, tcp_upstream_write,
	    q);
	event_add(&q->ev, NULL);
	query_arm_timer(q, TRY_TCP_MS);
}

static int
query_send_udp(struct query *q)
{
	if ((q->fd = upstream_socket(q, SOCK_DGRAM)) == -1)
		return -1;
	query_new_id(q);
	if (send(q->fd, q->qbuf, q->qlen, 0) == -1) {
		log_debug("send: %s", strerror(errno));
		close(q->fd);
		q->fd = -1;
		return -1;
	}
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
		q->cand[idx].failed = 1;
	}
	query_fail(q);
}

static void
query_timeout(int fd, short event, void *arg)
{
	struct query	*q = arg;

	log_debug("forwarder did not answer in time");
	query_try(q);
}

static void
query_start(struct client *c, const uint8_t *pkt, size_t len,
    const struct dns_msg *m)
{
	struct upstream	 cand[MAX_CANDIDATES];
	struct query	*q;
	int		 n;

	if ((n = candidates(&m->q, cand)) == 0) {
		answer_error(c, pkt, len, m, DNS_RCODE_REFUSED);
		return;
	}
	if (nqueries >= DNS_MAX_QUERIES) {
		log_limited(&lim_full, "%d queries outstanding, dropping one",
		    nqueries);
		return;
	}
	if ((q = calloc(1, sizeof(*q) + len)) == NULL)
		fatal("calloc");
	q->c = *c;
	q->client_id = m->hdr.id;
	q->udp_max = dns_client_udp_max(m);
	q->q = m->q;
	memcpy(q->cand, cand, n * sizeof(*cand));
	q->ncand = n;
	q->max_tries = n > MIN_TRIES ? n : MIN_TRIES;
	q->fd = -1;
	q->qlen = len;
	memcpy(q->qbuf, pkt, len);
	evtimer_set(&q->timer, query_timeout, q);
	client_hold(&q->c);
	TAILQ_INSERT_TAIL(&queries, q, entry);
	nqueries++;
	query_try(q);
}

void
query_receive(struct client *c, const uint8_t *pkt, size_t len)
{
	struct dns_msg	 m;

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
	if (DNS_OPCODE(m.hdr.flags) != 0) {
		answer_error(c, pkt, len, &m, DNS_RCODE_NOTIMP);
		return;
	}
	if (!m.has_question) {
		answer_error(c, pkt, len, &m, DNS_RCODE_FORMERR);
		return;
	}
	query_start(c, pkt, len, &m);
}

void
forward_shutdown(void)
{
	struct query	*q;

	while ((q = TAILQ_FIRST(&queries)) != NULL)
		query_free(q);
}
