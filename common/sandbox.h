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

#ifndef MOAT_SANDBOX_H
#define MOAT_SANDBOX_H

/*
 * What an engine does before it reads any input: chroot to root, drop to
 * user (groups, gid, uid), clear every capability set, set no_new_privs,
 * and install a seccomp allow list.  Any failure is fatal with a message
 * that names what was missing.
 */
struct sandbox {
	const char	*user;
	const char	*root;
	/*
	 * System calls this engine needs beyond the common set (sandbox.c),
	 * as names libseccomp knows; NULL-terminated.
	 */
	const char	*const *syscalls;
	/*
	 * Log a call outside the allow list and fail it with ENOSYS instead
	 * of killing the process.  For finding what an engine needs.
	 */
	int		 debug;
};

void	sandbox_enter(const struct sandbox *);

#endif /* MOAT_SANDBOX_H */
