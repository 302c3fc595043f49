/* SPDX-License-Identifier: MIT */
/*
 * teamtoe card definitions: the single source of every number that both the
 * RTL and the C side must agree on (register map, counters, drop and
 * exception reasons, event types, context record layout).
 *
 * Each list is an X-macro. C code expands it into enums and tables;
 * host/tools/gen_vh.c expands it into rtl/teamtoe_defs.vh, and the unit test
 * test_defs checks that the committed .vh equals the generated one.
 */
#ifndef TEAMTOE_DEFS_H
#define TEAMTOE_DEFS_H

#define TT_CARD_ID_VALUE   0x54544f45u /* "TTOE" */
#define TT_CARD_VERSION    0x00010003u /* major 1, minor 3 */
/* First revision whose engine transmits (doorbells, DMA reads, timers:
 * sw-model/ENGINE.md); a host checks VERSION against it. */
#define TT_CARD_VERSION_ENGINE_TX 0x00010003u
#define TT_CTX_VERSION     1u
#define TT_CTX_BYTES       64u
#define TT_MAX_FRAME       9216u       /* longest frame a card accepts (bytes, no FCS) */
#define TT_SLOT_NONE       0xffffu
#define TT_CONN_WAYS       4u          /* connection table associativity */

/* Registers: X(name, byte address, writable) */
#define TT_REGS(X)                                                            \
	X(ID,          0x000, 0) /* constant TT_CARD_ID_VALUE */                  \
	X(VERSION,     0x004, 0) /* constant TT_CARD_VERSION */                   \
	X(CTRL,        0x010, 1) /* bit 0: enable; bit 1: trace on (1.3) */      \
	X(STATUS,      0x014, 0) /* bit 0: link up; bit 1: engine busy (1.3) */   \
	X(CARD_ID,     0x018, 1) /* this card's id in its team */                 \
	X(MAC_HI,      0x01c, 1) /* team MAC bytes 0..1 as mac[0]<<8 | mac[1] */  \
	X(MAC_LO,      0x020, 1) /* team MAC bytes 2..5, mac[2] in bits 31:24 */  \
	X(IPV4,        0x024, 1) /* team IPv4 address, a.b.c.d = a<<24|..|d */    \
	X(TIMER_SCALE, 0x028, 1) /* cycles per TCP timer tick */               \
	X(PARAMS,      0x02c, 0) /* log2(CONN_SLOTS) in 4:0, log2(ways) 9:8 */   \
	X(RETRY_LIMIT, 0x030, 1) /* RTO retries before RTO_LIMIT (1.3); reset 8 */ \
	X(HASH_KEY0,   0x040, 1) /* connection hash key bits 127:96 */          \
	X(HASH_KEY1,   0x044, 1) /* ... bits 95:64 */                           \
	X(HASH_KEY2,   0x048, 1) /* ... bits 63:32 */                           \
	X(HASH_KEY3,   0x04c, 1) /* ... bits 31:0 */

#define TT_REG_COUNTER_BASE 0x100u /* counter i at TT_REG_COUNTER_BASE + 4*i */

/* Drop reasons: X(name, code). A dropped frame counts in DROP_<name>. */
#define TT_DROPS(X)                                                           \
	X(LINK_DOWN,    0) /* link down when the frame arrived */                 \
	X(DISABLED,     1) /* CTRL.enable clear */                                \
	X(OVERSIZE,     2) /* longer than TT_MAX_FRAME */                         \
	X(TRUNCATED,    3) /* ends inside a header or before IP total length */  \
	X(NOT_FOR_US,   4) /* destination MAC or IPv4 not the team's */           \
	X(BAD_IP_HDR,   5) /* IPv4 version != 4, IHL < 5, total length < IHL */  \
	X(BAD_IP_CSUM,  6) /* IPv4 header checksum wrong */                       \
	X(BAD_TCP_HDR,  7) /* TCP shorter than 20 bytes or data offset wrong */  \
	X(BAD_TCP_CSUM, 8) /* TCP checksum (with pseudo-header) wrong */

/* Exception reasons: X(name, code). The frame goes whole to the host. */
#define TT_EXCS(X)                                                            \
	X(NOT_IPV4,   1) /* ethertype is not IPv4 (ARP, IPv6, VLAN, ...) */      \
	X(FRAGMENT,   2) /* IPv4 fragment (MF set or offset != 0) */            \
	X(IP_OPTIONS, 3) /* IPv4 header with options (IHL > 5) */               \
	X(NOT_TCP,    4) /* IPv4 protocol is not TCP */                         \
	X(NO_MATCH,   5) /* valid TCP, no offloaded connection */               \
	X(TCP_FLAGS,  6) /* offloaded connection, SYN/FIN/RST/URG set */        \
	X(UNHANDLED,  7) /* offloaded connection, ACK clear: the host's */

#define TT_EXC_COUNT 8 /* codes 0..7; code 0 is unused */

/* Counters: X(name, index), read at TT_REG_COUNTER_BASE + 4*index.
 * All are 32 bits and wrap. */
#define TT_COUNTERS(X)                                                        \
	X(RX_FRAMES,          0) /* every frame from the wire */                 \
	X(RX_BYTES,           1)                                                  \
	X(TX_FRAMES,          2) /* every frame to the wire (host and engine) */ \
	X(TX_BYTES,           3)                                                  \
	X(TX_DROP_LINK_DOWN,  4) /* frames to the wire dropped: link down */     \
	X(TX_DROP_DISABLED,   5) /* frames to the wire dropped: card disabled */ \
	X(EVT_DROP,           6) /* LINK events lost: their queue was full */    \
	X(DROP_LINK_DOWN,     8)                                                  \
	X(DROP_DISABLED,      9)                                                  \
	X(DROP_OVERSIZE,     10)                                                  \
	X(DROP_TRUNCATED,    11)                                                  \
	X(DROP_NOT_FOR_US,   12)                                                  \
	X(DROP_BAD_IP_HDR,   13)                                                  \
	X(DROP_BAD_IP_CSUM,  14)                                                  \
	X(DROP_BAD_TCP_HDR,  15)                                                  \
	X(DROP_BAD_TCP_CSUM, 16)                                                  \
	X(EXC_NOT_IPV4,      17)                                                  \
	X(EXC_FRAGMENT,      18)                                                  \
	X(EXC_IP_OPTIONS,    19)                                                  \
	X(EXC_NOT_TCP,       20)                                                  \
	X(EXC_NO_MATCH,      21)                                                  \
	X(EXC_TCP_FLAGS,     22)                                                  \
	X(EXC_UNHANDLED,     23)                                                  \
	X(CTX_IMPORT,        24) /* context commands that succeeded */          \
	X(CTX_EXPORT,        25)                                                  \
	X(CTX_SNAPSHOT,      26)                                                  \
	X(CTX_FULL,          27) /* imports refused: bucket full */             \
	X(CTX_EXISTS,        28) /* imports refused: 4-tuple already there */   \
	X(CTX_NOT_FOUND,     29) /* export/snapshot of an empty slot */         \
	X(CTX_BAD,           30) /* bad op, bad version, slot out of range */   \
	X(ENG_SEGMENTS,      32) /* segments the RX engine took (revision 1.2) */ \
	X(ENG_PAYLOADS,      33) /* PAYLOAD DMA writes */                        \
	X(ENG_PAYLOAD_BYTES, 34) /* bytes delivered in them */                   \
	X(ENG_ACKED,         35) /* ACKED events: snd_una advanced */            \
	X(ENG_ACKS_SENT,     36) /* pure ACKs to the wire (also in TX_FRAMES) */ \
	X(ENG_ACKS_DROPPED,  37) /* pure ACKs dropped (also in TX_DROP_*) */    \
	X(ENG_OUT_OF_ORDER,  38) /* data past rcv_nxt: dropped, ACK sent */     \
	X(ENG_DUPLICATE,     39) /* data all received before: dropped, ACK */   \
	X(ENG_WINDOW_TRIM,   40) /* data partly beyond the window: tail cut */  \
	X(ENG_ZERO_WINDOW,   41) /* data while the window is 0: dropped, ACK */ \
	X(ENG_ACK_UNSENT,    42) /* ACK of data never sent: dropped, ACK */     \
	X(ENG_DUPACKS,       43) /* duplicate ACKs counted (RFC 5681) */         \
	X(ENG_DOORBELLS,     44) /* doorbells applied (revision 1.3) */         \
	X(ENG_DB_IGNORED,    45) /* doorbells ignored: backwards or too far */  \
	X(ENG_RD_REQS,       46) /* DMA read requests for send data */          \
	X(ENG_RD_STALE,      47) /* DMA read answers dropped: slot moved */     \
	X(ENG_DATA_SEGS,     48) /* data segments sent (probes included) */     \
	X(ENG_DATA_BYTES,    49) /* payload bytes in them */                    \
	X(ENG_PROBES,        50) /* zero-window probes sent */                  \
	X(ENG_RTO,           51) /* retransmission timeouts (go-back-N) */      \
	X(ENG_FAST_RETRANS,  52) /* fast retransmits (third duplicate ACK) */   \
	X(ENG_DELACKS,       53) /* ACKs sent by the delayed-ACK timer */       \
	X(ENG_RTO_LIMIT,     54) /* RTO_LIMIT events */                        \
	X(ENG_DATA_DROPPED,  55) /* data segments dropped (also in TX_DROP_*) */

#define TT_COUNTER_COUNT 64 /* indices 0..63; unlisted indices read 0 */
#define TT_COUNTER_DROP_BASE 8  /* DROP_<r> = 8 + drop code */
#define TT_COUNTER_EXC_BASE  16 /* EXC_<r>  = 16 + exception code */

/* DMA-write kinds: X(name, code) */
#define TT_DMA_KINDS(X)                                                       \
	X(EXCEPTION, 1) /* a whole frame for the host, with a reason */          \
	X(PAYLOAD,   2) /* in-order payload of an offloaded connection */

/* Event types: X(name, code) */
#define TT_EVTS(X)                                                            \
	X(LINK,      1) /* link state changed; value = 1 up, 0 down */           \
	X(ACKED,     2) /* slot's snd_una advanced; value = snd_una */           \
	X(RETRANS,   3) /* slot retransmitted; value = sequence */              \
	X(RTO_LIMIT, 4) /* slot reached the retry limit */

/*
 * Trace items (revision 1.3): what the card's own arbitration decides, in
 * the order the card applied it, so that a model can follow (DESIGN §3).
 * X(name, code); every item carries the slot, `order` (frames decided
 * before it, as for context results) and a value.
 */
#define TT_TRACES(X)                                                          \
	X(DOORBELL,  1) /* doorbell applied to slot; value = snd_end */           \
	X(TX_READ,   2) /* scheduler issued a DMA read for slot; value = seq */   \
	X(TX_ANSWER, 3) /* DMA read answer for slot applied; value = seq */       \
	X(TICK,      4) /* a timer tick swept every slot; slot ffff, value = tick number */ \
	X(CTX,       5) /* a context command took effect; slot as in its result, value = op */ \
	X(SEG_ACK,   6) /* a segment's congestion step applied to slot; value = acked amount, 0 for a duplicate ACK */

/*
 * The context record: 64 bytes, byte i of the record is bits [8i+7:8i] of
 * the Verilog vector. Multi-byte fields are little-endian in the record.
 * X(name, C type, byte offset, bits). Fields narrower than a byte share it
 * and give their bit offset as byte*8 + bit.
 */
#define TT_CTX_FIELDS(X)                                                      \
	X(version,     uint8_t,   0,  8) /* TT_CTX_VERSION */                    \
	X(flags,       uint8_t,   8,  8) /* TT_CTXF_* */                         \
	X(mss,         uint16_t, 16, 16) /* peer's MSS */                        \
	X(local_ip,    uint32_t, 32, 32)                                          \
	X(remote_ip,   uint32_t, 64, 32)                                          \
	X(local_port,  uint16_t, 96, 16)                                          \
	X(remote_port, uint16_t,112, 16)                                          \
	X(peer_mac,    uint64_t,128, 48) /* MAC byte i in bits 8i+7:8i */       \
	X(snd_wscale,  uint8_t, 176,  4)                                          \
	X(rcv_wscale,  uint8_t, 180,  4)                                          \
	X(retries,     uint8_t, 184,  8) /* RTO retries so far */                \
	X(snd_una,     uint32_t,192, 32)                                          \
	X(snd_nxt,     uint32_t,224, 32)                                          \
	X(snd_max,     uint32_t,256, 32) /* end of the host send buffer */       \
	X(rcv_nxt,     uint32_t,288, 32)                                          \
	X(recover,     uint32_t,320, 32) /* NewReno recovery point */            \
	X(cwnd,        uint32_t,352, 32)                                          \
	X(ssthresh,    uint32_t,384, 32)                                          \
	X(snd_wnd,     uint16_t,416, 16) /* as received, unscaled */             \
	X(rcv_wnd,     uint16_t,432, 16) /* as advertised, unscaled */           \
	X(rto,         uint16_t,448, 16) /* timer ticks */                       \
	X(timer,       uint16_t,464, 16) /* ticks left, 0 = stopped */           \
	X(ip_id,       uint16_t,480, 16) /* next IPv4 identification */          \
	X(dupacks,     uint8_t, 496,  8)                                          \
	X(state,       uint8_t, 504,  8) /* TT_TCP_* */

#endif
