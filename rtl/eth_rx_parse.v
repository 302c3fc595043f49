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
 *   38      4      TCP sequence number        4,5   6-7, 0-1
 *   42      4      TCP acknowledgment number  5     2-5
 *   46      1      TCP data offset (7:4)      5     6
 *   47      1      TCP flags (URG 5, ACK 4,   5     7
 *                  RST 2, SYN 1, FIN 0)
 *   48      2      TCP window                 6     0-1
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
 * in cycle E+7 only (VERDICT_LAT; no back-pressure), from registers. The
 * next frame may start in cycle E+1, so up to 7 verdicts are in flight.
 *
 *   cycle  what happens
 *   -----  ------------------------------------------------------------
 *   E      last beat; its byte masks were registered with the beat before
 *   E+1    length checks and the rest of the table but the checksums and
 *          the lookup, as two first-match groups (before / after the IP
 *          checksum), registered
 *   E+4    the checksum folds of both sums (csum_acc) are registered
 *   E+6    the verdict: group A, IP checksum, group B, TCP checksum,
 *          lookup, registered
 *   E+7    verdict_valid
 *
 * store_ok tells whether a beat accepted now is worth storing: not when the
 * frame is dropped from its first beat (link down, disabled) nor past
 * TT_MAX_FRAME. It does not depend on s_tdata/s_tvalid.
 *
 * Connection lookup: the 4-tuple goes out in two halves as its beats are
 * accepted, tuple_hi (bytes 26..31) with beat 3 and tuple_lo (bytes
 * 32..37) with beat 4 unless beat 4 is the last one (such a frame cannot
 * reach NO_MATCH); conn_table keeps the bucket and the tuple. A frame of
 * 7 beats or more (beat 5 not the last; only such a frame can reach
 * NO_MATCH) is a lookup frame: lookup_start pulses in E+1, the table reads
 * its row in E+2 and gives lookup_hit / lookup_slot from E+6, when the
 * verdict (E+6) uses them; they hold until the next lookup frame's
 * E'+6 > E+7. A NO_MATCH verdict on a hit becomes, with the slot:
 * TCP_FLAGS (SYN/FIN/RST/URG), UNHANDLED (ACK clear), else a frame for
 * the receive engine (verdict_engine; kept in the FIFO only if it has
 * payload, verdict_drop says which, and counted as neither a drop nor an
 * exception).
 *
 * Segment fields for the engine: seg_seq, seg_ack, seg_wnd, seg_plen
 * (payload bytes, total length - 20 - 4 * data offset) and seg_hlen
 * (payload offset in the frame, 34 + 4 * data offset) of a lookup frame
 * are registered in E+1 and hold from E+2 until the next lookup frame's
 * E'+1 >= E+8; they mean something only for a frame that reaches the
 * engine.
 *
 * lookup_quiet (a register): a context command may read the table in
 * this cycle R and write it in R+3. The next beat is one of beats 0..4
 * (so no lookup frame ends before R+2) and no lookup frame had its last
 * beat 1..4 cycles ago. Then every lookup frame either had its last beat
 * 5 or more cycles before R (row read by R-3, verdict by R+2: both before
 * the write) or has it in R+2 or later (row read in R+4 or later, verdict
 * after R+3: both after the write); ctx_port runs a command's table access
 * only in such a cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module eth_rx_parse #
(
    // width of the byte counters (frame length)
    parameter LEN_W = 32,
    // cycles from the last beat to the verdict (fixed; toe_nic sizes its
    // FIFO reservations with it)
    parameter VERDICT_LAT = 7
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
    output wire             lookup_start,   // E+1 of a lookup frame
    input  wire             lookup_hit,
    input  wire [15:0]      lookup_slot,
    output wire             lookup_quiet,

    /* segment fields of the last lookup frame, for the receive engine */
    output wire [31:0]      seg_seq,
    output wire [31:0]      seg_ack,
    output wire [15:0]      seg_wnd,
    output wire [15:0]      seg_plen,
    output wire [6:0]       seg_hlen,

    /* verdict, VERDICT_LAT cycles after the last beat */
    output wire             verdict_valid,
    output wire             verdict_drop,   // 1 roll the frame back, 0 keep it
    output wire             verdict_engine, // a segment for the receive engine
    output wire [7:0]       verdict_reason, // TT_DROP_* or TT_EXC_* (not engine)
    output wire [15:0]      verdict_slot,   // TT_SLOT_NONE unless a lookup hit
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
    if (VERDICT_LAT != 7) begin
        $error("eth_rx_parse: VERDICT_LAT is 7 (the pipeline below)");
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
reg [31:0]      seq_reg = 32'd0, seq_next;
reg [31:0]      ack_reg = 32'd0, ack_next;
reg [15:0]      wnd_reg = 16'd0, wnd_next;

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

/* checksum byte masks of the beat at index beat_reg, registered with the
 * beat before (beat 0 masks nothing). The IP header of a frame that can
 * reach the IP checksum check has IHL >= 5, so bytes 14..33 (the end of
 * beat 1 to the start of beat 4) are always in it; from beat 4 on, ihl_reg
 * bounds it. TCP: bytes [26, 14 + total length); tcp_rem_reg counts the
 * TCP bytes from the beat at beat_reg on (0 when past), set from the total
 * length at beat 2. The pseudo-header constant 6 + (total length - 20)
 * takes the place of bytes 24..25 (outside the TCP range) in beat 3. */
reg [7:0]  ip_mask_reg = 8'd0, ip_mask_next;
reg [7:0]  tcp_mask_reg = 8'd0, tcp_mask_next;
reg [16:0] tcp_rem_reg = 17'd0, tcp_rem_next;
reg        tcp_xtra_reg = 1'b0, tcp_xtra_next;     // beat 3: pseudo-header word
reg [15:0] tcp_extra_reg = 16'd0, tcp_extra_next;

// IPv4 header byte mask of beat b (4..9) for a header of ihl words
function [7:0] ip_lanes(input [3:0] b, input [3:0] ihl);
    integer n;
    reg [7:0] lane_off;
    begin
        for (n = 0; n < 8; n = n + 1) begin
            lane_off = {1'b0, b, 3'b000} + n[7:0];
            ip_lanes[n] = (lane_off < 8'd14 + {2'b00, ihl, 2'b00});
        end
    end
endfunction

// TCP byte mask of the beat after one with rem TCP bytes left from its
// start, base bytes before it: lane n is in if rem > base + n (compares
// with constants, no subtraction on the way to the mask)
function [7:0] tcp_lanes(input [16:0] rem, input integer base);
    integer n;
    begin
        for (n = 0; n < 8; n = n + 1) begin
            tcp_lanes[n] = ({15'd0, rem} > base + n);
        end
    end
endfunction

wire [63:0] tcp_data = tcp_xtra_reg ? {s_tdata[63:16], tcp_extra_reg[7:0], tcp_extra_reg[15:8]}
                                    : s_tdata;

wire [15:0] ip_csum_unused;
wire [15:0] tcp_csum_unused;
wire        ip_csum_ok;
wire        tcp_csum_ok;

csum_acc ip_csum_inst (
    .clk(clk),
    .rst(rst),
    .s_data(s_tdata),
    .s_mask(ip_mask_reg),
    .s_valid(s_beat),
    .s_first(first_beat),
    .csum(ip_csum_unused),
    .csum_ok(ip_csum_ok)
);

csum_acc tcp_csum_inst (
    .clk(clk),
    .rst(rst),
    .s_data(tcp_data),
    .s_mask(tcp_mask_reg),
    .s_valid(s_beat),
    .s_first(first_beat),
    .csum(tcp_csum_unused),
    .csum_ok(tcp_csum_ok)
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

/* lookup frames: lk_frame_reg from beat 5 to the last beat; lk_age_reg[k]
 * is set when a lookup frame had its last beat k+1 cycles ago; lk_end is
 * its last beat now */
reg       lk_frame_reg = 1'b0, lk_frame_next;
reg [2:0] lk_age_reg = 3'd0;
reg       lk_end;
reg       quiet_reg = 1'b1;

assign lookup_start = lk_age_reg[0];
assign lookup_quiet = quiet_reg;

// store_more_reg: a later beat of this frame is worth storing (registered
// with the beat before: link and enable at the first beat, offset below
// TT_MAX_FRAME)
reg store_more_reg = 1'b0, store_more_next;

assign store_ok = first_beat ? (link_up && enable) : store_more_reg;

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
    seq_next = seq_reg;
    ack_next = ack_reg;
    wnd_next = wnd_reg;

    ip_mask_next = ip_mask_reg;
    tcp_mask_next = tcp_mask_reg;
    tcp_rem_next = tcp_rem_reg;
    tcp_xtra_next = tcp_xtra_reg;
    tcp_extra_next = tcp_extra_reg;

    lk_frame_next = lk_frame_reg;
    lk_end = 1'b0;

    store_more_next = store_more_reg;

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
                // TCP bytes from beat 3 (offset 24) on: 14 + total - 24
                tcp_rem_next = ({1'b0, s_tdata[7:0], s_tdata[15:8]} > 17'd10) ?
                               {1'b0, s_tdata[7:0], s_tdata[15:8]} - 17'd10 : 17'd0;
                tcp_extra_next = {s_tdata[7:0], s_tdata[15:8]} - 16'd14;
                frag_next = {s_tdata[39:32], s_tdata[47:40]};
                proto_next = s_tdata[63:56];
            end
            4'd3: begin
                dst_ip_hi_next = {s_tdata[55:48], s_tdata[63:56]};
            end
            4'd4: begin
                ip_ok_next = ({dst_ip_hi_reg, s_tdata[7:0], s_tdata[15:8]} == team_ip);
                seq_next[31:16] = {s_tdata[55:48], s_tdata[63:56]};
            end
            4'd5: begin
                seq_next[15:0] = {s_tdata[7:0], s_tdata[15:8]};
                ack_next = {s_tdata[23:16], s_tdata[31:24], s_tdata[39:32], s_tdata[47:40]};
                doff_next = s_tdata[55:52];
                tcp_flags_next = s_tdata[63:56];
            end
            4'd6: begin
                wnd_next = {s_tdata[7:0], s_tdata[15:8]};
            end
            default: begin
            end
        endcase

        if (!first_beat && beat_reg >= 4'd3) begin
            tcp_rem_next = (tcp_rem_reg > 17'd8) ? tcp_rem_reg - 17'd8 : 17'd0;
        end

        if (!first_beat && beat_reg == 4'd5) begin
            lk_frame_next = 1'b1;
        end

        if (s_tlast) begin
            in_frame_next = 1'b0;
            beat_next = 4'd0;
            off_next = {LEN_W{1'b0}};
            len_next = off_reg + {{(LEN_W-4){1'b0}}, keep_cnt};
            fin_next = 1'b1;
            lk_frame_next = 1'b0;
            lk_end = lk_frame_reg;
        end else begin
            in_frame_next = 1'b1;
            beat_next = (beat_reg == 4'd15) ? beat_reg : beat_reg + 4'd1;
            off_next = off_reg + 8;
        end

        // the next beat (at off_next) of this frame
        store_more_next = store_ok && (off_next < MAX_FRAME);

        // masks of the next beat
        ip_mask_next = 8'd0;
        tcp_mask_next = 8'd0;
        tcp_xtra_next = 1'b0;
        case (beat_next)
            4'd0: begin
            end
            4'd1: begin
                ip_mask_next = 8'hc0;
            end
            4'd2: begin
                ip_mask_next = 8'hff;
            end
            4'd3: begin
                // beat 2 now: TCP bytes from beat 3 on = total - 10
                ip_mask_next = 8'hff;
                tcp_mask_next = (tcp_lanes({1'b0, s_tdata[7:0], s_tdata[15:8]}, 10) & 8'hfc) | 8'h03;
                tcp_xtra_next = 1'b1;
            end
            default: begin
                // beat 3 or later now, tcp_rem_reg TCP bytes from it on
                ip_mask_next = (beat_next <= 4'd9) ? ip_lanes(beat_next, ihl_next) : 8'd0;
                tcp_mask_next = tcp_lanes(tcp_rem_reg, 8);
            end
        endcase
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
    seq_reg <= seq_next;
    ack_reg <= ack_next;
    wnd_reg <= wnd_next;

    ip_mask_reg <= ip_mask_next;
    tcp_mask_reg <= tcp_mask_next;
    tcp_rem_reg <= tcp_rem_next;
    tcp_xtra_reg <= tcp_xtra_next;
    tcp_extra_reg <= tcp_extra_next;

    lk_frame_reg <= lk_frame_next;
    store_more_reg <= store_more_next;
    lk_age_reg <= {lk_age_reg[1:0], lk_end};
    // next cycle: its beat is one of 0..4, no lookup frame ended 1..4 cycles before
    quiet_reg <= (beat_next <= 4'd4) && ({lk_age_reg, lk_end} == 4'd0);

    if (rst) begin
        in_frame_reg <= 1'b0;
        beat_reg <= 4'd0;
        off_reg <= {LEN_W{1'b0}};
        fin_reg <= 1'b0;
        ip_mask_reg <= 8'd0;
        tcp_mask_reg <= 8'd0;
        tcp_xtra_reg <= 1'b0;
        lk_frame_reg <= 1'b0;
        lk_age_reg <= 3'd0;
        quiet_reg <= 1'b1;
    end
end

/* the verdict table, first match wins: in E+1 the rows before the IP
 * checksum (group A) and between the two checksums (group B) are each
 * reduced to their first match; in E+6 the groups, the checksums and the
 * lookup are put in order */
wire [LEN_W-1:0] ip_hdr_len = {{(LEN_W-6){1'b0}}, ihl_reg, 2'b00};
wire [LEN_W-1:0] ip_tot_len = {{(LEN_W-16){1'b0}}, total_len_reg};
wire [15:0]      tcp_len = total_len_reg - 16'd20;

// SYN, FIN, RST or URG; ACK
wire tcp_flags_special = (tcp_flags_reg & 8'h27) != 8'd0;
wire tcp_flag_ack = tcp_flags_reg[4];
// payload bytes (only for a frame whose header checks pass)
wire [15:0] tcp_plen = tcp_len - {10'd0, doff_reg, 2'b00};

/* the engine's segment fields, registered in E+1 of a lookup frame (its
 * fields are all in: the next frame's beat 4 comes in E+5 at the
 * earliest) */
reg [31:0] seg_seq_reg = 32'd0;
reg [31:0] seg_ack_reg = 32'd0;
reg [15:0] seg_wnd_reg = 16'd0;
reg [15:0] seg_plen_reg = 16'd0;
reg [6:0]  seg_hlen_reg = 7'd0;

always @(posedge clk) begin
    if (lk_age_reg[0]) begin
        seg_seq_reg <= seq_reg;
        seg_ack_reg <= ack_reg;
        seg_wnd_reg <= wnd_reg;
        seg_plen_reg <= tcp_plen;
        seg_hlen_reg <= 7'd34 + {1'b0, doff_reg, 2'b00};
    end
end

assign seg_seq = seg_seq_reg;
assign seg_ack = seg_ack_reg;
assign seg_wnd = seg_wnd_reg;
assign seg_plen = seg_plen_reg;
assign seg_hlen = seg_hlen_reg;

reg       a_hit;
reg       a_drop;
reg [7:0] a_reason;
reg       b_hit;
reg       b_drop;
reg [7:0] b_reason;

always @* begin
    a_hit = 1'b1;
    a_drop = 1'b1;
    a_reason = 8'd0;

    if (link_down_reg) begin
        a_reason = TT_DROP_LINK_DOWN;
    end else if (disabled_reg) begin
        a_reason = TT_DROP_DISABLED;
    end else if (len_reg > MAX_FRAME) begin
        a_reason = TT_DROP_OVERSIZE;
    end else if (len_reg < 14) begin
        a_reason = TT_DROP_TRUNCATED;
    end else if (!mac_ok_reg) begin
        a_reason = TT_DROP_NOT_FOR_US;
    end else if (ethertype_reg != 16'h0800) begin
        a_drop = 1'b0;
        a_reason = TT_EXC_NOT_IPV4;
    end else if (len_reg < 34) begin
        a_reason = TT_DROP_TRUNCATED;
    end else if (version_reg != 4'd4 || ihl_reg < 4'd5) begin
        a_reason = TT_DROP_BAD_IP_HDR;
    end else if (14 + ip_hdr_len > len_reg) begin
        a_reason = TT_DROP_TRUNCATED;
    end else if (ip_tot_len < ip_hdr_len) begin
        a_reason = TT_DROP_BAD_IP_HDR;
    end else if (14 + ip_tot_len > len_reg) begin
        a_reason = TT_DROP_TRUNCATED;
    end else begin
        a_hit = 1'b0;
    end

    b_hit = 1'b1;
    b_drop = 1'b1;
    b_reason = 8'd0;

    if (!ip_ok_reg) begin
        b_reason = TT_DROP_NOT_FOR_US;
    end else if (frag_reg[13] || frag_reg[12:0] != 13'd0) begin
        b_drop = 1'b0;
        b_reason = TT_EXC_FRAGMENT;
    end else if (ihl_reg != 4'd5) begin
        b_drop = 1'b0;
        b_reason = TT_EXC_IP_OPTIONS;
    end else if (proto_reg != 8'd6) begin
        b_drop = 1'b0;
        b_reason = TT_EXC_NOT_TCP;
    end else if (tcp_len < 16'd20) begin
        b_reason = TT_DROP_BAD_TCP_HDR;
    end else if (doff_reg < 4'd5 || {10'd0, doff_reg, 2'b00} > tcp_len) begin
        b_reason = TT_DROP_BAD_TCP_HDR;
    end else begin
        b_hit = 1'b0;
    end
end

/* verdict pipeline: stage k holds the frame whose last beat was k cycles
 * ago (k = 2..6) */
localparam PV_W = 1 + 2 + 8 + 2 + 8 + 3 + LEN_W;

reg [PV_W-1:0] pv2_reg = {PV_W{1'b0}};
reg [PV_W-1:0] pv3_reg = {PV_W{1'b0}};
reg [PV_W-1:0] pv4_reg = {PV_W{1'b0}};
reg [PV_W-1:0] pv5_reg = {PV_W{1'b0}};
reg [PV_W-1:0] pv6_reg = {PV_W{1'b0}};
reg [1:0]      csum_ok5_reg = 2'b00;     // IP, TCP checksums of stage 5
reg [1:0]      csum_ok6_reg = 2'b00;     // and of stage 6

wire           p6_valid = pv6_reg[PV_W-1];
wire           p6_a_hit = pv6_reg[PV_W-2];
wire           p6_a_drop = pv6_reg[PV_W-3];
wire [7:0]     p6_a_reason = pv6_reg[PV_W-4 -: 8];
wire           p6_b_hit = pv6_reg[PV_W-12];
wire           p6_b_drop = pv6_reg[PV_W-13];
wire [7:0]     p6_b_reason = pv6_reg[PV_W-14 -: 8];
wire           p6_special = pv6_reg[LEN_W+2];
wire           p6_ack = pv6_reg[LEN_W+1];
wire           p6_plen_nz = pv6_reg[LEN_W];
wire [LEN_W-1:0] p6_len = pv6_reg[LEN_W-1:0];

reg             vd_valid_reg = 1'b0;
reg             vd_drop_reg = 1'b1;
reg             vd_engine_reg = 1'b0;
reg [7:0]       vd_reason_reg = 8'd0;
reg [15:0]      vd_slot_reg = 16'hffff;
reg [LEN_W-1:0] vd_len_reg = {LEN_W{1'b0}};

reg             vd_drop_next;
reg             vd_engine_next;
reg [7:0]       vd_reason_next;
reg [15:0]      vd_slot_next;

always @* begin
    vd_drop_next = 1'b1;
    vd_engine_next = 1'b0;
    vd_reason_next = 8'd0;
    vd_slot_next = TT_SLOT_NONE;

    if (p6_a_hit) begin
        vd_drop_next = p6_a_drop;
        vd_reason_next = p6_a_reason;
    end else if (!csum_ok6_reg[0]) begin
        vd_reason_next = TT_DROP_BAD_IP_CSUM;
    end else if (p6_b_hit) begin
        vd_drop_next = p6_b_drop;
        vd_reason_next = p6_b_reason;
    end else if (!csum_ok6_reg[1]) begin
        vd_reason_next = TT_DROP_BAD_TCP_CSUM;
    end else if (lookup_hit) begin
        vd_slot_next = lookup_slot;
        if (p6_special) begin
            vd_drop_next = 1'b0;
            vd_reason_next = TT_EXC_TCP_FLAGS;
        end else if (!p6_ack) begin
            vd_drop_next = 1'b0;
            vd_reason_next = TT_EXC_UNHANDLED;
        end else begin
            // the engine's; its words are kept only for its payload
            vd_engine_next = 1'b1;
            vd_drop_next = !p6_plen_nz;
        end
    end else begin
        vd_drop_next = 1'b0;
        vd_reason_next = TT_EXC_NO_MATCH;
    end
end

always @(posedge clk) begin
    pv2_reg <= {fin_reg, a_hit, a_drop, a_reason, b_hit, b_drop, b_reason,
                tcp_flags_special, tcp_flag_ack, tcp_plen != 16'd0, len_reg};
    pv3_reg <= pv2_reg;
    pv4_reg <= pv3_reg;
    pv5_reg <= pv4_reg;
    pv6_reg <= pv5_reg;
    csum_ok5_reg <= {tcp_csum_ok, ip_csum_ok};
    csum_ok6_reg <= csum_ok5_reg;

    vd_valid_reg <= p6_valid;
    vd_drop_reg <= vd_drop_next;
    vd_engine_reg <= vd_engine_next;
    vd_reason_reg <= vd_reason_next;
    vd_slot_reg <= vd_slot_next;
    vd_len_reg <= p6_len;

    if (rst) begin
        pv2_reg[PV_W-1] <= 1'b0;
        pv3_reg[PV_W-1] <= 1'b0;
        pv4_reg[PV_W-1] <= 1'b0;
        pv5_reg[PV_W-1] <= 1'b0;
        pv6_reg[PV_W-1] <= 1'b0;
        vd_valid_reg <= 1'b0;
    end
end

assign verdict_valid = vd_valid_reg;
assign verdict_drop = vd_drop_reg;
assign verdict_engine = vd_engine_reg;
assign verdict_reason = vd_reason_reg;
assign verdict_slot = vd_slot_reg;
assign verdict_len = vd_len_reg;

endmodule

`resetall
