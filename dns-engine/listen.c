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

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns_engine.h"
#include "log.h"
#include "proto.h"

/*
 * Clients: datagrams on the UDP listeners, and connections on the TCP
 * listeners that may carry many queries, answered in any order.
 */

#define TCP_MSG_MAX	(2 + DNS_MSG_MAX)
/* answers of every query in flight, with their length prefixes */
#define TCP_WBUF_MAX	((DNS_TCP_PIPELINE + 1) * TCP_MSG_MAX)

struct tcp_client {
	TAILQ_ENTRY(tcp_client)	 entry;
	int			 fd;
	struct listener		*l;
	struct event		 rev;
	struct event		 wev;
	struct event		 idle;
	int			 reading;
	int			 eof;		/* the client sent all it will */
	int			 dead;		/* closed, held by queries */
	int			 inflight;
	int			 refs;
	size_t			 rlen;
	uint8_t			 rbuf[TCP_MSG_MAX];
	uint8_t			*wbuf;
	size_t			 wlen;
	size_t			 woff;
};

static TAILQ_HEAD(, tcp_client)	 tcp_clients =
    TAILQ_HEAD_INITIALIZER(tcp_clients);
static int			 ntcp_clients;

static struct log_limit	 lim_accept, lim_recv, lim_send, lim_full;

static void	tcp_close(struct tcp_client *);
static void	tcp_update(struct tcp_client *);

static void
listener_unref(struct listener *l)
{
	if (--l->refs > 0 || !l->retired)
		return;
	close(l->fd);
	free(l);
}

void
client_hold(struct client *c)
{
	c->l->refs++;
	if (c->tcp != NULL) {
		c->tcp->refs++;
		c->tcp->inflight++;
		tcp_update(c->tcp);
	}
}

static void
tcp_unref(struct tcp_client *t)
{
	if (--t->refs > 0 || !t->dead)
		return;
	free(t->wbuf);
	free(t);
}

void
client_release(struct client *c)
{
	struct tcp_client	*t = c->tcp;

	if (t != NULL) {
		t->inflight--;
		if (!t->dead)
			tcp_update(t);
		tcp_unref(t);
	}
	listener_unref(c->l);
}

int
client_is_tcp(const struct client *c)
{
	return c->tcp != NULL;
}

/*
 * Datagrams are read and answered in batches: one recvmmsg for up to
 * DNS_UDP_BATCH queries, one sendmmsg for the answers they got at once
 * (cache hits, local names, errors).  Answers that come later, from
 * upstream, go out one by one.
 */
#define UDP_IN_MAX	4096	/* a longer datagram is cut, then FORMERR */
#define UDP_OUT_MAX	4096	/* dns_client_udp_max's ceiling */
#define UDP_ROUNDS	4	/* batches per wake-up, then others' turn */

static struct mmsghdr		 in_msgs[DNS_UDP_BATCH];
static struct iovec		 in_iov[DNS_UDP_BATCH];
static struct sockaddr_storage	 in_from[DNS_UDP_BATCH];
static uint8_t			 in_bufs[DNS_UDP_BATCH][UDP_IN_MAX];

static struct listener		*batch_l;	/* reading this one now */
static int			 nout;
static struct mmsghdr		 out_msgs[DNS_UDP_BATCH];
static struct iovec		 out_iov[DNS_UDP_BATCH];
static struct sockaddr_storage	 out_to[DNS_UDP_BATCH];
static uint8_t			 out_bufs[DNS_UDP_BATCH][UDP_OUT_MAX];

static void
udp_send(struct client *c, const uint8_t *pkt, size_t len)
{
	if (c->l == batch_l && nout < DNS_UDP_BATCH && len <= UDP_OUT_MAX) {
		memcpy(out_bufs[nout], pkt, len);
		memcpy(&out_to[nout], &c->from, c->fromlen);
		memset(&out_msgs[nout], 0, sizeof(out_msgs[nout]));
		out_iov[nout].iov_base = out_bufs[nout];
		out_iov[nout].iov_len = len;
		out_msgs[nout].msg_hdr.msg_iov = &out_iov[nout];
		out_msgs[nout].msg_hdr.msg_iovlen = 1;
		out_msgs[nout].msg_hdr.msg_name = &out_to[nout];
		out_msgs[nout].msg_hdr.msg_namelen = c->fromlen;
		nout++;
		return;
	}
	if (sendto(c->l->fd, pkt, len, MSG_NOSIGNAL,
	    (struct sockaddr *)&c->from, c->fromlen) == -1 &&
	    errno != EAGAIN)
		log_limited(&lim_send, "sendto: %s", strerror(errno));
}

static void
udp_flush(struct listener *l)
{
	int	 off = 0, n;

	while (off < nout) {
		n = sendmmsg(l->fd, out_msgs + off, nout - off, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				log_limited(&lim_send, "sendmmsg: %s",
				    strerror(errno));
			/* a full socket buffer: these answers are lost */
			break;
		}
		off += n;
	}
	nout = 0;
}

static void
tcp_send(struct tcp_client *t, const uint8_t *pkt, size_t len)
{
	uint8_t	*nbuf;

	if (t->dead)
		return;
	if (t->woff > 0) {
		memmove(t->wbuf, t->wbuf + t->woff, t->wlen - t->woff);
		t->wlen -= t->woff;
		t->woff = 0;
	}
	if (t->wlen + 2 + len > TCP_WBUF_MAX) {
		/* a client that does not read its answers is dropped */
		log_limited(&lim_full, "TCP client not reading, dropped");
		tcp_close(t);
		return;
	}
	if ((nbuf = realloc(t->wbuf, t->wlen + 2 + len)) == NULL)
		fatal("realloc");
	t->wbuf = nbuf;
	t->wbuf[t->wlen] = len >> 8;
	t->wbuf[t->wlen + 1] = len & 0xff;
	memcpy(t->wbuf + t->wlen + 2, pkt, len);
	t->wlen += 2 + len;
	tcp_update(t);
}

void
client_send(struct client *c, const uint8_t *pkt, size_t len)
{
	if (c->tcp != NULL)
		tcp_send(c->tcp, pkt, len);
	else
		udp_send(c, pkt, len);
}

static int
udp_recv_batch(int fd)
{
	int	 i;

	for (i = 0; i < DNS_UDP_BATCH; i++) {
		memset(&in_msgs[i], 0, sizeof(in_msgs[i]));
		in_iov[i].iov_base = in_bufs[i];
		in_iov[i].iov_len = sizeof(in_bufs[i]);
		in_msgs[i].msg_hdr.msg_iov = &in_iov[i];
		in_msgs[i].msg_hdr.msg_iovlen = 1;
		in_msgs[i].msg_hdr.msg_name = &in_from[i];
		in_msgs[i].msg_hdr.msg_namelen = sizeof(in_from[i]);
	}
	return recvmmsg(fd, in_msgs, DNS_UDP_BATCH, MSG_DONTWAIT, NULL);
}

static void
udp_read(int fd, short event, void *arg)
{
	struct listener	*l = arg;
	struct client	 c;
	int		 i, n, round;

	for (round = 0; round < UDP_ROUNDS; round++) {
		if ((n = udp_recv_batch(fd)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_limited(&lim_recv, "recvmmsg: %s",
				    strerror(errno));
			return;
		}
		batch_l = l;
		for (i = 0; i < n; i++) {
			memset(&c, 0, sizeof(c));
			c.l = l;
			memcpy(&c.from, &in_from[i], sizeof(c.from));
			c.fromlen = in_msgs[i].msg_hdr.msg_namelen;
			query_receive(&c, in_bufs[i], in_msgs[i].msg_len);
		}
		udp_flush(l);
		batch_l = NULL;
		if (n < DNS_UDP_BATCH)
			return;
	}
}

static void
tcp_close(struct tcp_client *t)
{
	if (t->dead)
		return;
	event_del(&t->rev);
	event_del(&t->wev);
	evtimer_del(&t->idle);
	close(t->fd);
	t->fd = -1;
	t->dead = 1;
	TAILQ_REMOVE(&tcp_clients, t, entry);
	ntcp_clients--;
	listener_unref(t->l);
	/* the queries in flight may still hold it */
	tcp_unref(t);
}

static void
tcp_touch(struct tcp_client *t)
{
	struct timeval	 tv = { DNS_TCP_IDLE_SEC, 0 };

	evtimer_add(&t->idle, &tv);
}

/*
 * Read while fewer than DNS_TCP_PIPELINE queries are in flight and the
 * client has not finished; write while answers wait; close once the
 * client is done and everything is answered.
 */
static void
tcp_update(struct tcp_client *t)
{
	int	 want_read;

	if (t->dead)
		return;
	if (t->eof && t->inflight == 0 && t->wlen == t->woff) {
		tcp_close(t);
		return;
	}
	want_read = !t->eof && t->inflight < DNS_TCP_PIPELINE;
	if (want_read && !t->reading)
		event_add(&t->rev, NULL);
	else if (!want_read && t->reading)
		event_del(&t->rev);
	t->reading = want_read;
	if (t->wlen > t->woff)
		event_add(&t->wev, NULL);
}

/* hand every whole message in the buffer to the resolver */
static void
tcp_messages(struct tcp_client *t)
{
	struct client	 c;
	size_t		 mlen, off = 0;

	while (!t->dead && t->rlen - off >= 2 &&
	    t->inflight < DNS_TCP_PIPELINE) {
		mlen = (size_t)t->rbuf[off] << 8 | t->rbuf[off + 1];
		if (mlen < DNS_HEADER_LEN) {
			log_debug("TCP client: message of %zu bytes, closing",
			    mlen);
			tcp_close(t);
			return;
		}
		if (t->rlen - off - 2 < mlen)
			break;
		memset(&c, 0, sizeof(c));
		c.l = t->l;
		c.tcp = t;
		query_receive(&c, t->rbuf + off + 2, mlen);
		off += 2 + mlen;
	}
	if (t->dead)
		return;
	memmove(t->rbuf, t->rbuf + off, t->rlen - off);
	t->rlen -= off;
}

static void
tcp_read(int fd, short event, void *arg)
{
	struct tcp_client	*t = arg;
	ssize_t			 n;

	n = read(fd, t->rbuf + t->rlen, sizeof(t->rbuf) - t->rlen);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		log_debug("TCP client: read: %s", strerror(errno));
		tcp_close(t);
		return;
	}
	if (n == 0) {
		t->eof = 1;
		tcp_update(t);
		return;
	}
	t->rlen += n;
	tcp_touch(t);
	t->refs++;
	tcp_messages(t);
	tcp_update(t);
	tcp_unref(t);
}

static void
tcp_write(int fd, short event, void *arg)
{
	struct tcp_client	*t = arg;
	ssize_t			 n;

	n = send(fd, t->wbuf + t->woff, t->wlen - t->woff, MSG_NOSIGNAL);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		log_debug("TCP client: write: %s", strerror(errno));
		tcp_close(t);
		return;
	}
	t->woff += n;
	tcp_touch(t);
	if (t->woff == t->wlen) {
		t->woff = t->wlen = 0;
		event_del(&t->wev);
	}
	tcp_update(t);
}

static void
tcp_idle(int fd, short event, void *arg)
{
	struct tcp_client	*t = arg;

	if (t->inflight > 0) {
		tcp_touch(t);
		return;
	}
	log_debug("TCP client idle, closing");
	tcp_close(t);
}

static void
tcp_accept(int fd, short event, void *arg)
{
	struct listener		*l = arg;
	struct tcp_client	*t;
	int			 s;

	if ((s = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_limited(&lim_accept, "accept: %s",
			    strerror(errno));
		return;
	}
	if (ntcp_clients >= DNS_MAX_TCP_CLIENTS) {
		log_limited(&lim_accept, "too many TCP clients, refusing one");
		close(s);
		return;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		fatal("calloc");
	t->fd = s;
	t->l = l;
	t->refs = 1;
	l->refs++;
	event_set(&t->rev, s, EV_READ | EV_PERSIST, tcp_read, t);
	event_set(&t->wev, s, EV_WRITE | EV_PERSIST, tcp_write, t);
	evtimer_set(&t->idle, tcp_idle, t);
	TAILQ_INSERT_TAIL(&tcp_clients, t, entry);
	ntcp_clients++;
	tcp_touch(t);
	tcp_update(t);
}

void
listener_start(struct listener *l)
{
	if (l->proto == LISTEN_TCP)
		event_set(&l->ev, l->fd, EV_READ | EV_PERSIST, tcp_accept, l);
	else
		event_set(&l->ev, l->fd, EV_READ | EV_PERSIST, udp_read, l);
	event_add(&l->ev, NULL);
	l->armed = 1;
}

void
listener_retire(struct listener *l)
{
	if (l->armed)
		event_del(&l->ev);
	l->armed = 0;
	l->retired = 1;
	/* the configuration's reference; clients may hold more */
	listener_unref(l);
}
