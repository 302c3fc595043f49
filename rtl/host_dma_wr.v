// SPDX-License-Identifier: MIT
/*
 * Host DMA writer for exception frames: for each committed frame, one
 * descriptor on m_axis_dma_hdr, then its length bytes on m_axis_dma out of
 * the RX frame FIFO.
 *
 * Descriptor (128 bits):
 *   [7:0] kind   [15:8] reason   [31:16] length   [47:32] slot
 *   [63:48] 0    [95:64] sequence                 [127:96] 0
 *
 * The descriptor of the next frame may be issued while the data of the
 * current one still streams (each descriptor still precedes its own data),
 * and the data of consecutive frames follows without a bubble.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module host_dma_wr
(
    input  wire          clk,
    input  wire          rst,

    /* committed frames: length, exception reason and connection slot */
    input  wire [15:0]   s_meta_len,
    input  wire [7:0]    s_meta_reason,
    input  wire [15:0]   s_meta_slot,
    input  wire          s_meta_valid,
    output wire          s_meta_ready,

    /* frame words out of the RX FIFO */
    input  wire [63:0]   s_fifo_data,
    input  wire          s_fifo_valid,
    output wire          s_fifo_ready,

    /* DMA write descriptor */
    output wire [127:0]  m_axis_dma_hdr_tdata,
    output wire          m_axis_dma_hdr_tvalid,
    input  wire          m_axis_dma_hdr_tready,

    /* DMA write data */
    output wire [63:0]   m_axis_dma_tdata,
    output wire [7:0]    m_axis_dma_tkeep,
    output wire          m_axis_dma_tvalid,
    input  wire          m_axis_dma_tready,
    output wire          m_axis_dma_tlast
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

/* descriptor issued, data not started */
reg        pend_valid_reg = 1'b0, pend_valid_next;
reg [15:0] pend_len_reg = 16'd0, pend_len_next;

/* data of the current frame */
reg        busy_reg = 1'b0, busy_next;
reg [12:0] words_reg = 13'd0, words_next;    // words left, TT_MAX_FRAME/8 fits
reg [2:0]  tail_reg = 3'd0, tail_next;       // length % 8

wire hdr_fire = m_axis_dma_hdr_tvalid && m_axis_dma_hdr_tready;
wire data_fire = m_axis_dma_tvalid && m_axis_dma_tready;
wire last_word = (words_reg == 13'd1);

assign s_meta_ready = hdr_fire;

assign m_axis_dma_hdr_tvalid = s_meta_valid && !pend_valid_reg;
assign m_axis_dma_hdr_tdata = {32'd0, 32'd0, 16'd0, s_meta_slot,
                               s_meta_len, s_meta_reason, TT_DMA_EXCEPTION};

assign m_axis_dma_tdata = s_fifo_data;
assign m_axis_dma_tvalid = busy_reg && s_fifo_valid;
assign m_axis_dma_tlast = last_word;
assign m_axis_dma_tkeep = (!last_word || tail_reg == 3'd0) ? 8'hff
                          : ~(8'hff << tail_reg);
assign s_fifo_ready = busy_reg && m_axis_dma_tready;

// words of a frame of len bytes
function [12:0] len_words(input [15:0] len);
    len_words = len[15:3] + {12'd0, len[2:0] != 3'd0};
endfunction

always @* begin
    pend_valid_next = pend_valid_reg;
    pend_len_next = pend_len_reg;
    busy_next = busy_reg;
    words_next = words_reg;
    tail_next = tail_reg;

    if (data_fire) begin
        words_next = words_reg - 13'd1;
        if (last_word) begin
            busy_next = 1'b0;
        end
    end

    // start the pending frame when idle or right after the last word
    if (pend_valid_reg && (!busy_reg || (data_fire && last_word))) begin
        pend_valid_next = 1'b0;
        busy_next = 1'b1;
        words_next = len_words(pend_len_reg);
        tail_next = pend_len_reg[2:0];
    end

    if (hdr_fire) begin
        pend_valid_next = 1'b1;
        pend_len_next = s_meta_len;
    end
end

always @(posedge clk) begin
    pend_valid_reg <= pend_valid_next;
    pend_len_reg <= pend_len_next;
    busy_reg <= busy_next;
    words_reg <= words_next;
    tail_reg <= tail_next;

    if (rst) begin
        pend_valid_reg <= 1'b0;
        busy_reg <= 1'b0;
        words_reg <= 13'd0;
    end
end

endmodule

`resetall
