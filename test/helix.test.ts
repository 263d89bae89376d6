// Helix: editors/helix/languages.toml parses and says what its README says, `hx --health python` finds
// our server and adapter with it, and a session sending exactly Helix's requests travels back through
// the REPL commands (Helix has no reverse buttons; its `:debug-eval` sends evaluate without a context).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startDap, type Dap } from './support/dap';
import { CLI, freshDir, REPO } from './support/recordings';

const SNIPPET = path.join(REPO, 'editors', 'helix', 'languages.toml');
const HX = '/opt/editors/bin/hx';
const INVOICES = path.join(REPO, 'examples', 'invoices.py');
const lineOf = (text: string) => fs.readFileSync(INVOICES, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;

interface HelixConfig {
  'language-server': Record<string, { command: string; args: string[] }>;
  language: { name: string; 'language-servers': string[]; debugger: { name: string; transport: string; command: string; args: string[];
    templates: { name: string; request: string; completion: { name: string; completion?: string }[]; args: Record<string, unknown> }[] } }[];
}

describe('Helix', function () {
  this.timeout(120_000);
  const parsed = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', SNIPPET], { encoding: 'utf8' });

  it('languages.toml parses: the language server, and the debugger with its two templates', () => {
    assert.equal(parsed.status, 0, parsed.stderr);
    const config = JSON.parse(parsed.stdout) as HelixConfig;
    assert.deepEqual(config['language-server'].hindsight, { command: 'hindsight', args: ['lsp', '--stdio'] });
    const [python] = config.language;
    assert.equal(python?.name, 'python');
    assert.ok(python?.['language-servers'].includes('hindsight'));
    const { templates, ...adapter } = python?.debugger ?? { templates: [] };
    assert.deepEqual(adapter, { name: 'hindsight', transport: 'stdio', command: 'hindsight', args: ['dap'] });
    assert.deepEqual(templates.map((template) => [template.name, template.request, template.args]), [
      ['record & debug this file', 'launch', { program: '{0}', stopOnEntry: true }],
      ['open a trace', 'attach', { trace: '{0}' }],
    ]);
  });

  (fs.existsSync(HX) ? it : it.skip)(`hx --health python finds the language server and the debug adapter${fs.existsSync(HX) ? '' : ` — skipped: no ${HX}`}`, () => {
    const home = freshDir('helix-home');
    fs.mkdirSync(path.join(home, 'helix'));
    fs.copyFileSync(SNIPPET, path.join(home, 'helix', 'languages.toml'));
    const bin = path.join(home, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'hindsight'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const health = spawnSync(HX, ['--health', 'python'], { encoding: 'utf8', env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(health.status, 0, health.stderr);
    // eslint-disable-next-line no-control-regex
    const text = health.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    assert.match(text, new RegExp(`Configured language servers:\\n  ✓ hindsight: ${bin}/hindsight\\n`));
    assert.match(text, new RegExp(`Configured debug adapter:\\n  ✓ ${bin}/hindsight\\n`));
  });

  describe("a session with Helix's requests", () => {
    let dap: Dap;
    let workspace: string;
    afterEach(async () => dap?.stop());

    /** Helix's evaluate: the current frame, no context. */
    async function debugEval(expression: string): Promise<string> {
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      return (await dap.client.evaluateRequest({ expression, frameId: frame?.id } as DebugProtocol.EvaluateArguments)).body.result;
    }
    async function stoppedAt(): Promise<[string, number]> {
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      return [frame?.name ?? '', frame?.line ?? 0];
    }
    /** A REPL move: its answer, then the stopped event it causes. */
    async function travel(command: string): Promise<string> {
      const stopped = dap.client.waitForEvent('stopped');
      const answer = await debugEval(command);
      await stopped;
      return answer;
    }

    it('records from the template, stops at a breakpoint, and travels back with :back, :rc and :goto', async () => {
      workspace = freshDir('helix-ws');
      fs.copyFileSync(INVOICES, path.join(workspace, 'invoices.py'));
      dap = await startDap('stdio', undefined, { cwd: workspace }); // Helix starts the adapter in its working folder
      const init = await dap.client.initializeRequest({
        clientID: 'hx', clientName: 'helix', adapterID: 'hindsight', locale: 'en-us', linesStartAt1: true, columnsStartAt1: true,
        pathFormat: 'path', supportsVariableType: true, supportsVariablePaging: false, supportsRunInTerminalRequest: true,
        supportsMemoryReferences: false, supportsProgressReporting: false, supportsInvalidatedEvent: false,
      });
      assert.equal(init.body?.supportsStepBack, true);
      const stopped = dap.client.waitForEvent('stopped');
      const loyalty = lineOf('invoice.total -= 5');
      await Promise.all([
        dap.client.launch({ program: 'invoices.py', stopOnEntry: true } as DebugProtocol.LaunchRequestArguments), // the template's args, {0} filled in
        dap.client.waitForEvent('initialized')
          .then(() => dap.client.setBreakpointsRequest({ source: { path: path.join(workspace, 'invoices.py') }, breakpoints: [{ line: loyalty }], sourceModified: false }))
          .then(() => dap.client.configurationDoneRequest()),
      ]);
      await stopped;
      assert.deepEqual((await dap.client.threadsRequest()).body.threads.map((thread) => thread.name), ['MainThread']);
      const hit = dap.client.waitForEvent('stopped');
      await dap.client.continueRequest({ threadId: 1 });
      assert.equal((await hit).body.reason, 'breakpoint');
      assert.deepEqual(await stoppedAt(), ['apply_loyalty', loyalty]);
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const [locals] = (await dap.client.scopesRequest({ frameId: frame?.id ?? 0 })).body.scopes;
      const variables = (await dap.client.variablesRequest({ variablesReference: locals?.variablesReference ?? 0 })).body.variables;
      assert.deepEqual(variables.map((variable) => `${variable.name}=${variable.value}`).filter((text) => text.startsWith('years')), ['years=3']);
      assert.equal(await debugEval('invoice.total'), '4.5');

      assert.match(await travel(':back'), /stepping back/);
      assert.deepEqual(await stoppedAt(), ['apply_loyalty', lineOf('elif years > 2:')]);
      const next = dap.client.waitForEvent('stopped');
      await dap.client.nextRequest({ threadId: 1 });
      await next;
      const afterLoyalty = dap.client.waitForEvent('stopped');
      await dap.client.nextRequest({ threadId: 1 });
      await afterLoyalty;
      assert.equal(await debugEval('invoice.total'), '-0.5');

      assert.match(await travel(':rc'), /reverse continuing/);
      assert.deepEqual(await stoppedAt(), ['apply_loyalty', loyalty]);
      assert.equal(await debugEval('invoice.total'), '4.5');

      const where = await debugEval(':where');
      const event = Number(/event (\d+)/.exec(where)?.[1]);
      assert.ok(event > 1, where);
      await travel(':goto 1');
      assert.deepEqual(await stoppedAt(), ['<module>', lineOf('"""A small program')]); // its docstring is its first line
      await travel(`:goto ${event}`);
      assert.deepEqual(await stoppedAt(), ['apply_loyalty', loyalty]);
    });
  });
});
