/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* The glib preset's library: producers call g_main_context_invoke on a
 * context another thread runs (an idle source attached, the context
 * woken), the callback takes the queue. */
#include <glib.h>

#include "common.h"

static GMainContext *ctx;
static GMainLoop *loop;

static gboolean
cb(gpointer arg)
{
	(void)arg;
	if (fid_take())
		g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

static void
poke_loop(void)
{
	g_main_context_invoke(ctx, cb, NULL);
}

int
main(int argc, char **argv)
{
	ctx = g_main_context_new();
	loop = g_main_loop_new(ctx, FALSE);
	fprintf(stderr, "glib %u.%u.%u\n", glib_major_version,
	    glib_minor_version, glib_micro_version);
	fid_start(argc, argv, poke_loop);
	g_main_loop_run(loop);
	fid_finish();
	return 0;
}
