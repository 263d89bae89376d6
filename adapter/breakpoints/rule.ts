// What every breakpoint kind shares: a HitSource (the kind's candidate events, and how many there are
// up to a seq) turned into a navigator StopRule that applies `condition` and `hitCondition` lazily.
import type { Direction, TraceEvent } from '../../protocol/reader';
import type { Seq } from '../../protocol/schema';
import { ExpressionError, evaluateAst, parseExpression, truthy, type NameLookup } from '../expression';
import type { Candidate, StopReason, StopRule, Verdict } from '../navigator';

/** The values visible at an event's frame (locals, then globals), for conditions and log messages. */
export type FrameLookup = (event: TraceEvent) => NameLookup;

/** One kind's hits before conditions: events in travel order, each with the seq its hit count is counted by. */
export interface HitSource {
  /** Candidates strictly after (before) `from`, nearest first. */
  candidates(from: Seq, direction: Direction): Iterable<SourceHit>;
  /** How many candidates of the whole trace have a key at or before `key`. */
  countUpTo(key: Seq): number;
}

export interface SourceHit {
  event: TraceEvent;
  /** The seq that orders this hit among all hits (a line's execution, an invocation's CALL, a change, a raise). */
  key: Seq;
}

export interface RuleOptions {
  id: number;
  reason: StopReason;
  /** Names the breakpoint in messages: "breakpoint 4 (loop.py:12)". */
  label: string;
  condition?: string;
  hitCondition?: string;
  /** A log point's message; undefined for a breakpoint that stops. */
  logMessage?: string;
}

let nextId = 1;

/** A fresh breakpoint id (unique in this process, so ids never collide across kinds or requests). */
export function newBreakpointId(): number {
  return nextId++;
}

/**
 * A StopRule over a source. The hit count is absolute over the whole trace: counted once per move (at
 * the first candidate judged), then tracked while walking. With a condition, only hits where it holds
 * (or fails to evaluate) count, as in debugpy and VS Code: those hits are listed once per rule, on
 * first need, by walking every candidate. Throws ExpressionError when condition or hitCondition is unparsable.
 */
export function stopRule(options: RuleOptions, source: HitSource, lookup: FrameLookup): StopRule {
  const condition = options.condition?.trim() ? parseExpression(options.condition) : undefined;
  const hitTest = options.hitCondition?.trim() ? parseHitCondition(options.hitCondition) : undefined;
  const conditionAt = (event: TraceEvent): Verdict => {
    if (!condition) return { accepted: true };
    try {
      return { accepted: truthy(evaluateAst(condition, lookup(event))) };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      const effect = options.logMessage === undefined ? 'stops there' : 'logs there';
      return { accepted: true, error: `${options.label}: the condition '${options.condition?.trim()}' failed at line ${event.line} (${error.message}); it ${effect} as if true` };
    }
  };
  let conditionalKeys: Seq[] | undefined;
  const conditionalCount = (key: Seq) => {
    conditionalKeys ??= [...source.candidates(0, 'forward')].filter((hit) => conditionAt(hit.event).accepted).map((hit) => hit.key);
    return countAtOrBelow(conditionalKeys, key);
  };
  return {
    id: options.id,
    reason: options.reason,
    action: options.logMessage === undefined ? 'stop' : 'log',
    message: options.logMessage ?? '',
    *hits(from: Seq, direction: Direction): Iterator<Candidate> {
      let counted: { index: number; count: number } | undefined;
      let index = 0;
      for (const hit of source.candidates(from, direction)) {
        const at = index++;
        yield {
          event: hit.event,
          judge: () => {
            const verdict = conditionAt(hit.event);
            if (!verdict.accepted || !hitTest) return verdict;
            if (condition) return { ...verdict, accepted: hitTest(conditionalCount(hit.key)) };
            counted ??= { index: at, count: source.countUpTo(hit.key) };
            const count = counted.count + (direction === 'forward' ? at - counted.index : counted.index - at);
            return { ...verdict, accepted: hitTest(count) };
          },
        };
      }
    },
  };
}

/** Candidates found one after another by `next` (the kind's search from the previous one), as a lazy sequence. */
export function* walk(first: SourceHit | undefined, next: (previous: SourceHit) => SourceHit | undefined): Iterable<SourceHit> {
  for (let hit = first; hit; hit = next(hit)) yield hit;
}

/** A log point's text at a hit: each {expression} replaced by its recorded value, or by <error: …>. */
export function logText(template: string, lookup: NameLookup, render: (node: ReturnType<typeof evaluateAst>) => string): string {
  return template.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    try {
      return render(evaluateAst(parseExpression(expression), lookup));
    } catch (error) {
      return `<error: ${(error as Error).message}>`;
    }
  });
}

/** How many of the sorted keys are <= key. */
function countAtOrBelow(sorted: Seq[], key: Seq): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? Infinity) <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** "3" or "== 3" (exactly the 3rd hit), ">= 3", "> 3", "< 3", "<= 3", "% 3" (every 3rd). */
function parseHitCondition(text: string): (count: number) => boolean {
  const match = /^\s*(==|>=|>|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) throw new ExpressionError(`hit count '${text}' is not understood: use N, == N, >= N, > N, <= N, < N or % N`);
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=': return (count) => count >= n;
    case '>': return (count) => count > n;
    case '<=': return (count) => count <= n;
    case '<': return (count) => count < n;
    case '%': return (count) => n > 0 && count % n === 0;
    default: return (count) => count === n;
  }
}
