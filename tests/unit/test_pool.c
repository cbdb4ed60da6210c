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

/* the free-address pools of dhcp-engine/pool.c */

#include <sys/types.h>

#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"

static uint32_t
ip(uint32_t host)
{
	return htonl(0x0a000000U + host);
}

static void
test_bounds(void **state)
{
	struct pool	*p;

	errno = 0;
	assert_null(pool_new(ip(10), ip(9)));
	assert_int_equal(errno, EINVAL);
	assert_null(pool_new(htonl(0x0a000000U), htonl(0x0b000000U)));
	assert_int_equal(errno, EINVAL);

	assert_non_null(p = pool_new(ip(10), ip(10)));
	assert_int_equal(pool_fresh_count(p), 1);
	assert_true(pool_contains(p, ip(10)));
	assert_false(pool_contains(p, ip(9)));
	assert_false(pool_contains(p, ip(11)));
	assert_int_equal(pool_fresh_next(p), ip(10));
	assert_int_equal(pool_fresh_next(p), ip(10));
	pool_mark_used(p, ip(10));
	assert_int_equal(pool_fresh_count(p), 0);
	assert_int_equal(pool_fresh_next(p), 0);
	/* outside the range: ignored */
	pool_mark_used(p, ip(11));
	pool_mark_free(p, ip(11));
	pool_reserve(p, ip(12));
	assert_int_equal(pool_mark_reusable(p, ip(13), 5), 0);
	assert_int_equal(pool_reuse_count(p), 0);
	pool_free(p);
	pool_free(NULL);
}

static void
test_fresh_cycle(void **state)
{
	struct pool	*p;
	uint32_t	 seen[200];
	size_t		 i, j, n;

	/* 200 addresses: more than three words of bitmap */
	assert_non_null(p = pool_new(ip(1), ip(200)));
	assert_int_equal(pool_fresh_count(p), 200);
	/* every one once, in order, when the caller skips them all */
	for (i = 0; i < 200; i++) {
		seen[i] = pool_fresh_next(p);
		assert_int_equal(seen[i], ip(1 + i));
	}
	/* and round again */
	assert_int_equal(pool_fresh_next(p), ip(1));

	/* taken ones are never fresh; freed ones come back */
	for (i = 0; i < 200; i += 2)
		pool_mark_used(p, ip(1 + i));
	pool_mark_used(p, ip(1));	/* twice counts once */
	assert_int_equal(pool_fresh_count(p), 100);
	n = pool_fresh_count(p);
	for (i = 0; i < n; i++) {
		uint32_t a = ntohl(pool_fresh_next(p)) - 0x0a000000U;
		assert_int_equal(a % 2, 0);
	}
	pool_mark_free(p, ip(1));
	pool_mark_free(p, ip(1));
	assert_int_equal(pool_fresh_count(p), 101);

	/* a reserved address stays out, whatever is said about it */
	pool_reserve(p, ip(2));
	assert_true(pool_is_reserved(p, ip(2)));
	assert_false(pool_is_reserved(p, ip(1)));
	assert_int_equal(pool_fresh_count(p), 100);
	pool_mark_free(p, ip(2));
	assert_int_equal(pool_fresh_count(p), 100);
	assert_int_equal(pool_mark_reusable(p, ip(2), 1), 0);
	assert_int_equal(pool_reuse_count(p), 0);
	n = pool_fresh_count(p);
	for (i = 0; i < n; i++)
		assert_int_not_equal(pool_fresh_next(p), ip(2));

	/* take all: each address exactly once */
	memset(seen, 0, sizeof(seen));
	while ((n = pool_fresh_count(p)) > 0) {
		uint32_t a = pool_fresh_next(p);
		j = ntohl(a) - 0x0a000001U;
		assert_true(j < 200);
		assert_int_equal(seen[j], 0);
		seen[j] = 1;
		pool_mark_used(p, a);
		assert_int_equal(pool_fresh_count(p), n - 1);
	}
	assert_int_equal(pool_fresh_next(p), 0);
	pool_free(p);
}

static void
test_reuse_order(void **state)
{
	struct pool	*p;
	time_t		 since;

	assert_non_null(p = pool_new(ip(1), ip(100)));
	assert_int_equal(pool_reuse_peek(p, &since), 0);
	assert_int_equal(pool_mark_reusable(p, ip(5), 300), 0);
	assert_int_equal(pool_mark_reusable(p, ip(6), 100), 0);
	assert_int_equal(pool_mark_reusable(p, ip(7), 200), 0);
	/* once in the heap, whatever is said again */
	assert_int_equal(pool_mark_reusable(p, ip(6), 50), 0);
	assert_int_equal(pool_reuse_count(p), 3);
	/* reusable is not fresh */
	assert_int_equal(pool_fresh_count(p), 97);

	assert_int_equal(pool_reuse_peek(p, &since), ip(6));
	assert_int_equal(since, 100);
	pool_reuse_pop(p);
	assert_int_equal(pool_reuse_peek(p, &since), ip(7));
	assert_int_equal(since, 200);
	pool_reuse_pop(p);
	/* popped, it may come in again */
	assert_int_equal(pool_mark_reusable(p, ip(6), 400), 0);
	assert_int_equal(pool_reuse_peek(p, NULL), ip(5));
	pool_reuse_pop(p);
	assert_int_equal(pool_reuse_peek(p, &since), ip(6));
	assert_int_equal(since, 400);
	pool_reuse_pop(p);
	assert_int_equal(pool_reuse_count(p), 0);
	pool_reuse_pop(p);
	assert_int_equal(pool_reuse_peek(p, NULL), 0);
	pool_free(p);
}

static void
test_big(void **state)
{
	struct pool	*p;
	size_t		 n = 0, i;
	uint32_t	 a;

	assert_non_null(p = pool_new(ip(0), ip(0xfffff)));
	while ((a = pool_fresh_next(p)) != 0) {
		pool_mark_used(p, a);
		n++;
	}
	assert_int_equal(n, 0x100000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(pool_mark_reusable(p, ip(i * 7), 1000 - i),
		    0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(pool_reuse_peek(p, NULL), ip((999 - i) * 7));
		pool_reuse_pop(p);
	}
	pool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_fresh_cycle),
		cmocka_unit_test(test_reuse_order),
		cmocka_unit_test(test_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
