/* SPDX-License-Identifier: MIT */
/* The bulk client (app_bulk.h): send a stream, receive one, check both
 * end to end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_bulk.h"

#define BC_CHUNK 16384u

struct bc_conn {
	struct bulk_client *bc;
	int h;
	uint64_t up_seed;
	uint32_t down_seed;
	uint8_t hdr[BULK_HDR_LEN];
	unsigned int hdr_sent;
	int shut, held;
	struct app_digest up_d, down_d;
	uint8_t trailer[BULK_TRAILER_LEN];
	unsigned int trailer_got;
	struct bulk_conn_result r;
};

struct bulk_client {
	struct app_mux *m;
	struct tt_stack *s;
	struct bulk_client_params p;
	struct bc_conn *c;
	struct bulk_client_stats st;
};

static uint8_t bc_buf[BC_CHUNK];

static void bc_event(void *owner, int h, unsigned int events);

static uint64_t bc_mix(uint64_t x)
{
	x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdull;
	x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static void bc_finish(struct bc_conn *c, int ok, const char *why)
{
	struct bulk_client *bc = c->bc;

	if (c->r.state != BULK_RUNNING)
		return;
	c->r.state = ok ? BULK_OK : BULK_FAILED;
	c->r.end_ms = tt_stack_now(bc->s);
	if (!ok)
		snprintf(c->r.why, sizeof(c->r.why), "%s", why);
	bc->st.running--;
	if (ok)
		bc->st.ok++;
	else
		bc->st.failed++;
	app_mux_del(bc->m, c->h);
	if (ok)
		tt_close(bc->s, c->h);
	else
		tt_abort(bc->s, c->h);
	c->h = 0;
}

static void bc_fail_status(struct bc_conn *c, const char *what, int status)
{
	char why[96];

	snprintf(why, sizeof(why), "%s: %s", what, tt_sock_strerror(status));
	bc_finish(c, 0, why);
}

static int bc_write(struct bc_conn *c)
{
	struct bulk_client *bc = c->bc;
	ssize_t n;

	if (c->held)
		return 0;
	while (c->hdr_sent < BULK_HDR_LEN) {
		n = tt_send(bc->s, c->h, c->hdr + c->hdr_sent,
			    BULK_HDR_LEN - c->hdr_sent);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0) {
			bc_fail_status(c, "send", (int)n);
			return -1;
		}
		c->hdr_sent += (unsigned int)n;
	}
	while (c->r.up_sent < bc->p.up_len) {
		size_t len = BC_CHUNK;

		if (len > bc->p.up_len - c->r.up_sent)
			len = (size_t)(bc->p.up_len - c->r.up_sent);
		app_gen(c->up_seed, c->r.up_sent, bc_buf, len);
		n = tt_send(bc->s, c->h, bc_buf, len);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0) {
			bc_fail_status(c, "send", (int)n);
			return -1;
		}
		app_digest_add(&c->up_d, bc_buf, (size_t)n);
		c->r.up_sent += (uint64_t)n;
		bc->st.up_bytes += (uint64_t)n;
	}
	if (!c->shut) {
		c->shut = 1;
		tt_shutdown(bc->s, c->h);
	}
	return 0;
}

/* The end of the server's stream: compare everything. */
static void bc_verify(struct bc_conn *c)
{
	struct bulk_client *bc = c->bc;
	uint8_t up[APP_DIGEST_LEN], down[APP_DIGEST_LEN];
	char why[96];
	uint64_t up_n = app_get64(c->trailer), down_n = app_get64(c->trailer + 8);

	if (c->trailer_got < BULK_TRAILER_LEN) {
		snprintf(why, sizeof(why), "stream ended after %llu of %llu "
			 "bytes and %u trailer bytes",
			 (unsigned long long)c->r.down_got,
			 (unsigned long long)bc->p.down_len, c->trailer_got);
		bc_finish(c, 0, why);
		return;
	}
	app_digest_end(&c->up_d, up);
	app_digest_end(&c->down_d, down);
	if (up_n != c->r.up_sent || down_n != c->r.down_got) {
		snprintf(why, sizeof(why), "counts: sent %llu, server got %llu; "
			 "server sent %llu, got %llu",
			 (unsigned long long)c->r.up_sent, (unsigned long long)up_n,
			 (unsigned long long)down_n,
			 (unsigned long long)c->r.down_got);
		bc_finish(c, 0, why);
	} else if (memcmp(up, c->trailer + 16, APP_DIGEST_LEN) != 0) {
		bc_finish(c, 0, "SHA-256 of the up stream differs at the server");
	} else if (memcmp(down, c->trailer + 16 + APP_DIGEST_LEN,
			  APP_DIGEST_LEN) != 0) {
		snprintf(why, sizeof(why), "SHA-256 of the down stream differs "
			 "(first wrong byte at %lld)", c->r.first_bad);
		bc_finish(c, 0, why);
	} else if (c->r.first_bad >= 0) {
		bc_finish(c, 0, "down stream is not the expected stream");
	} else {
		bc_finish(c, 1, NULL);
	}
}

static int bc_read(struct bc_conn *c)
{
	struct bulk_client *bc = c->bc;
	ssize_t n;

	while ((n = tt_recv(bc->s, c->h, bc_buf, sizeof(bc_buf))) > 0) {
		const uint8_t *p = bc_buf;
		size_t left = (size_t)n, k;

		k = bc->p.down_len - c->r.down_got < left ?
		    (size_t)(bc->p.down_len - c->r.down_got) : left;
		if (k) {
			long long bad = app_gen_check(c->down_seed,
						      c->r.down_got, p, k);

			if (bad >= 0 && c->r.first_bad < 0)
				c->r.first_bad = (long long)c->r.down_got + bad;
			app_digest_add(&c->down_d, p, k);
			c->r.down_got += k;
			bc->st.down_bytes += k;
			p += k;
			left -= k;
		}
		if (left > BULK_TRAILER_LEN - c->trailer_got) {
			bc_finish(c, 0, "server sent more than it announced");
			return -1;
		}
		memcpy(c->trailer + c->trailer_got, p, left);
		c->trailer_got += (unsigned int)left;
	}
	if (n == 0) {
		bc_verify(c);
		return -1;
	}
	if (n != TT_EAGAIN) {
		bc_fail_status(c, "recv", (int)n);
		return -1;
	}
	return 0;
}

static void bc_event(void *owner, int h, unsigned int events)
{
	struct bc_conn *c = owner;

	(void)h;
	(void)events;
	if (c->r.state != BULK_RUNNING)
		return;
	if (bc_read(c) < 0)
		return;
	bc_write(c);
}

int bulk_client_new(struct bulk_client **bcp, struct app_mux *m,
		    const struct bulk_client_params *p)
{
	struct bulk_client *bc;
	unsigned int i;

	*bcp = NULL;
	if (!m || !p || !p->server_ip || !p->server_port || !p->n_conns ||
	    p->up_len > BULK_MAX_LEN || p->down_len > BULK_MAX_LEN ||
	    p->held > p->n_conns)
		return TT_EINVAL;
	bc = calloc(1, sizeof(*bc));
	if (!bc || !(bc->c = calloc(p->n_conns, sizeof(*bc->c)))) {
		free(bc);
		return TT_ENOMEM;
	}
	bc->m = m;
	bc->s = app_mux_stack(m);
	bc->p = *p;
	for (i = 0; i < p->n_conns; i++) {
		struct bc_conn *c = &bc->c[i];

		c->bc = bc;
		c->up_seed = bc_mix(p->seed * 2 + 2 * i + 1);
		c->down_seed = (uint32_t)bc_mix(p->seed * 2 + 2 * i + 2);
		c->r.first_bad = -1;
		c->held = i + p->held >= p->n_conns;
		app_put32(c->hdr, BULK_MAGIC);
		app_put32(c->hdr + 4, c->down_seed);
		app_put64(c->hdr + 8, p->up_len);
		app_put64(c->hdr + 16, p->down_len);
	}
	*bcp = bc;
	return 0;
}

void bulk_client_free(struct bulk_client *bc)
{
	unsigned int i;

	if (!bc)
		return;
	for (i = 0; i < bc->p.n_conns; i++)
		if (bc->c[i].h > 0) {
			app_mux_del(bc->m, bc->c[i].h);
			tt_abort(bc->s, bc->c[i].h);
		}
	free(bc->c);
	free(bc);
}

unsigned int bulk_client_start(struct bulk_client *bc)
{
	unsigned int i, opened = 0;

	for (i = 0; i < bc->p.n_conns; i++) {
		struct bc_conn *c = &bc->c[i];
		int h;

		if (c->r.state != BULK_IDLE)
			continue;
		app_digest_init(&c->up_d);
		app_digest_init(&c->down_d);
		c->r.state = BULK_RUNNING;
		c->r.start_ms = tt_stack_now(bc->s);
		bc->st.running++;
		h = tt_connect(bc->s, bc->p.server_ip, bc->p.server_port, 0);
		if (h < 0) {
			bc_fail_status(c, "connect", h);
			continue;
		}
		c->h = h;
		if (app_mux_add(bc->m, h, bc_event, c) < 0) {
			bc_finish(c, 0, "no room in the event table");
			continue;
		}
		opened++;
		bc_write(c);
	}
	return opened;
}

int bulk_client_abort(struct bulk_client *bc, unsigned int i)
{
	if (i >= bc->p.n_conns || bc->c[i].r.state != BULK_RUNNING)
		return TT_EINVAL;
	bc_finish(&bc->c[i], 0, "aborted by the client");
	return 0;
}

unsigned int bulk_client_release(struct bulk_client *bc)
{
	unsigned int i, n = 0;

	for (i = 0; i < bc->p.n_conns; i++) {
		struct bc_conn *c = &bc->c[i];

		if (!c->held)
			continue;
		c->held = 0;
		n++;
		if (c->r.state == BULK_RUNNING)
			bc_write(c);
	}
	return n;
}

unsigned int bulk_client_check(struct bulk_client *bc, uint64_t now_ms)
{
	unsigned int i;

	if (bc->p.timeout_ms)
		for (i = 0; i < bc->p.n_conns; i++) {
			struct bc_conn *c = &bc->c[i];

			if (c->r.state == BULK_RUNNING &&
			    now_ms - c->r.start_ms > bc->p.timeout_ms)
				bc_finish(c, 0, "timed out");
		}
	return bc->st.running;
}

const struct bulk_client_stats *bulk_client_stats(const struct bulk_client *bc)
{
	return &bc->st;
}

const struct bulk_conn_result *bulk_client_conn(const struct bulk_client *bc,
						unsigned int i)
{
	return i < bc->p.n_conns ? &bc->c[i].r : NULL;
}

const char *bulk_client_first_failure(const struct bulk_client *bc)
{
	unsigned int i;

	for (i = 0; i < bc->p.n_conns; i++)
		if (bc->c[i].r.state == BULK_FAILED)
			return bc->c[i].r.why;
	return NULL;
}
