// The replay benchmark: `hindsight dap` over stdio, driven by a DebugClient on recorded traces of 1M and
// 10M events, both reader backends; times open, steps, goto, reverse-continue, stack + variables as a
// client sees them, and the server's peak RSS. Writes bench/out/dap.{md,json}; `--help` for options.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPythons, machine } from './lib/environment.mjs';
import { PROGRAM, recordSeconds } from './dap/traces.mjs';
import { markedLine, NODES_WITH_SQLITE, peakRss, round, seeded, serverBenchOptions, serverRows, summary, timed, writeReport } from './lib/timing.mjs';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, '..', 'dist', 'cli.js');
const STEPS = ['next', 'stepBack', 'stepOut'];
const USAGE = `usage: node bench/dap.mjs [--events N]... [--backend node|sqljs]... [--samples N] [--quick]
  --events N       trace sizes in events (repeatable); default 1000000 and 10000000
  --backend NAME   reader backends (repeatable); default both (node:sqlite runs on a Node >= 22.13 found
                   among ${NODES_WITH_SQLITE.slice(1).join(', ')}; sql.js on this Node)
  --samples N      positions sampled per trace and backend (default 300)
  --quick          one 100,000-event trace, 30 samples: a smoke test (one checkpoint: no reverseContinue)`;

/** Runs the benchmark with command-line arguments; resolves with the process exit code. */
export async function runDapBench(argv) {
  const options = serverBenchOptions(argv, { samples: 300, quickSamples: 30, usage });
  const python = defaultPythons()[0];
  if (!python || python.minor < 312) throw new Error('the DAP benchmark records with a CPython >= 3.12 (sys.monitoring); none found');
  const { rows, problems } = await serverRows(options, python, log, {
    perTrace: (trace) => traceFacts(python, trace),
    traceRow: (trace, facts) => ({ events: facts.events, record_s: recordSeconds(trace) }),
    measure: ({ node, backend, trace, facts }) => measureReplay(node, backend, trace, facts, options.samples),
  });
  const report = { date: new Date().toISOString(), machine: machine(), load_average: os.loadavg(), python: python.version, samples: options.samples, rows, problems };
  writeReport('dap', report, renderMarkdown(report));
  return report.problems.length ? 1 : 0;
}


function usage(error) {
  process.stderr.write(`${error ? `bench dap: ${error}\n` : ''}${USAGE}\n`);
  process.exit(error ? 2 : 0);
}

/**
 * What the bench needs to know of a trace before replaying it, read with Python's sqlite3 (outside
 * the server under test): its last seq and the seqs of the checkpoint line's executions.
 */
function traceFacts(python, trace) {
  const line = markedLine(PROGRAM, 'checkpoint');
  const defLine = fs.readFileSync(PROGRAM, 'utf8').split('\n').findIndex((text) => text.startsWith('def update(')) + 1;
  const script = `import json, sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
hits = [s for (s,) in db.execute("SELECT e.seq FROM event e JOIN invocation i ON i.id = e.invocation JOIN code c ON c.id = i.code WHERE c.name = 'checkpoint' AND e.kind = 0 AND e.line = ? ORDER BY e.seq", (int(sys.argv[2]),))]
print(json.dumps({"events": db.execute("SELECT max(seq) FROM event").fetchone()[0], "hits": hits}))`;
  const out = spawnSync(python.executable, ['-c', script, trace, String(line)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cannot read ${trace}: ${out.stderr.trim()}`);
  return { ...JSON.parse(out.stdout), line, defLine };
}

/** One server, one session: open time, then every operation at sampled positions, then the peak RSS. */
async function measureReplay(node, backend, trace, facts, samples) {
  const server = spawn(node, [CLI, 'dap'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HINDSIGHT_SQLITE: backend } });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)));
  const client = new DebugClient('node', CLI, 'hindsight');
  client.defaultTimeout = 600_000;
  client.connect(server.stdout, server.stdin);
  try {
    await client.initializeRequest({ adapterID: 'hindsight', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const opened = await timed(() => attach(client, trace, [facts.line, facts.defLine]));
    const contention = new Contention(server.pid);
    const threadId = (await client.threadsRequest()).body.threads[0].id;
    const session = new Session(client, threadId);
    const times = { goto: [], inspect: [], ...Object.fromEntries(STEPS.map((step) => [step, []])), reverseContinue: [] };
    const random = seeded(1);
    const warmUp = 10;
    for (let i = 0; i < warmUp + samples; i++) {
      const seq = 1 + Math.floor(random() * (facts.events - 1));
      const sample = { goto: await timed(() => session.goto(seq)), inspect: await timed(() => session.inspect()) };
      for (const step of STEPS) sample[step] = await timed(() => session.move(step));
      if (i >= warmUp) for (const [name, ms] of Object.entries(sample)) times[name].push(ms);
    }
    // Reverse-continue from just before a checkpoint hit to the one before it, ~1M events back.
    for (let k = facts.hits.length - 1, round = 0; k >= 1 && round < Math.min(samples, 50); k = k > 1 ? k - 1 : facts.hits.length - 1, round++) {
      await session.goto(facts.hits[k] - 20);
      const ms = await timed(() => session.move('reverseContinue'));
      const where = await session.where();
      if (where !== facts.hits[k - 1]) throw new Error(`reverse-continue from before event ${facts.hits[k]} stopped at event ${where}, not at the checkpoint hit ${facts.hits[k - 1]}`);
      times.reverseContinue.push(ms);
    }
    const distances = facts.hits.slice(1).map((hit, k) => hit - facts.hits[k]);
    return {
      open_ms: round(opened), peak_rss_kb: peakRss(server.pid), others_cpu_share: round(contention.othersShare()),
      reverse_distance: distances.length ? Math.min(...distances) : null,
      ops: Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, summary(ms)])),
    };
  } catch (error) {
    const rss = peakRss(server.pid);
    throw new Error(`${error.message}${stderr ? ` (server stderr: ${stderr.trim().slice(-300)})` : ''}${rss ? ` [peak RSS ${Math.round(rss / 1024)} MB]` : ''}`);
  } finally {
    await client.stop().catch(() => undefined);
    server.kill();
    await exited;
  }
}

/**
 * attach with stopOnEntry and breakpoints set during configuration; resolves at the first stop. Every
 * step looks for breakpoint hits on its way, so the breakpoints are those a user sets: checkpoint()'s
 * line, and `def update(`, whose line every CALL of update() carries (its only LINE event is the def).
 */
async function attach(client, trace, lines) {
  const stopped = client.waitForEvent('stopped');
  await Promise.all([
    client.waitForEvent('initialized')
      .then(() => client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: lines.map((line) => ({ line })) }))
      .then(() => client.configurationDoneRequest()),
    client.attachRequest({ trace, stopOnEntry: true }),
    stopped,
  ]);
}

/** The client side of what is timed: each call ends when the user would see its result. */
class Session {
  constructor(client, threadId) {
    this.client = client;
    this.threadId = threadId;
  }

  /** A navigation request, until its stopped event. */
  async move(command) {
    const stopped = this.client.waitForEvent('stopped');
    await this.client.send(command, { threadId: this.threadId });
    await stopped;
  }

  /** `:goto N` in the debug console (this branch has no gotoTargets/goto requests), until the stop. */
  async goto(seq) {
    const stopped = this.client.waitForEvent('stopped');
    await this.client.evaluateRequest({ expression: `:goto ${seq}`, context: 'repl' });
    await stopped;
  }

  /** What a client shows at a stop: the stack, the top frame's scopes and its Locals. */
  async inspect() {
    const frames = (await this.client.stackTraceRequest({ threadId: this.threadId, startFrame: 0, levels: 20 })).body.stackFrames;
    const scopes = (await this.client.scopesRequest({ frameId: frames[0].id })).body.scopes;
    const locals = scopes.find((scope) => scope.name === 'Locals');
    if (locals) await this.client.variablesRequest({ variablesReference: locals.variablesReference });
  }

  /** The cursor's seq, from `:where` (untimed: checks where a move stopped). */
  async where() {
    const text = (await this.client.evaluateRequest({ expression: ':where', context: 'repl' })).body.result;
    return Number(/^event (\d+)/.exec(text)?.[1]);
  }
}

/**
 * The share of one core that other processes (not the server, not this bench) used since the start:
 * /proc/stat's busy time minus ours. Other sessions share this machine; their work delays replies.
 */
class Contention {
  constructor(pid) {
    this.pid = pid;
    this.start = { wall: performance.now(), busy: machineBusy(), server: cpuOf(pid), own: process.cpuUsage() };
  }

  othersShare() {
    const own = process.cpuUsage(this.start.own);
    const others = machineBusy() - this.start.busy - (cpuOf(this.pid) - this.start.server) - (own.user + own.system) / 1e6;
    return Math.max(0, others) / ((performance.now() - this.start.wall) / 1000);
  }
}

/** CPU seconds the machine spent busy since boot (/proc/stat: all but idle and iowait). */
function machineBusy() {
  const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** CPU seconds a process used (user + system, /proc/PID/stat). */
function cpuOf(pid) {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const OPS = [
  ['next', 'next'], ['stepBack', 'stepBack'], ['stepOut', 'stepOut'], ['goto', 'goto (`:goto N`)'],
  ['reverseContinue', 'reverseContinue to a breakpoint ~1M events back'], ['inspect', 'stackTrace + scopes + variables'],
];

function renderMarkdown(report) {
  const m = report.machine;
  const out = [
    '# Replay benchmark (DAP)', '',
    `${report.date} · ${m.nproc} cores, ${m.cpu}, ${m.memory_gb} GB · Linux ${m.kernel} · recorded with Python ${report.python} · ` +
      `${report.samples} random positions per row (after 10 untimed), load average at the start ${report.load_average.map((x) => x.toFixed(2)).join(', ')}`,
    '',
    'Milliseconds, request sent → stopped event received (navigation) or last response received, over stdio. ' +
      "\"others' CPU\": the share of one core other processes used while the row was measured (after open).", '',
    `| events | backend | Node | trace MB | bytes/event | open ms | ${OPS.map(([, label]) => `${label} p50 / p99`).join(' | ')} | peak RSS MB | others' CPU |`,
    `| ---: | --- | --- | ---: | ---: | ---: | ${OPS.map(() => '---:').join(' | ')} | ---: | ---: |`,
  ];
  for (const row of report.rows) {
    const size = `${(row.trace_bytes / 1e6).toFixed(0)} | ${(row.trace_bytes / row.events).toFixed(0)}`;
    if (row.error) {
      out.push(`| ${row.events.toLocaleString('en')} | ${row.backend} | ${row.node} | ${size} | failed: ${row.error} | ${OPS.map(() => '').join(' | ')} | | |`);
      continue;
    }
    const cells = OPS.map(([name]) => (row.ops[name] ? `${fixed(row.ops[name].p50)} / ${fixed(row.ops[name].p99)}` : '—'));
    out.push(`| ${row.events.toLocaleString('en')} | ${row.backend} | ${row.node} | ${size} | ${fixed(row.open_ms)} | ${cells.join(' | ')} | ${Math.round(row.peak_rss_kb / 1024)} | ${Math.round(row.others_cpu_share * 100)}% |`);
  }
  if (report.problems.length) out.push('', '## Problems', '', ...report.problems.map((p) => `- ${p}`));
  return `${out.join('\n')}\n`;
}

function fixed(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function log(text) {
  process.stderr.write(`[bench dap] ${text}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runDapBench(process.argv.slice(2));
}
