/* SPDX-License-Identifier: MIT */
/*
 * The TAP uplink (sw-model/tap_port.h): the Linux kernel as a station on
 * the simulated switch, in a network namespace this program makes for
 * itself (no route out, addresses from 198.18.0.0/15).
 *
 * The test plays a peer, 198.18.0.2, on another switch port, and checks
 * both directions: the kernel's ARP request for the peer reaches the
 * switch; the ARP reply the test builds reaches the kernel (which then
 * sends the UDP datagram it held back); the kernel answers an ICMP echo
 * request the test builds; a UDP datagram the test builds arrives on a
 * socket. Every wait is bounded. Without root or /dev/net/tun the tests
 * that need them are skipped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "csum.h"
#include "switch.h"
#include "tap_port.h"

#define TAP_IP     0xc6120001u /* 198.18.0.1, the kernel */
#define PEER_IP    0xc6120002u /* 198.18.0.2, played by the test */
#define TAP_PORT   0u
#define PEER_PORT  1u
#define WAIT_MS    3000        /* longest wait for the kernel */
#define UDP_TO_PEER_PORT   7u
#define UDP_TO_KERNEL_PORT 5000u

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x02 };
static const char to_peer[] = "teamtoe to the peer";
static const char to_kernel[] = "teamtoe to the kernel";

struct net {
	struct eth_switch *sw;
	struct tap_port *tap;
	uint8_t tap_mac[6];
	int udp;          /* the kernel's socket, bound to TAP_IP */
};

static char why_not[256]; /* why the namespace tests skip, if they do */
static int netns_state;   /* 0 not tried, 1 entered, -1 cannot */

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------ frames */

static size_t eth_hdr(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		      uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

/* An ARP reply: PEER_IP is at peer_mac, to the kernel. */
static size_t arp_reply(uint8_t *f, const uint8_t *tap_mac)
{
	size_t n = eth_hdr(f, tap_mac, peer_mac, 0x0806);

	put16(f + n, 1);          /* Ethernet */
	put16(f + n + 2, 0x0800); /* IPv4 */
	f[n + 4] = 6;
	f[n + 5] = 4;
	put16(f + n + 6, 2);      /* reply */
	memcpy(f + n + 8, peer_mac, 6);
	put32(f + n + 14, PEER_IP);
	memcpy(f + n + 18, tap_mac, 6);
	put32(f + n + 24, TAP_IP);
	memset(f + n + 28, 0, 18); /* pad to 60 */
	return 60;
}

/* An IPv4 header, peer -> kernel, before len bytes of protocol proto. */
static size_t ipv4_hdr(uint8_t *f, uint8_t proto, size_t len, uint16_t id)
{
	uint8_t *ip = f + 14;

	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint32_t)(20 + len));
	put16(ip + 4, id);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, PEER_IP);
	put32(ip + 16, TAP_IP);
	put16(ip + 10, (uint16_t)~csum_fold(csum_add(0, ip, 20)));
	return 34;
}

static size_t icmp_echo_request(uint8_t *f, const uint8_t *tap_mac,
				uint16_t ident, uint16_t seq)
{
	static const char data[] = "echo through the simulated switch";
	size_t n, len = 8 + sizeof(data);
	uint8_t *icmp;

	eth_hdr(f, tap_mac, peer_mac, 0x0800);
	n = ipv4_hdr(f, 1, len, 0x1234);
	icmp = f + n;
	icmp[0] = 8; /* echo request */
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, ident);
	put16(icmp + 6, seq);
	memcpy(icmp + 8, data, sizeof(data));
	put16(icmp + 2, (uint16_t)~csum_fold(csum_add(0, icmp, len)));
	return n + len;
}

static size_t udp_datagram(uint8_t *f, const uint8_t *tap_mac,
			   const void *data, size_t dlen)
{
	size_t n, len = 8 + dlen;
	uint8_t *udp;
	uint32_t s;

	eth_hdr(f, tap_mac, peer_mac, 0x0800);
	n = ipv4_hdr(f, 17, len, 0x1235);
	udp = f + n;
	put16(udp, 9999);
	put16(udp + 2, UDP_TO_KERNEL_PORT);
	put16(udp + 4, (uint32_t)len);
	put16(udp + 6, 0);
	memcpy(udp + 8, data, dlen);
	s = csum_pseudo(PEER_IP, TAP_IP, 17, (uint16_t)len);
	put16(udp + 6, (uint16_t)~csum_fold(csum_add(s, udp, len)));
	return n + len;
}

/* ------------------------------------------------------------ matching */

static int is_ipv4(const uint8_t *f, size_t len, uint8_t proto)
{
	return len >= 34 && get16(f + 12) == 0x0800 && f[14] == 0x45 &&
	       f[23] == proto && get32(f + 26) == TAP_IP &&
	       get32(f + 30) == PEER_IP;
}

static int is_arp_request_for_peer(const struct net *n, const uint8_t *f,
				   size_t len)
{
	return len >= 42 && get16(f + 12) == 0x0806 && get16(f + 20) == 1 &&
	       memcmp(f + 22, n->tap_mac, 6) == 0 && get32(f + 28) == TAP_IP &&
	       get32(f + 38) == PEER_IP;
}

static int is_udp_to_peer(const struct net *n, const uint8_t *f, size_t len)
{
	(void)n;
	return is_ipv4(f, len, 17) && memcmp(f, peer_mac, 6) == 0 &&
	       len >= 42 + sizeof(to_peer) - 1 &&
	       get16(f + 36) == UDP_TO_PEER_PORT &&
	       memcmp(f + 42, to_peer, sizeof(to_peer) - 1) == 0;
}

static int is_echo_reply(const struct net *n, const uint8_t *f, size_t len)
{
	(void)n;
	return is_ipv4(f, len, 1) && len >= 42 && f[34] == 0 &&
	       get16(f + 38) == 0x7474 && get16(f + 40) == 1 &&
	       csum_fold(csum_add(0, f + 34, len - 34)) == 0xffff;
}

/* Move frames and time until the peer's port sees a frame `match`
 * accepts, or WAIT_MS pass. Frames the peer does not wait for are
 * counted and set aside. Returns 1 if it came. */
static int await(struct net *n,
		 int (*match)(const struct net *, const uint8_t *, size_t))
{
	static uint8_t f[SWITCH_MAX_FRAME];
	uint64_t end = now_ms() + WAIT_MS;
	struct pollfd pfd = { .fd = tap_port_fd(n->tap), .events = POLLIN };
	size_t len;

	do {
		assert_true(tap_port_pump(n->tap, n->sw, TAP_PORT) >= 0);
		switch_step(n->sw, 1);
		while (switch_port_tx(n->sw, PEER_PORT, f, sizeof(f), &len) ==
		       TT_OK) {
			if (match(n, f, len))
				return 1;
			print_message("# the peer set aside a frame of %zu "
				      "bytes, ethertype 0x%04x\n", len,
				      get16(f + 12));
		}
		poll(&pfd, 1, 10);
	} while (now_ms() < end);
	return 0;
}

/* ------------------------------------------------------------ setup */

static int enter_netns(void)
{
	if (netns_state == 0)
		netns_state = tap_netns_enter(why_not, sizeof(why_not)) == 0 ?
			      1 : -1;
	return netns_state == 1;
}

static int net_setup(void **state)
{
	struct switch_config cfg = { .n_ports = 2, .seed = 1 };
	struct sockaddr_in sin;
	struct net *n;
	int r;

	*state = NULL;
	if (!enter_netns())
		return 0;
	n = calloc(1, sizeof(*n));
	assert_non_null(n);
	r = tap_port_open(&n->tap, "tt-tap0", TAP_IP, 24, why_not,
			  sizeof(why_not));
	if (r == TT_EUNSUPPORTED) {
		free(n);
		return 0;
	}
	if (r != 0)
		fprintf(stderr, "%s\n", why_not);
	assert_int_equal(r, 0);
	tap_port_mac(n->tap, n->tap_mac);
	n->sw = switch_new(&cfg, NULL);
	assert_non_null(n->sw);
	switch_set_link(n->sw, TAP_PORT, 1);
	switch_set_link(n->sw, PEER_PORT, 1);
	n->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(n->udp >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(TAP_IP);
	sin.sin_port = htons(UDP_TO_KERNEL_PORT);
	assert_int_equal(bind(n->udp, (struct sockaddr *)&sin, sizeof(sin)), 0);
	*state = n;
	return 0;
}

static int net_teardown(void **state)
{
	struct net *n = *state;

	if (!n)
		return 0;
	close(n->udp);
	tap_port_close(n->tap);
	switch_free(n->sw);
	free(n);
	return 0;
}

#define NEED_NET(n)                                                           \
	do {                                                                  \
		if (!(n)) {                                                   \
			print_message("# SKIP %s\n", why_not);                \
			skip();                                               \
			return;                                               \
		}                                                             \
	} while (0)

/* ------------------------------------------------------------ tests */

/* Runs first, before the namespace exists. */
static void refuses_outside_private_netns(void **state)
{
	struct tap_port *tp = (struct tap_port *)&tp;
	char err[256] = "";

	(void)state;
	assert_false(tap_netns_is_private());
	assert_int_equal(tap_port_open(&tp, "tt-tap0", TAP_IP, 24, err,
				       sizeof(err)), TT_EINVAL);
	assert_null(tp);
	assert_non_null(strstr(err, "private network namespace"));
}

static void refuses_addresses_outside_range(void **state)
{
	static const struct { uint32_t ip; unsigned int prefix; } bad[] = {
		{ 0x0a000001u, 24 },  /* 10.0.0.1 */
		{ 0xc6140001u, 24 },  /* 198.20.0.1: just past the range */
		{ 0xc6110001u, 24 },  /* 198.17.0.1: just before */
		{ TAP_IP, 8 },        /* in range, but a subnet far wider */
		{ TAP_IP, 31 },
	};
	struct tap_port *tp;
	char err[256];
	size_t i;

	(void)state;
	if (!enter_netns()) {
		print_message("# SKIP %s\n", why_not);
		skip();
		return;
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(tap_port_open(&tp, "tt-tap9", bad[i].ip,
					       bad[i].prefix, err, sizeof(err)),
				 TT_EINVAL);
		assert_null(tp);
		assert_non_null(strstr(err, "198.18.0.0/15"));
	}
	assert_int_equal(tap_port_open(&tp, "", TAP_IP, 24, err, sizeof(err)),
			 TT_EINVAL);
	assert_int_equal(tap_port_open(&tp, "a-name-far-too-long", TAP_IP, 24,
				       err, sizeof(err)), TT_EINVAL);
}

/* The namespace holds loopback and the TAP, and one route: the TAP's own
 * subnet. Nothing leads out. */
static void namespace_has_no_way_out(void **state)
{
	struct net *n = *state;
	char line[512];
	unsigned int routes = 0, devices = 0;
	FILE *f;

	NEED_NET(n);
	assert_true(tap_netns_is_private());
	f = fopen("/proc/net/route", "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char ifname[32];
		unsigned int dst, gw, mask;

		assert_int_equal(sscanf(line, "%31s %x %x %*x %*d %*d %*d %x",
					ifname, &dst, &gw, &mask), 4);
		assert_string_equal(ifname, tap_port_name(n->tap));
		assert_int_equal(ntohl(dst), TAP_IP & 0xffffff00u);
		assert_int_equal(ntohl(mask), 0xffffff00u);
		assert_int_equal(gw, 0);
		routes++;
	}
	fclose(f);
	assert_int_equal(routes, 1);
	f = fopen("/proc/net/dev", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *name = line;

		if (!colon)
			continue;
		*colon = '\0';
		while (*name == ' ')
			name++;
		assert_true(strcmp(name, "lo") == 0 ||
			    strcmp(name, tap_port_name(n->tap)) == 0);
		devices++;
	}
	fclose(f);
	assert_int_equal(devices, 2);
}

static void kernel_and_switch_talk_both_ways(void **state)
{
	struct net *n = *state;
	struct sockaddr_in peer;
	struct switch_port_stats st;
	struct tap_port_stats ts;
	uint8_t f[256];
	char got[64];
	ssize_t r;

	NEED_NET(n);
	/* kernel -> switch: a datagram for the peer makes the kernel ask
	 * who 198.18.0.2 is, by broadcast */
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_addr.s_addr = htonl(PEER_IP);
	peer.sin_port = htons(UDP_TO_PEER_PORT);
	assert_int_equal(sendto(n->udp, to_peer, sizeof(to_peer) - 1, 0,
				(struct sockaddr *)&peer, sizeof(peer)),
			 (ssize_t)(sizeof(to_peer) - 1));
	assert_true(await(n, is_arp_request_for_peer));
	assert_int_equal(switch_fdb_where(n->sw, n->tap_mac), (int)TAP_PORT);

	/* switch -> kernel: the peer's ARP reply; the kernel, answered,
	 * sends the datagram it held */
	assert_int_equal(switch_port_rx(n->sw, PEER_PORT, f,
					arp_reply(f, n->tap_mac)), TT_OK);
	assert_true(await(n, is_udp_to_peer));

	/* an echo request the test builds is answered by the kernel */
	assert_int_equal(switch_port_rx(n->sw, PEER_PORT, f,
					icmp_echo_request(f, n->tap_mac,
							  0x7474, 1)), TT_OK);
	assert_true(await(n, is_echo_reply));

	/* a datagram the test builds arrives on the kernel's socket */
	assert_int_equal(switch_port_rx(n->sw, PEER_PORT, f,
					udp_datagram(f, n->tap_mac, to_kernel,
						     sizeof(to_kernel) - 1)),
			 TT_OK);
	{
		struct pollfd pfd = { .fd = n->udp, .events = POLLIN };
		uint64_t end = now_ms() + WAIT_MS;

		do {
			assert_true(tap_port_pump(n->tap, n->sw, TAP_PORT) >= 0);
			switch_step(n->sw, 1);
		} while (poll(&pfd, 1, 10) == 0 && now_ms() < end);
	}
	r = recv(n->udp, got, sizeof(got), 0);
	assert_int_equal(r, (ssize_t)(sizeof(to_kernel) - 1));
	assert_memory_equal(got, to_kernel, sizeof(to_kernel) - 1);

	/* the counters agree: three frames went into the kernel */
	tap_port_stats(n->tap, &ts);
	assert_int_equal(ts.to_kernel, 3);
	assert_int_equal(ts.write_dropped, 0);
	assert_true(ts.from_kernel >= 3); /* ARP, UDP, echo reply */
	assert_int_equal(switch_port_stats(n->sw, TAP_PORT, &st), TT_OK);
	assert_int_equal(st.tx_frames, 3);
	assert_int_equal(st.rx_frames, ts.from_kernel);
	print_message("# %llu frames from the kernel, %llu to it\n",
		      (unsigned long long)ts.from_kernel,
		      (unsigned long long)ts.to_kernel);
}

static void pump_bad_port(void **state)
{
	struct net *n = *state;

	NEED_NET(n);
	assert_int_equal(tap_port_pump(n->tap, n->sw, 2), TT_EINVAL);
	assert_int_equal(tap_port_pump(NULL, n->sw, 0), TT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_outside_private_netns),
		cmocka_unit_test(refuses_addresses_outside_range),
		cmocka_unit_test_setup_teardown(namespace_has_no_way_out,
						net_setup, net_teardown),
		cmocka_unit_test_setup_teardown(kernel_and_switch_talk_both_ways,
						net_setup, net_teardown),
		cmocka_unit_test_setup_teardown(pump_bad_port, net_setup,
						net_teardown),
	};

	snprintf(why_not, sizeof(why_not), "no private network namespace");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
