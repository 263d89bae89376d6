// The Neovim plugin (editors/neovim) loaded as a user loads it, in headless Neovim 0.10 and 0.12, on a copy of
// examples/invoices.py: the LSP part and :HindsightRecord (test/fixtures/nvim-plugin/lsp.lua), and with nvim-dap
// from $HINDSIGHT_NVIM_DAP the debugger part: breakpoints, reverse keymaps, :HindsightHistory (…/dap.lua).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { neovims, runHeadless, type Neovim } from './support/neovims';
import { freshDir, REPO } from './support/recordings';

const PLUGIN = path.join(REPO, 'editors', 'neovim');
const SCRIPTS = path.join(REPO, 'test', 'fixtures', 'nvim-plugin');
const EXAMPLE = path.join(REPO, 'examples', 'invoices.py');
const NVIM_DAP = process.env.HINDSIGHT_NVIM_DAP;
const TIMEOUT_MS = 30_000;

/** Runs SCRIPT in nvim with the plugin (and EXTRA_RTP) on the runtimepath, in a fresh workspace holding invoices.py. */
function drive<T>(neovim: Neovim, script: string, spec: object, extraRtp: string[] = []): Promise<T> {
  const workspace = freshDir('nvim-plugin');
  const file = path.join(workspace, 'invoices.py');
  fs.copyFileSync(EXAMPLE, file);
  const out = path.join(workspace, 'got.json');
  const specFile = path.join(workspace, 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify({ ...spec, file, out, timeout_ms: TIMEOUT_MS, cmd: [process.execPath, path.join(REPO, 'bin', 'hindsight.js')] }));
  const rtp = [PLUGIN, ...extraRtp].join(',');
  return runHeadless<T>(neovim, ['--cmd', `set rtp+=${rtp}`, '-l', path.join(SCRIPTS, script), specFile], { cwd: workspace, out, limitMs: 3 * TIMEOUT_MS });
}

/** Durations (and the trace's size on disk) vary from run to run; everything else in a lens, hint or summary is exact. */
const timeless = (text: string) => text.replace(/avg [^/]+ \/ max .+$/, 'avg T / max T').replace(/ in \d+ ms$/, ' in T ms').replace(/ \(.* bytes\/event\)$/, ' (SIZE)');

interface LspSeen {
  file: string;
  notifications: { message: string; level: number }[];
  record_code: number;
  traces: string[];
  lenses: { line: number; title: string }[];
  hints: { line: number; label: string }[];
  diagnostics: { line: number; severity: number; message: string }[];
  hover: string[];
  /** What each of spec.commands notified. */
  [command: `Hindsight${string}`]: { message: string; level: number }[];
}

interface Stop { move: unknown; line: number; frame: string; hints?: string[] }
interface DapSeen { errors: string[]; stops: (Stop | { history: string; items: { lnum: number; text: string }[] })[] }

describe('the Neovim plugin', function () {
  this.timeout(4 * TIMEOUT_MS);

  for (const neovim of neovims()) {
    it(`Neovim ${neovim.version}: setup{} starts the language client, :HindsightRecord records the file, then lenses, hints, diagnostics and hover appear; the commands say why they cannot run`, async () => {
      const got = await drive<LspSeen>(neovim, 'lsp.lua', {
        lenses: 10, hints: 5, diagnostics: 1, hover: { line: 12, col: 5 }, commands: ['HindsightOpen nowhere.trace.db', 'HindsightHistory total', 'HindsightOpen'],
      });
      assert.equal(got.record_code, 0);
      assert.equal(got.traces.length, 1);
      assert.match(got.traces[0] ?? '', /^invoices-\d{8}-\d{6}$/);
      const summary = got.notifications.find((note) => note.message.startsWith('hindsight: recorded'));
      assert.deepEqual(summary?.message.split('\n').map(timeless), [
        'hindsight: recorded 104 events, 16 invocations, 1 exception, 1 thread in T ms',
        `hindsight: trace .hindsight/${got.traces[0]}.trace.db (SIZE)`,
      ]);
      // 0-based lines of the def lines: Invoice.__init__ (line 5), line_total (11), apply_loyalty (16), process (23), main (32).
      assert.deepEqual(got.lenses.map((lens) => `${lens.line}: ${timeless(lens.title)}`).sort(), [
        '10: 4 calls · 0 raised · avg T / max T', '10: slowest',
        '15: 3 calls · 0 raised · avg T / max T', '15: slowest',
        '22: 3 calls · 1 raised · avg T / max T', '22: first raise', '22: slowest',
        '31: 1 call · 0 raised · avg T / max T',
        '4: 3 calls · 0 raised · avg T / max T', '4: slowest',
      ]);
      assert.deepEqual(got.hints.map((hint) => `${hint.line}: ${timeless(hint.label)}`), [
        '4: 3 calls · 0 raised · avg T / max T',
        '10: 4 calls · 0 raised · avg T / max T',
        '15: 3 calls · 0 raised · avg T / max T',
        '22: 3 calls · 1 raised · avg T / max T',
        '31: 1 call · 0 raised · avg T / max T',
      ]);
      assert.deepEqual(got.diagnostics, [
        { line: 27, severity: 3, message: 'ValueError: negative total for bob: -0.50 (raised once, caught in main at line 41)' },
      ]);
      // Without nvim-dap: a missing trace is named, history needs a session, and a trace opens in the language server.
      const workspace = path.dirname(got.file);
      assert.deepEqual([got['HindsightOpen nowhere.trace.db'], got['HindsightHistory total'], got.HindsightOpen], [
        [{ level: 4, message: `hindsight: no such trace: ${path.join(workspace, 'nowhere.trace.db')}` }],
        [{ level: 4, message: 'hindsight: :HindsightHistory needs nvim-dap and a stopped Hindsight session' }],
        [{ level: 2, message: `hindsight: nvim-dap is not installed, so the trace is shown in the language server only: ${path.join(workspace, '.hindsight', `${got.traces[0]}.trace.db`)}` }],
      ]);
      // gross = quantity * unit_price: 2*10.0, 1*99.0, 3*1.5, 10*4.0.
      assert.deepEqual(got.hover, [
        '`gross` in `line_total` (no debug stop)', '',
        'In the run: 4 changes in 4 of 4 calls of `line_total`', '- first `20.0`, last `40.0`', '- 4 distinct values', '- changed on line 12',
      ]);
    });
  }

  for (const neovim of neovims()) {
    for (const transport of ['stdio', 'tcp'] as const) {
      const title = `Neovim ${neovim.version} with nvim-dap (${transport}): "record & debug this file" stops at a breakpoint, the keymaps travel back and go to an event, :HindsightHistory lists the changes, :HindsightOpen replays the newest trace`;
      (NVIM_DAP ? it : it.skip)(NVIM_DAP ? title : `${title} — skipped: set HINDSIGHT_NVIM_DAP to an nvim-dap checkout`, async () => {
        const got = await drive<DapSeen>(neovim, 'dap.lua', {
          transport, breakpoints: [18, 20], launch: { launch: true, hints: true },
          moves: [{ dap: 'continue' }, { history: 'invoice' }, { keys: '\\hb' }, { keys: '\\ho' }, { keys: '\\hc' }, { keys: '\\hi' },
            { keys: '\\hg', input: '71' }, { history: 'years' }, { command: 'HindsightOpen' }],
        }, [NVIM_DAP ?? '']);
        assert.deepEqual(got.errors, []);
        const bob = (total: number) => `Invoice(customer='bob', lines=[(3, 1.5, 0.0)], total=${total})`;
        assert.deepEqual(got.stops, [
          // ada (7 years) takes the first branch: the first breakpoint hit; the language server shows the frame's values.
          { move: { launch: true, hints: true }, line: 18, frame: 'apply_loyalty', hints: ["invoice = Invoice(customer='ada', lines=[(2, 10.0…, years = 7"] },
          { move: { dap: 'continue' }, line: 20, frame: 'apply_loyalty' },
          {
            history: 'Hindsight: invoice (local, 2 changes)', items: [
              { lnum: 16, text: `invoice = ${bob(4.5)}  [__main__.Invoice, event 71]` },
              { lnum: 20, text: `invoice = ${bob(-0.5)}  [__main__.Invoice, event 75] (later)` },
            ],
          },
          { move: { keys: '\\hb' }, line: 19, frame: 'apply_loyalty' }, // step back: the elif
          { move: { keys: '\\ho' }, line: 26, frame: 'process' }, // reverse step out: the call, before it ran
          { move: { keys: '\\hc' }, line: 18, frame: 'apply_loyalty' }, // reverse continue: ada's hit
          { move: { keys: '\\hi' }, line: 17, frame: 'apply_loyalty' }, // reverse step in: the line before
          // Go to event 71 (where bob's `invoice` got its value): bob's call of apply_loyalty, as `years` shows.
          { move: { keys: '\\hg', input: '71' }, line: 17, frame: 'apply_loyalty' },
          { history: 'Hindsight: years (local, 1 change)', items: [{ lnum: 16, text: 'years = 3  [int, event 71]' }] },
          { move: { command: 'HindsightOpen' }, line: 1, frame: '<module>' }, // the newest trace (the one just recorded), on entry
        ]);
      });
    }
  }
});
