// SPDX-License-Identifier: MIT
// Small rules the transmit stages share, as functions, each the twin of a
// C helper of the same name:
//   seq_lt, seq_leq   serial comparison of sequence numbers (tcp_rx.h)
//   tcp_mss           the record's MSS, or 536 if it is 0 (tcp_out.h)
//   tcp_out_high      one past the highest sequence sent (tcp_out.h)
//   tcp_timer_rto     the current timeout, rto << min(retries, 6)
//                     capped at ffff (tcp_timers.c)
//   tcp_cwnd_cap      min(x, 2^30), the largest congestion window (tcp_cc.c)
// Include inside a module.

// a < b in serial arithmetic: a - b is negative as a 32-bit signed number
function seq_lt;
    input [31:0] a;
    input [31:0] b;
    /* verilator lint_off UNUSEDSIGNAL */
    reg   [31:0] d;   // only its sign is the answer
    /* verilator lint_on UNUSEDSIGNAL */
    begin
        d = a - b;
        seq_lt = d[31];
    end
endfunction

function seq_leq;
    input [31:0] a;
    input [31:0] b;
    begin
        seq_leq = seq_lt(a, b) || (a == b);
    end
endfunction

// RFC 9293 3.7.1: 536 when the peer gave none
function [15:0] tcp_mss;
    input [15:0] mss;
    begin
        tcp_mss = (mss != 16'd0) ? mss : 16'd536;
    end
endfunction

// `recover` while it lies in [snd_una, snd_max] and ahead of snd_nxt (a
// go-back-N has not yet caught up with it), else snd_nxt
function [31:0] tcp_out_high;
    input [31:0] snd_una;
    input [31:0] snd_nxt;
    input [31:0] snd_max;
    input [31:0] recover;
    begin
        if (seq_leq(snd_una, recover) && seq_leq(recover, snd_max) &&
            seq_lt(snd_nxt, recover))
            tcp_out_high = recover;
        else
            tcp_out_high = snd_nxt;
    end
endfunction

// (rto ? rto : 1) << min(retries, 6), at most ffff: a 16-bit value shifted
// by at most 6 fits in 22 bits, so the cap is "any of bits 21:16 set"
function [15:0] tcp_timer_rto;
    input [15:0] rto;
    input [7:0]  retries;
    reg   [21:0] t;
    begin
        t = {6'd0, (rto != 16'd0) ? rto : 16'd1} <<
            ((retries < 8'd6) ? retries[2:0] : 3'd6);
        tcp_timer_rto = (t[21:16] != 6'd0) ? 16'hffff : t[15:0];
    end
endfunction

// min(x, 2^30) for a sum of at most 33 bits: x > 2^30 is a test of bits,
// no comparator
function [31:0] tcp_cwnd_cap;
    input [32:0] x;
    begin
        if (x[32:31] != 2'd0 || (x[30] && x[29:0] != 30'd0))
            tcp_cwnd_cap = 32'h4000_0000;
        else
            tcp_cwnd_cap = x[31:0];
    end
endfunction
