/* SPDX-License-Identifier: MIT */
/*
 * Team configuration from a flattened device tree (binding in
 * host/dts/README.md). Pure parsing and checking: no card is created here.
 *
 * Every error is one line naming the node path and the property, written
 * into the caller's buffer; a bad blob must never crash us, so every
 * libfdt offset is checked and every property length is checked before a
 * value is read.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "teamtoe/team.h"

#define CFG_TEAM_COMPAT "teamtoe,team"
#define CFG_CARD_COMPAT "teamtoe,card"

struct cfg_parse {
	const void *fdt;
	char *err;
	size_t errlen;
};

static int cfg_fail(struct cfg_parse *p, int node, const char *prop,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int cfg_get_u32(struct cfg_parse *p, int node, const char *prop,
		       int required, uint32_t *val);
static int cfg_get_string(struct cfg_parse *p, int node, const char *prop,
			  int required, const char **s);
static int cfg_check_blob(struct cfg_parse *p, size_t len);
static int cfg_find_team(struct cfg_parse *p);
static int cfg_parse_team(struct cfg_parse *p, int team,
			  struct tt_team_config *cfg);
static int cfg_parse_members(struct cfg_parse *p, int team,
			     struct tt_team_config *cfg);
static int cfg_parse_dos(struct cfg_parse *p, int team,
			 struct tt_team_config *cfg);
static int cfg_parse_card(struct cfg_parse *p, int node,
			  struct tt_card_config *card);
static int cfg_check_siblings(struct cfg_parse *p, int node, uint32_t id);

/* Write "<path>: <prop>: <message>" and return TT_EINVAL. node < 0 means
 * the message is about the blob as a whole. */
static int cfg_fail(struct cfg_parse *p, int node, const char *prop,
		    const char *fmt, ...)
{
	char path[TT_TEAM_PATH_MAX];
	char msg[256];
	va_list ap;

	if (!p->err || p->errlen == 0)
		return TT_EINVAL;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (node < 0) {
		snprintf(p->err, p->errlen, "%s", msg);
		return TT_EINVAL;
	}
	if (fdt_get_path(p->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "<node at offset %d>", node);
	if (prop)
		snprintf(p->err, p->errlen, "%s: %s: %s", path, prop, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", path, msg);
	return TT_EINVAL;
}

/* One u32 cell. Returns 1 if read, 0 if absent and optional, or an error. */
static int cfg_get_u32(struct cfg_parse *p, int node, const char *prop,
		       int required, uint32_t *val)
{
	const fdt32_t *v;
	int len;

	v = fdt_getprop(p->fdt, node, prop, &len);
	if (!v) {
		if (len != -FDT_ERR_NOTFOUND)
			return cfg_fail(p, node, prop, "%s", fdt_strerror(len));
		if (!required)
			return 0;
		return cfg_fail(p, node, prop, "missing required property");
	}
	if (len != (int)sizeof(*v))
		return cfg_fail(p, node, prop,
				"is %d bytes, expected 4 (one u32 cell)", len);
	*val = fdt32_ld(v);
	return 1;
}

/* One NUL-terminated string (not a string list). Returns 1, 0 or an error
 * as cfg_get_u32(). */
static int cfg_get_string(struct cfg_parse *p, int node, const char *prop,
			  int required, const char **s)
{
	const char *v;
	int len;

	v = fdt_getprop(p->fdt, node, prop, &len);
	if (!v) {
		if (len != -FDT_ERR_NOTFOUND)
			return cfg_fail(p, node, prop, "%s", fdt_strerror(len));
		if (!required)
			return 0;
		return cfg_fail(p, node, prop, "missing required property");
	}
	if (len < 2 || v[len - 1] != '\0' || strlen(v) + 1 != (size_t)len)
		return cfg_fail(p, node, prop,
				"expected one non-empty string (%d bytes)", len);
	*s = v;
	return 1;
}

static int cfg_check_blob(struct cfg_parse *p, size_t len)
{
	int r;

	if (!p->fdt)
		return cfg_fail(p, -1, NULL, "no device tree blob");
	if (len < sizeof(struct fdt_header))
		return cfg_fail(p, -1, NULL,
				"not a device tree blob: %zu bytes, shorter than the %zu-byte header",
				len, sizeof(struct fdt_header));
	r = fdt_check_header(p->fdt);
	if (r < 0)
		return cfg_fail(p, -1, NULL, "not a valid device tree blob: %s",
				fdt_strerror(r));
	/* Versions before 17 (dtc writes 17) lack size_dt_struct, and
	 * libfdt 1.6's fdt_check_full() dereferences NULL on some legacy
	 * (v2..v15) blobs: found by tests/fuzz/fuzz_dtb. */
	if (fdt_version(p->fdt) < 17)
		return cfg_fail(p, -1, NULL,
				"device tree blob version %u, expected 17 or later",
				fdt_version(p->fdt));
	if (fdt_totalsize(p->fdt) > len)
		return cfg_fail(p, -1, NULL,
				"device tree blob truncated: header totalsize %u bytes, only %zu present",
				fdt_totalsize(p->fdt), len);
	if (len > INT32_MAX)
		return cfg_fail(p, -1, NULL, "device tree blob too large");
	r = fdt_check_full(p->fdt, len);
	if (r < 0)
		return cfg_fail(p, -1, NULL, "corrupt device tree blob: %s",
				fdt_strerror(r));
	return 0;
}

static int cfg_find_team(struct cfg_parse *p)
{
	int team, next;

	team = fdt_node_offset_by_compatible(p->fdt, -1, CFG_TEAM_COMPAT);
	if (team == -FDT_ERR_NOTFOUND)
		return cfg_fail(p, -1, NULL,
				"no node with compatible = \"" CFG_TEAM_COMPAT "\"");
	if (team < 0)
		return cfg_fail(p, -1, NULL, "looking for the team node: %s",
				fdt_strerror(team));

	next = fdt_node_offset_by_compatible(p->fdt, team, CFG_TEAM_COMPAT);
	if (next >= 0)
		return cfg_fail(p, next, "compatible",
				"a second " CFG_TEAM_COMPAT " node (one team per device tree)");
	if (next != -FDT_ERR_NOTFOUND)
		return cfg_fail(p, -1, NULL, "looking for the team node: %s",
				fdt_strerror(next));
	return team;
}

static int cfg_parse_team(struct cfg_parse *p, int team,
			  struct tt_team_config *cfg)
{
	const uint8_t *mac, *ip;
	const char *policy;
	int len, r;

	if (fdt_get_path(p->fdt, team, cfg->path, sizeof(cfg->path)) < 0)
		return cfg_fail(p, -1, NULL, "team node path longer than %d bytes",
				TT_TEAM_PATH_MAX - 1);

	mac = fdt_getprop(p->fdt, team, "local-mac-address", &len);
	if (!mac) {
		if (len == -FDT_ERR_NOTFOUND)
			return cfg_fail(p, team, "local-mac-address",
					"missing required property");
		return cfg_fail(p, team, "local-mac-address", "%s",
				fdt_strerror(len));
	}
	if (len != 6)
		return cfg_fail(p, team, "local-mac-address",
				"is %d bytes, expected 6", len);
	if (mac[0] & 1)
		return cfg_fail(p, team, "local-mac-address",
				"%02x:%02x:%02x:%02x:%02x:%02x is a multicast address",
				mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return cfg_fail(p, team, "local-mac-address",
				"is all zeros");
	memcpy(cfg->mac, mac, 6);

	ip = fdt_getprop(p->fdt, team, "teamtoe,ipv4-address", &len);
	if (!ip) {
		if (len == -FDT_ERR_NOTFOUND)
			return cfg_fail(p, team, "teamtoe,ipv4-address",
					"missing required property");
		return cfg_fail(p, team, "teamtoe,ipv4-address", "%s",
				fdt_strerror(len));
	}
	if (len != 4)
		return cfg_fail(p, team, "teamtoe,ipv4-address",
				"is %d bytes, expected 4", len);
	cfg->ipv4 = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 |
		    (uint32_t)ip[2] << 8 | ip[3];
	if (cfg->ipv4 == 0 || cfg->ipv4 == 0xffffffffu || ip[0] >= 224)
		return cfg_fail(p, team, "teamtoe,ipv4-address",
				"%u.%u.%u.%u is not a unicast address",
				ip[0], ip[1], ip[2], ip[3]);

	cfg->max_conns = TT_TEAM_DEF_MAX_CONNS;
	r = cfg_get_u32(p, team, "teamtoe,max-connections", 0, &cfg->max_conns);
	if (r < 0)
		return r;
	if (cfg->max_conns == 0)
		return cfg_fail(p, team, "teamtoe,max-connections",
				"must be at least 1");

	r = cfg_parse_dos(p, team, cfg);
	if (r < 0)
		return r;

	cfg->policy = TT_POLICY_LEAST_LOADED;
	r = cfg_get_string(p, team, "teamtoe,offload-policy", 0, &policy);
	if (r < 0)
		return r;
	if (r > 0) {
		if (strcmp(policy, "first") == 0)
			cfg->policy = TT_POLICY_FIRST;
		else if (strcmp(policy, "least-loaded") == 0)
			cfg->policy = TT_POLICY_LEAST_LOADED;
		else
			return cfg_fail(p, team, "teamtoe,offload-policy",
					"unknown policy \"%.32s\" (expected first or least-loaded)",
					policy);
	}

	return cfg_parse_members(p, team, cfg);
}

/* DoS detection thresholds (host/dos.c): optional u32 cells, each >= 1. */
static int cfg_parse_dos(struct cfg_parse *p, int team,
			 struct tt_team_config *cfg)
{
	static const struct {
		const char *prop;
		size_t off;
		uint32_t dflt, max;
	} props[] = {
		{ "teamtoe,dos-threshold-pps",
		  offsetof(struct tt_team_config, dos_threshold_pps),
		  TT_TEAM_DEF_DOS_THRESHOLD_PPS, UINT32_MAX },
		{ "teamtoe,dos-syn-threshold-pps",
		  offsetof(struct tt_team_config, dos_syn_threshold_pps),
		  TT_TEAM_DEF_DOS_SYN_THRESHOLD_PPS, UINT32_MAX },
		{ "teamtoe,dos-cooldown-ms",
		  offsetof(struct tt_team_config, dos_cooldown_ms),
		  TT_TEAM_DEF_DOS_COOLDOWN_MS, TT_TEAM_MAX_DOS_COOLDOWN_MS - 1 },
	};
	unsigned int i;
	int r;

	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		uint32_t *v = (uint32_t *)((char *)cfg + props[i].off);

		*v = props[i].dflt;
		r = cfg_get_u32(p, team, props[i].prop, 0, v);
		if (r < 0)
			return r;
		if (*v == 0 || *v > props[i].max)
			return cfg_fail(p, team, props[i].prop,
					"%u out of range 1..%u", *v,
					props[i].max);
	}
	return 0;
}

static int cfg_parse_members(struct cfg_parse *p, int team,
			     struct tt_team_config *cfg)
{
	static const char prop[] = "teamtoe,members";
	int nodes[TT_TEAM_MAX_CARDS];
	const fdt32_t *ph;
	unsigned int n, i, j, enabled = 0;
	int len, r;

	ph = fdt_getprop(p->fdt, team, prop, &len);
	if (!ph) {
		if (len == -FDT_ERR_NOTFOUND)
			return cfg_fail(p, team, prop, "missing required property");
		return cfg_fail(p, team, prop, "%s", fdt_strerror(len));
	}
	if (len == 0)
		return cfg_fail(p, team, prop,
				"empty: a team needs at least one member card");
	if (len % 4)
		return cfg_fail(p, team, prop,
				"is %d bytes, not a list of phandles (4 bytes each)",
				len);
	n = (unsigned int)len / 4;
	if (n > TT_TEAM_MAX_CARDS)
		return cfg_fail(p, team, prop, "%u members, at most %d supported",
				n, TT_TEAM_MAX_CARDS);

	for (i = 0; i < n; i++) {
		uint32_t phandle = fdt32_ld(&ph[i]);
		char path[TT_TEAM_PATH_MAX];
		int node;

		if (phandle == 0 || phandle == (uint32_t)-1)
			return cfg_fail(p, team, prop,
					"member %u: invalid phandle 0x%x", i, phandle);
		node = fdt_node_offset_by_phandle(p->fdt, phandle);
		if (node == -FDT_ERR_NOTFOUND)
			return cfg_fail(p, team, prop,
					"member %u: phandle 0x%x refers to no node",
					i, phandle);
		if (node < 0)
			return cfg_fail(p, team, prop, "member %u: %s", i,
					fdt_strerror(node));
		r = fdt_node_check_compatible(p->fdt, node, CFG_CARD_COMPAT);
		if (r != 0) {
			if (fdt_get_path(p->fdt, node, path, sizeof(path)) < 0)
				snprintf(path, sizeof(path), "phandle 0x%x", phandle);
			return cfg_fail(p, team, prop,
					"member %u (%s) is not a " CFG_CARD_COMPAT " node",
					i, path);
		}
		for (j = 0; j < i; j++) {
			if (nodes[j] == node)
				return cfg_fail(p, team, prop,
						"member %u repeats member %u (%s)",
						i, j, cfg->cards[j].path);
		}
		nodes[i] = node;
		r = cfg_parse_card(p, node, &cfg->cards[i]);
		if (r < 0)
			return r;
		for (j = 0; j < i; j++) {
			if (cfg->cards[j].id == cfg->cards[i].id)
				return cfg_fail(p, node, "reg",
						"duplicate card id %u (also %s)",
						cfg->cards[i].id, cfg->cards[j].path);
		}
		if (cfg->cards[i].enabled)
			enabled++;
	}
	cfg->n_cards = n;
	if (!enabled)
		return cfg_fail(p, team, prop, "no member card has status \"okay\"");
	return 0;
}

static int cfg_parse_card(struct cfg_parse *p, int node,
			  struct tt_card_config *card)
{
	const char *backend, *status;
	uint32_t cells;
	int parent, r;

	memset(card, 0, sizeof(*card));
	if (fdt_get_path(p->fdt, node, card->path, sizeof(card->path)) < 0)
		return cfg_fail(p, node, NULL, "node path longer than %d bytes",
				TT_TEAM_PATH_MAX - 1);

	parent = fdt_parent_offset(p->fdt, node);
	if (parent < 0)
		return cfg_fail(p, node, NULL, "cannot find parent node: %s",
				fdt_strerror(parent));
	r = cfg_get_u32(p, parent, "#address-cells", 1, &cells);
	if (r < 0)
		return r;
	if (cells != 1)
		return cfg_fail(p, parent, "#address-cells",
				"is %u, expected 1 (reg is the card id)", cells);
	r = cfg_get_u32(p, parent, "#size-cells", 1, &cells);
	if (r < 0)
		return r;
	if (cells != 0)
		return cfg_fail(p, parent, "#size-cells", "is %u, expected 0",
				cells);

	r = cfg_get_u32(p, node, "reg", 1, &card->id);
	if (r < 0)
		return r;
	r = cfg_check_siblings(p, node, card->id);
	if (r < 0)
		return r;

	r = cfg_get_string(p, node, "teamtoe,backend", 1, &backend);
	if (r < 0)
		return r;
	if (strlen(backend) >= sizeof(card->backend) ||
	    !tt_card_backend_known(backend))
		return cfg_fail(p, node, "teamtoe,backend",
				"unknown backend \"%.32s\" (expected rtl or model)",
				backend);
	strcpy(card->backend, backend);

	card->conn_slots = TT_TEAM_DEF_CONN_SLOTS;
	r = cfg_get_u32(p, node, "teamtoe,connection-slots", 0,
			&card->conn_slots);
	if (r < 0)
		return r;
	if (card->conn_slots < TT_TEAM_MIN_CONN_SLOTS ||
	    card->conn_slots > TT_TEAM_MAX_CONN_SLOTS ||
	    (card->conn_slots & (card->conn_slots - 1)))
		return cfg_fail(p, node, "teamtoe,connection-slots",
				"%u must be a power of two in %u..%u",
				card->conn_slots, TT_TEAM_MIN_CONN_SLOTS,
				TT_TEAM_MAX_CONN_SLOTS);

	card->enabled = 1;
	r = cfg_get_string(p, node, "status", 0, &status);
	if (r < 0)
		return r;
	if (r > 0) {
		if (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0)
			card->enabled = 1;
		else if (strcmp(status, "disabled") == 0)
			card->enabled = 0;
		else
			return cfg_fail(p, node, "status",
					"unknown status \"%.32s\" (expected okay or disabled)",
					status);
	}
	return 0;
}

/* reg is a unit address on the parent's bus: no other card node under the
 * same parent, member or not, may use it. */
static int cfg_check_siblings(struct cfg_parse *p, int node, uint32_t id)
{
	char path[TT_TEAM_PATH_MAX];
	const fdt32_t *reg;
	int parent, sib, len;

	parent = fdt_parent_offset(p->fdt, node);
	if (parent < 0)
		return cfg_fail(p, node, NULL, "cannot find parent node: %s",
				fdt_strerror(parent));

	fdt_for_each_subnode(sib, p->fdt, parent) {
		if (sib == node)
			continue;
		if (fdt_node_check_compatible(p->fdt, sib, CFG_CARD_COMPAT) != 0)
			continue;
		reg = fdt_getprop(p->fdt, sib, "reg", &len);
		if (!reg || len != (int)sizeof(*reg) || fdt32_ld(reg) != id)
			continue;
		if (fdt_get_path(p->fdt, sib, path, sizeof(path)) < 0)
			snprintf(path, sizeof(path), "<node at offset %d>", sib);
		return cfg_fail(p, node, "reg", "duplicate card id %u (also %s)",
				id, path);
	}
	if (sib != -FDT_ERR_NOTFOUND)
		return cfg_fail(p, parent, NULL, "walking subnodes: %s",
				fdt_strerror(sib));
	return 0;
}

int tt_team_config_parse(const void *blob, size_t len,
			 struct tt_team_config *cfg, char *err, size_t errlen)
{
	struct cfg_parse p = { .fdt = blob, .err = err, .errlen = errlen };
	int team, r;

	if (err && errlen)
		err[0] = '\0';
	if (!cfg)
		return cfg_fail(&p, -1, NULL, "no configuration to fill");
	memset(cfg, 0, sizeof(*cfg));

	r = cfg_check_blob(&p, len);
	if (r < 0)
		return r;
	team = cfg_find_team(&p);
	if (team < 0)
		return team;
	r = cfg_parse_team(&p, team, cfg);
	if (r < 0)
		memset(cfg, 0, sizeof(*cfg));
	return r;
}

static void cfg_msg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cfg_msg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int tt_team_dtb_read(const char *path, void **blob, size_t *len,
		     char *err, size_t errlen)
{
	uint8_t *buf = NULL, *nb;
	size_t n = 0, cap = 4096;
	FILE *f;
	int r = TT_EINVAL;

	*blob = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		cfg_msg(err, errlen, "%s: %s", path, strerror(errno));
		return TT_EINVAL;
	}
	buf = malloc(cap);
	if (!buf)
		goto err_nomem;
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f)) {
				cfg_msg(err, errlen, "%s: read error", path);
				goto err_free;
			}
			break;
		}
		if (cap >= TT_TEAM_DTB_MAX) {
			cfg_msg(err, errlen, "%s: larger than %u bytes", path,
				 TT_TEAM_DTB_MAX);
			goto err_free;
		}
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb)
			goto err_nomem;
		buf = nb;
	}
	fclose(f);
	*blob = buf;
	*len = n;
	return 0;

err_nomem:
	cfg_msg(err, errlen, "%s: out of memory", path);
	r = TT_ENOMEM;
err_free:
	free(buf);
	fclose(f);
	return r;
}

int tt_team_config_load(const char *path, struct tt_team_config *cfg,
			char *err, size_t errlen)
{
	char msg[512];
	void *blob;
	size_t len;
	int r;

	r = tt_team_dtb_read(path, &blob, &len, err, errlen);
	if (r < 0)
		return r;
	r = tt_team_config_parse(blob, len, cfg, msg, sizeof(msg));
	if (r < 0 && err && errlen)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(blob);
	return r;
}

const char *tt_offload_policy_str(int policy)
{
	switch (policy) {
	case TT_POLICY_FIRST:
		return "first";
	case TT_POLICY_LEAST_LOADED:
		return "least-loaded";
	default:
		return "?";
	}
}
