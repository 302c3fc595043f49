// SPDX-License-Identifier: MIT
/*
 * AXI4-Lite register file and counters (TT_REGS in teamtoe_defs.vh).
 *
 *   addr   name         access  bits kept
 *   0x000  ID           RO      constant TT_CARD_ID_VALUE
 *   0x004  VERSION      RO      constant TT_CARD_VERSION
 *   0x010  CTRL         RW      bit 0 enable (other bits read 0)
 *   0x014  STATUS       RO      bit 0 link up (the input, now); bit 1 the
 *                               transmit engine has work (1.3)
 *   0x018  CARD_ID      RW      31:0
 *   0x01c  MAC_HI       RW      15:0 = mac[0] << 8 | mac[1] (31:16 read 0)
 *   0x020  MAC_LO       RW      31:0 = mac[2] in 31:24 .. mac[5] in 7:0
 *   0x024  IPV4         RW      31:0
 *   0x028  TIMER_SCALE  RW      31:0
 *   0x02c  PARAMS       RO      4:0 log2(CONN_SLOTS), 9:8 log2(ways) = 2
 *   0x040  HASH_KEY0    RW      31:0 = key bits 127:96
 *   0x044  HASH_KEY1    RW      31:0 = key bits 95:64
 *   0x048  HASH_KEY2    RW      31:0 = key bits 63:32
 *   0x04c  HASH_KEY3    RW      31:0 = key bits 31:0
 *   0x100  counters     RO      32-bit wrapping, index i at 0x100 + 4*i,
 *                               i < TT_COUNTER_COUNT; unused indices read 0
 *
 * Any other address (including ones not 4-byte aligned) answers SLVERR on
 * read; a write to any address but the RW ones answers SLVERR and changes
 * nothing. Writes honour wstrb. Everything resets to 0.
 *
 * One transaction at a time per channel: a request is accepted (ready
 * pulses for one cycle) when its response channel is free. The address
 * (and write data) are registered the cycle before ready, when the request
 * is first seen (AXI keeps them steady while valid), so the decode and the
 * read mux start from registers.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module axil_regs #
(
    // width of the byte counts added to RX_BYTES / TX_BYTES
    parameter LEN_W = 32,
    // connection slots (power of two), read back in PARAMS
    parameter CONN_SLOTS = 1024
)
(
    input  wire             clk,
    input  wire             rst,

    /* AXI4-Lite slave */
    input  wire [11:0]      s_axil_awaddr,
    input  wire             s_axil_awvalid,
    output wire             s_axil_awready,
    input  wire [31:0]      s_axil_wdata,
    input  wire [3:0]       s_axil_wstrb,
    input  wire             s_axil_wvalid,
    output wire             s_axil_wready,
    output wire [1:0]       s_axil_bresp,
    output wire             s_axil_bvalid,
    input  wire             s_axil_bready,
    input  wire [11:0]      s_axil_araddr,
    input  wire             s_axil_arvalid,
    output wire             s_axil_arready,
    output wire [31:0]      s_axil_rdata,
    output wire [1:0]       s_axil_rresp,
    output wire             s_axil_rvalid,
    input  wire             s_axil_rready,

    /* status */
    input  wire             link_up,
    input  wire             txe_busy,

    /* configuration */
    output wire             ctrl_enable,
    output wire             ctrl_trace,   // CTRL bit 1 (revision 1.3)
    output wire [7:0]       retry_limit,
    output wire [31:0]      timer_scale,
    output wire [47:0]      team_mac,     // mac[0] in 47:40
    output wire [31:0]      team_ip,
    output wire [127:0]     hash_key,     // HASH_KEY0 in 127:96

    /* RX verdicts (a frame for the engine counts as neither a drop nor
     * an exception) */
    input  wire             rx_stat_valid,
    input  wire             rx_stat_drop,
    input  wire             rx_stat_engine,
    input  wire [7:0]       rx_stat_reason,
    input  wire [LEN_W-1:0] rx_stat_len,

    /* TX */
    input  wire             tx_stat_frame,
    input  wire [LEN_W-1:0] tx_stat_len,
    input  wire             tx_stat_drop_link_down,
    input  wire             tx_stat_drop_disabled,

    /* events */
    input  wire             evt_stat_drop,

    /* receive engine (its pure ACKs also count in TX_FRAMES / TX_BYTES or
     * TX_DROP_*) */
    input  wire             eng_stat_segment,
    input  wire             eng_stat_payload,
    input  wire [15:0]      eng_stat_payload_bytes,
    input  wire             eng_stat_acked,
    input  wire [2:0]       eng_stat_note,      // enum tcp_rx_note
    input  wire             eng_stat_dupack,
    input  wire             eng_stat_ack_sent,
    input  wire             eng_stat_ack_drop_link_down,
    input  wire             eng_stat_ack_drop_disabled,

    /* timer sweep (its pure ACKs come in with the receive engine's) */
    input  wire             sweep_stat_delack,
    input  wire             sweep_stat_rto,
    input  wire             sweep_stat_rto_limit,

    /* context port: one counter index TT_CNT_CTX_* to increment */
    input  wire             txe_stat_doorbell,
    input  wire             txe_stat_db_ignored,
    input  wire             txe_stat_rd_req,
    input  wire             txe_stat_rd_stale,
    input  wire             txe_stat_data_seg,
    input  wire             txe_stat_probe,
    input  wire [15:0]      txe_stat_data_bytes,
    input  wire             txe_stat_drop_link_down,
    input  wire             txe_stat_drop_disabled,
    input  wire             txe_stat_fast_retrans,
    input  wire             ctx_stat_valid,
    input  wire [7:0]       ctx_stat_index,

    /* RX_FRAMES: the frames applied, counted in toe_nic (a frame decided
     * counts once the receive engine's jobs up to it have run) */
    input  wire [31:0]      rx_frames
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

localparam [1:0] RESP_OKAY = 2'b00;
localparam [1:0] RESP_SLVERR = 2'b10;

localparam [TT_COUNTER_COUNT-1:0] CNT_ONE = 1;
localparam [TT_COUNTER_COUNT-1:0] CNT_USED =
    (CNT_ONE << TT_CNT_RX_FRAMES) | (CNT_ONE << TT_CNT_RX_BYTES) |
    (CNT_ONE << TT_CNT_TX_FRAMES) | (CNT_ONE << TT_CNT_TX_BYTES) |
    (CNT_ONE << TT_CNT_TX_DROP_LINK_DOWN) | (CNT_ONE << TT_CNT_TX_DROP_DISABLED) |
    (CNT_ONE << TT_CNT_EVT_DROP) |
    (CNT_ONE << TT_CNT_DROP_LINK_DOWN) | (CNT_ONE << TT_CNT_DROP_DISABLED) |
    (CNT_ONE << TT_CNT_DROP_OVERSIZE) | (CNT_ONE << TT_CNT_DROP_TRUNCATED) |
    (CNT_ONE << TT_CNT_DROP_NOT_FOR_US) | (CNT_ONE << TT_CNT_DROP_BAD_IP_HDR) |
    (CNT_ONE << TT_CNT_DROP_BAD_IP_CSUM) | (CNT_ONE << TT_CNT_DROP_BAD_TCP_HDR) |
    (CNT_ONE << TT_CNT_DROP_BAD_TCP_CSUM) |
    (CNT_ONE << TT_CNT_EXC_NOT_IPV4) | (CNT_ONE << TT_CNT_EXC_FRAGMENT) |
    (CNT_ONE << TT_CNT_EXC_IP_OPTIONS) | (CNT_ONE << TT_CNT_EXC_NOT_TCP) |
    (CNT_ONE << TT_CNT_EXC_NO_MATCH) | (CNT_ONE << TT_CNT_EXC_TCP_FLAGS) |
    (CNT_ONE << TT_CNT_EXC_UNHANDLED) |
    (CNT_ONE << TT_CNT_CTX_IMPORT) | (CNT_ONE << TT_CNT_CTX_EXPORT) |
    (CNT_ONE << TT_CNT_CTX_SNAPSHOT) | (CNT_ONE << TT_CNT_CTX_FULL) |
    (CNT_ONE << TT_CNT_CTX_EXISTS) | (CNT_ONE << TT_CNT_CTX_NOT_FOUND) |
    (CNT_ONE << TT_CNT_CTX_BAD) |
    (CNT_ONE << TT_CNT_ENG_SEGMENTS) | (CNT_ONE << TT_CNT_ENG_PAYLOADS) |
    (CNT_ONE << TT_CNT_ENG_PAYLOAD_BYTES) | (CNT_ONE << TT_CNT_ENG_ACKED) |
    (CNT_ONE << TT_CNT_ENG_ACKS_SENT) | (CNT_ONE << TT_CNT_ENG_ACKS_DROPPED) |
    (CNT_ONE << TT_CNT_ENG_OUT_OF_ORDER) | (CNT_ONE << TT_CNT_ENG_DUPLICATE) |
    (CNT_ONE << TT_CNT_ENG_WINDOW_TRIM) | (CNT_ONE << TT_CNT_ENG_ZERO_WINDOW) |
    (CNT_ONE << TT_CNT_ENG_ACK_UNSENT) | (CNT_ONE << TT_CNT_ENG_DUPACKS) |
    (CNT_ONE << TT_CNT_ENG_DOORBELLS) | (CNT_ONE << TT_CNT_ENG_DB_IGNORED) |
    (CNT_ONE << TT_CNT_ENG_RD_REQS) | (CNT_ONE << TT_CNT_ENG_RD_STALE) |
    (CNT_ONE << TT_CNT_ENG_DATA_SEGS) | (CNT_ONE << TT_CNT_ENG_DATA_BYTES) |
    (CNT_ONE << TT_CNT_ENG_PROBES) | (CNT_ONE << TT_CNT_ENG_FAST_RETRANS) |
    (CNT_ONE << TT_CNT_ENG_DATA_DROPPED) |
    (CNT_ONE << TT_CNT_ENG_RTO) | (CNT_ONE << TT_CNT_ENG_DELACKS) |
    (CNT_ONE << TT_CNT_ENG_RTO_LIMIT);

// the pure ACK frame of the engine: 54 bytes
localparam [31:0] ACK_FRAME_BYTES = 32'd54;
// enum tcp_rx_note
localparam [2:0] NOTE_ACK_UNSENT = 3'd2;
localparam [2:0] NOTE_OUT_OF_ORDER = 3'd3;
localparam [2:0] NOTE_DUPLICATE = 3'd4;
localparam [2:0] NOTE_WINDOW_TRIM = 3'd5;
localparam [2:0] NOTE_ZERO_WINDOW = 3'd6;

// PARAMS: log2(TT_CONN_WAYS) = 2 in 9:8, log2(CONN_SLOTS) in 4:0
localparam integer LOG2_SLOTS = $clog2(CONN_SLOTS);
localparam [31:0] PARAMS_VALUE = (2 << 8) | (LOG2_SLOTS & 31);

localparam [11:0] CNT_END = TT_REG_COUNTER_BASE + 4*TT_COUNTER_COUNT;

/* channel state */
reg        awready_reg = 1'b0, awready_next;
reg        bvalid_reg = 1'b0, bvalid_next;
reg [1:0]  bresp_reg = 2'b00, bresp_next;
reg        arready_reg = 1'b0, arready_next;
reg        rvalid_reg = 1'b0, rvalid_next;
reg [1:0]  rresp_reg = 2'b00, rresp_next;
reg [31:0] rdata_reg = 32'd0, rdata_next;
reg [11:0] awaddr_reg = 12'd0;
reg [31:0] wdata_reg = 32'd0;
reg [3:0]  wstrb_reg = 4'd0;
reg [11:0] araddr_reg = 12'd0;

/* registers */
reg [1:0]  ctrl_reg = 2'd0, ctrl_next;      // bit 0 enable, bit 1 trace
reg [7:0]  retry_limit_reg = 8'd8, retry_limit_next;
reg [31:0] card_id_reg = 32'd0, card_id_next;
reg [15:0] mac_hi_reg = 16'd0, mac_hi_next;
reg [31:0] mac_lo_reg = 32'd0, mac_lo_next;
reg [31:0] ipv4_reg = 32'd0, ipv4_next;
reg [31:0] timer_scale_reg = 32'd0, timer_scale_next;
reg [31:0] key0_reg = 32'd0, key0_next;
reg [31:0] key1_reg = 32'd0, key1_next;
reg [31:0] key2_reg = 32'd0, key2_next;
reg [31:0] key3_reg = 32'd0, key3_next;

assign s_axil_awready = awready_reg;
assign s_axil_wready = awready_reg;
assign s_axil_bresp = bresp_reg;
assign s_axil_bvalid = bvalid_reg;
assign s_axil_arready = arready_reg;
assign s_axil_rdata = rdata_reg;
assign s_axil_rresp = rresp_reg;
assign s_axil_rvalid = rvalid_reg;

assign ctrl_enable = ctrl_reg[0];
assign ctrl_trace = ctrl_reg[1];
assign retry_limit = retry_limit_reg;
assign timer_scale = timer_scale_reg;
assign team_mac = {mac_hi_reg, mac_lo_reg};
assign team_ip = ipv4_reg;
assign hash_key = {key0_reg, key1_reg, key2_reg, key3_reg};

/* counters */
wire [32*TT_COUNTER_COUNT-1:0] cnt_flat;
wire [7:0] rx_cnt_idx = (rx_stat_drop ? TT_COUNTER_DROP_BASE[7:0] : TT_COUNTER_EXC_BASE[7:0]) +
                        rx_stat_reason;

genvar g;
generate
    for (g = 0; g < TT_COUNTER_COUNT; g = g + 1) begin : g_cnt
        if (g == TT_CNT_RX_FRAMES) begin : g_rx_frames
            assign cnt_flat[32*g +: 32] = rx_frames;
        end else if (CNT_USED[g]) begin : g_used
            reg  [31:0] cnt_reg = 32'd0;
            reg  [31:0] inc;

            always @* begin
                inc = 32'd0;
                case (g)
                    TT_CNT_RX_BYTES:          inc = rx_stat_valid ? rx_stat_len[31:0] : 32'd0;
                    TT_CNT_TX_FRAMES:         inc = {31'd0, tx_stat_frame} + {31'd0, eng_stat_ack_sent} +
                                                    {31'd0, txe_stat_data_seg};
                    TT_CNT_TX_BYTES:          inc = (tx_stat_frame ? tx_stat_len[31:0] : 32'd0) +
                                                    (eng_stat_ack_sent ? ACK_FRAME_BYTES : 32'd0) +
                                                    (txe_stat_data_seg ? ACK_FRAME_BYTES +
                                                     {16'd0, txe_stat_data_bytes} : 32'd0);
                    TT_CNT_TX_DROP_LINK_DOWN: inc = {31'd0, tx_stat_drop_link_down} +
                                                    {31'd0, eng_stat_ack_drop_link_down} +
                                                    {31'd0, txe_stat_drop_link_down};
                    TT_CNT_TX_DROP_DISABLED:  inc = {31'd0, tx_stat_drop_disabled} +
                                                    {31'd0, eng_stat_ack_drop_disabled} +
                                                    {31'd0, txe_stat_drop_disabled};
                    TT_CNT_ENG_DOORBELLS:     inc = {31'd0, txe_stat_doorbell};
                    TT_CNT_ENG_DB_IGNORED:    inc = {31'd0, txe_stat_db_ignored};
                    TT_CNT_ENG_RD_REQS:       inc = {31'd0, txe_stat_rd_req};
                    TT_CNT_ENG_RD_STALE:      inc = {31'd0, txe_stat_rd_stale};
                    TT_CNT_ENG_DATA_SEGS:     inc = {31'd0, txe_stat_data_seg};
                    TT_CNT_ENG_DATA_BYTES:    inc = {16'd0, txe_stat_data_bytes};
                    TT_CNT_ENG_PROBES:        inc = {31'd0, txe_stat_probe};
                    TT_CNT_ENG_FAST_RETRANS:  inc = {31'd0, txe_stat_fast_retrans};
                    TT_CNT_ENG_DATA_DROPPED:  inc = {31'd0, txe_stat_drop_link_down ||
                                                           txe_stat_drop_disabled};
                    TT_CNT_ENG_RTO:           inc = {31'd0, sweep_stat_rto};
                    TT_CNT_ENG_DELACKS:       inc = {31'd0, sweep_stat_delack};
                    TT_CNT_ENG_RTO_LIMIT:     inc = {31'd0, sweep_stat_rto_limit};
                    TT_CNT_EVT_DROP:          inc = {31'd0, evt_stat_drop};
                    TT_CNT_CTX_IMPORT, TT_CNT_CTX_EXPORT, TT_CNT_CTX_SNAPSHOT,
                    TT_CNT_CTX_FULL, TT_CNT_CTX_EXISTS, TT_CNT_CTX_NOT_FOUND,
                    TT_CNT_CTX_BAD:           inc = {31'd0, ctx_stat_valid && ctx_stat_index == g};
                    TT_CNT_ENG_SEGMENTS:      inc = {31'd0, eng_stat_segment};
                    TT_CNT_ENG_PAYLOADS:      inc = {31'd0, eng_stat_payload};
                    TT_CNT_ENG_PAYLOAD_BYTES: inc = {16'd0, eng_stat_payload_bytes};
                    TT_CNT_ENG_ACKED:         inc = {31'd0, eng_stat_acked};
                    TT_CNT_ENG_ACKS_SENT:     inc = {31'd0, eng_stat_ack_sent};
                    TT_CNT_ENG_ACKS_DROPPED:  inc = {31'd0, eng_stat_ack_drop_link_down ||
                                                           eng_stat_ack_drop_disabled};
                    TT_CNT_ENG_OUT_OF_ORDER:  inc = {31'd0, eng_stat_note == NOTE_OUT_OF_ORDER};
                    TT_CNT_ENG_DUPLICATE:     inc = {31'd0, eng_stat_note == NOTE_DUPLICATE};
                    TT_CNT_ENG_WINDOW_TRIM:   inc = {31'd0, eng_stat_note == NOTE_WINDOW_TRIM};
                    TT_CNT_ENG_ZERO_WINDOW:   inc = {31'd0, eng_stat_note == NOTE_ZERO_WINDOW};
                    TT_CNT_ENG_ACK_UNSENT:    inc = {31'd0, eng_stat_note == NOTE_ACK_UNSENT};
                    TT_CNT_ENG_DUPACKS:       inc = {31'd0, eng_stat_dupack};
                    default:                  inc = {31'd0, rx_stat_valid && !rx_stat_engine &&
                                                           rx_cnt_idx == g};
                endcase
            end

            always @(posedge clk) begin
                cnt_reg <= cnt_reg + inc;

                if (rst) begin
                    cnt_reg <= 32'd0;
                end
            end

            assign cnt_flat[32*g +: 32] = cnt_reg;
        end else begin : g_unused
            assign cnt_flat[32*g +: 32] = 32'd0;
        end
    end
endgenerate


// byte-strobed update of a register
function [31:0] strobe(input [31:0] old, input [31:0] data, input [3:0] strb);
    integer b;
    begin
        for (b = 0; b < 4; b = b + 1) begin
            strobe[8*b +: 8] = strb[b] ? data[8*b +: 8] : old[8*b +: 8];
        end
    end
endfunction

// counter reads decoded when the address is registered: is it a counter,
// and which (TT_REG_COUNTER_BASE is a multiple of 4*TT_COUNTER_COUNT, so
// the index is the low address bits)
localparam CNT_IDX_W = $clog2(TT_COUNTER_COUNT);

reg                 rd_is_cnt_reg = 1'b0;
reg [CNT_IDX_W-1:0] rd_cnt_idx_reg = {CNT_IDX_W{1'b0}};

wire [31:0] rd_cnt_val = cnt_flat[32*rd_cnt_idx_reg +: 32];

initial begin
    if ((1 << CNT_IDX_W) != TT_COUNTER_COUNT || (TT_REG_COUNTER_BASE % (4*TT_COUNTER_COUNT)) != 0) begin
        $error("axil_regs: TT_COUNTER_COUNT must be a power of two dividing TT_REG_COUNTER_BASE/4");
        $finish;
    end
end

always @* begin
    awready_next = 1'b0;
    bvalid_next = bvalid_reg && !s_axil_bready;
    bresp_next = bresp_reg;
    arready_next = 1'b0;
    rvalid_next = rvalid_reg && !s_axil_rready;
    rresp_next = rresp_reg;
    rdata_next = rdata_reg;

    ctrl_next = ctrl_reg;
    retry_limit_next = retry_limit_reg;
    card_id_next = card_id_reg;
    mac_hi_next = mac_hi_reg;
    mac_lo_next = mac_lo_reg;
    ipv4_next = ipv4_reg;
    timer_scale_next = timer_scale_reg;
    key0_next = key0_reg;
    key1_next = key1_reg;
    key2_next = key2_reg;
    key3_next = key3_reg;

    // write: accept when address and data are both there and B is free
    if (s_axil_awvalid && s_axil_wvalid && !awready_reg && (!bvalid_reg || s_axil_bready)) begin
        awready_next = 1'b1;
    end

    if (awready_reg && s_axil_awvalid && s_axil_wvalid) begin
        bvalid_next = 1'b1;
        bresp_next = RESP_OKAY;
        case (awaddr_reg)
            TT_REG_CTRL: begin
                if (wstrb_reg[0]) begin
                    ctrl_next = wdata_reg[1:0];
                end
            end
            TT_REG_CARD_ID: card_id_next = strobe(card_id_reg, wdata_reg, wstrb_reg);
            TT_REG_MAC_HI: begin
                mac_hi_next = {wstrb_reg[1] ? wdata_reg[15:8] : mac_hi_reg[15:8],
                               wstrb_reg[0] ? wdata_reg[7:0] : mac_hi_reg[7:0]};
            end
            TT_REG_MAC_LO: mac_lo_next = strobe(mac_lo_reg, wdata_reg, wstrb_reg);
            TT_REG_IPV4: ipv4_next = strobe(ipv4_reg, wdata_reg, wstrb_reg);
            TT_REG_TIMER_SCALE: timer_scale_next = strobe(timer_scale_reg, wdata_reg, wstrb_reg);
            TT_REG_RETRY_LIMIT: begin
                if (wstrb_reg[0]) begin
                    retry_limit_next = wdata_reg[7:0];
                end
            end
            TT_REG_HASH_KEY0: key0_next = strobe(key0_reg, wdata_reg, wstrb_reg);
            TT_REG_HASH_KEY1: key1_next = strobe(key1_reg, wdata_reg, wstrb_reg);
            TT_REG_HASH_KEY2: key2_next = strobe(key2_reg, wdata_reg, wstrb_reg);
            TT_REG_HASH_KEY3: key3_next = strobe(key3_reg, wdata_reg, wstrb_reg);
            default: bresp_next = RESP_SLVERR;
        endcase
    end

    // read: accept when R is free
    if (s_axil_arvalid && !arready_reg && (!rvalid_reg || s_axil_rready)) begin
        arready_next = 1'b1;
    end

    if (arready_reg && s_axil_arvalid) begin
        rvalid_next = 1'b1;
        rresp_next = RESP_OKAY;
        rdata_next = 32'd0;
        if (rd_is_cnt_reg) begin
            rdata_next = rd_cnt_val;
        end else begin
            case (araddr_reg)
                TT_REG_ID: rdata_next = TT_CARD_ID_VALUE;
                TT_REG_VERSION: rdata_next = TT_CARD_VERSION;
                TT_REG_CTRL: rdata_next = {30'd0, ctrl_reg};
                TT_REG_RETRY_LIMIT: rdata_next = {24'd0, retry_limit_reg};
                TT_REG_STATUS: rdata_next = {30'd0, txe_busy, link_up};
                TT_REG_CARD_ID: rdata_next = card_id_reg;
                TT_REG_MAC_HI: rdata_next = {16'd0, mac_hi_reg};
                TT_REG_MAC_LO: rdata_next = mac_lo_reg;
                TT_REG_IPV4: rdata_next = ipv4_reg;
                TT_REG_TIMER_SCALE: rdata_next = timer_scale_reg;
                TT_REG_PARAMS: rdata_next = PARAMS_VALUE;
                TT_REG_HASH_KEY0: rdata_next = key0_reg;
                TT_REG_HASH_KEY1: rdata_next = key1_reg;
                TT_REG_HASH_KEY2: rdata_next = key2_reg;
                TT_REG_HASH_KEY3: rdata_next = key3_reg;
                default: rresp_next = RESP_SLVERR;
            endcase
        end
    end
end

always @(posedge clk) begin
    // the request seen before ready: its address and data
    if (awready_next) begin
        awaddr_reg <= s_axil_awaddr;
        wdata_reg <= s_axil_wdata;
        wstrb_reg <= s_axil_wstrb;
    end
    if (arready_next) begin
        araddr_reg <= s_axil_araddr;
        rd_is_cnt_reg <= (s_axil_araddr >= TT_REG_COUNTER_BASE) && (s_axil_araddr < CNT_END) &&
                         (s_axil_araddr[1:0] == 2'b00);
        rd_cnt_idx_reg <= s_axil_araddr[2 +: CNT_IDX_W];
    end

    awready_reg <= awready_next;
    bvalid_reg <= bvalid_next;
    bresp_reg <= bresp_next;
    arready_reg <= arready_next;
    rvalid_reg <= rvalid_next;
    rresp_reg <= rresp_next;
    rdata_reg <= rdata_next;

    ctrl_reg <= ctrl_next;
    retry_limit_reg <= retry_limit_next;
    card_id_reg <= card_id_next;
    mac_hi_reg <= mac_hi_next;
    mac_lo_reg <= mac_lo_next;
    ipv4_reg <= ipv4_next;
    timer_scale_reg <= timer_scale_next;
    key0_reg <= key0_next;
    key1_reg <= key1_next;
    key2_reg <= key2_next;
    key3_reg <= key3_next;

    if (rst) begin
        awready_reg <= 1'b0;
        bvalid_reg <= 1'b0;
        arready_reg <= 1'b0;
        rvalid_reg <= 1'b0;
        ctrl_reg <= 2'd0;
        retry_limit_reg <= 8'd8;
        card_id_reg <= 32'd0;
        mac_hi_reg <= 16'd0;
        mac_lo_reg <= 32'd0;
        ipv4_reg <= 32'd0;
        timer_scale_reg <= 32'd0;
        key0_reg <= 32'd0;
        key1_reg <= 32'd0;
        key2_reg <= 32'd0;
        key3_reg <= 32'd0;
    end
end

endmodule

`resetall
