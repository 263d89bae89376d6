// The VS Code views' models (editors/vscode/src/views/*Model.ts, statusText.ts) fed with real answers
// of `hindsight dap` on a recorded fixture: timeline bars and zoom, call-tree items, value history
// rows and chart, status bar text; and the moves a click makes (gotoPosition) land where they say.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  CallTreeNode, CallTreeResponseBody, PositionInfoResponseBody, TimelineResponseBody, ValueHistoryResponseBody,
} from '../protocol/requests';
import { callTreeItem, moreCallsLabel } from '../editors/vscode/src/views/callTreeModel';
import { historyModel } from '../editors/vscode/src/views/historyModel';
import { positionStatus, recordingStatus } from '../editors/vscode/src/views/statusText';
import { BUCKETS, MIN_SPAN, seqAt, timelineModel, zoomRange } from '../editors/vscode/src/views/timelineModel';
import { dapFixture, launchTo, move, startDap, topFrame, type Dap, type Stopped } from './support/dap';
import { freshDir, markedLine } from './support/recordings';

const line = (mark: string) => markedLine('dap/inspect', mark);

describe('vscode views: models of real adapter answers', () => {
  let dap: Dap;
  beforeEach(async () => { dap = await startDap('stdio'); });
  afterEach(async () => { await dap.stop(); });

  const request = async <T>(command: string, args: object = {}): Promise<T> => (await dap.client.customRequest(command, args)).body as T;
  const position = () => request<PositionInfoResponseBody>('positionInfo');
  const calls = async (invocation?: number) => (await request<CallTreeResponseBody>('callTree', invocation === undefined ? {} : { invocation })).calls;
  async function goTo(seq: number): Promise<Stopped> {
    const stopped = dap.client.waitForEvent('stopped');
    await request('gotoPosition', { seq });
    return (await stopped).body as Stopped;
  }
  /** inspect.py's calls: module → spin, run (→ check ×5, square ×4), values, spin. */
  async function runCalls(): Promise<CallTreeNode[]> {
    const [module] = await calls();
    const run = (await calls(module?.invocation)).find((call) => call.qualname === 'run');
    return calls(run?.invocation);
  }

  it('timeline: bars tile the trace, the raise and the 4 breakpoint hits are marked, the cursor and a click land on events', async () => {
    await launchTo(dap.client, 'inspect', [{ line: line('add') }]);
    const body = await request<TimelineResponseBody>('timeline', { buckets: BUCKETS });
    const start = await position();
    const model = timelineModel(body, start);
    const total = body.totalEvents;
    assert.deepEqual(model.range, { startSeq: 1, endSeq: total });
    assert.equal(model.caption, `${total} events`);
    assert.equal(model.warning, null, 'a complete trace has no warning');
    assert.equal(model.bars.length, BUCKETS);
    assert.equal(model.bars[0]?.x, 0);
    model.bars.slice(1).forEach((bar, i) => assert.equal(bar.startSeq, (model.bars[i]?.endSeq ?? 0) + 1));
    assert.ok(Math.abs(model.bars.reduce((sum, bar) => sum + bar.width, 0) - 1) < 1e-9);
    // Depth 2 (module → run → check/square) is the full height; the first bucket reaches spin, depth 1.
    assert.equal(Math.max(...model.bars.map((bar) => bar.height)), 1);
    assert.equal(model.bars[0]?.height, 2 / 3);
    assert.equal(model.cursorSeq, start.seq);
    assert.equal(model.cursor, (start.seq - 1) / total);

    // The one exception is raised inside check(3): its bar lies within that call and says so.
    const raising = (await runCalls()).filter((call) => call.end === 'exception');
    assert.deepEqual(raising.map((call) => call.qualname), ['check']);
    const marked = model.bars.filter((bar) => bar.exceptions > 0);
    assert.equal(marked.length, 1);
    const [exceptionBar] = marked;
    const check = raising[0] as CallTreeNode;
    const lastOfCheck = check.lastSeq ?? 0;
    assert.ok(exceptionBar && exceptionBar.startSeq <= lastOfCheck && exceptionBar.endSeq >= check.firstSeq, 'the marked bar holds part of check(3)');
    assert.match(exceptionBar.title, new RegExp(`^events ${exceptionBar.startSeq}–${exceptionBar.endSeq} · depth 2 · mostly .* · 1 exception raised( · \\d+ breakpoint hits?)?$`));
    // Zoomed to check(3) alone: one bar, all of it check's events.
    const [only] = timelineModel(await request<TimelineResponseBody>('timeline', { buckets: 1, startSeq: check.firstSeq, endSeq: lastOfCheck }), start).bars;
    assert.equal(only?.title, `events ${check.firstSeq}–${lastOfCheck} · depth 2 · mostly check (${lastOfCheck - check.firstSeq + 1} events, line ${check.line}) · 1 exception raised`);
    assert.equal(model.bars.reduce((sum, bar) => sum + bar.breakpointHits, 0), 4, 'the add line runs for n = 1, 2, 4, 5');

    // A click at the exception bar's left edge goes to its first event (or the next stop point after it).
    const clicked = seqAt(model.range, exceptionBar.x);
    assert.equal(clicked, exceptionBar.startSeq);
    await goTo(clicked);
    const moved = await position();
    assert.ok(moved.seq >= clicked && moved.seq <= exceptionBar.endSeq, `${moved.seq} in ${clicked}–${exceptionBar.endSeq}`);
    assert.equal(timelineModel(body, moved).cursor, (moved.seq - 1) / total);
    assert.equal(seqAt(model.range, 0), 1);
    assert.equal(seqAt(model.range, 1), total);
    assert.equal(seqAt(model.range, 2), total, 'a drag past the edge stays on the last event');
  });

  it('timeline zoom: finer buckets of the range around the cursor, down to MIN_SPAN events, and back out to the whole trace', async () => {
    await launchTo(dap.client, 'inspect', [{ line: line('add') }]);
    await move(dap.client, 'continue', 1);
    const here = await position();
    const whole = timelineModel(await request<TimelineResponseBody>('timeline', { buckets: BUCKETS }), here);
    const total = whole.totalEvents;
    let range = whole.range;
    for (let i = 0; i < 30 && range.endSeq - range.startSeq + 1 > MIN_SPAN; i++) {
      const zoomed = zoomRange(range, total, here.seq, 0.5);
      const span = range.endSeq - range.startSeq + 1;
      assert.equal(zoomed.endSeq - zoomed.startSeq + 1, Math.max(Math.round(span / 2), MIN_SPAN));
      const model = timelineModel(await request<TimelineResponseBody>('timeline', { buckets: BUCKETS, ...zoomed }), here);
      assert.deepEqual(model.range, zoomed, 'the answer covers exactly the zoomed range');
      assert.equal(model.caption, `events ${zoomed.startSeq}–${zoomed.endSeq} of ${total}`);
      assert.ok(model.cursor !== null && Math.abs(seqAt(model.range, model.cursor) - here.seq) <= 1, 'the cursor stays in view');
      range = zoomed;
    }
    assert.equal(range.endSeq - range.startSeq + 1, MIN_SPAN);
    const finest = await request<TimelineResponseBody>('timeline', { buckets: BUCKETS, ...range });
    assert.equal(finest.buckets.length, MIN_SPAN, 'one bucket per event when zoomed in fully');
    assert.ok(finest.buckets.some((bucket) => bucket.breakpointHits === 1), 'the hit the cursor stands on is marked');
    // Zooming out from the end never runs past the trace.
    assert.deepEqual(zoomRange({ startSeq: total - 99, endSeq: total }, total, total, 4), { startSeq: total - 399, endSeq: total });
    assert.deepEqual(zoomRange(range, total, here.seq, 1e9), { startSeq: 1, endSeq: total });
  });

  it('a truncated trace says so in the timeline and the status bar, with the adapter\'s reason', async () => {
    const trace = path.join(freshDir('vscode-views-truncated'), 'inspect.trace.db');
    await launchTo(dap.client, 'inspect', [], { trace, maxEvents: 300 });
    const info = await position();
    assert.equal(info.status, 'truncated');
    assert.ok(info.statusReason);
    const sentence = `this trace is truncated (${info.statusReason}); it ends at its last recorded event`;
    const model = timelineModel(await request<TimelineResponseBody>('timeline', { buckets: BUCKETS }), info);
    assert.equal(model.warning, sentence);
    assert.equal(model.totalEvents, info.totalEvents);
    assert.deepEqual(positionStatus(info), {
      text: `$(history) position ${info.seq} / ${info.totalEvents} (truncated)`,
      tooltip: `event ${info.seq} of ${info.totalEvents}, thread ${info.threadName}; ${sentence}. Click to go to a position.`,
    });
  });

  it('status bar: the recording progress the adapter reports, then the position at each stop', async () => {
    const trace = path.join(freshDir('vscode-views-progress'), 'inspect.trace.db');
    const progress: DebugProtocol.Event[] = [];
    for (const name of ['progressStart', 'progressUpdate']) dap.client.on(name, (event: DebugProtocol.Event) => progress.push(event));
    await dap.client.initializeRequest({ adapterID: 'hindsight', pathFormat: 'path', supportsProgressReporting: true });
    await Promise.all([
      dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
      dap.client.launchRequest({ program: dapFixture('inspect'), python: 'python3', trace } as DebugProtocol.LaunchRequestArguments),
      dap.client.waitForEvent('stopped'),
    ]);
    const info = await position();
    const title = (progress[0]?.body as DebugProtocol.ProgressStartEvent['body']).title;
    const last = (progress.at(-1)?.body as DebugProtocol.ProgressUpdateEvent['body']).message;
    assert.deepEqual(recordingStatus(title, last), { text: `$(record) Recording inspect.py: ${info.totalEvents} events`, tooltip: 'Hindsight is recording the program' });
    assert.equal(recordingStatus(title, undefined).text, '$(record) Recording inspect.py: 0 events');
    assert.equal(positionStatus(info).text, `$(history) position ${info.seq} / ${info.totalEvents}`);
    await move(dap.client, 'next', info.threadId);
    const next = await position();
    assert.ok(next.seq > info.seq);
    assert.equal(positionStatus(next).text, `$(history) position ${next.seq} / ${info.totalEvents}`);
  });

  it('call tree: items in order with the raising call marked; a click goes to the call\'s first line with its arguments', async () => {
    await launchTo(dap.client, 'inspect');
    const [module] = await calls();
    assert.ok(module);
    assert.deepEqual(callTreeItem(module), {
      label: '<module>',
      description: `events 1–${module.lastSeq}`,
      tooltip: `<module> (${dapFixture('inspect')}:1), thread ${module.threadId}: events 1–${module.lastSeq}, returned; 4 calls made. Click to go to its start.`,
      icon: 'symbol-function',
      expandable: true,
    });
    assert.deepEqual((await calls(module.invocation)).map((call) => callTreeItem(call).label), ['spin', 'run', 'values', 'spin']);
    const run = await runCalls();
    assert.deepEqual(run.map((call) => `${callTreeItem(call).label}:${callTreeItem(call).icon}`), [
      'check:symbol-function', 'square:symbol-function', 'check:symbol-function', 'square:symbol-function', 'check:error',
      'check:symbol-function', 'square:symbol-function', 'check:symbol-function', 'square:symbol-function',
    ]);
    const raised = run[4] as CallTreeNode;
    const item = callTreeItem(raised);
    assert.equal(item.description, `raised · events ${raised.firstSeq}–${raised.lastSeq}`);
    assert.equal(item.expandable, false);
    assert.match(item.tooltip, /raised an exception; 0 calls made\./);

    const stop = await goTo(raised.firstSeq);
    assert.equal(stop.reason, 'goto');
    const frame = await topFrame(dap.client, stop.threadId ?? 1);
    assert.deepEqual([frame.name, frame.line], ['check', line('raise') - 1]);
    assert.equal((await dap.client.evaluateRequest({ expression: 'n', frameId: frame.id, context: 'watch' })).body.result, '3');
    assert.equal(moreCallsLabel(500, 1234), '… 734 more calls (the first 500 of 1234 are shown)');
  });

  it('value history: numbers as rows and a step chart, later changes marked; a click goes to the change', async () => {
    const stopped = await launchTo(dap.client, 'inspect', [{ line: line('add') }], { stopOnEntry: false });
    await move(dap.client, 'continue', stopped.threadId ?? 1);
    const frame = await topFrame(dap.client, stopped.threadId ?? 1);
    const here = await position();
    const body = await request<ValueHistoryResponseBody>('valueHistory', { name: 'total', frameId: frame.id });
    const model = historyModel('total', body, here.seq);
    assert.equal(model.scope, `local of invocation ${body.invocation}`);
    assert.equal(model.note, null);
    // Stopped at the second hit of the add line (n = 2), total is 1: 0 and 1 are past, 5, 21, 46 later.
    assert.deepEqual(model.rows.map((row) => [row.value, row.type, row.later]), [
      ['0', 'int', false], ['1', 'int', false], ['5', 'int', true], ['21', 'int', true], ['46', 'int', true],
    ]);
    assert.deepEqual(model.rows.map((row) => row.line), [line('total'), line('add'), line('add'), line('add'), line('add')]);
    const chart = model.chart;
    assert.ok(chart);
    assert.deepEqual([chart.minLabel, chart.maxLabel, chart.firstSeq, chart.lastSeq], ['0', '46', body.changes[0]?.seq, body.changes[4]?.seq]);
    // y: 140 - (8 + value / 46 * 124), to a tenth; x: the first and last change at the margins, the others in event order.
    assert.deepEqual(chart.points.map((point) => point.y), [132, 129.3, 118.5, 75.4, 8]);
    assert.deepEqual([chart.points[0]?.x, chart.points[4]?.x], [8, 392]);
    assert.ok(chart.points.every((point, i) => i === 0 || point.x > (chart.points[i - 1]?.x ?? 0)));
    assert.ok(chart.path.startsWith('M8 132H') && chart.path.endsWith('V8'), chart.path);

    const page = historyModel('total', await request<ValueHistoryResponseBody>('valueHistory', { name: 'total', frameId: frame.id, count: 2 }), here.seq);
    assert.equal(page.note, 'the first 2 of 5 changes');

    const later = model.rows[3];
    assert.ok(later);
    await goTo(later.seq);
    const top = await topFrame(dap.client, stopped.threadId ?? 1);
    assert.equal((await dap.client.evaluateRequest({ expression: 'total', frameId: top.id, context: 'watch' })).body.result, '21');
    const moved = historyModel('total', body, (await position()).seq);
    assert.deepEqual(moved.rows.map((row) => row.later), [false, false, false, false, true]);
  });

  it('value history: other values as a table only, with the recorder\'s truncation said in the value', async () => {
    const stopped = await launchTo(dap.client, 'inspect', [{ line: line('values') }], { stopOnEntry: false });
    const frame = await topFrame(dap.client, stopped.threadId ?? 1);
    const model = historyModel('big', await request<ValueHistoryResponseBody>('valueHistory', { name: 'big', frameId: frame.id }), (await position()).seq);
    assert.equal(model.chart, null);
    assert.equal(model.rows.length, 1);
    assert.match(model.rows[0]?.value ?? '', /^\[0, 1, 2, .*, 99, … \(truncated, 10000 items\)\]$/);
    assert.equal(model.rows[0]?.type, 'list');
  });
});
