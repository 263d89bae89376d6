// Reader: a hot rollback journal left by a writer that died mid-transaction. node:sqlite rolls it back
// itself; for sql.js, protocol/reader/journal.ts must produce the very bytes SQLite's rollback does.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rollBackJournal } from '../protocol/reader/journal';
import { WRITER_DIED_REASON } from '../protocol/reader';
import { deadPid, editDatabase, leaveHotJournal, queryDatabase, rolledBackBySqlite } from './support/sqlite';
import { copyOfRecording, forEachBackend, freshDir, recording } from './support/recordings';

describe('rollback journal playback', () => {
  it('gives the bytes SQLite gives', () => {
    const trace = copyOfRecording('values', 'hot');
    const before = fs.readFileSync(trace);
    leaveHotJournal(trace);
    const changed = fs.readFileSync(trace);
    assert.notDeepEqual(changed, before, 'the dead transaction reached the file');
    const expected = rolledBackBySqlite(trace, path.join(freshDir('hot-sqlite'), 'copy.trace.db'));
    assert.deepEqual(Buffer.from(rollBackJournal(trace, changed, fs.readFileSync(`${trace}-journal`)) ?? []), expected);
  });

  it('ignores a journal that is not hot', () => {
    const db = fs.readFileSync(recording('loop'));
    assert.equal(rollBackJournal('x', db, new Uint8Array(0)), undefined);
    assert.equal(rollBackJournal('x', db, new Uint8Array(4096)), undefined, 'header zeroed: committed in PERSIST mode');
  });
});

forEachBackend('hot journal', (open) => {
  it('reads the last committed state, leaving the files alone for a live writer', async () => {
    const original = await open(recording('values'));
    const events = original.lastSeq();
    original.close();
    const trace = copyOfRecording('values', 'hot-live');
    await editDatabase(trace, `UPDATE meta SET value = 'recording' WHERE key = 'status'; UPDATE meta SET value = ${process.pid} WHERE key = 'writer_pid'`);
    leaveHotJournal(trace);
    const reader = await open(trace);
    assert.equal(reader.lastSeq(), events);
    assert.equal(reader.summary().status, 'recording');
    assert.ok(reader.outputUpTo(events).every((chunk) => !chunk.text.startsWith('bogus')));
    reader.close();
  });

  it('rolls back and finishes a dead writer’s trace on disk', async () => {
    const trace = copyOfRecording('values', 'hot-dead');
    // As a writer leaves it while recording: no end_reason yet (one it left would be kept).
    await editDatabase(trace, `UPDATE meta SET value = 'recording' WHERE key = 'status'; UPDATE meta SET value = ${deadPid()} WHERE key = 'writer_pid'; DELETE FROM meta WHERE key = 'end_reason'`);
    leaveHotJournal(trace);
    const reader = await open(trace);
    assert.deepEqual([reader.summary().status, reader.summary().endReason], ['incomplete', WRITER_DIED_REASON]);
    const events = reader.lastSeq();
    reader.close();
    assert.equal(fs.existsSync(`${trace}-journal`), false, 'the journal is gone');
    const [count] = await queryDatabase(trace, 'SELECT count(*) AS n, max(seq) AS last FROM event');
    assert.deepEqual([count?.n, count?.last], [events, events]);
    const [check] = await queryDatabase(trace, 'PRAGMA integrity_check');
    assert.equal(check?.integrity_check, 'ok');
  });
});
