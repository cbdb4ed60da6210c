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
 * A microbenchmark of the cache, not a test: store 10,000 answers (one
 * A record each, as a forwarder gets them), then time 10 million hits
 * over them, with and without EDNS, and the query parse in front of a
 * hit as the engine does it.  Memory is what malloc handed out for the
 * cache (mallinfo2, so its own overhead is counted).
 *	usage: bench_cache [entries [hits]]
 */

#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "wire.h"

struct query {
	uint8_t		 b[DNS_HEADER_LEN + DNS_NAME_MAX + 4 + 11];
	size_t		 len;
	struct dns_msg	 m;
};

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
build(uint8_t *buf, size_t cap, const char *name, int answer, int edns)
{
	struct dns_builder	 b;
	struct dns_header	 h;
	struct dns_question	 q;
	static const uint8_t	 addr[4] = { 192, 0, 2, 1 };
	static const uint8_t	 root = 0;

	memset(&h, 0, sizeof(h));
	h.id = 0x1234;
	h.flags = DNS_F_RD | (answer ? DNS_F_QR | DNS_F_RA : 0);
	h.qdcount = 1;
	h.ancount = answer;
	h.arcount = edns;
	memset(&q, 0, sizeof(q));
	if (dns_name_from_text(name, q.qname, &q.qname_len) == -1)
		abort();
	q.qtype = DNS_TYPE_A;
	q.qclass = DNS_CLASS_IN;
	dns_builder_init(&b, buf, cap);
	dns_build_header(&b, &h);
	dns_build_question(&b, &q);
	if (answer)
		dns_build_rr(&b, q.qname, q.qname_len, DNS_TYPE_A,
		    DNS_CLASS_IN, 3600, addr, sizeof(addr));
	if (edns)
		dns_build_rr(&b, &root, 1, DNS_TYPE_OPT, 1232, 0, NULL, 0);
	if (b.error)
		abort();
	return b.len;
}

static void
make_query(struct query *q, const char *name, int edns)
{
	q->len = build(q->b, sizeof(q->b), name, 0, edns);
	if (dns_msg_parse(q->b, q->len, &q->m) != DNS_PARSE_OK)
		abort();
}

static void
run(struct cache *c, struct query *qs, size_t n, size_t hits,
    const char *what, int parse)
{
	static uint8_t	 out[DNS_MSG_MAX];
	struct dns_msg	 m;
	double		 t;
	size_t		 i, sum = 0;
	struct query	*q;

	t = seconds();
	for (i = 0; i < hits; i++) {
		q = &qs[i % n];
		if (parse) {
			if (dns_msg_parse(q->b, q->len, &m) != DNS_PARSE_OK)
				abort();
			sum += cache_answer(c, &m, q->b, q->len, 10, out,
			    sizeof(out));
		} else
			sum += cache_answer(c, &q->m, q->b, q->len, 10, out,
			    sizeof(out));
	}
	t = seconds() - t;
	if (sum == 0)
		abort();
	printf("%-36s %6.1f ns per hit\n", what, t * 1e9 / hits);
}

int
main(int argc, char *argv[])
{
	struct cache		*c;
	struct cache_stats	 st;
	struct query		*qs, *qe;
	struct mallinfo2	 before, after;
	struct dns_msg		 m;
	uint8_t			 pkt[512];
	char			 name[64];
	size_t			 n = 10000, hits = 10000000, i, len;
	static const uint8_t	 root = 0;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		hits = strtoul(argv[2], NULL, 10);
	if (n == 0 || (qs = calloc(n, sizeof(*qs))) == NULL ||
	    (qe = calloc(n, sizeof(*qe))) == NULL)
		return 1;

	before = mallinfo2();
	if ((c = cache_new(n)) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "host%zu.example.com", i);
		len = build(pkt, sizeof(pkt), name, 1, 1);
		if (dns_msg_parse(pkt, len, &m) != DNS_PARSE_OK ||
		    cache_store(c, &m.q, pkt, len, &m, &root, 1, 0) != 0)
			return 1;
		make_query(&qs[i], name, 0);
		make_query(&qe[i], name, 1);
	}
	after = mallinfo2();
	cache_stats(c, &st);
	printf("%zu entries: %zu bytes from malloc (%.1f per entry)\n",
	    (size_t)st.entries, after.uordblks - before.uordblks,
	    (double)(after.uordblks - before.uordblks) / st.entries);

	run(c, qs, n, hits, "hit, no EDNS", 0);
	run(c, qe, n, hits, "hit, EDNS", 0);
	run(c, qe, n, hits, "parse + hit, EDNS", 1);
	cache_stats(c, &st);
	printf("hits %llu misses %llu\n", (unsigned long long)st.hits,
	    (unsigned long long)st.misses);
	cache_free(c);
	free(qs);
	free(qe);
	return 0;
}
