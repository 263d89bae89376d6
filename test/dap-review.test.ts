// Acceptance-review regressions: behaviours a review of issue 3 found wrong, each on a real recording.
import { strict as assert } from 'node:assert';
import { markedLine } from './support/recordings';
import { launchTo, move, stack, startDap, tracerRuns, type Dap } from './support/dap';

const at = (mark: string) => markedLine('dap/threads', mark);

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
  });
}
