// Test fixtures as data: records test/fixtures/*.py with the real CLI and recorder (once per test
// run), finds marked lines (`# mark: NAME`), and runs a suite once per available reader backend.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { availableBackends, Trace, type BackendName } from '../../protocol/reader';

export const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');

let scratch: string | undefined;

/** A directory for this test run's files, removed when the process exits. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-test-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

/** A fresh empty directory under the scratch directory. */
export function freshDir(name: string): string {
  return fs.mkdtempSync(path.join(scratchDir(), `${name}-`));
}

export function fixture(name: string): string {
  return path.join(FIXTURES, `${name}.py`);
}

/** Runs `node dist/cli.js ARGS` and returns its exit status, signal and output. */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const recorded = new Map<string, string>();

/** The trace of test/fixtures/NAME.py recorded by `hindsight record`, made once per test run. */
export function recording(name: string): string {
  let trace = recorded.get(name);
  if (!trace) {
    trace = path.join(scratchDir(), `${name}.trace.db`);
    const run = runCli(['record', '--trace', trace, fixture(name)]);
    if (!fs.existsSync(trace)) throw new Error(`recording ${name}.py failed (status ${run.status}):\n${run.stderr}`);
    recorded.set(name, trace);
  }
  return trace;
}

/** A copy of a fixture's recording, for tests that change the file. */
export function copyOfRecording(name: string, copyName: string): string {
  const copy = path.join(freshDir(copyName), `${copyName}.trace.db`);
  fs.copyFileSync(recording(name), copy);
  return copy;
}

/** The 1-based line of test/fixtures/NAME.py that carries `# mark: MARK`. */
export function markedLine(name: string, mark: string): number {
  const lines = fs.readFileSync(fixture(name), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.trimEnd().endsWith(`# mark: ${mark}`));
  if (index < 0) throw new Error(`${name}.py has no line marked '${mark}'`);
  return index + 1;
}

/** Defines the suite once per backend this Node has (sql.js everywhere, node:sqlite on Node >= 22.13). */
export function forEachBackend(title: string, suite: (open: (trace: string) => Promise<Trace>, backend: BackendName) => void): void {
  for (const backend of availableBackends()) {
    describe(`${title} [${backend}]`, () => suite((trace) => Trace.open(trace, { backend }), backend));
  }
}
