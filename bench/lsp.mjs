// The language-server benchmark: `hindsight lsp --stdio` on the replay benchmark's traces (1M, 10M events,
// both backends) driven by an LSP client: first response, codeLens, inlayHint at sampled stops, hover
// with history, pulled diagnostics, peak RSS. Writes bench/out/lsp.{md,json}.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultPythons, machine } from './lib/environment.mjs';
import { peakRss, round, seeded, serverBenchOptions, serverRows, summary, timed, writeReport } from './lib/timing.mjs';
import { PROGRAM } from './dap/traces.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, '..', 'dist', 'cli.js');
const USAGE = `usage: node bench/lsp.mjs [--events N]... [--backend node|sqljs]... [--samples N] [--quick]
  --events N       trace sizes in events (repeatable); default 1000000 and 10000000 (recorded once, cached
                   in bench/out/dap, shared with the replay benchmark)
  --backend NAME   reader backends (repeatable); default both
  --samples N      timed repetitions per request (default 100)
  --quick          one 100,000-event trace, 20 samples`;

/** Runs the benchmark with command-line arguments; resolves with the process exit code. */
export async function runLspBench(argv) {
  const options = serverBenchOptions(argv, { samples: 100, quickSamples: 20, usage });
  const python = defaultPythons()[0];
  if (!python || python.minor < 312) throw new Error('the LSP benchmark records with a CPython >= 3.12 (sys.monitoring); none found');
  const { rows, problems } = await serverRows(options, python, log, {
    measure: ({ node, backend, trace, events }) => measureServer(node, backend, trace, events, options.samples, python),
  });
  const report = { date: new Date().toISOString(), machine: machine(), load_average: os.loadavg(), samples: options.samples, rows, problems };
  writeReport('lsp', report, renderMarkdown(report));
  return report.problems.length ? 1 : 0;
}


function usage(error) {
  process.stderr.write(`${error ? `bench lsp: ${error}\n` : ''}${USAGE}\n`);
  process.exit(error ? 2 : 0);
}

/** One server on one trace: start → first response, then each request timed `samples` times. */
async function measureServer(node, backend, trace, events, samples, python) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-bench-lsp-'));
  const started = process.hrtime.bigint();
  const server = spawn(node, [CLI, 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HINDSIGHT_SQLITE: backend } });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/inlineValue/refresh', 'workspace/diagnostic/refresh', 'window/showMessageRequest']) {
    connection.onRequest(method, () => null);
  }
  connection.listen();
  const cursorFile = `${trace}.cursor.json`;
  const savedCursor = fs.existsSync(cursorFile) ? fs.readFileSync(cursorFile) : undefined;
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(root).href, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
      initializationOptions: { hindsight: { trace } },
      capabilities: { textDocument: { codeLens: {}, inlayHint: {}, hover: { contentFormat: ['markdown'] }, diagnostic: {} } },
    });
    const firstResponse = Number(process.hrtime.bigint() - started) / 1e6;
    await connection.sendNotification('initialized', {});
    const uri = pathToFileURL(PROGRAM).href;
    const text = fs.readFileSync(PROGRAM, 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const lines = text.split('\n');
    const lineOf = (prefix) => lines.findIndex((line) => line.trimStart().startsWith(prefix));
    const textDocument = { uri };
    const screen = { start: { line: 0, character: 0 }, end: { line: Math.min(lines.length, 50), character: 0 } };
    const hoverAt = { line: lineOf('value = scale(i, 3)'), character: lines[lineOf('value = scale(i, 3)')].indexOf('value') + 1 };
    const stops = sampledStops(python, trace, events);
    const requests = {
      codeLens: () => connection.sendRequest('textDocument/codeLens', { textDocument }),
      inlayHint: (i) => {
        writeCursor(trace, stops[i % stops.length]);
        return connection.sendRequest('textDocument/inlayHint', { textDocument, range: screen });
      },
      hover: () => connection.sendRequest('textDocument/hover', { textDocument, position: hoverAt }),
      diagnostic: () => connection.sendRequest('textDocument/diagnostic', { textDocument }),
    };
    const first = {};
    const times = {};
    const answered = {};
    for (const [name, request] of Object.entries(requests)) {
      let result;
      first[name] = round(await timed(async () => { result = await request(0).catch((error) => ({ error: error.message })); }));
      answered[name] = describeAnswer(result);
      times[name] = [];
      for (let i = 1; i <= samples; i++) times[name].push(await timed(() => request(i).catch(() => undefined)));
    }
    return {
      first_response_ms: round(firstResponse), peak_rss_kb: peakRss(server.pid), answered,
      ops: Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, { first: first[name], ...summary(ms) }])),
    };
  } catch (error) {
    throw new Error(`${error.message}${stderr ? ` (server stderr: ${stderr.trim().slice(-300)})` : ''}`);
  } finally {
    if (savedCursor) fs.writeFileSync(cursorFile, savedCursor, { mode: 0o600 });
    else fs.rmSync(cursorFile, { force: true });
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    server.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** 50 stops spread over the trace (seeded), each with its invocation, read with Python's sqlite3 (outside the server under test). */
function sampledStops(python, trace, events) {
  const random = seeded(7);
  const seqs = Array.from({ length: 50 }, () => 1 + Math.floor(random() * (events - 1)));
  const script = `import json, sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
print(json.dumps([[s, db.execute("SELECT invocation FROM event WHERE seq = ?", (s,)).fetchone()[0]] for s in json.loads(sys.argv[2])]))`;
  const out = spawnSync(python.executable, ['-c', script, trace, JSON.stringify(seqs)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cannot read ${trace}: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout).map(([seq, invocation]) => ({ seq, invocation }));
}

/** A cursor record as the DAP session writes it (protocol/cursor.ts), renamed into place. */
function writeCursor(trace, stop) {
  const record = { trace, seq: stop.seq, thread: 1, invocation: stop.invocation, writtenAt: Date.now() };
  const target = `${trace}.cursor.json`;
  fs.writeFileSync(`${target}.bench.tmp`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  fs.renameSync(`${target}.bench.tmp`, target);
}

function describeAnswer(result) {
  if (result === null || result === undefined) return 'no answer';
  if (result.error) return `error: ${result.error}`;
  if (Array.isArray(result)) return `${result.length} items`;
  if (Array.isArray(result.items)) return `${result.items.length} items`;
  return 'answered';
}

function renderMarkdown(report) {
  const m = report.machine;
  const ops = ['codeLens', 'inlayHint', 'hover', 'diagnostic'];
  const out = [
    '# Language server benchmark', '',
    `${report.date} · ${m.nproc} cores, ${m.cpu}, ${m.memory_gb} GB · ${report.samples} timed requests per cell after the first · ` +
      `load average at the start ${report.load_average.map((x) => x.toFixed(2)).join(', ')}`, '',
    'Milliseconds from request sent to response received, over stdio. "first": the first request of its kind (cold caches).', '',
    `| events | backend | Node | start → first response | ${ops.map((op) => `${op} first / p50 / p99`).join(' | ')} | peak RSS MB |`,
    `| ---: | --- | --- | ---: | ${ops.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const row of report.rows) {
    if (row.error) {
      out.push(`| ${row.events.toLocaleString('en')} | ${row.backend} | ${row.node} | ${row.error} |`);
      continue;
    }
    const cell = (op) => {
      const s = row.ops[op];
      const note = row.answered[op] === 'no answer' || row.answered[op].startsWith('error') ? ` (${row.answered[op]})` : '';
      return `${s.first} / ${s.p50} / ${s.p99}${note}`;
    };
    out.push(`| ${row.events.toLocaleString('en')} | ${row.backend} | ${row.node} | ${row.first_response_ms} | ${ops.map(cell).join(' | ')} | ${Math.round((row.peak_rss_kb ?? 0) / 1024)} |`);
  }
  if (report.problems.length) out.push('', 'Problems:', ...report.problems.map((problem) => `- ${problem}`));
  return `${out.join('\n')}\n`;
}

function log(text) {
  process.stderr.write(`[bench lsp] ${text}\n`);
}
