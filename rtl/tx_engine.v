// SPDX-License-Identifier: MIT
/*
 * Transmit engine (revision 1.3): the follow-ups of received segments
 * (ENGINE.md 1, follow-up part), doorbells (2), the transmit scheduler
 * with its DMA read requests (3) and the DMA read answers that become
 * data segments (4). The twin of the model's engine steps of the same
 * numbers (rx_engine_followup, tx_engine.c); tcp_out, tcp_cc and
 * tcp_timers (the C tcp_out.c, tcp_cc.c, tcp_timers.c) make every
 * decision.
 *
 * Four sequencers apply the actions beside the receive engine's jobs:
 * T the answers, doorbells and the scheduler's reads (tcp_out), N the
 * read that follows an answer (tcp_out, below), F0 and F1 the follow-ups
 * (tx_followup.v: tcp_cc, tcp_timers), F0 and F1 taking them in turn and
 * ending in queue order. An action reads its slot's
 * record (a pick: one a cycle, the RAM's read port; the receive engine
 * pops no job in that cycle), owns the slot until its end (m_lock_*: no
 * job of it pops; no other sequencer picks it; a slot whose job popped
 * in the last four cycles is picked only after that job's write in D),
 * and ends in one cycle: writes the record back and puts out its
 * segment or pure ACK, event, read request, trace item and kicks. No two
 * ends fall in one cycle, nor an end in a job's D: T's end comes 4 cycles
 * after its pick, N's 3 after its issue (the jobs stop from T's end, or
 * the cycle N takes the slot, until N issues), an F waits in FIN for a
 * cycle in which T and N neither end nor trace and no job is in D (and
 * stops the jobs meanwhile). So each action is applied at one point between
 * two received frames, as the model applies it: its trace order is the
 * frames applied in the cycle it ends (s_rx_frames_now, toe_nic's
 * applied_now). A context command's window opens only while no action is
 * under way (m_act), the first pick after it waits for its RAM access
 * (s_ctx_settled: R+8 or later). While a command waits (s_ctx_wait) the
 * picking stops after ACTS_PER_HOLD picks, and the RAM is left for
 * GAP_CYCLES once all sequencers are free.
 *
 * The timer sweep needs a hold: the jobs stop (m_rx_hold), the engine
 * waits (ST_DRAIN) until s_rx_settled says a job popped before has
 * written its record (J+4: the first read in J+6 or later, once RX_FRAMES
 * counts it) and a context command already in its window has used the
 * RAM, applies the follow-ups waiting, then grants the sweep the RAM; in
 * the hold RX_FRAMES stands still (m_ram_own) and is the trace order.
 *
 * Per slot, outside the record (not moved by a reload): valid (the
 * connection table's view, from the context port's results), kicked
 * (waiting for the scheduler), read outstanding and the request it stands
 * for (kind, seq, len). An import or export of the slot clears
 * outstanding, so an answer to an older request is stale (ENG_RD_STALE);
 * an import leaves the slot unkicked until its first doorbell.
 *
 * A follow-up (pushed by rx_engine in D of its segment: slot, acked
 * amount, acked / dupack / send_ack, the dupack count the segment made)
 * runs in F0 or F1 (tx_followup.v has its steps: about 12 cycles, up to 30
 * in congestion avoidance, 8 for a duplicate ACK); its end writes the
 * record back, puts out the RETRANS event and the pure ACK and kicks the
 * slot. Two follow-ups of one slot run one after the other. When T and
 * an F could both pick, the one that did not pick last goes, unless many
 * follow-ups wait or a context command waits for them all (s_fu_many).
 * T takes an answer that can be applied, else a doorbell, else the
 * scheduler's pick; answers and the other two take turns when both can
 * go, and the answer goes when the other's slot is owned (the scheduler's
 * lowest kicked slot is often the one N reads).
 *
 * An answer's payload is stored first (in a ring shared by up to eight
 * answers, summed as it arrives: the next answer comes in while the
 * segment before it goes out), then the action builds the header request
 * (seq = the request's, ack rcv_nxt, window rcv_wnd, the IP ID) with the
 * payload length and sum for tcp_hdr_build; tx_seg_append adds the
 * payload behind the header and gives the words back. Answers are applied
 * in the order they came in. The scheduler takes the lowest kicked slot
 * without a read outstanding; but at an answer's end N takes its slot
 * (T waits in T_NXT while N is busy) and runs tcp_out NEXT on the record
 * the answer wrote, without a pick or a RAM read, and issues that read if
 * there is room (traced as TX_READ like any read, so the model follows):
 * a data segment costs one pick instead of two, and T picks the next
 * answer meanwhile. tcp_out takes T's operation first (T_RD has the RAM's
 * data for that cycle only), N's a cycle later; each ends 3 cycles after
 * its issue, so their ends never meet.
 *
 * After tcp_out SENT of an answer, a segment that ends past the highest
 * sequence sent (its read was issued before a go-back) raises `recover`
 * to its end (ENGINE.md 4.3).
 *
 * Trace items (when trace_on): one per action applied, {value, order,
 * slot, kind}, a stale answer's too; an action waits for room, none is
 * lost.
 *
 * The timer sweep (timer_sweep.v) asks for its hold (s_sweep_req): no
 * more picks, and once every sequencer is free the hold above begins;
 * once no follow-up is waiting (so that no tick falls between a segment
 * and its follow-up), the engine grants the sweep the context RAM
 * (m_sweep_grant) for as long as the request stays. The sweep reads the
 * valid bits (m_valid_slots) and kicks the slots it swept
 * (s_sweep_kick_*, beside the receive engine's kicks).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tx_engine #
(
    // connection slots (power of two)
    parameter CONN_SLOTS = 1024,
    // slot number width
    parameter SLOT_W = $clog2(CONN_SLOTS),
    // payload buffer address width (64-bit words): the largest segment
    parameter PAY_ADDR_W = 11
)
(
    input  wire                  clk,
    input  wire                  rst,

    /* the card's state */
    input  wire                  link_up,
    input  wire                  enable,
    input  wire                  trace_on,
    input  wire [31:0]           rx_frames,
    // the frames applied now (the receive engine's jobs written by this
    // cycle, toe_nic's applied_now): an action's order outside a hold
    input  wire [31:0]           rx_frames_now,

    /* doorbells: {snd_end[31:0], slot[15:0]} */
    input  wire [47:0]           s_axis_doorbell_tdata,
    input  wire                  s_axis_doorbell_tvalid,
    output wire                  s_axis_doorbell_tready,

    /* DMA read requests: {seq[31:0], len[15:0], slot[15:0]} */
    output wire [63:0]           m_rd_req_data,
    output wire                  m_rd_req_valid,
    input  wire                  s_rd_req_room,

    /* DMA read answers: header beat {seq, len, slot}, then the data */
    input  wire [63:0]           s_axis_dma_rd_resp_tdata,
    input  wire [7:0]            s_axis_dma_rd_resp_tkeep,
    input  wire                  s_axis_dma_rd_resp_tvalid,
    output wire                  s_axis_dma_rd_resp_tready,
    input  wire                  s_axis_dma_rd_resp_tlast,

    /* context commands that took effect (a cycle after W) */
    input  wire                  s_ctx_valid,
    input  wire [7:0]            s_ctx_op,
    input  wire [7:0]            s_ctx_status,
    input  wire [15:0]           s_ctx_slot,

    /* the receive engine wrote a slot's record: kick it */
    input  wire                  s_kick_valid,
    input  wire [SLOT_W-1:0]     s_kick_slot,

    /* follow-ups of segments (rx_engine):
     * {send_ack, dupack, acked, dupacks[7:0], amount[31:0], slot[15:0]} */
    input  wire [58:0]           s_fu_data,
    input  wire                  s_fu_valid,
    // the follow-ups go before the answers (half their queue used, or a
    // context command waits for them all)
    input  wire                  s_fu_many,
    output wire                  s_fu_ready,

    /* RETRANS events {value, slot} and the room for one */
    output wire                  m_retrans_valid,
    output wire [47:0]           m_retrans_data,
    input  wire                  s_evt_room,

    /* hold of the context RAM (no job, no window); the RAM owned (first
     * read to the end: RX_FRAMES stands still); s_rx_settled: a job popped
     * before the hold has written its record and a context command in its
     * window has used the RAM (the top counts the cycles since the last of
     * them); s_rx_wait: jobs or a context command wait for the RAM; work
     * waiting or under way (a follow-up, an answer, a doorbell, a kicked
     * slot the scheduler may serve, the timer sweep) */
    output wire                  m_rx_hold,
    output wire                  m_ram_own,
    input  wire                  s_rx_settled,
    input  wire                  s_rx_wait,
    output wire                  m_busy,

    /* actions beside the receive engine's jobs (outside a hold): the
     * slots of the jobs in A..D (1..4: valid, slot), a job in D now;
     * a context command's window has used the RAM (s_ctx_settled), a
     * context command waits (s_ctx_wait); an action under way (m_act:
     * no window opens), the slots the sequencers own (m_lock_*,
     * {N, F1, F0, T}: no job of those slots pops; their outputs are
     * still to come: the jobs leave room for them) */
    input  wire [4:1]            s_job_valid,
    input  wire [4*SLOT_W-1:0]   s_job_slots,
    input  wire                  s_job_d,
    input  wire                  s_ctx_settled,
    input  wire                  s_ctx_wait,
    output wire                  m_act,
    output wire [3:0]            m_lock_valid,
    output wire [4*SLOT_W-1:0]   m_lock_slots,

    /* the timer sweep's hold: request, grant; the valid slots; its kicks */
    input  wire                  s_sweep_req,
    output wire                  m_sweep_grant,
    output wire [CONN_SLOTS-1:0] m_valid_slots,
    input  wire                  s_sweep_kick_valid,
    input  wire [SLOT_W-1:0]     s_sweep_kick_slot,

    /* context RAM, while held */
    output wire                  m_ram_rd,
    output wire [SLOT_W-1:0]     m_ram_rd_addr,
    input  wire [511:0]          s_ram_rd_data,
    output wire                  m_ram_wr,
    output wire [SLOT_W-1:0]     m_ram_wr_addr,
    output wire [511:0]          m_ram_wr_data,

    /* data segment request for tcp_hdr_build: {sum, len, req} */
    output wire [271:0]          m_seg_data,
    output wire                  m_seg_valid,
    input  wire                  s_seg_room,

    /* payload buffer read port (tx_seg_append) */
    input  wire [PAY_ADDR_W-1:0] s_pay_addr,
    output wire [63:0]           m_pay_data,
    input  wire                  s_pay_done,

    /* trace items {value, order, slot, 8'd0, kind} */
    output wire [95:0]           m_trace_data,
    output wire                  m_trace_valid,
    input  wire                  s_trace_room,

    /* counting, one-cycle pulses */
    output wire                  stat_doorbell,
    output wire                  stat_db_ignored,
    output wire                  stat_rd_req,
    output wire                  stat_rd_stale,
    output wire                  stat_data_seg,
    output wire                  stat_probe,
    output wire [15:0]           stat_data_bytes,
    output wire                  stat_tx_drop_link_down,
    output wire                  stat_tx_drop_disabled,
    output wire                  stat_fast_retrans,
    output wire                  stat_ack_sent,
    output wire                  stat_ack_drop_link_down,
    output wire                  stat_ack_drop_disabled
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */
/* verilator lint_off UNUSEDPARAM */
`include "ctx_flags.vh"
/* verilator lint_on UNUSEDPARAM */
`include "tcp_seq.vh"

localparam ACTS_PER_HOLD = 6;
localparam GAP_CYCLES = 16;

localparam [1:0] OP_NEXT = 2'd0;
localparam [1:0] OP_SENT = 2'd2;
localparam [1:0] OP_DOORBELL = 2'd3;

localparam [1:0] KIND_DATA = 2'd1;
localparam [1:0] KIND_PROBE = 2'd2;

localparam [7:0] CTX_OP_IMPORT = 8'd1;
localparam [7:0] CTX_OP_EXPORT = 8'd2;

localparam [1:0] ACT_DB = 2'd0;
localparam [1:0] ACT_NEXT = 2'd1;
localparam [1:0] ACT_ANS = 2'd2;



initial begin
    if (SLOT_W != $clog2(CONN_SLOTS)) begin
        $error("tx_engine: SLOT_W must be $clog2(CONN_SLOTS)");
        $finish;
    end
end

/* ---- doorbells waiting */
wire [47:0] db_data;
wire        db_valid;
reg         db_pop;
wire [4:0]  db_count_unused;

small_fifo #(
    .DEPTH(16),
    .DATA_W(48)
)
db_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(s_axis_doorbell_tdata),
    .s_valid(s_axis_doorbell_tvalid),
    .s_ready(s_axis_doorbell_tready),
    .m_data(db_data),
    .m_valid(db_valid),
    .m_ready(db_pop),
    .count(db_count_unused)
);

/* ---- the answers: stored and summed before they are applied
 *
 * The payload words live in a ring of 2^PAY_ADDR_W words shared by up to
 * ANS_N answers, one entry each {slot, len, seq, sum, base, words}: the
 * one coming in, the ones waiting to be applied, and those whose segment
 * tx_seg_append still reads. So the next answer comes in while the
 * segment before it goes out on the wire; with a single buffer the two
 * took turns, and a full-sized segment cost its beats twice (half the
 * wire rate). Entries are filled, applied and given back in arrival
 * order: an entry's words come back once its segment's last beat has
 * left (s_pay_done), or, for an answer not sent (stale, link down,
 * disabled), once applied, in both cases after all older entries.
 *
 * An answer's header beat is taken only while an entry is free and the
 * ring has room for the longest payload a segment can carry: the
 * decision needs no look at the beat's data. Beats past that length are
 * summed but not stored (a host that sends more than it was asked for
 * cannot overwrite another entry's words).
 */
localparam ANS_N = 8;
localparam Q_W = $clog2(ANS_N);
localparam RING_WORDS = 1 << PAY_ADDR_W;
localparam MAX_PAY_WORDS = (TT_MAX_FRAME - 54 + 7) / 8;

localparam [3:0] E_FREE = 4'd0;
localparam [3:0] E_FILL = 4'd1;    // its data is coming in
localparam [3:0] E_READY = 4'd2;   // waiting to be applied
localparam [3:0] E_SEND = 4'd3;    // its segment is on its way out
localparam [3:0] E_DONE = 4'd4;    // applied and read: words come back

initial begin
    if (RING_WORDS < MAX_PAY_WORDS || PAY_ADDR_W > 15) begin
        $error("tx_engine: PAY_ADDR_W must hold the longest payload, at most 15");
        $finish;
    end
end

reg [63:0] pay_mem [0:RING_WORDS-1];

// the entries, entry i in bits [W*i +: W]; every field W a power of two
// (base and words in 16 bits), so that an entry's place is a shift of
// its number and not a product (synthesis made multipliers of those)
reg [4*ANS_N-1:0]          e_state_reg = {4*ANS_N{1'b0}};
reg [16*ANS_N-1:0]         e_slot_reg = {16*ANS_N{1'b0}};
reg [16*ANS_N-1:0]         e_len_reg = {16*ANS_N{1'b0}};
reg [32*ANS_N-1:0]         e_seq_reg = {32*ANS_N{1'b0}};
reg [32*ANS_N-1:0]         e_sum_reg = {32*ANS_N{1'b0}};
reg [16*ANS_N-1:0]         e_base_reg = {16*ANS_N{1'b0}};
reg [16*ANS_N-1:0]         e_words_reg = {16*ANS_N{1'b0}};
wire                       unused_e_pad = &{1'b0, e_base_reg, e_words_reg};

reg [Q_W-1:0]        q_in_reg = {Q_W{1'b0}};    // the entry being filled, or next
reg [Q_W-1:0]        q_app_reg = {Q_W{1'b0}};   // the next entry to apply
reg [Q_W-1:0]        q_rel_reg = {Q_W{1'b0}};   // the oldest entry not given back
reg [PAY_ADDR_W-1:0] wr_ptr_reg = {PAY_ADDR_W{1'b0}};
reg [PAY_ADDR_W:0]   free_reg = RING_WORDS[PAY_ADDR_W:0];

wire [63:0] rd_beat = s_axis_dma_rd_resp_tdata;
wire [7:0]  rd_keep = s_axis_dma_rd_resp_tkeep;

// the beat's bytes, lane 0 first, as four big-endian 16-bit words
function [17:0] beat_sum;
    input [63:0] d;
    input [7:0]  k;
    reg   [63:0] m;
    integer      i;
    begin
        for (i = 0; i < 8; i = i + 1) begin
            m[8*i +: 8] = k[i] ? d[8*i +: 8] : 8'd0;
        end
        beat_sum = {2'd0, m[7:0], m[15:8]} + {2'd0, m[23:16], m[31:24]} +
                   {2'd0, m[39:32], m[47:40]} + {2'd0, m[55:48], m[63:56]};
    end
endfunction

wire [3:0]          in_state = e_state_reg[4*q_in_reg +: 4];
wire [PAY_ADDR_W:0] in_words = e_words_reg[16*q_in_reg +: PAY_ADDR_W+1];
wire                in_room = (free_reg >= MAX_PAY_WORDS[PAY_ADDR_W:0]);

assign s_axis_dma_rd_resp_tready = (in_state == E_FILL) || (in_state == E_FREE && in_room);

wire rd_fire = s_axis_dma_rd_resp_tvalid && s_axis_dma_rd_resp_tready;
wire rd_hdr = rd_fire && (in_state == E_FREE);
wire rd_data = rd_fire && (in_state == E_FILL);
wire rd_store = rd_data && (in_words < MAX_PAY_WORDS[PAY_ADDR_W:0]);

// the entry tx_seg_append reads: the oldest on its way out (the ones
// before it are given back or about to be)
reg  [Q_W-1:0] snd_idx;
reg        snd_any;
reg  [Q_W-1:0] snd_j;   // entry q_rel + si, wrapping
integer    si;

always @* begin
    snd_idx = q_rel_reg;
    snd_any = 1'b0;
    for (si = ANS_N - 1; si >= 0; si = si - 1) begin
        snd_j = q_rel_reg + si[Q_W-1:0];
        if (e_state_reg[4*snd_j +: 4] == E_SEND) begin
            snd_idx = snd_j;
            snd_any = 1'b1;
        end
    end
end

wire [PAY_ADDR_W-1:0] snd_base = e_base_reg[16*snd_idx +: PAY_ADDR_W];

wire                rel = (e_state_reg[4*q_rel_reg +: 4] == E_DONE);
wire [PAY_ADDR_W:0] rel_words = e_words_reg[16*q_rel_reg +: PAY_ADDR_W+1];

reg  ans_free;      // set by the action: the answer is not sent
wire ans_sending;   // the action sends the segment: tx_seg_append reads it

always @(posedge clk) begin
    if (rd_hdr) begin
        e_slot_reg[16*q_in_reg +: 16] <= rd_beat[15:0];
        e_len_reg[16*q_in_reg +: 16] <= rd_beat[31:16];
        e_seq_reg[32*q_in_reg +: 32] <= rd_beat[63:32];
        e_sum_reg[32*q_in_reg +: 32] <= 32'd0;
        e_base_reg[16*q_in_reg +: 16] <= {{(16-PAY_ADDR_W){1'b0}}, wr_ptr_reg};
        e_words_reg[16*q_in_reg +: 16] <= 16'd0;
        e_state_reg[4*q_in_reg +: 4] <= s_axis_dma_rd_resp_tlast ? E_READY : E_FILL;
        if (s_axis_dma_rd_resp_tlast) begin
            q_in_reg <= q_in_reg + 1'b1;
        end
    end
    if (rd_data) begin
        e_sum_reg[32*q_in_reg +: 32] <= e_sum_reg[32*q_in_reg +: 32] +
                                        {14'd0, beat_sum(rd_beat, rd_keep)};
        if (rd_store) begin
            e_words_reg[16*q_in_reg +: 16] <= {{(15-PAY_ADDR_W){1'b0}}, in_words + 1'b1};
            wr_ptr_reg <= wr_ptr_reg + 1'b1;
        end
        if (s_axis_dma_rd_resp_tlast) begin
            e_state_reg[4*q_in_reg +: 4] <= E_READY;
            q_in_reg <= q_in_reg + 1'b1;
        end
    end
    // apply, read out, give back: each on an entry in its own state
    if (ans_free || ans_sending) begin
        e_state_reg[4*q_app_reg +: 4] <= ans_sending ? E_SEND : E_DONE;
        q_app_reg <= q_app_reg + 1'b1;
    end
    if (s_pay_done && snd_any) begin
        e_state_reg[4*snd_idx +: 4] <= E_DONE;
    end
    if (rel) begin
        e_state_reg[4*q_rel_reg +: 4] <= E_FREE;
        q_rel_reg <= q_rel_reg + 1'b1;
    end
    free_reg <= free_reg - {{PAY_ADDR_W{1'b0}}, rd_store} + (rel ? rel_words : {(PAY_ADDR_W+1){1'b0}});
    if (rst) begin
        e_state_reg <= {4*ANS_N{1'b0}};
        q_in_reg <= {Q_W{1'b0}};
        q_app_reg <= {Q_W{1'b0}};
        q_rel_reg <= {Q_W{1'b0}};
        wr_ptr_reg <= {PAY_ADDR_W{1'b0}};
        free_reg <= RING_WORDS[PAY_ADDR_W:0];
    end
end

always @(posedge clk) begin
    if (rd_store) begin
        pay_mem[wr_ptr_reg] <= rd_beat;
    end
end

// a registered read, so that the ring is block RAM (an asynchronous read
// made it 2048 distributed-RAM cells and their read multiplexers):
// tx_seg_append names the word a cycle ahead. When the entry read out
// changes, its word 0 is read a cycle later, long before the segment's
// header (7 beats behind the action) reaches its last beat.
reg [63:0] pay_rd_reg = 64'd0;

always @(posedge clk) begin
    pay_rd_reg <= pay_mem[snd_base + s_pay_addr];
end

assign m_pay_data = pay_rd_reg;

// the entry to apply
wire [15:0] ans_slot_in = e_slot_reg[16*q_app_reg +: 16];
wire [15:0] ans_len_in = e_len_reg[16*q_app_reg +: 16];
wire [31:0] ans_seq_in = e_seq_reg[32*q_app_reg +: 32];
wire [31:0] ans_sum_in = e_sum_reg[32*q_app_reg +: 32];

// one's complement sum folded to 16 bits (twice: the first fold may carry)
wire [31:0] sum_f1 = {16'd0, ans_sum_in[15:0]} + {16'd0, ans_sum_in[31:16]};
wire [15:0] ans_sum16 = sum_f1[15:0] + sum_f1[31:16];

/* ---- per-slot state outside the record */
reg [CONN_SLOTS-1:0] valid_reg = {CONN_SLOTS{1'b0}};
reg [CONN_SLOTS-1:0] kicked_reg = {CONN_SLOTS{1'b0}};
reg [CONN_SLOTS-1:0] outst_reg = {CONN_SLOTS{1'b0}};
reg [49:0]           kept_mem [0:CONN_SLOTS-1];   // {kind, len, seq}

// the lowest kicked slot without a read outstanding
wire [CONN_SLOTS-1:0] cand = kicked_reg & ~outst_reg & valid_reg;
reg  [SLOT_W-1:0]     cand_slot;
integer ci;

always @* begin
    cand_slot = {SLOT_W{1'b0}};
    for (ci = CONN_SLOTS - 1; ci >= 0; ci = ci - 1) begin
        if (cand[ci]) begin
            cand_slot = ci[SLOT_W-1:0];
        end
    end
end

wire cand_any = |cand;

wire ans_slot_ok = (ans_slot_in[15:SLOT_W] == 0);
wire [SLOT_W-1:0] ans_slot = ans_slot_in[SLOT_W-1:0];
// the kept request of the answer to apply, read a cycle late (a block
// RAM, not 800 distributed-RAM cells): it is the RAM's value now when the
// answer's slot was the same a cycle ago and no read was kept for that
// slot then; T waits a cycle for it otherwise. While an answer is
// applied its slot's request is not written (N's read comes after it).
reg  [49:0]       kept_rd_reg = 50'd0;
reg  [SLOT_W-1:0] kept_rd_slot_reg = {SLOT_W{1'b0}};
reg               kept_rd_ok_reg = 1'b0;
wire              kept_wr;
wire [49:0] ans_kept = kept_rd_reg;
wire ans_kept_fresh = kept_rd_ok_reg && (kept_rd_slot_reg == ans_slot);
wire ans_live = ans_slot_ok && valid_reg[ans_slot] && outst_reg[ans_slot] &&
                ans_kept[31:0] == ans_seq_in && ans_kept[47:32] == ans_len_in;


wire db_slot_ok = (db_data[15:SLOT_W] == 0);
wire [SLOT_W-1:0] db_slot = db_data[SLOT_W-1:0];
wire db_live = db_slot_ok && valid_reg[db_slot];

/* ---- two sequencers, one pick a cycle
 *
 * T (transmit) applies answers, doorbells and the scheduler's reads with
 * tcp_out; F applies follow-ups with tcp_cc and tcp_timers. Each owns
 * the slot it read until its end, and the two never own the same slot,
 * so an F step and a T step run side by side (the receive engine's jobs
 * beside both). The context RAM's read port takes one pick a cycle; the
 * ends are never in the same cycle: F's end (FIN) waits for a cycle in
 * which T neither ends nor traces and no job is in D.
 */
localparam [1:0] ST_IDLE = 2'd0;
localparam [1:0] ST_DRAIN = 2'd1;
localparam [1:0] ST_RUN = 2'd2;    // the sequencers pick
localparam [1:0] ST_SWEEP = 2'd3;  // the timer sweep owns the RAM

localparam [2:0] T_FREE = 3'd0;
localparam [2:0] T_RD = 3'd1;
localparam [2:0] T_WAIT = 3'd2;
localparam [2:0] T_RES = 3'd3;
localparam [2:0] T_NXT = 3'd4;    // an answer's slot: N is busy, T waits
// N: an answer's slot, its next read
localparam [1:0] N_FREE = 2'd0;
localparam [1:0] N_ISSUE = 2'd1;
localparam [1:0] N_WAIT = 2'd2;
localparam [1:0] N_RES = 2'd3;


reg [1:0]        state_reg = ST_IDLE;
reg [4:0]        cnt_reg = 5'd0;
reg [3:0]        acts_reg = 4'd0;
// a hold (the timer sweep's): the jobs stop and RX_FRAMES stands still;
// otherwise the actions run beside the jobs
reg              hold_mode_reg = 1'b0;
// F and T both could pick: the one that did not pick last goes
reg              f_turn_reg = 1'b0;

reg [2:0]        t_state_reg = T_FREE;
reg              t_cnt_reg = 1'b0;
reg [1:0]        t_act_reg = ACT_DB;
reg [SLOT_W-1:0] t_slot_reg = {SLOT_W{1'b0}};
reg [31:0]       t_db_end_reg = 32'd0;
reg [511:0]      t_rec_reg = 512'd0;

// the follow-ups: F0 and F1 take them in turn (f_next_reg: the one that
// takes the next) and end in the same order (f_end_reg: the one that ends
// next)
reg              f_next_reg = 1'b0;
reg              f_end_reg = 1'b0;

// N takes an answer's slot from T at T's end and runs tcp_out NEXT on
// the record the answer left (no pick, no RAM read), so that T picks the
// next answer meanwhile
reg [1:0]        n_state_reg = N_FREE;
reg              n_cnt_reg = 1'b0;
reg [SLOT_W-1:0] n_slot_reg = {SLOT_W{1'b0}};
reg [511:0]      n_rec_reg = 512'd0;

wire t_free = (t_state_reg == T_FREE);
wire n_free = (n_state_reg == N_FREE);

wire [SLOT_W-1:0] fu_in_slot = s_fu_data[SLOT_W-1:0];
wire unused_fu_slot_hi = &{1'b0, s_fu_data[15:SLOT_W]};

wire trace_ok = !trace_on || s_trace_room;
wire want_fu = s_fu_valid;
wire want_ans = (e_state_reg[4*q_app_reg +: 4] == E_READY);
wire want_db = db_valid;
wire want_next = cand_any && s_rd_req_room;
wire work = want_fu || want_ans || want_db || want_next;

/* ---- T and N: tcp_out on the record T read (T_RD) or, for the read
 * that follows an answer, on the record the answer left (N_ISSUE:
 * n_rec_reg); T's operation goes first, N's waits a cycle */
wire        to_valid;
wire [1:0]  to_kind;
wire [2:0]  to_limit_unused;
wire [31:0] to_seq;
wire [15:0] to_len;
wire        to_db_moved_unused;
wire        to_db_ignored;
wire [7:0]  to_flags;
wire [7:0]  to_retries;
wire [31:0] to_snd_nxt;
wire [31:0] to_snd_max;
wire [15:0] to_timer;

wire         t_in_rd = (t_state_reg == T_RD);
wire         n_in_issue = (n_state_reg == N_ISSUE);
wire         nxt_go = n_in_issue && !t_in_rd && s_rd_req_room && trace_ok;
wire [511:0] t_rd_rec = t_in_rd ? s_ram_rd_data : n_rec_reg;

tcp_out
tcp_out_inst (
    .clk(clk),
    .rst(rst),
    .s_valid(t_in_rd || nxt_go),
    .s_op(!t_in_rd || t_act_reg == ACT_NEXT ? OP_NEXT :
          t_act_reg == ACT_DB ? OP_DOORBELL : OP_SENT),
    .s_flags(t_rd_rec[CTX_flags_LSB +: CTX_flags_W]),
    .s_mss(t_rd_rec[CTX_mss_LSB +: CTX_mss_W]),
    .s_snd_wscale(t_rd_rec[CTX_snd_wscale_LSB +: CTX_snd_wscale_W]),
    .s_retries(t_rd_rec[CTX_retries_LSB +: CTX_retries_W]),
    .s_snd_una(t_rd_rec[CTX_snd_una_LSB +: CTX_snd_una_W]),
    .s_snd_nxt(t_rd_rec[CTX_snd_nxt_LSB +: CTX_snd_nxt_W]),
    .s_snd_max(t_rd_rec[CTX_snd_max_LSB +: CTX_snd_max_W]),
    .s_recover(t_rd_rec[CTX_recover_LSB +: CTX_recover_W]),
    .s_cwnd(t_rd_rec[CTX_cwnd_LSB +: CTX_cwnd_W]),
    .s_snd_wnd(t_rd_rec[CTX_snd_wnd_LSB +: CTX_snd_wnd_W]),
    .s_rto(t_rd_rec[CTX_rto_LSB +: CTX_rto_W]),
    .s_timer(t_rd_rec[CTX_timer_LSB +: CTX_timer_W]),
    .s_seg_kind(ans_kept[49:48]),
    .s_seg_seq(ans_kept[31:0]),
    .s_seg_len(ans_kept[47:32]),
    .s_snd_end(t_db_end_reg),
    .m_valid(to_valid),
    .m_kind(to_kind),
    .m_limit(to_limit_unused),
    .m_seq(to_seq),
    .m_len(to_len),
    .m_db_moved(to_db_moved_unused),
    .m_db_ignored(to_db_ignored),
    .m_flags(to_flags),
    .m_retries(to_retries),
    .m_snd_nxt(to_snd_nxt),
    .m_snd_max(to_snd_max),
    .m_timer(to_timer)
);

// T's end: the result of its operation (4 cycles after the read, 3 after
// the next read's issue)
wire res = (t_state_reg == T_RES) && to_valid;
// N's end, 3 cycles after its issue (never T's: their issues differ)
wire n_res = (n_state_reg == N_RES) && to_valid;
// a read decided: N's, or the scheduler's (T)
wire nx_end = n_res || (res && t_act_reg == ACT_NEXT);
wire [SLOT_W-1:0] nx_slot = n_res ? n_slot_reg : t_slot_reg;
wire send_ok = link_up && enable;
wire next_go = (to_kind == KIND_DATA) || (to_kind == KIND_PROBE);

// the record after the operation (a data segment takes the IP ID; it
// raises recover to its end if it went past the highest sequence sent,
// ENGINE.md 4.3)
wire [15:0] t_old_ip_id = t_rec_reg[CTX_ip_id_LSB +: CTX_ip_id_W];
wire [31:0] t_snd_una = t_rec_reg[CTX_snd_una_LSB +: CTX_snd_una_W];
wire [31:0] t_recover = t_rec_reg[CTX_recover_LSB +: CTX_recover_W];
wire [31:0] ans_end = ans_kept[31:0] + {16'd0, ans_kept[47:32]};
wire [31:0] sent_high = tcp_out_high(t_snd_una, to_snd_nxt, to_snd_max, t_recover);
reg  [511:0] rec_new;

always @* begin
    rec_new = t_rec_reg;
    rec_new[CTX_flags_LSB +: CTX_flags_W] = to_flags;
    rec_new[CTX_retries_LSB +: CTX_retries_W] = to_retries;
    rec_new[CTX_snd_nxt_LSB +: CTX_snd_nxt_W] = to_snd_nxt;
    rec_new[CTX_snd_max_LSB +: CTX_snd_max_W] = to_snd_max;
    rec_new[CTX_timer_LSB +: CTX_timer_W] = to_timer;
    if (t_act_reg == ACT_ANS) begin
        rec_new[CTX_ip_id_LSB +: CTX_ip_id_W] = t_old_ip_id + 16'd1;
        if (seq_lt(sent_high, ans_end)) begin
            rec_new[CTX_recover_LSB +: CTX_recover_W] = ans_end;
        end
    end
end

/* ---- F0, F1: the follow-ups */
wire [1:0]          f_start;
wire [1:0]          f_free_v;
wire [2*SLOT_W-1:0] f_slots;
wire [1:0]          f_fin_v;
wire [1:0]          f_end;
wire [1023:0]       f_recs;
wire [1:0]          f_send_ack_v;
wire [479:0]        f_ack_reqs;
wire [1:0]          f_retx_v;
wire [63:0]         f_retx_seqs;
wire [1:0]          f_fast_v;
wire [63:0]         f_trace_values;

tx_followup #(
    .SLOT_W(SLOT_W)
)
tx_followup0_inst (
    .clk(clk),
    .rst(rst),
    .s_start(f_start[0]),
    .s_slot(fu_in_slot),
    .s_fu(s_fu_data[58:16]),
    .s_ram_rd_data(s_ram_rd_data),
    .m_free(f_free_v[0]),
    .m_slot(f_slots[0*SLOT_W +: SLOT_W]),
    .m_fin(f_fin_v[0]),
    .s_end(f_end[0]),
    .m_rec(f_recs[512*0 +: 512]),
    .m_send_ack(f_send_ack_v[0]),
    .m_ack_req(f_ack_reqs[240*0 +: 240]),
    .m_retx(f_retx_v[0]),
    .m_retx_seq(f_retx_seqs[32*0 +: 32]),
    .m_fast(f_fast_v[0]),
    .m_trace_value(f_trace_values[32*0 +: 32])
);

tx_followup #(
    .SLOT_W(SLOT_W)
)
tx_followup1_inst (
    .clk(clk),
    .rst(rst),
    .s_start(f_start[1]),
    .s_slot(fu_in_slot),
    .s_fu(s_fu_data[58:16]),
    .s_ram_rd_data(s_ram_rd_data),
    .m_free(f_free_v[1]),
    .m_slot(f_slots[1*SLOT_W +: SLOT_W]),
    .m_fin(f_fin_v[1]),
    .s_end(f_end[1]),
    .m_rec(f_recs[512*1 +: 512]),
    .m_send_ack(f_send_ack_v[1]),
    .m_ack_req(f_ack_reqs[240*1 +: 240]),
    .m_retx(f_retx_v[1]),
    .m_retx_seq(f_retx_seqs[32*1 +: 32]),
    .m_fast(f_fast_v[1]),
    .m_trace_value(f_trace_values[32*1 +: 32])
);

// the one that takes the next follow-up, the one that ends next
wire              f_free = f_free_v[f_next_reg];
wire              f_all_free = &f_free_v;
wire              f_fin_now = f_fin_v[f_end_reg];
wire [SLOT_W-1:0] f_slot = f_slots[f_end_reg*SLOT_W +: SLOT_W];
// a follow-up owns a slot (the other F, or either, for T)
wire f0_owns = !f_free_v[0];
wire f1_owns = !f_free_v[1];
wire [SLOT_W-1:0] f0_slot = f_slots[0 +: SLOT_W];
wire [SLOT_W-1:0] f1_slot = f_slots[SLOT_W +: SLOT_W];

/* ---- picking */

// a context command waits: after ACTS_PER_HOLD picks the sequencers stop
// picking, and once both are free the RAM is left for GAP_CYCLES (in the
// sweep's hold: while jobs or a command wait)
wire hold_full = (acts_reg == ACTS_PER_HOLD[3:0]) &&
                 (hold_mode_reg ? s_rx_wait : s_ctx_wait);
// outside a hold a sweep request ends the picking: the hold comes first;
// in the hold only follow-ups are picked, then the sweep has the RAM
wire in_run = (state_reg == ST_RUN) && !hold_full && (hold_mode_reg || !s_sweep_req);
// (not in N's end: a stale answer or a dead doorbell is traced in its
// pick, and N's read in its end)
wire in_run_t = in_run && t_free && !s_sweep_req && !n_res;

// a job of the slot in A..D writes its record in D: an action reads it
// after that (in a hold no job runs); nor does a sequencer read the slot
// the other one owns
function slot_busy;
    input [SLOT_W-1:0] slot;
    begin
        slot_busy = (s_job_valid[1] && s_job_slots[0*SLOT_W +: SLOT_W] == slot) ||
                    (s_job_valid[2] && s_job_slots[1*SLOT_W +: SLOT_W] == slot) ||
                    (s_job_valid[3] && s_job_slots[2*SLOT_W +: SLOT_W] == slot) ||
                    (s_job_valid[4] && s_job_slots[3*SLOT_W +: SLOT_W] == slot);
    end
endfunction

wire [SLOT_W-1:0] other_slot = want_db ? db_slot : cand_slot;
// a slot F0, F1 or N owns (T's own is added where F picks)
function fn_owns;
    input [SLOT_W-1:0] slot;
    begin
        fn_owns = (f0_owns && f0_slot == slot) || (f1_owns && f1_slot == slot) ||
                  (!n_free && n_slot_reg == slot);
    end
endfunction

wire other_busy = slot_busy(other_slot) || fn_owns(other_slot);

// T: an answer that can be applied (the stale one is dropped here,
// without the RAM, traced like any answer), or else a doorbell, or else
// the scheduler's lowest kicked slot without a read outstanding; answers
// and the other two take turns when both can go (t_turn: the last was an
// answer), so that a steady stream of answers, each followed by its
// slot's next read, does not keep the scheduler from the other slots
reg  t_turn_reg = 1'b0;
wire other_ok = (want_db || want_next) && trace_ok;
wire ans_ok = want_ans && ans_kept_fresh && trace_ok && (!ans_live || s_seg_room);
// (the other's slot may be owned: the scheduler's lowest kicked slot is
// often the one N is reading after its answer; the answer goes then)
wire ans_go = ans_ok && (!other_ok || !t_turn_reg || other_busy);
wire ans_wait = in_run_t && want_ans && !ans_kept_fresh && !other_ok;
wire pick_stale = in_run_t && ans_go && !ans_live;
wire t_sel_ans = in_run_t && ans_go && ans_live;
wire t_sel_db = in_run_t && !ans_go && want_db && trace_ok;
wire t_sel_next = in_run_t && !ans_go && !want_db && want_next && trace_ok;
wire t_sel = t_sel_ans || t_sel_db || t_sel_next;
wire [SLOT_W-1:0] t_sel_slot = t_sel_ans ? ans_slot : t_sel_db ? db_slot : cand_slot;

// F: the oldest follow-up, whenever it has room for its outputs
wire f_sel = in_run && f_free && want_fu && trace_ok && s_seg_room && s_evt_room;


wire t_busy = slot_busy(t_sel_slot) || fn_owns(t_sel_slot);
wire f_busy = slot_busy(fu_in_slot) || fn_owns(fu_in_slot) ||
              (!t_free && t_slot_reg == fu_in_slot);
wire t_go = t_sel && !t_busy;
wire f_go = f_sel && !f_busy;
// one pick a cycle (the RAM's read port); the follow-ups go first while
// many of them wait or a context command waits for them all (s_fu_many)
wire pick_f = f_go && (!t_go || s_fu_many || f_turn_reg);
wire pick_t = t_go && !pick_f;
wire pick_db = pick_t && t_sel_db;
// a doorbell for a slot that is not valid is ignored without an action
wire db_dead = pick_db && !db_live;
wire [SLOT_W-1:0] pick_slot = pick_f ? fu_in_slot : t_sel_slot;
// something waits for a cycle to pass (a kept request read, a job's write)
wire pick_wait = ans_wait || (t_sel && t_busy) || (f_sel && f_busy);

// (outside a hold: to the hold at once, the follow-ups come in it)
wire sweep_next = (state_reg == ST_RUN) && s_sweep_req && t_free && n_free && f_all_free &&
                  (!hold_mode_reg || !want_fu);

wire [3:0] acts_inc = acts_reg + {3'd0, pick_f} + {3'd0, pick_t} + {3'd0, pick_stale};
wire [3:0] acts_next = (acts_inc >= ACTS_PER_HOLD[3:0]) ? ACTS_PER_HOLD[3:0] : acts_inc;

assign s_fu_ready = pick_f;

always @* begin
    db_pop = pick_db;
    ans_free = pick_stale || (res && t_act_reg == ACT_ANS && !send_ok);
end

assign ans_sending = res && t_act_reg == ACT_ANS && send_ok;

// T ends or traces in this cycle: F's end waits
wire t_commit = res || n_res || pick_stale || db_dead;
// (not in a job's D either: its record, ACK and events go first)
wire fin = f_fin_now && !s_job_d && !t_commit;

assign f_start = {pick_f && f_next_reg, pick_f && !f_next_reg};
assign f_end = {fin && f_end_reg, fin && !f_end_reg};

/* ---- the hold and the run */
always @(posedge clk) begin
    case (state_reg)
        ST_IDLE: begin
            // the gap after a hold only while a context command waits
            if (cnt_reg != 5'd0) begin
                cnt_reg <= cnt_reg - 5'd1;
            end
            if ((work || s_sweep_req) && (cnt_reg == 5'd0 || !s_ctx_wait)) begin
                state_reg <= ST_DRAIN;
                hold_mode_reg <= s_sweep_req;
            end
        end
        ST_DRAIN: begin
            // the first RAM read once a context command before it has
            // used the RAM; in a hold the jobs stop from this cycle on,
            // and the first read waits for those popped before it too
            if (hold_mode_reg ? s_rx_settled : s_ctx_settled) begin
                state_reg <= ST_RUN;
                acts_reg <= 4'd0;
            end
        end
        ST_RUN: begin
            acts_reg <= acts_next;
            if (t_free && n_free && f_all_free && !pick_f && !pick_t && !pick_stale &&
                !pick_wait) begin
                // nothing under way and nothing picked: the RAM is left
                state_reg <= ST_IDLE;
                cnt_reg <= GAP_CYCLES[4:0];
            end
            if (sweep_next) begin
                if (hold_mode_reg) begin
                    state_reg <= ST_SWEEP;
                end else begin
                    state_reg <= ST_DRAIN;
                    hold_mode_reg <= 1'b1;
                end
            end
        end
        default: begin
            if (!s_sweep_req) begin
                state_reg <= ST_IDLE;
                cnt_reg <= GAP_CYCLES[4:0];
            end
        end
    endcase
    if (pick_f) begin
        f_next_reg <= !f_next_reg;
    end
    if (fin) begin
        f_end_reg <= !f_end_reg;
    end
    if (pick_f) begin
        f_turn_reg <= 1'b0;
    end else if (pick_t) begin
        f_turn_reg <= 1'b1;
    end
    if ((pick_t && t_sel_ans) || pick_stale) begin
        t_turn_reg <= 1'b1;
    end else if (pick_t) begin
        t_turn_reg <= 1'b0;
    end
    if (rst) begin
        state_reg <= ST_IDLE;
        cnt_reg <= 5'd0;
        hold_mode_reg <= 1'b0;
        f_turn_reg <= 1'b0;
        t_turn_reg <= 1'b0;
        f_next_reg <= 1'b0;
        f_end_reg <= 1'b0;
    end
end

/* ---- T */
always @(posedge clk) begin
    case (t_state_reg)
        T_FREE: begin
            if (pick_t && !db_dead) begin
                t_state_reg <= T_RD;
                t_act_reg <= t_sel_ans ? ACT_ANS : t_sel_db ? ACT_DB : ACT_NEXT;
                t_slot_reg <= t_sel_slot;
                t_db_end_reg <= db_data[47:16];
            end
        end
        T_RD: begin
            t_rec_reg <= t_rd_rec;
            t_state_reg <= T_WAIT;
            t_cnt_reg <= 1'b1;
        end
        T_WAIT: begin
            t_cnt_reg <= 1'b0;
            if (!t_cnt_reg) begin
                t_state_reg <= T_RES;
            end
        end
        T_NXT: begin
            // N is busy with the read after the answer before
            if (n_free) begin
                t_state_reg <= T_FREE;
            end
        end
        default: begin
            if (to_valid) begin
                if (t_act_reg == ACT_ANS && !n_free) begin
                    t_state_reg <= T_NXT;
                    t_rec_reg <= rec_new;
                end else begin
                    t_state_reg <= T_FREE;
                end
            end
        end
    endcase
    if (rst) begin
        t_state_reg <= T_FREE;
    end
end

/* ---- N: the answer's slot has no read outstanding now and is kicked:
 * the scheduler would pick it again; tcp_out NEXT on the record just
 * written, issued if the request queue and the trace have room (else the
 * scheduler gets the slot later) */
wire n_take = (res && t_act_reg == ACT_ANS && n_free) ||
              (t_state_reg == T_NXT && n_free);

always @(posedge clk) begin
    case (n_state_reg)
        N_FREE: begin
            if (n_take) begin
                n_state_reg <= N_ISSUE;
                n_slot_reg <= t_slot_reg;
                n_rec_reg <= (t_state_reg == T_NXT) ? t_rec_reg : rec_new;
            end
        end
        N_ISSUE: begin
            if (nxt_go) begin
                n_state_reg <= N_WAIT;
                n_cnt_reg <= 1'b1;
            end else if (!t_in_rd) begin
                n_state_reg <= N_FREE;
            end
        end
        N_WAIT: begin
            n_cnt_reg <= 1'b0;
            if (!n_cnt_reg) begin
                n_state_reg <= N_RES;
            end
        end
        default: begin
            if (to_valid) begin
                n_state_reg <= N_FREE;
            end
        end
    endcase
    if (rst) begin
        n_state_reg <= N_FREE;
    end
end

/* per-slot state updates: context results, receive kicks, actions */
always @(posedge clk) begin
    if (s_kick_valid) begin
        kicked_reg[s_kick_slot] <= 1'b1;
    end
    if (s_sweep_kick_valid) begin
        kicked_reg[s_sweep_kick_slot] <= 1'b1;
    end
    if (fin) begin
        kicked_reg[f_slot] <= 1'b1;
    end
    if (res && t_act_reg == ACT_DB) begin
        kicked_reg[t_slot_reg] <= 1'b1;
    end
    if (res && t_act_reg == ACT_ANS) begin
        outst_reg[t_slot_reg] <= 1'b0;
        kicked_reg[t_slot_reg] <= 1'b1;
    end
    if (nx_end) begin
        if (next_go) begin
            outst_reg[nx_slot] <= 1'b1;
        end else begin
            kicked_reg[nx_slot] <= 1'b0;
        end
    end
    if (s_ctx_valid && s_ctx_status == 8'd0 && s_ctx_slot[15:SLOT_W] == 0) begin
        if (s_ctx_op == CTX_OP_IMPORT) begin
            valid_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b1;
            kicked_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b0;
            outst_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b0;
        end else if (s_ctx_op == CTX_OP_EXPORT) begin
            valid_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b0;
            kicked_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b0;
            outst_reg[s_ctx_slot[SLOT_W-1:0]] <= 1'b0;
        end
    end
    if (rst) begin
        valid_reg <= {CONN_SLOTS{1'b0}};
        kicked_reg <= {CONN_SLOTS{1'b0}};
        outst_reg <= {CONN_SLOTS{1'b0}};
    end
end

assign kept_wr = nx_end && next_go;

always @(posedge clk) begin
    if (kept_wr) begin
        kept_mem[nx_slot] <= {to_kind, to_len, to_seq};
    end
end

always @(posedge clk) begin
    kept_rd_reg <= kept_mem[ans_slot];
    kept_rd_slot_reg <= ans_slot;
    kept_rd_ok_reg <= !(kept_wr && nx_slot == ans_slot);
    if (rst) begin
        kept_rd_ok_reg <= 1'b0;
    end
end

/* outputs */

// Outside a hold an action stops the jobs only in the cycles that need
// it: its RAM read (the pick), from an answer's end until N issues the
// read that follows it (so that no job's D falls on N's result, 3 cycles
// after the issue: a job's D comes 4 after its pop; T's result comes 4
// cycles after its read) and F's end (FIN waits for a cycle without a job
// in D). The slot a sequencer has read is locked until its end: no job
// of it pops.
assign m_rx_hold = hold_mode_reg ? (state_reg != ST_IDLE) :
                   (pick_f || pick_t || (res && t_act_reg == ACT_ANS) ||
                    (t_state_reg == T_NXT) || n_in_issue || f_fin_now);
assign m_ram_own = hold_mode_reg && (state_reg != ST_IDLE) && (state_reg != ST_DRAIN);
assign m_act = (state_reg != ST_IDLE);
assign m_lock_valid = {!hold_mode_reg && !n_free, !hold_mode_reg && f1_owns,
                       !hold_mode_reg && f0_owns, !hold_mode_reg && !t_free};
assign m_lock_slots = {n_slot_reg, f1_slot, f0_slot, t_slot_reg};
assign m_busy = (state_reg != ST_IDLE) || work || s_sweep_req;
assign m_sweep_grant = (state_reg == ST_SWEEP);
assign m_valid_slots = valid_reg;

assign m_ram_rd = pick_f || pick_t;
assign m_ram_rd_addr = pick_slot;
assign m_ram_wr = (res && t_act_reg != ACT_NEXT) || fin;
assign m_ram_wr_addr = fin ? f_slot : t_slot_reg;
assign m_ram_wr_data = fin ? f_recs[512*f_end_reg +: 512] : rec_new;

assign m_rd_req_valid = nx_end && next_go;
assign m_rd_req_data = {to_seq, to_len, {(16-SLOT_W){1'b0}}, nx_slot};

// tcp_hdr_build's request (see rx_engine): the kept request's sequence
wire [239:0] seg_req = {t_rec_reg[CTX_peer_mac_LSB +: CTX_peer_mac_W],
                        t_rec_reg[CTX_local_ip_LSB +: CTX_local_ip_W],
                        t_rec_reg[CTX_remote_ip_LSB +: CTX_remote_ip_W],
                        t_rec_reg[CTX_local_port_LSB +: CTX_local_port_W],
                        t_rec_reg[CTX_remote_port_LSB +: CTX_remote_port_W],
                        ans_kept[31:0],
                        t_rec_reg[CTX_rcv_nxt_LSB +: CTX_rcv_nxt_W],
                        t_rec_reg[CTX_rcv_wnd_LSB +: CTX_rcv_wnd_W],
                        t_old_ip_id};
// the follow-up's pure ACK: no payload
wire [239:0] fu_ack_req = f_ack_reqs[240*f_end_reg +: 240];
wire fu_ack = fin && f_send_ack_v[f_end_reg];

assign m_seg_valid = ans_sending || (fu_ack && send_ok);
assign m_seg_data = fin ? {32'd0, fu_ack_req} : {ans_sum16, ans_kept[47:32], seg_req};

assign m_retrans_valid = fin && f_retx_v[f_end_reg];
assign m_retrans_data = {f_retx_seqs[32*f_end_reg +: 32], {(16-SLOT_W){1'b0}}, f_slot};

// trace
reg [7:0]  tr_kind;
reg [31:0] tr_value;
reg [15:0] tr_slot;
reg        tr_valid;

always @* begin
    tr_valid = 1'b0;
    tr_kind = 8'd0;
    tr_value = 32'd0;
    tr_slot = {{(16-SLOT_W){1'b0}}, t_slot_reg};
    if (db_dead) begin
        tr_valid = 1'b1;
        tr_kind = TT_TRACE_DOORBELL[7:0];
        tr_value = db_data[47:16];
        tr_slot = db_data[15:0];
    end else if (pick_stale) begin
        tr_valid = 1'b1;
        tr_kind = TT_TRACE_TX_ANSWER[7:0];
        tr_value = ans_seq_in;
        tr_slot = ans_slot_in;
    end else if (fin) begin
        tr_valid = 1'b1;
        tr_kind = TT_TRACE_SEG_ACK[7:0];
        tr_value = f_trace_values[32*f_end_reg +: 32];
        tr_slot = {{(16-SLOT_W){1'b0}}, f_slot};
    end else if (n_res) begin
        tr_valid = next_go;
        tr_kind = TT_TRACE_TX_READ[7:0];
        tr_value = to_seq;
        tr_slot = {{(16-SLOT_W){1'b0}}, n_slot_reg};
    end else if (res) begin
        case (t_act_reg)
            ACT_DB: begin
                tr_valid = 1'b1;
                tr_kind = TT_TRACE_DOORBELL[7:0];
                tr_value = t_db_end_reg;
            end
            ACT_NEXT: begin
                tr_valid = next_go;
                tr_kind = TT_TRACE_TX_READ[7:0];
                tr_value = to_seq;
            end
            default: begin
                tr_valid = 1'b1;
                tr_kind = TT_TRACE_TX_ANSWER[7:0];
                tr_value = ans_kept[31:0];
            end
        endcase
    end
end

assign m_trace_valid = trace_on && tr_valid;
// in a hold RX_FRAMES stands still; beside the jobs, an action's order is
// the frames applied when it ends (no job's D in that cycle)
wire [31:0] tr_order = hold_mode_reg ? rx_frames : rx_frames_now;

assign m_trace_data = {tr_value, tr_order, tr_slot, 8'd0, tr_kind};

// counting
// a doorbell counts as applied unless it is ignored (empty slot,
// backwards, too far), as the model counts it
assign stat_doorbell = res && t_act_reg == ACT_DB && !to_db_ignored;
assign stat_db_ignored = db_dead || (res && t_act_reg == ACT_DB && to_db_ignored);
assign stat_rd_req = m_rd_req_valid;
assign stat_rd_stale = pick_stale;
assign stat_data_seg = ans_sending;
assign stat_probe = ans_sending && ans_kept[49:48] == KIND_PROBE;
assign stat_data_bytes = ans_sending ? ans_kept[47:32] : 16'd0;
assign stat_tx_drop_link_down = res && t_act_reg == ACT_ANS && !link_up;
assign stat_tx_drop_disabled = res && t_act_reg == ACT_ANS && link_up && !enable;
assign stat_fast_retrans = fin && f_fast_v[f_end_reg];
assign stat_ack_sent = fu_ack && send_ok;
assign stat_ack_drop_link_down = fu_ack && !link_up;
assign stat_ack_drop_disabled = fu_ack && link_up && !enable;

endmodule

`resetall
