# What the bench reports about one trace, as JSON on stdout: events, value changes, size and status;
# with --sizes the bytes of each table and index (SQLite's dbstat); with --finish the time of each
# statement of protocol/finish.sql, replayed on the trace after dropping what it builds.
import json
import os
import re
import sqlite3
import sys
import time

FINISH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "protocol", "finish.sql")


def stats(path):
    db = sqlite3.connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    result = {
        "events": db.execute("SELECT count(*) FROM event").fetchone()[0],
        "value_changes": db.execute("SELECT count(*) FROM value_change").fetchone()[0],
        "bytes": os.path.getsize(path),
        "status": meta.get("status"),
        "tracer": meta.get("tracer"),
        "recorder_error": meta.get("recorder_error"),
    }
    db.close()
    return result


def sizes(path):
    """Bytes on disk per table or index, or None when this SQLite lacks the dbstat table."""
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def replay_finish(path):
    """Seconds for the whole of finish.sql, and per statement, run as the writer runs it."""
    with open(FINISH, encoding="utf-8") as f:
        sql = f.read()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")  # the writer's settings (native/hindsight_recorder/writer.py)
    db.execute("PRAGMA cache_size = -65536")
    for name in re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", sql):
        db.execute("DROP INDEX IF EXISTS " + name)
    steps = []
    statement = ""
    for line in sql.splitlines(True):
        if line.startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            start = time.perf_counter()
            db.execute(statement.strip())
            steps.append((time.perf_counter() - start, " ".join(statement.split())[:60]))
            statement = ""
    db.close()
    return {"finish_s": sum(s for s, _ in steps),
            "finish_steps": [{"s": round(s, 4), "sql": text} for s, text in sorted(steps, reverse=True)[:6]]}


def main(argv):
    path = argv[0]
    result = stats(path)
    if "--sizes" in argv[1:]:
        result["sizes"] = sizes(path)
    if "--finish" in argv[1:]:
        result.update(replay_finish(path))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
