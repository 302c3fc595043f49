/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define W       960.0
#define H       420.0
#define LEFT     70.0
#define RIGHT   150.0
#define TOP      40.0
#define BOTTOM   50.0

static const char *const colour[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

void plot_init(struct plot *p, const char *title, const char *x_label,
	       const char *y_label)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->title, sizeof(p->title), "%s", title);
	snprintf(p->x_label, sizeof(p->x_label), "%s", x_label);
	snprintf(p->y_label, sizeof(p->y_label), "%s", y_label);
}

void plot_free(struct plot *p)
{
	for (unsigned int i = 0; i < p->n_series; i++)
		free(p->s[i].pt);
	p->n_series = 0;
}

int plot_series(struct plot *p, const char *name)
{
	if (p->n_series == PLOT_MAX_SERIES)
		return -1;
	snprintf(p->s[p->n_series].name, sizeof(p->s[0].name), "%s", name);
	return (int)p->n_series++;
}

int plot_point(struct plot *p, int i, double t, double v)
{
	struct plot_series *s;

	if (i < 0 || (unsigned int)i >= p->n_series)
		return -1;
	s = &p->s[i];
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct plot_point *pt = realloc(s->pt, cap * sizeof(*pt));

		if (!pt)
			return -1;
		s->pt = pt;
		s->cap = cap;
	}
	s->pt[s->n++] = (struct plot_point){ t, v };
	return 0;
}

void plot_mark(struct plot *p, double t, const char *label, int strong)
{
	if (p->n_marks == PLOT_MAX_MARKS) {
		p->marks_dropped++;
		return;
	}
	p->m[p->n_marks].t = t;
	p->m[p->n_marks].strong = strong;
	snprintf(p->m[p->n_marks].label, sizeof(p->m[0].label), "%s", label);
	p->n_marks++;
}

/* Text for an SVG text node: the five XML specials escaped. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A "nice" axis maximum: 1, 2 or 5 times a power of ten, >= v. */
static double nice_max(double v)
{
	double step = 1;

	if (v <= 0)
		return 1;
	while (step < v)
		step *= 10;
	while (step / 10 >= v)
		step /= 10;
	if (step / 5 >= v)
		return step / 5;
	if (step / 2 >= v)
		return step / 2;
	return step;
}

int plot_write_svg(const struct plot *p, const char *path)
{
	double t0 = 0, t1 = 0, vmax = 0, pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
	int first = 1;
	FILE *f;

	for (unsigned int i = 0; i < p->n_series; i++)
		for (size_t k = 0; k < p->s[i].n; k++) {
			const struct plot_point *q = &p->s[i].pt[k];
			if (first || q->t < t0)
				t0 = q->t;
			if (first || q->t > t1)
				t1 = q->t;
			if (q->v > vmax)
				vmax = q->v;
			first = 0;
		}
	if (t1 <= t0)
		t1 = t0 + 1;
	vmax = nice_max(vmax);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H);
	fprintf(f, "<text x=\"%.0f\" y=\"22\" font-size=\"15\">", LEFT);
	put_text(f, p->title);
	fputs("</text>\n", f);
	/* axes, grid and labels */
	fprintf(f, "<g stroke=\"#999\">\n");
	for (int g = 0; g <= 4; g++) {
		double y = TOP + ph - ph * g / 4;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"%s/>\n",
			LEFT, y, LEFT + pw, y, g ? " stroke-dasharray=\"2,4\"" : "");
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
		LEFT, TOP, LEFT, TOP + ph);
	for (int g = 0; g <= 4; g++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n",
			LEFT - 6, TOP + ph - ph * g / 4 + 4, vmax * g / 4);
	for (int g = 0; g <= 5; g++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.4g</text>\n",
			LEFT + pw * g / 5, TOP + ph + 18, t0 + (t1 - t0) * g / 5);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", LEFT + pw / 2,
		H - 10);
	put_text(f, p->x_label);
	fprintf(f, "</text>\n<text transform=\"translate(16,%.1f) rotate(-90)\" "
		"text-anchor=\"middle\">", TOP + ph / 2);
	put_text(f, p->y_label);
	fputs("</text>\n", f);
	/* markers under the lines */
	for (unsigned int i = 0; i < p->n_marks; i++) {
		double x = LEFT + pw * (p->m[i].t - t0) / (t1 - t0);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"%s/>\n", x, TOP, x, TOP + ph,
			p->m[i].strong ? "#000" : "#c33",
			p->m[i].strong ? "" : " stroke-dasharray=\"3,3\"");
		if (p->m[i].strong) {
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">",
				x + 3, TOP + 12 + 12 * (i % 3));
			put_text(f, p->m[i].label);
			fputs("</text>\n", f);
		}
	}
	/* series and legend */
	for (unsigned int i = 0; i < p->n_series; i++) {
		const char *c = colour[i % (sizeof(colour) / sizeof(colour[0]))];
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
			"points=\"", c);
		for (size_t k = 0; k < p->s[i].n; k++) {
			const struct plot_point *q = &p->s[i].pt[k];
			fprintf(f, "%.1f,%.1f ", LEFT + pw * (q->t - t0) / (t1 - t0),
				TOP + ph - ph * (q->v / vmax));
		}
		fputs("\"/>\n", f);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"3\" "
			"fill=\"%s\"/>\n<text x=\"%.1f\" y=\"%.1f\">", W - RIGHT + 12,
			TOP + 20.0 * i + 4, c, W - RIGHT + 30, TOP + 20.0 * i + 9);
		put_text(f, p->s[i].name);
		fputs("</text>\n", f);
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>"
		"<text x=\"%.1f\" y=\"%.1f\">link event</text>\n", W - RIGHT + 12,
		TOP + 20.0 * p->n_series + 6, W - RIGHT + 24, TOP + 20.0 * p->n_series + 6,
		W - RIGHT + 30, TOP + 20.0 * p->n_series + 10);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c33\" "
		"stroke-dasharray=\"3,3\"/><text x=\"%.1f\" y=\"%.1f\">reload</text>\n",
		W - RIGHT + 12, TOP + 20.0 * p->n_series + 26, W - RIGHT + 24,
		TOP + 20.0 * p->n_series + 26, W - RIGHT + 30, TOP + 20.0 * p->n_series + 30);
	fputs("</svg>\n", f);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		errno = e;
		return -1;
	}
	return fclose(f) ? -1 : 0;
}
