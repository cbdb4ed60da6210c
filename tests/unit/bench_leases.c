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
 * A benchmark of the lease database, not a test.  In a fresh directory
 * under dir (default /var/tmp: a real disk, where fdatasync costs what
 * it costs the engine): add N bound leases (default 100,000), reload
 * them, time lookups by each key, then group commit: batches of 1, 10
 * and 100 lease renewals per commit, each batch one write() and one
 * fdatasync(), for a few seconds each; then a compaction and the expiry
 * of everything.  Memory is what malloc handed out for the database
 * (mallinfo2).  The directory is removed at the end.
 *	usage: bench_leases [dir [leases [seconds]]]
 */

#include <sys/types.h>

#include <arpa/inet.h>

#include <fcntl.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "leases.h"
#include "log.h"

#define T0	1700000000

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
heap_used(void)
{
	struct mallinfo2	 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* client i: 02:00:xx:xx:xx:xx, client-id 01 + that, a name */
static void
make_lease(struct lease *l, uint32_t i, time_t end)
{
	memset(l, 0, sizeof(*l));
	l->addr = htonl(0x0a000000U + 1 + i);
	l->state = LEASE_BOUND;
	l->htype = 1;
	l->hlen = 6;
	l->hwaddr[0] = 0x02;
	l->hwaddr[2] = i >> 24;
	l->hwaddr[3] = i >> 16;
	l->hwaddr[4] = i >> 8;
	l->hwaddr[5] = i;
	l->cid_len = 7;
	l->cid[0] = 1;
	memcpy(l->cid + 1, l->hwaddr, 6);
	snprintf(l->hostname, sizeof(l->hostname), "client-%u", i);
	l->start = T0;
	l->end = end;
}

/* the keys are made beforehand: only the lookups are timed */
static void
lookups(struct lease_db *db, uint32_t n)
{
	struct lease	*keys, *l;
	uint32_t	*order;
	double		 t;
	uint32_t	 i, j, tmp, count = 1000000;
	int		 key;
	const char	*names[] = { "address", "hardware", "client-id" };

	if ((order = calloc(count, sizeof(*order))) == NULL ||
	    (keys = calloc(n, sizeof(*keys))) == NULL)
		abort();
	for (i = 0; i < n; i++)
		make_lease(&keys[i], i, 0);
	for (i = 0; i < count; i++)
		order[i] = i % n;
	for (i = count - 1; i > 0; i--) {
		j = arc4random_uniform(i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (key = 0; key < 3; key++) {
		t = seconds();
		for (i = 0; i < count; i++) {
			l = &keys[order[i]];
			if ((key == 0 && lease_db_find_addr(db, l->addr) ==
			    NULL) || (key == 1 && lease_db_find_hw(db, 1, 6,
			    l->hwaddr, NULL) == NULL) || (key == 2 &&
			    lease_db_find_cid(db, l->cid, l->cid_len, NULL) ==
			    NULL))
				abort();
		}
		t = seconds() - t;
		printf("lookup by %-9s: %u in random order, %.0f ns each\n",
		    names[key], count, t * 1e9 / count);
	}
	free(keys);
	free(order);
}

static void
group_commit(struct lease_db *db, uint32_t n, double secs)
{
	struct lease_db_stats	 st;
	struct lease		 l;
	double			 t, start;
	uint64_t		 updates, commits, c0;
	uint32_t		 next = 0, batch, k;
	static const uint32_t	 batches[] = { 1, 10, 100 };
	size_t			 b;

	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		batch = batches[b];
		updates = commits = 0;
		lease_db_stats(db, &st);
		c0 = st.compactions;
		start = seconds();
		do {
			for (k = 0; k < batch; k++) {
				make_lease(&l, next, T0 + 7200 + commits);
				if (lease_db_update(db, &l) == NULL)
					abort();
				next = (next + 1) % n;
			}
			if (lease_db_commit(db) == -1)
				abort();
			updates += batch;
			commits++;
			t = seconds() - start;
		} while (t < secs);
		lease_db_stats(db, &st);
		printf("group commit of %3u: %7.0f commits/s, %8.0f updates/s, "
		    "%6.0f us per commit, %llu compactions\n", batch,
		    commits / t, updates / t, t * 1e6 / commits,
		    (unsigned long long)(st.compactions - c0));
	}
}

int
main(int argc, char *argv[])
{
	struct lease_db		*db;
	struct lease_db_stats	 st;
	struct lease		 l;
	char			 path[512];
	const char		*dir = argc > 1 ? argv[1] : "/var/tmp";
	uint32_t		 n = argc > 2 ? strtoul(argv[2], NULL, 10) :
				    100000, i;
	double			 secs = argc > 3 ? atof(argv[3]) : 3, t;
	size_t			 mem0;
	int			 dirfd;

	if (n == 0 || n > 0xffffff)
		n = 100000;
	log_init(1, LOG_DAEMON);
	snprintf(path, sizeof(path), "%s/bench_leases.XXXXXX", dir);
	if (mkdtemp(path) == NULL ||
	    (dirfd = open(path, O_RDONLY | O_DIRECTORY)) == -1) {
		perror(path);
		return 1;
	}
	printf("database in %s\n", path);

	if ((db = lease_db_open(dirfd, NULL)) == NULL)
		return 1;
	t = seconds();
	for (i = 0; i < n; i++) {
		make_lease(&l, i, T0 + 3600 + i % 3600);
		if (lease_db_update(db, &l) == NULL)
			abort();
		if (i % 1000 == 999 && lease_db_commit(db) == -1)
			abort();
	}
	if (lease_db_commit(db) == -1)
		abort();
	t = seconds() - t;
	printf("add %u leases, a commit every 1000: %.3f s\n", n, t);
	lease_db_close(db);

	mem0 = heap_used();
	t = seconds();
	if ((db = lease_db_open(dirfd, NULL)) == NULL)
		return 1;
	t = seconds() - t;
	lease_db_stats(db, &st);
	printf("load %llu leases from %llu bytes: %.3f s; memory %.1f MiB, "
	    "%.0f bytes per lease\n", (unsigned long long)st.leases,
	    (unsigned long long)st.log_bytes, t,
	    (heap_used() - mem0) / 1048576.0,
	    (double)(heap_used() - mem0) / st.leases);

	lookups(db, n);
	group_commit(db, n, secs);

	t = seconds();
	if (lease_db_compact(db) == -1)
		abort();
	lease_db_stats(db, &st);
	printf("compaction to %llu bytes: %.3f s\n",
	    (unsigned long long)st.log_bytes, seconds() - t);
	t = seconds();
	printf("expire %zu leases: ", lease_db_expire(db, (time_t)T0 * 2,
	    NULL, NULL));
	printf("%.3f s; ", seconds() - t);
	t = seconds();
	if (lease_db_commit(db) == -1)
		abort();
	printf("their commit: %.3f s\n", seconds() - t);
	lease_db_close(db);

	unlinkat(dirfd, LEASE_DB_FILE, 0);
	close(dirfd);
	rmdir(path);
	return 0;
}
