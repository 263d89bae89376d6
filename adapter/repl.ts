// Reverse navigation for clients without reverse buttons: REPL commands typed in `evaluate` (context
// 'repl'), e.g. `:back`, `:rc`, `:goto 1234`, `:where`. Each returns a text and maybe a move.
import type { FramePosition } from '../protocol/frameId';
import type { Trace } from '../protocol/reader';
import { historyText } from './history';
import type { Navigator, Position, Stop } from './navigator';

/** A move to make once the evaluate request is answered. */
export type ReplMove = () => Stop | undefined;

export interface ReplResult {
  text: string;
  move?: ReplMove;
}

export const REPL_HELP = `Hindsight commands (type them in the debug console):
  :back          step back (reverse step over)
  :rc            reverse continue to the previous breakpoint hit
  :in-back       reverse step in (the previous line run by this thread, in any frame)
  :out-back      reverse step out (the line that called the current frame, before the call)
  :next / :step / :out / :c   step over, step in, step out, continue
  :goto N        go to event N (the seq shown by :where)
  :where         the current event and the number of events
  :history NAME  every change of NAME in the selected frame (line, value); :history NAME N from change N
  :help          this text
Any other input is evaluated as a Python expression on recorded values.`;

/** Runs a `:command`; throws an Error with a sentence for an unknown command or a bad argument. */
export function replCommand(input: string, navigator: Navigator, position: Position, frame: FramePosition, trace: Trace): ReplResult {
  const [name = '', ...rest] = input.trim().split(/\s+/);
  const step = (text: string, move: ReplMove): ReplResult => ({ text, move });
  switch (name) {
    case ':back': return step('stepping back', () => navigator.stepOver(position, 'backward'));
    case ':rc': return step('reverse continuing', () => navigator.run(position, 'backward'));
    case ':in-back': return step('stepping back in', () => navigator.stepIn(position, 'backward'));
    case ':out-back': return step('stepping back out', () => navigator.stepOutBackward(position));
    case ':next': return step('stepping over', () => navigator.stepOver(position, 'forward'));
    case ':step': return step('stepping in', () => navigator.stepIn(position, 'forward'));
    case ':out': return step('stepping out', () => navigator.stepOut(position));
    case ':c': return step('continuing', () => navigator.run(position, 'forward'));
    case ':goto': {
      const seq = Number(rest[0]);
      const last = trace.lastSeq();
      if (rest.length !== 1 || !Number.isInteger(seq) || seq < 1 || seq > last) throw new Error(`usage: :goto N, with N an event from 1 to ${last}`);
      return step(`going to event ${seq}`, () => navigator.goto(seq));
    }
    case ':where': {
      const event = trace.event(position.seq);
      const code = event && trace.code(event.code);
      return { text: `event ${position.seq} of ${trace.lastSeq()}${code ? ` (${code.qualname}, line ${event.line})` : ''}` };
    }
    case ':history': return { text: historyText(trace, frame, rest) };
    case ':help': return { text: REPL_HELP };
    default: throw new Error(`unknown command '${name}'; :help lists the commands`);
  }
}
