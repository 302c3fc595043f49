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
 * Every output bit is an XOR of 96 AND terms. The hash is linear in the
 * tuple (hash(a ^ b) = hash(a) ^ hash(b)), so a caller may hash parts of
 * the tuple as they arrive (other bits zero) and XOR the partial hashes;
 * the constant-zero inputs then synthesize away.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module conn_hash
(
    input  wire [95:0]  s_tuple,
    input  wire [127:0] s_key,
    output reg  [31:0]  m_hash
);

integer i;

always @* begin
    m_hash = 32'd0;
    for (i = 0; i < 96; i = i + 1) begin
        if (s_tuple[95-i]) begin
            m_hash = m_hash ^ s_key[127-i -: 32];
        end
    end
end

endmodule

`resetall
