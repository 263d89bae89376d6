// One helper the reader tests go through: a fixture's trace plus lookups by marked line
// (`# mark: NAME` in test/fixtures/*.py), so tests state facts in the fixture's own terms.
import { strict as assert } from 'node:assert';
import { EventKind } from '../../protocol/schema';
import type { Trace, TraceEvent, VariableValue } from '../../protocol/reader';
import { render } from '../../protocol/values';
import { fixture, markedLine } from './recordings';

export class FixtureTrace {
  readonly file: number;

  constructor(readonly trace: Trace, readonly name: string) {
    const file = trace.fileByPath(fixture(name));
    assert.ok(file, `the trace of ${name}.py records that file`);
    this.file = file.id;
  }

  line(mark: string): number {
    return markedLine(this.name, mark);
  }

  /** Every LINE event on the marked line, in order. */
  visits(mark: string): TraceEvent[] {
    const visits: TraceEvent[] = [];
    const match = { location: { file: this.file, line: this.line(mark) }, kinds: [EventKind.Line] };
    for (let event = this.trace.next(0, 'forward', match); event; event = this.trace.next(event.seq, 'forward', match)) {
      visits.push(event);
    }
    return visits;
  }

  /** The n-th (1-based) LINE event on the marked line. */
  visit(mark: string, n: number): TraceEvent {
    const event = this.visits(mark)[n - 1];
    assert.ok(event, `${this.name}.py line '${mark}' ran at least ${n} times`);
    return event;
  }

  /** The module's invocation (the root whose code is this file's module). */
  moduleInvocation(): number {
    const module = this.trace.codesIn(this.file).find((code) => code.kind === 'module');
    assert.ok(module, `${this.name}.py has a module code object`);
    const invocation = this.trace.invocationsOf(module.id)[0];
    assert.ok(invocation, `${this.name}.py's module ran`);
    return invocation.id;
  }
}

/** Variables as { name: rendered value } for compact assertions. */
export function rendered(values: VariableValue[]): Record<string, string> {
  return Object.fromEntries(values.map((value) => [value.name, render(value.value)]));
}
