/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "clock.h"

#include <sys/resource.h>

uint64_t
clock_thread_cpu_ns(void)
{
	struct rusage ru;

	/* RUSAGE_THREAD (docs/DESIGN.md#main-cpu); same source as top's %CPU. */
	if (getrusage(RUSAGE_THREAD, &ru) == -1)
		return 0;
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
	    1000000000u + ((uint64_t)ru.ru_utime.tv_usec +
	    (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}
