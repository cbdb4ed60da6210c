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
 * The moatd.conf grammar: macros, includes, global settings and one block
 * per engine.  Statements end at a newline or a ';'.
 */

%{
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"

#define MAX_INCLUDE_DEPTH	16
#define MAX_WORD		8192

struct file {
	TAILQ_ENTRY(file)	 entry;
	FILE			*stream;
	char			*name;
	int			 lineno;
	int			 newline_pending;
	int			 last_was_nl;
	int			 owned;		/* we opened it */
};
TAILQ_HEAD(file_list, file);

struct sym {
	TAILQ_ENTRY(sym)	 entry;
	int			 persist;	/* from -D: files cannot change */
	char			*name;
	char			*value;
};
TAILQ_HEAD(sym_list, sym);

static struct file_list		 files = TAILQ_HEAD_INITIALIZER(files);
static struct sym_list		 symhead = TAILQ_HEAD_INITIALIZER(symhead);
static struct file		*file, *topfile;
/* an included file is read once its include statement has ended */
static struct file		*pending_file;
static int			 last_token;
static struct moatd_conf	*conf;
static int			 errors;
static int			 allow_include;
static int			 dns_seen;
/* the DHCP block, host and subnet whose statements are being read */
static struct dhcp_conf		*cur_dhcp;
static struct dhcp_host_conf	*cur_host;
static struct dhcp_subnet_conf	*cur_subnet;
static int			 host_line;	/* where cur_host began */
static int			 host_errors;	/* before cur_host began */
/* the bound on local records is reported once, not for every line after */
static int			 records_full;

int		 yyparse(void);
static int	 yylex(void);
static void	 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static void	 error_at(int, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static struct file *pushfile(const char *, FILE *);
static int	 popfile(void);
static int	 symset(const char *, const char *, int);
static char	*symget(const char *);
static void	 skip_block(void);
static int	 check_path(const char *, const char *);
static int	 check_port(int64_t);
static void	 add_listen(const char *, int64_t);
static void	 add_forwarder(const char *, int64_t, const char *);
static void	 free_strings(char *, char *);
static int	 findeol_error(void);
static int	 lex_token(void);

/* the values after "record NAME TYPE" and "address NAME" */
struct rr_args {
	struct rr_arg	*v;
	size_t		 n;
	size_t		 cap;
};

static struct rr_args	*args_new(void);
static void	 args_add(struct rr_args *, int64_t, char *);
static void	 args_free(struct rr_args *);
static void	 add_domain(enum domain_kind, const char *, const char *);
static void	 set_domain(char *);
static void	 set_hosts_file(char *);
static void	 set_cache_size(int64_t);
static void	 add_record(char *, char *, struct rr_args *);
static void	 add_address(char *, struct rr_args *);

static void	 set_lease_hook(char *, char *);
static void	 dhcp_begin(const char *);
static void	 subnet_begin(const char *);
static void	 host_begin(const char *);
static void	 host_end(void);
static void	 host_hwaddr(const char *);
static void	 host_client_id(const char *, int);
static void	 host_address(const char *);
static void	 add_range(struct dhcp_range_list *,
		    const struct dhcp_subnet_conf *, const char *,
		    const char *, int);
static int64_t	 lease_time(const char *);
static int64_t	 lease_time_number(int64_t);
static void	 set_lease_time(uint32_t *, int64_t);
static struct dhcp_option_conf *new_option(char *, int64_t,
		    struct rr_args *, char *);
static void	 add_option(struct dhcp_option_list *,
		    struct dhcp_option_conf *);

typedef struct {
	union {
		int64_t		 number;
		char		*string;
		struct rr_args	*args;
		struct dhcp_option_conf *option;
	} v;
	int lineno;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED 1
%}

%token	DIRECTORY DNS DOMAIN DEBUG FILETOK FOR FORWARDER INCLUDE IN_ORDER
%token	LISTEN ON PIDFILE PORT ROUND_ROBIN SANDBOX STATE STRATEGY USER
%token	ADDRESS ALLOW BLOCK CACHE CASE FASTEST HOSTS LOCAL NO PRIVATE
%token	RANDOM REBIND RECORD REVERSE SIZE UNQUALIFIED
%token	AS BOOTP CHECK CLIENT_ID DHCP ETHERNET HARDWARE HEX HOOK HOST
%token	LEASE OPTION PING RANGE SUBNET TIME
%token	NOENGINE
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.number>	port leasetime
%type	<v.string>	fordomain hookuser
%type	<v.args>	rrargs
%type	<v.option>	dhcpoption
%destructor	{ free($$); } <v.string>
%destructor	{ args_free($$); } <v.args>
%destructor	{ conf_dhcp_option_free($$); } <v.option>

%%

grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar dns '\n'
		| grammar dhcp '\n'
		| grammar noengine '\n'
		| grammar error '\n'		{ errors++; }
		;

include		: INCLUDE STRING {
			struct file	*nfile;
			char		 path[PATH_MAX], dir[PATH_MAX];

			if (!allow_include) {
				yyerror("include is not allowed here");
				free($2);
				YYERROR;
			}
			if ($2[0] != '/' && strchr(file->name, '/') != NULL) {
				strlcpy(dir, file->name, sizeof(dir));
				snprintf(path, sizeof(path), "%s/%s",
				    dirname(dir), $2);
			} else
				strlcpy(path, $2, sizeof(path));
			free($2);
			if ((nfile = pushfile(path, NULL)) == NULL) {
				yyerror("include \"%s\": %s", path,
				    errno == ELOOP ? "includes nested too deep" :
				    strerror(errno));
				YYERROR;
			}
			pending_file = nfile;
		}
		;

varset		: STRING '=' STRING {
			const char	*s;

			for (s = $1; *s != '\0'; s++)
				if (!isalnum((unsigned char)*s) && *s != '_')
					break;
			if (*s != '\0' || $1[0] == '\0' ||
			    isdigit((unsigned char)$1[0])) {
				yyerror("macro name \"%s\" is not a word", $1);
				free_strings($1, $3);
				YYERROR;
			}
			if (symset($1, $3, 0) == -1)
				fatal("cannot store macro");
			free_strings($1, $3);
		}
		;

main		: USER STRING {
			if ($2[0] == '\0' ||
			    strlcpy(conf->user, $2, sizeof(conf->user)) >=
			    sizeof(conf->user)) {
				yyerror("user \"%s\": bad user name", $2);
				free($2);
				YYERROR;
			}
			free($2);
		}
		| STATE DIRECTORY STRING {
			if (check_path("state directory", $3) == -1) {
				free($3);
				YYERROR;
			}
			strlcpy(conf->state_dir, $3, sizeof(conf->state_dir));
			free($3);
		}
		| PIDFILE STRING {
			if (check_path("pidfile", $2) == -1) {
				free($2);
				YYERROR;
			}
			strlcpy(conf->pidfile, $2, sizeof(conf->pidfile));
			free($2);
		}
		| SANDBOX DEBUG {
			conf->sandbox_debug = 1;
		}
		| LEASE HOOK STRING hookuser {
			set_lease_hook($3, $4);
		}
		;

hookuser	: /* empty */			{ $$ = NULL; }
		| AS USER STRING		{ $$ = $3; }
		;

noengine	: NOENGINE {
			/* the message was given by the lexer */
			errors++;
			skip_block();
		}
		;

dns		: DNS {
			if (dns_seen++) {
				yyerror("dns: block given twice");
				errors++;
			}
			conf->dns.enabled = 1;
		} '{' dnsbody '}'
		;

/* the last statement of a block needs no separator before the brace */
dnsbody		: dnsopts
		| dnsopts dnsopt
		;

/* a file included in the block holds statements of the block */
dnsopts		: /* empty */
		| dnsopts '\n'
		| dnsopts dnsopt '\n'
		| dnsopts include '\n'
		| dnsopts error '\n'		{ errors++; }
		;

dnsopt		: LISTEN ON STRING port {
			add_listen($3, $4);
			free($3);
		}
		| FORWARDER STRING port fordomain {
			add_forwarder($2, $3, $4);
			free_strings($2, $4);
		}
		| FORWARDER FILETOK STRING {
			if (check_path("forwarder file", $3) == -1) {
				free($3);
				YYERROR;
			}
			if (conf->dns.forwarder_file[0] != '\0') {
				yyerror("forwarder file given twice");
				free($3);
				YYERROR;
			}
			strlcpy(conf->dns.forwarder_file, $3,
			    sizeof(conf->dns.forwarder_file));
			free($3);
		}
		| STRATEGY IN_ORDER {
			conf->dns.strategy = STRATEGY_IN_ORDER;
		}
		| STRATEGY ROUND_ROBIN {
			conf->dns.strategy = STRATEGY_ROUND_ROBIN;
		}
		| STRATEGY FASTEST {
			conf->dns.strategy = STRATEGY_FASTEST;
		}
		| CACHE SIZE NUMBER {
			set_cache_size($3);
		}
		| HOSTS FILETOK STRING {
			set_hosts_file($3);
		}
		| NO HOSTS FILETOK {
			set_hosts_file(NULL);
		}
		| DOMAIN STRING {
			set_domain($2);
		}
		| LOCAL DOMAIN STRING {
			add_domain(DOMAIN_LOCAL, "local domain", $3);
			free($3);
		}
		| ALLOW REBIND FOR DOMAIN STRING {
			add_domain(DOMAIN_REBIND_OK, "allow rebind for domain",
			    $5);
			free($5);
		}
		| BLOCK PRIVATE REVERSE {
			conf->dns.flags |= DNS_BLOCK_PRIVATE_REVERSE;
		}
		| BLOCK UNQUALIFIED {
			conf->dns.flags |= DNS_BLOCK_UNQUALIFIED;
		}
		| BLOCK REBIND {
			conf->dns.flags |= DNS_BLOCK_REBIND;
		}
		| RANDOM CASE {
			conf->dns.flags |= DNS_RANDOM_CASE;
		}
		| ADDRESS STRING rrargs {
			add_address($2, $3);
		}
		| RECORD STRING STRING rrargs {
			add_record($2, $3, $4);
		}
		;

rrargs		: /* empty */			{ $$ = args_new(); }
		| rrargs STRING {
			args_add($1, 0, $2);
			$$ = $1;
		}
		| rrargs NUMBER {
			args_add($1, $2, NULL);
			$$ = $1;
		}
		;

/*
 * The DHCP blocks.  Each statement's action works on the block, subnet or
 * host that its place in the grammar names, so that error recovery which
 * leaves a host or subnet early cannot send statements to the wrong one.
 */
dhcp		: dhcpstart '{' dhcpbody '}'
		;

dhcpstart	: DHCP ON STRING {
			dhcp_begin($3);
			free($3);
		}
		;

dhcpbody	: dhcpopts
		| dhcpopts dhcpopt
		;

dhcpopts	: /* empty */
		| dhcpopts '\n'
		| dhcpopts dhcpopt '\n'
		| dhcpopts error '\n'		{ errors++; }
		;

dhcpopt		: RANGE STRING STRING {
			add_range(&cur_dhcp->ranges, NULL, $2, $3, 0);
			free_strings($2, $3);
		}
		| BOOTP RANGE STRING STRING {
			add_range(&cur_dhcp->ranges, NULL, $3, $4, 1);
			free_strings($3, $4);
		}
		| LEASE TIME leasetime {
			set_lease_time(&cur_dhcp->lease_time, $3);
		}
		| dhcpoption {
			add_option(&cur_dhcp->options, $1);
		}
		| PING CHECK {
			cur_dhcp->ping_check = 1;
		}
		| host
		| subnet
		;

leasetime	: NUMBER			{ $$ = lease_time_number($1); }
		| STRING {
			$$ = lease_time($1);
			free($1);
		}
		;

/* the words are encoded once the option is known */
dhcpoption	: OPTION STRING rrargs {
			$$ = new_option($2, 0, $3, NULL);
		}
		| OPTION NUMBER rrargs {
			$$ = new_option(NULL, $2, $3, NULL);
		}
		| OPTION STRING HEX STRING {
			$$ = new_option($2, 0, NULL, $4);
		}
		| OPTION NUMBER HEX STRING {
			$$ = new_option(NULL, $2, NULL, $4);
		}
		;

host		: hoststart '{' hostbody '}' {
			host_end();
		}
		;

hoststart	: HOST STRING {
			host_begin($2);
			free($2);
		}
		;

hostbody	: hostopts
		| hostopts hostopt
		;

hostopts	: /* empty */
		| hostopts '\n'
		| hostopts hostopt '\n'
		| hostopts error '\n'		{ errors++; }
		;

hostopt		: HARDWARE ETHERNET STRING {
			host_hwaddr($3);
			free($3);
		}
		| CLIENT_ID STRING {
			host_client_id($2, 0);
			free($2);
		}
		| CLIENT_ID HEX STRING {
			host_client_id($3, 1);
			free($3);
		}
		| ADDRESS STRING {
			host_address($2);
			free($2);
		}
		| dhcpoption {
			add_option(&cur_host->options, $1);
		}
		;

subnet		: subnetstart '{' subnetbody '}'
		;

subnetstart	: SUBNET STRING {
			subnet_begin($2);
			free($2);
		}
		;

subnetbody	: subnetopts
		| subnetopts subnetopt
		;

subnetopts	: /* empty */
		| subnetopts '\n'
		| subnetopts subnetopt '\n'
		| subnetopts error '\n'	{ errors++; }
		;

subnetopt	: RANGE STRING STRING {
			add_range(&cur_subnet->ranges, cur_subnet, $2, $3, 0);
			free_strings($2, $3);
		}
		| BOOTP RANGE STRING STRING {
			add_range(&cur_subnet->ranges, cur_subnet, $3, $4, 1);
			free_strings($3, $4);
		}
		| LEASE TIME leasetime {
			set_lease_time(&cur_subnet->lease_time, $3);
		}
		| dhcpoption {
			add_option(&cur_subnet->options, $1);
		}
		;

port		: /* empty */			{ $$ = MOAT_DNS_PORT; }
		| PORT NUMBER {
			if (check_port($2) == -1)
				YYERROR;
			$$ = $2;
		}
		;

fordomain	: /* empty */			{ $$ = NULL; }
		| FOR DOMAIN STRING		{ $$ = $3; }
		;

%%

static int	 suppress_syntax_error;

struct keyword {
	const char	*name;
	int		 token;
};

/* sorted by name, for bsearch */
static const struct keyword keywords[] = {
	{ "address",		ADDRESS },
	{ "allow",		ALLOW },
	{ "as",			AS },
	{ "block",		BLOCK },
	{ "bootp",		BOOTP },
	{ "cache",		CACHE },
	{ "case",		CASE },
	{ "check",		CHECK },
	{ "client-id",		CLIENT_ID },
	{ "debug",		DEBUG },
	{ "dhcp",		DHCP },
	{ "dhcp6",		NOENGINE },
	{ "directory",		DIRECTORY },
	{ "dns",		DNS },
	{ "domain",		DOMAIN },
	{ "ethernet",		ETHERNET },
	{ "fastest",		FASTEST },
	{ "file",		FILETOK },
	{ "for",		FOR },
	{ "forwarder",		FORWARDER },
	{ "hardware",		HARDWARE },
	{ "hex",		HEX },
	{ "hook",		HOOK },
	{ "host",		HOST },
	{ "hosts",		HOSTS },
	{ "in-order",		IN_ORDER },
	{ "include",		INCLUDE },
	{ "lease",		LEASE },
	{ "listen",		LISTEN },
	{ "local",		LOCAL },
	{ "no",			NO },
	{ "on",			ON },
	{ "option",		OPTION },
	{ "pidfile",		PIDFILE },
	{ "ping",		PING },
	{ "port",		PORT },
	{ "private",		PRIVATE },
	{ "pxe",		NOENGINE },
	{ "ra",			NOENGINE },
	{ "random",		RANDOM },
	{ "range",		RANGE },
	{ "rebind",		REBIND },
	{ "record",		RECORD },
	{ "reverse",		REVERSE },
	{ "round-robin",	ROUND_ROBIN },
	{ "sandbox",		SANDBOX },
	{ "size",		SIZE },
	{ "state",		STATE },
	{ "strategy",		STRATEGY },
	{ "subnet",		SUBNET },
	{ "tftp",		NOENGINE },
	{ "time",		TIME },
	{ "unqualified",	UNQUALIFIED },
	{ "user",		USER },
};

/* what each engine keyword is called when this build lacks the engine */
static const struct {
	const char	*keyword;
	const char	*engine;
} engine_names[] = {
	{ "dhcp",	"DHCP" },
	{ "dhcp6",	"DHCPv6" },
	{ "dns",	"DNS" },
	{ "pxe",	"PXE" },
	{ "ra",		"router advertisement" },
	{ "tftp",	"TFTP" },
};

static void
yyerror(const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a lexical error already said what was wrong */
	if (suppress_syntax_error && strcmp(msg, "syntax error") == 0) {
		suppress_syntax_error = 0;
		return;
	}
	log_warnx("%s:%d: %s", file->name, file->lineno, msg);
}

/* an error about a statement that began on an earlier line; counted */
static void
error_at(int lineno, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", file->name, lineno, msg);
	errors++;
}

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keyword *)e)->name);
}

static int
lookup(const char *s)
{
	const struct keyword	*kw;
	size_t			 i;
	int			 token;

	kw = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp);
	if (kw == NULL)
		return STRING;
	token = kw->token;
#ifndef MOAT_DNS
	if (token == DNS)
		token = NOENGINE;
#endif
#ifndef MOAT_DHCP
	if (token == DHCP)
		token = NOENGINE;
#endif
	if (token != NOENGINE)
		return token;
	for (i = 0; i < sizeof(engine_names) / sizeof(engine_names[0]); i++)
		if (strcmp(engine_names[i].keyword, s) == 0)
			yyerror("%s: this moatd was built without the %s "
			    "engine", s, engine_names[i].engine);
	return NOENGINE;
}

static int
lgetc(void)
{
	int	 c;

	while ((c = getc(file->stream)) == '\\') {
		c = getc(file->stream);
		if (c != '\n') {
			if (c != EOF)
				ungetc(c, file->stream);
			return '\\';
		}
		file->lineno++;
	}
	return c;
}

/* skip to the end of the line, for a comment */
static int
skip_comment(void)
{
	int	 c;

	while ((c = lgetc()) != '\n' && c != EOF)
		;
	return c;
}

/*
 * After an engine keyword this build cannot honour: pass over the rest of
 * its block without parsing it, so one error is reported, not dozens.
 */
static void
skip_block(void)
{
	int	 c, depth = 0, quoted = 0;

	while ((c = lgetc()) != EOF) {
		if (quoted) {
			if (c == '"')
				quoted = 0;
			else if (c == '\n')
				file->lineno++;
			continue;
		}
		switch (c) {
		case '"':
			quoted = 1;
			break;
		case '#':
			if ((c = skip_comment()) == '\n')
				file->lineno++;
			break;
		case '\n':
			if (depth == 0) {
				ungetc(c, file->stream);
				return;
			}
			file->lineno++;
			break;
		case '{':
			depth++;
			break;
		case '}':
			if (--depth <= 0)
				return;
			break;
		}
	}
}

static int
is_word_char(int c)
{
	return isalnum(c) || (c != EOF && strchr("-_.:/%@*,+[]", c) != NULL);
}

static int
word_token(char *buf)
{
	const char	*errstr;
	int		 token;

	if (isdigit((unsigned char)buf[0]) &&
	    strspn(buf, "0123456789") == strlen(buf)) {
		yylval.v.number = strtonum(buf, 0, INT64_MAX, &errstr);
		if (errstr != NULL) {
			yyerror("number %s is %s", buf, errstr);
			yylval.v.number = INT64_MAX;
		}
		return NUMBER;
	}
	if ((token = lookup(buf)) != STRING)
		return token;
	if ((yylval.v.string = strdup(buf)) == NULL)
		fatal("strdup");
	return STRING;
}

static int
macro_token(void)
{
	char	 name[MAX_WORD];
	char	*val;
	size_t	 n = 0;
	int	 c;

	while ((c = lgetc()) != EOF && (isalnum(c) || c == '_')) {
		if (n + 1 >= sizeof(name)) {
			yyerror("macro name too long");
			return findeol_error();
		}
		name[n++] = c;
	}
	if (c != EOF)
		ungetc(c, file->stream);
	name[n] = '\0';
	if ((val = symget(name)) == NULL) {
		yyerror("macro \"%s\" is not defined", name);
		errors++;
		val = "";
	}
	if (val[0] != '\0' && strspn(val, "0123456789") == strlen(val))
		return word_token(val);
	if ((yylval.v.string = strdup(val)) == NULL)
		fatal("strdup");
	return STRING;
}

static int
quoted_token(void)
{
	char	 buf[MAX_WORD];
	size_t	 n = 0;
	int	 c;

	for (;;) {
		c = getc(file->stream);
		if (c == EOF || c == '\n') {
			yyerror("unterminated quoted string");
			if (c == '\n')
				ungetc(c, file->stream);
			return findeol_error();
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = getc(file->stream);
			if (c == EOF || c == '\n') {
				yyerror("unterminated quoted string");
				return findeol_error();
			}
		}
		if (c == '\0') {
			yyerror("NUL in a quoted string");
			return findeol_error();
		}
		if (n + 1 >= sizeof(buf)) {
			yyerror("quoted string too long");
			return findeol_error();
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	if ((yylval.v.string = strdup(buf)) == NULL)
		fatal("strdup");
	return STRING;
}

static int
yylex(void)
{
	last_token = lex_token();
	return last_token;
}

static int
lex_token(void)
{
	char	 buf[MAX_WORD];
	size_t	 n;
	int	 c;

	if (pending_file != NULL && last_token == '\n') {
		file = pending_file;
		pending_file = NULL;
	}
	if (file->newline_pending) {
		file->lineno++;
		file->newline_pending = 0;
	}
top:
	while ((c = lgetc()) == ' ' || c == '\t' || c == '\r')
		;
	yylval.lineno = file->lineno;
	if (c == '#')
		c = skip_comment();
	if (c == EOF) {
		/* every file ends its last statement, newline or not */
		if (!file->last_was_nl) {
			file->last_was_nl = 1;
			return '\n';
		}
		if (popfile() == EOF)
			return 0;
		goto top;
	}
	file->last_was_nl = 0;
	switch (c) {
	case '\n':
		file->newline_pending = 1;
		file->last_was_nl = 1;
		return '\n';
	case ';':
		file->last_was_nl = 1;
		return '\n';
	case '{':
	case '}':
	case '=':
		return c;
	case '"':
		return quoted_token();
	case '$':
		return macro_token();
	}
	if (!is_word_char(c))
		return c;
	n = 0;
	do {
		if (n + 1 >= sizeof(buf)) {
			yyerror("word too long");
			return findeol_error();
		}
		buf[n++] = c;
	} while ((c = lgetc()) != EOF && is_word_char(c));
	if (c != EOF)
		ungetc(c, file->stream);
	buf[n] = '\0';
	return word_token(buf);
}

/* give up on the rest of the line after a lexical error */
static int
findeol_error(void)
{
	int	 c;

	while ((c = lgetc()) != EOF && c != '\n')
		;
	if (c == '\n')
		ungetc(c, file->stream);
	errors++;
	suppress_syntax_error = 1;
	return 0x7f;	/* no rule takes it: error recovery follows */
}

static struct file *
pushfile(const char *name, FILE *stream)
{
	struct file	*nfile;
	size_t		 depth = 0;

	TAILQ_FOREACH(nfile, &files, entry)
		depth++;
	if (depth >= MAX_INCLUDE_DEPTH) {
		errno = ELOOP;
		return NULL;
	}
	if ((nfile = calloc(1, sizeof(*nfile))) == NULL)
		return NULL;
	if ((nfile->name = strdup(name)) == NULL) {
		free(nfile);
		return NULL;
	}
	if (stream == NULL) {
		if ((nfile->stream = fopen(name, "r")) == NULL) {
			free(nfile->name);
			free(nfile);
			return NULL;
		}
		nfile->owned = 1;
	} else
		nfile->stream = stream;
	nfile->lineno = 1;
	nfile->last_was_nl = 1;
	TAILQ_INSERT_TAIL(&files, nfile, entry);
	return nfile;
}

static int
popfile(void)
{
	struct file	*prev;

	if ((prev = TAILQ_PREV(file, file_list, entry)) == NULL)
		return EOF;
	TAILQ_REMOVE(&files, file, entry);
	if (file->owned)
		fclose(file->stream);
	free(file->name);
	free(file);
	file = prev;
	return 0;
}

static void
closefiles(void)
{
	struct file	*f;

	while ((f = TAILQ_FIRST(&files)) != NULL) {
		TAILQ_REMOVE(&files, f, entry);
		if (f->owned)
			fclose(f->stream);
		free(f->name);
		free(f);
	}
	file = topfile = NULL;
}

static void
clear_file_symbols(void)
{
	struct sym	*s, *next;

	TAILQ_FOREACH_SAFE(s, &symhead, entry, next) {
		if (s->persist)
			continue;
		TAILQ_REMOVE(&symhead, s, entry);
		free(s->name);
		free(s->value);
		free(s);
	}
}

static struct moatd_conf *
parse_run(void)
{
	struct moatd_conf	*result;

	errors = 0;
	dns_seen = 0;
	cur_dhcp = NULL;
	cur_host = NULL;
	cur_subnet = NULL;
	records_full = 0;
	pending_file = NULL;
	last_token = 0;
	suppress_syntax_error = 0;
	if ((conf = conf_new()) == NULL)
		fatal("conf_new");
	yyparse();
	closefiles();
	clear_file_symbols();
	result = conf;
	conf = NULL;
	if (errors == 0 && conf_finish(result) == -1)
		errors++;
	if (errors) {
		conf_free(result);
		return NULL;
	}
	return result;
}

struct moatd_conf *
parse_config(const char *filename)
{
	if ((file = pushfile(filename, NULL)) == NULL) {
		log_warn("%s", filename);
		return NULL;
	}
	topfile = file;
	allow_include = 1;
	return parse_run();
}

struct moatd_conf *
parse_config_stream(FILE *stream, const char *name)
{
	if ((file = pushfile(name, stream)) == NULL) {
		log_warn("%s", name);
		return NULL;
	}
	topfile = file;
	allow_include = 0;
	return parse_run();
}

static int
symset(const char *name, const char *value, int persist)
{
	struct sym	*s;

	TAILQ_FOREACH(s, &symhead, entry)
		if (strcmp(s->name, name) == 0)
			break;
	if (s != NULL) {
		if (s->persist && !persist)
			return 0;
		TAILQ_REMOVE(&symhead, s, entry);
		free(s->name);
		free(s->value);
		free(s);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	if ((s->name = strdup(name)) == NULL ||
	    (s->value = strdup(value)) == NULL) {
		free(s->name);
		free(s);
		return -1;
	}
	s->persist = persist;
	TAILQ_INSERT_TAIL(&symhead, s, entry);
	return 0;
}

static char *
symget(const char *name)
{
	struct sym	*s;

	TAILQ_FOREACH(s, &symhead, entry)
		if (strcmp(s->name, name) == 0)
			return s->value;
	return NULL;
}

int
cmdline_symset(const char *def)
{
	char		 name[MAX_WORD];
	const char	*eq, *p;
	size_t		 len;

	if ((eq = strchr(def, '=')) == NULL)
		return -1;
	len = eq - def;
	if (len == 0 || len >= sizeof(name))
		return -1;
	for (p = def; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return -1;
	memcpy(name, def, len);
	name[len] = '\0';
	return symset(name, eq + 1, 1);
}

void
cmdline_symclear(void)
{
	struct sym	*s;

	while ((s = TAILQ_FIRST(&symhead)) != NULL) {
		TAILQ_REMOVE(&symhead, s, entry);
		free(s->name);
		free(s->value);
		free(s);
	}
}

static int
check_path(const char *what, const char *path)
{
	if (path[0] != '/') {
		yyerror("%s \"%s\": not an absolute path", what, path);
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		yyerror("%s: path too long", what);
		return -1;
	}
	return 0;
}

static int
check_port(int64_t port)
{
	if (port < 1 || port > 65535) {
		yyerror("port %lld out of range (1-65535)", (long long)port);
		return -1;
	}
	return 0;
}

static int
is_unspecified(const struct sockaddr_storage *ss)
{
	static const struct in6_addr	 any6 = IN6ADDR_ANY_INIT;

	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &any6,
	    sizeof(any6)) == 0;
}

static void
add_listen(const char *what, int64_t port)
{
	struct listen_conf	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("calloc");
	l->port = port;
	if (conf_parse_addr(what, l->port, &l->addr) == 0) {
		if (is_unspecified(&l->addr)) {
			yyerror("listen on %s: name an address or an "
			    "interface, not the wildcard", what);
			errors++;
			free(l);
			return;
		}
	} else if (strlen(what) < sizeof(l->ifname) &&
	    if_nametoindex(what) != 0) {
		strlcpy(l->ifname, what, sizeof(l->ifname));
	} else {
		yyerror("listen on \"%s\": neither an address nor an "
		    "interface", what);
		errors++;
		free(l);
		return;
	}
	TAILQ_INSERT_TAIL(&conf->dns.listens, l, entry);
}

static void
add_forwarder(const char *addr, int64_t port, const char *domain)
{
	struct forwarder_conf	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatal("calloc");
	if (conf_parse_addr(addr, port, &f->addr) == -1 ||
	    is_unspecified(&f->addr)) {
		yyerror("forwarder \"%s\": not an address", addr);
		errors++;
		free(f);
		return;
	}
	if (domain != NULL &&
	    conf_norm_domain(domain, f->domain, sizeof(f->domain)) == -1) {
		yyerror("forwarder for domain \"%s\": not a domain name",
		    domain);
		errors++;
		free(f);
		return;
	}
	TAILQ_INSERT_TAIL(&conf->dns.forwarders, f, entry);
}

static void
free_strings(char *a, char *b)
{
	free(a);
	free(b);
}

static struct rr_args *
args_new(void)
{
	struct rr_args	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	return a;
}

/* takes string (NULL for a number) */
static void
args_add(struct rr_args *a, int64_t number, char *string)
{
	struct rr_arg	*v;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		if ((v = reallocarray(a->v, a->cap, sizeof(*v))) == NULL)
			fatal("reallocarray");
		a->v = v;
	}
	v = &a->v[a->n++];
	v->is_number = string == NULL;
	v->number = number;
	v->string = string;
}

static void
args_free(struct rr_args *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->v[i].string);
	free(a->v);
	free(a);
}

static void
set_cache_size(int64_t n)
{
	if (conf->dns.cache_size_set++) {
		yyerror("cache size given twice");
		errors++;
		return;
	}
	if (n > MOAT_CACHE_SIZE_MAX) {
		yyerror("cache size %lld: too large (at most %d)",
		    (long long)n, MOAT_CACHE_SIZE_MAX);
		errors++;
		return;
	}
	conf->dns.cache_size = n;
}

/* path NULL: "no hosts file" */
static void
set_hosts_file(char *path)
{
	struct dns_conf	*dns = &conf->dns;

	if (dns->hosts_file_set++) {
		yyerror("hosts file given twice");
		errors++;
	} else if (path != NULL && check_path("hosts file", path) == -1)
		errors++;
	else if (path != NULL)
		strlcpy(dns->hosts_file, path, sizeof(dns->hosts_file));
	free(path);
}

static void
set_domain(char *name)
{
	struct dns_conf	*dns = &conf->dns;

	if (dns->domain[0] != '\0') {
		yyerror("domain given twice");
		errors++;
	} else if (conf_norm_domain(name, dns->domain,
	    sizeof(dns->domain)) == -1 || dns->domain[0] == '\0') {
		yyerror("domain \"%s\": not a domain name", name);
		dns->domain[0] = '\0';
		errors++;
	}
	free(name);
}

static void
add_domain(enum domain_kind kind, const char *what, const char *name)
{
	struct domain_conf	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	d->kind = kind;
	if (conf_norm_domain(name, d->domain, sizeof(d->domain)) == -1 ||
	    d->domain[0] == '\0') {
		yyerror("%s \"%s\": not a domain name", what, name);
		errors++;
		free(d);
		return;
	}
	TAILQ_INSERT_TAIL(&conf->dns.domains, d, entry);
}

static void
records_error(const char *err)
{
	errors++;
	if (strncmp(err, "local records take more", 23) == 0 &&
	    records_full++)
		return;
	yyerror("%s", err);
}

static void
add_record(char *name, char *type, struct rr_args *a)
{
	char	 err[512];

	if (records_add_record(&conf->dns.records, name, type, a->v, a->n,
	    err, sizeof(err)) == -1)
		records_error(err);
	free_strings(name, type);
	args_free(a);
}

static void
add_address(char *name, struct rr_args *a)
{
	char	 err[512];

	if (records_add_address(&conf->dns.records, name, a->v, a->n, err,
	    sizeof(err)) == -1)
		records_error(err);
	free(name);
	args_free(a);
}

static void
set_lease_hook(char *path, char *user)
{
#ifndef MOAT_DHCP
	yyerror("lease hook: this moatd was built without the DHCP engine");
	errors++;
#else
	if (conf->lease_hook[0] != '\0') {
		yyerror("lease hook given twice");
		errors++;
	} else if (check_path("lease hook", path) == -1)
		errors++;
	else if (user != NULL && (user[0] == '\0' ||
	    strlen(user) >= sizeof(conf->lease_hook_user))) {
		yyerror("lease hook: user \"%s\": bad user name", user);
		errors++;
	} else {
		strlcpy(conf->lease_hook, path, sizeof(conf->lease_hook));
		strlcpy(conf->lease_hook_user, user != NULL ? user :
		    MOAT_DHCP_HOOK_USER, sizeof(conf->lease_hook_user));
	}
#endif
	free_strings(path, user);
}

/*
 * The interface need not exist yet: it is looked up when moatd starts,
 * as its addresses are.
 */
static int
check_ifname(const char *name)
{
	size_t	 n = strlen(name);

	if (n == 0 || n >= IF_NAMESIZE || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return -1;
	for (; *name != '\0'; name++)
		if (*name == '/' || isspace((unsigned char)*name) ||
		    !isprint((unsigned char)*name))
			return -1;
	return 0;
}

static void
dhcp_begin(const char *ifname)
{
	struct dhcp_conf	*d;

	TAILQ_FOREACH(d, &conf->dhcp, entry)
		if (strcmp(d->ifname, ifname) == 0) {
			yyerror("dhcp on %s: block given twice", ifname);
			errors++;
			break;
		}
	if (check_ifname(ifname) == -1) {
		yyerror("dhcp on \"%s\": not an interface name", ifname);
		errors++;
	}
	/* in the list at once, so an error anywhere after frees it */
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	strlcpy(d->ifname, ifname, sizeof(d->ifname));
	TAILQ_INIT(&d->ranges);
	TAILQ_INIT(&d->options);
	TAILQ_INIT(&d->hosts);
	TAILQ_INIT(&d->subnets);
	TAILQ_INSERT_TAIL(&conf->dhcp, d, entry);
	cur_dhcp = d;
}

static uint32_t
prefix_mask(int len)
{
	return len <= 0 ? 0 : htonl(0xffffffffU << (32 - len));
}

/* "10.60.0.0/24"; -1 with the reason given when it is not one */
static int
parse_subnet(const char *s, struct in_addr *net, int *len)
{
	char		 buf[INET_ADDRSTRLEN + 4], *slash;
	const char	*errstr;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL) {
		yyerror("subnet %s: not a network such as 10.0.0.0/24", s);
		return -1;
	}
	*slash++ = '\0';
	if (inet_pton(AF_INET, buf, net) != 1) {
		yyerror("subnet %s: not a network such as 10.0.0.0/24", s);
		return -1;
	}
	*len = strtonum(slash, 1, 30, &errstr);
	if (errstr != NULL || !isdigit((unsigned char)*slash)) {
		yyerror("subnet %s: bad prefix length", s);
		return -1;
	}
	if ((net->s_addr & ~prefix_mask(*len)) != 0) {
		yyerror("subnet %s: host bits set", s);
		return -1;
	}
	return 0;
}

static void
subnet_begin(const char *text)
{
	struct dhcp_subnet_conf	*sn, *o;
	char			 other[INET_ADDRSTRLEN];

	if ((sn = calloc(1, sizeof(*sn))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&sn->ranges);
	TAILQ_INIT(&sn->options);
	/* a subnet in error takes part in no further check */
	sn->prefixlen = -1;
	TAILQ_INSERT_TAIL(&cur_dhcp->subnets, sn, entry);
	cur_subnet = sn;
	if (parse_subnet(text, &sn->network, &sn->prefixlen) == -1) {
		sn->prefixlen = -1;
		errors++;
		return;
	}
	sn->netmask.s_addr = prefix_mask(sn->prefixlen);
	TAILQ_FOREACH(o, &cur_dhcp->subnets, entry) {
		if (o == sn || o->prefixlen < 0)
			continue;
		/* two networks overlap when one holds the other */
		if ((sn->network.s_addr & o->netmask.s_addr) !=
		    o->network.s_addr &&
		    (o->network.s_addr & sn->netmask.s_addr) !=
		    sn->network.s_addr)
			continue;
		inet_ntop(AF_INET, &o->network, other, sizeof(other));
		if (o->prefixlen == sn->prefixlen &&
		    o->network.s_addr == sn->network.s_addr)
			yyerror("subnet %s: given twice", text);
		else
			yyerror("subnet %s: overlaps subnet %s/%d", text,
			    other, o->prefixlen);
		errors++;
		sn->prefixlen = -1;
		return;
	}
}

/* an address a client may be given: not 0/8, loopback or multicast up */
static int
parse_client_addr(const char *s, struct in_addr *a)
{
	uint32_t	 h;

	if (inet_pton(AF_INET, s, a) != 1)
		return -1;
	h = ntohl(a->s_addr);
	if ((h >> 24) == 0 || (h >> 24) == 127 || h >= 0xe0000000U)
		return -1;
	return 0;
}

static void
add_range(struct dhcp_range_list *list, const struct dhcp_subnet_conf *sn,
    const char *a, const char *b, int bootp)
{
	struct dhcp_range_conf	*r, *o;
	struct dhcp_subnet_conf	*s;
	struct in_addr		 start, end;
	const char		*what = bootp ? "bootp range" : "range";
	char			 os[INET_ADDRSTRLEN], oe[INET_ADDRSTRLEN];

	if (parse_client_addr(a, &start) == -1 ||
	    parse_client_addr(b, &end) == -1) {
		yyerror("%s %s %s: \"%s\" is not an IPv4 address a client "
		    "can have", what, a, b,
		    parse_client_addr(a, &start) == -1 ? a : b);
		errors++;
		return;
	}
	if (ntohl(start.s_addr) > ntohl(end.s_addr)) {
		yyerror("%s %s %s: start after end", what, a, b);
		errors++;
		return;
	}
	if (sn != NULL && sn->prefixlen >= 0 &&
	    ((start.s_addr & sn->netmask.s_addr) != sn->network.s_addr ||
	    (end.s_addr & sn->netmask.s_addr) != sn->network.s_addr)) {
		inet_ntop(AF_INET, &sn->network, os, sizeof(os));
		yyerror("%s %s %s: not inside subnet %s/%d", what, a, b, os,
		    sn->prefixlen);
		errors++;
		return;
	}
	/* every range of the block, its subnets' too, holds its own */
	s = NULL;
	o = TAILQ_FIRST(&cur_dhcp->ranges);
	for (;;) {
		if (o == NULL) {
			s = s == NULL ? TAILQ_FIRST(&cur_dhcp->subnets) :
			    TAILQ_NEXT(s, entry);
			if (s == NULL)
				break;
			o = TAILQ_FIRST(&s->ranges);
			continue;
		}
		if (ntohl(start.s_addr) <= ntohl(o->end.s_addr) &&
		    ntohl(o->start.s_addr) <= ntohl(end.s_addr)) {
			inet_ntop(AF_INET, &o->start, os, sizeof(os));
			inet_ntop(AF_INET, &o->end, oe, sizeof(oe));
			yyerror("%s %s %s: overlaps %s %s %s", what, a, b,
			    o->bootp ? "bootp range" : "range", os, oe);
			errors++;
			return;
		}
		o = TAILQ_NEXT(o, entry);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("calloc");
	r->start = start;
	r->end = end;
	r->bootp = bootp;
	TAILQ_INSERT_TAIL(list, r, entry);
}

/* seconds, or a number with one of the suffixes s, m, h and d */
static int64_t
lease_time(const char *text)
{
	const char	*errstr;
	char		 digits[32];
	size_t		 n;
	int64_t		 v, unit = 1;

	n = strspn(text, "0123456789");
	if (n == 0 || n >= sizeof(digits) || strlen(text) > n + 1)
		goto bad;
	switch (text[n]) {
	case '\0':
	case 's':
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 60 * 60;
		break;
	case 'd':
		unit = 24 * 60 * 60;
		break;
	default:
		goto bad;
	}
	memcpy(digits, text, n);
	digits[n] = '\0';
	v = strtonum(digits, 0, MOAT_DHCP_LEASE_MAX, &errstr);
	if (errstr != NULL || v > MOAT_DHCP_LEASE_MAX / unit) {
		yyerror("lease time %s: too long", text);
		errors++;
		return -1;
	}
	v *= unit;
	if (v < MOAT_DHCP_LEASE_MIN) {
		yyerror("lease time %s: less than 2m", text);
		errors++;
		return -1;
	}
	return v;
 bad:
	yyerror("lease time %s: not a time such as 3600, 90m, 12h or 1d",
	    text);
	errors++;
	return -1;
}

static int64_t
lease_time_number(int64_t n)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)n);
	return lease_time(buf);
}

/* v < 0: the value was wrong and has been reported */
static void
set_lease_time(uint32_t *where, int64_t v)
{
	if (v < 0)
		return;
	if (*where != 0) {
		yyerror("lease time given twice");
		errors++;
		return;
	}
	*where = v;
}

/*
 * Takes name, args and hex.  The words go to the encoder as the file
 * has them, a number as its decimal text.
 */
static struct dhcp_option_conf *
new_option(char *name, int64_t number, struct rr_args *args, char *hex)
{
	struct dhcp_option_conf	*o;
	const char		**words;
	char			 opt[32], err[512], (*nums)[32];
	size_t			 i, n;

	if (name == NULL)
		snprintf(opt, sizeof(opt), "%lld", (long long)number);
	n = hex != NULL ? 2 : args->n;
	if ((words = calloc(n + 1, sizeof(*words))) == NULL ||
	    (nums = calloc(n + 1, sizeof(*nums))) == NULL)
		fatal("calloc");
	if (hex != NULL) {
		words[0] = "hex";
		words[1] = hex;
	}
	for (i = 0; hex == NULL && i < n; i++) {
		if (args->v[i].is_number) {
			snprintf(nums[i], sizeof(nums[i]), "%lld",
			    (long long)args->v[i].number);
			words[i] = nums[i];
		} else
			words[i] = args->v[i].string;
	}
	o = conf_dhcp_option_new(name != NULL ? name : opt, words, n, err,
	    sizeof(err));
	if (o == NULL) {
		yyerror("%s", err);
		errors++;
	}
	free(words);
	free(nums);
	free_strings(name, hex);
	args_free(args);
	return o;
}

static void
add_option(struct dhcp_option_list *list, struct dhcp_option_conf *o)
{
	struct dhcp_option_conf	*p;
	char			 buf[4];

	if (o == NULL)
		return;
	TAILQ_FOREACH(p, list, entry)
		if (p->code == o->code) {
			yyerror("option %s: given twice",
			    conf_dhcp_option_name(o->code, buf));
			errors++;
			conf_dhcp_option_free(o);
			return;
		}
	TAILQ_INSERT_TAIL(list, o, entry);
}

/* one label of letters, digits and hyphens, as a DNS name will carry it */
static int
host_name(const char *s, char *out, size_t outsz)
{
	if (conf_norm_domain(s, out, outsz) == -1 || out[0] == '\0' ||
	    strpbrk(out, "._") != NULL)
		return -1;
	return 0;
}

static void
host_begin(const char *name)
{
	struct dhcp_host_conf	*h, *o;

	host_errors = errors;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		fatal("calloc");
	TAILQ_INIT(&h->options);
	if (host_name(name, h->name, sizeof(h->name)) == -1) {
		yyerror("host \"%s\": not a host name (one label of letters, "
		    "digits and hyphens)", name);
		errors++;
		h->name[0] = '\0';
	} else {
		TAILQ_FOREACH(o, &cur_dhcp->hosts, entry)
			if (strcmp(o->name, h->name) == 0) {
				yyerror("host \"%s\": given twice", name);
				errors++;
				break;
			}
	}
	TAILQ_INSERT_TAIL(&cur_dhcp->hosts, h, entry);
	cur_host = h;
	host_line = file->lineno;
}

static void
host_hwaddr(const char *text)
{
	if (cur_host->has_hwaddr) {
		yyerror("host \"%s\": hardware address given twice",
		    cur_host->name);
		errors++;
		return;
	}
	if (conf_parse_mac(text, cur_host->hwaddr) == -1) {
		yyerror("hardware ethernet %s: not a MAC address", text);
		errors++;
		return;
	}
	cur_host->has_hwaddr = 1;
}

static void
host_client_id(const char *text, int hex)
{
	uint8_t	 id[DHCP_CLIENT_ID_MAX];
	int	 n;

	if (cur_host->client_id_len != 0) {
		yyerror("host \"%s\": client-id given twice", cur_host->name);
		errors++;
		return;
	}
	if (hex)
		n = conf_parse_hex(text, id, sizeof(id));
	else if ((n = strlen(text)) <= DHCP_CLIENT_ID_MAX)
		memcpy(id, text, n);
	else
		n = -1;
	if (n < DHCP_CLIENT_ID_MIN) {
		yyerror("client-id%s \"%s\": not %d to %d bytes%s",
		    hex ? " hex" : "", text, DHCP_CLIENT_ID_MIN,
		    DHCP_CLIENT_ID_MAX, hex ? " such as \"01:00:11:22\"" : "");
		errors++;
		return;
	}
	memcpy(cur_host->client_id, id, n);
	cur_host->client_id_len = n;
	cur_host->client_id_hex = hex;
}

static void
host_address(const char *text)
{
	if (cur_host->address.s_addr != INADDR_ANY) {
		yyerror("host \"%s\": address given twice", cur_host->name);
		errors++;
		return;
	}
	if (parse_client_addr(text, &cur_host->address) == -1) {
		yyerror("address %s: not an IPv4 address a client can have",
		    text);
		cur_host->address.s_addr = INADDR_ANY;
		errors++;
	}
}

/* a host in error leaves the block, so later hosts are not held to it */
static void
host_drop(struct dhcp_host_conf *h)
{
	struct dhcp_option_conf	*o;

	TAILQ_REMOVE(&cur_dhcp->hosts, h, entry);
	while ((o = TAILQ_FIRST(&h->options)) != NULL) {
		TAILQ_REMOVE(&h->options, o, entry);
		conf_dhcp_option_free(o);
	}
	free(h);
	cur_host = NULL;
}

/* the checks that need the whole host, reported on its first line */
static void
host_end(void)
{
	struct dhcp_host_conf	*h = cur_host, *o;
	char			 buf[INET_ADDRSTRLEN];

	if (errors != host_errors) {
		host_drop(h);
		return;
	}
	if (!h->has_hwaddr && h->client_id_len == 0) {
		error_at(host_line, "host \"%s\": needs a hardware address "
		    "or a client-id", h->name);
		host_drop(h);
		return;
	}
	TAILQ_FOREACH(o, &cur_dhcp->hosts, entry) {
		if (o == h)
			break;
		if (h->has_hwaddr && o->has_hwaddr &&
		    memcmp(h->hwaddr, o->hwaddr, sizeof(h->hwaddr)) == 0)
			error_at(host_line, "host \"%s\": hardware ethernet "
			    "%02x:%02x:%02x:%02x:%02x:%02x: already given for "
			    "host \"%s\"", h->name, h->hwaddr[0],
			    h->hwaddr[1], h->hwaddr[2], h->hwaddr[3],
			    h->hwaddr[4], h->hwaddr[5], o->name);
		if (h->client_id_len != 0 &&
		    h->client_id_len == o->client_id_len &&
		    memcmp(h->client_id, o->client_id,
		    h->client_id_len) == 0)
			error_at(host_line, "host \"%s\": client-id already "
			    "given for host \"%s\"", h->name, o->name);
		if (h->address.s_addr != INADDR_ANY &&
		    h->address.s_addr == o->address.s_addr)
			error_at(host_line, "host \"%s\": address %s already "
			    "given for host \"%s\"", h->name,
			    inet_ntop(AF_INET, &h->address, buf, sizeof(buf)),
			    o->name);
	}
}
