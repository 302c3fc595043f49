/* SPDX-License-Identifier: MIT */
/*
 * The application API of a stack (stack.h): listen, accept, connect,
 * send, receive, shutdown and close, non-blocking and event-driven.
 *
 * Handles. Every socket (a listener or a connection) is named by an int
 * handle > 0. A handle stays valid until tt_close() or tt_abort()
 * releases it, whatever happens to the connection meanwhile: a reset
 * connection keeps its handle (and its unread data) until the application
 * lets go. A released handle is never valid again (handles carry a
 * generation), so a stale one gets TT_EBADF, never another socket.
 *
 * Nothing blocks. A call that cannot make progress now returns TT_EAGAIN
 * and the matching event says when to try again.
 *
 * Events. Each socket has a level state, tt_sock_events(), and the stack
 * keeps a ready list of sockets whose state changed: tt_next_event()
 * pops one (handle and the event bits raised since it was last popped),
 * each socket at most once in the list. params.notify (stack.h) is
 * called when the list becomes non-empty. Events are raised from inside
 * tt_stack_input() and tt_stack_timer(); no application code runs there
 * (notify aside), so the application may call anything from its loop:
 *
 *     tt_stack_input(...) / tt_stack_timer(s);
 *     while (tt_next_event(s, &ev)) {
 *             if (ev.events & TT_EV_ACCEPT)   h = tt_accept(s, ev.handle, NULL);
 *             if (ev.events & TT_EV_READABLE) n = tt_recv(s, ev.handle, ...);
 *             ...
 *     }
 *
 * Back-pressure. tt_send() copies into the connection's send buffer and
 * returns how many bytes it took: fewer than asked (or TT_EAGAIN) when the
 * buffer is full, and TT_EV_WRITABLE follows once the peer's ACKs free
 * room. The receive buffer bounds what the peer may send: the window the
 * stack advertises is its free space, so a reader that does not read
 * stops its peer.
 *
 * Errors are negative: enum tt_status (card.h) or enum tt_sock_status
 * below; tt_sock_strerror() names both.
 */
#ifndef TEAMTOE_API_H
#define TEAMTOE_API_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "teamtoe/card.h"
#include "teamtoe/stack.h"

enum tt_sock_status {
	TT_ECONNRESET   = -20, /* the peer reset the connection */
	TT_ETIMEDOUT    = -21, /* no answer within the retry limit */
	TT_ECONNREFUSED = -22, /* our SYN was answered with RST */
	TT_ENOTCONN     = -23, /* not connected (listener, or never was) */
	TT_EPIPE        = -24, /* send after shutdown or close */
	TT_EADDRINUSE   = -25, /* port already listened on, tuple in use */
	TT_EBADF        = -26, /* not a live handle of this stack */
};

/* Event bits (tt_sock_events, struct tt_sock_event). */
enum tt_sock_ev {
	TT_EV_READABLE  = 1u << 0, /* tt_recv has data, end of stream or error */
	TT_EV_WRITABLE  = 1u << 1, /* tt_send has room */
	TT_EV_ACCEPT    = 1u << 2, /* listener: tt_accept has a connection */
	TT_EV_CONNECTED = 1u << 3, /* tt_connect's handshake completed */
	TT_EV_EOF       = 1u << 4, /* the peer sent FIN */
	TT_EV_CLOSED    = 1u << 5, /* both directions closed normally */
	TT_EV_RESET     = 1u << 6, /* reset, refused or timed out:
				      tt_sock_error() says which */
};

/* Connection states, RFC 9293 names. */
enum tt_sock_state {
	TT_SOCK_CLOSED = 0,
	TT_SOCK_LISTEN,
	TT_SOCK_SYN_SENT,
	TT_SOCK_SYN_RECEIVED,
	TT_SOCK_ESTABLISHED,
	TT_SOCK_FIN_WAIT_1,
	TT_SOCK_FIN_WAIT_2,
	TT_SOCK_CLOSE_WAIT,
	TT_SOCK_CLOSING,
	TT_SOCK_LAST_ACK,
	TT_SOCK_TIME_WAIT,
	TT_SOCK_N_STATES
};

struct tt_sock_event {
	int handle;
	unsigned int events;     /* enum tt_sock_ev bits */
};

struct tt_sock_info {
	int state;               /* enum tt_sock_state */
	struct tt_tuple t;       /* s* = the peer, d* = us; listener: dport */
	uint16_t mss;            /* the peer's, as negotiated */
	uint8_t snd_wscale;      /* shift of the peer's window (0: none) */
	uint8_t rcv_wscale;      /* shift of ours */
	uint32_t snd_queued;     /* bytes in the send buffer (unacked too) */
	uint32_t snd_space;      /* bytes tt_send would take now */
	uint32_t rcv_ready;      /* bytes tt_recv would return now */
	uint32_t srtt_ms, rto_ms;
	uint32_t cwnd, ssthresh;
	int offloaded;           /* a card runs the connection */
	int error;               /* pending error (tt_sock_error) */
};

/* Listen on TCP `port` of the stack's address with at most `backlog`
 * connections half-open or waiting for tt_accept (more SYNs are dropped
 * and counted in DROP_TCP_BACKLOG). Returns a listener handle,
 * TT_EINVAL (port 0, backlog 0), TT_EADDRINUSE or TT_EFULL (every
 * listener slot taken). */
int tt_listen(struct tt_stack *s, uint16_t port, unsigned int backlog);

/* The next established connection of listener `lh`: its handle (and, if
 * info is not NULL, its description). TT_EAGAIN when none waits (wait for
 * TT_EV_ACCEPT), TT_EBADF for a bad handle. */
int tt_accept(struct tt_stack *s, int lh, struct tt_sock_info *info);

/* Open a connection to ip:port from local_port (0: an ephemeral port,
 * 49152-65535). The SYN goes out at once (after ARP if the peer's MAC is
 * not known); TT_EV_CONNECTED or TT_EV_RESET (refused, timed out) follow.
 * Returns a handle, TT_EINVAL (address 0 or our own, port 0),
 * TT_EADDRINUSE (the tuple exists, or no ephemeral port is free) or
 * TT_EFULL (every connection of the pool is in use, TIME-WAIT ones that
 * no handle holds having been reused first; a SYN that finds the pool
 * full is counted in DROP_TCP_POOL_FULL instead). */
int tt_connect(struct tt_stack *s, uint32_t ip, uint16_t port,
	       uint16_t local_port);

/* Copy up to len bytes into the send buffer of connection h; they go out
 * as the windows allow. Returns the number taken (> 0; fewer than len
 * when the buffer fills: back-pressure), TT_EAGAIN (no room now; wait for
 * TT_EV_WRITABLE), TT_EPIPE (after tt_shutdown), the connection's error
 * (TT_ECONNRESET, TT_ETIMEDOUT, TT_ECONNREFUSED) or TT_EBADF. Data may
 * be queued before the handshake completes. len 0 returns 0. */
ssize_t tt_send(struct tt_stack *s, int h, const void *buf, size_t len);

/* Copy up to len bytes of received in-order data out of connection h.
 * Returns the number copied (> 0), 0 at the end of the stream (the
 * peer's FIN, all data read), TT_EAGAIN (nothing yet; wait for
 * TT_EV_READABLE), the connection's error once its data is read, or
 * TT_EBADF. Reading opens the receive window again. */
ssize_t tt_recv(struct tt_stack *s, int h, void *buf, size_t len);

/* No more data from us: a FIN follows what is queued. Reading goes on.
 * Returns 0, TT_ENOTCONN (listener) or TT_EBADF. */
int tt_shutdown(struct tt_stack *s, int h);

/* Release handle h. A connection closes gracefully in the background
 * (FIN after the queued data; TIME-WAIT; the stack frees it) unless data
 * it received is still unread, in which case it is reset (RFC 9293
 * 3.10.4 / RFC 2525): the peer must not believe we read it. A listener
 * stops; connections that waited in its backlog are reset. Returns 0 or
 * TT_EBADF. */
int tt_close(struct tt_stack *s, int h);

/* Release handle h and reset the connection (RST to the peer). Returns 0
 * or TT_EBADF. */
int tt_abort(struct tt_stack *s, int h);

/* The level state of h: the TT_EV_* bits that hold now (READABLE,
 * WRITABLE, ACCEPT, EOF, CLOSED, RESET; CONNECTED once established).
 * 0 for a bad handle. */
unsigned int tt_sock_events(struct tt_stack *s, int h);

/* Pop the oldest entry of the ready list into ev. Returns 1, or 0 when
 * the list is empty. */
int tt_next_event(struct tt_stack *s, struct tt_sock_event *ev);

/* Describe h. Returns 0 or TT_EBADF. */
int tt_sock_info(struct tt_stack *s, int h, struct tt_sock_info *info);

/* The error that ended connection h (TT_ECONNRESET, TT_ETIMEDOUT,
 * TT_ECONNREFUSED), 0 if none, TT_EBADF for a bad handle. */
int tt_sock_error(struct tt_stack *s, int h);

/* "ECONNRESET", tt_status_str() for card statuses. */
const char *tt_sock_strerror(int status);
/* "ESTABLISHED", or "?". */
const char *tt_sock_state_str(int state);

#endif
