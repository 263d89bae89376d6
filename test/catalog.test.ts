// Reader: summary, files and source, code objects, exceptions, output and finish.sql's aggregates.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { OutputStream } from '../protocol/schema';
import { FixtureTrace } from './support/fixtureTrace';
import { fixture, forEachBackend, recording } from './support/recordings';

forEachBackend('summary and catalog', (open) => {
  it('summarises a complete run', async () => {
    const trace = await open(recording('recursion'));
    const summary = trace.summary();
    assert.equal(summary.status, 'complete');
    assert.equal(summary.endReason, 'the program exited with code 0');
    assert.equal(summary.program, fixture('recursion'));
    assert.deepEqual(summary.argv, [fixture('recursion')]);
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.exitSignal, null);
    assert.equal(summary.truncated, false);
    assert.deepEqual([summary.invocations, summary.exceptions, summary.uncaughtExceptions, summary.threads, summary.files], [6, 0, 0, 1, 1]);
    assert.ok(summary.pythonVersion?.match(/^3\.\d+\.\d+$/));
    assert.ok(summary.tracer === 'settrace' || summary.tracer === 'monitoring');
    assert.ok((summary.startedAt ?? 0) <= (summary.endedAt ?? 0));
    assert.equal(trace.meta().get('format'), 'hindsight-trace');
    trace.close();
  });

  it('keeps the source as recorded and lists code objects by first line', async () => {
    const trace = await open(recording('exceptions'));
    const file = trace.fileByPath(fixture('exceptions'));
    assert.ok(file);
    assert.deepEqual(trace.files().map((f) => f.path), [fixture('exceptions')]);
    assert.equal(trace.source(file.id), fs.readFileSync(fixture('exceptions'), 'utf8'));
    assert.deepEqual(trace.codesIn(file.id).map((code) => [code.qualname, code.kind, code.firstLine]), [
      ['<module>', 'module', 1], ['parse', 'function', 2], ['safe_parse', 'function', 6],
    ]);
    trace.close();
  });

  it('follows exceptions to where they were caught or escaped', async () => {
    const trace = await open(recording('exceptions'));
    const fx = new FixtureTrace(trace, 'exceptions');
    const [caught, escaped, ...rest] = trace.exceptions();
    assert.equal(rest.length, 0);
    assert.ok(caught && escaped);
    assert.deepEqual([caught.type, caught.message, caught.raisedLine, caught.uncaught, caught.escapedSeq],
      ['ValueError', "invalid literal for int() with base 10: 'x'", fx.line('raise'), false, null]);
    assert.equal(trace.event(caught.caughtSeq ?? 0)?.line, fx.line('except'));
    assert.equal(trace.code(trace.invocation(caught.raisedIn)?.code ?? 0)?.qualname, 'parse');
    assert.deepEqual([escaped.type, escaped.message, escaped.raisedLine, escaped.uncaught, escaped.caughtSeq],
      ['KeyError', "'missing'", fx.line('uncaught'), true, null]);
    assert.equal(escaped.escapedSeq, trace.lastSeq());
    assert.deepEqual(trace.exceptions({ offset: 1, limit: 5 }), [escaped]);
    assert.deepEqual(trace.exception(caught.id), caught);
    const summary = trace.summary();
    assert.deepEqual([summary.status, summary.exitCode, summary.exceptions, summary.uncaughtExceptions], ['complete', 1, 2, 1]);
    trace.close();
  });

  it('keeps program output in order with the seq that wrote it', async () => {
    const trace = await open(recording('exceptions'));
    const output = trace.outputUpTo(trace.lastSeq());
    assert.equal(output.filter((chunk) => chunk.stream === OutputStream.Stdout).map((chunk) => chunk.text).join(''), '12 -1\n');
    assert.ok(output.every((chunk, i) => i === 0 || chunk.seq >= (output[i - 1]?.seq ?? 0)));
    const firstSeq = output[0]?.seq ?? 0;
    assert.deepEqual(trace.outputUpTo(firstSeq - 1), []);
    assert.equal(trace.outputUpTo(trace.lastSeq(), { offset: 0, limit: 1 }).length, 1);
    trace.close();
  });

  it('aggregates calls, raises and line hits', async () => {
    const trace = await open(recording('exceptions'));
    const fx = new FixtureTrace(trace, 'exceptions');
    const stats = trace.codeStats(fx.file).map((s) => [s.code.qualname, s.calls, s.raised, s.firstRaised !== null]);
    assert.deepEqual(stats, [['<module>', 1, 1, true], ['parse', 2, 1, true], ['safe_parse', 2, 0, false]]);
    const parse = trace.codeStats(fx.file).find((s) => s.code.qualname === 'parse');
    assert.ok(parse && parse.maxNs > 0 && parse.totalNs >= parse.maxNs && parse.slowest !== null);
    const hits = new Map(trace.lineStats(fx.file).map((s) => [s.line, s.hits]));
    assert.equal(hits.get(fx.line('raise')), 2);
    assert.equal(hits.get(fx.line('handler')), 1);
    assert.equal(hits.get(fx.line('uncaught')), 1);
    trace.close();
  });

  it('counts a generator consumed once as one call', async () => {
    const trace = await open(recording('generator'));
    const fx = new FixtureTrace(trace, 'generator');
    assert.deepEqual(trace.codeStats(fx.file).map((s) => [s.code.qualname, s.calls]), [['<module>', 1], ['squares', 1]]);
    assert.equal(new Map(trace.lineStats(fx.file).map((s) => [s.line, s.hits])).get(fx.line('consume')), 3);
    trace.close();
  });
});
