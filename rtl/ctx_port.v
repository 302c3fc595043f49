// SPDX-License-Identifier: MIT
/*
 * Context port: executes IMPORT / EXPORT / SNAPSHOT commands on the
 * connection table (conn_table) and the context RAM (ctx_ram), one at a
 * time, and answers each with one result beat (rtl/README.md, "Context
 * port"). The twin of conn_insert() and the model's context port.
 *
 *   command [7:0] op  [15:8] 0  [31:16] slot  [543:32] record
 *   result  [7:0] op  [15:8] status  [31:16] slot  [63:32] order
 *           [575:64] record
 *
 *   record bits   field
 *   -----------   -----------------------------------------
 *     7:0         version (must be TT_CTX_VERSION to import)
 *    63:32        local_ip      (tuple dst IP)
 *    95:64        remote_ip     (tuple src IP)
 *   111:96        local_port    (tuple dst port)
 *   127:112       remote_port   (tuple src port)
 *
 * States: IDLE (accept a command; never while a result waits) -> HASH
 * (96 / HASH_BITS cycles, 24 on the card: the bucket of the record's
 * tuple, HASH_BITS tuple bits a cycle) -> WAIT
 * (for a window; the window cycle is R: the bucket row is read) -> ROW
 * (R+1: the row comes out of the table's RAMs) -> CMP (cycle C = R+2: the
 * row is compared with the tuple, registered) -> EXEC (cycle W = R+3:
 * decide, write the row, latch the result's fields, pulse the counter) ->
 * MEM (R+4, R+5) -> RAM (R+6: the context RAM is read at the slot, or an
 * IMPORT's record written) -> LATCH (R+7: an exported record is latched,
 * the output fence takes its snapshot) -> FENCE (until every output of
 * the frames counted in order has left the card) -> IDLE, the result out.
 *
 * Ordering against receive lookups. A command takes effect at its cycle
 * W: the table write happens at the end of W, and order = RX_FRAMES as
 * read during W (the frames whose verdict came in a cycle before W). R is
 * entered only in a cycle where s_rx_quiet is high (eth_rx_parse: the
 * parser's next beat is one of beats 0..4 and no lookup frame ended 1..4
 * cycles before; a lookup frame, 7 beats or more, reads its row 2 cycles
 * after its last beat and has its verdict 7 cycles after). Then every
 * lookup frame
 *   - either read its row by R-3 and has its verdict by R+2: it is
 *     counted in order and did not see the effect (and its read did not
 *     clash with ours on the read port);
 *   - or reads its row at R+4 or later, after the write, and has its
 *     verdict after W: it is counted after the command and sees its
 *     effect.
 * Frames without a lookup may get their verdict in W; their verdict does
 * not depend on the table. Every command, whatever its op or status, goes
 * through R, C and W, so its order is defined the same way. A window comes
 * at the latest at beat 4 of the frame after the one in progress, so a
 * command waits at most about one frame; the receive path is never
 * stalled.
 *
 * Ordering against the receive engine (revision 1.2; its job queue since).
 * The engine reads a frame's record when toe_nic pops the frame's job (J)
 * and writes it in J+4. toe_nic gives a window (s_rx_quiet) only with no
 * job queued or in flight and no lookup frame with its last beat in
 * R-11 .. R-1: a frame counted in order (E <= R-12) wrote by R-1; a frame
 * after it (E >= R+2) queues its job in R+9 or later and reads in R+10 or
 * later. The port uses the context RAM only in R+6: it reads the record
 * with every earlier frame's update in it, and its IMPORT write is seen
 * by every later frame, and neither port of the RAM is ever wanted twice
 * in one cycle. The engine queued the outputs of the frames counted in
 * order by R-1; the fence snapshot in R+7 covers them, and the result
 * waits until they have all left the card (export atomicity).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module ctx_port #
(
    // connection slots (power of two, 8 .. 32768)
    parameter CONN_SLOTS = 1024,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // bucket number width
    parameter BKT_W = SLOT_W - 2,
    // table row width: 4 ways of {valid, 96-bit tuple}
    parameter ROW_W = 4 * 97,
    // tuple bits the serial hash takes per cycle (a divisor of 96): the
    // HASH state lasts 96 / HASH_BITS cycles. The card uses 4; the formal
    // wrapper uses 96 (one cycle) to reach results at a small depth, and
    // tests/formal/fv_ctx_hash.v proves the 4-bit hash equal to the
    // reference one (tests/formal/README.md)
    parameter HASH_BITS = 4
)
(
    input  wire              clk,
    input  wire              rst,

    /* hash key (HASH_KEY0 in 127:96) */
    input  wire [127:0]      key,

    /* commands */
    input  wire [543:0]      s_axis_ctx_cmd_tdata,
    input  wire              s_axis_ctx_cmd_tvalid,
    output wire              s_axis_ctx_cmd_tready,

    /* results */
    output wire [575:0]      m_axis_ctx_res_tdata,
    output wire              m_axis_ctx_res_tvalid,
    input  wire              m_axis_ctx_res_tready,

    /* receive side: command window and frame count */
    input  wire              s_rx_quiet,
    input  wire [31:0]       s_rx_frames,

    /* connection table */
    output wire [BKT_W-1:0]  m_tbl_rd_bucket,
    output wire              m_tbl_rd,
    input  wire [ROW_W-1:0]  s_tbl_row,
    output wire [BKT_W-1:0]  m_tbl_wr_bucket,
    output wire [3:0]        m_tbl_wr_ways,
    output wire [96:0]       m_tbl_wr_entry,
    output wire              m_tbl_wr,
    input  wire              s_tbl_ready,

    /* context RAM, shared with the receive engine: used in R+6 only */
    output wire [SLOT_W-1:0] m_ram_wr_addr,
    output wire [511:0]      m_ram_wr_data,
    output wire              m_ram_wr,
    output wire [SLOT_W-1:0] m_ram_rd_addr,
    output wire              m_ram_rd,
    input  wire [511:0]      s_ram_rd_data,

    /* output fence */
    output wire              m_fence_snap,  // R+7
    input  wire              s_fence_clear,

    /* counter increment (index TT_CNT_CTX_*) */
    output wire              m_stat_valid,  // a cycle after W
    output wire [7:0]        m_stat_index
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

// ops and statuses (enum tt_ctx_op / tt_status in teamtoe/card.h; not in
// teamtoe_defs.vh yet)
localparam [7:0] OP_IMPORT = 8'd1;
localparam [7:0] OP_EXPORT = 8'd2;
localparam [7:0] OP_SNAPSHOT = 8'd3;

localparam [7:0] ST_OK = 8'h00;        //   0
localparam [7:0] ST_EINVAL = 8'hfe;    //  -2
localparam [7:0] ST_ENOTFOUND = 8'hfd; //  -3
localparam [7:0] ST_EFULL = 8'hfc;     //  -4
localparam [7:0] ST_EEXIST = 8'hf6;    // -10

// record in the result
localparam [1:0] REC_ZERO = 2'd0;
localparam [1:0] REC_CMD = 2'd1;       // echo of the command's record
localparam [1:0] REC_RAM = 2'd2;       // the slot's record from the RAM

localparam [3:0] STATE_IDLE = 4'd0;
localparam [3:0] STATE_HASH = 4'd1;
localparam [3:0] STATE_WAIT = 4'd2;
localparam [3:0] STATE_ROW = 4'd3;
localparam [3:0] STATE_CMP = 4'd4;
localparam [3:0] STATE_EXEC = 4'd5;
localparam [3:0] STATE_MEM0 = 4'd6;
localparam [3:0] STATE_MEM1 = 4'd7;
localparam [3:0] STATE_RAM = 4'd8;
localparam [3:0] STATE_LATCH = 4'd9;
localparam [3:0] STATE_FENCE = 4'd10;

initial begin
    if (CONN_SLOTS < 8 || CONN_SLOTS > 32768 || (CONN_SLOTS & (CONN_SLOTS - 1)) != 0) begin
        $error("ctx_port: CONN_SLOTS must be a power of two, 8 .. 32768");
        $finish;
    end
    if (SLOT_W != $clog2(CONN_SLOTS) || BKT_W != SLOT_W - 2 || ROW_W != 4 * 97) begin
        $error("ctx_port: SLOT_W, BKT_W and ROW_W must keep their defaults");
        $finish;
    end
end

reg [3:0]       state_reg = STATE_IDLE, state_next;

/* the command */
reg [543:0]     cmd_reg = 544'd0, cmd_next;
reg [BKT_W-1:0] bkt_reg = {BKT_W{1'b0}}, bkt_next;   // its table bucket (from HASH on)

/* the result */
reg             res_valid_reg = 1'b0, res_valid_next;
reg [7:0]       res_status_reg = 8'd0, res_status_next;
reg [15:0]      res_slot_reg = 16'd0, res_slot_next;
reg [31:0]      res_order_reg = 32'd0, res_order_next;
reg [1:0]       res_rec_reg = REC_ZERO, res_rec_next;

wire [7:0]   cmd_op = cmd_reg[7:0];
wire [15:0]  cmd_slot = cmd_reg[31:16];
wire [511:0] cmd_rec = cmd_reg[543:32];
wire [95:0]  cmd_tuple = {cmd_rec[CTX_remote_ip_LSB +: 32], cmd_rec[CTX_local_ip_LSB +: 32],
                          cmd_rec[CTX_remote_port_LSB +: 16], cmd_rec[CTX_local_port_LSB +: 16]};
wire         cmd_is_import = (cmd_op == OP_IMPORT);
wire         cmd_slot_ok = (({16'd0, cmd_slot} >> SLOT_W) == 32'd0);

/* Toeplitz hash of the record's tuple, HASH_BITS input bits per cycle
 * (commands are rare: a few hundred LUTs instead of a parallel conn_hash)
 * over shift registers of the tuple and of the key sampled at accept */
localparam HASH_STEPS = 96 / HASH_BITS;

// a HASH_BITS that does not divide 96 would hash only part of the tuple:
// refused at elaboration (Verilator names it; Yosys 0.23 stops on the
// unknown task)
generate
    if (HASH_BITS < 1 || HASH_BITS > 96 || HASH_STEPS * HASH_BITS != 96) begin : g_hash_bits_bad
        $error("ctx_port: HASH_BITS must divide 96");
    end
endgenerate
// the step counter counts 0 .. HASH_LAST (5 bits on the card; one bit when
// the whole tuple is hashed in one cycle)
localparam HASH_CNT_W = HASH_STEPS > 1 ? $clog2(HASH_STEPS) : 1;
localparam integer HASH_LAST_I = HASH_STEPS - 1;
localparam [HASH_CNT_W-1:0] HASH_LAST = HASH_LAST_I[HASH_CNT_W-1:0];

reg [95:0]  hsh_tup_reg = 96'd0, hsh_tup_next;
reg [127:0] hsh_key_reg = 128'd0, hsh_key_next;
reg [31:0]  hsh_reg = 32'd0, hsh_next;
reg [HASH_CNT_W-1:0] hsh_cnt_reg = {HASH_CNT_W{1'b0}}, hsh_cnt_next;
wire [31:0]  hsh_step;

// the top HASH_BITS tuple bits are input bits i = 0..HASH_BITS-1 of this
// step; as in conn_hash, tuple bit t meets key bit t+1+b in output bit b
genvar hb;
generate
    for (hb = 0; hb < 32; hb = hb + 1) begin : g_hsh
        assign hsh_step[hb] = hsh_reg[hb] ^
            ^(hsh_tup_reg[95 -: HASH_BITS] & hsh_key_reg[hb+97-HASH_BITS +: HASH_BITS]);
    end
endgenerate

// the hash bits above the bucket number are not used
wire unused_hsh = &{1'b0, hsh_step[31:BKT_W]};

// the tuple of a command being accepted
wire [95:0] in_tuple = {s_axis_ctx_cmd_tdata[32 + CTX_remote_ip_LSB +: 32],
                        s_axis_ctx_cmd_tdata[32 + CTX_local_ip_LSB +: 32],
                        s_axis_ctx_cmd_tdata[32 + CTX_remote_port_LSB +: 16],
                        s_axis_ctx_cmd_tdata[32 + CTX_local_port_LSB +: 16]};

wire [SLOT_W-1:0] cmd_slot_n = cmd_slot[SLOT_W-1:0];

/* the bucket row read in R, compared in C = R+2, used in W = R+3 */
reg [3:0] way_valid;
reg [3:0] way_same;
reg       imp_exists;
reg       imp_free;
reg [1:0] imp_way;
integer w;

always @* begin
    imp_exists = 1'b0;
    imp_free = 1'b0;
    imp_way = 2'd0;
    for (w = 0; w < 4; w = w + 1) begin
        way_valid[w] = s_tbl_row[97*w + 96];
        way_same[w] = (s_tbl_row[97*w +: 96] == cmd_tuple);
        if (way_valid[w] && way_same[w]) begin
            imp_exists = 1'b1;
        end
    end
    // lowest free way
    for (w = 3; w >= 0; w = w - 1) begin
        if (!way_valid[w]) begin
            imp_free = 1'b1;
            imp_way = w[1:0];
        end
    end
end

reg       exists_reg = 1'b0;
reg       free_reg = 1'b0;
reg [1:0] way_reg = 2'd0;
reg       slot_valid_reg = 1'b0;     // the command slot's way is valid
reg [3:0] ways_reg = 4'd0;           // the way W writes
reg       imp_reg = 1'b0;            // IMPORT
reg       imp_ok_reg = 1'b0;         // IMPORT of the right version
reg       exp_ok_reg = 1'b0;         // EXPORT of a slot in range

always @(posedge clk) begin
    if (state_reg == STATE_CMP) begin
        exists_reg <= imp_exists;
        free_reg <= imp_free;
        way_reg <= imp_way;
        slot_valid_reg <= way_valid[cmd_slot_n[1:0]];
        ways_reg <= 4'b0001 << (cmd_is_import ? imp_way : cmd_slot_n[1:0]);
    end
    // from cmd_reg alone, steady from HASH on
    imp_reg <= cmd_is_import;
    imp_ok_reg <= cmd_is_import &&
                  (cmd_rec[CTX_version_LSB +: CTX_version_W] == TT_CTX_VERSION[CTX_version_W-1:0]);
    exp_ok_reg <= (cmd_op == OP_EXPORT) && cmd_slot_ok;
end

// the table write of W (IMPORT into a free way, EXPORT of a valid slot)
assign m_tbl_wr = (state_reg == STATE_EXEC) &&
                  ((imp_ok_reg && !exists_reg && free_reg) || (exp_ok_reg && slot_valid_reg));

// ready = IDLE and no result waiting, as a register (computed from the
// next state). While ready, the command registers load the input every
// cycle, so their enable is this one register and not the input's valid.
reg rdy_reg = 1'b1;

assign s_axis_ctx_cmd_tready = rdy_reg;

// the record of the result: the command's own (IMPORT), or the RAM's,
// latched into the same register in R+7 (EXPORT/SNAPSHOT)
assign m_axis_ctx_res_tvalid = res_valid_reg;
assign m_axis_ctx_res_tdata = {(res_rec_reg != REC_ZERO) ? cmd_rec : 512'd0,
                               res_order_reg, res_slot_reg, res_status_reg, cmd_op};

// R: IMPORT reads the bucket of the record's tuple, the others the bucket
// of their slot (and the slot's record)
wire cmd_go = (state_reg == STATE_WAIT) && s_rx_quiet && s_tbl_ready;

assign m_tbl_rd = cmd_go;
assign m_tbl_rd_bucket = bkt_reg;
// the context RAM is read at the command's slot in R+6
assign m_ram_rd_addr = cmd_slot_n;

// W: IMPORT writes {1, tuple} into its free way and the record at
// {bucket, way}; EXPORT writes an invalid entry into its slot's way
assign m_tbl_wr_bucket = bkt_reg;
assign m_tbl_wr_ways = ways_reg;
assign m_tbl_wr_entry = {imp_reg, cmd_tuple};
assign m_ram_wr_addr = {bkt_reg, way_reg};
assign m_ram_wr_data = cmd_rec;

/* the context RAM access of R+6 (set in R+5, registered) and the counter
 * increment of W (registered); cmd_reg and the addresses hold until then */
reg       ram_wr_reg = 1'b0, ram_wr_next;
reg       ram_rd_reg = 1'b0, ram_rd_next;
reg       ram_imp_reg = 1'b0, ram_imp_next;   // W decided: IMPORT writes
reg       stat_valid_reg = 1'b0, stat_valid_next;
reg [7:0] stat_index_reg = 8'd0, stat_index_next;

assign m_ram_wr = ram_wr_reg;
assign m_ram_rd = ram_rd_reg;
assign m_fence_snap = (state_reg == STATE_LATCH);
assign m_stat_valid = stat_valid_reg;
assign m_stat_index = stat_index_reg;

always @* begin
    state_next = state_reg;
    cmd_next = cmd_reg;
    bkt_next = bkt_reg;

    hsh_tup_next = hsh_tup_reg;
    hsh_key_next = hsh_key_reg;
    hsh_next = hsh_reg;
    hsh_cnt_next = hsh_cnt_reg;

    res_valid_next = res_valid_reg && !m_axis_ctx_res_tready;
    res_status_next = res_status_reg;
    res_slot_next = res_slot_reg;
    res_order_next = res_order_reg;
    res_rec_next = res_rec_reg;

    ram_wr_next = 1'b0;
    ram_rd_next = 1'b0;
    ram_imp_next = ram_imp_reg;
    stat_valid_next = 1'b0;
    stat_index_next = 8'd0;

    case (state_reg)
        STATE_IDLE: begin
            if (rdy_reg) begin
                cmd_next = s_axis_ctx_cmd_tdata;
                hsh_tup_next = in_tuple;
                hsh_key_next = key;
                hsh_next = 32'd0;
                hsh_cnt_next = {HASH_CNT_W{1'b0}};
                if (s_axis_ctx_cmd_tvalid) begin
                    state_next = STATE_HASH;
                end
            end
        end
        STATE_HASH: begin
            hsh_tup_next = hsh_tup_reg << HASH_BITS;
            hsh_key_next = hsh_key_reg << HASH_BITS;
            hsh_next = hsh_step;
            hsh_cnt_next = hsh_cnt_reg + 1'b1;
            if (hsh_cnt_reg == HASH_LAST) begin
                // the table bucket: of the tuple (IMPORT), of the slot (others)
                bkt_next = cmd_is_import ? hsh_step[BKT_W-1:0] : cmd_slot_n[SLOT_W-1:2];
                state_next = STATE_WAIT;
            end
        end
        STATE_WAIT: begin
            // this cycle is R if it is a window (and the table is ready)
            if (cmd_go) begin
                state_next = STATE_ROW;
            end
        end
        STATE_ROW: begin
            state_next = STATE_CMP;
        end
        STATE_CMP: begin
            // C: the row read in R is compared
            state_next = STATE_EXEC;
        end
        STATE_EXEC: begin
            // W
            state_next = STATE_MEM0;
            ram_imp_next = 1'b0;
            res_order_next = s_rx_frames;
            res_slot_next = cmd_slot;
            res_rec_next = REC_ZERO;
            stat_valid_next = 1'b1;

            case (cmd_op)
                OP_IMPORT: begin
                    res_rec_next = REC_CMD;
                    if (cmd_rec[CTX_version_LSB +: CTX_version_W] != TT_CTX_VERSION[CTX_version_W-1:0]) begin
                        res_status_next = ST_EINVAL;
                        stat_index_next = TT_CNT_CTX_BAD[7:0];
                    end else if (exists_reg) begin
                        res_status_next = ST_EEXIST;
                        stat_index_next = TT_CNT_CTX_EXISTS[7:0];
                    end else if (!free_reg) begin
                        res_status_next = ST_EFULL;
                        stat_index_next = TT_CNT_CTX_FULL[7:0];
                    end else begin
                        res_status_next = ST_OK;
                        res_slot_next = {{(16-SLOT_W){1'b0}}, bkt_reg, way_reg};
                        stat_index_next = TT_CNT_CTX_IMPORT[7:0];
                        ram_imp_next = 1'b1;
                    end
                end
                OP_EXPORT, OP_SNAPSHOT: begin
                    if (!cmd_slot_ok) begin
                        res_status_next = ST_EINVAL;
                        stat_index_next = TT_CNT_CTX_BAD[7:0];
                    end else if (!slot_valid_reg) begin
                        res_status_next = ST_ENOTFOUND;
                        stat_index_next = TT_CNT_CTX_NOT_FOUND[7:0];
                    end else begin
                        res_status_next = ST_OK;
                        res_rec_next = REC_RAM;
                        if (cmd_op == OP_EXPORT) begin
                            stat_index_next = TT_CNT_CTX_EXPORT[7:0];
                        end else begin
                            stat_index_next = TT_CNT_CTX_SNAPSHOT[7:0];
                        end
                    end
                end
                default: begin
                    res_status_next = ST_EINVAL;
                    stat_index_next = TT_CNT_CTX_BAD[7:0];
                end
            endcase
        end
        STATE_MEM0: begin
            state_next = STATE_MEM1;
        end
        STATE_MEM1: begin
            // the RAM access of R+6
            state_next = STATE_RAM;
            ram_wr_next = ram_imp_reg;
            ram_rd_next = (res_rec_reg == REC_RAM);
        end
        STATE_RAM: begin
            state_next = STATE_LATCH;
        end
        STATE_LATCH: begin
            // the record read in R+6; the fence snapshot (m_fence_snap)
            state_next = STATE_FENCE;
            if (res_rec_reg == REC_RAM) begin
                cmd_next[543:32] = s_ram_rd_data;
            end
        end
        STATE_FENCE: begin
            if (s_fence_clear) begin
                state_next = STATE_IDLE;
                res_valid_next = 1'b1;
            end
        end
        default: begin
            state_next = STATE_IDLE;
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    rdy_reg <= (state_next == STATE_IDLE) && !res_valid_next;
    ram_wr_reg <= ram_wr_next;
    ram_rd_reg <= ram_rd_next;
    ram_imp_reg <= ram_imp_next;
    stat_valid_reg <= stat_valid_next;
    stat_index_reg <= stat_index_next;
    cmd_reg <= cmd_next;
    bkt_reg <= bkt_next;

    hsh_tup_reg <= hsh_tup_next;
    hsh_key_reg <= hsh_key_next;
    hsh_reg <= hsh_next;
    hsh_cnt_reg <= hsh_cnt_next;

    res_valid_reg <= res_valid_next;
    res_status_reg <= res_status_next;
    res_slot_reg <= res_slot_next;
    res_order_reg <= res_order_next;
    res_rec_reg <= res_rec_next;

    if (rst) begin
        state_reg <= STATE_IDLE;
        rdy_reg <= 1'b1;
        ram_wr_reg <= 1'b0;
        ram_rd_reg <= 1'b0;
        stat_valid_reg <= 1'b0;
        res_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
