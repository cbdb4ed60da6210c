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
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "moatd.h"

#define BACKOFF_FIRST_MS	500
#define BACKOFF_MAX_MS		30000
/* an engine that lived this long before dying is not crash-looping */
#define BACKOFF_RESET_S		60
#define STOP_WAIT_MS		3000

static int	 dns_send_conf(struct engine *);

/* indexed by enum engine_id */
static struct engine engines[ENGINE_ID_MAX] = {
	{
		.id = ENGINE_ID_DNS,
		.name = "dns",
		.exe = "dns-engine",
		.chroot = MOAT_EMPTY_DIR,
		.send_conf = dns_send_conf,
	},
	{
		/* its chroot holds the lease database: the state directory */
		.id = ENGINE_ID_DHCP,
		.name = "dhcp",
		.exe = "dhcp-engine",
		.chroot = NULL,
		.send_conf = dhcp_send_conf,
	},
};
#define NENGINES	ENGINE_ID_MAX

static void	 engine_start(struct engine *);

static int
engine_wanted(const struct engine *e)
{
	switch (e->id) {
	case ENGINE_ID_DNS:
		return moatd->conf->dns.enabled;
	case ENGINE_ID_DHCP:
#ifdef MOAT_DHCP
		return !TAILQ_EMPTY(&moatd->conf->dhcp);
#else
		return 0;
#endif
	default:
		return 0;
	}
}

/* refuse to start with an engine missing, rather than crash-loop on exec */
void
engine_init(void)
{
	char	 path[PATH_MAX];
	size_t	 i;

	for (i = 0; i < NENGINES; i++) {
		engines[i].state = ENGINE_STOPPED;
		engines[i].enabled = engine_wanted(&engines[i]);
		if (!engines[i].enabled)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    moatd->libexec, engines[i].exe) >= sizeof(path))
			fatalx("%s engine: path too long", engines[i].name);
		if (access(path, X_OK) == -1)
			fatal("%s engine %s", engines[i].name, path);
	}
}

static int
engine_compose_peer(struct engine *e, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (e->iev == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (imsgev_compose(e->iev, type, peerid, fd, data, len) == -1) {
		log_warn("%s engine: cannot queue %s", e->name,
		    proto_name(type));
		return -1;
	}
	return 0;
}

int
engine_compose(struct engine *e, uint32_t type, int fd, const void *data,
    size_t len)
{
	return engine_compose_peer(e, type, 0, fd, data, len);
}

static int
dns_send_domain(struct engine *e, enum domain_kind kind, const char *domain)
{
	struct msg_domain	 md;

	memset(&md, 0, sizeof(md));
	md.kind = kind;
	strlcpy(md.domain, domain, sizeof(md.domain));
	return engine_compose(e, IMSG_CONF_DOMAIN, -1, &md, sizeof(md));
}

/* local records in messages of at most IMSG_MAX_PAYLOAD bytes */
static int
dns_send_records(struct engine *e, const struct rr_buf *b)
{
	size_t	 off = 0, n;

	while (off < b->len) {
		/* entries are ours: each is whole and fits a message */
		if ((n = rr_buf_batch(b, off, IMSG_MAX_PAYLOAD)) == 0)
			fatalx("local records: a broken entry at byte %zu",
			    off);
		if (engine_compose(e, IMSG_CONF_RECORDS, -1, b->data + off,
		    n) == -1)
			return -1;
		off += n;
	}
	return 0;
}

static int
dns_send_conf(struct engine *e)
{
	struct msg_conf_begin	 begin;
	struct msg_listen	 ml;
	struct msg_forwarder	 mf;
	struct bound_sock	*b;
	const struct dns_conf	*dns = &moatd->conf->dns;
	const struct domain_conf *d;
	size_t			 i;
	int			 fd;

	memset(&begin, 0, sizeof(begin));
	begin.verbose = moatd->verbose;
	begin.strategy = dns->strategy;
	begin.cache_size = dns->cache_size;
	begin.flags = dns->flags;
	if (engine_compose(e, IMSG_CONF_BEGIN, -1, &begin, sizeof(begin)))
		return -1;
	TAILQ_FOREACH(b, &moatd->dns_socks, entry) {
		if (!b->used)
			continue;
		if ((fd = fcntl(b->fd, F_DUPFD_CLOEXEC, 0)) == -1) {
			log_warn("dup");
			return -1;
		}
		memset(&ml, 0, sizeof(ml));
		ml.addr = b->addr;
		ml.proto = b->proto;
		if (engine_compose(e, IMSG_CONF_LISTEN, fd, &ml, sizeof(ml)))
			return -1;
	}
	for (i = 0; i < moatd->nfwd; i++) {
		memset(&mf, 0, sizeof(mf));
		mf.addr = moatd->fwd[i].addr;
		strlcpy(mf.domain, moatd->fwd[i].domain, sizeof(mf.domain));
		mf.from_file = moatd->fwd[i].from_file;
		if (engine_compose(e, IMSG_CONF_FORWARDER, -1, &mf,
		    sizeof(mf)))
			return -1;
	}
	if (dns->domain[0] != '\0' &&
	    dns_send_domain(e, DOMAIN_OWN, dns->domain) == -1)
		return -1;
	TAILQ_FOREACH(d, &dns->domains, entry)
		if (dns_send_domain(e, d->kind, d->domain) == -1)
			return -1;
	if (dns_send_records(e, &dns->records) == -1 ||
	    dns_send_records(e, &moatd->hosts) == -1)
		return -1;
	if (engine_compose(e, IMSG_CONF_END, -1, NULL, 0) == -1)
		return -1;
	/* the names of leases follow every configuration */
	dhcp_names_send_all();
	return 0;
}

/* a lease as moatctl gets it: its strings ended whatever the engine sent */
static void
relay_lease(struct engine *e, struct imsg *imsg)
{
	struct msg_ctl_lease	 l;

	memcpy(&l, imsg->data, sizeof(l));
	l.ifname[sizeof(l.ifname) - 1] = '\0';
	l.lease.hostname[sizeof(l.lease.hostname) - 1] = '\0';
	control_relay(e->id, imsg->hdr.peerid, imsg->hdr.type, &l, sizeof(l));
}

/*
 * An engine sends the parent the replies to control requests it
 * relayed, each engine those of its own requests, and the DHCP engine
 * its lease events: anything else is a broken engine.
 */
static int
engine_dispatch(struct imsgev *iev, struct imsg *imsg, void *arg)
{
	struct engine	*e = arg;
	uint32_t	 type = imsg->hdr.type;

	if (proto_check(imsg, e->name) == -1)
		return -1;
	if (type == IMSG_CTL_RESULT) {
		control_relay(e->id, imsg->hdr.peerid, type, imsg->data,
		    imsg->len);
		return 0;
	}
	switch (e->id) {
	case ENGINE_ID_DNS:
		if (type != IMSG_CTL_CACHE_ENTRY &&
		    type != IMSG_CTL_DNS_STATS &&
		    type != IMSG_CTL_FORWARDER_STATS)
			break;
		control_relay(e->id, imsg->hdr.peerid, type, imsg->data,
		    imsg->len);
		return 0;
	case ENGINE_ID_DHCP:
		if (type == IMSG_CTL_LEASE) {
			relay_lease(e, imsg);
			return 0;
		}
		if (type == IMSG_DHCP_NAMES_RESET ||
		    type == IMSG_DHCP_LEASE_EVENT)
			return dhcp_engine_message(imsg);
		break;
	default:
		break;
	}
	log_warnx("%s engine: unexpected %s message", e->name,
	    proto_name(type));
	return -1;
}

static void
engine_closed(struct imsgev *iev, void *arg)
{
	struct engine	*e = arg;

	imsgev_clear(e->iev);
	free(e->iev);
	e->iev = NULL;
	control_engine_gone(e->id);
	/* a live engine that broke its channel is killed and restarted */
	if (e->pid > 0 && !moatd->stopping) {
		log_warnx("%s engine: lost its channel, stopping pid %d",
		    e->name, (int)e->pid);
		kill(e->pid, SIGKILL);
	}
}

static void
engine_exec(struct engine *e, int fd)
{
	char	 path[PATH_MAX];
	char	*argv[16];
	int	 argc = 0, i;

	if (fd != MOAT_PARENT_FD) {
		if (dup2(fd, MOAT_PARENT_FD) == -1)
			_exit(1);
	} else if (fcntl(fd, F_SETFD, 0) == -1)
		_exit(1);
	closefrom(MOAT_PARENT_FD + 1);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", moatd->libexec,
	    e->exe) >= sizeof(path))
		_exit(1);
	argv[argc++] = path;
	argv[argc++] = "-u";
	argv[argc++] = moatd->conf->user;
	argv[argc++] = "-r";
	argv[argc++] = e->chroot != NULL ? (char *)e->chroot :
	    moatd->conf->state_dir;
	if (moatd->debug)
		argv[argc++] = "-d";
	if (moatd->conf->sandbox_debug)
		argv[argc++] = "-S";
	for (i = 0; i < moatd->verbose && i < 3; i++)
		argv[argc++] = "-v";
	argv[argc] = NULL;
	execv(path, argv);
	log_warn("exec %s", path);
	_exit(1);
}

static void
engine_start(struct engine *e)
{
	int	 sp[2];
	pid_t	 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("%s engine: socketpair", e->name);
		return;
	}
	switch ((pid = fork())) {
	case -1:
		log_warn("%s engine: fork", e->name);
		close(sp[0]);
		close(sp[1]);
		return;
	case 0:
		close(sp[0]);
		engine_exec(e, sp[1]);
		/* NOTREACHED */
	}
	close(sp[1]);
	if (fcntl(sp[0], F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	e->pid = pid;
	e->state = ENGINE_RUNNING;
	clock_gettime(CLOCK_MONOTONIC, &e->started);
	if ((e->iev = calloc(1, sizeof(*e->iev))) == NULL)
		fatal("calloc");
	if (imsgev_init(e->iev, sp[0], engine_dispatch, engine_closed, e) ==
	    -1)
		fatal("imsgev_init");
	log_debug("%s engine started, pid %d", e->name, (int)pid);
	if (e->send_conf(e) == -1)
		kill(pid, SIGKILL);
}

static void
engine_restart_cb(int fd, short event, void *arg)
{
	struct engine	*e = arg;

	if (e->state != ENGINE_WAITING || moatd->stopping)
		return;
	e->restarts++;
	engine_start(e);
}

void
engine_start_all(void)
{
	size_t	 i;

	for (i = 0; i < NENGINES; i++) {
		evtimer_set(&engines[i].restart_ev, engine_restart_cb,
		    &engines[i]);
		if (engines[i].enabled)
			engine_start(&engines[i]);
	}
}

static long
engine_lived_ms(const struct engine *e)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - e->started.tv_sec) * 1000 +
	    (now.tv_nsec - e->started.tv_nsec) / 1000000;
}

static void
engine_died(struct engine *e, int status)
{
	struct timeval	 tv;

	if (WIFSIGNALED(status))
		log_warnx("%s engine (pid %d) killed by signal %d", e->name,
		    (int)e->pid, WTERMSIG(status));
	else
		log_warnx("%s engine (pid %d) exited with status %d", e->name,
		    (int)e->pid, WEXITSTATUS(status));
	e->pid = 0;
	if (e->iev != NULL) {
		imsgev_clear(e->iev);
		free(e->iev);
		e->iev = NULL;
	}
	control_engine_gone(e->id);
	if (moatd->stopping || !e->enabled) {
		e->state = ENGINE_STOPPED;
		return;
	}
	if (engine_lived_ms(e) >= BACKOFF_RESET_S * 1000 || e->backoff_ms == 0)
		e->backoff_ms = BACKOFF_FIRST_MS;
	else if ((e->backoff_ms *= 2) > BACKOFF_MAX_MS)
		e->backoff_ms = BACKOFF_MAX_MS;
	log_info("%s engine: restarting in %d ms", e->name, e->backoff_ms);
	e->state = ENGINE_WAITING;
	tv.tv_sec = e->backoff_ms / 1000;
	tv.tv_usec = (e->backoff_ms % 1000) * 1000;
	evtimer_add(&e->restart_ev, &tv);
}

void
engine_sigchld(void)
{
	pid_t	 pid;
	size_t	 i;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < NENGINES; i++)
			if (engines[i].pid == pid)
				break;
		if (i < NENGINES)
			engine_died(&engines[i], status);
		else if (!hook_reaped(pid, status))
			log_debug("reaped pid %d, not ours", (int)pid);
	}
}

/* after a reload: start, stop or re-send to each engine as needed */
void
engine_reconfigure(void)
{
	struct engine	*e;
	size_t		 i;

	for (i = 0; i < NENGINES; i++) {
		e = &engines[i];
		e->enabled = engine_wanted(e);
		if (!e->enabled) {
			if (e->pid > 0)
				kill(e->pid, SIGTERM);
			evtimer_del(&e->restart_ev);
			if (e->state == ENGINE_WAITING)
				e->state = ENGINE_STOPPED;
			continue;
		}
		if (e->state == ENGINE_STOPPED) {
			e->backoff_ms = 0;
			engine_start(e);
		} else if (e->state == ENGINE_RUNNING && e->send_conf(e) == -1)
			kill(e->pid, SIGKILL);
	}
}

void
engine_send_conf_again(enum engine_id id)
{
	struct engine	*e = &engines[id];

	if (e->state == ENGINE_RUNNING && e->iev != NULL &&
	    e->send_conf(e) == -1)
		kill(e->pid, SIGKILL);
}

/* the forwarders changed (forwarder file): tell the DNS engine */
void
engine_send_dns_conf_again(void)
{
	engine_send_conf_again(ENGINE_ID_DNS);
}

int
engine_running(enum engine_id id)
{
	return engines[id].state == ENGINE_RUNNING && engines[id].iev != NULL;
}

int
engine_send(enum engine_id id, uint32_t type, int fd, const void *data,
    size_t len)
{
	if (!engine_running(id)) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return engine_compose(&engines[id], type, fd, data, len);
}

int
engine_request(enum engine_id id, uint32_t type, uint32_t client)
{
	if (!engine_running(id))
		return -1;
	return engine_compose_peer(&engines[id], type, client, -1, NULL, 0);
}

void
engine_broadcast(uint32_t type, const void *data, size_t len)
{
	size_t	 i;

	for (i = 0; i < NENGINES; i++)
		if (engines[i].state == ENGINE_RUNNING)
			engine_compose(&engines[i], type, -1, data, len);
}

/*
 * Stop every engine: SIGTERM, then wait, then SIGKILL for any that does
 * not go, so that no child outlives the parent.
 */
void
engine_stop_all(void)
{
	struct timespec	 nap = { 0, 20 * 1000 * 1000 };
	size_t		 i, alive;
	pid_t		 r;
	int		 waited, status;

	for (i = 0; i < NENGINES; i++) {
		evtimer_del(&engines[i].restart_ev);
		if (engines[i].pid > 0)
			kill(engines[i].pid, SIGTERM);
	}
	for (waited = 0; waited <= STOP_WAIT_MS + 1000; waited += 20) {
		alive = 0;
		for (i = 0; i < NENGINES; i++) {
			if (engines[i].pid <= 0)
				continue;
			r = waitpid(engines[i].pid, &status, WNOHANG);
			if (r == engines[i].pid || (r == -1 && errno == ECHILD)) {
				engines[i].pid = 0;
				continue;
			}
			if (waited >= STOP_WAIT_MS)
				kill(engines[i].pid, SIGKILL);
			alive++;
		}
		if (alive == 0)
			break;
		nanosleep(&nap, NULL);
	}
	for (i = 0; i < NENGINES; i++)
		engines[i].state = ENGINE_STOPPED;
}

size_t
engine_status(struct msg_engine_status *out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < NENGINES && n < max; i++) {
		if (!engines[i].enabled && engines[i].state == ENGINE_STOPPED)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		strlcpy(out[n].name, engines[i].name, sizeof(out[n].name));
		out[n].pid = engines[i].pid;
		out[n].state = engines[i].state;
		out[n].restarts = engines[i].restarts;
		if (engines[i].state == ENGINE_RUNNING)
			out[n].uptime = engine_lived_ms(&engines[i]) / 1000;
		n++;
	}
	return n;
}
