/* SPDX-License-Identifier: MIT */
/*
 * Echo server (RFC 862 over TCP): every byte a connection receives goes
 * back on it; when the client ends its stream, what is left goes back and
 * the server closes. Event-driven on the stack's ready list (app_mux.h).
 *
 * Back-pressure: each connection holds at most ECHO_BUF bytes read but
 * not yet taken by tt_send(); while that is full it reads nothing, so its
 * receive window closes and the client slows down, instead of the server
 * buffering without bound.
 */
#ifndef TT_APP_ECHO_H
#define TT_APP_ECHO_H

#include <stdint.h>

#include "app_mux.h"

#define ECHO_BUF 16384u

struct echo_stats {
	uint64_t accepted, closed, reset, refused;
	uint64_t bytes;              /* echoed (taken by tt_send) */
	uint64_t stalls;             /* reads skipped: buffer full */
};

struct echo_server;

/* Listen on `port` of the mux's stack for at most max_conns open
 * connections (more are reset). Returns 0 or a negative status. */
int echo_server_new(struct echo_server **es, struct app_mux *m, uint16_t port,
		    unsigned int backlog, uint32_t max_conns);
void echo_server_free(struct echo_server *es);
const struct echo_stats *echo_server_stats(const struct echo_server *es);

#endif
