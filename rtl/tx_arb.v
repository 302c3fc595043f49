// SPDX-License-Identifier: MIT
/*
 * Network TX arbiter: two frame streams onto the wire, whole frames at a
 * time, round robin between frames when both wait. tuser of the output
 * says which input a frame came from (0: s0, the host's raw frames;
 * 1: s1, the engine's). Every output is a register; a frame's beats pass
 * without bubbles while the wire takes them.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tx_arb
(
    input  wire         clk,
    input  wire         rst,

    /* source 0 (host) */
    input  wire [63:0]  s0_axis_tdata,
    input  wire [7:0]   s0_axis_tkeep,
    input  wire         s0_axis_tvalid,
    output wire         s0_axis_tready,
    input  wire         s0_axis_tlast,

    /* source 1 (engine) */
    input  wire [63:0]  s1_axis_tdata,
    input  wire [7:0]   s1_axis_tkeep,
    input  wire         s1_axis_tvalid,
    output wire         s1_axis_tready,
    input  wire         s1_axis_tlast,

    /* to the wire */
    output wire [63:0]  m_axis_tdata,
    output wire [7:0]   m_axis_tkeep,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast,
    output wire         m_axis_tuser
);

reg        busy_reg = 1'b0;      // inside a frame of src_reg
reg        src_reg = 1'b0;
reg        last_src_reg = 1'b1;  // source of the last frame (s0 first)

reg [63:0] m_tdata_reg = 64'd0;
reg [7:0]  m_tkeep_reg = 8'd0;
reg        m_tvalid_reg = 1'b0;
reg        m_tlast_reg = 1'b0;
reg        m_tuser_reg = 1'b0;

// between frames: the other source's turn if it waits
wire pick = s1_axis_tvalid && (!s0_axis_tvalid || !last_src_reg);
wire sel = busy_reg ? src_reg : pick;
wire sel_valid = sel ? s1_axis_tvalid : s0_axis_tvalid;
wire sel_last = sel ? s1_axis_tlast : s0_axis_tlast;
wire out_free = !m_tvalid_reg || m_axis_tready;
wire beat = out_free && sel_valid;

assign s0_axis_tready = out_free && !sel;
assign s1_axis_tready = out_free && sel;

assign m_axis_tdata = m_tdata_reg;
assign m_axis_tkeep = m_tkeep_reg;
assign m_axis_tvalid = m_tvalid_reg;
assign m_axis_tlast = m_tlast_reg;
assign m_axis_tuser = m_tuser_reg;

always @(posedge clk) begin
    if (beat) begin
        m_tdata_reg <= sel ? s1_axis_tdata : s0_axis_tdata;
        m_tkeep_reg <= sel ? s1_axis_tkeep : s0_axis_tkeep;
        m_tlast_reg <= sel_last;
        m_tuser_reg <= sel;
        m_tvalid_reg <= 1'b1;
        busy_reg <= !sel_last;
        src_reg <= sel;
        if (sel_last) begin
            last_src_reg <= sel;
        end
    end else if (m_axis_tready) begin
        m_tvalid_reg <= 1'b0;
    end

    if (rst) begin
        busy_reg <= 1'b0;
        last_src_reg <= 1'b1;
        m_tvalid_reg <= 1'b0;
    end
end

endmodule

`resetall
