// DAP sources of code compiled from strings: no path, the name Python gives it ('<string>'), the
// recorded text by sourceReference, or an origin saying why the source was not recorded.
import { strict as assert } from 'node:assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { markedLine } from './support/recordings';
import { failure, launchTo, move, startDap, topFrame, type Dap, tracerRuns } from './support/dap';

const line = (mark: string) => markedLine('dap/exec_strings', mark);

for (const { transport, python, title } of tracerRuns()) {
  describe(`dap sources of code compiled from strings [${title}]`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport, python?.executable); });
    afterEach(async () => { await dap.stop(); });

    it('shows an exec\'d string\'s frame with its recorded text by reference', async () => {
      const stop = await launchTo(dap.client, 'exec_strings', [{ line: line('call') }], { stopOnEntry: false });
      const inside = await move(dap.client, 'stepIn', stop.threadId as number);
      const frame = await topFrame(dap.client, inside.threadId as number);
      assert.deepEqual([frame.name, frame.line, frame.source?.name, frame.source?.path], ['f', 2, '<string>', undefined]);
      const reference = frame.source?.sourceReference ?? 0;
      assert.ok(reference > 0, 'a source reference for the recorded text');
      const response = await dap.client.sourceRequest({ source: frame.source, sourceReference: reference });
      assert.equal(response.body.content, 'def f(x):\n    y = x * 2\n    return y\n');
    });

    it('says why the source of compile()d code was not recorded', async () => {
      const stop = await launchTo(dap.client, 'exec_strings', [{ line: line('generated') }], { stopOnEntry: false });
      const inside = await move(dap.client, 'stepIn', stop.threadId as number);
      const frame = await topFrame(dap.client, inside.threadId as number);
      assert.deepEqual([frame.name, frame.line, frame.source?.name, frame.source?.path, frame.source?.sourceReference],
        ['<module>', 1, 'generated.py', undefined, 0]);
      assert.equal(frame.source?.origin,
        'source not recorded: the code was compiled from a string the recorder did not see (it sees those given to exec and eval, not to compile)');
      const loaded = (await dap.client.customRequest('loadedSources', {})) as DebugProtocol.LoadedSourcesResponse;
      assert.deepEqual(loaded.body.sources.filter((source) => source.path === undefined).map((source) => source.name), ['<string>', 'generated.py']);
      assert.match(await failure(dap.client.sourceRequest({ source: { name: 'generated.py' }, sourceReference: 0 })), /the trace holds no text for generated\.py/);
    });
  });
}
