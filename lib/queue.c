/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
queue_init(struct queue *q)
{
	q->head = q->tail = NULL;
	return pthread_mutex_init(&q->lock, NULL);
}

void
queue_destroy(struct queue *q)
{
	pthread_mutex_destroy(&q->lock);
}

int
pool_init(struct pool *p, size_t cap)
{
	atomic_init(&p->returned, NULL);
	p->cap = cap;
	if ((p->mem = aligned_alloc(64, cap * sizeof(*p->mem))) == NULL)
		return ENOMEM;
	memset(p->mem, 0, cap * sizeof(*p->mem));
	for (size_t i = 0; i + 1 < cap; i++)
		p->mem[i].next = &p->mem[i + 1];
	p->free = cap ? &p->mem[0] : NULL;
	return 0;
}

void
pool_destroy(struct pool *p)
{
	free(p->mem);
	p->mem = NULL;
}
