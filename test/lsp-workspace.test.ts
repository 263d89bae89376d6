// The language server's workspace over a real LSP connection: it starts without a trace and says so
// once, notices a trace that lands later (asking the client to refresh), and names a corrupt or damaged
// trace in one message, serving nothing from it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, HoverRequest, InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { editDatabase } from './support/sqlite';
import { fixture, freshDir, runCli } from './support/recordings';
import { startLsp } from './support/lsp';

describe('lsp workspace', () => {
  it('runs without a trace, says so once, and picks up a trace recorded later', async () => {
    const root = freshDir('lsp-empty');
    const lsp = await startLsp({ root });
    try {
      await lsp.until(() => lsp.messages.length > 0, 'the no-trace message');
      assert.match(lsp.messages[0]?.message ?? '', /no trace yet/);
      fs.copyFileSync(fixture('loop'), path.join(root, 'loop.py'));
      const recorded = runCli(['record', 'loop.py'], { cwd: root });
      assert.equal(recorded.status, 0, recorded.stderr);
      await lsp.until(() => (lsp.requests.get('workspace/codeLens/refresh') ?? 0) > 0, 'a codeLens refresh');
      await lsp.until(() => (lsp.requests.get('workspace/inlayHint/refresh') ?? 0) > 0, 'an inlayHint refresh');
      assert.equal(lsp.messages.filter((message) => /no trace yet/.test(message.message)).length, 1);
    } finally {
      await lsp.stop();
    }
  });

  it('says once that a trace is truncated', async () => {
    const root = freshDir('lsp-truncated');
    fs.copyFileSync(fixture('loop'), path.join(root, 'loop.py'));
    const recorded = runCli(['record', '--max-events', '20', 'loop.py'], { cwd: root });
    assert.equal(recorded.status, 0, recorded.stderr);
    const lsp = await startLsp({ root });
    try {
      await lsp.until(() => lsp.messages.length > 0, 'the truncation warning');
      assert.equal(lsp.messages[0]?.type, 2);
      assert.match(lsp.messages[0]?.message ?? '', /^Hindsight: loop-\d{8}-\d{6}\.trace\.db: this trace is truncated \(.*\); it ends at its last recorded event\.$/);
      await lsp.open(path.join(root, 'loop.py'), fs.readFileSync(path.join(root, 'loop.py'), 'utf8'));
      assert.equal(lsp.messages.length, 1);
    } finally {
      await lsp.stop();
    }
  });

  it('names a trace it cannot read, and keeps serving', async () => {
    const root = freshDir('lsp-corrupt');
    fs.mkdirSync(path.join(root, '.hindsight'));
    fs.writeFileSync(path.join(root, '.hindsight', 'bad.trace.db'), 'not a database at all');
    const lsp = await startLsp({ root });
    try {
      await lsp.until(() => lsp.messages.length > 0, 'an error message');
      assert.equal(lsp.messages[0]?.type, 1);
      assert.match(lsp.messages[0]?.message ?? '', /cannot read .*bad\.trace\.db/);
      await lsp.open(path.join(root, 'x.py'), 'x = 1\n');
    } finally {
      await lsp.stop();
    }
  });

  it('serves nothing from a trace missing a table, says why in one message, and prints no stack', async () => {
    const root = freshDir('lsp-damaged');
    const program = path.join(root, 'calls.py');
    fs.copyFileSync(fixture('lsp/calls'), program);
    assert.equal(runCli(['record', 'calls.py'], { cwd: root }).status, 0);
    const [name] = fs.readdirSync(path.join(root, '.hindsight'));
    const trace = path.join(root, '.hindsight', name ?? '');
    await editDatabase(trace, 'DROP TABLE event');
    const lsp = await startLsp({ root });
    try {
      await lsp.until(() => lsp.messages.length > 0, 'an error message');
      assert.deepEqual(lsp.messages, [{ type: 1, message: `Hindsight cannot read ${trace}: Cannot open trace ${trace}: `
        + "it is a damaged Hindsight trace (table 'event' is missing); record the program again." }]);
      const uri = await lsp.open(program);
      const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
      assert.deepEqual(await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
      assert.deepEqual(await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range }), []);
      assert.equal(await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } }), null);
      assert.equal(lsp.stderr(), '');
    } finally {
      await lsp.stop();
    }
  });
});
