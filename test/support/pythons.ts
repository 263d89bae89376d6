// The Python interpreters the recorder suite runs on: 3.11 always, 3.12–3.14 where installed (and 3.9,
// 3.10 too for everyPython). Under CI=true a missing 3.12 or 3.14 fails a test instead of silently shrinking the run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Python {
  /** 'major.minor', e.g. '3.12'. */
  readonly version: string;
  /** The interpreter itself (its sys.executable): no pyenv shim or wrapper script in between. */
  readonly executable: string;
}

/** When a version must be present: always, only in CI, or never (used when found). */
type Requirement = 'always' | 'ci' | 'optional';

const WANTED: { version: string; requirement: Requirement }[] = [
  { version: '3.11', requirement: 'always' },
  { version: '3.12', requirement: 'ci' },
  { version: '3.13', requirement: 'optional' },
  { version: '3.14', requirement: 'ci' },
];

let found: { present: Python[]; missing: string[] } | undefined;

function survey(): { present: Python[]; missing: string[] } {
  if (!found) {
    const inCi = process.env.CI === 'true';
    const present: Python[] = [];
    const missing: string[] = [];
    for (const { version, requirement } of WANTED) {
      const python = locate(version);
      if (python) present.push(python);
      else if (requirement === 'always' || (requirement === 'ci' && inCi)) missing.push(version);
    }
    found = { present, missing };
  }
  return found;
}

/** The interpreters present, oldest first: each recorder test runs once per interpreter. */
export function pythons(): Python[] {
  return survey().present;
}

/** Versions required here (3.11; 3.12 and 3.14 too when CI=true) that were not found. */
export function missingPythons(): string[] {
  return survey().missing;
}

/** Where the suite looks, for the message of a missing version. */
export const WHERE_PYTHONS_ARE = 'pyenv (~/.pyenv/versions), /opt/pythons/bin (../shared/tools/install-pythons.sh) and PATH';

/** Every Python 3.9–3.14 found, oldest first, none required: for suites that compare across versions. */
export function everyPython(): Python[] {
  if (!everyFound) {
    const older = ['3.9', '3.10'].map(locate).filter((python): python is Python => python !== undefined);
    everyFound = [...older, ...pythons()];
  }
  return everyFound;
}

let everyFound: Python[] | undefined;

/** The Pythons that have sys.monitoring (3.12+), where both tracers can run. */
export function pythonsWithMonitoring(): Python[] {
  return pythons().filter((python) => python.version !== '3.11');
}

function locate(version: string): Python | undefined {
  for (const candidate of candidates(version)) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2]); print(sys.executable)'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const [reported, executable] = (probe.stdout ?? '').trim().split('\n');
    if (probe.status === 0 && reported === version && executable) return { version, executable };
  }
  return undefined;
}

/** Where each version is installed here and in CI: pyenv, /opt/pythons (install-pythons.sh), PATH. */
function candidates(version: string): string[] {
  const pyenv = path.join(os.homedir(), '.pyenv', 'versions');
  const installs = fs.existsSync(pyenv)
    ? fs.readdirSync(pyenv).filter((name) => name.startsWith(`${version}.`)).sort().reverse()
    : [];
  return [
    ...installs.map((name) => path.join(pyenv, name, 'bin', 'python3')),
    path.join('/opt/pythons/bin', `python${version}`),
    `python${version}`,
    ...(version === '3.11' ? ['python3'] : []),
  ];
}
