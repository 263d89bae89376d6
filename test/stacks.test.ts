// Reader: stacks and invocations rebuilt from parent links, on real recordings (test/fixtures).
import { strict as assert } from 'node:assert';
import { EventKind } from '../protocol/schema';
import type { Trace } from '../protocol/reader';
import { FixtureTrace } from './support/fixtureTrace';
import { fixture, forEachBackend, recording } from './support/recordings';

forEachBackend('stacks', (open) => {
  let trace: Trace;
  let recursion: FixtureTrace;
  before(async () => {
    trace = await open(recording('recursion'));
    recursion = new FixtureTrace(trace, 'recursion');
  });
  after(() => trace.close());

  it('has five countdown frames under the module at the base case', () => {
    const base = recursion.visit('base', 1);
    const stack = trace.stackAt(base.seq);
    assert.deepEqual(stack.map((frame) => [frame.code.qualname, frame.line, frame.depth]), [
      ['countdown', recursion.line('base'), 5],
      ['countdown', recursion.line('recurse'), 4],
      ['countdown', recursion.line('recurse'), 3],
      ['countdown', recursion.line('recurse'), 2],
      ['countdown', recursion.line('recurse'), 1],
      ['<module>', recursion.line('call'), 0],
    ]);
    assert.equal(stack[0]?.seq, base.seq);
    assert.ok(stack.every((frame) => frame.code.path === fixture('recursion')));
    assert.ok(stack.every((frame, i) => i === 0 || frame.seq < (stack[i - 1]?.seq ?? 0)), 'callers were last seen before their callees');
  });

  it('shows each frame its own n', () => {
    const base = recursion.visit('base', 1);
    const ns = trace.stackAt(base.seq).slice(0, 5).map((frame) => trace.valuesAt(frame.invocation, base.seq).find((v) => v.name === 'n')?.value);
    assert.deepEqual(ns, [0, 1, 2, 3, 4].map((n) => ({ kind: 'int', value: n })));
  });

  it('links invocations: the module has one child, each countdown the next', () => {
    const module = recursion.moduleInvocation();
    const chain = [module];
    for (let children = trace.children(module); children.length; children = trace.children(children[0]?.id ?? 0)) {
      assert.equal(children.length, 1);
      chain.push(children[0]?.id ?? 0);
    }
    assert.equal(chain.length, 6);
    const countdown = trace.codesNamed('countdown')[0];
    assert.ok(countdown);
    assert.deepEqual(trace.invocationsOf(countdown.id).map((invocation) => invocation.id), chain.slice(1));
    const deepest = trace.invocation(chain[5] ?? 0);
    assert.equal(deepest?.endKind, EventKind.Return);
    assert.equal(trace.event(deepest?.firstSeq ?? 0)?.kind, EventKind.Call);
    assert.equal(trace.event(deepest?.lastSeq ?? 0)?.kind, EventKind.Return);
  });

  it('pages invocationsOf', () => {
    const countdown = trace.codesNamed('countdown')[0];
    assert.ok(countdown);
    const all = trace.invocationsOf(countdown.id);
    assert.deepEqual(trace.invocationsOf(countdown.id, { offset: 1, limit: 2 }), all.slice(1, 3));
  });

  it('has no stack outside the trace', () => {
    assert.deepEqual(trace.stackAt(0), []);
    assert.deepEqual(trace.stackAt(trace.lastSeq() + 1), []);
  });
});

forEachBackend('stacks in threads and generators', (open) => {
  it('gives the worker thread its own root and name', async () => {
    const trace = await open(recording('threads'));
    const threads = new FixtureTrace(trace, 'threads');
    assert.deepEqual(trace.threads().map((thread) => thread.name), ['MainThread', 'worker-1']);
    const [inWorker, ...others] = threads.visits('work');
    assert.ok(inWorker);
    assert.equal(others.length, 4, 'work(3) in the worker and work(2) in the main thread');
    const stack = trace.stackAt(inWorker.seq);
    const worker = trace.threads().find((thread) => thread.name === 'worker-1');
    assert.deepEqual(stack.map((frame) => [frame.code.qualname, frame.thread]), [['work', worker?.id]]);
    const last = threads.visits('work').at(-1);
    assert.deepEqual(trace.stackAt(last?.seq ?? 0).map((frame) => frame.code.qualname), ['work', '<module>']);
    const workerEvents = trace.events(1, trace.lastSeq()).filter((event) => event.thread === worker?.id).map((event) => event.seq);
    assert.deepEqual(trace.threadSpans(), [
      { thread: trace.threads()[0]?.id, firstSeq: 1, lastSeq: trace.lastSeq() },
      { thread: worker?.id, firstSeq: workerEvents[0], lastSeq: workerEvents.at(-1) },
    ]);
    trace.close();
  });

  it('keeps a generator as one invocation across its resumes', async () => {
    const trace = await open(recording('generator'));
    const generator = new FixtureTrace(trace, 'generator');
    const squares = trace.codesNamed('squares')[0];
    assert.equal(squares?.kind, 'generator');
    const invocations = trace.invocationsOf(squares?.id ?? 0);
    assert.equal(invocations.length, 1);
    const yields = generator.visits('yield');
    assert.equal(yields.length, 3);
    assert.ok(yields.every((event) => event.invocation === invocations[0]?.id));
    assert.deepEqual(trace.stackAt(yields[2]?.seq ?? 0).map((frame) => frame.code.qualname), ['squares', '<module>']);
    trace.close();
  });

  it('continues a resumed generator\'s stack with its resumer, not its starter', async () => {
    const trace = await open(recording('resumed'));
    const resumed = new FixtureTrace(trace, 'resumed');
    const first = resumed.visit('first', 1);
    const second = resumed.visit('second', 1);
    const names = (seq: number) => trace.stackAt(seq).map((frame) => [frame.code.qualname, frame.line]);
    assert.deepEqual(names(first.seq), [['numbers', resumed.line('first')], ['starter', 10], ['<module>', 18]]);
    assert.deepEqual(names(second.seq), [['numbers', resumed.line('second')], ['resumer', resumed.line('resume')], ['<module>', 18]]);
    trace.close();
  });
});
