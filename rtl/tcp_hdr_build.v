// SPDX-License-Identifier: MIT
/*
 * TCP segment header builder: the Ethernet, IPv4 and TCP headers of a
 * segment of an offloaded connection, both checksums computed here; the
 * twin of tcp_tx_build() in sw-model/tcp_tx.c. Revision 1.2 sends pure
 * ACKs with it (s_pay_len = 0, s_pay_sum = 0).
 *
 *   offset  bytes  field                       value
 *   ------  -----  --------------------------  --------------------------
 *    0      6      destination MAC             request (byte i = bits 8i+7:8i)
 *    6      6      source MAC                  team_mac (mac[0] in 47:40)
 *   12      2      ethertype                   0x0800
 *   14      1      version, IHL                0x45
 *   15      1      DSCP, ECN                   0
 *   16      2      total length                40 + payload length
 *   18      2      identification              request
 *   20      2      flags, fragment offset      0x4000 (DF)
 *   22      1      TTL                         64
 *   23      1      protocol                    6
 *   24      2      header checksum             computed
 *   26      4      source IPv4                 request
 *   30      4      destination IPv4            request
 *   34      2      source port                 request
 *   36      2      destination port            request
 *   38      4      sequence number             request
 *   42      4      acknowledgment number       request
 *   46      1      data offset                 0x50
 *   47      1      flags                       request | ACK
 *   48      2      window                      request
 *   50      2      checksum                    computed
 *   52      2      urgent pointer              0
 *
 * Request (240 bits, most significant first): dst MAC (48), src IP (32),
 * dst IP (32), src port (16), dst port (16), seq (32), ack (32), window
 * (16), IP ID (16); and beside it the flags, the payload length and the
 * payload's own checksum sum (16-bit ones' complement sum of the payload
 * as big-endian words, odd byte padded).
 *
 * The header goes out as 7 beats, the last with 6 bytes and tlast. For
 * payload (revision 1.3) the TCP engine appends the payload after the
 * header; the checksums already cover it through s_pay_len / s_pay_sum.
 *
 * Pipeline: the request is taken into S, where the two checksums are
 * summed in four partial sums each; in the move from S to O the partial
 * sums are added and folded (s = s[15:0] + (s >> 16), twice) and
 * complemented. O sends the 7 beats; S holds the next header meanwhile,
 * so back-to-back requests go out every 7 cycles.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tcp_hdr_build
(
    input  wire         clk,
    input  wire         rst,

    /* team MAC (mac[0] in 47:40) */
    input  wire [47:0]  team_mac,

    /* request */
    input  wire [239:0] s_req,
    input  wire [7:0]   s_flags,
    input  wire [15:0]  s_pay_len,
    input  wire [15:0]  s_pay_sum,
    input  wire         s_valid,
    output wire         s_ready,

    /* the header */
    output wire [63:0]  m_axis_tdata,
    output wire [7:0]   m_axis_tkeep,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast
);

localparam REQ_W = 240;

/* request fields */
wire [31:0] in_sip = s_req[191:160];
wire [31:0] in_dip = s_req[159:128];
wire [15:0] in_sport = s_req[127:112];
wire [15:0] in_dport = s_req[111:96];
wire [31:0] in_seq = s_req[95:64];
wire [31:0] in_ack = s_req[63:32];
wire [15:0] in_wnd = s_req[31:16];
wire [15:0] in_ipid = s_req[15:0];

/* S: the request and the partial sums */
reg              s_valid_reg = 1'b0;
reg [REQ_W-1:0]  s_req_reg = {REQ_W{1'b0}};
reg [7:0]        s_flags_reg = 8'd0;
reg [15:0]       s_len_reg = 16'd0;
reg [18:0]       ip_part_reg[1:0];
reg [18:0]       tcp_part_reg[3:0];

/* O: the header being sent */
reg              o_valid_reg = 1'b0;
reg [2:0]        o_beat_reg = 3'd0;
reg [REQ_W-1:0]  o_req_reg = {REQ_W{1'b0}};
reg [7:0]        o_flags_reg = 8'd0;
reg [15:0]       o_len_reg = 16'd0;
reg [15:0]       o_ip_csum_reg = 16'd0;
reg [15:0]       o_tcp_csum_reg = 16'd0;

wire o_last = (o_beat_reg == 3'd6);
wire o_free = !o_valid_reg || (m_axis_tready && o_last);
wire s_move = s_valid_reg && o_free;

assign s_ready = !s_valid_reg || s_move;

/* the checksums' words: the IPv4 header with its checksum field 0, and the
 * pseudo-header, TCP header (checksum field 0) and payload sum */
wire [15:0] in_ip_len = 16'd40 + s_pay_len;
wire [15:0] in_tcp_len = 16'd20 + s_pay_len;

// a 16-bit word widened for the partial sums
function [18:0] w(input [15:0] x);
    w = {3'b000, x};
endfunction

always @(posedge clk) begin
    if (s_valid && s_ready) begin
        s_req_reg <= s_req;
        s_flags_reg <= s_flags | 8'h10;
        s_len_reg <= in_ip_len;
        ip_part_reg[0] <= w(16'h4500) + w(in_ip_len) + w(in_ipid) + w(16'h4000);
        ip_part_reg[1] <= w(16'h4006) + w(in_sip[31:16]) + w(in_sip[15:0]) +
                          w(in_dip[31:16]) + w(in_dip[15:0]);
        tcp_part_reg[0] <= w(in_sip[31:16]) + w(in_sip[15:0]) +
                           w(in_dip[31:16]) + w(in_dip[15:0]);
        tcp_part_reg[1] <= w(16'd6) + w(in_tcp_len) + w(in_sport) + w(in_dport);
        tcp_part_reg[2] <= w(in_seq[31:16]) + w(in_seq[15:0]) +
                           w(in_ack[31:16]) + w(in_ack[15:0]);
        tcp_part_reg[3] <= w({8'h50, s_flags | 8'h10}) + w(in_wnd) + w(s_pay_sum);
    end
end

// end-around carry folded twice: the result fits 16 bits (RFC 1071)
function [15:0] fold(input [19:0] s);
    reg [16:0] t;
    begin
        t = {1'b0, s[15:0]} + {13'd0, s[19:16]};
        fold = t[15:0] + {15'd0, t[16]};
    end
endfunction

wire [19:0] ip_sum = {1'b0, ip_part_reg[0]} + {1'b0, ip_part_reg[1]};
wire [19:0] tcp_sum = {1'b0, tcp_part_reg[0]} + {1'b0, tcp_part_reg[1]} +
                      {1'b0, tcp_part_reg[2]} + {1'b0, tcp_part_reg[3]};

always @(posedge clk) begin
    if (s_valid && s_ready) begin
        s_valid_reg <= 1'b1;
    end else if (s_move) begin
        s_valid_reg <= 1'b0;
    end

    if (s_move) begin
        o_valid_reg <= 1'b1;
        o_beat_reg <= 3'd0;
        o_req_reg <= s_req_reg;
        o_flags_reg <= s_flags_reg;
        o_len_reg <= s_len_reg;
        o_ip_csum_reg <= ~fold(ip_sum);
        o_tcp_csum_reg <= ~fold(tcp_sum);
    end else if (o_valid_reg && m_axis_tready) begin
        o_beat_reg <= o_beat_reg + 3'd1;
        if (o_last) begin
            o_valid_reg <= 1'b0;
        end
    end

    if (rst) begin
        s_valid_reg <= 1'b0;
        o_valid_reg <= 1'b0;
        o_beat_reg <= 3'd0;
    end
end

/* the 54 header bytes, byte i in bits 8i+7:8i */
wire [47:0] o_dmac = o_req_reg[239:192];
wire [31:0] o_sip = o_req_reg[191:160];
wire [31:0] o_dip = o_req_reg[159:128];
wire [15:0] o_sport = o_req_reg[127:112];
wire [15:0] o_dport = o_req_reg[111:96];
wire [31:0] o_seq = o_req_reg[95:64];
wire [31:0] o_ack = o_req_reg[63:32];
wire [15:0] o_wnd = o_req_reg[31:16];
wire [15:0] o_ipid = o_req_reg[15:0];

// a big-endian field as bytes in stream order
function [15:0] be16(input [15:0] x);
    be16 = {x[7:0], x[15:8]};
endfunction
function [31:0] be32(input [31:0] x);
    be32 = {x[7:0], x[15:8], x[23:16], x[31:24]};
endfunction

wire [431:0] hdr = {
    16'd0,                     // 52 urgent pointer
    be16(o_tcp_csum_reg),      // 50 checksum
    be16(o_wnd),               // 48 window
    o_flags_reg, 8'h50,        // 46 data offset, flags
    be32(o_ack),               // 42
    be32(o_seq),               // 38
    be16(o_dport),             // 36
    be16(o_sport),             // 34
    be32(o_dip),               // 30
    be32(o_sip),               // 26
    be16(o_ip_csum_reg),       // 24 header checksum
    8'd6, 8'd64,               // 22 TTL, protocol
    8'h00, 8'h40,              // 20 DF
    be16(o_ipid),              // 18 identification
    be16(o_len_reg),           // 16 total length
    8'h00, 8'h45,              // 14 version, IHL
    8'h00, 8'h08,              // 12 ethertype
    team_mac[7:0], team_mac[15:8], team_mac[23:16],
    team_mac[31:24], team_mac[39:32], team_mac[47:40],   // 6 src MAC
    o_dmac                     //  0 dst MAC
};

wire [511:0] hdr_beats = {80'd0, hdr};

assign m_axis_tdata = hdr_beats[64*o_beat_reg +: 64];
assign m_axis_tkeep = o_last ? 8'h3f : 8'hff;
assign m_axis_tvalid = o_valid_reg;
assign m_axis_tlast = o_last;

endmodule

`resetall
