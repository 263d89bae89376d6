// Recorder, the process: a program runs exactly as under plain Python (output, stdin, exit code,
// -m), and the options that shape a recording (--max-events, --include/--exclude) and its file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { missingPythons, pythons, WHERE_PYTHONS_ARE, type Python } from './support/pythons';
import { prepare, record, RECORDER_FIXTURES, runPlain, runRecorder, withTrace, type Program, type RecordOptions } from './support/recorder';
import { freshDir } from './support/recordings';

/** Programs whose recorded run must be byte-identical to the plain one. */
const SAME_AS_PYTHON: { program: Program; input?: string; exit: number }[] = [
  { program: { script: 'output' }, exit: 4 },
  { program: { script: 'uncaught' }, exit: 1 },
  { program: { script: 'exit3' }, exit: 3 },
  { program: { script: 'syntax_error' }, exit: 1 },
  { program: { script: 'unicode_names' }, exit: 0 },
  { program: { script: 'stdin_echo' }, input: 'first line\nsecond, ünïcode\n', exit: 0 },
  { program: { module: 'pkg', args: ['a', 'b c'] }, exit: 0 },
];

/** --include / --exclude on uses_helper.py: which of helper_mod.double and json.dumps are recorded. */
const FILTERS: { options: string[]; double: boolean; dumps: boolean }[] = [
  { options: [], double: true, dumps: false },
  { options: ['--exclude', 'helper*'], double: false, dumps: false },
  { options: ['--include', 'json*'], double: true, dumps: true },
  { options: ['--all-code'], double: true, dumps: true },
];

const MAX_EVENTS: RecordOptions = { options: ['--max-events', '50'] };

function title(program: Program): string {
  return 'script' in program ? `${program.script}.py` : `-m ${program.module} ${(program.args ?? []).join(' ')}`;
}

function work(python: Python): Promise<unknown>[] {
  return [
    ...SAME_AS_PYTHON.flatMap(({ program, input }) => [record(python, program, { input }), runPlain(python, program, input)]),
    ...FILTERS.map(({ options }) => record(python, { script: 'uses_helper' }, { options })),
    record(python, { script: 'many_events' }, MAX_EVENTS),
    runPlain(python, { script: 'many_events' }),
  ];
}

describe('recorder: the program runs as under plain Python', () => {
  before(() => prepare(pythons().flatMap(work)));

  it(`runs on every Python it needs (3.11; 3.12 and 3.14 when CI=true): found ${pythons().map((python) => python.version).join(', ')}`, () => {
    assert.deepEqual(missingPythons(), [], `install the missing versions; the suite looks in ${WHERE_PYTHONS_ARE}`);
  });

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      for (const { program, input, exit } of SAME_AS_PYTHON) {
        it(`runs ${title(program)} with the same stdout, stderr and exit code`, async () => {
          const [recorded, plain] = await Promise.all([record(python, program, { input }), runPlain(python, program, input)]);
          assert.equal(plain.status, exit, `plain Python's exit code; stderr:\n${plain.stderr}`);
          assert.deepEqual([recorded.status, recorded.signal], [plain.status, plain.signal]);
          assert.equal(recorded.stdout.toString('latin1'), plain.stdout.toString('latin1'), 'stdout, byte for byte');
          assert.equal(recorded.stderr.toString('latin1'), plain.stderr.toString('latin1'), 'stderr, byte for byte');
        });
      }

      it('passes stdin through to the program', async () => {
        const { input } = SAME_AS_PYTHON.find(({ program }) => 'script' in program && program.script === 'stdin_echo') ?? {};
        const recorded = await record(python, { script: 'stdin_echo' }, { input });
        assert.equal(recorded.stdout.toString(), '1 FIRST LINE\n2 SECOND, ÜNÏCODE\nread True\n');
        await withTrace(recorded.trace, (db) => assert.equal(db.output(1), recorded.stdout.toString()));
      });

      it('records stdout and stderr as written, in order', async () => {
        const recorded = await record(python, { script: 'output' });
        await withTrace(recorded.trace, (db) => {
          assert.equal(db.output(2), recorded.stderr.toString());
          assert.equal(db.output(1), recorded.stdout.toString().replace('raw bytes\n', ''), 'all of stdout but the bytes written to sys.stdout.buffer');
          const streams = db.rows('SELECT stream FROM output ORDER BY id').map((row) => Number(row.stream));
          assert.deepEqual(streams.filter((stream, i) => stream !== streams[i - 1]), [1, 2, 1, 2, 1], 'the writes interleave as output.py makes them');
        });
      });

      it('ends a sys.exit(3) run as complete with exit code 3', async () => {
        const recorded = await record(python, { script: 'exit3' });
        await withTrace(recorded.trace, (db) => {
          assert.deepEqual(['status', 'exit_code', 'exit_signal', 'end_reason'].map((key) => db.meta(key)),
            ['complete', 3, null, 'the program exited with code 3']);
        });
      });

      it('leaves no trace when the program does not compile', async () => {
        const recorded = await record(python, { script: 'syntax_error' });
        assert.equal(recorded.status, 1);
        assert.match(recorded.stderr.toString(), /^SyntaxError: invalid syntax$/m);
        assert.deepEqual(fs.readdirSync(path.dirname(recorded.trace)), []);
      });

      it('says in one line that a missing program cannot be opened, and exits 2', async () => {
        const dir = freshDir('missing');
        const trace = path.join(dir, 'missing.trace.db');
        const run = await runRecorder(python, ['--trace', trace, '--', 'no_such_program.py']);
        assert.deepEqual([run.status, run.stdout.toString()], [2, '']);
        assert.equal(run.stderr.toString(), "hindsight: can't open file 'no_such_program.py': No such file or directory\n");
        assert.deepEqual(fs.readdirSync(dir), []);
      });

      it('records -m pkg: the package’s __main__ and helper, and the sys.argv Python gave it', async () => {
        const program: Program = { module: 'pkg', args: ['a', 'b c'] };
        const [recorded, plain] = await Promise.all([record(python, program), runPlain(python, program)]);
        const main = path.join(RECORDER_FIXTURES, 'pkg', '__main__.py');
        assert.ok(plain.stdout.toString().includes(`argv0 ${main}\n`), 'Python runs the package’s __main__.py');
        await withTrace(recorded.trace, (db) => {
          assert.equal(db.meta('program'), '-m pkg');
          assert.deepEqual(JSON.parse(String(db.meta('argv'))), [main, 'a', 'b c'], "meta argv is the debuggee's sys.argv");
          const [mainModule] = db.rows("SELECT i.id FROM invocation i JOIN code c ON c.id = i.code JOIN file f ON f.id = c.file WHERE f.path = ? AND c.kind = 'module'", main);
          assert.equal(db.last(Number(mainModule?.id), '__name__'), '__main__');
          const greet = db.rows("SELECT f.path, i.id FROM invocation i JOIN code c ON c.id = i.code JOIN file f ON f.id = c.file WHERE c.qualname = 'greet'");
          assert.deepEqual(greet.map((row) => row.path), [path.join(RECORDER_FIXTURES, 'pkg', 'helper.py')]);
          assert.deepEqual(db.history(Number(greet[0]?.id), '<return>'), ['hello m']);
        });
      });

      it('stops at exactly --max-events events, marks the trace truncated, and lets the program finish', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'many_events' }, MAX_EVENTS), runPlain(python, { script: 'many_events' })]);
        assert.deepEqual([recorded.status, recorded.stdout.toString(), recorded.stderr.toString()], [5, plain.stdout.toString(), plain.stderr.toString()]);
        assert.equal(plain.stdout.toString(), 'total 19900\n');
        await withTrace(recorded.trace, (db) => {
          assert.deepEqual(db.rows('SELECT count(*) AS n, min(seq) AS first, max(seq) AS last FROM event')[0], { n: 50, first: 1, last: 50 });
          for (const [table, column] of [['value_change', 'seq'], ['output', 'seq'], ['exception', 'raised_seq'], ['invocation', 'first_seq'], ['resume', 'seq']]) {
            assert.equal(db.scalar(`SELECT count(*) FROM ${table} WHERE ${column} > 50`), 0, `${table} stops at seq 50 too`);
          }
          assert.deepEqual(['status', 'truncated', 'max_events', 'exit_code'].map((key) => db.meta(key)), ['truncated', 1, 50, 5]);
        });
      });

      for (const { options, double, dumps } of FILTERS) {
        it(`records ${[double && 'helper_mod.double', dumps && 'json.dumps'].filter(Boolean).join(' and ') || 'neither helper_mod.double nor json.dumps'} with [${options.join(' ')}]`, async () => {
          const recorded = await record(python, { script: 'uses_helper' }, { options });
          assert.deepEqual([recorded.status, recorded.stdout.toString()], [0, '42\n{"k": 1}\n']);
          await withTrace(recorded.trace, (db) => {
            const module = db.moduleInvocation().id;
            const recordedCode = (qualname: string, file: string) => db.rows(
              `SELECT i.parent FROM invocation i JOIN code c ON c.id = i.code JOIN file f ON f.id = c.file
               WHERE c.qualname = ? AND f.path LIKE ?`, qualname, `%${file}`).map((row) => row.parent);
            assert.deepEqual(recordedCode('double', '/helper_mod.py'), double ? [module] : []);
            assert.deepEqual(recordedCode('dumps', '/json/__init__.py'), dumps ? [module] : []);
            if (!double) assert.equal(db.scalar("SELECT count(*) FROM file WHERE path LIKE '%helper_mod.py'"), 0, 'an excluded file is not stored');
          });
        });
      }

      it('creates the trace file user-only (0600)', async () => {
        const recorded = await record(python, { script: 'exit3' });
        assert.equal(fs.statSync(recorded.trace).mode & 0o777, 0o600);
      });
    });
  }
});
