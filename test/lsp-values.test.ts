// Values at the current stop over a real LSP connection: inlay hints and inline values of the stopped
// invocation (a real DAP session stops in a recursion; cursor files stand for other stops), hovers with
// a variable's history, an edited document, a non-Python document, no debug session, and refreshes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  HoverRequest, InlayHintRequest, InlineValueRequest, type Hover, type InlayHint, type InlineValue, type MarkupContent, type Range,
} from 'vscode-languageserver-protocol/node';
import { writeCursor } from '../protocol/cursor';
import { Trace } from '../protocol/reader';
import { move, startDap, type Dap } from './support/dap';
import { startLsp, type Lsp } from './support/lsp';
import { FIXTURES, freshDir, runCli } from './support/recordings';

const PROGRAM = path.join(FIXTURES, 'lsp', 'values.py');
const SOURCE = fs.readFileSync(PROGRAM, 'utf8');
const EVERYWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

/** The 1-based line of values.py carrying `# mark: NAME`. */
function mark(name: string): number {
  const index = SOURCE.split('\n').findIndex((line) => line.trimEnd().endsWith(`# mark: ${name}`));
  if (index < 0) throw new Error(`values.py has no mark ${name}`);
  return index + 1;
}

/** The end of a 1-based line of a text, as an LSP position. */
function endOf(text: string, line: number): { line: number; character: number } {
  return { line: line - 1, character: (text.split('\n')[line - 1] ?? '').length };
}

/** A workspace with values.py recorded into its .hindsight/; resolves to the folder, the program and the trace. */
function recordedWorkspace(name: string): { root: string; program: string; trace: string } {
  const root = freshDir(name);
  const program = path.join(root, 'values.py');
  fs.copyFileSync(PROGRAM, program);
  const run = runCli(['record', 'values.py'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  const dir = path.join(root, '.hindsight');
  const trace = path.join(dir, fs.readdirSync(dir).find((file) => file.endsWith('.trace.db')) ?? '');
  return { root, program, trace };
}

/** Writes the cursor as a DAP session would, at the first or the last event on a line. */
async function stopAt(trace: string, program: string, line: number, which: 'first' | 'last'): Promise<void> {
  const reader = await Trace.open(trace);
  try {
    const file = reader.fileByPath(program);
    assert.ok(file);
    const hits = reader.matching({ location: { file: file.id, line } }, { offset: 0, limit: -1 });
    const event = which === 'last' ? hits[hits.length - 1] : hits[0];
    assert.ok(event, `an event on line ${line}`);
    writeCursor({ trace, seq: event.seq, thread: event.thread, invocation: event.invocation, writtenAt: Date.now() });
  } finally {
    reader.close();
  }
}

async function hints(lsp: Lsp, uri: string, range = EVERYWHERE): Promise<[number, number, string][]> {
  const result = (await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) as InlayHint[] | null;
  return (result ?? []).map((hint) => [hint.position.line + 1, hint.position.character, String(hint.label)]);
}

/** The hover on the first (or last) occurrence of `word` on a 1-based line. */
async function hover(lsp: Lsp, uri: string, line: number, word: string, text = SOURCE, which: 'first' | 'last' = 'first'): Promise<string | undefined> {
  const lineText = text.split('\n')[line - 1] ?? '';
  const character = which === 'last' ? lineText.lastIndexOf(word) : lineText.indexOf(word);
  assert.ok(character >= 0, `${word} on line ${line}`);
  const result = (await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: line - 1, character: character + 1 } })) as Hover | null;
  return result ? (result.contents as MarkupContent).value : undefined;
}

const LABEL_CUT = `label = '${'a label long enough to be cut in a hint '.repeat(3)}'`.slice(0, 'label = '.length + 39) + '…';

/** Attaches the debugger to the trace with a breakpoint at the base case; resolves at the entry stop. */
async function attachWithBreakpoint(dap: Dap, program: string, trace: string): Promise<void> {
  await dap.client.initializeRequest();
  const first = dap.client.waitForEvent('stopped');
  await Promise.all([
    dap.client.waitForEvent('initialized')
      .then(() => dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: mark('base') }] }))
      .then(() => dap.client.configurationDoneRequest()),
    dap.client.attachRequest({ trace } as DebugProtocol.AttachRequestArguments),
  ]);
  await first;
}

/** The test client announces inline values too, so it asks for value hints explicitly (as Neovim and Helix get them by default). */
const VALUE_HINTS = { hindsight: { valueHints: true } };

describe('lsp values at the current stop', () => {
  it('gives a client with inline values (VS Code) no value inlay hints by default: they would show twice', async () => {
    const { root, program, trace } = recordedWorkspace('lsp-values-inline');
    const lsp = await startLsp({ root });
    const dap = await startDap('stdio');
    try {
      const uri = await lsp.open(program);
      await attachWithBreakpoint(dap, program, trace);
      const before = lsp.requests.get('workspace/inlineValue/refresh') ?? 0;
      await move(dap.client, 'continue', 1);
      await lsp.until(() => (lsp.requests.get('workspace/inlineValue/refresh') ?? 0) > before, 'an inline value refresh');
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const at = { start: { line: (frame?.line ?? 1) - 1, character: 0 }, end: { line: (frame?.line ?? 1) - 1, character: 0 } };
      const values = (await lsp.connection.sendRequest(InlineValueRequest.type, { textDocument: { uri }, range: EVERYWHERE, context: { frameId: frame?.id ?? 0, stoppedLocation: at } })) as InlineValue[] | null;
      assert.deepEqual((values ?? []).map((value) => ('text' in value ? value.text : '')), ['n = 0', 'left = -1']);
      assert.deepEqual(await hints(lsp, uri), []);
    } finally {
      await dap.stop();
      await lsp.stop();
    }
  });

  for (const transport of ['stdio', 'tcp'] as const) {
    it(`follows a real debug session (${transport}) into a recursion: that invocation only, inline values per frame, refreshes on each move`, async () => {
      const { root, program, trace } = recordedWorkspace('lsp-values-dap');
      const lsp = await startLsp({ root, initializationOptions: VALUE_HINTS });
      const dap = await startDap(transport);
      try {
        const uri = await lsp.open(program);
        await attachWithBreakpoint(dap, program, trace);
        const refreshes = () => [lsp.requests.get('workspace/inlayHint/refresh') ?? 0, lsp.requests.get('workspace/inlineValue/refresh') ?? 0];
        const before = refreshes();
        await move(dap.client, 'continue', 1);
        await lsp.until(() => refreshes().every((count, index) => count > (before[index] ?? 0)), 'inlay hint and inline value refreshes');

        // countdown(0), four calls deep: its own n and left, not another depth's.
        assert.deepEqual(await hints(lsp, uri), [
          [mark('left') - 1, 'def countdown(n):'.length, 'n = 0'],
          [mark('left'), endOf(SOURCE, mark('left')).character, 'left = -1'],
        ]);
        // Only lines in the requested range.
        const leftOnly = { start: { line: mark('left') - 1, character: 0 }, end: { line: mark('base') - 1, character: 0 } };
        assert.deepEqual(await hints(lsp, uri, leftOnly), [[mark('left'), endOf(SOURCE, mark('left')).character, 'left = -1']]);

        const frames = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.deepEqual(frames.map((frame) => `${frame.name}:${frame.line}`),
          [`countdown:${mark('base')}`, ...Array(3).fill(`countdown:${mark('recurse')}`), `<module>:${mark('print')}`]);
        const inline = async (frame: DebugProtocol.StackFrame | undefined) => {
          assert.ok(frame);
          const values = (await lsp.connection.sendRequest(InlineValueRequest.type, {
            textDocument: { uri }, range: EVERYWHERE,
            context: { frameId: frame.id, stoppedLocation: { start: { line: frame.line - 1, character: 0 }, end: { line: frame.line - 1, character: 0 } } },
          })) as InlineValue[] | null;
          return (values ?? []).map((value) => ('text' in value ? [value.range.start.line + 1, value.range.end.character, value.text] : ['not text']));
        };
        // The caller one level up: countdown(1), whose left is 0.
        assert.deepEqual(await inline(frames[1]), [
          [mark('left') - 1, 'def countdown(n):'.length, 'n = 1'],
          [mark('left'), endOf(SOURCE, mark('left')).character, 'left = 0'],
        ]);
        // The module: the loop's latest values, a long value cut short; no dunders, no functions.
        assert.deepEqual(await inline(frames[4]), [
          [mark('for'), endOf(SOURCE, mark('for')).character, 'i = 3'],
          [mark('add'), endOf(SOURCE, mark('add')).character, 'total = 14'],
          [mark('label'), endOf(SOURCE, mark('label')).character, LABEL_CUT],
        ]);
        // A frame id that is not on the current stack (another debugger's, or a stale one) gets nothing.
        assert.deepEqual(await inline({ ...frames[0], id: 1 } as DebugProtocol.StackFrame), []);

        // The hover sees the stop's frame of countdown: countdown(0).
        assert.equal(await hover(lsp, uri, mark('recurse'), 'left'), [
          '`left = -1` at the current stop',
          [`In the run: 4 changes in 4 of 4 calls of \`countdown\``, '- first `2`, last `-1`', '- 4 distinct values', `- changed on line ${mark('left')}`].join('\n'),
        ].join('\n\n'));
      } finally {
        await dap.stop();
        await lsp.stop();
      }
    });
  }

  it('shows a loop\'s latest values at a stop in the module, and hovers with history over many calls', async () => {
    const { root, program, trace } = recordedWorkspace('lsp-values-loop');
    await stopAt(trace, program, mark('add'), 'last');
    const lsp = await startLsp({ root, initializationOptions: VALUE_HINTS });
    try {
      const uri = await lsp.open(program);
      // At the last visit of the loop body (i = 3) before it runs: total is still 5.
      assert.deepEqual(await hints(lsp, uri), [
        [mark('for'), endOf(SOURCE, mark('for')).character, 'i = 3'],
        [mark('add'), endOf(SOURCE, mark('add')).character, 'total = 5'],
      ]);
      assert.equal(await hover(lsp, uri, mark('add'), 'total'), [
        '`total = 5` at the current stop',
        ['In the run: 4 changes in 1 of 1 call of `<module>`', '- first `0`, last `14`', '- 4 distinct values',
          `- changed on lines ${mark('total')}, ${mark('add')}`].join('\n'),
      ].join('\n\n'));
      assert.equal(await hover(lsp, uri, mark('square'), 'result'), [
        '`result` in `square`: not on the stack at the current stop',
        ['In the run: 4 changes in 4 of 4 calls of `square`', '- first `0`, last `9`', '- 4 distinct values', `- changed on line ${mark('square')}`].join('\n'),
      ].join('\n\n'));
      // A def line is the function's own hover (call statistics); a comment or a string is no variable.
      assert.match(await hover(lsp, uri, mark('square') - 1, 'x') ?? '', /^\*\*square\*\* · 4 calls · 0 raised/);
      assert.ok(await hover(lsp, uri, mark('total'), 'total'));
      assert.equal(await hover(lsp, uri, mark('total'), 'total', SOURCE, 'last'), undefined);
      assert.ok(await hover(lsp, uri, mark('label'), 'label'));
      assert.equal(await hover(lsp, uri, mark('label'), 'label long'), undefined);
      // Beyond 1,000 changes a hover counts them and says so, without reading them all.
      assert.equal(await hover(lsp, uri, mark('spin'), 'step'), [
        '`step` in `spin`: not on the stack at the current stop',
        'In the run: 1,200 changes over 1 call of `spin`; too many to summarize here (the debugger\'s variable history lists them).',
      ].join('\n\n'));
    } finally {
      await lsp.stop();
    }
  });

  it('shows nothing on lines edited since the recording and moves the rest with their lines', async () => {
    const { root, program, trace } = recordedWorkspace('lsp-values-edited');
    await stopAt(trace, program, mark('print'), 'first');
    const lsp = await startLsp({ root, initializationOptions: VALUE_HINTS });
    try {
      const lines = SOURCE.split('\n');
      lines[mark('add') - 1] = '    total += square(i) * 1  # changed';
      const edited = ['# two lines', '# inserted above', ...lines].join('\n');
      const uri = await lsp.open(program, edited);
      assert.deepEqual(await hints(lsp, uri), [
        [mark('for') + 2, endOf(edited, mark('for') + 2).character, 'i = 3'],
        [mark('label') + 2, endOf(edited, mark('label') + 2).character, LABEL_CUT],
      ]);
      assert.equal(await hover(lsp, uri, mark('add') + 2, 'total', edited), undefined);
      assert.equal(await hover(lsp, uri, mark('total') + 2, 'total', edited), [
        '`total = 14` at the current stop',
        ['In the run: 4 changes in 1 of 1 call of `<module>`', '- first `0`, last `14`', '- 4 distinct values',
          `- changed on lines ${mark('total') + 2}, ${mark('add')} (recorded; edited since)`].join('\n'),
        '_This file was edited after the recording: lines that changed show nothing._',
      ].join('\n\n'));
    } finally {
      await lsp.stop();
    }
  });

  it('shows no values without a debug session (line hit counts when asked), and nothing in a non-Python document', async () => {
    const { root, program } = recordedWorkspace('lsp-values-none');
    const lsp = await startLsp({ root, initializationOptions: { hindsight: { valueHints: true, lineHitHints: true } } });
    try {
      const uri = await lsp.open(program);
      const forLine = { start: { line: mark('for') - 1, character: 0 }, end: { line: mark('add') - 1, character: 0 } };
      // range(4): the for line runs once per item and once more to find the end; the body once per item.
      assert.deepEqual(await hints(lsp, uri, forLine), [
        [mark('for'), endOf(SOURCE, mark('for')).character, '5 hits'],
        [mark('add'), endOf(SOURCE, mark('add')).character, '4 hits'],
      ]);
      assert.equal(await hover(lsp, uri, mark('add'), 'total'), [
        '`total` in `<module>` (no debug stop)',
        ['In the run: 4 changes in 1 of 1 call of `<module>`', '- first `0`, last `14`', '- 4 distinct values',
          `- changed on lines ${mark('total')}, ${mark('add')}`].join('\n'),
      ].join('\n\n'));
      const text = await lsp.open(path.join(root, 'values.txt'), SOURCE);
      assert.deepEqual(await hints(lsp, text), []);
      assert.equal(await hover(lsp, text, mark('add'), 'total'), undefined);
    } finally {
      await lsp.stop();
    }
  });
});
