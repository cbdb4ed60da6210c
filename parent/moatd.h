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

#ifndef MOAT_MOATD_H
#define MOAT_MOATD_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <time.h>

#include "conf.h"
#include "imsg.h"
#include "proto.h"

/* a privileged socket the parent opened and keeps for the engines */
struct bound_sock {
	TAILQ_ENTRY(bound_sock)	 entry;
	struct sockaddr_storage	 addr;
	enum listen_proto	 proto;
	int			 fd;
	int			 used;		/* still wanted after a reload */
};
TAILQ_HEAD(bound_list, bound_sock);

/* the forwarders the DNS engine is given, own listen addresses left out */
struct fwd_entry {
	struct sockaddr_storage	 addr;
	char			 domain[MOAT_DOMAIN_MAX];
	int			 from_file;
};

#define MOAT_FILE_FORWARDERS_MAX	16

/* a file polled for changes: what stat said last time */
struct watched_file {
	struct timespec		 mtime;
	off_t			 size;
	ino_t			 ino;
	int			 present;
};

struct engine {
	const char		*name;		/* "dns" */
	const char		*exe;		/* file in libexec */
	const char		*chroot;
	int			 enabled;
	enum engine_state	 state;
	pid_t			 pid;
	struct imsgev		*iev;
	struct timespec		 started;	/* monotonic */
	unsigned int		 restarts;
	int			 backoff_ms;
	struct event		 restart_ev;
	/* sends the configuration transaction; -1 on failure */
	int			(*send_conf)(struct engine *);
	/* answers control requests the parent relays (the DNS engine) */
	int			 ctl_replies;
};

struct moatd {
	struct moatd_conf	*conf;
	const char		*conf_file;	/* NULL: embedded default */
	const char		*ctl_path;
	char			 libexec[PATH_MAX];
	int			 debug;
	int			 verbose;
	int			 stopping;
	struct bound_list	 dns_socks;
	struct fwd_entry	*fwd;
	size_t			 nfwd;
	/* forwarder file state */
	struct fwd_entry	 file_fwd[MOAT_FILE_FORWARDERS_MAX];
	size_t			 nfile_fwd;
	struct watched_file	 fwd_file;
	/* the hosts file's entries, as IMSG_CONF_RECORDS carries them */
	struct rr_buf		 hosts;
	struct watched_file	 hosts_file;
	struct event		 watch_ev;
};

extern struct moatd	*moatd;

/* moatd.c */
int	 moatd_reload(char *, size_t);
void	 moatd_set_verbose(int);

/* engine.c */
void	 engine_init(void);
void	 engine_start_all(void);
void	 engine_stop_all(void);
void	 engine_sigchld(void);
void	 engine_reconfigure(void);
void	 engine_send_dns_conf_again(void);
void	 engine_broadcast(uint32_t, const void *, size_t);
size_t	 engine_status(struct msg_engine_status *, size_t);
/* a control request for the DNS engine, for client id; -1: not running */
int	 engine_dns_request(uint32_t, uint32_t);

/* sockets.c */
int	 sockets_dns_open(const struct dns_conf *);
void	 sockets_close_unused(struct bound_list *);
int	 sockets_is_own(const struct sockaddr_storage *);

/* control.c */
int	 control_init(const char *);
void	 control_listen(void);
void	 control_cleanup(const char *);
/* a DNS engine reply for the client with this id (gone: dropped) */
void	 control_relay(uint32_t, uint32_t, const void *, size_t);
/* the DNS engine stopped: end the replies it owed */
void	 control_dns_gone(void);

/* watch.c */
void	 watch_start(void);
void	 watch_stop(void);
void	 forwarders_rebuild(void);

#endif /* MOAT_MOATD_H */
