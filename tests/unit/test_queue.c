/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* queue and pools: 8 concurrent producers, nothing lost, nothing twice,
 * each producer's items in order; pools recycle without allocating. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "tap.h"

#define PRODUCERS	8
#define PER		200000
#define POOL		512

static struct queue q;
static struct pool pools[PRODUCERS];
static atomic_uint finished;
static uint64_t waits[PRODUCERS];
static unsigned transitions[PRODUCERS];

static void *
producer(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;

	for (uint64_t s = 0; s < PER; s++) {
		struct item *it;
		while ((it = pool_get(&pools[id])) == NULL) {
			waits[id]++;
			sched_yield();
		}
		it->producer = id;
		it->seq = s;
		transitions[id] += queue_push(&q, it);
	}
	atomic_fetch_add(&finished, 1);
	return NULL;
}

int
main(void)
{
	pthread_t tid[PRODUCERS];
	uint64_t next[PRODUCERS] = { 0 }, taken = 0, bad_order = 0, batches = 0;
	uint64_t empty_takes = 0;

	ok(queue_init(&q) == 0, "queue_init");
	ok(queue_take(&q) == NULL, "a new queue is empty");
	for (unsigned i = 0; i < PRODUCERS; i++)
		ok(pool_init(&pools[i], POOL) == 0, "pool %u", i);
	for (unsigned i = 0; i < PRODUCERS; i++)
		pthread_create(&tid[i], NULL, producer, (void *)(uintptr_t)i);

	for (;;) {
		bool last = atomic_load(&finished) == PRODUCERS;
		struct item *list = queue_take(&q);
		if (list == NULL)
			empty_takes++;
		else
			batches++;
		struct item *head[PRODUCERS] = { 0 }, *tail[PRODUCERS] = { 0 };
		for (struct item *it = list, *n; it; it = n) {
			n = it->next;
			if (it->seq != next[it->producer])
				bad_order++;
			next[it->producer] = it->seq + 1;
			taken++;
			it->next = NULL;
			if (head[it->producer] == NULL)
				head[it->producer] = it;
			else
				tail[it->producer]->next = it;
			tail[it->producer] = it;
		}
		for (unsigned i = 0; i < PRODUCERS; i++)
			if (head[i])
				pool_put(&pools[i], head[i], tail[i]);
		if (last && list == NULL)
			break;
	}
	for (unsigned i = 0; i < PRODUCERS; i++)
		pthread_join(tid[i], NULL);

	ok(taken == (uint64_t)PRODUCERS * PER, "every item taken once: %llu of %llu",
	    (unsigned long long)taken, (unsigned long long)PRODUCERS * PER);
	ok(bad_order == 0, "each producer's items in order (%llu out of order)",
	    (unsigned long long)bad_order);
	int all_seen = 1;
	for (unsigned i = 0; i < PRODUCERS; i++)
		all_seen &= next[i] == PER;
	ok(all_seen, "the last item of every producer arrived");
	int bounded = 1;
	for (unsigned i = 0; i < PRODUCERS; i++)
		bounded &= waits[i] > 0 || PER <= POOL;
	ok(bounded, "producers waited for items: pools are bounded and recycled");
	unsigned tr = 0;
	for (unsigned i = 0; i < PRODUCERS; i++)
		tr += transitions[i];
	ok(tr >= batches && tr <= batches + PRODUCERS,
	    "empty->non-empty transitions (%u) match non-empty takes (%llu)",
	    tr, (unsigned long long)batches);
	printf("# %llu batches, %llu empty takes\n", (unsigned long long)batches,
	    (unsigned long long)empty_takes);

	/* pool exhaustion and refill, single-threaded */
	struct pool p;
	ok(pool_init(&p, 3) == 0, "small pool");
	struct item *a = pool_get(&p), *b = pool_get(&p), *c = pool_get(&p);
	ok(a && b && c && a != b && b != c, "three distinct items");
	ok(pool_get(&p) == NULL, "a fourth is refused: all in flight");
	a->next = b;
	pool_put(&p, a, b);
	struct item *x = pool_get(&p), *y = pool_get(&p);
	ok((x == a && y == b) || (x == b && y == a), "returned items come back");
	ok(pool_get(&p) == NULL, "and no more than were returned");
	pool_destroy(&p);

	for (unsigned i = 0; i < PRODUCERS; i++)
		pool_destroy(&pools[i]);
	queue_destroy(&q);
	return tap_done();
}
