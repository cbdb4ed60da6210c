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

#include <sys/types.h>
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

/* the engines, by their index in engine.c's table */
enum engine_id {
	ENGINE_ID_DNS = 0,
	ENGINE_ID_DHCP = 1,
	ENGINE_ID_MAX
};

struct engine {
	enum engine_id		 id;
	const char		*name;		/* "dns" */
	const char		*exe;		/* file in libexec */
	const char		*chroot;	/* NULL: the state directory */
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
/* send the engine its configuration transaction again, when it runs */
void	 engine_send_conf_again(enum engine_id);
void	 engine_send_dns_conf_again(void);
void	 engine_broadcast(uint32_t, const void *, size_t);
size_t	 engine_status(struct msg_engine_status *, size_t);
int	 engine_running(enum engine_id);
/* queue a message (fd passed, -1 none); -1 when it is not running */
int	 engine_send(enum engine_id, uint32_t, int, const void *, size_t);
int	 engine_compose(struct engine *, uint32_t, int, const void *,
	    size_t);
/* a control request for an engine, for client id; -1: not running */
int	 engine_request(enum engine_id, uint32_t, uint32_t);

/* sockets.c */
int	 sockets_dns_open(const struct dns_conf *);
void	 sockets_close_unused(struct bound_list *);
int	 sockets_is_own(const struct sockaddr_storage *);

/* control.c */
int	 control_init(const char *);
void	 control_listen(void);
void	 control_cleanup(const char *);
/* an engine's reply for the client with this id (gone: dropped) */
void	 control_relay(enum engine_id, uint32_t, uint32_t, const void *,
	    size_t);
/* the engine stopped: end the replies it owed */
void	 control_engine_gone(enum engine_id);

/* dhcp.c */
/* the DHCP engine's configuration transaction */
int	 dhcp_send_conf(struct engine *);
/* a lease message from the DHCP engine; -1: the channel is broken */
int	 dhcp_engine_message(struct imsg *);
/* CLEAR and every lease name, to a DNS engine just configured */
void	 dhcp_names_send_all(void);
/* follow interfaces (netlink) while some dhcp block is configured */
void	 dhcp_netlink_update(void);

/* hook.c */
/* run the lease hook for an add, old or del event, in turn */
void	 hook_queue(const struct msg_lease_event *);
/* a child was reaped: 1 when it was the hook */
int	 hook_reaped(pid_t, int);

/* watch.c */
void	 watch_start(void);
void	 watch_stop(void);
void	 forwarders_rebuild(void);

#endif /* MOAT_MOATD_H */
