/* SPDX-License-Identifier: MIT */
/* The bulk server (app_bulk.h): receive a stream, send one back, report
 * what both were. */
#include <stdlib.h>
#include <string.h>

#include "app_bulk.h"

#define BS_CHUNK 16384u

struct bs_conn {
	struct bulk_server *bs;
	struct bs_conn *prev, *next;  /* the server's open connections */
	int h;
	uint8_t hdr[BULK_HDR_LEN];
	unsigned int hdr_got;
	uint32_t down_seed;
	uint64_t up_len, down_len, up_got, down_sent;
	struct app_digest up_d, down_d;
	uint8_t trailer[BULK_TRAILER_LEN];
	unsigned int trailer_sent;
	int trailer_ready, eof;
};

struct bulk_server {
	struct app_mux *m;
	struct tt_stack *s;
	struct bulk_server_params p;
	int lh;
	unsigned int open;
	struct bs_conn *conns;
	struct bulk_server_stats st;
};

static uint8_t bs_buf[BS_CHUNK];

static void bs_conn_event(void *owner, int h, unsigned int events);

static void bs_release(struct bs_conn *c, int abort)
{
	struct bulk_server *bs = c->bs;

	app_mux_del(bs->m, c->h);
	if (abort)
		tt_abort(bs->s, c->h);
	else
		tt_close(bs->s, c->h);
	bs->open--;
	if (c->prev)
		c->prev->next = c->next;
	else
		bs->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
}

static void bs_listener_event(void *owner, int lh, unsigned int events)
{
	struct bulk_server *bs = owner;
	int h;

	(void)events;
	while ((h = tt_accept(bs->s, lh, NULL)) > 0) {
		struct bs_conn *c;

		bs->st.accepted++;
		if (bs->open >= bs->p.max_conns ||
		    !(c = calloc(1, sizeof(*c)))) {
			bs->st.refused++;
			tt_abort(bs->s, h);
			continue;
		}
		c->bs = bs;
		c->h = h;
		app_digest_init(&c->up_d);
		app_digest_init(&c->down_d);
		if (app_mux_add(bs->m, h, bs_conn_event, c) < 0) {
			bs->st.refused++;
			tt_abort(bs->s, h);
			free(c);
			continue;
		}
		bs->open++;
		c->next = bs->conns;
		if (c->next)
			c->next->prev = c;
		bs->conns = c;
		/* data may be waiting already */
		bs_conn_event(c, h, TT_EV_READABLE);
	}
}

/* Header bytes from data; returns how many it took, or -1 (bad). */
static int bs_take_header(struct bs_conn *c, const uint8_t *data, size_t n)
{
	size_t k = BULK_HDR_LEN - c->hdr_got;

	if (k > n)
		k = n;
	memcpy(c->hdr + c->hdr_got, data, k);
	c->hdr_got += (unsigned int)k;
	if (c->hdr_got == BULK_HDR_LEN) {
		c->down_seed = app_get32(c->hdr + 4);
		c->up_len = app_get64(c->hdr + 8);
		c->down_len = app_get64(c->hdr + 16);
		if (app_get32(c->hdr) != BULK_MAGIC ||
		    c->up_len > BULK_MAX_LEN || c->down_len > BULK_MAX_LEN)
			return -1;
	}
	return (int)k;
}

/* Everything readable now; returns -1 when the connection must go. */
static int bs_read(struct bs_conn *c)
{
	struct bulk_server *bs = c->bs;
	ssize_t n;

	while ((n = tt_recv(bs->s, c->h, bs_buf, sizeof(bs_buf))) > 0) {
		const uint8_t *p = bs_buf;
		size_t left = (size_t)n;

		if (c->hdr_got < BULK_HDR_LEN) {
			int k = bs_take_header(c, p, left);

			if (k < 0) {
				bs->st.bad_header++;
				return -1;
			}
			p += k;
			left -= (size_t)k;
		}
		if (left > c->up_len - c->up_got) {
			bs->st.too_long++;
			return -1;
		}
		app_digest_add(&c->up_d, p, left);
		c->up_got += left;
		bs->st.up_bytes += left;
	}
	if (n == 0 && !c->eof) {
		c->eof = 1;
		if (c->hdr_got < BULK_HDR_LEN || c->up_got < c->up_len) {
			bs->st.short_request++;
			return -1;
		}
	}
	if (n < 0 && n != TT_EAGAIN) {
		bs->st.reset++;
		return -1;
	}
	return 0;
}

static void bs_make_trailer(struct bs_conn *c)
{
	app_put64(c->trailer, c->up_got);
	app_put64(c->trailer + 8, c->down_sent);
	app_digest_end(&c->up_d, c->trailer + 16);
	app_digest_end(&c->down_d, c->trailer + 16 + APP_DIGEST_LEN);
	c->trailer_ready = 1;
}

/* Send what the windows and the send buffer take; returns -1 when the
 * connection must go. */
static int bs_write(struct bs_conn *c)
{
	struct bulk_server *bs = c->bs;
	int up_done = c->hdr_got == BULK_HDR_LEN && c->up_got == c->up_len;
	ssize_t n;

	if (c->hdr_got < BULK_HDR_LEN ||
	    (bs->p.reply_after_request && !up_done))
		return 0;
	while (c->down_sent < c->down_len) {
		size_t len = BS_CHUNK;

		if (len > c->down_len - c->down_sent)
			len = (size_t)(c->down_len - c->down_sent);
		app_gen(c->down_seed, c->down_sent, bs_buf, len);
		n = tt_send(bs->s, c->h, bs_buf, len);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0) {
			bs->st.reset++;
			return -1;
		}
		app_digest_add(&c->down_d, bs_buf, (size_t)n);
		c->down_sent += (uint64_t)n;
		bs->st.down_bytes += (uint64_t)n;
	}
	if (!up_done)
		return 0;
	if (!c->trailer_ready)
		bs_make_trailer(c);
	while (c->trailer_sent < BULK_TRAILER_LEN) {
		n = tt_send(bs->s, c->h, c->trailer + c->trailer_sent,
			    BULK_TRAILER_LEN - c->trailer_sent);
		if (n == TT_EAGAIN)
			return 0;
		if (n < 0) {
			bs->st.reset++;
			return -1;
		}
		c->trailer_sent += (unsigned int)n;
	}
	return 0;
}

static void bs_conn_event(void *owner, int h, unsigned int events)
{
	struct bs_conn *c = owner;
	struct bulk_server *bs = c->bs;

	(void)h;
	if (bs_read(c) < 0 || bs_write(c) < 0) {
		bs_release(c, 1);
		return;
	}
	if (c->trailer_sent == BULK_TRAILER_LEN && c->eof) {
		/* FIN after the trailer; TIME-WAIT is the stack's */
		bs->st.finished++;
		bs_release(c, 0);
		return;
	}
	if ((events & TT_EV_RESET) && tt_sock_error(bs->s, c->h) < 0) {
		bs->st.reset++;
		bs_release(c, 1);
	}
}

int bulk_server_new(struct bulk_server **bsp, struct app_mux *m,
		    const struct bulk_server_params *p)
{
	struct bulk_server *bs;
	int r;

	*bsp = NULL;
	if (!m || !p || !p->port)
		return TT_EINVAL;
	bs = calloc(1, sizeof(*bs));
	if (!bs)
		return TT_ENOMEM;
	bs->m = m;
	bs->s = app_mux_stack(m);
	bs->p = *p;
	if (!bs->p.backlog)
		bs->p.backlog = 64;
	if (!bs->p.max_conns)
		bs->p.max_conns = 1024;
	bs->lh = tt_listen(bs->s, p->port, bs->p.backlog);
	if (bs->lh < 0) {
		r = bs->lh;
		free(bs);
		return r;
	}
	r = app_mux_add(m, bs->lh, bs_listener_event, bs);
	if (r < 0) {
		tt_close(bs->s, bs->lh);
		free(bs);
		return r;
	}
	*bsp = bs;
	return 0;
}

void bulk_server_free(struct bulk_server *bs)
{
	if (!bs)
		return;
	while (bs->conns)
		bs_release(bs->conns, 1);
	app_mux_del(bs->m, bs->lh);
	tt_close(bs->s, bs->lh);
	free(bs);
}

const struct bulk_server_stats *bulk_server_stats(const struct bulk_server *bs)
{
	return &bs->st;
}

unsigned int bulk_server_open(const struct bulk_server *bs)
{
	return bs->open;
}
