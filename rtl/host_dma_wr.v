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
 *   engine, nothing      no descriptor; the frame is passed over
 *
 * An engine frame's meta entry (pushed with the verdict) waits for its
 * payload range from rx_engine (eres, pushed three cycles later, in frame
 * order, one for each kept engine frame).
 *
 * Descriptor (128 bits):
 *   [7:0] kind   [15:8] reason   [31:16] length   [47:32] slot
 *   [63:48] 0    [95:64] sequence                 [127:96] 0
 *
 * Two stages, so that the frame FIFO reads only what is sent and reads
 * it ahead of the descriptors:
 *
 *   take   the head frame (meta, and eres for an engine frame) gives the
 *          FIFO its range job (the words holding the bytes to send; none
 *          for a frame passed over) and a job queue (JOBQ_DEPTH) its
 *          descriptor and byte range; in a cycle the FIFO takes a job
 *   issue  the queue's head goes to dma_realign once its job registers
 *          are free (the cycle after the last word of the frame before
 *          was processed), with its descriptor issued on m_axis_dma_hdr
 *          in that cycle (or none, for a frame passed over)
 *
 * So each descriptor precedes its data, and the next frame's first words
 * wait in dma_realign and the FIFO meanwhile: a frame costs the output
 * its data words and two cycles (a host that takes a descriptor only
 * after the last data word of the one before: its descriptor cycle and
 * one more), and the FIFO one cycle per word sent (one per frame passed
 * over). done counts finished frames (data sent, or passed over), in
 * frame order, for the context port's output fence.
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

    /* range jobs for the RX FIFO, and the words it reads */
    output wire [12:0]   m_rd_skip,
    output wire [12:0]   m_rd_words,
    output wire [12:0]   m_rd_total,
    output wire          m_rd_valid,
    input  wire          m_rd_ready,
    input  wire [63:0]   s_fifo_data,
    input  wire          s_fifo_last,
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

/* take: the frame at the head; an engine frame needs its range */
wire        eres_discard = s_eres_data[64];
wire [15:0] eres_start = s_eres_data[63:48];
wire [15:0] eres_len = s_eres_data[47:32];
wire [31:0] eres_seq = s_eres_data[31:0];

wire head_ready = s_meta_valid && (!s_meta_engine || s_eres_valid);
wire head_desc = !s_meta_engine || !eres_discard;    // has a descriptor

// the bytes sent: [start, start + len) of the frame
wire [15:0] head_start = s_meta_engine ? eres_start : 16'd0;
wire [15:0] head_len = !s_meta_engine ? s_meta_len : (eres_discard ? 16'd0 : eres_len);

// the frame's words; the words holding the bytes sent (none for len 0)
wire [16:0] total_end = {1'b0, s_meta_len} + 17'd7;
wire [16:0] range_end = {1'b0, head_len} + {14'd0, head_start[2:0]} + 17'd7;
wire [12:0] head_total = total_end[15:3];
wire [12:0] head_words = (head_len == 16'd0) ? 13'd0 : range_end[15:3];
wire unused_ends = &{1'b0, total_end[16], total_end[2:0], range_end[16], range_end[2:0]};

localparam JOBQ_DEPTH = 4;

// queued: {descriptor?, engine, reason, slot, seq, len, shift}
wire [76:0] q_data;
wire        q_valid;
wire        q_ready;
wire        q_in_ready;
wire [$clog2(JOBQ_DEPTH):0] q_count_unused;

wire take = head_ready && q_in_ready && m_rd_ready;

assign m_rd_skip = head_start[15:3];
assign m_rd_words = head_words;
assign m_rd_total = head_total;
assign m_rd_valid = head_ready && q_in_ready;

assign s_meta_ready = take;
assign s_eres_ready = take && s_meta_engine;

small_fifo #(
    .DEPTH(JOBQ_DEPTH),
    .DATA_W(77)
)
job_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data({head_desc, s_meta_engine, s_meta_reason, s_meta_slot,
             s_meta_engine ? eres_seq : 32'd0, head_len, head_start[2:0]}),
    .s_valid(take),
    .s_ready(q_in_ready),
    .m_data(q_data),
    .m_valid(q_valid),
    .m_ready(q_ready),
    .count(q_count_unused)
);

/* issue: the queue's head to dma_realign, with its descriptor */
wire        q_desc = q_data[76];
wire        q_engine = q_data[75];
wire [7:0]  q_reason = q_data[74:67];
wire [15:0] q_slot = q_data[66:51];
wire [31:0] q_seq = q_data[50:19];
wire [15:0] q_len = q_data[18:3];
wire [2:0]  q_shift = q_data[2:0];

wire job_ready;

assign m_axis_dma_hdr_tvalid = q_valid && q_desc && job_ready;
assign m_axis_dma_hdr_tdata = q_engine ?
    {32'd0, q_seq, 16'd0, q_slot, q_len, 8'd0, TT_DMA_PAYLOAD} :
    {32'd0, 32'd0, 16'd0, q_slot, q_len, q_reason, TT_DMA_EXCEPTION};

wire job_valid = q_valid && (!q_desc || m_axis_dma_hdr_tready);
assign q_ready = job_valid && job_ready;

dma_realign
dma_realign_inst (
    .clk(clk),
    .rst(rst),
    .s_job_shift(q_shift),
    .s_job_len(q_len),
    .s_job_valid(job_valid),
    .s_job_ready(job_ready),
    .s_fifo_data(s_fifo_data),
    .s_fifo_last(s_fifo_last),
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
