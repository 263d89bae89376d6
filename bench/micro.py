# Per-event costs behind the recorder's overhead, measured on this machine (JSON on stdout): a no-op
# trace callback per LINE event, frame.f_locals, marshal over the channel, sqlite3 executemany per row.
import json
import marshal
import os
import sqlite3
import sys
import tempfile
from itertools import chain
from time import perf_counter_ns

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "protocol", "schema.sql")
SCALE = 10 if "--quick" in sys.argv else 1
REPEATS = 5  # each figure is the best of 5 timings


def best(fn):
    return min(fn() for _ in range(REPEATS))


def loop(n):
    total = 0
    for i in range(n):
        total += i
    return total


def line_callback_ns():
    """ns added per LINE event by a callback that does nothing: sys.monitoring from 3.12, settrace before."""
    n = 1_000_000 // SCALE
    lines = 2 * n + 2  # `total = 0`, then per iteration the `for` and the body, then `return`

    def timed():
        start = perf_counter_ns()
        loop(n)
        return perf_counter_ns() - start

    bare = best(timed)
    if sys.version_info >= (3, 12):
        mon = sys.monitoring
        mon.use_tool_id(mon.DEBUGGER_ID, "hindsight-bench-micro")
        mon.register_callback(mon.DEBUGGER_ID, mon.events.LINE, lambda code, line: None)
        mon.set_local_events(mon.DEBUGGER_ID, loop.__code__, mon.events.LINE)
        traced = best(timed)
        mon.set_local_events(mon.DEBUGGER_ID, loop.__code__, 0)
        mon.free_tool_id(mon.DEBUGGER_ID)
        mechanism = "sys.monitoring"
    else:
        def local(frame, event, arg):
            return local
        sys.settrace(lambda frame, event, arg: local if frame.f_code is loop.__code__ else None)
        traced = best(timed)
        sys.settrace(None)
        mechanism = "settrace"
    return {"mechanism": mechanism, "ns": (traced - bare) / lines, "bare_ns_per_line": bare / lines}


def f_locals_ns(count):
    """ns for frame.f_locals of a suspended frame with `count` locals, alone and iterated."""
    names = ["v%d" % k for k in range(count - 1)]
    source = "def holder(measure):\n    %s = 0\n    return measure(__import__('sys')._getframe())\n" % (
        " = ".join(names))
    space = {}
    exec(compile(source, "<micro>", "exec"), space)
    k = 100_000 // SCALE

    def access(frame):
        start = perf_counter_ns()
        for _ in range(k):
            frame.f_locals
        return perf_counter_ns() - start

    def iterate(frame):
        start = perf_counter_ns()
        for _ in range(k):
            for name, value in frame.f_locals.items():
                pass
        return perf_counter_ns() - start

    return {"locals": count, "access_ns": best(lambda: space["holder"](access)) / k,
            "access_and_items_ns": best(lambda: space["holder"](iterate)) / k}


def event_rows(n, start):
    return [(seq, 7, 10 + seq % 3, 0, None, None) for seq in range(start, start + n)]


def marshal_ns():
    """ns per event tuple to marshal.dumps and marshal.loads a 65,536-event batch (the channel's framing)."""
    rows = event_rows(65536, 1)

    def timed():
        start = perf_counter_ns()
        marshal.loads(marshal.dumps(rows))
        return perf_counter_ns() - start
    return best(timed) / len(rows)


def sqlite_row_ns():
    """ns per row inserted into the trace's event and value_change tables in 65,536-row transactions,
    by executemany of one row per statement ("1") and of 100 rows per statement ("100")."""
    with open(SCHEMA, encoding="utf-8") as f:
        schema = f.read()
    batches = 4 if SCALE == 1 else 1
    tables = (("event", 6, event_rows),
              ("value_change", 5, lambda n, s: [(seq, 3 + seq % 2, 7, seq * 31, None) for seq in range(s, s + n)]))
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for per_statement in (1, 100):
            db = sqlite3.connect(os.path.join(tmp, "micro-%d.db" % per_statement), isolation_level=None)
            db.execute("PRAGMA journal_mode = DELETE")  # the writer's settings
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -65536")
            db.executescript(schema)
            for table, width, make in tables:
                one = "(%s)" % ",".join("?" * width)
                sql = "INSERT INTO %s VALUES %s" % (table, ",".join([one] * per_statement))
                spent = 0
                for b in range(batches):
                    rows = make(65536, 1 + b * 65536)
                    rows = rows[:len(rows) - len(rows) % per_statement]  # whole statements only
                    start = perf_counter_ns()
                    params = [tuple(chain.from_iterable(rows[i:i + per_statement]))
                              for i in range(0, len(rows), per_statement)] if per_statement > 1 else rows
                    db.execute("BEGIN")
                    db.executemany(sql, params)
                    db.execute("COMMIT")
                    spent += perf_counter_ns() - start
                    count = len(rows)
                result["%s/%d" % (table, per_statement)] = spent / (batches * count)
            db.close()
    return result


def main():
    json.dump({"python": "%d.%d.%d" % sys.version_info[:3], "line_callback": line_callback_ns(),
               "f_locals": [f_locals_ns(3), f_locals_ns(30)], "marshal_ns_per_event": marshal_ns(),
               "sqlite_ns_per_row": sqlite_row_ns()}, sys.stdout)


main()
