/* SPDX-License-Identifier: MIT */
/*
 * A small HTTP/1.1 file server (RFC 9112) for tests with real peers: GET
 * and HEAD of generated files, Content-Length on every response,
 * persistent connections (HTTP/1.1 by default, HTTP/1.0 with
 * "Connection: keep-alive"), pipelined requests answered in order.
 *
 * Files are generated, not read from disk: each has a path, a size and a
 * stream seed (app_gen.h), so a client can check what it got against
 * app_gen_digest() (or sha256sum against http_file_sha256_hex()). "/"
 * answers an HTML index of the files.
 *
 * Bad input gets a status and the connection closes: 400 (malformed
 * request line or header, a request with a body), 404 (no such file),
 * 405 (a method other than GET and HEAD), 414 (target longer than
 * HTTP_MAX_TARGET), 431 (request head longer than HTTP_MAX_HEAD), 505
 * (a version other than HTTP/1.0 and 1.1). Each is counted.
 */
#ifndef TT_APP_HTTP_H
#define TT_APP_HTTP_H

#include <stdint.h>

#include "app_mux.h"

#define HTTP_MAX_HEAD   8192u
#define HTTP_MAX_TARGET 256u

struct http_file {
	const char *path;            /* "/files/1m.bin" */
	uint64_t size;
	uint64_t seed;
};

struct http_stats {
	uint64_t accepted, closed, reset;
	uint64_t requests, ok, head;
	uint64_t bad_request, not_found, bad_method, too_long_target,
		 too_long_head, bad_version;
	uint64_t body_bytes;
};

struct http_server;

/* Serve files[0..n) (copied: paths must stay valid) on `port`. Returns 0
 * or a negative status. */
int http_server_new(struct http_server **hs, struct app_mux *m, uint16_t port,
		    const struct http_file *files, unsigned int n);
void http_server_free(struct http_server *hs);
const struct http_stats *http_server_stats(const struct http_server *hs);
/* SHA-256 of a file's content as 64 lowercase hex digits and a NUL. */
void http_file_sha256_hex(const struct http_file *f, char out[65]);

#endif
