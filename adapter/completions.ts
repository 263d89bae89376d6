// Completions for the debug console: names visible in the frame (locals, then globals, then builtins),
// instance attributes after `obj.`, keys after `d[`, and the REPL `:commands` after `:`. Offsets here
// are 0-based UTF-16 positions in the typed text; the session converts DAP columns at the edge.
import { render, type ValueNode } from '../protocol/values';
import { evaluateExpression, type NameLookup } from './expression';
import { BUILTIN_CLASSES, builtinNames } from './expression/builtins';
import { REPL_HELP } from './repl';

export interface Completion {
  label: string;
  type: 'variable' | 'property' | 'function' | 'class' | 'keyword' | 'value';
  /** Where the replaced text starts (0-based) and how long it is. */
  start: number;
  length: number;
}

/** What the frame offers: its names in order (locals first) and a lookup to evaluate `obj` in `obj.`. */
export interface FrameNames {
  names: string[];
  lookup: NameLookup;
}

const IDENTIFIER_END = /[\p{L}_][\p{L}\p{N}_]*$/u;
/** The primary expression before a `.` or `[`: names, attributes and simple subscripts. */
const PRIMARY_END = /[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*|\[[^[\]]*\])*$/u;

/** Completions for `text` with the cursor at `offset`; frame is undefined when there is no stop yet. */
export function completions(text: string, offset: number, frame: FrameNames | undefined): Completion[] {
  const before = text.slice(0, offset);
  const command = /^\s*(:[\w-]*)$/.exec(before);
  if (command) return replCommands(command[1] ?? ':', offset);
  if (!frame) return [];
  const key = new RegExp(`(${PRIMARY_END.source.slice(0, -1)})\\[([^[\\]]*)$`, 'u').exec(before);
  const dict = key && tryEvaluate(key[1] ?? '', frame.lookup);
  if (key && dict?.kind === 'map') return keys(dict, key[2] ?? '', offset);
  const partial = IDENTIFIER_END.exec(before)?.[0] ?? '';
  const start = offset - partial.length;
  if (before[start - 1] === '.') {
    const target = PRIMARY_END.exec(before.slice(0, start - 1))?.[0];
    return target ? attributes(target, partial, start, frame.lookup) : [];
  }
  if (/[\p{N}'"]$/u.test(before.slice(0, start))) return [];
  const seen = new Set<string>();
  const found: Completion[] = [];
  const add = (label: string, type: Completion['type']) => {
    if (label.startsWith(partial) && !seen.has(label)) {
      seen.add(label);
      found.push({ label, type, start, length: partial.length });
    }
  };
  frame.names.filter((name) => !name.startsWith('<')).forEach((name) => add(name, 'variable'));
  builtinNames().forEach((name) => add(name, BUILTIN_CLASSES.includes(name) ? 'class' : 'function'));
  return found;
}

function replCommands(typed: string, offset: number): Completion[] {
  const commands = [...new Set(REPL_HELP.match(/:[a-z][\w-]*/g) ?? [])];
  return commands.filter((name) => name.startsWith(typed)).map((label) => ({ label, type: 'keyword', start: offset - typed.length, length: typed.length }));
}

function attributes(target: string, partial: string, start: number, lookup: NameLookup): Completion[] {
  const value = tryEvaluate(target, lookup);
  // Objects, and seq / map subclass instances with attributes of their own.
  const recorded = value?.kind === 'obj' || value?.kind === 'seq' || value?.kind === 'map' ? value.attributes ?? [] : [];
  return recorded
    .filter((attribute) => attribute.name.startsWith(partial))
    .map((attribute) => ({ label: attribute.name, type: 'property', start, length: partial.length }));
}

function keys(value: Extract<ValueNode, { kind: 'map' }>, partial: string, offset: number): Completion[] {
  const typed = partial.trimStart();
  return value.entries
    .map((entry) => render(entry.key))
    .filter((label) => label.startsWith(typed))
    .map((label) => ({ label, type: 'value', start: offset - typed.length, length: typed.length }));
}

/** Completion never reports an error: an expression that cannot be evaluated offers nothing. */
function tryEvaluate(expression: string, lookup: NameLookup): ValueNode | undefined {
  try {
    return evaluateExpression(expression, lookup);
  } catch {
    return undefined;
  }
}
