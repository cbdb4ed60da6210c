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

#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "moatd.h"

/*
 * The forwarder file (resolv.conf) and the hosts file lie outside every
 * chroot, so the parent reads them, keeps their nameservers and entries
 * and sends the DNS engine its whole configuration again when they
 * change.  They are polled: one stat a second costs nothing, works the
 * same on every system, and sees a file that is replaced by rename.
 */

#define WATCH_INTERVAL_S	1
#define RESOLV_LINE_MAX		1024

/* one "nameserver ADDR" line; other lines are not ours to judge */
static int
resolv_line(char *line, struct fwd_entry *fe)
{
	char	*p = line, *addr;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "nameserver", 10) != 0 ||
	    !isspace((unsigned char)p[10]))
		return -1;
	p += 10;
	while (isspace((unsigned char)*p))
		p++;
	addr = p;
	while (*p != '\0' && !isspace((unsigned char)*p) && *p != '#' &&
	    *p != ';')
		p++;
	*p = '\0';
	memset(fe, 0, sizeof(*fe));
	if (conf_parse_addr(addr, MOAT_DNS_PORT, &fe->addr) == -1) {
		log_warnx("forwarder file: \"%s\" is not an address", addr);
		return -1;
	}
	fe->from_file = 1;
	return 0;
}

/* read the nameservers of path; -1 when it cannot be read */
static int
resolv_read(const char *path, struct fwd_entry *out, size_t max, size_t *n)
{
	char	 line[RESOLV_LINE_MAX];
	FILE	*fp;

	*n = 0;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			int	 c;

			/* an overlong line: skip its rest */
			while ((c = fgetc(fp)) != EOF && c != '\n')
				;
			continue;
		}
		if (*n >= max)
			break;
		if (resolv_line(line, &out[*n]) == 0)
			(*n)++;
	}
	fclose(fp);
	return 0;
}

static int
fwd_skip_own(const struct fwd_entry *fe)
{
	char	 buf[INET6_ADDRSTRLEN];

	if (!sockets_is_own(&fe->addr))
		return 0;
	log_warnx("skipping forwarder %s port %u: it is one of our own "
	    "listen addresses", addr_text(&fe->addr, buf, sizeof(buf)),
	    addr_port(&fe->addr));
	return 1;
}

/*
 * The list the DNS engine gets: configured forwarders, then those of the
 * forwarder file, leaving out any that would send queries back to us.
 */
void
forwarders_rebuild(void)
{
	const struct forwarder_conf	*f;
	struct fwd_entry		*list;
	size_t				 n = 0, max, i;

	max = MOAT_FILE_FORWARDERS_MAX;
	TAILQ_FOREACH(f, &moatd->conf->dns.forwarders, entry)
		max++;
	if ((list = calloc(max, sizeof(*list))) == NULL)
		fatal("calloc");
	TAILQ_FOREACH(f, &moatd->conf->dns.forwarders, entry) {
		list[n].addr = f->addr;
		strlcpy(list[n].domain, f->domain, sizeof(list[n].domain));
		if (!fwd_skip_own(&list[n]))
			n++;
	}
	for (i = 0; i < moatd->nfile_fwd; i++) {
		list[n] = moatd->file_fwd[i];
		if (!fwd_skip_own(&list[n]))
			n++;
	}
	if (n == 0 && moatd->conf->dns.enabled)
		log_warnx("no forwarder: queries will be refused");
	free(moatd->fwd);
	moatd->fwd = list;
	moatd->nfwd = n;
}

static int
file_changed(const char *path, struct watched_file *w)
{
	struct stat	 st;
	int		 present;

	present = stat(path, &st) == 0;
	if (!present && !w->present)
		return 0;
	if (present && w->present &&
	    st.st_mtim.tv_sec == w->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == w->mtime.tv_nsec &&
	    st.st_size == w->size && st.st_ino == w->ino)
		return 0;
	w->present = present;
	if (present) {
		w->mtime = st.st_mtim;
		w->size = st.st_size;
		w->ino = st.st_ino;
	}
	return 1;
}

/* returns 1 when the nameservers differ from those we had */
static int
file_reload(const char *path)
{
	struct fwd_entry	 list[MOAT_FILE_FORWARDERS_MAX];
	size_t			 n, i;

	if (resolv_read(path, list, MOAT_FILE_FORWARDERS_MAX, &n) == -1) {
		log_warn("forwarder file %s", path);
		n = 0;
	} else
		log_info("forwarder file %s: %zu nameserver%s", path, n,
		    n == 1 ? "" : "s");
	if (n == moatd->nfile_fwd) {
		for (i = 0; i < n; i++)
			if (!addr_equal(&list[i].addr,
			    &moatd->file_fwd[i].addr))
				break;
		if (i == n)
			return 0;
	}
	memcpy(moatd->file_fwd, list, n * sizeof(list[0]));
	moatd->nfile_fwd = n;
	return 1;
}

/*
 * Returns 1 when the hosts file's entries differ from those we had.  A
 * file that cannot be read has none: its names stop answering.
 */
static int
hosts_reload(const char *path)
{
	struct rr_buf	 nb;

	hosts_read(path, moatd->conf->dns.domain, &nb);
	if (nb.len == moatd->hosts.len && (nb.len == 0 ||
	    memcmp(nb.data, moatd->hosts.data, nb.len) == 0)) {
		rr_buf_free(&nb);
		return 0;
	}
	log_info("hosts file %s: %zu record%s", path, nb.count,
	    nb.count == 1 ? "" : "s");
	rr_buf_free(&moatd->hosts);
	moatd->hosts = nb;
	return 1;
}

static void
watch_cb(int fd, short event, void *arg)
{
	const struct dns_conf	*dns = &moatd->conf->dns;
	struct timeval		 tv = { WATCH_INTERVAL_S, 0 };
	int			 again = 0;

	if (dns->forwarder_file[0] != '\0' &&
	    file_changed(dns->forwarder_file, &moatd->fwd_file) &&
	    file_reload(dns->forwarder_file)) {
		forwarders_rebuild();
		again = 1;
	}
	if (dns->hosts_file[0] != '\0' &&
	    file_changed(dns->hosts_file, &moatd->hosts_file) &&
	    hosts_reload(dns->hosts_file))
		again = 1;
	if (again)
		engine_send_dns_conf_again();
	evtimer_add(&moatd->watch_ev, &tv);
}

/* read the forwarder and hosts files now and poll them from here on */
void
watch_start(void)
{
	const struct dns_conf	*dns = &moatd->conf->dns;
	struct timeval		 tv = { WATCH_INTERVAL_S, 0 };

	moatd->nfile_fwd = 0;
	memset(&moatd->fwd_file, 0, sizeof(moatd->fwd_file));
	memset(&moatd->hosts_file, 0, sizeof(moatd->hosts_file));
	rr_buf_free(&moatd->hosts);
	if (!dns->enabled) {
		forwarders_rebuild();
		return;
	}
	if (dns->forwarder_file[0] != '\0') {
		file_changed(dns->forwarder_file, &moatd->fwd_file);
		file_reload(dns->forwarder_file);
	}
	forwarders_rebuild();
	if (dns->hosts_file[0] != '\0') {
		file_changed(dns->hosts_file, &moatd->hosts_file);
		hosts_reload(dns->hosts_file);
	}
	if (dns->forwarder_file[0] == '\0' && dns->hosts_file[0] == '\0')
		return;
	evtimer_set(&moatd->watch_ev, watch_cb, NULL);
	evtimer_add(&moatd->watch_ev, &tv);
}

void
watch_stop(void)
{
	if (evtimer_initialized(&moatd->watch_ev))
		evtimer_del(&moatd->watch_ev);
}
