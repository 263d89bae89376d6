-- Finishing a trace: secondary indexes, the columns derived from events, and the aggregates.
-- Run once by the writer when recording ends, or by a reader opening a trace whose writer died
-- (LIFECYCLE in schema.sql). Idempotent: running it twice gives the same trace. It never changes
-- meta; the caller sets status and end_reason.

CREATE INDEX IF NOT EXISTS event_by_invocation ON event(invocation, seq);
-- With kind: a line's next LINE event is one seek, also on a def line, which every CALL of the function carries.
CREATE INDEX IF NOT EXISTS event_by_line ON event(line, kind, seq);
CREATE INDEX IF NOT EXISTS event_by_arg ON event(arg, seq) WHERE arg IS NOT NULL;
-- The EXCEPTION and UNWIND events in seq order (only they have an arg): "next exception event".
CREATE INDEX IF NOT EXISTS exception_event_by_seq ON event(seq) WHERE arg IS NOT NULL;
-- Exceptions in raise order: exception breakpoints search the next (previous) raise.
CREATE INDEX IF NOT EXISTS exception_by_raise ON exception(raised_seq);
CREATE INDEX IF NOT EXISTS invocation_by_code ON invocation(code, first_seq);
CREATE INDEX IF NOT EXISTS invocation_by_parent ON invocation(parent, first_seq);
-- The few invocations without a duration (a generator left suspended, a frame still running when recording
-- stopped): a code's average time divides by its timed calls, counted through this small index.
CREATE INDEX IF NOT EXISTS invocation_untimed ON invocation(code) WHERE t_end IS NULL;
CREATE INDEX IF NOT EXISTS value_by_variable ON value_change(variable, invocation, seq);
CREATE INDEX IF NOT EXISTS value_by_object ON value_change(object, seq) WHERE object IS NOT NULL;
CREATE INDEX IF NOT EXISTS output_by_seq ON output(seq);

-- How each invocation ended: its last event, and the times of its first and ending events.
UPDATE invocation SET last_seq = (SELECT max(seq) FROM event WHERE event.invocation = invocation.id);
UPDATE invocation SET
  end_kind = (SELECT kind FROM event WHERE seq = invocation.last_seq AND kind IN (2, 4, 5)),
  t_start = (SELECT t FROM event WHERE seq = invocation.first_seq),
  t_end = (SELECT t FROM event WHERE seq = invocation.last_seq AND kind IN (2, 4));

-- Where each exception stopped: the last frame it propagated into either caught it (the next event
-- there is the handler's) or was left by it (an UNWIND carrying it). The event searches are nested
-- scalar subqueries so the planner seeks one invocation's events per exception instead of scanning
-- every event per exception (a JOIN was planned that way: 65 s of finish on 2M events).
DROP TABLE IF EXISTS temp.exception_end;
CREATE TEMP TABLE exception_end (id INTEGER PRIMARY KEY, seq INTEGER, invocation INTEGER);
INSERT INTO exception_end
  SELECT x.arg AS id, x.seq AS seq, (SELECT invocation FROM event WHERE seq = x.seq) AS invocation
  FROM (SELECT arg, max(seq) AS seq FROM event WHERE kind = 3 AND arg IS NOT NULL GROUP BY arg) x;
UPDATE exception SET
  escaped_seq = (SELECT (SELECT min(u.seq) FROM event u
                   WHERE u.arg = x.id AND u.kind = 4 AND u.invocation = x.invocation AND u.seq > x.seq)
                 FROM exception_end x WHERE x.id = exception.id);
UPDATE exception SET
  caught_seq = CASE WHEN escaped_seq IS NULL THEN
    (SELECT (SELECT min(e.seq) FROM event e WHERE e.invocation = x.invocation AND e.seq > x.seq)
     FROM exception_end x WHERE x.id = exception.id) END,
  uncaught = CASE WHEN escaped_seq IS NOT NULL AND
    (SELECT i.parent FROM event u JOIN invocation i ON i.id = u.invocation WHERE u.seq = exception.escaped_seq) IS NULL
    THEN 1 ELSE 0 END;
DROP TABLE temp.exception_end;

DELETE FROM code_stats;
INSERT INTO code_stats (code, calls, raised, total_ns, max_ns, slowest, first, first_raised)
  SELECT code, count(*), sum(end_kind IS 4), coalesce(sum(t_end - t_start), 0),
         coalesce(max(t_end - t_start), 0), NULL, min(id), min(CASE WHEN end_kind IS 4 THEN id END)
  FROM invocation GROUP BY code;
UPDATE code_stats SET slowest = (SELECT id FROM invocation i WHERE i.code = code_stats.code
  AND i.t_end - i.t_start = code_stats.max_ns ORDER BY id LIMIT 1);

DELETE FROM line_stats;
INSERT INTO line_stats (file, line, hits)
  SELECT c.file, e.line, count(*) FROM event e
  JOIN invocation i ON i.id = e.invocation JOIN code c ON c.id = i.code
  WHERE e.kind = 0 GROUP BY c.file, e.line;

-- The timeline's blocks (and the clock's): one pass over the events in seq order, joined to their invocation.
DELETE FROM chunk_stats;
INSERT INTO chunk_stats (chunk, code, events, max_depth, first_seq, last_timed_seq)
  SELECT e.seq >> 8, i.code, count(*), max(i.depth), min(e.seq), max(CASE WHEN e.t IS NOT NULL THEN e.seq END) FROM event e
  JOIN invocation i ON i.id = e.invocation GROUP BY e.seq >> 8, i.code;
