// Recorder, values as changes: hostile objects recorded by structure, caps, unicode, in-place
// mutation, attributes, globals set by functions, deletion and redaction — as rows, on every Python.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { pythons, type Python } from './support/pythons';
import { checkRecording, globalValue, marked, prepare, record, recorderFixture, runPlain, type RecordOptions } from './support/recorder';
import { TraceDb, type Value } from './support/traceDb';

const SCRIPTS = ['hostile', 'big_values', 'unicode_names', 'mutations', 'module_comprehension', 'secrets', 'subclasses'];
const REDACTION: RecordOptions[] = [{ options: ['--no-redact'] }, { options: ['--redact', '*user*'] }];

/** Records a fixture and runs body on its trace (support/recorder's checkRecording). */
function check(python: Python, script: string, options: RecordOptions, body: (db: TraceDb) => void): Promise<void> {
  return checkRecording(python, { script }, options, body);
}

/** How many value nodes a value holds (the unit of value_max_nodes): itself, items, keys and values, attributes. */
function nodeCount(node: Value): number {
  if (!Array.isArray(node)) return 1;
  const children = node[4];
  if ((node[0] !== 'seq' && node[0] !== 'map' && node[0] !== 'obj') || !Array.isArray(children)) return 1;
  if (node[0] === 'seq') return 1 + children.reduce<number>((sum, item) => sum + nodeCount(item), 0);
  const pairs = children as Value[][];
  const keys = node[0] === 'map' ? pairs.reduce<number>((sum, [key]) => sum + nodeCount(key ?? null), 0) : 0;
  return 1 + keys + pairs.reduce<number>((sum, [, value]) => sum + nodeCount(value ?? null), 0);
}

/** The object id of a seq/map/obj/deep/cycle node. */
function idOf(node: Value): number {
  assert.ok(Array.isArray(node) && typeof node[2] === 'number', `a node with an id: ${JSON.stringify(node)}`);
  return node[2] as number;
}

/** node with every object id (of seq, map, obj, exc, sub, cycle, deep nodes) made 0. */
function withoutIds(node: Value): Value {
  if (!Array.isArray(node)) return node;
  if (['seq', 'map', 'obj', 'exc', 'sub', 'cycle', 'deep'].includes(node[0] as string) && typeof node[2] === 'number') {
    return [node[0], node[1], 0, ...node.slice(3).map(withoutIds)] as Value;
  }
  return node.map(withoutIds);
}

describe('recorder: values', () => {
  before(() => prepare(pythons().flatMap((python) => [
    ...SCRIPTS.map((script) => record(python, { script })),
    ...REDACTION.map((options) => record(python, { script: 'secrets' }, options)),
    runPlain(python, { script: 'hostile' }),
  ])));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it('records hostile objects by their attributes without running their methods', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'hostile' }), runPlain(python, { script: 'hostile' })]);
        assert.equal(recorded.stdout.toString(), 'calls: []\n', 'no __repr__, __eq__, __getattribute__ or property ran');
        assert.deepEqual([recorded.status, recorded.stdout, recorded.stderr], [plain.status, plain.stdout, plain.stderr]);
        await check(python, 'hostile', {}, (db) => {
          const raising = globalValue(db, 'raising');
          const looping = globalValue(db, 'looping');
          const hostile = globalValue(db, 'hostile');
          assert.deepEqual(raising, ['obj', '__main__.RaisingRepr', idOf(raising), 1, [['label', 'raises']]]);
          assert.deepEqual(looping, ['obj', '__main__.LoopingRepr', idOf(looping), 1, [['label', 'loops']]]);
          assert.deepEqual(hostile, ['obj', '__main__.HostileAttributes', idOf(hostile), 1, [['label', 'hostile']]]);
          const prop = globalValue(db, 'prop');
          assert.deepEqual(prop, ['obj', '__main__.HostileProperty', idOf(prop), 0, []]);
          const together = globalValue(db, 'together');
          assert.deepEqual(together, ['seq', 'list', idOf(together), 3, [raising, looping, hostile]]);
          const calls = globalValue(db, 'calls');
          assert.deepEqual(calls, ['seq', 'list', idOf(calls), 0, []]);
        });
      });

      it('records subclasses of builtins by value and attributes, and builtin exceptions, running none of their methods', async () => {
        const [recorded, plain] = await Promise.all([record(python, { script: 'subclasses' }), runPlain(python, { script: 'subclasses' })]);
        assert.equal(recorded.stdout.toString(), 'calls: []\n', 'no override of the subclasses ran');
        assert.deepEqual([recorded.status, recorded.stdout, recorded.stderr], [plain.status, plain.stdout, plain.stderr]);
        await check(python, 'subclasses', {}, (db) => {
          const value = (name: string) => withoutIds(globalValue(db, name));
          assert.deepEqual(value('symbol'), ['sub', '__main__.Symbol', 0, 'n', 0, []]);
          assert.deepEqual(value('tagged'), ['sub', '__main__.Symbol', 0, 'lambda', 1, [['line', 3]]]);
          assert.deepEqual(value('count'), ['sub', '__main__.HostileInt', 0, 7, 0, []]);
          assert.deepEqual(value('ratio'), ['sub', '__main__.HostileFloat', 0, ['float', '2.5'], 0, []]);
          assert.deepEqual(value('text'), ['sub', '__main__.HostileStr', 0, "quote ' here", 0, []]);
          assert.deepEqual(value('raw'), ['sub', '__main__.HostileBytes', 0, ['bytes', 'bytes', '\x00ab', 3], 0, []]);
          assert.deepEqual(value('buffer'), ['sub', '__main__.HostileBytearray', 0, ['bytes', 'bytearray', 'xy', 2], 0, []]);
          assert.deepEqual(value('env'), ['map', '__main__.HostileDict', 0, 1, [['a', 1]], 1, [['outer', null]]]);
          assert.deepEqual(value('scope'), ['map', '__main__.Env', 0, 1, [['x', 1]], 1,
            [['outer', ['map', '__main__.Env', 0, 1, [['y', 2]], 1, [['outer', null]]]]]]);
          assert.deepEqual(value('path'), ['seq', '__main__.Path', 0, 2, [1, 2], 1, [['name', 'p']]]);
          assert.deepEqual(value('bad'), ['exc', 'ValueError', 0, 1, [['args', ['seq', 'tuple', 0, 1, ['bad 2']]]]]);
          assert.deepEqual(value('empty'), ['exc', 'ValueError', 0, 1, [['args', ['seq', 'tuple', 0, 0, []]]]]);
          assert.deepEqual(value('pair'), ['exc', 'KeyError', 0, 1, [['args', ['seq', 'tuple', 0, 2, ['k', 2]]]]]);
          assert.deepEqual(value('nested'), ['exc', 'ValueError', 0, 1, [['args', ['seq', 'tuple', 0, 1, [['sub', '__main__.Symbol', 0, 'n', 0, []]]]]]]);
          assert.deepEqual(value('token'), ['sub', '__main__.Symbol', 0, ['redacted'], 0, []]);
        });
      });

      it('respects the caps on depth, items, string length and nodes, and says so', () =>
        check(python, 'big_values', {}, (db) => {
          const cap = (key: string) => Number(db.meta(`value_max_${key}`));
          const [depth, items, length, nodes] = [cap('depth'), cap('items'), cap('string'), cap('nodes')];
          assert.deepEqual([depth, items, length, nodes], [3, 100, 4096, 1000], 'the caps launcher.py passes, in meta');
          const many = globalValue(db, 'many');
          assert.deepEqual(many, ['seq', 'list', idOf(many), 1000, Array.from({ length: items }, (_, i) => i)]);
          let nested = globalValue(db, 'nested');
          for (let level = 0; level < depth; level++) {
            assert.ok(Array.isArray(nested) && nested[0] === 'seq' && nested[3] === 1, `level ${level} is expanded`);
            nested = (nested[4] as Value[])[0] as Value;
          }
          assert.deepEqual(nested, ['deep', 'list', idOf(nested), 1], `a list at depth ${depth} is not expanded`);
          assert.deepEqual(globalValue(db, 'long_text'), ['str', 'x'.repeat(length), 5000]);
          const wide = globalValue(db, 'wide');
          assert.deepEqual(wide, ['map', 'dict', idOf(wide), 150, Array.from({ length: items }, (_, i) => [String(i), i])]);
          const grid = globalValue(db, 'grid') as Value[];
          const rows = grid[4] as Value[][];
          assert.deepEqual([grid[0], grid[3], rows.length], ['seq', 100, 100]);
          const expanded = rows.filter((row) => row[0] === 'seq');
          assert.ok(expanded.length > 0 && expanded.length < 100, `the node budget cut the grid: ${expanded.length} rows expanded`);
          assert.deepEqual(rows.slice(0, expanded.length).map((row) => row.slice(3)), expanded.map(() => [20, Array.from({ length: 20 }, (_, i) => i)]));
          assert.deepEqual(rows.slice(expanded.length).map((row) => [row[0], row[3]]), rows.slice(expanded.length).map(() => ['deep', 20]));
          assert.ok(nodeCount(grid) <= nodes, `${nodeCount(grid)} nodes, no more than value_max_nodes`);
        }));

      it('records unicode names and values exactly, lone surrogates included', () =>
        check(python, 'unicode_names', {}, (db) => {
          assert.equal(globalValue(db, 'café'), 'crème brûlée');
          assert.equal(globalValue(db, 'emoji'), 'snake 🐍 and family 👨‍👩‍👧');
          assert.equal(globalValue(db, 'lone'), 'a\ud800b');
          const module = Number(db.moduleInvocation().id);
          assert.equal(db.scalar(
            `SELECT typeof(c.value) FROM value_change c JOIN variable v ON v.id = c.variable WHERE c.invocation = ? AND v.name = 'lone'`,
            module), 'blob', 'a str with a lone surrogate is a JSON node (UTF-8 TEXT cannot hold it)');
          const nested = globalValue(db, 'nested') as Value[];
          const list = ((nested[4] as Value[])[0] as Value[])[1] as Value;
          assert.deepEqual(nested, ['map', 'dict', idOf(nested), 1, [['clé', ['seq', 'list', idOf(list), 2, ['🐍', '\udfff']]]]]);
          const file = db.rows('SELECT source, sha256 FROM file WHERE path = ?', recorderFixture('unicode_names'))[0];
          const source = fs.readFileSync(recorderFixture('unicode_names'), 'utf8');
          assert.deepEqual([file?.source, file?.sha256], [source, createHash('sha256').update(source, 'utf8').digest('hex')]);
        }));

      it('records a list appended to in place as one change per append', () =>
        check(python, 'mutations', {}, (db) => {
          const xs = db.history(Number(db.moduleInvocation().id), 'xs');
          const id = idOf(xs[0] ?? null);
          assert.deepEqual(xs, [['seq', 'list', id, 0, []], ['seq', 'list', id, 1, [0]], ['seq', 'list', id, 2, [0, 10]], ['seq', 'list', id, 3, [0, 10, 20]]]);
          const appends = db.rows('SELECT seq FROM event WHERE kind = 0 AND line = ? ORDER BY seq', marked('mutations', 'append'));
          const changes = db.changes(Number(db.moduleInvocation().id), 'xs').slice(1);
          assert.deepEqual(changes.map((change) => change.seq), appends.map((append) => Number(append.seq) + 1),
            'each append is seen at the event right after its line');
        }));

      it('records an attribute set on an object as a change of its variable', () =>
        check(python, 'mutations', {}, (db) => {
          const box = db.changes(Number(db.moduleInvocation().id), 'box');
          const id = idOf(box[0]?.value ?? null);
          assert.deepEqual(box.map((change) => change.value), [['obj', '__main__.Box', id, 0, []], ['obj', '__main__.Box', id, 1, [['size', 5]]]]);
          assert.equal(box[1]?.line, marked('mutations', 'setattr') + 1, 'seen at the line after the assignment');
        }));

      it('records a global changed inside a function under the module invocation', () =>
        check(python, 'mutations', {}, (db) => {
          const module = Number(db.moduleInvocation().id);
          const counter = db.changes(module, 'counter');
          assert.deepEqual(counter.map((change) => change.value), [0, 1, 2]);
          const bumps = db.invocations('bump');
          const seenIn = counter.slice(1).map((change) => db.scalar('SELECT invocation FROM event WHERE seq = ?', change.seq));
          assert.deepEqual(seenIn, bumps.map((bump) => bump.id), 'each change is seen at an event of the bump() that made it');
          assert.deepEqual(db.rows("SELECT c.kind FROM variable v JOIN code c ON c.id = v.code WHERE v.name = 'counter'").map((row) => row.kind),
            ['module'], 'one variable, the module’s');
          assert.equal(db.rows("SELECT 1 FROM value_change c JOIN variable v ON v.id = c.variable WHERE v.name = 'counter' AND c.invocation != ?",
            module).length, 0);
        }));

      it('records `del x` as unbound', () =>
        check(python, 'mutations', {}, (db) => {
          const doomed = db.changes(Number(db.moduleInvocation().id), 'doomed');
          assert.deepEqual(doomed.map((change) => [change.line, change.value]),
            [[marked('mutations', 'del'), 'here'], [marked('mutations', 'end'), ['unbound']]]);
          assert.equal(db.output(1), '[0, 10, 20] 5 2\n');
        }));

      it('keeps module globals bound while a comprehension spanning lines runs in the module frame', () =>
        check(python, 'module_comprehension', {}, (db) => {
          const module = Number(db.moduleInvocation().id);
          assert.deepEqual(db.history(module, 'before'), ['kept'], 'bound once, never unbound');
          const squares = db.last(module, 'squares');
          assert.deepEqual(squares, ['seq', 'list', idOf(squares), 3, [0, 1, 4]]);
          assert.deepEqual(db.history(module, 'after'), ['kept']);
        }));

      it('redacts secrets by default: variables and dict keys', () =>
        check(python, 'secrets', {}, (db) => {
          assert.deepEqual([globalValue(db, 'password'), globalValue(db, 'api_key')], [['redacted'], ['redacted']]);
          const settings = globalValue(db, 'settings');
          assert.deepEqual(settings, ['map', 'dict', idOf(settings), 2, [['token', ['redacted']], ['user', 'ada']]]);
          assert.equal(globalValue(db, 'user'), 'ada');
          assert.equal(db.scalar("SELECT count(*) FROM value_change WHERE CAST(value AS TEXT) GLOB '*hunter2*' OR CAST(value AS TEXT) GLOB '*t-456*'"), 0);
          const patterns = JSON.parse(String(db.meta('redact'))) as string[];
          assert.ok(patterns.includes('*password*') && patterns.includes('*token*') && patterns.includes('*api_key*'), patterns.join(' '));
        }));

      it('records secrets with --no-redact, and redacts more with --redact', async () => {
        await check(python, 'secrets', { options: ['--no-redact'] }, (db) => {
          assert.deepEqual([globalValue(db, 'password'), globalValue(db, 'api_key')], ['hunter2', 'k-123']);
          const settings = globalValue(db, 'settings');
          assert.deepEqual(settings, ['map', 'dict', idOf(settings), 2, [['token', 't-456'], ['user', 'ada']]]);
          assert.equal(db.meta('redact'), '[]');
        });
        await check(python, 'secrets', { options: ['--redact', '*user*'] }, (db) => {
          assert.deepEqual([globalValue(db, 'password'), globalValue(db, 'user')], [['redacted'], ['redacted']]);
          const settings = globalValue(db, 'settings');
          assert.deepEqual(settings, ['map', 'dict', idOf(settings), 2, [['token', ['redacted']], ['user', ['redacted']]]]);
          assert.ok((JSON.parse(String(db.meta('redact'))) as string[]).includes('*user*'));
        });
      });
    });
  }
});
