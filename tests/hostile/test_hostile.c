/* SPDX-License-Identifier: MIT */
/*
 * The catalogue of hostile input, every case on an RTL card and on a model
 * card (hostile.h says how "healthy connections unaffected" is checked).
 *
 *   TT_SEED=n   replay a run (each case prints the seed it used)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hostile.h"
#include "hostile_cases.h"

int main(void)
{
	const struct CMUnitTest tests[] = {
		HOSTILE_CASE(hostile_runt_frames),
		HOSTILE_CASE(hostile_zero_length),
		HOSTILE_CASE(hostile_oversize),
		HOSTILE_CASE(hostile_max_jumbo),
		HOSTILE_CASE(hostile_ip_length_beyond_frame),
		HOSTILE_CASE(hostile_ip_length_below_header),
		HOSTILE_CASE(hostile_ip_length_below_tcp),
		HOSTILE_CASE(hostile_tcp_offset_below_5),
		HOSTILE_CASE(hostile_tcp_offset_past_segment),
		HOSTILE_CASE(hostile_bad_ip_header),
		HOSTILE_CASE(hostile_bad_checksums),
		HOSTILE_CASE(hostile_fragments),
		HOSTILE_CASE(hostile_ip_options),
		HOSTILE_CASE(hostile_not_for_us),
		HOSTILE_CASE(hostile_not_ipv4),
		HOSTILE_CASE(hostile_not_tcp),
		HOSTILE_CASE(hostile_broadcast_tcp),
		HOSTILE_CASE(hostile_garbage),
		HOSTILE_CASE(hostile_exception_storm),
		HOSTILE_CASE(hostile_host_tx_malformed),
		HOSTILE_CASE(hostile_ctx_bad_version),
		HOSTILE_CASE(hostile_ctx_bad_slots),
		HOSTILE_CASE(hostile_ctx_duplicate_import),
		HOSTILE_CASE(hostile_colliding_tuples),
		HOSTILE_CASE(hostile_export_under_traffic),
		HOSTILE_CASE(hostile_rst_in_window_inexact),
		HOSTILE_CASE(hostile_rst_exact),
		HOSTILE_CASE(hostile_duplicate_syn),
		HOSTILE_CASE(hostile_fin_urg),
		HOSTILE_CASE(hostile_no_ack_flag),
		HOSTILE_CASE(hostile_ack_of_unsent_data),
		HOSTILE_CASE(hostile_ack_far_away),
		HOSTILE_CASE(hostile_old_and_future_segments),
		HOSTILE_CASE(hostile_sequence_wrap),
		HOSTILE_CASE(hostile_zero_window_forever),
		HOSTILE_CASE(hostile_beyond_window),
		HOSTILE_CASE(hostile_tiny_mss),
		HOSTILE_CASE(hostile_overlap_different_bytes),
		HOSTILE_CASE(hostile_dup_ack_flood),
		HOSTILE_HOST_CASE(hostile_syn_flood),
		HOSTILE_HOST_CASE(hostile_spoofed_syn_flood),
		cmocka_unit_test(hostile_record_collisions),
	};

	return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
