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

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <unistd.h>

#include "imsg.h"

static int	imsgev_arm(struct imsgev *);
static int	imsgev_read(struct imsgev *);
static void	imsgev_cb(int, short, void *);

/* EV_READ always, EV_WRITE while frames wait; re-add only on change */
static int
imsgev_arm(struct imsgev *iev)
{
	short	 events = EV_READ | EV_PERSIST;

	if (imsg_queued(&iev->ibuf) > 0)
		events |= EV_WRITE;
	if (events == iev->events)
		return 0;
	if (iev->events != 0)
		event_del(iev->ev);
	iev->events = 0;
	event_set(iev->ev, iev->ibuf.fd, events, imsgev_cb, iev);
	if (event_add(iev->ev, NULL) == -1)
		return -1;
	iev->events = events;
	return 0;
}

/* 0 to go on, -1 when the connection is done for */
static int
imsgev_read(struct imsgev *iev)
{
	struct imsg	 imsg;
	ssize_t		 n;
	int		 rv;

	n = imsg_read(&iev->ibuf);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK))
		return -1;
	for (;;) {
		if ((rv = imsg_get(&iev->ibuf, &imsg)) == -1)
			return -1;
		if (rv == 0)
			return 0;
		rv = iev->dispatch(iev, &imsg, iev->arg);
		/* a descriptor the receiver did not take is not leaked */
		if (imsg.fd != -1)
			close(imsg.fd);
		imsg_free(&imsg);
		/* a dispatch that cleared its imsgev has ended it too */
		if (rv == -1 || iev->ev == NULL)
			return -1;
	}
}

static void
imsgev_cb(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;

	/* read first: a peer that said something and left is still heard */
	if ((event & EV_READ) && imsgev_read(iev) == -1)
		goto closed;
	if ((event & EV_WRITE) && imsg_write(&iev->ibuf) == -1)
		goto closed;
	if (imsgev_arm(iev) == -1)
		goto closed;
	return;

 closed:
	/* closed may free iev: nothing here may touch it afterwards */
	iev->closed(iev, iev->arg);
}

int
imsgev_init(struct imsgev *iev, int fd, imsgev_dispatch_cb dispatch,
    imsgev_closed_cb closed, void *arg)
{
	imsgbuf_init(&iev->ibuf, fd);
	iev->dispatch = dispatch;
	iev->closed = closed;
	iev->arg = arg;
	iev->events = 0;
	if ((iev->ev = malloc(sizeof(struct event))) == NULL)
		return -1;
	if (imsgev_arm(iev) == -1) {
		free(iev->ev);
		iev->ev = NULL;
		return -1;
	}
	return 0;
}

int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (iev->ev == NULL) {
		/* cleared: nobody will ever send this */
		if (fd != -1)
			close(fd);
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose(&iev->ibuf, type, peerid, 0, fd, data, len) == -1)
		return -1;
	return imsgev_arm(iev);
}

void
imsgev_clear(struct imsgev *iev)
{
	if (iev->ev != NULL) {
		if (iev->events != 0)
			event_del(iev->ev);
		free(iev->ev);
		iev->ev = NULL;
	}
	iev->events = 0;
	imsgbuf_clear(&iev->ibuf);
	if (iev->ibuf.fd != -1) {
		close(iev->ibuf.fd);
		iev->ibuf.fd = -1;
	}
}
