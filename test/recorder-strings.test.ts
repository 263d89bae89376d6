// Recorder, code that is no file: strings the program exec's, eval's or compile's (a file row per
// distinct string; exec/eval texts recorded as the compiler decoded them, a coding cookie too;
// compile()'s marked missing with a reason) and a zip archive's module, on every Python and tracer.
import { strict as assert } from 'node:assert';
import { EventKind } from '../protocol/schema';
import { pythons, pythonsWithMonitoring, type Python } from './support/pythons';
import { checkRecording, prepare, record, recorderFixture } from './support/recorder';
import { TraceDb } from './support/traceDb';

const { Line, Call, Return } = EventKind;
const NOT_SEEN = 'the code was compiled from a string the recorder did not see (it sees those given to exec and eval, not to compile)';

function check(python: Python, body: (db: TraceDb) => void): Promise<void> {
  return checkRecording(python, { script: 'exec_strings' }, {}, body);
}

/** The invocations of module code recorded under this file path, in order. */
function modulesOf(db: TraceDb, path: string): number[] {
  return db.rows(`SELECT i.id FROM invocation i JOIN code c ON c.id = i.code JOIN file f ON f.id = c.file
    WHERE f.path = ? AND c.kind = 'module' ORDER BY i.first_seq`, path).map((row) => Number(row.id));
}

/** The one invocation of module code recorded under this file path. */
function moduleOf(db: TraceDb, path: string): number {
  const invocations = modulesOf(db, path);
  assert.equal(invocations.length, 1, `one module invocation of ${path}`);
  return Number(invocations[0]);
}

describe('recorder: code compiled from strings and imported from a zip archive', () => {
  before(() => prepare(pythons().map((python) => record(python, { script: 'exec_strings' }))));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it('gives each string its own file row and says which sources are not recorded, and why', () =>
        check(python, (db) => {
          const files = db.rows('SELECT path, origin, source, missing FROM file WHERE id > 1 ORDER BY id');
          const archive = String(files[5]?.path);
          assert.match(archive, /\/bundle\.zip\/zipped\.py$/);
          assert.deepEqual(files, [
            { path: '<string>#1', origin: 'string', source: 'a = 1\nb = a + 1\n', missing: null },
            { path: '<string>#2', origin: 'string', source: 'def f(x):\n    y = x * 2\n    return y\n', missing: null },
            { path: '<string>#3', origin: 'string', source: 'f(3)', missing: null },
            { path: 'generated.py#1', origin: 'string', source: null, missing: NOT_SEEN },
            { path: '<string>#4', origin: 'string', source: null, missing: NOT_SEEN },
            { path: archive, origin: 'archive', source: 'def double(n):\n    m = n + n\n    return m\n', missing: null },
          ]);
          assert.deepEqual(db.rows('SELECT path, origin FROM file WHERE id = 1'), [{ path: recorderFixture('exec_strings'), origin: 'file' }]);
          assert.equal(db.output(1), '6 15 8\n');
        }));

      it('records the lines and values of two exec\'d strings apart, and one text run three times as one file', () =>
        check(python, (db) => {
          const runs = modulesOf(db, '<string>#1');
          assert.equal(runs.length, 3);
          assert.equal(db.scalar("SELECT count(*) FROM code c JOIN file f ON f.id = c.file WHERE f.path = '<string>#1'"), 3, 'a code row per code object');
          for (const run of runs) assert.deepEqual(db.eventsOf(run), [[1, Call], [1, Line], [2, Line], [2, Return]]);
          const first = Number(runs[0]);
          assert.deepEqual([db.history(first, 'a'), db.history(first, 'b')], [[1], [2]]);
          const second = moduleOf(db, '<string>#2');
          assert.deepEqual(db.eventsOf(second), [[1, Call], [1, Line], [1, Return]]);
          const main = Number(db.moduleInvocation().id);
          assert.deepEqual([first, second].map((inv) => Number(db.rows('SELECT parent FROM invocation WHERE id = ?', inv)[0]?.parent)), [main, main]);
        }));

      it('records a function an exec\'d string defines, called by eval, under that string\'s file', () =>
        check(python, (db) => {
          const [call, ...others] = db.invocations('f');
          assert.equal(others.length, 0);
          assert.equal(db.scalar('SELECT f.path FROM code c JOIN file f ON f.id = c.file WHERE c.qualname = ?', 'f'), '<string>#2');
          const f = Number(call?.id);
          assert.equal(Number(call?.parent), moduleOf(db, '<string>#3'), 'called by the eval\'d expression');
          assert.deepEqual(db.eventsOf(f), [[1, Call], [2, Line], [3, Line], [3, Return]]);
          assert.deepEqual([db.history(f, 'x'), db.history(f, 'y'), db.history(f, '<return>')], [[3], [6], [6]]);
          assert.deepEqual(db.history(moduleOf(db, '<string>#3'), '<return>'), [6]);
        }));

      it('records compile() under a name that is no file, and a module from a zip archive', () =>
        check(python, (db) => {
          const generated = moduleOf(db, 'generated.py#1');
          assert.deepEqual(db.eventsOf(generated), [[1, Call], [1, Line], [2, Line], [2, Return]]);
          assert.deepEqual([db.history(generated, 'g'), db.history(generated, 'h')], [[10], [15]]);
          const later = moduleOf(db, '<string>#4');
          assert.deepEqual([db.eventsOf(later), db.history(later, 'q')], [[[1, Call], [1, Line], [1, Return]], [1]]);
          const [double] = db.invocations('double');
          const d = Number(double?.id);
          assert.deepEqual(db.eventsOf(d), [[1, Call], [2, Line], [3, Line], [3, Return]]);
          assert.deepEqual([db.history(d, 'n'), db.history(d, 'm')], [[4], [8]]);
        }));
    });
  }
});

/** The tracers a Python can record with: settrace everywhere, sys.monitoring from 3.12 on. */
function tracersOf(python: Python): string[] {
  return pythonsWithMonitoring().includes(python) ? ['settrace', 'monitoring'] : ['settrace'];
}

describe('recorder: strings with a coding cookie, under either tracer', () => {
  const program = { script: 'exec_cookies' };
  const using = (tracer: string) => ({ options: ['--tracer', tracer] });
  before(() => prepare(pythons().flatMap((python) => tracersOf(python).map((tracer) => record(python, program, using(tracer))))));

  for (const python of pythons()) {
    for (const tracer of tracersOf(python)) {
      // settrace sees a string's text in the 'compile' audit event, as bytes whether the program
      // gave bytes (decoded by their cookie) or a str (whose cookie the compiler ignores).
      it(`on Python ${python.version} (${tracer}) records each text as the compiler decoded it`, () =>
        checkRecording(python, program, using(tracer), (db) => {
          assert.equal(db.meta('tracer'), tracer);
          assert.deepEqual(db.rows('SELECT path, origin, source, missing FROM file WHERE id > 1 ORDER BY id'), [
            { path: '<string>#1', origin: 'string', source: "# -*- coding: latin-1 -*-\nx = '\xe9'\n", missing: null },
            { path: '<string>#2', origin: 'string', source: "# coding: latin-1\nw = '\xc3\xa9'\n", missing: null },
            { path: '<string>#3', origin: 'string', source: "# -*- coding: latin-1 -*-\ny = '\xe9'\n", missing: null },
            { path: '<string>#4', origin: 'string', source: '#!/usr/bin/env python\n# coding: nonesuch\nz = 1\n', missing: null },
            { path: '<string>#5', origin: 'string', source: "# coding: latin-1\n'\xe9'", missing: null },
            { path: '<string>#6', origin: 'string', source: "# coding: latin-1\n'\xe9'", missing: null },
          ]);
          assert.equal(db.output(1), "'\\xe9' '\\xc3\\xa9' '\\xe9' 1 '\\xe9' '\\xe9'\n");
        }));
    }
  }
});
