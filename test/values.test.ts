// Values: decoding every node of protocol/values.md and rendering it as Python would, checked against
// Python itself (float repr) and against a real recording of test/fixtures/values.py.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { decodeBlob, decodeNode, decodeValue, floatRepr, pythonStrRepr, render, typeName } from '../protocol/values';
import { FixtureTrace, rendered } from './support/fixtureTrace';
import { forEachBackend, recording } from './support/recordings';

const blob = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));

describe('value nodes', () => {
  it('tells INTEGER from REAL by the SQL type, not the JS number', () => {
    assert.deepEqual(decodeValue(1, 'integer'), { kind: 'int', value: 1 });
    assert.deepEqual(decodeValue(1, 'real'), { kind: 'float', value: 1, repr: '1.0' });
    assert.deepEqual(decodeValue(null, 'null'), { kind: 'none' });
    assert.deepEqual(decodeValue('héllo', 'text'), { kind: 'str', text: 'héllo', length: 5, truncated: false });
    assert.equal(render(decodeValue(blob(true), 'blob')), 'True');
  });

  it('renders every node kind', () => {
    const cases: [unknown, string, string][] = [
      [null, 'None', 'NoneType'],
      [false, 'False', 'bool'],
      [7, '7', 'int'],
      [['int', '-123456789012345678901234567890'], '-123456789012345678901234567890', 'int'],
      [['float', 'nan'], 'nan', 'float'],
      [['float', '-0.0'], '-0.0', 'float'],
      ['a\'b', '"a\'b"', 'str'],
      [['str', 'abc', 10], "'abc'… (truncated, 10 characters)", 'str'],
      [['bytes', 'bytes', 'a\u0000\u00ff', 3], "b'a\\x00\\xff'", 'bytes'],
      [['bytes', 'bytearray', 'ab', 5], "bytearray(b'ab')… (truncated, 5 bytes)", 'bytearray'],
      [['seq', 'list', 1, 3, [1, 2]], '[1, 2, … (truncated, 3 items)]', 'list'],
      [['seq', 'tuple', 1, 1, [1]], '(1,)', 'tuple'],
      [['seq', 'tuple', 1, 0, []], '()', 'tuple'],
      [['seq', 'set', 1, 0, []], 'set()', 'set'],
      [['seq', 'frozenset', 1, 2, [1, 2]], 'frozenset({1, 2})', 'frozenset'],
      [['seq', 'collections.deque', 1, 1, ['x']], "deque(['x'])", 'collections.deque'],
      [['seq', 'shop.Basket', 1, 1, [1]], 'Basket([1])', 'shop.Basket'],
      [['map', 'dict', 1, 2, [['a', 1], [2, null]]], "{'a': 1, 2: None}", 'dict'],
      [['map', 'collections.OrderedDict', 1, 1, [['a', 1]]], "OrderedDict({'a': 1})", 'collections.OrderedDict'],
      [['obj', 'shop.Cart', 1, 3, [['items', ['seq', 'list', 2, 0, []]], ['total', 0]]], 'Cart(items=[], total=0, … (truncated, 3 attributes))', 'shop.Cart'],
      [['sub', 'lisp.Symbol', 1, 'n', 0, []], "'n'", 'lisp.Symbol'],
      [['sub', 'lisp.Symbol', 1, ['str', 'ab', 9], 1, [['line', 3]]], "'ab'… (truncated, 9 characters)", 'lisp.Symbol'],
      [['sub', 'Count', 1, 7, 0, []], '7', 'Count'],
      [['sub', 'Real', 1, ['float', '0.5'], 0, []], '0.5', 'Real'],
      [['sub', 'Raw', 1, ['bytes', 'bytes', 'r', 1], 0, []], "b'r'", 'Raw'],
      [['sub', 'f.<locals>.Buffer', 1, ['bytes', 'bytearray', 'b', 1], 0, []], "Buffer(b'b')", 'f.<locals>.Buffer'],
      [['sub', 'Secret', 1, ['redacted'], 0, []], '<redacted>', 'Secret'],
      [['map', 'lisp.Env', 1, 1, [['x', 1]], 1, [['outer', null]]], "Env({'x': 1})", 'lisp.Env'],
      [['seq', 'Path', 1, 1, [1], 1, [['name', 'p']]], 'Path([1])', 'Path'],
      [['exc', 'ValueError', 1, 1, [['args', ['seq', 'tuple', 2, 1, ['bad 2']]]]], "ValueError('bad 2')", 'ValueError'],
      [['exc', 'ValueError', 1, 1, [['args', ['seq', 'tuple', 2, 0, []]]]], 'ValueError()', 'ValueError'],
      [['exc', 'KeyError', 1, 1, [['args', ['seq', 'tuple', 2, 2, ['k', 2]]]]], "KeyError('k', 2)", 'KeyError'],
      [['exc', 'app.Oops', 1, 2, [['args', ['seq', 'tuple', 2, 1, [['seq', 'tuple', 3, 1, [1]]]]], ['code', 4]]], 'Oops((1,))', 'app.Oops'],
      [['exc', 'ValueError', 1, 1, [['args', ['deep', 'tuple', 2, 1]]]], 'ValueError(… 1 item)', 'ValueError'],
      // As recorded before exceptions had their own node: shown as then.
      [['obj', 'ValueError', 1, 1, [['args', ['seq', 'tuple', 2, 1, ['bad 2']]]]], "ValueError(args=('bad 2',))", 'ValueError'],
      [['repr', 'complex', '(1+2j)'], '(1+2j)', 'complex'],
      [['cycle', 'list', 1], '[...]', 'list'],
      [['cycle', 'dict', 1], '{...}', 'dict'],
      [['deep', 'list', 1, 4], '[… 4 items]', 'list'],
      [['deep', 'f.<locals>.Point', 1, 2], 'Point(… 2 items)', 'f.<locals>.Point'],
      [['unbound'], '<unbound>', ''],
      [['redacted'], '<redacted>', ''],
      [['error', 'socket', 'not recordable'], '<unavailable: not recordable>', 'socket'],
    ];
    for (const [json, text, type] of cases) {
      const node = decodeNode(json);
      assert.equal(render(node), text, JSON.stringify(json));
      assert.equal(typeName(node), type, JSON.stringify(json));
    }
  });

  it('turns malformed values into error nodes, never exceptions', () => {
    assert.equal(decodeBlob(new Uint8Array([0xff, 0xfe])).kind, 'error');
    assert.equal(decodeBlob(blob(['seq', 'list'])).kind, 'error');
    assert.equal(decodeNode(['no-such-tag']).kind, 'error');
    assert.equal(decodeNode({ a: 1 }).kind, 'error');
  });

  it('quotes strings as Python repr does', () => {
    assert.equal(pythonStrRepr(''), "''");
    assert.equal(pythonStrRepr('it\'s "x"\n'), '\'it\\\'s "x"\\n\'');
    assert.equal(pythonStrRepr('\u0007\u00a0\u200b\ud83d\ude00'), "'\\x07\\xa0\\u200b\ud83d\ude00'");
  });

  it("formats floats exactly as Python's repr", () => {
    const numbers = [0.1, 1 / 3, 2, 100, 1e15, 1e16, 123456789012345680, 1e-4, 1e-5, 5e-324, 1.7976931348623157e308, -2.5, 0.000123, 1e22, 12345.678];
    for (let i = 0; i < 200; i++) numbers.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20));
    const python = spawnSync('python3', ['-c', 'import json,sys; print(json.dumps([repr(float(s)) for s in json.load(sys.stdin)]))'], {
      input: JSON.stringify(numbers.map(String)), encoding: 'utf8',
    });
    assert.equal(python.status, 0, python.stderr);
    assert.deepEqual(numbers.map(floatRepr), JSON.parse(python.stdout));
  });
});

forEachBackend('recorded values', (open) => {
  it("renders each value of values.py as Python's repr printed by the program", async () => {
    const trace = await open(recording('values'));
    const printed = trace.outputUpTo(trace.lastSeq()).map((chunk) => chunk.text).join('').trimEnd().split('\n');
    const expected = Object.fromEntries(printed.map((line) => line.split(' = ', 2) as [string, string]));
    assert.equal(Object.keys(expected).length, 39);
    const values = rendered(trace.globalsAt(trace.lastSeq(), new FixtureTrace(trace, 'values').moduleInvocation()));
    for (const [name, repr] of Object.entries(expected)) assert.equal(values[name], repr, name);
    trace.close();
  });

  it('shows objects by attributes, and marks caps, redaction and deletion', async () => {
    const trace = await open(recording('values'));
    const module = new FixtureTrace(trace, 'values').moduleInvocation();
    const values = rendered(trace.globalsAt(trace.lastSeq(), module));
    assert.equal(values.point, 'Point(x=1, y=2)');
    assert.equal(values.slotted, "Slotted(a=1, b='two')");
    assert.equal(values.nested, "{'level1': {'level2': {'level3': {… 1 item}}}}");
    assert.equal(values.long_text, `'${'x'.repeat(4096)}'… (truncated, 5000 characters)`);
    assert.equal(values.long_list, `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}, … (truncated, 150 items)]`);
    assert.equal(values.password, '<redacted>');
    assert.equal(values.deleted, undefined, 'a deleted variable is not listed');
    const code = trace.invocation(module)?.code ?? 0;
    assert.deepEqual(trace.history(module, 'deleted', code).map((change) => render(change.value)), ['1', '<unbound>']);
    trace.close();
  });
});
