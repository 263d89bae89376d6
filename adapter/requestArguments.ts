// The shape of standard DAP requests' arguments, checked before any handler runs: a missing or
// ill-typed argument the spec requires becomes one sentence naming it, never a crash deeper down.
type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array';

/** A scalar kind ('?' when optional), a list of items of one shape, or an object with named fields. */
type Spec = Kind | `${Kind}?` | { list: Spec; optional?: true } | { fields: Record<string, Spec>; optional?: true };

const SOURCE: Spec = { fields: { path: 'string?', sourceReference: 'number?', name: 'string?' } };
const THREAD = { threadId: 'number' } as const;
const CONDITIONS = { condition: 'string?', hitCondition: 'string?' } as const;

/** Per the DAP specification (required fields, and the types of the optional ones a handler reads), and protocol/requests.ts. */
const SHAPES: Record<string, Record<string, Spec>> = {
  attach: { trace: 'string?', stopOnEntry: 'boolean?' },
  stackTrace: { ...THREAD, startFrame: 'number?', levels: 'number?' },
  scopes: { frameId: 'number' },
  variables: { variablesReference: 'number', start: 'number?', count: 'number?', filter: 'string?' },
  setVariable: { variablesReference: 'number', name: 'string', value: 'string' },
  evaluate: { expression: 'string', frameId: 'number?', context: 'string?' },
  source: { sourceReference: 'number?', source: { ...SOURCE, optional: true } },
  setBreakpoints: { source: SOURCE, breakpoints: { list: { fields: { line: 'number', column: 'number?', ...CONDITIONS, logMessage: 'string?' } }, optional: true } },
  setFunctionBreakpoints: { breakpoints: { list: { fields: { name: 'string', ...CONDITIONS } } } },
  setExceptionBreakpoints: { filters: { list: 'string' } },
  setDataBreakpoints: { breakpoints: { list: { fields: { dataId: 'string', accessType: 'string?', ...CONDITIONS } } } },
  dataBreakpointInfo: { name: 'string', variablesReference: 'number?', frameId: 'number?' },
  breakpointLocations: { source: SOURCE, line: 'number', endLine: 'number?' },
  next: THREAD,
  stepIn: THREAD,
  stepOut: THREAD,
  stepBack: THREAD,
  continue: THREAD,
  reverseContinue: THREAD,
  pause: THREAD,
  goto: { ...THREAD, targetId: 'number' },
  gotoTargets: { source: SOURCE, line: 'number' },
  restartFrame: { frameId: 'number' },
  exceptionInfo: THREAD,
  completions: { text: 'string', column: 'number', frameId: 'number?' },
  // Hindsight's own moves (protocol/requests.ts): a missing threadId would be reported as "thread undefined".
  reverseStepIn: THREAD,
  reverseStepOut: THREAD,
  gotoPosition: { seq: 'number', threadId: 'number?' },
  callTree: { invocation: 'number?', start: 'number?', count: 'number?' },
  valueHistory: { name: 'string?', frameId: 'number?', invocation: 'number?', start: 'number?', count: 'number?' },
};

/** What is wrong with a request's arguments, as a sentence; undefined when they fit (or the command is not checked here). */
export function argumentProblem(command: string, args: Record<string, unknown>): string | undefined {
  const shape = SHAPES[command];
  return shape && fieldsProblem(command, args, shape, '');
}

function fieldsProblem(command: string, value: Record<string, unknown>, fields: Record<string, Spec>, prefix: string): string | undefined {
  for (const [name, spec] of Object.entries(fields)) {
    const problem = problemOf(command, value[name], spec, `${prefix}${name}`);
    if (problem) return problem;
  }
  return undefined;
}

function problemOf(command: string, value: unknown, spec: Spec, where: string): string | undefined {
  const kind: Kind = typeof spec === 'string' ? spec.replace('?', '') as Kind : 'list' in spec ? 'array' : 'object';
  const optional = typeof spec === 'string' ? spec.endsWith('?') : spec.optional === true;
  // A client may send null for an optional field it has no value for.
  if ((value === undefined || value === null) && optional) return undefined;
  if (value === undefined) return `'${command}' needs the argument '${where}' (${article(kind)})`;
  if (kindOf(value) !== kind) return `'${command}': the argument '${where}' must be ${article(kind)}, not ${describe(value)}`;
  if (typeof spec === 'string') return undefined;
  if ('list' in spec) {
    const items = value as unknown[];
    for (const [index, item] of items.entries()) {
      const problem = problemOf(command, item, spec.list, `${where}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  return fieldsProblem(command, value as Record<string, unknown>, spec.fields, `${where}.`);
}

function kindOf(value: unknown): Kind | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'number') return Number.isFinite(value) ? 'number' : 'other';
  return type === 'string' || type === 'boolean' || type === 'object' ? type : 'other';
}

function article(kind: Kind): string {
  return { number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'a list' }[kind];
}

/** A value as the user wrote it, kept short. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested deeper than JSON.stringify can go (JSON.parse has no such limit): the request would go unanswered.
    text = Array.isArray(value) ? '[[[...' : '{...';
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
