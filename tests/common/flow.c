/* SPDX-License-Identifier: MIT */
/* Linked into tools and fuzz harnesses too: no cmocka here. */
#include <stdint.h>
#include <stdio.h>

#include "flow.h"

uint8_t flow_pattern(int dir, uint64_t i)
{
	/* not periodic over the first gigabytes, different per direction */
	return (uint8_t)(((i ^ (i >> 17)) * 2654435761u) >> (dir ? 13 : 7));
}

int flow_step(struct flow *f)
{
	uint8_t chunk[16384];
	ssize_t n;

	while (f->sent < f->total) {
		size_t len = sizeof(chunk);

		if (len > f->total - f->sent)
			len = (size_t)(f->total - f->sent);
		for (size_t i = 0; i < len; i++)
			chunk[i] = flow_pattern(f->dir, f->sent + i);
		n = tt_send(f->from, f->hs, chunk, len);
		if (n <= 0)
			break;
		f->sent += (uint64_t)n;
	}
	while ((n = tt_recv(f->to, f->hr, chunk, sizeof(chunk))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (chunk[i] != flow_pattern(f->dir, f->got + (uint64_t)i)) {
				fprintf(stderr, "flow %d: byte %llu wrong\n", f->dir,
					(unsigned long long)(f->got + (uint64_t)i));
				return -1;
			}
		f->got += (uint64_t)n;
	}
	return 0;
}
