// SPDX-License-Identifier: MIT
/*
 * Small synchronous FIFO, first-word-fall-through, in registers or LUT RAM
 * (asynchronous read). For descriptors and events, not frame data.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module small_fifo #
(
    // depth in entries (power of two)
    parameter DEPTH = 16,
    // entry width
    parameter DATA_W = 32,
    // count width
    parameter CNT_W = $clog2(DEPTH) + 1
)
(
    input  wire              clk,
    input  wire              rst,

    /* input */
    input  wire [DATA_W-1:0] s_data,
    input  wire              s_valid,
    output wire              s_ready,

    /* output */
    output wire [DATA_W-1:0] m_data,
    output wire              m_valid,
    input  wire              m_ready,

    /* status */
    output wire [CNT_W-1:0]  count
);

localparam ADDR_W = $clog2(DEPTH);

initial begin
    if (DEPTH < 2 || (2**ADDR_W) != DEPTH) begin
        $error("small_fifo: DEPTH must be a power of two, at least 2");
        $finish;
    end
    if (CNT_W != ADDR_W + 1) begin
        $error("small_fifo: CNT_W must be $clog2(DEPTH) + 1");
        $finish;
    end
end

reg [ADDR_W:0] wr_ptr_reg = {ADDR_W+1{1'b0}};
reg [ADDR_W:0] rd_ptr_reg = {ADDR_W+1{1'b0}};

reg [DATA_W-1:0] mem[(2**ADDR_W)-1:0];

wire full = (wr_ptr_reg[ADDR_W] != rd_ptr_reg[ADDR_W]) &&
            (wr_ptr_reg[ADDR_W-1:0] == rd_ptr_reg[ADDR_W-1:0]);
wire empty = (wr_ptr_reg == rd_ptr_reg);

assign s_ready = !full;
assign m_valid = !empty;
assign m_data = mem[rd_ptr_reg[ADDR_W-1:0]];
assign count = wr_ptr_reg - rd_ptr_reg;

always @(posedge clk) begin
    if (s_valid && !full) begin
        mem[wr_ptr_reg[ADDR_W-1:0]] <= s_data;
    end
end

always @(posedge clk) begin
    if (s_valid && !full) begin
        wr_ptr_reg <= wr_ptr_reg + 1;
    end
    if (m_ready && !empty) begin
        rd_ptr_reg <= rd_ptr_reg + 1;
    end

    if (rst) begin
        wr_ptr_reg <= {ADDR_W+1{1'b0}};
        rd_ptr_reg <= {ADDR_W+1{1'b0}};
    end
end

endmodule

`resetall
