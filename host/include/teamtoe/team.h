/* SPDX-License-Identifier: MIT */
/*
 * A team: several cards that share one MAC and one IPv4 address, described
 * by a device tree (binding in host/dts/README.md).
 *
 * Two steps: tt_team_config_parse() reads a flattened device tree into a
 * plain struct and checks it (no card is created); tt_team_open() creates
 * and programs the enabled cards of a checked configuration.
 *
 * Errors are negative tt_status values (TT_EINVAL for a bad device tree)
 * with a one-line message in the caller's buffer that names the node and
 * the property, e.g.
 *   "team.dtb: /cards/card@1: teamtoe,backend: unknown backend \"fpga\"
 *    (expected rtl or model)".
 */
#ifndef TEAMTOE_TEAM_H
#define TEAMTOE_TEAM_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"

#define TT_TEAM_MAX_CARDS      16
#define TT_TEAM_PATH_MAX       128   /* longest node path kept */
#define TT_TEAM_BACKEND_MAX    16
#define TT_TEAM_DTB_MAX        (1u << 20) /* largest .dtb accepted */

#define TT_TEAM_DEF_MAX_CONNS  65536u
#define TT_TEAM_DEF_CONN_SLOTS 1024u
#define TT_TEAM_MIN_CONN_SLOTS 16u
#define TT_TEAM_MAX_CONN_SLOTS 65536u

/* DoS detection (host/dos.c): same values as TT_DOS_DEF_* in dos.h */
#define TT_TEAM_DEF_DOS_THRESHOLD_PPS     10000u
#define TT_TEAM_DEF_DOS_SYN_THRESHOLD_PPS 1000u
#define TT_TEAM_DEF_DOS_COOLDOWN_MS       10000u
#define TT_TEAM_MAX_DOS_COOLDOWN_MS       (1u << 30)

enum tt_offload_policy {
	TT_POLICY_LEAST_LOADED = 0, /* card with the fewest offloaded connections */
	TT_POLICY_FIRST        = 1, /* first enabled member that has room */
};

/* One member card, as the device tree describes it. */
struct tt_card_config {
	uint32_t id;                        /* reg */
	char backend[TT_TEAM_BACKEND_MAX];  /* teamtoe,backend */
	uint32_t conn_slots;                /* teamtoe,connection-slots */
	int enabled;                        /* status */
	char path[TT_TEAM_PATH_MAX];        /* node path, for messages */
};

struct tt_team_config {
	uint8_t mac[6];                     /* local-mac-address */
	uint32_t ipv4;                      /* a.b.c.d = a<<24 | .. | d */
	uint32_t max_conns;                 /* teamtoe,max-connections */
	int policy;                         /* enum tt_offload_policy */
	uint32_t dos_threshold_pps;         /* teamtoe,dos-threshold-pps */
	uint32_t dos_syn_threshold_pps;     /* teamtoe,dos-syn-threshold-pps */
	uint32_t dos_cooldown_ms;           /* teamtoe,dos-cooldown-ms */
	unsigned int n_cards;               /* members, disabled ones too */
	struct tt_card_config cards[TT_TEAM_MAX_CARDS]; /* in member order */
	char path[TT_TEAM_PATH_MAX];        /* team node path */
	/* Not from the device tree: set before tt_team_open() to have every
	 * RTL card write FST waveforms to <trace_dir>/card<id>.fst. */
	const char *trace_dir;
};

/* One instantiated (enabled) member. */
struct tt_team_member {
	struct tt_card *card;
	const struct tt_card_config *cfg;   /* points into tt_team.cfg */
};

struct tt_team {
	struct tt_team_config cfg;
	unsigned int n_members;             /* enabled cards, in member order */
	struct tt_team_member members[TT_TEAM_MAX_CARDS];
};

/* Parse and check a flattened device tree of len bytes. Returns 0, or
 * TT_EINVAL with a message in err (if err is not NULL and errlen > 0). */
int tt_team_config_parse(const void *blob, size_t len,
			 struct tt_team_config *cfg, char *err, size_t errlen);

/* Read a whole .dtb file (at most TT_TEAM_DTB_MAX bytes) into a malloc()ed
 * buffer that the caller frees. Returns 0 or a negative tt_status. */
int tt_team_dtb_read(const char *path, void **blob, size_t *len,
		     char *err, size_t errlen);

/* tt_team_dtb_read() then tt_team_config_parse(); messages start with
 * "<path>: ". */
int tt_team_config_load(const char *path, struct tt_team_config *cfg,
			char *err, size_t errlen);

/* Create every enabled card (tt_card_new), program MAC, IPv4 and card id,
 * enable it and raise its link. On error nothing is left allocated. */
int tt_team_open(const struct tt_team_config *cfg, struct tt_team **team,
		 char *err, size_t errlen);
void tt_team_close(struct tt_team *team);

/* The instantiated member with card id `id`, or NULL. */
struct tt_team_member *tt_team_member_by_id(struct tt_team *team, uint32_t id);

const char *tt_offload_policy_str(int policy);

#endif
