// SPDX-License-Identifier: MIT
/*
 * Byte-range realigner: for each job, sends bytes [start, start + len) of
 * a stored frame as a stream that begins at byte lane 0 (len 0: nothing).
 * A whole exception frame is start 0, len = its length; a segment's
 * payload starts after its headers at any byte.
 *
 * The RX frame FIFO reads only the words of the range (frame words
 * start / 8 .. (start + len - 1) / 8, the last one with s_fifo_last) and
 * none for len 0, so the words come here in ranges, one per job with len
 * > 0, in job order. Output word j is range bytes shift + 8j .. shift +
 * 8j + 7 with shift = start % 8: the upper 8 - shift bytes of range word
 * j and the lower shift bytes of the next one. The word in `cur` is sent
 * when the next one is at the FIFO's head (or cur is its range's last
 * word, or shift is 0). A range of len bytes has ceil(len / 8) output
 * words and as many words, or one more (its last word then only lends
 * bytes to the output word before it).
 *
 * Words are taken into cur whenever it is free, also the first word of a
 * range whose job has not come yet (host_dma_wr hands a job over with its
 * descriptor, see there); cur is processed once its job is here. The job
 * registers are free (s_job_ready) from the cycle after the last word of
 * a range was processed, or an empty job ended:
 *
 *   cycle  what happens (output always ready, words waiting)
 *   -----  ------------------------------------------------------------
 *   P      the range's last word processed: its last output word is
 *          loaded into the output register
 *   P+1    the job registers free; the next job may come (its descriptor
 *          issued); the last output word taken
 *   P+2    the next job's first output word loaded (cur holds its first
 *          word, the FIFO's head the second)
 *
 * done pulses when a job's last output word is taken (len 0: when it
 * ends, after every output word before it was taken): jobs end in order,
 * up to two in one cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_realign
(
    input  wire         clk,
    input  wire         rst,

    /* jobs */
    input  wire [2:0]   s_job_shift,
    input  wire [15:0]  s_job_len,
    input  wire         s_job_valid,
    output wire         s_job_ready,

    /* range words out of the RX FIFO */
    input  wire [63:0]  s_fifo_data,
    input  wire         s_fifo_last,
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

/* the job of the word in cur (or of the next word to come) */
reg        job_valid_reg = 1'b0;
reg [12:0] outw_reg = 13'd0;      // output words left
reg [2:0]  shift_reg = 3'd0;
reg [2:0]  tail_reg = 3'd0;       // len % 8
reg        empty_job_reg = 1'b0;  // len 0

/* the word held */
reg        cur_valid_reg = 1'b0;
reg [63:0] cur_reg = 64'd0;
reg        cur_last_reg = 1'b0;   // the last word of its range

/* output register */
reg [63:0] out_data_reg = 64'd0;
reg [7:0]  out_keep_reg = 8'd0;
reg        out_valid_reg = 1'b0;
reg        out_last_reg = 1'b0;

wire out_free = !out_valid_reg || m_axis_tready;

assign s_job_ready = !job_valid_reg;

// processing cur (its job is here and has bytes): it makes an output word
// while output words are left; that word needs the next range word
// unless shift is 0 or cur is the range's last
wire emit = (outw_reg != 13'd0);
wire need_next = emit && (shift_reg != 3'd0) && !cur_last_reg;
wire use_cur = cur_valid_reg && job_valid_reg && !empty_job_reg &&
               (!need_next || s_fifo_valid) && (!emit || out_free);

// an empty job ends once every output word before it is taken
wire end_empty = job_valid_reg && empty_job_reg && out_free;

assign s_fifo_ready = !cur_valid_reg || use_cur;

wire [127:0] pair = {s_fifo_data, cur_reg};
wire [63:0]  shifted = pair[8*shift_reg +: 64];

function [7:0] keep_of(input [2:0] tail);
    keep_of = (tail == 3'd0) ? 8'hff : ~(8'hff << tail);
endfunction

wire out_last_word = (outw_reg == 13'd1);

always @(posedge clk) begin
    if (s_job_valid && s_job_ready) begin
        job_valid_reg <= 1'b1;
        outw_reg <= s_job_len[15:3] + {12'd0, s_job_len[2:0] != 3'd0};
        shift_reg <= s_job_shift;
        tail_reg <= s_job_len[2:0];
        empty_job_reg <= (s_job_len == 16'd0);
    end else if ((use_cur && cur_last_reg) || end_empty) begin
        job_valid_reg <= 1'b0;
    end else if (use_cur && emit) begin
        outw_reg <= outw_reg - 13'd1;
    end

    if (s_fifo_valid && s_fifo_ready) begin
        cur_valid_reg <= 1'b1;
        cur_reg <= s_fifo_data;
        cur_last_reg <= s_fifo_last;
    end else if (use_cur) begin
        cur_valid_reg <= 1'b0;
    end

    if (use_cur && emit) begin
        out_valid_reg <= 1'b1;
        out_data_reg <= shifted;
        out_keep_reg <= (out_last_word ? keep_of(tail_reg) : 8'hff);
        out_last_reg <= out_last_word;
    end else if (m_axis_tready) begin
        out_valid_reg <= 1'b0;
    end

    if (rst) begin
        job_valid_reg <= 1'b0;
        cur_valid_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;

// a job ends when its last output word is taken, or, with nothing to
// send, as above (out_free: no earlier word is left in the output)
wire done_out = out_valid_reg && m_axis_tready && out_last_reg;

assign done = {1'b0, done_out} + {1'b0, end_empty};

endmodule

`resetall
