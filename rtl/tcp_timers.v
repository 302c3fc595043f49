// SPDX-License-Identifier: MIT
/*
 * Timer stage of an offloaded connection: the twin of
 * sw-model/tcp_timers.c (card revision 1.3). One operation per cycle:
 *
 *   s_op      C function       what
 *   --------  ---------------  -------------------------------------------
 *   OP_TICK   tcp_timer_tick   one timer tick: delayed ACK, then the
 *                              retransmission or persist timer
 *   OP_ACK    tcp_timer_ack    an ACK of new data (after tcp_cc's new-ACK
 *                              rule): restart or stop the timer, end
 *                              backoff and persist
 *
 * TICK, in the C function's order (flags are CTXF_*):
 *   delayed ACK   ACK_PENDING clear: DELACK clear; ACK_PENDING and DELACK:
 *                 both clear, m_send_ack; ACK_PENDING alone: DELACK set
 *   timer != 0    RUNNING, count down; reaching 0 is an expiry:
 *     PERSIST     window open or nothing to probe: PERSIST, PROBE clear,
 *                 PERSIST_END; else PROBE set, back off, PROBE_DUE
 *     otherwise   flight = tcp_out_high - snd_una; 0: STOPPED; window 0:
 *                 go back, PERSIST and PROBE set, back off, PROBE_DUE;
 *                 else ssthresh = max(flight/2, 2 MSS) if retries was 0,
 *                 cwnd = MSS, go back, back off (counting toward the
 *                 retry limit: m_rto_limit when retries reaches it), RTO,
 *                 m_retransmit at snd_una
 *   timer = 0     (now) data outstanding: PERSIST, PROBE clear, start at
 *                 the current timeout, STARTED; else window 0 and data
 *                 waiting: PERSIST set, PROBE clear, start, PERSIST_START
 *   go back = recover = tcp_out_high, snd_nxt = snd_una, dupacks = 0,
 *   RECOVERY clear; back off = retries + 1 (saturating at 255), timer =
 *   the timeout at the new retries.
 *
 * Outputs an operation does not define are zero (what, send_ack,
 * retransmit, seq, rto_limit) or the input unchanged (context fields).
 *
 * Pipeline: inputs taken in cycle A (s_valid), results registered outputs
 * in A+3 (m_valid); one operation per cycle. A computes tcp_out_high, the
 * count-down, the delayed ACK and the timeouts at the current and next
 * retry count, B the flight, C the ssthresh cut and the decision.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tcp_timers
(
    input  wire        clk,
    input  wire        rst,

    /* operation, configuration and context, cycle A */
    input  wire        s_valid,
    input  wire        s_op,           // OP_TICK 0, OP_ACK 1
    input  wire [7:0]  s_retry_limit,  // RTO_LIMIT when retries reaches it; 0 = never
    input  wire [7:0]  s_flags,
    input  wire [15:0] s_mss,
    input  wire [7:0]  s_retries,
    input  wire [31:0] s_snd_una,
    input  wire [31:0] s_snd_nxt,
    input  wire [31:0] s_snd_max,
    input  wire [31:0] s_recover,
    input  wire [31:0] s_cwnd,
    input  wire [31:0] s_ssthresh,
    input  wire [15:0] s_snd_wnd,
    input  wire [15:0] s_rto,
    input  wire [15:0] s_timer,
    input  wire [7:0]  s_dupacks,

    /* what happened, cycle A+3 */
    output wire        m_valid,
    output wire [2:0]  m_what,         // enum tcp_timer_what
    output wire        m_send_ack,     // the delayed ACK is due
    output wire        m_retransmit,   // went back: event RETRANS at m_seq
    output wire [31:0] m_seq,
    output wire        m_rto_limit,    // retries just reached the limit

    /* the context after the operation, cycle A+3 */
    output wire [7:0]  m_flags,
    output wire [7:0]  m_retries,
    output wire [31:0] m_snd_nxt,
    output wire [31:0] m_recover,
    output wire [31:0] m_cwnd,
    output wire [31:0] m_ssthresh,
    output wire [15:0] m_timer,
    output wire [7:0]  m_dupacks
);

/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

localparam OP_TICK = 1'b0;   // else OP_ACK

/* enum tcp_timer_what */
localparam [2:0] WHAT_STOPPED = 3'd0;
localparam [2:0] WHAT_RUNNING = 3'd1;
localparam [2:0] WHAT_STARTED = 3'd2;
localparam [2:0] WHAT_RTO = 3'd3;
localparam [2:0] WHAT_PERSIST_START = 3'd4;
localparam [2:0] WHAT_PROBE_DUE = 3'd5;
localparam [2:0] WHAT_PERSIST_END = 3'd6;

/* ---- stage A: high, count-down, delayed ACK, timeouts */
wire [7:0] a_retries_next = (s_retries == 8'hff) ? 8'hff : s_retries + 8'd1;

// RFC 1122 4.2.3.2: the second tick that sees an owed ACK sends it
reg [7:0] a_flags;
reg       a_send_ack;

always @* begin
    a_flags = s_flags;
    a_send_ack = 1'b0;
    if (!s_flags[CTXF_ACK_PENDING]) begin
        a_flags[CTXF_DELACK] = 1'b0;
    end else if (s_flags[CTXF_DELACK]) begin
        a_flags[CTXF_ACK_PENDING] = 1'b0;
        a_flags[CTXF_DELACK] = 1'b0;
        a_send_ack = 1'b1;
    end else begin
        a_flags[CTXF_DELACK] = 1'b1;
    end
end

reg        b_valid_reg = 1'b0;
reg        b_op_reg = 1'b0;
reg [7:0]  b_flags_reg = 8'd0;        // as the operation found them
reg [7:0]  b_flags_delack_reg = 8'd0; // after the delayed-ACK rule
reg        b_send_ack_reg = 1'b0;
reg [15:0] b_mss_reg = 16'd0;
reg [7:0]  b_retries_reg = 8'd0;
reg [7:0]  b_retries_next_reg = 8'd0;
reg        b_limit_hit_reg = 1'b0;    // retries + 1 is the retry limit
reg [15:0] b_rto_now_reg = 16'd0;     // timeout at retries
reg [15:0] b_rto_next_reg = 16'd0;    // timeout at retries + 1
reg [15:0] b_rto_base_reg = 16'd0;    // timeout at retry 0
reg        b_running_reg = 1'b0;      // timer != 0
reg        b_expires_reg = 1'b0;      // timer == 1
reg [15:0] b_timer_reg = 16'd0;
reg [15:0] b_timer_dec_reg = 16'd0;   // counted down
reg        b_wnd_zero_reg = 1'b0;
reg        b_data_waiting_reg = 1'b0; // seq_lt(snd_una, snd_max)
reg [31:0] b_high_reg = 32'd0;
reg [31:0] b_una_reg = 32'd0;
reg [31:0] b_nxt_reg = 32'd0;
reg [31:0] b_recover_reg = 32'd0;
reg [31:0] b_cwnd_reg = 32'd0;
reg [31:0] b_ssthresh_reg = 32'd0;
reg [7:0]  b_dupacks_reg = 8'd0;

always @(posedge clk) begin
    b_valid_reg <= s_valid;
    b_op_reg <= s_op;
    b_flags_reg <= s_flags;
    b_flags_delack_reg <= a_flags;
    b_send_ack_reg <= a_send_ack;
    b_mss_reg <= tcp_mss(s_mss);
    b_retries_reg <= s_retries;
    b_retries_next_reg <= a_retries_next;
    b_limit_hit_reg <= (s_retry_limit != 8'd0) && (a_retries_next == s_retry_limit);
    b_rto_now_reg <= tcp_timer_rto(s_rto, s_retries);
    b_rto_next_reg <= tcp_timer_rto(s_rto, a_retries_next);
    b_rto_base_reg <= tcp_timer_rto(s_rto, 8'd0);
    b_running_reg <= (s_timer != 16'd0);
    b_expires_reg <= (s_timer == 16'd1);
    b_timer_reg <= s_timer;
    b_timer_dec_reg <= s_timer - 16'd1;
    b_wnd_zero_reg <= (s_snd_wnd == 16'd0);
    b_data_waiting_reg <= seq_lt(s_snd_una, s_snd_max);
    b_high_reg <= tcp_out_high(s_snd_una, s_snd_nxt, s_snd_max, s_recover);
    b_una_reg <= s_snd_una;
    b_nxt_reg <= s_snd_nxt;
    b_recover_reg <= s_recover;
    b_cwnd_reg <= s_cwnd;
    b_ssthresh_reg <= s_ssthresh;
    b_dupacks_reg <= s_dupacks;

    if (rst) begin
        b_valid_reg <= 1'b0;
    end
end

/* ---- stage B: the flight */
wire [31:0] b_flight = b_high_reg - b_una_reg;
wire        unused_flight_lsb = b_flight[0];   // only flight / 2 is used

reg        c_valid_reg = 1'b0;
reg        c_op_reg = 1'b0;
reg [7:0]  c_flags_reg = 8'd0;
reg [7:0]  c_flags_delack_reg = 8'd0;
reg        c_send_ack_reg = 1'b0;
reg [15:0] c_mss_reg = 16'd0;
reg [7:0]  c_retries_reg = 8'd0;
reg [7:0]  c_retries_next_reg = 8'd0;
reg        c_limit_hit_reg = 1'b0;
reg [15:0] c_rto_now_reg = 16'd0;
reg [15:0] c_rto_next_reg = 16'd0;
reg [15:0] c_rto_base_reg = 16'd0;
reg        c_running_reg = 1'b0;
reg        c_expires_reg = 1'b0;
reg [15:0] c_timer_reg = 16'd0;
reg [15:0] c_timer_dec_reg = 16'd0;
reg        c_wnd_zero_reg = 1'b0;
reg        c_data_waiting_reg = 1'b0;
reg [30:0] c_half_flight_reg = 31'd0; // (tcp_out_high - snd_una) / 2
reg        c_in_flight_reg = 1'b0;    // tcp_out_high != snd_una
reg [31:0] c_high_reg = 32'd0;
reg [31:0] c_una_reg = 32'd0;
reg [31:0] c_nxt_reg = 32'd0;
reg [31:0] c_recover_reg = 32'd0;
reg [31:0] c_cwnd_reg = 32'd0;
reg [31:0] c_ssthresh_reg = 32'd0;
reg [7:0]  c_dupacks_reg = 8'd0;

always @(posedge clk) begin
    c_valid_reg <= b_valid_reg;
    c_op_reg <= b_op_reg;
    c_flags_reg <= b_flags_reg;
    c_flags_delack_reg <= b_flags_delack_reg;
    c_send_ack_reg <= b_send_ack_reg;
    c_mss_reg <= b_mss_reg;
    c_retries_reg <= b_retries_reg;
    c_retries_next_reg <= b_retries_next_reg;
    c_limit_hit_reg <= b_limit_hit_reg;
    c_rto_now_reg <= b_rto_now_reg;
    c_rto_next_reg <= b_rto_next_reg;
    c_rto_base_reg <= b_rto_base_reg;
    c_running_reg <= b_running_reg;
    c_expires_reg <= b_expires_reg;
    c_timer_reg <= b_timer_reg;
    c_timer_dec_reg <= b_timer_dec_reg;
    c_wnd_zero_reg <= b_wnd_zero_reg;
    c_data_waiting_reg <= b_data_waiting_reg;
    c_half_flight_reg <= b_flight[31:1];
    c_in_flight_reg <= (b_high_reg != b_una_reg);
    c_high_reg <= b_high_reg;
    c_una_reg <= b_una_reg;
    c_nxt_reg <= b_nxt_reg;
    c_recover_reg <= b_recover_reg;
    c_cwnd_reg <= b_cwnd_reg;
    c_ssthresh_reg <= b_ssthresh_reg;
    c_dupacks_reg <= b_dupacks_reg;

    if (rst) begin
        c_valid_reg <= 1'b0;
    end
end

/* ---- stage C: the decision, written in the C function's order */
// RFC 5681 3.1: ssthresh = max(FlightSize / 2, 2 * SMSS)
wire [31:0] c_half_flight = {1'b0, c_half_flight_reg};
wire [31:0] c_two_mss = {15'd0, c_mss_reg, 1'b0};
wire [31:0] c_ssthresh_cut = (c_half_flight > c_two_mss) ? c_half_flight : c_two_mss;

reg [2:0]  c_what;
reg        c_retransmit;
reg [31:0] c_seq;
reg        c_rto_limit;
reg [7:0]  c_flags;
reg [7:0]  c_retries;
reg [31:0] c_snd_nxt;
reg [31:0] c_recover;
reg [31:0] c_cwnd;
reg [31:0] c_ssthresh;
reg [15:0] c_timer;
reg [7:0]  c_dupacks;
reg        c_send_ack;

always @* begin
    c_what = WHAT_STOPPED;
    c_retransmit = 1'b0;
    c_seq = 32'd0;
    c_rto_limit = 1'b0;
    c_send_ack = 1'b0;
    c_flags = c_flags_reg;
    c_retries = c_retries_reg;
    c_snd_nxt = c_nxt_reg;
    c_recover = c_recover_reg;
    c_cwnd = c_cwnd_reg;
    c_ssthresh = c_ssthresh_reg;
    c_timer = c_timer_reg;
    c_dupacks = c_dupacks_reg;

    if (c_op_reg == OP_TICK) begin
        c_send_ack = c_send_ack_reg;
        c_flags = c_flags_delack_reg;
        if (c_running_reg) begin
            c_what = WHAT_RUNNING;
            c_timer = c_timer_dec_reg;
            if (c_expires_reg) begin
                if (c_flags_reg[CTXF_PERSIST]) begin
                    if (!c_wnd_zero_reg || !c_data_waiting_reg) begin
                        c_flags[CTXF_PERSIST] = 1'b0;
                        c_flags[CTXF_PROBE] = 1'b0;
                        c_what = WHAT_PERSIST_END;
                    end else begin
                        // a probe is owed; probes never count as retries
                        c_flags[CTXF_PROBE] = 1'b1;
                        c_retries = c_retries_next_reg;
                        c_timer = c_rto_next_reg;
                        c_what = WHAT_PROBE_DUE;
                    end
                end else if (!c_in_flight_reg) begin
                    c_what = WHAT_STOPPED;
                end else begin
                    // go back to snd_una (RFC 6582: recover = highest sent)
                    c_recover = c_high_reg;
                    c_snd_nxt = c_una_reg;
                    c_dupacks = 8'd0;
                    c_flags[CTXF_RECOVERY] = 1'b0;
                    c_retries = c_retries_next_reg;
                    c_timer = c_rto_next_reg;
                    if (c_wnd_zero_reg) begin
                        // the peer dropped what lay beyond its shut window
                        c_flags[CTXF_PERSIST] = 1'b1;
                        c_flags[CTXF_PROBE] = 1'b1;
                        c_what = WHAT_PROBE_DUE;
                    end else begin
                        // RFC 5681 3.1: ssthresh held on later expiries
                        if (c_retries_reg == 8'd0)
                            c_ssthresh = c_ssthresh_cut;
                        c_cwnd = {16'd0, c_mss_reg};
                        c_rto_limit = c_limit_hit_reg;
                        c_what = WHAT_RTO;
                        c_retransmit = 1'b1;
                        c_seq = c_una_reg;
                    end
                end
            end
        end
        // a stopped timer starts (the paths above that restart it leave
        // it non-zero; retries is unchanged wherever it is still zero)
        if (c_timer == 16'd0) begin
            if (c_in_flight_reg) begin
                c_flags[CTXF_PERSIST] = 1'b0;
                c_flags[CTXF_PROBE] = 1'b0;
                c_timer = c_rto_now_reg;
                c_what = WHAT_STARTED;
            end else if (c_wnd_zero_reg && c_data_waiting_reg) begin
                c_flags[CTXF_PERSIST] = 1'b1;
                c_flags[CTXF_PROBE] = 1'b0;
                c_timer = c_rto_now_reg;
                c_what = WHAT_PERSIST_START;
            end
        end
    end else begin
        // OP_ACK, RFC 6298 5.2, 5.3: stop when all is acknowledged, else restart
        c_retries = 8'd0;
        c_flags[CTXF_PERSIST] = 1'b0;
        c_flags[CTXF_PROBE] = 1'b0;
        c_timer = c_in_flight_reg ? c_rto_base_reg : 16'd0;
    end
end

reg        m_valid_reg = 1'b0;
reg [2:0]  m_what_reg = 3'd0;
reg        m_send_ack_reg = 1'b0;
reg        m_retransmit_reg = 1'b0;
reg [31:0] m_seq_reg = 32'd0;
reg        m_rto_limit_reg = 1'b0;
reg [7:0]  m_flags_reg = 8'd0;
reg [7:0]  m_retries_reg = 8'd0;
reg [31:0] m_snd_nxt_reg = 32'd0;
reg [31:0] m_recover_reg = 32'd0;
reg [31:0] m_cwnd_reg = 32'd0;
reg [31:0] m_ssthresh_reg = 32'd0;
reg [15:0] m_timer_reg = 16'd0;
reg [7:0]  m_dupacks_reg = 8'd0;

always @(posedge clk) begin
    m_valid_reg <= c_valid_reg;
    m_what_reg <= c_what;
    m_send_ack_reg <= c_send_ack;
    m_retransmit_reg <= c_retransmit;
    m_seq_reg <= c_seq;
    m_rto_limit_reg <= c_rto_limit;
    m_flags_reg <= c_flags;
    m_retries_reg <= c_retries;
    m_snd_nxt_reg <= c_snd_nxt;
    m_recover_reg <= c_recover;
    m_cwnd_reg <= c_cwnd;
    m_ssthresh_reg <= c_ssthresh;
    m_timer_reg <= c_timer;
    m_dupacks_reg <= c_dupacks;

    if (rst) begin
        m_valid_reg <= 1'b0;
    end
end

assign m_valid = m_valid_reg;
assign m_what = m_what_reg;
assign m_send_ack = m_send_ack_reg;
assign m_retransmit = m_retransmit_reg;
assign m_seq = m_seq_reg;
assign m_rto_limit = m_rto_limit_reg;
assign m_flags = m_flags_reg;
assign m_retries = m_retries_reg;
assign m_snd_nxt = m_snd_nxt_reg;
assign m_recover = m_recover_reg;
assign m_cwnd = m_cwnd_reg;
assign m_ssthresh = m_ssthresh_reg;
assign m_timer = m_timer_reg;
assign m_dupacks = m_dupacks_reg;

endmodule

`resetall
