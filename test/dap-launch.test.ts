// DAP launch and attach, end to end over stdio and TCP: the launch arguments, the debuggee's stdin,
// progress events, pause / terminate / disconnect while recording, the first stop, and every way a
// launch, an attach or a request can fail, the server answering and staying up through all of them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Trace } from '../protocol/reader';
import { SCHEMA_VERSION } from '../protocol/schema';
import { dapFixture, failure, frame, launchTo, move, rawConnection, startDap, topFrame, type Dap, type Stopped } from './support/dap';
import { waitFor } from './support/recorder';
import { freshDir, markedLine } from './support/recordings';
import { editDatabase } from './support/sqlite';

const line = (fixture: string, mark: string) => markedLine(`dap/${fixture}`, mark);
const FOREVER_LOOP = ['while', 'count', 'if', 'looping', 'sleep'].map((mark) => line('forever', mark));

/** Everything the server sent as `output`, and a way to wait for a piece of it. */
function outputOf(client: DebugClient): { text(): string; waitFor(piece: string): Promise<void> } {
  let text = '';
  const waiting: { piece: string; resolve: () => void }[] = [];
  client.on('output', (event: DebugProtocol.OutputEvent) => {
    text += event.body.output;
    for (const wait of waiting.filter((candidate) => text.includes(candidate.piece))) wait.resolve();
  });
  return {
    text: () => text,
    waitFor: (piece) => (text.includes(piece) ? Promise.resolve() : new Promise((resolve) => waiting.push({ piece, resolve }))),
  };
}

/** Every event of the given names, in arrival order. */
function eventsOf(client: DebugClient, names: readonly string[]): DebugProtocol.Event[] {
  const seen: DebugProtocol.Event[] = [];
  for (const name of names) client.on(name, (event: DebugProtocol.Event) => seen.push(event));
  return seen;
}

/** Answers configuration as a client does once the recording is over, and resolves with the first stop. */
async function firstStop(client: DebugClient): Promise<Stopped> {
  const stopped = client.waitForEvent('stopped');
  await client.waitForEvent('initialized');
  await client.configurationDoneRequest();
  return (await stopped).body as Stopped;
}

/** attach { trace } with no breakpoints; resolves at the first stop. */
async function attachTo(client: DebugClient, trace: string, extra: Record<string, unknown> = {}): Promise<Stopped> {
  await client.initializeRequest();
  const [stop] = await Promise.all([firstStop(client), client.attachRequest({ trace, ...extra } as DebugProtocol.AttachRequestArguments)]);
  return stop;
}

/** The pids of live processes whose command line names the file (zombies have none). */
function processesRunning(file: string): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      return fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(file) ? [Number(name)] : [];
    } catch {
      return []; // exited meanwhile
    }
  });
}

/** A copy of the forever fixture at a path of its own, so that its processes can be told from other tests'. */
function foreverCopy(name: string): string {
  const program = path.join(freshDir(name), 'forever.py');
  fs.copyFileSync(dapFixture('forever'), program);
  return program;
}

async function evaluate(client: DebugClient, expression: string): Promise<string> {
  return (await client.evaluateRequest({ expression, context: 'watch' })).body.result;
}

/** The text of the output events among raw messages. */
function outputIn(messages: Record<string, any>[]): string {
  return messages.filter((message) => message.event === 'output').map((message) => message.body.output).join('');
}

for (const transport of ['stdio', 'tcp'] as const) {
  describe(`dap launch and attach over ${transport}`, () => {
    let dap: Dap | undefined;
    const client = (): DebugClient => {
      if (!dap) throw new Error('no server');
      return dap.client;
    };
    beforeEach(async () => { dap = await startDap(transport); });
    afterEach(async () => {
      await dap?.stop();
      dap = undefined;
    });

    it('runs the program with args, cwd, envFile under env, stdin at end of file, and stops on its first line', async () => {
      const dir = freshDir('dap-env');
      fs.writeFileSync(path.join(dir, 'vars.env'), '# settings\nFROM_FILE=file value\nQUOTED="a # b"\nOVERRIDDEN=from file\nREMOVED=gone\n');
      const output = outputOf(client());
      const entry = await launchTo(client(), 'launch_args', [], {
        args: ['one', 'two words'], cwd: dir, envFile: 'vars.env', env: { OVERRIDDEN: 'from env', REMOVED: null }, trace: 'args.trace.db',
      });
      assert.equal(entry.reason, 'entry');
      assert.equal((await topFrame(client(), entry.threadId ?? 0)).line, line('launch_args', 'first'));
      assert.equal(output.text(), [
        "argv ['one', 'two words']", `cwd ${dir}`, "FROM_FILE 'file value'", "QUOTED 'a # b'", "OVERRIDDEN 'from env'", 'REMOVED None',
        "stdin ''", 'done', '',
      ].join('\n'));
      assert.ok(fs.existsSync(path.join(dir, 'args.trace.db')), "'trace' is relative to cwd");
      assert.equal((await client().threadsRequest()).body.threads.length, 1, 'the server still speaks: stdin was never shared');
    });

    it('runs a module, records libraries with justMyCode false, and redacts the names given', async () => {
      const trace = path.join(freshDir('dap-module'), 'module.trace.db');
      const output = outputOf(client());
      const stop = await launchTo(client(), 'launch_args', [{ line: line('launch_args', 'done') }], {
        program: undefined, module: 'launch_args', cwd: path.dirname(dapFixture('launch_args')), trace, justMyCode: false, redact: ['answer'], stopOnEntry: false,
      });
      assert.equal(stop.reason, 'breakpoint');
      assert.match(output.text(), /^argv \[\]\n/);
      assert.equal(await failure(evaluate(client(), 'answer')), 'answer is redacted in this trace (recorded with secret redaction)');
      assert.equal(await failure(evaluate(client(), 'secret_token')), 'secret_token is redacted in this trace (recorded with secret redaction)');
      const reader = await Trace.open(trace);
      try {
        assert.ok(reader.files().some((file) => !file.path.startsWith(path.dirname(dapFixture('launch_args')))), 'a library file was recorded');
      } finally {
        reader.close();
      }
    });

    it('reports progress with the number of events recorded when the client supports it, and only then', async () => {
      const trace = path.join(freshDir('dap-progress'), 'loop.trace.db');
      const progress = eventsOf(client(), ['progressStart', 'progressUpdate', 'progressEnd', 'initialized']);
      await client().initializeRequest({ adapterID: 'hindsight', pathFormat: 'path', supportsProgressReporting: true });
      await Promise.all([firstStop(client()), client().launchRequest({ program: dapFixture('loop'), python: 'python3', trace } as DebugProtocol.LaunchRequestArguments)]);
      const reader = await Trace.open(trace);
      const events = reader.summary().events;
      reader.close();
      const kinds = progress.map((event) => event.event);
      assert.equal(kinds[0], 'progressStart');
      assert.deepEqual(kinds.slice(-2), ['progressEnd', 'initialized']);
      assert.ok(kinds.slice(1, -2).every((kind) => kind === 'progressUpdate') && kinds.length >= 4, kinds.join());
      assert.equal(progress[0]?.body.title, 'Recording loop.py');
      assert.equal(new Set(progress.slice(0, -1).map((event) => event.body.progressId)).size, 1);
      assert.equal(progress.at(-3)?.body.message, `${events} events`, 'the last update is the total');
      assert.equal(progress.at(-2)?.body.message, `${events} events recorded`);

      await dap?.stop();
      dap = await startDap(transport);
      const silent = eventsOf(client(), ['progressStart', 'progressUpdate', 'progressEnd']);
      await launchTo(client(), 'loop');
      assert.deepEqual(silent, [], 'no progress events for a client that did not ask');
    });

    it('pause while recording stops the program where it stands and replays up to there', async () => {
      const program = foreverCopy('dap-pause');
      const trace = path.join(path.dirname(program), 'forever.trace.db');
      const output = outputOf(client());
      await client().initializeRequest();
      const launched = client().launchRequest({ program, python: 'python3', trace } as DebugProtocol.LaunchRequestArguments);
      await output.waitFor('looping\n');
      const stopped = firstStop(client());
      await client().pauseRequest({ threadId: 1 });
      const [stop] = await Promise.all([stopped, launched]);
      assert.equal(stop.reason, 'pause');
      const top = await topFrame(client(), stop.threadId ?? 0);
      assert.ok(FOREVER_LOOP.includes(top.line), `stopped in the loop, at line ${top.line}`);
      assert.ok(Number(await evaluate(client(), 'count')) >= 3);
      assert.doesNotMatch(output.text(), /cleaned up/, 'paused where it stood: its finally block never ran');
      const after = await move(client(), 'next', stop.threadId ?? 0);
      assert.equal(after.description, 'End of recording', 'the pause was the end of the recording');
      await waitFor('no process to run the program', async () => processesRunning(program).length === 0);
    });

    it('terminate while recording ends the program as Ctrl-C does, then replays from its first line', async () => {
      const program = foreverCopy('dap-terminate');
      const output = outputOf(client());
      await client().initializeRequest();
      const launched = client().launchRequest({ program, python: 'python3', trace: `${program}.trace.db` } as DebugProtocol.LaunchRequestArguments);
      await output.waitFor('looping\n');
      const stopped = firstStop(client());
      await client().terminateRequest();
      const [entry] = await Promise.all([stopped, launched]);
      assert.equal(entry.reason, 'entry');
      const printed = /cleaned up after (\d+)\n/.exec(output.text());
      assert.ok(printed, output.text());
      assert.match(output.text(), /KeyboardInterrupt\n/);
      await client().setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: line('forever', 'cleanup') }] });
      const hit = await move(client(), 'continue', entry.threadId ?? 0);
      assert.equal(hit.reason, 'breakpoint');
      assert.equal(await evaluate(client(), 'count'), printed[1], 'the recording holds the clean-up the program printed');
      await waitFor('no process to run the program', async () => processesRunning(program).length === 0);
    });

    it('a second terminate kills a program that ignores Ctrl-C, and replays what was written', async () => {
      const program = path.join(freshDir('dap-stubborn'), 'stubborn.py');
      fs.copyFileSync(dapFixture('stubborn'), program);
      const output = outputOf(client());
      const updates = eventsOf(client(), ['progressUpdate']);
      await client().initializeRequest({ adapterID: 'hindsight', pathFormat: 'path', supportsProgressReporting: true });
      const launched = client().launchRequest({ program, python: 'python3', trace: `${program}.trace.db`, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments);
      await output.waitFor('looping\n');
      await waitFor('events written to the trace', async () => updates.some((event) => Number(/^(\d+)/.exec(event.body.message)?.[1]) > 0));
      await client().terminateRequest();
      await output.waitFor('ignoring Ctrl-C\n');
      const stopped = firstStop(client());
      await client().terminateRequest();
      const [end] = await Promise.all([stopped, launched]);
      assert.equal(end.description, 'End of recording');
      assert.ok(Number(await evaluate(client(), 'count')) >= 1);
      await waitFor('no process to run the program', async () => processesRunning(program).length === 0);
      const reader = await Trace.open(`${program}.trace.db`);
      assert.equal(reader.summary().status, 'incomplete', 'killed: the trace holds what was written before');
      reader.close();
    });

    it('disconnect while recording kills the program; attach opens what it left, a trace of a killed process', async () => {
      const program = foreverCopy('dap-disconnect');
      const trace = `${program}.trace.db`;
      const output = outputOf(client());
      const updates = eventsOf(client(), ['progressUpdate']);
      await client().initializeRequest({ adapterID: 'hindsight', pathFormat: 'path', supportsProgressReporting: true });
      const launched = failure(client().launchRequest({ program, python: 'python3', trace } as DebugProtocol.LaunchRequestArguments));
      await output.waitFor('looping\n');
      await waitFor('events written to the trace', async () => updates.some((event) => Number(/^(\d+)/.exec(event.body.message)?.[1]) > 0));
      await dap?.stop();
      dap = undefined;
      assert.match(await launched, /the session ended during recording/);
      await waitFor('no process to run the program', async () => processesRunning(program).length === 0);

      dap = await startDap(transport);
      const entry = await attachTo(client(), trace, { stopOnEntry: false });
      assert.equal(entry.description, 'End of recording');
      assert.ok(FOREVER_LOOP.includes((await topFrame(client(), entry.threadId ?? 0)).line));
      assert.ok(Number(await evaluate(client(), 'count')) >= 1);
      const reader = await Trace.open(trace);
      assert.equal(reader.summary().status, 'incomplete');
      reader.close();
    });

    it('attaches to a trace cut at maxEvents, and with stopOnEntry false runs to the end without breakpoints', async () => {
      const trace = path.join(freshDir('dap-truncated'), 'loop.trace.db');
      const end = await launchTo(client(), 'loop', [], { trace, maxEvents: 25, stopOnEntry: false });
      assert.equal(end.description, 'End of recording');
      const reader = await Trace.open(trace);
      assert.deepEqual([reader.summary().status, reader.summary().events], ['truncated', 25]);
      reader.close();
      await dap?.stop();
      dap = await startDap(transport);
      const entry = await attachTo(client(), trace);
      assert.equal(entry.reason, 'entry');
      assert.equal((await topFrame(client(), entry.threadId ?? 0)).line, line('loop', 'append') - 1);
    });

    it('refuses launch arguments of the wrong type, naming the argument', async () => {
      await client().initializeRequest();
      const launch = (args: Record<string, unknown>) => failure(client().launchRequest({ python: 'python3', ...args } as DebugProtocol.LaunchRequestArguments));
      const program = dapFixture('loop');
      assert.match(await launch({}), /either 'program' or 'module'/);
      assert.match(await launch({ program, module: 'loop' }), /either 'program' or 'module'/);
      assert.match(await launch({ program: 7 }), /'program' must be a file path in the launch configuration, not 7/);
      assert.match(await launch({ program, args: 'one two' }), /'args' must be a list of strings/);
      assert.match(await launch({ program, args: [1] }), /'args' must be a list of strings/);
      assert.match(await launch({ program, env: { A: 1 } }), /'env' must be an object of string values/);
      assert.match(await launch({ program, env: ['A=1'] }), /'env' must be an object/);
      assert.match(await launch({ program, maxEvents: -3 }), /'maxEvents' must be a positive whole number/);
      assert.match(await launch({ program, maxEvents: '10' }), /'maxEvents' must be a positive whole number in the launch configuration, not "10"/);
      assert.match(await launch({ program, stopOnEntry: 'yes' }), /'stopOnEntry' must be true or false/);
      assert.match(await launch({ program, justMyCode: 0 }), /'justMyCode' must be true or false/);
      assert.match(await launch({ program, redact: 'password' }), /'redact' must be true, false or a list of name patterns/);
      assert.match(await launch({ program, include: 'x' }), /'include' must be a list of patterns/);
      assert.match(await launch({ program, python: ['python3'] }), /'python' must be the path or name of a Python executable/);
      assert.match(await launch({ program, cwd: '/nonexistent/folder' }), /'cwd' is not a folder: \/nonexistent\/folder/);
      assert.match(await launch({ program, envFile: '/nonexistent/vars.env' }), /cannot read 'envFile' \/nonexistent\/vars.env: no such file/);
    });

    it('fails a launch that cannot record with the reason, and a later launch in the session works', async () => {
      await client().initializeRequest();
      const dir = freshDir('dap-bad');
      const launch = (args: Record<string, unknown>) => failure(client().launchRequest({ python: 'python3', trace: path.join(dir, 't.trace.db'), ...args } as DebugProtocol.LaunchRequestArguments));
      assert.match(await launch({ program: '/nonexistent/prog.py' }), /not recorded: hindsight: can't open file '\/nonexistent\/prog.py': No such file or directory/);
      assert.match(await launch({ program: dir }), /not recorded: .*can't find '__main__' module in '.*dap-bad-/);
      const broken = path.join(dir, 'broken.py');
      fs.writeFileSync(broken, 'x = (\n');
      assert.match(await launch({ program: broken }), /not recorded: (.|\n)*SyntaxError: '\(' was never closed/);
      assert.match(await launch({ module: 'no_such_module_here' }), /not recorded: .*No module named no_such_module_here/);
      assert.match(await launch({ program: broken, python: '/no/python3' }), /Python not found: '\/no\/python3'/);
      assert.match(await launch({ program: broken, python: dir }), /cannot run Python \(EACCES\): '.*dap-bad-/);
      assert.match(await launch({ program: broken, trace: '/nonexistent/folder/t.trace.db' }), /can't write the trace to '\/nonexistent\/folder\/t.trace.db'/);
      assert.deepEqual((await client().threadsRequest()).body.threads, [], 'nothing is open');
      const entry = await Promise.all([firstStop(client()), client().launchRequest({ program: dapFixture('loop'), python: 'python3', trace: path.join(dir, 'loop.trace.db') } as DebugProtocol.LaunchRequestArguments)]);
      assert.equal(entry[0].reason, 'entry');
      assert.match(await launch({ program: dapFixture('loop') }), /already launched or attached; start a new session/);
      assert.match(await failure(client().attachRequest({ trace: path.join(dir, 'loop.trace.db') } as DebugProtocol.AttachRequestArguments)), /already launched or attached/);
    });

    it('refuses to attach to what is not a readable trace of this version, then attaches in the same session', async () => {
      await client().initializeRequest();
      const dir = freshDir('dap-attach-bad');
      const attach = (trace: unknown) => failure(client().attachRequest({ trace } as DebugProtocol.AttachRequestArguments));
      const text = path.join(dir, 'notes.txt');
      fs.writeFileSync(text, 'just some text\n');
      const foreign = path.join(dir, 'foreign.db');
      await editDatabase(foreign, 'CREATE TABLE people (name TEXT)');
      const good = path.join(dir, 'loop.trace.db');
      await launchTo(client(), 'loop', [], { trace: good });
      await dap?.stop();
      dap = await startDap(transport);
      await client().initializeRequest();
      const newer = path.join(dir, 'newer.trace.db');
      fs.copyFileSync(good, newer);
      await editDatabase(newer, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      fs.writeFileSync(path.join(dir, 'empty.trace.db'), '');

      assert.match(await attach(undefined), /'trace' \(the path of a trace file\) is required to attach/);
      assert.match(await attach(42), /'attach': the argument 'trace' must be a string, not 42/);
      assert.match(await attach(path.join(dir, 'missing.trace.db')), /Cannot open trace .*missing.trace.db: no such file/);
      assert.match(await attach(dir), /it is a directory/);
      assert.match(await attach(path.join(dir, 'empty.trace.db')), /the file is empty/);
      assert.match(await attach(text), /it is not an SQLite file/);
      assert.match(await attach(foreign), /an SQLite database with no meta table; expected a Hindsight trace/);
      assert.match(await attach(newer), new RegExp(`schema version ${SCHEMA_VERSION + 1}, but this Hindsight reads version ${SCHEMA_VERSION}; upgrade Hindsight`));
      const [stop] = await Promise.all([firstStop(client()), client().attachRequest({ trace: good } as DebugProtocol.AttachRequestArguments)]);
      assert.equal(stop.reason, 'entry');
    });

    it('answers malformed requests, unknown commands and requests before launch with a sentence', async () => {
      const c = client();
      await c.initializeRequest();
      assert.match(await failure(c.nextRequest({ threadId: 1 })), /no trace is open yet: send launch or attach first/);
      assert.match(await failure(c.scopesRequest({ frameId: 1 })), /no trace is open yet/);
      assert.match(await failure(c.evaluateRequest({ expression: 'x', context: 'repl' })), /no trace is open yet/);
      assert.match(await failure(c.setBreakpointsRequest({ source: { path: dapFixture('loop') }, breakpoints: [{ line: 3 }] })), /no trace is open yet/);
      await launchTo(c, 'loop');
      const request = (command: string, args?: unknown) => failure(c.customRequest(command, args));
      assert.match(await request('stackTrace', {}), /'stackTrace' needs the argument 'threadId' \(a number\)/);
      assert.match(await request('stackTrace'), /'stackTrace' needs the argument 'threadId'/);
      assert.match(await request('stackTrace', { threadId: 1, levels: 'all' }), /'levels' must be a number, not "all"/);
      assert.match(await request('variables', { variablesReference: 'abc' }), /'variables': the argument 'variablesReference' must be a number, not "abc"/);
      assert.match(await request('setBreakpoints', { breakpoints: [] }), /'setBreakpoints' needs the argument 'source' \(an object\)/);
      assert.match(await request('setBreakpoints', { source: 'loop.py' }), /'source' must be an object, not "loop.py"/);
      assert.match(await request('evaluate', { frameId: 1 }), /'evaluate' needs the argument 'expression' \(a string\)/);
      assert.match(await request('scopes', { frameId: null }), /'scopes': the argument 'frameId' must be a number, not null/);
      assert.match(await request('next', { threadId: '1' }), /'next': the argument 'threadId' must be a number/);
      assert.match(await request('continue', []), /'continue' needs the argument 'threadId'/);
      assert.match(await request('setExceptionBreakpoints', { filters: 'raised' }), /'filters' must be a list/);
      assert.match(await request('setExceptionBreakpoints', { filters: [5] }), /the argument 'filters\[0\]' must be a string, not 5/);
      const loop = { path: dapFixture('loop') };
      assert.match(await request('setBreakpoints', { source: loop, breakpoints: [{}] }), /'setBreakpoints' needs the argument 'breakpoints\[0\].line' \(a number\)/);
      assert.match(await request('setBreakpoints', { source: loop, breakpoints: [{ line: 4 }, null] }), /'breakpoints\[1\]' must be an object, not null/);
      assert.match(await request('setBreakpoints', { source: loop, breakpoints: [{ line: 4, condition: 5 }] }), /'breakpoints\[0\].condition' must be a string, not 5/);
      assert.match(await request('setBreakpoints', { source: { path: 5 }, breakpoints: [] }), /'source.path' must be a string, not 5/);
      assert.match(await request('flyToTheMoon', { threadId: 1 }), /unknown request 'flyToTheMoon'/);
      assert.deepEqual((await c.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.line), [3], 'still serving');
    });

    it('a connection that closes while recording, without disconnect, leaves no process behind', async () => {
      const program = foreverCopy('dap-vanish');
      const raw = await rawConnection(transport);
      raw.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'raw' } })));
      raw.write(frame(JSON.stringify({ seq: 2, type: 'request', command: 'launch', arguments: { program, python: 'python3', trace: `${program}.trace.db`, token: raw.token } })));
      assert.ok(await raw.until((messages) => outputIn(messages).includes('looping\n')), 'the program loops');
      raw.end();
      if (transport === 'stdio') assert.equal(await raw.closed, 0, 'the server ends with its input');
      await waitFor('no process to run the program', async () => processesRunning(program).length === 0);
    });

    if (transport === 'stdio') {
      it('a server ended by a signal while recording ends the recording too', async () => {
        const program = foreverCopy('dap-signal');
        const raw = await rawConnection(transport);
        raw.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'raw' } })));
        raw.write(frame(JSON.stringify({ seq: 2, type: 'request', command: 'launch', arguments: { program, python: 'python3', trace: `${program}.trace.db`, token: raw.token } })));
        assert.ok(await raw.until((messages) => outputIn(messages).includes('looping\n')), 'the program loops');
        process.kill(raw.pid ?? 0, 'SIGTERM');
        await raw.closed;
        await waitFor('no process to run the program', async () => processesRunning(program).length === 0);
      });
    }

    it('ignores a body that is not JSON, and closes only the connection whose framing broke', async () => {
      const raw = await rawConnection(transport);
      raw.write(frame('this is not json'));
      raw.write(frame('[1, 2]'));
      raw.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'raw' } })));
      assert.ok(await raw.until((messages) => messages.some((message) => message.command === 'initialize')), 'initialize is answered');
      assert.equal(raw.messages().find((message) => message.command === 'initialize')?.success, true);
      raw.write('Content-Length: lots\r\n\r\n{}');
      raw.write(frame(JSON.stringify({ seq: 2, type: 'request', command: 'threads' })));
      const code = await raw.closed;
      assert.equal(code, transport === 'stdio' ? 1 : null);
      assert.ok(raw.messages().some((message) => message.event === 'output' && /without a valid Content-Length \("Content-Length: lots"\); closing the connection/.test(message.body.output)));
      assert.ok(!raw.messages().some((message) => message.command === 'threads'), 'nothing is read past a broken header');
      await client().initializeRequest();
      assert.equal((await client().threadsRequest()).body.threads.length, 0, 'the server serves other clients');
    });
  });
}
