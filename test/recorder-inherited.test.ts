// What a recorded program inherits, as under plain Python: the signals its caller ignored (nohup,
// trap '' HUP; Node resets them, bin/hindsight.js notes them first), and fork's thread warning
// (Python 3.12+), which the recorder's flush thread must not trigger.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pythons, pythonsWithMonitoring } from './support/pythons';
import { prepare, record, recorderFixture, runPlain, type Program } from './support/recorder';
import { freshDir, REPO } from './support/recordings';

const HINDSIGHT = path.join(REPO, 'bin', 'hindsight.js');

/**
 * stdout of `sh -c "TRAP exec COMMAND"`: the command starts with the signals TRAP ignores, leading a
 * process group of its own (a signal the program sends its group reaches no test process).
 */
function underShell(trap: string, command: readonly string[]): string {
  const run = spawnSync('sh', ['-c', `${trap} exec setsid "$@"`, 'sh', ...command], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `exit ${run.status} (${run.signal}); stderr:\n${run.stderr}`);
  return run.stdout;
}

/** The recorder handles a default SIGTERM itself (session.py): the one line that differs from plain. */

describe('recorder: the program inherits what plain Python would', () => {
  const python = pythons()[0];
  if (!python) return;
  const program = recorderFixture('ignored_signals');
  const recorded = (trap: string, script = program) => underShell(trap, [HINDSIGHT, 'record', '--python', python.executable,
    '--trace', path.join(freshDir('ignored'), 'ignored.trace.db'), script]);

  it("starts with SIGHUP and SIGINT ignored under trap '' HUP INT, as plain Python does", () => {
    const plain = underShell("trap '' HUP INT;", [python.executable, program]);
    assert.match(plain, /^SIGHUP ignored\nSIGINT ignored\nSIGQUIT default\n/);
    assert.equal(recorded("trap '' HUP INT;"), plain);
  });

  it('starts with no signal ignored but SIGPIPE (as Python sets it) without a trap', () => {
    const plain = underShell('', [python.executable, program]);
    assert.equal(plain, 'SIGHUP default\nSIGINT handled\nSIGQUIT default\nSIGTERM default\nSIGPIPE ignored\n'
      + 'SIGUSR1 default\nnote in environment: False\n');
    assert.equal(recorded(''), plain, 'the recorder’s SIGINT and SIGTERM handlers do not show (signals.py)');
  });

  it("survives a hang-up under trap '' HUP, the hindsight command too (as under nohup)", () => {
    assert.equal(recorded("trap '' HUP;", recorderFixture('hangs_up')), 'survived\n');
  });

  it("ignores SIGTERM too when the caller did (trap '' TERM)", () => {
    assert.match(recorded("trap '' TERM;"), /^SIGTERM ignored$/m);
  });
});

describe('recorder: fork warns of threads only when the program has its own', () => {
  for (const python of pythonsWithMonitoring()) {
    describe(`on Python ${python.version}`, () => {
      const programs: Program[] = [{ script: 'forks' }, { script: 'forks', args: ['thread'] }, { script: 'forks', args: ['thread-in-child'] }];
      before(() => prepare(programs.flatMap((program) => [record(python, program), runPlain(python, program)])));
      for (const program of programs) {
        const mode = program.args?.[0];
        const expected = { thread: 'the warning, once: both forks are on one line', 'thread-in-child': 'the child’s warning' }[mode ?? ''] ?? 'nothing';
        it(`writes stderr exactly as plain Python does: ${expected}${mode ? ` (${mode})` : ''}`, async () => {
          const withoutPid = (stderr: Buffer) => stderr.toString().replace(/\(pid=\d+\)/g, '(pid=N)');
          const [recorded, plain] = await Promise.all([record(python, program), runPlain(python, program)]);
          assert.equal(recorded.status, 0, recorded.stderr.toString());
          assert.equal(recorded.stdout.toString(), 'forked twice\n');
          assert.equal(withoutPid(recorded.stderr), withoutPid(plain.stderr));
          assert.equal((plain.stderr.toString().match(/DeprecationWarning: This process \(pid=\d+\) is multi-threaded/g) ?? []).length,
            mode ? 1 : 0);
        });
      }
    });
  }
});
