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

#ifndef MOAT_IMSG_H
#define MOAT_IMSG_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

/*
 * Framed messages over a Unix stream socket.  Every frame is a fixed
 * header followed by hdr.len - IMSG_HDR_SIZE bytes of payload; a frame may
 * carry one descriptor, passed with SCM_RIGHTS alongside its first byte.
 * All integers in the header are in host byte order: both ends are on
 * the same machine.
 */

#define IMSGF_HASFD		0x0001	/* a descriptor travels with the frame */

struct imsg_hdr {
	uint32_t	type;
	uint32_t	len;		/* header and payload, in bytes */
	uint32_t	flags;		/* IMSGF_* */
	uint32_t	peerid;
	uint32_t	pid;
};

#define IMSG_HDR_SIZE		sizeof(struct imsg_hdr)
#define IMSG_MAX_PAYLOAD	(64 * 1024 + 1024)
#define IMSG_MAX_FRAME		(IMSG_HDR_SIZE + IMSG_MAX_PAYLOAD)
/* compose fails with ENOBUFS once this much waits to be written */
#define IMSG_MAX_QUEUED		(16 * 1024 * 1024)
/* descriptors received but not yet claimed by a frame */
#define IMSG_MAX_FDS		64

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 when the frame had none */
	void		*data;		/* payload, NULL when len is 0 */
	size_t		 len;		/* payload length */
};

struct imsg_out {
	TAILQ_ENTRY(imsg_out)	 entry;
	int			 fd;	/* -1, or sent with the first byte */
	size_t			 len;
	size_t			 off;	/* bytes already written */
	unsigned char		 buf[];
};

struct imsgbuf {
	int			 fd;
	pid_t			 pid;	/* stamped on composed frames */
	/* read side */
	unsigned char		 rbuf[2 * IMSG_MAX_FRAME];
	size_t			 rlen;	/* bytes held in rbuf */
	size_t			 roff;	/* start of the first unconsumed frame */
	int			 rfds[IMSG_MAX_FDS];
	int			 nrfds;
	/* write side */
	TAILQ_HEAD(, imsg_out)	 wq;
	size_t			 wqueued;	/* bytes queued, all frames */
};

/* Takes a connected, non-blocking socket; the buffer does not own it. */
void	imsgbuf_init(struct imsgbuf *, int);
/* Frees queued frames and closes descriptors not yet delivered. */
void	imsgbuf_clear(struct imsgbuf *);

/*
 * Queue a frame.  fd is -1 or a descriptor whose ownership passes to
 * the buffer (closed once sent, or on clear, or here on failure).
 * Returns 0, or -1 with errno EMSGSIZE (payload too long), ENOBUFS
 * (queue full) or ENOMEM.
 */
int	imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);

/*
 * Read what the socket holds.  Returns the number of bytes read, 0 on
 * end of file, -1 on error (errno EAGAIN when there is nothing now).
 */
ssize_t	imsg_read(struct imsgbuf *);

/*
 * Write as much of the queue as the socket takes.  Returns 0 (the queue
 * may still hold frames: see imsg_queued) or -1 on error; EAGAIN is not
 * an error.
 */
int	imsg_write(struct imsgbuf *);
/* Blocking-style helper: loop imsg_write until empty (poll on EAGAIN). */
int	imsg_flush(struct imsgbuf *);
size_t	imsg_queued(const struct imsgbuf *);

/*
 * Take the next complete frame.  Returns 1 and fills imsg (free it with
 * imsg_free), 0 when no complete frame is held, or -1 with errno EBADMSG
 * when the stream is malformed (a length below the header or above
 * IMSG_MAX_FRAME, unknown flags, or a frame that claims a descriptor that
 * never came): the peer is broken and the connection must be dropped.
 * The caller owns imsg->fd: imsg_free leaves it open.
 */
int	imsg_get(struct imsgbuf *, struct imsg *);
void	imsg_free(struct imsg *);

/*
 * libevent glue.  dispatch is called for each frame (the glue frees the
 * imsg afterwards, and closes imsg->fd unless dispatch took it and set it
 * to -1); it returns 0, or -1 when the frame was bad, and then
 * the glue stops reading and drops the connection.  closed is called once
 * when the peer hangs up, errs, sends a malformed stream or a bad frame,
 * after which the glue never touches the imsgev again (closed may free it
 * and must call imsgev_clear).  The socket must be non-blocking.
 */
struct imsgev;
typedef int	(*imsgev_dispatch_cb)(struct imsgev *, struct imsg *, void *);
typedef void	(*imsgev_closed_cb)(struct imsgev *, void *);

struct imsgev {
	struct imsgbuf		 ibuf;
	void			*ev;	/* struct event *, owned */
	short			 events;
	imsgev_dispatch_cb	 dispatch;
	imsgev_closed_cb	 closed;
	void			*arg;
};

/* Allocates the event on the current event base and arms EV_READ. */
int	imsgev_init(struct imsgev *, int, imsgev_dispatch_cb,
	    imsgev_closed_cb, void *);
/* Compose and arm EV_WRITE.  Same returns as imsg_compose. */
int	imsgev_compose(struct imsgev *, uint32_t, uint32_t, int,
	    const void *, size_t);
/* Delete the event, clear the buffer and close the socket. */
void	imsgev_clear(struct imsgev *);

#endif /* MOAT_IMSG_H */
