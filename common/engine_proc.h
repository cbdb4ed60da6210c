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

#ifndef MOAT_ENGINE_PROC_H
#define MOAT_ENGINE_PROC_H

#include <stdint.h>

#include "imsg.h"

/*
 * What every engine process does the same way: read the arguments the
 * parent gives it (-u user -r root [-dSv]), check that descriptor
 * MOAT_PARENT_FD is its channel, start logging and libevent, set its
 * title, exit on SIGTERM and SIGINT, and enter the sandbox; later, read
 * the channel until the parent goes away.  Each engine's main is
 *	engine_proc_start(...); its own set-up; engine_proc_run(...).
 */

/*
 * name: "dns engine", for the log and the process title; syscalls: what
 * the engine needs beyond the sandbox's common set.  Returns the chroot
 * the engine now runs in (as given with -r).  Exits on bad arguments.
 */
const char	*engine_proc_start(int argc, char *argv[], char *envp[],
		    const char *name, const char *const *syscalls);
/*
 * The engine's part of reading the channel: called for each message once
 * proto_check has passed it (IMSG_LOG_VERBOSE is handled here).  Returns
 * 0, -1 for a message that breaks the contract (the channel is dropped
 * and the parent restarts the engine), or ENGINE_MSG_UNKNOWN for a type
 * it does not take (logged, then the same as -1).
 */
#define ENGINE_MSG_UNKNOWN	1
typedef int	(*engine_dispatch_cb)(struct imsg *);

/* serves the channel to the parent with dispatch; never returns */
void		 engine_proc_run(struct imsgev *, engine_dispatch_cb)
		    __attribute__((__noreturn__));
/* an IMSG_CTL_RESULT for the control client peerid */
void		 engine_ctl_result(struct imsgev *, uint32_t peerid, int ok,
		    const char *message);

#endif /* MOAT_ENGINE_PROC_H */
