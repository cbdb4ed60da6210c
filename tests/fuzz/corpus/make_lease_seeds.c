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
 * Writes the seed corpus of fuzz_leases: lease logs made by the database
 * itself (so they are exactly what the engine writes), and damaged
 * copies of them.  The same bytes every run: fixed times, and snapshots
 * are written in address order.  Files it does not name (reproducers
 * the fuzzer found) are left alone.  Not part of the build:
 *
 *	cc -std=gnu11 -I dhcp-engine -I common \
 *	    $(pkg-config --cflags libbsd-overlay) \
 *	    tests/fuzz/corpus/make_lease_seeds.c dhcp-engine/leases.c \
 *	    common/log.c $(pkg-config --libs libbsd-overlay) -o /tmp/mls
 *	/tmp/mls tests/fuzz/corpus/fuzz_leases
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "leases.h"
#include "log.h"

#define T0	1700000000

struct buf {
	uint8_t	*b;
	size_t	 len;
};

static char	 tmpdir[] = "/tmp/make_lease_seeds.XXXXXX";
static int	 tmpfd = -1;
static int	 outfd = -1;

static struct lease
mk(uint32_t host, int client, enum lease_state s, time_t end)
{
	struct lease	 l;

	memset(&l, 0, sizeof(l));
	l.addr = htonl(0xc0a80100U + host);
	l.state = s;
	l.htype = 1;
	l.hlen = 6;
	l.hwaddr[0] = 0x02;
	l.hwaddr[5] = client;
	l.cid_len = 7;
	l.cid[0] = 1;
	memcpy(l.cid + 1, l.hwaddr, 6);
	snprintf(l.hostname, sizeof(l.hostname), "client%d", client);
	l.start = T0;
	l.end = end;
	return l;
}

static void
put(struct lease_db *db, struct lease l)
{
	if (lease_db_update(db, &l) == NULL)
		err(1, "update");
}

static struct buf
slurp(void)
{
	struct buf	 f;
	struct stat	 sb;
	int		 fd;

	if ((fd = openat(tmpfd, LEASE_DB_FILE, O_RDONLY)) == -1 ||
	    fstat(fd, &sb) == -1)
		err(1, "%s", LEASE_DB_FILE);
	f.len = sb.st_size;
	if ((f.b = malloc(f.len + 8192)) == NULL)
		err(1, NULL);
	if (read(fd, f.b, f.len) != (ssize_t)f.len)
		err(1, "read");
	close(fd);
	return f;
}

static void
seed(const char *name, const uint8_t *b, size_t len)
{
	int	 fd;

	if ((fd = openat(outfd, name, O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) == -1)
		err(1, "%s", name);
	if (write(fd, b, len) != (ssize_t)len)
		err(1, "%s", name);
	close(fd);
}

static struct lease_db *
fresh(void)
{
	struct lease_db	*db;

	unlinkat(tmpfd, LEASE_DB_FILE, 0);
	if ((db = lease_db_open(tmpfd, NULL)) == NULL)
		err(1, "open");
	return db;
}

/* a bit of everything, over several commits */
static void
mixed(struct lease_db *db)
{
	struct lease	 l;

	put(db, mk(10, 1, LEASE_BOUND, T0 + 3600));
	put(db, mk(11, 2, LEASE_BOUND, T0 + 3600));
	l = mk(12, 3, LEASE_BOUND, T0);
	l.flags = LEASE_F_BOOTP;
	l.cid_len = 0;
	put(db, l);
	lease_db_commit(db);
	put(db, mk(13, 4, LEASE_OFFERED, T0 + 60));
	put(db, mk(10, 1, LEASE_BOUND, T0 + 7200));
	lease_db_release(db, htonl(0xc0a8010bU), T0 + 100);
	lease_db_decline(db, htonl(0xc0a8010eU), T0 + 50);
	lease_db_commit(db);
	l = mk(15, 5, LEASE_EXPIRED, T0 + 10);
	l.htype = 32;
	l.hlen = LEASE_HW_MAX;
	memset(l.hwaddr, 0xa5, l.hlen);
	l.cid_len = LEASE_CID_MAX;
	memset(l.cid, 0x5a, l.cid_len);
	memset(l.hostname, 'x', LEASE_NAME_MAX);
	l.hostname[LEASE_NAME_MAX] = '\0';
	put(db, l);
	put(db, mk(16, 6, LEASE_BOUND, T0 + 30));
	lease_db_remove(db, htonl(0xc0a80110U));
	l = mk(17, 7, LEASE_BOUND, T0 + 90);
	l.hlen = 0;
	l.hostname[0] = '\0';
	put(db, l);
	lease_db_commit(db);
}

int
main(int argc, char *argv[])
{
	struct lease_db	*db;
	struct buf	 log, snap, f;
	size_t		 rec;

	if (argc != 2)
		errx(1, "usage: make_lease_seeds outdir");
	log_init(1, LOG_DAEMON);
	if ((outfd = open(argv[1], O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "%s", argv[1]);
	if (mkdtemp(tmpdir) == NULL ||
	    (tmpfd = open(tmpdir, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "mkdtemp");

	seed("empty", NULL, 0);
	db = fresh();
	lease_db_close(db);
	f = slurp();
	seed("header_only", f.b, f.len);
	free(f.b);

	db = fresh();
	mixed(db);
	lease_db_close(db);
	log = slurp();
	seed("mixed_log", log.b, log.len);

	db = lease_db_open(tmpfd, NULL);
	if (db == NULL || lease_db_compact(db) == -1)
		err(1, "compact");
	put(db, mk(20, 8, LEASE_BOUND, T0 + 500));
	lease_db_commit(db);
	lease_db_close(db);
	snap = slurp();
	seed("snapshot_then_append", snap.b, snap.len);

	/* the last record is a REC_LEASE of client 7: 16 + 28 + 7 + 4 */
	rec = 55;
	seed("torn_in_record", log.b, log.len - 20);
	seed("torn_in_header", log.b, log.len - rec + 9);
	f.b = log.b;
	memset(f.b + log.len, 0, 4096);
	seed("zero_tail", f.b, log.len + 4096);
	f.b[log.len - 2] ^= 0x40;
	seed("bad_crc_last", f.b, log.len);
	f.b[log.len - 2] ^= 0x40;
	f.b[60] ^= 0x01;
	seed("bad_crc_middle", f.b, log.len);
	f.b[60] ^= 0x01;
	/* the last record twice: a sequence number out of turn */
	memcpy(f.b + log.len, f.b + log.len - rec, rec);
	seed("duplicate_record", f.b, log.len + rec);
	f.b[2] = 2;
	seed("newer_version", f.b, log.len);
	f.b[2] = 1;
	seed("foreign", (const uint8_t *)"192.168.1.10 02:00:00:00:00:01\n",
	    31);

	lease_db_close(NULL);
	free(log.b);
	free(snap.b);
	unlinkat(tmpfd, LEASE_DB_FILE, 0);
	close(tmpfd);
	rmdir(tmpdir);
	return 0;
}
