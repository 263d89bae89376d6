-- The Hindsight trace: one SQLite file per recorded run. This DDL is the single definition of the
-- format: native/ (the Python writer) executes it to create a trace, protocol/reader checks it, and
-- docs/trace-format.md is generated from it (`npm run docs`; a test fails when the doc is stale).
--
-- Bump rule: SCHEMA_VERSION (the user_version below) moves on any change a reader of the previous
-- version would misread. Readers refuse every other version with a sentence naming both numbers.
--
-- Conventions: seq is the global event number, dense from 1 in recording order across all threads.
-- Lines are 1-based, as CPython reports them. Times (t_*) are nanoseconds since the recording
-- started. Ids are small integers assigned by the recorder, never reused within a trace.
PRAGMA user_version = 4;

-- Key/value facts about the run. Keys (all TEXT values unless said):
--   format 'hindsight-trace' (tells a trace from any other SQLite file) · schema_version ·
--   recorder_version · python_version · python_executable · tracer ('monitoring' | 'settrace') ·
--   tracer_reason (why that mechanism) · program (path or '-m module') · argv (JSON list, the
--   debuggee's sys.argv as its first recorded code saw it) · cwd · started_at / ended_at (Unix ms) · status (see LIFECYCLE) ·
--   end_reason (one sentence for the user) · exit_code (integer, when the process exited) ·
--   exit_signal (integer, when a signal ended it) · max_events (integer, 0 = no limit) ·
--   truncated (1 when --max-events stopped recording) · value_max_depth / value_max_items /
--   value_max_string / value_max_nodes (the caps of VALUES, integers) · redact (JSON list of name
--   patterns, [] = off) · include / exclude (JSON lists of the --include / --exclude patterns, [] = none:
--   code left out by a pattern ran unrecorded) · writer_pid (the recording writer's pid, to tell a live writer from a dead
--   one).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value
);

-- LIFECYCLE: meta.status says what a reader may conclude.
--   'recording'   the writer is adding events. If no process writer_pid is alive, the writer died:
--                 a reader runs protocol/finish.sql (indexes, derived columns, aggregates) and sets
--                 'incomplete' with end_reason "the recorder stopped unexpectedly; events after its
--                 last flush (at most about a second) are missing".
--   'complete'    the program ended (any exit code or uncaught exception) and every event is here.
--   'truncated'   recording stopped at max_events; the program ran on unrecorded.
--   'incomplete'  the debuggee died without finishing recording (SIGKILL, a recorder failure: see
--                 end_reason) or the writer died; what was flushed is here. A program ended by a
--                 signal it lets the recorder see (SIGINT, SIGTERM) is 'complete', with exit_signal.
-- Every state but 'recording' has had finish.sql run: indexes, derived columns and aggregates exist.

-- Source files that recorded code came from, with their text at recording time so replay works
-- after edits. origin says what path is:
--   'file'     an absolute path of a file on disk.
--   'archive'  a module imported from a zip archive: the archive's absolute path, then the member's
--              path inside it (as zipimport names it); source is read from the archive.
--   'string'   code compiled from a string by the program (exec, eval, compile) under a name that is
--              no file: '<string>', or a path that does not exist such as 'generated.py'. path is
--              that name, '#' and a number counting such codes of that name from 1, so two exec'd
--              strings are two rows; the name alone is what Python reports (co_filename). Nested code
--              (functions defined by the string) belongs to the row of the string's top-level code.
-- sha256 is of the UTF-8 text. source is NULL when it was not recorded, and then missing says why
-- in one sentence for the user (NULL when source is recorded).
CREATE TABLE file (
  id       INTEGER PRIMARY KEY,
  path     TEXT NOT NULL UNIQUE,
  origin   TEXT NOT NULL,
  sha256   TEXT,
  source   TEXT,
  missing  TEXT
);

-- Code objects that ran while recorded: one row per CPython code object.
-- kind: 'module' | 'class' (a class body) | 'function' | 'generator' | 'coroutine' |
-- 'async_generator'. first_line is co_firstlineno (the def line, or 1 for a module).
CREATE TABLE code (
  id          INTEGER PRIMARY KEY,
  file        INTEGER NOT NULL REFERENCES file(id),
  name        TEXT NOT NULL,
  qualname    TEXT NOT NULL,
  first_line  INTEGER NOT NULL,
  kind        TEXT NOT NULL
);

-- Threads that ran recorded code. ident is threading.get_ident(); name the thread's name when it
-- first ran recorded code ('MainThread' for the main one).
CREATE TABLE thread (
  id     INTEGER PRIMARY KEY,
  ident  INTEGER NOT NULL,
  name   TEXT NOT NULL
);

-- One row per frame activation. A generator or coroutine resumed many times is one invocation.
-- parent is the nearest recorded frame below it when it started (NULL for a root: the module, a
-- thread's first recorded frame, or a callback from unrecorded code with no recorded caller).
-- depth = parent's depth + 1, roots 0. first_seq is its CALL event. Written at finish:
-- last_seq (its last event), end_kind (the kind of that event: 2 RETURN, 4 UNWIND, 5 YIELD for a
-- generator left suspended; NULL while still running when recording stopped), t_start, t_end.
CREATE TABLE invocation (
  id         INTEGER PRIMARY KEY,
  parent     INTEGER REFERENCES invocation(id),
  thread     INTEGER NOT NULL REFERENCES thread(id),
  code       INTEGER NOT NULL REFERENCES code(id),
  depth      INTEGER NOT NULL,
  first_seq  INTEGER NOT NULL,
  last_seq   INTEGER,
  end_kind   INTEGER,
  t_start    INTEGER,
  t_end      INTEGER
);

-- Every recorded event, integers only. kind (EVENT KINDS):
--   0 LINE       about to run `line` (values observed here are those before the line runs)
--   1 CALL       the invocation starts (line = the def line, or 1 for a module)
--   2 RETURN     normal exit; its value is a change of the variable '<return>' at this seq
--   3 EXCEPTION  an exception was raised in, or propagated into, this frame; arg = exception.id
--   4 UNWIND     the frame exits because of an exception; arg = exception.id
--   5 YIELD      a generator/coroutine suspends; the value is a change of '<yield>' at this seq
--   6 RESUME     a generator/coroutine resumes (next, send, throw, or the event loop)
-- arg is NULL except for kinds 3 and 4. t is set on every kind but LINE (NULL there: a line's time
-- lies between its neighbours' times).
CREATE TABLE event (
  seq         INTEGER PRIMARY KEY,
  invocation  INTEGER NOT NULL,
  line        INTEGER NOT NULL,
  kind        INTEGER NOT NULL,
  arg         INTEGER,
  t           INTEGER
);

-- Variable names per code object. Besides locals (and globals, for a module's code) the recorder
-- uses two pseudo-names: '<return>' and '<yield>'.
CREATE TABLE variable (
  id    INTEGER PRIMARY KEY,
  code  INTEGER NOT NULL REFERENCES code(id),
  name  TEXT NOT NULL,
  UNIQUE (code, name)
);

-- Values as changes: a row when a variable of an invocation is first seen or differs from its
-- previous observation (rebinding, or an in-place mutation of a container or object). The value of
-- a variable at seq S is the row with the greatest seq <= S for (variable, invocation).
-- Changes are observed at the events of the frame that owns the variable, so a change at seq S was
-- made by that frame's code (or a callee) between its previous event and S; and at the CALL (or
-- RESUME) of each frame it calls, which shows what its line did before the call.
-- A module's globals changed by a function are recorded at that function's events when it names
-- them, under the module's invocation.
-- object is CPython's id() of the container or object a value node has at its root (NULL for every
-- other value, and for a value held under a secret name). While a variable is bound to that object,
-- the object lives and no other has its id: so its state at seq S is the latest row of that object
-- up to S, whichever frame recorded it (a callee that mutated it through another name).
-- protocol/reader/variables.ts reads values so.
-- value VALUES: INTEGER = a Python int with |v| < 2**53; REAL = a float other than NaN;
-- TEXT = a str of at most value_max_string characters; NULL = None; BLOB = UTF-8 JSON of a value
-- node for everything else (protocol/values.md; bool, big int, NaN, long str, bytes, containers,
-- objects, unbound, redacted, unavailable).
CREATE TABLE value_change (
  seq         INTEGER NOT NULL,
  variable    INTEGER NOT NULL REFERENCES variable(id),
  invocation  INTEGER NOT NULL REFERENCES invocation(id),
  value,
  object      INTEGER,
  PRIMARY KEY (seq, variable, invocation)
) WITHOUT ROWID;

-- One row per exception occurrence (one raise, followed through the frames it propagates into).
-- type is the qualified class name; message is str() of builtin exceptions, or the args for others;
-- raised_seq is its first EXCEPTION event. Written at finish: caught_seq (the first event after the
-- handler took over, in the frame that stopped it), escaped_seq (the UNWIND by which it left the
-- outermost recorded frame it reached), uncaught (1 when that frame was a root invocation: the
-- program or the thread died of it).
CREATE TABLE exception (
  id           INTEGER PRIMARY KEY,
  type         TEXT NOT NULL,
  message      TEXT NOT NULL,
  raised_seq   INTEGER NOT NULL,
  caught_seq   INTEGER,
  escaped_seq  INTEGER,
  uncaught     INTEGER NOT NULL DEFAULT 0
);

-- Who resumed a generator or coroutine: one row per RESUME event. caller is the nearest recorded
-- frame below it at that moment (NULL if none), so a stack at a seq inside a resumed generator
-- continues with its resumer, not with the frame that first started it (invocation.parent).
CREATE TABLE resume (
  seq     INTEGER PRIMARY KEY,
  caller  INTEGER REFERENCES invocation(id)
);

-- Text written to sys.stdout (stream 1) or sys.stderr (stream 2), in order; seq is the last event
-- recorded before the write. Consecutive writes at one seq to one stream are one row.
CREATE TABLE output (
  id      INTEGER PRIMARY KEY,
  seq     INTEGER NOT NULL,
  stream  INTEGER NOT NULL,
  text    TEXT NOT NULL
);

-- Aggregates, built by finish.sql. Per code object: calls (invocations; a generator consumed once
-- counts 1), raised (invocations that ended by an exception), total_ns / max_ns over invocations
-- that ended, slowest (the invocation of max_ns), first (the first invocation), first_raised (the
-- first invocation that ended by an exception).
CREATE TABLE code_stats (
  code          INTEGER PRIMARY KEY REFERENCES code(id),
  calls         INTEGER NOT NULL,
  raised        INTEGER NOT NULL,
  total_ns      INTEGER NOT NULL,
  max_ns        INTEGER NOT NULL,
  slowest       INTEGER,
  first         INTEGER NOT NULL,
  first_raised  INTEGER
);

-- Per source line: how many LINE events ran it.
CREATE TABLE line_stats (
  file  INTEGER NOT NULL REFERENCES file(id),
  line  INTEGER NOT NULL,
  hits  INTEGER NOT NULL,
  PRIMARY KEY (file, line)
) WITHOUT ROWID;

-- Per block of 256 consecutive events (chunk c holds the seqs 256c to 256c + 255) and per code
-- object that ran in it: how many of the block's events ran its code, the deepest invocation depth
-- among them, the first of them, and the last of them that has a time (NULL if none: LINE events
-- have none). The timeline (protocol/reader/timeline.ts) sums whole blocks and reads the events of
-- only the blocks cut by its bucket edges, so a summary of 10M events reads some 40k rows, not 10M;
-- the time of a line event is found in its block, else from the nearest earlier block with a time.
CREATE TABLE chunk_stats (
  chunk           INTEGER NOT NULL,
  code            INTEGER NOT NULL REFERENCES code(id),
  events          INTEGER NOT NULL,
  max_depth       INTEGER NOT NULL,
  first_seq       INTEGER NOT NULL,
  last_timed_seq  INTEGER,
  PRIMARY KEY (chunk, code)
) WITHOUT ROWID;
