// Call statistics in the language server on test/fixtures/lsp/calls.py (recorded for real): CodeLens per
// function that ran, goToCall with and without a debug session, inlay hints for clients without CodeLens,
// the hover on a def line; also a document edited after recording and a non-Python document.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  CodeLensRequest, ExecuteCommandRequest, HoverRequest, InlayHintRequest, type CodeLens, type InlayHint, type Location, type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { humanDuration } from '../lsp/duration';
import { Trace } from '../protocol/reader';
import { scopeValues, startDap, topFrame, type Transport } from './support/dap';
import { FULL_CLIENT, startLsp, type Lsp } from './support/lsp';
import { fixture, freshDir, markedLine, runCli } from './support/recordings';

const mark = (name: string) => markedLine('lsp/calls', name);
const TIME = /\d+(\.\d)? (ns|µs|ms|s)/g;

/** A workspace with calls.py recorded into its .hindsight/; returns the program and its trace. */
function recordedWorkspace(name: string): { root: string; program: string; trace: string } {
  const root = freshDir(name);
  const program = path.join(root, 'calls.py');
  fs.copyFileSync(fixture('lsp/calls'), program);
  const run = runCli(['record', 'calls.py'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  const traceName = fs.readdirSync(path.join(root, '.hindsight')).find((file) => file.endsWith('.trace.db'));
  assert.ok(traceName, 'the recording made a trace');
  return { root, program, trace: path.join(root, '.hindsight', traceName) };
}

async function lensesOf(lsp: Lsp, uri: string): Promise<CodeLens[]> {
  return (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
}

/** Lenses as "line: title" (1-based lines), times checked for their shape and replaced by T. */
function described(lenses: CodeLens[]): string[] {
  return lenses.map((lens) => {
    const title = lens.command?.title ?? '';
    assert.equal(lens.command?.command, 'hindsight.goToCall');
    return `${lens.range.start.line + 1}: ${title.replace(TIME, 'T')}`;
  });
}

const summary = (calls: number, raised: number) => `${calls} ${calls === 1 ? 'call' : 'calls'} · ${raised} raised · avg T / max T`;

/** What the unedited file shows: methods get lenses, the class body, the never-called function and the module do not. */
function expectedLenses(shift: number): string[] {
  const at = (line: number, text: string) => `${line + shift}: ${text}`;
  return [
    at(mark('check'), summary(4, 1)), at(mark('check'), 'slowest'), at(mark('check'), 'first raise'),
    at(mark('numbers'), summary(1, 0)),
    at(mark('pending'), '1 call · 0 raised · none ended'), // a generator left suspended has no duration
    at(mark('factorial'), summary(4, 0)), at(mark('factorial'), 'slowest'),
    at(mark('init'), summary(1, 0)),
    at(mark('add'), summary(2, 0)), at(mark('add'), 'slowest'),
    at(mark('logged'), summary(1, 0)),
    at(mark('wraps'), summary(1, 0)), // logged's wrapper: co_firstlineno is its decorator's line
    at(mark('decorator'), summary(1, 0)), // double: the lens sits on the first decorator (co_firstlineno)
    at(mark('task'), summary(2, 0)), at(mark('task'), 'slowest'),
    at(mark('gather'), summary(1, 0)),
    at(mark('main'), summary(1, 0)),
  ];
}

async function execute(lsp: Lsp, lens: CodeLens | undefined): Promise<unknown> {
  assert.ok(lens?.command, 'a lens with a command');
  return lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: lens.command.command, arguments: lens.command.arguments });
}

function lensAt(lenses: CodeLens[], line: number, title: RegExp): CodeLens | undefined {
  return lenses.find((lens) => lens.range.start.line === line - 1 && title.test(lens.command?.title ?? ''));
}

describe('lsp call statistics', () => {
  it('writes durations for people', () => {
    const cases: [number, string][] = [[0, '0 ns'], [840.4, '840 ns'], [999, '999 ns'], [999.7, '1.0 µs'], [9_940, '9.9 µs'],
      [9_960, '10 µs'], [17_300, '17 µs'], [999_999, '1.0 ms'], [4_840_000, '4.8 ms'], [71_000_000, '71 ms'], [1_230_000_000, '1.2 s'], [125e9, '125 s']];
    assert.deepEqual(cases.map(([ns]) => [ns, humanDuration(ns)]), cases);
  });

  let workspace: ReturnType<typeof recordedWorkspace>;
  before(() => { workspace = recordedWorkspace('lsp-lens'); });

  it('puts one lens per function that ran, with its invocation counts, on its def line', async () => {
    const lsp = await startLsp({ root: workspace.root });
    try {
      const lenses = await lensesOf(lsp, await lsp.open(workspace.program));
      assert.deepEqual(described(lenses), expectedLenses(0));
      assert.equal(lenses.filter((lens) => lens.range.start.line === mark('class') - 1 || lens.range.start.line === mark('never') - 1).length, 0);

      const trace = await Trace.open(workspace.trace);
      try {
        const check = trace.codesIn(trace.fileByPath(workspace.program)?.id ?? 0).find((code) => code.qualname === 'check');
        const times = trace.invocationsOf(check?.id ?? 0).map((call) => (call.tEnd ?? 0) - (call.tStart ?? 0));
        assert.equal(times.length, 4);
        const average = times.reduce((sum, time) => sum + time, 0) / times.length;
        assert.equal(lensAt(lenses, mark('check'), /calls/)?.command?.title,
          `4 calls · 1 raised · avg ${humanDuration(average)} / max ${humanDuration(Math.max(...times))}`);
      } finally {
        trace.close();
      }
    } finally {
      await lsp.stop();
    }
  });

  it('follows an edited document: lines inserted above shift the lenses, a changed def loses its lens', async () => {
    const lsp = await startLsp({ root: workspace.root });
    try {
      const lines = fs.readFileSync(workspace.program, 'utf8').split('\n');
      lines[mark('add') - 1] = '    def add(self, amount, extra=0):  # changed';
      const edited = ['# two new lines', '# at the top', ...lines].join('\n');
      const lenses = await lensesOf(lsp, await lsp.open(workspace.program, edited));
      const expected = expectedLenses(2).filter((text) => !text.startsWith(`${mark('add') + 2}:`));
      assert.deepEqual(described(lenses), expected);
    } finally {
      await lsp.stop();
    }
  });

  it('gives nothing to a non-Python document or a Python file the trace did not record', async () => {
    const lsp = await startLsp({ root: workspace.root });
    try {
      const text = fs.readFileSync(workspace.program, 'utf8');
      const notes = await lsp.open(path.join(workspace.root, 'calls.txt'), text);
      assert.deepEqual(await lensesOf(lsp, notes), []);
      const other = await lsp.open(path.join(workspace.root, 'other.py'), text);
      assert.deepEqual(await lensesOf(lsp, other), []);
      const range = { start: { line: 0, character: 0 }, end: { line: 80, character: 0 } };
      assert.deepEqual(await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: notes }, range }), []);
    } finally {
      await lsp.stop();
    }
  });

  it('without a debug session, the lens command returns the line that made the call', async () => {
    const lsp = await startLsp({ root: workspace.root });
    try {
      const uri = await lsp.open(workspace.program);
      const lenses = await lensesOf(lsp, uri);
      const callLine = (location: unknown) => {
        const { uri: target, range } = location as Location;
        return `${target === uri ? 'calls.py' : target}:${range.start.line + 1}`;
      };
      assert.equal(callLine(await execute(lsp, lensAt(lenses, mark('check'), /^first raise$/))), `calls.py:${mark('call-check')}`);
      assert.equal(callLine(await execute(lsp, lensAt(lenses, mark('factorial'), /calls/))), `calls.py:${mark('call-factorial')}`);
      assert.equal(callLine(await execute(lsp, lensAt(lenses, mark('factorial'), /^slowest$/))), `calls.py:${mark('call-factorial')}`);
      const location = await execute(lsp, lensAt(lenses, mark('check'), /calls/)) as Location;
      const text = fs.readFileSync(workspace.program, 'utf8').split('\n')[mark('call-check') - 1] ?? '';
      assert.deepEqual(location.range, { start: { line: mark('call-check') - 1, character: 0 }, end: { line: mark('call-check') - 1, character: text.length } });
      const stale = lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'hindsight.goToCall', arguments: [{ trace: '/elsewhere.trace.db', invocation: 1 }] });
      await assert.rejects(stale, /no longer the one shown/);
    } finally {
      await lsp.stop();
    }
  });

  it('shows the counts as inlay hints after the def line for a client without CodeLens, or when the setting asks', async () => {
    const { codeLens: _, ...withoutLens } = FULL_CLIENT.textDocument ?? {};
    const range = { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } };
    const hintsOf = async (lsp: Lsp) => {
      const uri = await lsp.open(workspace.program);
      const hints: InlayHint[] = (await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [];
      return hints.filter((hint) => / raised · /.test(String(hint.label)))
        .map((hint) => `${hint.position.line + 1}:${hint.position.character} ${String(hint.label).replace(TIME, 'T')}`);
    };
    const source = fs.readFileSync(workspace.program, 'utf8').split('\n');
    const end = (line: number) => `${line}:${source[line - 1]?.length}`;
    // After the def line: a decorated function's hint follows its def, not its decorator.
    const expectedHints = [
      `${end(mark('check'))} ${summary(4, 1)}`, `${end(mark('numbers'))} ${summary(1, 0)}`,
      `${end(mark('pending'))} 1 call · 0 raised · none ended`, `${end(mark('factorial'))} ${summary(4, 0)}`,
      `${end(mark('init'))} ${summary(1, 0)}`, `${end(mark('add'))} ${summary(2, 0)}`, `${end(mark('logged'))} ${summary(1, 0)}`,
      `${end(mark('wraps') + 1)} ${summary(1, 0)}`, `${end(mark('double'))} ${summary(1, 0)}`, `${end(mark('task'))} ${summary(2, 0)}`,
      `${end(mark('gather'))} ${summary(1, 0)}`, `${end(mark('main'))} ${summary(1, 0)}`,
    ];
    const helix = await startLsp({ root: workspace.root, capabilities: { ...FULL_CLIENT, textDocument: withoutLens } });
    try {
      assert.deepEqual(await hintsOf(helix), expectedHints);
    } finally {
      await helix.stop();
    }
    const vscode = await startLsp({ root: workspace.root });
    try {
      assert.deepEqual(await hintsOf(vscode), [], 'a client with CodeLens gets lenses, not hints');
    } finally {
      await vscode.stop();
    }
    const asked = await startLsp({ root: workspace.root, initializationOptions: { hindsight: { callCountHints: true } } });
    try {
      assert.deepEqual(await hintsOf(asked), expectedHints);
    } finally {
      await asked.stop();
    }
  });

  it('hovers on a def line with the call statistics and the exceptions that ended calls', async () => {
    const lsp = await startLsp({ root: workspace.root });
    try {
      const uri = await lsp.open(workspace.program);
      const hover = async (line: number) => {
        const result = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: line - 1, character: 4 } });
        return result ? (result.contents as MarkupContent).value.replace(TIME, 'T') : null;
      };
      assert.equal(await hover(mark('check')), [
        `**check** · ${summary(4, 1)} · total T`, '', 'Ended by:',
        `- \`ValueError\` ×1 — first raised at calls.py:${mark('raise')} in \`check\`: \` bad 3 \``,
      ].join('\n'));
      assert.equal(await hover(mark('decorator')), `**double** · ${summary(1, 0)} · total T`);
      assert.equal(await hover(mark('double')), `**double** · ${summary(1, 0)} · total T`);
      assert.equal(await hover(mark('main')), `**main** · ${summary(1, 0)} · total T`);
      assert.equal(await hover(mark('pending')), '**pending** · 1 call · 0 raised · none ended');
      assert.equal(await hover(mark('raise')), null, 'a body line is not a def line');
      assert.equal(await hover(mark('class')), null, 'a class body is not a call');
    } finally {
      await lsp.stop();
    }
  });
});

for (const transport of ['stdio', 'tcp'] as Transport[]) {
  describe(`lsp call statistics with a debug session [${transport}]`, () => {
    it('moves the session replaying the trace to the call, and returns null', async () => {
      const { root, program, trace } = recordedWorkspace(`lsp-lens-dap-${transport}`);
      const dap = await startDap(transport);
      const lsp = await startLsp({ root });
      try {
        await dap.client.initializeRequest();
        const entry = dap.client.waitForEvent('stopped');
        await Promise.all([dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
          dap.client.attachRequest({ trace } as DebugProtocol.AttachRequestArguments)]);
        await entry;
        const lenses = await lensesOf(lsp, await lsp.open(program));
        const moved = dap.client.waitForEvent('stopped');
        assert.equal(await execute(lsp, lensAt(lenses, mark('check'), /^first raise$/)), null);
        const stopped = (await moved).body as DebugProtocol.StoppedEvent['body'];
        assert.equal(stopped.reason, 'goto');
        const frame = await topFrame(dap.client, stopped.threadId ?? 1);
        assert.deepEqual([frame.name, frame.line], ['check', mark('check') + 1]);
        assert.equal((await scopeValues(dap.client, frame.id)).n, '3');
        assert.equal(fs.existsSync(`${trace}.goto.json`), false, 'the session took the request');
      } finally {
        await lsp.stop();
        await dap.stop();
      }
    });
  });
}
