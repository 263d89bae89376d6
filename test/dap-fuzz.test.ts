// A seeded fuzz battery for `hindsight dap` on the raw wire, over stdio and TCP, over a recorded trace:
// every DAP command (and Hindsight's own) with hostile arguments, out of order, under duplicate seqs, among
// client responses and bodies that are not requests; each request gets one answer, no stack, and it still replays.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { CustomRequest } from '../protocol/requests';
import { dapFixture, frame, rawConnection, type RawConnection, type TcpServer, type Transport } from './support/dap';
import { CLI, freshDir, markedLine, runCli } from './support/recordings';
import { seeded } from './support/seeded';

/** Another seed (HINDSIGHT_FUZZ_SEED) explores further; a failure replays exactly from the seed it ran with. */
const SEED = Number(process.env.HINDSIGHT_FUZZ_SEED ?? 20261207);
/** Messages in the storm while the trace is replayed; a fifth as many before launch, 20 before initialize. */
const MESSAGES = 300;
const STACK = /\n\s+at |\.js:\d+/;
/** What a JavaScript error says by itself: a handler failed deeper down than its checks. */
const INTERNAL = /\bundefined\b|\bNaN\b|Cannot read propert|is not a function|is not iterable|Maximum call stack|of undefined|of null|\[object Object\]|Invalid array length|RangeError|TypeError/;

const STANDARD = ['initialize', 'launch', 'attach', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'setDataBreakpoints',
  'dataBreakpointInfo', 'breakpointLocations', 'configurationDone', 'threads', 'stackTrace', 'scopes', 'variables', 'evaluate', 'next', 'stepIn',
  'stepOut', 'stepBack', 'reverseContinue', 'continue', 'goto', 'gotoTargets', 'restartFrame', 'source', 'loadedSources', 'completions',
  'setVariable', 'pause', 'terminate', 'exceptionInfo'];
/** DAP requests this server does not serve, and names no protocol has. */
const UNKNOWN = ['restart', 'setExpression', 'readMemory', 'cancel', 'terminateThreads', 'stepInTargets', 'noSuchRequest', ''];
const COMMANDS = [...STANDARD, ...Object.values(CustomRequest), ...UNKNOWN];

const HUGE = 'x'.repeat(1024 * 1024);
const DEEP_LIST: unknown = JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`);
const DEEP_OBJECT: unknown = JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`);
/** Nested deeper than JSON.stringify can go: sent as text in place of DEEPEST (this test cannot stringify it either). */
const DEEPEST = '\u0001deepest';
const DEEPEST_TEXT = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
/** Values of the wrong type or size for any argument. */
const ODD = [DEEPEST, undefined, null, 0, -1, 1.5, 1e300, -1e300, 2 ** 64, -(2 ** 53), 'text', '', true, [], [1, 'a'], {}, HUGE, DEEP_LIST, DEEP_OBJECT];
/** Expressions deeper than a recursive parser or evaluator can go unguarded; each is also sent once, whatever the seed. */
const DEEP_EXPRESSIONS = ['('.repeat(20_000), `x${'.y'.repeat(50_000)}`, `1${'+1'.repeat(50_000)}`, `${'not '.repeat(20_000)}1`, `${'-'.repeat(20_000)}1`];
/** Bodies that are not one request: not JSON, JSON that is no object, messages of other types. */
const ODD_BODIES = ['', '{', 'not json', '\u0000\u0001', '42', 'null', '"x"', 'true', '[]', '[{"seq":1,"type":"request","command":"threads"}]',
  '{}', '{"type":5}', '{"type":"cancel","seq":3}', '{"seq":9,"type":"response","request_seq":1,"command":"runInTerminal","success":true,"body":{}}',
  '{"seq":10,"type":"response","request_seq":-4,"success":false}', '{"seq":11,"type":"event","event":"stopped","body":{"reason":"entry","threadId":1}}',
  '{"seq":12,"type":"event","event":"terminated"}', '{"seq":13,"type":"event"}'];

/** What the fuzz knows of the replay, for arguments that reach the handlers: ids it was given, the program, the trace. */
interface Known {
  program: string;
  trace: string;
  dir: string;
  thread: number;
  frames: number[];
  references: number[];
  token: string | undefined;
}

/** Arguments of the right shape for a command, with ids from the replay or near them. */
function fitting(command: string, known: Known, random: () => number): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const small = () => Math.floor(random() * 120) - 10;
  const thread = pick([known.thread, known.thread, 0, -1, 999]);
  const frameId = pick([...known.frames, 0, -7, 2 ** 40]);
  const reference = pick([...known.references, 0, -3, 123456]);
  const source = pick([{ path: known.program }, { path: known.program }, { path: '/no/such/file.py' }, { sourceReference: small() }, {}, { path: '' }]);
  const breakpoint = () => ({ line: small(), ...pick([{}, { condition: 'i > 1' }, { condition: '((((' }, { hitCondition: '>= 2' }, { hitCondition: 'x' }, { logMessage: 'i={i} {' }]) });
  const granularity = pick([undefined, 'line', 'statement', 'instruction', 'nope']);
  const launch = pick([{ program: known.program, python: 'hindsight-no-such-python', trace: path.join(known.dir, 'never.trace.db') },
    { program: known.program, cwd: '/no/such/folder' }, { program: known.program, module: 'also' }, { module: '', trace: known.trace },
    { program: known.program, env: { A: 5 }, cwd: known.dir }, { program: known.program, envFile: '/no/such/.env', cwd: known.dir },
    { program: known.program, maxEvents: -1, cwd: known.dir }, { program: known.program, args: [1, 2], cwd: known.dir }]);
  const attach = pick([{ trace: known.trace }, { trace: known.program }, { trace: known.dir }, { trace: path.join(known.dir, 'missing.trace.db') }, { trace: '' }]);
  const args: Record<string, Record<string, unknown>> = {
    initialize: { adapterID: 'fuzz', linesStartAt1: pick([true, false]), columnsStartAt1: pick([true, false]), pathFormat: pick(['path', 'uri']), supportsProgressReporting: true },
    launch: { ...launch, token: known.token },
    attach: { ...attach, stopOnEntry: pick([true, false]), token: known.token },
    setBreakpoints: { source, breakpoints: Array.from({ length: Math.floor(random() * 4) }, breakpoint), lines: [small()] },
    setFunctionBreakpoints: { breakpoints: [pick([{ name: 'bump' }, { name: 'main', condition: 'total ===' }, { name: '' }, { name: 'no_such' }, { name: 'bump', hitCondition: '%2' }])] },
    setExceptionBreakpoints: { filters: [pick(['raised', 'uncaught', 'userUnhandled', 'nope'])], filterOptions: [{ filterId: 'raised', condition: 'ValueError' }] },
    setDataBreakpoints: { breakpoints: [{ dataId: pick(['{"variable":1,"invocation":1,"name":"values"}', '{"variable":-1,"invocation":1e300,"name":"x"}', 'null', '[]', 'values']), accessType: pick(['write', 'read']) }] },
    dataBreakpointInfo: { name: pick(['values', 'total', 'i', 'nope']), variablesReference: pick([undefined, reference]), frameId: pick([undefined, frameId]) },
    breakpointLocations: { source, line: small(), endLine: pick([undefined, small(), 2 ** 31]) },
    configurationDone: {},
    threads: {},
    stackTrace: { threadId: thread, startFrame: pick([undefined, 0, 1, -1, 2 ** 31]), levels: pick([undefined, 0, 1, 20, -5]) },
    scopes: { frameId },
    variables: { variablesReference: reference, start: pick([undefined, 0, -1, 5]), count: pick([undefined, 0, 2, 1e9]), filter: pick([undefined, 'indexed', 'named', 'x']) },
    evaluate: { expression: pick(['values', 'total + 1', 'values[0]', 'len(values)', '((((', ...DEEP_EXPRESSIONS, ':where', ':back', ':rc', ':goto 5', ':goto -1', ':history values', ':nope', 'i ** 1e300']),
      frameId: pick([undefined, frameId]), context: pick([undefined, 'repl', 'watch', 'hover', 'clipboard']) },
    next: { threadId: thread, granularity },
    stepIn: { threadId: thread, granularity, targetId: pick([undefined, 1]) },
    stepOut: { threadId: thread, granularity },
    stepBack: { threadId: thread, granularity },
    continue: { threadId: thread, singleThread: pick([undefined, true]) },
    reverseContinue: { threadId: thread },
    goto: { threadId: thread, targetId: pick([1, small(), 2 ** 53, -1]) },
    gotoTargets: { source, line: small(), column: pick([undefined, 1]) },
    restartFrame: { frameId },
    source: { source, sourceReference: pick([0, small()]) },
    loadedSources: {},
    completions: { text: pick(['val', 'values.', 'values[', ':', '']), column: pick([1, 4, 7, -2, 1e6]), frameId: pick([undefined, frameId]) },
    setVariable: { variablesReference: reference, name: 'total', value: '1' },
    pause: { threadId: thread },
    terminate: {},
    exceptionInfo: { threadId: thread },
    [CustomRequest.reverseStepIn]: { threadId: thread, granularity },
    [CustomRequest.reverseStepOut]: { threadId: thread },
    [CustomRequest.gotoPosition]: { seq: pick([1, small(), 2 ** 53, 0, 1.5]), threadId: pick([undefined, thread]) },
    [CustomRequest.timeline]: { buckets: pick([undefined, 1, 100, 10000, 0, 1e6]), startSeq: pick([undefined, 1, small()]), endSeq: pick([undefined, small(), 2 ** 53]) },
    [CustomRequest.callTree]: { invocation: pick([undefined, 1, small()]), start: pick([undefined, 0, -1]), count: pick([undefined, 0, 1e9]) },
    [CustomRequest.valueHistory]: { name: pick(['values', 'total', 'nope', '']), frameId: pick([undefined, frameId]), invocation: pick([undefined, 1, small()]), start: pick([undefined, 0, -1]), count: pick([undefined, 1]) },
    [CustomRequest.positionInfo]: {},
  };
  return args[command] ?? { any: small() };
}

/** Now and then a field missing, or of another type, or something the command does not take. */
function mutated(args: Record<string, unknown>, random: () => number): Record<string, unknown> {
  const keys = Object.keys(args);
  const key = keys[Math.floor(random() * keys.length)];
  const roll = random();
  if (key === undefined || roll < 0.5) return args;
  const copy = { ...args };
  if (roll < 0.65) delete copy[key];
  else if (roll < 0.9) copy[key] = ODD[Math.floor(random() * ODD.length)];
  else copy.extra = { nested: [DEEP_OBJECT, HUGE.slice(0, 1000)] };
  return copy;
}

/** A value's text as a key, for seqs and commands of any type (undefined as null, as JSON carries it). */
function keyOf(value: unknown): string {
  return JSON.stringify(value ?? null).slice(0, 200);
}

/** Every string inside a message, looked at without recursion (a message may echo a deep value). */
function strings(value: unknown): string[] {
  const found: string[] = [];
  const pending = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') found.push(next);
    else if (next && typeof next === 'object') pending.push(...Object.values(next));
  }
  return found;
}

/** One connection's requests and what came back: the requests sent under each seq, matched with the responses. */
class Storm {
  private readonly sent = new Map<string, string[]>();
  private nextSeq = 1;
  private readonly seqs: unknown[] = [];

  constructor(readonly raw: RawConnection, private readonly random: () => number) {}

  /** A request under a new seq, a used one (1 in 10), or one of no sensible value (1 in 20); returns its seq. */
  request(command: unknown, args: unknown, seq: unknown = this.pickSeq()): unknown {
    this.raw.write(frame(JSON.stringify({ seq, type: 'request', command, arguments: args }).replaceAll(JSON.stringify(DEEPEST), DEEPEST_TEXT)));
    const commands = this.sent.get(keyOf(seq)) ?? [];
    this.sent.set(keyOf(seq), [...commands, keyOf(command)]);
    return seq;
  }

  body(text: string): void {
    this.raw.write(frame(text));
  }

  /** A request answered: resolves with its response. */
  async ask(command: string, args: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const seq = this.request(command, args, this.nextSeq++);
    await this.settled(`the response to ${command}`);
    return this.raw.messages().find((message) => message.type === 'response' && message.request_seq === seq) ?? {};
  }

  /** The requests not answered yet, by seq. */
  missing(): string[] {
    const answered = this.answered();
    return [...this.sent].filter(([key, commands]) => (answered.get(key)?.length ?? 0) < commands.length).map(([key]) => key);
  }

  /** Resolves once every request sent has its response; fails after 20 s, or if the connection closed first, naming the unanswered. */
  async settled(what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => { timer = setTimeout(resolve, 20_000); });
    await Promise.race([this.raw.until(() => this.missing().length === 0), timedOut]);
    clearTimeout(timer);
    assert.deepEqual(this.missing(), [], `waiting for ${what}: no response to these seqs`);
  }

  /** Each seq was answered once per request sent under it, with the request's command, and nothing else was answered but `unchecked`. */
  checkAnswers(unchecked: unknown[] = []): void {
    const answered = this.answered();
    for (const [key, commands] of this.sent) assert.deepEqual(answered.get(key)?.sort(), [...commands].sort(), `the answers to seq ${key}`);
    for (const key of answered.keys()) assert.ok(this.sent.has(key) || unchecked.map(keyOf).includes(key), `a response to seq ${key}, never sent`);
  }

  private pickSeq(): unknown {
    const roll = this.random();
    if (roll < 0.1 && this.seqs.length > 0) return this.seqs[Math.floor(this.random() * this.seqs.length)];
    if (roll < 0.15) return [0, -1, 1e300, 'seven', null, undefined, 1.5][Math.floor(this.random() * 7)];
    const seq = this.nextSeq++;
    this.seqs.push(seq);
    return seq;
  }

  private answered(): Map<string, string[]> {
    const answered = new Map<string, string[]>();
    for (const message of this.raw.messages()) {
      if (message.type !== 'response') continue;
      const key = keyOf(message.request_seq);
      answered.set(key, [...(answered.get(key) ?? []), keyOf(message.command)]);
    }
    return answered;
  }
}

/** Sends `count` seeded messages; `commands` says which commands may be requested in this phase. */
function storm(storm: Storm, count: number, commands: readonly string[], known: Known, random: () => number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let n = 0; n < count; n++) {
    const roll = random();
    if (roll < 0.7) {
      const command = pick(commands);
      storm.request(command, random() < 0.15 ? pick(ODD) : mutated(fitting(command, known, random), random));
    } else if (roll < 0.78) {
      storm.request(pick([5, null, undefined, {}, ['threads'], HUGE, 'threads\u0000']), {});
    } else {
      storm.body(pick(ODD_BODIES));
    }
  }
}

/** A `hindsight dap --port 0 --token T` of this test's own, whose stderr the test reads. */
async function ownTcpServer(cwd: string): Promise<{ server: TcpServer; child: ChildProcess; stderr: () => string }> {
  const token = `fuzz-token-${SEED}`;
  const child = spawn(process.execPath, [CLI, 'dap', '--port', '0', '--token', token], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /listening on 127\.0\.0\.1:(\d+) \(token given by --token\)\n/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`hindsight dap --port 0 exited (${code}): ${text}`)));
  });
  return { server: { port, token }, child, stderr: () => text };
}

/** Waits for the next `stopped` event after `before` messages. */
async function stoppedAfter(raw: RawConnection, before: number): Promise<Record<string, any>> {
  const isStop = (message: Record<string, any>) => message.type === 'event' && message.event === 'stopped';
  assert.ok(await raw.until((messages) => messages.slice(before).some(isStop)), 'a stopped event');
  return raw.messages().slice(before).find(isStop) ?? {};
}

/** attach to the trace, configurationDone, the entry stop: its top frame is the module's first line. */
async function replayFromEntry(session: Storm, known: Known, entryLine: number): Promise<{ thread: number; frames: number[] }> {
  const before = session.raw.messages().length;
  const attach = session.request('attach', { trace: known.trace, token: known.token }, 100_000 + before);
  const done = await session.ask('configurationDone');
  assert.equal(done.success, true, done.message);
  const stop = await stoppedAfter(session.raw, before);
  await session.settled('attach');
  const attached = session.raw.messages().find((message) => message.type === 'response' && message.request_seq === attach);
  assert.equal(attached?.success, true, attached?.message);
  assert.equal(stop.body.reason, 'entry');
  const trace = await session.ask('stackTrace', { threadId: stop.body.threadId });
  assert.equal(trace.body.stackFrames[0].line, entryLine, 'the top frame at entry');
  return { thread: stop.body.threadId, frames: trace.body.stackFrames.map((frame: { id: number }) => frame.id) };
}

function checkNoStacks(raw: RawConnection, stderr: string): void {
  for (const message of raw.messages()) {
    for (const text of strings(message)) {
      assert.doesNotMatch(text, STACK, `a stack in a ${message.type} ${message.command ?? message.event}`);
      if (message.type === 'response') assert.doesNotMatch(text.slice(0, 2000), INTERNAL, `an internal error in the answer to ${String(message.command).slice(0, 40)}: ${text.slice(0, 200)}`);
    }
  }
  assert.doesNotMatch(stderr, STACK);
  assert.doesNotMatch(stderr, INTERNAL, 'an internal error on stderr');
  for (const line of stderr.split('\n').filter(Boolean)) assert.match(line, /^hindsight dap: /, 'every stderr line is the server\'s');
}

for (const transport of ['stdio', 'tcp'] as Transport[]) {
  describe(`dap fuzz battery over ${transport}`, () => {
    it(`answers each of ${MESSAGES} hostile messages once, without a stack, and replays after`, async function () {
      this.timeout(60_000);
      const dir = freshDir(`dap-fuzz-${transport}`);
      const program = dapFixture('loop');
      const trace = path.join(dir, 'loop.trace.db');
      const run = runCli(['record', '--trace', trace, program], { cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      const entryLine = markedLine('dap/loop', 'append') - 1;
      const random = seeded(SEED);
      const own = transport === 'tcp' ? await ownTcpServer(dir) : undefined;
      const opened: RawConnection[] = [];
      try {
        const raw = await rawConnection(transport, { server: own?.server, cwd: dir });
        opened.push(raw);
        const stderr = () => own?.stderr() ?? raw.stderr();
        const known: Known = { program, trace, dir, thread: 1, frames: [1], references: [1], token: raw.token };
        const session = new Storm(raw, random);

        // Before initialize: every request refused, saying so.
        storm(session, 20, COMMANDS.filter((command) => command !== 'initialize'), known, random);
        await session.settled('the answers before initialize');
        for (const message of raw.messages().filter((message) => message.type === 'response')) {
          const expected = typeof message.command === 'string' ? `send 'initialize' first: '${message.command}' came before it` : "a request needs a 'command' (a string)";
          assert.deepEqual([message.success, message.message], [false, expected]);
        }

        const initialized = await session.ask('initialize', { adapterID: 'fuzz', pathFormat: 'path', token: raw.token });
        assert.equal(initialized.success, true, initialized.message);
        // Before launch: nothing starts the replay (attach and launch only as they fail).
        const failing = { ...known, trace: program };
        storm(session, MESSAGES / 5, COMMANDS.filter((command) => command !== 'initialize'), failing, random);
        await session.settled('the answers before launch');

        // A normal session on the same connection after that storm, then the storm with the replay open.
        const entry = await replayFromEntry(session, known, entryLine);
        const scopes = await session.ask('scopes', { frameId: entry.frames[0] });
        Object.assign(known, { thread: entry.thread, frames: entry.frames, references: scopes.body.scopes.map((scope: { variablesReference: number }) => scope.variablesReference) });
        for (const expression of DEEP_EXPRESSIONS) session.request('evaluate', { expression, frameId: entry.frames[0], context: 'watch' });
        storm(session, MESSAGES, COMMANDS, known, random);
        await session.settled('the answers to the storm');

        // Still serving the same replay: back to the start (with no breakpoints left), the same top frame.
        const again = await session.ask('initialize', { adapterID: 'fuzz', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
        assert.equal(again.success, true, again.message);
        await session.ask('setBreakpoints', { source: { path: program }, breakpoints: [] });
        for (const command of ['setFunctionBreakpoints', 'setDataBreakpoints']) await session.ask(command, { breakpoints: [] });
        await session.ask('setExceptionBreakpoints', { filters: [] });
        const before = raw.messages().length;
        const back = await session.ask(CustomRequest.gotoPosition, { seq: 1 });
        assert.equal(back.success, true, back.message);
        assert.equal((await stoppedAfter(raw, before)).body.reason, 'goto');
        const top = await session.ask('stackTrace', { threadId: entry.thread, levels: 1 });
        assert.equal(top.body.stackFrames[0].line, entryLine, 'the top frame at the start, after the storm');

        // disconnect ends the session: the connection closes (stdio: the server exits 0); what follows may go unanswered.
        const bye = session.request('disconnect', {}, 200_000);
        for (const command of ['threads', 'stackTrace', 'initialize']) raw.write(frame(JSON.stringify({ seq: 300_000, type: 'request', command, arguments: { threadId: entry.thread } })));
        assert.equal(await raw.closed, transport === 'stdio' ? 0 : null);
        assert.deepEqual(raw.messages().filter((message) => message.request_seq === bye).map((message) => message.success), [true]);
        assert.ok(raw.messages().filter((message) => message.request_seq === 300_000).length <= 3);
        session.checkAnswers([300_000]);
        checkNoStacks(raw, stderr());

        if (own) {
          // A new connection to the same server replays as if nothing had happened.
          const fresh = new Storm(await rawConnection('tcp', { server: own.server }), random);
          opened.push(fresh.raw);
          assert.equal((await fresh.ask('initialize', { adapterID: 'fuzz', pathFormat: 'path' })).success, true);
          await replayFromEntry(fresh, { ...known, token: own.server.token }, entryLine);
          fresh.raw.end();
          await fresh.raw.closed;
          fresh.checkAnswers();
          checkNoStacks(fresh.raw, stderr());
        }
      } finally {
        // What a failure left open: a stdio server ends with its input, and would keep mocha running.
        for (const raw of opened) raw.end();
        own?.child.kill();
      }
    });
  });
}
