#include "poke.h"

#include <string.h>

/* always: one write per item, as asyncio, twisted and nginx do. */
static bool
always_want(struct wake *w, bool was_empty)
{
	(void)w;
	(void)was_empty;
	return true;
}

/*
 * coalesce: skip the write while one is pending (libuv, Go, Qt).  The
 * producer sets the flag with an exchange; only the thread that took it
 * from 0 to 1 writes.  The main thread clears it after the drain and before
 * the dequeue.  Why that is enough: if a producer's exchange reads 1 and
 * the clear comes later, the producer's push (under the queue mutex) came
 * before the clear, and so before the dequeue, which takes the item; if the
 * clear came first, the producer reads 0 and writes.  The mutex orders the
 * item, so the flag needs no more than acq_rel.
 */
static bool
coalesce_want(struct wake *w, bool was_empty)
{
	(void)was_empty;
	return atomic_exchange_explicit(&w->pending, 1,
	    memory_order_acq_rel) == 0;
}

static void
coalesce_rearm(struct wake *w)
{
	atomic_store_explicit(&w->pending, 0, memory_order_release);
}

/*
 * transition: write only when the push took the queue from empty to
 * non-empty, decided under the queue lock (Redis' module pipe).  Every item
 * pushed after the main thread's dequeue makes a new transition, so none
 * can be left without a write.
 */
static bool
transition_want(struct wake *w, bool was_empty)
{
	(void)w;
	return was_empty;
}

static const struct poke_ops poke_always = {
	.name = "always",
	.desc = "one write per item",
	.want_write = always_want,
};

static const struct poke_ops poke_coalesce = {
	.name = "coalesce",
	.desc = "skip the write while a wakeup is pending (atomic flag, cleared after the drain)",
	.want_write = coalesce_want,
	.rearm = coalesce_rearm,
};

static const struct poke_ops poke_transition = {
	.name = "transition",
	.desc = "write only when the queue goes from empty to non-empty (decided under the queue lock)",
	.want_write = transition_want,
};

const struct poke_ops *const poke_table[] = {
	&poke_always, &poke_coalesce, &poke_transition, NULL
};

const struct poke_ops *
poke_find(const char *name)
{
	for (const struct poke_ops *const *o = poke_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}
