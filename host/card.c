/* SPDX-License-Identifier: MIT */
/* The card interface: dispatch to a backend, names of codes. */
#include <stddef.h>
#include <string.h>

#include "teamtoe/card.h"

static const struct tt_card_ops *const backends[] = {
	&tt_card_rtl_ops,
	&tt_card_model_ops,
};

static const char *const status_names[] = {
	[0]                = "ok",
	[-TT_EAGAIN]       = "try again",
	[-TT_EINVAL]       = "invalid argument",
	[-TT_ENOTFOUND]    = "not found",
	[-TT_EFULL]        = "table full",
	[-TT_EBUSY]        = "busy",
	[-TT_EUNSUPPORTED] = "unsupported by this card revision",
	[-TT_ENOMEM]       = "out of memory",
	[-TT_ETOOBIG]      = "buffer too small",
	[-TT_ENOBACKEND]   = "unknown backend",
	[-TT_EEXIST]       = "already offloaded",
};

static const char *const drop_names[] = {
#define TT_E(name, code) [code] = #name,
	TT_DROPS(TT_E)
#undef TT_E
};

static const char *const exc_names[TT_EXC_COUNT] = {
#define TT_E(name, code) [code] = #name,
	TT_EXCS(TT_E)
#undef TT_E
};

static const char *const counter_names[TT_COUNTER_COUNT] = {
#define TT_E(name, idx) [idx] = #name,
	TT_COUNTERS(TT_E)
#undef TT_E
};

#define NAME_OR(tab, i, dflt) \
	((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof((tab)[0]) && (tab)[i] ? (tab)[i] : (dflt))

const char *tt_status_str(int status) { return NAME_OR(status_names, -status, "unknown status"); }
const char *tt_drop_str(int code) { return NAME_OR(drop_names, code, "?"); }
const char *tt_exc_str(int code) { return NAME_OR(exc_names, code, "?"); }
const char *tt_counter_str(int index) { return NAME_OR(counter_names, index, NULL); }

static const struct tt_card_ops *find_backend(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (name && strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

int tt_card_backend_known(const char *backend)
{
	return find_backend(backend) != NULL;
}

struct tt_card *tt_card_new(const char *backend,
			    const struct tt_card_params *p, int *err)
{
	const struct tt_card_ops *ops = find_backend(backend);
	int e = TT_OK;
	struct tt_card *c;

	if (!ops) {
		if (err)
			*err = TT_ENOBACKEND;
		return NULL;
	}
	c = ops->create(p, &e);
	if (err)
		*err = c ? TT_OK : (e ? e : TT_ENOMEM);
	return c;
}

void tt_card_free(struct tt_card *c)
{
	if (c)
		c->ops->destroy(c);
}

const char *tt_card_backend(const struct tt_card *c) { return c->ops->name; }

int tt_card_reg_write(struct tt_card *c, uint32_t addr, uint32_t val)
{
	return c->ops->reg_write(c, addr, val);
}

int tt_card_reg_read(struct tt_card *c, uint32_t addr, uint32_t *val)
{
	return c->ops->reg_read(c, addr, val);
}

uint32_t tt_card_counter(struct tt_card *c, int index)
{
	uint32_t v = 0;

	if (tt_card_reg_read(c, TT_REG_COUNTER_BASE + 4u * (uint32_t)index, &v))
		return 0;
	return v;
}

void tt_card_set_link(struct tt_card *c, int up) { c->ops->set_link(c, up); }

int tt_card_net_rx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	if (!frame || len == 0 || len > 0xffff)
		return TT_EINVAL;
	return c->ops->net_rx(c, frame, len);
}

int tt_card_net_tx(struct tt_card *c, uint8_t *buf, size_t cap, size_t *len)
{
	int src;

	return c->ops->net_tx(c, buf, cap, len, &src);
}

int tt_card_net_tx_src(struct tt_card *c, uint8_t *buf, size_t cap,
		       size_t *len, int *src)
{
	return c->ops->net_tx(c, buf, cap, len, src);
}

int tt_card_host_tx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	if (!frame || len < 14 || len > TT_MAX_FRAME)
		return TT_EINVAL;
	return c->ops->host_tx(c, frame, len);
}

int tt_card_dma_write(struct tt_card *c, struct tt_dma_write *d,
		      uint8_t *buf, size_t cap)
{
	return c->ops->dma_write(c, d, buf, cap);
}

int tt_card_dma_read_req(struct tt_card *c, struct tt_dma_read_req *r)
{
	return c->ops->dma_read_req(c, r);
}

int tt_card_dma_read_resp(struct tt_card *c, const struct tt_dma_read_req *r,
			  const uint8_t *data)
{
	return c->ops->dma_read_resp(c, r, data);
}

int tt_card_doorbell(struct tt_card *c, uint16_t slot, uint32_t snd_end)
{
	return c->ops->doorbell(c, slot, snd_end);
}

int tt_card_event(struct tt_card *c, struct tt_event *ev)
{
	return c->ops->event(c, ev);
}

int tt_card_trace(struct tt_card *c, struct tt_trace *t)
{
	if (!c->ops->trace)
		return TT_EAGAIN;
	return c->ops->trace(c, t);
}

int tt_card_ctx_cmd(struct tt_card *c, const struct tt_ctx_cmd *cmd)
{
	return c->ops->ctx_cmd(c, cmd);
}

int tt_card_ctx_result(struct tt_card *c, struct tt_ctx_result *res)
{
	return c->ops->ctx_result(c, res);
}

void tt_card_step(struct tt_card *c, uint64_t cycles) { c->ops->step(c, cycles); }
uint64_t tt_card_cycles(struct tt_card *c) { return c->ops->cycles(c); }
int tt_card_idle(struct tt_card *c) { return c->ops->idle(c); }
