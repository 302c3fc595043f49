/* SPDX-License-Identifier: MIT */
/*
 * A switch port whose other end is the Linux kernel: a TAP device, so
 * that a real TCP/IP stack can be a peer of the simulated network.
 *
 * Safety first: the TAP device is only ever created inside a network
 * namespace that this process made for itself (tap_netns_enter), holding
 * nothing but the loopback device and the TAP, with one address from the
 * benchmarking range 198.18.0.0/15 and no default route. Frames on the
 * TAP therefore cannot reach any other network; the namespace and the
 * device vanish with the process.
 *
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and /dev/net/tun; where
 * they are missing the calls return TT_EUNSUPPORTED with the reason.
 *
 * Time: the kernel runs in real time, the switch in simulated cycles.
 * tap_port_pump() moves whatever is there in either direction when the
 * caller's driver loop calls it; it never blocks (poll on tap_port_fd()
 * to wait for the kernel).
 */
#ifndef TT_MODEL_TAP_PORT_H
#define TT_MODEL_TAP_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "switch.h"

/* The range every TAP address must fall in: 198.18.0.0/15 (RFC 2544). */
#define TAP_NET_BASE   0xc6120000u
#define TAP_NET_PREFIX 15u
#define TAP_PUMP_BATCH 64u /* frames per direction per tap_port_pump() */

/* Move the calling process into a new, empty network namespace
 * (unshare(CLONE_NEWNET)). Call it before the process starts threads: a
 * namespace belongs to the calling thread. Returns 0, TT_EUNSUPPORTED
 * (not permitted here) or TT_EINVAL, with a message in err. */
int tap_netns_enter(char *err, size_t errlen);
/* Nonzero if the calling thread is in the namespace tap_netns_enter
 * made. */
int tap_netns_is_private(void);

struct tap_port;

struct tap_port_stats {
	uint64_t from_kernel;   /* frames read from the TAP into the switch */
	uint64_t to_kernel;     /* frames written from the switch to the TAP */
	uint64_t write_dropped; /* frames the TAP refused (queue full, size) */
};

/* Create TAP device ifname (IFNAMSIZ - 1 characters at most) in the
 * private namespace, give it ipv4/prefix_len (a.b.c.d = a<<24 | .. | d,
 * the whole subnet inside 198.18.0.0/15), turn IPv6 off on it (so that
 * the kernel sends only what a test asks for) and bring it up. The file
 * descriptor is non-blocking. TT_EINVAL outside a private namespace or
 * for an address outside the range. */
int tap_port_open(struct tap_port **tp, const char *ifname, uint32_t ipv4,
		  unsigned int prefix_len, char *err, size_t errlen);
/* Closing the descriptor removes the device. NULL is fine. */
void tap_port_close(struct tap_port *tp);

int tap_port_fd(const struct tap_port *tp);
/* The kernel's MAC address of the TAP device. */
void tap_port_mac(const struct tap_port *tp, uint8_t mac[6]);
const char *tap_port_name(const struct tap_port *tp);

/* Frames the kernel sent into switch port `port` (switch_port_rx), then
 * frames due on that port out to the kernel; at most TAP_PUMP_BATCH each
 * way. Returns how many moved, or TT_EINVAL (bad port) / a read error as
 * TT_EINVAL. */
int tap_port_pump(struct tap_port *tp, struct eth_switch *sw,
		  unsigned int port);
void tap_port_stats(const struct tap_port *tp, struct tap_port_stats *st);

#endif
