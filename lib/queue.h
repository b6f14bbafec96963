/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * queue: the work queue producers hand items to the main thread through.
 * It is not selectable, which is the whole reason for a waker.
 *
 * Multi-producer, single consumer, taken whole: the main thread swaps the
 * entire list out under the lock and walks it without the lock, so the lock
 * is held for a few instructions on either side.  A mutex rather than a
 * lock-free list because the `transition` poke policy must decide "the
 * queue went from empty to non-empty" atomically with the push, as Redis
 * does under its module mutex.
 *
 * Items come from per-producer pools (struct pool) and go back to them
 * after they are taken, so neither side allocates on the hot path.
 */
#ifndef WB_QUEUE_H
#define WB_QUEUE_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct item {
	alignas(64) struct item *next;
	uint64_t seq;		/* per producer, from 0: loss and duplicate check */
	uint64_t sched_ns;	/* when it was due (open loop), or enqueue time */
	uint64_t enq_ns;	/* just before the enqueue */
	/*
	 * When the producer had finished both the enqueue and the poke, or 0
	 * while it has not.  Written after the item is already visible in the
	 * queue, hence atomic; stored with release and loaded with acquire
	 * (lib/trial.c, handed_over) so that seeing it also shows the
	 * producers' poking_since state the lost-wakeup test reads.
	 */
	_Atomic uint64_t done_ns;
	uint32_t producer;
};

struct queue {
	pthread_mutex_t lock;
	struct item *head;
	struct item *tail;
};

/* queue_init: 0 or errno. */
int queue_init(struct queue *q);
void queue_destroy(struct queue *q);

/* queue_push_locked appends it with the lock held by the caller and
 * returns true when the queue was empty before. */
static inline bool
queue_push_locked(struct queue *q, struct item *it)
{
	bool was_empty = q->head == NULL;

	it->next = NULL;
	if (was_empty)
		q->head = it;
	else
		q->tail->next = it;
	q->tail = it;
	return was_empty;
}

/* queue_push appends it and returns true when the queue was empty before,
 * a fact decided under the lock. */
static inline bool
queue_push(struct queue *q, struct item *it)
{
	pthread_mutex_lock(&q->lock);
	bool was_empty = queue_push_locked(q, it);
	pthread_mutex_unlock(&q->lock);
	return was_empty;
}

/* queue_take removes every queued item and returns them oldest first, or
 * NULL when the queue is empty. */
static inline struct item *
queue_take(struct queue *q)
{
	struct item *list;

	pthread_mutex_lock(&q->lock);
	list = q->head;
	q->head = q->tail = NULL;
	pthread_mutex_unlock(&q->lock);
	return list;
}

/*
 * pool: one producer's items.  The producer takes from a private free
 * list; when that is empty it grabs, with one exchange, everything the main
 * thread has given back on the `returned` stack.  The main thread is the
 * only one pushing to `returned`, and the producer only ever swaps it with
 * NULL, so the push cannot suffer ABA.  Every item is linked at setup, so
 * the pool's memory is touched once, up front: memory does not grow with
 * run length, not even by the pages a late backlog would reach.
 */
struct pool {
	alignas(64) _Atomic(struct item *) returned;
	alignas(64) struct item *free;	/* producer only */
	struct item *mem;
	size_t cap;
};

/* pool_init allocates room for cap items: 0 or errno. */
int pool_init(struct pool *p, size_t cap);
void pool_destroy(struct pool *p);

/* pool_get returns a free item, or NULL when all cap are in flight. */
static inline struct item *
pool_get(struct pool *p)
{
	struct item *it = p->free;

	if (it == NULL) {
		/* acquire: see the `next` links the main thread wrote. */
		it = atomic_exchange_explicit(&p->returned, NULL,
		    memory_order_acquire);
		if (it == NULL)
			return NULL;
	}
	p->free = it->next;
	/*
	 * The next free item's line was last written on the main thread's
	 * core (pool_put links it): fetching it is a cross-core miss that
	 * stalled the next pool_get for most of a producer's turn at --rate
	 * max.  Ask for it now, for writing, so that it arrives while this
	 * item is queued and poked.  Items are a cache line each, so this
	 * fetches exactly the next item.
	 */
	if (p->free != NULL)
		__builtin_prefetch(p->free, 1);
	return it;
}

/* pool_put returns the chain head..tail (linked by next) to p. */
static inline void
pool_put(struct pool *p, struct item *head, struct item *tail)
{
	struct item *old = atomic_load_explicit(&p->returned,
	    memory_order_relaxed);

	/* release: publish the links before the producer can see head. */
	do
		tail->next = old;
	while (!atomic_compare_exchange_weak_explicit(&p->returned, &old,
	    head, memory_order_release, memory_order_relaxed));
}

#endif
