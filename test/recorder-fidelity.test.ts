// Recorder, fidelity: programs that probe the process around them (signal handlers, object
// lifetimes, patched builtins, hooks that print when something calls them, streams, threads) print
// the same, byte for byte, recorded as plain, and the recording of each is complete.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pythons } from './support/pythons';
import { prepare, record, runPlain, type Program } from './support/recorder';
import { freshDir } from './support/recordings';
import { TraceDb } from './support/traceDb';

/** Each fixture's header says what it probes; `file`: it also writes a file (its last argument). */
const PROBES: { script: string; about: string; file?: boolean }[] = [
  { script: 'fidelity_lifetimes', about: 'keeps no object alive: exceptions, locals, module globals at exit, an unclosed file', file: true },
  { script: 'fidelity_patched', about: 'uses none of the builtins or library functions the program replaced' },
  { script: 'fidelity_spoofs', about: 'runs no hook of the program: metaclass, namespace, Thread.name, a class posing as Fraction' },
  { script: 'fidelity_signals', about: 'leaves the program its signals: getsignal, a SIGALRM timeout, SIGTERM and asyncio.run Ctrl-C' },
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
          const db = await TraceDb.open(recorded.trace);
          try {
            assert.deepEqual(['status', 'recorder_error'].map((key) => db.meta(key)), ['complete', undefined]);
            assert.ok(Number(db.scalar('SELECT count(*) FROM event')) > 20, 'the program is recorded');
          } finally {
            db.close();
          }
        });
      }
    });
  }
});
