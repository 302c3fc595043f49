/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "teamtoe/err.h"

int tt_errf(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}
