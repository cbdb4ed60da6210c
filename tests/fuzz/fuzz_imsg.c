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
 * The receiving end of an imsg channel fed whatever a compromised peer
 * could write: the stream goes through a real socket, is cut into frames
 * and each frame is checked against the protocol, as every moatd process
 * does.  Nothing may crash, read past what arrived or leak.
 *
 * proto_check logs each refused frame to standard error; log.h has no
 * switch to silence warnings, so long runs want -close_fd_mask=2.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "imsg.h"
#include "log.h"
#include "proto.h"

/*
 * rbuf is far larger than what arrived: under AddressSanitizer its
 * unfilled part is poisoned, so reading past rlen is caught too.
 */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN	1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define FUZZ_POISON(p, n)	__asan_poison_memory_region((p), (n))
#define FUZZ_UNPOISON(p, n)	__asan_unpoison_memory_region((p), (n))
#else
#define FUZZ_POISON(p, n)	((void)(p), (void)(n))
#define FUZZ_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

/* more than a socket buffer: the tail of a longer input is dropped */
#define FUZZ_MAX_INPUT	(256 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_feed(int, const uint8_t *, size_t);
static ssize_t	fuzz_read(struct imsgbuf *);
static void	fuzz_drain(struct imsgbuf *);

/* write what the socket takes without blocking */
static void
fuzz_feed(int s, const uint8_t *data, size_t size)
{
	size_t	 off = 0;
	ssize_t	 n;

	if (size > FUZZ_MAX_INPUT)
		size = FUZZ_MAX_INPUT;
	while (off < size) {
		if ((n = write(s, data + off, size - off)) <= 0)
			return;
		off += n;
	}
}

static ssize_t
fuzz_read(struct imsgbuf *ibuf)
{
	ssize_t	 n;

	FUZZ_UNPOISON(ibuf->rbuf, sizeof(ibuf->rbuf));
	n = imsg_read(ibuf);
	FUZZ_POISON(ibuf->rbuf + ibuf->rlen, sizeof(ibuf->rbuf) - ibuf->rlen);
	return n;
}

static void
fuzz_drain(struct imsgbuf *ibuf)
{
	struct imsg	 imsg;
	int		 rv;

	while (fuzz_read(ibuf) > 0) {
		while ((rv = imsg_get(ibuf, &imsg)) == 1) {
			proto_check(&imsg, "fuzz");
			if (imsg.fd != -1)
				close(imsg.fd);
			imsg_free(&imsg);
		}
		if (rv == -1)
			return;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 initialized;
	struct imsgbuf	*ibuf;
	int		 sv[2];

	if (!initialized) {
		log_init(1, LOG_DAEMON);
		log_setverbose(0);
		initialized = 1;
	}
	if ((ibuf = malloc(sizeof(*ibuf))) == NULL)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sv) == -1) {
		free(ibuf);
		return 0;
	}
	fuzz_feed(sv[0], data, size);
	/* the reader then sees the end of the stream, not EAGAIN */
	close(sv[0]);
	imsgbuf_init(ibuf, sv[1]);
	fuzz_drain(ibuf);
	FUZZ_UNPOISON(ibuf->rbuf, sizeof(ibuf->rbuf));
	imsgbuf_clear(ibuf);
	close(sv[1]);
	free(ibuf);
	return 0;
}
