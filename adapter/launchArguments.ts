// `launch` arguments in debugpy's vocabulary (plus Hindsight's own), checked one by one: each mistake
// is a sentence naming the argument. The result is what to record and where the replay first stops.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RecorderOptions } from '../protocol/recorderProcess';
import { newTracePath } from '../protocol/traceDir';
import { describe } from './requestArguments';

/** Launch arguments; the names are debugpy's where it has one (editors' launch.json files match them). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The script to run (relative to cwd); or `module`. */
  program?: string;
  /** A module to run as `python -m module`. */
  module?: string;
  /** The program's arguments. */
  args?: string[];
  /** Working directory of the program (default: the adapter's). */
  cwd?: string;
  /** Environment variables for the program, over the adapter's and envFile's; null removes one. */
  env?: Record<string, string | null>;
  /** A dotenv file (KEY=VALUE lines, # comments, quotes) read before `env`, relative to cwd. */
  envFile?: string;
  /** The Python to run (default: $HINDSIGHT_PYTHON, else python3). */
  python?: string;
  /** false records libraries too (--all-code). Default true. */
  justMyCode?: boolean;
  /** Where to write the trace (default: <cwd>/.hindsight/<prog>-<time>.trace.db). */
  trace?: string;
  include?: string[];
  exclude?: string[];
  /** Stop recording after this many events. */
  maxEvents?: number;
  /** false records secrets too (--no-redact); a list adds name patterns to redact. Default true. */
  redact?: boolean | string[];
  /** Stop on the program's first line. Default true. */
  stopOnEntry?: boolean;
  /** The token of a `hindsight dap --port` server (session.ts checks it, before this module). */
  token?: string;
}

/** Where the replay stops first: the program's first line, or the first breakpoint hit (else the end). */
export type FirstStop = 'entry' | 'first-breakpoint';

export interface LaunchPlan {
  recorder: RecorderOptions;
  firstStop: FirstStop;
}

/** Checks the arguments; throws an Error whose message tells the user what to fix. */
export function launchPlan(args: LaunchArguments): LaunchPlan {
  const given = args as Record<string, unknown>;
  const program = optional(given, 'program', isText, 'a file path');
  const module = optional(given, 'module', isText, 'a module name');
  if (!program === !module) throw new Error("give either 'program' or 'module' in the launch configuration");
  const cwd = path.resolve(optional(given, 'cwd', isText, 'a folder path') ?? process.cwd());
  if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`'cwd' is not a folder: ${cwd}`);
  const programArgs = optional(given, 'args', isTextList, 'a list of strings') ?? [];
  const maxEvents = optional(given, 'maxEvents', isPositiveInteger, 'a positive whole number');
  const redact = optional(given, 'redact', (value): value is boolean | string[] => typeof value === 'boolean' || isTextList(value), 'true, false or a list of name patterns');
  const trace = optional(given, 'trace', isText, 'a file path');
  const recorder: Omit<RecorderOptions, 'trace'> = {
    python: optional(given, 'python', isText, 'the path or name of a Python executable') ?? (process.env.HINDSIGHT_PYTHON || 'python3'),
    command: module ? ['-m', module, ...programArgs] : [path.resolve(cwd, program ?? ''), ...programArgs],
    include: optional(given, 'include', isTextList, 'a list of patterns') ?? [],
    exclude: optional(given, 'exclude', isTextList, 'a list of patterns') ?? [],
    redact: Array.isArray(redact) ? redact : [],
    maxEvents: maxEvents === undefined ? undefined : String(maxEvents),
    code: optional(given, 'justMyCode', isBoolean, 'true or false') === false ? 'all' : 'mine',
    secrets: redact === false ? 'recorded' : 'redacted',
    cwd,
    env: programEnvironment(given, cwd),
  };
  const firstStop = optional(given, 'stopOnEntry', isBoolean, 'true or false') === false ? 'first-breakpoint' : 'entry';
  // Last: the default trace name creates .hindsight/, which a refused configuration should not.
  const tracePath = trace ? path.resolve(cwd, trace) : newTracePath(path.join(cwd, '.hindsight'), module ? `-m ${module}` : recorder.command[0] ?? '', new Date());
  return { recorder: { ...recorder, trace: tracePath }, firstStop };
}

/** The adapter's environment, then envFile's variables, then `env` (null removes a variable). */
function programEnvironment(given: Record<string, unknown>, cwd: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const envFile = optional(given, 'envFile', isText, 'a file path');
  if (envFile) Object.assign(env, readEnvFile(path.resolve(cwd, envFile)));
  const overrides = optional(given, 'env', isEnvironment, 'an object of string values (null to remove one)') ?? {};
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A dotenv file, parsed by Node's own util.parseEnv (Node 20.12 and later). */
function readEnvFile(file: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read 'envFile' ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code}`);
  }
  if (typeof util.parseEnv !== 'function') throw new Error(`'envFile' needs Node 20.12 or later; this is Node ${process.version}`);
  return util.parseEnv(text);
}

/** An argument of the expected type, or undefined when absent (null counts as absent, as launch.json files write it). */
function optional<T>(given: Record<string, unknown>, name: string, is: (value: unknown) => value is T, expected: string): T | undefined {
  const value = given[name];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw new Error(`'${name}' must be ${expected} in the launch configuration, not ${describe(value)}`);
  return value;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isPositiveInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isEnvironment = (value: unknown): value is Record<string, string | null> => typeof value === 'object' && value !== null
  && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string' || item === null);
