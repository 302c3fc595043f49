// SPDX-License-Identifier: MIT
/*
 * Receive engine, the segment part (revision 1.3): the twin of
 * rx_engine_segment() in sw-model/rx_engine.c. For a segment eth_rx_parse
 * gives to the engine (lookup hit, ACK set, none of SYN/FIN/RST/URG), the
 * slot's context record comes out of the context RAM, tcp_rx applies the
 * rules, and in cycle D the record is written back and the outputs are
 * queued:
 *
 *   - the payload range for host_dma_wr (if the frame was kept: it has
 *     payload), or "discard" if nothing of it is delivered:
 *     eres {discard, start = 34 + 4 * data offset + head trim, len, seq};
 *   - an ACKED event {slot, new snd_una} if snd_una advanced;
 *   - if the segment acknowledged new data or was a duplicate ACK: a
 *     follow-up {send_ack, dupack, acked, dupacks, acked amount, slot}
 *     for tx_engine, which applies tcp_cc (and tcp_timers, the RETRANS
 *     event, the pure ACK) between two received frames: the divider of
 *     congestion avoidance takes up to 23 cycles, more than this fixed
 *     pipeline has (ENGINE.md 1). No ACK here then;
 *   - else, if an ACK is to be sent, a pure ACK request for
 *     tcp_hdr_build: the context after the segment, seq = tcp_out_high,
 *     ack = rcv_nxt, window = rcv_wnd, the IP ID (which the record takes
 *     + 1); the record's ACK_PENDING and DELACK clear (tcp_out_sent of
 *     an ACK). Gated like a host raw frame: with the link down or the
 *     card disabled in D it is dropped and counted;
 *   - a kick of the slot for the transmit scheduler when the segment
 *     changed the send window (nothing else a segment without follow-up
 *     changes can let the slot send; the follow-up kicks after its step);
 *   - counter pulses.
 *
 * Timing (J = the cycle toe_nic pops the segment's job from its job
 * queue, some time after the verdict):
 *
 *   cycle  what happens
 *   -----  ------------------------------------------------------------
 *   J      the RAM reads the slot (toe_nic drives the job's slot)
 *   J+1    A: s_valid with the job; s_rec is the record; tcp_rx takes
 *          the fields, and the record, slot and sideband are registered
 *   J+2    B, J+3 C: the record, slot and sideband move along beside
 *          tcp_rx's stages
 *   J+4    D: tcp_rx's results; record written, outputs queued, the
 *          follow-up pushed
 *
 * A segment may enter in every cycle: toe_nic pops a job only when no
 * job of the same slot popped in the four cycles before (the read in J
 * comes after the write in J'+4), so segments of one slot need no
 * forwarding. A context command reads and writes the RAM only in R+6 of
 * its window R (ctx_port), which needs no job queued or in flight and
 * none popped before R+10 (toe_nic, rtl/README.md).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module rx_engine #
(
    // connection slots (power of two)
    parameter CONN_SLOTS = 1024,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS)
)
(
    input  wire              clk,
    input  wire              rst,

    /* the card's state, sampled in D for the ACK */
    input  wire              link_up,
    input  wire              enable,

    /* a segment for the engine, cycle A */
    input  wire              s_valid,
    input  wire              s_kept,        // its words are in the frame FIFO
    input  wire [SLOT_W-1:0] s_slot,
    input  wire [511:0]      s_rec,         // the slot's record (RAM read data)
    input  wire [31:0]       s_seq,
    input  wire [31:0]       s_ack,
    input  wire [15:0]       s_wnd,
    input  wire [15:0]       s_plen,
    input  wire [6:0]        s_hlen,

    /* context RAM write, cycle D */
    output wire              m_ram_wr,
    output wire [SLOT_W-1:0] m_ram_wr_addr,
    output wire [511:0]      m_ram_wr_data,

    /* payload range of a kept frame, for host_dma_wr, cycle D */
    output wire              m_eres_valid,
    output wire [64:0]       m_eres_data,   // {discard, start, len, seq}

    /* ACKED event, cycle D */
    output wire              m_acked_valid,
    output wire [47:0]       m_acked_data,  // {value, slot}

    /* pure ACK request, cycle D */
    output wire              m_ack_valid,
    output wire [239:0]      m_ack_data,    // see tcp_hdr_build

    /* follow-up for tx_engine, cycle D:
     * {send_ack, dupack, acked, dupacks[7:0], amount[31:0], slot[15:0]} */
    output wire              m_fu_valid,
    output wire [58:0]       m_fu_data,

    /* the slot may send more (its send window changed), cycle D */
    output wire              m_kick_valid,
    output wire [SLOT_W-1:0] m_kick_slot,

    /* counting, one-cycle pulses in D */
    output wire              stat_segment,
    output wire              stat_payload,
    output wire [15:0]       stat_payload_bytes,
    output wire              stat_acked,
    output wire [2:0]        stat_note,     // enum tcp_rx_note
    output wire              stat_dupack,
    output wire              stat_ack_sent,
    output wire              stat_ack_drop_link_down,
    output wire              stat_ack_drop_disabled
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */
/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

initial begin
    if (SLOT_W != $clog2(CONN_SLOTS)) begin
        $error("rx_engine: SLOT_W must be $clog2(CONN_SLOTS)");
        $finish;
    end
end

/* A: the record, slot and sideband, carried along beside tcp_rx to D
 * (B, C, then D's registers: a segment may enter in every cycle) */
reg [511:0]      rec_b_reg = 512'd0, rec_c_reg = 512'd0, rec_reg = 512'd0;
reg [SLOT_W-1:0] slot_b_reg = {SLOT_W{1'b0}}, slot_c_reg = {SLOT_W{1'b0}};
reg [SLOT_W-1:0] slot_reg = {SLOT_W{1'b0}};
reg              kept_b_reg = 1'b0, kept_c_reg = 1'b0, kept_reg = 1'b0;
reg [6:0]        hlen_b_reg = 7'd0, hlen_c_reg = 7'd0, hlen_reg = 7'd0;

always @(posedge clk) begin
    rec_b_reg <= s_rec;
    slot_b_reg <= s_slot;
    kept_b_reg <= s_kept;
    hlen_b_reg <= s_hlen;
    rec_c_reg <= rec_b_reg;
    slot_c_reg <= slot_b_reg;
    kept_c_reg <= kept_b_reg;
    hlen_c_reg <= hlen_b_reg;
    rec_reg <= rec_c_reg;
    slot_reg <= slot_c_reg;
    kept_reg <= kept_c_reg;
    hlen_reg <= hlen_c_reg;
end

wire        d_valid;
wire [2:0]  d_note;
wire        d_acked;
wire        d_send_ack;
wire        d_dupack;
wire [15:0] d_off;
wire [15:0] d_len;
wire [31:0] d_seq;
wire [31:0] d_snd_una;
wire [15:0] d_snd_wnd;
wire [7:0]  d_dupacks;
wire [31:0] d_rcv_nxt;
wire        d_ack_pending;

// TT_CTXF_ACK_PENDING is bit 1 of flags
wire s_ack_pending = s_rec[CTX_flags_LSB + 1];

tcp_rx
tcp_rx_inst (
    .clk(clk),
    .rst(rst),
    .s_valid(s_valid),
    .s_seq(s_seq),
    .s_ack(s_ack),
    .s_wnd(s_wnd),
    .s_len(s_plen),
    .s_snd_una(s_rec[CTX_snd_una_LSB +: CTX_snd_una_W]),
    .s_snd_nxt(s_rec[CTX_snd_nxt_LSB +: CTX_snd_nxt_W]),
    .s_snd_max(s_rec[CTX_snd_max_LSB +: CTX_snd_max_W]),
    .s_recover(s_rec[CTX_recover_LSB +: CTX_recover_W]),
    .s_snd_wnd(s_rec[CTX_snd_wnd_LSB +: CTX_snd_wnd_W]),
    .s_dupacks(s_rec[CTX_dupacks_LSB +: CTX_dupacks_W]),
    .s_rcv_nxt(s_rec[CTX_rcv_nxt_LSB +: CTX_rcv_nxt_W]),
    .s_rcv_wnd(s_rec[CTX_rcv_wnd_LSB +: CTX_rcv_wnd_W]),
    .s_rcv_wscale(s_rec[CTX_rcv_wscale_LSB +: CTX_rcv_wscale_W]),
    .s_mss(s_rec[CTX_mss_LSB +: CTX_mss_W]),
    .s_ack_pending(s_ack_pending),
    .m_valid(d_valid),
    .m_note(d_note),
    .m_acked(d_acked),
    .m_send_ack(d_send_ack),
    .m_dupack(d_dupack),
    .m_off(d_off),
    .m_len(d_len),
    .m_seq(d_seq),
    .m_snd_una(d_snd_una),
    .m_snd_wnd(d_snd_wnd),
    .m_dupacks(d_dupacks),
    .m_rcv_nxt(d_rcv_nxt),
    .m_ack_pending(d_ack_pending)
);

/* D: a congestion step to follow, or the ACK now */
wire d_fu = d_acked || d_dupack;
wire d_ack_now = d_send_ack && !d_fu;

/* D: the record after the segment (an ACK now takes the IP ID and the
 * record the next one; tcp_out_sent of an ACK clears ACK_PENDING and
 * DELACK) */
wire [15:0] old_ip_id = rec_reg[CTX_ip_id_LSB +: CTX_ip_id_W];
wire [31:0] old_snd_una = rec_reg[CTX_snd_una_LSB +: CTX_snd_una_W];
wire [15:0] old_snd_wnd = rec_reg[CTX_snd_wnd_LSB +: CTX_snd_wnd_W];
reg  [511:0] rec_new;

always @* begin
    rec_new = rec_reg;
    rec_new[CTX_flags_LSB + CTXF_ACK_PENDING] = d_ack_pending;
    if (d_ack_now) begin
        rec_new[CTX_flags_LSB + CTXF_DELACK] = 1'b0;
    end
    rec_new[CTX_snd_una_LSB +: CTX_snd_una_W] = d_snd_una;
    rec_new[CTX_snd_wnd_LSB +: CTX_snd_wnd_W] = d_snd_wnd;
    rec_new[CTX_dupacks_LSB +: CTX_dupacks_W] = d_dupacks;
    rec_new[CTX_rcv_nxt_LSB +: CTX_rcv_nxt_W] = d_rcv_nxt;
    rec_new[CTX_ip_id_LSB +: CTX_ip_id_W] = old_ip_id + {15'd0, d_ack_now};
end

assign m_ram_wr = d_valid;
assign m_ram_wr_addr = slot_reg;
assign m_ram_wr_data = rec_new;

wire [15:0] start = {9'd0, hlen_reg} + d_off;

assign m_eres_valid = d_valid && kept_reg;
assign m_eres_data = {d_len == 16'd0, start, d_len, d_seq};

assign m_acked_valid = d_valid && d_acked;
assign m_acked_data = {d_snd_una, {(16-SLOT_W){1'b0}}, slot_reg};

assign m_fu_valid = d_valid && d_fu;
assign m_fu_data = {d_send_ack, d_dupack, d_acked, d_dupacks, d_snd_una - old_snd_una,
                    {(16-SLOT_W){1'b0}}, slot_reg};

assign m_kick_valid = d_valid && !d_fu && (d_snd_wnd != old_snd_wnd);
assign m_kick_slot = slot_reg;

wire ack_gate_ok = link_up && enable;

// tcp_hdr_build's request: dst MAC (byte i in 8i+7:8i), src IP, dst IP,
// src port, dst port, seq, ack, window, IP ID
wire [47:0] peer_mac = rec_reg[CTX_peer_mac_LSB +: CTX_peer_mac_W];
wire [31:0] local_ip = rec_reg[CTX_local_ip_LSB +: CTX_local_ip_W];
wire [31:0] remote_ip = rec_reg[CTX_remote_ip_LSB +: CTX_remote_ip_W];
wire [15:0] local_port = rec_reg[CTX_local_port_LSB +: CTX_local_port_W];
wire [15:0] remote_port = rec_reg[CTX_remote_port_LSB +: CTX_remote_port_W];
wire [31:0] snd_nxt = rec_reg[CTX_snd_nxt_LSB +: CTX_snd_nxt_W];
wire [31:0] snd_max = rec_reg[CTX_snd_max_LSB +: CTX_snd_max_W];
wire [31:0] recover = rec_reg[CTX_recover_LSB +: CTX_recover_W];
wire [15:0] rcv_wnd = rec_reg[CTX_rcv_wnd_LSB +: CTX_rcv_wnd_W];
// the highest sequence sent, of the record after tcp_rx (ENGINE.md 1.6)
wire [31:0] ack_seq = tcp_out_high(d_snd_una, snd_nxt, snd_max, recover);

assign m_ack_valid = d_valid && d_ack_now && ack_gate_ok;
assign m_ack_data = {peer_mac, local_ip, remote_ip, local_port, remote_port,
                     ack_seq, d_rcv_nxt, rcv_wnd, old_ip_id};

assign stat_segment = d_valid;
assign stat_payload = d_valid && (d_len != 16'd0);
assign stat_payload_bytes = d_valid ? d_len : 16'd0;
assign stat_acked = d_valid && d_acked;
assign stat_note = d_valid ? d_note : 3'd0;
assign stat_dupack = d_valid && d_dupack;
assign stat_ack_sent = d_valid && d_ack_now && ack_gate_ok;
assign stat_ack_drop_link_down = d_valid && d_ack_now && !link_up;
assign stat_ack_drop_disabled = d_valid && d_ack_now && link_up && !enable;

endmodule

`resetall
