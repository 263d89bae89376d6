// Reader: the searches and counts breakpoints other than lines build on (raises, invocations of a
// code, changes of one variable in one invocation), both ways, on real recordings and both backends.
import { strict as assert } from 'node:assert';
import type { Trace } from '../protocol/reader';
import { FixtureTrace } from './support/fixtureTrace';
import { forEachBackend, recording } from './support/recordings';

forEachBackend('breakpoint hits', (open) => {
  const traces: Trace[] = [];
  const opened = async (name: string) => {
    const trace = await open(recording(name));
    traces.push(trace);
    return new FixtureTrace(trace, name);
  };
  after(() => traces.forEach((trace) => trace.close()));

  it('finds raises both ways, all or only uncaught, and counts them up to a seq', async () => {
    const { trace } = await opened('exceptions');
    const [handled, uncaught] = trace.exceptions();
    assert.ok(handled && uncaught && !handled.uncaught && uncaught.uncaught);
    assert.equal(trace.nextRaise(0, 'forward', 'raised'), handled.id);
    assert.equal(trace.nextRaise(handled.raisedSeq, 'forward', 'raised'), uncaught.id);
    assert.equal(trace.nextRaise(0, 'forward', 'uncaught'), uncaught.id);
    assert.equal(trace.nextRaise(uncaught.raisedSeq, 'backward', 'raised'), handled.id);
    assert.equal(trace.nextRaise(uncaught.raisedSeq, 'backward', 'uncaught'), undefined);
    assert.deepEqual([trace.raisesUpTo(handled.raisedSeq - 1, 'raised'), trace.raisesUpTo(handled.raisedSeq, 'raised'),
      trace.raisesUpTo(trace.lastSeq(), 'raised'), trace.raisesUpTo(trace.lastSeq(), 'uncaught')], [0, 1, 2, 1]);
  });

  it('counts the invocations of a code started up to a seq', async () => {
    const { trace } = await opened('recursion');
    const countdown = trace.codesNamed('countdown')[0];
    assert.ok(countdown);
    const calls = trace.invocationsOf(countdown.id).map((invocation) => invocation.firstSeq);
    assert.equal(calls.length, 5);
    assert.deepEqual(calls.map((seq) => trace.invocationsUpTo(countdown.id, seq)), [1, 2, 3, 4, 5]);
    assert.equal(trace.invocationsUpTo(countdown.id, (calls[0] ?? 1) - 1), 0);
  });

  it('finds the changes of one variable of one invocation both ways, and counts them', async () => {
    const loop = await opened('loop');
    const { trace } = loop;
    const module = loop.moduleInvocation();
    const end = loop.visit('end', 1).seq;
    const items = trace.valuesAt(module, end).find((value) => value.name === 'items');
    assert.ok(items);
    const forward: number[] = [];
    for (let seq = trace.nextChange(items.variable, module, 0, 'forward'); seq !== undefined; seq = trace.nextChange(items.variable, module, seq, 'forward')) forward.push(seq);
    const code = trace.invocation(module)?.code ?? 0;
    assert.deepEqual(forward, trace.history(module, 'items', code).map((change) => change.seq));
    assert.equal(forward.length, 6);
    assert.equal(trace.nextChange(items.variable, module, end, 'backward'), forward[5]);
    assert.equal(trace.nextChange(items.variable, module, forward[0] ?? 0, 'backward'), undefined);
    assert.deepEqual(forward.map((seq) => trace.changesUpTo(items.variable, module, seq)), [1, 2, 3, 4, 5, 6]);
  });
});
