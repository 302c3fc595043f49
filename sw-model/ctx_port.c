/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "ctx_port.h"

static void import(struct conn_table *t, const struct tt_ctx_cmd *cmd,
		   struct tt_ctx_result *res, uint32_t *counters)
{
	struct conn_tuple k;
	int rc;

	memcpy(res->rec, cmd->rec, TT_CTX_BYTES);
	if (cmd->rec[0] != TT_CTX_VERSION) {
		res->status = TT_EINVAL;
		counters[TT_CNT_CTX_BAD]++;
		return;
	}
	conn_tuple_of_record(cmd->rec, &k);
	rc = conn_insert(t, &k, cmd->rec);
	if (rc == TT_EEXIST) {
		res->status = TT_EEXIST;
		counters[TT_CNT_CTX_EXISTS]++;
	} else if (rc == TT_EFULL) {
		res->status = TT_EFULL;
		counters[TT_CNT_CTX_FULL]++;
	} else {
		res->status = TT_OK;
		res->slot = (uint16_t)rc;
		counters[TT_CNT_CTX_IMPORT]++;
	}
}

/* EXPORT (evict = 1) and SNAPSHOT (evict = 0). */
static void read_out(struct conn_table *t, const struct tt_ctx_cmd *cmd,
		     struct tt_ctx_result *res, uint32_t *counters, int evict)
{
	if (cmd->slot >= t->slots) {
		res->status = TT_EINVAL;
		counters[TT_CNT_CTX_BAD]++;
		return;
	}
	if (!t->valid[cmd->slot]) {
		res->status = TT_ENOTFOUND;
		counters[TT_CNT_CTX_NOT_FOUND]++;
		return;
	}
	memcpy(res->rec, t->ctx[cmd->slot], TT_CTX_BYTES);
	res->status = TT_OK;
	if (evict) {
		t->valid[cmd->slot] = 0;
		counters[TT_CNT_CTX_EXPORT]++;
	} else {
		counters[TT_CNT_CTX_SNAPSHOT]++;
	}
}

void ctx_port_exec(struct conn_table *t, const struct tt_ctx_cmd *cmd,
		   struct tt_ctx_result *res, uint32_t *counters)
{
	memset(res, 0, sizeof(*res));
	res->op = cmd->op;
	res->slot = cmd->slot;
	switch (cmd->op) {
	case TT_CTX_IMPORT:
		import(t, cmd, res, counters);
		break;
	case TT_CTX_EXPORT:
		read_out(t, cmd, res, counters, 1);
		break;
	case TT_CTX_SNAPSHOT:
		read_out(t, cmd, res, counters, 0);
		break;
	default:
		res->status = TT_EINVAL;
		counters[TT_CNT_CTX_BAD]++;
		break;
	}
}
