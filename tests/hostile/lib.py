# Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause
"""Helpers for tests/hostile/run: start wakebench bounded in its own session,
deliver signals, time the exit, and check the contract's leftovers (orphans,
temporary files, incomplete outputs, sanitizer reports)."""

import csv
import glob
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
W = os.path.join(ROOT, "wakebench")
A = os.path.join(ROOT, "build", "asan", "wakebench")
SAN = re.compile(rb"ERROR: (Address|Leak)Sanitizer|SUMMARY: \w+Sanitizer|"
                 rb"runtime error: |AddressSanitizer:DEADLYSIGNAL")
ASAN_ENV = {"ASAN_OPTIONS": "halt_on_error=1:detect_leaks=1:abort_on_error=0",
            "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"}
SLOW = float(os.environ.get("HOSTILE_SLOW", "3"))	# s: a stop slower than this is a failure
VERBOSE = bool(os.environ.get("HOSTILE_VERBOSE"))


class Tally:
    def __init__(self):
        self.rows = {}		# category -> [attempts, [failures]]
        self.notes = []

    def cat(self, c):
        return self.rows.setdefault(c, [0, []])

    def attempt(self, c, cmd, problems, info=""):
        r = self.cat(c)
        r[0] += 1
        if problems:
            r[1].append((cmd, problems, info))
            print("FAIL [%s] %s\n      %s %s" % (c, cmd, "; ".join(problems), info), flush=True)
        elif VERBOSE:
            print("ok   [%s] %s %s" % (c, cmd, info), flush=True)

    def table(self):
        out = ["%-14s %8s %8s" % ("category", "attempts", "failures")]
        for c, (n, f) in self.rows.items():
            out.append("%-14s %8d %8d" % (c, n, len(f)))
        return "\n".join(out)


def scratch(tag):
    return tempfile.mkdtemp(prefix="hostile-%s-" % tag, dir="/tmp")


def session_procs(sid):
    """pids whose session is sid."""
    out = []
    for st in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(st) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        if len(rest) > 3 and int(rest[3]) == sid:
            out.append(int(st.split("/")[2]))
    return out


def children(pid):
    out = []
    for t in glob.glob("/proc/%d/task/*/children" % pid):
        try:
            with open(t) as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return s[s.rfind(")") + 2]
    except OSError:
        return None


def alive(pid):
    st = state(pid)
    return st is not None and st != "Z"


def csv_complete(path):
    """None if complete, else why not."""
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        return "empty"
    if not data.endswith(b"\n"):
        return "does not end with a newline"
    rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8", "replace")))
            if r and not r[0].startswith("#")]
    if not rows:
        return "no header"
    w = len(rows[0])
    bad = [i for i, r in enumerate(rows) if len(r) != w]
    if bad:
        return "row %d has %d fields, header %d" % (bad[0], len(rows[bad[0]]), w)
    return None


def json_complete(path):
    try:
        with open(path, "rb") as f:
            json.loads(f.read().decode("utf-8"))
    except Exception as e:
        return "JSON does not parse: %s" % str(e)[:80]
    return None


def check_outputs(d, outs, must=False):
    """outs: {name: 'csv'|'json'}; complete or absent (present if must)."""
    probs = []
    for name, kind in outs.items():
        p = os.path.join(d, name)
        if not os.path.exists(p):
            if must:
                probs.append("%s absent" % name)
            continue
        if not os.path.isfile(p):
            continue
        why = csv_complete(p) if kind == "csv" else json_complete(p)
        if why:
            probs.append("%s incomplete: %s" % (name, why))
    return probs


def temps(d):
    return [os.path.basename(x) for x in glob.glob(os.path.join(d, ".*wakebench-*"))]


class Run:
    """wakebench (or another argv) under `timeout -k 5 bound`, in its own session
    via setsid, optionally after a shell prefix (ulimit ...)."""

    def __init__(self, argv, cwd, bound=60, prefix="", binary=W, env=None,
                 stdin=subprocess.DEVNULL, stdout=None, stderr=None, wrap=None):
        self.cwd = cwd
        e = dict(os.environ)
        e.update(env or {})
        self.out = open(os.path.join(cwd, ".stdout"), "wb") if stdout is None else stdout
        self.err = open(os.path.join(cwd, ".stderr"), "wb") if stderr is None else stderr
        inner = (wrap or []) + ["setsid", binary] + argv
        cmd = ["timeout", "-k", "5", str(bound), "bash", "-c",
               (prefix + "; " if prefix else "") + 'exec "$@"', "hostile"] + inner
        self.cmd = cmd
        self.p = subprocess.Popen(cmd, cwd=cwd, env=e, stdin=stdin,
                                  stdout=self.out, stderr=self.err)
        self.t0 = time.monotonic()
        self.pid = None
        # find the wakebench process: the child of timeout, once it exec'd
        dl = time.monotonic() + 10
        while time.monotonic() < dl:
            kids = children(self.p.pid)
            kids += [g for k in kids for g in children(k)]
            for c in kids:
                try:
                    exe = os.readlink("/proc/%d/exe" % c)
                except OSError:
                    continue
                if os.path.basename(exe).startswith("wakebench") or \
                        exe == os.path.realpath(binary):
                    self.pid = c
            if self.pid or self.p.poll() is not None:
                break
            time.sleep(0.002)

    def signal(self, sig, group=False):
        if self.pid is None:
            return False
        try:
            os.kill(-self.pid if group else self.pid, sig)
        except ProcessLookupError:
            return False
        return True

    def wait_exit(self, limit):
        """Seconds until wakebench itself was gone, or None if still alive."""
        t = time.monotonic()
        while time.monotonic() - t < limit:
            if self.pid is None or not alive(self.pid):
                return time.monotonic() - t
            time.sleep(0.01)
        return None

    def finish(self):
        rc = self.p.wait()
        for f in (self.out, self.err):
            if hasattr(f, "close") and f not in (None,):
                try:
                    f.close()
                except Exception:
                    pass
        self.rc = rc
        return rc

    def stderr_text(self):
        try:
            with open(os.path.join(self.cwd, ".stderr"), "rb") as f:
                return f.read()
        except OSError:
            return b""

    def orphans(self, grace=3.0):
        """Processes of its session still there grace s after it ended; killed."""
        if self.pid is None:
            return []
        dl = time.monotonic() + grace
        left = session_procs(self.pid)
        while left and time.monotonic() < dl:
            time.sleep(0.05)
            left = [p for p in session_procs(self.pid) if alive(p)]
        desc = []
        for p in left:
            try:
                with open("/proc/%d/cmdline" % p, "rb") as f:
                    desc.append("%d:%s(%s)" % (p, f.read().replace(b"\0", b" ")[:60].decode(errors="replace"), state(p)))
            except OSError:
                pass
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        return desc


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)
