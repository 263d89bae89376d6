"""Writes the trace DB: creates it from protocol/schema.sql, applies batches from the debuggee in
large transactions, and finishes it with protocol/finish.sql. The only code that writes SQL. When the
disk refuses a write, it stops writing and keeps the trace as of its last committed batch."""
import errno
import hashlib
import io
from itertools import chain
import json
import os
import sqlite3
import tokenize
import zipfile

from . import VERSION
from .filters import archive_of

PROTOCOL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "protocol")

# What a full or failing disk raises (SQLITE_FULL, SQLITE_IOERR, ENOSPC, EIO).
WRITE_ERRORS = (sqlite3.OperationalError, OSError)

_INSERTS = {
    "code": "INSERT INTO code (id, file, name, qualname, first_line, kind) VALUES (?,?,?,?,?,?)",
    "thread": "INSERT INTO thread (id, ident, name) VALUES (?,?,?)",
    "var": "INSERT INTO variable (id, code, name) VALUES (?,?,?)",
    "inv": "INSERT INTO invocation (id, parent, thread, code, depth, first_seq) VALUES (?,?,?,?,?,?)",
    "exc": "INSERT INTO exception (id, type, message, raised_seq) VALUES (?,?,?,?)",
    "out": "INSERT INTO output (seq, stream, text) VALUES (?,?,?)",
    "resume": "INSERT INTO resume (seq, caller) VALUES (?,?)",
    "meta": "INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)",
}


def _protocol_sql(name):
    with open(os.path.join(PROTOCOL, name), encoding="utf-8") as f:
        return f.read()


class TraceWriter:
    def __init__(self, path, meta):
        for old in (path, path + "-journal"):  # a stale journal would be "rolled back" into the new file
            if os.path.lexists(old):
                os.unlink(old)  # the launcher checked it is a trace
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # user-only, from birth
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = DELETE")  # no -wal file: sql.js reads the file alone
        self.db.execute("PRAGMA synchronous = OFF")  # survives a killed process, not a power cut
        self.db.execute("PRAGMA cache_size = -65536")
        # The tables and meta.format in one transaction: a writer killed before its COMMIT leaves an
        # empty file (which the CLI removes), never a database that is not yet a trace.
        self.db.executescript("BEGIN;\n" + _protocol_sql("schema.sql"))
        schema_version = self.db.execute("PRAGMA user_version").fetchone()[0]
        self.events = 0
        self.ended = False
        self.truncated = False
        self.recorder_error = None
        self.stopped = None  # why recording stopped before the program ended, in a sentence
        self.failure = None  # why writing stopped (the disk is full...), once a write failed
        self.failed_finishing = False  # whether that was only at the end: every event is in the trace
        self._last_output = None  # (id, seq, stream) of the last output row
        self._insert_meta(dict(meta, format="hindsight-trace", schema_version=schema_version,
                               recorder_version=VERSION, status="recording", writer_pid=os.getpid()))
        self.db.execute("COMMIT")

    def set_meta(self, values):
        self.db.execute("BEGIN")
        self._insert_meta(values)
        self.db.execute("COMMIT")

    def _insert_meta(self, values):
        self.db.executemany(_INSERTS["meta"], [(k, _meta_value(v)) for k, v in values.items()])

    def apply(self, batch):
        """One batch from the debuggee, in one transaction; after a failed write, batches are dropped."""
        if self.failure is None:
            try:
                self._apply(batch)
            except WRITE_ERRORS as error:
                self._stop(error)

    def _apply(self, batch):
        """Definitions first, then rows."""
        records, events, changes = batch
        by_kind = {}
        for record in records:
            by_kind.setdefault(record[0], []).append(record[1:])
        db = self.db
        db.execute("BEGIN")
        for path_id, path, origin, text in by_kind.pop("file", ()):
            db.execute("INSERT INTO file (id, path, origin, sha256, source, missing) VALUES (?,?,?,?,?,?)",
                       (path_id, path, origin) + _source(path, origin, text))
        if "out" in by_kind:
            self._output(_joined(by_kind.pop("out")))
        for kind, rows in by_kind.items():
            if kind in _INSERTS:
                db.executemany(_INSERTS[kind], rows)
        events.sort()
        _insert_rows(db, "event (seq, invocation, line, kind, arg, t)", 6, events)
        changes.sort(key=_change_key)
        _insert_rows(db, "value_change (seq, variable, invocation, value, object)", 5, changes)
        db.execute("COMMIT")
        self.events += len(events)
        self.ended = self.ended or "end" in by_kind
        self.truncated = self.truncated or "truncated" in by_kind
        for key, value in by_kind.get("meta", ()):
            if key == "recorder_error":
                self.recorder_error = value
            elif key == "stopped":
                self.stopped = value

    def _output(self, rows):
        """Appends output rows; a write continuing the previous batch's last row joins it."""
        last = self._last_output
        if last is not None and rows[0][:2] == last[1:]:
            self.db.execute("UPDATE output SET text = text || ? WHERE id = ?", (rows[0][2], last[0]))
            rows = rows[1:]
        if rows:
            self.db.executemany(_INSERTS["out"], rows)
            rowid = self.db.execute("SELECT max(id) FROM output").fetchone()[0]
            self._last_output = (rowid,) + tuple(rows[-1][:2])

    def finish(self, meta):
        """Indexes and aggregates, then the final status (schema.sql, LIFECYCLE); False if the disk
        refused (then nothing of it is written)."""
        try:
            self.db.executescript(_protocol_sql("finish.sql"))
            self.set_meta(meta)
            return True
        except WRITE_ERRORS as error:
            self.failed_finishing = self.failure is None
            self._stop(error)
            return False

    def keep_ending(self, meta):
        """After a failed finish: how it ended, if that still fits, but the status stays 'recording',
        so the first reader finishes the trace and keeps this end_reason (lifecycle.ts)."""
        try:
            self.set_meta({k: v for k, v in meta.items() if k != "status"})
        except WRITE_ERRORS:
            self._roll_back()

    def close(self):
        self.db.close()

    def _stop(self, error):
        self._roll_back()
        if self.failure is not None:
            return
        full = "full" in str(error) or getattr(error, "errno", None) == errno.ENOSPC
        self.failure = "the disk is full" if full else "the trace could not be written (%s)" % error

    def _roll_back(self):
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite has rolled it back itself
                pass


_ROWS_PER_STATEMENT = 100


def _insert_rows(db, table, width, rows):
    """INSERT of many rows, 100 to a statement: binding is what costs, not the rows (bench/micro.py)."""
    one = "(%s)" % ",".join("?" * width)
    full = len(rows) - len(rows) % _ROWS_PER_STATEMENT
    if full:
        many = "INSERT INTO %s VALUES %s" % (table, ",".join([one] * _ROWS_PER_STATEMENT))
        flat = chain.from_iterable
        db.executemany(many, (tuple(flat(rows[i:i + _ROWS_PER_STATEMENT]))
                              for i in range(0, full, _ROWS_PER_STATEMENT)))
    db.executemany("INSERT INTO %s VALUES %s" % (table, one), rows[full:])


def _joined(outputs):
    """Consecutive writes at one seq to one stream as one row (print writes in pieces)."""
    rows = []
    for seq, stream, text in outputs:
        if rows and rows[-1][0] == seq and rows[-1][1] == stream:
            rows[-1][2].append(text)
        else:
            rows.append((seq, stream, [text]))
    return [(seq, stream, "".join(texts)) for seq, stream, texts in rows]


def _change_key(change):
    return change[0], change[1], change[2]


def _meta_value(v):
    return v if isinstance(v, (int, str)) or v is None else json.dumps(v)


# Why a file's source is not in the trace (file.missing), by origin.
_MISSING = {
    "file": "the file could not be read when the program ran",
    "archive": "the module could not be read from its zip archive",
    "string": "the code was compiled from a string the recorder did not see (it sees those given to"
              " exec and eval, not to compile)",
}


def _source(path, origin, text):
    """(sha256, text, missing) of a file row: the text as Python decodes it, or why there is none.
    Archives are read here, in the writer, so the debuggee never runs a loader for them."""
    if origin == "file":
        text = _read_file(path)
    elif origin == "archive":
        text = _read_archive(path)
    elif isinstance(text, bytes):
        text = _decoded(text)
    elif text is not None:  # a str is compiled as it is (a coding cookie in it is ignored)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text is None:
        return None, None, _MISSING[origin]
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), text, None


def _read_file(path):
    try:
        with tokenize.open(path) as f:
            return f.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None


def _read_archive(path):
    """The member of a zip archive named as zipimport names it (archive path + member path)."""
    archive = archive_of(path)
    if archive is None:
        return None
    member = os.path.relpath(path, archive).replace(os.sep, "/")
    try:
        with zipfile.ZipFile(archive) as z:
            return _decoded(z.read(member))
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def _decoded(data):
    """Python source bytes as the compiler reads them (coding cookie, BOM, universal newlines)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return io.TextIOWrapper(io.BytesIO(data), encoding).read()
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
