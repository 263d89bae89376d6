// Reader backends: which one runs (HINDSIGHT_SQLITE, else node:sqlite where this Node has it), and
// that both give the same answers on the same trace.
import { strict as assert } from 'node:assert';
import { availableBackends, BackendChoiceError, Trace } from '../protocol/reader';
import { chooseBackend } from '../protocol/reader/backend';
import { recording } from './support/recordings';

describe('reader backends', () => {
  it('prefers node:sqlite from Node 22.13 and falls back to sql.js', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);
    assert.deepEqual(availableBackends(), hasNodeSqlite ? ['node', 'sqljs'] : ['sqljs']);
    assert.equal(chooseBackend({}), availableBackends()[0]);
    assert.equal(chooseBackend({ HINDSIGHT_SQLITE: 'sqljs' }), 'sqljs');
    assert.throws(() => chooseBackend({ HINDSIGHT_SQLITE: 'mysql' }), BackendChoiceError);
    if (hasNodeSqlite) assert.equal(chooseBackend({ HINDSIGHT_SQLITE: 'node' }), 'node');
    else assert.throws(() => chooseBackend({ HINDSIGHT_SQLITE: 'node' }), /needs node:sqlite \(Node 22\.13 or later\)/);
  });

  it('gives the same stacks and values on every backend', async () => {
    const answers = [];
    for (const backend of availableBackends()) {
      const trace = await Trace.open(recording('values'), { backend });
      assert.equal(trace.backendName, backend);
      const last = trace.lastSeq();
      answers.push({
        summary: trace.summary(),
        stacks: Array.from({ length: last }, (_, i) => trace.stackAt(i + 1)),
        values: Array.from({ length: last }, (_, i) => trace.stackAt(i + 1).map((frame) => trace.valuesAt(frame.invocation, i + 1))),
      });
      trace.close();
    }
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
  });
});
