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
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "moatd.h"

struct moatd	*moatd;

static struct event	 ev_sighup, ev_sigterm, ev_sigint, ev_sigchld;

static void
usage(void)
{
	fprintf(stderr, "usage: moatd [-dnv] [-f file] [-s socket] "
	    "[-D macro=value]\n");
	exit(1);
}

/*
 * The configuration to run: the named file, else the default file when
 * it exists, else the embedded default.
 */
static struct moatd_conf *
load_config(const char *file)
{
	if (file != NULL)
		return parse_config(file);
	if (access(MOAT_CONF_FILE, F_OK) == 0) {
		moatd->conf_file = MOAT_CONF_FILE;
		return parse_config(MOAT_CONF_FILE);
	}
	return conf_embedded();
}

/* Engines live beside us: PREFIX/sbin/moatd and PREFIX/libexec/moatd. */
static void
find_libexec(void)
{
	char	 self[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		strlcpy(dir, self, sizeof(dir));
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    dirname(dir), MOAT_LIBEXEC_REL) < sizeof(path) &&
		    access(path, X_OK) == 0) {
			strlcpy(moatd->libexec, path, sizeof(moatd->libexec));
			return;
		}
	}
	strlcpy(moatd->libexec, MOAT_LIBEXEC_DIR, sizeof(moatd->libexec));
}

static void
make_dir(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	struct stat	 st;

	if (mkdir(path, mode) == -1 && errno != EEXIST)
		fatal("mkdir %s", path);
	if (stat(path, &st) == -1)
		fatal("%s", path);
	if (!S_ISDIR(st.st_mode))
		fatalx("%s: not a directory", path);
	if (chown(path, uid, gid) == -1)
		fatal("chown %s", path);
	if (chmod(path, mode) == -1)
		fatal("chmod %s", path);
}

/* the reason, however long the path in it: a message holds what fits */
static void
errorf(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((__format__ (printf, 3, 4)));

static void
errorf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/*
 * The state directory, the DHCP engine's chroot, with its parents as
 * "mkdir -p" makes them.  The last part must be a directory of its own,
 * not a symbolic link: root gives it to the user, and would otherwise
 * give whatever the link points at.  -1 with the reason in err.
 */
static int
make_state_dir(const char *path, uid_t uid, gid_t gid, char *err,
    size_t errsz)
{
	char		 buf[PATH_MAX], *p;
	struct stat	 st;
	int		 fd;

	if (path[0] != '/' || strlcpy(buf, path, sizeof(buf)) >= sizeof(buf)) {
		errorf(err, errsz, "state directory %s: not an absolute "
		    "path", path);
		return -1;
	}
	for (p = buf + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST) {
			errorf(err, errsz, "state directory: mkdir %s: %s",
			    buf, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0750) == -1 && errno != EEXIST) {
		errorf(err, errsz, "state directory: mkdir %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (lstat(path, &st) == -1) {
		errorf(err, errsz, "state directory %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		errorf(err, errsz, "state directory %s: %s, refusing it",
		    path, S_ISLNK(st.st_mode) ? "a symbolic link" :
		    "not a directory");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || fchown(fd, uid, gid) == -1 ||
	    fchmod(fd, 0750) == -1) {
		errorf(err, errsz, "state directory %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* the chroot of stateless engines, and the state directory when used */
static int
make_dirs(const struct moatd_conf *conf, char *err, size_t errsz)
{
	struct passwd	*pw;

	if ((pw = getpwnam(conf->user)) == NULL) {
		errorf(err, errsz, "user \"%s\" does not exist", conf->user);
		return -1;
	}
	make_dir(MOAT_EMPTY_DIR, 0, 0, 0755);
	if (TAILQ_EMPTY(&conf->dhcp))
		return 0;
	return make_state_dir(conf->state_dir, pw->pw_uid, pw->pw_gid, err,
	    errsz);
}

static void
write_pidfile(const char *path)
{
	char	 buf[32];
	FILE	*fp;
	long	 pid;

	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), fp) != NULL &&
		    (pid = strtol(buf, NULL, 10)) > 0 && pid != getpid() &&
		    kill(pid, 0) == 0)
			fatalx("already running as pid %ld (%s)", pid, path);
		fclose(fp);
	}
	if ((fp = fopen(path, "w")) == NULL)
		fatal("pidfile %s", path);
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) != 0)
		fatal("pidfile %s", path);
}

static void
shutdown_all(void)
{
	moatd->stopping = 1;
	watch_stop();
	engine_stop_all();
	control_cleanup(moatd->ctl_path);
	unlink(moatd->conf->pidfile);
	log_info("stopped");
	exit(0);
}

int
moatd_reload(char *msg, size_t msgsz)
{
	struct moatd_conf	*nconf, *oconf;
	const char		*name;
	char			 err[MOAT_CTL_MESSAGE_MAX];

	name = moatd->conf_file ? moatd->conf_file : "embedded default";
	log_info("reloading %s", name);
	if (moatd->conf_file != NULL)
		nconf = parse_config(moatd->conf_file);
	else
		nconf = conf_embedded();
	if (nconf == NULL) {
		snprintf(msg, msgsz, "%s has errors, keeping the running "
		    "configuration", name);
		log_warnx("%s", msg);
		return -1;
	}
	if (sockets_dns_open(&nconf->dns) == -1) {
		snprintf(msg, msgsz, "cannot open the sockets of %s, keeping "
		    "the running configuration", name);
		log_warnx("%s", msg);
		conf_free(nconf);
		return -1;
	}
	if (make_dirs(nconf, err, sizeof(err)) == -1) {
		errorf(msg, msgsz, "%s, keeping the running configuration",
		    err);
		log_warnx("%s", msg);
		conf_free(nconf);
		return -1;
	}
	if (strcmp(nconf->pidfile, moatd->conf->pidfile) != 0) {
		log_warnx("pidfile change takes effect at restart");
		strlcpy(nconf->pidfile, moatd->conf->pidfile,
		    sizeof(nconf->pidfile));
	}
	oconf = moatd->conf;
	moatd->conf = nconf;
	watch_stop();
	watch_start();
	engine_reconfigure();
	dhcp_netlink_update();
	sockets_close_unused(&moatd->dns_socks);
	conf_free(oconf);
	snprintf(msg, msgsz, "reloaded %s", name);
	log_info("%s", msg);
	return 0;
}

void
moatd_set_verbose(int v)
{
	struct msg_verbose	 mv;

	moatd->verbose = v;
	log_setverbose(v);
	mv.verbose = v;
	engine_broadcast(IMSG_LOG_VERBOSE, &mv, sizeof(mv));
}

static void
on_signal(int sig, short event, void *arg)
{
	char	 msg[MOAT_CTL_MESSAGE_MAX];

	switch (sig) {
	case SIGHUP:
		moatd_reload(msg, sizeof(msg));
		break;
	case SIGTERM:
	case SIGINT:
		shutdown_all();
		break;
	case SIGCHLD:
		engine_sigchld();
		break;
	}
}

static void
signals_init(void)
{
	signal_set(&ev_sighup, SIGHUP, on_signal, NULL);
	signal_set(&ev_sigterm, SIGTERM, on_signal, NULL);
	signal_set(&ev_sigint, SIGINT, on_signal, NULL);
	signal_set(&ev_sigchld, SIGCHLD, on_signal, NULL);
	signal_add(&ev_sighup, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_add(&ev_sigint, NULL);
	signal_add(&ev_sigchld, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[], char *envp[])
{
	const char	*conf_file = NULL;
	char		 why[MOAT_CTL_MESSAGE_MAX];
	int		 ch, checkonly = 0;

	setproctitle_init(argc, argv, envp);
	if ((moatd = calloc(1, sizeof(*moatd))) == NULL)
		err(1, "calloc");
	moatd->ctl_path = MOAT_CTL_SOCKET;
	TAILQ_INIT(&moatd->dns_socks);
	log_init(1, LOG_DAEMON);

	while ((ch = getopt(argc, argv, "dnvf:s:D:")) != -1) {
		switch (ch) {
		case 'd':
			moatd->debug = 1;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'v':
			moatd->verbose++;
			break;
		case 'f':
			conf_file = optarg;
			break;
		case 's':
			moatd->ctl_path = optarg;
			break;
		case 'D':
			if (cmdline_symset(optarg) == -1)
				errx(1, "-D %s: not of the form macro=value",
				    optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	moatd->conf_file = conf_file;
	log_setverbose(moatd->verbose);

	if ((moatd->conf = load_config(conf_file)) == NULL)
		exit(1);
	if (checkonly) {
		if (moatd->verbose)
			print_config(stdout, moatd->conf);
		fprintf(stderr, "configuration OK\n");
		exit(0);
	}
	if (geteuid() != 0)
		errx(1, "need root privileges");
	if (!moatd->conf->dns.enabled && TAILQ_EMPTY(&moatd->conf->dhcp))
		fatalx("nothing to do: no engine is configured");

	find_libexec();
	engine_init();
	if (make_dirs(moatd->conf, why, sizeof(why)) == -1)
		fatalx("%s", why);
	/* what can fail for the user's hands is done before detaching */
	if (sockets_dns_open(&moatd->conf->dns) == -1)
		fatalx("cannot open the DNS sockets");
	if (control_init(moatd->ctl_path) == -1)
		fatalx("cannot open the control socket %s", moatd->ctl_path);
	log_init(moatd->debug, LOG_DAEMON);
	log_procinit("parent");
	if (!moatd->debug && daemon(0, 0) == -1)
		fatal("daemon");
	setproctitle("-moatd: parent");

	event_init();
	signals_init();
	control_listen();
	write_pidfile(moatd->conf->pidfile);
	watch_start();
	dhcp_netlink_update();
	engine_start_all();
	log_info("started%s", moatd->conf_file ? "" :
	    " on the embedded default");
	event_dispatch();
	fatalx("event loop ended");
}
