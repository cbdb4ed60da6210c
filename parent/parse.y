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
/* the bound on local records is reported once, not for every line after */
static int			 records_full;

int		 yyparse(void);
static int	 yylex(void);
static void	 yyerror(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
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

typedef struct {
	union {
		int64_t		 number;
		char		*string;
		struct rr_args	*args;
	} v;
	int lineno;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED 1
%}

%token	DIRECTORY DNS DOMAIN DEBUG FILETOK FOR FORWARDER INCLUDE IN_ORDER
%token	LISTEN ON PIDFILE PORT ROUND_ROBIN SANDBOX STATE STRATEGY USER
%token	ADDRESS ALLOW BLOCK CACHE CASE FASTEST HOSTS LOCAL NO PRIVATE
%token	RANDOM REBIND RECORD REVERSE SIZE UNQUALIFIED
%token	NOENGINE
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.number>	port
%type	<v.string>	fordomain
%type	<v.args>	rrargs
%destructor	{ free($$); } <v.string>
%destructor	{ args_free($$); } <v.args>

%%

grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar dns '\n'
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
	{ "block",		BLOCK },
	{ "cache",		CACHE },
	{ "case",		CASE },
	{ "debug",		DEBUG },
	{ "dhcp",		NOENGINE },
	{ "dhcp6",		NOENGINE },
	{ "directory",		DIRECTORY },
	{ "dns",		DNS },
	{ "domain",		DOMAIN },
	{ "fastest",		FASTEST },
	{ "file",		FILETOK },
	{ "for",		FOR },
	{ "forwarder",		FORWARDER },
	{ "hosts",		HOSTS },
	{ "in-order",		IN_ORDER },
	{ "include",		INCLUDE },
	{ "listen",		LISTEN },
	{ "local",		LOCAL },
	{ "no",			NO },
	{ "on",			ON },
	{ "pidfile",		PIDFILE },
	{ "port",		PORT },
	{ "private",		PRIVATE },
	{ "pxe",		NOENGINE },
	{ "ra",			NOENGINE },
	{ "random",		RANDOM },
	{ "rebind",		REBIND },
	{ "record",		RECORD },
	{ "reverse",		REVERSE },
	{ "round-robin",	ROUND_ROBIN },
	{ "sandbox",		SANDBOX },
	{ "size",		SIZE },
	{ "state",		STATE },
	{ "strategy",		STRATEGY },
	{ "tftp",		NOENGINE },
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
