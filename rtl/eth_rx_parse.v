// SPDX-License-Identifier: MIT
/*
 * Receive parser: watches the beats of a frame as they are accepted,
 * captures the header fields, sums the IPv4 header and TCP checksums
 * (two csum_acc), and one cycle after the last beat gives the verdict of
 * rtl/README.md (first match wins).
 *
 * Fields read (byte offsets in the frame; beat = offset / 8, byte lane =
 * offset % 8, lane i is tdata[8*i+7:8*i]):
 *
 *   offset  bytes  field                      beat  lanes
 *   ------  -----  -------------------------  ----  -----
 *    0      6      destination MAC            0     0-5
 *   12      2      ethertype                  1     4-5
 *   14      1      version (7:4), IHL (3:0)   1     6
 *   16      2      IPv4 total length          2     0-1
 *   20      2      flags (MF = bit 13),       2     4-5
 *                  fragment offset (12:0)
 *   23      1      protocol                   2     7
 *   26     12      4-tuple (src IP, dst IP,   3,4   2-7, 0-5
 *                  src port, dst port)
 *   30      4      destination IPv4           3,4   6-7, 0-1
 *   46      1      TCP data offset (7:4)      5     6
 *   47      1      TCP flags (URG 5, RST 2,   5     7
 *                  SYN 1, FIN 0)
 *
 *   IPv4 header checksum: bytes [14, 14 + 4*IHL)
 *   TCP checksum: bytes [26, 14 + total length) -- src and dst IPv4 of the
 *     pseudo-header are bytes 26..33 of the frame, so they are summed in
 *     place -- plus 6 + (total length - 20) added at beat 3. Checked only
 *     when IHL = 5, so the segment starts at byte 34.
 *
 * Fields of beats a short frame never had keep stale values; the verdict
 * only looks at a field after a length check proved its bytes arrived.
 *
 * The link and CTRL.enable are sampled with the first beat; the team MAC
 * and IPv4 address when their bytes arrive.
 *
 * Timing: the beat with tlast is accepted in cycle E; the verdict is valid
 * in cycle E+1 only (no back-pressure), combinational from registers. The
 * next frame may start in cycle E+1.
 *
 * store_ok tells whether a beat accepted now is worth storing: not when the
 * frame is dropped from its first beat (link down, disabled) nor past
 * TT_MAX_FRAME. It does not depend on s_tdata/s_tvalid.
 *
 * Connection lookup: the 4-tuple goes out in two halves as its beats are
 * accepted, tuple_hi (bytes 26..31) with beat 3 and tuple_lo (bytes
 * 32..37) with beat 4 unless beat 4 is the last one (such a frame cannot
 * reach NO_MATCH). lookup_hit / lookup_slot must hold the result for this
 * frame's tuple in its verdict cycle (conn_table gives it 3 cycles after
 * tuple_lo_valid; a frame that can reach NO_MATCH has at least 7 beats, so
 * its verdict comes 3 cycles after beat 4 at the earliest). A NO_MATCH
 * verdict becomes TCP_FLAGS or UNHANDLED with the slot on a hit.
 *
 * lookup_quiet: the next beat accepted is one of beats 0..3 of a frame (or
 * the first of the next frame): no lookup starts this cycle, and every
 * frame that started one has had its last beat. ctx_port runs a command's
 * table access only in such a cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module eth_rx_parse #
(
    // width of the byte counters (frame length)
    parameter LEN_W = 32
)
(
    input  wire             clk,
    input  wire             rst,

    /* accepted beats of the received frame */
    input  wire [63:0]      s_tdata,
    input  wire [7:0]       s_tkeep,
    input  wire             s_tlast,
    input  wire             s_beat,      // tvalid && tready

    /* state sampled at the frame's first beat / field beats */
    input  wire             link_up,
    input  wire             enable,
    input  wire [47:0]      team_mac,    // mac[0] in bits 47:40
    input  wire [31:0]      team_ip,     // a.b.c.d = a<<24|..|d

    /* storage hint for the beat accepted now */
    output wire             store_ok,

    /* connection lookup */
    output wire [47:0]      tuple_hi,       // src IP, dst IP[31:16]
    output wire             tuple_hi_valid,
    output wire [47:0]      tuple_lo,       // dst IP[15:0], src port, dst port
    output wire             tuple_lo_valid,
    input  wire             lookup_hit,
    input  wire [15:0]      lookup_slot,
    output wire             lookup_quiet,

    /* verdict, one cycle after the last beat */
    output reg              verdict_valid,
    output reg              verdict_drop,   // 1 drop, 0 exception
    output reg  [7:0]       verdict_reason, // TT_DROP_* or TT_EXC_*
    output reg  [15:0]      verdict_slot,   // TT_SLOT_NONE unless a lookup hit
    output wire [LEN_W-1:0] verdict_len
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

initial begin
    if (LEN_W < 17) begin
        $error("eth_rx_parse: LEN_W must be at least 17");
        $finish;
    end
end

/* frame state */
reg             in_frame_reg = 1'b0, in_frame_next;   // between first and last beat
reg [3:0]       beat_reg = 4'd0, beat_next;           // beat index, saturates at 15
reg [LEN_W-1:0] off_reg = {LEN_W{1'b0}}, off_next;    // offset of the beat
reg [LEN_W-1:0] len_reg = {LEN_W{1'b0}}, len_next;    // length at tlast
reg             fin_reg = 1'b0, fin_next;             // verdict cycle

/* sampled at the first beat */
reg             link_down_reg = 1'b0, link_down_next;
reg             disabled_reg = 1'b0, disabled_next;

/* header fields */
reg             mac_ok_reg = 1'b0, mac_ok_next;
reg [15:0]      ethertype_reg = 16'd0, ethertype_next;
reg [3:0]       version_reg = 4'd0, version_next;
reg [3:0]       ihl_reg = 4'd0, ihl_next;
reg [15:0]      total_len_reg = 16'd0, total_len_next;
reg [15:0]      frag_reg = 16'd0, frag_next;
reg [7:0]       proto_reg = 8'd0, proto_next;
reg [15:0]      dst_ip_hi_reg = 16'd0, dst_ip_hi_next;
reg             ip_ok_reg = 1'b0, ip_ok_next;
reg [3:0]       doff_reg = 4'd0, doff_next;
reg [7:0]       tcp_flags_reg = 8'd0, tcp_flags_next;

/* bytes in the beat (tkeep is contiguous from bit 0) */
reg [3:0] keep_cnt;
integer k;

always @* begin
    keep_cnt = 4'd0;
    for (k = 0; k < 8; k = k + 1) begin
        keep_cnt = keep_cnt + {3'd0, s_tkeep[k]};
    end
end

wire first_beat = !in_frame_reg;

wire [47:0] mac_wire = {team_mac[7:0], team_mac[15:8], team_mac[23:16],
                        team_mac[31:24], team_mac[39:32], team_mac[47:40]};

/* checksum byte masks */
wire [6:0]  beat_off = {beat_reg, 3'b000};            // offset if beat <= 15
wire [3:0]  ihl_cur = (beat_reg == 4'd1) ? s_tdata[51:48] : ihl_reg;
wire [6:0]  ip_end = 7'd14 + {1'b0, ihl_cur, 2'b00};
wire [16:0] tcp_end = 17'd14 + {1'b0, total_len_reg};
wire [17:0] tcp_rem = {1'b0, tcp_end} - {1'b0, off_reg[16:0]};
wire        tcp_past = tcp_rem[17] || (tcp_rem == 18'd0) ||
                       ((off_reg >> 17) != {LEN_W{1'b0}});

reg [7:0] ip_mask;
reg [7:0] tcp_mask;
reg [6:0] lane_off;
integer i;

always @* begin
    for (i = 0; i < 8; i = i + 1) begin
        lane_off = beat_off + i[6:0];
        ip_mask[i] = (beat_reg < 4'd10) && (lane_off >= 7'd14) && (lane_off < ip_end);
        tcp_mask[i] = ((beat_reg >= 4'd4) || (lane_off >= 7'd26)) && !tcp_past &&
                      ((tcp_rem[16:3] != 14'd0) || (tcp_rem[2:0] > i[2:0]));
    end
end

// pseudo-header constants: protocol 6 + TCP length (total length - 20)
wire [15:0] tcp_extra = (beat_reg == 4'd3) ? (total_len_reg - 16'd14) : 16'd0;

wire [15:0] ip_csum;
wire [15:0] tcp_csum;
wire [31:0] ip_sum_unused;
wire [31:0] tcp_sum_unused;

csum_acc ip_csum_inst (
    .clk(clk),
    .rst(rst),
    .s_data(s_tdata),
    .s_mask(ip_mask),
    .s_extra(16'd0),
    .s_valid(s_beat),
    .s_first(first_beat),
    .sum(ip_sum_unused),
    .csum(ip_csum)
);

csum_acc tcp_csum_inst (
    .clk(clk),
    .rst(rst),
    .s_data(s_tdata),
    .s_mask(tcp_mask),
    .s_extra(tcp_extra),
    .s_valid(s_beat),
    .s_first(first_beat),
    .sum(tcp_sum_unused),
    .csum(tcp_csum)
);

localparam [LEN_W-1:0] MAX_FRAME = TT_MAX_FRAME;

// a byte of the beat, lane 0..7
function [7:0] lane(input [63:0] d, input integer n);
    lane = d[8*n +: 8];
endfunction

assign tuple_hi = {lane(s_tdata, 2), lane(s_tdata, 3), lane(s_tdata, 4),
                   lane(s_tdata, 5), lane(s_tdata, 6), lane(s_tdata, 7)};
assign tuple_lo = {lane(s_tdata, 0), lane(s_tdata, 1), lane(s_tdata, 2),
                   lane(s_tdata, 3), lane(s_tdata, 4), lane(s_tdata, 5)};
// beat_reg is 0 between frames, so beat 3 / 4 are never a first beat
assign tuple_hi_valid = s_beat && (beat_reg == 4'd3);
assign tuple_lo_valid = s_beat && (beat_reg == 4'd4) && !s_tlast;
assign lookup_quiet = (beat_reg < 4'd4);

// SYN, FIN, RST or URG
wire tcp_flags_special = (tcp_flags_reg & 8'h27) != 8'd0;

assign store_ok = first_beat ? (link_up && enable)
                             : (!link_down_reg && !disabled_reg && off_reg < MAX_FRAME);

always @* begin
    in_frame_next = in_frame_reg;
    beat_next = beat_reg;
    off_next = off_reg;
    len_next = len_reg;
    fin_next = 1'b0;

    link_down_next = link_down_reg;
    disabled_next = disabled_reg;

    mac_ok_next = mac_ok_reg;
    ethertype_next = ethertype_reg;
    version_next = version_reg;
    ihl_next = ihl_reg;
    total_len_next = total_len_reg;
    frag_next = frag_reg;
    proto_next = proto_reg;
    dst_ip_hi_next = dst_ip_hi_reg;
    ip_ok_next = ip_ok_reg;
    doff_next = doff_reg;
    tcp_flags_next = tcp_flags_reg;

    if (s_beat) begin
        if (first_beat) begin
            link_down_next = !link_up;
            disabled_next = !enable;
        end

        case (first_beat ? 4'd0 : beat_reg)
            4'd0: begin
                mac_ok_next = (s_tdata[47:0] == mac_wire) || (s_tdata[47:0] == 48'hffffffffffff);
            end
            4'd1: begin
                ethertype_next = {s_tdata[39:32], s_tdata[47:40]};
                version_next = s_tdata[55:52];
                ihl_next = s_tdata[51:48];
            end
            4'd2: begin
                total_len_next = {s_tdata[7:0], s_tdata[15:8]};
                frag_next = {s_tdata[39:32], s_tdata[47:40]};
                proto_next = s_tdata[63:56];
            end
            4'd3: begin
                dst_ip_hi_next = {s_tdata[55:48], s_tdata[63:56]};
            end
            4'd4: begin
                ip_ok_next = ({dst_ip_hi_reg, s_tdata[7:0], s_tdata[15:8]} == team_ip);
            end
            4'd5: begin
                doff_next = s_tdata[55:52];
                tcp_flags_next = s_tdata[63:56];
            end
            default: begin
            end
        endcase

        if (s_tlast) begin
            in_frame_next = 1'b0;
            beat_next = 4'd0;
            off_next = {LEN_W{1'b0}};
            len_next = off_reg + {{(LEN_W-4){1'b0}}, keep_cnt};
            fin_next = 1'b1;
        end else begin
            in_frame_next = 1'b1;
            beat_next = (beat_reg == 4'd15) ? beat_reg : beat_reg + 4'd1;
            off_next = off_reg + 8;
        end
    end
end

always @(posedge clk) begin
    in_frame_reg <= in_frame_next;
    beat_reg <= beat_next;
    off_reg <= off_next;
    len_reg <= len_next;
    fin_reg <= fin_next;

    link_down_reg <= link_down_next;
    disabled_reg <= disabled_next;

    mac_ok_reg <= mac_ok_next;
    ethertype_reg <= ethertype_next;
    version_reg <= version_next;
    ihl_reg <= ihl_next;
    total_len_reg <= total_len_next;
    frag_reg <= frag_next;
    proto_reg <= proto_next;
    dst_ip_hi_reg <= dst_ip_hi_next;
    ip_ok_reg <= ip_ok_next;
    doff_reg <= doff_next;
    tcp_flags_reg <= tcp_flags_next;

    if (rst) begin
        in_frame_reg <= 1'b0;
        beat_reg <= 4'd0;
        off_reg <= {LEN_W{1'b0}};
        fin_reg <= 1'b0;
    end
end

/* the verdict table, first match wins */
wire [LEN_W-1:0] ip_hdr_len = {{(LEN_W-6){1'b0}}, ihl_reg, 2'b00};
wire [LEN_W-1:0] ip_tot_len = {{(LEN_W-16){1'b0}}, total_len_reg};
wire [15:0]      tcp_len = total_len_reg - 16'd20;

assign verdict_len = len_reg;

always @* begin
    verdict_valid = fin_reg;
    verdict_drop = 1'b1;
    verdict_reason = 8'd0;
    verdict_slot = TT_SLOT_NONE;

    if (link_down_reg) begin
        verdict_reason = TT_DROP_LINK_DOWN;
    end else if (disabled_reg) begin
        verdict_reason = TT_DROP_DISABLED;
    end else if (len_reg > MAX_FRAME) begin
        verdict_reason = TT_DROP_OVERSIZE;
    end else if (len_reg < 14) begin
        verdict_reason = TT_DROP_TRUNCATED;
    end else if (!mac_ok_reg) begin
        verdict_reason = TT_DROP_NOT_FOR_US;
    end else if (ethertype_reg != 16'h0800) begin
        verdict_drop = 1'b0;
        verdict_reason = TT_EXC_NOT_IPV4;
    end else if (len_reg < 34) begin
        verdict_reason = TT_DROP_TRUNCATED;
    end else if (version_reg != 4'd4 || ihl_reg < 4'd5) begin
        verdict_reason = TT_DROP_BAD_IP_HDR;
    end else if (14 + ip_hdr_len > len_reg) begin
        verdict_reason = TT_DROP_TRUNCATED;
    end else if (ip_tot_len < ip_hdr_len) begin
        verdict_reason = TT_DROP_BAD_IP_HDR;
    end else if (14 + ip_tot_len > len_reg) begin
        verdict_reason = TT_DROP_TRUNCATED;
    end else if (ip_csum != 16'hffff) begin
        verdict_reason = TT_DROP_BAD_IP_CSUM;
    end else if (!ip_ok_reg) begin
        verdict_reason = TT_DROP_NOT_FOR_US;
    end else if (frag_reg[13] || frag_reg[12:0] != 13'd0) begin
        verdict_drop = 1'b0;
        verdict_reason = TT_EXC_FRAGMENT;
    end else if (ihl_reg != 4'd5) begin
        verdict_drop = 1'b0;
        verdict_reason = TT_EXC_IP_OPTIONS;
    end else if (proto_reg != 8'd6) begin
        verdict_drop = 1'b0;
        verdict_reason = TT_EXC_NOT_TCP;
    end else if (tcp_len < 16'd20) begin
        verdict_reason = TT_DROP_BAD_TCP_HDR;
    end else if (doff_reg < 4'd5 || {10'd0, doff_reg, 2'b00} > tcp_len) begin
        verdict_reason = TT_DROP_BAD_TCP_HDR;
    end else if (tcp_csum != 16'hffff) begin
        verdict_reason = TT_DROP_BAD_TCP_CSUM;
    end else if (lookup_hit) begin
        verdict_drop = 1'b0;
        verdict_reason = tcp_flags_special ? TT_EXC_TCP_FLAGS : TT_EXC_UNHANDLED;
        verdict_slot = lookup_slot;
    end else begin
        verdict_drop = 1'b0;
        verdict_reason = TT_EXC_NO_MATCH;
    end
end

endmodule

`resetall
