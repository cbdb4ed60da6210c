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
 * The configuration parser fed arbitrary text: it must report errors and
 * free everything, never crash or read past its input.  Includes are
 * refused for streams, so the input is the whole grammar's surface.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <syslog.h>

#include "conf.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 initialized;
	struct moatd_conf	*conf;
	FILE			*fp;

	if (!initialized) {
		log_init(1, LOG_DAEMON);
		cmdline_symset("fuzz_macro=10.0.0.1");
		initialized = 1;
	}
	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		return 0;
	conf = parse_config_stream(fp, "fuzz.conf");
	if (conf != NULL) {
		FILE	*out;

		/* printing back must work for anything that parsed */
		if ((out = fopen("/dev/null", "w")) != NULL) {
			print_config(out, conf);
			fclose(out);
		}
		conf_free(conf);
	}
	fclose(fp);
	return 0;
}
