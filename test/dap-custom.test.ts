// Hindsight's inspection requests (timeline, callTree, valueHistory, positionInfo), loadedSources and
// source from the trace, and what scopes show at a frame's exit and for values past the recorder's caps.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Trace, WRITER_DIED_REASON } from '../protocol/reader';
import type {
  CallTreeResponseBody, PositionInfoResponseBody, TimelineResponseBody, ValueHistoryResponseBody,
} from '../protocol/requests';
import { EventKind } from '../protocol/schema';
import { dapFixture, failure, launchTo, move, startDap, topFrame, type BreakpointSpec, type Dap, type Transport } from './support/dap';
import { freshDir, markedLine } from './support/recordings';
import { deadPid, editDatabase } from './support/sqlite';

const line = (mark: string) => markedLine('dap/inspect', mark);

for (const transport of ['stdio', 'tcp'] as Transport[]) {
  describe(`dap inspection requests [${transport}]`, () => {
    let dap: Dap;
    let trace: Trace | undefined;
    beforeEach(async () => { dap = await startDap(transport); });
    afterEach(async () => {
      trace?.close();
      trace = undefined;
      await dap.stop();
    });

    /** Launches test/fixtures/dap/inspect.py and opens its trace here too, as an oracle read event by event. */
    async function launch(breakpoints: BreakpointSpec[] = [], extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent['body']> {
      const file = path.join(freshDir('dap-inspect'), 'inspect.trace.db');
      const stopped = await launchTo(dap.client, 'inspect', breakpoints, { trace: file, ...extra });
      trace = await Trace.open(file);
      return stopped;
    }

    const request = async <T>(command: string, args: object = {}): Promise<T> => (await dap.client.customRequest(command, args)).body as T;

    it('timeline: contiguous buckets whose depth, exceptions, breakpoint hits and dominant function match the events', async () => {
      await launch([{ line: line('add') }]);
      const oracle = trace as Trace;
      const program = oracle.fileByPath(dapFixture('inspect'))?.id;
      const raised = new Set(oracle.exceptions().map((exception) => exception.raisedSeq));
      const checkBucket = (bucket: TimelineResponseBody['buckets'][number]): void => {
        const events = oracle.events(bucket.startSeq, bucket.endSeq);
        const counts = new Map<number, number>();
        for (const event of events) counts.set(event.code, (counts.get(event.code) ?? 0) + 1);
        // The mode; on a tie the code that ran first in the bucket (Map keeps first-seen order).
        const [mode, modeEvents] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
        assert.equal(bucket.dominant.qualname, oracle.code(mode)?.qualname);
        assert.equal(bucket.dominant.events, modeEvents);
        assert.equal(bucket.maxDepth, Math.max(...events.map((event) => oracle.invocation(event.invocation)?.depth ?? -1)));
        assert.equal(bucket.exceptions, events.filter((event) => raised.has(event.seq)).length);
        assert.equal(bucket.breakpointHits, events.filter((event) => event.kind === EventKind.Line && event.line === line('add')
          && oracle.code(event.code)?.file === program).length);
      };
      // Few buckets read finish.sql's 256-event blocks and the events at their edges; many small ones read events only.
      const total = oracle.lastSeq();
      for (const [buckets, startSeq, endSeq] of [[3, 1, total], [40, 1, total], [2, 100, total - 50], [7, 1, total]]) {
        const body = await request<TimelineResponseBody>('timeline', { buckets, startSeq, endSeq });
        assert.equal(body.totalEvents, total);
        assert.equal(body.buckets.length, buckets);
        assert.deepEqual([body.buckets[0]?.startSeq, body.buckets.at(-1)?.endSeq], [startSeq, endSeq]);
        body.buckets.slice(1).forEach((bucket, i) => assert.equal(bucket.startSeq, (body.buckets[i]?.endSeq ?? 0) + 1));
        for (const bucket of body.buckets) checkBucket(bucket);
      }
      const body = await request<TimelineResponseBody>('timeline', { buckets: 7 });
      // From the program's logic: check(3) raises once; the add line runs for n = 1, 2, 4, 5; frames nest module → run → check.
      assert.equal(body.buckets.reduce((sum, bucket) => sum + bucket.exceptions, 0), 1);
      assert.equal(body.buckets.reduce((sum, bucket) => sum + bucket.breakpointHits, 0), 4);
      assert.equal(Math.max(...body.buckets.map((bucket) => bucket.maxDepth)), 2);
    });

    it('timeline over one invocation of a loop: that function is the whole bucket', async () => {
      await launch();
      const module = (await request<CallTreeResponseBody>('callTree')).calls[0];
      const spin = (await request<CallTreeResponseBody>('callTree', { invocation: module?.invocation })).calls[0];
      assert.equal(spin?.qualname, 'spin');
      const body = await request<TimelineResponseBody>('timeline', { buckets: 1, startSeq: spin?.firstSeq, endSeq: spin?.lastSeq });
      assert.deepEqual(body.buckets, [{
        startSeq: spin?.firstSeq, endSeq: spin?.lastSeq, maxDepth: 1, exceptions: 0, breakpointHits: 0,
        dominant: { name: 'spin', qualname: 'spin', path: dapFixture('inspect'), line: line('spin'), events: (spin?.lastSeq ?? 0) - (spin?.firstSeq ?? 0) + 1 },
      }]);
      const few = await request<TimelineResponseBody>('timeline', { buckets: 100, startSeq: 3, endSeq: 5 });
      assert.deepEqual(few.buckets.map((bucket) => [bucket.startSeq, bucket.endSeq]), [[3, 3], [4, 4], [5, 5]]);
      assert.match(await failure(request('timeline', { buckets: 0 })), /'buckets' must be an integer from 1 to 10000/);
      assert.match(await failure(request('timeline', { startSeq: 9, endSeq: 4 })), /'endSeq' \(4\) is before 'startSeq' \(9\)/);
      assert.match(await failure(request('timeline', { endSeq: body.totalEvents + 1 })), /'endSeq' must be an event number from 1 to \d+/);
    });

    it('callTree: roots, children in order with how each ended, child counts and paging', async () => {
      await launch();
      const roots = await request<CallTreeResponseBody>('callTree');
      assert.equal(roots.total, 1);
      const module = roots.calls[0];
      assert.deepEqual([module?.qualname, module?.path, module?.line, module?.firstSeq, module?.end, module?.children, module?.threadId],
        ['<module>', dapFixture('inspect'), 1, 1, 'return', 4, 1]);
      const top = await request<CallTreeResponseBody>('callTree', { invocation: module?.invocation });
      assert.deepEqual(top.calls.map((call) => call.qualname), ['spin', 'run', 'values', 'spin']);
      const run = top.calls[1];
      assert.deepEqual([run?.line, run?.children], [line('total') - 1, 9]);
      // n = 1..5: check(n) each time, square(n) unless check(3) raised.
      const calls = await request<CallTreeResponseBody>('callTree', { invocation: run?.invocation });
      assert.deepEqual(calls.calls.map((call) => `${call.qualname}:${call.end}`), [
        'check:return', 'square:return', 'check:return', 'square:return', 'check:exception',
        'check:return', 'square:return', 'check:return', 'square:return']);
      assert.ok(calls.calls.every((call, i) => call.children === 0 && (call.lastSeq ?? 0) > call.firstSeq
        && (i === 0 || call.firstSeq > (calls.calls[i - 1]?.lastSeq ?? 0))));
      const page = await request<CallTreeResponseBody>('callTree', { invocation: run?.invocation, start: 4, count: 2 });
      assert.equal(page.total, 9);
      assert.deepEqual(page.calls, calls.calls.slice(4, 6));
      assert.match(await failure(request('callTree', { invocation: 999_999 })), /no invocation 999999/);
    });

    it('valueHistory: a local and a global seen from a frame, by invocation too, paged', async () => {
      await launch([{ line: line('add') }], { stopOnEntry: false });
      const frame = await topFrame(dap.client, 1);
      const total = await request<ValueHistoryResponseBody>('valueHistory', { frameId: frame.id, name: 'total' });
      // total = 0, then + square(n) for n = 1, 2, 4, 5.
      assert.deepEqual(total.changes.map((change) => [change.value, change.type, change.line]),
        [['0', 'int', line('total')], ['1', 'int', line('add')], ['5', 'int', line('add')], ['21', 'int', line('add')], ['46', 'int', line('add')]]);
      assert.deepEqual([total.total, total.scope], [5, 'local']);
      const seqs = total.changes.map((change) => change.seq);
      assert.ok(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? 0)));
      const page = await request<ValueHistoryResponseBody>('valueHistory', { invocation: total.invocation, name: 'total', start: 1, count: 2 });
      assert.deepEqual([page.changes.map((change) => change.value), page.total], [['1', '5'], 5]);
      const n = await request<ValueHistoryResponseBody>('valueHistory', { frameId: frame.id, name: 'n' });
      assert.deepEqual(n.changes.map((change) => change.value), ['1', '2', '3', '4', '5']);
      const result = await request<ValueHistoryResponseBody>('valueHistory', { frameId: frame.id, name: 'result' });
      assert.deepEqual([result.scope, result.changes.map((change) => [change.value, change.line])], ['global', [['46', line('result')]]]);
      assert.notEqual(result.invocation, total.invocation);
      assert.match(await failure(request('valueHistory', { frameId: frame.id, name: 'nothing' })), /'nothing' is not a recorded variable/);
      assert.match(await failure(request('valueHistory', { name: 'total' })), /give 'frameId' or 'invocation'/);
    });

    it('positionInfo: seq, total, time and thread, exact at a frame exit', async () => {
      const entry = await launch([{ line: line('square') }]);
      const oracle = trace as Trace;
      const first = await request<PositionInfoResponseBody>('positionInfo');
      // Event 1 is the module's CALL; the first line comes next and has no time of its own.
      assert.deepEqual(first, {
        seq: 2, totalEvents: oracle.lastSeq(), timeNs: oracle.event(1)?.t, timeExact: false, threadId: entry.threadId,
        threadName: 'MainThread', status: 'complete', statusReason: 'the program exited with code 0',
      });
      await move(dap.client, 'continue', 1);
      await move(dap.client, 'next', 1);
      const exit = await request<PositionInfoResponseBody>('positionInfo');
      assert.equal(oracle.event(exit.seq)?.kind, EventKind.Return);
      assert.deepEqual([exit.timeNs, exit.timeExact], [oracle.event(exit.seq)?.t, true]);
      // Deep inside the second spin's loop only line events ran since its call: that call's time, found blocks back.
      const module = (await request<CallTreeResponseBody>('callTree')).calls[0];
      const spin = (await request<CallTreeResponseBody>('callTree', { invocation: module?.invocation })).calls[3];
      const target = (spin?.firstSeq ?? 0) + 1500;
      assert.ok(target < (spin?.lastSeq ?? 0));
      const moved = dap.client.waitForEvent('stopped');
      await dap.client.evaluateRequest({ expression: `:goto ${target}`, context: 'repl' });
      await moved;
      const inLoop = await request<PositionInfoResponseBody>('positionInfo');
      assert.equal(inLoop.seq, target);
      assert.deepEqual([inLoop.timeNs, inLoop.timeExact], [oracle.event(spin?.firstSeq ?? 0)?.t, false]);
      assert.ok(oracle.events(spin?.firstSeq ?? 0, target).slice(1).every((event) => event.t === null));
    });

    it('a truncated trace says so: an important output at start, and positionInfo', async () => {
      const output = new Promise<DebugProtocol.OutputEvent['body']>((resolve) => {
        dap.client.on('output', (event: DebugProtocol.OutputEvent) => { if (event.body.category === 'important') resolve(event.body); });
      });
      await launch([], { maxEvents: 30 });
      assert.match((await output).output, /this trace is truncated \(recording stopped at --max-events 30;/);
      const info = await request<PositionInfoResponseBody>('positionInfo');
      assert.deepEqual([info.status, info.totalEvents], ['truncated', 30]);
      assert.match(info.statusReason ?? '', /^recording stopped at --max-events 30/);
    });

    it('an incomplete trace (its writer died) says so, and is finished on open: timeline blocks rebuilt', async () => {
      await launch();
      const file = (trace as Trace).path;
      const module = (await request<CallTreeResponseBody>('callTree')).calls[0];
      const spin = (await request<CallTreeResponseBody>('callTree', { invocation: module?.invocation })).calls[3];
      trace?.close();
      trace = undefined;
      await dap.stop();
      await editDatabase(file, `UPDATE meta SET value = 'recording' WHERE key = 'status';
        UPDATE meta SET value = ${deadPid()} WHERE key = 'writer_pid'; DELETE FROM meta WHERE key = 'end_reason'; DELETE FROM chunk_stats;`);
      dap = await startDap(transport);
      const output = new Promise<DebugProtocol.OutputEvent['body']>((resolve) => {
        dap.client.on('output', (event: DebugProtocol.OutputEvent) => { if (event.body.category === 'important') resolve(event.body); });
      });
      await dap.client.initializeRequest();
      const stopped = dap.client.waitForEvent('stopped');
      await Promise.all([dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
        dap.client.attachRequest({ trace: file } as DebugProtocol.AttachRequestArguments)]);
      await stopped;
      assert.equal((await output).output, `hindsight: this trace is incomplete (${WRITER_DIED_REASON}); it ends at its last recorded event.\n`);
      const info = await request<PositionInfoResponseBody>('positionInfo');
      assert.deepEqual([info.status, info.statusReason], ['incomplete', WRITER_DIED_REASON]);
      const body = await request<TimelineResponseBody>('timeline', { buckets: 1, startSeq: spin?.firstSeq, endSeq: spin?.lastSeq });
      assert.deepEqual([body.buckets[0]?.dominant.qualname, body.buckets[0]?.dominant.events], ['spin', (spin?.lastSeq ?? 0) - (spin?.firstSeq ?? 0) + 1]);
    });

    it('shows the return value and the exception at a frame exit', async () => {
      await launch([{ line: line('square'), hitCondition: '2' }, { line: line('raise') }], { stopOnEntry: false });
      await move(dap.client, 'next', 1);
      const exit = await topFrame(dap.client, 1);
      assert.deepEqual([exit.name, exit.line], ['square', line('square')]);
      assert.deepEqual(await variables(dap.client, await scopeOf(dap.client, exit.id)), [['Return value', '4', 'int'], ['n', '2', 'int']]);
      await move(dap.client, 'continue', 1);
      await move(dap.client, 'next', 1);
      const unwind = await topFrame(dap.client, 1);
      assert.deepEqual([unwind.name, unwind.line], ['check', line('raise')]);
      assert.deepEqual(await variables(dap.client, await scopeOf(dap.client, unwind.id)),
        [['Exception', 'ValueError: three', 'ValueError'], ['n', '3', 'int']]);
    });

    it('pages a 10,000-item list and marks what the caps cut: items, depth and a long string', async () => {
      await launch([{ line: line('values') }], { stopOnEntry: false });
      const caps = (trace as Trace).meta();
      const cap = (key: string): number => {
        const value = Number(caps.get(key));
        assert.ok(Number.isInteger(value) && value > 0, `meta ${key} is a cap`);
        return value;
      };
      const [maxItems, maxDepth, maxString] = [cap('value_max_items'), cap('value_max_depth'), cap('value_max_string')];
      const locals = await dap.client.variablesRequest({ variablesReference: await scopeOf(dap.client, (await topFrame(dap.client, 1)).id) });
      const named = (name: string) => {
        const found = locals.body.variables.find((variable) => variable.name === name);
        if (!found) throw new Error(`no local ${name}`);
        return found;
      };
      const big = named('big');
      const shown = Array.from({ length: maxItems }, (_, i) => String(i));
      assert.deepEqual([big.type, big.value, big.indexedVariables, big.namedVariables],
        ['list', `[${shown.join(', ')}, … (truncated, 10000 items)]`, maxItems, 1]);
      const tail = await dap.client.variablesRequest({ variablesReference: big.variablesReference, start: maxItems - 2, count: 3 });
      assert.deepEqual(tail.body.variables.map((variable) => [variable.name, variable.value]),
        [[String(maxItems - 2), String(maxItems - 2)], [String(maxItems - 1), String(maxItems - 1)], ['(truncated)', `${maxItems} of 10000 items recorded (the recorder's cap)`]]);
      const indexed = await dap.client.variablesRequest({ variablesReference: big.variablesReference, filter: 'indexed', start: 10, count: 2 });
      assert.deepEqual(indexed.body.variables.map((variable) => variable.value), ['10', '11']);

      const text = named('text');
      assert.deepEqual([text.type, text.value, text.variablesReference], ['str', `'${'x'.repeat(maxString)}'… (truncated, 10000 characters)`, 0]);

      // deep = {"a": {"b": {"c": {"d": {"e": 1}}}}}: dicts below the depth cap keep only their size.
      let node = named('deep');
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (const key of keys.slice(0, maxDepth)) {
        assert.equal(node.namedVariables, 1);
        const children = await dap.client.variablesRequest({ variablesReference: node.variablesReference });
        assert.deepEqual(children.body.variables.map((variable) => variable.name), [`'${key}'`]);
        node = children.body.variables[0] as DebugProtocol.Variable;
      }
      assert.deepEqual([node.value, node.type, node.namedVariables], ['{… 1 item}', 'dict', 1]);
      const cut = await dap.client.variablesRequest({ variablesReference: node.variablesReference });
      assert.deepEqual(cut.body.variables.map((variable) => [variable.name, variable.value]), [['(truncated)', "1 item not recorded (the recorder's depth cap)"]]);
    });

    it('loadedSources lists the recorded files, read from disk while they match it', async () => {
      await launch();
      const body = (await dap.client.customRequest('loadedSources')).body as DebugProtocol.LoadedSourcesResponse['body'];
      assert.deepEqual(body.sources.map((source) => [source.path, source.sourceReference ?? 0]), [[dapFixture('inspect'), 0]]);
    });

    it('serves stack frames and sources from the trace once the file changed or is gone; not for CRLF text that matches', async () => {
      const dir = freshDir('dap-sources');
      const program = path.join(dir, 'prog.py');
      const original = fs.readFileSync(dapFixture('loop'), 'utf8');
      fs.writeFileSync(program, original);
      const file = path.join(dir, 'prog.trace.db');
      await launchTo(dap.client, 'loop', [], { program, trace: file });
      await dap.stop();

      const attachTo = async (): Promise<DebugProtocol.StackFrame> => {
        dap = await startDap(transport);
        await dap.client.initializeRequest();
        const stopped = dap.client.waitForEvent('stopped');
        await Promise.all([dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
          dap.client.attachRequest({ trace: file } as DebugProtocol.AttachRequestArguments)]);
        await stopped;
        return topFrame(dap.client, 1);
      };
      const servedFromTrace = async (frame: DebugProtocol.StackFrame) => {
        assert.equal(frame.source?.path, program);
        const reference = frame.source?.sourceReference ?? 0;
        assert.ok(reference > 0, 'the frame names the recorded text');
        const loaded = (await dap.client.customRequest('loadedSources')).body as DebugProtocol.LoadedSourcesResponse['body'];
        assert.deepEqual(loaded.sources.map((source) => [source.path, source.sourceReference]), [[program, reference]]);
        assert.equal((await dap.client.sourceRequest({ source: frame.source, sourceReference: reference })).body.content, original);
      };

      fs.writeFileSync(program, `${original}# edited after the recording\n`);
      await servedFromTrace(await attachTo());
      await dap.stop();
      fs.rmSync(program);
      await servedFromTrace(await attachTo());
      await dap.stop();
      // The recorder reads source as Python does (universal newlines), so the same text with CRLF still matches the disk.
      fs.writeFileSync(program, original.replace(/\n/g, '\r\n'));
      const frame = await attachTo();
      assert.deepEqual([frame.source?.path, frame.source?.sourceReference ?? 0], [program, 0]);
      assert.match(await failure(dap.client.sourceRequest({ source: { path: path.join(dir, 'other.py') }, sourceReference: 0 })), /holds no text for .*other\.py/);
    });
  });
}

async function scopeOf(client: DebugClient, frameId: number): Promise<number> {
  const scopes = (await client.scopesRequest({ frameId })).body.scopes;
  return scopes.find((scope) => scope.name === 'Locals')?.variablesReference ?? 0;
}

async function variables(client: DebugClient, reference: number): Promise<string[][]> {
  return (await client.variablesRequest({ variablesReference: reference })).body.variables.map((variable) => [variable.name, variable.value, variable.type ?? '']);
}
