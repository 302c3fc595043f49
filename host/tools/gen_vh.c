/* SPDX-License-Identifier: MIT */
/* Print rtl/teamtoe_defs.vh from host/include/teamtoe/defs.h. */
#include <stdint.h>
#include <stdio.h>

#include "teamtoe/defs.h"

int main(void)
{
	printf("// SPDX-License-Identifier: MIT\n");
	printf("// Generated from host/include/teamtoe/defs.h by host/tools/gen_vh.c.\n");
	printf("// Do not edit: run 'make defs'.\n\n");
	printf("localparam [31:0] TT_CARD_ID_VALUE = 32'h%08x;\n", TT_CARD_ID_VALUE);
	printf("localparam [31:0] TT_CARD_VERSION = 32'h%08x;\n", TT_CARD_VERSION);
	printf("localparam TT_CTX_VERSION = %u;\n", TT_CTX_VERSION);
	printf("localparam TT_CTX_BYTES = %u;\n", TT_CTX_BYTES);
	printf("localparam TT_MAX_FRAME = %u;\n", TT_MAX_FRAME);
	printf("localparam [15:0] TT_SLOT_NONE = 16'h%04x;\n", TT_SLOT_NONE);
	printf("\n// registers (byte addresses)\n");
#define R(name, addr, wr) printf("localparam [11:0] TT_REG_%s = 12'h%03x;\n", #name, addr);
	TT_REGS(R)
#undef R
	printf("localparam [11:0] TT_REG_COUNTER_BASE = 12'h%03x;\n", TT_REG_COUNTER_BASE);
	printf("\n// drop reasons\n");
#define D(name, code) printf("localparam [7:0] TT_DROP_%s = 8'd%d;\n", #name, code);
	TT_DROPS(D)
#undef D
	printf("\n// exception reasons\n");
#define E(name, code) printf("localparam [7:0] TT_EXC_%s = 8'd%d;\n", #name, code);
	TT_EXCS(E)
#undef E
	printf("localparam TT_EXC_COUNT = %d;\n", TT_EXC_COUNT);
	printf("\n// counters (index i at TT_REG_COUNTER_BASE + 4*i)\n");
#define C(name, idx) printf("localparam TT_CNT_%s = %d;\n", #name, idx);
	TT_COUNTERS(C)
#undef C
	printf("localparam TT_COUNTER_COUNT = %d;\n", TT_COUNTER_COUNT);
	printf("localparam TT_COUNTER_DROP_BASE = %d;\n", TT_COUNTER_DROP_BASE);
	printf("localparam TT_COUNTER_EXC_BASE = %d;\n", TT_COUNTER_EXC_BASE);
	printf("\n// DMA write kinds\n");
#define K(name, code) printf("localparam [7:0] TT_DMA_%s = 8'd%d;\n", #name, code);
	TT_DMA_KINDS(K)
#undef K
	printf("\n// event types\n");
#define V(name, code) printf("localparam [7:0] TT_EVT_%s = 8'd%d;\n", #name, code);
	TT_EVTS(V)
#undef V
	printf("\n// trace item kinds\n");
#define T(name, code) printf("localparam [7:0] TT_TRACE_%s = 8'd%d;\n", #name, code);
	TT_TRACES(T)
#undef T
	printf("\n// context record fields: bit offset (LSB) and width in the 512-bit record\n");
#define F(name, type, bit, bits) \
	printf("localparam CTX_%s_LSB = %d, CTX_%s_W = %d;\n", #name, bit, #name, bits);
	TT_CTX_FIELDS(F)
#undef F
	return 0;
}
