// SPDX-License-Identifier: MIT
/*
 * One follow-up of a received segment (ENGINE.md 1, follow-up part), the
 * step tx_engine runs on a record after rx_engine: the twin of
 * rx_engine_followup() in sw-model/rx_engine.c. tx_engine has two, so
 * that the follow-ups of two slots run side by side; it gives each its
 * follow-up in queue order and lets them end in that order.
 *
 *   cycle  what happens
 *   -----  ------------------------------------------------------------
 *   P      s_start: the follow-up {send_ack, dupack, acked, dupacks,
 *          amount}; tx_engine reads the slot's record
 *   P+1    RD: the record is registered
 *   CC     tcp_cc NEW_ACK (s_acked = the amount) or DUP_ACK judged with
 *          the carried count (the record keeps its own count unless the
 *          step clears it): 5 cycles, up to 23 in congestion avoidance
 *          less the divider steps it skips
 *   TM     (an ACK of new data) tcp_timers ACK on the record after
 *          tcp_cc: 3 cycles
 *   FIN    m_fin: the record to write (m_rec: ACK_PENDING and DELACK
 *          clear and the IP ID advances if a pure ACK is sent), the pure
 *          ACK's request at tcp_out_high after the step (m_ack_req, if
 *          m_send_ack), the RETRANS event {m_retx_seq} if m_retx (m_fast:
 *          a fast retransmit); it ends in the first cycle s_end is high
 *
 * From P to the end the follow-up owns the slot (m_slot, m_free low).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tx_followup #
(
    // slot number width
    parameter SLOT_W = 10
)
(
    input  wire              clk,
    input  wire              rst,

    /* start: the follow-up {send_ack, dupack, acked, dupacks[7:0],
     * amount[31:0]} of slot s_slot, its record on s_ram_rd_data a cycle
     * later */
    input  wire              s_start,
    input  wire [SLOT_W-1:0] s_slot,
    input  wire [42:0]       s_fu,
    input  wire [511:0]      s_ram_rd_data,

    /* state */
    output wire              m_free,
    output wire [SLOT_W-1:0] m_slot,

    /* the end: waiting for s_end from m_fin on */
    output wire              m_fin,
    input  wire              s_end,
    output wire [511:0]      m_rec,
    output wire              m_send_ack,
    output wire [239:0]      m_ack_req,
    output wire              m_retx,
    output wire [31:0]       m_retx_seq,
    output wire              m_fast,
    // the trace item's value: the amount, 0 for a duplicate ACK
    output wire [31:0]       m_trace_value
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */
/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
// (Verilator's lint takes this module's copy of the functions for one
// hiding tx_engine's, its instantiator's)
/* verilator lint_off VARHIDDEN */
`include "tcp_seq.vh"
/* verilator lint_on VARHIDDEN */

// enum tcp_cc_what (tcp_cc.h)
localparam [3:0] CC_FAST_RETRANSMIT = 4'd6;
localparam [3:0] CC_DUP_ZERO_WINDOW = 4'd9;

localparam [2:0] F_FREE = 3'd0;
localparam [2:0] F_RD = 3'd1;
localparam [2:0] F_CC = 3'd2;
localparam [2:0] F_TM = 3'd3;
localparam [2:0] F_FIN = 3'd4;

reg [2:0]        state_reg = F_FREE;
reg [SLOT_W-1:0] slot_reg = {SLOT_W{1'b0}};
reg [511:0]      rec_reg = 512'd0;
reg              send_ack_reg = 1'b0;
reg              dupack_reg = 1'b0;
reg              acked_reg = 1'b0;
reg [7:0]        dupacks_reg = 8'd0;
reg [31:0]       amount_reg = 32'd0;
reg              retx_reg = 1'b0;
reg [31:0]       retx_seq_reg = 32'd0;
reg              fast_reg = 1'b0;
reg              issued_reg = 1'b0;   // the stage has the operation

wire [15:0] rec_ip_id = rec_reg[CTX_ip_id_LSB +: CTX_ip_id_W];
wire [31:0] rec_snd_una = rec_reg[CTX_snd_una_LSB +: CTX_snd_una_W];
wire [31:0] rec_snd_nxt = rec_reg[CTX_snd_nxt_LSB +: CTX_snd_nxt_W];
wire [31:0] rec_snd_max = rec_reg[CTX_snd_max_LSB +: CTX_snd_max_W];
wire [31:0] rec_recover = rec_reg[CTX_recover_LSB +: CTX_recover_W];

wire        in_cc = (state_reg == F_CC);
wire        in_tm = (state_reg == F_TM);
wire        cc_s_ready;
wire        cc_valid;
wire [3:0]  cc_what;
wire        cc_retransmit;
wire [31:0] cc_seq;
wire [7:0]  cc_flags;
wire [31:0] cc_snd_nxt;
wire [31:0] cc_recover;
wire [31:0] cc_cwnd;
wire [31:0] cc_ssthresh;
wire [7:0]  cc_dupacks_unused;

tcp_cc
tcp_cc_inst (
    .clk(clk),
    .rst(rst),
    .s_valid(in_cc && !issued_reg),
    .s_ready(cc_s_ready),
    .s_op(dupack_reg),
    .s_acked(amount_reg),
    .s_flags(rec_reg[CTX_flags_LSB +: CTX_flags_W]),
    .s_mss(rec_reg[CTX_mss_LSB +: CTX_mss_W]),
    .s_snd_una(rec_snd_una),
    .s_snd_nxt(rec_snd_nxt),
    .s_snd_max(rec_snd_max),
    .s_recover(rec_recover),
    .s_cwnd(rec_reg[CTX_cwnd_LSB +: CTX_cwnd_W]),
    .s_ssthresh(rec_reg[CTX_ssthresh_LSB +: CTX_ssthresh_W]),
    .s_snd_wnd(rec_reg[CTX_snd_wnd_LSB +: CTX_snd_wnd_W]),
    // a duplicate ACK is judged by the count its segment made
    .s_dupacks(dupack_reg ? dupacks_reg : rec_reg[CTX_dupacks_LSB +: CTX_dupacks_W]),
    .m_valid(cc_valid),
    .m_ready(in_cc && issued_reg),
    .m_what(cc_what),
    .m_retransmit(cc_retransmit),
    .m_seq(cc_seq),
    .m_flags(cc_flags),
    .m_snd_nxt(cc_snd_nxt),
    .m_recover(cc_recover),
    .m_cwnd(cc_cwnd),
    .m_ssthresh(cc_ssthresh),
    .m_dupacks(cc_dupacks_unused)
);

wire        tm_valid;
wire [2:0]  tm_what_unused;
wire        tm_send_ack_unused;
wire        tm_retransmit_unused;
wire [31:0] tm_seq_unused;
wire        tm_rto_limit_unused;
wire [7:0]  tm_flags;
wire [7:0]  tm_retries;
wire [31:0] tm_snd_nxt;
wire [31:0] tm_recover;
wire [31:0] tm_cwnd;
wire [31:0] tm_ssthresh;
wire [15:0] tm_timer;
wire [7:0]  tm_dupacks;

tcp_timers
tcp_timers_inst (
    .clk(clk),
    .rst(rst),
    .s_valid(in_tm && !issued_reg),
    .s_op(1'b1),                       // OP_ACK
    .s_retry_limit(8'd0),
    .s_flags(rec_reg[CTX_flags_LSB +: CTX_flags_W]),
    .s_mss(rec_reg[CTX_mss_LSB +: CTX_mss_W]),
    .s_retries(rec_reg[CTX_retries_LSB +: CTX_retries_W]),
    .s_snd_una(rec_snd_una),
    .s_snd_nxt(rec_snd_nxt),
    .s_snd_max(rec_snd_max),
    .s_recover(rec_recover),
    .s_cwnd(rec_reg[CTX_cwnd_LSB +: CTX_cwnd_W]),
    .s_ssthresh(rec_reg[CTX_ssthresh_LSB +: CTX_ssthresh_W]),
    .s_snd_wnd(rec_reg[CTX_snd_wnd_LSB +: CTX_snd_wnd_W]),
    .s_rto(rec_reg[CTX_rto_LSB +: CTX_rto_W]),
    .s_timer(rec_reg[CTX_timer_LSB +: CTX_timer_W]),
    .s_dupacks(rec_reg[CTX_dupacks_LSB +: CTX_dupacks_W]),
    .m_valid(tm_valid),
    .m_what(tm_what_unused),
    .m_send_ack(tm_send_ack_unused),
    .m_retransmit(tm_retransmit_unused),
    .m_seq(tm_seq_unused),
    .m_rto_limit(tm_rto_limit_unused),
    .m_flags(tm_flags),
    .m_retries(tm_retries),
    .m_snd_nxt(tm_snd_nxt),
    .m_recover(tm_recover),
    .m_cwnd(tm_cwnd),
    .m_ssthresh(tm_ssthresh),
    .m_timer(tm_timer),
    .m_dupacks(tm_dupacks)
);

// the record after tcp_cc, and after tcp_timers
reg [511:0] rec_cc, rec_tm;

always @* begin
    rec_cc = rec_reg;
    rec_cc[CTX_flags_LSB +: CTX_flags_W] = cc_flags;
    rec_cc[CTX_snd_nxt_LSB +: CTX_snd_nxt_W] = cc_snd_nxt;
    rec_cc[CTX_recover_LSB +: CTX_recover_W] = cc_recover;
    rec_cc[CTX_cwnd_LSB +: CTX_cwnd_W] = cc_cwnd;
    rec_cc[CTX_ssthresh_LSB +: CTX_ssthresh_W] = cc_ssthresh;
    if (cc_what == CC_DUP_ZERO_WINDOW) begin
        rec_cc[CTX_dupacks_LSB +: CTX_dupacks_W] = 8'd0;
    end
    rec_tm = rec_reg;
    rec_tm[CTX_flags_LSB +: CTX_flags_W] = tm_flags;
    rec_tm[CTX_retries_LSB +: CTX_retries_W] = tm_retries;
    rec_tm[CTX_snd_nxt_LSB +: CTX_snd_nxt_W] = tm_snd_nxt;
    rec_tm[CTX_recover_LSB +: CTX_recover_W] = tm_recover;
    rec_tm[CTX_cwnd_LSB +: CTX_cwnd_W] = tm_cwnd;
    rec_tm[CTX_ssthresh_LSB +: CTX_ssthresh_W] = tm_ssthresh;
    rec_tm[CTX_timer_LSB +: CTX_timer_W] = tm_timer;
    rec_tm[CTX_dupacks_LSB +: CTX_dupacks_W] = tm_dupacks;
end

wire fin = (state_reg == F_FIN);

always @(posedge clk) begin
    case (state_reg)
        F_FREE: begin
            if (s_start) begin
                state_reg <= F_RD;
                slot_reg <= s_slot;
                {send_ack_reg, dupack_reg, acked_reg, dupacks_reg, amount_reg} <= s_fu;
                issued_reg <= 1'b0;
                retx_reg <= 1'b0;
                retx_seq_reg <= 32'd0;
                fast_reg <= 1'b0;
            end
        end
        F_RD: begin
            rec_reg <= s_ram_rd_data;
            state_reg <= F_CC;
        end
        F_CC: begin
            if (!issued_reg) begin
                issued_reg <= cc_s_ready;
            end else if (cc_valid) begin
                // the result, taken (m_ready) in this cycle
                rec_reg <= rec_cc;
                retx_reg <= cc_retransmit;
                retx_seq_reg <= cc_seq;
                fast_reg <= (cc_what == CC_FAST_RETRANSMIT);
                issued_reg <= 1'b0;
                state_reg <= acked_reg ? F_TM : F_FIN;
            end
        end
        F_TM: begin
            if (!issued_reg) begin
                issued_reg <= 1'b1;
            end else if (tm_valid) begin
                rec_reg <= rec_tm;
                issued_reg <= 1'b0;
                state_reg <= F_FIN;
            end
        end
        default: begin
            if (s_end) begin
                state_reg <= F_FREE;
            end
        end
    endcase
    if (rst) begin
        state_reg <= F_FREE;
    end
end

// the pure ACK at the highest sequence sent after the step takes the IP
// ID; tcp_out_sent of an ACK clears ACK_PENDING and DELACK
reg [511:0] rec_fin;

always @* begin
    rec_fin = rec_reg;
    if (send_ack_reg) begin
        rec_fin[CTX_flags_LSB + CTXF_ACK_PENDING] = 1'b0;
        rec_fin[CTX_flags_LSB + CTXF_DELACK] = 1'b0;
        rec_fin[CTX_ip_id_LSB +: CTX_ip_id_W] = rec_ip_id + 16'd1;
    end
end

// tcp_hdr_build's request (see rx_engine): no payload
assign m_ack_req = {rec_reg[CTX_peer_mac_LSB +: CTX_peer_mac_W],
                    rec_reg[CTX_local_ip_LSB +: CTX_local_ip_W],
                    rec_reg[CTX_remote_ip_LSB +: CTX_remote_ip_W],
                    rec_reg[CTX_local_port_LSB +: CTX_local_port_W],
                    rec_reg[CTX_remote_port_LSB +: CTX_remote_port_W],
                    tcp_out_high(rec_snd_una, rec_snd_nxt, rec_snd_max, rec_recover),
                    rec_reg[CTX_rcv_nxt_LSB +: CTX_rcv_nxt_W],
                    rec_reg[CTX_rcv_wnd_LSB +: CTX_rcv_wnd_W],
                    rec_ip_id};

assign m_free = (state_reg == F_FREE);
assign m_slot = slot_reg;
assign m_fin = fin;
assign m_rec = rec_fin;
assign m_send_ack = send_ack_reg;
assign m_retx = retx_reg;
assign m_retx_seq = retx_seq_reg;
assign m_fast = fast_reg;
assign m_trace_value = acked_reg ? amount_reg : 32'd0;

endmodule

`resetall
