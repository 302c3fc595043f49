// SPDX-License-Identifier: MIT
/*
 * Transmit stage of an offloaded connection: the twin of sw-model/tcp_out.c
 * (card revision 1.3). One operation per cycle, each a C function:
 *
 *   s_op        C function          result
 *   ----------  ------------------  --------------------------------------
 *   OP_NEXT     tcp_out_next        m_kind/limit/seq/len: the next segment
 *                                   (data, zero-window probe, or none and
 *                                   why); the context is unchanged
 *   OP_ACK      tcp_out_ack         m_kind = ACK, m_seq = tcp_out_high()
 *   OP_SENT     tcp_out_sent        the segment s_seg_* went out: m_flags,
 *                                   m_snd_nxt, m_retries, m_timer
 *   OP_DOORBELL tcp_out_doorbell    m_snd_max, m_db_moved (returned 1),
 *                                   m_db_ignored (returned -1)
 *
 * Outputs an operation does not define are zero (decision, doorbell
 * result) or the input unchanged (context fields), so every output can be
 * compared with the C model for every operation.
 *
 * NEXT, in the C function's order (seq_lt is serial arithmetic):
 *   snd_wnd = 0      -> PROBE at snd_una, 1 byte, if PROBE is owed and
 *                       seq_lt(snd_una, snd_max); else NONE, BY_PERSIST
 *   wnd    = snd_wnd << snd_wscale, cwnd' = max(cwnd, MSS)
 *   flight = snd_nxt - snd_una if seq_lt(snd_una, snd_nxt), else 0
 *   avail  = snd_max - snd_nxt if seq_lt(snd_nxt, snd_max), else 0
 *   flight >= wnd or >= cwnd' -> NONE, BY_WINDOW if wnd <= cwnd' else BY_CWND
 *   avail = 0        -> NONE, BY_DATA
 *   len = MSS (BY_MSS); avail < len: len = avail (BY_DATA);
 *   room = min(wnd, cwnd') - flight < len: len = room (BY_WINDOW / BY_CWND)
 *   -> DATA at snd_nxt, len
 *
 * Pipeline: inputs taken in cycle A (s_valid), results registered outputs
 * in A+3 (m_valid); one operation per cycle. A computes the differences
 * and the scaled windows (and all of SENT, DOORBELL and ACK), B the
 * comparisons and both candidate rooms, C the final cut and the decision.
 * Each stage has at most one 32-bit carry chain in front of a mux.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tcp_out
(
    input  wire        clk,
    input  wire        rst,

    /* operation and context, cycle A */
    input  wire        s_valid,
    input  wire [1:0]  s_op,          // OP_NEXT 0, OP_ACK 1, OP_SENT 2, OP_DOORBELL 3
    input  wire [7:0]  s_flags,
    input  wire [15:0] s_mss,
    input  wire [3:0]  s_snd_wscale,
    input  wire [7:0]  s_retries,
    input  wire [31:0] s_snd_una,
    input  wire [31:0] s_snd_nxt,
    input  wire [31:0] s_snd_max,
    input  wire [31:0] s_recover,
    input  wire [31:0] s_cwnd,
    input  wire [15:0] s_snd_wnd,
    input  wire [15:0] s_rto,
    input  wire [15:0] s_timer,

    /* OP_SENT: the segment that went out (from an earlier NEXT or ACK) */
    input  wire [1:0]  s_seg_kind,
    input  wire [31:0] s_seg_seq,
    input  wire [15:0] s_seg_len,

    /* OP_DOORBELL: the host's send buffer now ends at this sequence */
    input  wire [31:0] s_snd_end,

    /* decision (NEXT, ACK), cycle A+3 */
    output wire        m_valid,
    output wire [1:0]  m_kind,        // enum tcp_out_kind
    output wire [2:0]  m_limit,       // enum tcp_out_limit
    output wire [31:0] m_seq,
    output wire [15:0] m_len,

    /* doorbell result (DOORBELL), cycle A+3 */
    output wire        m_db_moved,
    output wire        m_db_ignored,

    /* the context after the operation, cycle A+3 */
    output wire [7:0]  m_flags,
    output wire [7:0]  m_retries,
    output wire [31:0] m_snd_nxt,
    output wire [31:0] m_snd_max,
    output wire [15:0] m_timer
);

/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

localparam [1:0] OP_NEXT = 2'd0;
localparam [1:0] OP_ACK = 2'd1;
localparam [1:0] OP_SENT = 2'd2;
localparam [1:0] OP_DOORBELL = 2'd3;

/* enum tcp_out_kind */
localparam [1:0] KIND_NONE = 2'd0;
localparam [1:0] KIND_DATA = 2'd1;
localparam [1:0] KIND_PROBE = 2'd2;
localparam [1:0] KIND_ACK = 2'd3;

/* enum tcp_out_limit */
localparam [2:0] BY_MSS = 3'd0;
localparam [2:0] BY_DATA = 3'd1;
localparam [2:0] BY_WINDOW = 3'd2;
localparam [2:0] BY_CWND = 3'd3;
localparam [2:0] BY_PERSIST = 3'd4;

localparam [31:0] BUF_MAX = 32'h4000_0000;   // TCP_OUT_BUF_MAX

/* ---- stage A: differences and windows for NEXT; SENT, DOORBELL, ACK whole */
wire [15:0] a_mss = tcp_mss(s_mss);
wire [31:0] a_wnd = {16'd0, s_snd_wnd} << s_snd_wscale;
wire [31:0] a_cwnd = (s_cwnd < {16'd0, a_mss}) ? {16'd0, a_mss} : s_cwnd;
wire [31:0] a_flight = seq_lt(s_snd_una, s_snd_nxt) ? s_snd_nxt - s_snd_una : 32'd0;
wire [31:0] a_avail = seq_lt(s_snd_nxt, s_snd_max) ? s_snd_max - s_snd_nxt : 32'd0;
wire        a_probe_due = s_flags[CTXF_PROBE] && seq_lt(s_snd_una, s_snd_max);
wire [31:0] a_high = tcp_out_high(s_snd_una, s_snd_nxt, s_snd_max, s_recover);

// SENT (tcp_out_sent): every segment carries the ACK; one that starts at
// snd_nxt advances it; data starts (or takes over from persist) the
// retransmission timer, a probe pays the probe owed and starts persist
reg [7:0]  a_flags;
reg [7:0]  a_retries;
reg [31:0] a_snd_nxt;
reg [31:0] a_snd_max;
reg [15:0] a_timer;
reg        a_db_moved;
reg        a_db_ignored;

wire [31:0] a_end_una = s_snd_end - s_snd_una;

always @* begin
    a_flags = s_flags;
    a_retries = s_retries;
    a_snd_nxt = s_snd_nxt;
    a_snd_max = s_snd_max;
    a_timer = s_timer;
    a_db_moved = 1'b0;
    a_db_ignored = 1'b0;

    if (s_op == OP_SENT && s_seg_kind != KIND_NONE) begin
        a_flags[CTXF_ACK_PENDING] = 1'b0;
        a_flags[CTXF_DELACK] = 1'b0;
        if (s_seg_kind != KIND_ACK) begin
            if (s_seg_seq == s_snd_nxt)
                a_snd_nxt = s_snd_nxt + {16'd0, s_seg_len};
            if (s_seg_kind == KIND_PROBE) begin
                a_flags[CTXF_PROBE] = 1'b0;
                if (s_timer == 16'd0) begin
                    a_flags[CTXF_PERSIST] = 1'b1;
                    a_timer = tcp_timer_rto(s_rto, s_retries);
                end
            end else if (s_flags[CTXF_PERSIST]) begin
                // the window opened: the timer now guards data, from retry 0
                a_flags[CTXF_PERSIST] = 1'b0;
                a_flags[CTXF_PROBE] = 1'b0;
                a_retries = 8'd0;
                a_timer = tcp_timer_rto(s_rto, 8'd0);
            end else if (s_timer == 16'd0) begin
                a_timer = tcp_timer_rto(s_rto, s_retries);
            end
        end
    end

    // DOORBELL: the buffer only grows, by less than 2^30 beyond snd_una
    if (s_op == OP_DOORBELL) begin
        if (seq_lt(s_snd_end, s_snd_max) || a_end_una > BUF_MAX) begin
            a_db_ignored = 1'b1;
        end else if (s_snd_end != s_snd_max) begin
            a_db_moved = 1'b1;
            a_snd_max = s_snd_end;
        end
    end
end

reg        b_valid_reg = 1'b0;
reg [1:0]  b_op_reg = 2'd0;
reg [15:0] b_mss_reg = 16'd0;
reg [31:0] b_wnd_reg = 32'd0;
reg [31:0] b_cwnd_reg = 32'd0;
reg [31:0] b_flight_reg = 32'd0;
reg [31:0] b_avail_reg = 32'd0;
reg        b_wnd_zero_reg = 1'b0;
reg        b_probe_due_reg = 1'b0;
reg [31:0] b_una_reg = 32'd0;
reg [31:0] b_nxt_reg = 32'd0;
reg [31:0] b_high_reg = 32'd0;
reg [7:0]  b_flags_reg = 8'd0;
reg [7:0]  b_retries_reg = 8'd0;
reg [31:0] b_snd_nxt_reg = 32'd0;
reg [31:0] b_snd_max_reg = 32'd0;
reg [15:0] b_timer_reg = 16'd0;
reg        b_db_moved_reg = 1'b0;
reg        b_db_ignored_reg = 1'b0;

always @(posedge clk) begin
    b_valid_reg <= s_valid;
    b_op_reg <= s_op;
    b_mss_reg <= a_mss;
    b_wnd_reg <= a_wnd;
    b_cwnd_reg <= a_cwnd;
    b_flight_reg <= a_flight;
    b_avail_reg <= a_avail;
    b_wnd_zero_reg <= (s_snd_wnd == 16'd0);
    b_probe_due_reg <= a_probe_due;
    b_una_reg <= s_snd_una;
    b_nxt_reg <= s_snd_nxt;
    b_high_reg <= a_high;
    b_flags_reg <= a_flags;
    b_retries_reg <= a_retries;
    b_snd_nxt_reg <= a_snd_nxt;
    b_snd_max_reg <= a_snd_max;
    b_timer_reg <= a_timer;
    b_db_moved_reg <= a_db_moved;
    b_db_ignored_reg <= a_db_ignored;

    if (rst) begin
        b_valid_reg <= 1'b0;
    end
end

/* ---- stage B: what blocks, both rooms, the cut by MSS or data */
wire        b_wnd_le_cwnd = (b_wnd_reg <= b_cwnd_reg);
wire        b_blocked = (b_flight_reg >= b_wnd_reg) || (b_flight_reg >= b_cwnd_reg);
// room = min(wnd, cwnd') - flight, both differences formed in parallel
wire [31:0] b_room = b_wnd_le_cwnd ? b_wnd_reg - b_flight_reg : b_cwnd_reg - b_flight_reg;
wire        b_avail_short = (b_avail_reg < {16'd0, b_mss_reg});

reg        c_valid_reg = 1'b0;
reg [1:0]  c_op_reg = 2'd0;
reg        c_wnd_zero_reg = 1'b0;
reg        c_probe_due_reg = 1'b0;
reg        c_blocked_reg = 1'b0;
reg        c_no_avail_reg = 1'b0;
reg        c_wnd_le_cwnd_reg = 1'b0;
reg [31:0] c_room_reg = 32'd0;
reg [15:0] c_len_reg = 16'd0;       // min(MSS, avail)
reg        c_by_data_reg = 1'b0;    // avail < MSS
reg [31:0] c_una_reg = 32'd0;
reg [31:0] c_nxt_reg = 32'd0;
reg [31:0] c_high_reg = 32'd0;
reg [7:0]  c_flags_reg = 8'd0;
reg [7:0]  c_retries_reg = 8'd0;
reg [31:0] c_snd_nxt_reg = 32'd0;
reg [31:0] c_snd_max_reg = 32'd0;
reg [15:0] c_timer_reg = 16'd0;
reg        c_db_moved_reg = 1'b0;
reg        c_db_ignored_reg = 1'b0;

always @(posedge clk) begin
    c_valid_reg <= b_valid_reg;
    c_op_reg <= b_op_reg;
    c_wnd_zero_reg <= b_wnd_zero_reg;
    c_probe_due_reg <= b_probe_due_reg;
    c_blocked_reg <= b_blocked;
    c_no_avail_reg <= (b_avail_reg == 32'd0);
    c_wnd_le_cwnd_reg <= b_wnd_le_cwnd;
    c_room_reg <= b_room;
    c_len_reg <= b_avail_short ? b_avail_reg[15:0] : b_mss_reg;
    c_by_data_reg <= b_avail_short;
    c_una_reg <= b_una_reg;
    c_nxt_reg <= b_nxt_reg;
    c_high_reg <= b_high_reg;
    c_flags_reg <= b_flags_reg;
    c_retries_reg <= b_retries_reg;
    c_snd_nxt_reg <= b_snd_nxt_reg;
    c_snd_max_reg <= b_snd_max_reg;
    c_timer_reg <= b_timer_reg;
    c_db_moved_reg <= b_db_moved_reg;
    c_db_ignored_reg <= b_db_ignored_reg;

    if (rst) begin
        c_valid_reg <= 1'b0;
    end
end

/* ---- stage C: the cut by the room, and the decision */
wire       c_room_short = (c_room_reg < {16'd0, c_len_reg});
wire [2:0] c_by_window = c_wnd_le_cwnd_reg ? BY_WINDOW : BY_CWND;

reg [1:0]  c_kind;
reg [2:0]  c_limit;
reg [31:0] c_seq;
reg [15:0] c_len;

always @* begin
    c_kind = KIND_NONE;
    c_limit = BY_MSS;
    c_seq = 32'd0;
    c_len = 16'd0;

    case (c_op_reg)
        OP_NEXT: begin
            if (c_wnd_zero_reg) begin
                // RFC 9293 3.8.6.1: one octet at snd_una when the persist
                // timer says a probe is owed
                if (c_probe_due_reg) begin
                    c_kind = KIND_PROBE;
                    c_seq = c_una_reg;
                    c_len = 16'd1;
                end else begin
                    c_limit = BY_PERSIST;
                end
            end else if (c_blocked_reg) begin
                c_limit = c_by_window;
            end else if (c_no_avail_reg) begin
                c_limit = BY_DATA;
            end else begin
                c_kind = KIND_DATA;
                c_seq = c_nxt_reg;
                if (c_room_short) begin
                    c_len = c_room_reg[15:0];
                    c_limit = c_by_window;
                end else begin
                    c_len = c_len_reg;
                    c_limit = c_by_data_reg ? BY_DATA : BY_MSS;
                end
            end
        end
        OP_ACK: begin
            c_kind = KIND_ACK;
            c_seq = c_high_reg;
        end
        default: ;
    endcase
end

reg        m_valid_reg = 1'b0;
reg [1:0]  m_kind_reg = 2'd0;
reg [2:0]  m_limit_reg = 3'd0;
reg [31:0] m_seq_reg = 32'd0;
reg [15:0] m_len_reg = 16'd0;
reg        m_db_moved_reg = 1'b0;
reg        m_db_ignored_reg = 1'b0;
reg [7:0]  m_flags_reg = 8'd0;
reg [7:0]  m_retries_reg = 8'd0;
reg [31:0] m_snd_nxt_reg = 32'd0;
reg [31:0] m_snd_max_reg = 32'd0;
reg [15:0] m_timer_reg = 16'd0;

always @(posedge clk) begin
    m_valid_reg <= c_valid_reg;
    m_kind_reg <= c_kind;
    m_limit_reg <= c_limit;
    m_seq_reg <= c_seq;
    m_len_reg <= c_len;
    m_db_moved_reg <= c_db_moved_reg;
    m_db_ignored_reg <= c_db_ignored_reg;
    m_flags_reg <= c_flags_reg;
    m_retries_reg <= c_retries_reg;
    m_snd_nxt_reg <= c_snd_nxt_reg;
    m_snd_max_reg <= c_snd_max_reg;
    m_timer_reg <= c_timer_reg;

    if (rst) begin
        m_valid_reg <= 1'b0;
    end
end

assign m_valid = m_valid_reg;
assign m_kind = m_kind_reg;
assign m_limit = m_limit_reg;
assign m_seq = m_seq_reg;
assign m_len = m_len_reg;
assign m_db_moved = m_db_moved_reg;
assign m_db_ignored = m_db_ignored_reg;
assign m_flags = m_flags_reg;
assign m_retries = m_retries_reg;
assign m_snd_nxt = m_snd_nxt_reg;
assign m_snd_max = m_snd_max_reg;
assign m_timer = m_timer_reg;

endmodule

`resetall
