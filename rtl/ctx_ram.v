// SPDX-License-Identifier: MIT
/*
 * Context RAM: one TT_CTX_BYTES (64-byte) record per connection slot, in
 * block RAM with one write port and one synchronous read port that reads
 * every cycle (rd_data is the record at the rd_addr of the cycle before,
 * as it was before a write in that cycle). A read enable would cost the
 * ECP5 mapping a holding register: callers keep rd_addr steady instead.
 *
 * The record is kept in BANKS banks of DATA_W/BANKS bits that share the
 * address, so that a tool which handles narrow memories better (or a later
 * revision that writes single fields) can use them. Contents are not
 * cleared at reset: a record is only ever read for a valid slot, and a
 * slot becomes valid by writing its record.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module ctx_ram #
(
    // records (power of two)
    parameter SLOTS = 1024,
    // record width in bits
    parameter DATA_W = 512,
    // banks the record is split into (divides DATA_W)
    parameter BANKS = 4,
    // address width
    parameter ADDR_W = $clog2(SLOTS)
)
(
    input  wire              clk,

    /* write port */
    input  wire [ADDR_W-1:0] wr_addr,
    input  wire [DATA_W-1:0] wr_data,
    input  wire              wr_en,

    /* read port (reads every cycle) */
    input  wire [ADDR_W-1:0] rd_addr,
    output wire [DATA_W-1:0] rd_data
);

localparam BANK_W = DATA_W / BANKS;

initial begin
    if (SLOTS < 2 || (SLOTS & (SLOTS - 1)) != 0 || ADDR_W != $clog2(SLOTS)) begin
        $error("ctx_ram: SLOTS must be a power of two, ADDR_W its log2");
        $finish;
    end
    if (BANKS < 1 || BANK_W * BANKS != DATA_W) begin
        $error("ctx_ram: BANKS must divide DATA_W");
        $finish;
    end
end

genvar b;
generate
    for (b = 0; b < BANKS; b = b + 1) begin : g_bank
        // a read whose data is used never meets a write of the same record
        // in one cycle (ctx_port and rx_engine keep to their cycles, see
        // ctx_port.v): no collision logic
        (* no_rw_check *)
        reg [BANK_W-1:0] mem[SLOTS-1:0];
        // no initial value: it would keep the read register out of the RAM
        reg [BANK_W-1:0] rd_reg;

        always @(posedge clk) begin
            if (wr_en) begin
                mem[wr_addr] <= wr_data[BANK_W*b +: BANK_W];
            end
        end

        always @(posedge clk) begin
            rd_reg <= mem[rd_addr];
        end

        assign rd_data[BANK_W*b +: BANK_W] = rd_reg;
    end
endgenerate

endmodule

`resetall
