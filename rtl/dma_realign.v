// SPDX-License-Identifier: MIT
/*
 * Byte-range reader of stored frames: for each job, takes all the words
 * of one frame out of the RX frame FIFO and sends bytes [start, start +
 * len) of it as a stream that begins at byte lane 0 (len 0: the frame is
 * only read and dropped). A whole exception frame is start 0, len = its
 * length; a segment's payload starts after its headers at any byte.
 *
 * Output word j is frame bytes start + 8j .. start + 8j + 7: with
 * shift = start % 8 it is the upper 8 - shift bytes of frame word
 * start / 8 + j and the lower shift bytes of the next one. The word in
 * `cur` is sent when the next one is at the FIFO's head (or cur is its
 * frame's last word, or the output does not need the next word): one
 * word of lookahead and no bubble, also between frames.
 *
 * Job: words = ceil(frame length / 8) (>= 1), skip = start / 8,
 * shift = start % 8, len = bytes to send (start + len <= frame length).
 * done pulses when a job's last output word is taken (or its last word is
 * read, for len 0): up to two jobs may end in one cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_realign
(
    input  wire         clk,
    input  wire         rst,

    /* jobs */
    input  wire [12:0]  s_job_words,
    input  wire [12:0]  s_job_skip,
    input  wire [2:0]   s_job_shift,
    input  wire [15:0]  s_job_len,
    input  wire         s_job_valid,
    output wire         s_job_ready,

    /* frame words out of the RX FIFO */
    input  wire [63:0]  s_fifo_data,
    input  wire         s_fifo_valid,
    output wire         s_fifo_ready,

    /* the byte range */
    output wire [63:0]  m_axis_tdata,
    output wire [7:0]   m_axis_tkeep,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast,

    /* jobs finished this cycle */
    output wire [1:0]   done
);

/* the job of the word in cur */
reg [12:0] rem_reg = 13'd0;       // its words still in the FIFO
reg [12:0] skip_reg = 13'd0;      // words to pass before the first output
reg [12:0] outw_reg = 13'd0;      // output words left
reg [2:0]  shift_reg = 3'd0;
reg [2:0]  tail_reg = 3'd0;       // len % 8
reg        empty_job_reg = 1'b0;  // len 0

/* the word held */
reg        cur_valid_reg = 1'b0;
reg [63:0] cur_reg = 64'd0;
reg        cur_last_reg = 1'b0;   // the last word of its frame

/* output register */
reg [63:0] out_data_reg = 64'd0;
reg [7:0]  out_keep_reg = 8'd0;
reg        out_valid_reg = 1'b0;
reg        out_last_reg = 1'b0;
reg        out_done_reg = 1'b0;   // its job ends with it

wire out_free = !out_valid_reg || m_axis_tready;

// processing cur: it makes an output word if the skip is over and words
// are left; that word needs the next frame word unless shift is 0 or cur
// is the frame's last
wire emit = (skip_reg == 13'd0) && (outw_reg != 13'd0);
wire need_next = emit && (shift_reg != 3'd0) && !cur_last_reg;
wire use_cur = cur_valid_reg && (!need_next || s_fifo_valid) && (!emit || out_free);

// taking a word: into a free (or freed) cur, for cur's job or a new one
wire cur_free = !cur_valid_reg || use_cur;
wire take_same = cur_free && s_fifo_valid && (rem_reg != 13'd0);
wire take_new = cur_free && s_fifo_valid && (rem_reg == 13'd0) && s_job_valid;

assign s_fifo_ready = take_same || take_new;
assign s_job_ready = take_new;

wire [127:0] pair = {s_fifo_data, cur_reg};
wire [63:0]  shifted = pair[8*shift_reg +: 64];

function [7:0] keep_of(input [2:0] tail);
    keep_of = (tail == 3'd0) ? 8'hff : ~(8'hff << tail);
endfunction

wire out_last_word = (outw_reg == 13'd1);

always @(posedge clk) begin
    if (use_cur) begin
        if (skip_reg != 13'd0) begin
            skip_reg <= skip_reg - 13'd1;
        end else if (outw_reg != 13'd0) begin
            outw_reg <= outw_reg - 13'd1;
        end
    end

    if (take_new) begin
        rem_reg <= s_job_words - 13'd1;
        skip_reg <= s_job_skip;
        outw_reg <= s_job_len[15:3] + {12'd0, s_job_len[2:0] != 3'd0};
        shift_reg <= s_job_shift;
        tail_reg <= s_job_len[2:0];
        empty_job_reg <= (s_job_len == 16'd0);
    end else if (take_same) begin
        rem_reg <= rem_reg - 13'd1;
    end

    if (take_same || take_new) begin
        cur_valid_reg <= 1'b1;
        cur_reg <= s_fifo_data;
        cur_last_reg <= take_new ? (s_job_words == 13'd1) : (rem_reg == 13'd1);
    end else if (use_cur) begin
        cur_valid_reg <= 1'b0;
    end

    if (use_cur && emit) begin
        out_valid_reg <= 1'b1;
        out_data_reg <= shifted;
        out_keep_reg <= (out_last_word ? keep_of(tail_reg) : 8'hff);
        out_last_reg <= out_last_word;
        out_done_reg <= out_last_word;
    end else if (m_axis_tready) begin
        out_valid_reg <= 1'b0;
    end

    if (rst) begin
        rem_reg <= 13'd0;
        cur_valid_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;

// a job ends when its last output word is taken, or, with nothing to
// send, when its last frame word is processed
wire done_out = out_valid_reg && m_axis_tready && out_done_reg;
wire done_empty = use_cur && cur_last_reg && empty_job_reg;

assign done = {1'b0, done_out} + {1'b0, done_empty};

endmodule

`resetall
