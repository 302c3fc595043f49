/* SPDX-License-Identifier: MIT */
/*
 * TCP options we send and understand: MSS (RFC 9293 3.7.1, kind 2) and
 * window scale (RFC 7323 2, kind 3), both only on SYNs. Everything else
 * is skipped by its length; a malformed list ends the parse (what was
 * read so far stands) rather than the segment, as RFC 9293 3.1 asks
 * ("be prepared to handle an illegal option length").
 */
#include <string.h>

#include "stack_int.h"

#define OPT_END   0
#define OPT_NOP   1
#define OPT_MSS   2
#define OPT_WS    3

void ts_tcp_opt_parse(const uint8_t *opt, size_t len, struct ts_tcp_opts *o)
{
	size_t i = 0, l;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		if (opt[i] == OPT_END)
			return;
		if (opt[i] == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return;
		l = opt[i + 1];
		if (l < 2 || i + l > len)
			return;
		if (opt[i] == OPT_MSS && l == 4) {
			o->mss = ts_rd16(opt + i + 2);
		} else if (opt[i] == OPT_WS && l == 3) {
			o->ws_present = 1;
			/* RFC 7323 2.3: a shift above 14 is taken as 14 */
			o->ws = opt[i + 2] > 14 ? 14 : opt[i + 2];
		}
		i += l;
	}
}

size_t ts_tcp_opt_syn(uint8_t *opt, uint16_t mss, int ws)
{
	size_t n = 0;

	opt[n++] = OPT_MSS;
	opt[n++] = 4;
	ts_wr16(opt + n, mss);
	n += 2;
	if (ws >= 0) {
		opt[n++] = OPT_NOP;
		opt[n++] = OPT_WS;
		opt[n++] = 3;
		opt[n++] = (uint8_t)ws;
	}
	return n;
}
