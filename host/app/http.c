/* SPDX-License-Identifier: MIT */
/* HTTP/1.1 file server of generated files (app_http.h). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app_gen.h"
#include "app_http.h"

#define HTTP_CHUNK 16384u
/* After a response that closes, input is read and dropped up to this
 * much while our FIN goes out, so that unread input does not turn the
 * close into a reset that could destroy the response (RFC 9112 9.6). */
#define HTTP_DRAIN_MAX (64u << 10)

struct http_conn {
	struct http_server *hs;
	struct http_conn *prev, *next;
	int h, eof;
	uint8_t in[HTTP_MAX_HEAD];
	uint32_t in_len;
	/* the response being sent */
	int busy, close_after, draining;
	uint32_t drained;
	char head[512];
	uint32_t head_len, head_sent;
	const uint8_t *body_mem;     /* index or error text; NULL: generated */
	uint64_t body_seed, body_len, body_sent;
	char err_text[64];           /* the body of an error response */
};

struct http_server {
	struct app_mux *m;
	struct tt_stack *s;
	int lh;
	struct http_file *files;
	unsigned int n_files;
	char *index;
	size_t index_len;
	struct http_conn *conns;
	struct http_stats st;
};

/* One parsed request head. */
struct http_req {
	int head_only, http10, keep_alive, close, has_host;
	char target[HTTP_MAX_TARGET + 1];
};

static uint8_t http_buf[HTTP_CHUNK];

static void http_conn_event(void *owner, int h, unsigned int events);

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

static void http_release(struct http_conn *c, int abort)
{
	struct http_server *hs = c->hs;

	app_mux_del(hs->m, c->h);
	if (abort) {
		tt_abort(hs->s, c->h);
		hs->st.reset++;
	} else {
		tt_close(hs->s, c->h);
		hs->st.closed++;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		hs->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
}

static void http_respond(struct http_conn *c, int status, const char *type,
			 const uint8_t *mem, uint64_t seed, uint64_t len,
			 int head_only, int close)
{
	int n = snprintf(c->head, sizeof(c->head),
			 "HTTP/1.1 %d %s\r\nServer: teamtoe\r\n"
			 "Content-Type: %s\r\nContent-Length: %" PRIu64 "\r\n"
			 "Connection: %s\r\n\r\n", status, http_reason(status),
			 type, len, close ? "close" : "keep-alive");

	c->head_len = (uint32_t)n;
	c->head_sent = 0;
	c->body_mem = mem;
	c->body_seed = seed;
	c->body_len = head_only ? 0 : len;
	c->body_sent = 0;
	c->close_after = close;
	c->busy = 1;
}

static void http_error(struct http_conn *c, int status, uint64_t *counter)
{
	(*counter)++;
	snprintf(c->err_text, sizeof(c->err_text), "%d %s\n", status,
		 http_reason(status));
	http_respond(c, status, "text/plain", (const uint8_t *)c->err_text, 0,
		     strlen(c->err_text), 0, 1);
}

static int is_tchar(int ch)
{
	return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Does the comma-separated header value contain token tok? */
static int has_token(const char *v, const char *tok)
{
	size_t n = strlen(tok);

	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (!strncasecmp(v, tok, n) &&
		    (v[n] == 0 || v[n] == ',' || v[n] == ' ' || v[n] == '\t'))
			return 1;
		while (*v && *v != ',')
			v++;
	}
	return 0;
}

/* The request line: 0, or an HTTP status for the error. */
static int http_parse_line(char *line, struct http_req *r)
{
	char *sp1 = strchr(line, ' '), *sp2, *p;
	size_t tlen;

	if (!sp1)
		return 400;
	*sp1 = 0;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2)
		return 400;
	*sp2 = 0;
	for (p = line; *p; p++)
		if (!is_tchar(*p))
			return 400;
	if (p == line)
		return 400;
	tlen = strlen(sp1 + 1);
	if (tlen > HTTP_MAX_TARGET)
		return 414;
	if (sp1[1] != '/')
		return 400;
	memcpy(r->target, sp1 + 1, tlen + 1);
	if (!strcmp(sp2 + 1, "HTTP/1.0"))
		r->http10 = 1;
	else if (strcmp(sp2 + 1, "HTTP/1.1"))
		return strncmp(sp2 + 1, "HTTP/", 5) ? 400 : 505;
	if (!strcmp(line, "HEAD"))
		r->head_only = 1;
	else if (strcmp(line, "GET"))
		return 405;
	return 0;
}

/* One header line: 0, or 400. */
static int http_parse_header(char *line, struct http_req *r)
{
	char *colon = strchr(line, ':'), *v, *p;

	if (!colon || colon == line)
		return 400;
	for (p = line; p < colon; p++)
		if (!is_tchar(*p))
			return 400;   /* includes space before the colon */
	*colon = 0;
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!strcasecmp(line, "Host"))
		r->has_host = 1;
	else if (!strcasecmp(line, "Connection")) {
		r->close |= has_token(v, "close");
		r->keep_alive |= has_token(v, "keep-alive");
	} else if (!strcasecmp(line, "Transfer-Encoding"))
		return 400;       /* no request here has a body */
	else if (!strcasecmp(line, "Content-Length") && strcmp(v, "0"))
		return 400;
	return 0;
}

static const struct http_file *http_find(const struct http_server *hs,
					 const char *target)
{
	for (unsigned int i = 0; i < hs->n_files; i++)
		if (!strcmp(hs->files[i].path, target))
			return &hs->files[i];
	return NULL;
}

/* A whole request head of len bytes (CRLFCRLF included): answer it. */
static void http_request(struct http_conn *c, char *head, size_t len)
{
	struct http_server *hs = c->hs;
	struct http_req r;
	const struct http_file *f;
	char *line = head, *eol;
	int status, close;

	memset(&r, 0, sizeof(r));
	head[len - 2] = 0;          /* the last CRLF */
	hs->st.requests++;
	eol = strstr(line, "\r\n");
	*eol = 0;
	status = http_parse_line(line, &r);
	for (line = eol + 2; !status && *line; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (!eol)
			break;
		*eol = 0;
		status = http_parse_header(line, &r);
	}
	if (!status && !r.http10 && !r.has_host)
		status = 400;         /* RFC 9112 3.2 */
	switch (status) {
	case 0: break;
	case 400: http_error(c, 400, &hs->st.bad_request); return;
	case 405: http_error(c, 405, &hs->st.bad_method); return;
	case 414: http_error(c, 414, &hs->st.too_long_target); return;
	default: http_error(c, 505, &hs->st.bad_version); return;
	}
	close = r.close || (r.http10 && !r.keep_alive);
	if (r.head_only)
		hs->st.head++;
	if (!strcmp(r.target, "/")) {
		hs->st.ok++;
		http_respond(c, 200, "text/html", (const uint8_t *)hs->index, 0,
			     hs->index_len, r.head_only, close);
		return;
	}
	f = http_find(hs, r.target);
	if (!f) {
		http_error(c, 404, &hs->st.not_found);
		return;
	}
	hs->st.ok++;
	http_respond(c, 200, "application/octet-stream", NULL, f->seed,
		     f->size, r.head_only, close);
}

/* Take one request head out of the input, if a whole one is there.
 * Returns 1 if a response was started. */
static int http_next(struct http_conn *c)
{
	uint8_t *end = NULL;
	size_t len;

	for (uint32_t i = 3; i < c->in_len; i++)
		if (!memcmp(c->in + i - 3, "\r\n\r\n", 4)) {
			end = c->in + i + 1;
			break;
		}
	if (!end) {
		if (c->in_len == HTTP_MAX_HEAD) {
			http_error(c, 431, &c->hs->st.too_long_head);
			return 1;
		}
		return 0;
	}
	len = (size_t)(end - c->in);
	http_request(c, (char *)c->in, len);
	memmove(c->in, end, c->in_len - len);
	c->in_len -= (uint32_t)len;
	return 1;
}

/* Send what the send buffer takes: 1 done, 0 blocked, -1 dead. */
static int http_send(struct http_conn *c)
{
	struct http_server *hs = c->hs;
	ssize_t n;

	while (c->head_sent < c->head_len) {
		n = tt_send(hs->s, c->h, c->head + c->head_sent,
			    c->head_len - c->head_sent);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		c->head_sent += (uint32_t)n;
	}
	while (c->body_sent < c->body_len) {
		size_t len = HTTP_CHUNK;
		const uint8_t *p = http_buf;

		if (len > c->body_len - c->body_sent)
			len = (size_t)(c->body_len - c->body_sent);
		if (c->body_mem)
			p = c->body_mem + c->body_sent;
		else
			app_gen(c->body_seed, c->body_sent, http_buf, len);
		n = tt_send(hs->s, c->h, p, len);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		c->body_sent += (uint64_t)n;
		hs->st.body_bytes += (uint64_t)n;
	}
	c->busy = 0;
	return 1;
}

static void http_conn_event(void *owner, int h, unsigned int events)
{
	struct http_conn *c = owner;
	struct http_server *hs = c->hs;
	ssize_t n;

	(void)h;
	(void)events;
	for (;;) {
		if (c->busy) {
			int r = http_send(c);

			if (r < 0) {
				http_release(c, 1);
				return;
			}
			if (!r)
				return;
			if (c->close_after && !c->draining) {
				tt_shutdown(hs->s, c->h);
				c->draining = 1;
			}
		}
		if (c->draining) {
			n = tt_recv(hs->s, c->h, http_buf, sizeof(http_buf));
			if (n > 0 && c->drained + (uint64_t)n <= HTTP_DRAIN_MAX) {
				c->drained += (uint32_t)n;
				continue;
			}
			if (n == TT_EAGAIN)
				return;
			/* the end, an error, or too much: done either way */
			http_release(c, n != 0);
			return;
		}
		if (http_next(c))
			continue;
		if (c->eof) {
			/* the client is done and nothing is left to answer */
			http_release(c, 0);
			return;
		}
		n = tt_recv(hs->s, c->h, c->in + c->in_len,
			    HTTP_MAX_HEAD - c->in_len);
		if (n > 0)
			c->in_len += (uint32_t)n;
		else if (n == 0)
			c->eof = 1;
		else if (n == TT_EAGAIN)
			return;
		else {
			http_release(c, 1);
			return;
		}
	}
}

static void http_listener_event(void *owner, int lh, unsigned int events)
{
	struct http_server *hs = owner;
	struct http_conn *c;
	int h;

	(void)events;
	while ((h = tt_accept(hs->s, lh, NULL)) > 0) {
		hs->st.accepted++;
		c = calloc(1, sizeof(*c));
		if (!c || app_mux_add(hs->m, h, http_conn_event, c) < 0) {
			free(c);
			tt_abort(hs->s, h);
			hs->st.reset++;
			continue;
		}
		c->hs = hs;
		c->h = h;
		c->next = hs->conns;
		if (c->next)
			c->next->prev = c;
		hs->conns = c;
		http_conn_event(c, h, TT_EV_READABLE);
	}
}

static int http_make_index(struct http_server *hs)
{
	size_t cap = 128 + (size_t)hs->n_files * (2 * 64 + 64), len;
	unsigned int i;

	hs->index = malloc(cap);
	if (!hs->index)
		return TT_ENOMEM;
	len = (size_t)snprintf(hs->index, cap,
			       "<!DOCTYPE html>\n<title>teamtoe</title>\n<ul>\n");
	for (i = 0; i < hs->n_files && len < cap; i++)
		len += (size_t)snprintf(hs->index + len, cap - len,
					"<li><a href=\"%.64s\">%.64s</a> %" PRIu64
					" bytes</li>\n", hs->files[i].path,
					hs->files[i].path, hs->files[i].size);
	if (len < cap)
		len += (size_t)snprintf(hs->index + len, cap - len, "</ul>\n");
	hs->index_len = len < cap ? len : cap - 1;
	return 0;
}

int http_server_new(struct http_server **hsp, struct app_mux *m, uint16_t port,
		    const struct http_file *files, unsigned int n)
{
	struct http_server *hs;
	unsigned int i;
	int r = TT_ENOMEM;

	*hsp = NULL;
	if (!m || !port || (n && !files))
		return TT_EINVAL;
	for (i = 0; i < n; i++)
		if (!files[i].path || files[i].path[0] != '/' ||
		    strlen(files[i].path) > 64)
			return TT_EINVAL;
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return TT_ENOMEM;
	hs->m = m;
	hs->s = app_mux_stack(m);
	hs->files = calloc(n ? n : 1, sizeof(*hs->files));
	if (!hs->files)
		goto err_free;
	memcpy(hs->files, files, n * sizeof(*files));
	hs->n_files = n;
	if (http_make_index(hs) < 0)
		goto err_free;
	hs->lh = tt_listen(hs->s, port, 64);
	if (hs->lh < 0) {
		r = hs->lh;
		goto err_free;
	}
	r = app_mux_add(m, hs->lh, http_listener_event, hs);
	if (r < 0)
		goto err_listen;
	*hsp = hs;
	return 0;

err_listen:
	tt_close(hs->s, hs->lh);
err_free:
	free(hs->index);
	free(hs->files);
	free(hs);
	return r;
}

void http_server_free(struct http_server *hs)
{
	if (!hs)
		return;
	while (hs->conns)
		http_release(hs->conns, 1);
	app_mux_del(hs->m, hs->lh);
	tt_close(hs->s, hs->lh);
	free(hs->index);
	free(hs->files);
	free(hs);
}

const struct http_stats *http_server_stats(const struct http_server *hs)
{
	return &hs->st;
}

void http_file_sha256_hex(const struct http_file *f, char out[65])
{
	uint8_t d[APP_DIGEST_LEN];

	app_gen_digest(f->seed, f->size, d);
	for (int i = 0; i < APP_DIGEST_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}
