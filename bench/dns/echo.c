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
 * The reference of the benchmark: the least a UDP DNS server can do per
 * query.  It reads queries in batches with recvmmsg(2), turns each into
 * an "answer" by setting QR and RA in place, and sends the batch back
 * with sendmmsg(2).  No parsing, no lookup: what a real server spends
 * above this is the cost of its own work.
 *
 * usage: echo address port
 */

#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH	64
#define BUFLEN	4096

static unsigned char		bufs[BATCH][BUFLEN];
static struct sockaddr_storage	peers[BATCH];
static struct iovec		iovs[BATCH];
static struct mmsghdr		msgs[BATCH];
static struct mmsghdr		out[BATCH];

static int	open_socket(const char *, const char *);
static void	serve(int);

int
main(int argc, char *argv[])
{
	int	s;

	if (argc != 3) {
		fprintf(stderr, "usage: echo address port\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	s = open_socket(argv[1], argv[2]);
	serve(s);
	return 0;
}

static int
open_socket(const char *addr, const char *port)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
	char			*end;
	long			p;
	int			s;

	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p <= 0 || p > 65535)
		errx(1, "bad port %s", port);
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(p);
		if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
			err(1, "socket");
		if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "bind %s", addr);
		return s;
	}
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(p);
		if ((s = socket(AF_INET6, SOCK_DGRAM, 0)) == -1)
			err(1, "socket");
		if (bind(s, (struct sockaddr *)&sin6, sizeof(sin6)) == -1)
			err(1, "bind %s", addr);
		return s;
	}
	errx(1, "bad address %s", addr);
}

static void
serve(int s)
{
	int	i, m, n, sent, r;

	for (;;) {
		for (i = 0; i < BATCH; i++) {
			iovs[i].iov_base = bufs[i];
			iovs[i].iov_len = BUFLEN;
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_name = &peers[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(peers[i]);
			msgs[i].msg_hdr.msg_iov = &iovs[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(s, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "recvmmsg");
		}
		for (i = 0, m = 0; i < n; i++) {
			/* shorter than a header: nothing to answer */
			if (msgs[i].msg_len < 12)
				continue;
			bufs[i][2] |= 0x80;	/* QR */
			bufs[i][3] |= 0x80;	/* RA */
			iovs[i].iov_len = msgs[i].msg_len;
			out[m++] = msgs[i];
		}
		for (sent = 0; sent < m; sent += r) {
			r = sendmmsg(s, out + sent, m - sent, 0);
			if (r == -1) {
				if (errno == EINTR) {
					r = 0;
					continue;
				}
				/* a full send buffer drops the rest, as UDP may */
				break;
			}
			if (r == 0)
				break;
		}
	}
}
