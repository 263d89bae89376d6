// CPython's own test modules (`-m unittest -v test.test_X`) run plain and under `hindsight record`:
// the interpreters that have CPython's `test` package, the two runs, and unittest's report as data.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Python } from './pythons';
import { CLI, freshDir, runCli } from './recordings';

export type Tracer = 'settrace' | 'monitoring';

/** An interpreter with CPython's test package, and the mechanism the battery records it with. */
export interface BatteryPython extends Python {
  readonly tracer: Tracer;
}

/** How one test ended, as unittest's verbose report words it (a skip's reason left out). */
export type Outcome = 'ok' | 'FAIL' | 'ERROR' | 'skipped' | 'expected failure' | 'unexpected success';

/** What unittest reported for a module: each test id's outcome and each failure's traceback. */
export interface Report {
  readonly outcomes: Map<string, Outcome>;
  readonly tracebacks: Map<string, string>;
}

export interface ModuleRun extends Report {
  readonly status: number | null;
  readonly seconds: number;
  /** unittest's stream (stderr), for what the report does not cover (a crash, a hang). */
  readonly stderr: string;
}

/** 3.9–3.14, the first install of each that has the test package: pyenv's, then /opt/pythons (Debian's,
 * with libpython3.X-testsuite unpacked by .ci/run). Before 3.12 only settrace exists. */
export function batteryPythons(): BatteryPython[] {
  const found: BatteryPython[] = [];
  for (const version of ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']) {
    const executable = candidates(version).map((candidate) => withTestPackage(candidate, version)).find(Boolean);
    if (executable) found.push({ version, executable, tracer: ['3.9', '3.10', '3.11'].includes(version) ? 'settrace' : 'monitoring' });
  }
  return found;
}

/** `python -m unittest -v test.MODULE`, in a fresh directory so `test` is the standard library's. */
export function runPlain(python: BatteryPython, module: string): ModuleRun {
  return timed(python.executable, ['-m', 'unittest', '-v', `test.${module}`], {});
}

/** The same under `hindsight record`, the test module's own file included; also returns the trace. */
export function runRecorded(python: BatteryPython, module: string): ModuleRun & { trace: string } {
  const trace = path.join(freshDir(`${module}-${python.version}`), `${module}.trace.db`);
  const args = [CLI, 'record', '--python', python.executable, '--trace', trace, '--include', moduleFile(python, module),
    '--', '-m', 'unittest', '-v', `test.${module}`];
  return { ...timed(process.execPath, args, { HINDSIGHT_TRACER: python.tracer }), trace };
}

/** `hindsight info --json TRACE`'s status (complete, truncated, incomplete), or its error line. */
export function traceStatus(trace: string): string {
  const info = runCli(['info', '--json', trace]);
  return info.status === 0 ? (JSON.parse(info.stdout) as { status: string }).status : info.stderr.trim();
}

/** Reads unittest's verbose stream: `name (id) ... outcome` lines (a docstring's first line may come
 * between, the test's own output before the outcome), subtest lines, and the FAIL:/ERROR: blocks. */
export function parseReport(stream: string): Report {
  const outcomes = new Map<string, Outcome>();
  const tracebacks = new Map<string, string>();
  const lines = stream.split('\n');
  lines.forEach((line, index) => {
    const start = TEST_LINE.exec(line);
    if (!start?.[2] || !start[3]) return;
    const id = testId(start[2], start[3]);
    const [ellipsis] = [index, index + 1].filter((at) => lines[at]?.includes(' ... '));
    if (ellipsis === undefined) return;
    const text = lines[ellipsis] ?? '';
    const outcome = outcomeOf(text.slice(text.indexOf(' ... ') + 5)) ?? laterOutcome(lines, ellipsis + 1);
    if (outcome) record(outcomes, id, start[1] ? failureOnly(outcome) : outcome);
  });
  for (const block of stream.split(`\n${SEPARATOR1}\n`).slice(1)) {
    const head = FAILURE_HEAD.exec(block);
    if (!head?.[2] || !head[3]) continue;
    const id = testId(head[2], head[3]);
    record(outcomes, id, head[1] as Outcome);
    const body = block.slice(block.indexOf(`${SEPARATOR2}\n`) + SEPARATOR2.length + 1).split(`\n${SEPARATOR2}\nRan `)[0] ?? '';
    tracebacks.set(id, [tracebacks.get(id), body.trimEnd()].filter(Boolean).join('\n'));
  }
  return { outcomes, tracebacks };
}

/** The tests whose outcomes differ, each with the recorded run's traceback (its last lines). */
export function describeDifferences(plain: Report, recorded: ModuleRun): string {
  const ids = [...new Set([...plain.outcomes.keys(), ...recorded.outcomes.keys()])].sort();
  const differing = ids.filter((id) => plain.outcomes.get(id) !== recorded.outcomes.get(id));
  const lines = differing.map((id) => {
    const traceback = recorded.tracebacks.get(id)?.split('\n').slice(-8).map((line) => `      ${line}`).join('\n');
    return `  ${id}: plain ${plain.outcomes.get(id) ?? 'not run'}, recorded ${recorded.outcomes.get(id) ?? 'not run'}${traceback ? `\n${traceback}` : ''}`;
  });
  if (differing.length === 0 || recorded.outcomes.size === 0) {
    lines.push(`  the recorded run's stream ends:\n${recorded.stderr.trimEnd().split('\n').slice(-12).map((line) => `      ${line}`).join('\n')}`);
  }
  return `${differing.length} of ${ids.length} tests differ:\n${lines.join('\n')}`;
}

const SEPARATOR1 = '='.repeat(70);
const SEPARATOR2 = '-'.repeat(70);
/** `name (id)` at the start of a test's line; two spaces before it for a subtest. */
const TEST_LINE = /^( {2})?(\S+) \(([^()\s]+)\)/;
const FAILURE_HEAD = /^(FAIL|ERROR): (\S+) \(([^()\s]+)\)/;
const OUTCOME = /^(ok|FAIL|ERROR|skipped|expected failure|unexpected success)(?: '.*')?$/;
const RANK: Outcome[] = ['ok', 'skipped', 'expected failure', 'unexpected success', 'FAIL', 'ERROR'];

/** 3.11+ print `name (module.Class.name)`, 3.9–3.10 `name (module.Class)`: one id for both. */
function testId(name: string, parenthesised: string): string {
  return parenthesised.endsWith(`.${name}`) ? parenthesised : `${parenthesised}.${name}`;
}

function outcomeOf(text: string): Outcome | undefined {
  return OUTCOME.exec(text.trim())?.[1] as Outcome | undefined;
}

/** The outcome written after the test's own output, before the next test starts. */
function laterOutcome(lines: string[], from: number): Outcome | undefined {
  for (const line of lines.slice(from)) {
    if (TEST_LINE.test(line)) return undefined;
    const outcome = outcomeOf(line);
    if (outcome) return outcome;
  }
  return undefined;
}

/** A subtest's line counts against its test only when it failed. */
function failureOnly(outcome: Outcome): Outcome | undefined {
  return outcome === 'FAIL' || outcome === 'ERROR' ? outcome : undefined;
}

/** Keeps a test's worst outcome: a failed subtest or a FAIL: block outranks the test's own line. */
function record(outcomes: Map<string, Outcome>, id: string, outcome: Outcome | undefined): void {
  const known = outcomes.get(id);
  if (outcome && (!known || RANK.indexOf(outcome) > RANK.indexOf(known))) outcomes.set(id, outcome);
}

function timed(executable: string, args: string[], env: NodeJS.ProcessEnv): ModuleRun {
  const started = process.hrtime.bigint();
  const run = spawnSync(executable, args, {
    cwd: freshDir('battery'),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input: '',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...parseReport(run.stderr), status: run.status, seconds, stderr: run.stderr };
}

function moduleFile(python: BatteryPython, module: string): string {
  const probe = spawnSync(python.executable, ['-c', `import test.${module} as m; print(m.__file__)`], { encoding: 'utf8', cwd: os.tmpdir() });
  if (probe.status !== 0) throw new Error(`${python.executable} cannot import test.${module}:\n${probe.stderr}`);
  return probe.stdout.trim();
}

/** The interpreter itself (its sys.executable, not /opt/pythons' wrapper) when it is VERSION with the test package. */
function withTestPackage(candidate: string, version: string): string | undefined {
  const probe = spawnSync(candidate, ['-c', 'import sys, test.test_bisect; print("%d.%d" % sys.version_info[:2]); print(sys.executable)'], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    timeout: 20_000,
  });
  const [reported, executable] = (probe.stdout ?? '').trim().split('\n');
  return probe.status === 0 && reported === version ? executable : undefined;
}

function candidates(version: string): string[] {
  const pyenv = path.join(os.homedir(), '.pyenv', 'versions');
  const installs = fs.existsSync(pyenv)
    ? fs.readdirSync(pyenv).filter((name) => name.startsWith(`${version}.`)).sort().reverse()
    : [];
  return [...installs.map((name) => path.join(pyenv, name, 'bin', 'python3')), path.join('/opt/pythons/bin', `python${version}`)];
}
