// Recorder, secret redaction (native/hindsight_recorder/secrets.py): secrets redacted wherever they
// flow (environment, copies, returns, headers, URLs, messages, argv, output), and token-named non-secrets shown.
import { strict as assert } from 'node:assert';
import { pythons, pythonsWithMonitoring, type Python } from './support/pythons';
import { checkRecording, globalValue, prepare, record, recorderFixture, type RecordOptions } from './support/recorder';
import { TraceDb, type Value } from './support/traceDb';

const AWS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ARGS = ['--password=hunter2-long', '--token', 'tok-value-123', '-v'];
// A small environment of its own, so that os.environ is recorded whole (under value_max_items).
const FLOWS: RecordOptions = { env: { PATH: process.env.PATH ?? '', AWS_SECRET_ACCESS_KEY: AWS_KEY, SHOWN_SETTING: 'visible' } };
const OPEN: RecordOptions = { ...FLOWS, options: ['--no-redact'] };
const COUNTS: RecordOptions = { options: ['--redact', '*count*'] };
const LEAKS = ['wJalrX', 'hunter2', 's3cr3t', 'abc123DEF', 'tok-value', 'AKIAABCD', 'ghp_a1', 'xoxb-', 'sk_live', 'eyJ', 'MIIB'];

/** 3.11 (settrace) and the newest sys.monitoring Python. */
function under(): Python[] {
  return [pythons()[0], pythonsWithMonitoring().at(-1)].filter((python): python is Python => python !== undefined);
}

function check(python: Python, script: string, options: RecordOptions, body: (db: TraceDb) => void): Promise<void> {
  return checkRecording(python, { script, args: script === 'secret_flows' ? ARGS : [] }, options, body);
}

/** The value of a function's variable in its first invocation. */
function local(db: TraceDb, qualname: string, name: string): Value {
  return db.last(Number(db.invocations(qualname)[0]?.id), name);
}

/** A seq/map/obj node with its id replaced by 0, to compare with a literal. */
function withoutIds(node: Value): Value {
  if (!Array.isArray(node)) return node;
  if (['seq', 'map', 'obj', 'exc', 'sub'].includes(node[0] as string) && typeof node[2] === 'number') {
    return [node[0], node[1], 0, ...node.slice(3).map(withoutIds)] as Value;
  }
  return node.map(withoutIds);
}

/** The [key, value] entries of a map node whose key is one of keys. */
function entries(node: Value, keys: Value[]): Value[] {
  assert.ok(Array.isArray(node) && node[0] === 'map', JSON.stringify(node));
  const text = keys.map((key) => JSON.stringify(key));
  return (node[4] as Value[][]).filter(([key]) => text.includes(JSON.stringify(key)));
}

describe('recorder: secrets', () => {
  before(() => prepare(under().flatMap((python) => [
    record(python, { script: 'secret_flows', args: ARGS }, FLOWS),
    record(python, { script: 'secret_flows', args: ARGS }, OPEN),
    record(python, { script: 'token_names', args: [] }, {}),
    record(python, { script: 'token_names', args: [] }, COUNTS),
  ])));

  for (const python of under()) {
    describe(`on Python ${python.version}`, () => {
      it('records os.environ and os.environb as maps of the environment, secret variables redacted', () =>
        check(python, 'secret_flows', FLOWS, (db) => {
          const env = globalValue(db, 'env');
          assert.deepEqual([(env as Value[])[0], (env as Value[])[1]], ['map', 'os._Environ']);
          assert.deepEqual(entries(env, ['AWS_SECRET_ACCESS_KEY', 'SHOWN_SETTING', 'PATH']),
            [['PATH', process.env.PATH ?? ''], ['AWS_SECRET_ACCESS_KEY', ['redacted']], ['SHOWN_SETTING', 'visible']]);
          const key = ['bytes', 'bytes', 'AWS_SECRET_ACCESS_KEY', 21];
          const shown = ['bytes', 'bytes', 'SHOWN_SETTING', 13];
          assert.deepEqual(entries(globalValue(db, 'envb'), [key, shown]), [[key, ['redacted']], [shown, ['bytes', 'bytes', 'visible', 7]]]);
        }));

      it('redacts a secret wherever it flows: copies, containers, f-strings, headers, URLs, returns', () =>
        check(python, 'secret_flows', FLOWS, (db) => {
          const names = ['aws', 'line', 'header_copy', 'dsn', 'from_url', 'loaded'];
          assert.deepEqual(names.map((name) => globalValue(db, name)), names.map(() => ['redacted']));
          assert.deepEqual(withoutIds(globalValue(db, 'copies')), ['seq', 'list', 0, 2, [['redacted'], 'plain']]);
          assert.deepEqual(withoutIds(globalValue(db, 'headers')),
            ['map', 'dict', 0, 2, [['Authorization', ['redacted']], ['Accept', 'text/html']]]);
          assert.deepEqual(withoutIds(globalValue(db, 'credentials')), ['map', 'dict', 0, 3,
            [['user', ['redacted']], ['keys', ['seq', 'list', 0, 2, [['redacted'], ['redacted']]]], ['retries', 3]]]);
          assert.deepEqual([local(db, 'load', 'password'), local(db, 'load', '<return>')], [['redacted'], ['redacted']]);
          assert.deepEqual(withoutIds(globalValue(db, 'formats')), ['seq', 'list', 0, 6, Array(6).fill(['redacted'])]);
        }));

      it('scrubs exception messages, output and the recorded argv, and leaves no secret in the trace', () =>
        check(python, 'secret_flows', FLOWS, (db) => {
          assert.equal(db.scalar('SELECT message FROM exception'), 'login failed for key <redacted>');
          assert.deepEqual(withoutIds(globalValue(db, 'caught')), ['exc', 'ValueError', 0, 1, [['args', ['seq', 'tuple', 0, 1, [['redacted']]]]]]);
          assert.equal(db.output(1), 'using <redacted> at postgres://ada:<redacted>@db.example/shop\ndone\n');
          assert.deepEqual(JSON.parse(String(db.meta('argv'))),
            [recorderFixture('secret_flows'), '--password=<redacted>', '--token', '<redacted>', '-v']);
          for (const leak of LEAKS) {
            const where = `SELECT (SELECT count(*) FROM value_change WHERE instr(CAST(value AS TEXT), ?1))
              + (SELECT count(*) FROM output WHERE instr(text, ?1)) + (SELECT count(*) FROM exception WHERE instr(message, ?1))
              + (SELECT count(*) FROM meta WHERE instr(CAST(value AS TEXT), ?1))`;
            assert.equal(db.scalar(where, leak), 0, leak);
          }
        }));

      it('records everything in clear with --no-redact', () =>
        check(python, 'secret_flows', OPEN, (db) => {
          assert.deepEqual([globalValue(db, 'aws'), globalValue(db, 'loaded'), globalValue(db, 'dsn')],
            [AWS_KEY, 'hunter2-long', 'postgres://ada:s3cr3t-pw@db.example/shop']);
          assert.equal(db.scalar('SELECT message FROM exception'), `login failed for key ${AWS_KEY}`);
          assert.equal(db.output(1), `using ${AWS_KEY} at postgres://ada:s3cr3t-pw@db.example/shop\ndone\n`);
          assert.deepEqual(JSON.parse(String(db.meta('argv'))), [recorderFixture('secret_flows'), ...ARGS]);
        }));

      it('shows what only a name calls a token: Token objects, a parse_token function, counts, look-alike text', () =>
        check(python, 'token_names', {}, (db) => {
          const alpha = ['obj', '__main__.Token', 0, 2, [['kind', 'NAME'], ['text', 'alpha']]];
          const beta = ['obj', '__main__.Token', 0, 2, [['kind', 'NAME'], ['text', 'beta']]];
          assert.deepEqual(withoutIds(globalValue(db, 'tokens')), ['seq', 'list', 0, 2, [alpha, beta]]);
          assert.deepEqual(withoutIds(globalValue(db, 'token')), alpha);
          assert.equal(globalValue(db, 'token_count'), 2);
          const parseToken = ['repr', 'function', '<function parse_token>'];
          assert.deepEqual([globalValue(db, 'parse_token'), globalValue(db, 'handler')], [parseToken, parseToken]);
          assert.deepEqual([local(db, 'parse_token', 'text'), withoutIds(local(db, 'parse_token', 'token'))], ['alpha', alpha]);
          assert.deepEqual(withoutIds(local(db, 'parse_token', '<return>')), alpha);
          assert.deepEqual([globalValue(db, 'prose'), globalValue(db, 'site')], ['Basic instructions for everyone', 'https://example.com/a:b@c']);
        }));

      it('redacts whatever a name given with --redact holds, a number too', () =>
        check(python, 'token_names', COUNTS, (db) => {
          assert.deepEqual(globalValue(db, 'token_count'), ['redacted']);
          assert.equal((withoutIds(globalValue(db, 'tokens')) as Value[])[3], 2, 'the default patterns still show the Token list');
        }));
    });
  }
});
