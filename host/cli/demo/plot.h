/* SPDX-License-Identifier: MIT */
/*
 * A timeline plot written as SVG (no library: the format is text): one
 * line per series (throughput of each link over time) and vertical
 * markers for events (link failure, link restore, reloads).
 */
#ifndef TT_DEMO_PLOT_H
#define TT_DEMO_PLOT_H

#include <stddef.h>
#include <stdint.h>

#define PLOT_MAX_SERIES  16
#define PLOT_MAX_MARKS   64

struct plot_point {
	double t, v;
};

struct plot_series {
	char name[32];
	struct plot_point *pt;
	size_t n, cap;
};

struct plot_mark {
	double t;
	char label[48];
	int strong;          /* a link event (drawn solid), else a reload */
};

struct plot {
	char title[96], x_label[32], y_label[32];
	struct plot_series s[PLOT_MAX_SERIES];
	unsigned int n_series;
	struct plot_mark m[PLOT_MAX_MARKS];
	unsigned int n_marks;
	uint64_t marks_dropped;    /* markers beyond PLOT_MAX_MARKS */
};

void plot_init(struct plot *p, const char *title, const char *x_label,
	       const char *y_label);
void plot_free(struct plot *p);
/* Add a series; returns its index or -1 (too many). */
int plot_series(struct plot *p, const char *name);
/* Append a point to series i; returns 0 or -1 (out of memory / bad i). */
int plot_point(struct plot *p, int i, double t, double v);
/* A vertical marker at t. Marks beyond PLOT_MAX_MARKS are counted, not
 * drawn. */
void plot_mark(struct plot *p, double t, const char *label, int strong);
/* Write the SVG file; returns 0 or -1 (errno set). */
int plot_write_svg(const struct plot *p, const char *path);

#endif
