/* SPDX-License-Identifier: MIT */
/* Echo server (app_echo.h). */
#include <stdlib.h>
#include <string.h>

#include "app_echo.h"

struct echo_conn {
	struct echo_server *es;
	struct echo_conn *prev, *next;
	int h, eof;
	uint32_t head, len;          /* bytes waiting in buf, from head */
	uint8_t buf[ECHO_BUF];
};

struct echo_server {
	struct app_mux *m;
	struct tt_stack *s;
	int lh;
	uint32_t max_conns, open;
	struct echo_conn *conns;
	struct echo_stats st;
};

static void echo_conn_event(void *owner, int h, unsigned int events);

static void echo_release(struct echo_conn *c, int abort)
{
	struct echo_server *es = c->es;

	app_mux_del(es->m, c->h);
	if (abort) {
		tt_abort(es->s, c->h);
		es->st.reset++;
	} else {
		tt_close(es->s, c->h);
		es->st.closed++;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		es->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	es->open--;
	free(c);
}

static void echo_listener_event(void *owner, int lh, unsigned int events)
{
	struct echo_server *es = owner;
	struct echo_conn *c;
	int h;

	(void)events;
	while ((h = tt_accept(es->s, lh, NULL)) > 0) {
		es->st.accepted++;
		if (es->open >= es->max_conns || !(c = calloc(1, sizeof(*c)))) {
			es->st.refused++;
			tt_abort(es->s, h);
			continue;
		}
		c->es = es;
		c->h = h;
		if (app_mux_add(es->m, h, echo_conn_event, c) < 0) {
			es->st.refused++;
			tt_abort(es->s, h);
			free(c);
			continue;
		}
		c->next = es->conns;
		if (c->next)
			c->next->prev = c;
		es->conns = c;
		es->open++;
		echo_conn_event(c, h, TT_EV_READABLE);
	}
}

/* Send what waits; returns < 0 on a dead connection. */
static int echo_flush(struct echo_conn *c)
{
	while (c->len) {
		uint32_t run = ECHO_BUF - c->head < c->len ? ECHO_BUF - c->head :
							     c->len;
		ssize_t n = tt_send(c->es->s, c->h, c->buf + c->head, run);

		if (n == TT_EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		c->es->st.bytes += (uint64_t)n;
		c->head = (c->head + (uint32_t)n) % ECHO_BUF;
		c->len -= (uint32_t)n;
	}
	return 0;
}

static void echo_conn_event(void *owner, int h, unsigned int events)
{
	struct echo_conn *c = owner;
	struct echo_server *es = c->es;
	ssize_t n = TT_EAGAIN;

	(void)h;
	(void)events;
	for (;;) {
		uint32_t tail, room;

		if (echo_flush(c) < 0) {
			echo_release(c, 1);
			return;
		}
		if (c->eof)
			break;
		room = ECHO_BUF - c->len;
		tail = (c->head + c->len) % ECHO_BUF;
		if (!room) {
			es->st.stalls++;
			break;
		}
		if (room > ECHO_BUF - tail)
			room = ECHO_BUF - tail;
		n = tt_recv(es->s, c->h, c->buf + tail, room);
		if (n > 0) {
			c->len += (uint32_t)n;
			continue;
		}
		if (n == 0)
			c->eof = 1;
		else if (n != TT_EAGAIN) {
			echo_release(c, 1);
			return;
		}
		if (n == TT_EAGAIN)
			break;
	}
	if (c->eof && !c->len)
		echo_release(c, 0);
}

int echo_server_new(struct echo_server **esp, struct app_mux *m, uint16_t port,
		    unsigned int backlog, uint32_t max_conns)
{
	struct echo_server *es;
	int r;

	*esp = NULL;
	if (!m || !port)
		return TT_EINVAL;
	es = calloc(1, sizeof(*es));
	if (!es)
		return TT_ENOMEM;
	es->m = m;
	es->s = app_mux_stack(m);
	es->max_conns = max_conns ? max_conns : 1024;
	es->lh = tt_listen(es->s, port, backlog ? backlog : 64);
	if (es->lh < 0 || (r = app_mux_add(m, es->lh, echo_listener_event, es)) < 0) {
		r = es->lh < 0 ? es->lh : r;
		if (es->lh > 0)
			tt_close(es->s, es->lh);
		free(es);
		return r;
	}
	*esp = es;
	return 0;
}

void echo_server_free(struct echo_server *es)
{
	if (!es)
		return;
	while (es->conns)
		echo_release(es->conns, 1);
	app_mux_del(es->m, es->lh);
	tt_close(es->s, es->lh);
	free(es);
}

const struct echo_stats *echo_server_stats(const struct echo_server *es)
{
	return &es->st;
}
