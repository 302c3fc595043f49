// SPDX-License-Identifier: MIT
/*
 * Formal wrapper of the context port with the table and the context RAM it
 * drives (rtl/ctx_port.v, rtl/conn_table.v, rtl/ctx_ram.v, wired as in
 * rtl/toe_nic.v); mk/formal.sh runs it, tests/formal/README.md says why
 * it is built so.
 *
 * Environment: the command and result streams are free (no AXI rule is
 * assumed of the command side: ctx_port must take a command only at its
 * handshake); the receive side drives lookups and s_rx_quiet within the
 * contract that fv_rx_parse.v proves of eth_rx_parse (assumptions below);
 * the hash key is an arbitrary constant; reset in the first cycle only.
 *
 * Spec: busy_reg / cap_reg follow the command in flight (taken at its
 * handshake). A result beat starts (res_new) in the first cycle of
 * m_res_tvalid after a handshake or idle cycle; the command took effect in
 * the cycle before (W). spec_* is what slot WS (an arbitrary constant)
 * holds according to the results so far. pk_mem / pk_ram are the table
 * and the record RAM themselves (read through fv_peek).
 *
 * Properties (assertion labels <property>__<detail>):
 *   import_export  results agree with one slot's history: IMPORT ok only
 *                  into a free slot; EXPORT / SNAPSHOT ok of a slot returns
 *                  the record its IMPORT brought, not found iff it is free
 *   unique_tuple   no two valid table entries hold the same 4-tuple
 *   entry_bucket   every valid entry lies in its tuple's bucket
 *   table_update   IMPORT's status and slot as the table at W implies
 *                  (exists, full, lowest free way), EXPORT's status as the
 *                  slot's valid bit; the table after W holds the effect
 *   cmd_res        one command at a time, one result per command, in its
 *                  format (op, slot, status set, record echo or zero, order
 *                  = frame count at W); the table changes only at a W
 *   res_stable     the result beat holds (valid and data) until taken
 *   port_rules     ctx_port keeps the rules conn_table and ctx_ram state
 *                  for their callers (what fv_conn_table assumes)
 *   lookup_current a lookup's answer (S+5, the verdict's cycle) agrees with
 *                  the table as it is then: hit iff a valid entry holds the
 *                  tuple, at that slot; a lookup during the sweep misses
 */
// fv_rtl: conn_hash.v conn_table.v ctx_ram.v ctx_port.v
//
// Internal state for the invariants (CONN_SLOTS = 8). Table slot s =
// bucket * 4 + way at pk_mem[97*s +: 97]; record of slot s at
// pk_ram[512*s +: 512], bank b in its bits 128*b +: 128.
// fv_peek: pk_mem[96:0] tbl.g_way[0].mem[0]
// fv_peek: pk_mem[193:97] tbl.g_way[1].mem[0]
// fv_peek: pk_mem[290:194] tbl.g_way[2].mem[0]
// fv_peek: pk_mem[387:291] tbl.g_way[3].mem[0]
// fv_peek: pk_mem[484:388] tbl.g_way[0].mem[1]
// fv_peek: pk_mem[581:485] tbl.g_way[1].mem[1]
// fv_peek: pk_mem[678:582] tbl.g_way[2].mem[1]
// fv_peek: pk_mem[775:679] tbl.g_way[3].mem[1]
// fv_peek: pk_ram[127:0] ram.g_bank[0].mem[0]
// fv_peek: pk_ram[255:128] ram.g_bank[1].mem[0]
// fv_peek: pk_ram[383:256] ram.g_bank[2].mem[0]
// fv_peek: pk_ram[511:384] ram.g_bank[3].mem[0]
// fv_peek: pk_ram[639:512] ram.g_bank[0].mem[1]
// fv_peek: pk_ram[767:640] ram.g_bank[1].mem[1]
// fv_peek: pk_ram[895:768] ram.g_bank[2].mem[1]
// fv_peek: pk_ram[1023:896] ram.g_bank[3].mem[1]
// fv_peek: pk_ram[1151:1024] ram.g_bank[0].mem[2]
// fv_peek: pk_ram[1279:1152] ram.g_bank[1].mem[2]
// fv_peek: pk_ram[1407:1280] ram.g_bank[2].mem[2]
// fv_peek: pk_ram[1535:1408] ram.g_bank[3].mem[2]
// fv_peek: pk_ram[1663:1536] ram.g_bank[0].mem[3]
// fv_peek: pk_ram[1791:1664] ram.g_bank[1].mem[3]
// fv_peek: pk_ram[1919:1792] ram.g_bank[2].mem[3]
// fv_peek: pk_ram[2047:1920] ram.g_bank[3].mem[3]
// fv_peek: pk_ram[2175:2048] ram.g_bank[0].mem[4]
// fv_peek: pk_ram[2303:2176] ram.g_bank[1].mem[4]
// fv_peek: pk_ram[2431:2304] ram.g_bank[2].mem[4]
// fv_peek: pk_ram[2559:2432] ram.g_bank[3].mem[4]
// fv_peek: pk_ram[2687:2560] ram.g_bank[0].mem[5]
// fv_peek: pk_ram[2815:2688] ram.g_bank[1].mem[5]
// fv_peek: pk_ram[2943:2816] ram.g_bank[2].mem[5]
// fv_peek: pk_ram[3071:2944] ram.g_bank[3].mem[5]
// fv_peek: pk_ram[3199:3072] ram.g_bank[0].mem[6]
// fv_peek: pk_ram[3327:3200] ram.g_bank[1].mem[6]
// fv_peek: pk_ram[3455:3328] ram.g_bank[2].mem[6]
// fv_peek: pk_ram[3583:3456] ram.g_bank[3].mem[6]
// fv_peek: pk_ram[3711:3584] ram.g_bank[0].mem[7]
// fv_peek: pk_ram[3839:3712] ram.g_bank[1].mem[7]
// fv_peek: pk_ram[3967:3840] ram.g_bank[2].mem[7]
// fv_peek: pk_ram[4095:3968] ram.g_bank[3].mem[7]
// fv_peek: pk_clr tbl.clr_reg
// fv_peek: pk_clr_addr tbl.clr_addr_reg
// fv_peek: pk_lk_hi tbl.hi_reg
// fv_peek: pk_lk_hi_hash tbl.hi_hash_reg
// fv_peek: pk_lk_tup tbl.tup_reg
// fv_peek: pk_lk_bkt tbl.bkt_reg
// fv_peek: pk_lk_pipe[0] tbl.rd_reg
// fv_peek: pk_lk_pipe[1] tbl.out_reg
// fv_peek: pk_lk_pipe[2] tbl.cmp_reg
// fv_peek: pk_lk_pipe[3] tbl.sel_reg
// fv_peek: pk_state port.state_reg
// fv_peek: pk_cmd port.cmd_reg
// fv_peek: pk_bkt port.bkt_reg
// fv_peek: pk_hsh_tup port.hsh_tup_reg
// fv_peek: pk_hsh_key port.hsh_key_reg
// fv_peek: pk_hsh port.hsh_reg
// fv_peek: pk_hsh_cnt port.hsh_cnt_reg
// fv_peek: pk_way_regs[96:0] tbl.g_way[0].way_reg
// fv_peek: pk_way_regs[193:97] tbl.g_way[1].way_reg
// fv_peek: pk_way_regs[290:194] tbl.g_way[2].way_reg
// fv_peek: pk_way_regs[387:291] tbl.g_way[3].way_reg
// fv_peek: pk_lk_eq tbl.eq_reg
// fv_peek: pk_lk_cmp_ok tbl.cmp_ok_reg
// fv_peek: pk_exists port.exists_reg
// fv_peek: pk_free port.free_reg
// fv_peek: pk_way port.way_reg
// fv_peek: pk_slot_valid port.slot_valid_reg
// fv_peek: pk_ways port.ways_reg
// fv_peek: pk_imp port.imp_reg
// fv_peek: pk_imp_ok port.imp_ok_reg
// fv_peek: pk_exp_ok port.exp_ok_reg
// fv_peek: pk_res_rec port.res_rec_reg

`resetall
`timescale 1ns / 1ps
`default_nettype none

module fv_ctx_port #
(
    // connection slots (8: the fv_peek lines above name its memory words)
    parameter CONN_SLOTS = 8,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // bucket number width
    parameter BKT_W = SLOT_W - 2
)
(
    input  wire         clk,
    input  wire         rst,

    /* context port streams */
    input  wire [543:0] s_cmd_tdata,
    input  wire         s_cmd_tvalid,
    input  wire         m_res_tready,

    /* receive side (within the contract assumed below) */
    input  wire         s_rx_quiet,
    input  wire [31:0]  s_rx_frames,
    input  wire [47:0]  s_lk_hi,
    input  wire         s_lk_hi_valid,
    input  wire [47:0]  s_lk_lo,
    input  wire         s_lk_lo_valid,
    input  wire         s_lk_start
);

// generated constants (the record layout); only a few are used
`include "teamtoe_defs.vh"
`include "fv_toeplitz.vh"

// ops and statuses as rtl/README.md gives them
localparam [7:0] OP_IMPORT = 8'd1;
localparam [7:0] OP_EXPORT = 8'd2;
localparam [7:0] OP_SNAPSHOT = 8'd3;
localparam [7:0] ST_OK = 8'd0;
localparam [7:0] ST_EINVAL = -8'sd2;
localparam [7:0] ST_ENOTFOUND = -8'sd3;
localparam [7:0] ST_EFULL = -8'sd4;
localparam [7:0] ST_EEXIST = -8'sd10;

// the 4-tuple of a record: remote_ip | local_ip | remote_port | local_port
function [95:0] rec_tuple(input [511:0] rec);
    rec_tuple = {rec[CTX_remote_ip_LSB +: 32], rec[CTX_local_ip_LSB +: 32],
                 rec[CTX_remote_port_LSB +: 16], rec[CTX_local_port_LSB +: 16]};
endfunction

wire [127:0]      key = $anyconst;
wire [SLOT_W-1:0] ws = $anyconst;

/* the design under test, wired as in toe_nic.v */
wire              s_cmd_tready;
wire [575:0]      m_res_tdata;
wire              m_res_tvalid;
wire              m_lk_hit;
wire [SLOT_W-1:0] m_lk_slot;
wire [BKT_W-1:0]  tbl_rd_bucket;
wire              tbl_rd;
wire [4*97-1:0]   tbl_row;
wire [BKT_W-1:0]  tbl_wr_bucket;
wire [3:0]        tbl_wr_ways;
wire [96:0]       tbl_wr_entry;
wire              tbl_wr;
wire              tbl_ready;
wire [SLOT_W-1:0] ram_wr_addr;
wire [511:0]      ram_wr_data;
wire              ram_wr;
wire [SLOT_W-1:0] ram_rd_addr;
wire [511:0]      ram_rd_data;
wire              stat_valid;
wire [7:0]        stat_index;

conn_table #(
    .CONN_SLOTS(CONN_SLOTS)
)
tbl (
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
    .s_cmd_rd_bucket(tbl_rd_bucket),
    .s_cmd_rd(tbl_rd),
    .m_cmd_row(tbl_row),
    .s_cmd_wr_bucket(tbl_wr_bucket),
    .s_cmd_wr_ways(tbl_wr_ways),
    .s_cmd_wr_entry(tbl_wr_entry),
    .s_cmd_wr(tbl_wr),
    .m_ready(tbl_ready)
);

ctx_ram #(
    .SLOTS(CONN_SLOTS),
    .DATA_W(512)
)
ram (
    .clk(clk),
    .wr_addr(ram_wr_addr),
    .wr_data(ram_wr_data),
    .wr_en(ram_wr),
    .rd_addr(ram_rd_addr),
    .rd_data(ram_rd_data)
);

ctx_port #(
    .CONN_SLOTS(CONN_SLOTS)
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
    .s_tbl_row(tbl_row),
    .m_tbl_wr_bucket(tbl_wr_bucket),
    .m_tbl_wr_ways(tbl_wr_ways),
    .m_tbl_wr_entry(tbl_wr_entry),
    .m_tbl_wr(tbl_wr),
    .s_tbl_ready(tbl_ready),
    .m_ram_wr_addr(ram_wr_addr),
    .m_ram_wr_data(ram_wr_data),
    .m_ram_wr(ram_wr),
    .m_ram_rd_addr(ram_rd_addr),
    .s_ram_rd_data(ram_rd_data),
    .m_stat_valid(stat_valid),
    .m_stat_index(stat_index)
);

/* reset in the first cycle only */
reg init_reg = 1'b1;

always @(posedge clk) begin
    init_reg <= 1'b0;
end

/* ---------------------------------------------------------------- lookups
 * as in fv_conn_table.v: start_d[k] is s_lk_start k cycles ago, the
 * looked-up tuple and its bucket (summed per half, the hash being linear) */
reg [6:1]       start_d = 6'd0;
reg [3:1]       quiet_d = 3'd0;
reg             lo_seen_reg = 1'b0;
reg [47:0]      hi_spec_reg = 48'd0;
reg [95:0]      tup_spec_reg = 96'd0;
reg [95:0]      lk_tup_reg = 96'd0;
reg [BKT_W-1:0] hi_bkt_reg = {BKT_W{1'b0}};
reg [BKT_W-1:0] tup_bkt_reg = {BKT_W{1'b0}};
reg [BKT_W-1:0] lk_bkt_reg = {BKT_W{1'b0}};
reg             lk_ready_reg = 1'b0;   // the table was ready at the row read

wire [BKT_W-1:0] hi_bkt = fv_bucket({s_lk_hi, 48'd0}, key);
wire [BKT_W-1:0] lo_bkt = fv_bucket({48'd0, s_lk_lo}, key);

always @(posedge clk) begin
    start_d <= {start_d[5:1], s_lk_start};
    quiet_d <= {quiet_d[2:1], s_rx_quiet};
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
    if (start_d[1]) begin
        lk_ready_reg <= tbl_ready;
    end
end

always @* begin
    assume(rst == init_reg);
    // a lookup has its tuple, which holds from S to S+4 (conn_table's rule)
    assume(!s_lk_start || lo_seen_reg);
    assume(!(s_lk_lo_valid && (s_lk_start || start_d[1] || start_d[2] || start_d[3])));
    // the window contract: a quiet cycle R has no lookup start in R-3..R+2
    assume(!(s_rx_quiet && (s_lk_start || start_d[1] || start_d[2] || start_d[3])));
    assume(!(s_lk_start && (quiet_d[1] || quiet_d[2])));
end

/* ---------------------------------------------------------------- streams */
wire cmd_hs = s_cmd_tvalid && s_cmd_tready;
wire res_hs = m_res_tvalid && m_res_tready;

reg         busy_reg = 1'b0;        // a command taken, its result not yet
reg [543:0] cap_reg = 544'd0;       // that command
reg         res_open_reg = 1'b0;    // a result beat was valid and not taken
reg [575:0] res_data_reg = 576'd0;  // its data
reg [31:0]  frames_prev_reg = 32'd0;
reg         tbl_wr_prev_reg = 1'b0;
reg         ready_prev_reg = 1'b0;  // the table was ready last cycle
reg         busy_prev_reg = 1'b0;
reg         ram_wr_prev_reg = 1'b0;

wire res_new = m_res_tvalid && !res_open_reg;

always @(posedge clk) begin
    if (res_hs) begin
        busy_reg <= 1'b0;
    end
    if (cmd_hs) begin
        busy_reg <= 1'b1;
        cap_reg <= s_cmd_tdata;
    end
    res_open_reg <= m_res_tvalid && !m_res_tready;
    res_data_reg <= m_res_tdata;
    frames_prev_reg <= s_rx_frames;
    tbl_wr_prev_reg <= tbl_wr;
    ready_prev_reg <= tbl_ready;
    busy_prev_reg <= busy_reg;
    ram_wr_prev_reg <= ram_wr;
    if (rst) begin
        busy_reg <= 1'b0;
        res_open_reg <= 1'b0;
    end
end

wire [7:0]   res_op = m_res_tdata[7:0];
wire [7:0]   res_status = m_res_tdata[15:8];
wire [15:0]  res_slot = m_res_tdata[31:16];
wire [31:0]  res_order = m_res_tdata[63:32];
wire [511:0] res_rec = m_res_tdata[575:64];

wire [7:0]   cap_op = cap_reg[7:0];
wire [15:0]  cap_slot = cap_reg[31:16];
wire [511:0] cap_rec = cap_reg[543:32];
wire [95:0]  cap_tuple = rec_tuple(cap_rec);
wire [BKT_W-1:0] cap_bkt = fv_bucket(cap_tuple, key);
wire         cap_version_ok = (cap_rec[CTX_version_LSB +: CTX_version_W] == TT_CTX_VERSION);
wire         cap_slot_ok = (cap_slot < CONN_SLOTS);
wire         cap_is_import = (cap_op == OP_IMPORT);
wire         cap_is_read = (cap_op == OP_EXPORT) || (cap_op == OP_SNAPSHOT);

/* ---------------------------------------------------------------- the table
 * (peeked) and the table one cycle before: at res_new that is the table of
 * W, before the command's write */
(* keep *) wire [97*8-1:0]  pk_mem;
(* keep *) wire [512*8-1:0] pk_ram;
reg [97*8-1:0] mem_prev_reg = {97*8{1'b0}};

always @(posedge clk) begin
    mem_prev_reg <= pk_mem;
end

function [96:0] entry(input [97*8-1:0] mem, input integer s);
    entry = mem[97*s +: 97];
endfunction

// a valid entry of mem holds tuple t
function holds(input [97*8-1:0] mem, input [95:0] t);
    integer s;
    begin
        holds = 1'b0;
        for (s = 0; s < CONN_SLOTS; s = s + 1) begin
            if (mem[97*s + 96] && mem[97*s +: 96] == t) begin
                holds = 1'b1;
            end
        end
    end
endfunction

reg                dup;            // two valid entries with one tuple
reg                misplaced;      // a valid entry outside its bucket
reg [3:0]          cap_free;       // free ways of the command tuple's bucket (at W)
reg [1:0]          cap_way;        // the lowest of them
integer i, j;

always @* begin
    dup = 1'b0;
    misplaced = 1'b0;
    for (i = 0; i < CONN_SLOTS; i = i + 1) begin
        for (j = i + 1; j < CONN_SLOTS; j = j + 1) begin
            if (pk_mem[97*i + 96] && pk_mem[97*j + 96] &&
                pk_mem[97*i +: 96] == pk_mem[97*j +: 96]) begin
                dup = 1'b1;
            end
        end
        if (pk_mem[97*i + 96] && fv_bucket(pk_mem[97*i +: 96], key) != i / 4) begin
            misplaced = 1'b1;
        end
    end
    for (i = 0; i < 4; i = i + 1) begin
        cap_free[i] = !mem_prev_reg[97*(4*cap_bkt + i) + 96];
    end
    cap_way = 2'd0;
    for (i = 3; i >= 0; i = i - 1) begin
        if (cap_free[i]) begin
            cap_way = i;
        end
    end
end

always @* begin
    if (!init_reg && tbl_ready) begin
        unique_tuple__pairs: assert(!dup);
        entry_bucket__slots: assert(!misplaced);
    end
end

/* ---------------------------------------------------------------- one slot */
reg         spec_v_reg = 1'b0;
reg [511:0] spec_rec_reg = 512'd0;

wire [15:0] ws16 = ws;

always @(posedge clk) begin
    if (res_new && res_op == OP_IMPORT && res_status == ST_OK && res_slot == ws16) begin
        spec_v_reg <= 1'b1;
        spec_rec_reg <= cap_rec;
    end
    if (res_new && res_op == OP_EXPORT && res_status == ST_OK && cap_slot == ws16) begin
        spec_v_reg <= 1'b0;
    end
    if (rst) begin
        spec_v_reg <= 1'b0;
    end
end

always @* begin
    if (res_new && res_op == OP_IMPORT && res_status == ST_OK && res_slot == ws16) begin
        import_export__free: assert(!spec_v_reg);
    end
    if (res_new && (res_op == OP_EXPORT || res_op == OP_SNAPSHOT) && cap_slot == ws16) begin
        if (res_status == ST_OK) begin
            import_export__record: assert(spec_v_reg && res_rec == spec_rec_reg);
        end
        if (res_status == ST_ENOTFOUND) begin
            import_export__absent: assert(!spec_v_reg);
        end
    end
end

/* ---------------------------------------------------------------- results */
always @* begin
    if (!init_reg) begin
        cmd_res__one: assert(!(cmd_hs && busy_reg));
        cmd_res__asked: assert(!m_res_tvalid || busy_reg);
        // the table changes only at a W (or in the reset sweep)
        if (ready_prev_reg && pk_mem != mem_prev_reg) begin
            cmd_res__effect: assert(res_new && tbl_wr_prev_reg);
        end
    end
    if (res_new) begin
        cmd_res__op: assert(res_op == cap_op);
        cmd_res__order: assert(res_order == frames_prev_reg);
        if (!(cap_is_import && res_status == ST_OK)) begin
            cmd_res__slot: assert(res_slot == cap_slot);
        end
        if (cap_is_import) begin
            cmd_res__echo: assert(res_rec == cap_rec);
            if (!cap_version_ok) begin
                cmd_res__bad_version: assert(res_status == ST_EINVAL);
            end else begin
                cmd_res__import_status: assert(res_status == ST_OK || res_status == ST_EEXIST ||
                                               res_status == ST_EFULL);
            end
        end else if (cap_is_read) begin
            if (!cap_slot_ok) begin
                cmd_res__bad_slot: assert(res_status == ST_EINVAL);
            end else begin
                cmd_res__read_status: assert(res_status == ST_OK || res_status == ST_ENOTFOUND);
            end
            if (res_status != ST_OK) begin
                cmd_res__zero: assert(res_rec == 512'd0);
            end
        end else begin
            cmd_res__bad_op: assert(res_status == ST_EINVAL);
        end
    end
end

always @* begin
    if (res_new && cap_is_import && cap_version_ok) begin
        table_update__exists: assert((res_status == ST_EEXIST) == holds(mem_prev_reg, cap_tuple));
        if (!holds(mem_prev_reg, cap_tuple)) begin
            table_update__full: assert((res_status == ST_EFULL) == (cap_free == 4'd0));
        end
        if (res_status == ST_OK) begin
            table_update__slot: assert(res_slot == {cap_bkt, cap_way});
            table_update__imported: assert(entry(pk_mem, {cap_bkt, cap_way}) == {1'b1, cap_tuple});
        end
    end
    if (res_new && cap_is_read && cap_slot_ok) begin
        table_update__found: assert((res_status == ST_OK) == mem_prev_reg[97*cap_slot + 96]);
        if (cap_op == OP_EXPORT) begin
            table_update__exported: assert(!pk_mem[97*cap_slot + 96]);
        end else begin
            table_update__kept: assert(entry(pk_mem, cap_slot) == entry(mem_prev_reg, cap_slot));
        end
    end
end

always @* begin
    if (res_open_reg) begin
        res_stable__valid: assert(m_res_tvalid);
        res_stable__data: assert(m_res_tdata == res_data_reg);
    end
end

/* ---------------------------------------------------------------- rules */
reg ram_clash_reg = 1'b0;   // last cycle the RAM wrote the record it read

always @(posedge clk) begin
    ram_clash_reg <= ram_wr && ram_wr_addr == ram_rd_addr;
end

always @* begin
    if (!init_reg) begin
        port_rules__ready: assert(!(tbl_rd || tbl_wr) || tbl_ready);
        port_rules__lookup_read: assert(!(tbl_rd && start_d[1]));
        port_rules__rw: assert(!(tbl_rd && tbl_wr && tbl_rd_bucket == tbl_wr_bucket));
        port_rules__lookup_write: assert(!(tbl_wr && start_d[1] && tbl_wr_bucket == lk_bkt_reg));
        // a result that carries the RAM's record never sees a clash
        port_rules__ram: assert(!(ram_clash_reg && m_res_tvalid && cap_is_read && res_status == ST_OK));
    end
end

/* ---------------------------------------------------------------- lookups */
always @* begin
    if (start_d[5]) begin
        if (!lk_ready_reg) begin
            lookup_current__sweep: assert(!m_lk_hit);
        end else begin
            lookup_current__hit: assert(m_lk_hit == holds(pk_mem, lk_tup_reg));
            if (m_lk_hit) begin
                lookup_current__slot: assert(entry(pk_mem, m_lk_slot) == {1'b1, lk_tup_reg});
            end
        end
    end
end

/* ---------------------------------------------------------------- invariants
 * for the induction: internal state agrees with the wrapper's */
(* keep *) wire             pk_clr;
(* keep *) wire [BKT_W-1:0] pk_clr_addr;
(* keep *) wire [47:0]      pk_lk_hi;
(* keep *) wire [31:0]      pk_lk_hi_hash;
(* keep *) wire [95:0]      pk_lk_tup;
(* keep *) wire [BKT_W-1:0] pk_lk_bkt;
(* keep *) wire [3:0]       pk_lk_pipe;
(* keep *) wire [2:0]       pk_state;
(* keep *) wire [543:0]     pk_cmd;
(* keep *) wire [BKT_W-1:0] pk_bkt;
(* keep *) wire [95:0]      pk_hsh_tup;
(* keep *) wire [127:0]     pk_hsh_key;
(* keep *) wire [31:0]      pk_hsh;
(* keep *) wire [4:0]       pk_hsh_cnt;
(* keep *) wire [4*97-1:0]  pk_way_regs;
(* keep *) wire [3:0]       pk_lk_eq;
(* keep *) wire             pk_lk_cmp_ok;
(* keep *) wire             pk_exists;
(* keep *) wire             pk_free;
(* keep *) wire [1:0]       pk_way;
(* keep *) wire             pk_slot_valid;
(* keep *) wire [3:0]       pk_ways;
(* keep *) wire             pk_imp;
(* keep *) wire             pk_imp_ok;
(* keep *) wire             pk_exp_ok;
(* keep *) wire [1:0]       pk_res_rec;

// ctx_port's states (its encoding, read through the peek)
localparam [2:0] S_IDLE = 3'd0;
localparam [2:0] S_HASH = 3'd1;
localparam [2:0] S_WAIT = 3'd2;
localparam [2:0] S_ROW = 3'd3;
localparam [2:0] S_CMP = 3'd4;
localparam [2:0] S_EXEC = 3'd5;

// the hash of the first 4*n input bits of the command's tuple
wire [95:0]  hsh_mask = ~({96{1'b1}} >> {pk_hsh_cnt, 2'b00});
wire [BKT_W-1:0] hsh_part = fv_bucket(cap_tuple & hsh_mask, key);
wire [511:0] ram_ws = pk_ram[512*ws +: 512];
wire [96:0]  mem_ws = pk_mem[97*ws +: 97];

// a bucket row of the table (way w at bits 97*w +: 97, as conn_table's)
wire [4*97-1:0] cmd_row = pk_mem[4*97*pk_bkt +: 4*97];
wire [4*97-1:0] lk_row = pk_mem[4*97*lk_bkt_reg +: 4*97];

// what ctx_port's compare stage makes of a row for the command
reg [3:0] row_same;     // valid ways holding the command's tuple
reg [3:0] row_valid;
reg [1:0] row_free_way; // the lowest free way
reg [3:0] lk_same;      // valid ways of the lookup's row holding its tuple

always @* begin
    row_free_way = 2'd0;
    for (i = 0; i < 4; i = i + 1) begin
        row_valid[i] = cmd_row[97*i + 96];
        row_same[i] = cmd_row[97*i + 96] && cmd_row[97*i +: 96] == cap_tuple;
        lk_same[i] = lk_row[97*i + 96] && lk_row[97*i +: 96] == lk_tup_reg;
    end
    for (i = 3; i >= 0; i = i - 1) begin
        if (!row_valid[i]) begin
            row_free_way = i;
        end
    end
end

// a valid entry in a row the reset sweep has cleared already
reg swept_valid;

always @* begin
    swept_valid = 1'b0;
    for (i = 0; i < CONN_SLOTS; i = i + 1) begin
        if (i / 4 < pk_clr_addr && pk_mem[97*i + 96]) begin
            swept_valid = 1'b1;
        end
    end
end

// the slot W writes when ws changes (its spec follows a cycle later)
wire ws_changing = res_new && res_status == ST_OK &&
                   ((res_op == OP_IMPORT && res_slot == ws16) ||
                    (res_op == OP_EXPORT && cap_slot == ws16));

initial begin
    if (CONN_SLOTS != 8) begin
        $error("fv_ctx_port: the fv_peek lines are those of CONN_SLOTS = 8");
        $finish;
    end
end

// (also in the reset cycle, where the initial values satisfy them: an
// induction step may not start from a reset cycle with any other state)
always @* begin
    begin
        if (init_reg) begin
            inv__init: assert(!lo_seen_reg && start_d == 6'd0 && quiet_d == 3'd0 &&
                              !lk_ready_reg && !busy_reg && !busy_prev_reg && !res_open_reg &&
                              !ready_prev_reg && !ram_wr_prev_reg && !ram_clash_reg &&
                              !spec_v_reg);
        end
        inv__lk_hi: assert(pk_lk_hi == hi_spec_reg);
        inv__lk_tup: assert(pk_lk_tup == tup_spec_reg);
        inv__lk_hi_bkt: assert(pk_lk_hi_hash[BKT_W-1:0] == hi_bkt_reg);
        inv__lk_bkt: assert(pk_lk_bkt == tup_bkt_reg);
        inv__lk_pipe: assert(pk_lk_pipe == start_d[4:1]);

        inv__state: assert(pk_state <= S_EXEC);
        inv__busy: assert(busy_reg == (pk_state != S_IDLE || m_res_tvalid));
        inv__ready: assert(s_cmd_tready == (pk_state == S_IDLE && !m_res_tvalid));
        if (busy_reg) begin
            inv__cmd: assert(pk_cmd == cap_reg);
        end
        if (pk_state == S_HASH) begin
            inv__hsh_cnt: assert(pk_hsh_cnt <= 5'd23);
            inv__hsh_tup: assert(pk_hsh_tup == cap_tuple << {pk_hsh_cnt, 2'b00});
            inv__hsh_key: assert(pk_hsh_key == key << {pk_hsh_cnt, 2'b00});
            inv__hsh: assert(pk_hsh[BKT_W-1:0] == hsh_part);
        end
        if (pk_state > S_HASH) begin
            inv__cmd_bkt: assert(pk_bkt == (cap_is_import ? cap_bkt : cap_slot[SLOT_W-1:2]));
            inv__cmd_regs: assert(pk_imp == cap_is_import &&
                                  pk_imp_ok == (cap_is_import && cap_version_ok) &&
                                  pk_exp_ok == (cap_op == OP_EXPORT && cap_slot_ok));
        end
        // R..W: the row read in R (unchanged since: the table is written
        // only in W) goes through the RAM registers, the row register and
        // the compare; no lookup started in R-3 .. now (the window)
        if (pk_state == S_ROW) begin
            inv__row_ram: assert(pk_way_regs == cmd_row);
            inv__row_window: assert(start_d[4:1] == 4'd0 && quiet_d[1]);
        end
        if (pk_state == S_CMP) begin
            inv__row_reg: assert(tbl_row == cmd_row);
            inv__cmp_window: assert(start_d[5:1] == 5'd0 && quiet_d[2]);
        end
        if (pk_state == S_EXEC) begin
            inv__exec_window: assert(start_d[6:1] == 6'd0 && quiet_d[3]);
            inv__exec_exists: assert(pk_exists == (row_same != 4'd0));
            inv__exec_free: assert(pk_free == (row_valid != 4'hf) && pk_way == row_free_way);
            inv__exec_slot: assert(pk_slot_valid == row_valid[cap_slot[1:0]]);
            inv__exec_ways: assert(pk_ways == 4'b0001 << (cap_is_import ? row_free_way : cap_slot[1:0]));
        end
        // W+1 is the cycle of the counter pulse and of the new result
        inv__res_new: assert(stat_valid == res_new);
        inv__res_idle: assert(!m_res_tvalid || pk_state == S_IDLE);
        // the RAM writes in W+1 exactly when the new result is an IMPORT ok
        inv__ram_wr: assert(ram_wr == (res_new && cap_is_import && res_status == ST_OK));
        if (ram_wr) begin
            inv__ram_wr_at: assert(ram_wr_addr == res_slot && ram_wr_data == cap_rec);
        end
        inv__res_busy: assert(!m_res_tvalid || busy_prev_reg);
        // the source of a waiting result's record (ctx_port: 1 the
        // command's, 2 the RAM's, 0 none)
        if (m_res_tvalid) begin
            inv__res_rec: assert(pk_res_rec == (cap_is_import ? 2'd1 :
                                                (cap_is_read && res_status == ST_OK) ? 2'd2 : 2'd0));
        end
        inv__ram_wr_prev: assert(!ram_wr_prev_reg || !busy_reg || cap_is_import);
        inv__lk_ready: assert(!lk_ready_reg || !pk_clr);
        // the record RAM reads the command's slot every cycle
        if (busy_reg && busy_prev_reg && !ram_wr_prev_reg) begin
            inv__ram_rd: assert(ram_rd_data == pk_ram[512*cap_slot[SLOT_W-1:0] +: 512]);
        end

        // a lookup between its row read (S+1) and its result (S+5): the
        // table does not change then (the window), the tuple holds
        // lookups start 5 cycles apart at least (each needs a low half of
        // its own, which comes after S+3 of the one before)
        if (start_d[4:1] != 4'd0) begin
            inv__lk_spacing: assert(!lo_seen_reg && (start_d[5:1] & (start_d[5:1] - 5'd1)) == 5'd0);
        end
        // the incrementally summed buckets are the tuples' buckets
        inv__hi_bucket: assert(hi_bkt_reg == fv_bucket({hi_spec_reg, 48'd0}, key));
        inv__tup_bucket: assert(tup_bkt_reg == fv_bucket(tup_spec_reg, key));
        if (start_d[5:1] != 5'd0) begin
            inv__lk_bucket: assert(lk_bkt_reg == fv_bucket(lk_tup_reg, key));
        end
        if (start_d[4:1] != 4'd0) begin
            inv__lk_held: assert(tup_spec_reg == lk_tup_reg && tup_bkt_reg == lk_bkt_reg);
        end
        if (start_d[4:2] != 3'd0) begin
            inv__lk_cmp_ok: assert(pk_lk_cmp_ok == lk_ready_reg);
        end
        if (start_d[2] && lk_ready_reg) begin
            inv__lk_row_ram: assert(pk_way_regs == lk_row);
        end
        if (start_d[3] && lk_ready_reg) begin
            inv__lk_row_reg: assert(tbl_row == lk_row);
        end
        if (start_d[4]) begin
            inv__lk_eq: assert(pk_lk_eq == (lk_ready_reg ? lk_same : 4'd0));
        end

        if (pk_clr) begin
            // the sweep: no command past its wait, no slot of the spec
            inv__sweep_port: assert(pk_state <= S_WAIT && !m_res_tvalid && !spec_v_reg);
            inv__sweep_done: assert(!swept_valid);
        end else if (!ws_changing) begin
            inv__spec_valid: assert(mem_ws[96] == spec_v_reg);
        end
        if (spec_v_reg && !ws_changing) begin
            inv__spec_tuple: assert(mem_ws[95:0] == rec_tuple(spec_rec_reg));
        end
        if (spec_v_reg) begin
            inv__spec_record: assert(ram_ws == spec_rec_reg);
        end
    end
end

endmodule

`resetall
