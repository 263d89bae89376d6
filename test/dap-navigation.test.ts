// DAP navigation end to end, over stdio and TCP: stops, step over/in/out/back, breakpoints with conditions
// and absolute hit counts in both directions, the end of the recording, on test/fixtures/dap programs.
import { strict as assert } from 'node:assert';
import { markedLine } from './support/recordings';
import { dapFixture, launchTo, move, scopeValues, stack, startDap, topFrame, type Dap, type Transport } from './support/dap';

const loop = (mark: string) => markedLine('dap/loop', mark);
const rec = (mark: string) => markedLine('dap/recursion', mark);

for (const transport of ['stdio', 'tcp'] as Transport[]) {
  describe(`dap navigation [${transport}]`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport); });
    afterEach(async () => { await dap.stop(); });

    it('stops on entry at the first line, and steps over calls in the frame', async () => {
      const entry = await launchTo(dap.client, 'loop');
      assert.equal(entry.reason, 'entry');
      const thread = entry.threadId ?? 0;
      assert.deepEqual(await stack(dap.client, thread), ['<module>:3']);
      await move(dap.client, 'next', thread);
      await move(dap.client, 'next', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${loop('main-call')}`]);
      await move(dap.client, 'next', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${loop('print')}`]);
      const top = await topFrame(dap.client, thread);
      assert.equal((await scopeValues(dap.client, top.id)).result, '6');
    });

    it('stops at a conditional breakpoint deep inside, and steps both ways around it', async () => {
      const hit = await launchTo(dap.client, 'loop', [{ line: loop('append'), condition: 'i == 2' }], { stopOnEntry: false });
      assert.equal(hit.reason, 'breakpoint');
      const thread = hit.threadId ?? 0;
      assert.deepEqual(await stack(dap.client, thread), [`bump:${loop('append')}`, `main:${loop('call')}`, `<module>:${loop('main-call')}`]);
      let frame = await topFrame(dap.client, thread);
      assert.deepEqual(await scopeValues(dap.client, frame.id), { values: '[0]', i: '2' });

      await move(dap.client, 'next', thread);
      assert.deepEqual(await stack(dap.client, thread), [`bump:${loop('helper-return')}`, `main:${loop('call')}`, `<module>:${loop('main-call')}`]);
      await move(dap.client, 'next', thread); // the frame's exit: the return value is shown
      frame = await topFrame(dap.client, thread);
      assert.equal(frame.line, loop('helper-return'));
      assert.deepEqual(await scopeValues(dap.client, frame.id), { 'Return value': '2', values: '[0, 20]', i: '2' });
      await move(dap.client, 'next', thread); // at a frame's end, next goes to the caller
      frame = await topFrame(dap.client, thread);
      assert.deepEqual([frame.name, frame.line], ['main', loop('after-call')]);
      assert.equal((await scopeValues(dap.client, frame.id)).count, '2');

      const inside = await move(dap.client, 'stepBack', thread); // reverse step over stops at the breakpoint it crosses
      assert.equal(inside.reason, 'breakpoint');
      assert.deepEqual((await stack(dap.client, thread))[0], `bump:${loop('append')}`);
      await move(dap.client, 'stepBack', thread); // from a frame's first line: the caller's call line, before the call
      frame = await topFrame(dap.client, thread);
      assert.deepEqual([frame.name, frame.line], ['main', loop('call')]);
      const before = await scopeValues(dap.client, frame.id);
      assert.deepEqual([before.values, before.count, before.i], ['[0]', '1', '2']);
      await move(dap.client, 'stepBack', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `main:${loop('if')}`);

      const back = await move(dap.client, 'reverseContinue', thread); // no earlier hit with i == 2
      assert.equal(back.description, 'Beginning of recording');
      const forward = await move(dap.client, 'continue', thread);
      assert.equal(forward.reason, 'breakpoint');
      frame = await topFrame(dap.client, thread);
      assert.equal((await scopeValues(dap.client, frame.id)).i, '2');
    });

    it('shows a value changed inside a callee at the caller’s next line', async () => {
      const hit = await launchTo(dap.client, 'loop', [{ line: loop('call') }], { stopOnEntry: false });
      const thread = hit.threadId ?? 0;
      let frame = await topFrame(dap.client, thread);
      assert.deepEqual([(await scopeValues(dap.client, frame.id)).values, frame.line], ['[]', loop('call')]);
      await move(dap.client, 'next', thread);
      frame = await topFrame(dap.client, thread);
      assert.deepEqual([(await scopeValues(dap.client, frame.id)).values, frame.line], ['[0]', loop('after-call')]);
      const back = await move(dap.client, 'stepBack', thread);
      assert.equal(back.reason, 'step');
      frame = await topFrame(dap.client, thread);
      assert.deepEqual([(await scopeValues(dap.client, frame.id)).values, frame.line], ['[]', loop('call')]);
    });

    it('counts hits over the whole trace, the same both ways, and ends with a stopped event', async () => {
      let terminated = false;
      dap.client.on('terminated', () => { terminated = true; });
      const hit = await launchTo(dap.client, 'loop', [{ line: loop('append'), hitCondition: '2' }], { stopOnEntry: false });
      const thread = hit.threadId ?? 0;
      const iAt = async () => (await scopeValues(dap.client, (await topFrame(dap.client, thread)).id)).i;
      assert.equal(await iAt(), '2');
      const end = await move(dap.client, 'continue', thread);
      assert.deepEqual([end.reason, end.description], ['step', 'End of recording']);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${loop('print')}`]);
      const again = await move(dap.client, 'next', thread);
      assert.equal(again.description, 'End of recording');
      const back = await move(dap.client, 'reverseContinue', thread);
      assert.equal(back.reason, 'breakpoint');
      assert.equal(await iAt(), '2');
      assert.equal(terminated, false);
    });

    it('emits exactly the log point hits crossed, in the order travelled', async () => {
      const outputs: string[] = [];
      dap.client.on('output', (event) => { if (event.body.category === 'console') outputs.push(event.body.output); });
      const entry = await launchTo(dap.client, 'loop', [{ line: loop('append'), logMessage: 'i={i} values={values}' }, { line: loop('main-return') }]);
      const thread = entry.threadId ?? 0;
      await move(dap.client, 'continue', thread);
      assert.deepEqual(outputs.splice(0), ['i=0 values=[]\n', 'i=2 values=[0]\n', 'i=4 values=[0, 20]\n']);
      await move(dap.client, 'stepBack', thread);
      assert.deepEqual(outputs.splice(0), []);
      await move(dap.client, 'reverseContinue', thread);
      assert.deepEqual(outputs.splice(0), ['i=4 values=[0, 20]\n', 'i=2 values=[0]\n', 'i=0 values=[]\n']);
    });

    it('gives the exact stack in a recursion and steps out and back across frames', async () => {
      const hit = await launchTo(dap.client, 'recursion', [{ line: rec('base') }], { stopOnEntry: false });
      const thread = hit.threadId ?? 0;
      const recurse = `countdown:${rec('recurse')}`;
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('base')}`, recurse, recurse, recurse, `<module>:${rec('call')}`]);
      const page = await dap.client.stackTraceRequest({ threadId: thread, startFrame: 1, levels: 2 });
      assert.deepEqual([page.body.stackFrames.map((frame) => frame.line), page.body.totalFrames], [[rec('recurse'), rec('recurse')], 5]);

      await dap.client.setBreakpointsRequest({ source: { path: dapFixture('recursion') }, breakpoints: [] });
      await move(dap.client, 'stepOut', thread); // countdown(1) after countdown(0) returned: its own return
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, recurse, `<module>:${rec('call')}`]);
      let frame = await topFrame(dap.client, thread);
      assert.deepEqual(await scopeValues(dap.client, frame.id), { 'Return value': "'done'", n: '1' });

      await move(dap.client, 'stepBack', thread); // the call line of countdown(1), before the call
      assert.equal((await stack(dap.client, thread)).length, 4);
      await move(dap.client, 'stepBack', thread);
      assert.deepEqual((await stack(dap.client, thread))[0], `countdown:${rec('check')}`);
      await move(dap.client, 'stepBack', thread); // from a frame's first line: the caller's call line
      assert.deepEqual(await stack(dap.client, thread), [recurse, recurse, `<module>:${rec('call')}`]);
      frame = await topFrame(dap.client, thread);
      assert.equal((await scopeValues(dap.client, frame.id)).n, '2');

      await move(dap.client, 'stepIn', thread);
      assert.deepEqual(await stack(dap.client, thread), [`countdown:${rec('check')}`, recurse, recurse, `<module>:${rec('call')}`]);
    });
  });
}
