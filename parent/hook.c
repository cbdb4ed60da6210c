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
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "moatd.h"

/*
 * The lease hook: a program the administrator names, run once per lease
 * event, one at a time and in the order of the events, as an
 * unprivileged user, with the arguments and environment of dnsmasq's
 * dhcp-script.  Its exit is reaped through the parent's SIGCHLD path.
 */

#define HOOK_QUEUE_MAX		4096
#define HOOK_TIMEOUT_S		30
#define HOOK_GROUPS_MAX		256
#define HOOK_ENV_MAX		8
/* the longest: MOATD_DOMAIN or MOATD_CLIENT_ID */
#define HOOK_ENV_LEN		(MOAT_DOMAIN_MAX + 3 * MOAT_DHCP_LEASE_CID_MAX)

struct hook_job {
	TAILQ_ENTRY(hook_job)	 entry;
	struct msg_lease_event	 ev;
};

static TAILQ_HEAD(, hook_job)	 jobs = TAILQ_HEAD_INITIALIZER(jobs);
static size_t			 njobs;
static size_t			 ndropped;
static pid_t			 hook_pid;
static char			 hook_what[128];	/* for the log */
static struct event		 hook_timer;
static int			 hook_timer_set;

/* what the child is given, made before the fork */
struct hook_run {
	char		 path[PATH_MAX];
	char		 action[4];
	char		 hwaddr[3 * MOAT_DHCP_HW_MAX];
	char		 addr[INET_ADDRSTRLEN];
	char		 hostname[MOAT_DHCP_NAME_MAX];
	char		*argv[6];
	char		 env[HOOK_ENV_MAX][HOOK_ENV_LEN];
	char		*envp[HOOK_ENV_MAX + 1];
	size_t		 nenv;
	uid_t		 uid;
	gid_t		 gid;
	gid_t		 groups[HOOK_GROUPS_MAX];
	int		 ngroups;
};

static void	 hook_next(void);

static const char *
event_action(uint32_t type)
{
	switch (type) {
	case LEASE_EVENT_ADD:
		return "add";
	case LEASE_EVENT_OLD:
		return "old";
	default:
		return "del";
	}
}

/* "aa:bb:cc", lower case; "" for none */
static void
hex_colons(char *out, size_t outsz, const uint8_t *p, size_t len)
{
	size_t	 i, pos = 0;

	out[0] = '\0';
	for (i = 0; i < len && pos < outsz; i++)
		pos += snprintf(out + pos, outsz - pos, "%s%02x",
		    i ? ":" : "", p[i]);
}

static void
env_add(struct hook_run *r, const char *fmt, ...)
	__attribute__((__format__ (printf, 2, 3)));

static void
env_add(struct hook_run *r, const char *fmt, ...)
{
	va_list	 ap;

	if (r->nenv >= HOOK_ENV_MAX)
		fatalx("lease hook: environment full");
	va_start(ap, fmt);
	vsnprintf(r->env[r->nenv], sizeof(r->env[r->nenv]), fmt, ap);
	va_end(ap);
	r->envp[r->nenv] = r->env[r->nenv];
	r->nenv++;
	r->envp[r->nenv] = NULL;
}

static void
run_args(struct hook_run *r, const struct msg_lease_event *ev)
{
	const struct msg_lease	*l = &ev->lease;
	char			 cid[3 * MOAT_DHCP_LEASE_CID_MAX];
	int			 n = 0;

	strlcpy(r->path, moatd->conf->lease_hook, sizeof(r->path));
	strlcpy(r->action, event_action(ev->type), sizeof(r->action));
	hex_colons(r->hwaddr, sizeof(r->hwaddr), l->hwaddr, l->hlen);
	inet_ntop(AF_INET, &l->addr, r->addr, sizeof(r->addr));
	strlcpy(r->hostname, l->hostname, sizeof(r->hostname));
	r->argv[n++] = r->path;
	r->argv[n++] = r->action;
	r->argv[n++] = r->hwaddr;
	r->argv[n++] = r->addr;
	if (r->hostname[0] != '\0')
		r->argv[n++] = r->hostname;
	r->argv[n] = NULL;

	r->nenv = 0;
	env_add(r, "PATH=/usr/bin:/bin");
	if (ev->ifname[0] != '\0')
		env_add(r, "MOATD_INTERFACE=%s", ev->ifname);
	if (!(l->flags & MOAT_LEASE_F_BOOTP)) {
		env_add(r, "MOATD_LEASE_EXPIRES=%lld", (long long)l->end);
		env_add(r, "MOATD_LEASE_LENGTH=%lld",
		    (long long)(l->end - l->start));
	}
	if (l->cid_len > 0) {
		hex_colons(cid, sizeof(cid), l->cid, l->cid_len);
		env_add(r, "MOATD_CLIENT_ID=%s", cid);
	}
	if (ev->type == LEASE_EVENT_OLD && ev->old_name[0] != '\0')
		env_add(r, "MOATD_OLD_HOSTNAME=%s", ev->old_name);
	if (moatd->conf->dns.domain[0] != '\0')
		env_add(r, "MOATD_DOMAIN=%s", moatd->conf->dns.domain);
}

/* the user is looked up for each run, so a change to it takes effect */
static int
run_user(struct hook_run *r)
{
	const char	*user = moatd->conf->lease_hook_user;
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("lease hook: user \"%s\" does not exist", user);
		return -1;
	}
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	r->ngroups = HOOK_GROUPS_MAX;
	if (getgrouplist(user, pw->pw_gid, r->groups, &r->ngroups) == -1) {
		log_warnx("lease hook: user \"%s\" is in more than %d groups",
		    user, HOOK_GROUPS_MAX);
		return -1;
	}
	return 0;
}

/* in the child: nothing of the parent's is left but the arguments */
static void
hook_child(const struct hook_run *r)
{
	sigset_t	 none;
	int		 fd, sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((fd = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		_exit(126);
	closefrom(STDERR_FILENO + 1);
	if (chdir("/") == -1 ||
	    setgroups(r->ngroups, r->groups) == -1 ||
	    setresgid(r->gid, r->gid, r->gid) == -1 ||
	    setresuid(r->uid, r->uid, r->uid) == -1)
		_exit(126);
	execve(r->path, r->argv, r->envp);
	_exit(127);
}

static void
hook_timeout(int fd, short event, void *arg)
{
	if (hook_pid <= 0)
		return;
	log_warnx("lease hook %s: still running after %d s, killed",
	    hook_what, HOOK_TIMEOUT_S);
	kill(hook_pid, SIGKILL);
}

/* 0 when the hook runs now */
static int
hook_start(const struct msg_lease_event *ev)
{
	struct hook_run	*r;
	struct timeval	 tv = { HOOK_TIMEOUT_S, 0 };
	pid_t		 pid;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("lease hook");
		return -1;
	}
	run_args(r, ev);
	if (run_user(r) == -1) {
		free(r);
		return -1;
	}
	snprintf(hook_what, sizeof(hook_what), "%s %s%s%s", r->action,
	    r->addr, r->hostname[0] ? " " : "", r->hostname);
	switch ((pid = fork())) {
	case -1:
		log_warn("lease hook %s: fork", hook_what);
		free(r);
		return -1;
	case 0:
		hook_child(r);
		/* NOTREACHED */
	}
	free(r);
	log_debug("lease hook %s: pid %d", hook_what, (int)pid);
	hook_pid = pid;
	if (!hook_timer_set) {
		evtimer_set(&hook_timer, hook_timeout, NULL);
		hook_timer_set = 1;
	}
	evtimer_add(&hook_timer, &tv);
	return 0;
}

static void
hook_next(void)
{
	struct hook_job	*j;
	int		 started;

	while (hook_pid == 0 && (j = TAILQ_FIRST(&jobs)) != NULL) {
		TAILQ_REMOVE(&jobs, j, entry);
		njobs--;
		/* a reload may have taken the hook away */
		started = moatd->conf->lease_hook[0] != '\0' &&
		    hook_start(&j->ev) == 0;
		free(j);
		if (started)
			break;
	}
}

void
hook_queue(const struct msg_lease_event *ev)
{
	struct hook_job	*j;

	if (njobs >= HOOK_QUEUE_MAX) {
		if (ndropped++ % HOOK_QUEUE_MAX == 0)
			log_warnx("lease hook: %d events wait, dropping more "
			    "(%zu so far)", HOOK_QUEUE_MAX, ndropped);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		log_warn("lease hook");
		return;
	}
	j->ev = *ev;
	TAILQ_INSERT_TAIL(&jobs, j, entry);
	njobs++;
	hook_next();
}

int
hook_reaped(pid_t pid, int status)
{
	if (hook_pid <= 0 || pid != hook_pid)
		return 0;
	hook_pid = 0;
	evtimer_del(&hook_timer);
	if (WIFSIGNALED(status))
		log_warnx("lease hook %s: killed by signal %d", hook_what,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warnx("lease hook %s: exited with status %d", hook_what,
		    WEXITSTATUS(status));
	else
		log_debug("lease hook %s: done", hook_what);
	hook_next();
	return 1;
}
