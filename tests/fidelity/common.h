/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * common: the producers of a fidelity program, on wakebench's schedule:
 * -p producers, each -r items/s, slot k of producer i due at
 * t0 + i * period / p + k * period, for -d milliseconds; an item is a
 * count in a mutex-protected queue, then the library's cross-thread
 * send.  The event loop's callback takes the whole queue (fid_take) and
 * stops the loop once every producer is done and every item taken.
 * Prints "items N" on stdout, then how long the library's send took at
 * most and how many took over 1 ms (libuv issue 2769's slow poke).
 * -s US makes each callback spin US microseconds after its dequeue: a
 * loop whose turn is as long as wakebench's, whose per-item bookkeeping
 * is its callback's work (tests/fidelity/run, FIDELITY_SPIN_US).
 */
#ifndef FID_COMMON_H
#define FID_COMMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int fid_np = 1;
static long fid_rate = 2000, fid_ms = 1000;
static double fid_spin_us;
static uint64_t fid_t0;
static pthread_mutex_t fid_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t fid_queued, fid_produced, fid_taken;
static atomic_int fid_done;
static atomic_ullong fid_send_max, fid_send_slow;
static void (*fid_send)(void);

static uint64_t
fid_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
fid_sleep_until(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000u),
	    (long)(t % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

static void *
fid_producer(void *arg)
{
	uint64_t i = (uintptr_t)arg, period = 1000000000u / (uint64_t)fid_rate;
	uint64_t end = fid_t0 + (uint64_t)fid_ms * 1000000u;

	for (uint64_t k = 0;; k++) {
		uint64_t due = fid_t0 + period * i / (uint64_t)fid_np +
		    k * period;
		if (due >= end)
			break;
		fid_sleep_until(due);
		pthread_mutex_lock(&fid_mu);
		fid_queued++;
		fid_produced++;
		pthread_mutex_unlock(&fid_mu);
		uint64_t t = fid_now();
		fid_send();
		t = fid_now() - t;
		if (t > 1000000u)
			atomic_fetch_add(&fid_send_slow, 1);
		unsigned long long m = atomic_load(&fid_send_max);
		while (t > m && !atomic_compare_exchange_weak(&fid_send_max,
		    &m, t))
			;
	}
	atomic_fetch_add(&fid_done, 1);
	fid_send();		/* one last wakeup, to see everyone done */
	return NULL;
}

/* fid_take: the callback's dequeue; true once the loop should stop. */
static bool
fid_take(void)
{
	bool done = atomic_load(&fid_done) == fid_np;

	pthread_mutex_lock(&fid_mu);
	fid_taken += fid_queued;
	fid_queued = 0;
	done = done && fid_taken == fid_produced;
	pthread_mutex_unlock(&fid_mu);
	if (fid_spin_us > 0) {
		uint64_t until = fid_now() + (uint64_t)(fid_spin_us * 1e3);
		while (fid_now() < until)
			;
	}
	return done;
}

static pthread_t fid_th[64];

static void
fid_start(int argc, char **argv, void (*send)(void))
{
	int c;

	while ((c = getopt(argc, argv, "p:r:d:s:")) != -1) {
		if (c == 'p')
			fid_np = atoi(optarg);
		else if (c == 'r')
			fid_rate = atol(optarg);
		else if (c == 'd')
			fid_ms = atol(optarg);
		else if (c == 's')
			fid_spin_us = atof(optarg);
		else
			exit(2);
	}
	if (fid_np < 1 || fid_np > 64 || fid_rate < 1 || fid_ms < 1 ||
	    !(fid_spin_us >= 0 && fid_spin_us <= 1e6)) {
		fprintf(stderr, "usage: %s [-p 1..64] [-r items/s] [-d ms] "
		    "[-s spin us]\n",
		    argv[0]);
		exit(2);
	}
	fid_send = send;
	fid_t0 = fid_now() + 50000000u;	/* the loop runs by then */
	for (int i = 0; i < fid_np; i++)
		pthread_create(&fid_th[i], NULL, fid_producer,
		    (void *)(uintptr_t)i);
}

static void
fid_finish(void)
{
	for (int i = 0; i < fid_np; i++)
		pthread_join(fid_th[i], NULL);
	printf("items %llu\nsend_max_us %.1f\nsend_over_1ms %llu\n",
	    (unsigned long long)fid_taken, atomic_load(&fid_send_max) / 1e3,
	    atomic_load(&fid_send_slow));
}

#endif
