/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "teamtoe/frameq.h"

int frameq_init(struct frameq *q, size_t cap, size_t max_len)
{
	memset(q, 0, sizeof(*q));
	q->items = calloc(cap, sizeof(*q->items));
	q->store = malloc(cap * max_len + 1);
	if (!q->items || !q->store) {
		frameq_free(q);
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		q->items[i].data = q->store + i * max_len;
	q->cap = cap;
	q->max_len = max_len;
	return 0;
}

void frameq_free(struct frameq *q)
{
	free(q->items);
	free(q->store);
	memset(q, 0, sizeof(*q));
}

struct frameq_item *frameq_tail(struct frameq *q)
{
	if (frameq_full(q))
		return NULL;
	return &q->items[(q->head + q->count) % q->cap];
}

void frameq_commit(struct frameq *q)
{
	if (!frameq_full(q))
		q->count++;
}

int frameq_push(struct frameq *q, const void *meta, size_t meta_len,
		const uint8_t *data, size_t len)
{
	struct frameq_item *it = frameq_tail(q);

	if (!it || len > q->max_len || meta_len > sizeof(it->meta))
		return -1;
	memset(it->meta, 0, sizeof(it->meta));
	if (meta_len)
		memcpy(it->meta, meta, meta_len);
	if (len)
		memcpy(it->data, data, len);
	it->len = len;
	frameq_commit(q);
	return 0;
}

struct frameq_item *frameq_head(struct frameq *q)
{
	return frameq_empty(q) ? NULL : &q->items[q->head];
}

void frameq_pop(struct frameq *q)
{
	if (frameq_empty(q))
		return;
	q->head = (q->head + 1) % q->cap;
	q->count--;
}
