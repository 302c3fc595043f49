// SPDX-License-Identifier: MIT
// Bit positions in the context record's `flags` byte: the twins of enum
// tt_ctx_flag in host/include/teamtoe/ctx.h. The transmit-stage test
// benches (tests/rtl/tcp_*_tb.cpp) compare every flag the RTL writes with
// the C stages, so a position that drifts from ctx.h fails them.

localparam CTXF_VALID       = 0;
localparam CTXF_ACK_PENDING = 1;  // a delayed ACK is owed
localparam CTXF_RECOVERY    = 2;  // in NewReno fast recovery
localparam CTXF_DELACK      = 3;  // ACK_PENDING has seen one timer tick
localparam CTXF_PERSIST     = 4;  // `timer` is the persist timer
localparam CTXF_PROBE       = 5;  // a zero-window probe is owed
