// SPDX-License-Identifier: MIT
/*
 * The keyed hash as rtl/README.md states it, derived from the text and not
 * from rtl/conn_hash.v, so that the proofs compare the hardware with the
 * specification:
 *
 *   h = 0; for i in 0..95: if input bit i (bit 0 = the MSB of src IP) is 1:
 *          h ^= key[127-i -: 32]
 *
 * tuple bit 95 is input bit 0; key bits 127:96 are HASH_KEY0. Bit b of h
 * is the parity of (input bit i AND bit b of window i) over i: written so,
 * one 96-input parity per bit, it is the same value as the loop above in
 * the shape that lets the solver match it with the hardware term for term
 * instead of proving two XOR trees of different shape equal (which it
 * cannot do fast). The proofs need only the bucket bits: fv_toeplitz_bit
 * gives one bit, so that a caller builds no logic for the others.
 */
function fv_toeplitz_bit(input [95:0] tuple, input [127:0] hkey, input integer b);
    integer i;
    reg [31:0] window;   // key[127-i -: 32]
    reg [95:0] terms;
    begin
        for (i = 0; i < 96; i = i + 1) begin
            window = hkey[127-i -: 32];
            terms[95-i] = tuple[95-i] & window[b];
        end
        fv_toeplitz_bit = ^terms;
    end
endfunction

// the bucket of a tuple: the low BKT_W bits of the hash (BKT_W is the
// including module's parameter)
function [BKT_W-1:0] fv_bucket(input [95:0] tuple, input [127:0] hkey);
    integer b;
    begin
        for (b = 0; b < BKT_W; b = b + 1) begin
            fv_bucket[b] = fv_toeplitz_bit(tuple, hkey, b);
        end
    end
endfunction
