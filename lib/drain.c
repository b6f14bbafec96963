#include "drain.h"

#include <string.h>

/* all: read until EAGAIN, or until a read proves the waker empty (a short
 * read, or an eventfd counter read: a further read could only say EAGAIN). */
static long
drain_all(struct waker *w, uint64_t items, uint64_t *reads)
{
	long total = 0;
	bool empty = false;

	(void)items;
	while (!empty) {
		long n = w->ops->read(w, 4096, &empty);
		++*reads;
		if (n < 0)
			return n;
		if (n == 0)
			break;
		total += n;
	}
	return total;
}

/* once: a single read of up to 4 KiB (twisted, glib, go, redis io-threads):
 * what is left makes the next wait return at once. */
static long
drain_once(struct waker *w, uint64_t items, uint64_t *reads)
{
	bool empty;

	(void)items;
	++*reads;
	return w->ops->read(w, 4096, &empty);
}

/* per-item: one poke consumed per item taken, as semaphore-style code does;
 * it must run after the dequeue to know the count. */
static long
drain_per_item(struct waker *w, uint64_t items, uint64_t *reads)
{
	long total = 0;
	bool empty = false;

	while ((uint64_t)total < items && !empty) {
		long n = w->ops->read(w, items - (uint64_t)total, &empty);
		++*reads;
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
static const struct drain_ops d_none = {
	.name = "none",
	.desc = "never read (only sane with epoll-et, which re-arms on each write)",
	.needs_edge = true,
	.run = NULL,
};

const struct drain_ops *const drain_table[] = {
	&d_all, &d_once, &d_per_item, &d_none, NULL
};

const struct drain_ops *
drain_find(const char *name)
{
	for (const struct drain_ops *const *o = drain_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}
