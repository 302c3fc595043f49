/* SPDX-License-Identifier: MIT */
/* Events of one stack to several applications (app_mux.h). */
#include <stdlib.h>

#include "app_mux.h"

#define MUX_EMPTY 0
#define MUX_GONE  (-1) /* a deleted entry: probing goes on past it */

struct mux_entry {
	int handle;
	app_event_fn fn;
	void *owner;
};

struct app_mux {
	struct tt_stack *s;
	uint32_t mask, used, gone, cap;
	uint64_t orphans;
	struct mux_entry *e;
};

struct app_mux *app_mux_new(struct tt_stack *s, uint32_t capacity)
{
	struct app_mux *m = calloc(1, sizeof(*m));
	uint32_t n = 16;

	if (!m)
		return NULL;
	/* at most half full, so that a probe always ends */
	while (n < 2 * (uint64_t)capacity && n < (1u << 30))
		n <<= 1;
	m->e = calloc(n, sizeof(*m->e));
	if (!m->e) {
		free(m);
		return NULL;
	}
	m->s = s;
	m->mask = n - 1;
	m->cap = capacity;
	return m;
}

void app_mux_free(struct app_mux *m)
{
	if (!m)
		return;
	free(m->e);
	free(m);
}

struct tt_stack *app_mux_stack(const struct app_mux *m)
{
	return m->s;
}

static uint32_t mux_slot(const struct app_mux *m, int handle)
{
	return ((uint32_t)handle * 2654435761u) & m->mask;
}

static struct mux_entry *mux_find(struct app_mux *m, int handle)
{
	uint32_t i = mux_slot(m, handle);

	for (;;) {
		struct mux_entry *e = &m->e[i];

		if (e->handle == handle)
			return e;
		if (e->handle == MUX_EMPTY)
			return NULL;
		i = (i + 1) & m->mask;
	}
}

/* Deleted entries only ever grow until the table is rebuilt: rebuild
 * before they leave too few empty slots for probes to end fast. */
static int mux_rebuild(struct app_mux *m)
{
	struct mux_entry *old = m->e, *e = calloc(m->mask + 1, sizeof(*e));
	uint32_t i, j;

	if (!e)
		return TT_ENOMEM;
	for (i = 0; i <= m->mask; i++) {
		if (old[i].handle <= 0)
			continue;
		for (j = mux_slot(m, old[i].handle); e[j].handle;
		     j = (j + 1) & m->mask)
			;
		e[j] = old[i];
	}
	free(old);
	m->e = e;
	m->gone = 0;
	return 0;
}

int app_mux_add(struct app_mux *m, int handle, app_event_fn fn, void *owner)
{
	uint32_t i;

	if (handle <= 0 || !fn)
		return TT_EINVAL;
	if (mux_find(m, handle))
		return TT_EEXIST;
	if (m->used == m->cap)
		return TT_EFULL;
	if (m->used + m->gone >= (m->mask + 1) / 4 * 3 && mux_rebuild(m) < 0)
		return TT_ENOMEM;
	for (i = mux_slot(m, handle); m->e[i].handle > 0; i = (i + 1) & m->mask)
		;
	if (m->e[i].handle == MUX_GONE)
		m->gone--;
	m->e[i] = (struct mux_entry){ handle, fn, owner };
	m->used++;
	return 0;
}

void app_mux_del(struct app_mux *m, int handle)
{
	struct mux_entry *e = handle > 0 ? mux_find(m, handle) : NULL;

	if (!e)
		return;
	e->handle = MUX_GONE;
	e->fn = NULL;
	e->owner = NULL;
	m->used--;
	m->gone++;
}

unsigned int app_mux_poll(struct app_mux *m)
{
	struct tt_sock_event ev;
	unsigned int n = 0;

	while (tt_next_event(m->s, &ev)) {
		struct mux_entry *e = mux_find(m, ev.handle);

		if (!e) {
			m->orphans++;
			continue;
		}
		e->fn(e->owner, ev.handle, ev.events);
		n++;
	}
	return n;
}

uint64_t app_mux_orphans(const struct app_mux *m)
{
	return m->orphans;
}
