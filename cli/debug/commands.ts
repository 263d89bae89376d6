// The terminal debugger's command language (pdb's names, plus time travel): parses one typed line
// into a Command, or throws a CommandError saying what is wrong; HELP describes them all.
import { CustomRequest } from '../../protocol/requests';

/** The DAP request behind each move (custom requests for the reverse steps DAP lacks). */
export type MoveRequest = 'next' | 'stepIn' | 'stepOut' | 'continue' | 'stepBack' | 'reverseContinue'
  | typeof CustomRequest.reverseStepIn | typeof CustomRequest.reverseStepOut;

/** Where a breakpoint goes: a line (of the current file when `file` is absent), or a function. */
export type BreakTarget = { kind: 'line'; file?: string; line: number } | { kind: 'function'; name: string };

/** Which lines `l` shows: pdb's rules (continue, around the stop, around a line, a range). */
export type ListRange = { kind: 'continue' } | { kind: 'current' } | { kind: 'around'; line: number } | { kind: 'range'; first: number; last: number };

export type Command =
  | { kind: 'move'; request: MoveRequest }
  | { kind: 'goto'; seq: number }
  | { kind: 'break'; target: BreakTarget; condition?: string }
  | { kind: 'breakpoints' }
  | { kind: 'clear'; numbers: number[] }
  | { kind: 'clear-all' }
  | { kind: 'clear-line'; file: string; line: number }
  | { kind: 'print'; expression: string }
  | { kind: 'history'; args: string }
  | { kind: 'where' }
  | { kind: 'when' }
  | { kind: 'list'; range: ListRange }
  | { kind: 'frame'; direction: 'up' | 'down'; count: number }
  | { kind: 'help' }
  | { kind: 'quit' };

/** A line that is not a command, or a command with bad arguments: the message says which. */
export class CommandError extends Error {}

const MOVES: Record<string, MoveRequest> = {
  n: 'next', next: 'next',
  s: 'stepIn', step: 'stepIn',
  r: 'stepOut', return: 'stepOut',
  c: 'continue', cont: 'continue', continue: 'continue',
  back: 'stepBack',
  rc: 'reverseContinue',
  rs: CustomRequest.reverseStepIn,
  rr: CustomRequest.reverseStepOut,
};

export const HELP = `Moving (forwards, then backwards through the recording):
  n(ext)              run to the next line of this function (over calls)
  s(tep)              run to the next line, entering calls
  r(eturn)            run until this function returns (stop in the caller)
  c(ont(inue))        run to the next breakpoint hit, or the end of the recording
  back                step back: the previous line of this function (over calls)
  rs                  reverse step in: the previous line run, in whatever function
  rr                  reverse step out: back to the line that called this function
  rc                  reverse continue: back to the previous breakpoint hit, or the beginning
  goto N              go to event N of the recording (see 'when' and 'history')
Breakpoints (they work both ways):
  b(reak)             list the breakpoints
  b [FILE:]LINE[, COND]  break at a line (of the current file without FILE), when COND holds
  b FUNCTION[, COND]  break at the first line of each call of a function (name, Class.method)
  cl(ear) [N…]        delete breakpoints N… (all without N); cl [FILE:]LINE deletes those at a line
Looking around:
  p EXPR              the value of a Python expression on the recorded values
  history NAME [N]    every change of variable NAME in this frame (from change N), with its event
  w(here)             the stack, oldest frame first; '>' marks the current frame
  u(p) [N] / d(own) [N]  select an older / newer frame
  l(ist) [. | LINE | FIRST, LAST]  source around the stop ('->'), a line, or a range; again to go on
  when                the current event number and how many there are
  h(elp)              this text
  q(uit)              end the session (also end of input, Ctrl-D)
An empty line repeats the last command.`;

export function parseCommand(line: string): Command {
  const text = line.trim();
  const space = text.search(/\s/);
  // The debug console's `:history`, `:goto`… (which the server's own texts mention) work too.
  const name = (space < 0 ? text : text.slice(0, space)).replace(/^:/, '');
  const rest = space < 0 ? '' : text.slice(space).trim();
  const move = Object.hasOwn(MOVES, name) ? MOVES[name] : undefined;
  if (move) return noArguments(name, rest, { kind: 'move', request: move });
  switch (name) {
    case 'goto': return { kind: 'goto', seq: whole(rest, 'usage: goto N, with N an event number (see when)') };
    case 'b': case 'break': return rest ? breakCommand(rest) : { kind: 'breakpoints' };
    case 'cl': case 'clear': return clearCommand(rest);
    case 'p': case 'print':
      if (!rest) throw new CommandError('usage: p EXPRESSION');
      return { kind: 'print', expression: rest };
    case 'history':
      if (!rest) throw new CommandError('usage: history NAME [N]');
      return { kind: 'history', args: rest };
    case 'w': case 'where': case 'bt': return noArguments(name, rest, { kind: 'where' });
    case 'when': return noArguments(name, rest, { kind: 'when' });
    case 'l': case 'list': return { kind: 'list', range: listRange(rest) };
    case 'u': case 'up': return { kind: 'frame', direction: 'up', count: rest ? whole(rest, `usage: ${name} [COUNT]`) : 1 };
    case 'd': case 'down': return { kind: 'frame', direction: 'down', count: rest ? whole(rest, `usage: ${name} [COUNT]`) : 1 };
    case 'h': case 'help': return { kind: 'help' };
    case 'q': case 'quit': case 'exit': return noArguments(name, rest, { kind: 'quit' });
    default: throw new CommandError(`unknown command '${name}'; 'h' lists the commands`);
  }
}

function noArguments(name: string, rest: string, command: Command): Command {
  if (rest) throw new CommandError(`'${name}' takes no arguments`);
  return command;
}

/** A whole number from 1, or a CommandError with `usage`. */
function whole(text: string, usage: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CommandError(usage);
  return Number(text);
}

/** `b [FILE:]LINE[, COND]` or `b FUNCTION[, COND]`. */
function breakCommand(rest: string): Command {
  const comma = rest.indexOf(',');
  const where = (comma < 0 ? rest : rest.slice(0, comma)).trim();
  const condition = comma < 0 ? undefined : rest.slice(comma + 1).trim();
  if (condition === '') throw new CommandError('usage: b LOCATION, CONDITION (the condition is missing after the comma)');
  const line = lineLocation(where);
  const target: BreakTarget = line ? { kind: 'line', ...line } : { kind: 'function', name: where };
  return condition === undefined ? { kind: 'break', target } : { kind: 'break', target, condition };
}

/** `cl`, `cl N…` or `cl [FILE:]LINE`. */
function clearCommand(rest: string): Command {
  if (!rest) return { kind: 'clear-all' };
  if (/^\d+(\s+\d+)*$/.test(rest)) return { kind: 'clear', numbers: rest.split(/\s+/).map(Number) };
  const line = lineLocation(rest);
  if (line?.file === undefined) throw new CommandError('usage: cl [N…] or cl FILE:LINE');
  return { kind: 'clear-line', file: line.file, line: line.line };
}

/** `LINE` or `FILE:LINE`; undefined for anything else (a function name). */
function lineLocation(text: string): { file?: string; line: number } | undefined {
  const match = /^(?:(.+):)?(\d+)$/.exec(text);
  if (!match) return undefined;
  const line = whole(match[2] ?? '', `'${text}': line numbers start at 1`);
  return match[1] === undefined ? { line } : { file: match[1], line };
}

function listRange(rest: string): ListRange {
  if (!rest) return { kind: 'continue' };
  if (rest === '.') return { kind: 'current' };
  const usage = 'usage: l [. | LINE | FIRST, LAST]';
  const parts = rest.split(',').map((part) => part.trim());
  if (parts.length === 1) return { kind: 'around', line: whole(parts[0] ?? '', usage) };
  if (parts.length !== 2) throw new CommandError(usage);
  const first = whole(parts[0] ?? '', usage);
  const last = whole(parts[1] ?? '', usage);
  // As pdb: a LAST smaller than FIRST is a count of lines.
  return { kind: 'range', first, last: last < first ? first + last : last };
}
