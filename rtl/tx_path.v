// SPDX-License-Identifier: MIT
/*
 * Host raw TX: frames from the host go to the wire unchanged.
 *
 * At the frame's first beat (when it is accepted): link down -> the whole
 * frame is consumed and dropped (TX_DROP_LINK_DOWN); else CTRL.enable clear
 * -> dropped (TX_DROP_DISABLED); else it is forwarded and counted
 * (TX_FRAMES, TX_BYTES) at its last beat.
 *
 * Forwarded beats go through a skid buffer (verilog-axis axis_register,
 * REG_TYPE 2), so every output is registered. A dropped frame is consumed
 * at full rate even when the wire holds tready low.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tx_path #
(
    // width of the byte counter
    parameter LEN_W = 32
)
(
    input  wire             clk,
    input  wire             rst,

    /* state */
    input  wire             link_up,
    input  wire             enable,

    /* host raw frames */
    input  wire [63:0]      s_axis_tdata,
    input  wire [7:0]       s_axis_tkeep,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    input  wire             s_axis_tlast,

    /* to the wire */
    output wire [63:0]      m_axis_tdata,
    output wire [7:0]       m_axis_tkeep,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             m_axis_tlast,

    /* counting, one cycle pulses at a frame's last beat */
    output reg              stat_tx_frame,
    output reg  [LEN_W-1:0] stat_tx_len,
    output reg              stat_drop_link_down,
    output reg              stat_drop_disabled
);

/* frame state */
reg             in_frame_reg = 1'b0, in_frame_next;
reg             drop_link_reg = 1'b0, drop_link_next;
reg             drop_dis_reg = 1'b0, drop_dis_next;
reg [LEN_W-1:0] off_reg = {LEN_W{1'b0}}, off_next;

/* skid buffer */
reg [63:0] m_tdata_reg = 64'd0;
reg [7:0]  m_tkeep_reg = 8'd0;
reg        m_tvalid_reg = 1'b0, m_tvalid_next;
reg        m_tlast_reg = 1'b0;

reg [63:0] temp_tdata_reg = 64'd0;
reg [7:0]  temp_tkeep_reg = 8'd0;
reg        temp_tvalid_reg = 1'b0, temp_tvalid_next;
reg        temp_tlast_reg = 1'b0;

reg        pass_ready_reg = 1'b0;

reg store_input_to_output;
reg store_input_to_temp;
reg store_temp_to_output;

// whether a beat accepted now belongs to a dropped frame
wire drop_cur = in_frame_reg ? (drop_link_reg || drop_dis_reg) : (!link_up || !enable);

assign s_axis_tready = drop_cur || pass_ready_reg;

wire beat = s_axis_tvalid && s_axis_tready;
wire pass_valid = s_axis_tvalid && !drop_cur;
wire pass_beat = beat && !drop_cur;

// ready next cycle if the output is taken, or nothing would fill the temp
wire pass_ready_early = m_axis_tready || (!temp_tvalid_reg && (!m_tvalid_reg || !pass_valid));

assign m_axis_tdata = m_tdata_reg;
assign m_axis_tkeep = m_tkeep_reg;
assign m_axis_tvalid = m_tvalid_reg;
assign m_axis_tlast = m_tlast_reg;

reg [3:0] keep_cnt;
integer k;

always @* begin
    keep_cnt = 4'd0;
    for (k = 0; k < 8; k = k + 1) begin
        keep_cnt = keep_cnt + {3'd0, s_axis_tkeep[k]};
    end
end

// frame tracking and counting
always @* begin
    in_frame_next = in_frame_reg;
    drop_link_next = drop_link_reg;
    drop_dis_next = drop_dis_reg;
    off_next = off_reg;

    stat_tx_frame = 1'b0;
    stat_tx_len = off_reg + {{(LEN_W-4){1'b0}}, keep_cnt};
    stat_drop_link_down = 1'b0;
    stat_drop_disabled = 1'b0;

    if (beat) begin
        if (!in_frame_reg) begin
            drop_link_next = !link_up;
            drop_dis_next = link_up && !enable;
        end

        if (s_axis_tlast) begin
            in_frame_next = 1'b0;
            off_next = {LEN_W{1'b0}};
            stat_tx_frame = !drop_cur;
            stat_drop_link_down = drop_link_next;
            stat_drop_disabled = drop_dis_next;
        end else begin
            in_frame_next = 1'b1;
            off_next = off_reg + 8;
        end
    end
end

// skid buffer
always @* begin
    m_tvalid_next = m_tvalid_reg;
    temp_tvalid_next = temp_tvalid_reg;

    store_input_to_output = 1'b0;
    store_input_to_temp = 1'b0;
    store_temp_to_output = 1'b0;

    if (pass_ready_reg) begin
        if (m_axis_tready || !m_tvalid_reg) begin
            // output ready or empty: input to output
            m_tvalid_next = pass_beat;
            store_input_to_output = 1'b1;
        end else begin
            // output stalled: input to temp
            temp_tvalid_next = pass_beat;
            store_input_to_temp = 1'b1;
        end
    end else if (m_axis_tready) begin
        // input not ready, output ready: temp to output
        m_tvalid_next = temp_tvalid_reg;
        temp_tvalid_next = 1'b0;
        store_temp_to_output = 1'b1;
    end
end

always @(posedge clk) begin
    in_frame_reg <= in_frame_next;
    drop_link_reg <= drop_link_next;
    drop_dis_reg <= drop_dis_next;
    off_reg <= off_next;

    m_tvalid_reg <= m_tvalid_next;
    temp_tvalid_reg <= temp_tvalid_next;
    pass_ready_reg <= pass_ready_early;

    if (store_input_to_output) begin
        m_tdata_reg <= s_axis_tdata;
        m_tkeep_reg <= s_axis_tkeep;
        m_tlast_reg <= s_axis_tlast;
    end else if (store_temp_to_output) begin
        m_tdata_reg <= temp_tdata_reg;
        m_tkeep_reg <= temp_tkeep_reg;
        m_tlast_reg <= temp_tlast_reg;
    end

    if (store_input_to_temp) begin
        temp_tdata_reg <= s_axis_tdata;
        temp_tkeep_reg <= s_axis_tkeep;
        temp_tlast_reg <= s_axis_tlast;
    end

    if (rst) begin
        in_frame_reg <= 1'b0;
        drop_link_reg <= 1'b0;
        drop_dis_reg <= 1'b0;
        off_reg <= {LEN_W{1'b0}};
        m_tvalid_reg <= 1'b0;
        temp_tvalid_reg <= 1'b0;
        pass_ready_reg <= 1'b0;
    end
end

endmodule

`resetall
