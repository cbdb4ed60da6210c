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

#ifndef MOAT_TESTCONF_H
#define MOAT_TESTCONF_H

/*
 * Unit test helpers for code that reads files and says what is wrong on
 * stderr: a folder of the run's own to write files in, and stderr caught
 * in logged[] so a test can look for the words.  Include after
 * <cmocka.h>.  The parser helpers at the end need "conf.h" included
 * first; a test that does not link the parser leaves it out.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char	 tmpdir[64];
static char	 logged[16384];

/* a fresh /tmp/moat-test-<name>.XXXXXX: two test binaries may run at once */
static inline int
tmpdir_make(const char *name)
{
	int	 n;

	n = snprintf(tmpdir, sizeof(tmpdir), "/tmp/moat-test-%s.XXXXXX",
	    name);
	if (n < 0 || (size_t)n >= sizeof(tmpdir))
		return -1;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

/* the folder and whatever the tests left in it */
static inline void
tmpdir_remove(void)
{
	DIR		*dir;
	struct dirent	*de;
	char		 path[PATH_MAX];

	if ((dir = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(tmpdir);
}

/* writes text to name in the folder; the path stays valid until next call */
static inline char *
write_file(const char *name, const char *text)
{
	static char	 path[PATH_MAX];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

struct capture {
	int	 saved;
	int	 fd;
};

/* from here to capture_end() what is written to stderr is kept */
static inline void
capture_begin(struct capture *c)
{
	char	 path[] = "/tmp/moat-test-log.XXXXXX";

	fflush(stderr);
	c->fd = mkstemp(path);
	assert_true(c->fd >= 0);
	unlink(path);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(c->fd, STDERR_FILENO) >= 0);
}

/* stderr as it was; what was written to it in between lands in logged[] */
static inline void
capture_end(struct capture *c)
{
	ssize_t	 n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	lseek(c->fd, 0, SEEK_SET);
	n = read(c->fd, logged, sizeof(logged) - 1);
	logged[n > 0 ? n : 0] = '\0';
	close(c->fd);
}

#ifdef MOAT_CONF_H
/* parse text as the file moatd.conf; what the parser logs lands in logged[] */
static inline struct moatd_conf *
parse_text(const char *text)
{
	struct moatd_conf	*conf;
	struct capture		 c;
	const char		*path;

	path = write_file("moatd.conf", text);
	capture_begin(&c);
	conf = parse_config(path);
	capture_end(&c);
	return conf;
}

/* parse text that must be accepted */
static inline struct moatd_conf *
parse_ok(const char *text)
{
	struct moatd_conf	*conf;

	if ((conf = parse_text(text)) == NULL)
		fail_msg("refused: %s", logged);
	return conf;
}

/* parse text that must be refused, with message (often "file:line: ...") */
static inline void
expect_error(const char *text, const char *message)
{
	struct moatd_conf	*conf;

	if ((conf = parse_text(text)) != NULL) {
		conf_free(conf);
		fail_msg("accepted: %s", text);
	}
	if (strstr(logged, message) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", message, logged);
}

/* print_config into buf, which it must fit with its NUL */
static inline void
print_text(const struct moatd_conf *conf, char *buf, size_t size)
{
	FILE	*fp;
	long	 n;

	fp = fmemopen(buf, size, "w");
	assert_non_null(fp);
	print_config(fp, conf);
	n = ftell(fp);
	fclose(fp);
	assert_true(n >= 0 && (size_t)n < size);
	buf[n] = '\0';
}

/*
 * Print conf (and free it), parse that, print again: both texts must be
 * the same.  The first stays in first for the caller to look at.
 */
static inline void
print_twice(struct moatd_conf *conf, char *first, size_t size)
{
	char	*second;

	print_text(conf, first, size);
	conf_free(conf);

	second = malloc(size);
	assert_non_null(second);
	conf = parse_ok(first);
	print_text(conf, second, size);
	conf_free(conf);
	assert_string_equal(first, second);
	free(second);
}
#endif /* MOAT_CONF_H */

#endif /* MOAT_TESTCONF_H */
