// DAP requests end to end: threads, variables with paging, evaluate and REPL commands, source, the cursor
// sidecar, malformed requests; the server stays up through every error (launch failures: dap-launch).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readCursor } from '../protocol/cursor';
import { freshDir, markedLine, runCli } from './support/recordings';
import { dapFixture, failure, launchTo, move, scopeValues, stack, startDap, topFrame, type Dap } from './support/dap';

describe('dap requests', () => {
  let dap: Dap;
  beforeEach(async () => { dap = await startDap('stdio'); });
  afterEach(async () => { await dap.stop(); });

  it('lists real thread names and answers stackTrace for the thread asked; stepping stays on it', async () => {
    const hit = await launchTo(dap.client, 'threads', [{ line: markedLine('dap/threads', 'worker'), hitCondition: '2' }], { stopOnEntry: false });
    const threads = (await dap.client.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((thread) => thread.name), ['MainThread', 'worker-1']);
    const worker = threads[1]?.id ?? 0;
    const main = threads[0]?.id ?? 0;
    assert.equal(hit.threadId, worker);
    assert.deepEqual(await stack(dap.client, worker), [`worker:${markedLine('dap/threads', 'worker')}`]);
    const mainStack = await stack(dap.client, main);
    assert.equal(mainStack.length, 1);
    assert.ok([`<module>:${markedLine('dap/threads', 'start')}`, `<module>:${markedLine('dap/threads', 'join')}`].includes(mainStack[0] ?? ''), mainStack[0]);
    const stepped = await move(dap.client, 'next', worker);
    assert.equal(stepped.threadId, worker);
    assert.deepEqual(await stack(dap.client, worker), [`worker:${markedLine('dap/threads', 'worker-for')}`]);
  });

  it('pages variables, counts indexed and named children, and evaluates the safe subset', async () => {
    await launchTo(dap.client, 'values', [{ line: markedLine('dap/values', 'done') }], { stopOnEntry: false });
    const frame = await topFrame(dap.client, 1);
    const scopes = (await dap.client.scopesRequest({ frameId: frame.id })).body.scopes;
    const locals = (await dap.client.variablesRequest({ variablesReference: scopes[0]?.variablesReference ?? 0 })).body.variables;
    const numbers = locals.find((variable) => variable.name === 'numbers');
    assert.equal(numbers?.type, 'list');
    assert.ok(numbers && numbers.indexedVariables && numbers.indexedVariables < 300, 'the recorder caps items');
    assert.equal(numbers?.namedVariables, 1);
    const page = await dap.client.variablesRequest({ variablesReference: numbers?.variablesReference ?? 0, filter: 'indexed', start: 5, count: 3 });
    assert.deepEqual(page.body.variables.map((variable) => [variable.name, variable.value]), [['5', '5'], ['6', '6'], ['7', '7']]);
    const named = await dap.client.variablesRequest({ variablesReference: numbers?.variablesReference ?? 0, filter: 'named' });
    assert.match(named.body.variables[0]?.value ?? '', /of 300 items recorded/);
    const point = locals.find((variable) => variable.name === 'point');
    const attributes = await dap.client.variablesRequest({ variablesReference: point?.variablesReference ?? 0 });
    assert.deepEqual(attributes.body.variables.map((variable) => [variable.name, variable.value, variable.type]), [['x', '1', 'int'], ['y', "'two'", 'str']]);

    const evaluate = async (expression: string, context = 'hover') => (await dap.client.evaluateRequest({ expression, frameId: frame.id, context })).body;
    assert.equal((await evaluate('point.y')).result, "'two'");
    assert.equal((await evaluate("table['b'][-1]")).result, '2');
    assert.equal((await evaluate('table[3]', 'watch')).result, "'three'");
    assert.equal((await evaluate('numbers[2] == 2 and name != "x"', 'repl')).result, 'True');
    const table = await evaluate('table');
    assert.deepEqual([table.type, table.namedVariables], ['dict', 3]);
    assert.equal((await evaluate('len(numbers)')).result, '300');
    assert.match(await failure(evaluate('__import__("os").system("echo hi")')), /would run the program's code/);
    assert.match(await failure(evaluate('missing')), /name 'missing' is not recorded/);
  });

  it('shows subclasses of builtins by value with their attributes, and builtin exceptions as Python does', async () => {
    await launchTo(dap.client, 'shapes', [{ line: markedLine('dap/shapes', 'done') }], { stopOnEntry: false });
    const frame = await topFrame(dap.client, 1);
    const scopes = (await dap.client.scopesRequest({ frameId: frame.id })).body.scopes;
    const locals = (await dap.client.variablesRequest({ variablesReference: scopes[0]?.variablesReference ?? 0 })).body.variables;
    const variable = (name: string) => locals.find((candidate) => candidate.name === name);
    const children = async (name: string) => (await dap.client.variablesRequest({ variablesReference: variable(name)?.variablesReference ?? 0 })).body.variables
      .map((child) => [child.name, child.value, child.type]);
    const shown = (name: string) => [variable(name)?.value, variable(name)?.type, variable(name)?.variablesReference === 0];
    assert.deepEqual(shown('symbol'), ["'n'", '__main__.Symbol', true]);
    assert.deepEqual(shown('env'), ["Env({'n': 1})", '__main__.Env', false]);
    assert.deepEqual(await children('env'), [["'n'", '1', 'int'], ['outer', 'Env({})', '__main__.Env']]);
    assert.deepEqual(shown('args'), ["Args(['n'])", '__main__.Args', false]);
    assert.deepEqual([variable('args')?.indexedVariables, variable('args')?.namedVariables], [1, 1]);
    assert.deepEqual(await children('args'), [['0', "'n'", '__main__.Symbol'], ['rest', 'None', 'NoneType']]);
    assert.deepEqual(shown('error'), ["ValueError('bad 2')", 'ValueError', false]);
    assert.deepEqual(await children('error'), [['args', "('bad 2',)", 'tuple']]);
    const evaluate = async (expression: string) => (await dap.client.evaluateRequest({ expression, frameId: frame.id, context: 'hover' })).body.result;
    assert.deepEqual([await evaluate('symbol'), await evaluate('env.outer'), await evaluate('error')], ["'n'", 'Env({})', "ValueError('bad 2')"]);
    const completions = await dap.client.customRequest('completions', { text: 'args.r', column: 7, frameId: frame.id }) as DebugProtocol.CompletionsResponse;
    assert.deepEqual(completions.body.targets.map((target) => target.label), ['rest']);
  });

  it('moves with REPL commands (:back, :goto, :where) and writes the cursor sidecar on every stop, withdrawn at the end', async () => {
    const trace = path.join(freshDir('dap-repl'), 'loop.trace.db');
    const entry = await launchTo(dap.client, 'loop', [], { trace });
    const thread = entry.threadId ?? 0;
    const repl = async (expression: string) => (await dap.client.evaluateRequest({ expression, context: 'repl' })).body.result;
    assert.match(await repl(':where'), /^event 2 of \d+ \(<module>, line 3\)$/);
    const stopped = dap.client.waitForEvent('stopped');
    assert.equal(await repl(':goto 10'), 'going to event 10');
    assert.equal((await stopped).body.reason, 'goto');
    const cursor = readCursor(trace);
    assert.ok(cursor && cursor.seq >= 10);
    assert.equal(cursor?.trace, trace);
    const before = await stack(dap.client, thread);
    await move(dap.client, 'next', thread);
    const back = dap.client.waitForEvent('stopped');
    await repl(':back');
    await back;
    assert.deepEqual(await stack(dap.client, thread), before);
    assert.equal(readCursor(trace)?.seq, cursor?.seq);
    assert.match(await failure(repl(':fly')), /unknown command ':fly'/);
    await dap.stop(); // the session's end withdraws its cursor: no stop to show any more
    assert.equal(readCursor(trace), undefined);
    dap = await startDap('stdio');
  });

  it('serves the recorded source, refuses setVariable, and reports bad requests while staying up', async () => {
    assert.equal(await failure(dap.client.stackTraceRequest({ threadId: 1 })), "send 'initialize' first: 'stackTrace' came before it");
    await dap.client.initializeRequest();
    assert.match(await failure(dap.client.stackTraceRequest({ threadId: 1 })), /no trace is open yet/);
    await launchTo(dap.client, 'loop');
    const source = await dap.client.sourceRequest({ source: { path: dapFixture('loop') }, sourceReference: 0 });
    assert.equal(source.body.content, fs.readFileSync(dapFixture('loop'), 'utf8'));
    assert.match(await failure(dap.client.setVariableRequest({ variablesReference: 1, name: 'x', value: '1' })), /cannot be changed/);
    assert.match(await failure(dap.client.stackTraceRequest({ threadId: 999 })), /no thread 999/);
    assert.match(await failure(dap.client.variablesRequest({ variablesReference: 4242 })), /unknown/);
    assert.match(await failure(dap.client.customRequest('flyToTheMoon')), /unknown request 'flyToTheMoon'/);
    assert.match(await failure(dap.client.scopesRequest({ frameId: -3 })), /not a frame/);
    assert.equal((await dap.client.threadsRequest()).body.threads.length, 1);
  });

  it('serves a source from the trace once the file changed after recording', async () => {
    const program = path.join(freshDir('dap-edited'), 'edited.py');
    const original = '# recorded text\nx = 1\ny = x + 1\n';
    fs.writeFileSync(program, original);
    const stopped = dap.client.waitForEvent('stopped');
    await Promise.all([
      dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
      dap.client.launch({ program, python: 'python3', trace: `${program}.trace.db` }),
    ]);
    await stopped;
    fs.writeFileSync(program, '# edited since\n');
    await dap.stop();
    dap = await startDap('stdio');
    await dap.client.initializeRequest();
    const entry = dap.client.waitForEvent('stopped');
    await Promise.all([dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
      dap.client.attachRequest({ trace: `${program}.trace.db` } as never)]);
    await entry;
    const frame = await topFrame(dap.client, 1);
    assert.equal(frame.source?.path, program);
    assert.ok((frame.source?.sourceReference ?? 0) > 0, 'an edited file is served from the trace');
    const source = await dap.client.sourceRequest({ source: frame.source, sourceReference: frame.source?.sourceReference ?? 0 });
    assert.equal(source.body.content, original);
  });

  it('rejects bad command lines for hindsight dap', () => {
    const bad = runCli(['dap', '--port', 'x']);
    assert.deepEqual([bad.status, bad.stdout], [2, '']);
    assert.match(bad.stderr, /--port N with N from 0 to 65535/);
    assert.match(runCli(['--help']).stdout, /dap \[--port N\]/);
  });

  it('attaches to an existing trace, and refuses a file that is not one', async () => {
    assert.equal(await failure(dap.client.attachRequest({ trace: dapFixture('loop') } as never)), "send 'initialize' first: 'attach' came before it");
    await dap.client.initializeRequest();
    assert.match(await failure(dap.client.attachRequest({ trace: dapFixture('loop') } as never)), /not an SQLite file/);
    const trace = path.join(freshDir('dap-attach'), 'loop.trace.db');
    await launchTo(dap.client, 'loop', [], { trace });
    await dap.stop();
    dap = await startDap('tcp');
    const other = await startDap('tcp');
    try {
      for (const client of [dap.client, other.client]) {
        await client.initializeRequest();
        const stopped = client.waitForEvent('stopped');
        await Promise.all([client.waitForEvent('initialized').then(() => client.configurationDoneRequest()), client.attachRequest({ trace } as never)]);
        assert.equal((await stopped).body.reason, 'entry');
      }
      await move(other.client, 'next', 1);
      assert.deepEqual(await stack(dap.client, 1), ['<module>:3']);
      assert.deepEqual(await stack(other.client, 1), ['<module>:8']);
      const globals = await scopeValues(other.client, (await topFrame(other.client, 1)).id);
      assert.deepEqual([globals.bump, globals.main], ['<function bump>', undefined]);
    } finally {
      await other.stop();
    }
  });
});
