// The traces folder (.hindsight/ under the working directory), shared by the CLI and the DAP launch:
// default trace names, listing newest first, and pruning to the newest N. Only files named
// *.trace.db (and their journals) are touched.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TRACE_SUFFIX = '.trace.db';

export interface TraceFile {
  path: string;
  size: number;
  /** Last modification, Unix ms. */
  mtimeMs: number;
}

export function defaultTraceDir(cwd: string = process.cwd()): string {
  return path.join(cwd, '.hindsight');
}

/**
 * A new trace path `<dir>/<stem>-<YYYYMMDD-HHMMSS>.trace.db`, with -2, -3… when taken; creates dir (0700).
 * Throws the file system's error (its code says why: EROFS, EACCES, ENOTDIR…).
 */
export function newTracePath(dir: string, program: string, now: Date): string {
  makeTraceDir(dir);
  const base = `${programStem(program)}-${timestamp(now)}`;
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}${TRACE_SUFFIX}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** Node's recursive mkdir says ENOENT for every failure (a read-only file system too): dir is made alone first, for the true reason. */
function makeTraceDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    else if (code !== 'EEXIST') throw error;
    else if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
  }
}

/** The traces in dir, newest first; none when dir does not exist. */
export function listTraces(dir: string): TraceFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(TRACE_SUFFIX))
    .flatMap((name) => {
      const file = path.join(dir, name);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return stat?.isFile() ? [{ path: file, size: stat.size, mtimeMs: stat.mtimeMs }] : [];
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs || b.path.localeCompare(a.path));
}

/** Deletes all but the newest `keep` traces in dir (never `spare`); returns the deleted ones. */
export function pruneTraces(dir: string, keep: number, spare?: string): TraceFile[] {
  const doomed = listTraces(dir).filter((trace) => trace.path !== spare).slice(Math.max(0, keep - (spare ? 1 : 0)));
  for (const trace of doomed) {
    fs.rmSync(trace.path, { force: true });
    fs.rmSync(`${trace.path}-journal`, { force: true });
  }
  return doomed;
}

/** A path as the user would type it: relative when under the working directory. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** 'shop/app.py' → 'app'; '-m pkg.tool' → 'pkg.tool'; unsafe characters become '_'. */
function programStem(program: string): string {
  const name = program.startsWith('-m ') ? program.slice(3) : path.basename(program).replace(/\.pyw?$/, '');
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'program';
}

function timestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}
