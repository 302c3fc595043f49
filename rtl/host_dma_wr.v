// SPDX-License-Identifier: MIT
/*
 * Host DMA writer: for each frame kept in the RX frame FIFO (in order),
 * one descriptor on m_axis_dma_hdr and then its bytes on m_axis_dma, or
 * nothing:
 *
 *   exception            kind EXCEPTION, the reason, length L, the slot,
 *                        sequence 0; all L bytes of the frame
 *   engine, payload      kind PAYLOAD, reason 0, length len, the slot,
 *                        sequence seq; frame bytes [start, start + len)
 *   engine, nothing      no descriptor; the frame's words are read and
 *                        dropped
 *
 * An engine frame's meta entry (pushed with the verdict) waits for its
 * payload range from rx_engine (eres, pushed three cycles later, in frame
 * order, one for each kept engine frame). dma_realign reads the frame and
 * sends the range.
 *
 * Descriptor (128 bits):
 *   [7:0] kind   [15:8] reason   [31:16] length   [47:32] slot
 *   [63:48] 0    [95:64] sequence                 [127:96] 0
 *
 * The descriptor of the next frame may be issued while the data of the
 * current one still streams (each descriptor still precedes its own data),
 * and the data of consecutive frames follows without a bubble. done
 * counts finished frames (data sent, or dropped) for the context port's
 * output fence.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module host_dma_wr
(
    input  wire          clk,
    input  wire          rst,

    /* kept frames: length, exception reason, connection slot, engine */
    input  wire [15:0]   s_meta_len,
    input  wire [7:0]    s_meta_reason,
    input  wire [15:0]   s_meta_slot,
    input  wire          s_meta_engine,
    input  wire          s_meta_valid,
    output wire          s_meta_ready,

    /* payload ranges of kept engine frames: {discard, start, len, seq} */
    input  wire [64:0]   s_eres_data,
    input  wire          s_eres_valid,
    output wire          s_eres_ready,

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
    output wire          m_axis_dma_tlast,

    /* frames finished this cycle (0..2) */
    output wire [1:0]    done
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

/* the job at the head: an engine frame needs its range */
wire        eres_discard = s_eres_data[64];
wire [15:0] eres_start = s_eres_data[63:48];
wire [15:0] eres_len = s_eres_data[47:32];
wire [31:0] eres_seq = s_eres_data[31:0];

wire head_ready = s_meta_valid && (!s_meta_engine || s_eres_valid);
wire head_desc = !s_meta_engine || !eres_discard;    // has a descriptor

/* descriptor issued (or none), data not started */
reg        pend_valid_reg = 1'b0;
reg [12:0] pend_words_reg = 13'd0;
reg [12:0] pend_skip_reg = 13'd0;
reg [2:0]  pend_shift_reg = 3'd0;
reg [15:0] pend_len_reg = 16'd0;

wire pend_ready;
// a new job waits until pend is empty (every kept frame has two words or
// more, so this one-cycle gap never starves dma_realign)
wire pend_free = !pend_valid_reg;
wire hdr_fire = m_axis_dma_hdr_tvalid && m_axis_dma_hdr_tready;
// a job without a descriptor goes straight to pend
wire take_quiet = head_ready && !head_desc && pend_free;
wire take = hdr_fire || take_quiet;

assign m_axis_dma_hdr_tvalid = head_ready && head_desc && pend_free;
assign m_axis_dma_hdr_tdata = s_meta_engine ?
    {32'd0, eres_seq, 16'd0, s_meta_slot, eres_len, 8'd0, TT_DMA_PAYLOAD} :
    {32'd0, 32'd0, 16'd0, s_meta_slot, s_meta_len, s_meta_reason, TT_DMA_EXCEPTION};

assign s_meta_ready = take;
assign s_eres_ready = take && s_meta_engine;

// words of a frame of len bytes
function [12:0] len_words(input [15:0] len);
    len_words = len[15:3] + {12'd0, len[2:0] != 3'd0};
endfunction

always @(posedge clk) begin
    if (take) begin
        pend_valid_reg <= 1'b1;
        pend_words_reg <= len_words(s_meta_len);
        pend_skip_reg <= s_meta_engine ? eres_start[15:3] : 13'd0;
        pend_shift_reg <= s_meta_engine ? eres_start[2:0] : 3'd0;
        pend_len_reg <= !s_meta_engine ? s_meta_len : (eres_discard ? 16'd0 : eres_len);
    end else if (pend_ready) begin
        pend_valid_reg <= 1'b0;
    end

    if (rst) begin
        pend_valid_reg <= 1'b0;
    end
end

dma_realign
dma_realign_inst (
    .clk(clk),
    .rst(rst),
    .s_job_words(pend_words_reg),
    .s_job_skip(pend_skip_reg),
    .s_job_shift(pend_shift_reg),
    .s_job_len(pend_len_reg),
    .s_job_valid(pend_valid_reg),
    .s_job_ready(pend_ready),
    .s_fifo_data(s_fifo_data),
    .s_fifo_valid(s_fifo_valid),
    .s_fifo_ready(s_fifo_ready),
    .m_axis_tdata(m_axis_dma_tdata),
    .m_axis_tkeep(m_axis_dma_tkeep),
    .m_axis_tvalid(m_axis_dma_tvalid),
    .m_axis_tready(m_axis_dma_tready),
    .m_axis_tlast(m_axis_dma_tlast),
    .done(done)
);

endmodule

`resetall
