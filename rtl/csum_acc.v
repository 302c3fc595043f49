// SPDX-License-Identifier: MIT
/*
 * Masked one's-complement checksum accumulator (RFC 1071), 8 bytes per beat.
 *
 * A beat carries 4 big-endian 16-bit words at even frame offsets: word k is
 * byte 2k (high) and byte 2k+1 (low), byte i being s_data[8*i+7:8*i]. Bytes
 * whose s_mask bit is clear count as zero, so an odd tail byte is padded
 * with zero as RFC 1071 asks. s_extra is one more 16-bit word added with
 * the beat (used for pseudo-header constants).
 *
 * Per beat: a 2-level adder tree sums the 4 masked words and s_extra, then
 * the tree is added to the 32-bit accumulator with its carry folded back
 * in (end-around carry). 2^32 = 1 (mod 0xffff), so the accumulator stays
 * congruent to the true sum for any length, and is zero only if every
 * counted word was zero. csum is the accumulator folded to 16 bits, the
 * same value as the C model's csum_fold(csum_add(...)).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module csum_acc #
(
    // beat width in bits (4 words of 16 bits)
    parameter DATA_W = 64,
    // byte mask width
    parameter KEEP_W = DATA_W/8
)
(
    input  wire              clk,
    input  wire              rst,

    /* beat input */
    input  wire [DATA_W-1:0] s_data,
    input  wire [KEEP_W-1:0] s_mask,
    input  wire [15:0]       s_extra,
    input  wire              s_valid,
    input  wire              s_first,   // restart the sum with this beat

    /* sum of every beat so far (valid the cycle after the last beat) */
    output wire [31:0]       sum,
    output wire [15:0]       csum
);

initial begin
    if (DATA_W != 64 || KEEP_W != 8) begin
        $error("csum_acc: DATA_W must be 64 (KEEP_W 8)");
        $finish;
    end
end

reg [31:0] acc_reg = 32'd0, acc_next;

// masked bytes
wire [DATA_W-1:0] data_m;

genvar n;
generate
    for (n = 0; n < KEEP_W; n = n + 1) begin : g_mask
        assign data_m[8*n +: 8] = s_mask[n] ? s_data[8*n +: 8] : 8'd0;
    end
endgenerate

// big-endian words: byte 2k is the high byte
wire [15:0] w0 = {data_m[7:0],   data_m[15:8]};
wire [15:0] w1 = {data_m[23:16], data_m[31:24]};
wire [15:0] w2 = {data_m[39:32], data_m[47:40]};
wire [15:0] w3 = {data_m[55:48], data_m[63:56]};

// adder tree
wire [16:0] t01 = {1'b0, w0} + {1'b0, w1};
wire [16:0] t23 = {1'b0, w2} + {1'b0, w3};
wire [17:0] t03 = {1'b0, t01} + {1'b0, t23};
wire [18:0] tree = {1'b0, t03} + {3'd0, s_extra};

// accumulate with end-around carry
wire [31:0] acc_base = s_first ? 32'd0 : acc_reg;
wire [32:0] acc_sum = {1'b0, acc_base} + {14'd0, tree};

always @* begin
    acc_next = acc_reg;
    if (s_valid) begin
        acc_next = acc_sum[31:0] + {31'd0, acc_sum[32]};
    end
end

always @(posedge clk) begin
    acc_reg <= acc_next;

    if (rst) begin
        acc_reg <= 32'd0;
    end
end

// fold to 16 bits: two steps are enough for 32 bits
wire [16:0] fold1 = {1'b0, acc_reg[15:0]} + {1'b0, acc_reg[31:16]};
wire [15:0] fold2 = fold1[15:0] + {15'd0, fold1[16]};

assign sum = acc_reg;
assign csum = fold2;

endmodule

`resetall
