// What the server benchmarks (dap.mjs, lsp.mjs) share: options, the rows per trace and backend, report
// files, timing a request, percentiles, a server's peak memory, which Node has node:sqlite, a PRNG.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceOf } from '../dap/traces.mjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');

/**
 * --events N (repeatable; default 1M and 10M), --backend node|sqljs (repeatable; default both),
 * --samples N, --quick (one 100,000-event trace, `quickSamples` samples). `usage(error?)` exits.
 */
export function serverBenchOptions(argv, { samples, quickSamples, usage }) {
  const parsed = { events: [], backends: [], samples };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? usage(`${argv[i - 1]} needs a value`);
    if (argv[i] === '--events') parsed.events.push(Number(value()));
    else if (argv[i] === '--backend') parsed.backends.push(value());
    else if (argv[i] === '--samples') parsed.samples = Number(value());
    else if (argv[i] === '--quick') Object.assign(parsed, { quick: true });
    else if (argv[i] === '--help' || argv[i] === '-h') usage();
    else usage(`unknown option ${argv[i]}`);
  }
  if (parsed.quick) {
    parsed.events = parsed.events.length ? parsed.events : [100_000];
    parsed.samples = quickSamples;
  }
  if (!parsed.events.length) parsed.events = [1_000_000, 10_000_000];
  if (!parsed.backends.length) parsed.backends = ['node', 'sqljs'];
  if (parsed.events.some((n) => !Number.isInteger(n) || n < 10_000)) usage('--events needs an integer >= 10000');
  if (parsed.backends.some((b) => b !== 'node' && b !== 'sqljs')) usage('--backend is node or sqljs');
  if (!Number.isInteger(parsed.samples) || parsed.samples < 1) usage('--samples needs a positive integer');
  return parsed;
}

/**
 * One row per trace size (recorded once by traceOf) and reader backend: `measure` runs on the Node that
 * has the backend; a failure becomes the row's error and a problem. `perTrace(trace)` reads facts once
 * per trace, `traceRow(trace, facts)` adds the columns every row of that trace has.
 */
export async function serverRows(options, python, log, { perTrace = () => undefined, traceRow = () => ({}), measure }) {
  const rows = [];
  const problems = [];
  for (const events of options.events) {
    const trace = traceOf(events, python, log);
    const facts = perTrace(trace);
    for (const backend of options.backends) {
      const node = backend === 'node' ? nodeWithSqlite() : process.execPath;
      if (!node) {
        problems.push(`node:sqlite: no Node >= 22.13 found (${NODES_WITH_SQLITE.join(', ')})`);
        continue;
      }
      log(`${events.toLocaleString('en')} events, ${backend} (${nodeVersion(node)})`);
      const row = { events, backend, node: nodeVersion(node), trace_bytes: fs.statSync(trace).size, ...traceRow(trace, facts) };
      try {
        Object.assign(row, await measure({ node, backend, trace, events, facts }));
      } catch (error) {
        row.error = error.message.split('\n')[0];
        problems.push(`${events} events, ${backend}: ${row.error}`);
      }
      rows.push(row);
    }
  }
  return { rows, problems };
}

/** Writes bench/out/NAME.md and NAME.json and prints the Markdown. */
export function writeReport(name, report, markdown) {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `${name}.md`), markdown);
  fs.writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(report, null, 1)}\n`);
  process.stdout.write(markdown);
}

export const NODES_WITH_SQLITE = [process.execPath, '/opt/nodes/24/bin/node', '/opt/nodes/22/bin/node'];

/** Milliseconds `work` took until it resolved. */
export async function timed(work) {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function round(x) {
  return Math.round(x * 1000) / 1000;
}

/** n, p50, p99 and max of a list of milliseconds (null when empty). */
export function summary(ms) {
  if (!ms.length) return null;
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: ms.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1)) };
}

/** A server's peak resident set (kB), while it is alive. */
export function peakRss(pid) {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) || null;
  } catch {
    return null;
  }
}

export function nodeWithSqlite() {
  return NODES_WITH_SQLITE.find((node) => fs.existsSync(node)
    && spawnSync(node, ['-e', 'require("node:sqlite")'], { stdio: 'ignore' }).status === 0) ?? null;
}

export function nodeVersion(node) {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** A deterministic PRNG (mulberry32): the same positions in every run. */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 1-based line of `# mark: NAME` in a file. */
export function markedLine(file, name) {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes(`# mark: ${name}`));
  if (index < 0) throw new Error(`${file} has no '# mark: ${name}' line`);
  return index + 1;
}
