// `npm run bench`: runs each workload of bench/workloads plain, under a no-op sys.monitoring floor and
// recorded, per Python; prints a Markdown table and writes bench/out/recording.{md,json}. Exits 1 when
// a recorded run printed other output than the plain run, failed, or left a trace that is not complete.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPythons, describePython, gnuTime, machine, pythonPerMinor } from './lib/environment.mjs';
import { measure } from './lib/measure.mjs';
import { renderMarkdown } from './lib/report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RECORDER = path.join(HERE, '..', 'native', 'hindsight_recorder');
const OUT = path.join(HERE, 'out');
const STARTUP = { name: 'startup (empty program)', file: 'empty.py' };
const WORKLOADS = [
  { name: 'call-heavy', stem: 'call' }, { name: 'tight loop', stem: 'loop' },
  { name: 'deep recursion', stem: 'recursion' }, { name: 'many locals', stem: 'locals' },
  { name: '4 threads', stem: 'threads' }, { name: 'I/O-bound', stem: 'io' },
].flatMap((w) => ['module', 'function'].map((variant) => ({ name: w.name, variant, file: `${w.stem}_${variant}.py` }))).concat(
  // The same sales whatever N: µs/event at each N shows whether recording cost follows the data held.
  [10, 1_000, 100_000].map((items) => ({ name: 'self holds N items', variant: `N=${items.toLocaleString('en-US')}`, file: 'self_items.py', items })),
  { name: 'dataclasses OO', variant: 'methods', file: 'dataclasses_oo.py' },
  // Library code, which the recorder skips unless included: the program's time is in it.
  { name: 'difflib (stdlib)', variant: 'library', file: 'stdlib_difflib.py', include: '*/difflib.py' },
  { name: 'json decoder (stdlib)', variant: 'library', file: 'stdlib_json.py', include: '*/json/*.py' },
  // A str bound each iteration: what a value seen first costs to encode, and how much of that is the
  // scan for secrets (--no-redact turns it off).
  ...['short', 'long'].flatMap((length) => [['same'], ['equal'], ['new'], ['new', '--no-redact']].map(([kind, option]) =>
    ({ name: `${length} strings`, variant: option ? `${kind}, ${option}` : kind, file: 'new_strings.py', args: [length, kind], record: option ? [option] : [] }))),
);
const ROWS = ['plain', 'floor', 'recorder'];
const USAGE = `usage: node bench/run.mjs [--python PATH]... [--runs N] [--quick] [--workload NAME]... [--finish-steps]
  --python PATH    a Python to measure (repeatable); default: the newest CPython >= 3.12 found, and python3
  --runs N         runs per row, the median is reported (default 3; plain and floor take 5 when fast)
  --quick          small workloads, one run each: a smoke test (under a minute)
  --workload NAME  only workloads whose file name starts with NAME, e.g. loop or call_module (repeatable)
  --finish-steps   also replay protocol/finish.sql on each workload's last trace and time its statements`;

const options = parseOptions(process.argv.slice(2));
const timeTool = gnuTime();
if (!timeTool) log('GNU time is not installed (apt-get install time): peak memory comes from polling /proc alone');
const pythons = options.pythons.length ? options.pythons.map(requirePython) : defaultPythons();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-bench-'));
// Bytecode caches in a scratch prefix: some Pythons here ship their stdlib without .pyc files while
// PYTHONDONTWRITEBYTECODE is set, which would charge every run with compiling what it imports.
const ENV = { ...process.env, PYTHONPYCACHEPREFIX: path.join(scratch, 'pycache') };
delete ENV.PYTHONDONTWRITEBYTECODE;
const contention = { others: 0, wall: 0 }; // CPU seconds other processes used during our runs, and those runs' wall time
const report = {
  date: new Date().toISOString(), machine: machine(), gnu_time: Boolean(timeTool), load_average: os.loadavg(),
  size: options.quick ? 'quick' : 'full', runs: options.runs, pythons, cases: [], micro: [], problems: [],
};
try {
  for (const python of pythons) {
    await warmUp(python);
    const cases = [STARTUP, ...WORKLOADS.filter((w) => !options.only.length || options.only.some((o) => w.file.startsWith(o)))];
    for (const workload of cases) report.cases.push(await measureCase(python, workload));
  }
  // Seconds each, so they cover every minor version found (f_locals differs from 3.13 on).
  const microPythons = [...pythons, ...pythonPerMinor().filter((p) => !pythons.some((q) => q.minor === p.minor))];
  for (const python of microPythons.sort((a, b) => b.minor - a.minor)) report.micro.push(microBenchmarks(python));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
report.others_cpu_share = contention.wall ? contention.others / contention.wall : 0;
const markdown = renderMarkdown(report);
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'recording.md'), markdown);
fs.writeFileSync(path.join(OUT, 'recording.json'), `${JSON.stringify(report, null, 1)}\n`);
process.stdout.write(markdown);
for (const problem of report.problems) log(`PROBLEM: ${problem}`);
process.exitCode = report.problems.length ? 1 : 0;

function parseOptions(argv) {
  const parsed = { pythons: [], runs: null, quick: false, only: [], finishSteps: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? usage(`${argv[i - 1]} needs a value`);
    if (argv[i] === '--python') parsed.pythons.push(value());
    else if (argv[i] === '--runs') parsed.runs = Number(value());
    else if (argv[i] === '--quick') parsed.quick = true;
    else if (argv[i] === '--workload') parsed.only.push(value());
    else if (argv[i] === '--finish-steps') parsed.finishSteps = true;
    else if (argv[i] === '--help' || argv[i] === '-h') usage();
    else usage(`unknown option ${argv[i]}`);
  }
  if (parsed.runs !== null && !(Number.isInteger(parsed.runs) && parsed.runs > 0)) usage('--runs needs a positive integer');
  parsed.runs ??= parsed.quick ? 1 : 3;
  return parsed;
}

function usage(error) {
  process.stderr.write(`${error ? `bench: ${error}\n` : ''}${USAGE}\n`);
  process.exit(error ? 2 : 0);
}

function requirePython(command) {
  return describePython(command) ?? usage(`${command} is not a Python that runs`);
}

/** All rows of one workload under one Python: each row's runs and the median run's figures. */
async function measureCase(python, workload) {
  const result = { python: python.version, workload: workload.name, variant: workload.variant ?? null, items: workload.items ?? null, rows: {} };
  let reference = null;
  for (const row of ROWS) {
    if (row === 'floor' && python.minor < 312) {
      result.rows.floor = { skipped: 'sys.monitoring needs Python 3.12+' };
      continue;
    }
    const runs = [];
    let count = options.runs;
    for (let i = 0; i < count; i++) {
      const trace = path.join(scratch, 'bench.trace.db');
      const run = await measure(command(row, python, workload, trace), { cwd: scratch, env: ENV, timeTool, levels: row === 'recorder' ? 2 : 1 });
      contention.others += run.others_cpu_s;
      contention.wall += run.wall_s;
      reference ??= run.stdout;
      const what = `${python.version} ${[workload.file, ...(workload.args ?? []), ...(workload.record ?? [])].join(' ')}${workload.items ? ` N=${workload.items}` : ''} ${row} run ${i + 1}`;
      if (run.code !== 0) report.problems.push(`${what} exited with ${run.code ?? run.signal}: ${run.stderr.trim().slice(-400)}`);
      else if (run.stdout !== reference) report.problems.push(`${what} printed ${JSON.stringify(run.stdout)}, the plain run ${JSON.stringify(reference)}`);
      if (row === 'recorder' && fs.existsSync(trace)) {
        run.trace = traceStats(python, trace, i < count - 1 ? [] : ['--sizes', ...(options.finishSteps ? ['--finish'] : [])]);
        if (run.trace.status !== 'complete') report.problems.push(`${what} left a trace with status ${run.trace.status}: ${run.trace.recorder_error ?? ''}`);
        fs.rmSync(trace, { force: true });
      } else if (row === 'recorder') {
        report.problems.push(`${what} left no trace`);
      }
      delete run.stdout;
      delete run.stderr;
      runs.push(run);
      log(`${what}/${count}: ${run.wall_s.toFixed(2)} s`);
      if (i === 0 && row !== 'recorder' && run.wall_s < 1 && !options.quick) count = Math.max(count, 5); // fast: more runs, same cost
    }
    result.rows[row] = summarize(row, runs);
  }
  return result;
}

/** One untimed run of each row on the empty program, so that bytecode caches exist before timing. */
async function warmUp(python) {
  for (const row of ROWS.filter((r) => r !== 'floor' || python.minor >= 312)) {
    await measure(command(row, python, STARTUP, path.join(scratch, 'warm-up.trace.db')), { cwd: scratch, env: ENV, timeTool: null, levels: 1 });
  }
  fs.rmSync(path.join(scratch, 'warm-up.trace.db'), { force: true });
}

function command(row, python, workload, trace) {
  const program = [path.join(HERE, 'workloads', workload.file), options.quick ? 'quick' : 'full',
    ...(workload.items ? [String(workload.items)] : []), ...(workload.args ?? [])];
  const include = workload.include ? ['--include', workload.include] : [];
  if (row === 'plain') return [python.executable, ...program];
  if (row === 'floor') return [python.executable, path.join(HERE, 'floor.py'), ...include, ...program];
  return [python.executable, RECORDER, 'record', '--trace', trace, ...include, ...(workload.record ?? []), '--', ...program];
}

/**
 * The median run by wall time, with its memory, CPU and (recorder) phases and trace figures, and
 * the median of the run times the workload reported.
 */
function summarize(row, runs) {
  const sorted = [...runs].sort((a, b) => a.wall_s - b.wall_s);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const [first, second] = median.procs;
  const summary = {
    runs: runs.length, walls_s: runs.map((r) => round(r.wall_s)), wall_s: round(median.wall_s),
    run_s: medianOf(runs.map((r) => r.run_s)),
    others_cpu_s: round(median.others_cpu_s),
  };
  if (row !== 'recorder') {
    summary.debuggee_rss_kb = median.tree?.max_rss_kb ?? first?.hwm_kb ?? null;
    summary.cpu_s = median.tree?.cpu_s ?? first?.cpu_s ?? null;
    return summary;
  }
  const lastTrace = runs.at(-1).trace ?? {};
  Object.assign(summary, {
    debuggee_rss_kb: second?.hwm_kb ?? null,
    writer_rss_kb: first?.hwm_kb ?? null,
    tree_rss_kb: median.tree?.max_rss_kb ?? null,
    debuggee_cpu_s: second?.cpu_s ?? null,
    writer_cpu_s: median.tree && second ? round(median.tree.cpu_s - second.cpu_s) : first?.cpu_s ?? null,
    program_s: round(median.end_marker_s),
    debuggee_exit_s: second && median.end_marker_s !== null ? round(second.exit_s - median.end_marker_s) : null,
    writer_tail_s: second ? round(median.wall_s - second.exit_s) : null,
    ...(median.trace ?? {}),
    finish_s: lastTrace.finish_s ?? null,
    finish_steps: lastTrace.finish_steps ?? null,
    sizes: lastTrace.sizes ?? null,
  });
  return summary;
}

function medianOf(values) {
  if (values.some((v) => v === null)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor((sorted.length - 1) / 2)] * 1e6) / 1e6;
}

function traceStats(python, trace, extras) {
  const args = [path.join(HERE, 'trace_stats.py'), trace, ...extras];
  const out = spawnSync(python.executable, args, { encoding: 'utf8', env: ENV });
  if (out.status !== 0) return { status: `unreadable (${out.stderr.trim().split('\n').at(-1)})` };
  return JSON.parse(out.stdout);
}

function microBenchmarks(python) {
  log(`${python.version} micro-benchmarks`);
  const out = spawnSync(python.executable, [path.join(HERE, 'micro.py'), ...(options.quick ? ['--quick'] : [])], { encoding: 'utf8', env: ENV });
  if (out.status !== 0) {
    report.problems.push(`${python.version} micro.py failed: ${out.stderr.trim().slice(-400)}`);
    return { python: python.version };
  }
  return JSON.parse(out.stdout);
}

function round(x) {
  return x === null || x === undefined ? null : Math.round(x * 1000) / 1000;
}

function log(text) {
  process.stderr.write(`[bench] ${text}\n`);
}
