/* SPDX-License-Identifier: MIT */
/* Error messages into a caller's buffer, the way every host module
 * reports them. */
#ifndef TEAMTOE_ERR_H
#define TEAMTOE_ERR_H

#include <stddef.h>

/* Format a message into err (if err and errlen) and return status, so a
 * failing path reads `return tt_errf(err, errlen, TT_EINVAL, "...", ...)`. */
int tt_errf(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
