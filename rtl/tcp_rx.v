// SPDX-License-Identifier: MIT
/*
 * Receive rules of an offloaded connection: the twin of tcp_rx_segment()
 * in sw-model/tcp_rx.c, for a segment with ACK set and none of
 * SYN/FIN/RST/URG (eth_rx_parse hands a segment with ACK clear to the host
 * as UNHANDLED, which is the C function's first rule, TCP_RX_NO_ACK).
 *
 * RFC 9293 3.10.7.4, the ACK field first:
 *   SEG.ACK > HIGH              -> ACK_UNSENT: send an ACK, drop the rest
 *   SND.UNA < SEG.ACK           -> SND.UNA = SEG.ACK, SND.WND = SEG.WND,
 *                                  dupacks = 0, ACKED
 *   SEG.ACK = SND.UNA           -> SND.WND = SEG.WND; a duplicate ACK
 *                                  (RFC 5681: no data, same window, data
 *                                  outstanding: SND.UNA != HIGH) counts,
 *                                  saturating at 255
 *   older                       -> ignored
 * HIGH is tcp_out_high (tcp_seq.vh), the highest sequence sent: RFC 9293's
 * SND.NXT, except that after a go-back-N snd_nxt lies below data already
 * sent (`recover`), and the peer's honest ACK of it must be taken.
 * then the text (len > 0):
 *   SEG.SEQ + len <= RCV.NXT    -> DUPLICATE, send an ACK
 *   RCV.NXT < SEG.SEQ           -> OUT_OF_ORDER, send an ACK
 *   RCV.WND << wscale = 0       -> ZERO_WINDOW, send an ACK
 *   else deliver [RCV.NXT - SEG.SEQ, ..) (head trim), at most the window
 *   (WINDOW_TRIM); RCV.NXT advances; ACK now if trimmed, if an ACK was
 *   owed (ACK_PENDING: every second full segment) or if shorter than the
 *   MSS, else owe one. Any ACK sent clears ACK_PENDING.
 * Sequence numbers compare in serial arithmetic: a < b is bit 31 of a - b.
 *
 * Pipeline: the inputs are taken in cycle A (s_valid); the results are
 * registered outputs in A+3 (m_valid). A computes the differences and the
 * window, B the tests on them, C the decision.
 *
 *   note codes (enum tcp_rx_note): 0 OK, 2 ACK_UNSENT, 3 OUT_OF_ORDER,
 *   4 DUPLICATE, 5 WINDOW_TRIM, 6 ZERO_WINDOW
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tcp_rx
(
    input  wire        clk,
    input  wire        rst,

    /* segment and context, cycle A */
    input  wire        s_valid,
    input  wire [31:0] s_seq,
    input  wire [31:0] s_ack,
    input  wire [15:0] s_wnd,
    input  wire [15:0] s_len,
    input  wire [31:0] s_snd_una,
    input  wire [31:0] s_snd_nxt,
    input  wire [31:0] s_snd_max,
    input  wire [31:0] s_recover,
    input  wire [15:0] s_snd_wnd,
    input  wire [7:0]  s_dupacks,
    input  wire [31:0] s_rcv_nxt,
    input  wire [15:0] s_rcv_wnd,
    input  wire [3:0]  s_rcv_wscale,
    input  wire [15:0] s_mss,
    input  wire        s_ack_pending,

    /* what to do, cycle A+3 */
    output wire        m_valid,
    output wire [2:0]  m_note,
    output wire        m_acked,      // snd_una advanced
    output wire        m_send_ack,   // send a pure ACK now
    output wire        m_dupack,     // a duplicate ACK (counted)
    output wire [15:0] m_off,        // deliver payload bytes [off, off + len)
    output wire [15:0] m_len,
    output wire [31:0] m_seq,        //   at this sequence number

    /* the context after the segment, cycle A+3 */
    output wire [31:0] m_snd_una,
    output wire [15:0] m_snd_wnd,
    output wire [7:0]  m_dupacks,
    output wire [31:0] m_rcv_nxt,
    output wire        m_ack_pending
);

localparam [2:0] NOTE_OK = 3'd0;
localparam [2:0] NOTE_ACK_UNSENT = 3'd2;
localparam [2:0] NOTE_OUT_OF_ORDER = 3'd3;
localparam [2:0] NOTE_DUPLICATE = 3'd4;
localparam [2:0] NOTE_WINDOW_TRIM = 3'd5;
localparam [2:0] NOTE_ZERO_WINDOW = 3'd6;

`include "tcp_seq.vh"

/* ---- stage A: differences, window */
wire [31:0] a_high = tcp_out_high(s_snd_una, s_snd_nxt, s_snd_max, s_recover);
wire [31:0] a_nxt_ack = a_high - s_ack;      // < 0: acks unsent data
wire [31:0] a_una_ack = s_snd_una - s_ack;   // < 0: advances snd_una
wire [31:0] a_skip = s_rcv_nxt - s_seq;      // < 0: out of order; else head trim
wire [31:0] a_win = {16'd0, s_rcv_wnd} << s_rcv_wscale;
// only the signs of the ACK differences, and the low half of the skip
// (less than the segment's length when it is used), are needed
wire unused_a = &{1'b0, a_nxt_ack[30:0], a_una_ack[30:0], a_skip[30:16]};

reg        b_valid_reg = 1'b0;
reg        b_unsent_reg = 1'b0;
reg        b_adv_reg = 1'b0;
reg        b_ack_eq_reg = 1'b0;
reg        b_dup_ok_reg = 1'b0;   // no data, same window, data outstanding
reg        b_ooo_reg = 1'b0;
reg [15:0] b_skip_reg = 16'd0;
reg [31:0] b_end_reg = 32'd0;     // SEG.SEQ + len
reg [31:0] b_win_reg = 32'd0;
reg        b_win_zero_reg = 1'b0;
reg [31:0] b_ack_reg = 32'd0;
reg [15:0] b_wnd_reg = 16'd0;
reg [15:0] b_len_reg = 16'd0;
reg [31:0] b_snd_una_reg = 32'd0;
reg [15:0] b_snd_wnd_reg = 16'd0;
reg [7:0]  b_dupacks_reg = 8'd0;
reg [31:0] b_rcv_nxt_reg = 32'd0;
reg [15:0] b_mss_reg = 16'd0;
reg        b_ack_pending_reg = 1'b0;

always @(posedge clk) begin
    b_valid_reg <= s_valid;
    b_unsent_reg <= a_nxt_ack[31];
    b_adv_reg <= a_una_ack[31];
    b_ack_eq_reg <= (s_ack == s_snd_una);
    b_dup_ok_reg <= (s_len == 16'd0) && (s_wnd == s_snd_wnd) && (s_snd_una != a_high);
    b_ooo_reg <= a_skip[31];
    b_skip_reg <= a_skip[15:0];
    b_end_reg <= s_seq + {16'd0, s_len};
    b_win_reg <= a_win;
    // rcv_wnd << wscale (wscale < 16) is 0 only if rcv_wnd is
    b_win_zero_reg <= (s_rcv_wnd == 16'd0);
    b_ack_reg <= s_ack;
    b_wnd_reg <= s_wnd;
    b_len_reg <= s_len;
    b_snd_una_reg <= s_snd_una;
    b_snd_wnd_reg <= s_snd_wnd;
    b_dupacks_reg <= s_dupacks;
    b_rcv_nxt_reg <= s_rcv_nxt;
    b_mss_reg <= s_mss;
    b_ack_pending_reg <= s_ack_pending;

    if (rst) begin
        b_valid_reg <= 1'b0;
    end
end

/* ---- stage B: duplicate test, bytes after the head trim, window trim */
wire [31:0] b_end_rcv = b_end_reg - b_rcv_nxt_reg;     // <= 0: all old
wire [15:0] b_n0 = b_len_reg - b_skip_reg;             // new bytes (in order)

reg        c_valid_reg = 1'b0;
reg        c_unsent_reg = 1'b0;
reg        c_adv_reg = 1'b0;
reg        c_ack_eq_reg = 1'b0;
reg        c_dup_ok_reg = 1'b0;
reg        c_has_len_reg = 1'b0;
reg        c_dup_reg = 1'b0;
reg        c_ooo_reg = 1'b0;
reg        c_win_zero_reg = 1'b0;
reg        c_trim_reg = 1'b0;
reg [15:0] c_n0_reg = 16'd0;
reg [15:0] c_win_reg = 16'd0;
reg [15:0] c_skip_reg = 16'd0;
reg [31:0] c_end_reg = 32'd0;
reg [31:0] c_rcv_win_reg = 32'd0;  // RCV.NXT + window
reg [31:0] c_ack_reg = 32'd0;
reg [15:0] c_wnd_reg = 16'd0;
reg [31:0] c_snd_una_reg = 32'd0;
reg [15:0] c_snd_wnd_reg = 16'd0;
reg [7:0]  c_dupacks_reg = 8'd0;
reg [31:0] c_rcv_nxt_reg = 32'd0;
reg [15:0] c_mss_reg = 16'd0;
reg        c_ack_pending_reg = 1'b0;

always @(posedge clk) begin
    c_valid_reg <= b_valid_reg;
    c_unsent_reg <= b_unsent_reg;
    c_adv_reg <= b_adv_reg;
    c_ack_eq_reg <= b_ack_eq_reg;
    c_dup_ok_reg <= b_dup_ok_reg;
    c_has_len_reg <= (b_len_reg != 16'd0);
    c_dup_reg <= b_end_rcv[31] || (b_end_rcv == 32'd0);
    c_ooo_reg <= b_ooo_reg;
    c_win_zero_reg <= b_win_zero_reg;
    // a window of 64 KiB or more never trims a segment
    c_trim_reg <= (b_win_reg[31:16] == 16'd0) && (b_n0 > b_win_reg[15:0]);
    c_n0_reg <= b_n0;
    c_win_reg <= b_win_reg[15:0];
    c_skip_reg <= b_skip_reg;
    c_end_reg <= b_end_reg;
    c_rcv_win_reg <= b_rcv_nxt_reg + b_win_reg;
    c_ack_reg <= b_ack_reg;
    c_wnd_reg <= b_wnd_reg;
    c_snd_una_reg <= b_snd_una_reg;
    c_snd_wnd_reg <= b_snd_wnd_reg;
    c_dupacks_reg <= b_dupacks_reg;
    c_rcv_nxt_reg <= b_rcv_nxt_reg;
    c_mss_reg <= b_mss_reg;
    c_ack_pending_reg <= b_ack_pending_reg;

    if (rst) begin
        c_valid_reg <= 1'b0;
    end
end

/* ---- stage C: the decision */
wire [15:0] c_n = c_trim_reg ? c_win_reg : c_n0_reg;

reg [2:0]  note_next;
reg        acked_next;
reg        send_ack_next;
reg        dupack_next;
reg        deliver;
reg [31:0] snd_una_next;
reg [15:0] snd_wnd_next;
reg [7:0]  dupacks_next;
reg [31:0] rcv_nxt_next;

always @* begin
    note_next = NOTE_OK;
    acked_next = 1'b0;
    send_ack_next = 1'b0;
    dupack_next = 1'b0;
    deliver = 1'b0;
    snd_una_next = c_snd_una_reg;
    snd_wnd_next = c_snd_wnd_reg;
    dupacks_next = c_dupacks_reg;
    rcv_nxt_next = c_rcv_nxt_reg;

    if (c_unsent_reg) begin
        note_next = NOTE_ACK_UNSENT;
        send_ack_next = 1'b1;
    end else begin
        if (c_adv_reg) begin
            snd_una_next = c_ack_reg;
            snd_wnd_next = c_wnd_reg;
            dupacks_next = 8'd0;
            acked_next = 1'b1;
        end else if (c_ack_eq_reg) begin
            snd_wnd_next = c_wnd_reg;
            if (c_dup_ok_reg) begin
                dupack_next = 1'b1;
                if (c_dupacks_reg != 8'hff) begin
                    dupacks_next = c_dupacks_reg + 8'd1;
                end
            end
        end

        if (c_has_len_reg) begin
            if (c_dup_reg) begin
                note_next = NOTE_DUPLICATE;
                send_ack_next = 1'b1;
            end else if (c_ooo_reg) begin
                note_next = NOTE_OUT_OF_ORDER;
                send_ack_next = 1'b1;
            end else if (c_win_zero_reg) begin
                note_next = NOTE_ZERO_WINDOW;
                send_ack_next = 1'b1;
            end else begin
                deliver = 1'b1;
                note_next = c_trim_reg ? NOTE_WINDOW_TRIM : NOTE_OK;
                rcv_nxt_next = c_trim_reg ? c_rcv_win_reg : c_end_reg;
                send_ack_next = c_trim_reg || c_ack_pending_reg || (c_n < c_mss_reg);
            end
        end
    end
end

reg        m_valid_reg = 1'b0;
reg [2:0]  m_note_reg = 3'd0;
reg        m_acked_reg = 1'b0;
reg        m_send_ack_reg = 1'b0;
reg        m_dupack_reg = 1'b0;
reg [15:0] m_off_reg = 16'd0;
reg [15:0] m_len_reg = 16'd0;
reg [31:0] m_seq_reg = 32'd0;
reg [31:0] m_snd_una_reg = 32'd0;
reg [15:0] m_snd_wnd_reg = 16'd0;
reg [7:0]  m_dupacks_reg = 8'd0;
reg [31:0] m_rcv_nxt_reg = 32'd0;
reg        m_ack_pending_reg = 1'b0;

always @(posedge clk) begin
    m_valid_reg <= c_valid_reg;
    m_note_reg <= note_next;
    m_acked_reg <= acked_next;
    m_send_ack_reg <= send_ack_next;
    m_dupack_reg <= dupack_next;
    m_off_reg <= deliver ? c_skip_reg : 16'd0;
    m_len_reg <= deliver ? c_n : 16'd0;
    m_seq_reg <= deliver ? c_rcv_nxt_reg : 32'd0;
    m_snd_una_reg <= snd_una_next;
    m_snd_wnd_reg <= snd_wnd_next;
    m_dupacks_reg <= dupacks_next;
    m_rcv_nxt_reg <= rcv_nxt_next;
    // an ACK sent now pays one owed; a delivery that sends none owes one
    m_ack_pending_reg <= send_ack_next ? 1'b0 : (deliver || c_ack_pending_reg);

    if (rst) begin
        m_valid_reg <= 1'b0;
    end
end

assign m_valid = m_valid_reg;
assign m_note = m_note_reg;
assign m_acked = m_acked_reg;
assign m_send_ack = m_send_ack_reg;
assign m_dupack = m_dupack_reg;
assign m_off = m_off_reg;
assign m_len = m_len_reg;
assign m_seq = m_seq_reg;
assign m_snd_una = m_snd_una_reg;
assign m_snd_wnd = m_snd_wnd_reg;
assign m_dupacks = m_dupacks_reg;
assign m_rcv_nxt = m_rcv_nxt_reg;
assign m_ack_pending = m_ack_pending_reg;

endmodule

`resetall
