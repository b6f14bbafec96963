/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* The libuv preset's library: producers call uv_async_send, the loop's
 * async callback takes the queue. */
#include <uv.h>

#include "common.h"

static uv_async_t as;

static void
poke_loop(void)
{
	uv_async_send(&as);
}

static void
cb(uv_async_t *h)
{
	if (fid_take())
		uv_close((uv_handle_t *)h, NULL);
}

int
main(int argc, char **argv)
{
	uv_loop_t *loop = uv_default_loop();

	uv_async_init(loop, &as, cb);
	fprintf(stderr, "libuv %s\n", uv_version_string());
	fid_start(argc, argv, poke_loop);
	uv_run(loop, UV_RUN_DEFAULT);
	fid_finish();
	return 0;
}
