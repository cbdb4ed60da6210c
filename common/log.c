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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int		 log_debug_mode;
static int		 log_verbose;
static const char	*log_procname;

void
log_init(int debug, int facility)
{
	log_debug_mode = debug;
	if (!debug)
		openlog("moatd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		log_procname = name;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 msg[1024];
	int	 saved_errno = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* one write, so lines of several processes do not interleave */
	if (log_debug_mode && log_procname == NULL)
		dprintf(STDERR_FILENO, "%s\n", msg);
	else if (log_debug_mode)
		dprintf(STDERR_FILENO, "%s: %s\n", log_procname, msg);
	else if (log_procname == NULL)
		syslog(pri, "%s", msg);
	else
		syslog(pri, "%s: %s", log_procname, msg);
	errno = saved_errno;
}

static void
vlog_errno(int pri, int err, const char *fmt, va_list ap)
{
	char	 fmt2[512];

	if (fmt == NULL) {
		log_warnx("%s", strerror(err));
		return;
	}
	snprintf(fmt2, sizeof(fmt2), "%s: %s", fmt, strerror(err));
	vlog(pri, fmt2, ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 err = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, err, fmt, ap);
	va_end(ap);
	errno = err;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 err = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

#define LOG_LIMIT_WINDOW	10	/* seconds */
#define LOG_LIMIT_BURST		5

void
log_limited(struct log_limit *ll, const char *fmt, ...)
{
	struct timespec	 ts;
	va_list		 ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec - ll->window_start >= LOG_LIMIT_WINDOW) {
		if (ll->dropped > 0)
			log_warnx("%u similar messages suppressed",
			    ll->dropped);
		ll->window_start = ts.tv_sec;
		ll->passed = 0;
		ll->dropped = 0;
	}
	if (ll->passed >= LOG_LIMIT_BURST) {
		ll->dropped++;
		return;
	}
	ll->passed++;
	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}
