/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/* judge: the wakeup classification and the lost-wakeup test on scripted
 * interleavings, with a clock the script sets; then the waits' timeout
 * rounding, which the classification relies on. */
#include <stdint.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "clock.h"
#include "judge.h"
#include "tap.h"
#include "wait.h"

#define US	1000ULL
#define MS	1000000ULL

static uint64_t now_ns;			/* the scripted clock */

static uint64_t
fake_clock(void)
{
	return now_ns;
}

/* poke_at: a producer stamps (if first since the clear) at `at`, its item
 * enqueued at enq. */
static void
poke_at(struct judge *j, uint64_t enq, uint64_t at)
{
	now_ns = at;
	judge_poke(j, enq, fake_clock);
}

/* in_flight answers for the not-ready checks; asked counts the calls. */
static uint64_t in_flight_answer = UINT64_MAX;
static int asked;

static uint64_t
ask(void *arg)
{
	(void)arg;
	asked++;
	return in_flight_answer;
}

static const struct judge_conf level = { .edge = false, .drains = true,
    .grace_ns = 1 * MS };
static const struct judge_conf edge_none = { .edge = true, .drains = false,
    .grace_ns = 1 * MS };

/* turn: the main thread's steps after a ready wait, as lib/trial.c runs
 * them: clear, drain (took, empty). */
static void
clear_drain(struct judge *j, uint64_t took, bool empty)
{
	judge_clear(j);
	judge_drained(j, took, took, empty);
}

static void
classification(void)
{
	struct judge j;
	uint64_t w = 0;

	/* A poke before the wait: the waker was ready, no sleep. */
	judge_init(&j, &level);
	poke_at(&j, 90, 100);
	ok(judge_wait(&j, true, 200, 210, &w) == JUDGE_NOSLEEP,
	    "a poke stamped before the wait began is no-sleep");

	/* A poke that wakes a sleeping loop: a sample of poke-to-return,
	 * not of the time asleep (t_ret - t_enter would be 70 us). */
	judge_init(&j, &level);
	poke_at(&j, 140 * US, 150 * US);
	w = 0;
	enum judge_wake r = judge_wait(&j, true, 100 * US, 170 * US, &w);
	ok(r == JUDGE_SAMPLE && w == 20 * US, "a poke during the sleep is a "
	    "sample of poke to return, not of time asleep: %llu ns (20000)",
	    (unsigned long long)w);

	/* Only the first writer since the clear stamps; the next clear lets
	 * the next one stamp. */
	judge_init(&j, &level);
	poke_at(&j, 140 * US, 150 * US);
	poke_at(&j, 155 * US, 160 * US);
	ok(judge_wait(&j, true, 100 * US, 170 * US, &w) == JUDGE_SAMPLE &&
	    w == 20 * US, "a second writer does not move the stamp");
	clear_drain(&j, 2, true);
	poke_at(&j, 290 * US, 300 * US);
	ok(judge_wait(&j, true, 200 * US, 305 * US, &w) == JUDGE_SAMPLE &&
	    w == 5 * US, "after the clear the next writer stamps anew");

	/* No stamp at all (a fed handshake wakeup): no sleep. */
	judge_init(&j, &level);
	ok(judge_wait(&j, true, 100, 110, &w) == JUDGE_NOSLEEP,
	    "a ready wait with no stamp is no-sleep");
	/* A stamp after the return belongs to the next wakeup. */
	poke_at(&j, 115, 120);
	ok(judge_wait(&j, true, 100, 110, &w) == JUDGE_NOSLEEP,
	    "a stamp after the return is no-sleep");
	ok(judge_wait(&j, false, 100, 110, &w) == JUDGE_NOT_READY,
	    "a wait without the waker is no wakeup");

	/*
	 * A stamped write still in flight at the clear.  The writer S
	 * stamps at 100 us; the loop, woken by another writer's byte,
	 * clears and drains before S's byte lands.  S lands at 130 us,
	 * after the drain: the next wait returns at once with no stamp,
	 * no sleep.  A poke stamped before that wait (a later writer) keeps
	 * it no-sleep too.
	 */
	judge_init(&j, &level);
	poke_at(&j, 95 * US, 100 * US);
	judge_wait(&j, true, 90 * US, 110 * US, &w);
	clear_drain(&j, 1, true);
	ok(judge_wait(&j, true, 140 * US, 141 * US, &w) == JUDGE_NOSLEEP,
	    "a write in flight at the clear, landed after the drain: the "
	    "next wait, returning at once with no stamp, is no-sleep");
	clear_drain(&j, 1, true);
	poke_at(&j, 199 * US, 200 * US);
	ok(judge_wait(&j, true, 210 * US, 211 * US, &w) == JUDGE_NOSLEEP,
	    "... and with a stamp from before the wait, still no-sleep");
	/* Its other ending: S's byte woke the loop and the drain took it
	 * while S was not yet back from write(2) (preempted by the woken
	 * loop): the next wakeup is a real sleep and a sample. */
	clear_drain(&j, 1, true);
	poke_at(&j, 595 * US, 600 * US);
	ok(judge_wait(&j, true, 500 * US, 620 * US, &w) == JUDGE_SAMPLE &&
	    w == 20 * US, "a writer still under way at the clear does not "
	    "write off the next wakeup (issue 18)");

	/* A partial drain under a level-triggered wait: the bytes left make
	 * the next wait return at once, whatever was stamped. */
	judge_init(&j, &level);
	clear_drain(&j, 1, false);
	poke_at(&j, 204, 205);
	ok(judge_wait(&j, true, 200, 206, &w) == JUDGE_NOSLEEP,
	    "after a partial drain, a level-triggered wakeup is no-sleep");
	clear_drain(&j, 1, true);
	poke_at(&j, 395, 400);
	ok(judge_wait(&j, true, 300, 410, &w) == JUDGE_SAMPLE && w == 10,
	    "a drain that empties it makes the next wakeup a sample again");
	struct judge_conf ec = level;
	ec.edge = true;
	judge_init(&j, &ec);
	clear_drain(&j, 1, false);
	poke_at(&j, 204, 205);
	ok(judge_wait(&j, true, 200, 206, &w) == JUDGE_SAMPLE && w == 1,
	    "after a partial drain an edge-triggered wait sleeps: a sample");

	/* Drain none under edge triggering: never read, every write a new
	 * edge, so each poke during a sleep is a sample. */
	judge_init(&j, &edge_none);
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = (uint64_t)i * 1000;
		poke_at(&j, t0 + 400, t0 + 500);
		w = 0;
		ok(judge_wait(&j, true, t0, t0 + 520, &w) == JUDGE_SAMPLE &&
		    w == 20, "drain none, epoll-et: wakeup %d is a sample", i);
		judge_clear(&j);
	}
}

static void
lost(void)
{
	struct judge j;
	uint64_t w;

	/*
	 * poke-first: the producer writes (stamping decide = its enqueue
	 * time), the loop wakes, finds the queue empty; the item is pushed
	 * at 150 us, done at 160 us, and the next wait sleeps to its 50 ms
	 * timeout with nothing on the way: lost, stranded until the take.
	 */
	judge_init(&j, &level);
	poke_at(&j, 100 * US, 100 * US);
	judge_wait(&j, true, 50 * US, 105 * US, &w);
	clear_drain(&j, 1, true);
	in_flight_answer = UINT64_MAX;
	asked = 0;
	judge_wait(&j, false, 170 * US, 170 * US + 50 * MS, &w);
	bool l = judge_item(&j, 160 * US, 170 * US + 50 * MS + 10, ask, NULL);
	ok(l && j.lost == 1 && j.stranded_max == 50 * MS + 10 * US + 10 &&
	    asked == 1, "poke-first: lost, stranded %llu ns",
	    (unsigned long long)j.stranded_max);

	/*
	 * dequeue-first: the loop takes the queue, then the item X comes
	 * (stamps, writes, done at 210 us), then the clear and drain eat
	 * X's poke.  The next wait times out: X is lost.
	 */
	judge_init(&j, &level);
	poke_at(&j, 100 * US, 101 * US);
	judge_wait(&j, true, 50 * US, 110 * US, &w);
	ok(!judge_item(&j, 0, 120 * US, ask, NULL), "dequeue-first: the "
	    "queue taken first holds nothing yet");
	poke_at(&j, 200 * US, 205 * US);	/* X: stamp, write, done 210 */
	clear_drain(&j, 2, true);		/* eats X's poke */
	judge_wait(&j, false, 300 * US, 300 * US + 50 * MS, &w);
	ok(judge_item(&j, 210 * US, 300 * US + 50 * MS, ask, NULL) &&
	    j.lost == 1, "dequeue-first: lost after a timeout");

	/* A masked loss: the same eaten poke, but another producer's poke
	 * at 400 us wakes the loop: decide is after X was done. */
	judge_init(&j, &level);
	poke_at(&j, 200 * US, 205 * US);
	clear_drain(&j, 1, true);
	poke_at(&j, 390 * US, 400 * US);
	judge_wait(&j, true, 300 * US, 410 * US, &w);
	asked = 0;
	ok(judge_item(&j, 210 * US, 420 * US, ask, NULL) && j.lost == 1 &&
	    j.stranded_max == 210 * US && asked == 0,
	    "a masked loss rescued by a later poke is lost, stranded 210 us");
	ok(!judge_item(&j, 395 * US, 420 * US, ask, NULL) && j.lost == 1,
	    "the rescuing item itself is not lost");

	/* Not lost: an item done after the first poke of the wakeup began,
	 * and one not done yet (done 0). */
	judge_init(&j, &level);
	poke_at(&j, 100, 110);
	judge_wait(&j, true, 50, 120, &w);
	ok(!judge_item(&j, 115, 130, ask, NULL) &&
	    !judge_item(&j, 0, 130, ask, NULL) && j.lost == 0,
	    "items done after decide, or not done, are not lost");

	/* A timeout with a poke still under way that began before the item
	 * was done: late, not lost; the question is asked once a turn. */
	judge_init(&j, &level);
	in_flight_answer = 150;
	asked = 0;
	judge_wait(&j, false, 300, 300 + 50 * MS, &w);
	ok(!judge_item(&j, 160, 300 + 50 * MS, ask, NULL) &&
	    judge_item(&j, 140, 300 + 50 * MS, ask, NULL) && asked == 1 &&
	    j.lost == 1, "a timeout: late behind a poke under way, lost "
	    "before it, one question a turn");
	/* The waker readable now (answer 0): every item late. */
	in_flight_answer = 0;
	asked = 0;
	judge_wait(&j, false, 300, 300 + 50 * MS, &w);
	ok(!judge_item(&j, 1, 300 + 50 * MS, ask, NULL) && asked == 1,
	    "a timeout with the waker readable now: late, not lost");

	/* The grace rule: done after the wait began, 1 ms before it
	 * returned, lost when the waker is read; under drain none only the
	 * wait's start counts, and the scan given up front is used. */
	judge_init(&j, &level);
	in_flight_answer = UINT64_MAX;
	judge_wait(&j, false, 0, 10 * MS, &w);
	ok(judge_item(&j, 5 * MS, 10 * MS, ask, NULL) &&
	    !judge_item(&j, 9500 * US, 10 * MS, ask, NULL),
	    "not ready: done over 1 ms before the return is lost, within it "
	    "is not");
	judge_init(&j, &edge_none);
	asked = 0;
	judge_wait(&j, false, 1 * MS, 10 * MS, &w);
	judge_in_flight(&j, UINT64_MAX);
	ok(!judge_item(&j, 5 * MS, 10 * MS, ask, NULL) &&
	    judge_item(&j, 500 * US, 10 * MS, ask, NULL) && asked == 0,
	    "drain none: only items done before the wait began are lost");
}

/*
 * -P always: whether an item's own poke woke the loop is judged by what
 * the drain found, not by what write(2) returned.  X (enqueued 140 us)
 * stamps first, its write returns success at 150 us but never arrives;
 * Y's poke wakes the loop at 170 us.  X is done after decide, so the
 * threshold rule cannot see it; the drain found 1 poke for 2 items done
 * before the return: one lost, stranded from X.
 */
static void
delivered(void)
{
	struct judge_conf always = level;
	struct judge j;
	uint64_t w;

	always.own_write = true;
	judge_init(&j, &always);
	poke_at(&j, 140 * US, 145 * US);	/* X stamps, "writes" */
	poke_at(&j, 155 * US, 160 * US);	/* Y writes: this one lands */
	judge_wait(&j, true, 100 * US, 170 * US, &w);
	judge_clear(&j);
	judge_drained(&j, 1, 1, true);
	bool lx = judge_item(&j, 150 * US, 180 * US, ask, NULL);
	bool ly = judge_item(&j, 165 * US, 180 * US, ask, NULL);
	uint64_t more = judge_turn(&j, 180 * US);
	ok(!lx && !ly && more == 1 && j.lost == 1 &&
	    j.stranded_max == 30 * US, "always: a poke that reported success "
	    "but never arrived is a lost wakeup (delivered 1 for 2 items)");

	/* Both arrived: no loss.  Unknown count (a full pipe): no verdict.
	 * An item not done at the return is not counted. */
	judge_init(&j, &always);
	poke_at(&j, 140 * US, 145 * US);
	judge_wait(&j, true, 100 * US, 170 * US, &w);
	judge_drained(&j, 2, 2, true);
	judge_item(&j, 150 * US, 180 * US, ask, NULL);
	judge_item(&j, 165 * US, 180 * US, ask, NULL);
	ok(judge_turn(&j, 180 * US) == 0 && j.lost == 0,
	    "always: 2 pokes found for 2 items, nothing lost");
	judge_wait(&j, true, 200 * US, 270 * US, &w);
	judge_drained(&j, 1, UINT64_MAX, false);
	judge_item(&j, 250 * US, 280 * US, ask, NULL);
	judge_item(&j, 260 * US, 280 * US, ask, NULL);
	ok(judge_turn(&j, 280 * US) == 0 && j.lost == 0,
	    "always: no verdict when the count is unknown");
	judge_wait(&j, true, 300 * US, 370 * US, &w);
	judge_drained(&j, 1, 1, true);
	judge_item(&j, 350 * US, 380 * US, ask, NULL);
	judge_item(&j, 0, 380 * US, ask, NULL);
	judge_item(&j, 375 * US, 380 * US, ask, NULL);
	ok(judge_turn(&j, 380 * US) == 0 && j.lost == 0,
	    "always: items not done by the return are not counted");

	/* Not under a coalescing policy: one write serves many items. */
	judge_init(&j, &level);
	poke_at(&j, 140 * US, 145 * US);
	judge_wait(&j, true, 100 * US, 170 * US, &w);
	judge_drained(&j, 1, 1, true);
	judge_item(&j, 150 * US, 180 * US, ask, NULL);
	judge_item(&j, 165 * US, 180 * US, ask, NULL);
	ok(judge_turn(&j, 180 * US) == 0 && j.lost == 0,
	    "coalescing policies are not judged by counts");
}

static void
conservation(void)
{
	struct judge j;

	judge_init(&j, &level);
	judge_drained(&j, 2, 2, true);
	judge_drained(&j, 0, 0, true);
	judge_taken(&j, 1);
	ok(judge_pokes_unaccounted(&j, 3) == 0,
	    "conservation: 3 writes, 2 drained and 1 at the end");
	/* A poke that reported success but never arrived: one short. */
	judge_init(&j, &level);
	judge_drained(&j, 2, 2, true);
	ok(judge_pokes_unaccounted(&j, 3) == -1,
	    "a write that reported success but never arrived: -1");
	judge_taken(&j, 2);
	ok(judge_pokes_unaccounted(&j, 3) == 1,
	    "more out than went in: +1");
}

/* Wait timeouts round up: a 1.5 ms timeout never returns before 1.5 ms
 * (rounding down to whole milliseconds would return after 1 ms).  Only a
 * lower bound: a loaded machine can only make it later. */
static void
timeouts(void)
{
	int p[2];

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (pipe(p) != 0) {
		ok(0, "pipe");
		return;
	}
	for (const struct wait_ops *const *o = wait_table; *o; o++) {
		struct waitset ws;
		struct wait_event ev[2];
		if (wait_open(&ws, *o, 4) != 0 || ws.ops->add(&ws, p[0], WAIT_IN)) {
			ok(0, "%s: open", (*o)->name);
			continue;
		}
		uint64_t min = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			uint64_t t0 = clock_ns();
			int r = ws.ops->wait(&ws, 1500 * US, ev, 2);
			uint64_t dt = clock_ns() - t0;
			if (r == 0 && dt < min)
				min = dt;
		}
		ok(min != UINT64_MAX && min >= 1500 * US, "%s: a 1.5 ms timeout "
		    "never returns early (shortest %llu ns)", (*o)->name,
		    (unsigned long long)min);
		ws.ops->close(&ws);
	}
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	classification();
	lost();
	delivered();
	conservation();
	timeouts();
	return tap_done();
}
