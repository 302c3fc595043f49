// SPDX-License-Identifier: MIT
/*
 * Formal wrapper of rtl/eth_rx_parse.v: the receive side's half of the
 * lookup and command-window contract that fv_conn_table.v and
 * fv_ctx_port.v assume (mk/formal.sh runs it; tests/formal/README.md).
 *
 * Environment: every input is free (beats with any data, keep, last and
 * gaps; link, enable, team MAC and IP changing at will; the table's answer
 * lookup_hit / lookup_slot anything in any cycle); reset in the first cycle
 * only. The wrapper counts each frame's beats itself (fb_reg, saturating
 * at 7) and keeps the bytes 26..37 it saw (the 4-tuple).
 *
 * Properties (assertion labels <property>__<detail>):
 *   quiet_contract   a quiet cycle R has no lookup_start in R-3 .. R+2
 *                    (so a command's read in R and write in R+3 fall
 *                    outside every lookup's row read S+1 .. verdict S+5)
 *   lookup_protocol  lookup_start comes exactly in the cycle after the last
 *                    beat of a frame of 7 beats or more; the tuple the
 *                    table forms from tuple_hi / tuple_lo (the high half of
 *                    the last tuple_hi_valid before the last tuple_lo_valid)
 *                    is that frame's bytes 26..37; no tuple_lo_valid in
 *                    S .. S+3 (the table keeps it until S+4)
 *   verdict_lookup   a NO_MATCH, TCP_FLAGS or UNHANDLED verdict belongs to
 *                    a frame that had a lookup, and it takes lookup_hit /
 *                    lookup_slot of S+5 (the cycle before the verdict)
 */
// fv_rtl: csum_acc.v eth_rx_parse.v
//
// Internal state the invariants read:
// fv_peek: pk_beat dut.beat_reg
// fv_peek: pk_in_frame dut.in_frame_reg
// fv_peek: pk_lk_frame dut.lk_frame_reg
// fv_peek: pk_lk_age dut.lk_age_reg
// fv_peek: pk_quiet dut.quiet_reg

`resetall
`timescale 1ns / 1ps
`default_nettype none

module fv_rx_parse
(
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_tdata,
    input  wire [7:0]  s_tkeep,
    input  wire        s_tlast,
    input  wire        s_beat,
    input  wire        link_up,
    input  wire        enable,
    input  wire [47:0] team_mac,
    input  wire [31:0] team_ip,
    input  wire        lookup_hit,
    input  wire [15:0] lookup_slot
);

// the reasons of rtl/README.md's verdict table
`include "teamtoe_defs.vh"

wire        store_ok;
wire [47:0] tuple_hi;
wire        tuple_hi_valid;
wire [47:0] tuple_lo;
wire        tuple_lo_valid;
wire        lookup_start;
wire        lookup_quiet;
wire        verdict_valid;
wire        verdict_drop;
wire [7:0]  verdict_reason;
wire [15:0] verdict_slot;
wire [31:0] verdict_len;

eth_rx_parse dut (
    .clk(clk),
    .rst(rst),
    .s_tdata(s_tdata),
    .s_tkeep(s_tkeep),
    .s_tlast(s_tlast),
    .s_beat(s_beat),
    .link_up(link_up),
    .enable(enable),
    .team_mac(team_mac),
    .team_ip(team_ip),
    .store_ok(store_ok),
    .tuple_hi(tuple_hi),
    .tuple_hi_valid(tuple_hi_valid),
    .tuple_lo(tuple_lo),
    .tuple_lo_valid(tuple_lo_valid),
    .lookup_start(lookup_start),
    .lookup_hit(lookup_hit),
    .lookup_slot(lookup_slot),
    .lookup_quiet(lookup_quiet),
    .verdict_valid(verdict_valid),
    .verdict_drop(verdict_drop),
    .verdict_reason(verdict_reason),
    .verdict_slot(verdict_slot),
    .verdict_len(verdict_len)
);

/* reset in the first cycle only */
reg init_reg = 1'b1;

always @(posedge clk) begin
    init_reg <= 1'b0;
end

always @* begin
    assume(rst == init_reg);
end

/* the wrapper's own view of frames: fb_reg beats of the current frame so
 * far (saturating at 7), its bytes 26..37 */
reg [2:0]  fb_reg = 3'd0;
reg [95:0] bytes_reg = 96'd0;
reg [95:0] last_bytes_reg = 96'd0;   // those of the frame that ended last
reg        lk_frame_end_reg = 1'b0;  // a frame of 7 beats or more ended last cycle

function [7:0] lane(input [63:0] d, input integer n);
    lane = d[8*n +: 8];
endfunction

always @(posedge clk) begin
    lk_frame_end_reg <= 1'b0;
    if (s_beat) begin
        if (fb_reg == 3'd3) begin
            bytes_reg[95:48] <= {lane(s_tdata, 2), lane(s_tdata, 3), lane(s_tdata, 4),
                                 lane(s_tdata, 5), lane(s_tdata, 6), lane(s_tdata, 7)};
        end
        if (fb_reg == 3'd4) begin
            bytes_reg[47:0] <= {lane(s_tdata, 0), lane(s_tdata, 1), lane(s_tdata, 2),
                                lane(s_tdata, 3), lane(s_tdata, 4), lane(s_tdata, 5)};
        end
        if (s_tlast) begin
            fb_reg <= 3'd0;
            // this beat is beat number fb_reg: 7 beats or more when fb_reg >= 6
            lk_frame_end_reg <= (fb_reg >= 3'd6);
            last_bytes_reg <= bytes_reg;
        end else if (fb_reg != 3'd7) begin
            fb_reg <= fb_reg + 3'd1;
        end
    end
    if (rst) begin
        fb_reg <= 3'd0;
        lk_frame_end_reg <= 1'b0;
    end
end

/* the tuple as conn_table forms it, and the lookup's history */
reg [47:0] hi_spec_reg = 48'd0;
reg [95:0] tup_spec_reg = 96'd0;
reg [6:1]  start_d = 6'd0;
reg [5:1]  quiet_d = 5'd0;
reg        hit_d1_reg = 1'b0;
reg [15:0] slot_d1_reg = 16'd0;

always @(posedge clk) begin
    if (tuple_hi_valid) begin
        hi_spec_reg <= tuple_hi;
    end
    if (tuple_lo_valid) begin
        tup_spec_reg <= {hi_spec_reg, tuple_lo};
    end
    start_d <= {start_d[5:1], lookup_start};
    quiet_d <= {quiet_d[4:1], lookup_quiet};
    hit_d1_reg <= lookup_hit;
    slot_d1_reg <= lookup_slot;
end

always @* begin
    if (!init_reg) begin
        // start in T: no quiet cycle in T-2 .. T+3 (checked in T+3)
        if (start_d[3]) begin
            quiet_contract__window: assert(!lookup_quiet && quiet_d == 5'd0);
        end

        lookup_protocol__start: assert(lookup_start == lk_frame_end_reg);
        if (lookup_start) begin
            lookup_protocol__tuple: assert(tup_spec_reg == last_bytes_reg);
        end
        lookup_protocol__hold: assert(!(tuple_lo_valid &&
                                        (lookup_start || start_d[1] || start_d[2] || start_d[3])));

        if (verdict_valid && !verdict_drop && (verdict_reason == TT_EXC_NO_MATCH ||
            verdict_reason == TT_EXC_TCP_FLAGS || verdict_reason == TT_EXC_UNHANDLED)) begin
            verdict_lookup__had_lookup: assert(start_d[6]);
            if (verdict_reason == TT_EXC_NO_MATCH) begin
                verdict_lookup__miss: assert(!hit_d1_reg);
            end else begin
                verdict_lookup__hit: assert(hit_d1_reg && verdict_slot == slot_d1_reg);
            end
        end
    end
end

/* invariants (labels inv__*) for the k-induction of quiet_contract and
 * lookup_protocol: the parser's frame state agrees with the wrapper's */
(* keep *) wire [3:0] pk_beat;
(* keep *) wire       pk_in_frame;
(* keep *) wire       pk_lk_frame;
(* keep *) wire [2:0] pk_lk_age;
(* keep *) wire       pk_quiet;

always @* begin
    begin
        // beat_reg counts the frame's beats so far (0 between frames,
        // saturating at 15), fb_reg the same saturating at 7
        inv__beats: assert(fb_reg == ((pk_beat > 4'd7) ? 3'd7 : pk_beat[2:0]));
        inv__in_frame: assert(pk_in_frame == (pk_beat != 4'd0));
        // a lookup frame from its beat 5 on
        inv__lk_frame: assert(pk_lk_frame == (pk_beat >= 4'd6));
        // lookup_start = lk_age_reg[0]; the older bits are its history
        inv__lk_age: assert(pk_lk_age[2:1] == start_d[2:1]);
        // a window only before beat 5 and with no lookup frame's end behind
        inv__quiet: assert(!pk_quiet || (pk_beat <= 4'd4 && pk_lk_age == 3'd0));
        inv__frame_end: assert(lk_frame_end_reg == pk_lk_age[0]);
        // the tuple halves of the frame in progress, once taken
        if (pk_beat >= 4'd4) begin
            inv__tuple_hi: assert(hi_spec_reg == bytes_reg[95:48]);
        end
        if (pk_beat >= 4'd5) begin
            inv__tuple: assert(tup_spec_reg == bytes_reg);
        end
        if (lk_frame_end_reg) begin
            inv__tuple_end: assert(tup_spec_reg == last_bytes_reg);
        end
    end
end

endmodule

`resetall
