// The timeline's drawing model, pure (no vscode, no DOM): a `timeline` answer and `positionInfo` →
// bars, marks and the cursor as fractions of the shown range; zoom ranges; a point → its event.
import type { PositionInfoResponseBody, TimelineResponseBody } from '../../../../protocol/requests';
import { traceStatusWarning } from '../../../../protocol/traceStatus';

/** Events startSeq to endSeq, both included. */
export interface SeqRange {
  startSeq: number;
  endSeq: number;
}

export interface TimelineBar extends SeqRange {
  /** Left edge and width as fractions of the shown range. */
  x: number;
  width: number;
  /** The deepest frame's depth + 1, over the deepest in the range + 1 (a root frame is not 0 high). */
  height: number;
  maxDepth: number;
  exceptions: number;
  breakpointHits: number;
  /** The bucket in words, for a tooltip. */
  title: string;
}

export interface TimelineModel {
  range: SeqRange;
  totalEvents: number;
  bars: TimelineBar[];
  /** The current event's fraction of the range; null when it is outside the range or unknown. */
  cursor: number | null;
  cursorSeq: number | null;
  /** What the header says: the range and the whole trace's size. */
  caption: string;
  /** The trace is not whole (truncated, incomplete, being written): the sentence saying so. */
  warning: string | null;
}

/** How many buckets the view asks for: one per ~2 pixels of a side bar. */
export const BUCKETS = 150;
/** Zooming in stops at this many events across the view. */
export const MIN_SPAN = 20;

export function timelineModel(body: TimelineResponseBody, position: PositionInfoResponseBody | null): TimelineModel {
  const first = body.buckets[0];
  const last = body.buckets.at(-1);
  if (!first || !last) throw new Error('the timeline answer has no buckets');
  const range = { startSeq: first.startSeq, endSeq: last.endSeq };
  const deepest = Math.max(...body.buckets.map((bucket) => bucket.maxDepth));
  const bars = body.buckets.map((bucket): TimelineBar => {
    const marks = [
      bucket.exceptions ? `${bucket.exceptions} exception${plural(bucket.exceptions)} raised` : '',
      bucket.breakpointHits ? `${bucket.breakpointHits} breakpoint hit${plural(bucket.breakpointHits)}` : '',
    ].filter(Boolean);
    const { dominant } = bucket;
    return {
      startSeq: bucket.startSeq,
      endSeq: bucket.endSeq,
      x: fractionOf(range, bucket.startSeq),
      width: (bucket.endSeq - bucket.startSeq + 1) / spanOf(range),
      height: (bucket.maxDepth + 1) / (deepest + 1),
      maxDepth: bucket.maxDepth,
      exceptions: bucket.exceptions,
      breakpointHits: bucket.breakpointHits,
      title: [
        `events ${bucket.startSeq}–${bucket.endSeq}`,
        `depth ${bucket.maxDepth}`,
        `mostly ${dominant.qualname} (${dominant.events} events, line ${dominant.line})`,
        ...marks,
      ].join(' · '),
    };
  });
  const cursorSeq = position?.seq ?? null;
  const inRange = cursorSeq !== null && cursorSeq >= range.startSeq && cursorSeq <= range.endSeq;
  const whole = range.startSeq === 1 && range.endSeq === body.totalEvents;
  return {
    range,
    totalEvents: body.totalEvents,
    bars,
    cursor: inRange ? fractionOf(range, cursorSeq) : null,
    cursorSeq,
    caption: whole
      ? `${body.totalEvents} events`
      : `events ${range.startSeq}–${range.endSeq} of ${body.totalEvents}`,
    warning: (position && traceStatusWarning({ status: position.status, endReason: position.statusReason })) ?? null,
  };
}

/** The event under a point at `fraction` (0 = left edge, 1 = right edge) of the range. */
export function seqAt(range: SeqRange, fraction: number): number {
  const clamped = Math.min(Math.max(fraction, 0), 1);
  return Math.min(range.startSeq + Math.floor(clamped * spanOf(range)), range.endSeq);
}

/**
 * The range after zooming by `factor` (< 1 in, > 1 out) around `centerSeq`, which keeps its place
 * on screen; kept within the trace and at least MIN_SPAN events (or the whole trace, if smaller).
 */
export function zoomRange(range: SeqRange, totalEvents: number, centerSeq: number, factor: number): SeqRange {
  const span = Math.min(Math.max(Math.round(spanOf(range) * factor), Math.min(MIN_SPAN, totalEvents)), totalEvents);
  const left = (centerSeq - range.startSeq) / spanOf(range);
  const start = Math.round(centerSeq - left * span);
  const startSeq = Math.min(Math.max(start, 1), totalEvents - span + 1);
  return { startSeq, endSeq: startSeq + span - 1 };
}

function spanOf(range: SeqRange): number {
  return range.endSeq - range.startSeq + 1;
}

function fractionOf(range: SeqRange, seq: number): number {
  return (seq - range.startSeq) / spanOf(range);
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
