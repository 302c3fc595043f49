// SPDX-License-Identifier: MIT
/*
 * Formal wrapper of the context port's serial Toeplitz hash at the card's
 * width (rtl/ctx_port.v, HASH_BITS = 4: 24 cycles); mk/formal.sh runs it.
 *
 * fv_ctx_port.v checks the port with HASH_BITS = 96, the whole tuple
 * hashed in one cycle, so that a command's result is reached in 12 cycles
 * from reset rather than 35. That shortcut is sound if the card's 4-bit
 * hash gives the bucket the specification gives; this wrapper proves it
 * (tests/formal/README.md, "The serial hash"): in the window cycle R the
 * port reads, for an IMPORT, the bucket of its record's tuple under
 * fv_toeplitz.vh's hash of the key, and for the other ops the bucket of
 * their slot. The rest of ctx_port does not depend on HASH_BITS.
 *
 * CONN_SLOTS = 8 as in fv_ctx_port: one bucket bit, hash bit 0. Every hash
 * bit is the same logic (g_hsh[hb]) on the key's bits hb higher, and bit b
 * of the hash under a key is bit 0 under that key shifted down by b; the
 * key being arbitrary, bit 0 stands for the others. (The 13 bucket bits of
 * 32768 slots at once did not close in 400 s: z3 has a parity identity of
 * 96 terms per bit to match.)
 *
 * Environment: everything free (commands, results' ready, the window, the
 * table's row and ready, the context RAM's data, the fence), the key an
 * arbitrary constant; reset in the first cycle only.
 *
 * Properties:
 *   serial_hash    the bucket of the row read in R is the specification's
 *                  bucket of the command taken at the last handshake
 *
 * Invariants (the running hash, stated without a case split on the step:
 * the bits summed so far XOR the hash of what is left in the shift
 * registers is the tuple's bucket; what is left has its low HASH_BITS *
 * step bits shifted out). With them the property is 1-inductive.
 */
// fv_rtl: ctx_port.v
// fv_peek: pk_state port.state_reg
// fv_peek: pk_rdy port.rdy_reg
// fv_peek: pk_cmd port.cmd_reg
// fv_peek: pk_bkt port.bkt_reg
// fv_peek: pk_hsh port.hsh_reg
// fv_peek: pk_hsh_tup port.hsh_tup_reg
// fv_peek: pk_hsh_key port.hsh_key_reg
// fv_peek: pk_hsh_cnt port.hsh_cnt_reg

`resetall
`timescale 1ns / 1ps
`default_nettype none

module fv_ctx_hash #
(
    // connection slots: the largest the RTL allows (13 bucket bits)
    parameter CONN_SLOTS = 8,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // bucket number width
    parameter BKT_W = SLOT_W - 2,
    // the card's serial hash
    parameter HASH_BITS = 4
)
(
    input  wire              clk,
    input  wire              rst,

    input  wire [543:0]      s_cmd_tdata,
    input  wire              s_cmd_tvalid,
    input  wire              m_res_tready,
    input  wire              s_rx_quiet,
    input  wire [31:0]       s_rx_frames,
    input  wire [4*97-1:0]   s_tbl_row,
    input  wire              s_tbl_ready,
    input  wire [511:0]      s_ram_rd_data,
    input  wire              s_fence_clear
);

/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */
`include "fv_toeplitz.vh"

localparam [7:0] OP_IMPORT = 8'd1;
localparam [3:0] STATE_IDLE = 4'd0;
localparam [3:0] STATE_HASH = 4'd1;
localparam [3:0] STATE_WAIT = 4'd2;
localparam [3:0] STATE_FENCE = 4'd10;
localparam HASH_LAST = 96 / HASH_BITS - 1;
// ctx_port's step counter width
localparam HASH_CNT_W = HASH_LAST > 0 ? $clog2(HASH_LAST + 1) : 1;

function [95:0] rec_tuple(input [511:0] rec);
    rec_tuple = {rec[CTX_remote_ip_LSB +: 32], rec[CTX_local_ip_LSB +: 32],
                 rec[CTX_remote_port_LSB +: 16], rec[CTX_local_port_LSB +: 16]};
endfunction

wire [127:0] key = $anyconst;

wire              s_cmd_tready;
wire [575:0]      m_res_tdata;
wire              m_res_tvalid;
wire [BKT_W-1:0]  tbl_rd_bucket;
wire              tbl_rd;
wire [BKT_W-1:0]  tbl_wr_bucket;
wire [3:0]        tbl_wr_ways;
wire [96:0]       tbl_wr_entry;
wire              tbl_wr;
wire [SLOT_W-1:0] ram_wr_addr;
wire [511:0]      ram_wr_data;
wire              ram_wr;
wire [SLOT_W-1:0] ram_rd_addr;
wire              ram_rd;
wire              fence_snap;
wire              stat_valid;
wire [7:0]        stat_index;

ctx_port #(
    .CONN_SLOTS(CONN_SLOTS),
    .HASH_BITS(HASH_BITS)
)
port (
    .clk(clk),
    .rst(rst),
    .key(key),
    .s_axis_ctx_cmd_tdata(s_cmd_tdata),
    .s_axis_ctx_cmd_tvalid(s_cmd_tvalid),
    .s_axis_ctx_cmd_tready(s_cmd_tready),
    .m_axis_ctx_res_tdata(m_res_tdata),
    .m_axis_ctx_res_tvalid(m_res_tvalid),
    .m_axis_ctx_res_tready(m_res_tready),
    .s_rx_quiet(s_rx_quiet),
    .s_rx_frames(s_rx_frames),
    .m_tbl_rd_bucket(tbl_rd_bucket),
    .m_tbl_rd(tbl_rd),
    .s_tbl_row(s_tbl_row),
    .m_tbl_wr_bucket(tbl_wr_bucket),
    .m_tbl_wr_ways(tbl_wr_ways),
    .m_tbl_wr_entry(tbl_wr_entry),
    .m_tbl_wr(tbl_wr),
    .s_tbl_ready(s_tbl_ready),
    .m_ram_wr_addr(ram_wr_addr),
    .m_ram_wr_data(ram_wr_data),
    .m_ram_wr(ram_wr),
    .m_ram_rd_addr(ram_rd_addr),
    .m_ram_rd(ram_rd),
    .s_ram_rd_data(s_ram_rd_data),
    .m_fence_snap(fence_snap),
    .s_fence_clear(s_fence_clear),
    .m_stat_valid(stat_valid),
    .m_stat_index(stat_index)
);

reg init_reg = 1'b1;

always @(posedge clk) begin
    init_reg <= 1'b0;
end

always @* begin
    assume(rst == init_reg);
end

/* the command taken at the last handshake */
reg [543:0] cap_reg = 544'd0;

always @(posedge clk) begin
    if (s_cmd_tvalid && s_cmd_tready) begin
        cap_reg <= s_cmd_tdata;
    end
end

wire [7:0]       cap_op = cap_reg[7:0];
wire [15:0]      cap_slot = cap_reg[31:16];
wire [95:0]      cap_tuple = rec_tuple(cap_reg[543:32]);
wire [BKT_W-1:0] cap_bkt = fv_bucket(cap_tuple, key);

always @* begin
    if (!init_reg && tbl_rd) begin
        if (cap_op == OP_IMPORT) begin
            serial_hash__import: assert(tbl_rd_bucket == cap_bkt);
        end else begin
            serial_hash__slot: assert(tbl_rd_bucket == cap_slot[SLOT_W-1:2]);
        end
    end
end

/* ---------------------------------------------------------------- invariants */
(* keep *) wire [3:0]   pk_state;
(* keep *) wire         pk_rdy;
(* keep *) wire [543:0] pk_cmd;
(* keep *) wire [BKT_W-1:0] pk_bkt;
(* keep *) wire [31:0]  pk_hsh;
(* keep *) wire [95:0]  pk_hsh_tup;
(* keep *) wire [127:0] pk_hsh_key;
(* keep *) wire [HASH_CNT_W-1:0] pk_hsh_cnt;

// what is left of the tuple has its low HASH_BITS * step bits shifted out
reg shifted_out;
integer i;

always @* begin
    shifted_out = 1'b1;
    for (i = 0; i < 96; i = i + 1) begin
        if (i < HASH_BITS * pk_hsh_cnt && pk_hsh_tup[i]) begin
            shifted_out = 1'b0;
        end
    end
end

always @* begin
    if (!init_reg) begin
        inv__state: assert(pk_state <= STATE_FENCE);
        inv__rdy: assert(!pk_rdy || pk_state == STATE_IDLE);
        if (pk_state == STATE_HASH || pk_state == STATE_WAIT) begin
            inv__cmd: assert(pk_cmd == cap_reg);
        end
        if (pk_state == STATE_HASH) begin
            inv__cnt: assert(pk_hsh_cnt <= HASH_LAST);
            inv__left: assert(shifted_out);
            inv__sum: assert((pk_hsh[BKT_W-1:0] ^ fv_bucket(pk_hsh_tup, pk_hsh_key)) == cap_bkt);
        end
        if (pk_state == STATE_WAIT) begin
            inv__bkt: assert(pk_bkt == ((cap_op == OP_IMPORT) ? cap_bkt : cap_slot[SLOT_W-1:2]));
        end
    end
end

endmodule

`resetall
