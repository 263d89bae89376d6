// Reader: the lifecycle on open. A trace left 'recording' by a dead writer is finished (finish.sql)
// and marked 'incomplete' in the file; a live writer's trace is left alone. Also a real kill -9.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINISH_SQL } from '../protocol/schema';
import { availableBackends, Trace, WRITER_DIED_REASON } from '../protocol/reader';
import { deadPid, editDatabase, queryDatabase } from './support/sqlite';
import { copyOfRecording, fixture, forEachBackend, freshDir, recording, REPO } from './support/recordings';

const FINISH_INDEXES = [...FINISH_SQL.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)].map((match) => match[1] ?? '');

/** Turns a finished trace back into what a writer that died mid-run leaves: no finish.sql work at all. */
function unfinish(writerPid: number): string {
  return `
    UPDATE meta SET value = 'recording' WHERE key = 'status';
    UPDATE meta SET value = ${writerPid} WHERE key = 'writer_pid';
    DELETE FROM meta WHERE key IN ('end_reason', 'ended_at', 'exit_code', 'exit_signal');
    ${FINISH_INDEXES.map((index) => `DROP INDEX ${index};`).join('\n')}
    UPDATE invocation SET last_seq = NULL, end_kind = NULL, t_start = NULL, t_end = NULL;
    UPDATE exception SET caught_seq = NULL, escaped_seq = NULL, uncaught = 0;
    DELETE FROM code_stats;
    DELETE FROM line_stats;
    DELETE FROM chunk_stats;`;
}

async function indexesOf(file: string): Promise<string[]> {
  const rows = await queryDatabase(file, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return rows.map((row) => String(row.name));
}

/** Everything finish.sql derives, for comparing a recovered trace with the original. */
function derived(trace: Trace) {
  const file = trace.files()[0]?.id ?? 0;
  const codes = trace.codesIn(file);
  return {
    invocations: codes.flatMap((code) => trace.invocationsOf(code.id)),
    codeStats: trace.codeStats(file),
    lineStats: trace.lineStats(file),
    exceptions: trace.exceptions(),
  };
}

forEachBackend('lifecycle', (open) => {
  it('finishes a trace whose writer died, once and in the file', async () => {
    const original = await open(recording('exceptions'));
    const trace = copyOfRecording('exceptions', 'writer-died');
    await editDatabase(trace, unfinish(deadPid()));
    fs.chmodSync(trace, 0o600);
    assert.deepEqual(await indexesOf(trace), []);
    const recovered = await open(trace);
    const summary = recovered.summary();
    assert.deepEqual([summary.status, summary.endReason], ['incomplete', WRITER_DIED_REASON]);
    assert.deepEqual(derived(recovered), derived(original));
    recovered.close();
    original.close();
    assert.deepEqual(await indexesOf(trace), [...FINISH_INDEXES].sort());
    const [status] = await queryDatabase(trace, "SELECT value FROM meta WHERE key = 'status'");
    assert.equal(status?.value, 'incomplete');
    assert.equal(fs.statSync(trace).mode & 0o777, 0o600, 'still user-only');
    assert.deepEqual(fs.readdirSync(path.dirname(trace)), [path.basename(trace)], 'no temporary files left');
  });

  it('leaves a live writer’s trace as it is', async () => {
    const trace = copyOfRecording('loop', 'writer-alive');
    await editDatabase(trace, unfinish(process.pid));
    const reader = await open(trace);
    assert.equal(reader.summary().status, 'recording');
    assert.equal(reader.lastSeq(), reader.summary().events);
    reader.close();
    assert.deepEqual(await indexesOf(trace), []);
  });
});

describe('a recorder killed with kill -9', () => {
  it('leaves a trace every backend opens as incomplete, with what was flushed', async () => {
    const dir = freshDir('kill9');
    const trace = path.join(dir, 'killed.trace.db');
    const recorder = spawn('python3', [path.join(REPO, 'native', 'hindsight_recorder'), 'record', '--trace', trace, '--', fixture('runs_forever')],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const debuggeePid = await new Promise<number>((resolve, reject) => {
      let out = '';
      recorder.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /ready (\d+)/.exec(out);
        if (ready) resolve(Number(ready[1]));
      });
      recorder.once('exit', () => reject(new Error(`the recorder exited early: ${out}`)));
    });
    try {
      await waitFor(async () => Number((await queryDatabase(trace, 'SELECT count(*) AS n FROM event'))[0]?.n) > 2000);
    } finally {
      recorder.kill('SIGKILL');
      process.kill(debuggeePid, 'SIGKILL');
    }
    await new Promise((resolve) => recorder.once('exit', resolve));
    for (const backend of availableBackends()) {
      const copy = path.join(freshDir(`kill9-${backend}`), 'killed.trace.db');
      fs.copyFileSync(trace, copy);
      if (fs.existsSync(`${trace}-journal`)) fs.copyFileSync(`${trace}-journal`, `${copy}-journal`);
      const reader = await Trace.open(copy, { backend });
      const summary = reader.summary();
      assert.deepEqual([summary.status, summary.endReason], ['incomplete', WRITER_DIED_REASON], backend);
      assert.ok(summary.events > 2000, `${backend}: ${summary.events} events`);
      assert.equal(reader.events(1, summary.events).length, summary.events, `${backend}: seq is dense`);
      const module = reader.invocation(1);
      assert.equal(module?.endKind, null, `${backend}: the module was still running`);
      reader.close();
      assert.deepEqual(await indexesOf(copy), [...FINISH_INDEXES].sort(), backend);
    }
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch {
      // The writer may be mid-transaction; look again.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the recorder flushed no events within 30 s');
}
