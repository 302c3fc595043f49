/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the device-tree loader (tt_team_config_parse) with
 * arbitrary blobs. The input is the blob, copied to a buffer of exactly
 * its length so that any read past it is caught. A blob that parses must
 * give a checked configuration: at most TT_TEAM_MAX_CARDS cards, each
 * with a known backend, a power-of-two slot count in range, terminated
 * strings; and the same blob must parse to the same result again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamtoe/team.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_dtb: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_team_config cfg, again;
	uint8_t *blob = malloc(size ? size : 1);
	char err[256];
	int r;

	CHECK(blob);
	memcpy(blob, data, size);
	memset(err, 0x5a, sizeof(err));
	r = tt_team_config_parse(blob, size, &cfg, err, sizeof(err));
	if (r == 0) {
		CHECK(cfg.n_cards <= TT_TEAM_MAX_CARDS);
		CHECK(memchr(cfg.path, 0, sizeof(cfg.path)));
		for (unsigned int i = 0; i < cfg.n_cards; i++) {
			const struct tt_card_config *c = &cfg.cards[i];

			CHECK(memchr(c->backend, 0, sizeof(c->backend)));
			CHECK(memchr(c->path, 0, sizeof(c->path)));
			CHECK(tt_card_backend_known(c->backend));
			CHECK(c->conn_slots >= TT_TEAM_MIN_CONN_SLOTS &&
			      c->conn_slots <= TT_TEAM_MAX_CONN_SLOTS &&
			      (c->conn_slots & (c->conn_slots - 1)) == 0);
		}
		CHECK(tt_team_config_parse(blob, size, &again, NULL, 0) == 0);
		CHECK(memcmp(&cfg, &again, sizeof(cfg)) == 0);
	} else {
		CHECK(r == TT_EINVAL);
		CHECK(memchr(err, 0, sizeof(err)));
	}
	free(blob);
	return 0;
}
