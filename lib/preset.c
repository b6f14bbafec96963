/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
/*
 * How real event loops build their cross-thread waker, one row each, read
 * from their source (the row's `source` names the file and function, its
 * `library` the version).  A row names entries of the waker, wait, poke
 * and drain tables, plus the flags the library's creation or locking
 * implies.  A preset runs as the library would, even where that is unsafe;
 * the diagnostics then report what happens.
 */
#include "preset.h"

#include <string.h>

#include "fault.h"

const struct preset preset_table[] = {
	{ "libuv", "libuv >= 1.45 (v1.x 6179e7af8, 2026-05)",
	  "eventfd", "epoll", "coalesce", "all", 0,
	  "src/unix/async.c: uv_async_send load, then exchange `pending` 0->1 and write; uv__async_io reads 1 KiB until short, then exchanges it to 0 before the callback",
	  NULL },
	{ "libuv-1.44", "libuv 1.29 to 1.44 (v1.44.2)",
	  "eventfd", "epoll", "busy-spin", "all", 0,
	  "src/unix/async.c: uv_async_send cmpxchg `pending` 0->1, write, 1->2; uv__async_io reads, then uv__async_spin 2->0 (997 tries, sched_yield)",
	  NULL },
	{ "libevent", "libevent 2.1.12-stable",
	  "eventfd", "epoll", "lock-late", "once", 0,
	  "event.c: evthread_notify_base writes under th_base_lock if !is_notify_pending; evthread_notify_drain_eventfd reads 8 bytes, clears it under the lock, after the callbacks activated before it",
	  NULL },
	{ "libevent-master", "libevent master (0c3e47ad, 2026-06)",
	  "eventfd", "epoll-et", "lock-late", "none", 0,
	  "event.c (commit 6074d558): EV_ET notify eventfd, never read; is_notify_pending cleared by its callback",
	  "never reads its eventfd: under poll or select the loop spins" },
	{ "libev", "libev 4.33",
	  "eventfd", "epoll", "handshake", "once", 0,
	  "ev.c: ev_async_send/evpipe_write plain load and store of async_pending, write only if pipe_write_wanted; pipecb one read on EV_READ, none on a fed EV_CUSTOM",
	  NULL },
	{ "glib", "GLib 2.74 (gmain.c, gwakeup.c; c2237ff1, 2026-08)",
	  "eventfd", "poll", "always-lock", "once", 0,
	  "gmain.c: g_source_attach_unlocked signals under the context lock; g_main_context_check acknowledges (one 8-byte read) under it; prepare polls with timeout 0 while an idle source is ready",
	  NULL },
	{ "qt", "Qt 5 (qtbase QThreadPipe)",
	  "eventfd", "poll", "coalesce", "once", 0,
	  "src/corelib/kernel/qeventdispatcher_unix.cpp: wakeUp testAndSetAcquire(0,1) then eventfd_write; check() one eventfd_read, then testAndSetRelease(1,0)",
	  NULL },
	{ "asyncio", "CPython 3 asyncio (selector_events.py)",
	  "socketpair", "epoll", "always", "eagain", 0,
	  "Lib/asyncio/selector_events.py: call_soon_threadsafe -> _write_to_self csock.send(b'\\0') per call; _read_from_self recv(4096) until BlockingIOError",
	  NULL },
	{ "twisted", "Twisted (64661601, 2024-10)",
	  "pipe", "epoll", "always", "once", 0,
	  "src/twisted/internet/_signals.py _UnixWaker: wakeUp os.write(b'x') per callFromThread; doRead one os.read(8192)",
	  NULL },
	{ "nginx", "nginx (3f6f7824, 2026-08)",
	  "eventfd", "epoll-et", "always", "none",
	  FAULT_BLOCKING_WRITE | FAULT_NO_CLOEXEC,
	  "src/event/modules/ngx_epoll_module.c: ngx_epoll_notify_init eventfd(0, 0), EPOLLET; ngx_epoll_notify one 8-byte write per call; ngx_epoll_notify_handler reads once per 2^32-1",
	  "blocking, not CLOEXEC; never reads: under poll or select the loop spins" },
	{ "go", "Go runtime, eventfd since 1.21 (netpoll_epoll.go)",
	  "eventfd", "epoll", "coalesce", "once", 0,
	  "src/runtime/netpoll_epoll.go: netpollBreak CAS netpollWakeSig 0->1, then write; netpoll reads 8 bytes and stores 0 only after a blocking epoll_wait",
	  NULL },
	{ "java-nio", "OpenJDK (EPollSelectorImpl, EventFD)",
	  "eventfd", "epoll", "coalesce-lock", "all",
	  FAULT_NO_CLOEXEC | FAULT_POKE_UNDER_LOCK,
	  "sun/nio/ch/EPollSelectorImpl.java: wakeup() eventfd.set() and interruptTriggered under interruptLock; clearInterrupt() eventfd.reset() (IOUtil.drain) and the clear under it; eventfd(0, 0) made non-blocking",
	  "not CLOEXEC: the JDK's own launcher closes fds, other fork+exec leaks them" },
	{ "redis", "Redis 7 (module.c, 4f8cdc2a)",
	  "pipe", "epoll", "transition", "all", FAULT_POKE_UNDER_LOCK,
	  "src/module.c: moduleUnblockClientByHandle writes 1 byte only into an empty list, under moduleUnblockedClientsMutex; drained under it",
	  NULL },
	{ "mio", "mio 1.x (7654f571, 2026-07), tokio's waker",
	  "eventfd", "epoll-et", "always", "none", 0,
	  "src/sys/unix/waker/eventfd.rs: Waker::wake one 8-byte write per call, EPOLLET, never read (reset only on EAGAIN)",
	  "never reads its eventfd: relies on Linux re-arming EPOLLET on every write (not on illumos, WSL1)" },
	{ "glommio", "glommio (DataDog/glommio, sys/mod.rs 0988096a)",
	  "eventfd-read", "io_uring", "handshake", "once", 0,
	  "sys/mod.rs SleepNotifier: eventfd(0, O_CLOEXEC) written only once prepare_to_sleep stored it; sys/uring.rs install_eventfd keeps an 8-byte read armed",
	  NULL },
	{ "monoio", "monoio (bytedance/monoio, driver/uring/mod.rs 0a89e725)",
	  "eventfd-read", "io_uring", "handshake", "once", 0,
	  "driver/uring/mod.rs: eventfd(0, EFD_CLOEXEC), install_eventfd arms an 8-byte read before parking; unpark writes only while awake is false",
	  NULL },
	{ "silk", "silk (ClickHouse/silk, src/fibers/fiber.cpp 0055c0d6)",
	  "msg-ring", "io_uring", "handshake", "all", 0,
	  "fiber.cpp postWakeup: seq_cst fence, then, if the target is sleeping, IORING_OP_MSG_RING from the caller's own ring into the target's",
	  NULL },
	{ "zio", "zio (lalinsky/zio, src/ev/backends/io_uring.zig 0043e57b)",
	  "eventfd", "io_uring-defer", "always", "once", 0,
	  "io_uring.zig Waker: SINGLE_ISSUER|DEFER_TASKRUN ring, eventfd(NONBLOCK|CLOEXEC) written per notify, POLL_ADD re-armed after one eventfd_read",
	  NULL },
	{ .name = NULL }
};

const struct preset *
preset_find(const char *name)
{
	for (const struct preset *p = preset_table; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
