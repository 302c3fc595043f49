// SPDX-License-Identifier: MIT
/*
 * Toeplitz hash of a 96-bit connection 4-tuple under a 128-bit key,
 * combinational (the twin of conn_hash() in sw-model/conn_table.c).
 *
 *   s_tuple bit 95 is input bit 0 (the MSB of the src IP):
 *     [95:64] src IP   [63:32] dst IP   [31:16] src port   [15:0] dst port
 *   s_key bit 127 is key bit 0 (HASH_KEY0 = s_key[127:96]).
 *
 *   h = 0; for i in 0..95: if input bit i is 1: h ^= key[127-i -: 32]
 *
 * Every output bit is an XOR of 96 AND terms. Input bit i (s_tuple bit
 * j = 95-i) meets key window bit b at s_key[96-i+b] = s_key[j+1+b], so
 *
 *   m_hash[b] = ^(s_tuple & s_key[b+96:b+1])
 *
 * a 96-bit AND with a constant key window per output bit, then an XOR
 * reduction: the natural hardware form, and constant selects for a
 * simulator. The hash is linear in the tuple (hash(a ^ b) = hash(a) ^
 * hash(b)), so a caller may hash parts of the tuple as they arrive (other
 * bits zero) and XOR the partial hashes; the constant-zero inputs then
 * synthesize away.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module conn_hash
(
    input  wire [95:0]  s_tuple,
    input  wire [127:0] s_key,
    output wire [31:0]  m_hash
);

// the last window (input bit 95) ends at key bit 126 (s_key[1]): key bit
// 127 (s_key[0]) is never used
wire unused_key = s_key[0];

genvar b;
generate
    for (b = 0; b < 32; b = b + 1) begin : g_bit
        assign m_hash[b] = ^(s_tuple & s_key[b+1 +: 96]);
    end
endgenerate

endmodule

`resetall
