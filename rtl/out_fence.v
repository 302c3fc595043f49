// SPDX-License-Identifier: MIT
/*
 * Output fence of the context port: counts, per output stream, the items
 * queued inside the card and the items that have left it, and tells when
 * everything queued up to a snapshot has left:
 *
 *   stream      queued                          left
 *   ----------  ------------------------------  ---------------------------
 *   DMA write   a frame kept (meta FIFO push)   its last data word taken,
 *                                               or its words dropped
 *   event       an ACKED event queued           it is taken
 *   wire TX     a pure ACK queued               its last beat taken
 *
 * ctx_port takes the snapshot once every output of the frames counted in
 * a command's order is queued, and hands the result out only when `clear`
 * (combinational from the snapshot registers and the counters): so the
 * host finds all of them in their streams before it sees the result.
 * Counters are CNT_W bits and wrap; fewer than 2^(CNT_W-1) items are ever
 * in flight.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module out_fence #
(
    // counter width
    parameter CNT_W = 8
)
(
    input  wire       clk,
    input  wire       rst,

    input  wire       dma_queued,
    input  wire [1:0] dma_left,
    input  wire       evt_queued,
    input  wire       evt_left,
    input  wire       tx_queued,
    input  wire       tx_left,

    input  wire       snap,
    output wire       clear
);

reg [CNT_W-1:0] dma_q_reg = {CNT_W{1'b0}}, dma_l_reg = {CNT_W{1'b0}}, dma_s_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] evt_q_reg = {CNT_W{1'b0}}, evt_l_reg = {CNT_W{1'b0}}, evt_s_reg = {CNT_W{1'b0}};
reg [CNT_W-1:0] tx_q_reg = {CNT_W{1'b0}}, tx_l_reg = {CNT_W{1'b0}}, tx_s_reg = {CNT_W{1'b0}};

always @(posedge clk) begin
    dma_q_reg <= dma_q_reg + {{(CNT_W-1){1'b0}}, dma_queued};
    dma_l_reg <= dma_l_reg + {{(CNT_W-2){1'b0}}, dma_left};
    evt_q_reg <= evt_q_reg + {{(CNT_W-1){1'b0}}, evt_queued};
    evt_l_reg <= evt_l_reg + {{(CNT_W-1){1'b0}}, evt_left};
    tx_q_reg <= tx_q_reg + {{(CNT_W-1){1'b0}}, tx_queued};
    tx_l_reg <= tx_l_reg + {{(CNT_W-1){1'b0}}, tx_left};
    if (snap) begin
        dma_s_reg <= dma_q_reg;
        evt_s_reg <= evt_q_reg;
        tx_s_reg <= tx_q_reg;
    end

    if (rst) begin
        dma_q_reg <= {CNT_W{1'b0}};
        dma_l_reg <= {CNT_W{1'b0}};
        evt_q_reg <= {CNT_W{1'b0}};
        evt_l_reg <= {CNT_W{1'b0}};
        tx_q_reg <= {CNT_W{1'b0}};
        tx_l_reg <= {CNT_W{1'b0}};
        dma_s_reg <= {CNT_W{1'b0}};
        evt_s_reg <= {CNT_W{1'b0}};
        tx_s_reg <= {CNT_W{1'b0}};
    end
end

// left - snapshot >= 0 in serial arithmetic: all of it has left
wire [CNT_W-1:0] dma_d = dma_l_reg - dma_s_reg;
wire [CNT_W-1:0] evt_d = evt_l_reg - evt_s_reg;
wire [CNT_W-1:0] tx_d = tx_l_reg - tx_s_reg;

assign clear = !dma_d[CNT_W-1] && !evt_d[CNT_W-1] && !tx_d[CNT_W-1];

endmodule

`resetall
