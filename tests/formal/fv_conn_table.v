// SPDX-License-Identifier: MIT
/*
 * Formal wrapper of rtl/conn_table.v alone (read with read_verilog -formal;
 * mk/formal.sh runs it, tests/formal/README.md says why it is built so).
 *
 * The table is driven by an arbitrary environment that keeps only the
 * rules conn_table.v states for its callers (assumptions below); the
 * wrapper of ctx_port (fv_ctx_port.v) proves that the real caller keeps
 * them, and the wrapper of eth_rx_parse (fv_rx_parse.v) that the receive
 * side does. The hash key is an arbitrary constant.
 *
 * Shadow: one slot WS, an arbitrary constant, is watched. sh_* is what the
 * table must hold there, built only from the write port (empty after
 * reset). A property that holds for an arbitrary slot holds for all.
 *
 * Properties (an assertion's label is <property>__<detail>):
 *   lookup_sound     a hit on WS means WS held the looked-up tuple, valid,
 *                    when the bucket row was read (cycle S+1)
 *   lookup_complete  WS valid with the looked-up tuple in the tuple's
 *                    bucket (Toeplitz as rtl/README.md defines it) means a
 *                    hit; a hit's slot lies in the tuple's bucket
 *   table_read       a command read of WS's bucket shows WS as written
 *   lookup_hold      m_lk_hit / m_lk_slot change only in S+5
 */

// fv_rtl: conn_hash.v conn_table.v
//
// Internal state the invariants read (mk/formal.sh connects these after
// flattening; the memory words are those of CONN_SLOTS = 8, slot s =
// bucket * 4 + way at pk_mem[97*s +: 97]):
// fv_peek: pk_mem[96:0] dut.g_way[0].mem[0]
// fv_peek: pk_mem[193:97] dut.g_way[1].mem[0]
// fv_peek: pk_mem[290:194] dut.g_way[2].mem[0]
// fv_peek: pk_mem[387:291] dut.g_way[3].mem[0]
// fv_peek: pk_mem[484:388] dut.g_way[0].mem[1]
// fv_peek: pk_mem[581:485] dut.g_way[1].mem[1]
// fv_peek: pk_mem[678:582] dut.g_way[2].mem[1]
// fv_peek: pk_mem[775:679] dut.g_way[3].mem[1]
// fv_peek: pk_clr dut.clr_reg
// fv_peek: pk_clr_addr dut.clr_addr_reg
// fv_peek: pk_hi dut.hi_reg
// fv_peek: pk_hi_hash dut.hi_hash_reg
// fv_peek: pk_tup dut.tup_reg
// fv_peek: pk_bkt dut.bkt_reg
// fv_peek: pk_pipe[0] dut.rd_reg
// fv_peek: pk_pipe[1] dut.out_reg
// fv_peek: pk_pipe[2] dut.cmp_reg
// fv_peek: pk_pipe[3] dut.sel_reg

`resetall
`timescale 1ns / 1ps
`default_nettype none

module fv_conn_table #
(
    // connection slots (8: the fv_peek lines above name its memory words)
    parameter CONN_SLOTS = 8,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // bucket number width
    parameter BKT_W = SLOT_W - 2
)
(
    input  wire              clk,
    input  wire              rst,

    /* receive lookup (free, within the rules assumed below) */
    input  wire [47:0]       s_lk_hi,
    input  wire              s_lk_hi_valid,
    input  wire [47:0]       s_lk_lo,
    input  wire              s_lk_lo_valid,
    input  wire              s_lk_start,

    /* command access (free, within the rules assumed below) */
    input  wire [BKT_W-1:0]  s_cmd_rd_bucket,
    input  wire              s_cmd_rd,
    input  wire [BKT_W-1:0]  s_cmd_wr_bucket,
    input  wire [3:0]        s_cmd_wr_ways,
    input  wire [96:0]       s_cmd_wr_entry,
    input  wire              s_cmd_wr
);

`include "fv_toeplitz.vh"

wire [127:0]      key = $anyconst;
wire [SLOT_W-1:0] ws = $anyconst;
wire [BKT_W-1:0]  ws_bkt = ws[SLOT_W-1:2];
wire [1:0]        ws_way = ws[1:0];

wire              m_lk_hit;
wire [SLOT_W-1:0] m_lk_slot;
wire [4*97-1:0]   m_cmd_row;
wire              m_ready;

conn_table #(
    .CONN_SLOTS(CONN_SLOTS)
)
dut (
    .clk(clk),
    .rst(rst),
    .key(key),
    .s_lk_hi(s_lk_hi),
    .s_lk_hi_valid(s_lk_hi_valid),
    .s_lk_lo(s_lk_lo),
    .s_lk_lo_valid(s_lk_lo_valid),
    .s_lk_start(s_lk_start),
    .m_lk_hit(m_lk_hit),
    .m_lk_slot(m_lk_slot),
    .s_cmd_rd_bucket(s_cmd_rd_bucket),
    .s_cmd_rd(s_cmd_rd),
    .m_cmd_row(m_cmd_row),
    .s_cmd_wr_bucket(s_cmd_wr_bucket),
    .s_cmd_wr_ways(s_cmd_wr_ways),
    .s_cmd_wr_entry(s_cmd_wr_entry),
    .s_cmd_wr(s_cmd_wr),
    .m_ready(m_ready)
);

/* reset in the first cycle only */
reg init_reg = 1'b1;

always @(posedge clk) begin
    init_reg <= 1'b0;
end

/* lookups: start_d[k] is s_lk_start k cycles ago; the looked-up tuple is
 * the high half of the last s_lk_hi_valid before the last s_lk_lo_valid
 * and that low half (what the receive side means by "the frame's tuple") */
reg [5:1]  start_d = 5'd0;
reg        lo_seen_reg = 1'b0;     // a low half since the last start
reg [47:0] hi_spec_reg = 48'd0;
reg [95:0] tup_spec_reg = 96'd0;
reg [95:0] lk_tup_reg = 96'd0;     // the tuple of the lookup in flight
// its Toeplitz hash, summed as the halves arrive: the hash is linear in
// the input bits (each one XORs in its own key window), so hash({hi, lo})
// = hash({hi, 0}) ^ hash({0, lo}); summing it as the table does spares
// the solver proving two XOR trees of different shape equal
// (only the bucket bits are kept: the rest would be logic the solver
// carries for nothing)
reg [BKT_W-1:0] hi_bkt_reg = {BKT_W{1'b0}};
reg [BKT_W-1:0] tup_bkt_reg = {BKT_W{1'b0}};
reg [BKT_W-1:0] lk_bkt_reg = {BKT_W{1'b0}};

wire [BKT_W-1:0] hi_bkt = fv_bucket({s_lk_hi, 48'd0}, key);
wire [BKT_W-1:0] lo_bkt = fv_bucket({48'd0, s_lk_lo}, key);

always @(posedge clk) begin
    start_d <= {start_d[4:1], s_lk_start};
    if (s_lk_start) begin
        lo_seen_reg <= 1'b0;
    end else if (s_lk_lo_valid) begin
        lo_seen_reg <= 1'b1;
    end
    if (s_lk_hi_valid) begin
        hi_spec_reg <= s_lk_hi;
        hi_bkt_reg <= hi_bkt;
    end
    if (s_lk_lo_valid) begin
        tup_spec_reg <= {hi_spec_reg, s_lk_lo};
        tup_bkt_reg <= hi_bkt_reg ^ lo_bkt;
    end
    if (s_lk_start) begin
        lk_tup_reg <= tup_spec_reg;
        lk_bkt_reg <= tup_bkt_reg;
    end
end

wire [BKT_W-1:0] lk_bkt = lk_bkt_reg;

/* the callers' rules, from the comment at the top of conn_table.v */
always @* begin
    assume(rst == init_reg);
    // a lookup has its tuple, which holds from S to S+4
    assume(!s_lk_start || lo_seen_reg);
    assume(!(s_lk_lo_valid && (s_lk_start || start_d[1] || start_d[2] || start_d[3])));
    // a command read never falls in S+1 of a lookup
    assume(!(s_cmd_rd && start_d[1]));
    // no read whose row is used meets a write of its bucket
    assume(!(s_cmd_wr && start_d[1] && s_cmd_wr_bucket == lk_bkt));
    assume(!(s_cmd_wr && s_cmd_rd && s_cmd_wr_bucket == s_cmd_rd_bucket));
    // commands wait for the reset sweep
    assume(!(s_cmd_wr || s_cmd_rd) || m_ready);
end

/* shadow of slot WS: what the write port put there, empty after reset */
reg        sh_v_reg = 1'b0;
reg [95:0] sh_t_reg = 96'd0;

always @(posedge clk) begin
    if (s_cmd_wr && s_cmd_wr_ways[ws_way] && s_cmd_wr_bucket == ws_bkt) begin
        {sh_v_reg, sh_t_reg} <= s_cmd_wr_entry;
    end
    if (rst) begin
        sh_v_reg <= 1'b0;
    end
end

/* the shadow as the lookup's row read (S+1) saw it */
reg        lk_v_reg = 1'b0;
reg [95:0] lk_t_reg = 96'd0;

always @(posedge clk) begin
    if (start_d[1]) begin
        lk_v_reg <= sh_v_reg;
        lk_t_reg <= sh_t_reg;
    end
end

always @* begin
    if (start_d[5]) begin
        if (m_lk_hit && m_lk_slot == ws) begin
            lookup_sound__entry: assert(lk_v_reg && lk_t_reg == lk_tup_reg);
        end
        if (lk_v_reg && lk_t_reg == lk_tup_reg && ws_bkt == lk_bkt) begin
            lookup_complete__hit: assert(m_lk_hit);
        end
        if (m_lk_hit) begin
            lookup_complete__bucket: assert(m_lk_slot[SLOT_W-1:2] == lk_bkt);
        end
    end
end

/* command reads of WS's bucket: the row two cycles later shows the shadow
 * as it was at the read */
reg [2:1]  crd_d = 2'b00;
reg [96:0] crd_sh1_reg = 97'd0;
reg [96:0] crd_sh2_reg = 97'd0;

always @(posedge clk) begin
    crd_d <= {crd_d[1], s_cmd_rd && s_cmd_rd_bucket == ws_bkt};
    crd_sh1_reg <= {sh_v_reg, sh_t_reg};
    crd_sh2_reg <= crd_sh1_reg;
end

wire [96:0] row_ws = m_cmd_row[97*ws_way +: 97];

always @* begin
    if (crd_d[2]) begin
        table_read__valid: assert(row_ws[96] == crd_sh2_reg[96]);
        if (crd_sh2_reg[96]) begin
            table_read__tuple: assert(row_ws[95:0] == crd_sh2_reg[95:0]);
        end
    end
end

/* the lookup result holds between lookups (the verdict reads it in S+5) */
reg              past_reg = 1'b0;
reg              prev_hit_reg = 1'b0;
reg [SLOT_W-1:0] prev_slot_reg = {SLOT_W{1'b0}};

always @(posedge clk) begin
    past_reg <= 1'b1;
    prev_hit_reg <= m_lk_hit;
    prev_slot_reg <= m_lk_slot;
end

always @* begin
    if (past_reg && !start_d[5]) begin
        lookup_hold__hit: assert(m_lk_hit == prev_hit_reg);
        lookup_hold__slot: assert(m_lk_slot == prev_slot_reg);
    end
end

/* invariants: the internal state agrees with the wrapper's spec state, so
 * that an induction step starting from any state that satisfies them
 * stays among reachable behaviours */
// (keep: Yosys would trim the bits of an undriven wire that go unused)
(* keep *) wire [97*8-1:0]  pk_mem;
(* keep *) wire             pk_clr;
(* keep *) wire [BKT_W-1:0] pk_clr_addr;
(* keep *) wire [47:0]      pk_hi;
(* keep *) wire [31:0]      pk_hi_hash;
(* keep *) wire [95:0]      pk_tup;
(* keep *) wire [BKT_W-1:0] pk_bkt;
(* keep *) wire [3:0]       pk_pipe;

wire [96:0] mem_ws = pk_mem[97*ws +: 97];

initial begin
    if (CONN_SLOTS != 8) begin
        $error("fv_conn_table: the fv_peek lines are those of CONN_SLOTS = 8");
        $finish;
    end
end

// (also in the reset cycle, where the initial values satisfy them: an
// induction step may not start from a reset cycle with any other state)
always @* begin
    begin
        // the lookup registers hold the spec's tuple and bucket
        inv__hi: assert(pk_hi == hi_spec_reg);
        inv__tup: assert(pk_tup == tup_spec_reg);
        inv__hi_bkt: assert(pk_hi_hash[BKT_W-1:0] == hi_bkt_reg);
        inv__bkt: assert(pk_bkt == tup_bkt_reg);
        inv__pipe: assert(pk_pipe == start_d[4:1]);
        // the table holds the shadow once swept; the sweep clears in order
        if (!pk_clr) begin
            inv__mem_valid: assert(mem_ws[96] == sh_v_reg);
            if (sh_v_reg) begin
                inv__mem_tuple: assert(mem_ws[95:0] == sh_t_reg);
            end
        end else begin
            inv__sweep_empty: assert(!sh_v_reg && !m_ready);
            if (ws_bkt < pk_clr_addr) begin
                inv__sweep_done: assert(!mem_ws[96]);
            end
        end
    end
end

endmodule

`resetall
