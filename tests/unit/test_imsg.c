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

#include <dirent.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "imsg.h"

/*
 * Under AddressSanitizer the bytes of rbuf beyond what arrived are
 * poisoned, so a parser that looks past rlen is caught.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN	1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* a socketpair with a writing buffer on sv[0] and a reading one on sv[1] */
struct pair {
	int		 sv[2];
	struct imsgbuf	*w;
	struct imsgbuf	*r;
};

static void
guard_rbuf(struct imsgbuf *ibuf)
{
#ifdef TEST_ASAN
	size_t	 room = sizeof(ibuf->rbuf) - ibuf->rlen;

	if (room == 0)
		return;
	__asan_poison_memory_region(ibuf->rbuf + ibuf->rlen, room);
	assert_true(__asan_address_is_poisoned(ibuf->rbuf + ibuf->rlen));
#endif
}

static void
unguard_rbuf(struct imsgbuf *ibuf)
{
#ifdef TEST_ASAN
	__asan_unpoison_memory_region(ibuf->rbuf, sizeof(ibuf->rbuf));
#endif
}

/* imsg_read with the unfilled part of rbuf out of bounds */
static ssize_t
guarded_read(struct imsgbuf *ibuf)
{
	ssize_t	 n;
	int	 saved;

	unguard_rbuf(ibuf);
	n = imsg_read(ibuf);
	saved = errno;
	guard_rbuf(ibuf);
	errno = saved;
	return n;
}

static int
pair_setup(void **state)
{
	struct pair	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    p->sv) == -1)
		return -1;
	p->w = malloc(sizeof(*p->w));
	p->r = malloc(sizeof(*p->r));
	if (p->w == NULL || p->r == NULL)
		return -1;
	imsgbuf_init(p->w, p->sv[0]);
	imsgbuf_init(p->r, p->sv[1]);
	guard_rbuf(p->r);
	*state = p;
	return 0;
}

static int
pair_teardown(void **state)
{
	struct pair	*p = *state;

	unguard_rbuf(p->r);
	imsgbuf_clear(p->w);
	imsgbuf_clear(p->r);
	if (p->sv[0] != -1)
		close(p->sv[0]);
	if (p->sv[1] != -1)
		close(p->sv[1]);
	free(p->w);
	free(p->r);
	free(p);
	return 0;
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

static int
count_open_fds(void)
{
	DIR		*dir;
	struct dirent	*de;
	int		 n = 0;

	dir = opendir("/proc/self/fd");
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

/* write raw bytes, with a descriptor alongside the first one if fd != -1 */
static void
send_raw(int s, const void *buf, size_t len, const int *fds, int nfds)
{
	unsigned char	 cbuf[CMSG_SPACE(sizeof(int) * 128)];
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;

	assert_true(nfds <= 128);
	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	}
	assert_int_equal(sendmsg(s, &msg, MSG_NOSIGNAL), (ssize_t)len);
}

static void
send_hdr(int s, uint32_t type, uint32_t len, uint32_t flags, int fd)
{
	struct imsg_hdr	 hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.flags = flags;
	send_raw(s, &hdr, sizeof(hdr), &fd, fd == -1 ? 0 : 1);
}

/* write the whole queue and read it all on the other side */
static void
pump(struct pair *p)
{
	ssize_t	 n;
	int	 spins = 0;

	for (;;) {
		assert_int_equal(imsg_write(p->w), 0);
		n = guarded_read(p->r);
		if (n == -1) {
			assert_int_equal(errno, EAGAIN);
			if (imsg_queued(p->w) == 0)
				return;
		} else
			assert_true(n > 0);
		assert_true(++spins < 100000);
	}
}

static void
get_one(struct pair *p, struct imsg *imsg)
{
	assert_int_equal(imsg_get(p->r, imsg), 1);
}

static void
fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + seed * 7 + (i >> 8));
}

static void
check_pattern(const struct imsg *imsg, size_t len, unsigned int seed)
{
	unsigned char	*want;

	assert_int_equal(imsg->len, len);
	assert_int_equal(imsg->hdr.len, IMSG_HDR_SIZE + len);
	if (len == 0) {
		assert_null(imsg->data);
		return;
	}
	assert_non_null(imsg->data);
	want = malloc(len);
	assert_non_null(want);
	fill_pattern(want, len, seed);
	assert_memory_equal(imsg->data, want, len);
	free(want);
}

static void
test_round_trip(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	unsigned char	 big[1000];

	fill_pattern(big, sizeof(big), 3);
	assert_int_equal(imsg_compose(p->w, 1, 0, 0, -1, NULL, 0), 0);
	assert_int_equal(imsg_compose(p->w, 2, 0, 0, -1, "hello", 5), 0);
	assert_int_equal(imsg_compose(p->w, 3, 7, 1234, -1, big, sizeof(big)),
	    0);
	assert_int_equal(imsg_queued(p->w), 3 * IMSG_HDR_SIZE + 5 + 1000);
	pump(p);
	assert_int_equal(imsg_queued(p->w), 0);

	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 1);
	assert_int_equal(imsg.hdr.len, IMSG_HDR_SIZE);
	assert_int_equal(imsg.hdr.flags, 0);
	assert_int_equal(imsg.hdr.pid, getpid());
	assert_int_equal(imsg.fd, -1);
	assert_int_equal(imsg.len, 0);
	assert_null(imsg.data);
	imsg_free(&imsg);

	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 2);
	assert_int_equal(imsg.len, 5);
	assert_memory_equal(imsg.data, "hello", 5);
	assert_int_equal(imsg.fd, -1);
	imsg_free(&imsg);
	assert_null(imsg.data);

	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 3);
	assert_int_equal(imsg.hdr.peerid, 7);
	assert_int_equal(imsg.hdr.pid, 1234);
	check_pattern(&imsg, sizeof(big), 3);
	imsg_free(&imsg);

	assert_int_equal(imsg_get(p->r, &imsg), 0);
	/* nothing more arrives */
	assert_int_equal(guarded_read(p->r), -1);
	assert_int_equal(errno, EAGAIN);
}

static void
test_max_payload(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	unsigned char	*buf;
	int		 pfd[2], got = 0, spins = 0, rv;

	buf = malloc(IMSG_MAX_PAYLOAD + 1);
	assert_non_null(buf);
	fill_pattern(buf, IMSG_MAX_PAYLOAD + 1, 9);

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(imsg_compose(p->w, 5, 0, 0, pfd[1], buf,
	    IMSG_MAX_PAYLOAD + 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	/* ownership passed: the failed compose closed it */
	assert_false(fd_is_open(pfd[1]));
	close(pfd[0]);
	assert_int_equal(imsg_queued(p->w), 0);

	/* two of them, so the read side has to hold more than one frame */
	assert_int_equal(imsg_compose(p->w, 5, 0, 0, -1, buf,
	    IMSG_MAX_PAYLOAD), 0);
	assert_int_equal(imsg_compose(p->w, 6, 0, 0, -1, buf,
	    IMSG_MAX_PAYLOAD), 0);
	assert_int_equal(imsg_queued(p->w), 2 * IMSG_MAX_FRAME);
	while (got < 2) {
		assert_int_equal(imsg_write(p->w), 0);
		if (guarded_read(p->r) == -1)
			assert_int_equal(errno, EAGAIN);
		while ((rv = imsg_get(p->r, &imsg)) == 1) {
			assert_int_equal(imsg.hdr.type, 5 + got);
			assert_int_equal(imsg.hdr.len, IMSG_MAX_FRAME);
			check_pattern(&imsg, IMSG_MAX_PAYLOAD, 9);
			imsg_free(&imsg);
			got++;
		}
		assert_int_equal(rv, 0);
		assert_true(++spins < 100000);
	}
	assert_int_equal(imsg_queued(p->w), 0);
	free(buf);
}

/* a descriptor arrives with its own frame, usable and close-on-exec */
static void
check_passed_pipe(const struct imsg *imsg, int readend, const char *word)
{
	char	 got[16];
	size_t	 len = strlen(word);

	assert_int_equal(imsg->hdr.flags, IMSGF_HASFD);
	assert_true(imsg->fd >= 0);
	assert_true(fcntl(imsg->fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(write(imsg->fd, word, len), (ssize_t)len);
	close(imsg->fd);
	memset(got, 0, sizeof(got));
	assert_int_equal(read(readend, got, sizeof(got) - 1), (ssize_t)len);
	assert_string_equal(got, word);
}

static void
test_fd_passing(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	int		 a[2], b[2], wa, wb;

	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	wa = a[1];
	wb = b[1];
	assert_int_equal(imsg_compose(p->w, 1, 0, 0, -1, "one", 3), 0);
	assert_int_equal(imsg_compose(p->w, 2, 0, 0, wa, "two", 3), 0);
	assert_int_equal(imsg_compose(p->w, 3, 0, 0, -1, NULL, 0), 0);
	assert_int_equal(imsg_compose(p->w, 4, 0, 0, wb, NULL, 0), 0);
	assert_int_equal(imsg_compose(p->w, 5, 0, 0, -1, "five", 4), 0);
	/* queued descriptors stay open until they are sent */
	assert_true(fd_is_open(wa));
	assert_true(fd_is_open(wb));
	assert_int_equal(imsg_write(p->w), 0);
	assert_int_equal(imsg_queued(p->w), 0);
	/* checked before reading, which could reuse the numbers */
	assert_false(fd_is_open(wa));
	assert_false(fd_is_open(wb));
	pump(p);

	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 1);
	assert_int_equal(imsg.fd, -1);
	imsg_free(&imsg);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 2);
	assert_memory_equal(imsg.data, "two", 3);
	check_passed_pipe(&imsg, a[0], "A");
	imsg_free(&imsg);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 3);
	assert_int_equal(imsg.fd, -1);
	imsg_free(&imsg);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 4);
	check_passed_pipe(&imsg, b[0], "B");
	imsg_free(&imsg);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 5);
	assert_int_equal(imsg.fd, -1);
	imsg_free(&imsg);
	assert_int_equal(imsg_get(p->r, &imsg), 0);
	assert_int_equal(p->r->nrfds, 0);
	close(a[0]);
	close(b[0]);
}

/* a frame fed one byte at a time is only taken once whole */
static void
test_partial_read(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	struct imsg_hdr	 hdr;
	unsigned char	 frame[IMSG_HDR_SIZE + 10];
	int		 pfd[2];
	size_t		 i;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = 9;
	hdr.len = sizeof(frame);
	hdr.flags = IMSGF_HASFD;
	hdr.peerid = 77;
	memcpy(frame, &hdr, sizeof(hdr));
	memcpy(frame + IMSG_HDR_SIZE, "0123456789", 10);
	assert_int_equal(pipe(pfd), 0);

	for (i = 0; i < sizeof(frame); i++) {
		assert_int_equal(imsg_get(p->r, &imsg), 0);
		send_raw(p->sv[0], frame + i, 1, &pfd[1], i == 0 ? 1 : 0);
		assert_int_equal(guarded_read(p->r), 1);
	}
	close(pfd[1]);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 9);
	assert_int_equal(imsg.hdr.peerid, 77);
	assert_int_equal(imsg.len, 10);
	assert_memory_equal(imsg.data, "0123456789", 10);
	check_passed_pipe(&imsg, pfd[0], "fd");
	imsg_free(&imsg);
	assert_int_equal(imsg_get(p->r, &imsg), 0);
	close(pfd[0]);
}

#define PW_FRAMES	300

static size_t
partial_write_size(int i)
{
	/* from empty frames to several times the socket buffer */
	return (size_t)(i * 7919) % 40000;
}

static void
test_partial_write(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	unsigned char	*buf;
	int		 i, got = 0, spins = 0, cut = 0, rv;
	int		 small = 4096;
	struct imsg_out	*head;

	assert_int_equal(setsockopt(p->sv[0], SOL_SOCKET, SO_SNDBUF, &small,
	    sizeof(small)), 0);
	assert_int_equal(setsockopt(p->sv[1], SOL_SOCKET, SO_RCVBUF, &small,
	    sizeof(small)), 0);
	buf = malloc(40000);
	assert_non_null(buf);
	for (i = 0; i < PW_FRAMES; i++) {
		fill_pattern(buf, partial_write_size(i), i);
		assert_int_equal(imsg_compose(p->w, i, i, 0, -1, buf,
		    partial_write_size(i)), 0);
	}
	free(buf);

	while (got < PW_FRAMES) {
		assert_int_equal(imsg_write(p->w), 0);
		head = TAILQ_FIRST(&p->w->wq);
		if (head != NULL && head->off > 0)
			cut++;
		if (guarded_read(p->r) == -1)
			assert_int_equal(errno, EAGAIN);
		while ((rv = imsg_get(p->r, &imsg)) == 1) {
			assert_int_equal(imsg.hdr.type, got);
			assert_int_equal(imsg.hdr.peerid, got);
			check_pattern(&imsg, partial_write_size(got), got);
			imsg_free(&imsg);
			got++;
		}
		assert_int_equal(rv, 0);
		assert_true(++spins < 1000000);
	}
	assert_int_equal(imsg_queued(p->w), 0);
	assert_true(TAILQ_EMPTY(&p->w->wq));
	/* the socket really did take frames in pieces */
	assert_true(cut > 0);
}

static void
test_backpressure(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	unsigned char	*buf;
	size_t		 len = 60000, queued;
	int		 n = 0, got = 0, spins = 0, pfd[2], rv;

	buf = malloc(len);
	assert_non_null(buf);
	fill_pattern(buf, len, 1);
	while ((rv = imsg_compose(p->w, 1, n, 0, -1, buf, len)) == 0)
		n++;
	assert_int_equal(errno, ENOBUFS);
	queued = imsg_queued(p->w);
	assert_int_equal(queued, n * (IMSG_HDR_SIZE + len));
	assert_true(queued <= IMSG_MAX_QUEUED);
	assert_true(queued + IMSG_HDR_SIZE + len > IMSG_MAX_QUEUED);

	/* a refused descriptor is closed, not leaked */
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(imsg_compose(p->w, 1, 0, 0, pfd[1], buf, len), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_false(fd_is_open(pfd[1]));
	close(pfd[0]);

	while (got < n) {
		assert_int_equal(imsg_write(p->w), 0);
		if (guarded_read(p->r) == -1)
			assert_int_equal(errno, EAGAIN);
		while ((rv = imsg_get(p->r, &imsg)) == 1) {
			assert_int_equal(imsg.hdr.peerid, got);
			check_pattern(&imsg, len, 1);
			imsg_free(&imsg);
			got++;
		}
		assert_int_equal(rv, 0);
		assert_true(++spins < 1000000);
	}
	assert_int_equal(imsg_queued(p->w), 0);
	/* room again */
	assert_int_equal(imsg_compose(p->w, 1, 0, 0, -1, buf, len), 0);
	free(buf);
}

static void
expect_bad(void **state, uint32_t len, uint32_t flags)
{
	struct pair	*p;
	struct imsg	 imsg;

	assert_int_equal(pair_setup((void **)&p), 0);
	send_hdr(p->sv[0], 1, len, flags, -1);
	assert_int_equal(guarded_read(p->r), IMSG_HDR_SIZE);
	errno = 0;
	assert_int_equal(imsg_get(p->r, &imsg), -1);
	assert_int_equal(errno, EBADMSG);
	pair_teardown((void **)&p);
}

static void
test_garbage(void **state)
{
	expect_bad(state, 0, 0);
	expect_bad(state, IMSG_HDR_SIZE - 1, 0);
	expect_bad(state, IMSG_MAX_FRAME + 1, 0);
	expect_bad(state, UINT32_MAX, 0);
	expect_bad(state, IMSG_HDR_SIZE, 0x0002);
	expect_bad(state, IMSG_HDR_SIZE, 0x80000000 | IMSGF_HASFD);
	/* claims a descriptor, none came */
	expect_bad(state, IMSG_HDR_SIZE, IMSGF_HASFD);
	expect_bad(state, IMSG_HDR_SIZE + 4, IMSGF_HASFD);
}

/* a frame is not looked at beyond what arrived (poisoned under ASan) */
static void
test_no_overread(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	unsigned char	 junk[30];
	unsigned char	 half[IMSG_HDR_SIZE / 2];

	memset(junk, 'x', sizeof(junk));
	memset(half, 0, sizeof(half));

	/* half a header */
	send_raw(p->sv[0], half, sizeof(half), NULL, 0);
	assert_int_equal(guarded_read(p->r), sizeof(half));
	assert_int_equal(imsg_get(p->r, &imsg), 0);
	/* the rest of a header claiming the largest frame */
	imsgbuf_clear(p->r);
	send_hdr(p->sv[0], 1, IMSG_MAX_FRAME, 0, -1);
	assert_int_equal(guarded_read(p->r), IMSG_HDR_SIZE);
	assert_int_equal(imsg_get(p->r, &imsg), 0);
	send_raw(p->sv[0], junk, sizeof(junk), NULL, 0);
	assert_int_equal(guarded_read(p->r), sizeof(junk));
	assert_int_equal(imsg_get(p->r, &imsg), 0);
	assert_int_equal(p->r->rlen, IMSG_HDR_SIZE + sizeof(junk));

	/* a bare header is a whole frame */
	imsgbuf_clear(p->r);
	send_hdr(p->sv[0], 4, IMSG_HDR_SIZE, 0, -1);
	assert_int_equal(guarded_read(p->r), IMSG_HDR_SIZE);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 4);
	assert_null(imsg.data);
	imsg_free(&imsg);
}

/* descriptors no frame claimed are closed by clear; extras are dropped */
static void
test_unclaimed_fds(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;
	int		 pfd[2], fds[IMSG_MAX_FDS + 1], before, i, got;
	char		 c = 'z';

	assert_int_equal(pipe(pfd), 0);
	before = count_open_fds();
	/* a frame without the flag but with a descriptor */
	send_hdr(p->sv[0], 1, IMSG_HDR_SIZE, 0, pfd[0]);
	assert_int_equal(guarded_read(p->r), IMSG_HDR_SIZE);
	get_one(p, &imsg);
	assert_int_equal(imsg.fd, -1);
	imsg_free(&imsg);
	assert_int_equal(p->r->nrfds, 1);
	got = p->r->rfds[0];
	assert_true(fd_is_open(got));
	imsgbuf_clear(p->r);
	assert_false(fd_is_open(got));
	assert_int_equal(count_open_fds(), before);

	/* one more than can be held, one per read */
	for (i = 0; i < IMSG_MAX_FDS + 1; i++) {
		send_raw(p->sv[0], &c, 1, &pfd[0], 1);
		assert_int_equal(guarded_read(p->r), 1);
	}
	assert_int_equal(p->r->nrfds, IMSG_MAX_FDS);
	assert_int_equal(count_open_fds(), before + IMSG_MAX_FDS);
	imsgbuf_clear(p->r);
	assert_int_equal(count_open_fds(), before);

	/* more than a read takes at once: what came is closed, read fails */
	for (i = 0; i < IMSG_MAX_FDS + 1; i++)
		fds[i] = pfd[0];
	send_raw(p->sv[0], &c, 1, fds, IMSG_MAX_FDS + 1);
	assert_int_equal(guarded_read(p->r), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(p->r->nrfds, 0);
	assert_int_equal(count_open_fds(), before);
	close(pfd[0]);
	close(pfd[1]);
}

/* claimed and queued descriptors on clear */
static void
test_clear_closes_queued(void **state)
{
	struct pair	*p = *state;
	int		 pfd[2];

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(imsg_compose(p->w, 1, 0, 0, pfd[1], NULL, 0), 0);
	assert_true(fd_is_open(pfd[1]));
	imsgbuf_clear(p->w);
	assert_false(fd_is_open(pfd[1]));
	assert_int_equal(imsg_queued(p->w), 0);
	assert_true(TAILQ_EMPTY(&p->w->wq));
	close(pfd[0]);
}

static void
test_hangup(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;

	assert_int_equal(imsg_compose(p->w, 1, 0, 0, -1, "bye", 3), 0);
	assert_int_equal(imsg_write(p->w), 0);
	close(p->sv[0]);
	p->sv[0] = -1;
	/* what was sent before the hang-up is still read */
	assert_int_equal(guarded_read(p->r), IMSG_HDR_SIZE + 3);
	get_one(p, &imsg);
	imsg_free(&imsg);
	assert_int_equal(guarded_read(p->r), 0);

	/* writing to a peer that left fails without SIGPIPE */
	assert_int_equal(imsg_compose(p->r, 1, 0, 0, -1, NULL, 0), 0);
	assert_int_equal(imsg_write(p->r), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(imsg_flush(p->r), -1);
}

static void
test_flush(void **state)
{
	struct pair	*p = *state;
	struct imsg	 imsg;

	assert_int_equal(imsg_compose(p->w, 1, 0, 0, -1, "a", 1), 0);
	assert_int_equal(imsg_compose(p->w, 2, 0, 0, -1, "b", 1), 0);
	assert_int_equal(imsg_flush(p->w), 0);
	assert_int_equal(imsg_queued(p->w), 0);
	assert_int_equal(guarded_read(p->r), 2 * (IMSG_HDR_SIZE + 1));
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 1);
	imsg_free(&imsg);
	get_one(p, &imsg);
	assert_int_equal(imsg.hdr.type, 2);
	imsg_free(&imsg);
}

/* the libevent glue */

struct evtest {
	int	 dispatched;
	int	 closed;
	int	 fail_at;	/* dispatch returns -1 on this frame, or -1 */
	int	 bad_order;
};

static int
evtest_dispatch(struct imsgev *iev, struct imsg *imsg, void *arg)
{
	struct evtest	*t = arg;

	if (imsg->hdr.type != (uint32_t)t->dispatched ||
	    imsg->len != sizeof(int) ||
	    memcmp(imsg->data, &t->dispatched, sizeof(int)) != 0)
		t->bad_order++;
	if (t->dispatched++ == t->fail_at)
		return -1;
	return 0;
}

static void
evtest_closed(struct imsgev *iev, void *arg)
{
	struct evtest	*t = arg;

	t->closed++;
	imsgev_clear(iev);
}

static int
ev_setup(void **state)
{
	if (event_init() == NULL)
		return -1;
	return pair_setup(state);
}

static int
ev_teardown(void **state)
{
	pair_teardown(state);
	event_base_free(NULL);
	return 0;
}

/* the plain side sends n counted frames */
static void
send_counted(struct pair *p, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		assert_int_equal(imsg_compose(p->w, i, 0, 0, -1, &i,
		    sizeof(i)), 0);
	assert_int_equal(imsg_flush(p->w), 0);
}

static struct imsgev *
evtest_start(struct pair *p, struct evtest *t)
{
	struct imsgev	*iev;

	iev = calloc(1, sizeof(*iev));
	assert_non_null(iev);
	assert_int_equal(imsgev_init(iev, p->sv[1], evtest_dispatch,
	    evtest_closed, t), 0);
	/* the imsgev owns the socket now */
	p->sv[1] = -1;
	return iev;
}

static void
test_imsgev_peer_closes(void **state)
{
	struct pair	*p = *state;
	struct evtest	 t = { 0, 0, -1, 0 };
	struct imsgev	*iev;

	iev = evtest_start(p, &t);
	send_counted(p, 500);
	close(p->sv[0]);
	p->sv[0] = -1;
	/* returns once closed has removed the only event */
	assert_int_equal(event_dispatch(), 1);
	assert_int_equal(t.dispatched, 500);
	assert_int_equal(t.bad_order, 0);
	assert_int_equal(t.closed, 1);
	assert_null(iev->ev);
	assert_int_equal(iev->ibuf.fd, -1);
	free(iev);
}

static void
test_imsgev_dispatch_fails(void **state)
{
	struct pair	*p = *state;
	struct evtest	 t = { 0, 0, 4, 0 };
	struct imsgev	*iev;
	char		 c;

	iev = evtest_start(p, &t);
	send_counted(p, 10);
	/* the peer stays: the bad frame alone ends it */
	assert_int_equal(event_dispatch(), 1);
	assert_int_equal(t.dispatched, 5);
	assert_int_equal(t.closed, 1);
	assert_int_equal(t.bad_order, 0);
	/* and the connection was dropped */
	assert_int_equal(read(p->sv[0], &c, 1), 0);
	free(iev);
}

static void
test_imsgev_malformed(void **state)
{
	struct pair	*p = *state;
	struct evtest	 t = { 0, 0, -1, 0 };
	struct imsgev	*iev;

	iev = evtest_start(p, &t);
	send_counted(p, 3);
	send_hdr(p->sv[0], 3, 2, 0, -1);
	assert_int_equal(event_dispatch(), 1);
	assert_int_equal(t.dispatched, 3);
	assert_int_equal(t.closed, 1);
	free(iev);
}

static void
test_imsgev_compose(void **state)
{
	struct pair	*p = *state;
	struct evtest	 t = { 0, 0, -1, 0 };
	struct imsgev	*iev;
	struct imsg	 imsg;
	unsigned char	*buf;
	int		 i, got = 0, spins = 0, rv, pfd[2];

	buf = malloc(50000);
	assert_non_null(buf);
	fill_pattern(buf, 50000, 4);
	iev = evtest_start(p, &t);
	assert_false(iev->events & EV_WRITE);
	for (i = 0; i < 40; i++)
		assert_int_equal(imsgev_compose(iev, i, 0, -1, buf, 50000), 0);
	free(buf);
	assert_true(iev->events & EV_WRITE);
	while (got < 40) {
		event_loop(EVLOOP_NONBLOCK);
		if (imsg_read(p->w) == -1)
			assert_int_equal(errno, EAGAIN);
		while ((rv = imsg_get(p->w, &imsg)) == 1) {
			assert_int_equal(imsg.hdr.type, got);
			check_pattern(&imsg, 50000, 4);
			imsg_free(&imsg);
			got++;
		}
		assert_int_equal(rv, 0);
		assert_true(++spins < 1000000);
	}
	/* drained: EV_WRITE is no longer armed */
	event_loop(EVLOOP_NONBLOCK);
	assert_int_equal(imsg_queued(&iev->ibuf), 0);
	assert_false(iev->events & EV_WRITE);
	assert_true(iev->events & EV_READ);
	assert_int_equal(t.closed, 0);

	close(p->sv[0]);
	p->sv[0] = -1;
	assert_int_equal(event_dispatch(), 1);
	assert_int_equal(t.closed, 1);
	/* composing on a cleared imsgev fails and closes the descriptor */
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(imsgev_compose(iev, 1, 0, pfd[1], NULL, 0), -1);
	assert_false(fd_is_open(pfd[1]));
	close(pfd[0]);
	free(iev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_max_payload, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_fd_passing, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_partial_read, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_partial_write, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_backpressure, pair_setup,
		    pair_teardown),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test_setup_teardown(test_no_overread, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_unclaimed_fds, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_clear_closes_queued,
		    pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_hangup, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_flush, pair_setup,
		    pair_teardown),
		cmocka_unit_test_setup_teardown(test_imsgev_peer_closes,
		    ev_setup, ev_teardown),
		cmocka_unit_test_setup_teardown(test_imsgev_dispatch_fails,
		    ev_setup, ev_teardown),
		cmocka_unit_test_setup_teardown(test_imsgev_malformed,
		    ev_setup, ev_teardown),
		cmocka_unit_test_setup_teardown(test_imsgev_compose,
		    ev_setup, ev_teardown),
	};

	/* a hung event loop fails the run instead of stalling it */
	alarm(120);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
