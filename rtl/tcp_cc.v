// SPDX-License-Identifier: MIT
/*
 * Congestion-control stage of an offloaded connection, NewReno: the twin
 * of sw-model/tcp_cc.c (card revision 1.3). One operation at a time:
 *
 *   s_op         C function        when
 *   -----------  ----------------  --------------------------------------
 *   OP_NEW_ACK   tcp_cc_new_ack    snd_una just advanced by s_acked
 *   OP_DUP_ACK   tcp_cc_dup_ack    a duplicate ACK was counted in dupacks
 *
 * NEW_ACK: snd_nxt catches up with snd_una if it lies behind (after a
 * go-back); then, in recovery, a full ACK (recover <= snd_una) leaves it
 * with cwnd = min(ssthresh, max(flight, MSS) + MSS), flight =
 * tcp_out_high - snd_una, and a partial ACK deflates cwnd by s_acked (adds
 * one MSS back if s_acked >= MSS, at least one MSS) and reports a
 * retransmission at snd_una if snd_nxt had to catch up; outside recovery,
 * slow start (cwnd < ssthresh) adds min(acked, MSS), congestion avoidance
 * adds max(1, MSS * acked / cwnd); cwnd at most 2^30. Last, a recovery
 * point that is not live moves to snd_una - 1.
 * DUP_ACK: window 0: dupacks = 0; in recovery: cwnd += MSS; not the third:
 * counted; recovery point live (a timeout's retransmissions): ignored;
 * else fast retransmit: ssthresh = max(flight / 2, 2 MSS), recover =
 * tcp_out_high, snd_nxt = snd_una, cwnd = ssthresh + 3 MSS, RECOVERY set.
 *
 * The division of congestion avoidance, MSS * acked / cwnd (48 by 32
 * bits), is a restoring divider, two quotient bits per cycle (a follow-up
 * of new data holds the context RAM while it divides, so its cycles are
 * the receive engine's): the remainder with the next two dividend bits
 * is compared with 1, 2 and 3 times the divisor at once (3 x divisor
 * registered when the division starts), so the cycle holds one
 * subtraction, as the one-bit step did, and not two in series. Only the quotient's low 31 bits are used: whether it reaches
 * 2^31 is read from the dividend's top 17 bits against the divisor
 * first, and any quotient that large (or cwnd >= 2^30) gives the cap
 * 2^30 anyway. The divider brings the dividend down from bit 31 (16
 * steps of two bits); when the quotient is below 2^31, bit 31 comes out
 * 0 and the remainder is what one bit per cycle from bit 30 would have.
 *
 * Handshake: an operation is taken when s_valid && s_ready; its result
 * is held on the m_* outputs while m_valid && !m_ready. Latency from the
 * cycle A the operation is taken to the first cycle m_valid is high:
 * A+5, or A+23 for congestion avoidance (16 divider cycles, then the sum
 * and the cap in a cycle each), A+24 - s when the divider skips s > 0
 * steps of leading zero digits (a cycle to load, 16 - s steps): s is 16
 * if MSS * acked < cwnd, else 12, 8 or 4 if MSS * acked >> 8, 16 or 24
 * is, else 0. s_ready is high when idle and in the
 * cycle a result is taken, so operations follow each other every 5
 * (23, 24 - s) cycles when m_ready stays high.
 *
 * Stages (registers): IN the operation; E1 the serial comparisons,
 * tcp_out_high both ways, the products MSS * acked in two 16 x 16 halves
 * (one DSP multiplier each); E2 the flights, the partial-ACK deflation,
 * the slow-start sum, the dividend; E3 the candidate windows; then the
 * divider and the new window from its quotient, if needed; then the
 * result. While an operation is in flight
 * every stage register holds still, so a later stage reads earlier stages
 * (and IN) directly instead of carrying copies along.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tcp_cc
(
    input  wire        clk,
    input  wire        rst,

    /* operation and context, taken when s_valid && s_ready */
    input  wire        s_valid,
    output wire        s_ready,
    input  wire        s_op,          // OP_NEW_ACK 0, OP_DUP_ACK 1
    input  wire [31:0] s_acked,       // NEW_ACK: bytes snd_una advanced by
    input  wire [7:0]  s_flags,
    input  wire [15:0] s_mss,
    input  wire [31:0] s_snd_una,
    input  wire [31:0] s_snd_nxt,
    input  wire [31:0] s_snd_max,
    input  wire [31:0] s_recover,
    input  wire [31:0] s_cwnd,
    input  wire [31:0] s_ssthresh,
    input  wire [15:0] s_snd_wnd,
    input  wire [7:0]  s_dupacks,

    /* result, held until m_ready */
    output wire        m_valid,
    input  wire        m_ready,
    output wire [3:0]  m_what,        // enum tcp_cc_what
    output wire        m_retransmit,  // snd_una goes out again: event RETRANS at m_seq
    output wire [31:0] m_seq,
    output wire [7:0]  m_flags,
    output wire [31:0] m_snd_nxt,
    output wire [31:0] m_recover,
    output wire [31:0] m_cwnd,
    output wire [31:0] m_ssthresh,
    output wire [7:0]  m_dupacks
);

/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

localparam OP_NEW_ACK = 1'b0;   // else OP_DUP_ACK

/* enum tcp_cc_what */
localparam [3:0] WHAT_SLOW_START = 4'd1;
localparam [3:0] WHAT_AVOIDANCE = 4'd2;
localparam [3:0] WHAT_PARTIAL = 4'd3;
localparam [3:0] WHAT_FULL = 4'd4;
localparam [3:0] WHAT_DUP_COUNTED = 4'd5;
localparam [3:0] WHAT_FAST_RETRANSMIT = 4'd6;
localparam [3:0] WHAT_DUP_AFTER_RTO = 4'd7;
localparam [3:0] WHAT_INFLATE = 4'd8;
localparam [3:0] WHAT_DUP_ZERO_WINDOW = 4'd9;

/* cycles after the one an operation is taken in */
localparam [5:0] CNT_DIV_INIT = 6'd3;     // E2 holds the dividend
localparam [5:0] CNT_RESULT = 6'd4;       // E3 complete: result registered
localparam [5:0] DIV_STEPS = 6'd16;      // two quotient bits each
localparam [5:0] CNT_DIV_SUM = CNT_RESULT + DIV_STEPS;   // quotient complete
localparam [5:0] CNT_DIV_CAP = CNT_DIV_SUM + 6'd1;       // sum registered
localparam [5:0] CNT_RESULT_DIV = CNT_DIV_CAP + 6'd1;

localparam [1:0] STATE_IDLE = 2'd0;
localparam [1:0] STATE_RUN = 2'd1;
localparam [1:0] STATE_DONE = 2'd2;

reg [1:0] state_reg = STATE_IDLE, state_next;
reg [5:0] cnt_reg = 6'd0, cnt_next;

wire take = s_valid && s_ready;

/* ---- IN: the operation */
reg        in_op_reg = 1'b0;
reg [31:0] in_acked_reg = 32'd0;
reg [7:0]  in_flags_reg = 8'd0;
reg [15:0] in_mss_reg = 16'd0;       // tcp_mss(): never 0
reg [31:0] in_una_reg = 32'd0;
reg [31:0] in_nxt_reg = 32'd0;
reg [31:0] in_max_reg = 32'd0;
reg [31:0] in_rec_reg = 32'd0;
reg [31:0] in_cwnd_reg = 32'd0;
reg [31:0] in_ssthresh_reg = 32'd0;
reg        in_wnd_zero_reg = 1'b0;
reg [7:0]  in_dupacks_reg = 8'd0;

always @(posedge clk) begin
    if (take) begin
        in_op_reg <= s_op;
        in_acked_reg <= s_acked;
        in_flags_reg <= s_flags;
        in_mss_reg <= tcp_mss(s_mss);
        in_una_reg <= s_snd_una;
        in_nxt_reg <= s_snd_nxt;
        in_max_reg <= s_snd_max;
        in_rec_reg <= s_recover;
        in_cwnd_reg <= s_cwnd;
        in_ssthresh_reg <= s_ssthresh;
        in_wnd_zero_reg <= (s_snd_wnd == 16'd0);
        in_dupacks_reg <= s_dupacks;
    end
end

/* ---- E1: comparisons, tcp_out_high before and after the catch-up, products */
wire e1_caught_up = seq_lt(in_nxt_reg, in_una_reg);
wire e1_live = seq_leq(in_una_reg, in_rec_reg) && seq_leq(in_rec_reg, in_max_reg);
// tcp_out_high() once snd_nxt has caught up (it is then snd_una)
wire e1_ahead_new = e1_caught_up ? seq_lt(in_una_reg, in_rec_reg) : seq_lt(in_nxt_reg, in_rec_reg);
wire [31:0] e1_nxt_new = e1_caught_up ? in_una_reg : in_nxt_reg;

reg        e1_caught_up_reg = 1'b0;
reg        e1_live_reg = 1'b0;
reg        e1_full_reg = 1'b0;         // seq_leq(recover, snd_una)
reg [31:0] e1_nxt_new_reg = 32'd0;
reg [31:0] e1_high_new_reg = 32'd0;   // tcp_out_high after the catch-up
reg [31:0] e1_high_dup_reg = 32'd0;   // tcp_out_high as found (DUP_ACK)
reg        e1_cwnd_gt_acked_reg = 1'b0;
reg [31:0] e1_cwnd_less_acked_reg = 32'd0;
reg        e1_acked_ge_mss_reg = 1'b0;
reg        e1_slow_reg = 1'b0;         // cwnd < ssthresh
reg [32:0] e1_inflate_reg = 33'd0;     // cwnd + MSS
reg [31:0] e1_prod_lo_reg = 32'd0;     // MSS * acked[15:0]
reg [31:0] e1_prod_hi_reg = 32'd0;     // MSS * acked[31:16]
reg [31:0] e1_divisor_reg = 32'd1;     // cwnd, or 1 if it is 0
reg [31:0] e1_una_less1_reg = 32'd0;
reg [17:0] e1_three_mss_reg = 18'd0;
reg        e1_avoid_reg = 1'b0;        // the operation needs the divider

always @(posedge clk) begin
    e1_caught_up_reg <= e1_caught_up;
    e1_live_reg <= e1_live;
    e1_full_reg <= seq_leq(in_rec_reg, in_una_reg);
    e1_nxt_new_reg <= e1_nxt_new;
    e1_high_new_reg <= (e1_live && e1_ahead_new) ? in_rec_reg : e1_nxt_new;
    e1_high_dup_reg <= tcp_out_high(in_una_reg, in_nxt_reg, in_max_reg, in_rec_reg);
    e1_cwnd_gt_acked_reg <= (in_cwnd_reg > in_acked_reg);
    e1_cwnd_less_acked_reg <= in_cwnd_reg - in_acked_reg;
    e1_acked_ge_mss_reg <= (in_acked_reg >= {16'd0, in_mss_reg});
    e1_slow_reg <= (in_cwnd_reg < in_ssthresh_reg);
    e1_inflate_reg <= {1'b0, in_cwnd_reg} + {17'd0, in_mss_reg};
    e1_prod_lo_reg <= {16'd0, in_mss_reg} * {16'd0, in_acked_reg[15:0]};
    e1_prod_hi_reg <= {16'd0, in_mss_reg} * {16'd0, in_acked_reg[31:16]};
    e1_divisor_reg <= (in_cwnd_reg != 32'd0) ? in_cwnd_reg : 32'd1;
    e1_una_less1_reg <= in_una_reg - 32'd1;
    e1_three_mss_reg <= {2'd0, in_mss_reg} + {1'b0, in_mss_reg, 1'b0};
    e1_avoid_reg <= (in_op_reg == OP_NEW_ACK) && !in_flags_reg[CTXF_RECOVERY] &&
                    !(in_cwnd_reg < in_ssthresh_reg);
end

/* ---- E2: flights, partial-ACK deflation, slow-start sum, dividend */
reg [31:0] e2_flight_new_reg = 32'd0;
reg [31:0] e2_flight_dup_reg = 32'd0;
reg [31:0] e2_partial_reg = 32'd0;     // (cwnd - acked, or 0) + (MSS if acked >= MSS)
reg [32:0] e2_slow_sum_reg = 33'd0;    // cwnd + min(acked, MSS)
reg [31:0] e2_inflate_reg = 32'd0;     // capped
reg [31:0] e2_five_mss_reg = 32'd0;
reg [31:0] e2_fr_cap_at_reg = 32'd0;   // 2^30 + 1 - 3 MSS: from here ssthresh + 3 MSS is capped
reg [47:0] e2_dividend_reg = 48'd0;    // MSS * acked

always @(posedge clk) begin
    e2_flight_new_reg <= e1_high_new_reg - in_una_reg;
    e2_flight_dup_reg <= e1_high_dup_reg - in_una_reg;
    e2_partial_reg <= (e1_cwnd_gt_acked_reg ? e1_cwnd_less_acked_reg : 32'd0) +
                      (e1_acked_ge_mss_reg ? {16'd0, in_mss_reg} : 32'd0);
    e2_slow_sum_reg <= {1'b0, in_cwnd_reg} +
                       (e1_acked_ge_mss_reg ? {17'd0, in_mss_reg} : {1'b0, in_acked_reg});
    e2_inflate_reg <= tcp_cwnd_cap(e1_inflate_reg);
    e2_five_mss_reg <= {14'd0, e1_three_mss_reg} + {15'd0, in_mss_reg, 1'b0};
    e2_fr_cap_at_reg <= 32'h4000_0001 - {14'd0, e1_three_mss_reg};
    e2_dividend_reg <= {e1_prod_hi_reg, 16'd0} + {16'd0, e1_prod_lo_reg};
end

/* ---- E3: candidate windows */
wire [31:0] e3_two_mss = {15'd0, in_mss_reg, 1'b0};
wire [31:0] e3_half_flight_dup = {1'b0, e2_flight_dup_reg[31:1]};
wire        unused_flight_dup_lsb = e2_flight_dup_reg[0];   // only flight / 2 is used

reg [31:0] e3_full_cwnd_reg = 32'd0;      // max(flight, MSS) + MSS (32-bit wrap, as in C)
reg [31:0] e3_partial_cwnd_reg = 32'd0;   // at least MSS
reg [31:0] e3_slow_cwnd_reg = 32'd0;      // capped
reg [31:0] e3_fr_ssthresh_reg = 32'd0;    // max(flight / 2, 2 MSS)
reg [31:0] e3_fr_cwnd_reg = 32'd0;        // that + 3 MSS, capped

always @(posedge clk) begin
    e3_full_cwnd_reg <= (e2_flight_new_reg > {16'd0, in_mss_reg}) ?
                        e2_flight_new_reg + {16'd0, in_mss_reg} : e3_two_mss;
    e3_partial_cwnd_reg <= (e2_partial_reg > {16'd0, in_mss_reg}) ?
                           e2_partial_reg : {16'd0, in_mss_reg};
    e3_slow_cwnd_reg <= tcp_cwnd_cap(e2_slow_sum_reg);
    e3_fr_ssthresh_reg <= (e3_half_flight_dup > e3_two_mss) ? e3_half_flight_dup : e3_two_mss;
    // ssthresh + 3 MSS capped at 2^30: the sum and the cap test are
    // formed beside the comparison, so that only a mux follows them
    // (2 MSS + 3 MSS is far below the cap)
    if (e3_half_flight_dup <= e3_two_mss)
        e3_fr_cwnd_reg <= e2_five_mss_reg;
    else if (e3_half_flight_dup >= e2_fr_cap_at_reg)
        e3_fr_cwnd_reg <= 32'h4000_0000;
    else
        e3_fr_cwnd_reg <= e3_half_flight_dup + {14'd0, e1_three_mss_reg};
end

/* ---- divider: MSS * acked / cwnd, quotient bits 31..0 (30..0 kept) */
reg [31:0] div_rem_reg = 32'd0;     // partial remainder, < divisor
reg [31:0] div_low_reg = 32'd0;     // dividend bits not yet brought down
reg [30:0] div_quot_reg = 31'd0;
reg        div_over_reg = 1'b0;     // quotient >= 2^31
reg        div_some_reg = 1'b0;     // quotient != 0
reg [32:0] avoid_sum_reg = 33'd0;   // cwnd + max(1, quotient)
reg [31:0] avoid_cwnd_reg = 32'd0;  // capped

reg [33:0] div_d3_reg = 34'd0;      // 3 x divisor

// a radix-4 restoring step: r4 = 4 x remainder + two dividend bits is
// below 4 x divisor; the quotient digit is how many of 1, 2, 3 x divisor
// fit, the new remainder r4 minus that multiple (again below the divisor,
// so its low 32 bits are all of it)
wire [33:0] div_r4 = {div_rem_reg, div_low_reg[31:30]};
wire [34:0] div_s1 = {1'b0, div_r4} - {3'b0, e1_divisor_reg};
wire [34:0] div_s2 = {1'b0, div_r4} - {2'b0, e1_divisor_reg, 1'b0};
wire [34:0] div_s3 = {1'b0, div_r4} - {1'b0, div_d3_reg};
wire        div_ge1 = !div_s1[34];
wire        div_ge2 = !div_s2[34];
wire        div_ge3 = !div_s3[34];
wire [1:0]  div_digit = div_ge3 ? 2'd3 : div_ge2 ? 2'd2 : div_ge1 ? 2'd1 : 2'd0;
wire [31:0] div_rem_next = div_ge3 ? div_s3[31:0] : div_ge2 ? div_s2[31:0] :
                           div_ge1 ? div_s1[31:0] : div_r4[31:0];
wire        unused_div_hi = |{div_s1[33:32], div_s2[33:32], div_s3[33:32]};

// Leading zero digits are skipped four steps at a time: the first 4k
// digits are all zero when dividend >> (32 - 8k) < divisor, and then the
// remainder after them is dividend >> (32 - 8k) and the bits left are the
// dividend's low 32 - 8k. The comparisons are registered with the
// divider's start (CNT_DIV_INIT); in the first step's cycle a skip loads
// that state instead of stepping and the count jumps to the first step
// left, so skipping k steps saves k - 1 cycles: a small quotient (a large
// cwnd, the usual case in congestion avoidance) takes 4 steps or none
// instead of 16.
wire [47:0] div_dv = e2_dividend_reg;
wire [47:0] div_dr = {16'd0, e1_divisor_reg};
reg         div_skip16_reg = 1'b0;
reg         div_skip12_reg = 1'b0;
reg         div_skip8_reg = 1'b0;
reg         div_skip4_reg = 1'b0;
wire [5:0]  div_skip = div_skip16_reg ? 6'd16 : div_skip12_reg ? 6'd12 :
                       div_skip8_reg ? 6'd8 : div_skip4_reg ? 6'd4 : 6'd0;
wire        div_skip_now = (cnt_reg == CNT_DIV_INIT + 6'd1) && div_skip4_reg;

always @(posedge clk) begin
    if (cnt_reg == CNT_DIV_INIT) begin
        div_rem_reg <= {16'd0, e2_dividend_reg[47:32]};
        div_low_reg <= e2_dividend_reg[31:0];
        div_quot_reg <= 31'd0;
        div_d3_reg <= {2'd0, e1_divisor_reg} + {1'b0, e1_divisor_reg, 1'b0};
        div_over_reg <= ({15'd0, e2_dividend_reg[47:31]} >= e1_divisor_reg);
        div_some_reg <= 1'b0;
        div_skip16_reg <= (div_dv < div_dr);
        div_skip12_reg <= ({8'd0, div_dv[47:8]} < div_dr);
        div_skip8_reg <= ({16'd0, div_dv[47:16]} < div_dr);
        div_skip4_reg <= ({24'd0, div_dv[47:24]} < div_dr);
    end else if (div_skip_now) begin
        if (div_skip16_reg) begin
            div_rem_reg <= div_dv[31:0];
            div_low_reg <= 32'd0;
        end else if (div_skip12_reg) begin
            div_rem_reg <= div_dv[39:8];
            div_low_reg <= {div_dv[7:0], 24'd0};
        end else if (div_skip8_reg) begin
            div_rem_reg <= div_dv[47:16];
            div_low_reg <= {div_dv[15:0], 16'd0};
        end else begin
            div_rem_reg <= {8'd0, div_dv[47:24]};
            div_low_reg <= {div_dv[23:0], 8'd0};
        end
    end else if (state_reg == STATE_RUN && cnt_reg < CNT_DIV_SUM) begin
        // (if the quotient reaches 2^31, div_over_reg decides and the
        // steps' values do not matter)
        div_rem_reg <= div_rem_next;
        div_low_reg <= {div_low_reg[29:0], 2'b00};
        div_quot_reg <= {div_quot_reg[28:0], div_digit};
        div_some_reg <= div_some_reg || (div_digit != 2'd0);
    end
    if (cnt_reg == CNT_DIV_SUM)
        avoid_sum_reg <= {1'b0, in_cwnd_reg} + {2'd0, avoid_inc};
    if (cnt_reg == CNT_DIV_CAP)
        avoid_cwnd_reg <= tcp_cwnd_cap(avoid_sum_reg);
end

// RFC 5681 eq. 3 in bytes: cwnd += max(1, quotient), capped
wire [30:0] avoid_inc = div_over_reg ? 31'h7fff_ffff :
                        div_some_reg ? div_quot_reg : 31'd1;

/* ---- result, in the C functions' order */
reg [3:0]  r_what;
reg        r_retransmit;
reg [31:0] r_seq;
reg [7:0]  r_flags;
reg [31:0] r_snd_nxt;
reg [31:0] r_recover;
reg [31:0] r_cwnd;
reg [31:0] r_ssthresh;
reg [7:0]  r_dupacks;

always @* begin
    r_what = 4'd0;
    r_retransmit = 1'b0;
    r_seq = 32'd0;
    r_flags = in_flags_reg;
    r_snd_nxt = in_nxt_reg;
    r_recover = in_rec_reg;
    r_cwnd = in_cwnd_reg;
    r_ssthresh = in_ssthresh_reg;
    r_dupacks = in_dupacks_reg;

    if (in_op_reg == OP_NEW_ACK) begin
        r_snd_nxt = e1_nxt_new_reg;
        if (in_flags_reg[CTXF_RECOVERY]) begin
            if (e1_full_reg) begin
                // RFC 6582 3.2 step 3, the option that avoids a burst
                r_cwnd = (e3_full_cwnd_reg < in_ssthresh_reg) ? e3_full_cwnd_reg : in_ssthresh_reg;
                r_flags[CTXF_RECOVERY] = 1'b0;
                r_what = WHAT_FULL;
            end else begin
                // RFC 6582 3.2 step 5: deflate, the go-back resends
                r_cwnd = e3_partial_cwnd_reg;
                r_what = WHAT_PARTIAL;
                if (e1_caught_up_reg) begin
                    r_retransmit = 1'b1;
                    r_seq = in_una_reg;
                end
            end
        end else if (e1_slow_reg) begin
            r_cwnd = e3_slow_cwnd_reg;
            r_what = WHAT_SLOW_START;
        end else begin
            r_cwnd = avoid_cwnd_reg;
            r_what = WHAT_AVOIDANCE;
        end
        // a spent recovery point trails snd_una (never ahead by 2^31)
        if (!e1_live_reg)
            r_recover = e1_una_less1_reg;
    end else begin
        if (in_wnd_zero_reg) begin
            // duplicates under a zero window answer probes
            r_dupacks = 8'd0;
            r_what = WHAT_DUP_ZERO_WINDOW;
        end else if (in_flags_reg[CTXF_RECOVERY]) begin
            r_cwnd = e2_inflate_reg;
            r_what = WHAT_INFLATE;
        end else if (in_dupacks_reg != 8'd3) begin
            r_what = WHAT_DUP_COUNTED;
        end else if (e1_live_reg) begin
            // RFC 6582 3.2 step 1: likely a timeout's retransmissions
            r_what = WHAT_DUP_AFTER_RTO;
        end else begin
            // RFC 5681 3.2 fast retransmit, as a go-back-N
            r_ssthresh = e3_fr_ssthresh_reg;
            r_recover = e1_high_dup_reg;
            r_snd_nxt = in_una_reg;
            r_cwnd = e3_fr_cwnd_reg;
            r_flags[CTXF_RECOVERY] = 1'b1;
            r_what = WHAT_FAST_RETRANSMIT;
            r_retransmit = 1'b1;
            r_seq = in_una_reg;
        end
    end
end

/* ---- control */
wire result_now = (state_reg == STATE_RUN) &&
                  ((cnt_reg == CNT_RESULT && !e1_avoid_reg) || cnt_reg == CNT_RESULT_DIV);

always @* begin
    state_next = state_reg;
    cnt_next = cnt_reg;

    case (state_reg)
        STATE_RUN: begin
            cnt_next = cnt_reg + 6'd1;
            // the divider's steps of leading zero digits are skipped
            if (div_skip_now && e1_avoid_reg)
                cnt_next = CNT_DIV_INIT + 6'd1 + div_skip;
            if (result_now)
                state_next = STATE_DONE;
        end
        STATE_DONE: begin
            if (m_ready)
                state_next = STATE_IDLE;
        end
        default: ;
    endcase
    if (take) begin
        state_next = STATE_RUN;
        cnt_next = 6'd1;
    end
end

reg [3:0]  m_what_reg = 4'd0;
reg        m_retransmit_reg = 1'b0;
reg [31:0] m_seq_reg = 32'd0;
reg [7:0]  m_flags_reg = 8'd0;
reg [31:0] m_snd_nxt_reg = 32'd0;
reg [31:0] m_recover_reg = 32'd0;
reg [31:0] m_cwnd_reg = 32'd0;
reg [31:0] m_ssthresh_reg = 32'd0;
reg [7:0]  m_dupacks_reg = 8'd0;

always @(posedge clk) begin
    state_reg <= state_next;
    cnt_reg <= cnt_next;
    if (result_now) begin
        m_what_reg <= r_what;
        m_retransmit_reg <= r_retransmit;
        m_seq_reg <= r_seq;
        m_flags_reg <= r_flags;
        m_snd_nxt_reg <= r_snd_nxt;
        m_recover_reg <= r_recover;
        m_cwnd_reg <= r_cwnd;
        m_ssthresh_reg <= r_ssthresh;
        m_dupacks_reg <= r_dupacks;
    end

    if (rst) begin
        state_reg <= STATE_IDLE;
        cnt_reg <= 6'd0;
    end
end

assign s_ready = (state_reg == STATE_IDLE) || (state_reg == STATE_DONE && m_ready);
assign m_valid = (state_reg == STATE_DONE);
assign m_what = m_what_reg;
assign m_retransmit = m_retransmit_reg;
assign m_seq = m_seq_reg;
assign m_flags = m_flags_reg;
assign m_snd_nxt = m_snd_nxt_reg;
assign m_recover = m_recover_reg;
assign m_cwnd = m_cwnd_reg;
assign m_ssthresh = m_ssthresh_reg;
assign m_dupacks = m_dupacks_reg;

endmodule

`resetall
