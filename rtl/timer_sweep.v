// SPDX-License-Identifier: MIT
/*
 * Timer sweep (revision 1.3, ENGINE.md 5): the twin of
 * sw-model/timer_sweep.c. Every TIMER_SCALE cycles a tick falls due
 * (0: none); ticks due are counted, never lost. A due tick is applied as
 * one sweep: the TICK trace item (slot ffff, value = the tick number, 1
 * for the first after reset), then every valid slot in slot order through
 * tcp_timers TICK (retry limit from RETRY_LIMIT). Per slot, in the C
 * order: the delayed ACK due -> a pure ACK at tcp_out_high (the record's
 * IP ID + 1; gated by link and enable like the receive engine's ACKs);
 * ENG_DELACKS, ENG_RTO, RETRANS {slot, seq}, ENG_RTO_LIMIT and RTO_LIMIT
 * {slot, retries}; the slot is kicked for the transmit scheduler. Sweeps
 * owed back to back run one after the other in one hold.
 *
 * The sweep runs inside a hold of tx_engine (m_hold_req, then
 * s_hold_grant once the context RAM is held and settled; no job of a
 * frame, no context command and no other engine action in between) and owns the context
 * RAM meanwhile. Pipelined, one slot per cycle:
 *
 *   I    the next valid slot (scan of the valid bits a word of WORD_W
 *        slots at a time: an empty word costs a cycle) is read
 *   I+1  tcp_timers takes the record (its cycle A)
 *   I+4  tcp_timers' results: the record written back, the ACK request,
 *        events (into a small queue of rows of one or two events), the
 *        kick and the counters
 *
 * A slot is issued only while the ACK queue and the event rows have room
 * for it and every slot in flight, so a full output stops the sweep at a
 * slot until the host takes outputs (the model: model_engine_room). The
 * sweep ends, and the hold with it, once the last event has gone into the
 * card's event queue. Ticks owed back to back are swept one after the
 * other, each its own TICK item, but with COOL_CYCLES without a request
 * between them, so that received frames, context commands and the
 * transmit engine's actions still get their turn when TIMER_SCALE is
 * shorter than a sweep.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module timer_sweep #
(
    // connection slots (power of two)
    parameter CONN_SLOTS = 1024,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS)
)
(
    input  wire                  clk,
    input  wire                  rst,

    /* configuration and the card's state */
    input  wire [31:0]           timer_scale,
    input  wire [7:0]            retry_limit,
    input  wire                  link_up,
    input  wire                  enable,
    input  wire                  trace_on,
    input  wire [31:0]           rx_frames,

    /* valid slots (tx_engine's view of the connection table) */
    input  wire [CONN_SLOTS-1:0] s_valid_slots,

    /* the transmit engine's hold */
    output wire                  m_hold_req,
    input  wire                  s_hold_grant,

    /* context RAM while granted */
    output wire                  m_ram_rd,
    output wire [SLOT_W-1:0]     m_ram_rd_addr,
    input  wire [511:0]          s_ram_rd_data,
    output wire                  m_ram_wr,
    output wire [SLOT_W-1:0]     m_ram_wr_addr,
    output wire [511:0]          m_ram_wr_data,

    /* pure ACK requests for tcp_hdr_build; room for the slots in flight */
    output wire [239:0]          m_ack_data,
    output wire                  m_ack_valid,
    input  wire                  s_ack_room,

    /* events {value, slot, type}, one a cycle while s_evt_room */
    output wire [55:0]           m_evt_data,
    output wire                  m_evt_valid,
    input  wire                  s_evt_room,

    /* the TICK trace item {value, order, slot, 8'd0, kind} */
    output wire [95:0]           m_trace_data,
    output wire                  m_trace_valid,
    input  wire                  s_trace_room,

    /* the swept slot, for the transmit scheduler */
    output wire                  m_kick_valid,
    output wire [SLOT_W-1:0]     m_kick_slot,

    /* counting, one-cycle pulses */
    output wire                  stat_delack,
    output wire                  stat_ack_sent,
    output wire                  stat_ack_drop_link_down,
    output wire                  stat_ack_drop_disabled,
    output wire                  stat_rto,
    output wire                  stat_rto_limit
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

// slots scanned per cycle, words of them
localparam WORD_W = (CONN_SLOTS < 64) ? CONN_SLOTS : 64;
localparam BIT_W = $clog2(WORD_W);
localparam WORDS = CONN_SLOTS / WORD_W;
localparam WIDX_W = (WORDS > 1) ? $clog2(WORDS) : 1;
// event rows waiting; a slot is issued while this many or fewer are used
localparam ROW_DEPTH = 16;
localparam ROW_CNT_W = $clog2(ROW_DEPTH) + 1;
localparam ROW_ISSUE_MAX = ROW_DEPTH - 6;

localparam [2:0] WHAT_RTO = 3'd3;

// no hold request for this long after a sweep (longer than the transmit
// engine's gap and drain: its own hold starts first when it has work)
localparam COOL_CYCLES = 64;

localparam [1:0] SW_IDLE = 2'd0;
localparam [1:0] SW_SCAN = 2'd1;
localparam [1:0] SW_FLUSH = 2'd2;

initial begin
    if (SLOT_W != $clog2(CONN_SLOTS) || WORDS * WORD_W != CONN_SLOTS) begin
        $error("timer_sweep: SLOT_W must be $clog2(CONN_SLOTS), a power of two");
        $finish;
    end
end

/* ---- ticks due */
reg [31:0] acc_reg = 32'd0;
reg [31:0] due_reg = 32'd0;
reg [31:0] tick_no_reg = 32'd0;
reg [1:0]  state_reg = SW_IDLE;
reg [6:0]  cool_reg = 7'd0;

wire tick_now = (timer_scale != 32'd0) && (acc_reg >= timer_scale - 32'd1);
wire trace_ok = !trace_on || s_trace_room;
wire begin_sweep = (state_reg == SW_IDLE) && (due_reg != 32'd0) && (cool_reg == 7'd0) &&
                   s_hold_grant && trace_ok;

always @(posedge clk) begin
    if (timer_scale != 32'd0) begin
        acc_reg <= tick_now ? 32'd0 : acc_reg + 32'd1;
    end
    if (tick_now && !begin_sweep && due_reg != 32'hffff_ffff) begin
        due_reg <= due_reg + 32'd1;
    end else if (!tick_now && begin_sweep) begin
        due_reg <= due_reg - 32'd1;
    end
    if (begin_sweep) begin
        tick_no_reg <= tick_no_reg + 32'd1;
    end
    if (rst) begin
        acc_reg <= 32'd0;
        due_reg <= 32'd0;
        tick_no_reg <= 32'd0;
    end
end

/* ---- the scan: the lowest valid slot left in the current word */
reg [WIDX_W-1:0] word_reg = {WIDX_W{1'b0}};
reg [WORD_W-1:0] mask_reg = {WORD_W{1'b0}};

function [WORD_W-1:0] valid_word;
    input [CONN_SLOTS-1:0] v;
    input [WIDX_W-1:0]     w;
    begin
        valid_word = v[w * WORD_W +: WORD_W];
    end
endfunction

reg [BIT_W-1:0] low_bit;
integer bi;

always @* begin
    low_bit = {BIT_W{1'b0}};
    for (bi = WORD_W - 1; bi >= 0; bi = bi - 1) begin
        if (mask_reg[bi]) begin
            low_bit = bi[BIT_W-1:0];
        end
    end
end

wire [WORD_W-1:0] low_one = mask_reg & (~mask_reg + {{(WORD_W-1){1'b0}}, 1'b1});

// slots issued and not yet at their results (at most 4)
reg  [2:0] inflight_reg = 3'd0;
wire [ROW_CNT_W-1:0] row_count;
wire room = s_ack_room && (row_count <= ROW_ISSUE_MAX);
wire issue = (state_reg == SW_SCAN) && (mask_reg != {WORD_W{1'b0}}) && room;
localparam integer LAST_WORD = WORDS - 1;
wire last_word = (word_reg == LAST_WORD[WIDX_W-1:0]);
wire [SLOT_W-1:0] issue_slot;

generate
    if (WORDS > 1) begin : g_words
        assign issue_slot = {word_reg, low_bit};
    end else begin : g_one_word
        wire unused_word = &{1'b0, word_reg};
        assign issue_slot = low_bit;
    end
endgenerate

wire res_valid;
wire row_empty;
wire ser_busy;

always @(posedge clk) begin
    case (state_reg)
        SW_IDLE: begin
            if (begin_sweep) begin
                state_reg <= SW_SCAN;
                word_reg <= {WIDX_W{1'b0}};
                mask_reg <= valid_word(s_valid_slots, {WIDX_W{1'b0}});
            end
        end
        SW_SCAN: begin
            if (mask_reg != {WORD_W{1'b0}}) begin
                if (issue) begin
                    mask_reg <= mask_reg & ~low_one;
                end
            end else if (last_word) begin
                state_reg <= SW_FLUSH;
            end else begin
                word_reg <= word_reg + 1'b1;
                mask_reg <= valid_word(s_valid_slots, word_reg + 1'b1);
            end
        end
        default: begin
            if (inflight_reg == 3'd0 && row_empty && !ser_busy) begin
                state_reg <= SW_IDLE;
                cool_reg <= COOL_CYCLES[6:0];
            end
        end
    endcase
    if (state_reg == SW_IDLE && cool_reg != 7'd0) begin
        cool_reg <= cool_reg - 7'd1;
    end
    inflight_reg <= inflight_reg + {2'd0, issue} - {2'd0, res_valid};
    if (rst) begin
        state_reg <= SW_IDLE;
        cool_reg <= 7'd0;
        inflight_reg <= 3'd0;
    end
end

assign m_hold_req = (state_reg != SW_IDLE) || (due_reg != 32'd0 && cool_reg == 7'd0);

/* ---- the record through tcp_timers (3 cycles), kept beside it */
reg [SLOT_W-1:0] slot_a_reg = {SLOT_W{1'b0}};
reg [SLOT_W-1:0] slot_b_reg = {SLOT_W{1'b0}};
reg [SLOT_W-1:0] slot_c_reg = {SLOT_W{1'b0}};
reg [SLOT_W-1:0] slot_r_reg = {SLOT_W{1'b0}};
reg              valid_a_reg = 1'b0;
reg [511:0]      rec_b_reg = 512'd0;
reg [511:0]      rec_c_reg = 512'd0;
reg [511:0]      rec_r_reg = 512'd0;

always @(posedge clk) begin
    valid_a_reg <= issue;
    slot_a_reg <= issue_slot;
    slot_b_reg <= slot_a_reg;
    slot_c_reg <= slot_b_reg;
    slot_r_reg <= slot_c_reg;
    rec_b_reg <= s_ram_rd_data;
    rec_c_reg <= rec_b_reg;
    rec_r_reg <= rec_c_reg;
    if (rst) begin
        valid_a_reg <= 1'b0;
    end
end

wire [2:0]  t_what;
wire        t_send_ack;
wire        t_retransmit;
wire [31:0] t_seq;
wire        t_rto_limit;
wire [7:0]  t_flags;
wire [7:0]  t_retries;
wire [31:0] t_snd_nxt;
wire [31:0] t_recover;
wire [31:0] t_cwnd;
wire [31:0] t_ssthresh;
wire [15:0] t_timer;
wire [7:0]  t_dupacks;

tcp_timers
tcp_timers_inst (
    .clk(clk),
    .rst(rst),
    .s_valid(valid_a_reg),
    .s_op(1'b0),
    .s_retry_limit(retry_limit),
    .s_flags(s_ram_rd_data[CTX_flags_LSB +: CTX_flags_W]),
    .s_mss(s_ram_rd_data[CTX_mss_LSB +: CTX_mss_W]),
    .s_retries(s_ram_rd_data[CTX_retries_LSB +: CTX_retries_W]),
    .s_snd_una(s_ram_rd_data[CTX_snd_una_LSB +: CTX_snd_una_W]),
    .s_snd_nxt(s_ram_rd_data[CTX_snd_nxt_LSB +: CTX_snd_nxt_W]),
    .s_snd_max(s_ram_rd_data[CTX_snd_max_LSB +: CTX_snd_max_W]),
    .s_recover(s_ram_rd_data[CTX_recover_LSB +: CTX_recover_W]),
    .s_cwnd(s_ram_rd_data[CTX_cwnd_LSB +: CTX_cwnd_W]),
    .s_ssthresh(s_ram_rd_data[CTX_ssthresh_LSB +: CTX_ssthresh_W]),
    .s_snd_wnd(s_ram_rd_data[CTX_snd_wnd_LSB +: CTX_snd_wnd_W]),
    .s_rto(s_ram_rd_data[CTX_rto_LSB +: CTX_rto_W]),
    .s_timer(s_ram_rd_data[CTX_timer_LSB +: CTX_timer_W]),
    .s_dupacks(s_ram_rd_data[CTX_dupacks_LSB +: CTX_dupacks_W]),
    .m_valid(res_valid),
    .m_what(t_what),
    .m_send_ack(t_send_ack),
    .m_retransmit(t_retransmit),
    .m_seq(t_seq),
    .m_rto_limit(t_rto_limit),
    .m_flags(t_flags),
    .m_retries(t_retries),
    .m_snd_nxt(t_snd_nxt),
    .m_recover(t_recover),
    .m_cwnd(t_cwnd),
    .m_ssthresh(t_ssthresh),
    .m_timer(t_timer),
    .m_dupacks(t_dupacks)
);

/* ---- results: the record, the pure ACK, events, kick */
wire        send_ack = res_valid && t_send_ack;
wire        send_ok = link_up && enable;
wire [15:0] old_ip_id = rec_r_reg[CTX_ip_id_LSB +: CTX_ip_id_W];
reg  [511:0] rec_new;

always @* begin
    rec_new = rec_r_reg;
    rec_new[CTX_flags_LSB +: CTX_flags_W] = t_flags;
    rec_new[CTX_retries_LSB +: CTX_retries_W] = t_retries;
    rec_new[CTX_snd_nxt_LSB +: CTX_snd_nxt_W] = t_snd_nxt;
    rec_new[CTX_recover_LSB +: CTX_recover_W] = t_recover;
    rec_new[CTX_cwnd_LSB +: CTX_cwnd_W] = t_cwnd;
    rec_new[CTX_ssthresh_LSB +: CTX_ssthresh_W] = t_ssthresh;
    rec_new[CTX_timer_LSB +: CTX_timer_W] = t_timer;
    rec_new[CTX_dupacks_LSB +: CTX_dupacks_W] = t_dupacks;
    if (t_send_ack) begin
        rec_new[CTX_ip_id_LSB +: CTX_ip_id_W] = old_ip_id + 16'd1;
    end
end

assign m_ram_rd = issue;
assign m_ram_rd_addr = issue_slot;
assign m_ram_wr = res_valid;
assign m_ram_wr_addr = slot_r_reg;
assign m_ram_wr_data = rec_new;

// tcp_out_ack: the highest sequence sent, of the record after the tick
wire [31:0] ack_seq = tcp_out_high(rec_r_reg[CTX_snd_una_LSB +: CTX_snd_una_W], t_snd_nxt,
                                   rec_r_reg[CTX_snd_max_LSB +: CTX_snd_max_W], t_recover);

assign m_ack_valid = send_ack && send_ok;
assign m_ack_data = {rec_r_reg[CTX_peer_mac_LSB +: CTX_peer_mac_W],
                     rec_r_reg[CTX_local_ip_LSB +: CTX_local_ip_W],
                     rec_r_reg[CTX_remote_ip_LSB +: CTX_remote_ip_W],
                     rec_r_reg[CTX_local_port_LSB +: CTX_local_port_W],
                     rec_r_reg[CTX_remote_port_LSB +: CTX_remote_port_W],
                     ack_seq,
                     rec_r_reg[CTX_rcv_nxt_LSB +: CTX_rcv_nxt_W],
                     rec_r_reg[CTX_rcv_wnd_LSB +: CTX_rcv_wnd_W],
                     old_ip_id};

assign m_kick_valid = res_valid;
assign m_kick_slot = slot_r_reg;

// a slot's events as one row {rto_limit, retries, seq, slot}: RETRANS,
// then RTO_LIMIT if set (RTO_LIMIT comes only with a retransmission)
localparam ROW_W = 1 + 8 + 32 + SLOT_W;

wire [ROW_W-1:0] row_data;
wire             row_valid;
wire             row_pop;
wire             row_in_ready_unused;

small_fifo #(
    .DEPTH(ROW_DEPTH),
    .DATA_W(ROW_W)
)
row_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data({t_rto_limit, t_retries, t_seq, slot_r_reg}),
    .s_valid(res_valid && t_retransmit),
    .s_ready(row_in_ready_unused),
    .m_data(row_data),
    .m_valid(row_valid),
    .m_ready(row_pop),
    .count(row_count)
);

assign row_empty = !row_valid;

// second half of a row: its RTO_LIMIT is next
reg ser_second_reg = 1'b0;

wire [SLOT_W-1:0] row_slot = row_data[SLOT_W-1:0];
wire [31:0]       row_seq = row_data[SLOT_W +: 32];
wire [7:0]        row_retries = row_data[SLOT_W + 32 +: 8];
wire              row_limit = row_data[ROW_W-1];

assign m_evt_valid = row_valid && s_evt_room;
assign m_evt_data = ser_second_reg ?
    {{24'd0, row_retries}, {(16-SLOT_W){1'b0}}, row_slot, TT_EVT_RTO_LIMIT} :
    {row_seq, {(16-SLOT_W){1'b0}}, row_slot, TT_EVT_RETRANS};
assign row_pop = m_evt_valid && (ser_second_reg || !row_limit);
assign ser_busy = ser_second_reg;

always @(posedge clk) begin
    if (m_evt_valid) begin
        ser_second_reg <= !ser_second_reg && row_limit;
    end
    if (rst) begin
        ser_second_reg <= 1'b0;
    end
end

/* ---- trace and counting */
assign m_trace_valid = trace_on && begin_sweep;
assign m_trace_data = {tick_no_reg + 32'd1, rx_frames, TT_SLOT_NONE, 8'd0, TT_TRACE_TICK};

assign stat_delack = send_ack;
assign stat_ack_sent = send_ack && send_ok;
assign stat_ack_drop_link_down = send_ack && !link_up;
assign stat_ack_drop_disabled = send_ack && link_up && !enable;
assign stat_rto = res_valid && t_what == WHAT_RTO;
assign stat_rto_limit = res_valid && t_rto_limit;

endmodule

`resetall
