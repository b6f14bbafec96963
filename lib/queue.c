#include "queue.h"

#include <errno.h>
#include <stdlib.h>

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
	p->free = NULL;
	p->used = 0;
	p->cap = cap;
	/* calloc maps fresh pages lazily: memory is touched as used. */
	if ((p->mem = calloc(cap, sizeof(*p->mem))) == NULL)
		return ENOMEM;
	return 0;
}

void
pool_destroy(struct pool *p)
{
	free(p->mem);
	p->mem = NULL;
}
