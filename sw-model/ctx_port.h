/* SPDX-License-Identifier: MIT */
/* Context port: import, export, snapshot. The twin of rtl/ctx_port.v. */
#ifndef TT_MODEL_CTX_PORT_H
#define TT_MODEL_CTX_PORT_H

#include "teamtoe/card.h"
#include "conn_table.h"

/* Execute one command against the table; fill the result (order is the
 * caller's) and count it in counters[]. */
void ctx_port_exec(struct conn_table *t, const struct tt_ctx_cmd *cmd,
		   struct tt_ctx_result *res, uint32_t *counters);

#endif
