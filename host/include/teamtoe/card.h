/* SPDX-License-Identifier: MIT */
/*
 * The card interface: the one seam between the host and a card.
 *
 * Every host module drives cards only through these functions. Two backends
 * implement them: "rtl" (verilator/, the Verilated rtl/ card) and "model"
 * (sw-model/, the bit-accurate C model). Given the same calls in the same
 * order, both produce the same sequence of items on every output stream
 * (network TX, DMA write, events) and the same counters.
 *
 * Streams are queues on the card's side of a simulated PCIe link:
 *  - input calls (tt_card_net_rx, tt_card_host_tx, ...) enqueue and return
 *    TT_EAGAIN when the card's input queue is full: call tt_card_step() and
 *    try again;
 *  - output calls (tt_card_net_tx, tt_card_dma_write, tt_card_event, ...)
 *    dequeue one item or return TT_EAGAIN when there is none. An output the
 *    host does not drain back-pressures the card; the card never drops an
 *    item it has accepted, except events (counted in EVT_DROP);
 *  - nothing moves inside the card except during tt_card_step().
 *
 * Network TX has two sources, raw frames from the host (tt_card_host_tx)
 * and frames the card's TCP engine builds (pure ACKs); the card decides how
 * they interleave on the wire. Each frame out says its source
 * (tt_card_net_tx_src); within one source the order is fixed by the
 * inputs, across the two it is the card's own.
 *
 * Calls that a card's revision does not implement yet return
 * TT_EUNSUPPORTED and change nothing.
 */
#ifndef TEAMTOE_CARD_H
#define TEAMTOE_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/ctx.h"
#include "teamtoe/defs.h"

enum tt_status {
	TT_OK           = 0,
	TT_EAGAIN       = -1, /* queue empty (output) or full (input) */
	TT_EINVAL       = -2, /* bad argument or unmapped register */
	TT_ENOTFOUND    = -3, /* no such connection */
	TT_EFULL        = -4, /* connection table full */
	TT_EBUSY        = -5, /* context port busy with that connection */
	TT_EUNSUPPORTED = -6, /* not implemented by this card revision */
	TT_ENOMEM       = -7,
	TT_ETOOBIG      = -8, /* the caller's buffer is too small */
	TT_ENOBACKEND   = -9, /* unknown backend name */
	TT_EEXIST       = -10, /* connection already offloaded on this card */
};

/* Human-readable name of a tt_status value. */
const char *tt_status_str(int status);

enum tt_drop {
#define TT_E(name, code) TT_DROP_##name = code,
	TT_DROPS(TT_E)
#undef TT_E
};

enum tt_exc {
#define TT_E(name, code) TT_EXC_##name = code,
	TT_EXCS(TT_E)
#undef TT_E
};

enum tt_counter {
#define TT_E(name, idx) TT_CNT_##name = idx,
	TT_COUNTERS(TT_E)
#undef TT_E
};

enum tt_reg {
#define TT_E(name, addr, wr) TT_REG_##name = addr,
	TT_REGS(TT_E)
#undef TT_E
};

enum tt_dma_kind {
#define TT_E(name, code) TT_DMA_##name = code,
	TT_DMA_KINDS(TT_E)
#undef TT_E
};

enum tt_evt_type {
#define TT_E(name, code) TT_EVT_##name = code,
	TT_EVTS(TT_E)
#undef TT_E
};

const char *tt_drop_str(int code);     /* "BAD_IP_CSUM", or "?" */
const char *tt_exc_str(int code);      /* "NO_MATCH", or "?" */
const char *tt_counter_str(int index); /* "RX_FRAMES", or NULL if unused */

/* Parameters a card is built with. */
struct tt_card_params {
	uint32_t conn_slots;    /* connection slots (power of two) */
	const char *trace_path; /* RTL only: FST waveform file, NULL = off */
};

/* Source of a frame to the wire. */
enum tt_tx_src {
	TT_TX_SRC_HOST   = 0, /* a raw frame of tt_card_host_tx() */
	TT_TX_SRC_ENGINE = 1, /* built by the card's TCP engine */
};

/* Descriptor of one DMA write (card -> host memory). */
struct tt_dma_write {
	uint8_t kind;   /* enum tt_dma_kind */
	uint8_t reason; /* enum tt_exc, for TT_DMA_EXCEPTION */
	uint16_t len;   /* bytes of data that follow */
	uint16_t slot;  /* connection slot, TT_SLOT_NONE if none */
	uint32_t seq;   /* TCP sequence of the first byte, for TT_DMA_PAYLOAD */
};

/* One completion/event queue entry. */
struct tt_event {
	uint8_t type;   /* enum tt_evt_type */
	uint16_t slot;  /* TT_SLOT_NONE if not about a connection */
	uint32_t value;
};

enum tt_trace_kind {
#define TT_E(name, code) TT_TRACE_##name = code,
	TT_TRACES(TT_E)
#undef TT_E
};

/* One trace item (TT_TRACES): an action whose moment the card chose. A
 * card of revision 1.3 reports every such action in the order it applied
 * it; a differential test hands the RTL card's items to a model card in
 * follow mode (sw-model/model.h) so that both apply them at the same
 * points. */
struct tt_trace {
	uint8_t kind;   /* enum tt_trace_kind */
	uint16_t slot;  /* TT_SLOT_NONE if not about a connection */
	uint32_t order; /* frames received whose verdict came before it */
	uint32_t value;
};

/* The card asks the host for send data (DMA read). */
struct tt_dma_read_req {
	uint16_t slot;
	uint16_t len;
	uint32_t seq;
};

enum tt_ctx_op { TT_CTX_IMPORT = 1, TT_CTX_EXPORT = 2, TT_CTX_SNAPSHOT = 3 };

/* A context port command and its result. */
struct tt_ctx_cmd {
	uint8_t op;                 /* enum tt_ctx_op */
	uint16_t slot;              /* EXPORT/SNAPSHOT: which slot */
	uint8_t rec[TT_CTX_BYTES];  /* IMPORT: the record (tt_ctx_pack) */
};

struct tt_ctx_result {
	uint8_t op;
	int8_t status;              /* TT_OK, TT_ENOTFOUND, TT_EFULL,
				       TT_EEXIST, TT_EINVAL */
	uint16_t slot;              /* IMPORT: where it went */
	uint32_t order;             /* frames received before it took effect */
	uint8_t rec[TT_CTX_BYTES];  /* EXPORT/SNAPSHOT: the record */
};

struct tt_card;

/* Backend operations; a backend's card struct starts with struct tt_card. */
struct tt_card_ops {
	const char *name;
	struct tt_card *(*create)(const struct tt_card_params *p, int *err);
	void (*destroy)(struct tt_card *c);
	int (*reg_write)(struct tt_card *c, uint32_t addr, uint32_t val);
	int (*reg_read)(struct tt_card *c, uint32_t addr, uint32_t *val);
	void (*set_link)(struct tt_card *c, int up);
	int (*net_rx)(struct tt_card *c, const uint8_t *frame, size_t len);
	int (*net_tx)(struct tt_card *c, uint8_t *buf, size_t cap, size_t *len,
		      int *src);
	int (*host_tx)(struct tt_card *c, const uint8_t *frame, size_t len);
	int (*dma_write)(struct tt_card *c, struct tt_dma_write *d,
			 uint8_t *buf, size_t cap);
	int (*dma_read_req)(struct tt_card *c, struct tt_dma_read_req *r);
	int (*dma_read_resp)(struct tt_card *c, const struct tt_dma_read_req *r,
			     const uint8_t *data);
	int (*doorbell)(struct tt_card *c, uint16_t slot, uint32_t snd_end);
	int (*event)(struct tt_card *c, struct tt_event *ev);
	int (*trace)(struct tt_card *c, struct tt_trace *t);
	int (*ctx_cmd)(struct tt_card *c, const struct tt_ctx_cmd *cmd);
	int (*ctx_result)(struct tt_card *c, struct tt_ctx_result *res);
	void (*step)(struct tt_card *c, uint64_t cycles);
	uint64_t (*cycles)(struct tt_card *c);
	int (*idle)(struct tt_card *c);
};

struct tt_card {
	const struct tt_card_ops *ops;
};

/* Create a card of the named backend ("rtl" or "model"). On failure returns
 * NULL and stores a tt_status in *err (if err is not NULL). */
struct tt_card *tt_card_new(const char *backend,
			    const struct tt_card_params *p, int *err);
void tt_card_free(struct tt_card *c);
const char *tt_card_backend(const struct tt_card *c);
/* Nonzero if a backend of that name exists in this build. */
int tt_card_backend_known(const char *backend);

/* Register port (AXI4-Lite in the RTL): 32-bit registers at byte addresses
 * from TT_REGS / TT_REG_COUNTER_BASE. Unmapped addresses and writes to
 * read-only registers return TT_EINVAL. A register access takes a few card
 * cycles. */
int tt_card_reg_write(struct tt_card *c, uint32_t addr, uint32_t val);
int tt_card_reg_read(struct tt_card *c, uint32_t addr, uint32_t *val);
/* Convenience: read counter TT_CNT_*; returns 0 on any error. */
uint32_t tt_card_counter(struct tt_card *c, int index);

/* Network side. Frames carry no FCS. */
void tt_card_set_link(struct tt_card *c, int up);
int tt_card_net_rx(struct tt_card *c, const uint8_t *frame, size_t len);
int tt_card_net_tx(struct tt_card *c, uint8_t *buf, size_t cap, size_t *len);
/* As tt_card_net_tx, and *src says where the frame came from (enum
 * tt_tx_src). */
int tt_card_net_tx_src(struct tt_card *c, uint8_t *buf, size_t cap,
		       size_t *len, int *src);

/* Host side. */
int tt_card_host_tx(struct tt_card *c, const uint8_t *frame, size_t len);
int tt_card_dma_write(struct tt_card *c, struct tt_dma_write *d,
		      uint8_t *buf, size_t cap);
int tt_card_dma_read_req(struct tt_card *c, struct tt_dma_read_req *r);
int tt_card_dma_read_resp(struct tt_card *c, const struct tt_dma_read_req *r,
			  const uint8_t *data);
int tt_card_doorbell(struct tt_card *c, uint16_t slot, uint32_t snd_end);
int tt_card_event(struct tt_card *c, struct tt_event *ev);
/* The next trace item, TT_EAGAIN if none (revisions before 1.3 have none).
 * The trace is off unless CTRL bit 1 is set; while it is on, a card whose
 * trace is full stops applying such actions until the host reads it (so
 * that no item is ever lost). */
int tt_card_trace(struct tt_card *c, struct tt_trace *t);
int tt_card_ctx_cmd(struct tt_card *c, const struct tt_ctx_cmd *cmd);
int tt_card_ctx_result(struct tt_card *c, struct tt_ctx_result *res);

/* Time. */
void tt_card_step(struct tt_card *c, uint64_t cycles);
uint64_t tt_card_cycles(struct tt_card *c);
/* Nonzero when nothing is in flight inside the card (outputs may still
 * hold items for the host). */
int tt_card_idle(struct tt_card *c);

extern const struct tt_card_ops tt_card_rtl_ops;
extern const struct tt_card_ops tt_card_model_ops;

#endif
