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
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/* frames gathered into one sendmsg */
#define IMSG_WRITE_IOV	64

static void	imsg_close_keep_errno(int);
static void	imsg_take_fds(struct imsgbuf *, struct msghdr *);
static ssize_t	imsg_sendmsg(struct imsgbuf *);
static void	imsg_consume(struct imsgbuf *, size_t);

void
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	ibuf->fd = fd;
	ibuf->pid = getpid();
	ibuf->rlen = 0;
	ibuf->roff = 0;
	ibuf->nrfds = 0;
	TAILQ_INIT(&ibuf->wq);
	ibuf->wqueued = 0;
}

void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct imsg_out	*out;
	int		 i;

	while ((out = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		TAILQ_REMOVE(&ibuf->wq, out, entry);
		if (out->fd != -1)
			close(out->fd);
		free(out);
	}
	ibuf->wqueued = 0;
	for (i = 0; i < ibuf->nrfds; i++)
		close(ibuf->rfds[i]);
	ibuf->nrfds = 0;
	ibuf->rlen = 0;
	ibuf->roff = 0;
}

static void
imsg_close_keep_errno(int fd)
{
	int	 saved = errno;

	if (fd != -1)
		close(fd);
	errno = saved;
}

int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t len)
{
	struct imsg_hdr	 hdr;
	struct imsg_out	*out;
	size_t		 frame;

	if (len > IMSG_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		goto fail;
	}
	if (len > 0 && data == NULL) {
		errno = EINVAL;
		goto fail;
	}
	frame = IMSG_HDR_SIZE + len;
	if (ibuf->wqueued + frame > IMSG_MAX_QUEUED) {
		errno = ENOBUFS;
		goto fail;
	}
	if ((out = malloc(sizeof(*out) + frame)) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = frame;
	hdr.flags = fd == -1 ? 0 : IMSGF_HASFD;
	hdr.peerid = peerid;
	hdr.pid = pid != 0 ? pid : ibuf->pid;
	memcpy(out->buf, &hdr, sizeof(hdr));
	if (len > 0)
		memcpy(out->buf + IMSG_HDR_SIZE, data, len);
	out->fd = fd;
	out->len = frame;
	out->off = 0;
	TAILQ_INSERT_TAIL(&ibuf->wq, out, entry);
	ibuf->wqueued += frame;
	return 0;

 fail:
	imsg_close_keep_errno(fd);
	return -1;
}

size_t
imsg_queued(const struct imsgbuf *ibuf)
{
	return ibuf->wqueued;
}

/*
 * One sendmsg for the head of the queue and the frames after it, up to
 * the next frame that carries a descriptor: that one must start a
 * sendmsg of its own so its descriptor travels with its first byte.
 */
static ssize_t
imsg_sendmsg(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		unsigned char	 buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec	 iov[IMSG_WRITE_IOV];
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct imsg_out	*first, *out;
	int		 n = 0;

	first = TAILQ_FIRST(&ibuf->wq);
	TAILQ_FOREACH(out, &ibuf->wq, entry) {
		if (n == IMSG_WRITE_IOV || (out != first && out->fd != -1))
			break;
		iov[n].iov_base = out->buf + out->off;
		iov[n].iov_len = out->len - out->off;
		n++;
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = n;
	if (first->fd != -1 && first->off == 0) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &first->fd, sizeof(int));
	}
	return sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL);
}

/* account for n bytes the socket took from the head of the queue */
static void
imsg_consume(struct imsgbuf *ibuf, size_t n)
{
	struct imsg_out	*out;
	size_t		 chunk;

	while (n > 0 && (out = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		chunk = out->len - out->off;
		if (chunk > n)
			chunk = n;
		/* the peer holds its own copy once the first byte is out */
		if (out->fd != -1) {
			close(out->fd);
			out->fd = -1;
		}
		out->off += chunk;
		ibuf->wqueued -= chunk;
		n -= chunk;
		if (out->off == out->len) {
			TAILQ_REMOVE(&ibuf->wq, out, entry);
			free(out);
		}
	}
}

int
imsg_write(struct imsgbuf *ibuf)
{
	ssize_t	 n;

	while (!TAILQ_EMPTY(&ibuf->wq)) {
		if ((n = imsg_sendmsg(ibuf)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		imsg_consume(ibuf, n);
	}
	return 0;
}

int
imsg_flush(struct imsgbuf *ibuf)
{
	struct pollfd	 pfd;

	for (;;) {
		if (imsg_write(ibuf) == -1)
			return -1;
		if (imsg_queued(ibuf) == 0)
			return 0;
		pfd.fd = ibuf->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
}

/*
 * Keep the descriptors that came with a read.  A peer that sends more
 * than a frame can claim loses the extras.
 */
static void
imsg_take_fds(struct imsgbuf *ibuf, struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	unsigned char	*p;
	size_t		 i, nfds;
	int		 fd;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		p = CMSG_DATA(cmsg);
		for (i = 0; i < nfds; i++) {
			memcpy(&fd, p + i * sizeof(int), sizeof(int));
			if ((msg->msg_flags & MSG_CTRUNC) ||
			    ibuf->nrfds >= IMSG_MAX_FDS)
				close(fd);
			else
				ibuf->rfds[ibuf->nrfds++] = fd;
		}
	}
}

ssize_t
imsg_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		unsigned char	 buf[CMSG_SPACE(sizeof(int) * IMSG_MAX_FDS)];
	} cmsgbuf;
	struct iovec	 iov;
	struct msghdr	 msg;
	size_t		 room;
	ssize_t		 n;

	if (ibuf->roff > 0) {
		memmove(ibuf->rbuf, ibuf->rbuf + ibuf->roff,
		    ibuf->rlen - ibuf->roff);
		ibuf->rlen -= ibuf->roff;
		ibuf->roff = 0;
	}
	/* a zero-length read would look like end of file */
	if ((room = sizeof(ibuf->rbuf) - ibuf->rlen) == 0) {
		errno = ENOBUFS;
		return -1;
	}
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = room;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	do {
		n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	imsg_take_fds(ibuf, &msg);
	if (msg.msg_flags & MSG_CTRUNC) {
		/* descriptors were lost: frames and fds no longer pair up */
		errno = EBADMSG;
		return -1;
	}
	ibuf->rlen += n;
	return n;
}

int
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	size_t		 avail, plen;
	void		*data = NULL;

	avail = ibuf->rlen - ibuf->roff;
	if (avail < IMSG_HDR_SIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf + ibuf->roff, sizeof(hdr));
	if (hdr.len < IMSG_HDR_SIZE || hdr.len > IMSG_MAX_FRAME ||
	    (hdr.flags & ~IMSGF_HASFD) != 0) {
		errno = EBADMSG;
		return -1;
	}
	/* the descriptor travels with the first byte: it must be here */
	if ((hdr.flags & IMSGF_HASFD) && ibuf->nrfds == 0) {
		errno = EBADMSG;
		return -1;
	}
	if (avail < hdr.len)
		return 0;
	plen = hdr.len - IMSG_HDR_SIZE;
	if (plen > 0) {
		if ((data = malloc(plen)) == NULL)
			return -1;
		memcpy(data, ibuf->rbuf + ibuf->roff + IMSG_HDR_SIZE, plen);
	}
	imsg->hdr = hdr;
	imsg->data = data;
	imsg->len = plen;
	imsg->fd = -1;
	if (hdr.flags & IMSGF_HASFD) {
		imsg->fd = ibuf->rfds[0];
		ibuf->nrfds--;
		memmove(ibuf->rfds, ibuf->rfds + 1,
		    ibuf->nrfds * sizeof(ibuf->rfds[0]));
	}
	ibuf->roff += hdr.len;
	if (ibuf->roff == ibuf->rlen) {
		ibuf->roff = 0;
		ibuf->rlen = 0;
	}
	return 1;
}

/* The descriptor in imsg->fd, if any, is the caller's: it stays open. */
void
imsg_free(struct imsg *imsg)
{
	free(imsg->data);
	imsg->data = NULL;
	imsg->len = 0;
}
