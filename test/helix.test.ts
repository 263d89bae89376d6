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
    assert.deepEqual(templates.map((template) => [template.name, template.request, template.completion, template.args]), [
      ['record & debug this file', 'launch', [{ name: 'program', completion: 'filename' }], { program: '{0}', stopOnEntry: true }],
      ['open a trace', 'attach', [{ name: 'trace', completion: 'filename' }], { trace: '{0}' }],
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
    afterEach(async () => dap?.stop());

    /** What Helix does on a stop: the threads (we stop them all), then the stack of the stopped one. */
    async function helixStop(stopped: Promise<DebugProtocol.Event>): Promise<[string, string, number]> {
      const { body } = await stopped;
      assert.equal(body.allThreadsStopped, true);
      assert.deepEqual((await dap.client.threadsRequest()).body.threads.map((thread) => thread.name), ['MainThread']);
      const [frame] = (await dap.client.stackTraceRequest({ threadId: body.threadId })).body.stackFrames;
      return [body.reason, frame?.name ?? '', frame?.line ?? 0];
    }
    /** Helix's `:debug-eval`: the current frame, no context. */
    async function debugEval(expression: string): Promise<string> {
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      return (await dap.client.evaluateRequest({ expression, frameId: frame?.id } as DebugProtocol.EvaluateArguments)).body.result;
    }
    /** A REPL move: its answer, then the stop it causes as Helix reads it. */
    async function travel(command: string): Promise<[string, [string, string, number]]> {
      const stopped = dap.client.waitForEvent('stopped');
      const answer = await debugEval(command);
      return [answer, await helixStop(stopped)];
    }
    async function helixNext(): Promise<[string, string, number]> {
      const stopped = dap.client.waitForEvent('stopped');
      await dap.client.nextRequest({ threadId: 1 });
      return helixStop(stopped);
    }

    it('records from the template, stops at a breakpoint, and travels back with :back, :rc and :goto', async () => {
      const workspace = fs.realpathSync(freshDir('helix-ws'));
      const program = path.join(workspace, 'invoices.py');
      fs.copyFileSync(INVOICES, program);
      dap = await startDap('stdio', undefined, { cwd: workspace }); // Helix starts the adapter in its own working folder
      const init = await dap.client.initializeRequest({
        clientID: 'hx', clientName: 'helix', adapterID: 'hindsight', locale: 'en-us', linesStartAt1: true, columnsStartAt1: true,
        pathFormat: 'path', supportsVariableType: true, supportsVariablePaging: false, supportsRunInTerminalRequest: true,
        supportsMemoryReferences: false, supportsProgressReporting: false, supportsInvalidatedEvent: false,
      });
      assert.equal(init.body?.supportsStepBack, true);
      const entry = dap.client.waitForEvent('stopped');
      const loyalty = lineOf('invoice.total -= 5');
      await Promise.all([
        // The template's args as Helix sends them: {0} replaced by the canonical path of the file given, plus its cwd.
        dap.client.launch({ program, stopOnEntry: true, cwd: workspace } as DebugProtocol.LaunchRequestArguments),
        dap.client.waitForEvent('initialized')
          .then(() => dap.client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: loyalty }], sourceModified: false }))
          .then(() => dap.client.configurationDoneRequest()),
      ]);
      assert.deepEqual(await helixStop(entry), ['entry', '<module>', lineOf('"""A small program')]); // its docstring is its first line
      const hit = dap.client.waitForEvent('stopped');
      await dap.client.continueRequest({ threadId: 1 });
      assert.deepEqual(await helixStop(hit), ['breakpoint', 'apply_loyalty', loyalty]);
      const [frame] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const [locals] = (await dap.client.scopesRequest({ frameId: frame?.id ?? 0 })).body.scopes;
      const variables = (await dap.client.variablesRequest({ variablesReference: locals?.variablesReference ?? 0 })).body.variables;
      assert.deepEqual(variables.map((variable) => `${variable.name}=${variable.value}`).filter((text) => text.startsWith('years')), ['years=3']);
      assert.equal(await debugEval('invoice.total'), '4.5');

      const [backAnswer, back] = await travel(':back');
      assert.match(backAnswer, /stepping back/);
      assert.deepEqual(back.slice(1), ['apply_loyalty', lineOf('elif years > 2:')]);
      assert.deepEqual((await helixNext()).slice(1), ['apply_loyalty', loyalty]);
      await helixNext();
      assert.equal(await debugEval('invoice.total'), '-0.5');

      const [rcAnswer, rc] = await travel(':rc');
      assert.match(rcAnswer, /reverse continuing/);
      assert.deepEqual(rc.slice(1), ['apply_loyalty', loyalty]);
      assert.equal(await debugEval('invoice.total'), '4.5');

      const where = await debugEval(':where');
      const event = Number(/event (\d+)/.exec(where)?.[1]);
      assert.ok(event > 1, where);
      assert.deepEqual((await travel(':goto 1'))[1].slice(1), ['<module>', lineOf('"""A small program')]);
      assert.deepEqual((await travel(`:goto ${event}`))[1].slice(1), ['apply_loyalty', loyalty]);
    });
  });
});
