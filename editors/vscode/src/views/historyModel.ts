// The variable-history view's model, pure: a `valueHistory` answer → table rows, and for numbers a
// step chart (the value holds from its change until the next) in SVG coordinates.
import type { ValueHistoryResponseBody } from '../../../../protocol/requests';

export interface HistoryRow {
  seq: number;
  line: number;
  value: string;
  type: string;
  /** After the current stop (the replay has not reached it yet). */
  later: boolean;
}

export interface ChartPoint {
  x: number;
  y: number;
  seq: number;
  value: string;
}

export interface HistoryChart {
  width: number;
  height: number;
  points: ChartPoint[];
  /** An SVG path through the points as steps. */
  path: string;
  /** The value axis: the smallest and largest value, as recorded. */
  minLabel: string;
  maxLabel: string;
  /** The event axis: the first and last change. */
  firstSeq: number;
  lastSeq: number;
}

export interface HistoryModel {
  name: string;
  /** "local of invocation 12" or "global". */
  scope: string;
  rows: HistoryRow[];
  /** Only for two changes or more, every value a finite int or float. */
  chart: HistoryChart | null;
  /** Says so when the answer holds fewer changes than the trace. */
  note: string | null;
}

export const CHART = { width: 400, height: 140, margin: 8 } as const;

export function historyModel(name: string, body: ValueHistoryResponseBody, cursorSeq: number | null): HistoryModel {
  const rows = body.changes.map((change): HistoryRow => ({ ...change, later: cursorSeq !== null && change.seq > cursorSeq }));
  const shown = body.changes.length;
  return {
    name,
    scope: body.scope === 'local' ? `local of invocation ${body.invocation}` : 'global',
    rows,
    chart: numbersChart(rows),
    note: shown < body.total ? `the first ${shown} of ${body.total} changes` : null,
  };
}

function numbersChart(rows: HistoryRow[]): HistoryChart | null {
  const numbers = rows.map((row) => (row.type === 'int' || row.type === 'float' ? Number(row.value) : NaN));
  if (rows.length < 2 || !numbers.every(Number.isFinite)) return null;
  const { width, height, margin } = CHART;
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const firstSeq = rows[0]?.seq ?? 0;
  const lastSeq = rows.at(-1)?.seq ?? 0;
  const scale = (value: number, low: number, high: number, size: number) =>
    high === low ? size / 2 : margin + ((value - low) / (high - low)) * (size - 2 * margin);
  const points = rows.map((row, i): ChartPoint => ({
    x: round(scale(row.seq, firstSeq, lastSeq, width)),
    y: round(height - scale(numbers[i] ?? 0, min, max, height)),
    seq: row.seq,
    value: row.value,
  }));
  const path = points.map((point, i) => {
    const previous = points[i - 1];
    return previous ? `H${point.x}V${point.y}` : `M${point.x} ${point.y}`;
  }).join('');
  const labelOf = (value: number) => rows[numbers.indexOf(value)]?.value ?? String(value);
  return { width, height, points, path, minLabel: labelOf(min), maxLabel: labelOf(max), firstSeq, lastSeq };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
