// SPDX-License-Identifier: MIT
// Generated from host/include/teamtoe/defs.h by host/tools/gen_vh.c.
// Do not edit: run 'make defs'.

localparam [31:0] TT_CARD_ID_VALUE = 32'h54544f45;
localparam [31:0] TT_CARD_VERSION = 32'h00010003;
localparam TT_CTX_VERSION = 1;
localparam TT_CTX_BYTES = 64;
localparam TT_MAX_FRAME = 9216;
localparam [15:0] TT_SLOT_NONE = 16'hffff;

// registers (byte addresses)
localparam [11:0] TT_REG_ID = 12'h000;
localparam [11:0] TT_REG_VERSION = 12'h004;
localparam [11:0] TT_REG_CTRL = 12'h010;
localparam [11:0] TT_REG_STATUS = 12'h014;
localparam [11:0] TT_REG_CARD_ID = 12'h018;
localparam [11:0] TT_REG_MAC_HI = 12'h01c;
localparam [11:0] TT_REG_MAC_LO = 12'h020;
localparam [11:0] TT_REG_IPV4 = 12'h024;
localparam [11:0] TT_REG_TIMER_SCALE = 12'h028;
localparam [11:0] TT_REG_PARAMS = 12'h02c;
localparam [11:0] TT_REG_RETRY_LIMIT = 12'h030;
localparam [11:0] TT_REG_HASH_KEY0 = 12'h040;
localparam [11:0] TT_REG_HASH_KEY1 = 12'h044;
localparam [11:0] TT_REG_HASH_KEY2 = 12'h048;
localparam [11:0] TT_REG_HASH_KEY3 = 12'h04c;
localparam [11:0] TT_REG_COUNTER_BASE = 12'h100;

// drop reasons
localparam [7:0] TT_DROP_LINK_DOWN = 8'd0;
localparam [7:0] TT_DROP_DISABLED = 8'd1;
localparam [7:0] TT_DROP_OVERSIZE = 8'd2;
localparam [7:0] TT_DROP_TRUNCATED = 8'd3;
localparam [7:0] TT_DROP_NOT_FOR_US = 8'd4;
localparam [7:0] TT_DROP_BAD_IP_HDR = 8'd5;
localparam [7:0] TT_DROP_BAD_IP_CSUM = 8'd6;
localparam [7:0] TT_DROP_BAD_TCP_HDR = 8'd7;
localparam [7:0] TT_DROP_BAD_TCP_CSUM = 8'd8;

// exception reasons
localparam [7:0] TT_EXC_NOT_IPV4 = 8'd1;
localparam [7:0] TT_EXC_FRAGMENT = 8'd2;
localparam [7:0] TT_EXC_IP_OPTIONS = 8'd3;
localparam [7:0] TT_EXC_NOT_TCP = 8'd4;
localparam [7:0] TT_EXC_NO_MATCH = 8'd5;
localparam [7:0] TT_EXC_TCP_FLAGS = 8'd6;
localparam [7:0] TT_EXC_UNHANDLED = 8'd7;
localparam TT_EXC_COUNT = 8;

// counters (index i at TT_REG_COUNTER_BASE + 4*i)
localparam TT_CNT_RX_FRAMES = 0;
localparam TT_CNT_RX_BYTES = 1;
localparam TT_CNT_TX_FRAMES = 2;
localparam TT_CNT_TX_BYTES = 3;
localparam TT_CNT_TX_DROP_LINK_DOWN = 4;
localparam TT_CNT_TX_DROP_DISABLED = 5;
localparam TT_CNT_EVT_DROP = 6;
localparam TT_CNT_DROP_LINK_DOWN = 8;
localparam TT_CNT_DROP_DISABLED = 9;
localparam TT_CNT_DROP_OVERSIZE = 10;
localparam TT_CNT_DROP_TRUNCATED = 11;
localparam TT_CNT_DROP_NOT_FOR_US = 12;
localparam TT_CNT_DROP_BAD_IP_HDR = 13;
localparam TT_CNT_DROP_BAD_IP_CSUM = 14;
localparam TT_CNT_DROP_BAD_TCP_HDR = 15;
localparam TT_CNT_DROP_BAD_TCP_CSUM = 16;
localparam TT_CNT_EXC_NOT_IPV4 = 17;
localparam TT_CNT_EXC_FRAGMENT = 18;
localparam TT_CNT_EXC_IP_OPTIONS = 19;
localparam TT_CNT_EXC_NOT_TCP = 20;
localparam TT_CNT_EXC_NO_MATCH = 21;
localparam TT_CNT_EXC_TCP_FLAGS = 22;
localparam TT_CNT_EXC_UNHANDLED = 23;
localparam TT_CNT_CTX_IMPORT = 24;
localparam TT_CNT_CTX_EXPORT = 25;
localparam TT_CNT_CTX_SNAPSHOT = 26;
localparam TT_CNT_CTX_FULL = 27;
localparam TT_CNT_CTX_EXISTS = 28;
localparam TT_CNT_CTX_NOT_FOUND = 29;
localparam TT_CNT_CTX_BAD = 30;
localparam TT_CNT_ENG_SEGMENTS = 32;
localparam TT_CNT_ENG_PAYLOADS = 33;
localparam TT_CNT_ENG_PAYLOAD_BYTES = 34;
localparam TT_CNT_ENG_ACKED = 35;
localparam TT_CNT_ENG_ACKS_SENT = 36;
localparam TT_CNT_ENG_ACKS_DROPPED = 37;
localparam TT_CNT_ENG_OUT_OF_ORDER = 38;
localparam TT_CNT_ENG_DUPLICATE = 39;
localparam TT_CNT_ENG_WINDOW_TRIM = 40;
localparam TT_CNT_ENG_ZERO_WINDOW = 41;
localparam TT_CNT_ENG_ACK_UNSENT = 42;
localparam TT_CNT_ENG_DUPACKS = 43;
localparam TT_CNT_ENG_DOORBELLS = 44;
localparam TT_CNT_ENG_DB_IGNORED = 45;
localparam TT_CNT_ENG_RD_REQS = 46;
localparam TT_CNT_ENG_RD_STALE = 47;
localparam TT_CNT_ENG_DATA_SEGS = 48;
localparam TT_CNT_ENG_DATA_BYTES = 49;
localparam TT_CNT_ENG_PROBES = 50;
localparam TT_CNT_ENG_RTO = 51;
localparam TT_CNT_ENG_FAST_RETRANS = 52;
localparam TT_CNT_ENG_DELACKS = 53;
localparam TT_CNT_ENG_RTO_LIMIT = 54;
localparam TT_CNT_ENG_DATA_DROPPED = 55;
localparam TT_COUNTER_COUNT = 64;
localparam TT_COUNTER_DROP_BASE = 8;
localparam TT_COUNTER_EXC_BASE = 16;

// DMA write kinds
localparam [7:0] TT_DMA_EXCEPTION = 8'd1;
localparam [7:0] TT_DMA_PAYLOAD = 8'd2;

// event types
localparam [7:0] TT_EVT_LINK = 8'd1;
localparam [7:0] TT_EVT_ACKED = 8'd2;
localparam [7:0] TT_EVT_RETRANS = 8'd3;
localparam [7:0] TT_EVT_RTO_LIMIT = 8'd4;

// trace item kinds
localparam [7:0] TT_TRACE_DOORBELL = 8'd1;
localparam [7:0] TT_TRACE_TX_READ = 8'd2;
localparam [7:0] TT_TRACE_TX_ANSWER = 8'd3;
localparam [7:0] TT_TRACE_TICK = 8'd4;
localparam [7:0] TT_TRACE_CTX = 8'd5;
localparam [7:0] TT_TRACE_SEG_ACK = 8'd6;

// context record fields: bit offset (LSB) and width in the 512-bit record
localparam CTX_version_LSB = 0, CTX_version_W = 8;
localparam CTX_flags_LSB = 8, CTX_flags_W = 8;
localparam CTX_mss_LSB = 16, CTX_mss_W = 16;
localparam CTX_local_ip_LSB = 32, CTX_local_ip_W = 32;
localparam CTX_remote_ip_LSB = 64, CTX_remote_ip_W = 32;
localparam CTX_local_port_LSB = 96, CTX_local_port_W = 16;
localparam CTX_remote_port_LSB = 112, CTX_remote_port_W = 16;
localparam CTX_peer_mac_LSB = 128, CTX_peer_mac_W = 48;
localparam CTX_snd_wscale_LSB = 176, CTX_snd_wscale_W = 4;
localparam CTX_rcv_wscale_LSB = 180, CTX_rcv_wscale_W = 4;
localparam CTX_retries_LSB = 184, CTX_retries_W = 8;
localparam CTX_snd_una_LSB = 192, CTX_snd_una_W = 32;
localparam CTX_snd_nxt_LSB = 224, CTX_snd_nxt_W = 32;
localparam CTX_snd_max_LSB = 256, CTX_snd_max_W = 32;
localparam CTX_rcv_nxt_LSB = 288, CTX_rcv_nxt_W = 32;
localparam CTX_recover_LSB = 320, CTX_recover_W = 32;
localparam CTX_cwnd_LSB = 352, CTX_cwnd_W = 32;
localparam CTX_ssthresh_LSB = 384, CTX_ssthresh_W = 32;
localparam CTX_snd_wnd_LSB = 416, CTX_snd_wnd_W = 16;
localparam CTX_rcv_wnd_LSB = 432, CTX_rcv_wnd_W = 16;
localparam CTX_rto_LSB = 448, CTX_rto_W = 16;
localparam CTX_timer_LSB = 464, CTX_timer_W = 16;
localparam CTX_ip_id_LSB = 480, CTX_ip_id_W = 16;
localparam CTX_dupacks_LSB = 496, CTX_dupacks_W = 8;
localparam CTX_state_LSB = 504, CTX_state_W = 8;
