// SPDX-License-Identifier: MIT
/*
 * Masked one's-complement checksum accumulator (RFC 1071), 8 bytes per beat,
 * pipelined.
 *
 * A beat carries 4 big-endian 16-bit words at even frame offsets: word k is
 * byte 2k (high) and byte 2k+1 (low), byte i being s_data[8*i+7:8*i]. Bytes
 * whose s_mask bit is clear count as zero, so an odd tail byte is padded
 * with zero as RFC 1071 asks. (A constant such as a pseudo-header word is
 * summed by passing it in a masked-off word of some beat.)
 *
 *   cycle  stage
 *   -----  -----------------------------------------------------------
 *   P      the beat: w0 + w1 and w2 + w3 (masked) are registered
 *   P+1    the two pair sums are added (18 bits), registered
 *   P+2    added to the 32-bit accumulator (restarted by s_first)
 *   P+3    the accumulator is folded once: lo16 + hi16 (17 bits), registered
 *   P+4..  csum / csum_ok of every beat up to P (until the next beat's
 *          fold replaces them, at the earliest in P+5)
 *
 * No end-around carry per beat: a frame of at most 2^16 + 14 bytes summed
 * at 19 bits a beat stays below 2^32 (8194 beats * 4 * ffff < 2^31), so
 * the plain sum is folded once at the end. It is zero only if every
 * counted word was zero, and its fold is the C model's
 * csum_fold(csum_add(...)). csum_ok compares the 17-bit fold without the
 * second carry step: (s[15:0] + s[16]) == ffff iff s is 0ffff or 1fffe.
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
    input  wire              s_valid,
    input  wire              s_first,   // restart the sum with this beat

    /* fold of the sum of every beat so far (4 cycles after the last beat) */
    output wire [15:0]       csum,
    output wire              csum_ok    // csum == ffff
);

initial begin
    if (DATA_W != 64 || KEEP_W != 8) begin
        $error("csum_acc: DATA_W must be 64 (KEEP_W 8)");
        $finish;
    end
end

/* pipeline registers */
reg [16:0] s01_reg = 17'd0;
reg [16:0] s23_reg = 17'd0;
reg        v1_reg = 1'b0;
reg        f1_reg = 1'b0;
reg [17:0] t_reg = 18'd0;
reg        v2_reg = 1'b0;
reg        f2_reg = 1'b0;
reg [31:0] acc_reg = 32'd0, acc_next;
reg [16:0] fold_reg = 17'd0;

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

always @* begin
    acc_next = acc_reg;
    if (v2_reg) begin
        acc_next = (f2_reg ? 32'd0 : acc_reg) + {14'd0, t_reg};
    end
end

always @(posedge clk) begin
    s01_reg <= {1'b0, w0} + {1'b0, w1};
    s23_reg <= {1'b0, w2} + {1'b0, w3};
    v1_reg <= s_valid;
    f1_reg <= s_first;

    t_reg <= {1'b0, s01_reg} + {1'b0, s23_reg};
    v2_reg <= v1_reg;
    f2_reg <= f1_reg;

    acc_reg <= acc_next;

    fold_reg <= {1'b0, acc_reg[15:0]} + {1'b0, acc_reg[31:16]};

    if (rst) begin
        v1_reg <= 1'b0;
        v2_reg <= 1'b0;
        acc_reg <= 32'd0;
    end
end

assign csum = fold_reg[15:0] + {15'd0, fold_reg[16]};
assign csum_ok = (fold_reg == 17'h0ffff) || (fold_reg == 17'h1fffe);

endmodule

`resetall
