// The `hindsight` command, run as users run it (node dist/cli.js): record with real Python programs,
// exit codes and signals passed through, the .hindsight/ folder, reading commands and every error line.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventKind, SCHEMA_VERSION } from '../protocol/schema';
import { Trace } from '../protocol/reader';
import { render } from '../protocol/values';
import packageJson from '../package.json';
import { editDatabase } from './support/sqlite';
import { copyOfRecording, fixture, freshDir, recording, runCli } from './support/recordings';

const TRACE_NAME = /^(\w+)-\d{8}-\d{6}(-\d+)?\.trace\.db$/;

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

describe('hindsight (CLI)', () => {
  it('prints its version and help', () => {
    const version = runCli(['--version']);
    assert.deepEqual([version.status, version.stdout], [0, `hindsight ${packageJson.version} (trace schema ${SCHEMA_VERSION})\n`]);
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: hindsight COMMAND/);
    assert.match(runCli(['record', '--help']).stdout, /^usage: hindsight record/);
    assert.match(runCli(['help', 'query']).stdout, /^usage: hindsight query/);
  });

  it('refuses bad command lines with one line and exit code 2', () => {
    const cases: [string[], string][] = [
      [['frob'], "hindsight: unknown command 'frob' (see 'hindsight --help')"],
      [['record'], 'hindsight record: nothing to record: give prog.py or -m module'],
      [['record', '-m'], 'hindsight record: nothing to record: give prog.py or -m module'],
      [['record', '--frob', 'x.py'], "hindsight record: unknown option '--frob' (see 'hindsight record --help')"],
      [['record', '--keep', 'many', 'x.py'], "hindsight record: --keep must be a whole number of at least 1, not 'many'"],
      [['record', '--trace', '/no/such/dir/x.trace.db', fixture('loop')],
        "hindsight record: cannot write the trace to '/no/such/dir/x.trace.db': no such folder"],
      [['record', '--python', '/no/such/python3', fixture('loop')], "hindsight: Python not found: '/no/such/python3' (use --python or HINDSIGHT_PYTHON)"],
      [['query', recording('loop')], 'hindsight query: say what to query: events, stack, history, calls, exceptions, output'],
      [['query', recording('loop'), 'stack'], 'hindsight query stack: --at SEQ is required'],
      [['query', recording('loop'), 'frames'], "hindsight query: unknown query 'frames' (one of events, stack, history, calls, exceptions, output)"],
      [['clean', '--all', '--keep', '3'], 'hindsight clean: give --keep N or --all, not both'],
    ];
    for (const [args, message] of cases) {
      const run = runCli(args, { cwd: freshDir('usage') });
      assert.deepEqual([run.status, run.stderr], [2, `${message}\n`], args.join(' '));
    }
    const badBackend = runCli(['info', recording('loop')], { env: { ...process.env, HINDSIGHT_SQLITE: 'mysql' } });
    assert.deepEqual([badBackend.status, badBackend.stderr], [2, "hindsight: HINDSIGHT_SQLITE must be 'node' or 'sqljs', not 'mysql'\n"]);
  });

  it('says why .hindsight/ or the trace cannot be made: a read-only file system, a file in the way', () => {
    // Mounting needs root, as CI and the dev container are (a 0555 folder does not stop root).
    const readOnly = freshDir('read-only');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', readOnly], { encoding: 'utf8' });
    assert.equal(mounted.status, 0, mounted.stderr);
    try {
      const record = runCli(['record', fixture('loop')], { cwd: readOnly });
      assert.deepEqual([record.status, record.stderr],
        [2, 'hindsight record: cannot create .hindsight: the file system is read-only; record elsewhere with --trace PATH\n']);
      const chosen = path.join(readOnly, 'x.trace.db');
      const traced = runCli(['record', '--trace', chosen, fixture('loop')]);
      assert.deepEqual([traced.status, traced.stderr], [2, `hindsight record: cannot write the trace to '${chosen}': the file system is read-only\n`]);
    } finally {
      assert.equal(spawnSync('umount', [readOnly]).status, 0);
    }
    const blocked = freshDir('hindsight-file');
    fs.writeFileSync(path.join(blocked, '.hindsight'), '');
    const record = runCli(['record', fixture('loop')], { cwd: blocked });
    assert.deepEqual([record.status, record.stderr],
      [2, 'hindsight record: cannot create .hindsight: a part of the path is not a folder; record elsewhere with --trace PATH\n']);
  });

  it('leaves the message to the recorder when the program cannot start', () => {
    const cwd = freshDir('missing');
    const run = runCli(['record', 'nope.py'], { cwd });
    assert.deepEqual([run.status, run.stderr], [2, "hindsight: can't open file 'nope.py': No such file or directory\n"]);
    assert.deepEqual(fs.readdirSync(path.join(cwd, '.hindsight')), []);
    const old = copyOfRecording('loop', 'old-trace');
    const again = runCli(['record', '--trace', old, 'nope.py'], { cwd });
    assert.deepEqual([again.status, again.stderr], [2, "hindsight: can't open file 'nope.py': No such file or directory\n"], 'no summary of the old trace');
  });

  it('never writes a trace over a file that is not one', () => {
    const notes = path.join(freshDir('overwrite'), 'notes.txt');
    fs.writeFileSync(notes, 'keep me');
    const run = runCli(['record', '--trace', notes, fixture('loop')]);
    assert.deepEqual([run.status, run.stderr], [2, `hindsight: won't replace '${notes}': it is not a Hindsight trace; choose another trace path\n`]);
    assert.equal(fs.readFileSync(notes, 'utf8'), 'keep me');
  });

  it('refuses files that are not traces with exit code 1', async () => {
    const text = path.join(freshDir('not-trace'), 'notes.txt');
    fs.writeFileSync(text, 'hello');
    const notTrace = runCli(['info', text]);
    assert.deepEqual([notTrace.status, notTrace.stderr],
      [1, `hindsight: Cannot open trace ${text}: it is not an SQLite file; expected a Hindsight trace (an SQLite file).\n`]);
    const newer = copyOfRecording('loop', 'cli-newer');
    await editDatabase(newer, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const refused = runCli(['query', newer, 'exceptions']);
    assert.deepEqual([refused.status, refused.stderr], [1, `hindsight: Cannot open trace ${newer}: it has trace schema version ${SCHEMA_VERSION + 1}, `
      + `but this Hindsight reads version ${SCHEMA_VERSION}; upgrade Hindsight to read it.\n`]);
    const none = runCli(['info'], { cwd: freshDir('no-traces') });
    assert.deepEqual([none.status, none.stderr], [1, "hindsight: no traces in .hindsight (record one with 'hindsight record prog.py')\n"]);
  });

  it('says in one line, exit code 1, that a trace is damaged: a table missing, rows of the wrong type', async () => {
    const noTable = copyOfRecording('loop', 'cli-no-table');
    await editDatabase(noTable, 'DROP TABLE value_change');
    const missing = `hindsight: Cannot open trace ${noTable}: it is a damaged Hindsight trace (table 'value_change' is missing); record the program again.\n`;
    for (const args of [['info', noTable], ['query', noTable, 'stack', '--at', '3']]) {
      const run = runCli(args);
      assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', missing], args.join(' '));
    }
    const garbage = copyOfRecording('loop', 'cli-garbage');
    await editDatabase(garbage, "UPDATE code SET qualname = X'00ff'; UPDATE event SET line = 'x' WHERE seq = 3");
    const events = runCli(['query', garbage, 'events', '--at', '3']);
    assert.deepEqual([events.status, events.stdout, events.stderr], [1, '', `hindsight: Cannot read trace ${garbage}: `
      + 'the trace holds string "x" where schema.sql has an integer; the trace is damaged (record the program again).\n']);
    const stack = runCli(['query', garbage, 'stack', '--at', '2']);
    assert.deepEqual([stack.status, stack.stderr], [1, `hindsight: Cannot read trace ${garbage}: `
      + 'the trace holds a BLOB where schema.sql has text; the trace is damaged (record the program again).\n']);
    const file = runCli(['list', garbage]);
    assert.deepEqual([file.status, file.stderr],
      [2, `hindsight list: '${garbage}' is not a folder; give the folder of the traces (see 'hindsight info TRACE' for one trace)\n`]);
  });

  it('passes the terminal through and exits as the program did', () => {
    const echo = runCli(['record', '--trace', path.join(freshDir('echo'), 'echo.trace.db'), fixture('echo_stdin')], { input: 'hello\nworld\n' });
    assert.equal(echo.status, 0);
    assert.equal(echo.stdout, 'HELLO\nWORLD\n');
    assert.equal(lines(echo.stderr)[0], 'done');
    const args = runCli(['record', '--trace', path.join(freshDir('argv'), 'argv.trace.db'), '--', fixture('argv'), '--help', '-m', 'x']);
    assert.deepEqual([args.status, args.stdout], [0, "['--help', '-m', 'x']\n"]);
    const exit = runCli(['record', '--trace', path.join(freshDir('exit'), 'exit.trace.db'), fixture('exit_code')]);
    assert.deepEqual([exit.status, exit.stdout], [3, 'exiting\n']);
    const uncaught = runCli(['record', '--trace', path.join(freshDir('uncaught'), 'x.trace.db'), fixture('exceptions')]);
    assert.equal(uncaught.status, 1);
    assert.match(uncaught.stderr, /KeyError: 'missing'\n/);
    assert.match(uncaught.stderr, /^hindsight: recorded \d+ events, 5 invocations, 2 exceptions \(1 uncaught\), 1 thread in .+$/m);
  });

  it('passes recorder options through', async () => {
    const dir = freshDir('options');
    const valuesOf = async (trace: string) => {
      const reader = await Trace.open(trace);
      const module = reader.invocationsOf(reader.codesNamed('<module>')[0]?.id ?? 0)[0]?.id ?? 0;
      const values = Object.fromEntries(reader.globalsAt(reader.lastSeq(), module).map((v) => [v.name, render(v.value)]));
      reader.close();
      return values;
    };
    const redacted = path.join(dir, 'redacted.trace.db');
    assert.equal(runCli(['record', '--trace', redacted, '--redact', '*ratio*', fixture('values')]).status, 0);
    assert.deepEqual(Object.entries(await valuesOf(redacted)).filter(([, v]) => v === '<redacted>').map(([name]) => name), ['ratio', 'password']);
    const open = path.join(dir, 'open.trace.db');
    assert.equal(runCli(['record', '--trace', open, '--no-redact', fixture('values')]).status, 0);
    assert.equal((await valuesOf(open)).password, "'hunter2'");
    const truncated = runCli(['record', '--trace', path.join(dir, 'truncated.trace.db'), '--max-events', '10', fixture('loop')]);
    assert.equal(truncated.status, 0);
    assert.match(truncated.stderr, /^hindsight: recorded 10 events, .+\nhindsight: trace truncated: recording stopped at --max-events 10; .+$/m);
  });

  it('dies of the signal that killed the program, after the summary', () => {
    const trace = path.join(freshDir('signal'), 'signal.trace.db');
    const run = runCli(['record', '--trace', trace, fixture('killed_by_signal')]);
    assert.deepEqual([run.status, run.signal, run.stdout], [null, 'SIGTERM', 'about to die\n']);
    assert.match(run.stderr, /^hindsight: recorded \d+ events/m);
    assert.match(run.stderr, new RegExp(`^hindsight: trace ${trace} \\(.+ KB, [\\d,]+ bytes/event\\)$`, 'm'));
  });

  it('records into .hindsight/, user-only, keeping the newest N', () => {
    const cwd = freshDir('default-dir');
    fs.copyFileSync(fixture('loop'), path.join(cwd, 'loop.py'));
    const env = { ...process.env, HINDSIGHT_KEEP: '2' };
    for (let i = 0; i < 3; i++) {
      const run = runCli(['record', 'loop.py'], { cwd, env });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /^hindsight: trace \.hindsight\/loop-\d{8}-\d{6}(-\d+)?\.trace\.db \(.+\)$/m);
    }
    const dir = path.join(cwd, '.hindsight');
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const traces = fs.readdirSync(dir);
    assert.equal(traces.length, 2);
    for (const trace of traces) {
      assert.match(trace, TRACE_NAME);
      assert.equal(fs.statSync(path.join(dir, trace)).mode & 0o777, 0o600);
    }
    const listed = JSON.parse(runCli(['list', '--json'], { cwd }).stdout) as { path: string; status: string; events: number }[];
    assert.deepEqual(listed.map((t) => path.basename(t.path)).sort(), [...traces].sort());
    assert.ok(listed.every((t) => t.status === 'complete' && t.events > 0));
    assert.equal(lines(runCli(['list'], { cwd }).stdout).length, 3, 'a header and two traces');
    const cleaned = runCli(['clean', '--keep', '1'], { cwd });
    assert.match(cleaned.stdout, /^removed 1 trace \(.+\) from \.hindsight\n$/);
    assert.equal(runCli(['clean', '--all'], { cwd }).stdout.startsWith('removed 1 trace'), true);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('records a module run with -m', () => {
    const cwd = freshDir('module');
    fs.copyFileSync(fixture('argv'), path.join(cwd, 'tool.py'));
    const run = runCli(['record', '-m', 'tool', 'a', 'b'], { cwd });
    assert.deepEqual([run.status, run.stdout], [0, "['a', 'b']\n"]);
    const [trace] = fs.readdirSync(path.join(cwd, '.hindsight'));
    assert.match(trace ?? '', /^tool-\d{8}-\d{6}\.trace\.db$/);
    const info = JSON.parse(runCli(['info', '--last', '--json'], { cwd }).stdout) as { program: string; argv: string[] };
    assert.equal(info.program, '-m tool');
  });

  it('answers queries as text and as JSON, agreeing with the reader', async () => {
    const trace = recording('recursion');
    const reader = await Trace.open(trace);
    const info = JSON.parse(runCli(['info', trace, '--json']).stdout) as { status: string; events: number; meta: Record<string, unknown> };
    assert.deepEqual([info.status, info.events, info.meta.format], ['complete', reader.lastSeq(), 'hindsight-trace']);
    const at = reader.lastSeq() - 3;
    const stack = JSON.parse(runCli(['query', trace, 'stack', '--at', String(at), '--json']).stdout) as { invocation: number; line: number }[];
    assert.deepEqual(stack.map((frame) => [frame.invocation, frame.line]), reader.stackAt(at).map((frame) => [frame.invocation, frame.line]));
    const countdown = reader.codesNamed('countdown')[0];
    const calls = runCli(['query', trace, 'calls', 'countdown']);
    assert.equal(calls.status, 0);
    assert.deepEqual(lines(calls.stdout).slice(1).map((line) => line.replace(/\s+\S+ [µm]?s$/, '').replace(/\s+/g, ' ')),
      reader.invocationsOf(countdown?.id ?? 0).map((invocation, i) => `seq ${invocation.firstSeq} #${invocation.id} countdown(n=${4 - i}) → 'done'`));
    const events = runCli(['query', trace, 'events', '--at', '3', '--around', '1']);
    assert.deepEqual(lines(events.stdout).slice(1).map((line) => [line[0], ...line.slice(1).trim().split(/\s+/).slice(0, 2)]),
      reader.events(2, 4).map((event) => [event.seq === 3 ? '>' : ' ', String(event.seq), EventKind[event.kind].toLowerCase()]));
    reader.close();
    const history = runCli(['query', recording('loop'), 'history', 'total']);
    assert.deepEqual(lines(history.stdout).slice(2).map((line) => line.split(/\s+/).at(-1)), ['0', '1', '3', '6', '10']);
    assert.equal(runCli(['query', recording('loop'), 'output']).stdout, '10 [0, 1, 4, 9, 16]\n');
    const missing = runCli(['query', trace, 'calls', 'nothing']);
    assert.deepEqual([missing.status, missing.stderr], [1, "hindsight: no function 'nothing' in this trace\n"]);
  });
});
