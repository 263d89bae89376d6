// A seeded fuzz battery for `hindsight lsp --stdio` on the raw wire, over a recorded trace: malformed,
// wrong-typed, out-of-order and huge messages each get one response without a stack, the same lenses
// are served after, and a broken frame header ends the server with one line.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, freshDir, runCli } from './support/recordings';
import { LspWire } from './support/lspWire';
import { seeded } from './support/seeded';

const SEED = 20261207;
const MESSAGES = 300;
const STACK = /\n\s+at /;

const METHODS = ['textDocument/codeLens', 'textDocument/inlayHint', 'textDocument/hover', 'textDocument/inlineValue', 'textDocument/diagnostic',
  'workspace/executeCommand', 'initialize', 'codeLens/resolve', 'textDocument/definition', 'no/such/method', '$/cancelRequest', '', 'workspace/diagnostic'];
const NOTIFICATIONS = ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave', 'workspace/didChangeConfiguration',
  '$/setTrace', '$/cancelRequest', 'initialized', 'no/such/notification'];

function paramsPool(uri: string): unknown[] {
  const position = { line: 3, character: 2 };
  const range = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
  return [
    undefined, null, 0, -1, 1.5, 'text', true, [], [1, 'a'], {},
    { textDocument: null }, { textDocument: { uri: 5 } }, { textDocument: { uri } }, { textDocument: { uri: 'file://host/x.py' } },
    { textDocument: { uri: 'file:///%%%' } }, { textDocument: { uri: 'untitled:1' } },
    { textDocument: { uri }, position }, { textDocument: { uri }, position: { line: -5, character: 1e300 } },
    { textDocument: { uri }, position: { line: 2 ** 40, character: 0 } }, { textDocument: { uri }, range },
    { textDocument: { uri }, range: { start: position, end: null } }, { textDocument: { uri }, range, context: { frameId: 1 } },
    { textDocument: { uri }, range, context: { frameId: -99 } }, { command: 'hindsight.goToCall', arguments: [{ trace: 'x', invocation: 1 }] },
    { command: 'hindsight.goToCall', arguments: ['x', { trace: null }] }, { command: 7 },
    { textDocument: { uri, languageId: 'python', version: 9, text: 'def f(:\n' } },
    { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'x = 1\n' }, { range: { start: position, end: position }, text: 'y' }] },
    { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 99, character: 0 }, end: position }, text: '\u0000' }] },
    { settings: { hindsight: { trace: 42, lineHitHints: 'yes' } } }, { settings: null }, { value: 'verbose' }, { id: 'abc' },
    { textDocument: { uri: 'x'.repeat(200_000) } }, { textDocument: { uri }, huge: 'y'.repeat(5_000_000) },
    { processId: null, rootUri: null, capabilities: {} },
    JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`),
  ];
}

/** Params that fit each method, so that the handlers themselves run on the fuzzed document too. */
function fitting(uri: string, random: () => number): Record<string, unknown> {
  const line = Math.floor(random() * 60);
  const range = { start: { line, character: 0 }, end: { line: line + Math.floor(random() * 20), character: 0 } };
  const position = { line, character: Math.floor(random() * 12) };
  return {
    'textDocument/codeLens': { textDocument: { uri } },
    'textDocument/diagnostic': { textDocument: { uri } },
    'textDocument/inlayHint': { textDocument: { uri }, range },
    'textDocument/hover': { textDocument: { uri }, position },
    'textDocument/inlineValue': { textDocument: { uri }, range, context: { frameId: Math.floor(random() * 200), stoppedLocation: range } },
    'workspace/executeCommand': { command: 'hindsight.goToCall', arguments: [{ trace: 'elsewhere.trace.db', invocation: line }] },
  };
}

/** Bodies that are not one well-formed message: not JSON, JSON that is no object, messages without a usable method or id. */
const ODD_BODIES = ['', '{', 'not json', '\u0000\u0001', '{"jsonrpc":"2.0","id":1,"method":', '42', 'null', '"x"', '[]',
  '[{"jsonrpc":"2.0","id":7,"method":"shutdown"}]', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","id":null,"method":"textDocument/hover"}',
  '{"jsonrpc":"2.0","id":{},"method":"textDocument/hover"}', '{"jsonrpc":"2.0","method":5}', '{"jsonrpc":"2.0","id":424242,"result":null}',
  '{"jsonrpc":"2.0","id":"r","error":{"code":1,"message":"m"}}'];

function recordedWorkspace(): { root: string; program: string } {
  const root = freshDir('lsp-fuzz');
  const program = path.join(root, 'calls.py');
  fs.copyFileSync(fixture('lsp/calls'), program);
  const run = runCli(['record', 'calls.py'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  return { root, program };
}

describe('lsp fuzz battery', () => {
  it(`answers each of ${MESSAGES} hostile messages as it should, then serves the same lenses`, async function () {
    this.timeout(120_000);
    const { root, program } = recordedWorkspace();
    const uri = pathToFileURL(program).href;
    const random = seeded(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const pool = paramsPool(uri);
    const wire = new LspWire(root);
    try {
      // Before initialize: requests refused, notifications dropped.
      const early: number[] = [];
      for (let id = 1; id <= 20; id++) {
        if (random() < 0.5) wire.send({ jsonrpc: '2.0', method: pick(NOTIFICATIONS), params: pick(pool) });
        wire.send({ jsonrpc: '2.0', id, method: pick(METHODS.filter((method) => method !== 'initialize')), params: pick(pool) });
        early.push(id);
      }
      await wire.until(() => early.every((id) => wire.responses(id).length > 0), 'the answers before initialize');
      for (const id of early) assert.equal(wire.responses(id)[0]?.error?.code, -32002, `request ${id} before initialize`);

      const opened = await wire.request(100, 'initialize', { processId: null, rootUri: pathToFileURL(root).href, capabilities: { textDocument: { codeLens: {} } } });
      assert.ok(opened.result, 'initialized');
      wire.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      wire.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(program, 'utf8') } } });
      const before = await wire.request(101, 'textDocument/codeLens', { textDocument: { uri } });
      assert.ok(Array.isArray(before.result) && before.result.length > 10, 'the recorded program has lenses');

      const sent: (number | string)[] = [];
      for (let n = 0; n < MESSAGES; n++) {
        const roll = random();
        const id = roll < 0.5 ? 1000 + n : `s${n}`;
        if (roll < 0.6) {
          const method = pick(METHODS);
          const params = random() < 0.4 ? fitting(uri, random)[method] ?? pick(pool) : pick(pool);
          wire.send({ jsonrpc: '2.0', id, method, params });
          sent.push(id);
        } else if (roll < 0.85) {
          wire.send({ jsonrpc: '2.0', method: pick(NOTIFICATIONS), params: pick(pool) });
        } else {
          wire.sendBody(pick(ODD_BODIES));
        }
      }
      await wire.until(() => sent.every((id) => wire.responses(id).length > 0), 'an answer to every request');
      // The document may have been changed or closed by the fuzz: open it again as it is on disk.
      wire.send({ jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: { uri } } });
      wire.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'python', version: 50, text: fs.readFileSync(program, 'utf8') } } });
      const after = await wire.request(102, 'textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(after.result, before.result);

      for (const id of sent) assert.equal(wire.responses(id).length, 1, `request ${JSON.stringify(id)} answered once`);
      for (const { message } of wire.received) {
        if (message.method === undefined && message.id !== null) assert.ok(sent.includes(message.id as never) || [...early, 100, 101, 102].includes(message.id as never), `no answer to ${message.id}, never asked`);
        assert.notEqual(message.error?.code, -32603, `an internal error: ${message.error?.message}`);
      }
      for (const { body } of wire.received) assert.doesNotMatch(body, STACK);
      assert.doesNotMatch(wire.stderr, STACK);
      assert.equal(wire.stderr, '');

      // A header without a valid Content-Length: the connection ends, with one line, and no stack.
      wire.sendRaw('Content-Length: many\r\n\r\n{}');
      assert.equal(await wire.exited, 1);
      assert.equal(wire.stderr, 'hindsight lsp: a message header without a valid Content-Length ("Content-Length: many"); closing the connection\n');
    } finally {
      wire.kill();
    }
  });
});
