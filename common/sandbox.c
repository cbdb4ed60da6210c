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
#include <sys/prctl.h>

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

/*
 * What every engine needs whatever its protocol: memory, signals, time,
 * the event loop, the channel to the parent (and the syslog socket, which
 * libc may reopen), randomness and a clean exit.
 */
static const char *const sandbox_common_calls[] = {
	"read", "write", "readv", "writev", "close",
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	"rt_sigreturn", "rt_sigaction", "rt_sigprocmask",
	"clock_gettime", "gettimeofday", "time", "nanosleep",
	"clock_nanosleep",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"poll", "ppoll",
	"getpid", "gettid",
	"sendmsg", "recvmsg", "sendto", "socket", "connect",
	"fcntl", "fstat", "newfstatat", "lseek",
	"getrandom", "futex",
	"exit", "exit_group", "restart_syscall", "tgkill",
	NULL
};

static void
sandbox_sigsys(int sig, siginfo_t *si, void *uctx)
{
	char		 msg[80], num[12];
	size_t		 n, i;
	unsigned int	 nr = (unsigned int)si->si_syscall;

	/* only async-signal-safe calls here: no stdio, no malloc */
	i = sizeof(num);
	do {
		num[--i] = '0' + nr % 10;
		nr /= 10;
	} while (nr > 0 && i > 0);
	n = strlcpy(msg, "sandbox: system call ", sizeof(msg));
	memcpy(msg + n, num + i, sizeof(num) - i);
	n += sizeof(num) - i;
	n += strlcpy(msg + n, " not allowed, failed\n", sizeof(msg) - n);
	if (write(STDERR_FILENO, msg, n) == -1) {
		/* nowhere left to say it; the call still fails below */
	}

#if defined(__x86_64__)
	((ucontext_t *)uctx)->uc_mcontext.gregs[REG_RAX] = -ENOSYS;
#elif defined(__aarch64__)
	((ucontext_t *)uctx)->uc_mcontext.regs[0] = -ENOSYS;
#else
	_exit(1);
#endif
}

static void
sandbox_add(scmp_filter_ctx ctx, const char *const *names)
{
	int	 nr;

	for (; names != NULL && *names != NULL; names++) {
		nr = seccomp_syscall_resolve_name(*names);
		/* a call this architecture lacks needs no rule */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0)
			fatalx("sandbox: cannot allow %s", *names);
	}
}

static void
sandbox_seccomp(const struct sandbox *sb)
{
	struct sigaction	 sa;
	scmp_filter_ctx		 ctx;
	uint32_t		 deflt = SCMP_ACT_KILL_PROCESS;

	if (sb->debug) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = sandbox_sigsys;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSYS, &sa, NULL) == -1)
			fatal("sandbox: sigaction");
		deflt = SCMP_ACT_TRAP;
		log_warnx("sandbox debug: disallowed system calls are "
		    "logged, not fatal");
	}
	if ((ctx = seccomp_init(deflt)) == NULL)
		fatalx("sandbox: seccomp_init failed");
	sandbox_add(ctx, sandbox_common_calls);
	sandbox_add(ctx, sb->syscalls);
	if (seccomp_load(ctx) != 0)
		fatalx("sandbox: cannot load the system call filter");
	seccomp_release(ctx);
}

/* While still root: empty the bounding and ambient sets for good. */
static void
sandbox_drop_bounds(void)
{
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(CAPNG_SELECT_BOUNDS) != 0)
		fatalx("sandbox: cannot clear the capability bounding set");
	if (capng_apply(CAPNG_SELECT_AMBIENT) != 0)
		fatalx("sandbox: cannot clear the ambient capabilities");
}

/* After the uid change the kernel has cleared them; make sure. */
static void
sandbox_drop_caps(void)
{
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		fatalx("sandbox: cannot drop capabilities");
	if (capng_get_caps_process() != 0)
		fatalx("sandbox: cannot read capabilities back");
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE)
		fatalx("sandbox: capabilities remain after dropping them");
}

void
sandbox_enter(const struct sandbox *sb)
{
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid;

	if ((pw = getpwnam(sb->user)) == NULL)
		fatalx("sandbox: no such user \"%s\"", sb->user);
	if (pw->pw_uid == 0)
		fatalx("sandbox: user \"%s\" is root", sb->user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;

	if (chroot(sb->root) == -1)
		fatal("sandbox: chroot %s", sb->root);
	if (chdir("/") == -1)
		fatal("sandbox: chdir /");

	sandbox_drop_bounds();
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1)
		fatal("sandbox: PR_SET_KEEPCAPS");
	if (setgroups(1, &gid) == -1)
		fatal("sandbox: setgroups");
	if (setresgid(gid, gid, gid) == -1)
		fatal("sandbox: setresgid");
	if (setresuid(uid, uid, uid) == -1)
		fatal("sandbox: setresuid");
	sandbox_drop_caps();

	if (getuid() != uid || geteuid() != uid || getgid() != gid)
		fatalx("sandbox: identity change did not hold");
	if (setresuid(0, 0, 0) != -1)
		fatalx("sandbox: could regain root");

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("sandbox: PR_SET_NO_NEW_PRIVS");
	sandbox_seccomp(sb);
}
