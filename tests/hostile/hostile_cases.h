/* SPDX-License-Identifier: MIT */
/* The cases of the hostile catalogue, one cmocka test function each (see
 * hostile.h); test_hostile.c lists them. */
#ifndef TT_TEST_HOSTILE_CASES_H
#define TT_TEST_HOSTILE_CASES_H

/* malformed frames (cases_frame.c) */
void hostile_runt_frames(void **state);
void hostile_zero_length(void **state);
void hostile_oversize(void **state);
void hostile_max_jumbo(void **state);
void hostile_ip_length_beyond_frame(void **state);
void hostile_ip_length_below_header(void **state);
void hostile_ip_length_below_tcp(void **state);
void hostile_tcp_offset_below_5(void **state);
void hostile_tcp_offset_past_segment(void **state);
void hostile_bad_ip_header(void **state);
void hostile_bad_checksums(void **state);
void hostile_fragments(void **state);
void hostile_ip_options(void **state);
void hostile_not_for_us(void **state);
void hostile_not_ipv4(void **state);
void hostile_not_tcp(void **state);
void hostile_broadcast_tcp(void **state);
void hostile_garbage(void **state);
void hostile_exception_storm(void **state);
void hostile_host_tx_malformed(void **state);

/* connection table and context port (cases_ctx.c) */
void hostile_ctx_bad_version(void **state);
void hostile_ctx_bad_slots(void **state);
void hostile_ctx_duplicate_import(void **state);
void hostile_colliding_tuples(void **state);
void hostile_export_under_traffic(void **state);

/* TCP on offloaded connections (cases_tcp.c) */
void hostile_rst_in_window_inexact(void **state);
void hostile_rst_exact(void **state);
void hostile_duplicate_syn(void **state);
void hostile_fin_urg(void **state);
void hostile_no_ack_flag(void **state);
void hostile_ack_of_unsent_data(void **state);
void hostile_ack_far_away(void **state);
void hostile_old_and_future_segments(void **state);
void hostile_sequence_wrap(void **state);
void hostile_zero_window_forever(void **state);
void hostile_beyond_window(void **state);
void hostile_tiny_mss(void **state);
void hostile_overlap_different_bytes(void **state);
void hostile_dup_ack_flood(void **state);

/* the host runtime over a team (cases_host.c, hostenv) */
int hostile_host_setup_rtl(void **state);
int hostile_host_setup_model(void **state);
int hostile_host_teardown(void **state);
#define HOSTILE_HOST_CASE(fn) \
	{ #fn "/rtl", fn, hostile_host_setup_rtl, hostile_host_teardown, NULL }, \
	{ #fn "/model", fn, hostile_host_setup_model, hostile_host_teardown, NULL }
void hostile_syn_flood(void **state);
void hostile_spoofed_syn_flood(void **state);
void hostile_record_collisions(void **state);

#endif
