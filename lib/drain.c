/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "drain.h"

#include <string.h>

/*
 * first_read: the first read of a drain, which also tells what the waker
 * held when the drain began: everything, when the read came back short or
 * took a counter; else what it took plus what FIONREAD says is left (one
 * more syscall, only when a backlog exceeds a read).  Counting the bytes
 * of every read instead would add the pokes that land during the drain.
 */
static long
first_read(struct waker *w, size_t max, struct drain_out *out)
{
	long n = w->ops->read(w, max, &out->empty);

	out->reads++;
	if (n <= 0)
		return n;
	out->found = (uint64_t)n;
	if (!out->empty && w->ops->stream) {
		long left = waker_pending(w);
		out->reads++;
		if (left > 0)
			out->found += (uint64_t)left;
		/* A writer blocked on a full pipe refills it between the two
		 * calls; the pipe never held more than its capacity. */
		if (w->capacity && out->found > w->capacity)
			out->found = w->capacity;
	}
	return n;
}

/*
 * read_out: read until a read finds nothing (EAGAIN) or, unless to_eagain,
 * until a read proves the waker empty (a short read, or an eventfd counter
 * read: a further read could only say EAGAIN).
 */
static long
read_out(struct waker *w, struct drain_out *out, bool to_eagain)
{
	long total = first_read(w, 4096, out);

	if (total <= 0)
		return total;
	while (to_eagain || !out->empty) {
		long n = w->ops->read(w, 4096, &out->empty);
		out->reads++;
		if (n < 0)
			return n;
		if (n == 0)
			break;
		total += n;
	}
	out->empty = true;	/* a read found nothing, or proved it */
	/* A semaphore eventfd cannot be peeked: what the drain took is the
	 * best estimate of what it held. */
	if (!w->ops->stream && !w->ops->read_all)
		out->found = (uint64_t)total;
	return total;
}

/* all: read until the waker is proved empty. */
static long
drain_all(struct waker *w, uint64_t items, struct drain_out *out)
{
	(void)items;
	return read_out(w, out, false);
}

/*
 * eagain: read until a read finds nothing, even after a short read, as
 * CPython's asyncio does (_read_from_self: recv(4096) until
 * BlockingIOError): on a byte stream one read more per wakeup than `all`,
 * the one that says EAGAIN.
 */
static long
drain_eagain(struct waker *w, uint64_t items, struct drain_out *out)
{
	(void)items;
	return read_out(w, out, true);
}

/* once: a single read of up to 4 KiB (twisted, glib, go, redis io-threads):
 * what is left makes the next wait return at once. */
static long
drain_once(struct waker *w, uint64_t items, struct drain_out *out)
{
	(void)items;
	return first_read(w, 4096, out);
}

/* per-item: one poke consumed per item taken, as semaphore-style code does;
 * it must run after the dequeue to know the count. */
static long
drain_per_item(struct waker *w, uint64_t items, struct drain_out *out)
{
	long total = 0;

	out->empty = false;
	while ((uint64_t)total < items && !out->empty) {
		long n = total == 0 ? first_read(w, items, out) :
		    w->ops->read(w, items - (uint64_t)total, &out->empty);
		if (total > 0)
			out->reads++;
		if (n <= 0)
			return n < 0 ? n : total;
		total += n;
	}
	return total;
}

static const struct drain_ops d_all = {
	.name = "all",
	.desc = "read until EAGAIN (or a read that proves the waker empty)",
	.run = drain_all,
};
static const struct drain_ops d_once = {
	.name = "once",
	.desc = "one read of up to 4 KiB",
	.run = drain_once,
};
static const struct drain_ops d_per_item = {
	.name = "per-item",
	.desc = "one unit per item taken, read after the dequeue",
	.after_take = true,
	.run = drain_per_item,
};
static const struct drain_ops d_eagain = {
	.name = "eagain",
	.desc = "read until a read says EAGAIN, even after a short read",
	.run = drain_eagain,
};
static const struct drain_ops d_none = {
	.name = "none",
	.desc = "never read (only sane with epoll-et and an eventfd: a pipe or socketpair fills)",
	.needs_edge = true,
	.run = NULL,
};

const struct drain_ops *const drain_table[] = {
	&d_all, &d_once, &d_per_item, &d_none, &d_eagain, NULL
};

/*
 * Where per-item is unsafe (docs/DESIGN.md#per-item).  It reads one unit
 * per item taken, after the dequeue, so it assumes one poke per item:
 * a coalescing poke policy makes fewer, and the read for the items taken
 * eats the poke of an item enqueued after the dequeue, which then sits
 * with the pending flag set (or the queue non-empty) and nobody writes
 * again; an eventfd's one read takes its whole counter, which has the
 * same effect.  With one poke per item, a poke that lands after its item
 * was taken is never read (no item is left to read it for): under a
 * level-triggered wait the waker stays readable and the loop spins.
 * handshake is safe: the main thread looks at the queue after it says it
 * will block.
 */
const struct drain_unsafe drain_unsafe_table[] = {
	{ "per-item", "coalesce", -1, -1, "-P coalesce", "LOST WAKEUPS",
	  "fewer pokes than items: the read for the items taken eats the poke "
	  "of one enqueued after the dequeue, and the flag stays set" },
	{ "per-item", "coalesce-lock", -1, -1, "-P coalesce-lock", "LOST WAKEUPS",
	  "fewer pokes than items: the read for the items taken eats the poke "
	  "of one enqueued after the dequeue, and the flag stays set" },
	{ "per-item", "transition", -1, -1, "-P transition", "LOST WAKEUPS",
	  "fewer pokes than items: the read for the items taken eats the poke "
	  "of one enqueued after the dequeue, and the queue stays non-empty" },
	{ "per-item", "always", 1, -1, "-P always -m eventfd", "LOST WAKEUPS",
	  "one read takes the whole counter, with the pokes of items enqueued "
	  "after the dequeue" },
	{ "per-item", "always", 0, 0, "-P always -m pipe, socketpair or eventfd-sem under select, poll or epoll",
	  "BUSY LOOP", "a poke that lands after its item was taken is never "
	  "read, and a level-triggered wait returns at once from then on" },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};

const struct drain_unsafe *
drain_unsafe(const char *drain, const char *poke, bool read_all, bool edge)
{
	for (const struct drain_unsafe *u = drain_unsafe_table; u->drain; u++)
		if (strcmp(u->drain, drain) == 0 &&
		    (u->poke == NULL || strcmp(u->poke, poke) == 0) &&
		    (u->read_all < 0 || u->read_all == read_all) &&
		    (u->edge < 0 || u->edge == edge))
			return u;
	return NULL;
}

const struct drain_ops *
drain_find(const char *name)
{
	for (const struct drain_ops *const *o = drain_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}
