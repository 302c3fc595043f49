// SPDX-License-Identifier: MIT
/*
 * Event queue: a change of link_up queues a LINK event (slot ffff, value =
 * new state). When the queue is full the event is lost and evt_drop pulses
 * (counted in EVT_DROP).
 *
 * Event (64 bits): [7:0] type, [23:8] slot, [31:24] 0, [63:32] value.
 *
 * link_up is registered; during reset the register follows the input, so
 * reset itself never makes an event.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module evt_queue #
(
    // queue depth in events (power of two)
    parameter DEPTH = 16
)
(
    input  wire         clk,
    input  wire         rst,

    /* sources */
    input  wire         link_up,

    /* events to the host */
    output wire [63:0]  m_axis_evt_tdata,
    output wire         m_axis_evt_tvalid,
    input  wire         m_axis_evt_tready,

    /* an event was lost */
    output reg          evt_drop
);

// generated constants; each module uses only a few of them
/* verilator lint_off UNUSEDPARAM */
`include "teamtoe_defs.vh"
/* verilator lint_on UNUSEDPARAM */

localparam CNT_W = $clog2(DEPTH) + 1;

reg link_reg = 1'b0;

wire        push = (link_up != link_reg) && !rst;
wire [63:0] push_data = {31'd0, link_up, 8'd0, TT_SLOT_NONE, TT_EVT_LINK};
wire        push_ready;
wire [CNT_W-1:0] count_unused;

always @* begin
    evt_drop = push && !push_ready;
end

always @(posedge clk) begin
    link_reg <= link_up;
end

small_fifo #(
    .DEPTH(DEPTH),
    .DATA_W(64)
)
evt_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(push_data),
    .s_valid(push),
    .s_ready(push_ready),
    .m_data(m_axis_evt_tdata),
    .m_valid(m_axis_evt_tvalid),
    .m_ready(m_axis_evt_tready),
    .count(count_unused)
);

endmodule

`resetall
