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

#ifndef MOAT_LOG_H
#define MOAT_LOG_H

#include <stdarg.h>

/*
 * Logging for every process: syslog(3) as "moatd" (facility daemon), or
 * standard error when debug is set.  Call log_init before chroot so the
 * syslog socket is already open.
 */
void	log_init(int debug, int facility);
/* the process name shown before each message, e.g. "dns engine" */
void	log_procinit(const char *);
void	log_setverbose(int);
int	log_getverbose(void);

void	log_warn(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
/* shown only when verbose */
void	log_debug(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	vlog(int, const char *, va_list)
	    __attribute__((__format__ (printf, 2, 0)));

void	fatal(const char *, ...)
	    __attribute__((__noreturn__, __format__ (printf, 1, 2)));
void	fatalx(const char *, ...)
	    __attribute__((__noreturn__, __format__ (printf, 1, 2)));

/*
 * For input from the network: at most burst messages per window seconds
 * pass; the rest are counted and the count reported when the next window
 * opens.  One struct per kind of message.
 */
struct log_limit {
	long		 window_start;
	unsigned int	 passed;
	unsigned int	 dropped;
};
void	log_limited(struct log_limit *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));

#endif /* MOAT_LOG_H */
