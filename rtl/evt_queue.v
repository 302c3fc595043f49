// SPDX-License-Identifier: MIT
/*
 * Event queues: a change of link_up queues a LINK event (slot ffff, value =
 * new state); when its queue is full the event is lost and evt_drop pulses
 * (counted in EVT_DROP). The engine's events (the receive engine's ACKED,
 * slot, value = new snd_una; RETRANS, slot, value = sequence, from the
 * transmit engine's follow-ups; the timer sweep's RETRANS and RTO_LIMIT)
 * share a queue of their own in the order they were pushed, which never
 * drops: toe_nic stops taking received beats while fewer than ENG_RESERVE
 * entries are free (acked_count), and the transmit engine and the sweep
 * push only with room and only while no received frame is in the receive
 * engine, so no two push in the same cycle and an event always finds
 * room.
 *
 * Event (64 bits): [7:0] type, [23:8] slot, [31:24] 0, [63:32] value.
 * The output takes a LINK event first when both queues hold one; within
 * each queue the order is kept.
 *
 * link_up is registered; during reset the register follows the input, so
 * reset itself never makes an event.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module evt_queue #
(
    // LINK queue depth in events (power of two)
    parameter DEPTH = 16,
    // ACKED queue depth in events (power of two)
    parameter ACKED_DEPTH = 16,
    // its count width
    parameter ACK_CNT_W = $clog2(ACKED_DEPTH) + 1
)
(
    input  wire         clk,
    input  wire         rst,

    /* sources */
    input  wire         link_up,
    input  wire [55:0]  s_acked_data,    // {value, slot, type}
    input  wire         s_acked_valid,
    output wire [ACK_CNT_W-1:0] acked_count,

    /* events to the host */
    output wire [63:0]  m_axis_evt_tdata,
    output wire         m_axis_evt_tvalid,
    input  wire         m_axis_evt_tready,

    /* an event was lost; an ACKED event went out */
    output reg          evt_drop,
    output wire         acked_done
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

wire [63:0] link_data;
wire        link_valid;
wire        link_ready;

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
    .m_data(link_data),
    .m_valid(link_valid),
    .m_ready(link_ready),
    .count(count_unused)
);

wire [55:0] acked_data;
wire        acked_valid;
wire        acked_ready;
wire        acked_in_ready_unused;

small_fifo #(
    .DEPTH(ACKED_DEPTH),
    .DATA_W(56)
)
acked_fifo_inst (
    .clk(clk),
    .rst(rst),
    .s_data(s_acked_data),
    .s_valid(s_acked_valid),
    .s_ready(acked_in_ready_unused),
    .m_data(acked_data),
    .m_valid(acked_valid),
    .m_ready(acked_ready),
    .count(acked_count)
);

assign m_axis_evt_tvalid = link_valid || acked_valid;
assign m_axis_evt_tdata = link_valid ? link_data
                                     : {acked_data[55:24], 8'd0, acked_data[23:0]};
assign link_ready = m_axis_evt_tready;
assign acked_ready = m_axis_evt_tready && !link_valid;
assign acked_done = acked_valid && acked_ready;

endmodule

`resetall
