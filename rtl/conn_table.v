// SPDX-License-Identifier: MIT
/*
 * Connection table: CONN_SLOTS/4 buckets of TT_CONN_WAYS (4) ways, the
 * twin of conn_lookup() in sw-model/conn_table.c. slot = bucket * 4 + way.
 * A bucket is one row: each way is a simple dual-port block RAM (one write
 * port, one synchronous read port) of CONN_SLOTS/4 entries, all read at
 * the same bucket, so one read gives the whole row.
 *
 *   row bits          content
 *   ---------------   ------------------------------------------
 *   97*w + 96         way w valid
 *   97*w + 95 .. +0   way w tuple (src IP | dst IP | sport | dport)
 *
 * Receive lookup, pipelined so that it ends by the frame's verdict:
 *
 *   cycle   what happens
 *   -----   ------------------------------------------------------------
 *   H       s_lk_hi_valid: tuple[95:48] (frame beat 3); its partial
 *           Toeplitz hash is registered
 *   L       s_lk_lo_valid: tuple[47:0] (frame beat 4, L >= H+1); the
 *           bucket = (partial hash ^ hash of the low part) mod buckets
 *           and the tuple are registered
 *   S       s_lk_start (S >= L+1; the frame's last beat was S-1)
 *   S+1     the bucket row is read (read port)
 *   S+2     the row leaves the block RAMs into a register (row_q)
 *   S+3     the 4 ways are compared in parallel with the tuple
 *   S+4     the first matching way is chosen
 *   S+5..   m_lk_hit / m_lk_slot hold the result until the next lookup
 *
 * The bucket and tuple must hold from L to S+4 (the next frame's beat 4
 * comes in S+4 at the earliest and changes them after it).
 *
 * Command access (ctx_port): s_cmd_rd reads a row through the same read
 * port; the row is on m_cmd_row two cycles later (only then: the port reads
 * every cycle). s_cmd_wr writes s_cmd_wr_entry into the ways set in
 * s_cmd_wr_ways of a bucket. The caller guarantees that a command read
 * never falls in a cycle S+1 of a lookup, and that no read whose row is
 * used meets a write of the same bucket in one cycle (see ctx_port), so
 * the RAMs need no collision logic.
 *
 * After reset a sweep writes every row to zero (CONN_SLOTS/4 cycles);
 * until it is done m_ready is low (ctx_port waits) and every lookup whose
 * row is read during the sweep misses (the table is empty by definition).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module conn_table #
(
    // connection slots (power of two, 8 .. 32768)
    parameter CONN_SLOTS = 1024,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // bucket number width
    parameter BKT_W = SLOT_W - 2,
    // row width: 4 ways of {valid, 96-bit tuple}
    parameter ROW_W = 4 * 97
)
(
    input  wire              clk,
    input  wire              rst,

    /* hash key (HASH_KEY0 in 127:96) */
    input  wire [127:0]      key,

    /* receive lookup */
    input  wire [47:0]       s_lk_hi,        // tuple[95:48]
    input  wire              s_lk_hi_valid,
    input  wire [47:0]       s_lk_lo,        // tuple[47:0]
    input  wire              s_lk_lo_valid,
    input  wire              s_lk_start,     // the row is read next cycle
    output wire              m_lk_hit,
    output wire [SLOT_W-1:0] m_lk_slot,

    /* command access */
    input  wire [BKT_W-1:0]  s_cmd_rd_bucket,
    input  wire              s_cmd_rd,
    output wire [ROW_W-1:0]  m_cmd_row,
    input  wire [BKT_W-1:0]  s_cmd_wr_bucket,
    input  wire [3:0]        s_cmd_wr_ways,
    input  wire [96:0]       s_cmd_wr_entry,   // {valid, tuple}
    input  wire              s_cmd_wr,

    /* status */
    output wire              m_ready          // reset sweep done
);

localparam BUCKETS = CONN_SLOTS / 4;

initial begin
    if (CONN_SLOTS < 8 || CONN_SLOTS > 32768 || (CONN_SLOTS & (CONN_SLOTS - 1)) != 0) begin
        $error("conn_table: CONN_SLOTS must be a power of two, 8 .. 32768");
        $finish;
    end
    if (SLOT_W != $clog2(CONN_SLOTS) || BKT_W != SLOT_W - 2 || ROW_W != 4 * 97) begin
        $error("conn_table: SLOT_W, BKT_W and ROW_W must keep their defaults");
        $finish;
    end
end

/* the table: row_ram is the read data of the four way RAMs, row_reg the
 * same a cycle later (off the block RAM outputs before any logic) */
wire [ROW_W-1:0] row_ram;
reg  [ROW_W-1:0] row_reg = {ROW_W{1'b0}};

/* reset sweep */
reg             clr_reg = 1'b1, clr_next;
reg [BKT_W-1:0] clr_addr_reg = {BKT_W{1'b0}}, clr_addr_next;

/* lookup pipeline */
reg [31:0]       hi_hash_reg = 32'd0, hi_hash_next;
reg [47:0]       hi_reg = 48'd0, hi_next;
reg [95:0]       tup_reg = 96'd0, tup_next;
reg [BKT_W-1:0]  bkt_reg = {BKT_W{1'b0}}, bkt_next;
reg              rd_reg = 1'b0, rd_next;          // cycle S+1
reg              out_reg = 1'b0, out_next;        // cycle S+2
reg              cmp_reg = 1'b0, cmp_next;        // cycle S+3
reg              cmp_ok_reg = 1'b0, cmp_ok_next;  // row read after the sweep
reg              sel_reg = 1'b0, sel_next;        // cycle S+4
reg [3:0]        eq_reg = 4'd0, eq_next;          // ways matching (S+4)
reg              hit_reg = 1'b0, hit_next;
reg [SLOT_W-1:0] slot_reg = {SLOT_W{1'b0}}, slot_next;

wire [31:0] hi_hash;
wire [31:0] lo_hash;

conn_hash hi_hash_inst (
    .s_tuple({s_lk_hi, 48'd0}),
    .s_key(key),
    .m_hash(hi_hash)
);

conn_hash lo_hash_inst (
    .s_tuple({48'd0, s_lk_lo}),
    .s_key(key),
    .m_hash(lo_hash)
);

// the hash bits above the bucket number are not used
wire [31:0] lk_hash = hi_hash_reg ^ lo_hash;
wire unused_hash = &{1'b0, lk_hash[31:BKT_W]};

assign m_lk_hit = hit_reg;
assign m_lk_slot = slot_reg;
assign m_cmd_row = row_reg;
assign m_ready = !clr_reg;

/* way compare (S+3) and choice of the first matching way (S+4) */
reg [3:0] way_eq;
reg       way_hit;
reg [1:0] way_num;
integer w;

always @* begin
    for (w = 0; w < 4; w = w + 1) begin
        way_eq[w] = row_reg[97*w + 96] && (row_reg[97*w +: 96] == tup_reg);
    end
    way_hit = 1'b0;
    way_num = 2'd0;
    for (w = 3; w >= 0; w = w - 1) begin
        if (eq_reg[w]) begin
            way_hit = 1'b1;
            way_num = w[1:0];
        end
    end
end

always @* begin
    clr_next = clr_reg;
    clr_addr_next = clr_addr_reg;

    hi_hash_next = hi_hash_reg;
    hi_next = hi_reg;
    tup_next = tup_reg;
    bkt_next = bkt_reg;
    rd_next = 1'b0;
    out_next = rd_reg;
    cmp_next = out_reg;
    cmp_ok_next = cmp_ok_reg;
    sel_next = cmp_reg;
    eq_next = eq_reg;
    hit_next = hit_reg;
    slot_next = slot_reg;

    if (clr_reg) begin
        clr_addr_next = clr_addr_reg + 1'b1;
        if (clr_addr_reg == {BKT_W{1'b1}}) begin
            clr_next = 1'b0;
        end
    end

    if (s_lk_hi_valid) begin
        hi_hash_next = hi_hash;
        hi_next = s_lk_hi;
    end

    if (s_lk_lo_valid) begin
        tup_next = {hi_reg, s_lk_lo};
        bkt_next = lk_hash[BKT_W-1:0];
    end

    if (s_lk_start) begin
        rd_next = 1'b1;
    end
    // the row read now is read after the sweep
    if (rd_reg) begin
        cmp_ok_next = !clr_reg;
    end

    if (cmp_reg) begin
        eq_next = way_eq & {4{cmp_ok_reg}};
    end

    if (sel_reg) begin
        hit_next = way_hit;
        slot_next = {bkt_reg, way_num};
    end
end

always @(posedge clk) begin
    clr_reg <= clr_next;
    clr_addr_reg <= clr_addr_next;

    hi_hash_reg <= hi_hash_next;
    hi_reg <= hi_next;
    tup_reg <= tup_next;
    bkt_reg <= bkt_next;
    rd_reg <= rd_next;
    out_reg <= out_next;
    cmp_reg <= cmp_next;
    row_reg <= row_ram;
    cmp_ok_reg <= cmp_ok_next;
    sel_reg <= sel_next;
    eq_reg <= eq_next;
    hit_reg <= hit_next;
    slot_reg <= slot_next;

    if (rst) begin
        clr_reg <= 1'b1;
        clr_addr_reg <= {BKT_W{1'b0}};
        rd_reg <= 1'b0;
        out_reg <= 1'b0;
        cmp_reg <= 1'b0;
        sel_reg <= 1'b0;
        hit_reg <= 1'b0;
    end
end

/* block RAMs, one per way: one write port, one synchronous read port */
wire [3:0]       wr_en = clr_reg ? 4'hf : (s_cmd_wr ? s_cmd_wr_ways : 4'h0);
wire [BKT_W-1:0] wr_addr = clr_reg ? clr_addr_reg : s_cmd_wr_bucket;
// the sweep writes invalid entries (the tuple bits do not matter then)
wire [96:0]      wr_data = {s_cmd_wr_entry[96] && !clr_reg, s_cmd_wr_entry[95:0]};
wire [BKT_W-1:0] rd_addr = s_cmd_rd ? s_cmd_rd_bucket : bkt_reg;

genvar g;
generate
    for (g = 0; g < 4; g = g + 1) begin : g_way
        (* no_rw_check *)
        reg [96:0] mem[BUCKETS-1:0];
        // no initial value: it would keep the read register out of the RAM
        reg [96:0] way_reg;

        always @(posedge clk) begin
            if (wr_en[g]) begin
                mem[wr_addr] <= wr_data;
            end
        end

        always @(posedge clk) begin
            way_reg <= mem[rd_addr];
        end

        assign row_ram[97*g +: 97] = way_reg;
    end
endgenerate

endmodule

`resetall
