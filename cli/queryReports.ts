// The reports of `hindsight query`: each asks the reader one question and returns the answer twice,
// as JSON-ready plain data and as text for people (whatever came from the trace made safe for a
// terminal: tables escape their cells, other lines are built with `terminalLine`).
import { EventKind, OutputStream, RETURN_VARIABLE } from '../protocol/schema';
import type { Code, Invocation, Trace, TraceEvent, VariableValue } from '../protocol/reader';
import { render, typeName, type ValueNode } from '../protocol/values';
import { displayPath } from '../protocol/traceDir';
import { NotFoundError } from './errors';
import { formatNanoseconds, plural, table } from './format';
import { terminalBlock, terminalLine } from './terminalText';

export interface Report {
  json: unknown;
  text: string;
}

export function eventsReport(trace: Trace, at: number, around: number): Report {
  checkSeq(trace, at);
  const events = trace.events(Math.max(1, at - around), at + around);
  const threads = new Map(trace.threads().map((thread) => [thread.id, thread.name]));
  const sources = new Map<number, string[]>();
  const sourceLine = (code: Code, line: number) => {
    if (!sources.has(code.file)) sources.set(code.file, (trace.source(code.file) ?? '').split('\n'));
    return (sources.get(code.file)?.[line - 1] ?? '').trim();
  };
  const rows = events.map((event) => {
    const code = codeOf(trace, event.code);
    return [event.seq === at ? '>' : ' ', String(event.seq), EventKind[event.kind].toLowerCase(), threads.get(event.thread) ?? '?',
      code.qualname, `${displayPath(code.path)}:${event.line}`, sourceLine(code, event.line)];
  });
  return {
    json: events.map((event) => ({ ...event, kindName: EventKind[event.kind], qualname: codeOf(trace, event.code).qualname })),
    text: `${table([[' ', 'SEQ', 'KIND', 'THREAD', 'FUNCTION', 'WHERE', 'SOURCE'], ...rows])}\n`,
  };
}

export function stackReport(trace: Trace, at: number): Report {
  checkSeq(trace, at);
  const frames = trace.stackAt(at).map((frame) => ({ ...frame, variables: trace.valuesAt(frame.invocation, at).map(valueJson) }));
  const text = frames.map((frame, i) => {
    const head = terminalLine`#${i}  ${frame.code.qualname}  ${displayPath(frame.code.path)}:${frame.line}  (invocation ${frame.invocation}, seq ${frame.seq})`;
    return [head, ...frame.variables.map((v) => terminalLine`      ${v.name} = ${v.text}`)].join('\n');
  });
  return { json: frames, text: `${text.join('\n')}\n` };
}

export function historyReport(trace: Trace, name: string, qualname: string | undefined, limit: number): Report {
  const codes = qualname === undefined ? trace.codesWithVariable(name) : trace.codesNamed(qualname);
  if (codes.length === 0) {
    throw new NotFoundError(qualname === undefined ? `no variable '${name}' in this trace` : `no function '${qualname}' in this trace`);
  }
  const sections = codes.map((code) => {
    const total = trace.historySize(null, name, code.id);
    const changes = trace.history(null, name, code.id, { offset: 0, limit });
    return { code, total, changes: changes.map((change) => ({ ...change, ...valueJson({ name, value: change.value }) })) };
  }).filter((section) => section.total > 0);
  if (sections.length === 0) throw new NotFoundError(`'${name}' never changed in '${qualname}'`);
  const text = sections.map(({ code, total, changes }) => {
    const rows = changes.map((change) => [String(change.seq), `${displayPath(code.path)}:${change.line}`, `#${change.invocation}`, change.text]);
    return `${terminalLine`${name} in ${code.qualname} (${displayPath(code.path)})`}: ${plural(total, 'change')}\n`
      + `${table([['SEQ', 'WHERE', 'INVOCATION', 'VALUE'], ...rows])}\n${more(total, changes.length)}`;
  });
  return { json: sections, text: text.join('\n') };
}

export function callsReport(trace: Trace, qualname: string, limit: number): Report {
  const codes = trace.codesNamed(qualname);
  if (codes.length === 0) throw new NotFoundError(`no function '${qualname}' in this trace`);
  const sections = codes.map((code) => {
    const total = trace.codeStats(code.file).find((stats) => stats.code.id === code.id)?.calls ?? 0;
    const calls = trace.invocationsOf(code.id, { offset: 0, limit }).map((invocation) => describeCall(trace, invocation));
    return { code, total, calls };
  });
  const text = sections.map(({ code, total, calls }) => {
    const rows = calls.map((call) => [`seq ${call.invocation.firstSeq}`, `#${call.invocation.id}`,
      `${code.name}(${call.arguments.map((a) => `${a.name}=${a.text}`).join(', ')}) → ${call.outcome}`, call.time]);
    return `${terminalLine`${code.qualname} (${displayPath(code.path)}:${code.firstLine})`}: ${plural(total, 'call')}\n${table(rows)}\n${more(total, calls.length)}`;
  });
  return { json: sections, text: text.join('\n') };
}

export function exceptionsReport(trace: Trace, limit: number): Report {
  const exceptions = trace.exceptions({ offset: 0, limit });
  const total = trace.summary().exceptions;
  const rows = exceptions.map((exception) => {
    const raisedIn = trace.invocation(exception.raisedIn);
    const code = raisedIn && trace.code(raisedIn.code);
    const where = code ? `${displayPath(code.path)}:${exception.raisedLine} in ${code.qualname}` : `line ${exception.raisedLine}`;
    const end = exception.caughtSeq !== null ? `caught at seq ${exception.caughtSeq}`
      : exception.uncaught ? `uncaught (escaped at seq ${exception.escapedSeq})`
      : exception.escapedSeq !== null ? `left recorded code at seq ${exception.escapedSeq}` : 'still propagating when recording stopped';
    return [`seq ${exception.raisedSeq}`, `${exception.type}: ${exception.message}`, where, end];
  });
  const text = rows.length ? `${table(rows)}\n${more(total, rows.length)}` : 'no exceptions\n';
  return { json: exceptions, text };
}

export function outputReport(trace: Trace, at: number): Report {
  const chunks = trace.outputUpTo(at);
  return { json: chunks.map((c) => ({ ...c, streamName: OutputStream[c.stream].toLowerCase() })), text: terminalBlock(chunks.map((c) => c.text).join('')) };
}

function describeCall(trace: Trace, invocation: Invocation) {
  const args = trace.valuesAt(invocation.id, invocation.firstSeq).filter((v) => v.name !== RETURN_VARIABLE).map(valueJson);
  const duration = invocation.tStart !== null && invocation.tEnd !== null ? formatNanoseconds(invocation.tEnd - invocation.tStart) : '';
  return { invocation, arguments: args, outcome: outcome(trace, invocation), time: duration };
}

function outcome(trace: Trace, invocation: Invocation): string {
  if (invocation.lastSeq === null || invocation.endKind === null) return 'still running when recording stopped';
  if (invocation.endKind === EventKind.Yield) return 'suspended at a yield';
  if (invocation.endKind === EventKind.Unwind) {
    const unwind: TraceEvent | undefined = trace.event(invocation.lastSeq);
    const exception = unwind?.arg != null ? trace.exception(unwind.arg) : undefined;
    return `raised ${exception ? exception.type : 'an exception'}`;
  }
  const returned = trace.valuesAt(invocation.id, invocation.lastSeq).find((v) => v.name === RETURN_VARIABLE);
  return returned ? render(returned.value) : 'returned';
}

function valueJson(value: Pick<VariableValue, 'name' | 'value'>): { name: string; text: string; type: string; value: ValueNode } {
  return { name: value.name, text: render(value.value), type: typeName(value.value), value: value.value };
}

function codeOf(trace: Trace, id: number): Code {
  const code = trace.code(id);
  if (!code) throw new Error(`the trace names code ${id} but has no such code object`);
  return code;
}

function checkSeq(trace: Trace, seq: number): void {
  const last = trace.lastSeq();
  if (seq > last) throw new NotFoundError(`seq ${seq} is past the end of the trace (its last seq is ${last})`);
}

function more(total: number, shown: number): string {
  return total > shown ? `… ${total - shown} more (use --limit)\n` : '';
}
