// Differential truth: each test/fixtures/truth program runs under plain sys.settrace (truth_reference.py)
// and, recorded, through the DAP server stepped with stepIn; every frame's Locals and the Globals at every
// stop must equal the program's. Known differences are pinned (known-mismatches.json), new or gone ones fail.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { diffArrays } from 'diff';
import { launchTo, move, startDap, type Dap } from './support/dap';
import { everyPython, type Python } from './support/pythons';
import { FIXTURES, REPO, freshDir } from './support/recordings';

const TRUTH = path.join(FIXTURES, 'truth');
const REFERENCE = path.join(REPO, 'test', 'support', 'truth_reference.py');
const PINNED = path.join(TRUTH, 'known-mismatches.json');
const PROGRAMS = fs.readdirSync(TRUTH).filter((name) => name.endsWith('.py')).map((name) => name.slice(0, -3)).sort();

/** The structural form truth_reference.py writes (its `node` says what each shape means). */
type Node =
  | ['scalar', string, string]
  | ['container', string, [string, Node][]]
  | ['cycle', string]
  | ['opaque', string]
  /** What DAP shows where the recorder's caps cut a value short (a "(truncated)" child). */
  | ['truncated', string];
type Scope = [string, Node][];
interface Frame { function: string; line: number; locals: Scope }
/** A stop: at a line, or at a frame's exit (a return, yield or unwind: settrace's 'return' event). */
interface Stop { event: 'line' | 'return'; frames: Frame[]; globals: Scope }

/** Pinned mismatch lines, by program, then run (runs() names them: '3.11', '3.12 settrace') or by
 * tracer ('settrace', 'monitoring') for a list every run of that tracer shares. */
type Pinned = Record<string, Record<string, string[]>>;

describe('recorder truth: Locals and Globals at every stop equal the program\'s', () => {
  const pinned = JSON.parse(fs.readFileSync(PINNED, 'utf8')) as Pinned;
  const found: Pinned = {};
  const seconds: number[] = [];

  it('pins mismatches of the truth programs only', () => {
    assert.deepEqual(Object.keys(pinned).filter((program) => !PROGRAMS.includes(program)), []);
  });

  for (const run of runs()) {
    describe(`Python ${run.key}`, () => {
      let dap: Dap;
      beforeEach(async () => { dap = await startDap('stdio', run.python.executable); });
      afterEach(async () => { await dap.stop(); });

      for (const program of PROGRAMS) {
        it(program, async function () {
          this.timeout(120_000);
          const started = Date.now();
          const mismatches = compare(program, referenceStops(run.python, program), await dapStops(dap.client, program, run.env));
          seconds.push((Date.now() - started) / 1000);
          (found[program] ??= {})[run.key] = mismatches;
          if (process.env.HINDSIGHT_TRUTH_PIN === '1') return;
          const expected = pinned[program]?.[run.key] ?? pinned[program]?.[run.tracer] ?? [];
          const added = mismatches.filter((line) => !expected.includes(line));
          const gone = expected.filter((line) => !mismatches.includes(line));
          assert.ok(added.length === 0 && gone.length === 0, [
            ...(added.length ? [`${added.length} mismatches not in ${path.relative(REPO, PINNED)}:`, ...added.slice(0, 40)] : []),
            ...(gone.length ? [`${gone.length} pinned mismatches no longer occur: remove them from ${path.relative(REPO, PINNED)}:`, ...gone.slice(0, 40)] : []),
            '(HINDSIGHT_TRUTH_PIN=1 npx mocha test/recorder-truth.test.ts rewrites the file from this run)',
          ].join('\n'));
        });
      }
    });
  }

  after(() => {
    const versions = runs().map((run) => run.key).filter((key) => PROGRAMS.some((program) => found[program]?.[key]));
    console.log(`\n      mismatches per program and Python (${seconds.reduce((a, b) => a + b, 0).toFixed(1)} s in all):`);
    console.log(`      ${'program'.padEnd(14)}${versions.map((version) => version.padStart(Math.max(7, version.length + 2))).join('')}`);
    for (const program of PROGRAMS.filter((name) => found[name])) {
      console.log(`      ${program.padEnd(14)}${versions.map((version) => String(found[program]?.[version]?.length ?? '-').padStart(Math.max(7, version.length + 2))).join('')}`);
    }
    if (process.env.HINDSIGHT_TRUTH_PIN === '1') fs.writeFileSync(PINNED, `${JSON.stringify(repinned(pinned, found), null, 1)}\n`);
  });
});

/**
 * The pinned file rewritten from this run's mismatches: a tracer's runs that all have the same list share
 * one entry named by the tracer; runs not made here keep their entries.
 */
function repinned(pinned: Pinned, found: Pinned): Pinned {
  const merged: Pinned = {};
  for (const program of PROGRAMS) {
    const entries: Record<string, string[]> = {};
    for (const [key, lines] of Object.entries(pinned[program] ?? {})) {
      if (!runs().some((run) => run.key === key || run.tracer === key)) entries[key] = lines;
    }
    for (const tracer of ['settrace', 'monitoring'] as const) {
      const made = runs().filter((run) => run.tracer === tracer && found[program]?.[run.key]);
      const lists = made.map((run) => found[program]?.[run.key] ?? []);
      const shared = lists.every((lines) => JSON.stringify(lines) === JSON.stringify(lists[0]));
      if (shared && lists[0]?.length) entries[tracer] = lists[0];
      else if (!shared) for (const [index, run] of made.entries()) if (lists[index]?.length) entries[run.key] = lists[index];
    }
    if (Object.keys(entries).length) merged[program] = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => order(a) - order(b)));
  }
  return merged;
}

/**
 * Every Python 3.9–3.14 found, recorded with its default tracer (settrace before 3.12, sys.monitoring
 * from 3.12), and 3.12+ once more with settrace forced: `key` names the run in known-mismatches.json.
 */
function runs(): Run[] {
  return everyPython().flatMap((python): Run[] => [
    { key: python.version, python, tracer: minorOf(python) >= 12 ? 'monitoring' : 'settrace', env: {} },
    ...(minorOf(python) >= 12 ? [{ key: `${python.version} settrace`, python, tracer: 'settrace' as const, env: { HINDSIGHT_TRACER: 'settrace' } }] : []),
  ]);
}

interface Run { key: string; python: Python; tracer: 'settrace' | 'monitoring'; env: Record<string, string> }

function minorOf(python: Python): number {
  return Number(python.version.split('.')[1]);
}

/**
 * The reference run's stops, written by truth_reference.py under the same Python. A yield (or an await
 * suspending) is no stop of stepIn, which goes from it to the consumer as pdb does (dap-stepping.test.ts).
 */
function referenceStops(python: Python, program: string): Stop[] {
  const out = path.join(freshDir(`truth-${program}`), 'reference.json');
  const run = spawnSync(python.executable, [REFERENCE, out, path.join(TRUTH, `${program}.py`)], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`truth_reference.py failed on ${program}.py (status ${run.status}):\n${run.stderr}`);
  const { stops } = JSON.parse(fs.readFileSync(out, 'utf8')) as { stops: (Omit<Stop, 'event'> & { event: Stop['event'] | 'yield' })[] };
  return stops.filter((stop): stop is Stop => stop.event !== 'yield');
}

/** Launches the program (stopOnEntry) and steps in until the end of the recording, reading every stop. */
async function dapStops(client: DebugClient, program: string, env: Record<string, string>): Promise<Stop[]> {
  const entry = await launchTo(client, path.join(TRUTH, `${program}.py`), [], { stopOnEntry: true, env });
  const thread = entry.threadId ?? 0;
  const stops = [await readStop(client, thread)];
  for (;;) {
    const stopped = await move(client, 'stepIn', thread);
    // Running off the end stops again where it was, saying so: that is not a stop of the program.
    if (stopped.description === 'End of recording') return stops;
    stops.push(await readStop(client, thread));
    if (stops.length > 5000) throw new Error(`${program}: over 5000 stops; the fixture should be small`);
  }
}

async function readStop(client: DebugClient, threadId: number): Promise<Stop> {
  const frames = (await client.stackTraceRequest({ threadId })).body.stackFrames;
  const stop: Stop = { event: 'line', frames: [], globals: [] };
  for (const [index, frame] of frames.entries()) {
    const scopes = (await client.scopesRequest({ frameId: frame.id })).body.scopes;
    const { scope: locals, exit } = await readScope(client, scopes.find((scope) => scope.name === 'Locals'));
    if (index === 0 && exit) stop.event = 'return';
    const isModule = frame.name === '<module>';
    stop.frames.push({ function: frame.name.slice(frame.name.lastIndexOf('.') + 1), line: frame.line, locals: isModule ? shownGlobals(locals) : locals });
    // Globals once per stop: the top frame's scope, or the module frame's Locals when that is the top.
    if (index === 0) stop.globals = shownGlobals(isModule ? locals : (await readScope(client, scopes.find((scope) => scope.name === 'Globals'))).scope);
  }
  return stop;
}

/** The pseudo-variables DAP adds at a frame's exit: they mark an exit stop, and are not variables of the frame. */
const PSEUDO = new Set(['Return value', 'Yielded value', 'Exception']);
/** Types the reference leaves out of a module's namespace, as the recorder names them. */
const HIDDEN_TYPES = new Set(['module', 'function', 'builtin_function_or_method', 'type']);
const SCALARS = new Set(['int', 'float', 'str', 'bool', 'NoneType', 'bytes', 'complex', 'range']);

/** A scope's variables, without dunder names (a class body's __module__, __qualname__ and, from 3.13,
 * __firstlineno__ are the compiler's, and the reference leaves them out too); `exit` when it had a pseudo-variable. */
async function readScope(client: DebugClient, scope: DebugProtocol.Scope | undefined): Promise<{ scope: Scope; exit: boolean }> {
  if (!scope) return { scope: [], exit: false };
  const variables = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  const read: Scope = [];
  for (const variable of variables) {
    if (!PSEUDO.has(variable.name) && !isDunder(variable.name)) read.push([variable.name, await expand(client, variable, new Set())]);
  }
  return { scope: read, exit: variables.some((variable) => PSEUDO.has(variable.name)) };
}

function isDunder(name: string): boolean {
  return name.startsWith('__') && name.endsWith('__');
}

/** As truth_reference.py's shown_globals: no dunders, modules, functions or classes. */
function shownGlobals(scope: Scope): Scope {
  return scope.filter(([name, node]) => !isDunder(name) && !HIDDEN_TYPES.has(node[1]));
}

/** A DAP variable in the structural form; `seen` holds the references above it, so a cycle of handles ends. */
async function expand(client: DebugClient, variable: DebugProtocol.Variable, seen: Set<number>): Promise<Node> {
  const type = variable.type ?? '';
  if (variable.name === '(truncated)') return ['truncated', variable.value];
  if (SCALARS.has(type)) return ['scalar', type, variable.value];
  if (variable.variablesReference === 0) {
    // Without children a value is an empty container, a cycle the recorder marked ("[...]"), or opaque.
    if (EMPTY.has(variable.value) || /^\w+\((\[\]|\{\}|\(\))?\)$/.test(variable.value)) return ['container', type, []];
    if (/^(\[\.\.\.\]|\(\.\.\.\)|\{\.\.\.\}|\w+\(\.\.\.\))$/.test(variable.value)) return ['cycle', type];
    return ['opaque', type];
  }
  if (seen.has(variable.variablesReference)) return ['cycle', type];
  const inner = new Set([...seen, variable.variablesReference]);
  const children = (await client.variablesRequest({ variablesReference: variable.variablesReference })).body.variables;
  const nodes: [string, Node][] = [];
  for (const child of children) nodes.push([child.name, await expand(client, child, inner)]);
  if (type === 'set' || type === 'frozenset') {
    // The reference sorts set items (their order is the hash's); sort the shown ones the same way.
    const items = nodes.map(([, node]) => node).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    return ['container', type, items.map((node, index) => [String(index), node])];
  }
  return ['container', type, nodes];
}

const EMPTY = new Set(['[]', '()', '{}', 'set()', 'frozenset()']);

/**
 * Pairs the two runs' stops by event and stack (a diff of the two sequences, so that one stop too many or
 * too few does not shift every later pair), then compares every paired frame's values: one line per difference.
 * Stops are numbered by the reference's sequence; an extra stop by the DAP's.
 */
function compare(program: string, expected: Stop[], shown: Stop[]): string[] {
  const lines: string[] = [];
  let n = 0;
  let m = 0;
  for (const change of diffArrays(expected.map(stopText), shown.map(stopText))) {
    for (let i = 0; i < (change.count ?? change.value.length); i++) {
      if (change.removed) lines.push(`${program}:stop ${n++} missing: expected ${stopText(expected[n - 1] as Stop)}`);
      else if (change.added) lines.push(`${program}:shown stop ${m++} extra: ${stopText(shown[m - 1] as Stop)}`);
      else lines.push(...compareStop(program, n++, expected[n - 1] as Stop, shown[m++] as Stop));
    }
  }
  return lines;
}

function compareStop(program: string, n: number, want: Stop, got: Stop): string[] {
  const lines = want.frames.flatMap((frame, k) =>
    compareScope(`${program}:stop ${n} frame ${k} (${frame.function}:${frame.line})`, frame.locals, got.frames[k]?.locals ?? []));
  return [...lines, ...compareScope(`${program}:stop ${n} globals`, want.globals, got.globals)];
}

function compareScope(where: string, expected: Scope, shown: Scope): string[] {
  const lines: string[] = [];
  const shownByName = new Map(shown);
  for (const [name, node] of expected) {
    const other = shownByName.get(name);
    if (!other) lines.push(`${where} ${name}: missing, expected ${text(node)}`);
    else if (JSON.stringify(node) !== JSON.stringify(other)) lines.push(`${where} ${name}: expected ${text(node)}, shown ${text(other)}`);
  }
  const expectedNames = new Set(expected.map(([name]) => name));
  for (const [name, node] of shown) if (!expectedNames.has(name)) lines.push(`${where} ${name}: extra, shown ${text(node)}`);
  return lines;
}

function stopText(stop: Stop): string {
  return `${stop.event} ${stop.frames.map((frame) => `${frame.function}:${frame.line}`).join(' < ')}`;
}

/** Python-like text of a node, cut at 120 characters so that a line of the pinned file stays readable. */
function text(node: Node): string {
  const full = render(node);
  return full.length > 120 ? `${full.slice(0, 117)}...` : full;
}

function render(node: Node): string {
  switch (node[0]) {
    case 'scalar':
      return node[2];
    case 'cycle':
      return `<cycle ${node[1]}>`;
    case 'opaque':
      return `<${node[1]}>`;
    case 'truncated':
      return `…(${node[1]})`;
    case 'container': {
      const [, type, children] = node;
      const items = children.map(([name, child]) => child[0] === 'truncated' ? render(child) : type === 'dict' || !/^\d+$/.test(name) ? `${name}${type === 'dict' ? ': ' : '='}${render(child)}` : render(child));
      if (type === 'list') return `[${items.join(', ')}]`;
      if (type === 'tuple') return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
      if (type === 'dict') return `{${items.join(', ')}}`;
      if (type === 'set') return items.length ? `{${items.join(', ')}}` : 'set()';
      return `${type}(${items.join(', ')})`;
    }
  }
}

/** Pinned keys in the order of runs() (by minor version, the forced settrace run after the default one), tracer keys first. */
function order(key: string): number {
  if (key === 'settrace' || key === 'monitoring') return key === 'settrace' ? 0 : 1;
  return Number(key.split(/[. ]/)[1]) * 2 + (key.endsWith('settrace') ? 1 : 0);
}
