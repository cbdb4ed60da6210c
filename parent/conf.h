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

#ifndef MOAT_CONF_H
#define MOAT_CONF_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto.h"

#define MOAT_DNS_PORT		53
#define MOAT_USER_MAX		64
#define MOAT_RESOLV_CONF	"/etc/resolv.conf"
#define MOAT_HOSTS_FILE		"/etc/hosts"
#define MOAT_CACHE_SIZE		10000
#define MOAT_CACHE_SIZE_MAX	10000000
/*
 * The whole DNS configuration transaction is queued at once on a channel
 * that holds 16 MiB (IMSG_MAX_QUEUED): the local records of the file and
 * those of the hosts file share that, with room left for the rest.  A
 * blocklist of 100,000 domains takes about 3 MiB.
 */
#define MOAT_RECORDS_MAX	(11 * 1024 * 1024)
#define MOAT_HOSTS_RECORDS_MAX	(4 * 1024 * 1024)
#define MOAT_HOSTS_LINES_MAX	1000000

/* one "listen on" line: an address, or an interface and all of its */
struct listen_conf {
	TAILQ_ENTRY(listen_conf) entry;
	char			 ifname[IF_NAMESIZE];	/* "" for an address */
	struct sockaddr_storage	 addr;			/* when no ifname */
	in_port_t		 port;
};
TAILQ_HEAD(listen_list, listen_conf);

struct forwarder_conf {
	TAILQ_ENTRY(forwarder_conf) entry;
	struct sockaddr_storage	 addr;			/* with the port */
	char			 domain[MOAT_DOMAIN_MAX];	/* "" all */
};
TAILQ_HEAD(forwarder_list, forwarder_conf);

/* "local domain" and "allow rebind for domain" lines */
struct domain_conf {
	TAILQ_ENTRY(domain_conf) entry;
	enum domain_kind	 kind;
	char			 domain[MOAT_DOMAIN_MAX];
};
TAILQ_HEAD(domain_list, domain_conf);

/*
 * Local records as IMSG_CONF_RECORDS carries them (see proto.h): entries
 * of a kind byte and one uncompressed resource record, packed, in the
 * order they were given.
 */
struct rr_buf {
	uint8_t			*data;
	size_t			 len;
	size_t			 cap;
	size_t			 count;		/* entries */
	size_t			 max;		/* in bytes; 0: none */
};

/* one entry of an rr_buf, read back */
struct rr_entry {
	uint8_t			 kind;		/* record_kind */
	const uint8_t		*owner;		/* wire form */
	size_t			 owner_len;
	uint16_t		 type;
	const uint8_t		*rdata;
	uint16_t		 rdlen;
	size_t			 len;		/* whole entry */
};

/* a value after "record NAME TYPE" or "address NAME" */
struct rr_arg {
	int			 is_number;
	int64_t			 number;
	char			*string;	/* when not a number */
};

struct dns_conf {
	int			 enabled;
	struct listen_list	 listens;
	struct forwarder_list	 forwarders;
	char			 forwarder_file[PATH_MAX];	/* "" none */
	enum dns_strategy	 strategy;
	uint32_t		 cache_size;	/* entries; 0: no cache */
	int			 cache_size_set;
	char			 hosts_file[PATH_MAX];	/* "" none */
	int			 hosts_file_set;	/* named, or "no" */
	char			 domain[MOAT_DOMAIN_MAX];	/* "": none */
	uint32_t		 flags;		/* DNS_* of proto.h */
	struct domain_list	 domains;
	struct rr_buf		 records;	/* record and address */
};

/*
 * The DHCP blocks.  Addresses are in network byte order, times in
 * seconds.  The parser checks what it can see in the file; that a range
 * lies in the subnet of its interface is checked when moatd starts.
 */
#define MOAT_DHCP_LEASE_TIME	(12 * 60 * 60)
#define MOAT_DHCP_LEASE_MIN	(2 * 60)
/* 0xffffffff is "infinite" on the wire */
#define MOAT_DHCP_LEASE_MAX	0xfffffffeU
#define MOAT_DHCP_HOOK_USER	"nobody"
#define DHCP_HWADDR_LEN		6
#define DHCP_CLIENT_ID_MIN	2		/* RFC 2132 9.14 */
#define DHCP_CLIENT_ID_MAX	255
#define DHCP_HOST_NAME_MAX	64		/* one label, NUL included */

/*
 * An "option" line, encoded once by dhcp_option_encode (of
 * dhcp-engine/dhcp_options.c) when the file is read: what the engine is
 * sent, and what printconf decodes back to text.
 */
struct dhcp_option_conf {
	TAILQ_ENTRY(dhcp_option_conf) entry;
	uint8_t			 code;		/* 1 to 254 */
	size_t			 len;
	uint8_t			 data[MOAT_DHCP_OPTION_MAX];
};
TAILQ_HEAD(dhcp_option_list, dhcp_option_conf);

struct dhcp_range_conf {
	TAILQ_ENTRY(dhcp_range_conf) entry;
	struct in_addr		 start;
	struct in_addr		 end;		/* start <= end */
	int			 bootp;		/* "bootp range" */
};
TAILQ_HEAD(dhcp_range_list, dhcp_range_conf);

struct dhcp_host_conf {
	TAILQ_ENTRY(dhcp_host_conf) entry;
	char			 name[DHCP_HOST_NAME_MAX];
	int			 has_hwaddr;
	uint8_t			 hwaddr[DHCP_HWADDR_LEN];
	uint8_t			 client_id[DHCP_CLIENT_ID_MAX];
	size_t			 client_id_len;	/* 0: none */
	int			 client_id_hex;	/* written in hex */
	struct in_addr		 address;	/* INADDR_ANY: none */
	struct dhcp_option_list	 options;
};
TAILQ_HEAD(dhcp_host_list, dhcp_host_conf);

/* a relayed segment, picked by the giaddr of the relay */
struct dhcp_subnet_conf {
	TAILQ_ENTRY(dhcp_subnet_conf) entry;
	struct in_addr		 network;
	struct in_addr		 netmask;
	int			 prefixlen;
	uint32_t		 lease_time;	/* 0: the block's */
	struct dhcp_range_list	 ranges;
	struct dhcp_option_list	 options;
};
TAILQ_HEAD(dhcp_subnet_list, dhcp_subnet_conf);

/*
 * A "dhcp on IF" block.  Options of a host win over those of its
 * subnet, and those over the block's.
 */
struct dhcp_conf {
	TAILQ_ENTRY(dhcp_conf)	 entry;
	char			 ifname[IF_NAMESIZE];
	uint32_t		 lease_time;	/* 0 until conf_finish */
	int			 ping_check;
	struct dhcp_range_list	 ranges;
	struct dhcp_option_list	 options;
	struct dhcp_host_list	 hosts;
	struct dhcp_subnet_list	 subnets;
};
TAILQ_HEAD(dhcp_list, dhcp_conf);

struct moatd_conf {
	char			 user[MOAT_USER_MAX];
	char			 state_dir[PATH_MAX];
	char			 pidfile[PATH_MAX];
	int			 sandbox_debug;
	struct dns_conf		 dns;
	struct dhcp_list	 dhcp;
	char			 lease_hook[PATH_MAX];	/* "" none */
	char			 lease_hook_user[MOAT_USER_MAX];
};

/*
 * Parse a configuration file.  Errors go to the log as "file:line:
 * message"; the result is NULL when there was any.
 */
struct moatd_conf	*parse_config(const char *);
/* the same from an open stream, named name; includes are refused */
struct moatd_conf	*parse_config_stream(FILE *, const char *);
/* define a macro from the command line: "name=value"; -1 if malformed */
int			 cmdline_symset(const char *);
void			 cmdline_symclear(void);

/* conf.c */
struct moatd_conf	*conf_new(void);
/* the embedded default: a DNS forwarder on the loopback addresses */
struct moatd_conf	*conf_embedded(void);
/* fill in what the file left out; returns 0, or -1 (logged) */
int			 conf_finish(struct moatd_conf *);
void			 conf_free(struct moatd_conf *);
int			 conf_parse_addr(const char *, in_port_t,
			    struct sockaddr_storage *);
/*
 * A domain as the engines want it: ASCII (names in Unicode converted to
 * punycode with IDNA2008), lower case, no trailing dot.  "." is "".
 */
int			 conf_norm_domain(const char *, char *, size_t);

/*
 * An "option" line: the option's word (its name, "router", or its
 * number) and the words of its value as dhcp_option_encode takes them.
 * NULL with the reason in err when it is wrong.
 */
struct dhcp_option_conf	*conf_dhcp_option_new(const char *,
			    const char *const *, size_t, char *, size_t);
/* the option's name to print, as dhcp_option_name gives it; buf of 4 */
const char		*conf_dhcp_option_name(uint8_t, char *);
void			 conf_dhcp_option_free(struct dhcp_option_conf *);
/*
 * "01:ab:cd", "1:ab:cd" or "01abcd" to bytes; the number of bytes, or -1
 * when it is not hex or longer than the buffer.
 */
int			 conf_parse_hex(const char *, uint8_t *, size_t);
/* 00:11:22:33:44:55; -1 if it is not a MAC address */
int			 conf_parse_mac(const char *, uint8_t *);

/* printconf.c */
void			 print_config(FILE *, const struct moatd_conf *);

/* records.c */
void			 rr_buf_init(struct rr_buf *, size_t);
void			 rr_buf_free(struct rr_buf *);
/* append one entry; -1 (errno E2BIG past the bound, or ENOMEM) */
int			 rr_buf_add(struct rr_buf *, uint8_t,
			    const uint8_t *, size_t, uint16_t,
			    const uint8_t *, size_t);
/*
 * The bytes from off that make whole entries and at most max bytes: one
 * message's worth.  0 at the end, or when an entry is broken or longer
 * than max.
 */
size_t			 rr_buf_batch(const struct rr_buf *, size_t,
			    size_t);
/* read the entry at data; -1 when it is malformed or cut short */
int			 rr_entry_read(const uint8_t *, size_t,
			    struct rr_entry *);
/*
 * A "record" or "address" line, names as written in the file: checked,
 * encoded and appended.  On failure returns -1 with the reason in err.
 */
int			 records_add_record(struct rr_buf *, const char *,
			    const char *, const struct rr_arg *, size_t,
			    char *, size_t);
int			 records_add_address(struct rr_buf *, const char *,
			    const struct rr_arg *, size_t, char *, size_t);
/* the record type's name, or NULL when "record" does not take it */
const char		*records_type_name(uint16_t);
/* a normalized name (conf_norm_domain) to wire form; -1 if it is none */
int			 records_name_to_wire(const char *, uint8_t *,
			    size_t *);
/* the PTR owner of an address: "4.3.2.1.in-addr.arpa" or ip6.arpa */
void			 records_reverse_name(int, const void *, char *,
			    size_t);

/* hosts.c */
/*
 * Read a hosts(5) file into out: each name an A or AAAA record, and the
 * address's reverse name a PTR to the first name of its first line.
 * With domain, a name without a dot also answers as NAME.domain.  Bad
 * lines are skipped with a warning.  -1 (logged) when it cannot be read.
 */
int			 hosts_read(const char *, const char *,
			    struct rr_buf *);

#endif /* MOAT_CONF_H */
