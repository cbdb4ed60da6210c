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
 * The lease database loading a file of any content.  The input is
 * written as the log in a fresh directory under /tmp; the database opens
 * it, and every lease it kept must be sound and found by each of its
 * keys; then one lease is added and committed, and a reopening must give
 * back exactly what was there, with no temporary file left.  Each input
 * runs twice: as it is, and with the sequence numbers and checksums of
 * its records made right (as far as its lengths frame records), so the
 * fuzzer reaches the payloads past the checksum.  Every broken promise
 * is an abort(); the directory is removed after each run.  The
 * directory is made under $TMPDIR, /tmp by default.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "leases.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* the framing of leases.c, as its comment documents it */
#define REC_HDR		16
#define REC_CRC		4
#define REC_MIN		24
#define REC_MAX		191

#define FUZZ_ADDR	0x0a636363U	/* 10.99.99.99 */

struct snap {
	struct lease	*v;
	size_t		 n;
	size_t		 cap;
};

static int
snap_cb(const struct lease *l, void *arg)
{
	struct snap	*s = arg;
	struct lease	*v;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		if ((v = reallocarray(s->v, s->cap, sizeof(*v))) == NULL)
			abort();
		s->v = v;
	}
	s->v[s->n++] = *l;
	return 0;
}

static int
cmp_lease(const void *a, const void *b)
{
	uint32_t	 x = ntohl(((const struct lease *)a)->addr);
	uint32_t	 y = ntohl(((const struct lease *)b)->addr);

	return x < y ? -1 : x > y;
}

static void
snap_take(struct lease_db *db, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	if (lease_db_walk(db, snap_cb, s) != 0)
		abort();
	if (s->n > 0)
		qsort(s->v, s->n, sizeof(*s->v), cmp_lease);
}

static int
lease_same(const struct lease *a, const struct lease *b)
{
	return a->addr == b->addr && a->state == b->state &&
	    a->flags == b->flags && a->htype == b->htype &&
	    a->hlen == b->hlen && a->cid_len == b->cid_len &&
	    a->start == b->start && a->end == b->end &&
	    memcmp(a->hwaddr, b->hwaddr, a->hlen) == 0 &&
	    memcmp(a->cid, b->cid, a->cid_len) == 0 &&
	    strcmp(a->hostname, b->hostname) == 0;
}

static int
found_hw(struct lease_db *db, const struct lease *l)
{
	const struct lease	*r = NULL;

	while ((r = lease_db_find_hw(db, l->htype, l->hlen, l->hwaddr,
	    r)) != NULL)
		if (r->addr == l->addr)
			return 1;
	return 0;
}

static int
found_cid(struct lease_db *db, const struct lease *l)
{
	const struct lease	*r = NULL;

	while ((r = lease_db_find_cid(db, l->cid, l->cid_len, r)) != NULL)
		if (r->addr == l->addr)
			return 1;
	return 0;
}

/* every lease sound and reachable by every key it has */
static void
check(struct lease_db *db, const struct snap *s)
{
	struct lease_db_stats	 st;
	const struct lease	*l;
	uint64_t		 sum = 0;
	time_t			 next = lease_db_next_expiry(db);
	size_t			 i;
	int			 k;

	lease_db_stats(db, &st);
	if (st.leases != s->n)
		abort();
	for (k = 0; k <= LEASE_STATE_MAX; k++)
		sum += st.by_state[k];
	if (sum != st.leases || st.by_state[LEASE_FREE] != 0 ||
	    st.by_state[LEASE_OFFERED] != 0)
		abort();
	for (i = 0; i < s->n; i++) {
		l = &s->v[i];
		if (i > 0 && l->addr == s->v[i - 1].addr)
			abort();
		if (l->addr == 0 || l->hlen > LEASE_HW_MAX ||
		    l->cid_len > LEASE_CID_MAX || l->state > LEASE_STATE_MAX ||
		    !lease_hostname_valid(l->hostname))
			abort();
		if (l->state == LEASE_DECLINED && (l->hlen || l->cid_len))
			abort();
		if (l->state == LEASE_BOUND && !l->hlen && !l->cid_len)
			abort();
		if (lease_db_find_addr(db, l->addr) == NULL ||
		    !lease_same(lease_db_find_addr(db, l->addr), l))
			abort();
		if (l->hlen > 0 && !found_hw(db, l))
			abort();
		if (l->cid_len > 0 && !found_cid(db, l))
			abort();
		if ((l->state == LEASE_DECLINED || (l->state == LEASE_BOUND &&
		    !(l->flags & LEASE_F_BOOTP))) && (next == -1 ||
		    l->end < next))
			abort();
	}
}

static void
remove_dir(const char *path, int dirfd)
{
	DIR		*dp;
	struct dirent	*de;
	int		 fd;

	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY)) == -1 ||
	    (dp = fdopendir(fd)) == NULL)
		abort();
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		/* a snapshot must never be left behind */
		if (strcmp(de->d_name, LEASE_DB_TEMP) == 0)
			abort();
		if (unlinkat(dirfd, de->d_name, 0) == -1)
			abort();
	}
	closedir(dp);
	close(dirfd);
	if (rmdir(path) == -1)
		abort();
}

/*
 * Under /tmp, or $TMPDIR: every run syncs a few times, and a tmpfs
 * (TMPDIR=/dev/shm) makes a long fuzzing run ten times faster.
 */
static void
make_dir(char *path, size_t len)
{
	const char	*tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(path, len, "%s/fuzz_leases.XXXXXX", tmp) >= len ||
	    mkdtemp(path) == NULL)
		abort();
}

static void
run(const uint8_t *data, size_t size)
{
	char			 path[256];
	struct lease_db_conf	 conf = { .quarantine = 60, .compact_min = 256 };
	struct lease_db		*db;
	struct lease		 l;
	struct snap		 before, after;
	size_t			 i;
	int			 dirfd, fd;

	make_dir(path, sizeof(path));
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		abort();
	fd = openat(dirfd, LEASE_DB_FILE, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd == -1 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	if ((db = lease_db_open(dirfd, &conf)) == NULL) {
		/* a newer version's file is refused, and left as it was */
		if (errno != EPROTONOSUPPORT || size < 3 || data[2] <= 1)
			abort();
		remove_dir(path, dirfd);
		return;
	}
	snap_take(db, &before);
	check(db, &before);

	memset(&l, 0, sizeof(l));
	l.addr = htonl(FUZZ_ADDR);
	l.state = LEASE_BOUND;
	l.htype = 1;
	l.hlen = 6;
	memcpy(l.hwaddr, "\x02\x00\x5e\x10\x20\x30", 6);
	strlcpy(l.hostname, "fuzz", sizeof(l.hostname));
	l.start = 1700000000;
	l.end = 1700003600;
	if (lease_db_update(db, &l) == NULL || lease_db_commit(db) != 0)
		abort();
	free(before.v);
	snap_take(db, &before);
	check(db, &before);
	lease_db_close(db);

	if ((db = lease_db_open(dirfd, &conf)) == NULL)
		abort();
	snap_take(db, &after);
	check(db, &after);
	if (after.n != before.n)
		abort();
	for (i = 0; i < after.n; i++)
		if (!lease_same(&after.v[i], &before.v[i]))
			abort();
	if (lease_db_find_addr(db, l.addr) == NULL ||
	    !lease_same(lease_db_find_addr(db, l.addr), &l))
		abort();
	/* everything expires and the heap empties */
	lease_db_expire(db, (time_t)1 << 41, NULL, NULL);
	if (lease_db_next_expiry(db) != -1 || lease_db_commit(db) != 0)
		abort();
	lease_db_close(db);
	free(before.v);
	free(after.v);
	remove_dir(path, dirfd);
}

/* sequence numbers counted from the first record's, checksums right */
static int
fix_framing(uint8_t *p, size_t size)
{
	uint64_t	 seq = 0;
	uint32_t	 crc;
	size_t		 off = 0, len;
	int		 i, n = 0;

	while (size - off >= REC_MIN) {
		len = (size_t)p[off + 4] << 8 | p[off + 5];
		if (len < REC_MIN || len > REC_MAX || len > size - off)
			break;
		if (n == 0)
			for (i = 0; i < 8; i++)
				seq = seq << 8 | p[off + 8 + i];
		else
			for (i = 0; i < 8; i++)
				p[off + 15 - i] = (uint8_t)((seq + n) >>
				    (8 * i));
		crc = lease_db_crc(p + off, len - REC_CRC);
		p[off + len - 4] = crc >> 24;
		p[off + len - 3] = crc >> 16;
		p[off + len - 2] = crc >> 8;
		p[off + len - 1] = crc;
		off += len;
		n++;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 initialized;
	uint8_t		*fixed;

	if (!initialized) {
		log_init(1, LOG_DAEMON);
		initialized = 1;
	}
	run(data, size);
	if (size == 0)
		return 0;
	if ((fixed = malloc(size)) == NULL)
		abort();
	memcpy(fixed, data, size);
	if (fix_framing(fixed, size) > 0 && memcmp(fixed, data, size) != 0)
		run(fixed, size);
	free(fixed);
	return 0;
}
