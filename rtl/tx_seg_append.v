// SPDX-License-Identifier: MIT
/*
 * Appends a data segment's payload to the 54-byte header tcp_hdr_build
 * makes (revision 1.3). The header's last beat (beat 6) carries bytes
 * 48-53 in lanes 0-5, so the payload starts at lane 6: beat 6 takes
 * payload bytes 0-1 in lanes 6-7, and beat 6 + j (j >= 1) is bytes 2-7
 * of payload word j - 1 in lanes 0-5 and bytes 0-1 of word j in 6-7. Frames without payload (pure
 * ACKs, s_len = 0) pass through unchanged.
 *
 * s_len is the payload length of the frame whose header comes next (one
 * entry per frame, in order); the payload words are read from the payload
 * buffer, a block RAM with a registered read: s_pay_data is word
 * m_pay_addr of the cycle before, so m_pay_addr names the word the next
 * cycle needs (word 0 while a header goes out, word j + 1 when the beat
 * of word j leaves). m_pay_done pulses when the frame's last beat leaves,
 * so the buffer may be refilled.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tx_seg_append #
(
    // payload buffer address width (64-bit words)
    parameter PAY_ADDR_W = 10
)
(
    input  wire                  clk,
    input  wire                  rst,

    /* payload length of the next frame */
    input  wire [15:0]           s_len,
    input  wire                  s_len_valid,
    output wire                  s_len_ready,

    /* header from tcp_hdr_build */
    input  wire [63:0]           s_axis_tdata,
    input  wire [7:0]            s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,

    /* payload buffer read port */
    output wire [PAY_ADDR_W-1:0] m_pay_addr,
    input  wire [63:0]           s_pay_data,
    output wire                  m_pay_done,

    /* the frame */
    output wire [63:0]           m_axis_tdata,
    output wire [7:0]            m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast
);

reg                  tail_reg = 1'b0;       // sending payload beats 7..
reg [PAY_ADDR_W-1:0] word_reg = {PAY_ADDR_W{1'b0}};  // payload word j of the beat
reg [15:0]           left_reg = 16'd0;      // frame bytes from this beat on
reg [47:0]           carry_reg = 48'd0;     // bytes 2-7 of word j - 1

// bytes of the frame from the header's last beat on: 6 + len
wire [15:0] frame_left6 = 16'd6 + s_len;

// keep of a last beat holding n (1..8) bytes
function [7:0] keep_of;
    input [15:0] n;
    begin
        keep_of = (n >= 16'd8) ? 8'hff : ((8'h01 << n[2:0]) - 8'h01);
    end
endfunction

wire hdr_last = s_axis_tvalid && s_axis_tlast && !tail_reg;
wire has_pay = s_len_valid && (s_len != 16'd0);

reg [63:0] o_data;
reg [7:0]  o_keep;
reg        o_last;
reg        o_valid;

always @* begin
    o_data = s_axis_tdata;
    o_keep = s_axis_tkeep;
    o_last = s_axis_tlast;
    o_valid = s_axis_tvalid && (!s_axis_tlast || s_len_valid);
    if (tail_reg) begin
        o_data = {s_pay_data[15:0], carry_reg};
        o_keep = keep_of(left_reg);
        o_last = (left_reg <= 16'd8);
        o_valid = 1'b1;
    end else if (hdr_last && has_pay) begin
        o_data = {s_pay_data[15:0], s_axis_tdata[47:0]};
        o_keep = keep_of(frame_left6);
        o_last = (frame_left6 <= 16'd8);
    end
end

wire o_move = o_valid && m_axis_tready;

always @(posedge clk) begin
    if (o_move) begin
        if (tail_reg) begin
            carry_reg <= s_pay_data[63:16];
            word_reg <= word_reg + 1'b1;
            left_reg <= left_reg - 16'd8;
            if (left_reg <= 16'd8) begin
                tail_reg <= 1'b0;
            end
        end else if (hdr_last && has_pay && frame_left6 > 16'd8) begin
            tail_reg <= 1'b1;
            carry_reg <= s_pay_data[63:16];
            word_reg <= {{(PAY_ADDR_W-1){1'b0}}, 1'b1};
            left_reg <= frame_left6 - 16'd8;
        end
    end
    if (rst) begin
        tail_reg <= 1'b0;
    end
end

// the word the next cycle's beat takes (the buffer answers a cycle
// later): word 0 before the header's last beat, then one word per beat
reg [PAY_ADDR_W-1:0] pay_addr;

always @* begin
    pay_addr = tail_reg ? word_reg : {PAY_ADDR_W{1'b0}};
    if (o_move) begin
        if (tail_reg) begin
            pay_addr = (left_reg <= 16'd8) ? {PAY_ADDR_W{1'b0}} : word_reg + 1'b1;
        end else if (hdr_last && has_pay && frame_left6 > 16'd8) begin
            pay_addr = {{(PAY_ADDR_W-1){1'b0}}, 1'b1};
        end
    end
end

assign m_pay_addr = pay_addr;
assign s_axis_tready = !tail_reg && m_axis_tready && (!s_axis_tlast || s_len_valid);
assign s_len_ready = o_move && o_last;
assign m_pay_done = o_move && o_last && (tail_reg || has_pay);

assign m_axis_tdata = o_data;
assign m_axis_tkeep = o_keep;
assign m_axis_tvalid = o_valid;
assign m_axis_tlast = o_last;

endmodule

`resetall
