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
 * Stands in for libFuzzer when the harnesses are built without it: runs
 * LLVMFuzzerTestOneInput once on each file named, and on each regular
 * file in each folder named, so ctest replays the seed corpus with any
 * compiler.  Arguments starting with '-' are libFuzzer options: ignored.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	replay_file(const char *);
static int	replay_dir(const char *, size_t *);

/* the input gets a buffer of its exact size, so overreads are caught */
static int
replay_file(const char *path)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	if ((buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		close(fd);
		return -1;
	}
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "replay: %s: cannot read\n", path);
			free(buf);
			close(fd);
			return -1;
		}
		off += n;
	}
	close(fd);
	LLVMFuzzerTestOneInput(buf, off);
	free(buf);
	return 0;
}

static int
replay_dir(const char *dir, size_t *count)
{
	struct dirent	**names;
	struct stat	  st;
	char		  path[PATH_MAX];
	int		  i, n, rv = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rv == 0 && (size_t)snprintf(path, sizeof(path), "%s/%s",
		    dir, names[i]->d_name) >= sizeof(path)) {
			fprintf(stderr, "replay: %s/%s: path too long\n", dir,
			    names[i]->d_name);
			rv = -1;
		}
		if (rv == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) == -1)
				rv = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rv;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	size_t		 count = 0;
	int		 i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) == -1)
				return 1;
		} else {
			if (replay_file(argv[i]) == -1)
				return 1;
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "replay: no input files\n");
		return 1;
	}
	printf("replay: %zu inputs replayed\n", count);
	return 0;
}
