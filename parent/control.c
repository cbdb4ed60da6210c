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
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "moatd.h"

/*
 * The control socket moatctl talks to: imsg frames over a Unix stream
 * socket, by default only root's (mode 0600).  A client that sends
 * anything but a control request of the right size is dropped.
 *
 * Requests about the cache and statistics go on to the DNS engine, and
 * about leases to the DHCP engine, tagged with the client's id; the
 * replies come back with that id and go to that client, or nowhere when
 * it has gone.  Ids are not reused while their client is connected, so a
 * late reply cannot reach another.  What a client waits for is counted
 * per engine, so one engine's death ends only the replies it owed.
 */

#define CONTROL_MAX_CLIENTS	16
#define CONTROL_MAX_ENGINES	8

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 entry;
	struct imsgev		 iev;
	uint32_t		 id;
	/* requests sent on to each engine, not yet answered */
	unsigned int		 pending[ENGINE_ID_MAX];
};

static const char *const engine_titles[ENGINE_ID_MAX] = {
	[ENGINE_ID_DNS] = "DNS",
	[ENGINE_ID_DHCP] = "DHCP",
};

static TAILQ_HEAD(, ctl_client)	 clients = TAILQ_HEAD_INITIALIZER(clients);
static int			 nclients;
static uint32_t			 last_id;
static int			 control_fd = -1;
static struct event		 control_ev;

static void
control_result(struct ctl_client *c, int ok, const char *msg)
{
	struct msg_ctl_result	 r;

	memset(&r, 0, sizeof(r));
	r.ok = ok;
	strlcpy(r.message, msg, sizeof(r.message));
	imsgev_compose(&c->iev, IMSG_CTL_RESULT, 0, -1, &r, sizeof(r));
}

static void
control_show_status(struct ctl_client *c)
{
	struct msg_engine_status	 st[CONTROL_MAX_ENGINES];
	size_t				 i, n;

	n = engine_status(st, CONTROL_MAX_ENGINES);
	for (i = 0; i < n; i++)
		imsgev_compose(&c->iev, IMSG_CTL_ENGINE_STATUS, 0, -1, &st[i],
		    sizeof(st[i]));
	control_result(c, 1, "");
}

static struct ctl_client *
control_find(uint32_t id)
{
	struct ctl_client	*c;

	TAILQ_FOREACH(c, &clients, entry)
		if (c->id == id)
			return c;
	return NULL;
}

static uint32_t
control_new_id(void)
{
	do {
		if (++last_id == 0)
			last_id = 1;
	} while (control_find(last_id) != NULL);
	return last_id;
}

static void
control_engine_request(struct ctl_client *c, enum engine_id id,
    uint32_t type)
{
	char	 msg[MOAT_CTL_MESSAGE_MAX];

	if (engine_request(id, type, c->id) == -1) {
		snprintf(msg, sizeof(msg), "the %s engine is not running",
		    engine_titles[id]);
		control_result(c, 0, msg);
		return;
	}
	c->pending[id]++;
}

static void	 control_closed(struct imsgev *, void *);

void
control_relay(enum engine_id eid, uint32_t id, uint32_t type,
    const void *data, size_t len)
{
	struct ctl_client	*c;

	if ((c = control_find(id)) == NULL || c->pending[eid] == 0) {
		log_debug("control: dropping %s for client %u, gone",
		    proto_name(type), id);
		return;
	}
	if (type == IMSG_CTL_RESULT)
		c->pending[eid]--;
	if (imsgev_compose(&c->iev, type, 0, -1, data, len) == -1) {
		/* it does not read: it cannot have its reply */
		log_warn("control: client %u", id);
		control_closed(&c->iev, c);
	}
}

void
control_engine_gone(enum engine_id eid)
{
	struct ctl_client	*c;
	char			 msg[MOAT_CTL_MESSAGE_MAX];

	snprintf(msg, sizeof(msg), "the %s engine stopped",
	    engine_titles[eid]);
	TAILQ_FOREACH(c, &clients, entry) {
		if (c->pending[eid] == 0)
			continue;
		c->pending[eid] = 0;
		control_result(c, 0, msg);
	}
}

static int
control_dispatch(struct imsgev *iev, struct imsg *imsg, void *arg)
{
	struct ctl_client	*c = arg;
	struct msg_verbose	 mv;
	char			 msg[MOAT_CTL_MESSAGE_MAX];
	int			 rv;

	if (proto_check(imsg, "control") == -1)
		return -1;
	switch (imsg->hdr.type) {
	case IMSG_CTL_SHOW_STATUS:
		control_show_status(c);
		break;
	case IMSG_CTL_RELOAD:
		rv = moatd_reload(msg, sizeof(msg));
		control_result(c, rv == 0, msg);
		break;
	case IMSG_LOG_VERBOSE:
		memcpy(&mv, imsg->data, sizeof(mv));
		if (mv.verbose < 0 || mv.verbose > 3) {
			log_warnx("control: verbosity %d out of range",
			    mv.verbose);
			return -1;
		}
		moatd_set_verbose(mv.verbose);
		control_result(c, 1, mv.verbose ? "logging verbose" :
		    "logging brief");
		break;
	case IMSG_CTL_SHOW_CACHE:
	case IMSG_CTL_FLUSH_CACHE:
	case IMSG_CTL_SHOW_STATS:
		control_engine_request(c, ENGINE_ID_DNS, imsg->hdr.type);
		break;
	case IMSG_CTL_SHOW_LEASES:
		control_engine_request(c, ENGINE_ID_DHCP, imsg->hdr.type);
		break;
	default:
		log_warnx("control: %s is not a control request",
		    proto_name(imsg->hdr.type));
		return -1;
	}
	return 0;
}

static void
control_closed(struct imsgev *iev, void *arg)
{
	struct ctl_client	*c = arg;

	imsgev_clear(&c->iev);
	TAILQ_REMOVE(&clients, c, entry);
	nclients--;
	free(c);
}

static void
control_accept(int fd, short event, void *arg)
{
	struct ctl_client	*c;
	int			 cfd;

	if ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept");
		return;
	}
	if (nclients >= CONTROL_MAX_CLIENTS) {
		log_warnx("control: too many clients");
		close(cfd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control: calloc");
		close(cfd);
		return;
	}
	if (imsgev_init(&c->iev, cfd, control_dispatch, control_closed, c) ==
	    -1) {
		log_warn("control: imsgev_init");
		close(cfd);
		free(c);
		return;
	}
	c->id = control_new_id();
	TAILQ_INSERT_TAIL(&clients, c, entry);
	nclients++;
}

/* refuse to take over the socket of a moatd that is still running */
static int
control_in_use(const struct sockaddr_un *sun)
{
	int	 fd, rv;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return rv;
}

int
control_init(const char *path)
{
	struct sockaddr_un	 sun;
	mode_t			 old_umask;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	if (control_in_use(&sun)) {
		log_warnx("control socket %s is in use: another moatd runs",
		    path);
		return -1;
	}
	if ((control_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("control: socket");
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("control: unlink %s", path);
		return -1;
	}
	old_umask = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	if (bind(control_fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control: bind %s", path);
		umask(old_umask);
		return -1;
	}
	umask(old_umask);
	if (chmod(path, S_IRUSR | S_IWUSR) == -1 ||
	    listen(control_fd, 8) == -1) {
		log_warn("control: %s", path);
		return -1;
	}
	return 0;
}

/* once the event loop exists: take connections */
void
control_listen(void)
{
	event_set(&control_ev, control_fd, EV_READ | EV_PERSIST,
	    control_accept, NULL);
	event_add(&control_ev, NULL);
}

void
control_cleanup(const char *path)
{
	if (control_fd == -1)
		return;
	event_del(&control_ev);
	close(control_fd);
	control_fd = -1;
	unlink(path);
}
