// Recorder, fidelity: programs that probe the process around them (signal handlers, object
// lifetimes, patched builtins, hooks that print when something calls them, streams, threads) print
// the same, byte for byte, recorded as plain, and the recording of each is complete.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventKind } from '../protocol/schema';
import { pythons, pythonsWithMonitoring, type Python } from './support/pythons';
import { marked, prepare, record, recorderFixture, runPlain, withTrace, type Program } from './support/recorder';
import { freshDir } from './support/recordings';

/** Each fixture's header says what it probes; `file`: it also writes a file (its last argument). */
const PROBES: { script: string; about: string; file?: boolean }[] = [
  { script: 'fidelity_lifetimes', about: 'keeps no object alive: exceptions, locals, module globals at exit, an unclosed file', file: true },
  { script: 'fidelity_patched', about: 'uses none of the builtins or library functions the program replaced' },
  { script: 'fidelity_spoofs', about: 'runs no hook of the program: metaclass, namespace, Thread.name, a class posing as Fraction' },
  { script: 'fidelity_signals', about: 'leaves the program its signals: getsignal, a SIGALRM timeout, SIGTERM, Ctrl-C as a generator resumes, asyncio.run Ctrl-C' },
  { script: 'fidelity_process', about: 'leaves the process as it was: streams, sys.monitoring DEBUGGER_ID, a set another thread changes' },
];

function program(script: string, file: boolean, run: string): Program {
  return { script, args: file ? [path.join(freshDir(`${script}-${run}`), 'written.txt')] : [] };
}

describe('recorder: the program sees nothing of the recorder', () => {
  const runs = pythons().flatMap((python) => PROBES.map(({ script, file }) => {
    const recorded = program(script, Boolean(file), `recorded-${python.version}`);
    const plain = program(script, Boolean(file), `plain-${python.version}`);
    return { python, script, recorded, plain, results: () => Promise.all([record(python, recorded), runPlain(python, plain)]) };
  }));
  before(() => prepare(runs.map((run) => run.results())));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      for (const { script, about, file } of PROBES) {
        it(`${about} (${script}.py)`, async () => {
          const run = runs.find((r) => r.python === python && r.script === script);
          assert.ok(run);
          const [recorded, plain] = await run.results();
          assert.equal(plain.status, 0, `plain Python's run; stderr:\n${plain.stderr}`);
          assert.equal(recorded.stdout.toString(), plain.stdout.toString(), 'stdout');
          assert.equal(recorded.stderr.toString(), plain.stderr.toString(), 'stderr');
          assert.deepEqual([recorded.status, recorded.signal], [plain.status, plain.signal], 'the exit');
          if (file) {
            const written = (p: Program) => fs.readFileSync(String(p.args?.[0]), 'utf8');
            assert.equal(written(run.recorded), written(run.plain), 'the file it never closed');
            assert.equal(written(run.plain), 'written, never closed\n');
          }
          await withTrace(recorded.trace, (db) => {
            assert.deepEqual(['status', 'recorder_error'].map((key) => db.meta(key)), ['complete', undefined]);
            assert.ok(Number(db.scalar('SELECT count(*) FROM event')) > 20, 'the program is recorded');
          });
        });
      }
    });
  }
});

describe('recorder: what it cannot record, the trace says', () => {
  const settrace = (python: Python) => !pythonsWithMonitoring().includes(python);
  before(() => prepare(pythons().flatMap((python) => [record(python, { script: 'own_tracer' }), runPlain(python, { script: 'own_tracer' }),
    record(python, { script: 'deep_recursion' }), runPlain(python, { script: 'deep_recursion' }),
    record(python, { script: 'deep_library' }), runPlain(python, { script: 'deep_library' })])));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it(settrace(python) ? 'stops at the program’s own sys.settrace (not where it puts back the recorder’s), and says where' : 'records on beside the program’s own sys.settrace', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'own_tracer' }), runPlain(python, { script: 'own_tracer' })]);
        assert.deepEqual([recorded.status, recorded.stdout.toString()], [plain.status, 'done 2\n']);
        await withTrace(recorded.trace, (db) => {
          const module = Number(db.moduleInvocation().id);
          assert.deepEqual(db.history(Number(db.invocations('before')[0]?.id), 'x'), [1], 'what ran before it is recorded, past the trace function put back');
          if (settrace(python)) {
            assert.equal(db.meta('status'), 'incomplete');
            assert.equal(db.meta('end_reason'), `the program set a trace function of its own (sys.settrace, ${recorderFixture('own_tracer')} line ${marked('own_tracer', 'settrace')}), which replaces the recorder's under Python ${python.version} (3.12 and later record beside it with sys.monitoring): recording stopped there; the program ran on unrecorded and exited with code 0`);
            assert.deepEqual(db.history(module, 'after'), [], 'nothing after it');
          } else {
            assert.equal(db.meta('status'), 'complete');
            assert.deepEqual(db.history(module, 'after'), [2]);
          }
        });
      });

      it('gives RecursionError where plain Python does, and records the recursion to its end', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'deep_recursion' }), runPlain(python, { script: 'deep_recursion' })]);
        assert.equal(recorded.stdout.toString(), plain.stdout.toString(), 'stdout: where each recursion was caught');
        assert.equal(recorded.stderr.toString(), plain.stderr.toString(), 'stderr: tracebacks without a frame of ours');
        assert.deepEqual([recorded.status, plain.status], [1, 1]);
        const reached = [...plain.stdout.toString().matchAll(/reached (\d+)/g)].map((match) => Number(match[1]));
        assert.equal(reached.length, 2);
        await withTrace(recorded.trace, (db) => {
          assert.equal(db.meta('status'), 'complete');
          const calls = db.invocations('deepest');
          assert.equal(calls.length, reached[0]! + reached[1]!, 'each call of deepest that plain Python made, and no other');
          const last = Number(calls[reached[0]! - 1]?.id);
          assert.deepEqual(db.history(last, 'n'), [reached[0]!]);
          const recurse = marked('deep_recursion', 'recurse');
          assert.ok(db.eventsOf(last).some(([line, kind]) => line === recurse && kind === EventKind.Exception), 'the deepest frame gets the RecursionError on its call');
          assert.equal(db.invocations('leaf').length, 4, 'a leaf call past the limit never starts');
          assert.equal(db.invocations('down').length, 999, 'limit 1000: the module and 999 frames of down');
        });
      });

      it(settrace(python) ? 'stops where a library’s recursion past the limit leaves the recorder no room, and says so'
        : 'records on where a library’s recursion goes past the limit', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'deep_library' }), runPlain(python, { script: 'deep_library' })]);
        assert.deepEqual([recorded.status, recorded.stdout.toString(), recorded.stderr.toString()], [plain.status, 'caught\nafter\n', plain.stderr.toString()]);
        await withTrace(recorded.trace, (db) => {
          const module = Number(db.moduleInvocation().id);
          if (settrace(python)) {
            assert.deepEqual(['status', 'end_reason'].map((key) => db.meta(key)), ['incomplete',
              "the program's recursion came within a few levels of a limit of CPython's, where the recorder cannot run: Python frames past sys.getrecursionlimit() (1000) in code that is not recorded, or C calls nested to CPython's own limit for them: recording stopped there; the program ran on unrecorded and exited with code 0"]);
          } else {
            assert.equal(db.meta('status'), 'complete');
            assert.ok(db.eventsOf(module).some(([line]) => line === marked('deep_library', 'caught')), 'the handler is recorded');
          }
        });
      });
    });
  }
});
