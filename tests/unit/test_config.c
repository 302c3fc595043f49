/* SPDX-License-Identifier: MIT */
/*
 * Team configuration from a device tree: the example .dts files parse, and
 * every broken tree fails with a message that names the node and the
 * property. Broken trees are built here with libfdt's sequential-write API
 * from a good tree description with one thing changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testenv.h"
#include <libfdt.h>

#include "teamtoe/team.h"

#define BLOB_SIZE 4096
#define ERR_LEN   512
#define PH_CARD0  1
#define PH_CARD1  2
#define PH_OTHER  0x10

struct card_spec {
	const char *name;
	const char *compatible;  /* NULL: absent */
	int reg;                 /* < 0: absent */
	int reg_len;             /* bytes; 0 means 4 */
	const char *backend;     /* NULL: absent */
	uint32_t slots;          /* 0: absent */
	const char *status;      /* NULL: absent */
	uint32_t phandle;
};

struct tree_spec {
	uint8_t mac[8];
	int mac_len;             /* < 0: absent */
	int ip_len;              /* < 0: absent */
	uint32_t members[4];
	int n_members;           /* < 0: absent */
	const char *policy;      /* NULL: absent */
	const char *extra_prop;  /* one more team property, or NULL */
	uint8_t extra_val[8];
	int extra_len;
	uint32_t address_cells;
	struct card_spec cards[3];
	int n_cards;
};

static const char *argv0 = "test_config";

/* Two enabled rtl cards, /other (not a card), a team of both cards. */
static void spec_default(struct tree_spec *t)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };

	memset(t, 0, sizeof(*t));
	memcpy(t->mac, mac, sizeof(mac));
	t->mac_len = 6;
	t->ip_len = 4;
	t->members[0] = PH_CARD0;
	t->members[1] = PH_CARD1;
	t->n_members = 2;
	t->address_cells = 1;
	t->n_cards = 2;
	t->cards[0] = (struct card_spec){
		.name = "card@0", .compatible = "teamtoe,card", .reg = 0,
		.backend = "rtl", .phandle = PH_CARD0,
	};
	t->cards[1] = (struct card_spec){
		.name = "card@1", .compatible = "teamtoe,card", .reg = 1,
		.backend = "rtl", .phandle = PH_CARD1,
	};
}

#define FDT_OK(call) assert_int_equal((call), 0)

/* Build the tree into buf; returns its size. */
static size_t spec_build(const struct tree_spec *t, void *buf)
{
	static const uint8_t ip[4] = { 198, 18, 0, 1 };
	fdt32_t members[4];
	int i;

	FDT_OK(fdt_create(buf, BLOB_SIZE));
	FDT_OK(fdt_finish_reservemap(buf));
	FDT_OK(fdt_begin_node(buf, ""));

	FDT_OK(fdt_begin_node(buf, "cards"));
	FDT_OK(fdt_property_u32(buf, "#address-cells", t->address_cells));
	FDT_OK(fdt_property_u32(buf, "#size-cells", 0));
	for (i = 0; i < t->n_cards; i++) {
		const struct card_spec *c = &t->cards[i];

		FDT_OK(fdt_begin_node(buf, c->name));
		if (c->compatible)
			FDT_OK(fdt_property_string(buf, "compatible", c->compatible));
		if (c->reg >= 0) {
			fdt32_t reg[2] = { cpu_to_fdt32(0), cpu_to_fdt32((uint32_t)c->reg) };
			int len = c->reg_len ? c->reg_len : 4;

			FDT_OK(fdt_property(buf, "reg", len == 8 ? reg : &reg[1], len));
		}
		if (c->backend)
			FDT_OK(fdt_property_string(buf, "teamtoe,backend", c->backend));
		if (c->slots)
			FDT_OK(fdt_property_u32(buf, "teamtoe,connection-slots", c->slots));
		if (c->status)
			FDT_OK(fdt_property_string(buf, "status", c->status));
		FDT_OK(fdt_property_u32(buf, "phandle", c->phandle));
		FDT_OK(fdt_end_node(buf));
	}
	FDT_OK(fdt_end_node(buf));

	FDT_OK(fdt_begin_node(buf, "other"));
	FDT_OK(fdt_property_string(buf, "compatible", "vendor,other"));
	FDT_OK(fdt_property_u32(buf, "phandle", PH_OTHER));
	FDT_OK(fdt_end_node(buf));

	FDT_OK(fdt_begin_node(buf, "team"));
	FDT_OK(fdt_property_string(buf, "compatible", "teamtoe,team"));
	if (t->mac_len >= 0)
		FDT_OK(fdt_property(buf, "local-mac-address", t->mac, t->mac_len));
	if (t->ip_len >= 0)
		FDT_OK(fdt_property(buf, "teamtoe,ipv4-address", ip, t->ip_len));
	if (t->n_members >= 0) {
		for (i = 0; i < t->n_members; i++)
			members[i] = cpu_to_fdt32(t->members[i]);
		FDT_OK(fdt_property(buf, "teamtoe,members", members,
				    t->n_members * 4));
	}
	if (t->policy)
		FDT_OK(fdt_property_string(buf, "teamtoe,offload-policy", t->policy));
	if (t->extra_prop)
		FDT_OK(fdt_property(buf, t->extra_prop, t->extra_val, t->extra_len));
	FDT_OK(fdt_end_node(buf));

	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_finish(buf));
	return fdt_totalsize(buf);
}

/* Build, parse, expect failure; the message must contain every needle. */
static void expect_fail(const struct tree_spec *t, ...)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tt_team_config cfg;
	char err[ERR_LEN];
	const char *needle;
	size_t len;
	va_list ap;
	int r;

	len = spec_build(t, blob);
	r = tt_team_config_parse(blob, len, &cfg, err, sizeof(err));
	print_message("# %s\n", err);
	assert_int_equal(r, TT_EINVAL);
	va_start(ap, t);
	while ((needle = va_arg(ap, const char *)) != NULL) {
		if (!strstr(err, needle))
			fail_msg("message \"%s\" lacks \"%s\"", err, needle);
	}
	va_end(ap);
}

/* ------------------------------------------------------------ good trees */

static void check_good_team(const struct tt_team_config *cfg)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };

	assert_memory_equal(cfg->mac, mac, 6);
	assert_int_equal(cfg->ipv4, 0xc6120001u); /* 198.18.0.1 */
	assert_string_equal(cfg->path, "/team");
}

/* Compile host/dts/<name> with dtc and parse it. */
static int parse_example(const char *name, struct tt_team_config *cfg)
{
	static uint8_t blob[1 << 16];
	char dir[1024], cmd[2200], path[1100], err[ERR_LEN];
	const char *env = getenv("TEAMTOE_SRCDIR");
	const char *slash;
	size_t len;
	FILE *f;
	int r;

	/* The source tree: $TEAMTOE_SRCDIR, the current directory, or two
	 * levels above build/tests/test_config. */
	snprintf(path, sizeof(path), "%s/host/dts/%s", env ? env : ".", name);
	if (access(path, R_OK) != 0) {
		slash = strrchr(argv0, '/');
		snprintf(dir, sizeof(dir), "%.*s",
			 slash ? (int)(slash - argv0) : 1, slash ? argv0 : ".");
		snprintf(path, sizeof(path), "%s/../../host/dts/%s", dir, name);
	}
	if (access(path, R_OK) != 0) {
		print_message("# %s not found (set TEAMTOE_SRCDIR)\n", name);
		return -1;
	}
	if (system("command -v dtc >/dev/null 2>&1") != 0) {
		print_message("# dtc not installed\n");
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o - '%s'", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	len = fread(blob, 1, sizeof(blob), f);
	assert_int_equal(pclose(f), 0);
	r = tt_team_config_parse(blob, len, cfg, err, sizeof(err));
	if (r)
		fail_msg("%s: %s", path, err);
	return 0;
}

static void test_example_2rtl(void **state)
{
	struct tt_team_config cfg;
	unsigned int i;

	(void)state;
	if (parse_example("team-2rtl.dts", &cfg))
		skip();
	check_good_team(&cfg);
	assert_int_equal(cfg.n_cards, 2);
	assert_int_equal(cfg.max_conns, 2048);
	assert_int_equal(cfg.policy, TT_POLICY_LEAST_LOADED);
	for (i = 0; i < 2; i++) {
		assert_int_equal(cfg.cards[i].id, i);
		assert_string_equal(cfg.cards[i].backend, "rtl");
		assert_int_equal(cfg.cards[i].conn_slots, 1024);
		assert_true(cfg.cards[i].enabled);
	}
	assert_string_equal(cfg.cards[1].path, "/cards/card@1");
}

static void test_example_3model(void **state)
{
	struct tt_team_config cfg;
	unsigned int i;

	(void)state;
	if (parse_example("team-3model.dts", &cfg))
		skip();
	check_good_team(&cfg);
	assert_int_equal(cfg.n_cards, 3);
	assert_int_equal(cfg.max_conns, TT_TEAM_DEF_MAX_CONNS);
	assert_int_equal(cfg.policy, TT_POLICY_FIRST);
	for (i = 0; i < 3; i++) {
		assert_int_equal(cfg.cards[i].id, i);
		assert_string_equal(cfg.cards[i].backend, "model");
		assert_true(cfg.cards[i].enabled);
	}
	assert_int_equal(cfg.cards[0].conn_slots, 1024);
	assert_int_equal(cfg.cards[2].conn_slots, 16384);
}

static void test_example_mixed(void **state)
{
	struct tt_team_config cfg;

	(void)state;
	if (parse_example("team-mixed.dts", &cfg))
		skip();
	check_good_team(&cfg);
	assert_int_equal(cfg.n_cards, 2);
	assert_string_equal(cfg.cards[0].backend, "rtl");
	assert_string_equal(cfg.cards[1].backend, "model");
}

static void test_built_defaults(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tt_team_config cfg;
	struct tree_spec t;
	char err[ERR_LEN];
	size_t len;

	(void)state;
	spec_default(&t);
	t.cards[0].status = "ok";
	t.cards[1].status = "disabled";
	t.cards[1].slots = 65536;
	t.cards[1].backend = "model";
	len = spec_build(&t, blob);
	assert_int_equal(tt_team_config_parse(blob, len, &cfg, err, sizeof(err)), 0);
	check_good_team(&cfg);
	assert_int_equal(cfg.max_conns, 65536);
	assert_int_equal(cfg.policy, TT_POLICY_LEAST_LOADED);
	assert_int_equal(cfg.dos_threshold_pps, 10000);
	assert_int_equal(cfg.dos_syn_threshold_pps, 1000);
	assert_int_equal(cfg.dos_cooldown_ms, 10000);
	assert_int_equal(cfg.n_cards, 2);
	assert_int_equal(cfg.cards[0].conn_slots, 1024);
	assert_true(cfg.cards[0].enabled);
	assert_false(cfg.cards[1].enabled);      /* kept, not enabled */
	assert_int_equal(cfg.cards[1].conn_slots, 65536);
	assert_string_equal(cfg.cards[1].backend, "model");
}

/* Members are kept in the order the team lists them. */
static void test_member_order(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tt_team_config cfg;
	struct tree_spec t;
	char err[ERR_LEN];

	(void)state;
	spec_default(&t);
	t.members[0] = PH_CARD1;
	t.members[1] = PH_CARD0;
	t.policy = "first";
	assert_int_equal(tt_team_config_parse(blob, spec_build(&t, blob), &cfg,
					      err, sizeof(err)), 0);
	assert_int_equal(cfg.cards[0].id, 1);
	assert_int_equal(cfg.cards[1].id, 0);
	assert_int_equal(cfg.policy, TT_POLICY_FIRST);
}

/* ------------------------------------------------------------ team node */

static void test_mac_missing(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.mac_len = -1;
	expect_fail(&t, "/team: local-mac-address: ", "missing", NULL);
}

static void test_mac_5_bytes(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.mac_len = 5;
	expect_fail(&t, "/team: local-mac-address: ", "5 bytes", NULL);
}

static void test_mac_multicast(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.mac[0] = 0x03;
	expect_fail(&t, "/team: local-mac-address: ", "multicast", NULL);
}

static void test_ipv4_missing(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.ip_len = -1;
	expect_fail(&t, "/team: teamtoe,ipv4-address: ", "missing", NULL);
}

static void test_ipv4_wrong_length(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.ip_len = 3;
	expect_fail(&t, "/team: teamtoe,ipv4-address: ", "3 bytes", NULL);
}

static void test_members_missing(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.n_members = -1;
	expect_fail(&t, "/team: teamtoe,members: ", "missing", NULL);
}

static void test_members_empty(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.n_members = 0;
	expect_fail(&t, "/team: teamtoe,members: ", "at least one", NULL);
}

static void test_member_not_a_card(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.members[1] = PH_OTHER;
	expect_fail(&t, "/team: teamtoe,members: ", "/other",
		    "not a teamtoe,card", NULL);
}

static void test_member_dangling_phandle(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.members[1] = 0x77;
	expect_fail(&t, "/team: teamtoe,members: ", "0x77", "no node", NULL);
}

static void test_member_repeated(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.members[1] = PH_CARD0;
	expect_fail(&t, "/team: teamtoe,members: ", "repeats", NULL);
}

static void test_members_all_disabled(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[0].status = "disabled";
	t.cards[1].status = "disabled";
	expect_fail(&t, "/team: teamtoe,members: ", "okay", NULL);
}

static void test_policy_unknown(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.policy = "random";
	expect_fail(&t, "/team: teamtoe,offload-policy: ", "\"random\"", NULL);
}

/* One big-endian u32 cell (or `len` bytes of it) as the extra property. */
static void spec_extra_u32(struct tree_spec *t, const char *prop, uint32_t v,
			   int len)
{
	t->extra_prop = prop;
	memset(t->extra_val, 0, sizeof(t->extra_val));
	t->extra_val[0] = (uint8_t)(v >> 24);
	t->extra_val[1] = (uint8_t)(v >> 16);
	t->extra_val[2] = (uint8_t)(v >> 8);
	t->extra_val[3] = (uint8_t)v;
	t->extra_len = len;
}

static void test_dos_props_read(void **state)
{
	static const char *const props[] = {
		"teamtoe,dos-threshold-pps", "teamtoe,dos-syn-threshold-pps",
		"teamtoe,dos-cooldown-ms",
	};
	static uint64_t blob[BLOB_SIZE / 8];
	struct tt_team_config cfg;
	struct tree_spec t;
	char err[ERR_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		spec_default(&t);
		spec_extra_u32(&t, props[i], 1234 + i, 4);
		if (tt_team_config_parse(blob, spec_build(&t, blob), &cfg, err,
					 sizeof(err)))
			fail_msg("%s: %s", props[i], err);
		assert_int_equal(cfg.dos_threshold_pps, i == 0 ? 1234 : 10000);
		assert_int_equal(cfg.dos_syn_threshold_pps, i == 1 ? 1235 : 1000);
		assert_int_equal(cfg.dos_cooldown_ms, i == 2 ? 1236 : 10000);
	}
}

static void test_dos_threshold_wrong_length(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	spec_extra_u32(&t, "teamtoe,dos-threshold-pps", 100, 8);
	expect_fail(&t, "/team: teamtoe,dos-threshold-pps: ", "8 bytes", NULL);
	spec_extra_u32(&t, "teamtoe,dos-syn-threshold-pps", 100, 2);
	expect_fail(&t, "/team: teamtoe,dos-syn-threshold-pps: ", "2 bytes", NULL);
	spec_extra_u32(&t, "teamtoe,dos-cooldown-ms", 100, 0);
	expect_fail(&t, "/team: teamtoe,dos-cooldown-ms: ", "0 bytes", NULL);
}

static void test_dos_out_of_range(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	spec_extra_u32(&t, "teamtoe,dos-threshold-pps", 0, 4);
	expect_fail(&t, "/team: teamtoe,dos-threshold-pps: ", "out of range", NULL);
	spec_extra_u32(&t, "teamtoe,dos-cooldown-ms", 1u << 30, 4);
	expect_fail(&t, "/team: teamtoe,dos-cooldown-ms: ", "1073741824", NULL);
}

/* ------------------------------------------------------------ card nodes */

static void test_backend_unknown(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].backend = "fpga";
	expect_fail(&t, "/cards/card@1: teamtoe,backend: unknown backend \"fpga\" (expected rtl or model)",
		    NULL);
}

static void test_backend_missing(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[0].backend = NULL;
	expect_fail(&t, "/cards/card@0: teamtoe,backend: ", "missing", NULL);
}

static void test_reg_duplicate(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].reg = 0;
	expect_fail(&t, "/cards/card@", ": reg: ", "duplicate card id 0", NULL);
}

/* A duplicate id also counts against a sibling card that is no member. */
static void test_reg_duplicate_non_member(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.n_members = 1;
	t.cards[1].reg = 0;
	expect_fail(&t, "/cards/card@0: reg: ", "also /cards/card@1", NULL);
}

static void test_reg_missing(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].reg = -1;
	expect_fail(&t, "/cards/card@1: reg: ", "missing", NULL);
}

static void test_reg_two_cells(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].reg_len = 8;
	expect_fail(&t, "/cards/card@1: reg: ", "8 bytes", NULL);
}

static void test_address_cells_wrong(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.address_cells = 2;
	expect_fail(&t, "/cards: #address-cells: ", "expected 1", NULL);
}

static void test_status_bad(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].status = "broken";
	expect_fail(&t, "/cards/card@1: status: ", "\"broken\"", NULL);
}

static void test_slots_not_power_of_two(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[0].slots = 1000;
	expect_fail(&t, "/cards/card@0: teamtoe,connection-slots: ", "1000",
		    "must be a power of two", NULL);
}

static void test_slots_too_small(void **state)
{
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	t.cards[1].slots = 8;
	expect_fail(&t, "/cards/card@1: teamtoe,connection-slots: ", "16..65536",
		    NULL);
}

/* ------------------------------------------------------------ bad blobs */

static void expect_blob_fail(const void *blob, size_t len, const char *needle)
{
	struct tt_team_config cfg;
	char err[ERR_LEN];
	int r;

	r = tt_team_config_parse(blob, len, &cfg, err, sizeof(err));
	print_message("# %s\n", err);
	assert_int_equal(r, TT_EINVAL);
	if (!strstr(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void test_blob_garbage(void **state)
{
	uint8_t junk[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	expect_blob_fail(junk, sizeof(junk), "not a valid device tree blob");
	expect_blob_fail(NULL, 0, "no device tree blob");
}

static void test_blob_shorter_than_header(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tree_spec t;

	(void)state;
	spec_default(&t);
	spec_build(&t, blob);
	expect_blob_fail(blob, 20, "shorter than the");
}

static void test_blob_truncated(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tree_spec t;
	size_t len;

	(void)state;
	spec_default(&t);
	len = spec_build(&t, blob);
	expect_blob_fail(blob, len - 16, "totalsize");
}

static void test_blob_totalsize_too_big(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tree_spec t;
	size_t len;

	(void)state;
	spec_default(&t);
	len = spec_build(&t, blob);
	fdt_set_totalsize(blob, (uint32_t)len + 4096);
	expect_blob_fail(blob, len, "totalsize");
}

/* A legacy version: libfdt 1.6's fdt_check_full() crashed on the v9
 * blob of tests/fuzz/corpus/dtb/crash-v9-fdt-check-full. */
static void test_blob_old_version(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tree_spec t;
	size_t len;

	(void)state;
	spec_default(&t);
	len = spec_build(&t, blob);
	fdt_set_version(blob, 16);
	expect_blob_fail(blob, len, "version 16, expected 17");
}

/* A header that is fine over a structure block that is not. */
static void test_blob_corrupt_structure(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tree_spec t;
	uint8_t *p = (uint8_t *)blob;
	size_t len;

	(void)state;
	spec_default(&t);
	len = spec_build(&t, blob);
	/* first token of the structure block: FDT_BEGIN_NODE -> 0x55 */
	p[fdt_off_dt_struct(blob) + 3] = 0x55;
	expect_blob_fail(blob, len, "device tree");
}

/* Random corruption must give either a configuration or a message, never
 * a crash (run under ASan/valgrind to make "never" stronger). */
static void test_blob_fuzz(void **state)
{
	static uint64_t good[BLOB_SIZE / 8], blob[BLOB_SIZE / 8];
	unsigned int seed = (unsigned int)testenv_u64("TT_SEED", 12345u);
	struct tt_team_config cfg;
	struct tree_spec t;
	char err[ERR_LEN];
	size_t len;
	int i, k, fails = 0;

	(void)state;
	print_message("# seed %u (TT_SEED=%u to replay)\n", seed, seed);
	srand(seed);
	spec_default(&t);
	len = spec_build(&t, good);
	for (i = 0; i < 5000; i++) {
		memcpy(blob, good, len);
		for (k = 0; k < 1 + rand() % 4; k++)
			((uint8_t *)blob)[(size_t)rand() % len] = (uint8_t)rand();
		err[0] = 'x';
		if (tt_team_config_parse(blob, len, &cfg, err, sizeof(err)) < 0) {
			assert_true(strlen(err) > 0 && strlen(err) < sizeof(err));
			fails++;
		}
	}
	print_message("# %d of 5000 corrupted blobs rejected\n", fails);
}

/* ------------------------------------------------------------ files, open */

static void test_load_file(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	char path[] = "/tmp/test_config_XXXXXX";
	struct tt_team_config cfg;
	struct tree_spec t;
	char err[ERR_LEN];
	size_t len;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	spec_default(&t);
	t.cards[1].backend = "fpga";
	len = spec_build(&t, blob);
	assert_int_equal(fwrite(blob, 1, len, f), len);
	fclose(f);

	assert_int_equal(tt_team_config_load(path, &cfg, err, sizeof(err)), TT_EINVAL);
	print_message("# %s\n", err);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, ": /cards/card@1: teamtoe,backend: "));

	unlink(path);
	assert_true(tt_team_config_load(path, &cfg, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
}

/* The enabled members become cards programmed with the team's identity;
 * a disabled member stays in the configuration only. */
static void test_open_programs_cards(void **state)
{
	static uint64_t blob[BLOB_SIZE / 8];
	struct tt_team_config cfg;
	struct tt_team *team;
	struct tree_spec t;
	char err[ERR_LEN];
	uint32_t v;

	(void)state;
	spec_default(&t);
	spec_default(&t);
	t.n_cards = 3;
	t.cards[0].backend = "model";
	t.cards[0].status = "disabled";
	t.cards[1].backend = "model";
	t.cards[2] = (struct card_spec){
		.name = "card@7", .compatible = "teamtoe,card", .reg = 7,
		.backend = "model", .phandle = 3, .slots = 16,
	};
	t.members[2] = 3;
	t.n_members = 3;
	assert_int_equal(tt_team_config_parse(blob, spec_build(&t, blob), &cfg,
					      err, sizeof(err)), 0);
	if (tt_team_open(&cfg, &team, err, sizeof(err)) != 0)
		fail_msg("tt_team_open: %s", err);
	assert_int_equal(team->n_members, 2);
	assert_int_equal(team->members[0].cfg->id, 1);
	assert_int_equal(team->members[1].cfg->id, 7);
	assert_ptr_equal(tt_team_member_by_id(team, 7), &team->members[1]);
	assert_null(tt_team_member_by_id(team, 0));

	assert_int_equal(tt_card_reg_read(team->members[1].card, TT_REG_MAC_HI, &v), 0);
	assert_int_equal(v, 0x0200);
	assert_int_equal(tt_card_reg_read(team->members[1].card, TT_REG_MAC_LO, &v), 0);
	assert_int_equal(v, 0xc6120001u);
	assert_int_equal(tt_card_reg_read(team->members[1].card, TT_REG_IPV4, &v), 0);
	assert_int_equal(v, 0xc6120001u);
	assert_int_equal(tt_card_reg_read(team->members[1].card, TT_REG_CARD_ID, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(tt_card_reg_read(team->members[0].card, TT_REG_CARD_ID, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(tt_card_reg_read(team->members[0].card, TT_REG_CTRL, &v), 0);
	assert_int_equal(v & 1, 1);
	tt_team_close(team);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_2rtl),
		cmocka_unit_test(test_example_3model),
		cmocka_unit_test(test_example_mixed),
		cmocka_unit_test(test_built_defaults),
		cmocka_unit_test(test_member_order),
		cmocka_unit_test(test_dos_props_read),
		cmocka_unit_test(test_dos_threshold_wrong_length),
		cmocka_unit_test(test_dos_out_of_range),
		cmocka_unit_test(test_mac_missing),
		cmocka_unit_test(test_mac_5_bytes),
		cmocka_unit_test(test_mac_multicast),
		cmocka_unit_test(test_ipv4_missing),
		cmocka_unit_test(test_ipv4_wrong_length),
		cmocka_unit_test(test_members_missing),
		cmocka_unit_test(test_members_empty),
		cmocka_unit_test(test_member_not_a_card),
		cmocka_unit_test(test_member_dangling_phandle),
		cmocka_unit_test(test_member_repeated),
		cmocka_unit_test(test_members_all_disabled),
		cmocka_unit_test(test_policy_unknown),
		cmocka_unit_test(test_backend_unknown),
		cmocka_unit_test(test_backend_missing),
		cmocka_unit_test(test_reg_duplicate),
		cmocka_unit_test(test_reg_duplicate_non_member),
		cmocka_unit_test(test_reg_missing),
		cmocka_unit_test(test_reg_two_cells),
		cmocka_unit_test(test_address_cells_wrong),
		cmocka_unit_test(test_status_bad),
		cmocka_unit_test(test_slots_not_power_of_two),
		cmocka_unit_test(test_slots_too_small),
		cmocka_unit_test(test_blob_garbage),
		cmocka_unit_test(test_blob_shorter_than_header),
		cmocka_unit_test(test_blob_truncated),
		cmocka_unit_test(test_blob_totalsize_too_big),
		cmocka_unit_test(test_blob_old_version),
		cmocka_unit_test(test_blob_corrupt_structure),
		cmocka_unit_test(test_blob_fuzz),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_open_programs_cards),
	};

	(void)argc;
	if (argv[0])
		argv0 = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
