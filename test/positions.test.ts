// Reader: events by seq and `next`, the nearest matching event forward or backward, on real recordings.
import { strict as assert } from 'node:assert';
import { EventKind } from '../protocol/schema';
import type { Trace } from '../protocol/reader';
import { FixtureTrace } from './support/fixtureTrace';
import { forEachBackend, recording } from './support/recordings';

forEachBackend('positions', (open) => {
  let trace: Trace;
  let recursion: FixtureTrace;
  before(async () => {
    trace = await open(recording('recursion'));
    recursion = new FixtureTrace(trace, 'recursion');
  });
  after(() => trace.close());

  it('numbers events densely from 1, starting with the module CALL and ending with its RETURN', () => {
    const last = trace.lastSeq();
    assert.equal(trace.summary().events, last);
    assert.deepEqual(trace.events(1, last).map((event) => event.seq), Array.from({ length: last }, (_, i) => i + 1));
    const module = recursion.moduleInvocation();
    assert.deepEqual([trace.event(1)?.kind, trace.event(1)?.invocation, trace.event(1)?.line], [EventKind.Call, module, 1]);
    assert.deepEqual([trace.event(last)?.kind, trace.event(last)?.invocation], [EventKind.Return, module]);
    assert.equal(trace.event(last + 1), undefined);
  });

  it('finds a line forward and backward, skipping the start', () => {
    const visits = recursion.visits('recurse');
    assert.equal(visits.length, 4);
    const location = { file: recursion.file, line: recursion.line('recurse') };
    assert.equal(trace.next(visits[1]?.seq ?? 0, 'backward', { location })?.seq, visits[0]?.seq);
    assert.equal(trace.next(visits[1]?.seq ?? 0, 'forward', { location, kinds: [EventKind.Line] })?.seq, visits[2]?.seq);
    assert.equal(trace.next(visits[3]?.seq ?? 0, 'forward', { location, kinds: [EventKind.Line] }), undefined);
  });

  it('counts the matching events up to a seq (the executions of a line so far)', () => {
    const visits = recursion.visits('recurse');
    const location = { file: recursion.file, line: recursion.line('recurse') };
    const match = { location, kinds: [EventKind.Line] };
    assert.deepEqual(visits.map((visit) => trace.countUpTo(visit.seq, match)), [1, 2, 3, 4]);
    assert.equal(trace.countUpTo((visits[0]?.seq ?? 1) - 1, match), 0);
    assert.equal(trace.countUpTo(trace.lastSeq(), {}), trace.lastSeq());
  });

  it('lists the matching events a page at a time, in seq order', () => {
    const visits = recursion.visits('recurse').map((visit) => visit.seq);
    const match = { location: { file: recursion.file, line: recursion.line('recurse') }, kinds: [EventKind.Line] };
    assert.deepEqual(trace.matching(match, { offset: 0, limit: 10 }).map((event) => event.seq), visits);
    assert.deepEqual(trace.matching(match, { offset: 1, limit: 2 }).map((event) => event.seq), visits.slice(1, 3));
  });

  it('stays in one invocation', () => {
    const base = recursion.visit('base', 1);
    const returned = trace.next(base.seq, 'forward', { invocation: base.invocation });
    assert.deepEqual([returned?.kind, returned?.line, returned?.invocation], [EventKind.Return, recursion.line('base'), base.invocation]);
    const call = trace.next(base.seq, 'backward', { invocation: base.invocation, kinds: [EventKind.Call] });
    assert.equal(call?.seq, trace.invocation(base.invocation)?.firstSeq);
  });

  it('matches code, kinds and thread together', () => {
    const countdown = trace.codesNamed('countdown')[0];
    assert.ok(countdown);
    const calls: number[] = [];
    const match = { code: countdown.id, kinds: [EventKind.Call], thread: trace.threads()[0]?.id ?? 0 };
    for (let event = trace.next(0, 'forward', match); event; event = trace.next(event.seq, 'forward', match)) calls.push(event.seq);
    assert.deepEqual(calls, trace.invocationsOf(countdown.id).map((invocation) => invocation.firstSeq));
    assert.equal(trace.next(trace.lastSeq() + 1, 'backward', { kinds: [EventKind.Call] })?.seq, calls.at(-1));
    assert.equal(trace.next(0, 'forward', { thread: 999 }), undefined);
    assert.equal(trace.next(0, 'forward', { kinds: [] }), undefined);
  });
});

forEachBackend('positions of exceptions', (open) => {
  it('finds the EXCEPTION and UNWIND events of one exception', async () => {
    const trace = await open(recording('exceptions'));
    const exceptions = new FixtureTrace(trace, 'exceptions');
    const valueError = trace.exceptions().find((exception) => exception.type === 'ValueError');
    assert.ok(valueError);
    const events = [];
    for (let event = trace.next(0, 'forward', { exception: valueError.id }); event; event = trace.next(event.seq, 'forward', { exception: valueError.id })) {
      events.push([EventKind[event.kind], trace.code(event.code)?.qualname, event.line]);
    }
    assert.deepEqual(events, [
      ['Exception', 'parse', exceptions.line('raise')],
      ['Unwind', 'parse', exceptions.line('raise')],
      ['Exception', 'safe_parse', exceptions.line('call-parse')],
    ]);
    trace.close();
  });
});

forEachBackend('positions of frame exits', (open) => {
  const exits = [EventKind.Return, EventKind.Unwind, EventKind.Yield];
  for (const fixture of ['recursion', 'generator', 'exceptions']) {
    it(`finds every frame's RETURN, UNWIND and YIELD events from any seq, both ways (${fixture})`, async () => {
      const trace = await open(recording(fixture));
      const all = trace.events(1, trace.lastSeq());
      let checked = 0;
      for (const invocation of new Set(all.map((event) => event.invocation))) {
        const expected = all.filter((event) => event.invocation === invocation && exits.includes(event.kind)).map((event) => event.seq);
        for (const kinds of [exits, [EventKind.Return], [EventKind.Yield]]) {
          const wanted = expected.filter((seq) => all.some((event) => event.seq === seq && kinds.includes(event.kind)));
          for (let from = 0; from <= all.length + 1; from++) {
            const forward = trace.next(from, 'forward', { invocation, kinds })?.seq;
            const backward = trace.next(from, 'backward', { invocation, kinds })?.seq;
            assert.equal(forward, wanted.find((seq) => seq > from), `forward from ${from} in invocation ${invocation}`);
            assert.equal(backward, wanted.findLast((seq) => seq < from), `backward from ${from} in invocation ${invocation}`);
            checked++;
          }
        }
      }
      assert.ok(checked > 0);
      trace.close();
    });
  }
});

forEachBackend('positions of a line', (open) => {
  it('finds a line\'s events of any kinds from any seq, both ways (def lines carry every CALL)', async () => {
    const trace = await open(recording('recursion'));
    const all = trace.events(1, trace.lastSeq());
    const file = trace.code(all[0]?.code ?? 0)?.file ?? 0;
    let checked = 0;
    for (const line of new Set(all.map((event) => event.line))) {
      for (const kinds of [undefined, [EventKind.Line], [EventKind.Call], [EventKind.Line, EventKind.Return], [EventKind.Call, EventKind.Return, EventKind.Line]]) {
        const wanted = all.filter((event) => event.line === line && trace.code(event.code)?.file === file && (!kinds || kinds.includes(event.kind)))
          .map((event) => event.seq);
        // The answer changes only at the line's events: try each, its neighbours and both ends.
        const froms = new Set([0, all.length + 1, ...all.filter((event) => event.line === line).flatMap((event) => [event.seq - 1, event.seq, event.seq + 1])]);
        for (const from of froms) {
          const match = { location: { file, line }, ...(kinds ? { kinds } : {}) };
          assert.equal(trace.next(from, 'forward', match)?.seq, wanted.find((seq) => seq > from), `line ${line} ${kinds} forward from ${from}`);
          assert.equal(trace.next(from, 'backward', match)?.seq, wanted.findLast((seq) => seq < from), `line ${line} ${kinds} backward from ${from}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 0);
    trace.close();
  });
});
