// Recorder, one trace whatever the mechanism: on every Python with sys.monitoring, deterministic
// fixtures recorded with --tracer monitoring and --tracer settrace give equal traces, row for row.
import { strict as assert } from 'node:assert';
import { pythonsWithMonitoring, type Python } from './support/pythons';
import { prepare, record } from './support/recorder';
import { decode, TraceDb, type Value } from './support/traceDb';

const TRACERS = ['monitoring', 'settrace'] as const;
type Tracer = (typeof TRACERS)[number];

/** Single-threaded programs that do the same thing on every run. */
const SCRIPTS = ['recursion', 'generator', 'handled', 'uncaught', 'classes', 'mutations', 'module_comprehension',
  'comprehensions', 'async_tasks', 'hostile'];

/**
 * Fixtures left out of a Python's settrace run. CPython 3.12 writes frame.f_locals back into the
 * fast locals after each trace-function call (PyFrame_LocalsToFast); in a comprehension inlined by
 * PEP 709 that prints "RuntimeWarning: assigning None to unbound local" for the comprehension's
 * variable (python/cpython#124118), so the program's own stderr changes. 3.13 (PEP 667) has no
 * write-back.
 */
const NOT_UNDER_SETTRACE: Record<string, string[]> = { '3.12': ['module_comprehension', 'comprehensions'] };

/** The rows compared, per table: everything but times, idents and other per-process facts. */
const TABLES: Record<string, string> = {
  file: 'SELECT id, path, origin, sha256, source, missing FROM file ORDER BY id',
  code: 'SELECT * FROM code ORDER BY id',
  thread: 'SELECT id, name FROM thread ORDER BY id',
  invocation: 'SELECT id, parent, thread, code, depth, first_seq, last_seq, end_kind FROM invocation ORDER BY id',
  event: 'SELECT seq, invocation, line, kind, arg FROM event ORDER BY seq',
  variable: 'SELECT * FROM variable ORDER BY id',
  value_change: 'SELECT seq, variable, invocation, typeof(value) AS type, value FROM value_change ORDER BY seq, variable',
  exception: 'SELECT * FROM exception ORDER BY id',
  resume: 'SELECT * FROM resume ORDER BY seq',
  output: 'SELECT * FROM output ORDER BY id',
  code_stats: 'SELECT code, calls, raised, first, first_raised FROM code_stats ORDER BY code',
  line_stats: 'SELECT * FROM line_stats ORDER BY file, line',
};

function scriptsFor(python: Python, tracer: Tracer): string[] {
  const left = tracer === 'settrace' ? NOT_UNDER_SETTRACE[python.version] ?? [] : [];
  return SCRIPTS.filter((script) => !left.includes(script));
}

function recordWith(python: Python, script: string, tracer: Tracer) {
  return record(python, { script }, { options: ['--tracer', tracer] });
}

/**
 * Object ids (CPython's id(), and the 0x… addresses in repr text) differ between two runs: each is
 * replaced by the order in which its row first mentions it, so identity within a value is still
 * compared. Across rows it is not: which dead object's address a new one takes differs between runs.
 */
function idNormaliser(): (value: Value) => Value {
  const order = new Map<number, number>();
  const label = (id: number) => {
    if (!order.has(id)) order.set(id, order.size + 1);
    return `#${order.get(id)}`;
  };
  const normal = (node: Value): Value => {
    if (!Array.isArray(node)) return node;
    const [tag, type, id, length, children] = node;
    if ((tag === 'seq' || tag === 'map' || tag === 'obj' || tag === 'cycle' || tag === 'deep') && typeof id === 'number') {
      if (!Array.isArray(children)) return [tag, type ?? null, label(id), ...node.slice(3)];
      const items = tag === 'seq'
        ? children.map(normal)
        : (children as Value[][]).map(([key, value]) => [tag === 'map' ? normal(key ?? null) : key ?? null, normal(value ?? null)]);
      return [tag, type ?? null, label(id), length ?? null, items];
    }
    if (tag === 'repr' || tag === 'error') {
      return [tag, type ?? null, String(id).replace(/0x[0-9a-f]+/g, (hex) => `0x${label(parseInt(hex, 16))}`)];
    }
    return node;
  };
  return normal;
}

/** The trace as comparable rows, per table. */
async function comparable(file: string): Promise<Record<string, string[]>> {
  const db = await TraceDb.open(file);
  try {
    return Object.fromEntries(Object.entries(TABLES).map(([table, sql]) => [table, db.rows(sql).map((row) => {
      const normal = idNormaliser();
      return JSON.stringify(Object.values(row).map((cell) => (cell instanceof Uint8Array ? normal(decode(cell)) : cell)));
    })]));
  } finally {
    db.close();
  }
}

describe('recorder: sys.monitoring and settrace record the same trace', () => {
  before(() => prepare(pythonsWithMonitoring().flatMap((python) =>
    TRACERS.flatMap((tracer) => scriptsFor(python, tracer).map((script) => recordWith(python, script, tracer))))));

  for (const python of pythonsWithMonitoring()) {
    describe(`on Python ${python.version}`, () => {
      for (const script of scriptsFor(python, 'settrace')) {
        it(`records ${script}.py the same way with both tracers`, async () => {
          const runs = await Promise.all(TRACERS.map((tracer) => recordWith(python, script, tracer)));
          const traces: Record<string, string[]>[] = [];
          for (const [i, run] of runs.entries()) {
            const db = await TraceDb.open(run.trace);
            try {
              assert.deepEqual([db.meta('tracer'), db.meta('status'), db.meta('recorder_error')], [TRACERS[i], 'complete', undefined]);
            } finally {
              db.close();
            }
            traces.push(await comparable(run.trace));
          }
          const [monitoring = {}, settrace = {}] = traces;
          assert.deepEqual(runs.map((run) => [run.status, run.stdout.toString(), run.stderr.toString()]),
            runs.map(() => [runs[0]?.status, runs[0]?.stdout.toString(), runs[0]?.stderr.toString()]), 'the same program output');
          const differing = Object.keys(TABLES).filter((table) => JSON.stringify(monitoring[table]) !== JSON.stringify(settrace[table]));
          for (const table of differing) {
            assert.deepEqual(settrace[table], monitoring[table], `settrace (actual) and monitoring (expected) differ in: ${differing.join(', ')}`);
          }
        });
      }
    });
  }
});
