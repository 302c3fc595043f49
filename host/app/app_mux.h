/* SPDX-License-Identifier: MIT */
/*
 * One stack, several applications: the stack has ONE ready list (api.h),
 * so one loop pops it and hands each event to the application that owns
 * the handle. An application registers its listeners and connections;
 * a connection accepted on a listener is registered by its owner.
 *
 * The table is open addressing over the handle, bounded at creation; an
 * event for a handle nobody registered is counted and dropped (a handle
 * released meanwhile by its owner).
 */
#ifndef TT_APP_MUX_H
#define TT_APP_MUX_H

#include <stdint.h>

#include "teamtoe/api.h"

typedef void (*app_event_fn)(void *owner, int handle, unsigned int events);

struct app_mux;

/* A mux over stack s for at most `capacity` handles. NULL: no memory. */
struct app_mux *app_mux_new(struct tt_stack *s, uint32_t capacity);
void app_mux_free(struct app_mux *m);
struct tt_stack *app_mux_stack(const struct app_mux *m);

/* Route handle's events to fn(owner, ...). Returns 0, TT_EFULL or
 * TT_EEXIST. */
int app_mux_add(struct app_mux *m, int handle, app_event_fn fn, void *owner);
/* Forget handle (before or after tt_close). */
void app_mux_del(struct app_mux *m, int handle);
/* Pop the whole ready list into the owners. Returns events handed out. */
unsigned int app_mux_poll(struct app_mux *m);
/* Events for handles nobody owned. */
uint64_t app_mux_orphans(const struct app_mux *m);

#endif
