// DAP stepping and jumping end to end, over stdio and TCP (and on a sys.monitoring Python): reverse step in/out, instruction granularity,
// generators, asyncio tasks, threads, recursion, gotoTargets/goto, restartFrame and gotoPosition.
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { markedLine } from './support/recordings';
import { dapFixture, failure, launchTo, move, scopeValues, stack, startDap, topFrame, type BreakpointSpec, type Dap, type Stopped, tracerRuns } from './support/dap';

const gen = (mark: string) => markedLine('dap/generators', mark);
const task = (mark: string) => markedLine('dap/tasks', mark);
const turn = (mark: string) => markedLine('dap/turns', mark);
const rec = (mark: string) => markedLine('dap/recursion', mark);

/** Launches a fixture with the chosen Python, running to the first breakpoint. */
function runTo(client: DebugClient, fixture: string, breakpoints: BreakpointSpec[]): Promise<Stopped> {
  return launchTo(client, fixture, breakpoints, { stopOnEntry: false });
}

/** Sends any request that moves the cursor (custom ones too) and resolves with the stopped event after it. */
async function request(client: DebugClient, command: string, args: object): Promise<Stopped> {
  const stopped = client.waitForEvent('stopped');
  await client.customRequest(command, args);
  return (await stopped).body as Stopped;
}

/** A variable of the thread's top frame, as shown. */
async function local(client: DebugClient, thread: number, name: string): Promise<string | undefined> {
  return (await scopeValues(client, (await topFrame(client, thread)).id))[name];
}

async function clearBreakpoints(client: DebugClient, fixture: string): Promise<void> {
  await client.setBreakpointsRequest({ source: { path: dapFixture(fixture) }, breakpoints: [] });
}

for (const { transport, python, title } of tracerRuns()) {
  describe(`dap stepping [${title}]`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport, python?.executable); });
    afterEach(async () => { await dap.stop(); });

    it('steps back into and out of calls in a recursion, mirroring stepIn and stepOut', async () => {
      const hit = await runTo(dap.client, 'recursion', [{ line: rec('check'), condition: 'n == 0' }]);
      const thread = hit.threadId ?? 0;
      const recurse = `countdown:${rec('recurse')}`;
      const module = `<module>:${rec('call')}`;
      await move(dap.client, 'next', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `countdown:${rec('base')}`);
      const crossed = await request(dap.client, 'reverseStepOut', { threadId: thread }); // stops at the breakpoint it crosses
      assert.equal(crossed.reason, 'breakpoint');
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('check')}`, recurse, recurse, recurse, module]);
      await clearBreakpoints(dap.client, 'recursion');
      await move(dap.client, 'next', thread);

      await request(dap.client, 'reverseStepOut', { threadId: thread }); // countdown(1) at its call of countdown(0), before it
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, recurse, module]);
      assert.equal(await local(dap.client, thread, 'n'), '1');
      await request(dap.client, 'reverseStepOut', { threadId: thread });
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, module]);
      assert.equal(await local(dap.client, thread, 'n'), '2');

      await move(dap.client, 'stepIn', thread); // into countdown(1)
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('check')}`, recurse, recurse, module]);
      await request(dap.client, 'reverseStepIn', { threadId: thread }); // the previous line of the thread: the call
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, module]);

      await move(dap.client, 'stepIn', thread);
      await move(dap.client, 'stepOut', thread); // countdown(1) is done: countdown(2) after the call returned
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, module]);
      const frame = await topFrame(dap.client, thread);
      assert.deepEqual(await scopeValues(dap.client, frame.id), { 'Return value': "'done'", n: '2' });
      await move(dap.client, 'next', thread); // at its end, next goes to the caller, countdown(3)
      assert.deepEqual(await stack(dap.client, thread), [recurse, module]);
      assert.equal(await local(dap.client, thread, 'n'), '3');
    });

    it('steps one recorded event at a time with granularity "instruction", both ways', async () => {
      const hit = await runTo(dap.client, 'generators', [{ line: gen('first') }]);
      const thread = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'generators');
      const consumer = [`consume:${gen('first')}`, `<module>:${gen('call')}`];
      const step = (command: string) => request(dap.client, command, { threadId: thread, granularity: 'instruction' });
      assert.equal((await step('next')).reason, 'step'); // the generator's CALL, on its def line
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('gen-def')}`, ...consumer]);
      await step('stepIn');
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('gen-for')}`, ...consumer]);
      await step('stepOut');
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('yield')}`, ...consumer]);
      await step('next'); // the YIELD event itself, with the value it hands over
      const frame = await topFrame(dap.client, thread);
      assert.deepEqual([frame.line, (await scopeValues(dap.client, frame.id))['Yielded value']], [gen('yield'), '0']);
      await step('next');
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('second')}`, `<module>:${gen('call')}`]);
      await step('reverseStepIn');
      await step('stepBack');
      await step('reverseStepOut');
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('gen-for')}`, ...consumer]);
    });

    it('steps through a generator like pdb: a yield goes back to the consumer, next(gen) enters at the resumed line', async () => {
      const hit = await runTo(dap.client, 'generators', [{ line: gen('yield') }]);
      const thread = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'generators');
      const module = `<module>:${gen('call')}`;
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('yield')}`, `consume:${gen('first')}`, module]);

      await move(dap.client, 'next', thread); // the yield ends this activation: back in the consumer
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('second')}`, module]);
      assert.equal(await local(dap.client, thread, 'first'), '0');
      await move(dap.client, 'stepIn', thread); // next(gen) resumes the generator after its yield
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('gen-for')}`, `consume:${gen('second')}`, module]);
      assert.equal(await local(dap.client, thread, 'k'), '0');
      await move(dap.client, 'stepBack', thread); // from the resumed line: the consumer's line that resumed it
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('second')}`, module]);
      assert.equal(await local(dap.client, thread, 'second'), undefined);
      await move(dap.client, 'stepIn', thread);
      await request(dap.client, 'reverseStepOut', { threadId: thread }); // the same line, by reverse step out
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('second')}`, module]);
      await move(dap.client, 'stepIn', thread);
      await move(dap.client, 'stepOut', thread); // out at the next yield: the consumer after next(gen) returned
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('rest')}`, module]);
      assert.equal(await local(dap.client, thread, 'second'), '1');

      await move(dap.client, 'stepIn', thread); // list(gen) resumes it from unrecorded code
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('gen-for')}`, `consume:${gen('rest')}`, module]);
      await move(dap.client, 'next', thread);
      assert.deepEqual(await stack(dap.client, thread), [`squares:${gen('yield')}`, `consume:${gen('rest')}`, module]);
      await move(dap.client, 'next', thread); // its consumer is consume(), once list() is done
      assert.deepEqual(await stack(dap.client, thread), [`consume:${gen('consume-return')}`, module]);
      assert.equal(await local(dap.client, thread, 'rest'), '[4]');
    });

    it('stays in the same asyncio task when stepping over an await, both ways', async () => {
      const hit = await runTo(dap.client, 'tasks', [{ line: task('await') }]);
      const thread = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'tasks');
      const module = `<module>:${task('run')}`;
      const inTask = async (line: number, name: string) => {
        assert.deepEqual(await stack(dap.client, thread), [`work:${line}`, module]);
        assert.equal(await local(dap.client, thread, 'name'), name);
      };
      await inTask(task('await'), "'a'");
      await move(dap.client, 'next', thread); // task b runs while a waits: next is a's line after the await
      await inTask(task('after-await'), "'a'");
      assert.equal(await local(dap.client, thread, 'k'), '0');
      await move(dap.client, 'stepBack', thread);
      await inTask(task('await'), "'a'");
      await request(dap.client, 'reverseStepOut', { threadId: thread }); // who started task a: main, awaiting gather
      assert.deepEqual(await stack(dap.client, thread), [`main:${task('gather')}`, module]);
      await move(dap.client, 'next', thread); // main's next line runs once both tasks are done
      assert.deepEqual(await stack(dap.client, thread), [`main:${task('main-return')}`, module]);
      assert.equal(await local(dap.client, thread, 'results'), "[('a', 1), ('b', 1)]");

      const [end] = (await dap.client.gotoTargetsRequest({ source: { path: dapFixture('tasks') }, line: task('work-return') })).body.targets;
      await request(dap.client, 'goto', { threadId: thread, targetId: end?.id }); // task a's last line
      await inTask(task('work-return'), "'a'");
      await move(dap.client, 'next', thread); // its return, with the value the task ends with
      assert.equal(await local(dap.client, thread, 'Return value'), "('a', 1)");
      await move(dap.client, 'next', thread); // a finished task has no caller to go to: the line the thread runs next
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('pause-return')}`, `work:${task('await')}`, module]);
      assert.equal(await local(dap.client, thread, 'delay'), '0');
    });

    it('steps into an awaited coroutine and out again without leaving the task', async () => {
      const hit = await runTo(dap.client, 'tasks', [{ line: task('await') }]);
      const thread = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'tasks');
      const module = `<module>:${task('run')}`;
      const caller = [`work:${task('await')}`, module];
      await move(dap.client, 'stepIn', thread);
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('sleep')}`, ...caller]);
      await move(dap.client, 'stepIn', thread); // asyncio.sleep suspends the task: stepIn steps over it, in the task
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('pause-return')}`, ...caller]);
      await request(dap.client, 'reverseStepIn', { threadId: thread });
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('sleep')}`, ...caller]);
      await move(dap.client, 'stepOut', thread); // back in the awaiting coroutine of the same task
      assert.deepEqual(await stack(dap.client, thread), [`work:${task('after-await')}`, module]);
      assert.deepEqual([await local(dap.client, thread, 'name'), await local(dap.client, thread, 'k')], ["'a'", '0']);
      await request(dap.client, 'reverseStepIn', { threadId: thread }); // pause's return, with its value
      const frame = await topFrame(dap.client, thread);
      assert.deepEqual([frame.name, frame.line, (await scopeValues(dap.client, frame.id))['Return value']], ['pause', task('pause-return'), '0']);
      await move(dap.client, 'stepBack', thread);
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('pause-return')}`, ...caller]);
      await move(dap.client, 'stepBack', thread); // the await it resumed from, not the other task
      assert.deepEqual(await stack(dap.client, thread), [`pause:${task('sleep')}`, ...caller]);
      await request(dap.client, 'reverseStepOut', { threadId: thread });
      assert.deepEqual(await stack(dap.client, thread), caller);
      assert.equal(await local(dap.client, thread, 'name'), "'a'");
    });

    it('keeps a step on its thread while the other thread runs in between', async () => {
      const hit = await runTo(dap.client, 'turns', [{ line: turn('worker-set') }]);
      const threads = (await dap.client.threadsRequest()).body.threads;
      assert.deepEqual(threads.map((thread) => thread.name), ['MainThread', 'turns-worker']);
      const worker = threads[1]?.id ?? 0;
      assert.equal(hit.threadId, worker);
      await clearBreakpoints(dap.client, 'turns');
      for (const mark of ['worker-for', 'worker-wait', 'worker-clear', 'worker-append']) {
        const stopped = await move(dap.client, 'next', worker); // main's turn runs between worker-wait and worker-clear
        assert.equal(stopped.threadId, worker);
        assert.deepEqual(await stack(dap.client, worker), [`worker:${turn(mark)}`]);
      }
      assert.deepEqual(await local(dap.client, worker, 'k'), '1');
      assert.deepEqual(await local(dap.client, worker, 'log'), undefined); // a global: not among the locals
      for (const mark of ['worker-clear', 'worker-wait']) {
        const stopped = await request(dap.client, 'reverseStepIn', { threadId: worker });
        assert.equal(stopped.threadId, worker);
        assert.deepEqual(await stack(dap.client, worker), [`worker:${turn(mark)}`]);
      }
      await move(dap.client, 'stepBack', worker);
      await move(dap.client, 'stepBack', worker);
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-set')}`]);
      assert.equal(await local(dap.client, worker, 'k'), '0');
    });

    it('continues from the cursor whichever thread the request names', async () => {
      const hit = await runTo(dap.client, 'turns', [{ line: turn('worker-append') }, { line: turn('main-append') }]);
      const worker = hit.threadId ?? 0;
      const main = (await dap.client.threadsRequest()).body.threads.find((thread) => thread.name === 'MainThread')?.id ?? 0;
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-append')}`]);
      const next = await move(dap.client, 'continue', main); // main's own last event lies before the worker's hit
      assert.equal(next.threadId, main);
      assert.deepEqual(await stack(dap.client, main), [`<module>:${turn('main-append')}`]);
      assert.equal(await local(dap.client, main, 'k'), '0');
      const back = await move(dap.client, 'reverseContinue', worker);
      assert.equal(back.threadId, worker);
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-append')}`]);
      assert.equal(await local(dap.client, worker, 'k'), '0');
    });

    it("names the thread whose edge a step ran into, when the recording goes on beyond it", async () => {
      const hit = await runTo(dap.client, 'turns', [{ line: turn('worker-return') }]);
      const worker = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'turns');
      const exit = await move(dap.client, 'next', worker); // the frame's exit, with its return value
      assert.deepEqual([exit.description, await stack(dap.client, worker)], [undefined, [`worker:${turn('worker-return')}`]]);
      const end = await move(dap.client, 'next', worker);
      assert.deepEqual([end.description, end.threadId], ["End of thread 'turns-worker'", worker]);
      const first = await request(dap.client, 'gotoPosition', { seq: 1, threadId: worker });
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-for')}`]);
      const start = await move(dap.client, 'stepBack', first.threadId ?? 0);
      assert.deepEqual([start.description, start.threadId], ["Beginning of thread 'turns-worker'", worker]);
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-for')}`]);
    });

    it('lists only the threads running at the cursor, and refuses the stack of one that is not', async () => {
      const hit = await runTo(dap.client, 'turns', [{ line: turn('worker-set') }]);
      const worker = hit.threadId ?? 0;
      const names = async () => (await dap.client.threadsRequest()).body.threads.map((thread) => thread.name);
      assert.deepEqual(await names(), ['MainThread', 'turns-worker']);
      const notRunning = /thread 'turns-worker' is not running at event \d+: it runs from event \d+ to event \d+/;

      const first = await request(dap.client, 'gotoPosition', { seq: 1 }); // the main thread's first line: no worker yet
      assert.equal(first.reason, 'goto');
      const main = first.threadId ?? 0;
      assert.notEqual(main, worker);
      assert.deepEqual(await names(), ['MainThread']);
      assert.match(await failure(dap.client.stackTraceRequest({ threadId: worker })), notRunning);

      const started = await request(dap.client, 'gotoPosition', { seq: 1, threadId: worker }); // the worker's first line
      assert.deepEqual([started.reason, started.threadId], ['goto', worker]);
      assert.deepEqual(await stack(dap.client, worker), [`worker:${turn('worker-for')}`]);
      assert.deepEqual(await names(), ['MainThread', 'turns-worker']);

      const [print] = (await dap.client.gotoTargetsRequest({ source: { path: dapFixture('turns') }, line: turn('print') })).body.targets;
      await request(dap.client, 'goto', { threadId: main, targetId: print?.id }); // the worker has finished
      assert.deepEqual(await names(), ['MainThread']);
      assert.match(await failure(dap.client.stackTraceRequest({ threadId: worker })), notRunning);
      assert.match(await failure(dap.client.nextRequest({ threadId: worker })), notRunning);
      assert.deepEqual(await stack(dap.client, main), [`<module>:${turn('print')}`]);
    });

    it('lists every execution of a line as goto targets, and goes to one', async () => {
      const entry = await launchTo(dap.client, 'recursion', []);
      const thread = entry.threadId ?? 0;
      const targets = (await dap.client.gotoTargetsRequest({ source: { path: dapFixture('recursion') }, line: rec('check') })).body.targets;
      const seqs = targets.map((target) => target.id);
      assert.deepEqual(targets.map((target) => target.label), seqs.map((seq, index) => `#${index + 1} of 4 · event ${seq}`));
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
      const stopped = await request(dap.client, 'goto', { threadId: thread, targetId: seqs[2] });
      assert.equal(stopped.reason, 'goto');
      const recurse = `countdown:${rec('recurse')}`;
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('check')}`, recurse, recurse, `<module>:${rec('call')}`]);
      assert.equal(await local(dap.client, thread, 'n'), '1');

      assert.match(await failure(dap.client.gotoTargetsRequest({ source: { path: dapFixture('recursion') }, line: 1 })), /line 1 of recursion.py never ran/);
      assert.match(await failure(dap.client.gotoTargetsRequest({ source: { path: dapFixture('loop') }, line: 3 })), /loop.py was not recorded/);
      assert.match(await failure(dap.client.gotoRequest({ threadId: thread, targetId: 10 ** 9 })), /not an event of this trace/);
    });

    it('says in the last label how many executions a long goto target list leaves out', async () => {
      await launchTo(dap.client, 'manylines', []);
      const add = markedLine('dap/manylines', 'add');
      const targets = (await dap.client.gotoTargetsRequest({ source: { path: dapFixture('manylines') }, line: add })).body.targets;
      assert.equal(targets.length, 1000);
      assert.match(targets[0]?.label ?? '', /^#1 of 1005 · event \d+$/);
      assert.match(targets[999]?.label ?? '', /^#1000 of 1005 · event \d+ \(5 later executions not listed: use a hit-count breakpoint or :goto N\)$/);
    });

    it('restarts a frame at its first line, and goes to a position by seq', async () => {
      const capabilities = (await dap.client.initializeRequest()).body ?? {};
      assert.deepEqual([capabilities.supportsRestartFrame, capabilities.supportsGotoTargetsRequest, capabilities.supportsSteppingGranularity], [true, true, true]);
      const hit = await runTo(dap.client, 'recursion', [{ line: rec('base') }]);
      const thread = hit.threadId ?? 0;
      const frames = (await dap.client.stackTraceRequest({ threadId: thread })).body.stackFrames;
      const restarted = await request(dap.client, 'restartFrame', { frameId: frames[2]?.id }); // countdown(2)
      assert.equal(restarted.reason, 'goto');
      const recurse = `countdown:${rec('recurse')}`;
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('check')}`, recurse, `<module>:${rec('call')}`]);
      assert.equal(await local(dap.client, thread, 'n'), '2');

      const first = await request(dap.client, 'gotoPosition', { seq: 1 }); // the module's CALL: its first line
      assert.deepEqual([first.reason, first.threadId], ['goto', thread]);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${rec('check') - 1}`]);
      assert.match(await failure(dap.client.customRequest('gotoPosition', { seq: 0 })), /'seq' must be an event from 1 to \d+/);
      assert.match(await failure(dap.client.customRequest('gotoPosition', { seq: 1, threadId: 77 })), /no thread 77/);
      assert.match(await failure(dap.client.restartFrameRequest({ frameId: -1 })), /not a frame/);
    });

    it('offers :in-back and :out-back in the REPL', async () => {
      const hit = await runTo(dap.client, 'recursion', [{ line: rec('base') }]);
      const thread = hit.threadId ?? 0;
      await clearBreakpoints(dap.client, 'recursion');
      const repl = async (expression: string) => {
        const stopped = dap.client.waitForEvent('stopped');
        const answer = await dap.client.evaluateRequest({ expression, context: 'repl' });
        await stopped;
        return answer.body.result;
      };
      assert.equal(await repl(':in-back'), 'stepping back in');
      assert.deepEqual((await stack(dap.client, thread))[0], `countdown:${rec('check')}`);
      assert.equal(await repl(':out-back'), 'stepping back out');
      assert.deepEqual((await stack(dap.client, thread)).length, 4);
      assert.equal(await local(dap.client, thread, 'n'), '1');
      const help = await dap.client.evaluateRequest({ expression: ':help', context: 'repl' });
      assert.match(help.body.result, /:in-back .*\n.*:out-back/);
    });
  });
}
