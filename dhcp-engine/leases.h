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

#ifndef MOAT_DHCP_LEASES_H
#define MOAT_DHCP_LEASES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The lease database of the DHCP engine: every lease in memory, indexed
 * by address, by hardware address and by client identifier (hash tables
 * with a random seed, O(1)), with a min-heap of end times for expiry;
 * and on disk, one append-only log in the engine's chroot, replayed at
 * start and compacted into a snapshot when it has grown well past what
 * is live.  The file format and the crash-safety argument are in
 * leases.c.
 *
 * Group commit: every change (lease_db_update and the calls built on it,
 * lease_db_expire) only stages a record in memory; lease_db_commit
 * writes what is staged with one write() and makes it durable with one
 * fdatasync().  The engine calls it once per event-loop turn, after
 * deciding every lease of the turn and before sending any ACK: a lease
 * is on disk before the client hears of it.  Changes not committed are
 * lost in a crash, as the ACKs that were never sent.
 *
 * Offers are never written: an offered lease lives in memory with a
 * short end and is freed when it passes.  Bound, released, expired and
 * declined leases are durable.  All addresses are in network byte
 * order; all times are wall-clock seconds (time(3)).
 *
 * A pointer to a lease returned here stays valid until the next call
 * that changes the database (update, release, decline, remove, expire,
 * close); read it, never write through it.
 */

#define LEASE_HW_MAX		16	/* chaddr */
#define LEASE_CID_MAX		64	/* option 61, without its header */
#define LEASE_NAME_MAX		63	/* one DNS label */

/* the database's files, in the directory given to lease_db_open */
#define LEASE_DB_FILE		"leases.db"
#define LEASE_DB_TEMP		"leases.db.new"	/* a snapshot being made */
#define LEASE_DB_BAD		"leases.bad"	/* .N: a corrupt log kept */

enum lease_state {
	LEASE_FREE = 0,		/* no lease: only as lease_db_expire's next */
	LEASE_OFFERED,		/* memory only; freed at end */
	LEASE_BOUND,		/* expires at end unless LEASE_F_BOOTP */
	LEASE_RELEASED,		/* free, remembered for its client */
	LEASE_EXPIRED,		/* free, remembered for its client */
	LEASE_DECLINED,		/* quarantined until end, then freed */
};
#define LEASE_STATE_MAX		LEASE_DECLINED

/* a BOOTP lease never expires (RFC 951 has no lease time): end unused */
#define LEASE_F_BOOTP		0x01
#define LEASE_F_ALL		LEASE_F_BOOTP

struct lease {
	uint32_t	 addr;		/* network byte order; the key */
	uint8_t		 state;		/* enum lease_state */
	uint8_t		 flags;		/* LEASE_F_* */
	uint8_t		 htype;		/* ARP hardware type, 1 Ethernet */
	uint8_t		 hlen;		/* 0: none */
	uint8_t		 hwaddr[LEASE_HW_MAX];
	uint8_t		 cid_len;	/* 0: no client identifier */
	uint8_t		 cid[LEASE_CID_MAX];
	char		 hostname[LEASE_NAME_MAX + 1];	/* "" when none */
	time_t		 start;
	time_t		 end;
};

struct lease_db;

struct lease_db_conf {
	/* how long a declined address stays out; 0: LEASE_QUARANTINE */
	time_t		 quarantine;
	/*
	 * Compact when the log exceeds both this many bytes and twice
	 * what a snapshot of the live leases would take; 0:
	 * LEASE_COMPACT_MIN.
	 */
	size_t		 compact_min;
};
#define LEASE_QUARANTINE	86400
#define LEASE_COMPACT_MIN	(1024 * 1024)

struct lease_db_stats {
	uint64_t	 leases;	/* in memory, every state */
	uint64_t	 by_state[LEASE_STATE_MAX + 1];
	uint64_t	 log_bytes;	/* the log file, as committed */
	uint64_t	 live_bytes;	/* what a snapshot would take */
	uint64_t	 staged;	/* records waiting for a commit */
	uint64_t	 commits;	/* that wrote something */
	uint64_t	 records;	/* written by those commits */
	uint64_t	 compactions;
};

/*
 * Open the database in the directory dirfd (AT_FDCWD: the current one,
 * which for the chrooted engine is its chroot) and replay its log.  The
 * directory is locked (flock) against a second process.  Creates the
 * database when there is none.  A torn tail (a record cut short, a bad
 * checksum in the last record, trailing zeros) is truncated with a
 * warning; anything before it is kept.  A corrupt record with more data
 * after it stops the replay there: what came before is kept, the file
 * is kept as LEASE_DB_BAD.N for inspection (a hard link) and replaced by
 * a snapshot of what was read, with a warning.  A snapshot that a crash
 * left behind (LEASE_DB_TEMP) is removed.  Leases whose end has passed
 * are loaded as they are: call lease_db_expire next.  conf may be NULL
 * for the defaults.  Returns NULL with errno set, logged, on failure:
 * EWOULDBLOCK when another process holds the database, EPROTONOSUPPORT
 * when a newer version wrote it (left untouched).  The directory must be
 * writable by the engine's user.  System calls of this module, for the
 * engine's allow list: openat, read, pread64, write, fstat (newfstatat),
 * ftruncate, fdatasync, fsync, renameat (renameat2), linkat, unlinkat,
 * flock, close, and getrandom for arc4random.
 */
struct lease_db	*lease_db_open(int dirfd, const struct lease_db_conf *);
/* frees everything; changes staged and not committed are dropped */
void		 lease_db_close(struct lease_db *);

const struct lease *lease_db_find_addr(struct lease_db *, uint32_t addr);
/*
 * Leases whose hardware type and address (or client identifier) match,
 * in no particular order, one at a time: pass NULL for the first, then
 * the previous answer for the next.  NULL when there is no more.  A
 * client may hold several leases (on several subnets, or old released
 * ones): the caller picks by state and address.  A declined lease has no
 * owner and is never found this way.
 */
const struct lease *lease_db_find_hw(struct lease_db *, uint8_t htype,
	    uint8_t hlen, const uint8_t *hwaddr, const struct lease *prev);
const struct lease *lease_db_find_cid(struct lease_db *, const uint8_t *cid,
	    size_t cid_len, const struct lease *prev);

/*
 * Make *l the lease of l->addr, replacing what the address had (a change
 * of owner, state or times); both owner indexes follow.  A durable state
 * stages a record of the lease; an offer over a durable lease stages the
 * removal of its record.  Refused (-1 and errno):
 *	EINVAL	a field out of range: address 0 or 255.255.255.255, hlen
 *		or cid_len too long, a hostname that is not a DNS label
 *		(lease_hostname_valid), an unknown state or flag, LEASE_FREE,
 *		a bound or offered lease with no owner (no hardware address
 *		and no client identifier), a declined one with an owner;
 *	EBUSY	an offer where a bound lease stands: it would drop a lease
 *		the client holds (to offer a client the address it holds,
 *		just answer: its bound lease reserves it already).
 * Returns the lease in the database, NULL on failure.
 */
const struct lease *lease_db_update(struct lease_db *, const struct lease *);
/*
 * The client gives its lease back: a bound lease becomes released (end =
 * now), kept for its client; an offer is freed.  Returns 0, or -1 with
 * ENOENT when the address has neither.
 */
int	lease_db_release(struct lease_db *, uint32_t addr, time_t now);
/*
 * The address is in use by someone else (DHCPDECLINE, or the ping
 * check answered): quarantined until now + the configured time, with no
 * owner and no name.  Creates the lease when the address had none.
 * Returns 0, or -1 with EINVAL for an address lease_db_update refuses.
 */
int	lease_db_decline(struct lease_db *, uint32_t addr, time_t now);
/* forget the address's lease; -1 with ENOENT when it had none */
int	lease_db_remove(struct lease_db *, uint32_t addr);

/*
 * Every lease whose end is at or before now, earliest first: cb is
 * called with the lease as it still is and the state it goes to next
 * (LEASE_EXPIRED for a bound lease, kept for its client; LEASE_FREE for
 * an offer or a quarantine, freed), then the change is made and staged.
 * A bound lease's expiry is when the engine removes its name from the
 * DNS and runs the "del" hook.  cb must not change the database; it may
 * be NULL.  Returns how many leases changed.  Call lease_db_commit
 * afterwards, as after any change.
 */
typedef void	(*lease_expire_cb)(const struct lease *, enum lease_state next,
		    void *);
size_t	lease_db_expire(struct lease_db *, time_t now, lease_expire_cb,
	    void *);
/* the earliest end to come, to arm a timer; -1 when nothing expires */
time_t	lease_db_next_expiry(const struct lease_db *);

/*
 * Make every staged change durable: one write(), one fdatasync(); then,
 * when the log has outgrown the live leases (lease_db_conf), compact it.
 * Returns 0 (at once, touching nothing, when nothing is staged) or -1
 * when the disk failed us: then nothing of the turn may be acknowledged;
 * the changes stay in memory and the next commit rewrites the whole
 * database (a snapshot) to get them on disk.
 */
int	lease_db_commit(struct lease_db *);
/*
 * Write a snapshot of the durable leases to LEASE_DB_TEMP, fdatasync it,
 * rename it over LEASE_DB_FILE and fsync the directory.  Everything
 * staged is in the snapshot, so this is a commit too.  Returns 0 or -1.
 */
int	lease_db_compact(struct lease_db *);

/*
 * Every lease, in no particular order, until cb returns non-zero, which
 * is then returned.  cb must not change the database.
 */
int	lease_db_walk(struct lease_db *,
	    int (*)(const struct lease *, void *), void *);
void	lease_db_stats(const struct lease_db *, struct lease_db_stats *);

const char	*lease_state_name(enum lease_state);
/* a hostname the database takes: "", or letters, digits and '-' inside */
int		 lease_hostname_valid(const char *);
/* the checksum of the file format (CRC-32C), for tools and tests */
uint32_t	 lease_db_crc(const void *, size_t);

#endif /* MOAT_DHCP_LEASES_H */
