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

/*
 * moatctl: ask a running moatd over its control socket.  One request,
 * then every reply frame up to the IMSG_CTL_RESULT that ends it.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"
#include "log.h"
#include "proto.h"

#ifndef MOAT_CTL_SOCKET
#define MOAT_CTL_SOCKET		"/var/run/moatd.sock"
#endif

#define CTL_TIMEOUT_MS		10000
/* far more than moatd runs; a longer reply is a broken peer */
#define CTL_MAX_ENGINES		64

enum command {
	CMD_SHOW_STATUS,
	CMD_RELOAD,
	CMD_LOG_VERBOSE,
	CMD_LOG_BRIEF
};

static const struct {
	const char	*word1;
	const char	*word2;		/* NULL: a one-word command */
	enum command	 cmd;
} commands[] = {
	{ "show",	"status",	CMD_SHOW_STATUS },
	{ "reload",	NULL,		CMD_RELOAD },
	{ "log",	"verbose",	CMD_LOG_VERBOSE },
	{ "log",	"brief",	CMD_LOG_BRIEF },
};

struct reply {
	struct msg_engine_status	 engines[CTL_MAX_ENGINES];
	size_t				 nengines;
	struct msg_ctl_result		 result;
};

/* the read buffer is large: keep it off the stack */
static struct imsgbuf	 ibuf;
static struct reply	 reply;
static const char	*sockpath = MOAT_CTL_SOCKET;

static void		 usage(void) __attribute__((__noreturn__));
static enum command	 parse_command(int, char *[]);
static int		 ctl_connect(const char *);
static void		 send_request(enum command);
static void		 read_reply(enum command);
static int		 handle_frame(struct imsg *, enum command);
static long		 ms_left(const struct timespec *);
static const char	*state_word(uint32_t);
static void		 fmt_uptime(int64_t, char *, size_t);
static void		 safe_copy(char *, const char *, size_t);
static size_t		 utf8_len(const unsigned char *);
static void		 json_string(const char *);
static void		 print_status(void);
static void		 print_status_json(void);
static int		 print_result(int);

static void
usage(void)
{
	fprintf(stderr, "usage: moatctl [-j] [-s socket] command\n"
	    "commands: show status | reload | log verbose | log brief\n");
	exit(1);
}

static enum command
parse_command(int argc, char *argv[])
{
	size_t	 i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].word1) != 0)
			continue;
		if (commands[i].word2 == NULL && argc == 1)
			return commands[i].cmd;
		if (commands[i].word2 != NULL && argc == 2 &&
		    strcmp(argv[1], commands[i].word2) == 0)
			return commands[i].cmd;
	}
	usage();
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "%s: path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "%s", path);
	/* imsg wants a non-blocking socket; waits are done with poll */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	return fd;
}

static void
send_request(enum command cmd)
{
	struct msg_verbose	 mv;
	uint32_t		 type;
	const void		*data = NULL;
	size_t			 len = 0;

	memset(&mv, 0, sizeof(mv));
	switch (cmd) {
	case CMD_SHOW_STATUS:
		type = IMSG_CTL_SHOW_STATUS;
		break;
	case CMD_RELOAD:
		type = IMSG_CTL_RELOAD;
		break;
	case CMD_LOG_VERBOSE:
	case CMD_LOG_BRIEF:
		type = IMSG_LOG_VERBOSE;
		mv.verbose = cmd == CMD_LOG_VERBOSE;
		data = &mv;
		len = sizeof(mv);
		break;
	default:
		fatalx("unknown command %d", cmd);
	}
	if (imsg_compose(&ibuf, type, 0, getpid(), -1, data, len) == -1)
		err(1, "imsg_compose");
	if (imsg_flush(&ibuf) == -1)
		err(1, "%s", sockpath);
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	long		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

/* returns 1 when the frame was the result that ends the reply */
static int
handle_frame(struct imsg *imsg, enum command cmd)
{
	if (proto_check(imsg, "moatd") == -1)
		exit(1);
	switch (imsg->hdr.type) {
	case IMSG_CTL_ENGINE_STATUS:
		if (cmd != CMD_SHOW_STATUS)
			break;
		if (reply.nengines >= CTL_MAX_ENGINES)
			errx(1, "%s: too many engines in the reply", sockpath);
		memcpy(&reply.engines[reply.nengines], imsg->data,
		    sizeof(reply.engines[0]));
		reply.engines[reply.nengines].name[MOAT_ENGINE_NAME_MAX - 1] =
		    '\0';
		reply.nengines++;
		return 0;
	case IMSG_CTL_RESULT:
		memcpy(&reply.result, imsg->data, sizeof(reply.result));
		reply.result.message[MOAT_CTL_MESSAGE_MAX - 1] = '\0';
		return 1;
	}
	errx(1, "%s: unexpected %s message", sockpath,
	    proto_name(imsg->hdr.type));
}

static void
read_reply(enum command cmd)
{
	struct timespec	 deadline;
	struct pollfd	 pfd;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 rv, done;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += CTL_TIMEOUT_MS / 1000;
	for (;;) {
		while ((rv = imsg_get(&ibuf, &imsg)) == 1) {
			done = handle_frame(&imsg, cmd);
			imsg_free(&imsg);
			if (done)
				return;
		}
		if (rv == -1)
			errx(1, "%s: malformed reply", sockpath);
		pfd.fd = ibuf.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rv = poll(&pfd, 1, ms_left(&deadline));
		if (rv == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if (rv == 0)
			errx(1, "%s: no reply within %d seconds", sockpath,
			    CTL_TIMEOUT_MS / 1000);
		if ((n = imsg_read(&ibuf)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			err(1, "%s", sockpath);
		}
		if (n == 0)
			errx(1, "%s: connection closed before a result",
			    sockpath);
	}
}

static const char *
state_word(uint32_t state)
{
	switch (state) {
	case ENGINE_RUNNING:
		return "running";
	case ENGINE_WAITING:
		return "waiting";
	case ENGINE_STOPPED:
		return "stopped";
	}
	return "unknown";
}

/* 45s, 3m12s, 1h02m, 2d03h */
static void
fmt_uptime(int64_t s, char *buf, size_t bufsz)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, bufsz, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, bufsz, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, bufsz, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, bufsz, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

/* text from the daemon goes to a terminal: no control characters */
static void
safe_copy(char *dst, const char *src, size_t dstsz)
{
	size_t	 i;

	for (i = 0; src[i] != '\0' && i + 1 < dstsz; i++) {
		unsigned char	 c = src[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : c;
	}
	dst[i] = '\0';
}

/* length of the valid UTF-8 sequence at s, or 0 when it is not one */
static size_t
utf8_len(const unsigned char *s)
{
	size_t		 n, i;
	uint32_t	 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* a JSON string; bytes that are not UTF-8 become U+FFFD */
static void
json_string(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	putchar('"');
	while (*s != '\0') {
		if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			printf("\\u%04x", *s++);
			continue;
		}
		if ((n = utf8_len(s)) == 0) {
			fputs("\\ufffd", stdout);
			s++;
			continue;
		}
		fwrite(s, 1, n, stdout);
		s += n;
	}
	putchar('"');
}

static void
print_status(void)
{
	const struct msg_engine_status	*st;
	char				 name[MOAT_ENGINE_NAME_MAX];
	char				 pid[16], up[32];
	size_t				 i;

	printf("%-9s %-9s %-8s %-7s %s\n", "ENGINE", "STATE", "PID",
	    "UPTIME", "RESTARTS");
	for (i = 0; i < reply.nengines; i++) {
		st = &reply.engines[i];
		if (st->state == ENGINE_RUNNING && st->pid > 0) {
			snprintf(pid, sizeof(pid), "%d", (int)st->pid);
			fmt_uptime(st->uptime, up, sizeof(up));
		} else {
			strlcpy(pid, "-", sizeof(pid));
			strlcpy(up, "-", sizeof(up));
		}
		safe_copy(name, st->name, sizeof(name));
		printf("%-9s %-9s %-8s %-7s %u\n", name,
		    state_word(st->state), pid, up, st->restarts);
	}
}

static void
print_status_json(void)
{
	const struct msg_engine_status	*st;
	size_t				 i;

	fputs("{\"engines\":[", stdout);
	for (i = 0; i < reply.nengines; i++) {
		st = &reply.engines[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		json_string(st->name);
		printf(",\"state\":\"%s\",\"pid\":%d,\"uptime\":%lld,"
		    "\"restarts\":%u}", state_word(st->state), (int)st->pid,
		    (long long)(st->uptime < 0 ? 0 : st->uptime),
		    st->restarts);
	}
	fputs("]}\n", stdout);
}

/* returns the exit status */
static int
print_result(int json)
{
	const struct msg_ctl_result	*r = &reply.result;
	char				 msg[MOAT_CTL_MESSAGE_MAX];

	if (json) {
		printf("{\"ok\":%s,\"message\":", r->ok ? "true" : "false");
		json_string(r->message);
		fputs("}\n", stdout);
	} else if (r->message[0] != '\0') {
		safe_copy(msg, r->message, sizeof(msg));
		puts(msg);
	}
	return r->ok ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	enum command	 cmd;
	int		 ch, json = 0, status;

	log_init(1, LOG_DAEMON);
	log_procinit("moatctl");
	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = parse_command(argc, argv);

	/* a daemon that hangs up must give an error, not a silent death */
	signal(SIGPIPE, SIG_IGN);
	imsgbuf_init(&ibuf, ctl_connect(sockpath));
	send_request(cmd);
	read_reply(cmd);
	imsgbuf_clear(&ibuf);
	close(ibuf.fd);

	if (cmd == CMD_SHOW_STATUS && reply.result.ok) {
		if (json)
			print_status_json();
		else
			print_status();
		status = 0;
	} else
		status = print_result(json);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}
