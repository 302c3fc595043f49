/* SPDX-License-Identifier: MIT */
/*
 * Bringing a team up and down: create every enabled card of a checked
 * configuration and program it with the team's identity.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamtoe/err.h"
#include "teamtoe/team.h"

static int team_program(struct tt_team *team, struct tt_team_member *m,
			char *err, size_t errlen);

/* Registers, in the order a driver would write them: identity first, then
 * enable, so that the card never runs with a half-written address. */
static int team_program(struct tt_team *team, struct tt_team_member *m,
			char *err, size_t errlen)
{
	const uint8_t *mac = team->cfg.mac;
	const struct {
		uint32_t addr;
		const char *name;
		uint32_t val;
	} regs[] = {
		{ TT_REG_MAC_HI,  "MAC_HI",  (uint32_t)mac[0] << 8 | mac[1] },
		{ TT_REG_MAC_LO,  "MAC_LO",  (uint32_t)mac[2] << 24 |
					     (uint32_t)mac[3] << 16 |
					     (uint32_t)mac[4] << 8 | mac[5] },
		{ TT_REG_IPV4,    "IPV4",    team->cfg.ipv4 },
		{ TT_REG_CARD_ID, "CARD_ID", m->cfg->id },
	};
	uint32_t ctrl;
	size_t i;
	int r;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		r = tt_card_reg_write(m->card, regs[i].addr, regs[i].val);
		if (r < 0)
			return tt_errf(err, errlen, r,
					 "%s: writing register %s: %s",
					 m->cfg->path, regs[i].name,
					 tt_status_str(r));
	}
	r = tt_card_reg_read(m->card, TT_REG_CTRL, &ctrl);
	if (r < 0)
		return tt_errf(err, errlen, r, "%s: reading register CTRL: %s",
				 m->cfg->path, tt_status_str(r));
	r = tt_card_reg_write(m->card, TT_REG_CTRL, ctrl | 1u);
	if (r < 0)
		return tt_errf(err, errlen, r, "%s: writing register CTRL: %s",
				 m->cfg->path, tt_status_str(r));
	tt_card_set_link(m->card, 1);
	return 0;
}

int tt_team_open(const struct tt_team_config *cfg, struct tt_team **teamp,
		 char *err, size_t errlen)
{
	struct tt_team *team;
	unsigned int i;
	int r;

	*teamp = NULL;
	if (!cfg || cfg->n_cards == 0 || cfg->n_cards > TT_TEAM_MAX_CARDS)
		return tt_errf(err, errlen, TT_EINVAL,
				 "team configuration has no member cards");
	team = calloc(1, sizeof(*team));
	if (!team)
		return tt_errf(err, errlen, TT_ENOMEM, "out of memory");
	team->cfg = *cfg;

	for (i = 0; i < team->cfg.n_cards; i++) {
		const struct tt_card_config *cc = &team->cfg.cards[i];
		struct tt_card_params params = {
			.conn_slots = cc->conn_slots,
			.trace_path = NULL,
		};
		char trace[TT_TEAM_PATH_MAX + 32];
		struct tt_team_member *m;
		int e = TT_OK;

		if (!cc->enabled)
			continue;
		if (team->cfg.trace_dir && *team->cfg.trace_dir) {
			snprintf(trace, sizeof(trace), "%s/card%u.fst",
				 team->cfg.trace_dir, cc->id);
			params.trace_path = trace;
		}
		m = &team->members[team->n_members];
		m->cfg = cc;
		m->card = tt_card_new(cc->backend, &params, &e);
		if (!m->card) {
			r = tt_errf(err, errlen, e < 0 ? e : TT_ENOMEM,
				      "%s: cannot create a %s card with %u slots: %s",
				      cc->path, cc->backend, cc->conn_slots,
				      tt_status_str(e));
			goto err_close;
		}
		team->n_members++;
		r = team_program(team, m, err, errlen);
		if (r < 0)
			goto err_close;
	}
	if (team->n_members == 0) {
		r = tt_errf(err, errlen, TT_EINVAL, "%s: no enabled member card",
			      team->cfg.path);
		goto err_close;
	}
	*teamp = team;
	return 0;

err_close:
	tt_team_close(team);
	return r;
}

void tt_team_close(struct tt_team *team)
{
	unsigned int i;

	if (!team)
		return;
	for (i = 0; i < team->n_members; i++)
		tt_card_free(team->members[i].card);
	free(team);
}

struct tt_team_member *tt_team_member_by_id(struct tt_team *team, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < team->n_members; i++)
		if (team->members[i].cfg->id == id)
			return &team->members[i];
	return NULL;
}
