// What the bench runs on: the machine (cores, CPU model), GNU time, and the Pythons to measure
// (by default the newest final CPython >= 3.12 found here, plus `python3` from PATH; one per minor
// version for the micro-benchmarks).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TIME = '/usr/bin/time';
const CANDIDATE_DIRS = ['/opt/pythons/bin', path.join(os.homedir(), '.pyenv', 'versions')];

/** nproc, CPU model and kernel, as the report states them. */
export function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
  };
}

/** GNU time's path when installed, else null (the bench then polls /proc alone and says so). */
export function gnuTime() {
  try {
    return execFileSync(TIME, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .includes('GNU') ? TIME : null;
  } catch {
    return null;
  }
}

/** The real interpreter behind a command (a pyenv shim is a shell script) and its version, or null. */
export function describePython(command) {
  try {
    const out = execFileSync(command, ['-c',
      'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3]); print(sys.version_info.releaselevel)'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    const [major, minor] = out[1].split('.').map(Number);
    return { command, executable: out[0], version: out[1], minor: major * 100 + minor, final: out[2] === 'final' };
  } catch {
    return null;
  }
}

/** The default Pythons: the newest final release >= 3.12 among the known locations, and python3. */
export function defaultPythons() {
  const pythons = installedPythons().filter((p) => p.minor >= 312).slice(0, 1);
  const python3 = describePython('python3');
  if (python3 && !pythons.some((p) => p.executable === python3.executable)) pythons.push(python3);
  return pythons;
}

/** The newest final release of each CPython minor version >= 3.11 found, newest first. */
export function pythonPerMinor() {
  const seen = new Set();
  return installedPythons().filter((p) => p.minor >= 311 && !seen.has(p.minor) && seen.add(p.minor));
}

function installedPythons() {
  const found = [];
  for (const dir of CANDIDATE_DIRS) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const command = dir.endsWith('versions') ? path.join(dir, name, 'bin', 'python') : path.join(dir, name);
      if (/^(python)?3\.\d+(\.\d+)?$/.test(name) && fs.existsSync(command)) found.push(command);
    }
  }
  return found.map(describePython).filter((p) => p && p.final).sort((a, b) => compareVersions(b.version, a.version));
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
