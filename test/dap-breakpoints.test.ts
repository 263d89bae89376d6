// Every breakpoint kind end to end, over stdio and TCP, in both directions: log points, hit counts
// (alone and with a condition), condition errors, function, data and exception breakpoints,
// exceptionInfo and breakpointLocations, on test/fixtures/dap/breakpoints.py.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { freshDir, markedLine } from './support/recordings';
import { dapFixture, failure, move, scopeValues, stack, startDap, topFrame, type Dap, type Stopped, pythonOf, tracerRuns } from './support/dap';

const PROGRAM = dapFixture('breakpoints');
const at = (mark: string) => markedLine('dap/breakpoints', mark);

/** Launches the fixture (no stop on entry) with breakpoints set by `configure` during configuration; resolves at the first stop. */
async function launchWith(client: DebugClient, configure: (client: DebugClient) => Promise<unknown>, stopOnEntry = false, extra: Record<string, unknown> = {}): Promise<Stopped> {
  const trace = path.join(freshDir('dap-breakpoints'), 'breakpoints.trace.db');
  const stopped = client.waitForEvent('stopped');
  const [, , event] = await Promise.all([
    client.waitForEvent('initialized').then(() => configure(client)).then(() => client.configurationDoneRequest()),
    client.launch({ program: PROGRAM, python: pythonOf(client), trace, stopOnEntry, ...extra }),
    stopped,
  ]);
  return event.body as Stopped;
}

function lines(client: DebugClient, breakpoints: DebugProtocol.SourceBreakpoint[]) {
  return client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints });
}

/** One variable of the top frame's Locals (or Globals), as text; undefined when not bound. */
async function valueOf(client: DebugClient, thread: number, name: string, scope: 'Locals' | 'Globals' = 'Locals'): Promise<string | undefined> {
  return (await scopeValues(client, (await topFrame(client, thread)).id, scope))[name];
}

/** The variablesReference of the top frame's Locals or Globals scope. */
async function scopeReference(client: DebugClient, thread: number, scope: 'Locals' | 'Globals'): Promise<number> {
  const scopes = await client.scopesRequest({ frameId: (await topFrame(client, thread)).id });
  const found = scopes.body.scopes.find((candidate) => candidate.name === scope);
  if (!found) throw new Error(`no ${scope} scope`);
  return found.variablesReference;
}

for (const { transport, python, title } of tracerRuns()) {
  describe(`dap breakpoints [${title}]`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport, python?.executable); });
    afterEach(async () => { await dap.stop(); });

    it('advertises every breakpoint kind it supports', async () => {
      const response = await dap.client.initializeRequest();
      const body = response.body ?? {};
      assert.equal(body.supportsFunctionBreakpoints, true);
      assert.equal(body.supportsDataBreakpoints, true);
      assert.equal(body.supportsExceptionInfoRequest, true);
      assert.equal(body.supportsBreakpointLocationsRequest, true);
      assert.deepEqual(body.exceptionBreakpointFilters?.map((filter) => filter.filter), ['raised', 'uncaught']);
    });

    it('log points emit exactly the hits crossed, both ways; hit counts are absolute both ways', async () => {
      const outputs: string[] = [];
      dap.client.on('output', (event) => { if (event.body.category === 'console') outputs.push(event.body.output); });
      const hit = await launchWith(dap.client, () => lines(dap.client, [
        { line: at('square-return'), logMessage: 'k={k}' },
        { line: at('loop-body'), hitCondition: '3' },
        { line: at('total-call') },
      ]));
      const thread = hit.threadId ?? 0;
      assert.deepEqual([hit.reason, await valueOf(dap.client, thread, 'i', 'Locals')], ['breakpoint', '2']);
      assert.deepEqual(outputs.splice(0), ['k=0\n', 'k=1\n']);
      await move(dap.client, 'continue', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${at('total-call')}`]);
      assert.deepEqual(outputs.splice(0), ['k=2\n', 'k=3\n', 'k=4\n']);
      const back = await move(dap.client, 'reverseContinue', thread); // the 3rd execution again, not the 1st met going back
      assert.equal(back.reason, 'breakpoint');
      assert.equal(await valueOf(dap.client, thread, 'i'), '2');
      assert.deepEqual(outputs.splice(0), ['k=4\n', 'k=3\n', 'k=2\n']);
      const start = await move(dap.client, 'reverseContinue', thread);
      assert.equal(start.description, 'Beginning of recording');
      assert.deepEqual(outputs.splice(0), ['k=1\n', 'k=0\n']);
    });

    it('every 2nd execution (% 2), forward then backward', async () => {
      const hit = await launchWith(dap.client, () => lines(dap.client, [{ line: at('loop-body'), hitCondition: '% 2' }]));
      const thread = hit.threadId ?? 0;
      assert.equal(await valueOf(dap.client, thread, 'i'), '1');
      await move(dap.client, 'continue', thread);
      assert.equal(await valueOf(dap.client, thread, 'i'), '3');
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');
      await move(dap.client, 'reverseContinue', thread);
      assert.equal(await valueOf(dap.client, thread, 'i'), '3');
      await move(dap.client, 'reverseContinue', thread);
      assert.equal(await valueOf(dap.client, thread, 'i'), '1');
    });

    it('with a condition, the hit count counts only hits where the condition holds, both ways', async () => {
      const hit = await launchWith(dap.client, () => lines(dap.client, [{ line: at('loop-body'), condition: 'i > 1', hitCondition: '2' }]));
      const thread = hit.threadId ?? 0;
      assert.equal(await valueOf(dap.client, thread, 'i'), '3'); // i = 2, 3, 4 hold: the 2nd is i = 3
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');
      await move(dap.client, 'reverseContinue', thread);
      assert.equal(await valueOf(dap.client, thread, 'i'), '3');
      assert.equal((await move(dap.client, 'reverseContinue', thread)).description, 'Beginning of recording');
    });

    it('reports a condition that fails to evaluate, and stops there', async () => {
      const errors: string[] = [];
      dap.client.on('output', (event) => { if (event.body.category === 'stderr' && /condition/.test(event.body.output)) errors.push(event.body.output); });
      let id = 0;
      const hit = await launchWith(dap.client, async () => {
        id = (await lines(dap.client, [{ line: at('square-return'), condition: 'missing > 0' }])).body.breakpoints[0]?.id ?? 0;
      });
      const thread = hit.threadId ?? 0;
      assert.deepEqual(hit.hitBreakpointIds, [id]);
      assert.equal(await valueOf(dap.client, thread, 'k'), '0');
      assert.deepEqual(errors.splice(0), [`breakpoint ${id} (breakpoints.py:${at('square-return')}): the condition 'missing > 0' failed at line `
        + `${at('square-return')} (name 'missing' is not recorded in this frame); it stops there as if true\n`]);
      await move(dap.client, 'continue', thread);
      assert.equal(await valueOf(dap.client, thread, 'k'), '1');
      assert.equal(errors.splice(0).length, 1);
      const refused = await lines(dap.client, [{ line: at('square-return'), condition: 'k +' }]);
      assert.equal(refused.body.breakpoints[0]?.verified, false);
    });

    it('a condition, log point or evaluate touching a redacted value fails there and says so (never True or False)', async () => {
      const said: string[] = [];
      dap.client.on('output', (event) => {
        // The server's words: log points (console) and breakpoint messages (stderr), not the program's traceback.
        if (event.body.category === 'console' || /^breakpoint /.test(event.body.output)) said.push(`${event.body.category}: ${event.body.output}`);
      });
      let id = 0;
      const redacted = 'i is redacted in this trace (recorded with secret redaction)';
      const hit = await launchWith(dap.client, async () => {
        id = (await lines(dap.client, [{ line: at('loop-body'), condition: 'i is None' }, { line: at('square-return'), logMessage: 'k={k} i={i}' }]))
          .body.breakpoints[0]?.id ?? 0;
      }, false, { redact: ['i'] });
      const failed = `stderr: breakpoint ${id} (breakpoints.py:${at('loop-body')}): the condition 'i is None' failed at line ${at('loop-body')} (${redacted}); it stops there as if true\n`;
      assert.deepEqual([hit.reason, hit.hitBreakpointIds], ['breakpoint', [id]], "'i is None' is not False: it failed, so it stops");
      assert.deepEqual(said.splice(0), [failed]);
      await move(dap.client, 'continue', hit.threadId ?? 0);
      assert.deepEqual(said.splice(0), [`console: k=0 i=<error: ${redacted}>\n`, failed]);
      assert.equal(await valueOf(dap.client, hit.threadId ?? 0, 'i'), '<redacted>', 'the Variables view shows it as redacted');
      const evaluate = (expression: string) => dap.client.evaluateRequest({ expression, context: 'watch' });
      assert.equal(await failure(evaluate('i')), redacted);
      assert.equal(await failure(evaluate('i is not None or True')), redacted);
      assert.equal(await failure(evaluate('[i]')), redacted);
      assert.equal((await evaluate('True or i')).body.result, 'True', 'Python never reads i there either');
    });

    it('function breakpoints stop at the first line of each invocation, with conditions and hit counts, both ways', async () => {
      let answers: DebugProtocol.Breakpoint[] = [];
      const hit = await launchWith(dap.client, async () => {
        answers = (await dap.client.setFunctionBreakpointsRequest({ breakpoints: [
          { name: 'square', hitCondition: '4' }, { name: 'breakpoints.py:total', condition: 'n == 1' }, { name: 'nope' },
          { name: 'breakpoints:collect', condition: 'False' }, { name: 'elsewhere:collect' },
        ] })).body.breakpoints;
      });
      assert.deepEqual(answers.map((answer) => answer.verified), [true, true, false, true, false]);
      assert.match(answers[2]?.message ?? '', /no function named 'nope' ran/);
      assert.deepEqual([answers[0]?.line, answers[3]?.line], [at('square-return') - 1, at('items-init') - 1]);
      const thread = hit.threadId ?? 0;
      assert.equal(hit.reason, 'function breakpoint');
      assert.deepEqual(await stack(dap.client, thread), [`square:${at('square-return')}`, `<module>:${at('loop-body')}`]);
      assert.equal(await valueOf(dap.client, thread, 'k'), '3');
      await move(dap.client, 'continue', thread);
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-init')}`, `total:${at('acc-recurse')}`, `<module>:${at('total-call')}`]);
      assert.equal(await valueOf(dap.client, thread, 'n'), '1');
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');
      await move(dap.client, 'reverseContinue', thread);
      assert.equal(await valueOf(dap.client, thread, 'n'), '1');
      const back = await move(dap.client, 'reverseContinue', thread);
      assert.equal(back.reason, 'function breakpoint');
      assert.equal(await valueOf(dap.client, thread, 'k'), '3');
    });

    it('a data breakpoint on a local stops only for writes of that invocation, new value forward, old value backward', async () => {
      const hit = await launchWith(dap.client, () => lines(dap.client, [{ line: at('acc-recurse') }]));
      const thread = hit.threadId ?? 0;
      assert.deepEqual(await scopeValues(dap.client, (await topFrame(dap.client, thread)).id), { n: '2', acc: '0' });
      const info = await dap.client.dataBreakpointInfoRequest({ variablesReference: await scopeReference(dap.client, thread, 'Locals'), name: 'acc' });
      assert.deepEqual(info.body.accessTypes, ['write']);
      assert.ok(info.body.dataId);
      const set = await dap.client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
      assert.equal(set.body.breakpoints[0]?.verified, true);
      await lines(dap.client, []);
      const outer = [`<module>:${at('total-call')}`];

      const write = await move(dap.client, 'continue', thread); // total(1) and total(0) write their own acc: no stop
      assert.equal(write.reason, 'data breakpoint');
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-add')}`, ...outer]);
      assert.equal(await valueOf(dap.client, thread, 'acc'), '1');
      await move(dap.client, 'continue', thread);
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-return')}`, ...outer]);
      assert.equal(await valueOf(dap.client, thread, 'acc'), '3');
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');

      await move(dap.client, 'reverseContinue', thread); // the line that wrote 3, before it ran
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-add')}`, ...outer]);
      assert.equal(await valueOf(dap.client, thread, 'acc'), '1');
      await move(dap.client, 'reverseContinue', thread);
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-recurse')}`, ...outer]);
      assert.equal(await valueOf(dap.client, thread, 'acc'), '0');
      await move(dap.client, 'reverseContinue', thread); // the first binding: acc unbound before it
      assert.deepEqual(await stack(dap.client, thread), [`total:${at('acc-init')}`, ...outer]);
      assert.deepEqual(await scopeValues(dap.client, (await topFrame(dap.client, thread)).id), { n: '2' });
      assert.equal((await move(dap.client, 'reverseContinue', thread)).description, 'Beginning of recording');
    });

    it('a list appended in a callee is a write of the caller’s variable, both ways', async () => {
      const hit = await launchWith(dap.client, () => lines(dap.client, [{ line: at('add-call') }]));
      const thread = hit.threadId ?? 0;
      const info = await dap.client.dataBreakpointInfoRequest({ name: 'items', frameId: (await topFrame(dap.client, thread)).id });
      assert.ok(info.body.dataId);
      await dap.client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId }] });
      await lines(dap.client, []);
      await move(dap.client, 'continue', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `collect:${at('add-call-2')}`);
      assert.equal(await valueOf(dap.client, thread, 'items'), '[1]');
      await move(dap.client, 'continue', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `collect:${at('collect-return')}`);
      assert.equal(await valueOf(dap.client, thread, 'items'), '[1, 2]');
      await move(dap.client, 'reverseContinue', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `collect:${at('add-call-2')}`);
      assert.equal(await valueOf(dap.client, thread, 'items'), '[1]');
      await move(dap.client, 'reverseContinue', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `collect:${at('add-call')}`);
      assert.equal(await valueOf(dap.client, thread, 'items'), '[]');
    });

    it('a data breakpoint on a global (from a function’s Globals scope); an element cannot be watched', async () => {
      const hit = await launchWith(dap.client, () => lines(dap.client, [{ line: at('square-return'), hitCondition: '2' }]));
      const thread = hit.threadId ?? 0;
      const globals = await scopeReference(dap.client, thread, 'Globals');
      const info = await dap.client.dataBreakpointInfoRequest({ variablesReference: globals, name: 'squares' });
      assert.ok(info.body.dataId);
      const squares = (await dap.client.variablesRequest({ variablesReference: globals })).body.variables.find((variable) => variable.name === 'squares');
      const element = await dap.client.dataBreakpointInfoRequest({ variablesReference: squares?.variablesReference ?? 0, name: '0' });
      assert.equal(element.body.dataId, null);
      assert.match(element.body.description, /only variables can be watched/);
      await dap.client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId }] });
      await lines(dap.client, []);
      await move(dap.client, 'continue', thread); // squares.append(square(1)) ran: the module's next line
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${at('for')}`]);
      assert.equal(await valueOf(dap.client, thread, 'squares'), '[0, 1]');
      await move(dap.client, 'reverseContinue', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${at('loop-body')}`]);
      assert.deepEqual([await valueOf(dap.client, thread, 'squares'), await valueOf(dap.client, thread, 'i')], ['[0]', '1']);
    });

    it('exception filter "raised" stops once per exception, at its raise, both ways; exceptionInfo describes it', async () => {
      const hit = await launchWith(dap.client, () => dap.client.setExceptionBreakpointsRequest({ filters: ['raised'] }));
      const thread = hit.threadId ?? 0;
      assert.deepEqual([hit.reason, hit.text], ['exception', "ValueError: invalid literal for int() with base 10: 'x'"]);
      assert.deepEqual(await stack(dap.client, thread), [`parse:${at('parse-raise')}`, `checked:${at('checked-call')}`, `<module>:${at('checked-top')}`]);
      const info = await dap.client.exceptionInfoRequest({ threadId: thread });
      assert.deepEqual([info.body.exceptionId, info.body.description, info.body.breakMode], ['ValueError', "invalid literal for int() with base 10: 'x'", 'always']);
      assert.equal(info.body.details?.stackTrace, [
        'Traceback (most recent call last):',
        `  File "${PROGRAM}", line ${at('checked-top')}, in <module>`,
        `  File "${PROGRAM}", line ${at('checked-call')}, in checked`,
        `  File "${PROGRAM}", line ${at('parse-raise')}, in parse`,
        "ValueError: invalid literal for int() with base 10: 'x'",
      ].join('\n'));
      const second = await move(dap.client, 'continue', thread); // not again in checked, where it propagates
      assert.equal(second.text, "ValueError: invalid literal for int() with base 10: 'y'");
      assert.deepEqual(await stack(dap.client, thread), [`parse:${at('parse-raise')}`, `fail:${at('fail-call')}`, `<module>:${at('fail-top')}`]);
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');
      assert.equal((await move(dap.client, 'reverseContinue', thread)).text, "ValueError: invalid literal for int() with base 10: 'y'");
      assert.equal((await move(dap.client, 'reverseContinue', thread)).text, "ValueError: invalid literal for int() with base 10: 'x'");
      assert.equal((await move(dap.client, 'reverseContinue', thread)).description, 'Beginning of recording');
    });

    it('exception filter "uncaught" stops only at the raise of the exception the program died of, both ways', async () => {
      const hit = await launchWith(dap.client, () => dap.client.setExceptionBreakpointsRequest({ filters: ['uncaught'] }));
      const thread = hit.threadId ?? 0;
      assert.equal(hit.text, "ValueError: invalid literal for int() with base 10: 'y'");
      assert.deepEqual((await stack(dap.client, thread))[0], `parse:${at('parse-raise')}`);
      assert.equal((await dap.client.exceptionInfoRequest({ threadId: thread })).body.breakMode, 'unhandled');
      assert.equal((await move(dap.client, 'continue', thread)).description, 'End of recording');
      assert.equal((await move(dap.client, 'reverseContinue', thread)).reason, 'exception');
      assert.deepEqual((await stack(dap.client, thread))[1], `fail:${at('fail-call')}`);
      assert.equal((await move(dap.client, 'reverseContinue', thread)).description, 'Beginning of recording');
      await assert.rejects(dap.client.exceptionInfoRequest({ threadId: thread }), /not stopped on an exception/);
    });

    it('breakpointLocations lists the lines that ran; a comment line moves to the next line of its function', async () => {
      await launchWith(dap.client, async () => {
        const args: DebugProtocol.BreakpointLocationsArguments = { source: { path: PROGRAM }, line: at('total-comment'), endLine: at('acc-return') };
        const locations = await dap.client.customRequest('breakpointLocations', args) as DebugProtocol.BreakpointLocationsResponse;
        assert.deepEqual(locations.body.breakpoints.map((location) => location.line),
          [at('acc-init'), at('acc-init') + 1, at('acc-recurse') - 1, at('acc-recurse'), at('acc-add'), at('acc-return')]);
        const answers = (await lines(dap.client, [{ line: at('total-comment') }, { line: at('never-runs') }])).body.breakpoints;
        assert.deepEqual(answers.map((answer) => [answer.verified, answer.line]), [[true, at('acc-init')], [false, at('never-runs')]]);
        assert.match(answers[1]?.message ?? '', /never ran/);
        const elsewhere = await dap.client.customRequest('breakpointLocations', { source: { path: dapFixture('loop') }, line: 1, endLine: 20 });
        assert.deepEqual(elsewhere.body.breakpoints, []);
      }, true);
    });
  });
}
