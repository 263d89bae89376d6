// The fault battery: `hindsight record` under kills of the program, the recorder and the CLI at seeded
// random moments, a full disk and a read-only folder (tmpfs mounted here; root, as in CI).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Trace } from '../protocol/reader';
import { frame, rawConnection } from './support/dap';
import { CLI, fixture, freshDir, recording, runCli } from './support/recordings';
import { seeded } from './support/seeded';

const TRIALS = process.env.HINDSIGHT_BATTERY === 'full' ? 50 : 10;
const PROGRAM = fixture('steady_work');

/** A tmpfs of `size` mounted on a fresh folder for the body, unmounted after. */
async function onTmpfs<T>(options: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = freshDir('tmpfs');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(mounted.status, 0, `mount needs root: ${mounted.stderr}`);
  try {
    return await body(dir);
  } finally {
    spawnSync('umount', [dir]);
  }
}

/** The child of pid running Python on `script` (matched in its argv, so only once it really runs: a
 * pyenv shim's helper processes come first and are no target). */
function childRunning(pid: number, script: string): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
    return children.find((child) => fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')[1]?.endsWith(script));
  } catch {
    return undefined;
  }
}

type Target = 'program' | 'recorder' | 'cli';

interface Trial {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
  trace: string;
  /** The program's lines written after the signal was sent. */
  linesAfterKill: number;
}

/** Records steady_work.py and sends `signal` to `target` after `delayMs` (once the target exists). */
function killedRecording(target: Target, signal: NodeJS.Signals, delayMs: number): Promise<Trial> {
  const trace = path.join(freshDir('fault'), 'steady.trace.db');
  const cli = spawn(process.execPath, [CLI, 'record', '--trace', trace, PROGRAM], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  let linesAtKill = Infinity;
  cli.once('exit', () => (exited = true));
  const kill = async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (;;) {
      const recorder = childRunning(cli.pid ?? 0, 'hindsight_recorder');
      const pid = target === 'cli' ? cli.pid : target === 'recorder' ? recorder : recorder && childRunning(recorder, path.basename(PROGRAM));
      if (pid) {
        linesAtKill = stdout.split('\n').length;
        return void process.kill(pid, signal);
      }
      if (exited) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  void kill();
  // 'close' waits for every holder of the pipes: an orphaned program or recorder too.
  return new Promise((resolve) => cli.once('close', (code, ended) => resolve({ signal: ended, code, stdout, stderr, trace, linesAfterKill: Math.max(0, stdout.split('\n').length - linesAtKill) })));
}

function checkTrial(trial: Trial, target: Target, signal: NodeJS.Signals): void {
  const lines = trial.stdout.split('\n').slice(0, -1);
  lines.forEach((line, i) => assert.match(line, i < 100 ? new RegExp(`^step ${i} \\d+$`) : /^done$/, 'whole lines, in order'));
  const finished = lines.at(-1) === 'done';
  if (target === 'program') {
    // A kill after the program's last line may still find it running: then it dies of it too.
    if (finished && trial.code !== null) assert.equal(trial.code, 3, 'the kill came after the program ended');
    // Python's own start-up (its standard streams, site, .pth files: phases named init_*) ends so on
    // Ctrl-C, with or without a recorder after it.
    else if (/^Fatal Python error: init_\w+: /m.test(trial.stderr)) assert.equal(trial.code, 1);
    else assert.equal(trial.signal, signal, 'the CLI dies of the signal the program died of');
    if (signal === 'SIGINT' && !finished) {
      const own = trial.stderr.split('\n').filter((line) => line && !line.startsWith('hindsight: '));
      assert.ok(own.length === 0 || own.at(-1) === 'KeyboardInterrupt', `stderr as plain Python's: ${trial.stderr}`);
    }
  } else if (signal === 'SIGTERM' && !finished) {
    // A SIGTERM to hindsight is passed on, as a wrapper's is: the program ends of it, and so does the CLI.
    assert.equal(trial.signal, 'SIGTERM', `the program and the CLI end of the SIGTERM passed on; stderr: ${trial.stderr}`);
  } else if (target === 'cli' && signal === 'SIGKILL') {
    // Nothing is left running: the launcher sees the CLI gone and stops the program with SIGTERM, so
    // the recorder writes its last events; the trace says why it ended.
    assert.ok(trial.linesAfterKill <= 10, `the program ended with the CLI, not ${trial.linesAfterKill} steps later`);
    if (!finished && lines.length > 0) {
      assert.match(trial.stderr, /^hindsight: the tool that started the recording has ended, so the program was ended too$/m);
      const info = JSON.parse(runCli(['info', '--json', trial.trace]).stdout) as { status: string; endReason: string };
      assert.deepEqual([info.status, info.endReason], ['complete', 'the program was killed by SIGTERM when hindsight, which ran the recorder, had ended']);
    }
  } else if (lines.length > 0) {
    assert.ok(finished, 'the program runs on to its end when the recorder or the CLI is killed');
  }
  if (!fs.existsSync(trial.trace)) {
    if (target !== 'program' || lines.length === 0) return; // killed before the program ran
    assert.match(trial.stderr, /^hindsight: no trace: the program was killed by SIG[A-Z]+ before anything it did was recorded$/m);
    return;
  }
  const info = runCli(['info', '--json', trial.trace]);
  assert.equal(info.status, 0, info.stderr);
  const summary = JSON.parse(info.stdout) as { status: string; endReason: string };
  assert.ok(['complete', 'incomplete'].includes(summary.status), summary.status);
  assert.match(summary.endReason, /^(the program (exited with code 3|was killed by SIG[A-Z]+)|the recorder stopped unexpectedly)/);
}

describe('fault battery: kills at seeded random moments', function () {
  this.timeout(TRIALS * 60_000);
  const cases: [Target, NodeJS.Signals][] = [
    ['program', 'SIGKILL'], ['program', 'SIGTERM'], ['program', 'SIGINT'],
    ['recorder', 'SIGKILL'], ['recorder', 'SIGTERM'], ['recorder', 'SIGINT'],
    ['cli', 'SIGKILL'], ['cli', 'SIGTERM'], ['cli', 'SIGINT'],
  ];
  for (const [target, signal] of cases) {
    it(`${signal} of the ${target}, ${TRIALS} trials: the program's exit is its own, the trace opens or a sentence says why there is none`, async () => {
      const next = seeded(target.length * 31 + signal.length);
      for (let trial = 0; trial < TRIALS; trial++) {
        const delay = Math.floor(next() * 900);
        const result = await killedRecording(target, signal, delay);
        try {
          checkTrial(result, target, signal);
        } catch (error) {
          // A new error: mocha prints the stack, which holds the message as it was when thrown.
          throw new Error(`${(error as Error).message} (trial ${trial}, ${delay} ms; signal ${result.signal}, code ${result.code}; stderr: ${result.stderr})`);
        }
      }
    });
  }
});

describe('fault battery: the tool that started the recording', function () {
  this.timeout(60_000);

  it('a DAP server killed by SIGKILL while it records ends the program it launched', async () => {
    const dir = freshDir('dap-killed');
    const program = path.join(dir, 'waits.py');
    const pidFile = path.join(dir, 'pid');
    fs.writeFileSync(program, `import os, time\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\nwhile True:\n    time.sleep(0.01)\n`);
    const raw = await rawConnection('stdio');
    raw.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'hindsight' } })));
    raw.write(frame(JSON.stringify({ seq: 2, type: 'request', command: 'launch', arguments: { program, python: 'python3', trace: path.join(dir, 'x.trace.db') } })));
    while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8')) await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    process.kill(raw.pid ?? 0, 'SIGKILL');
    await raw.closed;
    const deadline = Date.now() + 10_000;
    while (fs.existsSync(`/proc/${pid}`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const orphaned = fs.existsSync(`/proc/${pid}`);
    if (orphaned) process.kill(pid, 'SIGKILL');
    assert.ok(!orphaned, 'the program does not run on, orphaned');
  });
});

describe('fault battery: the disk', function () {
  this.timeout(120_000);

  it('replaces only a Hindsight trace: an app database is left byte for byte, with exit 2 and one sentence', () => {
    const dir = freshDir('replace');
    const database = path.join(dir, 'db.sqlite3');
    spawnSync('python3', ['-c', 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("CREATE TABLE meta (key, value)"); db.execute("INSERT INTO meta VALUES (\'format\', \'app\')"); db.commit()', database]);
    const before = fs.readFileSync(database);
    const run = runCli(['record', '--trace', database, PROGRAM]);
    assert.deepEqual([run.status, run.stdout, run.stderr], [2, '', `hindsight: won't replace '${database}': it is not a Hindsight trace; choose another trace path\n`]);
    assert.deepEqual(fs.readFileSync(database), before);
    assert.deepEqual(fs.readdirSync(dir), ['db.sqlite3']);
    const old = path.join(dir, 'old.trace.db');
    fs.copyFileSync(recording('loop'), old);
    assert.equal(runCli(['record', '--trace', old, PROGRAM]).status, 3, 'an older trace is replaced');
  });

  it('a full disk stops recording with one sentence; the program runs on and the CLI exits with its code', async () => {
    await onTmpfs('size=2m', async (dir) => {
      fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1200 * 1024));
      const trace = path.join(dir, 'full.trace.db');
      const run = runCli(['record', '--trace', trace, PROGRAM]);
      assert.equal(run.status, 3);
      assert.equal(run.stdout.split('\n').at(-2), 'done');
      const stopped = /^hindsight: the disk is full; recording stopped at event (\d+), the program ran on unrecorded$/m.exec(run.stderr);
      assert.ok(stopped, run.stderr);
      const info = runCli(['info', '--json', trace]);
      assert.equal(info.status, 0, info.stderr);
      const summary = JSON.parse(info.stdout) as { status: string; endReason: string; events: number };
      assert.deepEqual([summary.status, summary.events], ['incomplete', Number(stopped[1])]);
      assert.equal(summary.endReason, `the disk is full: recording stopped at event ${stopped[1]}; the program ran on unrecorded and exited with code 3`);
    });
  });

  it('the sql.js reader finishing a trace on a full disk leaves the file as it was', async () => {
    await onTmpfs('size=2m', async (dir) => {
      const trace = path.join(dir, 'died.trace.db');
      const run = runCli(['record', '--trace', trace, PROGRAM]); // the writer cannot finish: its indexes do not fit
      assert.match(run.stderr, /^hindsight: the disk is full; all 60408 events are recorded, and the trace is finished when first opened with space free$/m);
      const before = fs.readFileSync(trace);
      const files = fs.readdirSync(dir); // node:sqlite's reader (the summary's, on Node 22+) may leave its journal
      await assert.rejects(Trace.open(trace, { backend: 'sqljs' }), /^TraceOpenError: Cannot open trace .*: its recorder stopped unexpectedly and it must be finished first, which needs write access to the file and its folder \(ENOSPC: no space left on device, write\)\.$/);
      assert.deepEqual(fs.readFileSync(trace), before, 'untouched');
      assert.deepEqual(fs.readdirSync(dir), files, 'no temporary file left');
      const copy = path.join(freshDir('finished'), 'died.trace.db');
      fs.copyFileSync(trace, copy);
      const reader = await Trace.open(copy, { backend: 'sqljs' });
      const summary = reader.summary();
      reader.close();
      assert.deepEqual([summary.status, summary.events, summary.endReason], ['incomplete', 60408,
        'the disk is full at the end: all 60408 events were recorded, but its indexes and statistics were made by its first reader; the program exited with code 3']);
    });
  });

  it('a read-only folder: one sentence, exit 2, the program not run', async () => {
    await onTmpfs('size=1m,ro', async (dir) => {
      const trace = path.join(dir, 'ro.trace.db');
      const run = runCli(['record', '--trace', trace, PROGRAM]);
      assert.deepEqual([run.status, run.stdout, run.stderr], [2, '', `hindsight record: cannot write the trace to '${trace}': the file system is read-only\n`]);
    });
  });
});
