/* SPDX-License-Identifier: MIT */
/*
 * The card interface, run against every backend: registers, the raw
 * transmit path, link events, an exception on the DMA write stream, and
 * the calls a later card revision adds answering "unsupported".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "testenv.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u

static int setup(void **state, const char *backend)
{
	*state = testenv_card(backend, team_mac, TEAM_IP, 3);
	return 0;
}
static int setup_rtl(void **state) { return setup(state, "rtl"); }
static int setup_model(void **state) { return setup(state, "model"); }
static int teardown(void **state)
{
	tt_card_free(*state);
	return 0;
}

static void run_until_idle(struct tt_card *c)
{
	for (int i = 0; i < 1000 && !tt_card_idle(c); i++)
		tt_card_step(c, 64);
	assert_true(tt_card_idle(c));
}

static void registers(void **state)
{
	struct tt_card *c = *state;
	uint32_t v = 0;

	assert_int_equal(tt_card_reg_read(c, TT_REG_ID, &v), TT_OK);
	assert_int_equal(v, TT_CARD_ID_VALUE);
	assert_int_equal(tt_card_reg_read(c, TT_REG_VERSION, &v), TT_OK);
	/* both backends are at defs.h's revision, 1.3 (ENGINE.md) */
	assert_int_equal(v, TT_CARD_VERSION);
	assert_int_equal(v, TT_CARD_VERSION_ENGINE_TX);
	assert_int_equal(tt_card_reg_read(c, TT_REG_CARD_ID, &v), TT_OK);
	assert_int_equal(v, 3);
	assert_int_equal(tt_card_reg_read(c, TT_REG_IPV4, &v), TT_OK);
	assert_int_equal(v, TEAM_IP);
	assert_int_equal(tt_card_reg_read(c, TT_REG_MAC_HI, &v), TT_OK);
	assert_int_equal(v, 0x0200);
	assert_int_equal(tt_card_reg_read(c, TT_REG_MAC_LO, &v), TT_OK);
	assert_int_equal(v, 0xc6120001u);
	assert_int_equal(tt_card_reg_read(c, TT_REG_STATUS, &v), TT_OK);
	assert_int_equal(v & 1, 1);
	assert_int_equal(tt_card_reg_write(c, TT_REG_TIMER_SCALE, 1234), TT_OK);
	assert_int_equal(tt_card_reg_read(c, TT_REG_TIMER_SCALE, &v), TT_OK);
	assert_int_equal(v, 1234);
	/* read-only and unmapped */
	assert_int_equal(tt_card_reg_write(c, TT_REG_ID, 0), TT_EINVAL);
	assert_int_equal(tt_card_reg_write(c, TT_REG_COUNTER_BASE, 5), TT_EINVAL);
	assert_int_equal(tt_card_reg_read(c, 0x0ffc, &v), TT_EINVAL);
	assert_int_equal(tt_card_reg_read(c, TT_REG_ID, &v), TT_OK);
	assert_int_equal(v, TT_CARD_ID_VALUE);
	assert_int_equal(tt_card_counter(c, TT_CNT_RX_FRAMES), 0);
}

static void host_frames_leave_unchanged(void **state)
{
	struct tt_card *c = *state;
	uint8_t f[1600], out[1600];
	size_t len = 0;
	int src = -1;

	for (unsigned n = 14; n < 1600; n += 97) {
		for (unsigned i = 0; i < n; i++)
			f[i] = (uint8_t)(i ^ n);
		assert_int_equal(tt_card_host_tx(c, f, n), TT_OK);
		run_until_idle(c);
		if (n & 1) {
			assert_int_equal(tt_card_net_tx(c, out, sizeof(out), &len), TT_OK);
		} else {
			/* the source tag says the host sent it */
			assert_int_equal(tt_card_net_tx_src(c, out, sizeof(out), &len,
							    &src), TT_OK);
			assert_int_equal(src, TT_TX_SRC_HOST);
		}
		assert_int_equal(len, n);
		assert_memory_equal(out, f, n);
	}
	assert_int_equal(tt_card_net_tx(c, out, sizeof(out), &len), TT_EAGAIN);
	assert_int_equal(tt_card_counter(c, TT_CNT_TX_FRAMES), 17);
	/* bad lengths are refused before they reach the card */
	assert_int_equal(tt_card_host_tx(c, f, 13), TT_EINVAL);
	assert_int_equal(tt_card_host_tx(c, f, TT_MAX_FRAME + 1), TT_EINVAL);
}

static void link_events_and_drops(void **state)
{
	struct tt_card *c = *state;
	struct tt_event ev;
	uint8_t f[64] = { 0 };

	while (tt_card_event(c, &ev) == TT_OK)
		; /* the link came up at setup */
	tt_card_set_link(c, 0);
	tt_card_step(c, 8);
	assert_int_equal(tt_card_event(c, &ev), TT_OK);
	assert_int_equal(ev.type, TT_EVT_LINK);
	assert_int_equal(ev.value, 0);
	assert_int_equal(ev.slot, TT_SLOT_NONE);
	assert_int_equal(tt_card_host_tx(c, f, sizeof(f)), TT_OK);
	assert_int_equal(tt_card_net_rx(c, f, sizeof(f)), TT_OK);
	run_until_idle(c);
	assert_int_equal(tt_card_counter(c, TT_CNT_TX_DROP_LINK_DOWN), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_DROP_LINK_DOWN), 1);
	tt_card_set_link(c, 1);
	tt_card_step(c, 8);
	assert_int_equal(tt_card_event(c, &ev), TT_OK);
	assert_int_equal(ev.value, 1);
	assert_int_equal(tt_card_event(c, &ev), TT_EAGAIN);
}

static void exception_to_host(void **state)
{
	struct tt_card *c = *state;
	uint8_t f[200], out[200];
	struct tt_dma_write d;
	struct fg_tcp t = { .src_ip = 0xc6120002u, .dst_ip = TEAM_IP,
			    .src_port = 1, .dst_port = 2, .flags = FG_TCP_SYN };
	size_t len;

	memcpy(t.dst_mac, team_mac, 6);
	len = fg_tcp_frame(f, &t);
	assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
	run_until_idle(c);
	assert_int_equal(tt_card_dma_write(c, &d, out, 10), TT_ETOOBIG);
	assert_int_equal(tt_card_dma_write(c, &d, out, sizeof(out)), TT_OK);
	assert_int_equal(d.kind, TT_DMA_EXCEPTION);
	assert_int_equal(d.reason, TT_EXC_NO_MATCH);
	assert_int_equal(d.len, len);
	assert_int_equal(d.slot, TT_SLOT_NONE);
	assert_memory_equal(out, f, len);
	assert_int_equal(tt_card_counter(c, TT_CNT_EXC_NO_MATCH), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_RX_BYTES), len);
}

static void later_revision_calls_unsupported(void **state)
{
	struct tt_card *c = *state;
	struct tt_dma_read_req r = { 0 };
	uint8_t data[8] = { 0 };

	uint32_t version = 0;

	assert_int_equal(tt_card_reg_read(c, TT_REG_VERSION, &version), TT_OK);
	if (version >= TT_CARD_VERSION_ENGINE_TX) {
		/* 1.3: nothing asked yet; bad slots refused clearly */
		assert_int_equal(tt_card_dma_read_req(c, &r), TT_EAGAIN);
		r.slot = 0xfffe;
		r.len = 8;
		assert_int_equal(tt_card_dma_read_resp(c, &r, data), TT_EINVAL);
		assert_int_equal(tt_card_doorbell(c, 0xfffe, 100), TT_EINVAL);
		return;
	}
	assert_int_equal(tt_card_dma_read_req(c, &r), TT_EUNSUPPORTED);
	assert_int_equal(tt_card_dma_read_resp(c, &r, data), TT_EUNSUPPORTED);
	assert_int_equal(tt_card_doorbell(c, 0, 100), TT_EUNSUPPORTED);
}

static void unknown_backend(void **state)
{
	(void)state;
	struct tt_card_params p = { .conn_slots = 1024 };
	int err = 0;

	assert_null(tt_card_new("fpga", &p, &err));
	assert_int_equal(err, TT_ENOBACKEND);
	assert_false(tt_card_backend_known("fpga"));
	assert_true(tt_card_backend_known("rtl"));
	assert_true(tt_card_backend_known("model"));
	/* the RTL card is what it was built as */
	p.conn_slots = 64;
	assert_null(tt_card_new("rtl", &p, &err));
	assert_int_equal(err, TT_EINVAL);
}

#define BOTH(fn) TESTENV_BOTH(fn, setup_rtl, setup_model, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(registers),
		BOTH(host_frames_leave_unchanged),
		BOTH(link_events_and_drops),
		BOTH(exception_to_host),
		BOTH(later_revision_calls_unsupported),
		cmocka_unit_test(unknown_backend),
	};

	return cmocka_run_group_tests_name("card_api", tests, NULL, NULL);
}
