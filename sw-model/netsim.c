/* SPDX-License-Identifier: MIT */
/* Cards on switch ports (see netsim.h). */
#include <stdlib.h>
#include <string.h>

#include "netsim.h"
#include "teamtoe/err.h"
#include "teamtoe/pcap_io.h"

struct netsim_port {
	struct tt_card *card;
	struct tt_pcap_writer *pcap;
	/* a frame the switch gave out while the card's input was full: it
	 * is on the cable already and must not be lost */
	uint8_t *held;
	size_t held_len;
	struct netsim_port_stats st;
};

struct netsim {
	struct eth_switch *sw;
	uint64_t quantum;
	uint8_t *buf;
	struct netsim_port port[SWITCH_MAX_PORTS];
};

struct netsim *netsim_new(struct eth_switch *sw, int *err)
{
	struct netsim *ns;

	if (!sw) {
		if (err)
			*err = TT_EINVAL;
		return NULL;
	}
	ns = calloc(1, sizeof(*ns));
	if (ns)
		ns->buf = malloc(SWITCH_MAX_FRAME);
	if (!ns || !ns->buf) {
		free(ns);
		if (err)
			*err = TT_ENOMEM;
		return NULL;
	}
	ns->sw = sw;
	ns->quantum = 1;
	return ns;
}

void netsim_free(struct netsim *ns)
{
	unsigned int i;

	if (!ns)
		return;
	for (i = 0; i < SWITCH_MAX_PORTS; i++) {
		tt_pcap_writer_close(ns->port[i].pcap);
		free(ns->port[i].held);
	}
	free(ns->buf);
	free(ns);
}

static int port_ok(const struct netsim *ns, unsigned int port)
{
	return port < switch_ports(ns->sw);
}

int netsim_attach_card(struct netsim *ns, unsigned int port,
		       struct tt_card *card)
{
	struct netsim_port *p;

	if (!port_ok(ns, port) || !card || ns->port[port].card)
		return TT_EINVAL;
	p = &ns->port[port];
	p->held = malloc(SWITCH_MAX_FRAME);
	if (!p->held)
		return TT_ENOMEM;
	p->card = card;
	return netsim_set_link(ns, port, 1);
}

struct tt_card *netsim_card(const struct netsim *ns, unsigned int port)
{
	return port_ok(ns, port) ? ns->port[port].card : NULL;
}

int netsim_pcap(struct netsim *ns, unsigned int port, const char *path,
		char *err, size_t errlen)
{
	struct tt_pcap_writer *w;
	int r;

	if (!port_ok(ns, port))
		return tt_errf(err, errlen, TT_EINVAL,
			       "%s: port %u out of range", path, port);
	r = tt_pcap_writer_open(&w, path, err, errlen);
	if (r < 0)
		return r;
	tt_pcap_writer_close(ns->port[port].pcap);
	ns->port[port].pcap = w;
	return 0;
}

int netsim_set_link(struct netsim *ns, unsigned int port, int up)
{
	int r;

	if (!port_ok(ns, port))
		return TT_EINVAL;
	r = switch_set_link(ns->sw, port, up);
	if (r == TT_OK && ns->port[port].card)
		tt_card_set_link(ns->port[port].card, up);
	return r;
}

int netsim_set_quantum(struct netsim *ns, uint64_t cycles)
{
	if (cycles == 0)
		return TT_EINVAL;
	ns->quantum = cycles;
	return TT_OK;
}

static void capture(struct netsim *ns, struct netsim_port *p,
		    const uint8_t *f, size_t len)
{
	if (p->pcap)
		tt_pcap_write(p->pcap, switch_cycles(ns->sw), f, len);
}

/* Card to switch: everything the card has sent. */
static void move_from_card(struct netsim *ns, unsigned int port)
{
	struct netsim_port *p = &ns->port[port];
	size_t len;

	while (tt_card_net_tx(p->card, ns->buf, SWITCH_MAX_FRAME, &len) ==
	       TT_OK) {
		capture(ns, p, ns->buf, len);
		switch_port_rx(ns->sw, port, ns->buf, len);
		p->st.from_card++;
	}
}

/* Switch to card: what is due, until the card's input is full. */
static void move_to_card(struct netsim *ns, unsigned int port)
{
	struct netsim_port *p = &ns->port[port];

	for (;;) {
		if (!p->held_len) {
			size_t len;

			if (switch_port_tx(ns->sw, port, p->held,
					   SWITCH_MAX_FRAME, &len) != TT_OK)
				return;
			p->held_len = len;
			capture(ns, p, p->held, len);
		}
		if (tt_card_net_rx(p->card, p->held, p->held_len) == TT_EAGAIN) {
			p->st.card_full++;
			return;
		}
		/* taken (or refused for good and counted by the card) */
		p->held_len = 0;
		p->st.to_card++;
	}
}

void netsim_step(struct netsim *ns, uint64_t cycles)
{
	unsigned int i, n = switch_ports(ns->sw);

	while (cycles) {
		uint64_t round = cycles < ns->quantum ? cycles : ns->quantum;

		for (i = 0; i < n; i++) {
			if (!ns->port[i].card)
				continue;
			move_from_card(ns, i);
			move_to_card(ns, i);
		}
		for (i = 0; i < n; i++)
			if (ns->port[i].card)
				tt_card_step(ns->port[i].card, round);
		switch_step(ns->sw, round);
		cycles -= round;
	}
}

int netsim_port_stats(const struct netsim *ns, unsigned int port,
		      struct netsim_port_stats *st)
{
	if (!port_ok(ns, port) || !st)
		return TT_EINVAL;
	*st = ns->port[port].st;
	return TT_OK;
}
