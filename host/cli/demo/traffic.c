/* SPDX-License-Identifier: MIT */
/* Bulk traffic between the clients and the team (traffic.h). */
#include <stdlib.h>

#include "teamtoe/err.h"
#include "traffic.h"

struct traffic {
	struct world *w;
	struct traffic_params p;
	struct app_mux *team_mux;
	struct bulk_server *srv;
	unsigned int n_clients;
	struct app_mux **mux;
	struct bulk_client **cl;
	int released;
};

static void traffic_poll(void *arg)
{
	struct traffic *t = arg;
	unsigned int i;

	app_mux_poll(t->team_mux);
	for (i = 0; i < t->n_clients; i++)
		app_mux_poll(t->mux[i]);
}

int traffic_new(struct traffic **tp, struct world *w,
		const struct traffic_params *p, char *err, size_t errlen)
{
	struct bulk_server_params sp = { 0 };
	struct traffic *t;
	unsigned int i, nc = world_n_clients(w);
	int r;

	*tp = NULL;
	if (!nc || !p->n_conns)
		return tt_errf(err, errlen, TT_EINVAL,
			       "traffic: needs clients and connections");
	t = calloc(1, sizeof(*t));
	if (!t)
		return tt_errf(err, errlen, TT_ENOMEM, "traffic: out of memory");
	t->w = w;
	t->p = *p;
	t->n_clients = nc < p->n_conns ? nc : p->n_conns;
	t->mux = calloc(t->n_clients, sizeof(*t->mux));
	t->cl = calloc(t->n_clients, sizeof(*t->cl));
	t->team_mux = app_mux_new(world_team_stack(w), p->n_conns + 16);
	if (!t->mux || !t->cl || !t->team_mux) {
		traffic_free(t);
		return tt_errf(err, errlen, TT_ENOMEM, "traffic: out of memory");
	}
	sp.port = TRAFFIC_PORT;
	sp.backlog = p->n_conns;
	sp.max_conns = p->server_max_conns ? p->server_max_conns : p->n_conns;
	sp.reply_after_request = !p->concurrent;
	r = bulk_server_new(&t->srv, t->team_mux, &sp);
	if (r < 0) {
		traffic_free(t);
		return tt_errf(err, errlen, r, "traffic: server: %s",
			       tt_sock_strerror(r));
	}
	for (i = 0; i < t->n_clients; i++) {
		struct bulk_client_params cp = { 0 };

		/* client i gets connections i, i + nc, i + 2 nc, ... */
		cp.n_conns = p->n_conns / t->n_clients +
			     (i < p->n_conns % t->n_clients);
		cp.server_ip = world_team_ip(w);
		cp.server_port = TRAFFIC_PORT;
		cp.up_len = p->up_len;
		cp.down_len = p->down_len;
		cp.seed = p->seed * 1000003u + i;
		cp.timeout_ms = p->timeout_ms;
		cp.held = p->held / t->n_clients +
			  (i < p->held % t->n_clients);
		if (cp.held > cp.n_conns)
			cp.held = cp.n_conns;
		t->mux[i] = app_mux_new(world_client(w, i), cp.n_conns + 4);
		r = t->mux[i] ? bulk_client_new(&t->cl[i], t->mux[i], &cp) :
				TT_ENOMEM;
		if (r < 0) {
			traffic_free(t);
			return tt_errf(err, errlen, r, "traffic: client %u: %s",
				       i, tt_sock_strerror(r));
		}
	}
	r = world_add_app(w, traffic_poll, t);
	if (r < 0) {
		traffic_free(t);
		return tt_errf(err, errlen, r, "traffic: too many applications");
	}
	*tp = t;
	return 0;
}

void traffic_free(struct traffic *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n_clients; i++) {
		if (t->cl)
			bulk_client_free(t->cl[i]);
		if (t->mux)
			app_mux_free(t->mux[i]);
	}
	bulk_server_free(t->srv);
	app_mux_free(t->team_mux);
	free(t->cl);
	free(t->mux);
	free(t);
}

void traffic_start(struct traffic *t)
{
	unsigned int i;

	for (i = 0; i < t->n_clients; i++)
		bulk_client_start(t->cl[i]);
}

const struct bulk_conn_result *traffic_conn(const struct traffic *t,
					    unsigned int k)
{
	if (k >= t->p.n_conns)
		return NULL;
	return bulk_client_conn(t->cl[k % t->n_clients], k / t->n_clients);
}

int traffic_abort(struct traffic *t, unsigned int k)
{
	if (k >= t->p.n_conns)
		return TT_EINVAL;
	return bulk_client_abort(t->cl[k % t->n_clients], k / t->n_clients);
}

unsigned int traffic_release(struct traffic *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->n_clients; i++)
		n += bulk_client_release(t->cl[i]);
	t->released = 1;
	return n;
}

void traffic_totals(const struct traffic *t, struct traffic_totals *tot)
{
	const struct bulk_server_stats *ss = bulk_server_stats(t->srv);
	unsigned int i;

	tot->up_bytes = ss->up_bytes;
	tot->down_bytes = 0;
	tot->ok = tot->failed = tot->running = 0;
	for (i = 0; i < t->n_clients; i++) {
		const struct bulk_client_stats *cs = bulk_client_stats(t->cl[i]);

		tot->down_bytes += cs->down_bytes;
		tot->ok += cs->ok;
		tot->failed += cs->failed;
		tot->running += cs->running;
	}
}

uint64_t traffic_active_bytes(const struct traffic *t)
{
	unsigned int n = t->released ? t->p.n_conns : t->p.n_conns - t->p.held;

	return (uint64_t)n * (t->p.up_len + t->p.down_len);
}

int traffic_done(const struct traffic *t)
{
	struct traffic_totals tot;

	traffic_totals(t, &tot);
	return tot.ok + tot.failed == t->p.n_conns;
}

const char *traffic_first_failure(const struct traffic *t)
{
	unsigned int i;

	for (i = 0; i < t->n_clients; i++) {
		const char *why = bulk_client_first_failure(t->cl[i]);

		if (why)
			return why;
	}
	return NULL;
}

const struct bulk_server_stats *traffic_server(const struct traffic *t)
{
	return bulk_server_stats(t->srv);
}

int traffic_run(struct traffic *t, uint64_t max_ms)
{
	uint64_t end = world_now_ms(t->w) + max_ms;
	unsigned int i;

	while (!traffic_done(t) && world_now_ms(t->w) < end) {
		world_run_ms(t->w, 1);
		for (i = 0; i < t->n_clients; i++)
			bulk_client_check(t->cl[i], world_now_ms(t->w));
	}
	return traffic_done(t);
}
