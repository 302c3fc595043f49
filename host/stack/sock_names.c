/* SPDX-License-Identifier: MIT */
/* Names of the API's error statuses and connection states. */
#include "stack_int.h"

static const char *const sock_err_names[] = {
	[-TT_ECONNRESET - 20]   = "ECONNRESET",
	[-TT_ETIMEDOUT - 20]    = "ETIMEDOUT",
	[-TT_ECONNREFUSED - 20] = "ECONNREFUSED",
	[-TT_ENOTCONN - 20]     = "ENOTCONN",
	[-TT_EPIPE - 20]        = "EPIPE",
	[-TT_EADDRINUSE - 20]   = "EADDRINUSE",
	[-TT_EBADF - 20]        = "EBADF",
};

static const char *const sock_state_names[TT_SOCK_N_STATES] = {
	[TT_SOCK_CLOSED]       = "CLOSED",
	[TT_SOCK_LISTEN]       = "LISTEN",
	[TT_SOCK_SYN_SENT]     = "SYN-SENT",
	[TT_SOCK_SYN_RECEIVED] = "SYN-RECEIVED",
	[TT_SOCK_ESTABLISHED]  = "ESTABLISHED",
	[TT_SOCK_FIN_WAIT_1]   = "FIN-WAIT-1",
	[TT_SOCK_FIN_WAIT_2]   = "FIN-WAIT-2",
	[TT_SOCK_CLOSE_WAIT]   = "CLOSE-WAIT",
	[TT_SOCK_CLOSING]      = "CLOSING",
	[TT_SOCK_LAST_ACK]     = "LAST-ACK",
	[TT_SOCK_TIME_WAIT]    = "TIME-WAIT",
};

const char *tt_sock_strerror(int status)
{
	int i = -status - 20;

	if (i >= 0 && i < (int)(sizeof(sock_err_names) / sizeof(sock_err_names[0])))
		return sock_err_names[i];
	return tt_status_str(status);
}

const char *tt_sock_state_str(int state)
{
	if (state < 0 || state >= TT_SOCK_N_STATES)
		return "?";
	return sock_state_names[state];
}
