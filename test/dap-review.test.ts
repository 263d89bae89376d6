// Acceptance-review regressions: behaviours a review of issue 3 found wrong, each on a real recording.
import { strict as assert } from 'node:assert';
import { markedLine } from './support/recordings';
import { launchTo, move, stack, startDap, tracerRuns, type Dap } from './support/dap';

const at = (mark: string) => markedLine('dap/threads', mark);
const loop = (mark: string) => markedLine('dap/loop', mark);

for (const { transport, python, title } of tracerRuns()) {
  describe(`dap review [${title}]`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport, python?.executable); });
    afterEach(async () => { await dap.stop(); });

    it('continue / reverseContinue with no hit left run to the edges of the whole recording, not of the stopped thread', async () => {
      const entry = await launchTo(dap.client, 'threads', [{ line: at('worker'), hitCondition: '1' }]);
      const main = entry.threadId ?? 0;
      const entryStack = await stack(dap.client, main);
      const hit = await move(dap.client, 'continue', main);
      const worker = hit.threadId ?? 0;
      assert.notEqual(worker, main);
      assert.deepEqual(await stack(dap.client, worker), [`worker:${at('worker')}`]);

      const start = await move(dap.client, 'reverseContinue', worker);
      assert.deepEqual([start.description, start.threadId], ['Beginning of recording', main]);
      assert.deepEqual(await stack(dap.client, main), entryStack, 'the first line of the program, not the worker thread\'s first line');

      await move(dap.client, 'continue', main);
      const end = await move(dap.client, 'continue', worker);
      assert.deepEqual([end.description, end.threadId], ['End of recording', main]);
      assert.deepEqual(await stack(dap.client, main), [`<module>:${at('joined')}`], 'the program\'s last stop, after the worker thread ended');
    });

    it('stepping line by line past a log point emits it once each way: as the line is reached, and as a step back leaves it', async () => {
      const outputs: string[] = [];
      dap.client.on('output', (event) => { if (event.body.category === 'console') outputs.push(event.body.output); });
      const hit = await launchTo(dap.client, 'loop', [{ line: loop('call') }, { line: loop('append'), logMessage: 'i={i} values={values}' }], { stopOnEntry: false });
      const thread = hit.threadId ?? 0;
      const steps: [string, string[]][] = [];
      for (const command of ['stepIn', 'next', 'stepBack', 'stepBack', 'stepIn'] as const) {
        await move(dap.client, command, thread);
        steps.push([(await stack(dap.client, thread))[0] ?? '', outputs.splice(0)]);
      }
      assert.deepEqual(steps, [
        [`bump:${loop('append')}`, ['i=0 values=[]\n']],
        [`bump:${loop('helper-return')}`, []],
        [`bump:${loop('append')}`, []],
        [`main:${loop('call')}`, ['i=0 values=[]\n']],
        [`bump:${loop('append')}`, ['i=0 values=[]\n']],
      ]);
    });
  });
}
