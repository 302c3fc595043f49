// SPDX-License-Identifier: MIT
/*
 * teamtoe card top (revision 1.2: receive verdicts and exceptions with the
 * connection lookup, the receive engine of offloaded connections, context
 * port, host raw transmit and engine ACKs, link and ACKED events, register
 * file; of revision 1.3 so far: the transmit engine's doorbells, DMA reads
 * and data segments, the segments' follow-ups, their congestion steps
 * with RETRANS events, the timer sweep, the trace). See rtl/README.md.
 *
 *   s_axis_net_rx --+--> eth_rx_parse (fields, checksums, verdict)
 *                   |       | tuple    ^ hit, slot
 *                   |       v          |
 *                   |    conn_table (hash, bucket row, 4-way compare)
 *                   |          ^ read / write in a window
 *   s_axis_ctx_cmd ----> ctx_port <--> ctx_ram <--> rx_engine (tcp_rx)
 *                   |       |  \--------------> m_axis_ctx_res (out_fence)
 *                   |       verdict: commit / roll back, counters
 *                   +--> rx_frame_fifo --> host_dma_wr --> m_axis_dma_hdr
 *                      meta_fifo, eres_fifo --^  (dma_realign) --> m_axis_dma
 *   s_axis_host_tx ----> tx_path ------------------------------\
 *   rx_engine -------------> ack_fifo -> tcp_hdr_build            |
 *    \-> fu_fifo -> tx_engine --^          -> tx_seg_append -> tx_arb --> m_axis_net_tx
 *        (tcp_out, tcp_cc, tcp_timers; doorbells, DMA reads, trace)
 *        timer_sweep (in tx_engine's hold) --^ ACKs, events, kicks, trace
 *   link_up, rx_engine, tx_engine, timer_sweep -> evt_queue ---> m_axis_evt
 *   s_axil ------------> axil_regs (CTRL, MAC, IPv4, hash key, counters)
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module toe_nic #
(
    // connection slots (power of two, 8 .. 32768)
    parameter CONN_SLOTS = 1024,
    // RX frame FIFO depth in 64-bit words (power of two, holds one TT_MAX_FRAME)
    parameter RX_FIFO_DEPTH = 2048,
    // LINK event queue depth (power of two)
    parameter EVT_FIFO_DEPTH = 16
)
(
    input  wire         clk,
    input  wire         rst,

    /* register port (AXI4-Lite) */
    input  wire [11:0]  s_axil_awaddr,
    input  wire [2:0]   s_axil_awprot,
    input  wire         s_axil_awvalid,
    output wire         s_axil_awready,
    input  wire [31:0]  s_axil_wdata,
    input  wire [3:0]   s_axil_wstrb,
    input  wire         s_axil_wvalid,
    output wire         s_axil_wready,
    output wire [1:0]   s_axil_bresp,
    output wire         s_axil_bvalid,
    input  wire         s_axil_bready,
    input  wire [11:0]  s_axil_araddr,
    input  wire [2:0]   s_axil_arprot,
    input  wire         s_axil_arvalid,
    output wire         s_axil_arready,
    output wire [31:0]  s_axil_rdata,
    output wire [1:0]   s_axil_rresp,
    output wire         s_axil_rvalid,
    input  wire         s_axil_rready,

    /* link */
    input  wire         link_up,

    /* network RX (from the switch) */
    input  wire [63:0]  s_axis_net_rx_tdata,
    input  wire [7:0]   s_axis_net_rx_tkeep,
    input  wire         s_axis_net_rx_tvalid,
    output wire         s_axis_net_rx_tready,
    input  wire         s_axis_net_rx_tlast,

    /* network TX (to the switch) */
    output wire [63:0]  m_axis_net_tx_tdata,
    output wire [7:0]   m_axis_net_tx_tkeep,
    output wire         m_axis_net_tx_tvalid,
    input  wire         m_axis_net_tx_tready,
    output wire         m_axis_net_tx_tlast,
    output wire         m_axis_net_tx_tuser,   // source: 0 host, 1 engine

    /* host raw TX frames */
    input  wire [63:0]  s_axis_host_tx_tdata,
    input  wire [7:0]   s_axis_host_tx_tkeep,
    input  wire         s_axis_host_tx_tvalid,
    output wire         s_axis_host_tx_tready,
    input  wire         s_axis_host_tx_tlast,

    /* DMA write descriptor */
    output wire [127:0] m_axis_dma_hdr_tdata,
    output wire         m_axis_dma_hdr_tvalid,
    input  wire         m_axis_dma_hdr_tready,

    /* DMA write data */
    output wire [63:0]  m_axis_dma_tdata,
    output wire [7:0]   m_axis_dma_tkeep,
    output wire         m_axis_dma_tvalid,
    input  wire         m_axis_dma_tready,
    output wire         m_axis_dma_tlast,

    /* events */
    output wire [63:0]  m_axis_evt_tdata,
    output wire         m_axis_evt_tvalid,
    input  wire         m_axis_evt_tready,

    /* context port commands */
    input  wire [543:0] s_axis_ctx_cmd_tdata,
    input  wire         s_axis_ctx_cmd_tvalid,
    output wire         s_axis_ctx_cmd_tready,

    /* context port results */
    output wire [575:0] m_axis_ctx_res_tdata,
    output wire         m_axis_ctx_res_tvalid,
    input  wire         m_axis_ctx_res_tready,

    /* doorbells (revision 1.3): {snd_end[31:0], slot[15:0]} */
    input  wire [47:0]  s_axis_doorbell_tdata,
    input  wire         s_axis_doorbell_tvalid,
    output wire         s_axis_doorbell_tready,

    /* DMA read requests: {seq[31:0], len[15:0], slot[15:0]} */
    output wire [63:0]  m_axis_dma_rd_req_tdata,
    output wire         m_axis_dma_rd_req_tvalid,
    input  wire         m_axis_dma_rd_req_tready,

    /* DMA read answers: a header beat {seq, len, slot}, then the data */
    input  wire [63:0]  s_axis_dma_rd_resp_tdata,
    input  wire [7:0]   s_axis_dma_rd_resp_tkeep,
    input  wire         s_axis_dma_rd_resp_tvalid,
    output wire         s_axis_dma_rd_resp_tready,
    input  wire         s_axis_dma_rd_resp_tlast,

    /* trace items: {value[31:0], order[31:0], slot[15:0], 8'd0, kind[7:0]} */
    output wire [95:0]  m_axis_trace_tdata,
    output wire         m_axis_trace_tvalid,
    input  wire         m_axis_trace_tready
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

// byte counts (frame lengths) are carried in 32 bits, like the counters
localparam LEN_W = 32;
// committed-frame descriptors waiting for the DMA writer
localparam META_DEPTH = 32;
localparam META_CNT_W = $clog2(META_DEPTH) + 1;
// connection table
localparam SLOT_W = $clog2(CONN_SLOTS);
localparam BKT_W = SLOT_W - 2;
localparam ROW_W = 4 * 97;
// receive engine: pure ACK requests, engine events and follow-ups
// waiting; the receive engine takes a job only while 2 entries of each
// are free (one job at a time, and a margin), the transmit engine acts
// only while ENG_RESERVE are free
localparam ACK_DEPTH = 16;
localparam ACKED_DEPTH = 16;
localparam FU_DEPTH = 32;
localparam ENG_RESERVE = 6;
localparam ACK_CNT_W = $clog2(ACK_DEPTH) + 1;
localparam FU_CNT_W = $clog2(FU_DEPTH) + 1;
// the receive engine's jobs: engine frames decided, waiting for the
// context RAM (the parser takes a beat only while RX_VERDICT_LAT + 2 are
// free, as for the meta FIFO)
localparam JOB_DEPTH = 32;
localparam JOB_CNT_W = $clog2(JOB_DEPTH) + 1;
// transmit engine (revision 1.3): DMA read requests and trace items waiting
localparam RD_REQ_DEPTH = 16;
localparam TRACE_DEPTH = 64;
// (2^11 words: the payload of a TT_MAX_FRAME frame, 9162 bytes, fits)
localparam PAY_ADDR_W = 11;

initial begin
    if (CONN_SLOTS < 8 || CONN_SLOTS > 32768 || (CONN_SLOTS & (CONN_SLOTS - 1)) != 0) begin
        $error("toe_nic: CONN_SLOTS must be a power of two, 8 .. 32768");
        $finish;
    end
    if (RX_FIFO_DEPTH < 2 || (RX_FIFO_DEPTH & (RX_FIFO_DEPTH - 1)) != 0) begin
        $error("toe_nic: RX_FIFO_DEPTH must be a power of two");
        $finish;
    end
    if (RX_FIFO_DEPTH * 8 < TT_MAX_FRAME) begin
        $error("toe_nic: RX_FIFO_DEPTH must hold one TT_MAX_FRAME frame");
        $finish;
    end
    if (EVT_FIFO_DEPTH < 2 || (EVT_FIFO_DEPTH & (EVT_FIFO_DEPTH - 1)) != 0) begin
        $error("toe_nic: EVT_FIFO_DEPTH must be a power of two");
        $finish;
    end
end

// the protection bits carry nothing here
wire unused_axil_prot = &{1'b0, s_axil_awprot, s_axil_arprot};

/* configuration */
wire        ctrl_enable;
wire        ctrl_trace;
wire [7:0]  retry_limit;
wire [31:0] timer_scale;
wire        txe_hold;
wire        txe_busy;
wire        txe_act;
wire [3:0]  txe_lock_valid;
wire [4*SLOT_W-1:0] txe_lock_slots;
wire [47:0] team_mac;
wire [31:0] team_ip;
wire [127:0] hash_key;

/* RX */
wire             rx_store_ok;
wire             rx_fifo_full;
wire             rx_verdict_valid;
wire             rx_verdict_drop;
wire             rx_verdict_engine;
wire [7:0]       rx_verdict_reason;
wire [15:0]      rx_verdict_slot;
wire [LEN_W-1:0] rx_verdict_len;

/* connection lookup */
wire [47:0]      lk_tuple_hi;
wire             lk_tuple_hi_valid;
wire [47:0]      lk_tuple_lo;
wire             lk_tuple_lo_valid;
wire             lk_start;
wire             lk_hit;
wire [SLOT_W-1:0] lk_slot;
wire             lk_quiet;

wire [63:0]      rx_fifo_data;
wire             rx_fifo_last;
wire             rx_fifo_valid;
wire             rx_fifo_ready;
wire [12:0]      rx_rd_skip;
wire [12:0]      rx_rd_words;
wire [12:0]      rx_rd_total;
wire             rx_rd_valid;
wire             rx_rd_ready;

wire [31:0]      seg_seq;
wire [31:0]      seg_ack;
wire [15:0]      seg_wnd;
wire [15:0]      seg_plen;
wire [6:0]       seg_hlen;

wire [15:0]      meta_len;
wire [7:0]       meta_reason;
wire [15:0]      meta_slot;
wire             meta_engine;
wire             meta_valid;
wire             meta_ready;
wire             meta_in_ready_unused;
wire [META_CNT_W-1:0] meta_count;

/* RX input stage: the beat and the link / enable it was accepted with are
 * registered before the parser and the frame FIFO see them */
reg [63:0] in_data_reg = 64'd0;
reg [7:0]  in_keep_reg = 8'd0;
reg        in_last_reg = 1'b0;
reg        in_valid_reg = 1'b0;
reg        in_link_reg = 1'b0;
reg        in_enable_reg = 1'b0;

// the verdict of a frame comes RX_VERDICT_LAT cycles after its last beat
// and must find room in the meta FIFO: the parser takes a beat only while
// RX_VERDICT_LAT + 1 entries are free (the verdicts in flight and this one)
localparam RX_VERDICT_LAT = 7;
// (registered: one entry more, as a verdict a cycle may have come since)
reg meta_room_reg = 1'b0;

always @(posedge clk) begin
    meta_room_reg <= (meta_count <= META_DEPTH - RX_VERDICT_LAT - 2);
    if (rst) begin
        meta_room_reg <= 1'b0;
    end
end

wire meta_room = meta_room_reg;

wire [ACK_CNT_W-1:0] ack_count;
wire [ACK_CNT_W-1:0] acked_count;
wire [FU_CNT_W-1:0]  fu_count;

// room in the job FIFO for the verdicts in flight (registered, as
// meta_room)
wire [JOB_CNT_W-1:0] job_count;
reg job_room_reg = 1'b0;

always @(posedge clk) begin
    job_room_reg <= (job_count <= JOB_DEPTH - RX_VERDICT_LAT - 2);
    if (rst) begin
        job_room_reg <= 1'b0;
    end
end

// the transmit engine's actions do not stop the input (they stop the
// receive engine's jobs, see below); a waiting context command holds it
// before a frame's first beat while a job or a follow-up may still come
// (see seg_busy below)
wire ctx_yield;
reg  in_first_reg = 1'b1;   // the beat in the input stage starts a frame
wire rx_beat = in_valid_reg && meta_room && job_room_reg &&
               !(ctx_yield && in_first_reg) &&
               (!rx_store_ok || !rx_fifo_full);
wire rx_commit = rx_verdict_valid && !rx_verdict_drop;
wire rx_rollback = rx_verdict_valid && rx_verdict_drop;

assign s_axis_net_rx_tready = !in_valid_reg || rx_beat;

always @(posedge clk) begin
    if (s_axis_net_rx_tvalid && s_axis_net_rx_tready) begin
        in_data_reg <= s_axis_net_rx_tdata;
        in_keep_reg <= s_axis_net_rx_tkeep;
        in_last_reg <= s_axis_net_rx_tlast;
        in_link_reg <= link_up;
        in_enable_reg <= ctrl_enable;
        in_valid_reg <= 1'b1;
    end else if (rx_beat) begin
        in_valid_reg <= 1'b0;
    end
    if (rx_beat) begin
        in_first_reg <= in_last_reg;
    end

    if (rst) begin
        in_valid_reg <= 1'b0;
        in_first_reg <= 1'b1;
    end
end

eth_rx_parse #(
    .LEN_W(LEN_W),
    .VERDICT_LAT(RX_VERDICT_LAT)
)
eth_rx_parse_inst (
    .clk(clk),
    .rst(rst),
    .s_tdata(in_data_reg),
    .s_tkeep(in_keep_reg),
    .s_tlast(in_last_reg),
    .s_beat(rx_beat),
    .link_up(in_link_reg),
    .enable(in_enable_reg),
    .team_mac(team_mac),
    .team_ip(team_ip),
    .store_ok(rx_store_ok),
    .tuple_hi(lk_tuple_hi),
    .tuple_hi_valid(lk_tuple_hi_valid),
    .tuple_lo(lk_tuple_lo),
    .tuple_lo_valid(lk_tuple_lo_valid),
    .lookup_start(lk_start),
    .lookup_hit(lk_hit),
    .lookup_slot({{(16-SLOT_W){1'b0}}, lk_slot}),
    .lookup_quiet(lk_quiet),
    .seg_seq(seg_seq),
    .seg_ack(seg_ack),
    .seg_wnd(seg_wnd),
    .seg_plen(seg_plen),
    .seg_hlen(seg_hlen),
    .verdict_valid(rx_verdict_valid),
    .verdict_drop(rx_verdict_drop),
    .verdict_engine(rx_verdict_engine),
    .verdict_reason(rx_verdict_reason),
    .verdict_slot(rx_verdict_slot),
    .verdict_len(rx_verdict_len)
);

/* connection table, context RAM and context port */
wire [BKT_W-1:0]  tbl_rd_bucket;
wire              tbl_rd;
wire [ROW_W-1:0]  tbl_row;
wire [BKT_W-1:0]  tbl_wr_bucket;
wire [3:0]        tbl_wr_ways;
wire [96:0]       tbl_wr_entry;
wire              tbl_wr;
wire              tbl_ready;

wire [SLOT_W-1:0] port_wr_addr;
wire [511:0]      port_wr_data;
wire              port_wr;
wire [SLOT_W-1:0] port_rd_addr;
wire              port_rd;
wire [SLOT_W-1:0] eng_wr_addr;
wire [511:0]      eng_wr_data;
wire              eng_wr;
wire [511:0]      ram_rd_data;

wire              fence_snap;
wire              fence_clear;

wire              txe_rd;
wire [SLOT_W-1:0] txe_rd_addr;
wire              txe_wr;
wire [SLOT_W-1:0] txe_wr_addr;
wire [511:0]      txe_wr_data;
wire              trace_room;

wire              sweep_rd;
wire [SLOT_W-1:0] sweep_rd_addr;
wire              sweep_wr;
wire [SLOT_W-1:0] sweep_wr_addr;
wire [511:0]      sweep_wr_data;
wire [239:0]      sweep_ack_data;
wire              sweep_ack_valid;
wire [55:0]       sweep_evt_data;
wire              sweep_evt_valid;

wire              ctx_stat_valid;
wire [7:0]        ctx_stat_index;
wire [31:0]       rx_frames;

/* The receive engine's jobs. The verdict of an engine frame (E+7) queues
 * a job {index, slot, kept, seq, ack, wnd, plen, hlen} (index: the
 * frame's number, the frames decided before it) in job_fifo; the receive
 * engine pops one (J: the context RAM reads the job's slot) whenever the
 * transmit engine does not stop the jobs in that cycle (txe_hold: its
 * RAM read, the cycle before an answer's next read, a follow-up's end,
 * the timer sweep's hold), no transmit-engine action owns the job's slot
 * (txe_lock_*), the context port is not using the RAM and the outputs
 * have room, runs tcp_rx from A = J+1 and writes the record in D = J+4;
 * the next job of the slot pops in J+5 or later (after the write). The
 * transmit engine's actions run beside the jobs, and whatever stops the
 * jobs does not stop the wire: the parser goes on taking beats, the
 * frame FIFO and the meta FIFO keep the frames and their descriptors (an
 * engine frame's DMA write waits for its job's payload range), the job
 * FIFO their jobs.
 *
 * Frames are applied in the model's order: frame k once its verdict is out
 * and, if it or an earlier frame is an engine frame, once that frame's job
 * has written its record. RX_FRAMES (rx_frames: the register, the trace
 * items' and the context commands' order) counts the frames applied:
 * the oldest job's index while a job waits or runs, else the frames
 * decided (applied_now; RX_FRAMES is it registered). A transmit-engine
 * action ends in a cycle without a job in D and takes applied_now of
 * that cycle as its order, so its trace item is pushed before RX_FRAMES
 * counts a frame after it (model.h). RX_FRAMES stands still while the
 * timer sweep's hold owns the context RAM (txe_own: from its first read
 * to the end of the hold), so that every action and TICK of the hold has
 * the order of the frames applied before it (the frames decided
 * meanwhile are not engine frames, or their jobs wait: neither depends
 * on the record).
 */
localparam JOB_W = 32 + 16 + 1 + 32 + 32 + 16 + 16 + 7;

reg  [31:0]      decided_reg = 32'd0;   // frames decided (verdicts)
wire [JOB_W-1:0] job_data;
wire             job_valid;
wire             job_pop;
wire             job_in_ready_unused;
reg  [JOB_W-1:0] job_reg = {JOB_W{1'b0}};
// the jobs popped in the last four cycles, in A (1), B, C and D (4):
// valid, slot, index
reg  [4:1]       jv_reg = 4'd0;
reg  [SLOT_W-1:0] js1_reg = {SLOT_W{1'b0}}, js2_reg = {SLOT_W{1'b0}};
reg  [SLOT_W-1:0] js3_reg = {SLOT_W{1'b0}}, js4_reg = {SLOT_W{1'b0}};
reg  [31:0]      ji1_reg = 32'd0, ji2_reg = 32'd0, ji3_reg = 32'd0, ji4_reg = 32'd0;
reg  [31:0]      applied_reg = 32'd0;
wire             txe_own;

small_fifo #(
    .DEPTH(JOB_DEPTH),
    .DATA_W(JOB_W)
)
job_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data({decided_reg, rx_verdict_slot, !rx_verdict_drop, seg_seq, seg_ack,
             seg_wnd, seg_plen, seg_hlen}),
    .s_valid(rx_verdict_valid && rx_verdict_engine),
    .s_ready(job_in_ready_unused),
    .m_data(job_data),
    .m_valid(job_valid),
    .m_ready(job_pop),
    .count(job_count)
);

// a job pushes at most one entry into each of these, in D: room for the
// four in flight and this one
// (three more while a transmit-engine action is under way: the pure ACK,
// segment or RETRANS event of T, F0 and F1 comes after the jobs in
// flight; N puts out a DMA read request only)
wire txe_locked = |txe_lock_valid;
wire job_out_room = (ack_count <= (txe_locked ? ACK_DEPTH - 8 : ACK_DEPTH - 5)) &&
                    (acked_count <= (txe_locked ? ACKED_DEPTH - 8 : ACKED_DEPTH - 5)) &&
                    (fu_count <= FU_DEPTH - 5);
wire port_ram_busy = port_rd || port_wr;

wire [31:0]       job_head_index = job_data[JOB_W-1 -: 32];
wire [SLOT_W-1:0] job_head_slot = job_data[JOB_W-48 +: SLOT_W];
wire              job_inflight = |jv_reg;
// a job reads its record after the write of every earlier job of its slot
// (D = J+4: a job popped in the last four cycles is in flight)
wire job_hazard = (jv_reg[1] && js1_reg == job_head_slot) ||
                  (jv_reg[2] && js2_reg == job_head_slot) ||
                  (jv_reg[3] && js3_reg == job_head_slot) ||
                  (jv_reg[4] && js4_reg == job_head_slot);

// (a job of the slot a transmit-engine action has read waits for its end)
wire job_locked = (txe_lock_valid[0] && txe_lock_slots[0 +: SLOT_W] == job_head_slot) ||
                  (txe_lock_valid[1] && txe_lock_slots[SLOT_W +: SLOT_W] == job_head_slot) ||
                  (txe_lock_valid[2] && txe_lock_slots[2*SLOT_W +: SLOT_W] == job_head_slot) ||
                  (txe_lock_valid[3] && txe_lock_slots[3*SLOT_W +: SLOT_W] == job_head_slot);

assign job_pop = job_valid && !job_hazard && !job_locked && !txe_hold && !port_ram_busy &&
                 job_out_room;

// the oldest job not yet written (the one furthest along), else the head
wire [31:0]       applied_now = jv_reg[4] ? ji4_reg : jv_reg[3] ? ji3_reg :
                                jv_reg[2] ? ji2_reg : jv_reg[1] ? ji1_reg :
                                job_valid ? job_head_index : decided_reg;

always @(posedge clk) begin
    if (rx_verdict_valid) begin
        decided_reg <= decided_reg + 32'd1;
    end
    if (job_pop) begin
        job_reg <= job_data;
    end
    jv_reg <= {jv_reg[3:1], job_pop};
    js1_reg <= job_head_slot;
    js2_reg <= js1_reg;
    js3_reg <= js2_reg;
    js4_reg <= js3_reg;
    ji1_reg <= job_head_index;
    ji2_reg <= ji1_reg;
    ji3_reg <= ji2_reg;
    ji4_reg <= ji3_reg;
    if (!txe_own) begin
        applied_reg <= applied_now;
    end
    if (rst) begin
        decided_reg <= 32'd0;
        jv_reg <= 4'd0;
        applied_reg <= 32'd0;
    end
end

assign rx_frames = applied_reg;

/* No context command between a segment and its follow-up (else an EXPORT
 * would carry a record without its congestion step), nor while a job
 * waits or runs. A window in R counts the frames applied by W = R+3 in
 * its order and reads or writes the record in R+6. A window in R needs:
 *   - no job waiting or running in R (job_fifo empty, none in jv_reg):
 *     every lookup frame decided by R-4 has written its record
 *     (by R-1) and pushed its follow-up (seen in fu_count by R);
 *   - fu_count = 0 in R: the transmit engine applied every follow-up
 *     pushed (an action it has taken keeps txe_act high until its end);
 *   - no lookup frame with E in R-11 .. R-1 (lookup_start in E+1, so in
 *     R-10 .. R): seg_busy_reg counts 10 cycles from each lookup_start,
 *     and lk_start itself; so every lookup frame counted has E <= R-12
 *     (verdict and job by R-5).
 * Lookup frames with E >= R+2 (lk_quiet) are after the command and see
 * its effect: their jobs pop in E+8 >= R+10, after the RAM access. Under
 * back-to-back lookup frames no such R may come, so a command that has
 * been taken (and has not taken effect) stops the receive input before
 * the next frame's first beat (ctx_yield): the frames in flight end,
 * their jobs and follow-ups are applied, and a window opens.
 */
reg [3:0] seg_busy_reg = 4'd0;
reg       ctx_taken_reg = 1'b0;

always @(posedge clk) begin
    if (lk_start) begin
        seg_busy_reg <= 4'd10;
    end else if (seg_busy_reg != 4'd0) begin
        seg_busy_reg <= seg_busy_reg - 4'd1;
    end
    if (s_axis_ctx_cmd_tvalid && s_axis_ctx_cmd_tready) begin
        ctx_taken_reg <= 1'b1;
    end else if (ctx_stat_valid) begin
        ctx_taken_reg <= 1'b0;
    end
    if (rst) begin
        seg_busy_reg <= 4'd0;
        ctx_taken_reg <= 1'b0;
    end
end

/* The timer sweep's hold (in the transmit engine) waits only for what it
 * must. Its first RAM read (P) must come after the write of a job popped
 * before the hold (D = J+4), with the job's outputs, kick and follow-up
 * in their queues and RX_FRAMES past it in P-1 (P >= J+6), and after the
 * RAM access of a context command whose window R came before it (R+6, its
 * fence snapshot R+7: P >= R+8). No job pops and no window opens while
 * the hold lasts. rx_settled in cycle X lets the first read come in X+1.
 * Outside the hold the transmit engine's first pick waits for the
 * command alone (ctx_settled). */
reg [3:0] settle_reg = 4'd0;

always @(posedge clk) begin
    if (tbl_rd && settle_reg <= 4'd7) begin
        settle_reg <= 4'd6;
    end else if (job_pop && settle_reg <= 4'd5) begin
        settle_reg <= 4'd4;
    end else if (settle_reg != 4'd0) begin
        settle_reg <= settle_reg - 4'd1;
    end
    if (rst) begin
        settle_reg <= 4'd0;
    end
end

wire rx_settled = (settle_reg == 4'd0);

// the same for the context command alone: the transmit engine's actions
// beside the jobs read the RAM in R+8 or later
reg [3:0] ctx_settle_reg = 4'd0;

always @(posedge clk) begin
    if (tbl_rd) begin
        ctx_settle_reg <= 4'd6;
    end else if (ctx_settle_reg != 4'd0) begin
        ctx_settle_reg <= ctx_settle_reg - 4'd1;
    end
    if (rst) begin
        ctx_settle_reg <= 4'd0;
    end
end

wire ctx_settled = (ctx_settle_reg == 4'd0);

wire seg_quiet = !job_valid && !job_inflight && (fu_count == {FU_CNT_W{1'b0}}) &&
                 (seg_busy_reg == 4'd0) && !lk_start;
assign ctx_yield = ctx_taken_reg && !seg_quiet;

conn_table #(
    .CONN_SLOTS(CONN_SLOTS)
)
conn_table_inst (
    .clk(clk),
    .rst(rst),
    .key(hash_key),
    .s_lk_hi(lk_tuple_hi),
    .s_lk_hi_valid(lk_tuple_hi_valid),
    .s_lk_lo(lk_tuple_lo),
    .s_lk_lo_valid(lk_tuple_lo_valid),
    .s_lk_start(lk_start),
    .m_lk_hit(lk_hit),
    .m_lk_slot(lk_slot),
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
ctx_ram_inst (
    .clk(clk),
    .wr_addr(port_wr ? port_wr_addr : eng_wr ? eng_wr_addr :
             sweep_wr ? sweep_wr_addr : txe_wr_addr),
    .wr_data(port_wr ? port_wr_data : eng_wr ? eng_wr_data :
             sweep_wr ? sweep_wr_data : txe_wr_data),
    .wr_en(port_wr || eng_wr || txe_wr || sweep_wr),
    // the receive engine's read of a job's slot is the job FIFO's head
    // slot in the cycle it pops; the transmit engine and the timer sweep
    // read only in cycles they stop the jobs, the context port only in R+6
    .rd_addr(port_rd ? port_rd_addr : txe_rd ? txe_rd_addr :
             sweep_rd ? sweep_rd_addr : job_head_slot),
    .rd_data(ram_rd_data)
);

ctx_port #(
    .CONN_SLOTS(CONN_SLOTS)
)
ctx_port_inst (
    .clk(clk),
    .rst(rst),
    .key(hash_key),
    .s_axis_ctx_cmd_tdata(s_axis_ctx_cmd_tdata),
    .s_axis_ctx_cmd_tvalid(s_axis_ctx_cmd_tvalid),
    .s_axis_ctx_cmd_tready(s_axis_ctx_cmd_tready),
    .m_axis_ctx_res_tdata(m_axis_ctx_res_tdata),
    .m_axis_ctx_res_tvalid(m_axis_ctx_res_tvalid),
    .m_axis_ctx_res_tready(m_axis_ctx_res_tready),
    // no window while a transmit-engine action is under way, nor while a
    // CTX trace item would find no room, nor while a segment's follow-up
    // may be pending (seg_quiet)
    .s_rx_quiet(lk_quiet && !txe_act && (trace_room || !ctrl_trace) && seg_quiet),
    .s_rx_frames(rx_frames),
    .m_tbl_rd_bucket(tbl_rd_bucket),
    .m_tbl_rd(tbl_rd),
    .s_tbl_row(tbl_row),
    .m_tbl_wr_bucket(tbl_wr_bucket),
    .m_tbl_wr_ways(tbl_wr_ways),
    .m_tbl_wr_entry(tbl_wr_entry),
    .m_tbl_wr(tbl_wr),
    .s_tbl_ready(tbl_ready),
    .m_ram_wr_addr(port_wr_addr),
    .m_ram_wr_data(port_wr_data),
    .m_ram_wr(port_wr),
    .m_ram_rd_addr(port_rd_addr),
    .m_ram_rd(port_rd),
    .s_ram_rd_data(ram_rd_data),
    .m_fence_snap(fence_snap),
    .s_fence_clear(fence_clear),
    .m_stat_valid(ctx_stat_valid),
    .m_stat_index(ctx_stat_index)
);

// a frame's words are written RX_VERDICT_LAT - 1 cycles after the parser
// takes them: the last one before its verdict, the next frame's first one
// in that cycle or later
rx_frame_fifo #(
    .DEPTH(RX_FIFO_DEPTH),
    .DATA_W(64),
    .WR_DELAY(RX_VERDICT_LAT - 1)
)
rx_frame_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(in_data_reg),
    .s_we(rx_beat && rx_store_ok),
    .commit(rx_commit),
    .rollback(rx_rollback),
    .full(rx_fifo_full),
    .s_rd_skip(rx_rd_skip),
    .s_rd_words(rx_rd_words),
    .s_rd_total(rx_rd_total),
    .s_rd_valid(rx_rd_valid),
    .s_rd_ready(rx_rd_ready),
    .m_data(rx_fifo_data),
    .m_last(rx_fifo_last),
    .m_valid(rx_fifo_valid),
    .m_ready(rx_fifo_ready)
);

// committed frames (exceptions, and engine frames with payload), never
// longer than TT_MAX_FRAME
small_fifo #(
    .DEPTH(META_DEPTH),
    .DATA_W(41)
)
meta_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data({rx_verdict_engine, rx_verdict_slot, rx_verdict_reason, rx_verdict_len[15:0]}),
    .s_valid(rx_commit),
    .s_ready(meta_in_ready_unused),
    .m_data({meta_engine, meta_slot, meta_reason, meta_len}),
    .m_valid(meta_valid),
    .m_ready(meta_ready),
    .count(meta_count)
);

/* receive engine */
wire         eres_in_valid;
wire [64:0]  eres_in_data;
wire [64:0]  eres_data;
wire         eres_valid;
wire         eres_ready;
wire         eres_in_ready_unused;
wire [META_CNT_W-1:0] eres_count_unused;

wire         acked_in_valid;
wire [47:0]  acked_in_data;
wire         ack_in_valid;
wire [239:0] ack_in_data;
wire         ack_in_ready_unused;

wire         fu_in_valid;
wire [58:0]  fu_in_data;
wire         fu_in_ready_unused;
wire [58:0]  fu_data;
wire         fu_valid;
wire         fu_ready;
wire         eng_kick_valid;
wire [SLOT_W-1:0] eng_kick_slot;

wire         rxe_stat_ack_sent;
wire         rxe_stat_ack_drop_link_down;
wire         rxe_stat_ack_drop_disabled;
wire         eng_stat_segment;
wire         eng_stat_payload;
wire [15:0]  eng_stat_payload_bytes;
wire         eng_stat_acked;
wire [2:0]   eng_stat_note;
wire         eng_stat_dupack;
wire         eng_stat_ack_sent;
wire         eng_stat_ack_drop_link_down;
wire         eng_stat_ack_drop_disabled;

// the verdict's slot is the lookup's (SLOT_W bits) on an engine frame
wire unused_verdict_slot = &{1'b0, rx_verdict_slot[15:SLOT_W]};

rx_engine #(
    .CONN_SLOTS(CONN_SLOTS)
)
rx_engine_inst (
    .clk(clk),
    .rst(rst),
    .link_up(link_up),
    .enable(ctrl_enable),
    .s_valid(jv_reg[1]),
    .s_kept(job_reg[JOB_W-49]),
    .s_slot(job_reg[JOB_W-48 +: SLOT_W]),
    .s_rec(ram_rd_data),
    .s_seq(job_reg[JOB_W-50 -: 32]),
    .s_ack(job_reg[JOB_W-82 -: 32]),
    .s_wnd(job_reg[JOB_W-114 -: 16]),
    .s_plen(job_reg[JOB_W-130 -: 16]),
    .s_hlen(job_reg[6:0]),
    .m_ram_wr(eng_wr),
    .m_ram_wr_addr(eng_wr_addr),
    .m_ram_wr_data(eng_wr_data),
    .m_eres_valid(eres_in_valid),
    .m_eres_data(eres_in_data),
    .m_acked_valid(acked_in_valid),
    .m_acked_data(acked_in_data),
    .m_ack_valid(ack_in_valid),
    .m_ack_data(ack_in_data),
    .m_fu_valid(fu_in_valid),
    .m_fu_data(fu_in_data),
    .m_kick_valid(eng_kick_valid),
    .m_kick_slot(eng_kick_slot),
    .stat_segment(eng_stat_segment),
    .stat_payload(eng_stat_payload),
    .stat_payload_bytes(eng_stat_payload_bytes),
    .stat_acked(eng_stat_acked),
    .stat_note(eng_stat_note),
    .stat_dupack(eng_stat_dupack),
    .stat_ack_sent(rxe_stat_ack_sent),
    .stat_ack_drop_link_down(rxe_stat_ack_drop_link_down),
    .stat_ack_drop_disabled(rxe_stat_ack_drop_disabled)
);

// follow-ups of segments, for the transmit engine; room kept by
// job_out_room like the ACK requests'
small_fifo #(
    .DEPTH(FU_DEPTH),
    .DATA_W(59)
)
fu_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(fu_in_data),
    .s_valid(fu_in_valid),
    .s_ready(fu_in_ready_unused),
    .m_data(fu_data),
    .m_valid(fu_valid),
    .m_ready(fu_ready),
    .count(fu_count)
);

// one entry for each kept engine frame, whose meta entry is still in the
// meta FIFO: never more than META_DEPTH
small_fifo #(
    .DEPTH(META_DEPTH),
    .DATA_W(65)
)
eres_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(eres_in_data),
    .s_valid(eres_in_valid),
    .s_ready(eres_in_ready_unused),
    .m_data(eres_data),
    .m_valid(eres_valid),
    .m_ready(eres_ready),
    .count(eres_count_unused)
);

// the engine's frames in action order: pure ACK requests of the receive
// engine (room kept by job_out_room) and of the timer sweep, and data
// segments of the transmit engine (no two act in the same cycle):
// {payload sum, length, req}
wire [271:0] ack_req;
wire         ack_req_valid;
wire         ack_req_ready;
wire [271:0] seg_in_data;
wire         seg_in_valid;

small_fifo #(
    .DEPTH(ACK_DEPTH),
    .DATA_W(272)
)
ack_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(ack_in_valid ? {32'd0, ack_in_data} :
            sweep_ack_valid ? {32'd0, sweep_ack_data} : seg_in_data),
    .s_valid(ack_in_valid || seg_in_valid || sweep_ack_valid),
    .s_ready(ack_in_ready_unused),
    .m_data(ack_req),
    .m_valid(ack_req_valid),
    .m_ready(ack_req_ready),
    .count(ack_count)
);

wire [63:0] hdr_tdata;
wire [7:0]  hdr_tkeep;
wire        hdr_tvalid;
wire        hdr_tready;
wire        hdr_tlast;

// the builder takes a request only while its length has room beside it
wire        len_in_ready;
wire        hdr_req_ready;

assign ack_req_ready = hdr_req_ready && len_in_ready;

tcp_hdr_build
tcp_hdr_build_inst (
    .clk(clk),
    .rst(rst),
    .team_mac(team_mac),
    .s_req(ack_req[239:0]),
    .s_flags(8'h10),
    .s_pay_len(ack_req[255:240]),
    .s_pay_sum(ack_req[271:256]),
    .s_valid(ack_req_valid && len_in_ready),
    .s_ready(hdr_req_ready),
    .m_axis_tdata(hdr_tdata),
    .m_axis_tkeep(hdr_tkeep),
    .m_axis_tvalid(hdr_tvalid),
    .m_axis_tready(hdr_tready),
    .m_axis_tlast(hdr_tlast)
);

// payload length of each frame in the builder, for the appender
wire [15:0] app_len;
wire        app_len_valid;
wire        app_len_ready;
wire [3:0]  app_len_count_unused;

small_fifo #(
    .DEPTH(8),
    .DATA_W(16)
)
seg_len_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(ack_req[255:240]),
    .s_valid(ack_req_valid && hdr_req_ready && len_in_ready),
    .s_ready(len_in_ready),
    .m_data(app_len),
    .m_valid(app_len_valid),
    .m_ready(app_len_ready),
    .count(app_len_count_unused)
);

wire [63:0] ack_tdata;
wire [7:0]  ack_tkeep;
wire        ack_tvalid;
wire        ack_tready;
wire        ack_tlast;
wire [PAY_ADDR_W-1:0] pay_addr;
wire [63:0] pay_data;
wire        pay_done;

tx_seg_append #(
    .PAY_ADDR_W(PAY_ADDR_W)
)
tx_seg_append_inst (
    .clk(clk),
    .rst(rst),
    .s_len(app_len),
    .s_len_valid(app_len_valid),
    .s_len_ready(app_len_ready),
    .s_axis_tdata(hdr_tdata),
    .s_axis_tkeep(hdr_tkeep),
    .s_axis_tvalid(hdr_tvalid),
    .s_axis_tready(hdr_tready),
    .s_axis_tlast(hdr_tlast),
    .m_pay_addr(pay_addr),
    .s_pay_data(pay_data),
    .m_pay_done(pay_done),
    .m_axis_tdata(ack_tdata),
    .m_axis_tkeep(ack_tkeep),
    .m_axis_tvalid(ack_tvalid),
    .m_axis_tready(ack_tready),
    .m_axis_tlast(ack_tlast)
);

/* transmit engine (revision 1.3) */
wire [63:0] rd_req_in_data;
wire        rd_req_in_valid;
wire        rd_req_in_ready_unused;
wire [$clog2(RD_REQ_DEPTH):0] rd_req_count;
wire [95:0] txe_trace_data;
wire        txe_trace_valid;
wire        txe_stat_doorbell;
wire        txe_stat_db_ignored;
wire        txe_stat_rd_req;
wire        txe_stat_rd_stale;
wire        txe_stat_data_seg;
wire        txe_stat_probe;
wire [15:0] txe_stat_data_bytes;
wire        txe_stat_drop_link_down;
wire        txe_stat_drop_disabled;
wire        txe_stat_fast_retrans;
wire        txe_stat_ack_sent;
wire        txe_stat_ack_drop_link_down;
wire        txe_stat_ack_drop_disabled;
wire        retrans_valid;
wire [47:0] retrans_data;
wire [$clog2(TRACE_DEPTH):0] trace_count;
wire        sweep_hold_req;
wire        sweep_grant;
wire [CONN_SLOTS-1:0] valid_slots;
wire        sweep_kick_valid;
wire [SLOT_W-1:0] sweep_kick_slot;
wire [95:0] sweep_trace_data;
wire        sweep_trace_valid;
wire        sweep_stat_delack;
wire        sweep_stat_ack_sent;
wire        sweep_stat_ack_drop_link_down;
wire        sweep_stat_ack_drop_disabled;
wire        sweep_stat_rto;
wire        sweep_stat_rto_limit;

// a context command took effect (a cycle after W: the result's fields)
wire [7:0]  ctx_eff_op = m_axis_ctx_res_tdata[7:0];
wire [7:0]  ctx_eff_status = m_axis_ctx_res_tdata[15:8];
wire [15:0] ctx_eff_slot = m_axis_ctx_res_tdata[31:16];
wire [31:0] ctx_eff_order = m_axis_ctx_res_tdata[63:32];

tx_engine #(
    .CONN_SLOTS(CONN_SLOTS),
    .PAY_ADDR_W(PAY_ADDR_W)
)
tx_engine_inst (
    .clk(clk),
    .rst(rst),
    .link_up(link_up),
    .enable(ctrl_enable),
    .trace_on(ctrl_trace),
    .rx_frames(rx_frames),
    .rx_frames_now(applied_now),
    .s_axis_doorbell_tdata(s_axis_doorbell_tdata),
    .s_axis_doorbell_tvalid(s_axis_doorbell_tvalid),
    .s_axis_doorbell_tready(s_axis_doorbell_tready),
    .m_rd_req_data(rd_req_in_data),
    .m_rd_req_valid(rd_req_in_valid),
    // (room for two: the scheduler's read and the one after an answer)
    .s_rd_req_room(rd_req_count < RD_REQ_DEPTH - 1),
    .s_axis_dma_rd_resp_tdata(s_axis_dma_rd_resp_tdata),
    .s_axis_dma_rd_resp_tkeep(s_axis_dma_rd_resp_tkeep),
    .s_axis_dma_rd_resp_tvalid(s_axis_dma_rd_resp_tvalid),
    .s_axis_dma_rd_resp_tready(s_axis_dma_rd_resp_tready),
    .s_axis_dma_rd_resp_tlast(s_axis_dma_rd_resp_tlast),
    .s_ctx_valid(ctx_stat_valid),
    .s_ctx_op(ctx_eff_op),
    .s_ctx_status(ctx_eff_status),
    .s_ctx_slot(ctx_eff_slot),
    // a segment kicks its slot when it changed the send window (a
    // follow-up kicks after its step); the timer sweep kicks the slots
    // it swept, on an input of its own
    .s_kick_valid(eng_kick_valid),
    .s_kick_slot(eng_kick_slot),
    .s_fu_data(fu_data),
    .s_fu_valid(fu_valid),
    // the follow-ups go first when half their FIFO is used or a context
    // command waits (its window needs them all applied)
    .s_fu_many(fu_count >= FU_DEPTH - 8 || ctx_taken_reg),
    .s_fu_ready(fu_ready),
    .m_retrans_valid(retrans_valid),
    .m_retrans_data(retrans_data),
    .s_evt_room(acked_count <= ACKED_DEPTH - ENG_RESERVE),
    .m_rx_hold(txe_hold),
    .m_ram_own(txe_own),
    .s_rx_settled(rx_settled),
    // jobs or a context command wait for the context RAM
    .s_rx_wait(job_valid || ctx_taken_reg),
    .m_busy(txe_busy),
    .s_job_valid(jv_reg),
    .s_job_slots({js4_reg, js3_reg, js2_reg, js1_reg}),
    .s_job_d(jv_reg[4]),
    .s_ctx_settled(ctx_settled),
    .s_ctx_wait(ctx_taken_reg),
    .m_act(txe_act),
    .m_lock_valid(txe_lock_valid),
    .m_lock_slots(txe_lock_slots),
    .s_sweep_req(sweep_hold_req),
    .m_sweep_grant(sweep_grant),
    .m_valid_slots(valid_slots),
    .s_sweep_kick_valid(sweep_kick_valid),
    .s_sweep_kick_slot(sweep_kick_slot),
    .m_ram_rd(txe_rd),
    .m_ram_rd_addr(txe_rd_addr),
    .s_ram_rd_data(ram_rd_data),
    .m_ram_wr(txe_wr),
    .m_ram_wr_addr(txe_wr_addr),
    .m_ram_wr_data(txe_wr_data),
    .m_seg_data(seg_in_data),
    .m_seg_valid(seg_in_valid),
    .s_seg_room(ack_count < ACK_DEPTH - ENG_RESERVE),
    .s_pay_addr(pay_addr),
    .m_pay_data(pay_data),
    .s_pay_done(pay_done),
    .m_trace_data(txe_trace_data),
    .m_trace_valid(txe_trace_valid),
    .s_trace_room(trace_room),
    .stat_doorbell(txe_stat_doorbell),
    .stat_db_ignored(txe_stat_db_ignored),
    .stat_rd_req(txe_stat_rd_req),
    .stat_rd_stale(txe_stat_rd_stale),
    .stat_data_seg(txe_stat_data_seg),
    .stat_probe(txe_stat_probe),
    .stat_data_bytes(txe_stat_data_bytes),
    .stat_tx_drop_link_down(txe_stat_drop_link_down),
    .stat_tx_drop_disabled(txe_stat_drop_disabled),
    .stat_fast_retrans(txe_stat_fast_retrans),
    .stat_ack_sent(txe_stat_ack_sent),
    .stat_ack_drop_link_down(txe_stat_ack_drop_link_down),
    .stat_ack_drop_disabled(txe_stat_ack_drop_disabled)
);

// the pure ACKs of both engines and of the timer sweep (never in the
// same cycle: a transmit-engine action ends alone and not in a job's D,
// the sweep acts in a hold)
assign eng_stat_ack_sent = rxe_stat_ack_sent || txe_stat_ack_sent || sweep_stat_ack_sent;
assign eng_stat_ack_drop_link_down = rxe_stat_ack_drop_link_down ||
                                     txe_stat_ack_drop_link_down ||
                                     sweep_stat_ack_drop_link_down;
assign eng_stat_ack_drop_disabled = rxe_stat_ack_drop_disabled ||
                                    txe_stat_ack_drop_disabled ||
                                    sweep_stat_ack_drop_disabled;

/* timer sweep (revision 1.3, ENGINE.md 5): inside a hold of the transmit
 * engine */
timer_sweep #(
    .CONN_SLOTS(CONN_SLOTS)
)
timer_sweep_inst (
    .clk(clk),
    .rst(rst),
    .timer_scale(timer_scale),
    .retry_limit(retry_limit),
    .link_up(link_up),
    .enable(ctrl_enable),
    .trace_on(ctrl_trace),
    .rx_frames(rx_frames),
    .s_valid_slots(valid_slots),
    .m_hold_req(sweep_hold_req),
    .s_hold_grant(sweep_grant),
    .m_ram_rd(sweep_rd),
    .m_ram_rd_addr(sweep_rd_addr),
    .s_ram_rd_data(ram_rd_data),
    .m_ram_wr(sweep_wr),
    .m_ram_wr_addr(sweep_wr_addr),
    .m_ram_wr_data(sweep_wr_data),
    .m_ack_data(sweep_ack_data),
    .m_ack_valid(sweep_ack_valid),
    // room for the slots in flight (the count is registered)
    .s_ack_room(ack_count <= ACK_DEPTH - 6),
    .m_evt_data(sweep_evt_data),
    .m_evt_valid(sweep_evt_valid),
    .s_evt_room(acked_count < ACKED_DEPTH),
    .m_trace_data(sweep_trace_data),
    .m_trace_valid(sweep_trace_valid),
    .s_trace_room(trace_room),
    .m_kick_valid(sweep_kick_valid),
    .m_kick_slot(sweep_kick_slot),
    .stat_delack(sweep_stat_delack),
    .stat_ack_sent(sweep_stat_ack_sent),
    .stat_ack_drop_link_down(sweep_stat_ack_drop_link_down),
    .stat_ack_drop_disabled(sweep_stat_ack_drop_disabled),
    .stat_rto(sweep_stat_rto),
    .stat_rto_limit(sweep_stat_rto_limit)
);

small_fifo #(
    .DEPTH(RD_REQ_DEPTH),
    .DATA_W(64)
)
rd_req_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(rd_req_in_data),
    .s_valid(rd_req_in_valid),
    .s_ready(rd_req_in_ready_unused),
    .m_data(m_axis_dma_rd_req_tdata),
    .m_valid(m_axis_dma_rd_req_tvalid),
    .m_ready(m_axis_dma_rd_req_tready),
    .count(rd_req_count)
);

// trace items: the transmit engine's actions and the context commands, in
// the order they took effect (they never take effect in the same cycle:
// the engine acts only while no command is in its window); room for
// five: the items of the transmit engine's sequencers still to come (an
// answer's and its next read's, two follow-ups') and one more, as the
// count is registered (an item is pushed at most once a cycle)
wire ctx_trace = ctrl_trace && ctx_stat_valid;
wire trace_in_ready_unused;
reg  trace_room_reg = 1'b0;

always @(posedge clk) begin
    trace_room_reg <= (trace_count < TRACE_DEPTH - 5);
    if (rst) begin
        trace_room_reg <= 1'b0;
    end
end

assign trace_room = trace_room_reg;

small_fifo #(
    .DEPTH(TRACE_DEPTH),
    .DATA_W(96)
)
trace_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(ctx_trace ? {24'd0, ctx_eff_op, ctx_eff_order, ctx_eff_slot, 8'd0,
                         TT_TRACE_CTX[7:0]} :
            sweep_trace_valid ? sweep_trace_data : txe_trace_data),
    .s_valid(ctx_trace || txe_trace_valid || sweep_trace_valid),
    .s_ready(trace_in_ready_unused),
    .m_data(m_axis_trace_tdata),
    .m_valid(m_axis_trace_tvalid),
    .m_ready(m_axis_trace_tready),
    .count(trace_count)
);

wire [1:0] dma_done;

host_dma_wr
host_dma_wr_inst (
    .clk(clk),
    .rst(rst),
    .s_meta_len(meta_len),
    .s_meta_reason(meta_reason),
    .s_meta_slot(meta_slot),
    .s_meta_engine(meta_engine),
    .s_meta_valid(meta_valid),
    .s_meta_ready(meta_ready),
    .s_eres_data(eres_data),
    .s_eres_valid(eres_valid),
    .s_eres_ready(eres_ready),
    .m_rd_skip(rx_rd_skip),
    .m_rd_words(rx_rd_words),
    .m_rd_total(rx_rd_total),
    .m_rd_valid(rx_rd_valid),
    .m_rd_ready(rx_rd_ready),
    .s_fifo_data(rx_fifo_data),
    .s_fifo_last(rx_fifo_last),
    .s_fifo_valid(rx_fifo_valid),
    .s_fifo_ready(rx_fifo_ready),
    .m_axis_dma_hdr_tdata(m_axis_dma_hdr_tdata),
    .m_axis_dma_hdr_tvalid(m_axis_dma_hdr_tvalid),
    .m_axis_dma_hdr_tready(m_axis_dma_hdr_tready),
    .m_axis_dma_tdata(m_axis_dma_tdata),
    .m_axis_dma_tkeep(m_axis_dma_tkeep),
    .m_axis_dma_tvalid(m_axis_dma_tvalid),
    .m_axis_dma_tready(m_axis_dma_tready),
    .m_axis_dma_tlast(m_axis_dma_tlast),
    .done(dma_done)
);

/* TX: host raw frames and the engine's ACKs */
wire [63:0]      host_tdata;
wire [7:0]       host_tkeep;
wire             host_tvalid;
wire             host_tready;
wire             host_tlast;

wire             tx_stat_frame;
wire [LEN_W-1:0] tx_stat_len;
wire             tx_stat_drop_link_down;
wire             tx_stat_drop_disabled;

tx_path #(
    .LEN_W(LEN_W)
)
tx_path_inst (
    .clk(clk),
    .rst(rst),
    .link_up(link_up),
    .enable(ctrl_enable),
    .s_axis_tdata(s_axis_host_tx_tdata),
    .s_axis_tkeep(s_axis_host_tx_tkeep),
    .s_axis_tvalid(s_axis_host_tx_tvalid),
    .s_axis_tready(s_axis_host_tx_tready),
    .s_axis_tlast(s_axis_host_tx_tlast),
    .m_axis_tdata(host_tdata),
    .m_axis_tkeep(host_tkeep),
    .m_axis_tvalid(host_tvalid),
    .m_axis_tready(host_tready),
    .m_axis_tlast(host_tlast),
    .stat_tx_frame(tx_stat_frame),
    .stat_tx_len(tx_stat_len),
    .stat_drop_link_down(tx_stat_drop_link_down),
    .stat_drop_disabled(tx_stat_drop_disabled)
);

tx_arb
tx_arb_inst (
    .clk(clk),
    .rst(rst),
    .s0_axis_tdata(host_tdata),
    .s0_axis_tkeep(host_tkeep),
    .s0_axis_tvalid(host_tvalid),
    .s0_axis_tready(host_tready),
    .s0_axis_tlast(host_tlast),
    .s1_axis_tdata(ack_tdata),
    .s1_axis_tkeep(ack_tkeep),
    .s1_axis_tvalid(ack_tvalid),
    .s1_axis_tready(ack_tready),
    .s1_axis_tlast(ack_tlast),
    .m_axis_tdata(m_axis_net_tx_tdata),
    .m_axis_tkeep(m_axis_net_tx_tkeep),
    .m_axis_tvalid(m_axis_net_tx_tvalid),
    .m_axis_tready(m_axis_net_tx_tready),
    .m_axis_tlast(m_axis_net_tx_tlast),
    .m_axis_tuser(m_axis_net_tx_tuser)
);

/* events */
wire evt_drop;
wire acked_done;

evt_queue #(
    .DEPTH(EVT_FIFO_DEPTH),
    .ACKED_DEPTH(ACKED_DEPTH)
)
evt_queue_inst (
    .clk(clk),
    .rst(rst),
    .link_up(link_up),
    // the receive engine's ACKED events, the follow-ups' RETRANS events
    // and the sweep's events: never two in one cycle (a follow-up ends
    // alone and not in a job's D, the sweep pushes in a hold)
    .s_acked_data(sweep_evt_valid ? sweep_evt_data :
                  retrans_valid ? {retrans_data, TT_EVT_RETRANS} :
                                  {acked_in_data, TT_EVT_ACKED}),
    .s_acked_valid(acked_in_valid || retrans_valid || sweep_evt_valid),
    .acked_count(acked_count),
    .m_axis_evt_tdata(m_axis_evt_tdata),
    .m_axis_evt_tvalid(m_axis_evt_tvalid),
    .m_axis_evt_tready(m_axis_evt_tready),
    .evt_drop(evt_drop),
    .acked_done(acked_done)
);

/* the context port's output fence: DMA writes, ACKED events, pure ACKs */
out_fence
out_fence_inst (
    .clk(clk),
    .rst(rst),
    .dma_queued(rx_commit),
    .dma_left(dma_done),
    .evt_queued(acked_in_valid || retrans_valid || sweep_evt_valid),
    .evt_left(acked_done),
    .tx_queued(ack_in_valid || seg_in_valid || sweep_ack_valid),
    .tx_left(m_axis_net_tx_tvalid && m_axis_net_tx_tready && m_axis_net_tx_tlast &&
             m_axis_net_tx_tuser),
    .snap(fence_snap),
    .clear(fence_clear)
);

/* registers and counters */
axil_regs #(
    .LEN_W(LEN_W),
    .CONN_SLOTS(CONN_SLOTS)
)
axil_regs_inst (
    .clk(clk),
    .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .link_up(link_up),
    .txe_busy(txe_busy),
    .ctrl_enable(ctrl_enable),
    .ctrl_trace(ctrl_trace),
    .retry_limit(retry_limit),
    .timer_scale(timer_scale),
    .sweep_stat_delack(sweep_stat_delack),
    .sweep_stat_rto(sweep_stat_rto),
    .sweep_stat_rto_limit(sweep_stat_rto_limit),
    .txe_stat_doorbell(txe_stat_doorbell),
    .txe_stat_db_ignored(txe_stat_db_ignored),
    .txe_stat_rd_req(txe_stat_rd_req),
    .txe_stat_rd_stale(txe_stat_rd_stale),
    .txe_stat_data_seg(txe_stat_data_seg),
    .txe_stat_probe(txe_stat_probe),
    .txe_stat_data_bytes(txe_stat_data_bytes),
    .txe_stat_drop_link_down(txe_stat_drop_link_down),
    .txe_stat_drop_disabled(txe_stat_drop_disabled),
    .txe_stat_fast_retrans(txe_stat_fast_retrans),
    .team_mac(team_mac),
    .team_ip(team_ip),
    .hash_key(hash_key),
    .rx_stat_valid(rx_verdict_valid),
    .rx_stat_drop(rx_verdict_drop),
    .rx_stat_engine(rx_verdict_engine),
    .rx_stat_reason(rx_verdict_reason),
    .rx_stat_len(rx_verdict_len),
    .tx_stat_frame(tx_stat_frame),
    .tx_stat_len(tx_stat_len),
    .tx_stat_drop_link_down(tx_stat_drop_link_down),
    .tx_stat_drop_disabled(tx_stat_drop_disabled),
    .evt_stat_drop(evt_drop),
    .eng_stat_segment(eng_stat_segment),
    .eng_stat_payload(eng_stat_payload),
    .eng_stat_payload_bytes(eng_stat_payload_bytes),
    .eng_stat_acked(eng_stat_acked),
    .eng_stat_note(eng_stat_note),
    .eng_stat_dupack(eng_stat_dupack),
    .eng_stat_ack_sent(eng_stat_ack_sent),
    .eng_stat_ack_drop_link_down(eng_stat_ack_drop_link_down),
    .eng_stat_ack_drop_disabled(eng_stat_ack_drop_disabled),
    .ctx_stat_valid(ctx_stat_valid),
    .ctx_stat_index(ctx_stat_index),
    .rx_frames(rx_frames)
);

endmodule

`resetall
