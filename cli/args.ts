// A small command-line parser: declared options only (--name VALUE, --name=VALUE, flags, repeatable
// lists), positionals, and for `record` a stop at the program so its own arguments pass untouched.
import { UsageError } from './errors';

export interface OptionSpec {
  /** Options without a value, e.g. --json. */
  flags?: readonly string[];
  /** Options taking one value; the last one given wins. */
  values?: readonly string[];
  /** Options taking one value, repeatable, in order. */
  lists?: readonly string[];
}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
  positionals: string[];
}

/**
 * 'anywhere': options may follow positionals. 'before-positionals' (for record): options stop at the
 * program, the first positional or `-m`; it and everything after pass through untouched.
 */
export type OptionPlacement = 'anywhere' | 'before-positionals';

export function parseArgs(argv: readonly string[], spec: OptionSpec, command: string, placement: OptionPlacement = 'anywhere'): ParsedArgs {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), lists: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || (placement === 'before-positionals' && arg === '-m')) {
      if (placement === 'before-positionals') {
        parsed.positionals.push(...argv.slice(i));
        break;
      }
      parsed.positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    if (spec.flags?.includes(name)) {
      if (inline !== undefined) throw new UsageError(`${command}: ${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    const isValue = spec.values?.includes(name) ?? false;
    if (!isValue && !spec.lists?.includes(name)) throw new UsageError(`${command}: unknown option '${name}' (see '${command} --help')`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${command}: ${name} needs a value`);
    if (isValue) parsed.values.set(name, value);
    else parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
  }
  return parsed;
}

/** An option's value as a whole number of at least `min`, or undefined when not given. */
export function intOption(parsed: ParsedArgs, name: string, command: string, min: number): number | undefined {
  const raw = parsed.values.get(name);
  if (raw === undefined) return undefined;
  return parseCount(raw, `${command}: ${name}`, min);
}

/** A whole number of at least `min`; `what` names it in the error. */
export function parseCount(raw: string, what: string, min: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${what} must be a whole number of at least ${min}, not '${raw}'`);
  }
  return value;
}
