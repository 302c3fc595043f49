/* SPDX-License-Identifier: MIT */
/*
 * Bulk transfer with an end-to-end integrity check, both directions.
 *
 * Protocol (one exchange per connection, fields big-endian):
 *   client -> server  header: "TTB1", down_seed (32 bits), up_len (64),
 *                     down_len (64); then up_len bytes; then FIN
 *   server -> client  down_len bytes of stream down_seed (app_gen.h),
 *                     then the trailer: up bytes received (64), down
 *                     bytes sent (64), SHA-256 of the up bytes received,
 *                     SHA-256 of the down bytes sent; then FIN
 * The client hashes what it sent and what it received and compares with
 * the trailer; it also checks each down byte against the stream, so a
 * failure names the first wrong offset. A connection is OK when both
 * digests and both counts match and it closed cleanly.
 *
 * The server answers as soon as the header is in (concurrent, both
 * directions at once) or, with reply_after_request, only once the whole
 * up stream has arrived. Until the cards can transmit for an offloaded
 * connection (card revision 1.3), the team's first send brings an
 * offloaded connection back to software (host_glue.h); the second way
 * keeps the whole request on the card's receive engine first.
 *
 * Event-driven on the stack's ready list (app_mux.h), with back-pressure:
 * a sender that tt_send() stops waits for TT_EV_WRITABLE; nothing is
 * buffered beyond the stack's own send buffer.
 */
#ifndef TT_APP_BULK_H
#define TT_APP_BULK_H

#include <stdint.h>

#include "app_gen.h"
#include "app_mux.h"

#define BULK_MAGIC       0x54544231u /* "TTB1" */
#define BULK_HDR_LEN     24u
#define BULK_TRAILER_LEN (16u + 2u * APP_DIGEST_LEN)
#define BULK_MAX_LEN     (1ull << 40)

/* ---------------------------------------------------------------- server */
struct bulk_server_params {
	uint16_t port;
	unsigned int backlog;        /* 0: 64 */
	uint32_t max_conns;          /* open at once; 0: 1024 */
	int reply_after_request;
};

struct bulk_server_stats {
	uint64_t accepted, finished; /* trailer sent and closed */
	uint64_t up_bytes, down_bytes;
	uint64_t bad_header;         /* wrong magic or lengths: reset */
	uint64_t too_long;           /* more than up_len before the FIN: reset */
	uint64_t short_request;      /* FIN before the whole request: reset */
	uint64_t reset;              /* the connection failed under us */
	uint64_t refused;            /* over max_conns: reset at once */
};

struct bulk_server;

/* Listen on p->port of the mux's stack. Returns 0 or a negative status
 * (the listen's). */
int bulk_server_new(struct bulk_server **bs, struct app_mux *m,
		    const struct bulk_server_params *p);
void bulk_server_free(struct bulk_server *bs);
const struct bulk_server_stats *bulk_server_stats(const struct bulk_server *bs);
/* Connections open now. */
unsigned int bulk_server_open(const struct bulk_server *bs);

/* ---------------------------------------------------------------- client */
enum bulk_conn_state {
	BULK_IDLE = 0,    /* not started */
	BULK_RUNNING,
	BULK_OK,          /* both directions verified */
	BULK_FAILED,      /* see bulk_conn_result.why */
};

struct bulk_conn_result {
	int state;                   /* enum bulk_conn_state */
	uint64_t up_sent, down_got;
	uint64_t start_ms, end_ms;
	long long first_bad;         /* down offset of the first wrong byte */
	char why[96];                /* of a failure */
};

struct bulk_client_params {
	uint32_t server_ip;
	uint16_t server_port;
	unsigned int n_conns;        /* connections of this client */
	uint64_t up_len, down_len;   /* per connection */
	uint64_t seed;               /* the streams' seeds derive from it */
	uint64_t timeout_ms;         /* 0: none; a connection running
					longer fails */
	/* Connections [n_conns - held, n_conns) open but send nothing
	 * until bulk_client_release(): idle connections, as a pool of
	 * them would be. */
	unsigned int held;
};

struct bulk_client_stats {
	uint64_t up_bytes, down_bytes;     /* sent (queued), received */
	unsigned int running, ok, failed;
};

struct bulk_client;

/* A client on the mux's stack; nothing is sent before
 * bulk_client_start(). Returns 0, TT_EINVAL or TT_ENOMEM. */
int bulk_client_new(struct bulk_client **bc, struct app_mux *m,
		    const struct bulk_client_params *p);
void bulk_client_free(struct bulk_client *bc);
/* Open every connection now. Returns how many opened (the others failed
 * at once and say why). */
unsigned int bulk_client_start(struct bulk_client *bc);
/* The client gives up on connection i: reset (RST), counted failed.
 * Returns 0, or TT_EINVAL if it is not running. */
int bulk_client_abort(struct bulk_client *bc, unsigned int i);
/* Let the held connections send. Returns how many it released. */
unsigned int bulk_client_release(struct bulk_client *bc);
/* Time-outs (call it now and then); returns the connections still
 * running. */
unsigned int bulk_client_check(struct bulk_client *bc, uint64_t now_ms);
const struct bulk_client_stats *bulk_client_stats(const struct bulk_client *bc);
const struct bulk_conn_result *bulk_client_conn(const struct bulk_client *bc,
						unsigned int i);
/* A summary of the first failure, or NULL if none. */
const char *bulk_client_first_failure(const struct bulk_client *bc);

#endif
