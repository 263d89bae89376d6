// The shape of standard DAP requests' arguments, checked before any handler runs: a missing or
// ill-typed argument the spec requires becomes one sentence naming it, never a crash deeper down.
type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array';

/** Required arguments per the DAP specification; a trailing '?' marks an optional one whose type is still checked. */
const SHAPES: Record<string, Record<string, Kind | `${Kind}?`>> = {
  attach: { trace: 'string?', stopOnEntry: 'boolean?' },
  stackTrace: { threadId: 'number', startFrame: 'number?', levels: 'number?' },
  scopes: { frameId: 'number' },
  variables: { variablesReference: 'number', start: 'number?', count: 'number?' },
  setVariable: { variablesReference: 'number', name: 'string', value: 'string' },
  evaluate: { expression: 'string', frameId: 'number?', context: 'string?' },
  source: { sourceReference: 'number?', source: 'object?' },
  setBreakpoints: { source: 'object', breakpoints: 'array?' },
  setFunctionBreakpoints: { breakpoints: 'array' },
  setExceptionBreakpoints: { filters: 'array' },
  setDataBreakpoints: { breakpoints: 'array' },
  dataBreakpointInfo: { name: 'string', variablesReference: 'number?', frameId: 'number?' },
  breakpointLocations: { source: 'object', line: 'number' },
  next: { threadId: 'number' },
  stepIn: { threadId: 'number' },
  stepOut: { threadId: 'number' },
  stepBack: { threadId: 'number' },
  continue: { threadId: 'number' },
  reverseContinue: { threadId: 'number' },
  pause: { threadId: 'number' },
  goto: { threadId: 'number', targetId: 'number' },
  gotoTargets: { source: 'object', line: 'number' },
  restartFrame: { frameId: 'number' },
  exceptionInfo: { threadId: 'number' },
  completions: { text: 'string', column: 'number' },
};

/** What is wrong with a request's arguments, as a sentence; undefined when they fit (or the command is not checked here). */
export function argumentProblem(command: string, args: Record<string, unknown>): string | undefined {
  const shape = SHAPES[command];
  if (!shape) return undefined;
  for (const [name, declared] of Object.entries(shape)) {
    const optional = declared.endsWith('?');
    const kind = declared.replace('?', '') as Kind;
    const value = args[name];
    if (value === undefined && optional) continue;
    if (value === undefined) return `'${command}' needs the argument '${name}' (${article(kind)})`;
    if (kindOf(value) !== kind) return `'${command}': the argument '${name}' must be ${article(kind)}, not ${describe(value)}`;
  }
  return undefined;
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
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
