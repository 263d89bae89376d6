// Reader: locals, globals and histories as changes, on real recordings (test/fixtures).
import { strict as assert } from 'node:assert';
import { EventKind, RETURN_VARIABLE, YIELD_VARIABLE } from '../protocol/schema';
import type { Trace } from '../protocol/reader';
import { pythonStrRepr, render } from '../protocol/values';
import { FixtureTrace, rendered } from './support/fixtureTrace';
import { fixture, forEachBackend, recording } from './support/recordings';

forEachBackend('variables in a loop', (open) => {
  let trace: Trace;
  let loop: FixtureTrace;
  before(async () => {
    trace = await open(recording('loop'));
    loop = new FixtureTrace(trace, 'loop');
  });
  after(() => trace.close());

  it('has i == 3 at the fourth visit of the body, values as before the line runs', () => {
    const fourth = loop.visit('body', 4);
    const values = rendered(trace.valuesAt(loop.moduleInvocation(), fourth.seq));
    assert.equal(values.i, '3');
    assert.equal(values.total, '3', '0 + 1 + 2');
    assert.equal(values.items, '[0, 1, 4]', 'the append of this visit has not run yet');
  });

  it('records the list appended in place at each length', () => {
    const module = loop.moduleInvocation();
    const history = trace.history(module, 'items', trace.invocation(module)?.code ?? 0);
    assert.deepEqual(history.map((change) => render(change.value)), ['[]', '[0]', '[0, 1]', '[0, 1, 4]', '[0, 1, 4, 9]', '[0, 1, 4, 9, 16]']);
    assert.deepEqual(history.map((change) => change.line), [loop.line('items'), ...Array(5).fill(loop.line('body'))]);
    const ids = new Set(history.map((change) => (change.value.kind === 'seq' ? change.value.id : -1)));
    assert.equal(ids.size, 1, 'one list object throughout');
    assert.equal(trace.historySize(module, 'items', trace.invocation(module)?.code ?? 0), 6);
  });

  it('pages a history and counts it across invocations', () => {
    const code = trace.invocation(loop.moduleInvocation())?.code ?? 0;
    const all = trace.history(null, 'i', code);
    assert.deepEqual(all.map((change) => render(change.value)), ['0', '1', '2', '3', '4']);
    assert.deepEqual(trace.history(null, 'i', code, { offset: 2, limit: 2 }), all.slice(2, 4));
    assert.equal(trace.historySize(null, 'i', code), 5);
    assert.deepEqual(trace.history(null, 'no_such_variable', code), []);
  });

  it('gives each latest value with the line of its change, and counts a history only up to a cap', () => {
    const fourth = loop.visit('body', 4);
    const module = loop.moduleInvocation();
    const lines = trace.valuesWithLinesAt(module, fourth.seq).filter((value) => !value.name.startsWith('__'))
      .map((value) => [value.name, render(value.value), value.line]);
    assert.deepEqual(lines, [['items', '[0, 1, 4]', loop.line('body')], ['total', '3', loop.line('body') + 1], ['i', '3', loop.line('body') - 1]]);
    const code = trace.invocation(module)?.code ?? 0;
    assert.deepEqual([trace.historySizeUpTo('i', code, 10), trace.historySizeUpTo('i', code, 2)], [5, 3]);
  });

  it('returns the final values at the last line', () => {
    const end = loop.visit('end', 1);
    assert.deepEqual(rendered(trace.valuesAt(loop.moduleInvocation(), end.seq)), {
      __name__: "'__main__'", __doc__: 'None', __package__: 'None',
      __file__: pythonStrRepr(fixture('loop')),
      items: '[0, 1, 4, 9, 16]', total: '10', i: '4',
    });
  });
});

forEachBackend('return, yield and global values', (open) => {
  it("shows '<return>' only at the RETURN event", async () => {
    const trace = await open(recording('recursion'));
    const recursion = new FixtureTrace(trace, 'recursion');
    const deepest = recursion.visit('base', 1);
    const returned = trace.next(deepest.seq, 'forward', { invocation: deepest.invocation, kinds: [EventKind.Return] });
    assert.ok(returned);
    assert.deepEqual(rendered(trace.valuesAt(deepest.invocation, returned.seq)), { n: '0', [RETURN_VARIABLE]: "'done'" });
    assert.deepEqual(rendered(trace.valuesAt(deepest.invocation, deepest.seq)), { n: '0' });
    trace.close();
  });

  it("shows each yielded value as '<yield>' at its YIELD event", async () => {
    const trace = await open(recording('generator'));
    const squares = trace.codesNamed('squares')[0];
    const invocation = trace.invocationsOf(squares?.id ?? 0)[0];
    assert.ok(invocation);
    const yielded: string[] = [];
    for (let event = trace.next(0, 'forward', { invocation: invocation.id, kinds: [EventKind.Yield] }); event;
      event = trace.next(event.seq, 'forward', { invocation: invocation.id, kinds: [EventKind.Yield] })) {
      yielded.push(rendered(trace.valuesAt(invocation.id, event.seq))[YIELD_VARIABLE] ?? 'missing');
      assert.equal(rendered(trace.valuesAt(invocation.id, event.seq + 1))[YIELD_VARIABLE], undefined);
    }
    assert.deepEqual(yielded, ['0', '1', '4']);
    trace.close();
  });

  it('reads globals changed by a function from the module invocation', async () => {
    const trace = await open(recording('globals'));
    const globals = new FixtureTrace(trace, 'globals');
    const secondBump = globals.visit('bump', 2);
    const module = trace.moduleInvocationAt(globals.file, secondBump.seq);
    assert.equal(module, globals.moduleInvocation());
    assert.equal(rendered(trace.globalsAt(secondBump.seq, module ?? 0)).counter, '1');
    const end = globals.visit('end', 1);
    assert.equal(rendered(trace.globalsAt(end.seq, module ?? 0)).counter, '2');
    const code = trace.invocation(module ?? 0)?.code ?? 0;
    const history = trace.history(module ?? 0, 'counter', code);
    assert.deepEqual(history.map((change) => [render(change.value), change.line]), [
      ['0', globals.line('init')], ['1', globals.line('bump')], ['2', globals.line('bump')],
    ]);
    trace.close();
  });
});
