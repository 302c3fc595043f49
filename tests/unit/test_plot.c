/* SPDX-License-Identifier: MIT */
/*
 * The demo's SVG timeline (host/cli/demo/plot.c): the file is well-formed
 * XML (checked by Python's XML parser), holds one line per series and one
 * marker per event, escapes text, and counts markers it cannot draw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../host/cli/demo/plot.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static unsigned int count(const char *s, const char *what)
{
	unsigned int n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void timeline(void **state)
{
	char path[] = "/tmp/tt-plot-XXXXXX";
	char cmd[256];
	struct plot p;
	int fd = mkstemp(path), a, b;
	const char *svg;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	plot_init(&p, "link <throughput> & reloads", "time (ms)", "Mbit/s");
	a = plot_series(&p, "card 0");
	b = plot_series(&p, "card 1");
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	for (int t = 0; t < 100; t++) {
		assert_int_equal(plot_point(&p, a, t, t < 50 ? 900 : 0), 0);
		assert_int_equal(plot_point(&p, b, t, t < 50 ? 450 : 1350), 0);
	}
	assert_int_equal(plot_point(&p, 7, 0, 0), -1);
	plot_mark(&p, 50, "link 0 down", 1);
	for (int k = 0; k < PLOT_MAX_MARKS + 5; k++)
		plot_mark(&p, 50.5, "reload", 0);
	assert_int_equal(p.marks_dropped, 6);
	assert_int_equal(plot_write_svg(&p, path), 0);
	svg = slurp(path);
	assert_int_equal(count(svg, "<polyline"), 2);
	assert_non_null(strstr(svg, "link &lt;throughput&gt; &amp; reloads"));
	assert_non_null(strstr(svg, "link 0 down"));
	/* 2 legend lines + one per drawn marker + 5 grid + 1 axis */
	assert_int_equal(count(svg, "<line"), 2 + PLOT_MAX_MARKS + 6);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' %s",
		 path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	plot_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timeline),
	};

	return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
