// The language server's lifecycle and params on the raw wire: requests before `initialize` answered
// ServerNotInitialized (notifications dropped), a second `initialize` and requests after `shutdown`
// refused, null or ill-shaped params answered InvalidParams with a sentence, never an internal error.
import { strict as assert } from 'node:assert';
import { pathToFileURL } from 'node:url';
import { freshDir } from './support/recordings';
import { LspWire } from './support/lspWire';

const NOT_INITIALIZED = -32002;
const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;

describe('lsp lifecycle and params', () => {
  it('serves nothing before initialize, and initialize once', async () => {
    const root = freshDir('lsp-lifecycle');
    const uri = pathToFileURL(`${root}/x.py`).href;
    const wire = new LspWire(root);
    try {
      wire.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'python', version: 1, text: 'x = 1\n' } } });
      wire.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
      assert.deepEqual((await wire.request(1, 'textDocument/codeLens', { textDocument: { uri } })).error,
        { code: NOT_INITIALIZED, message: "the server is not initialized: send 'initialize' before 'textDocument/codeLens'" });
      assert.equal(wire.received.length, 1, 'the notifications before initialize were dropped without a word');
      assert.deepEqual((await wire.request(2, 'initialize', null)).error,
        { code: INVALID_PARAMS, message: "'initialize' takes params { capabilities, rootUri?, workspaceFolders? }" });
      const initialized = await wire.request(3, 'initialize', { processId: null, rootUri: pathToFileURL(root).href, capabilities: {} });
      assert.equal((initialized.result as { serverInfo: { name: string } }).serverInfo.name, 'hindsight');
      assert.deepEqual((await wire.request(4, 'initialize', { processId: null, rootUri: null, capabilities: {} })).error,
        { code: INVALID_REQUEST, message: 'initialize was already received' });
      assert.deepEqual(await wire.request(5, 'shutdown'), { jsonrpc: '2.0', id: 5, result: null } as never);
      assert.deepEqual((await wire.request(6, 'textDocument/codeLens', { textDocument: { uri } })).error,
        { code: INVALID_REQUEST, message: "the server is shutting down: 'textDocument/codeLens' is not served after 'shutdown'" });
      wire.send({ jsonrpc: '2.0', method: 'exit' });
      assert.equal(await wire.exited, 0);
      assert.equal(wire.stderr, '');
    } finally {
      wire.kill();
    }
  });

  it('answers null and ill-shaped params with InvalidParams and a sentence', async () => {
    const root = freshDir('lsp-params');
    const uri = pathToFileURL(`${root}/x.py`).href;
    const wire = new LspWire(root);
    try {
      await wire.request(1, 'initialize', { processId: null, rootUri: pathToFileURL(root).href, capabilities: {} });
      const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
      const cases: [string, unknown, string][] = [
        ['textDocument/codeLens', null, "'textDocument/codeLens' takes params { textDocument: { uri } }"],
        ['textDocument/codeLens', { textDocument: { uri: 7 } }, "'textDocument/codeLens' takes params { textDocument: { uri } }"],
        ['textDocument/inlayHint', { textDocument: { uri } }, "'textDocument/inlayHint' takes params { textDocument: { uri }, range }"],
        ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }, "'textDocument/hover' takes params { textDocument: { uri }, position }"],
        ['textDocument/inlineValue', { textDocument: { uri }, range, context: null }, "'textDocument/inlineValue' takes params { textDocument: { uri }, range, context: { frameId } }"],
        ['textDocument/diagnostic', 'x', "'textDocument/diagnostic' takes params { textDocument: { uri } }"],
        ['workspace/executeCommand', null, "'workspace/executeCommand' takes params { command, arguments? }"],
        ['workspace/executeCommand', { command: 'nope' }, "unknown command 'nope' (this server runs hindsight.goToCall)"],
        ['workspace/executeCommand', { command: 'hindsight.goToCall', arguments: [null] }, 'hindsight.goToCall takes one argument: { trace, invocation }'],
      ];
      let id = 10;
      for (const [method, params, message] of cases) {
        assert.deepEqual((await wire.request(++id, method, params)).error, { code: INVALID_PARAMS, message }, `${method} ${JSON.stringify(params)}`);
      }
      wire.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: null });
      await wire.until(() => wire.received.some(({ message }) => message.method === 'window/logMessage'), 'the log line');
      assert.deepEqual(wire.received.filter(({ message }) => message.method === 'window/logMessage').map(({ message }) => message.params), [
        { type: 2, message: "Hindsight ignored 'textDocument/didOpen': its params must be { textDocument: { uri, languageId, version, text } }." },
      ]);
      assert.deepEqual((await wire.request(++id, 'textDocument/codeLens', { textDocument: { uri } })).result, []);
      assert.equal(wire.stderr, '');
    } finally {
      wire.kill();
    }
  });
});
