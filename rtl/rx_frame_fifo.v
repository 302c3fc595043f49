// SPDX-License-Identifier: MIT
/*
 * Store-and-forward frame FIFO with commit / roll back.
 *
 * Words are written at the write pointer. The reader only sees words up to
 * the commit pointer. A commit pulse publishes every word written before
 * this cycle; a roll back pulse forgets them (the write pointer returns to
 * the commit pointer). A word written in the same cycle as a commit or a
 * roll back belongs to the next frame and is kept: on roll back it is
 * written at the old commit pointer.
 *
 * A word given on s_data / s_we is written WR_DELAY cycles later (a delay
 * line, so that the caller can give the words of a frame as they come and
 * commit or roll the frame back when its verdict is known WR_DELAY + 1
 * cycles after its last word); commit and roll back act when they are
 * given, on the words written so far. full leaves room for the words on
 * the delay line: it is high while WR_DELAY or fewer words are free, and
 * (a register) from the cycle after WR_DELAY + 1 were.
 *
 * Read side: one range job per committed frame, in frame order (a job
 * names a committed frame: the caller has its verdict): skip = words at
 * the frame's head passed over, words = words read after them (0: none),
 * total = the frame's words. Only the words of the range come out, the
 * last one with m_last; the rest of the frame is never read, the read
 * pointer jumps over it. So a header or a dropped frame costs no read
 * cycle: a job with words is taken in a cycle that fetches, and its first
 * word is fetched in that cycle (no bubble between ranges); a job without
 * words takes a fetch cycle and fetches nothing. A frame's space is free
 * once its last word is fetched (or its job taken, without words).
 *
 *   cycle  read side
 *   -----  ------------------------------------------------------------
 *   T      job taken, word base + skip fetched (RAM read)
 *   T+1    it is in the RAM output register; the next word fetched
 *   T+2    it is in the output register: m_data, m_valid
 *
 * The memory has one write port and one registered read port, so it maps
 * to block RAM. A fetch happens while the RAM output register is empty
 * or moves on into the output register (as in verilog-axis axis_fifo
 * with RAM_PIPELINE = 1).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module rx_frame_fifo #
(
    // depth in words (power of two)
    parameter DEPTH = 2048,
    // word width
    parameter DATA_W = 64,
    // cycles from s_we to the write
    parameter WR_DELAY = 0
)
(
    input  wire              clk,
    input  wire              rst,

    /* write side */
    input  wire [DATA_W-1:0] s_data,
    input  wire              s_we,        // only when !full
    input  wire              commit,
    input  wire              rollback,
    output wire              full,

    /* read side: a range of each committed frame, in frame order */
    input  wire [12:0]       s_rd_skip,
    input  wire [12:0]       s_rd_words,
    input  wire [12:0]       s_rd_total,
    input  wire              s_rd_valid,
    output wire              s_rd_ready,

    output wire [DATA_W-1:0] m_data,
    output wire              m_last,      // the last word of its range
    output wire              m_valid,
    input  wire              m_ready
);

localparam ADDR_W = $clog2(DEPTH);

initial begin
    if (DEPTH < 2 || (2**ADDR_W) != DEPTH) begin
        $error("rx_frame_fifo: DEPTH must be a power of two");
        $finish;
    end
    if (WR_DELAY < 0 || WR_DELAY + 3 > DEPTH) begin
        $error("rx_frame_fifo: WR_DELAY must be 0 .. DEPTH-3");
        $finish;
    end
end

reg [ADDR_W:0] wr_ptr_reg = {ADDR_W+1{1'b0}}, wr_ptr_next;
reg [ADDR_W:0] commit_ptr_reg = {ADDR_W+1{1'b0}}, commit_ptr_next;
// the first word not yet free: the frame being fetched, or the next one
reg [ADDR_W:0] rd_ptr_reg = {ADDR_W+1{1'b0}};
// the range being fetched: next address, words left, the frame's end
reg [ADDR_W:0] fa_reg = {ADDR_W+1{1'b0}};
reg [12:0]     fleft_reg = 13'd0;
reg [ADDR_W:0] fend_reg = {ADDR_W+1{1'b0}};

(* ram_style = "block" *)
reg [DATA_W-1:0] mem[(2**ADDR_W)-1:0];

reg [DATA_W-1:0] mem_rd_data_reg = {DATA_W{1'b0}};
reg              mem_rd_valid_reg = 1'b0;
reg              mem_rd_last_reg = 1'b0;
reg [DATA_W-1:0] out_data_reg = {DATA_W{1'b0}};
reg              out_valid_reg = 1'b0;
reg              out_last_reg = 1'b0;

/* the delay line */
wire [DATA_W-1:0] wr_data;
wire              wr_en;

generate
    if (WR_DELAY == 0) begin : g_nodelay
        assign wr_data = s_data;
        assign wr_en = s_we;
    end else begin : g_delay
        reg [DATA_W-1:0] dl_data_reg[WR_DELAY-1:0];
        reg [WR_DELAY-1:0] dl_we_reg = {WR_DELAY{1'b0}};
        integer d;

        always @(posedge clk) begin
            dl_data_reg[0] <= s_data;
            dl_we_reg[0] <= s_we;
            for (d = 1; d < WR_DELAY; d = d + 1) begin
                dl_data_reg[d] <= dl_data_reg[d-1];
                dl_we_reg[d] <= dl_we_reg[d-1];
            end

            if (rst) begin
                dl_we_reg <= {WR_DELAY{1'b0}};
            end
        end

        assign wr_data = dl_data_reg[WR_DELAY-1];
        assign wr_en = dl_we_reg[WR_DELAY-1];
    end
endgenerate

// words written (the delay line not counted); full from DEPTH - WR_DELAY.
// Registered: at most one word lands a cycle, so the flag of the last
// cycle taken one word early is never low when the FIFO is full now.
localparam integer FULL_AT_I = DEPTH - WR_DELAY - 1;
localparam [ADDR_W:0] FULL_AT = FULL_AT_I[ADDR_W:0];
wire [ADDR_W:0] used = wr_ptr_reg - rd_ptr_reg;
reg             full_reg = 1'b0;
assign full = full_reg;

always @(posedge clk) begin
    full_reg <= (used >= FULL_AT);
    if (rst) begin
        full_reg <= 1'b0;
    end
end

wire [ADDR_W:0] wr_base = rollback ? commit_ptr_reg : wr_ptr_reg;

assign m_data = out_data_reg;
assign m_last = out_last_reg;
assign m_valid = out_valid_reg;

// write pointers
always @* begin
    wr_ptr_next = wr_base + {{ADDR_W{1'b0}}, wr_en};
    commit_ptr_next = commit ? wr_ptr_reg : commit_ptr_reg;
end

always @(posedge clk) begin
    if (wr_en) begin
        mem[wr_base[ADDR_W-1:0]] <= wr_data;
    end
end

always @(posedge clk) begin
    wr_ptr_reg <= wr_ptr_next;
    commit_ptr_reg <= commit_ptr_next;

    if (rst) begin
        wr_ptr_reg <= {ADDR_W+1{1'b0}};
        commit_ptr_reg <= {ADDR_W+1{1'b0}};
    end
end

// read: stage 0 is the RAM output register, stage 1 the output register
wire out_move = m_ready || !out_valid_reg;
wire mem_read = out_move || !mem_rd_valid_reg;

// job lengths as pointer offsets (a frame is shorter than the FIFO)
wire [31:0] skip_w = {19'd0, s_rd_skip};
wire [31:0] total_w = {19'd0, s_rd_total};
wire [ADDR_W:0] job_start = rd_ptr_reg + skip_w[ADDR_W:0];
wire [ADDR_W:0] job_end = rd_ptr_reg + total_w[ADDR_W:0];
wire unused_job_bits = &{1'b0, skip_w[31:ADDR_W+1], total_w[31:ADDR_W+1]};

wire fetching = (fleft_reg != 13'd0);
assign s_rd_ready = mem_read && !fetching;
wire take_job = s_rd_valid && s_rd_ready;
wire fetch = mem_read && (fetching || (take_job && s_rd_words != 13'd0));
wire [ADDR_W-1:0] fetch_addr = fetching ? fa_reg[ADDR_W-1:0] : job_start[ADDR_W-1:0];
wire fetch_last = fetching ? (fleft_reg == 13'd1) : (s_rd_words == 13'd1);

always @(posedge clk) begin
    if (mem_read) begin
        mem_rd_data_reg <= mem[fetch_addr];
    end
end

always @(posedge clk) begin
    if (out_move) begin
        out_valid_reg <= mem_rd_valid_reg;
        out_data_reg <= mem_rd_data_reg;
        out_last_reg <= mem_rd_last_reg;
    end

    if (mem_read) begin
        mem_rd_valid_reg <= fetch;
        mem_rd_last_reg <= fetch_last;
    end

    if (take_job) begin
        // the first word (if any) is fetched now; a range of one word or
        // none leaves the frame at once
        fa_reg <= job_start + 1;
        fleft_reg <= (s_rd_words == 13'd0) ? 13'd0 : s_rd_words - 13'd1;
        fend_reg <= job_end;
        if (s_rd_words <= 13'd1) begin
            rd_ptr_reg <= job_end;
        end
    end else if (fetch) begin
        fa_reg <= fa_reg + 1;
        fleft_reg <= fleft_reg - 13'd1;
        if (fetch_last) begin
            rd_ptr_reg <= fend_reg;
        end
    end

    if (rst) begin
        rd_ptr_reg <= {ADDR_W+1{1'b0}};
        fleft_reg <= 13'd0;
        mem_rd_valid_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
