// The DAP benchmark's traces: bench/dap/program.py recorded by the real recorder (--max-events), cached
// in bench/out/dap (git-ignored) while the program, recorder, schema.sql, finish.sql and Python are
// unchanged (a sidecar JSON holds their hash): 10M events take minutes to record here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..', '..');
export const PROGRAM = path.join(HERE, 'program.py');
const RECORDER = path.join(ROOT, 'native', 'hindsight_recorder');
const CACHE = path.join(ROOT, 'bench', 'out', 'dap');
/** Iterations between two checkpoint() calls: ~1M events apart (15 events per iteration). */
export const PERIOD = 66_000;
const EVENTS_PER_ITERATION_AT_LEAST = 12;

/** The path of a trace of `events` events recorded by `python`, recording it when no valid copy is cached. */
export function traceOf(events, python, log) {
  fs.mkdirSync(CACHE, { recursive: true });
  const trace = path.join(CACHE, `dap-${events}.trace.db`);
  const sidecar = `${trace}.json`;
  const key = cacheKey(python);
  if (fs.existsSync(trace) && fs.existsSync(sidecar) && JSON.parse(fs.readFileSync(sidecar, 'utf8')).key === key) return trace;
  for (const stale of [trace, sidecar, `${trace}.cursor.json`]) fs.rmSync(stale, { force: true });
  const iterations = Math.ceil(events / EVENTS_PER_ITERATION_AT_LEAST);
  log(`recording ${events.toLocaleString('en')} events of bench/dap/program.py with Python ${python.version} (cached in bench/out/dap)`);
  const started = process.hrtime.bigint();
  const run = spawnSync(python.executable, [RECORDER, 'record', '--trace', trace, '--max-events', String(events), '--',
    PROGRAM, String(iterations), String(PERIOD)], { cwd: CACHE, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`recording ${events} events failed (${run.status ?? run.signal}): ${run.stderr.trim().slice(-400)}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.writeFileSync(sidecar, `${JSON.stringify({ key, events, python: python.version, record_s: Math.round(seconds * 10) / 10 })}\n`);
  return trace;
}

/** How long the cached trace took to record (null when unknown). */
export function recordSeconds(trace) {
  try {
    return JSON.parse(fs.readFileSync(`${trace}.json`, 'utf8')).record_s ?? null;
  } catch {
    return null;
  }
}

function cacheKey(python) {
  const hash = createHash('sha256').update(python.executable).update(python.version).update(String(PERIOD));
  const files = [PROGRAM, ...sourcesUnder(RECORDER), path.join(ROOT, 'protocol', 'schema.sql'), path.join(ROOT, 'protocol', 'finish.sql')];
  for (const file of files) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex');
}

function sourcesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(py|sql)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name)).sort();
}
