/* SPDX-License-Identifier: MIT */
/*
 * A switch port attached to a Linux TAP device in a private network
 * namespace (see tap_port.h). Configured with plain ioctls, so that no
 * outside program (ip, ifconfig) runs and nothing depends on where it is
 * installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "tap_port.h"
#include "teamtoe/err.h"

/* Reads take whole frames; a TAP never hands more than 64 KiB. */
#define TAP_BUF 65536u

struct tap_port {
	int fd;
	char name[IFNAMSIZ];
	uint8_t mac[6];
	uint8_t *buf;
	struct tap_port_stats st;
};

/* The namespace tap_netns_enter made: its device and inode. */
static int netns_made;
static dev_t netns_dev;
static ino_t netns_ino;

static int current_netns(struct stat *st)
{
	/* a namespace belongs to a thread: ask about this one */
	if (stat("/proc/thread-self/ns/net", st) == 0)
		return 0;
	return stat("/proc/self/ns/net", st);
}

int tap_netns_enter(char *err, size_t errlen)
{
	struct stat st;

	if (tap_netns_is_private())
		return 0;
	if (unshare(CLONE_NEWNET) != 0) {
		int e = errno;

		return tt_errf(err, errlen,
			       e == EPERM || e == EINVAL || e == ENOSPC ?
			       TT_EUNSUPPORTED : TT_EINVAL,
			       "cannot make a private network namespace "
			       "(unshare CLONE_NEWNET): %s%s", strerror(e),
			       e == EPERM ? " (needs root)" : "");
	}
	if (current_netns(&st) != 0)
		return tt_errf(err, errlen, TT_EINVAL,
			       "in a new network namespace, but cannot read "
			       "/proc/thread-self/ns/net: %s", strerror(errno));
	netns_dev = st.st_dev;
	netns_ino = st.st_ino;
	netns_made = 1;
	return 0;
}

int tap_netns_is_private(void)
{
	struct stat st;

	return netns_made && current_netns(&st) == 0 &&
	       st.st_dev == netns_dev && st.st_ino == netns_ino;
}

static int in_test_range(uint32_t ipv4, unsigned int prefix_len)
{
	uint32_t range_mask = ~0u << (32 - TAP_NET_PREFIX);

	return prefix_len >= TAP_NET_PREFIX && prefix_len <= 30 &&
	       (ipv4 & range_mask) == TAP_NET_BASE;
}

static void sockaddr_of(struct sockaddr *sa, uint32_t ipv4)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ipv4);
	memcpy(sa, &sin, sizeof(sin));
}

/* Best effort: a kernel without IPv6 has no such file, and then sends no
 * IPv6 either. */
static void ipv6_off(const char *ifname)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs("1\n", f);
	fclose(f);
}

/* Address, netmask, IPv6 off, up: the ioctls of ifconfig. */
static int tap_configure(struct tap_port *tp, uint32_t ipv4,
			 unsigned int prefix_len, char *err, size_t errlen)
{
	struct ifreq ifr;
	int s, r = 0;
	const char *what;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tt_errf(err, errlen, TT_EINVAL, "%s: socket: %s",
			       tp->name, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, tp->name, sizeof(ifr.ifr_name));
	what = "SIOCGIFHWADDR";
	if (ioctl(s, SIOCGIFHWADDR, &ifr) != 0)
		goto err_ioctl;
	memcpy(tp->mac, ifr.ifr_hwaddr.sa_data, 6);
	sockaddr_of(&ifr.ifr_addr, ipv4);
	what = "SIOCSIFADDR";
	if (ioctl(s, SIOCSIFADDR, &ifr) != 0)
		goto err_ioctl;
	sockaddr_of(&ifr.ifr_netmask, ~0u << (32 - prefix_len));
	what = "SIOCSIFNETMASK";
	if (ioctl(s, SIOCSIFNETMASK, &ifr) != 0)
		goto err_ioctl;
	ipv6_off(tp->name);
	what = "SIOCGIFFLAGS";
	if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		goto err_ioctl;
	ifr.ifr_flags |= IFF_UP;
	what = "SIOCSIFFLAGS";
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		goto err_ioctl;
	close(s);
	return 0;

err_ioctl:
	r = tt_errf(err, errlen, TT_EINVAL, "%s: %s: %s", tp->name, what,
		    strerror(errno));
	close(s);
	return r;
}

int tap_port_open(struct tap_port **tpp, const char *ifname, uint32_t ipv4,
		  unsigned int prefix_len, char *err, size_t errlen)
{
	struct tap_port *tp;
	struct ifreq ifr;
	int r;

	*tpp = NULL;
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return tt_errf(err, errlen, TT_EINVAL,
			       "TAP name must have 1 to %d characters",
			       IFNAMSIZ - 1);
	if (!tap_netns_is_private())
		return tt_errf(err, errlen, TT_EINVAL,
			       "%s: refusing to create a TAP device outside a "
			       "private network namespace (tap_netns_enter "
			       "first)", ifname);
	if (!in_test_range(ipv4, prefix_len))
		return tt_errf(err, errlen, TT_EINVAL,
			       "%s: %u.%u.%u.%u/%u is not a subnet of "
			       "198.18.0.0/15 (prefix 15..30)", ifname,
			       ipv4 >> 24, (ipv4 >> 16) & 0xffu,
			       (ipv4 >> 8) & 0xffu, ipv4 & 0xffu, prefix_len);
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return tt_errf(err, errlen, TT_ENOMEM, "%s: out of memory", ifname);
	tp->buf = malloc(TAP_BUF);
	if (!tp->buf) {
		r = tt_errf(err, errlen, TT_ENOMEM, "%s: out of memory", ifname);
		goto err_free;
	}
	tp->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tp->fd < 0) {
		int e = errno;

		r = tt_errf(err, errlen,
			    e == ENOENT || e == ENODEV || e == ENXIO ||
			    e == EPERM || e == EACCES ? TT_EUNSUPPORTED :
			    TT_EINVAL, "%s: cannot open /dev/net/tun: %s",
			    ifname, strerror(e));
		goto err_buf;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(tp->fd, TUNSETIFF, &ifr) != 0) {
		int e = errno;

		r = tt_errf(err, errlen, e == EPERM ? TT_EUNSUPPORTED :
			    TT_EINVAL, "%s: TUNSETIFF: %s", ifname, strerror(e));
		goto err_close;
	}
	memcpy(tp->name, ifr.ifr_name, sizeof(tp->name));
	tp->name[IFNAMSIZ - 1] = '\0';
	r = tap_configure(tp, ipv4, prefix_len, err, errlen);
	if (r < 0)
		goto err_close;
	*tpp = tp;
	return 0;

err_close:
	close(tp->fd);
err_buf:
	free(tp->buf);
err_free:
	free(tp);
	return r;
}

void tap_port_close(struct tap_port *tp)
{
	if (!tp)
		return;
	close(tp->fd);
	free(tp->buf);
	free(tp);
}

int tap_port_fd(const struct tap_port *tp)
{
	return tp->fd;
}

void tap_port_mac(const struct tap_port *tp, uint8_t mac[6])
{
	memcpy(mac, tp->mac, 6);
}

const char *tap_port_name(const struct tap_port *tp)
{
	return tp->name;
}

int tap_port_pump(struct tap_port *tp, struct eth_switch *sw,
		  unsigned int port)
{
	unsigned int i;
	int moved = 0;

	if (!tp || !sw || port >= switch_ports(sw))
		return TT_EINVAL;
	for (i = 0; i < TAP_PUMP_BATCH; i++) {
		ssize_t n = read(tp->fd, tp->buf, TAP_BUF);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			return TT_EINVAL;
		}
		switch_port_rx(sw, port, tp->buf, (size_t)n);
		tp->st.from_kernel++;
		moved++;
	}
	for (i = 0; i < TAP_PUMP_BATCH; i++) {
		size_t len;

		if (switch_port_tx(sw, port, tp->buf, TAP_BUF, &len) != TT_OK)
			break;
		/* a TAP takes a frame whole or not at all */
		if (write(tp->fd, tp->buf, len) == (ssize_t)len)
			tp->st.to_kernel++;
		else
			tp->st.write_dropped++;
		moved++;
	}
	return moved;
}

void tap_port_stats(const struct tap_port *tp, struct tap_port_stats *st)
{
	*st = tp->st;
}
