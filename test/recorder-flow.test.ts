// Recorder, the shape of a run: invocations with depths and parents, a generator and a coroutine as
// one invocation each, threads by name, exceptions handled and uncaught — as rows, on every Python.
import { strict as assert } from 'node:assert';
import { EventKind } from '../protocol/schema';
import { pythons, type Python } from './support/pythons';
import { marked, prepare, record, recorderFixture } from './support/recorder';
import { TraceDb } from './support/traceDb';

const { Line, Call, Return, Exception, Unwind, Yield, Resume } = EventKind;
const SCRIPTS = ['recursion', 'generator', 'async_tasks', 'threads', 'handled', 'uncaught'];

/** Records a fixture (once per run), checks its exit code and that its trace is complete, then runs body on the trace. */
async function check(python: Python, script: string, exitCode: number, body: (db: TraceDb) => void): Promise<void> {
  const run = await record(python, { script });
  assert.equal(run.status, exitCode, `${script}.py exit status; stderr:\n${run.stderr}`);
  const db = await TraceDb.open(run.trace);
  try {
    assert.equal(db.meta('status'), 'complete');
    body(db);
  } finally {
    db.close();
  }
}

/** Invocation ids and other integer cells as numbers. */
function ids(rows: Record<string, unknown>[], column: string): number[] {
  return rows.map((row) => Number(row[column]));
}

describe('recorder: calls, generators, tasks, threads, exceptions', () => {
  before(() => prepare(pythons().flatMap((python) => SCRIPTS.map((script) => record(python, { script })))));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it('records recursion as nested invocations with their arguments and return values', () =>
        check(python, 'recursion', 0, (db) => {
          const module = Number(db.moduleInvocation().id);
          const calls = db.invocations('factorial');
          assert.deepEqual(calls.map((call) => call.depth), [1, 2, 3, 4]);
          assert.deepEqual(ids(calls, 'parent'), [module, ...ids(calls, 'id').slice(0, 3)]);
          assert.deepEqual(calls.map((call) => db.history(Number(call.id), 'n')), [[3], [2], [1], [0]]);
          assert.deepEqual(calls.map((call) => db.history(Number(call.id), '<return>')), [[6], [2], [1], [1]]);
          const [def, test, base, recurse] = ['def', 'test', 'base', 'recurse'].map((mark) => marked('recursion', mark));
          for (const call of calls.slice(0, 3)) {
            assert.deepEqual(db.eventsOf(Number(call.id)), [[def, Call], [test, Line], [recurse, Line], [recurse, Return]]);
          }
          const innermost = Number(calls[3]?.id);
          assert.deepEqual(db.eventsOf(innermost), [[def, Call], [test, Line], [base, Line], [base, Return]]);
          for (const call of calls) {
            assert.equal(call.end_kind, Return);
            const [change] = db.changes(Number(call.id), '<return>');
            assert.equal(change?.seq, call.last_seq, 'the return value is recorded at the RETURN event');
          }
          assert.equal(db.code('factorial').first_line, def);
          assert.equal(db.output(1), '6\n');
        }));

      it('records a generator as one invocation that yields and resumes', () =>
        check(python, 'generator', 0, (db) => {
          const [squares, ...others] = db.invocations('squares');
          assert.equal(others.length, 0, 'one invocation for the whole generator');
          const generator = Number(squares?.id);
          assert.equal(db.code('squares').kind, 'generator');
          const boundaries = db.eventsOf(generator).filter(([, kind]) => kind !== Line);
          const [def, yieldLine] = [marked('generator', 'def'), marked('generator', 'yield')];
          assert.deepEqual(boundaries.slice(0, -1), [
            [def, Call], [yieldLine, Yield], [yieldLine, Resume], [yieldLine, Yield], [yieldLine, Resume], [yieldLine, Yield], [yieldLine, Resume],
          ]);
          assert.equal(boundaries[boundaries.length - 1]?.[1], Return);
          assert.deepEqual(db.history(generator, '<yield>'), [1, 4, 9]);
          const yieldSeqs = db.rows('SELECT seq FROM event WHERE invocation = ? AND kind = ? ORDER BY seq', generator, Yield);
          assert.deepEqual(db.changes(generator, '<yield>').map((change) => change.seq), ids(yieldSeqs, 'seq'));
          assert.deepEqual(db.history(generator, '<return>'), [null]);
          assert.equal(squares?.end_kind, Return);
          const module = Number(db.moduleInvocation().id);
          assert.deepEqual(db.history(module, 'total'), [0, 1, 5, 14]);
          const resumers = db.rows('SELECT r.caller FROM resume r JOIN event e ON e.seq = r.seq WHERE e.invocation = ?', generator);
          assert.deepEqual(ids(resumers, 'caller'), [module, module, module], 'the for loop in the module resumes it');
        }));

      it('records asyncio.gather tasks as coroutine invocations that interleave', () =>
        check(python, 'async_tasks', 0, (db) => {
          assert.equal(db.code('fetch').kind, 'coroutine');
          assert.equal(db.code('main').kind, 'coroutine');
          const module = Number(db.moduleInvocation().id);
          const [a, b, ...others] = db.invocations('fetch');
          assert.ok(a && b && others.length === 0, 'one invocation per task');
          assert.deepEqual([a.parent, b.parent], [module, module], 'started by the event loop, under the module');
          assert.deepEqual([db.history(Number(a.id), 'name'), db.history(Number(b.id), 'name')], [['a'], ['b']]);
          assert.deepEqual([db.history(Number(a.id), '<return>'), db.history(Number(b.id), '<return>')], [['a:2'], ['b:3']]);
          const [def, awaitLine, result] = ['def', 'await', 'result'].map((mark) => marked('async_tasks', mark));
          const suspensions = (steps: number) => Array.from({ length: steps }, () => [[awaitLine, Yield], [awaitLine, Resume]]).flat();
          const boundaries = (task: Record<string, unknown>) => db.eventsOf(Number(task.id)).filter(([, kind]) => kind !== Line);
          assert.deepEqual(boundaries(a), [[def, Call], ...suspensions(2), [result, Return]]);
          assert.deepEqual(boundaries(b), [[def, Call], ...suspensions(3), [result, Return]]);
          assert.ok(Number(a.first_seq) < Number(b.first_seq) && Number(b.first_seq) < Number(a.last_seq)
            && Number(a.last_seq) < Number(b.last_seq), 'the two tasks run interleaved');
          const [main] = db.invocations('main');
          const [defMain, gather, printResults] = ['def-main', 'gather', 'print-results'].map((mark) => marked('async_tasks', mark));
          assert.deepEqual(db.eventsOf(Number(main?.id)).filter(([, kind]) => kind !== Line),
            [[defMain, Call], [gather, Yield], [gather, Resume], [printResults, Return]], 'main waits once, for gather');
          assert.equal(db.output(1), "['a:2', 'b:3']\n");
        }));

      // worker-3 starts after worker-1 and worker-2 have ended, so it may get the thread ident of one of them.
      it('records threads by their names, with the invocations each ran', () =>
        check(python, 'threads', 0, (db) => {
          const threads = db.rows('SELECT id, name FROM thread ORDER BY id');
          assert.equal(threads[0]?.name, 'MainThread');
          assert.deepEqual(threads.map((thread) => thread.name).sort(), ['MainThread', 'worker-1', 'worker-2', 'worker-3']);
          const byThread = db.rows(
            `SELECT t.name, i.id, i.parent, i.depth FROM invocation i JOIN thread t ON t.id = i.thread
             JOIN code c ON c.id = i.code WHERE c.qualname = 'work' ORDER BY t.name`);
          assert.deepEqual(byThread.map((row) => [row.name, row.parent, row.depth]), [['worker-1', null, 0], ['worker-2', null, 0], ['worker-3', null, 0]]);
          assert.deepEqual(byThread.map((row) => [db.history(Number(row.id), 'n'), db.history(Number(row.id), '<return>')]),
            [[[1], [0]], [[2], [1]], [[3], [3]]]);
          const mainThread = db.scalar("SELECT id FROM thread WHERE name = 'MainThread'");
          assert.equal(db.moduleInvocation().thread, mainThread);
          const adds = db.rows(
            `SELECT t.name, count(*) AS hits FROM event e JOIN invocation i ON i.id = e.invocation JOIN thread t ON t.id = i.thread
             WHERE e.kind = 0 AND e.line = ? GROUP BY t.name ORDER BY t.name`, marked('threads', 'add'));
          assert.deepEqual(adds.map((row) => [row.name, row.hits]), [['worker-1', 1], ['worker-2', 2], ['worker-3', 3]]);
        }));

      it('records a handled exception: where it was raised, propagated and caught', () =>
        check(python, 'handled', 0, (db) => {
          const exceptions = db.rows('SELECT * FROM exception');
          assert.equal(exceptions.length, 1);
          const error = exceptions[0] ?? {};
          assert.deepEqual([error.type, error.message, error.escaped_seq, error.uncaught],
            ['ValueError', "invalid literal for int() with base 10: 'x'", null, 0]);
          const [parse] = db.invocations('parse');
          const [load] = db.invocations('load');
          const [raise, call, except] = ['raise', 'call', 'except'].map((mark) => marked('handled', mark));
          const occurrences = db.rows('SELECT seq, invocation, line, kind FROM event WHERE arg = ? ORDER BY seq', Number(error.id));
          assert.deepEqual(occurrences.map((event) => [event.invocation, event.line, event.kind]), [
            [parse?.id, raise, Exception], [parse?.id, raise, Unwind], [load?.id, call, Exception],
          ]);
          assert.equal(error.raised_seq, occurrences[0]?.seq);
          const caught = db.rows('SELECT invocation, line, kind FROM event WHERE seq = ?', Number(error.caught_seq));
          assert.deepEqual(caught.map((event) => [event.invocation, event.line, event.kind]), [[load?.id, except, Line]]);
          assert.equal(parse?.end_kind, Unwind);
          assert.equal(load?.end_kind, Return);
          assert.deepEqual(db.history(Number(load?.id), '<return>'), [-1]);
        }));

      it('records an uncaught exception escaping the module, and the exit code', () =>
        check(python, 'uncaught', 1, (db) => {
          const exceptions = db.rows('SELECT * FROM exception');
          assert.equal(exceptions.length, 1);
          const error = exceptions[0] ?? {};
          assert.deepEqual([error.type, error.message, error.caught_seq, error.uncaught], ['KeyError', "'b'", null, 1]);
          const module = db.moduleInvocation();
          const [inner] = db.invocations('inner');
          const [outer] = db.invocations('outer');
          const [raise, call, top] = ['raise', 'call', 'top'].map((mark) => marked('uncaught', mark));
          const occurrences = db.rows('SELECT seq, invocation, line, kind FROM event WHERE arg = ? ORDER BY seq', Number(error.id));
          assert.deepEqual(occurrences.map((event) => [event.invocation, event.line, event.kind]), [
            [inner?.id, raise, Exception], [inner?.id, raise, Unwind],
            [outer?.id, call, Exception], [outer?.id, call, Unwind],
            [module.id, top, Exception], [module.id, top, Unwind],
          ]);
          assert.equal(error.raised_seq, occurrences[0]?.seq);
          assert.equal(error.escaped_seq, occurrences[5]?.seq);
          assert.deepEqual([inner?.end_kind, outer?.end_kind, module.end_kind], [Unwind, Unwind, Unwind]);
          assert.deepEqual([db.meta('exit_code'), db.meta('exit_signal')], [1, null]);
          assert.equal(db.output(1), 'before\n');
          assert.ok(db.output(2).startsWith('Traceback (most recent call last):\n'), 'the traceback is recorded as output');
          assert.ok(db.output(2).includes(recorderFixture('uncaught')));
        }));
    });
  }
});
