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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "leases.h"
#include "log.h"

#define T0	1700000000	/* the wall clock of the tests */
#define NET	0x0a000000U	/* 10.0.0.0, host order */

struct dir {
	char	 path[64];
	int	 fd;
};

/* every lease of a database, by address */
struct dump {
	struct lease	*v;
	size_t		 n;
	size_t		 cap;
	int		 durable_only;
};

struct file {
	uint8_t	*b;
	size_t	 len;
};

static int	 saved_stderr = -1;

/* the loader's warnings are expected by the hundred in the loops */
static void
quiet(int on)
{
	int	 fd;

	if (on && saved_stderr == -1) {
		saved_stderr = dup(STDERR_FILENO);
		fd = open("/dev/null", O_WRONLY);
		assert_true(fd != -1);
		dup2(fd, STDERR_FILENO);
		close(fd);
	} else if (!on && saved_stderr != -1) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

static int
setup_dir(void **state)
{
	struct dir	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	strlcpy(d->path, "/tmp/test_leases.XXXXXX", sizeof(d->path));
	if (mkdtemp(d->path) == NULL ||
	    (d->fd = open(d->path, O_RDONLY | O_DIRECTORY)) == -1) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static void
empty_dir(struct dir *d)
{
	DIR		*dp;
	struct dirent	*de;
	int		 fd;

	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY);
	assert_true(fd != -1);
	assert_non_null(dp = fdopendir(fd));
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_int_equal(unlinkat(d->fd, de->d_name, 0), 0);
	}
	closedir(dp);
}

static int
teardown_dir(void **state)
{
	struct dir	*d = *state;

	quiet(0);
	empty_dir(d);
	close(d->fd);
	rmdir(d->path);
	free(d);
	return 0;
}

static uint32_t
ip(uint32_t host)
{
	return htonl(NET + host);
}

/* client i: hardware 02:00:00:00:hi:lo, client-id 01 + the same */
static struct lease
mk(uint32_t host, int client, enum lease_state s, time_t end)
{
	struct lease	 l;

	memset(&l, 0, sizeof(l));
	l.addr = ip(host);
	l.state = s;
	l.htype = 1;
	l.hlen = 6;
	l.hwaddr[0] = 0x02;
	l.hwaddr[4] = client >> 8;
	l.hwaddr[5] = client & 0xff;
	l.cid_len = 7;
	l.cid[0] = 1;
	memcpy(l.cid + 1, l.hwaddr, 6);
	snprintf(l.hostname, sizeof(l.hostname), "host-%d", client);
	l.start = T0;
	l.end = end;
	return l;
}

static const struct lease *
put(struct lease_db *db, struct lease l)
{
	const struct lease	*r;

	r = lease_db_update(db, &l);
	assert_non_null(r);
	return r;
}

static void
assert_lease_eq(const struct lease *a, const struct lease *b)
{
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->htype, b->htype);
	assert_int_equal(a->hlen, b->hlen);
	assert_memory_equal(a->hwaddr, b->hwaddr, a->hlen);
	assert_int_equal(a->cid_len, b->cid_len);
	if (a->cid_len > 0)
		assert_memory_equal(a->cid, b->cid, a->cid_len);
	assert_string_equal(a->hostname, b->hostname);
	assert_int_equal(a->start, b->start);
	assert_int_equal(a->end, b->end);
}

static int
dump_cb(const struct lease *l, void *arg)
{
	struct dump	*d = arg;

	if (d->durable_only && l->state == LEASE_OFFERED)
		return 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = reallocarray(d->v, d->cap, sizeof(*d->v));
		if (d->v == NULL)
			return -1;
	}
	d->v[d->n++] = *l;
	return 0;
}

static int
cmp_lease(const void *a, const void *b)
{
	uint32_t	 x = ntohl(((const struct lease *)a)->addr);
	uint32_t	 y = ntohl(((const struct lease *)b)->addr);

	return x < y ? -1 : x > y;
}

static struct dump
dump(struct lease_db *db, int durable_only)
{
	struct dump	 d;

	memset(&d, 0, sizeof(d));
	d.durable_only = durable_only;
	assert_int_equal(lease_db_walk(db, dump_cb, &d), 0);
	if (d.n > 0)
		qsort(d.v, d.n, sizeof(*d.v), cmp_lease);
	return d;
}

static void
assert_dump_eq(const struct dump *a, const struct dump *b)
{
	size_t	 i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		assert_lease_eq(&a->v[i], &b->v[i]);
}

/* whatever the database holds durably equals want */
static void
assert_db_eq(struct lease_db *db, const struct dump *want)
{
	struct dump	 d = dump(db, 1);

	assert_dump_eq(&d, want);
	free(d.v);
}

static struct lease_db *
db_open(struct dir *d, const struct lease_db_conf *conf)
{
	struct lease_db	*db;

	db = lease_db_open(d->fd, conf);
	assert_non_null(db);
	return db;
}

static int
exists(struct dir *d, const char *name)
{
	struct stat	 sb;

	return fstatat(d->fd, name, &sb, 0) == 0;
}

static struct file
read_db(struct dir *d, const char *name)
{
	struct file	 f;
	struct stat	 sb;
	int		 fd;

	fd = openat(d->fd, name, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(fstat(fd, &sb), 0);
	f.len = sb.st_size;
	f.b = malloc(f.len + 1);
	assert_non_null(f.b);
	assert_int_equal(read(fd, f.b, f.len), (ssize_t)f.len);
	close(fd);
	return f;
}

static void
write_db(struct dir *d, const char *name, const uint8_t *b, size_t len)
{
	int	 fd;

	fd = openat(d->fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

static uint64_t
file_size(struct dir *d, const char *name)
{
	struct stat	 sb;

	assert_int_equal(fstatat(d->fd, name, &sb, 0), 0);
	return sb.st_size;
}

static size_t
count_hw(struct lease_db *db, const struct lease *k)
{
	const struct lease	*l = NULL;
	size_t			 n = 0;

	while ((l = lease_db_find_hw(db, k->htype, k->hlen, k->hwaddr,
	    l)) != NULL) {
		assert_int_equal(l->htype, k->htype);
		assert_memory_equal(l->hwaddr, k->hwaddr, k->hlen);
		n++;
	}
	return n;
}

static size_t
count_cid(struct lease_db *db, const struct lease *k)
{
	const struct lease	*l = NULL;
	size_t			 n = 0;

	while ((l = lease_db_find_cid(db, k->cid, k->cid_len, l)) != NULL) {
		assert_memory_equal(l->cid, k->cid, k->cid_len);
		n++;
	}
	return n;
}

static void
test_add_find(void **state)
{
	struct dir		*d = *state;
	struct lease_db		*db = db_open(d, NULL);
	struct lease		 a = mk(10, 1, LEASE_BOUND, T0 + 3600);
	struct lease		 b = mk(11, 2, LEASE_BOUND, T0 + 3600);
	struct lease		 c = mk(12, 3, LEASE_OFFERED, T0 + 60);
	const struct lease	*r;

	put(db, a);
	put(db, b);
	c.cid_len = 0;
	put(db, c);

	assert_non_null(r = lease_db_find_addr(db, a.addr));
	assert_lease_eq(r, &a);
	assert_non_null(r = lease_db_find_hw(db, 1, 6, b.hwaddr, NULL));
	assert_lease_eq(r, &b);
	assert_null(lease_db_find_hw(db, 1, 6, b.hwaddr, r));
	assert_non_null(r = lease_db_find_cid(db, a.cid, a.cid_len, NULL));
	assert_lease_eq(r, &a);
	assert_non_null(r = lease_db_find_hw(db, 1, 6, c.hwaddr, NULL));
	assert_lease_eq(r, &c);
	assert_null(lease_db_find_cid(db, c.hwaddr, 6, NULL));

	/* the other hardware type, a shorter key, nothing at all */
	assert_null(lease_db_find_hw(db, 6, 6, a.hwaddr, NULL));
	assert_null(lease_db_find_hw(db, 1, 5, a.hwaddr, NULL));
	assert_null(lease_db_find_hw(db, 1, 0, a.hwaddr, NULL));
	assert_null(lease_db_find_cid(db, a.cid, 6, NULL));
	assert_null(lease_db_find_cid(db, a.cid, 0, NULL));
	assert_null(lease_db_find_addr(db, ip(13)));

	/* a renewal: same node, new end and name */
	a.end = T0 + 7200;
	strlcpy(a.hostname, "renamed", sizeof(a.hostname));
	put(db, a);
	assert_lease_eq(lease_db_find_addr(db, a.addr), &a);
	assert_int_equal(count_hw(db, &a), 1);
	assert_int_equal(count_cid(db, &a), 1);

	/* bytes past the lengths do not matter */
	b.hwaddr[10] = 0x55;
	b.cid[40] = 0x55;
	put(db, b);
	assert_non_null(lease_db_find_hw(db, 1, 6, b.hwaddr, NULL));
	assert_non_null(lease_db_find_cid(db, b.cid, 7, NULL));

	lease_db_close(db);
}

static void
test_refused(void **state)
{
	struct dir	*d = *state;
	struct lease_db	*db = db_open(d, NULL);
	struct lease	 l, ok = mk(20, 1, LEASE_BOUND, T0 + 10);

	l = ok;
	l.addr = 0;
	assert_null(lease_db_update(db, &l));
	assert_int_equal(errno, EINVAL);
	l.addr = 0xffffffffU;
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.hlen = 17;
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.cid_len = 65;
	assert_null(lease_db_update(db, &l));
	l = ok;
	strlcpy(l.hostname, "under_score", sizeof(l.hostname));
	assert_null(lease_db_update(db, &l));
	strlcpy(l.hostname, "-dash", sizeof(l.hostname));
	assert_null(lease_db_update(db, &l));
	strlcpy(l.hostname, "a.b", sizeof(l.hostname));
	assert_null(lease_db_update(db, &l));
	memset(l.hostname, 'a', sizeof(l.hostname));
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.state = LEASE_FREE;
	assert_null(lease_db_update(db, &l));
	l.state = LEASE_DECLINED + 1;
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.flags = 0x80;
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.end = -5;
	assert_null(lease_db_update(db, &l));
	/* a bound lease needs an owner; a quarantine must have none */
	l = ok;
	l.hlen = 0;
	l.cid_len = 0;
	assert_null(lease_db_update(db, &l));
	l = ok;
	l.state = LEASE_DECLINED;
	assert_null(lease_db_update(db, &l));
	assert_int_equal(errno, EINVAL);
	/* a hostname of exactly 63 is one label */
	l = ok;
	memset(l.hostname, 'a', LEASE_NAME_MAX);
	l.hostname[LEASE_NAME_MAX] = '\0';
	assert_non_null(lease_db_update(db, &l));

	/* nothing refused left a trace */
	{
		struct lease_db_stats	 st;

		lease_db_stats(db, &st);
		assert_int_equal(st.leases, 1);
		assert_int_equal(st.staged, 1);
	}

	/* an offer may not drop a bound lease */
	l = ok;
	l.state = LEASE_OFFERED;
	assert_null(lease_db_update(db, &l));
	assert_int_equal(errno, EBUSY);
	assert_int_equal(lease_db_find_addr(db, ok.addr)->state, LEASE_BOUND);

	assert_true(lease_hostname_valid(""));
	assert_true(lease_hostname_valid("a-1"));
	assert_false(lease_hostname_valid("a-"));
	assert_false(lease_hostname_valid("a b"));
	assert_string_equal(lease_state_name(LEASE_DECLINED), "declined");
	lease_db_close(db);
}

/* a client changes address; an address changes owner */
static void
test_owner_change(void **state)
{
	struct dir	*d = *state;
	struct lease_db	*db = db_open(d, NULL);
	struct lease	 x = mk(30, 1, LEASE_BOUND, T0 + 100);
	struct lease	 y = mk(30, 2, LEASE_BOUND, T0 + 100);
	struct lease	 x2 = mk(31, 1, LEASE_BOUND, T0 + 100);
	struct lease	 x3 = mk(32, 1, LEASE_BOUND, T0 + 100);
	struct lease	 nocid;

	put(db, x);
	assert_int_equal(count_hw(db, &x), 1);
	put(db, y);		/* the address goes to client 2 */
	assert_int_equal(count_hw(db, &x), 0);
	assert_int_equal(count_cid(db, &x), 0);
	assert_int_equal(count_hw(db, &y), 1);
	assert_int_equal(count_cid(db, &y), 1);
	assert_lease_eq(lease_db_find_cid(db, y.cid, y.cid_len, NULL), &y);

	/* client 1 on two subnets, then it moves on one */
	put(db, x2);
	put(db, x3);
	assert_int_equal(count_hw(db, &x), 2);
	assert_int_equal(count_cid(db, &x), 2);
	assert_int_equal(lease_db_remove(db, x2.addr), 0);
	assert_int_equal(count_hw(db, &x), 1);
	assert_int_equal(count_cid(db, &x), 1);
	assert_lease_eq(lease_db_find_hw(db, 1, 6, x.hwaddr, NULL), &x3);

	/* it drops its client identifier: only the hardware finds it */
	nocid = x3;
	nocid.cid_len = 0;
	put(db, nocid);
	assert_int_equal(count_cid(db, &x), 0);
	assert_int_equal(count_hw(db, &x), 1);
	/* and a new card, same identifier */
	x3.hwaddr[5] = 0x77;
	put(db, x3);
	assert_int_equal(count_cid(db, &x3), 1);
	assert_int_equal(count_hw(db, &x), 0);
	assert_int_equal(count_hw(db, &x3), 1);
	assert_int_equal(lease_db_remove(db, x2.addr), -1);
	assert_int_equal(errno, ENOENT);
	lease_db_close(db);
}

static void
test_release_decline(void **state)
{
	struct dir		*d = *state;
	struct lease_db_conf	 conf = { .quarantine = 300 };
	struct lease_db		*db = db_open(d, &conf);
	struct lease		 a = mk(40, 1, LEASE_BOUND, T0 + 3600);
	struct lease		 o = mk(41, 2, LEASE_OFFERED, T0 + 60);
	const struct lease	*r;
	struct lease_db_stats	 st;

	put(db, a);
	put(db, o);
	assert_int_equal(lease_db_release(db, a.addr, T0 + 5), 0);
	assert_non_null(r = lease_db_find_hw(db, 1, 6, a.hwaddr, NULL));
	assert_int_equal(r->state, LEASE_RELEASED);
	assert_int_equal(r->end, T0 + 5);
	assert_int_equal(lease_db_release(db, a.addr, T0 + 6), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(lease_db_release(db, ip(99), T0), -1);
	/* an offer given back is gone */
	assert_int_equal(lease_db_release(db, o.addr, T0 + 5), 0);
	assert_null(lease_db_find_addr(db, o.addr));

	/* a released address re-offered to its client, then bound */
	a.state = LEASE_OFFERED;
	a.end = T0 + 70;
	put(db, a);
	a.state = LEASE_BOUND;
	a.end = T0 + 3600;
	put(db, a);

	/* declined: quarantined, no owner any more */
	assert_int_equal(lease_db_decline(db, a.addr, T0 + 10), 0);
	assert_non_null(r = lease_db_find_addr(db, a.addr));
	assert_int_equal(r->state, LEASE_DECLINED);
	assert_int_equal(r->end, T0 + 310);
	assert_int_equal(r->hlen, 0);
	assert_string_equal(r->hostname, "");
	assert_int_equal(count_hw(db, &a), 0);
	assert_int_equal(count_cid(db, &a), 0);
	/* an address nobody had */
	assert_int_equal(lease_db_decline(db, ip(42), T0 + 20), 0);
	assert_int_equal(lease_db_decline(db, 0, T0), -1);
	assert_int_equal(lease_db_next_expiry(db), T0 + 310);
	assert_int_equal(lease_db_expire(db, T0 + 309, NULL, NULL), 0);
	assert_int_equal(lease_db_expire(db, T0 + 320, NULL, NULL), 2);
	assert_null(lease_db_find_addr(db, a.addr));
	lease_db_stats(db, &st);
	assert_int_equal(st.leases, 0);
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_close(db);

	db = db_open(d, &conf);
	lease_db_stats(db, &st);
	assert_int_equal(st.leases, 0);
	lease_db_close(db);
}

/* a mix of every kind of lease, committed */
static void
fill_mixed(struct lease_db *db, int n)
{
	struct lease	 l;
	int		 i;

	for (i = 1; i <= n; i++) {
		l = mk(100 + i, i, LEASE_BOUND, T0 + 60 * i);
		switch (i % 7) {
		case 1:
			l.cid_len = 0;
			break;
		case 2:
			l.state = LEASE_RELEASED;
			break;
		case 3:
			l.state = LEASE_EXPIRED;
			l.hostname[0] = '\0';
			break;
		case 4:
			l.flags = LEASE_F_BOOTP;
			l.cid_len = 0;
			break;
		case 5:
			l.state = LEASE_OFFERED;
			break;
		case 6:
			l.cid_len = LEASE_CID_MAX;
			memset(l.cid, i, l.cid_len);
			l.htype = 32;
			l.hlen = 16;
			memset(l.hwaddr, i, l.hlen);
			memset(l.hostname, 'h', LEASE_NAME_MAX);
			l.hostname[LEASE_NAME_MAX] = '\0';
			break;
		}
		put(db, l);
	}
	assert_int_equal(lease_db_decline(db, ip(99), T0), 0);
}

static void
test_reload(void **state)
{
	struct dir		*d = *state;
	struct lease_db		*db = db_open(d, NULL);
	struct lease_db_stats	 st;
	struct dump		 want, all;

	fill_mixed(db, 40);
	assert_int_equal(lease_db_commit(db), 0);
	want = dump(db, 1);
	all = dump(db, 0);
	assert_true(all.n > want.n);	/* offers are there, not durable */
	lease_db_stats(db, &st);
	assert_int_equal(st.staged, 0);
	assert_int_equal(st.commits, 1);
	/* 40 leases, 6 of them offers, and a declined address */
	assert_int_equal(st.records, 35);
	assert_int_equal(st.log_bytes, file_size(d, LEASE_DB_FILE));
	lease_db_close(db);

	db = db_open(d, NULL);
	assert_db_eq(db, &want);
	lease_db_stats(db, &st);
	assert_int_equal(st.leases, want.n);
	assert_int_equal(st.by_state[LEASE_OFFERED], 0);
	assert_int_equal(st.by_state[LEASE_DECLINED], 1);
	/* a commit with nothing staged writes nothing */
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_stats(db, &st);
	assert_int_equal(st.commits, 0);
	assert_int_equal(st.log_bytes, file_size(d, LEASE_DB_FILE));
	/* reopening twice gives the same again */
	lease_db_close(db);
	db = db_open(d, NULL);
	assert_db_eq(db, &want);
	lease_db_close(db);
	assert_false(exists(d, LEASE_DB_TEMP));
	assert_false(exists(d, LEASE_DB_BAD ".1"));
	free(want.v);
	free(all.v);
}

static void
test_uncommitted(void **state)
{
	struct dir	*d = *state;
	struct lease_db	*db = db_open(d, NULL);
	struct lease	 l = mk(50, 1, LEASE_BOUND, T0 + 100);
	struct dump	 want;
	pid_t		 pid;
	int		 status;

	put(db, l);
	put(db, mk(51, 2, LEASE_BOUND, T0 + 100));
	assert_int_equal(lease_db_commit(db), 0);
	want = dump(db, 1);

	/* changes staged, never committed: a crash loses them */
	put(db, mk(52, 3, LEASE_BOUND, T0 + 100));
	l.end = T0 + 999;
	put(db, l);
	assert_int_equal(lease_db_remove(db, ip(51)), 0);
	assert_int_equal(lease_db_release(db, ip(50), T0), 0);
	lease_db_close(db);
	db = db_open(d, NULL);
	assert_db_eq(db, &want);
	lease_db_close(db);

	/* the same from a process that dies on the spot */
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct lease_db	*cdb = lease_db_open(d->fd, NULL);
		struct lease	 m = mk(53, 4, LEASE_BOUND, T0 + 100);

		if (cdb == NULL || lease_db_update(cdb, &m) == NULL)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	db = db_open(d, NULL);
	assert_db_eq(db, &want);
	assert_null(lease_db_find_addr(db, ip(53)));
	lease_db_close(db);
	free(want.v);
}

/*
 * A log of many commits of one change each; sizes[k] is the length of
 * the file after commit k, states[k] what it holds.
 */
#define HIST	24

struct history {
	struct dump	 states[HIST + 1];
	uint64_t	 sizes[HIST + 1];
	struct file	 log;
};

static void
make_history(struct dir *d, struct history *h)
{
	struct lease_db		*db = db_open(d, NULL);
	struct lease_db_stats	 st;
	struct lease		 l;
	int			 k;

	lease_db_stats(db, &st);
	h->sizes[0] = st.log_bytes;
	h->states[0] = dump(db, 1);
	for (k = 1; k <= HIST; k++) {
		l = mk(60 + k % 9, k, LEASE_BOUND, T0 + k);
		if (k % 5 == 0)
			assert_int_equal(lease_db_remove(db, ip(60 + k % 9 - 1)) ==
			    0 || errno == ENOENT, 1);
		else if (k % 4 == 0)
			lease_db_release(db, ip(60 + (k - 1) % 9), T0 + k);
		else
			put(db, l);
		assert_int_equal(lease_db_commit(db), 0);
		lease_db_stats(db, &st);
		h->sizes[k] = st.log_bytes;
		h->states[k] = dump(db, 1);
	}
	lease_db_close(db);
	h->log = read_db(d, LEASE_DB_FILE);
	assert_int_equal(h->log.len, h->sizes[HIST]);
}

static void
free_history(struct history *h)
{
	int	 k;

	for (k = 0; k <= HIST; k++)
		free(h->states[k].v);
	free(h->log.b);
}

static void
test_torn_tail(void **state)
{
	struct dir		*d = *state;
	struct history		 h;
	struct lease_db		*db;
	struct lease_db_stats	 st;
	struct file		 f;
	size_t			 cut;
	int			 k = 0;

	make_history(d, &h);
	/* a cut anywhere after the file header keeps every whole commit */
	for (cut = h.sizes[0]; cut < h.log.len; cut++) {
		while (k < HIST && h.sizes[k + 1] <= cut)
			k++;
		write_db(d, LEASE_DB_FILE, h.log.b, cut);
		quiet(1);
		db = lease_db_open(d->fd, NULL);
		quiet(0);
		assert_non_null(db);
		assert_db_eq(db, &h.states[k]);
		lease_db_stats(db, &st);
		assert_int_equal(st.log_bytes, h.sizes[k]);
		lease_db_close(db);
		assert_int_equal(file_size(d, LEASE_DB_FILE), h.sizes[k]);
	}
	/* zeros where the file grew */
	f.len = h.log.len + 5000;
	assert_non_null(f.b = calloc(1, f.len));
	memcpy(f.b, h.log.b, h.log.len);
	write_db(d, LEASE_DB_FILE, f.b, f.len);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &h.states[HIST]);
	lease_db_close(db);
	assert_int_equal(file_size(d, LEASE_DB_FILE), h.log.len);
	/* the last record's checksum wrong */
	memcpy(f.b, h.log.b, h.log.len);
	f.b[h.log.len - 1] ^= 0x01;
	write_db(d, LEASE_DB_FILE, f.b, h.log.len);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &h.states[HIST - 1]);
	lease_db_close(db);
	assert_int_equal(file_size(d, LEASE_DB_FILE), h.sizes[HIST - 1]);
	/* the file header itself torn: a fresh database */
	write_db(d, LEASE_DB_FILE, h.log.b, 9);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &h.states[0]);
	lease_db_close(db);
	assert_false(exists(d, LEASE_DB_BAD ".1"));
	free(f.b);
	free_history(&h);
}

static void
test_corrupt_middle(void **state)
{
	struct dir	*d = *state;
	struct history	 h;
	struct lease_db	*db;
	struct file	 f, bad, again;
	int		 k;

	make_history(d, &h);
	f.len = h.log.len;
	assert_non_null(f.b = malloc(f.len));
	/* one bit in record k (of commit k) */
	for (k = 1; k < HIST; k += 3) {
		if (h.sizes[k] == h.sizes[k - 1])
			continue;
		memcpy(f.b, h.log.b, f.len);
		f.b[h.sizes[k - 1] + (k * 7) % (h.sizes[k] -
		    h.sizes[k - 1])] ^= 0x10;
		write_db(d, LEASE_DB_FILE, f.b, f.len);
		quiet(1);
		db = lease_db_open(d->fd, NULL);
		quiet(0);
		assert_non_null(db);
		assert_db_eq(db, &h.states[k - 1]);
		lease_db_close(db);
		/* the damaged file kept as it was */
		bad = read_db(d, LEASE_DB_BAD ".1");
		assert_int_equal(bad.len, f.len);
		assert_memory_equal(bad.b, f.b, f.len);
		free(bad.b);
		/* the new file is sound: no second copy, same leases */
		db = db_open(d, NULL);
		assert_db_eq(db, &h.states[k - 1]);
		lease_db_close(db);
		assert_false(exists(d, LEASE_DB_BAD ".2"));
		again = read_db(d, LEASE_DB_FILE);
		assert_true(again.len < f.len);
		free(again.b);
		assert_int_equal(unlinkat(d->fd, LEASE_DB_BAD ".1", 0), 0);
	}

	/* a record that comes twice: its sequence number gives it away */
	memcpy(f.b, h.log.b, h.sizes[3]);
	memcpy(f.b + h.sizes[3], h.log.b + h.sizes[2], h.sizes[3] -
	    h.sizes[2]);
	memcpy(f.b + h.sizes[3] + h.sizes[3] - h.sizes[2], h.log.b +
	    h.sizes[3], h.sizes[5] - h.sizes[3]);
	write_db(d, LEASE_DB_FILE, f.b, h.sizes[5] + h.sizes[3] - h.sizes[2]);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &h.states[3]);
	lease_db_close(db);
	assert_true(exists(d, LEASE_DB_BAD ".1"));

	/* a second damage gets the next number */
	memcpy(f.b, h.log.b, f.len);
	f.b[0] = 'X';
	write_db(d, LEASE_DB_FILE, f.b, f.len);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &h.states[0]);
	lease_db_close(db);
	assert_true(exists(d, LEASE_DB_BAD ".2"));

	/* a file of a later version is left alone */
	memcpy(f.b, h.log.b, f.len);
	f.b[2] = 9;
	write_db(d, LEASE_DB_FILE, f.b, f.len);
	quiet(1);
	assert_null(lease_db_open(d->fd, NULL));
	quiet(0);
	assert_int_equal(errno, EPROTONOSUPPORT);
	again = read_db(d, LEASE_DB_FILE);
	assert_int_equal(again.len, f.len);
	assert_memory_equal(again.b, f.b, f.len);
	free(again.b);
	free(f.b);
	free_history(&h);
}

static void
test_compaction(void **state)
{
	struct dir		*d = *state;
	struct lease_db_conf	 conf = { .compact_min = 8192 };
	struct lease_db		*db = db_open(d, &conf);
	struct lease_db_stats	 st;
	struct lease		 l;
	struct dump		 want;
	int			 i, round;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < 30; i++) {
			l = mk(200 + i, i, LEASE_BOUND, T0 + round * 100 + i);
			put(db, l);
		}
		assert_int_equal(lease_db_commit(db), 0);
	}
	lease_db_stats(db, &st);
	assert_true(st.compactions > 0);
	assert_true(st.log_bytes <= 2 * st.live_bytes ||
	    st.log_bytes <= conf.compact_min);
	assert_int_equal(st.log_bytes, file_size(d, LEASE_DB_FILE));
	want = dump(db, 1);
	assert_int_equal(want.n, 30);
	/* appends after a compaction go to the new file */
	l = mk(250, 99, LEASE_BOUND, T0 + 5);
	put(db, l);
	assert_int_equal(lease_db_commit(db), 0);
	free(want.v);
	want = dump(db, 1);
	lease_db_close(db);
	assert_false(exists(d, LEASE_DB_TEMP));

	db = db_open(d, &conf);
	assert_db_eq(db, &want);
	lease_db_stats(db, &st);
	assert_int_equal(st.leases, 31);
	lease_db_close(db);
	free(want.v);
}

/*
 * Every state a kill during lease_db_compact can leave: the old log with
 * any prefix of the snapshot beside it, the old log and the whole
 * snapshot, the snapshot alone; each must load every lease.
 */
static void
test_compaction_crash(void **state)
{
	struct dir	*d = *state;
	struct lease_db	*db = db_open(d, NULL);
	struct lease	 l;
	struct dump	 want;
	struct file	 old, snap;
	size_t		 cut;
	int		 i;

	for (i = 0; i < 40; i++) {
		l = mk(300 + i % 25, i, LEASE_BOUND, T0 + i);
		put(db, l);
		if (i % 3 == 0)
			assert_int_equal(lease_db_commit(db), 0);
	}
	assert_int_equal(lease_db_remove(db, ip(301)), 0);
	assert_int_equal(lease_db_commit(db), 0);
	want = dump(db, 1);
	old = read_db(d, LEASE_DB_FILE);
	assert_int_equal(lease_db_compact(db), 0);
	lease_db_close(db);
	snap = read_db(d, LEASE_DB_FILE);
	assert_true(snap.len < old.len);

	for (cut = 0; cut <= snap.len; cut++) {
		write_db(d, LEASE_DB_FILE, old.b, old.len);
		write_db(d, LEASE_DB_TEMP, snap.b, cut);
		quiet(1);
		db = lease_db_open(d->fd, NULL);
		quiet(0);
		assert_non_null(db);
		assert_db_eq(db, &want);
		lease_db_close(db);
		assert_false(exists(d, LEASE_DB_TEMP));
		assert_int_equal(file_size(d, LEASE_DB_FILE), old.len);
	}
	/* renamed: the snapshot alone, and a stale temporary of garbage */
	write_db(d, LEASE_DB_FILE, snap.b, snap.len);
	write_db(d, LEASE_DB_TEMP, (const uint8_t *)"garbage", 7);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &want);
	/* killed in the first append to the snapshot */
	l = mk(400, 400, LEASE_BOUND, T0);
	put(db, l);
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_close(db);
	assert_false(exists(d, LEASE_DB_TEMP));
	free(old.b);
	old = read_db(d, LEASE_DB_FILE);
	assert_true(old.len > snap.len);
	write_db(d, LEASE_DB_FILE, old.b, old.len - 3);
	quiet(1);
	db = db_open(d, NULL);
	quiet(0);
	assert_db_eq(db, &want);
	lease_db_close(db);
	assert_false(exists(d, LEASE_DB_BAD ".1"));
	free(old.b);
	free(snap.b);
	free(want.v);
}

struct expiry_log {
	struct lease	 seen[16];
	enum lease_state next[16];
	size_t		 n;
};

static void
expiry_cb(const struct lease *l, enum lease_state next, void *arg)
{
	struct expiry_log	*e = arg;

	assert_true(e->n < 16);
	e->seen[e->n] = *l;
	e->next[e->n++] = next;
}

static void
test_expiry(void **state)
{
	struct dir		*d = *state;
	struct lease_db_conf	 conf = { .quarantine = 30 };
	struct lease_db		*db = db_open(d, &conf);
	struct expiry_log	 e;
	struct lease		 l;
	const struct lease	*r;

	memset(&e, 0, sizeof(e));
	put(db, mk(1, 1, LEASE_BOUND, T0 + 100));
	put(db, mk(2, 2, LEASE_BOUND, T0 + 50));
	put(db, mk(3, 3, LEASE_BOUND, T0 + 300));
	put(db, mk(4, 4, LEASE_BOUND, T0 + 200));
	l = mk(5, 5, LEASE_BOUND, T0 + 10);
	l.flags = LEASE_F_BOOTP;
	put(db, l);
	put(db, mk(6, 6, LEASE_OFFERED, T0 + 60));
	assert_int_equal(lease_db_decline(db, ip(7), T0 + 50), 0); /* +80 */
	put(db, mk(8, 8, LEASE_RELEASED, T0 + 5));
	put(db, mk(9, 9, LEASE_BOUND, T0 + 20));
	/* renewed: it moves later in the order */
	put(db, mk(9, 9, LEASE_BOUND, T0 + 250));
	assert_int_equal(lease_db_commit(db), 0);

	assert_int_equal(lease_db_next_expiry(db), T0 + 50);
	assert_int_equal(lease_db_expire(db, T0 + 49, expiry_cb, &e), 0);
	assert_int_equal(lease_db_expire(db, T0 + 99, expiry_cb, &e), 3);
	assert_int_equal(e.seen[0].addr, ip(2));
	assert_int_equal(e.seen[0].state, LEASE_BOUND);
	assert_int_equal(e.next[0], LEASE_EXPIRED);
	assert_int_equal(e.seen[1].addr, ip(6));
	assert_int_equal(e.next[1], LEASE_FREE);
	assert_int_equal(e.seen[2].addr, ip(7));
	assert_int_equal(e.seen[2].state, LEASE_DECLINED);
	assert_int_equal(e.next[2], LEASE_FREE);
	/* expired, still its client's */
	assert_non_null(r = lease_db_find_hw(db, 1, 6, e.seen[0].hwaddr,
	    NULL));
	assert_int_equal(r->state, LEASE_EXPIRED);
	assert_null(lease_db_find_addr(db, ip(6)));
	assert_null(lease_db_find_addr(db, ip(7)));
	assert_int_equal(lease_db_next_expiry(db), T0 + 100);

	assert_int_equal(lease_db_expire(db, T0 + 1000, expiry_cb, &e), 4);
	assert_int_equal(e.seen[3].addr, ip(1));
	assert_int_equal(e.seen[4].addr, ip(4));
	assert_int_equal(e.seen[5].addr, ip(9));
	assert_int_equal(e.seen[6].addr, ip(3));
	assert_int_equal(lease_db_next_expiry(db), -1);
	assert_int_equal(lease_db_find_addr(db, ip(5))->state, LEASE_BOUND);
	assert_int_equal(lease_db_find_addr(db, ip(8))->state,
	    LEASE_RELEASED);
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_close(db);

	/* expiry is durable; the BOOTP lease is still bound */
	db = db_open(d, &conf);
	assert_int_equal(lease_db_find_addr(db, ip(2))->state, LEASE_EXPIRED);
	assert_int_equal(lease_db_find_addr(db, ip(3))->state, LEASE_EXPIRED);
	assert_int_equal(lease_db_find_addr(db, ip(5))->state, LEASE_BOUND);
	assert_null(lease_db_find_addr(db, ip(7)));
	assert_int_equal(lease_db_next_expiry(db), -1);
	lease_db_close(db);
}

/* leases loaded past their end expire at the first call */
static void
test_expiry_after_load(void **state)
{
	struct dir		*d = *state;
	struct lease_db		*db = db_open(d, NULL);
	struct expiry_log	 e;
	int			 i;

	memset(&e, 0, sizeof(e));
	for (i = 10; i > 0; i--)
		put(db, mk(i, i, LEASE_BOUND, T0 + i));
	assert_int_equal(lease_db_decline(db, ip(11), T0), 0);
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_close(db);
	db = db_open(d, NULL);
	assert_int_equal(lease_db_next_expiry(db), T0 + 1);
	assert_int_equal(lease_db_expire(db, T0 + 5, expiry_cb, &e), 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(e.seen[i].addr, ip(i + 1));
	lease_db_close(db);
}

/*
 * The disk refuses (a file size limit stands in for a full disk): the
 * commit fails, leaves the log as it was, and the next one that can
 * write rewrites the whole database.
 */
static void
test_write_failure(void **state)
{
	struct dir		*d = *state;
	struct lease_db		*db = db_open(d, NULL);
	struct lease_db_stats	 st;
	struct rlimit		 old, lim;
	struct dump		 want;
	uint64_t		 size, compactions;

	put(db, mk(70, 1, LEASE_BOUND, T0 + 100));
	assert_int_equal(lease_db_commit(db), 0);
	size = file_size(d, LEASE_DB_FILE);

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = size + 10;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	put(db, mk(71, 2, LEASE_BOUND, T0 + 100));
	quiet(1);
	assert_int_equal(lease_db_commit(db), -1);
	quiet(0);
	assert_int_equal(file_size(d, LEASE_DB_FILE), size);
	/* still failing: the snapshot fails too, and leaves nothing */
	quiet(1);
	assert_int_equal(lease_db_commit(db), -1);
	quiet(0);
	assert_false(exists(d, LEASE_DB_TEMP));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	want = dump(db, 1);
	assert_int_equal(want.n, 2);
	lease_db_stats(db, &st);
	compactions = st.compactions;
	assert_int_equal(lease_db_commit(db), 0);
	lease_db_stats(db, &st);
	assert_int_equal(st.compactions, compactions + 1);
	assert_int_equal(st.log_bytes, file_size(d, LEASE_DB_FILE));
	lease_db_close(db);
	db = db_open(d, NULL);
	assert_db_eq(db, &want);
	lease_db_close(db);
	free(want.v);
}

static void
test_lock(void **state)
{
	struct dir	*d = *state;
	struct lease_db	*db = db_open(d, NULL), *db2;
	int		 fd;

	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY);
	quiet(1);
	db2 = lease_db_open(fd, NULL);
	quiet(0);
	assert_null(db2);
	assert_int_equal(errno, EWOULDBLOCK);
	lease_db_close(db);
	assert_non_null(db2 = lease_db_open(fd, NULL));
	lease_db_close(db2);
	close(fd);
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define BIG	100000

static struct lease
big_lease(int i)
{
	struct lease	 l = mk(0, 0, LEASE_BOUND, T0 + 3600 + i % 7200);

	l.addr = htonl(NET + 0x10000 + i);
	l.hwaddr[3] = i >> 16;
	l.hwaddr[4] = i >> 8;
	l.hwaddr[5] = i;
	memcpy(l.cid + 1, l.hwaddr, 6);
	snprintf(l.hostname, sizeof(l.hostname), "host-%d", i);
	return l;
}

/* times are printed for the report, not asserted */
static void
test_100k(void **state)
{
	struct dir		*d = *state;
	struct lease_db		*db = db_open(d, NULL);
	struct lease_db_stats	 st;
	struct lease		 l;
	const struct lease	*r;
	double			 t;
	int			 i;

	t = now_s();
	for (i = 0; i < BIG; i++) {
		l = big_lease(i);
		put(db, l);
		if (i % 1000 == 999)
			assert_int_equal(lease_db_commit(db), 0);
	}
	assert_int_equal(lease_db_commit(db), 0);
	print_message("100k leases added, 100 commits: %.3f s\n",
	    now_s() - t);
	lease_db_close(db);

	t = now_s();
	db = db_open(d, NULL);
	lease_db_stats(db, &st);
	print_message("loaded %llu leases, %llu bytes: %.3f s\n",
	    (unsigned long long)st.leases,
	    (unsigned long long)st.log_bytes, now_s() - t);
	assert_int_equal(st.leases, BIG);

	t = now_s();
	for (i = 0; i < BIG; i++) {
		l = big_lease(i);
		assert_non_null(r = lease_db_find_addr(db, l.addr));
		assert_int_equal(r->hwaddr[5], l.hwaddr[5]);
		assert_non_null(r = lease_db_find_hw(db, 1, 6, l.hwaddr, NULL));
		assert_int_equal(r->addr, l.addr);
		assert_non_null(r = lease_db_find_cid(db, l.cid, l.cid_len,
		    NULL));
		assert_int_equal(r->addr, l.addr);
	}
	print_message("300k lookups (address, hardware, client-id): %.3f s\n",
	    now_s() - t);
	assert_int_equal(lease_db_expire(db, T0 + 3600 + 7200, NULL, NULL),
	    BIG);
	lease_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_find, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_refused, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_owner_change, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_release_decline,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_reload, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_uncommitted, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_torn_tail, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_corrupt_middle,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_compaction, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_compaction_crash,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_expiry, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_expiry_after_load,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_write_failure, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_lock, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_100k, setup_dir,
		    teardown_dir),
	};

	log_init(1, LOG_DAEMON);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
