// The Neovim versions the editor tests drive: 0.10 and 0.12 where installed (../shared/tools/
// install-editors.sh puts them in /opt/editors/bin), and running a headless Lua script that writes JSON.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface Neovim {
  /** 'major.minor', e.g. '0.10'. */
  readonly version: string;
  readonly executable: string;
}

const WANTED: { version: string; candidates: string[] }[] = [
  { version: '0.10', candidates: ['/opt/editors/bin/nvim-trixie', 'nvim'] },
  { version: '0.12', candidates: ['/opt/editors/bin/nvim-forky', 'nvim'] },
];

export const WHERE_NEOVIMS_ARE = '/opt/editors/bin (../shared/tools/install-editors.sh) and PATH';

let found: { present: Neovim[]; missing: string[] } | undefined;

function survey(): { present: Neovim[]; missing: string[] } {
  if (!found) {
    const present: Neovim[] = [];
    const missing: string[] = [];
    for (const { version, candidates } of WANTED) {
      const executable = candidates.find((candidate) => reportedVersion(candidate) === version);
      if (executable) present.push({ version, executable });
      else if (process.env.CI === 'true') missing.push(version);
    }
    found = { present, missing };
  }
  return found;
}

/** The Neovims present, oldest first. */
export function neovims(): Neovim[] {
  return survey().present;
}

/** Versions required here (both, when CI=true) that were not found. */
export function missingNeovims(): string[] {
  return survey().missing;
}

/**
 * Runs `nvim --headless --clean ARGS` in CWD (ARGS end with `-l script.lua …`) and resolves with the JSON the script
 * wrote to OUT; kills nvim and everything it started (its process group) if it is not done in LIMIT_MS.
 */
export function runHeadless<T>(neovim: Neovim, args: string[], options: { cwd: string; out: string; limitMs: number }): Promise<T> {
  const child = spawn(neovim.executable, ['--headless', '--clean', ...args], { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`nvim ${neovim.version} did not finish in ${options.limitMs} ms: ${stderr}`));
    }, options.limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0 || !fs.existsSync(options.out)) reject(new Error(`nvim ${neovim.version} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(fs.readFileSync(options.out, 'utf8')) as T);
    });
  });
}

/** '0.10' for "NVIM v0.10.4", or undefined when the executable does not run. */
function reportedVersion(executable: string): string | undefined {
  const probe = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return probe.status === 0 ? /^NVIM v(\d+\.\d+)\./.exec(probe.stdout)?.[1] : undefined;
}
