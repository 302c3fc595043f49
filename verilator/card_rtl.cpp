// SPDX-License-Identifier: MIT
//
// The "rtl" backend of the card interface: the Verilated rtl/toe_nic.v
// behind an opaque handle and C linkage. Software queues stand where a
// real card's PCIe DMA rings and its MAC would be; each tick drives one
// beat per stream and samples every handshake before the rising edge.
//
// Waveforms: set tt_card_params.trace_path to write an FST file (off by
// default so simulation stays fast).

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "Vtoe_nic.h"
#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "teamtoe/card.h"
#include "teamtoe/frameq.h"
}

namespace {

constexpr size_t kInFrames = 64;     // input queues (wire RX, host TX)
constexpr size_t kOutFrames = 256;   // output queues (wire TX, DMA write)
constexpr size_t kEvtCap = 1024;     // host event ring
constexpr int kRegTimeout = 1000;    // cycles before a register access fails
constexpr size_t kCmdCap = 16;       // context commands waiting for the card
constexpr size_t kResCap = 64;       // context results waiting for the host
constexpr size_t kDbCap = 64;        // doorbells waiting for the card
constexpr size_t kRdReqCap = 1024;   // DMA read requests waiting for the host
constexpr size_t kTraceCap = 4096;   // trace items waiting for the host
constexpr size_t kAnsHdr = 8;        // an answer's header beat

// A frame being fed into an AXI stream input, beat by beat.
struct Feeder {
	struct frameq q;
	size_t pos;
};

struct RtlCard {
	struct tt_card base; // must stay first: the C side sees a tt_card
	VerilatedContext *ctx;
	Vtoe_nic *top;
	VerilatedFstC *fst;
	uint64_t cycles;
	uint32_t slots; // CONN_SLOTS of this build
	Feeder rx, host;
	struct frameq net_out, dma_out;
	size_t net_pos, dma_pos;
	bool dma_open; // a descriptor arrived, its data is being collected
	uint64_t rx_fed, host_fed, net_got, dma_got, cmd_sent, res_got, acked_got;
	struct tt_event evt[kEvtCap];
	size_t evt_head, evt_count;
	struct tt_ctx_cmd cmd[kCmdCap];
	size_t cmd_head, cmd_count;
	struct tt_ctx_result res[kResCap];
	size_t res_head, res_count;
	// revision 1.3: doorbells in, DMA read requests out, answers in (each
	// a header beat and its data, fed like a frame), trace items out
	uint64_t db[kDbCap];
	size_t db_head, db_count;
	struct tt_dma_read_req rd_req[kRdReqCap];
	size_t rd_req_head, rd_req_count;
	Feeder ans;
	struct tt_trace trace[kTraceCap];
	size_t trace_head, trace_count;
};

RtlCard *to_rtl(struct tt_card *c) { return reinterpret_cast<RtlCard *>(c); }

void dump(RtlCard *r)
{
	if (r->fst)
		r->fst->dump(r->ctx->time());
}

// Drive the head of a queue onto a stream input; return its tlast.
template <typename D, typename K>
void drive(Feeder &f, uint8_t &tvalid, D &tdata, K &tkeep, uint8_t &tlast)
{
	struct frameq_item *it = frameq_head(&f.q);
	uint64_t d = 0;
	unsigned keep = 0;

	tvalid = it != nullptr;
	if (!it) {
		tlast = 0;
		return;
	}
	size_t n = it->len - f.pos < 8 ? it->len - f.pos : 8;
	for (size_t i = 0; i < n; i++) {
		d |= uint64_t(it->data[f.pos + i]) << (8 * i);
		keep |= 1u << i;
	}
	tdata = d;
	tkeep = keep;
	tlast = f.pos + n == it->len;
}

// Advance a feeder after a beat was accepted; true when a frame ended.
bool advance(Feeder &f)
{
	struct frameq_item *it = frameq_head(&f.q);

	f.pos += 8;
	if (f.pos >= it->len) {
		frameq_pop(&f.q);
		f.pos = 0;
		return true;
	}
	return false;
}

// Append one beat to an item under construction.
void collect(struct frameq_item *it, size_t &pos, uint64_t data, unsigned keep)
{
	for (unsigned i = 0; i < 8; i++)
		if (((keep >> i) & 1) && pos < TT_MAX_FRAME)
			it->data[pos++] = uint8_t(data >> (8 * i));
}

// Context command: op [7:0], slot [31:16], record [543:32].
void drive_ctx_cmd(RtlCard *r)
{
	Vtoe_nic *t = r->top;
	const struct tt_ctx_cmd *c = &r->cmd[r->cmd_head];

	t->s_axis_ctx_cmd_tvalid = r->cmd_count != 0;
	if (!r->cmd_count)
		return;
	t->s_axis_ctx_cmd_tdata[0] = uint32_t(c->op) | uint32_t(c->slot) << 16;
	for (unsigned i = 0; i < TT_CTX_BYTES / 4; i++)
		t->s_axis_ctx_cmd_tdata[1 + i] = uint32_t(c->rec[4 * i]) |
			uint32_t(c->rec[4 * i + 1]) << 8 | uint32_t(c->rec[4 * i + 2]) << 16 |
			uint32_t(c->rec[4 * i + 3]) << 24;
}

// Context result: op [7:0], status [15:8], slot [31:16], order [63:32],
// record [575:64].
void collect_ctx_res(RtlCard *r)
{
	const Vtoe_nic *t = r->top;
	struct tt_ctx_result *res = &r->res[(r->res_head + r->res_count++) % kResCap];
	uint32_t w0 = t->m_axis_ctx_res_tdata[0];

	res->op = uint8_t(w0);
	res->status = int8_t(uint8_t(w0 >> 8));
	res->slot = uint16_t(w0 >> 16);
	res->order = t->m_axis_ctx_res_tdata[1];
	for (unsigned i = 0; i < TT_CTX_BYTES; i++)
		res->rec[i] = uint8_t(t->m_axis_ctx_res_tdata[2 + i / 4] >> (8 * (i % 4)));
}

void tick(RtlCard *r)
{
	Vtoe_nic *t = r->top;

	drive(r->rx, t->s_axis_net_rx_tvalid, t->s_axis_net_rx_tdata,
	      t->s_axis_net_rx_tkeep, t->s_axis_net_rx_tlast);
	drive(r->host, t->s_axis_host_tx_tvalid, t->s_axis_host_tx_tdata,
	      t->s_axis_host_tx_tkeep, t->s_axis_host_tx_tlast);
	t->m_axis_net_tx_tready = !frameq_full(&r->net_out);
	t->m_axis_dma_hdr_tready = !r->dma_open && !frameq_full(&r->dma_out);
	t->m_axis_dma_tready = r->dma_open;
	t->m_axis_evt_tready = r->evt_count < kEvtCap;
	drive_ctx_cmd(r);
	t->m_axis_ctx_res_tready = r->res_count < kResCap;
	t->s_axis_doorbell_tvalid = r->db_count != 0;
	t->s_axis_doorbell_tdata = r->db_count ? r->db[r->db_head] : 0;
	t->m_axis_dma_rd_req_tready = r->rd_req_count < kRdReqCap;
	drive(r->ans, t->s_axis_dma_rd_resp_tvalid, t->s_axis_dma_rd_resp_tdata,
	      t->s_axis_dma_rd_resp_tkeep, t->s_axis_dma_rd_resp_tlast);
	t->m_axis_trace_tready = r->trace_count < kTraceCap;
	t->clk = 0;
	t->eval();

	// Sample every handshake before the edge.
	bool rx_fire = t->s_axis_net_rx_tvalid && t->s_axis_net_rx_tready;
	bool host_fire = t->s_axis_host_tx_tvalid && t->s_axis_host_tx_tready;
	bool net_fire = t->m_axis_net_tx_tvalid && t->m_axis_net_tx_tready;
	bool hdr_fire = t->m_axis_dma_hdr_tvalid && t->m_axis_dma_hdr_tready;
	bool dma_fire = t->m_axis_dma_tvalid && t->m_axis_dma_tready;
	bool evt_fire = t->m_axis_evt_tvalid && t->m_axis_evt_tready;
	bool cmd_fire = t->s_axis_ctx_cmd_tvalid && t->s_axis_ctx_cmd_tready;
	bool res_fire = t->m_axis_ctx_res_tvalid && t->m_axis_ctx_res_tready;
	bool db_fire = t->s_axis_doorbell_tvalid && t->s_axis_doorbell_tready;
	bool rd_req_fire = t->m_axis_dma_rd_req_tvalid && t->m_axis_dma_rd_req_tready;
	bool ans_fire = t->s_axis_dma_rd_resp_tvalid && t->s_axis_dma_rd_resp_tready;
	bool trace_fire = t->m_axis_trace_tvalid && t->m_axis_trace_tready;

	if (db_fire) {
		r->db_head = (r->db_head + 1) % kDbCap;
		r->db_count--;
	}
	if (rd_req_fire) {
		// {seq[63:32], len[31:16], slot[15:0]}
		uint64_t q = t->m_axis_dma_rd_req_tdata;
		struct tt_dma_read_req *rq =
			&r->rd_req[(r->rd_req_head + r->rd_req_count++) % kRdReqCap];
		rq->slot = uint16_t(q);
		rq->len = uint16_t(q >> 16);
		rq->seq = uint32_t(q >> 32);
	}
	if (ans_fire)
		advance(r->ans);
	if (trace_fire) {
		// {value, order, slot, 8'd0, kind}
		const uint32_t *w = t->m_axis_trace_tdata;
		struct tt_trace *tr = &r->trace[(r->trace_head + r->trace_count++) % kTraceCap];
		tr->kind = uint8_t(w[0]);
		tr->slot = uint16_t(w[0] >> 16);
		tr->order = w[1];
		tr->value = w[2];
	}

	if (net_fire) {
		struct frameq_item *it = frameq_tail(&r->net_out);
		collect(it, r->net_pos, t->m_axis_net_tx_tdata, t->m_axis_net_tx_tkeep);
		if (t->m_axis_net_tx_tlast) {
			it->meta[0] = t->m_axis_net_tx_tuser;
			it->len = r->net_pos;
			r->net_pos = 0;
			frameq_commit(&r->net_out);
			r->net_got++;
		}
	}
	if (hdr_fire) {
		struct frameq_item *it = frameq_tail(&r->dma_out);
		const uint32_t *w = t->m_axis_dma_hdr_tdata;
		struct tt_dma_write d = {};
		d.kind = uint8_t(w[0]);
		d.reason = uint8_t(w[0] >> 8);
		d.len = uint16_t(w[0] >> 16);
		d.slot = uint16_t(w[1]);
		d.seq = w[2];
		memcpy(it->meta, &d, sizeof(d));
		r->dma_open = true;
		r->dma_pos = 0;
	}
	if (dma_fire) {
		struct frameq_item *it = frameq_tail(&r->dma_out);
		collect(it, r->dma_pos, t->m_axis_dma_tdata, t->m_axis_dma_tkeep);
		if (t->m_axis_dma_tlast) {
			struct tt_dma_write d;
			memcpy(&d, it->meta, sizeof(d));
			if (d.len != r->dma_pos)
				fprintf(stderr, "card_rtl: DMA descriptor says %u bytes, "
					"data stream carried %zu\n", d.len, r->dma_pos);
			it->len = r->dma_pos;
			frameq_commit(&r->dma_out);
			r->dma_open = false;
			r->dma_got++;
		}
	}
	if (evt_fire) {
		uint64_t e = t->m_axis_evt_tdata;
		struct tt_event *ev = &r->evt[(r->evt_head + r->evt_count++) % kEvtCap];
		ev->type = uint8_t(e);
		ev->slot = uint16_t(e >> 8);
		ev->value = uint32_t(e >> 32);
		if (ev->type == TT_EVT_ACKED)
			r->acked_got++;
	}
	if (res_fire) {
		collect_ctx_res(r);
		r->res_got++;
	}
	if (cmd_fire) {
		r->cmd_sent++;
		r->cmd_head = (r->cmd_head + 1) % kCmdCap;
		r->cmd_count--;
	}
	if (rx_fire && advance(r->rx))
		r->rx_fed++;
	if (host_fire && advance(r->host))
		r->host_fed++;

	r->ctx->timeInc(1);
	dump(r);
	t->clk = 1;
	t->eval();
	r->ctx->timeInc(1);
	dump(r);
	r->cycles++;
}

// ------------------------------------------------------------ the C ABI

void rtl_destroy(struct tt_card *c)
{
	RtlCard *r = to_rtl(c);

	if (r->top)
		r->top->final();
	if (r->fst) {
		r->fst->close();
		delete r->fst;
	}
	delete r->top;
	delete r->ctx;
	frameq_free(&r->rx.q);
	frameq_free(&r->host.q);
	frameq_free(&r->net_out);
	frameq_free(&r->dma_out);
	frameq_free(&r->ans.q);
	free(r);
}

int rtl_reg_read(struct tt_card *c, uint32_t addr, uint32_t *val);

struct tt_card *rtl_create(const struct tt_card_params *p, int *err)
{
	RtlCard *r = static_cast<RtlCard *>(calloc(1, sizeof(RtlCard)));

	if (!r) {
		*err = TT_ENOMEM;
		return nullptr;
	}
	r->base.ops = &tt_card_rtl_ops;
	if (frameq_init(&r->rx.q, kInFrames, 0xffff) ||
	    frameq_init(&r->host.q, kInFrames, TT_MAX_FRAME) ||
	    frameq_init(&r->net_out, kOutFrames, TT_MAX_FRAME) ||
	    frameq_init(&r->dma_out, kOutFrames, TT_MAX_FRAME) ||
	    frameq_init(&r->ans.q, kInFrames, kAnsHdr + 0xffff)) {
		rtl_destroy(&r->base);
		*err = TT_ENOMEM;
		return nullptr;
	}
	r->ctx = new VerilatedContext;
	r->ctx->debug(0);
	r->ctx->randReset(0);
	if (p->trace_path)
		r->ctx->traceEverOn(true);
	r->top = new Vtoe_nic{r->ctx, "card"};
	if (p->trace_path) {
		r->fst = new VerilatedFstC;
		r->top->trace(r->fst, 99);
		r->fst->open(p->trace_path);
	}
	r->top->rst = 1;
	for (int i = 0; i < 4; i++)
		tick(r);
	r->top->rst = 0;
	tick(r);
	// The Verilated model's CONN_SLOTS was fixed when it was built: a card
	// asked to have another size would not be the card it claims to be.
	uint32_t params = 0;
	if (rtl_reg_read(&r->base, TT_REG_PARAMS, &params) ||
	    (1u << (params & 31)) != p->conn_slots) {
		fprintf(stderr, "card_rtl: this build has %u connection slots, "
			"%u were asked for (rebuild with CONN_SLOTS=%u)\n",
			1u << (params & 31), p->conn_slots, p->conn_slots);
		rtl_destroy(&r->base);
		*err = TT_EINVAL;
		return nullptr;
	}
	r->slots = p->conn_slots;
	return &r->base;
}

int rtl_reg_write(struct tt_card *c, uint32_t addr, uint32_t val)
{
	RtlCard *r = to_rtl(c);
	Vtoe_nic *t = r->top;
	bool aw = false, w = false;

	t->s_axil_awaddr = addr;
	t->s_axil_awprot = 0;
	t->s_axil_wdata = val;
	t->s_axil_wstrb = 0xf;
	t->s_axil_bready = 1;
	for (int i = 0; i < kRegTimeout; i++) {
		t->s_axil_awvalid = !aw;
		t->s_axil_wvalid = !w;
		t->clk = 0;
		t->eval();
		bool aw_fire = t->s_axil_awvalid && t->s_axil_awready;
		bool w_fire = t->s_axil_wvalid && t->s_axil_wready;
		bool b_fire = t->s_axil_bvalid && t->s_axil_bready;
		int resp = t->s_axil_bresp;
		tick(r);
		aw = aw || aw_fire;
		w = w || w_fire;
		if (b_fire) {
			t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_bready = 0;
			return resp == 0 ? TT_OK : TT_EINVAL;
		}
	}
	t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_bready = 0;
	fprintf(stderr, "card_rtl: register write 0x%03x timed out\n", addr);
	return TT_EBUSY;
}

int rtl_reg_read(struct tt_card *c, uint32_t addr, uint32_t *val)
{
	RtlCard *r = to_rtl(c);
	Vtoe_nic *t = r->top;
	bool ar = false;

	t->s_axil_araddr = addr;
	t->s_axil_arprot = 0;
	t->s_axil_rready = 1;
	for (int i = 0; i < kRegTimeout; i++) {
		t->s_axil_arvalid = !ar;
		t->clk = 0;
		t->eval();
		bool ar_fire = t->s_axil_arvalid && t->s_axil_arready;
		bool r_fire = t->s_axil_rvalid && t->s_axil_rready;
		uint32_t data = t->s_axil_rdata;
		int resp = t->s_axil_rresp;
		tick(r);
		ar = ar || ar_fire;
		if (r_fire) {
			t->s_axil_arvalid = t->s_axil_rready = 0;
			if (resp != 0)
				return TT_EINVAL;
			*val = data;
			return TT_OK;
		}
	}
	t->s_axil_arvalid = t->s_axil_rready = 0;
	fprintf(stderr, "card_rtl: register read 0x%03x timed out\n", addr);
	return TT_EBUSY;
}

void rtl_set_link(struct tt_card *c, int up) { to_rtl(c)->top->link_up = up ? 1 : 0; }

int rtl_net_rx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	return frameq_push(&to_rtl(c)->rx.q, nullptr, 0, frame, len) ? TT_EAGAIN : TT_OK;
}

int rtl_host_tx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	return frameq_push(&to_rtl(c)->host.q, nullptr, 0, frame, len) ? TT_EAGAIN : TT_OK;
}

// A frame to the wire keeps its source (tuser, enum tt_tx_src) in meta[0].
int rtl_net_tx(struct tt_card *c, uint8_t *buf, size_t cap, size_t *len, int *src)
{
	RtlCard *r = to_rtl(c);
	struct frameq_item *it = frameq_head(&r->net_out);

	if (!it)
		return TT_EAGAIN;
	if (it->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, it->data, it->len);
	*len = it->len;
	*src = it->meta[0];
	frameq_pop(&r->net_out);
	return TT_OK;
}

int rtl_dma_write(struct tt_card *c, struct tt_dma_write *d, uint8_t *buf, size_t cap)
{
	RtlCard *r = to_rtl(c);
	struct frameq_item *it = frameq_head(&r->dma_out);

	if (!it)
		return TT_EAGAIN;
	memcpy(d, it->meta, sizeof(*d));
	if (it->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, it->data, it->len);
	frameq_pop(&r->dma_out);
	return TT_OK;
}

int rtl_event(struct tt_card *c, struct tt_event *ev)
{
	RtlCard *r = to_rtl(c);

	if (!r->evt_count)
		return TT_EAGAIN;
	*ev = r->evt[r->evt_head];
	r->evt_head = (r->evt_head + 1) % kEvtCap;
	r->evt_count--;
	return TT_OK;
}

int rtl_dma_read_req(struct tt_card *c, struct tt_dma_read_req *req)
{
	RtlCard *r = to_rtl(c);

	if (!r->rd_req_count)
		return TT_EAGAIN;
	*req = r->rd_req[r->rd_req_head];
	r->rd_req_head = (r->rd_req_head + 1) % kRdReqCap;
	r->rd_req_count--;
	return TT_OK;
}

// An answer goes in as one beat {seq, len, slot} and then its bytes.
int rtl_dma_read_resp(struct tt_card *c, const struct tt_dma_read_req *req,
		      const uint8_t *data)
{
	RtlCard *r = to_rtl(c);
	uint8_t *buf;
	int rc;

	// as the model: a slot the card has not, or a length no segment
	// (54 bytes of headers, no options) can carry, is refused
	if (req->slot >= r->slots || !req->len || req->len > TT_MAX_FRAME - 54)
		return TT_EINVAL;
	buf = static_cast<uint8_t *>(malloc(kAnsHdr + req->len));
	if (!buf)
		return TT_ENOMEM;
	buf[0] = uint8_t(req->slot);
	buf[1] = uint8_t(req->slot >> 8);
	buf[2] = uint8_t(req->len);
	buf[3] = uint8_t(req->len >> 8);
	for (int i = 0; i < 4; i++)
		buf[4 + i] = uint8_t(req->seq >> (8 * i));
	if (req->len)
		memcpy(buf + kAnsHdr, data, req->len);
	rc = frameq_push(&r->ans.q, nullptr, 0, buf, kAnsHdr + req->len) ? TT_EAGAIN : TT_OK;
	free(buf);
	return rc;
}

// {snd_end[47:16], slot[15:0]}
int rtl_doorbell(struct tt_card *c, uint16_t slot, uint32_t snd_end)
{
	RtlCard *r = to_rtl(c);

	if (slot >= r->slots)
		return TT_EINVAL;
	if (r->db_count == kDbCap)
		return TT_EAGAIN;
	r->db[(r->db_head + r->db_count++) % kDbCap] = uint64_t(snd_end) << 16 | slot;
	return TT_OK;
}

int rtl_trace(struct tt_card *c, struct tt_trace *tr)
{
	RtlCard *r = to_rtl(c);

	if (!r->trace_count)
		return TT_EAGAIN;
	*tr = r->trace[r->trace_head];
	r->trace_head = (r->trace_head + 1) % kTraceCap;
	r->trace_count--;
	return TT_OK;
}

int rtl_ctx_cmd(struct tt_card *c, const struct tt_ctx_cmd *cmd)
{
	RtlCard *r = to_rtl(c);

	if (r->cmd_count == kCmdCap)
		return TT_EAGAIN;
	r->cmd[(r->cmd_head + r->cmd_count++) % kCmdCap] = *cmd;
	return TT_OK;
}

int rtl_ctx_result(struct tt_card *c, struct tt_ctx_result *res)
{
	RtlCard *r = to_rtl(c);

	if (!r->res_count)
		return TT_EAGAIN;
	*res = r->res[r->res_head];
	r->res_head = (r->res_head + 1) % kResCap;
	r->res_count--;
	return TT_OK;
}

void rtl_step(struct tt_card *c, uint64_t cycles)
{
	RtlCard *r = to_rtl(c);

	while (cycles--)
		tick(r);
}

uint64_t rtl_cycles(struct tt_card *c) { return to_rtl(c)->cycles; }

// Idle when every frame fed in has been accounted for by the card's own
// counters and every output the card produced has reached our queues.
int rtl_idle(struct tt_card *c)
{
	RtlCard *r = to_rtl(c);
	uint32_t v[TT_COUNTER_COUNT] = {};

	if (!frameq_empty(&r->rx.q) || !frameq_empty(&r->host.q) || r->dma_open ||
	    r->net_pos || r->cmd_count || r->cmd_sent != r->res_got || r->db_count ||
	    !frameq_empty(&r->ans.q))
		return 0;
	for (int i = 0; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i) &&
		    rtl_reg_read(c, TT_REG_COUNTER_BASE + 4u * unsigned(i), &v[i]))
			return 0;
	uint32_t exc = 0;
	for (int i = 1; i < TT_EXC_COUNT; i++) // exception code 0 is unused
		exc += v[TT_COUNTER_EXC_BASE + i];
	// TX counts both sources; the engine's ACKs and data segments are
	// counted apart too, sent or dropped
	uint32_t host_done = v[TT_CNT_TX_FRAMES] + v[TT_CNT_TX_DROP_LINK_DOWN] +
			     v[TT_CNT_TX_DROP_DISABLED] - v[TT_CNT_ENG_ACKS_SENT] -
			     v[TT_CNT_ENG_ACKS_DROPPED] - v[TT_CNT_ENG_DATA_SEGS] -
			     v[TT_CNT_ENG_DATA_DROPPED];
	// STATUS bit 1: the transmit engine has work (a follow-up of a
	// segment, an answer, a doorbell, a slot to serve)
	uint32_t status = 0;
	if (rtl_reg_read(c, TT_REG_STATUS, &status) || (status & 2))
		return 0;
	return v[TT_CNT_RX_FRAMES] == uint32_t(r->rx_fed) &&
	       host_done == uint32_t(r->host_fed) &&
	       exc + v[TT_CNT_ENG_PAYLOADS] == uint32_t(r->dma_got) &&
	       v[TT_CNT_TX_FRAMES] == uint32_t(r->net_got) &&
	       v[TT_CNT_ENG_ACKED] == uint32_t(r->acked_got);
}

} // namespace

extern "C" const struct tt_card_ops tt_card_rtl_ops = {
	.name = "rtl",
	.create = rtl_create,
	.destroy = rtl_destroy,
	.reg_write = rtl_reg_write,
	.reg_read = rtl_reg_read,
	.set_link = rtl_set_link,
	.net_rx = rtl_net_rx,
	.net_tx = rtl_net_tx,
	.host_tx = rtl_host_tx,
	.dma_write = rtl_dma_write,
	.dma_read_req = rtl_dma_read_req,
	.dma_read_resp = rtl_dma_read_resp,
	.doorbell = rtl_doorbell,
	.event = rtl_event,
	.trace = rtl_trace,
	.ctx_cmd = rtl_ctx_cmd,
	.ctx_result = rtl_ctx_result,
	.step = rtl_step,
	.cycles = rtl_cycles,
	.idle = rtl_idle,
};
