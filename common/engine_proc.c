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
#include <sys/stat.h>

#include <err.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "engine_proc.h"
#include "imsg.h"
#include "log.h"
#include "proto.h"
#include "sandbox.h"

static struct event	 ev_term, ev_int;
static engine_dispatch_cb engine_dispatch;

static void
usage(void)
{
	fprintf(stderr, "usage: %s -u user -r root [-dSv]\n", getprogname());
	exit(1);
}

static void
on_signal(int sig, short event, void *arg)
{
	log_debug("exiting on signal %d", sig);
	exit(0);
}

static void
parent_closed(struct imsgev *iev, void *arg)
{
	imsgev_clear(iev);
	log_debug("the parent went away, exiting");
	exit(0);
}

static void
check_parent_fd(void)
{
	struct stat	 st;

	if (fstat(MOAT_PARENT_FD, &st) == -1 || !S_ISSOCK(st.st_mode))
		fatalx("descriptor %d is not the channel to moatd: this "
		    "program is started by moatd", MOAT_PARENT_FD);
}

const char *
engine_proc_start(int argc, char *argv[], char *envp[], const char *name,
    const char *const *syscalls)
{
	struct sandbox	 sb;
	int		 ch, debug = 0, verbose = 0;

	memset(&sb, 0, sizeof(sb));
	while ((ch = getopt(argc, argv, "dr:Su:v")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'r':
			/* setproctitle writes over the arguments */
			if ((sb.root = strdup(optarg)) == NULL)
				err(1, "strdup");
			break;
		case 'S':
			sb.debug = 1;
			break;
		case 'u':
			if ((sb.user = strdup(optarg)) == NULL)
				err(1, "strdup");
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || sb.user == NULL || sb.root == NULL)
		usage();

	log_init(debug, LOG_DAEMON);
	log_procinit(name);
	log_setverbose(verbose);
	check_parent_fd();
	setproctitle_init(argc, argv, envp);
	setproctitle("-moatd: %s", name);

	event_init();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal_set(&ev_term, SIGTERM, on_signal, NULL);
	signal_set(&ev_int, SIGINT, on_signal, NULL);
	signal_add(&ev_term, NULL);
	signal_add(&ev_int, NULL);

	sb.syscalls = syscalls;
	sandbox_enter(&sb);
	return sb.root;
}

static int
parent_dispatch(struct imsgev *iev, struct imsg *imsg, void *arg)
{
	struct msg_verbose	 v;
	int			 rv;

	if (proto_check(imsg, "parent") == -1)
		return -1;
	if (imsg->hdr.type == IMSG_LOG_VERBOSE) {
		memcpy(&v, imsg->data, sizeof(v));
		log_setverbose(v.verbose);
		return 0;
	}
	if ((rv = engine_dispatch(imsg)) == ENGINE_MSG_UNKNOWN) {
		log_warnx("parent: unexpected %s message",
		    proto_name(imsg->hdr.type));
		return -1;
	}
	return rv;
}

void
engine_proc_run(struct imsgev *iev, engine_dispatch_cb dispatch)
{
	engine_dispatch = dispatch;
	if (fcntl(MOAT_PARENT_FD, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	if (imsgev_init(iev, MOAT_PARENT_FD, parent_dispatch, parent_closed,
	    NULL) == -1)
		fatal("imsgev_init");
	event_dispatch();
	fatalx("event loop ended");
}

void
engine_ctl_result(struct imsgev *iev, uint32_t peerid, int ok,
    const char *message)
{
	struct msg_ctl_result	 r;

	memset(&r, 0, sizeof(r));
	r.ok = ok;
	strlcpy(r.message, message, sizeof(r.message));
	if (imsgev_compose(iev, IMSG_CTL_RESULT, peerid, -1, &r,
	    sizeof(r)) == -1)
		log_warn("cannot queue a reply to moatctl");
}
