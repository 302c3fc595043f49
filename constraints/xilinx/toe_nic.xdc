# SPDX-License-Identifier: MIT
# teamtoe card core on a Xilinx 7-series part (reference only; no flow in
# this repository runs Vivado). Meant for an out-of-context synthesis and
# implementation of rtl/toe_nic.v, the way the ECP5 core is placed:
#   synth_design -top toe_nic -part <7-series part> -mode out_of_context
#   read_xdc constraints/xilinx/toe_nic.xdc
# A board top adds PACKAGE_PIN / IOSTANDARD lines for its own pins.

# Core clock: 10 Gb/s over a 64-bit datapath = 156.25 MHz (6.4 ns).
create_clock -period 6.400 -name clk [get_ports clk]

# Out of context: the clock comes from a global buffer in the parent design.
set_property HD.CLK_SRC BUFGCTRL_X0Y0 [get_ports clk]

# The AXI stream and AXI-Lite ports connect to other logic of the same
# clock (MAC, DMA engine, register bridge), not to pins: budget 30 % of the
# period for the logic on the far side of each port.
set_input_delay  -clock clk 1.920 [get_ports -filter {DIRECTION == IN && NAME != clk}]
set_output_delay -clock clk 1.920 [get_ports -filter {DIRECTION == OUT}]
