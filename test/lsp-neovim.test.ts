// Neovim's built-in LSP client (0.10 and 0.12, headless, no config) against `hindsight lsp --stdio` on a
// recorded fixture: the diagnostics it shows, the server's messages, and answers to requests it sends.
// test/fixtures/lsp/nvim/collect.lua does the editor side; a new query is an entry in `requests`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { missingNeovims, neovims, runHeadless, WHERE_NEOVIMS_ARE, type Neovim } from './support/neovims';
import { CLI, FIXTURES, freshDir, runCli } from './support/recordings';

const RAISES = path.join(FIXTURES, 'lsp', 'raises.py');
const COLLECT = path.join(FIXTURES, 'lsp', 'nvim', 'collect.lua');
const TIMEOUT_MS = 20_000;

interface Spec {
  file: string;
  root: string;
  init_options?: unknown;
  /** Whether the client announces pull diagnostics (Neovim's default), else the server pushes them. */
  pull: boolean;
  /** Wait until the buffer has this many diagnostics and the server sent this many messages (or TIMEOUT_MS passed). */
  wait_diagnostics: number;
  wait_messages: number;
  requests: { method: string; params: unknown }[];
}

/** What collect.lua writes. */
interface Collected {
  pull: boolean;
  waited: boolean;
  messages: { type: number; message: string }[];
  requests: { method: string; result?: unknown; error?: unknown }[];
  diagnostics: {
    lnum: number; col: number; end_lnum: number; end_col: number; severity: number; message: string; code: string;
    tags: number[]; related: { file: string; line: number; message: string }[];
  }[];
}

/** Runs nvim on collect.lua with the spec; kills nvim and the server it started if it is not done in time. */
function collect(neovim: Neovim, spec: Spec): Promise<Collected> {
  const dir = freshDir('nvim');
  const out = path.join(dir, 'got.json');
  const specFile = path.join(dir, 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify({ ...spec, out, timeout_ms: TIMEOUT_MS, cmd: [process.execPath, CLI, 'lsp', '--stdio'] }));
  return runHeadless<Collected>(neovim, ['-l', COLLECT, specFile], { cwd: dir, out, limitMs: 3 * TIMEOUT_MS });
}

describe('lsp in Neovim', function () {
  this.timeout(4 * TIMEOUT_MS);
  let root: string;
  before(() => {
    root = freshDir('lsp-nvim');
    fs.mkdirSync(path.join(root, '.hindsight'));
    const run = runCli(['record', '--trace', path.join(root, '.hindsight', 'run.trace.db'), RAISES]);
    assert.ok(fs.existsSync(path.join(root, '.hindsight', 'run.trace.db')), run.stderr);
  });

  it(`runs on every Neovim it needs (both 0.10 and 0.12 when CI=true): found ${neovims().map((neovim) => neovim.version).join(', ')}`, () => {
    assert.deepEqual(missingNeovims(), [], `install the missing versions (../shared/tools/install-editors.sh); the suite looks in ${WHERE_NEOVIMS_ARE}`);
  });

  for (const [neovim, pull] of neovims().flatMap((neovim) => [[neovim, true], [neovim, false]] as const)) {
    it(`Neovim ${neovim.version} shows the uncaught and the handled exception of a recorded run (${pull ? 'pulled' : 'pushed'})`, async () => {
      const got = await collect(neovim, {
        file: RAISES, root, wait_diagnostics: 2, wait_messages: 0, pull,
        requests: [{ method: 'textDocument/diagnostic', params: { textDocument: { uri: '$URI' } } }],
      });
      assert.deepEqual([got.pull, got.waited], [pull, true], 'diagnostics arrived');
      assert.deepEqual(got.messages, []);
      assert.deepEqual(got.diagnostics, [
        {
          lnum: 5, col: 8, end_lnum: 5, end_col: 37, severity: 1, message: 'ValueError: bad input (uncaught)', code: 'uncaught-exception', tags: [],
          related: [
            { file: 'raises.py', line: 20, message: 'through check' },
            { file: 'raises.py', line: 25, message: 'through main' },
            { file: 'raises.py', line: 28, message: 'through <module>' },
          ],
        },
        {
          lnum: 5, col: 8, end_lnum: 5, end_col: 37, severity: 3, code: 'handled-exception', tags: [],
          message: 'ValueError: bad input (raised 100 times, each caught in parse_all at line 15)',
          related: [{ file: 'raises.py', line: 14, message: 'caught here' }],
        },
      ]);
      const [pulled] = got.requests;
      assert.equal((pulled?.result as { items: unknown[] } | undefined)?.items.length, 2, JSON.stringify(pulled));
    });
  }

  for (const neovim of neovims()) {
    it(`Neovim ${neovim.version} gets the call counts as code lenses and def-line hints, and a variable's history on hover`, async () => {
      const got = await collect(neovim, {
        file: RAISES, root, wait_diagnostics: 2, wait_messages: 0, pull: true, init_options: { hindsight: { callCountHints: true } },
        requests: [
          { method: 'textDocument/codeLens', params: { textDocument: { uri: '$URI' } } },
          { method: 'textDocument/inlayHint', params: { textDocument: { uri: '$URI' }, range: { start: { line: 0, character: 0 }, end: { line: 29, character: 0 } } } },
          { method: 'textDocument/hover', params: { textDocument: { uri: '$URI' }, position: { line: 10, character: 5 } } },
        ],
      });
      const [lenses, hints, hover] = got.requests as { result: unknown }[];
      const timeless = (text: string) => text.replace(/avg [^/]+ \/ max [^ ]+( [^ ]+)?$/, 'avg T / max T').replace(/ \d+(\.\d+)? (ns|µs|ms|s)\b/g, ' T');
      const lensTitles = (lenses?.result as { range: { start: { line: number } }; command: { title: string } }[])
        .map((lens) => `${lens.range.start.line}: ${timeless(lens.command.title)}`);
      // parse runs 100 times in parse_all (each raising) and once through check (raising, uncaught).
      assert.deepEqual(lensTitles, [
        '3: 102 calls · 101 raised · avg T / max T', '3: slowest', '3: first raise',
        '9: 1 call · 0 raised · avg T / max T',
        '19: 1 call · 1 raised · avg T / max T', '19: first raise',
        '23: 1 call · 1 raised · avg T / max T', '23: first raise',
      ]);
      assert.deepEqual((hints?.result as { label: string; position: { line: number; character: number } }[])
        .map((hint) => [hint.position.line, hint.position.character, timeless(hint.label)]), [
        [3, 'def parse(text):'.length, '102 calls · 101 raised · avg T / max T'],
        [9, 'def parse_all(items):'.length, '1 call · 0 raised · avg T / max T'],
        [19, 'def check(value):'.length, '1 call · 1 raised · avg T / max T'],
        [23, 'def main():'.length, '1 call · 1 raised · avg T / max T'],
      ]);
      // total: 0, then -1 … -100 (each handled raise), then -93 (+7): 102 changes, 101 distinct values.
      assert.equal((hover?.result as { contents: { value: string } }).contents.value, [
        '`total` in `parse_all` (no debug stop)',
        'In the run: 102 changes in 1 of 1 call of `parse_all`\n- first `0`, last `-93`\n- 101 distinct values\n- changed on lines 11, 14, 16',
      ].join('\n\n'));
    });
  }

  for (const neovim of neovims()) {
    it(`Neovim ${neovim.version} shows the server's message when there is no trace, and no diagnostics`, async () => {
      const got = await collect(neovim, { file: RAISES, root: freshDir('lsp-nvim-empty'), wait_diagnostics: 0, wait_messages: 1, pull: true, requests: [] });
      assert.deepEqual([got.waited, got.diagnostics], [true, []]);
      assert.deepEqual(got.messages, [{ type: 3, message: 'Hindsight: no trace yet. Record one with `hindsight record prog.py` (it lands in .hindsight/).' }]);
    });
  }
});
