// Runs one command and measures it: wall time, GNU time's figures for the whole process tree, by
// polling /proc each process's peak RSS (VmHWM), CPU time and exit, and the CPU others used meanwhile.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const POLL_MS = 10;
const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

/**
 * Runs argv to completion. `levels` is how many processes deep to follow: 1 for `python prog.py`,
 * 2 for the recorder (its launcher, which writes the trace, and the debuggee it spawns).
 * Returns { wall_s, code, signal, stdout, stderr, end_marker_s, run_s, procs: [level1, level2], tree },
 * where end_marker_s is when the workload printed its end marker and run_s the run time it reported;
 * a proc is { hwm_kb, cpu_s, exit_s } (times in seconds since the spawn) and tree is GNU
 * time's view (max RSS of the largest process, CPU of all) or null without it; others_cpu_s is the
 * CPU time the rest of the machine used during the run (contention that skews the figures).
 */
export function measure(argv, { cwd, env, timeTool, levels }) {
  const timeFile = timeTool ? path.join(os.tmpdir(), `hindsight-bench-time-${process.pid}.txt`) : null;
  const command = timeTool ? [timeTool, '-v', '-o', timeFile, ...argv] : argv;
  const busyBefore = machineBusy();
  const ownBefore = process.cpuUsage();
  const startWallMs = performance.timeOrigin + performance.now();
  const start = process.hrtime.bigint();
  const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const since = () => Number(process.hrtime.bigint() - start) / 1e9;
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  // Under GNU time, the command we mean is time's child: one level further down.
  const tree = new ProcessTree(child.pid, levels + (timeTool ? 1 : 0), since);
  const timer = setInterval(() => tree.poll(), POLL_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wall = since();
      clearInterval(timer);
      const own = process.cpuUsage(ownBefore);
      const gnu = timeFile ? readGnuTime(timeFile) : null;
      const treeCpu = gnu?.cpu_s ?? tree.levels.reduce((sum, p) => sum + (p?.cpu_s ?? 0), 0);
      const err = Buffer.concat(stderr).toString('utf8');
      const marker = /^bench-end (\d+) (\d+)$/m.exec(err);
      resolve({
        wall_s: wall, code, signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: err,
        end_marker_s: marker ? (Number(BigInt(marker[1]) / 1000n) / 1000 - startWallMs) / 1000 : null,
        run_s: marker ? Number(marker[2]) / 1e9 : null,
        procs: tree.levels.slice(timeTool ? 1 : 0).map((p) => p && { hwm_kb: p.hwm_kb, cpu_s: p.cpu_s, exit_s: p.exit_s ?? wall }),
        tree: gnu,
        others_cpu_s: Math.max(0, machineBusy() - busyBefore - treeCpu - (own.user + own.system) / 1e6),
      });
    });
  });
}

/** One process per level: the first child of the level above (the bench's commands fork no others). */
class ProcessTree {
  constructor(rootPid, depth, since) {
    this.levels = Array.from({ length: depth }, () => null);
    this.levels[0] = { pid: rootPid, hwm_kb: null, cpu_s: null, exit_s: null };
    this.since = since;
  }

  poll() {
    for (let i = 0; i < this.levels.length; i++) {
      const proc = this.levels[i];
      if (!proc) {
        const parent = this.levels[i - 1];
        const pid = parent && parent.exit_s === null ? firstChild(parent.pid) : null;
        if (pid) this.levels[i] = { pid, hwm_kb: null, cpu_s: null, exit_s: null };
        continue;
      }
      if (proc.exit_s !== null) continue;
      const stat = readStat(proc.pid);
      if (!stat || stat.state === 'Z') {
        proc.exit_s = this.since();
        continue;
      }
      proc.cpu_s = stat.cpu_s;
      proc.hwm_kb = readHwm(proc.pid) ?? proc.hwm_kb;
    }
  }
}

function firstChild(pid) {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(' ')[0]) : null;
  } catch {
    return null;
  }
}

function readStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 on: state, ppid, ...
    return { state: fields[0], cpu_s: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

function readHwm(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy since boot (/proc/stat: all but idle and iowait). */
function machineBusy() {
  const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8')
    .split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

function readGnuTime(file) {
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(file, { force: true });
  const number = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return {
    max_rss_kb: number('Maximum resident set size \\(kbytes\\)'),
    cpu_s: number('User time \\(seconds\\)') + number('System time \\(seconds\\)'),
  };
}
