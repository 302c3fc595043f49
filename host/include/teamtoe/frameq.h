/* SPDX-License-Identifier: MIT */
/*
 * frameq: a bounded FIFO of frames (bytes plus a small descriptor), with
 * storage allocated once. Used by both card backends for their stream
 * queues and by the host for its own rings. Not thread-safe.
 */
#ifndef TEAMTOE_FRAMEQ_H
#define TEAMTOE_FRAMEQ_H

#include <stddef.h>
#include <stdint.h>

struct frameq_item {
	uint8_t meta[16]; /* descriptor, meaning chosen by the user */
	size_t len;
	uint8_t *data;    /* max_len bytes of storage */
};

struct frameq {
	struct frameq_item *items;
	uint8_t *store;
	size_t cap, max_len;
	size_t head, count;
};

/* Returns 0, or -1 if out of memory. */
int frameq_init(struct frameq *q, size_t cap, size_t max_len);
void frameq_free(struct frameq *q);
static inline int frameq_full(const struct frameq *q) { return q->count == q->cap; }
static inline int frameq_empty(const struct frameq *q) { return q->count == 0; }
/* Slot for the next push, or NULL if full; frameq_commit() makes it visible. */
struct frameq_item *frameq_tail(struct frameq *q);
void frameq_commit(struct frameq *q);
/* Copying push: -1 if full or len > max_len. */
int frameq_push(struct frameq *q, const void *meta, size_t meta_len,
		const uint8_t *data, size_t len);
/* Oldest item, or NULL if empty; frameq_pop() removes it. */
struct frameq_item *frameq_head(struct frameq *q);
void frameq_pop(struct frameq *q);

#endif
