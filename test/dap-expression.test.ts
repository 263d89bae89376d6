// Expressions on recorded values (adapter/expression): results checked against real Python running the
// same expression on the same values, refusals checked by their sentence; then end to end through the
// DAP server (hover, watch, repl, expansion, completions, :history) over stdio and tcp.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluateExpression, type NameLookup } from '../adapter/expression';
import { decodeNode, render, type ValueNode } from '../protocol/values';
import { failure, launchTo, move, startDap, topFrame, type Dap } from './support/dap';
import { markedLine } from './support/recordings';

/** The same values as Python source and as recorded nodes (containers carry a recorded id). */
const PYTHON_SCOPE = `
i = 3
big = 2**64 + 1
f = 0.1
nz = -0.0
nan = float('nan')
inf = float('inf')
s = 'h\\u00e9llo\\U0001f642'
b = b'ab\\x00'
xs = [3, 1, 2]
t = (1, 'a')
d = {'a': 1, 2: 2.5}
flag = False
`;
const SCOPE: Record<string, ValueNode> = {
  i: decodeNode(3),
  big: decodeNode(['int', '18446744073709551617']),
  f: decodeNode(['float', '0.1']),
  nz: decodeNode(['float', '-0.0']),
  nan: decodeNode(['float', 'nan']),
  inf: decodeNode(['float', 'inf']),
  s: decodeNode('h\u00e9llo\u{1f642}'),
  b: decodeNode(['bytes', 'bytes', 'ab\u0000', 3]),
  xs: decodeNode(['seq', 'list', 11, 3, [3, 1, 2]]),
  t: decodeNode(['seq', 'tuple', 12, 2, [1, 'a']]),
  d: decodeNode(['map', 'dict', 13, 2, [['a', 1], [2, ['float', '2.5']]]]),
  flag: decodeNode(false),
  // Only in the recording: a cut-short list, an object, a value under the depth cap.
  numbers: decodeNode(['seq', 'list', 14, 300, [0, 1, 2]]),
  long: decodeNode(['str', 'abc', 5000]),
  other: decodeNode(['str', 'abc', 5000]),
  point: decodeNode(['obj', '__main__.Point', 15, 2, [['x', 1], ['y', null]]]),
  same: decodeNode(['seq', 'list', 11, 3, [3, 1, 2]]),
  nested: decodeNode(['deep', 'list', 16, 4]),
};
const lookup: NameLookup = (name) => SCOPE[name];

/** What we show: the value's text, or "error: Type" for a Python exception, or the refusal sentence. */
function ours(expression: string): string {
  try {
    return render(evaluateExpression(expression, lookup));
  } catch (error) {
    const message = (error as Error).message;
    const type = /^([A-Z]\w*(?:Error|Exception)): /.exec(message);
    return type ? `error: ${type[1]}` : `refused: ${message}`;
  }
}

/** What Python prints for each expression, evaluated on PYTHON_SCOPE. */
function python(expressions: string[]): string[] {
  const script = `
import json, sys
${PYTHON_SCOPE}
out = []
for e in json.load(sys.stdin):
    try:
        out.append(repr(eval(e)))
    except Exception as error:
        out.append('error: ' + type(error).__name__)
print(json.dumps(out))
`;
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(expressions), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}

/** Each expression gives Python's text, or (where `allowed` matches) a refusal instead. */
function checkAgainstPython(expressions: string[], allowed?: RegExp): void {
  const expected = python(expressions);
  expressions.forEach((expression, i) => {
    const actual = ours(expression);
    if (!(allowed && actual.startsWith('refused: ') && allowed.test(actual))) assert.equal(actual, expected[i], expression);
  });
}

function checkRefused(expression: string, sentence: RegExp): void {
  const actual = ours(expression);
  assert.match(actual, /^refused: /, `${expression} gave ${actual}`);
  assert.match(actual, sentence, expression);
}

describe('dap expressions: Python semantics on recorded values', () => {
  it('int arithmetic is exact: floor division and modulo signs, big ints, true division correctly rounded', () => {
    checkAgainstPython([
      '7 // -2', '-7 // 2', '-7 % 3', '7 % -3', '-7 % -3', '1 // 0', '5 % 0', '1 / 0',
      '10 / 4', '-7 / 2', '0 / -5', '1 / 3', '2**64 / 3', 'big / 3', '10**30 / 7', '(10**25 + 7) / 3**20',
      '(2**80 - 1) / 2**27', '123456789012345678901234567890 / 987654321', '1 / 10**320', '10**400 / 10**399',
      '10**400 / 3', 'big * big', 'big // -7', 'big % -7', '-big', 'abs(-big)', '2 ** 100', '(-2) ** 63', '3 ** -2', '2 ** -1',
      '-2 ** 2', '0 ** 0', '~5', '~big', '5 & 3 | 8 ^ 1', '-6 & 0xff', '1 << 70', '-1 >> 3', '-(2**70) >> 3', '1 << -1',
      'True + True', 'True & False', 'True | 2', '0b101 + 0o17 + 0x1F + 1_000', 'i * 2 - 1',
    ]);
  });

  it('float arithmetic follows CPython: -0.0, NaN, inf, float floor division and modulo, exact powers', () => {
    checkAgainstPython([
      '0.1 + 0.2', 'f * 3', 'f + f + f', 'nz', '-nz', 'nz + 0.0', '0.0 * -1', 'abs(nz)', 'nan', 'nan + 1', 'inf - inf', '-inf', 'inf * 0',
      '1e308 * 10', '1e300 * 1e300', '5.0 % 3', '-5.0 % 3', '5.0 % -3', '-0.0 % 5', '5.0 // 0.3', '-5.0 // 0.3', '7.5 // -2',
      '1.0 // inf', '-1.0 // inf', '1.0 % inf', '-1.0 % inf', '1.0 / 0', '1.0 // 0.0', '1.0 % 0.0', '1 + 0.5', 'big + 0.5', 'big == float(big)',
      '1.5 ** 2', '0.1 ** 3', '1.1 ** 3', '2.0 ** -1074', '2.0 ** -1080', '(-2.0) ** 3', '(-2.0) ** -3', '2.0 ** 10000', '0.0 ** -1',
      '1.0 ** nan', 'nan ** 0', '(-1.0) ** inf', '0.5 ** inf', 'inf ** -1', '(-inf) ** 3', '1e-5', '1e16', '123456789.0 * 10',
      'float(big)', 'float(10**400)', '.5 + 1.', '1_0.5e1_0',
    ]);
  });

  it('sequences: indexing with any key, negative indexes, slicing with steps, concatenation and repetition', () => {
    checkAgainstPython([
      'xs[0]', 'xs[-1]', 'xs[3]', 'xs[-4]', 'xs[True]', 'xs[i - 2]', "xs['a']", 'xs[1.0]', 'xs[::-1]', 'xs[::-2]', 'xs[1:]', 'xs[:-1]',
      'xs[5:1:-1]', 'xs[-100:100]', 'xs[::0]', 's[1:4]', 's[::-1]', 's[-1]', 's[5]', "s[1:2] + 'x'", 'b[0]', 'b[::-1]', 'b + b', 'b * 2',
      "'ab' * 3", "3 * 'ab'", "'ab' * -1", '[1] * 3', 'xs * 2', '(1,) + (2,)', 't + t', 'xs + [4]', '(xs + [4])[3]', 'xs + t',
      "d['a']", 'd[2]', 'd[2.0]', "d['zz']", "{'a': 1}['a']", '[1, 2, 3][1:]', '(1, 2)[-1]', "'abc'[-1]", '[][0]', "'a' 'b'", "r'\\n'",
      "'\\x41\\u00e9\\101'", "b'\\xff'", '(1)', '(1,)', '()', '[]', '{}', '{1: 2, 1.0: 3}', "{'k': [1, {'n': None}]}",
      '{[1]: 2}', '{(1, [2])}', '[1] in d', 'd[[1]]', 'd[(1, 2)]', 'nan in d', '{nan: 1}', "{True: 'a', 1: 'b', 1.0: 'c'}",
    ]);
  });

  it('comparisons (chained, mixed int/float exactly, code-point order), in, is, and/or/not, conditionals', () => {
    checkAgainstPython([
      '1 < 2 < 3', '1 < 3 < 2', '1 == 1.0', '2**53 + 1 == 2.0**53', '2**53 + 1 > 2.0**53', 'big > inf', 'big < nan', 'nan == nan', 'nan != nan',
      '[1, 2] < [1, 3]', '[1, 2] < [1, 2, 0]', '(1, "a") == t', "'a' < 'b'", "'\\uffff' < '\\U0001f642'", "'' < 'a'", "b'a' < b'b'",
      "[1] == (1,)", 'xs == [3, 1, 2]', 'xs != [3, 1]', "d == {2: 2.5, 'a': 1}", '{1: 2} == {1: 3}', '1 < "a"', 'None == 0', 'None != None',
      "'ll' in s", "'x' not in s", '2 in xs', '5 not in xs', "'a' in d", '2.0 in d', '1 in t', '1 in "a"', "b'b' in b", '98 in b',
      'None is None', 'flag is False', '0 is False', 'xs is not None', 'not xs', 'not []', 'xs and 0', '0 or xs', 'flag or None',
      '1 if xs else 2', '1 if [] else 2', 'i if i > 2 else -i', 'True == 1', 'nan in [1.0]', '[nan] == [1.0]',
    ]);
  });

  it('builtins: len min max sum abs sorted any all round bool int float str repr type isinstance', () => {
    checkAgainstPython([
      'len(s)', 'len(xs)', 'len(d)', 'len(b)', 'len(1)', 'min(xs)', 'max(3, 1, 2)', 'max([1, 1.0])', 'min([], default=7)', 'min([])',
      "max('hello')", 'sum(xs)', 'sum(xs, 10)', 'sum([0.5, 0.25])', 'sum([1, 2.5])', 'sum([[1], [2]], [])', "sum(['a'], '')",
      'abs(-3)', 'abs(-2.5)', 'abs(True)', 'sorted(xs)', 'sorted(xs, reverse=True)', "sorted('cab')", 'sorted([2, 1.5, True])',
      'any([0, 1])', 'any([])', 'all([])', 'all(xs)', 'any(s)', 'round(2.5)', 'round(3.5)', 'round(-0.5)', 'round(2.675, 2)', 'round(0.125, 2)',
      'round(1234, -2)', 'round(1250, -2)', 'round(1350, -2)', 'round(-1250, -2)', 'round(1.5e300, -299)', 'round(2.5, 0)', 'round(f, 30)',
      'round(nan)', 'round(inf)', 'bool([])', 'bool(s)', 'bool()', "int('  -1_000 ')", "int('1.5')", 'int(-3.9)', 'int(1e20)', 'int(nan)',
      'int(True)', "float('1e5')", "float(' -inf ')", "float('nan')", "float('1_0.5')", "float('x')", 'float(3)', 'str(1.0)', 'str(xs)',
      'str(None)', "str('a')", 'repr(s)', 'repr(b)', 'repr(d)', 'type(xs)', 'type(1.5)', 'type(None)', 'isinstance(True, int)',
      'isinstance(xs, (dict, list))', 'isinstance(d, list)', 'isinstance(1.5, object)', 'type(xs) == list', 'type(i) is int',
      'list(t)', "tuple('ab')", 'list(d)', 'int()', 'float()', 'str()',
    ]);
  });

  it('agrees with Python on generated cases: big-int division, float floor division and modulo, round, int/float order', () => {
    let seed = 12345;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const int = () => `${random(2) ? '-' : ''}${Array.from({ length: 1 + random(40) }, () => random(10)).join('')}`;
    const float = () => `${random(2) ? '-' : ''}${random(1000)}.${random(100000)}e${random(40) - 20}`;
    const cases: string[] = [];
    for (let i = 0; i < 60; i++) {
      const [a, b, x, y] = [int(), int(), float(), float()];
      cases.push(`${a} / ${b}`, `${a} // ${b}`, `${a} % ${b}`, `${x} // ${y}`, `${x} % ${y}`, `round(${x}, ${random(12) - 4})`, `round(${x})`,
        `2**53 + ${random(5) - 2} < ${2 ** 53}.0 + ${random(5) - 2}`, `${a} == float(${a})`, `${x} ** ${random(7) - 3}`);
    }
    // A float power close to a rounding tie is refused (its last bit is the C library's); every answer given is Python's.
    checkAgainstPython(cases, /too close to a rounding tie/);
  });

  it('answers from the recording only where it is exact, and refuses what it does not hold', () => {
    assert.equal(ours('len(numbers)'), '300');
    assert.equal(ours('numbers[2]'), '2');
    assert.equal(ours('numbers[-1] if False else numbers[:2]'), '[0, 1]');
    assert.equal(ours('numbers[1:10]'), '[1, 2, … (truncated, 9 items)]');
    assert.equal(ours('2 in numbers'), 'True');
    assert.equal(ours('len(long)'), '5000');
    assert.equal(ours("long == 'abd'"), 'False');
    assert.equal(ours("long[:2]"), "'ab'");
    assert.equal(ours('len(nested)'), '4');
    assert.equal(ours('point.x'), '1');
    assert.equal(ours('xs is same'), 'True');
    assert.equal(ours('xs is xs'), 'True');
    assert.equal(ours('xs is d'), 'False');
    assert.equal(ours("'ab' * 10**9 == 'ab'"), 'False');
    assert.equal(ours("len('ab' * 10**9)"), '2000000000');
    checkRefused('numbers[200]', /item 200 .*kept 3 of 300 items/);
    checkRefused('sum(numbers)', /needs all 300 items .*cut short/);
    checkRefused('sorted(numbers)', /cut short/);
    checkRefused('max(numbers)', /cut short/);
    checkRefused('500 in numbers', /cut short/);
    checkRefused('long == other', /cut short/);
    checkRefused('nan in [nan]', /identity/);
    checkRefused('nested[0]', /depth cap/);
    checkRefused('point.z', /no instance attribute 'z'.*class attribute, property or method would need the program's code/);
    checkRefused('len(point)', /len\(\) of a __main__.Point \(its __len__\) would run the program's code/);
    checkRefused('point == point', /__eq__.* would run the program's code/);
    checkRefused('not point', /__bool__ .* would run the program's code/);
    checkRefused('str(point)', /__str__/);
    checkRefused('xs.append(4)', /calling method 'append' would run the program's code/);
    checkRefused('xs.count', /attribute 'count' of a list/);
    checkRefused('sorted(xs, key=abs)', /key function would run the program's code/);
    checkRefused('1 is 1', /'is' needs object identity/);
    checkRefused('[1] is [1]', /'is' needs object identity, which the recording does not give for a computed value/);
    checkRefused('2 ** 0.5', /fractional exponent/);
    checkRefused('(-8) ** (1/3)', /complex/);
    checkRefused('608.69856e4 ** 2', /too close to a rounding tie/);
    checkRefused('sum([0.1, 0.2])', /compensated summation/);
    checkRefused('sorted([1, "a"])', /do not all compare/);
    checkRefused('sorted([nan, 1])', /NaN/);
    checkRefused('[nan] == [nan]', /identity/);
    checkRefused('str(10**5000)', /int_max_str_digits/);
    checkRefused('{nan: 1}[nan]', /identity/);
    checkRefused('{1, 2}', /order that depends on Python's hashing/);
    checkRefused('[x for x in xs]', /comprehensions are not supported/);
    checkRefused('lambda: 1', /lambda is not supported/);
    checkRefused("f'{i}'", /f-strings/);
    checkRefused('i = 4', /assignment is not possible/);
    checkRefused('nothing', /name 'nothing' is not recorded in this frame/);
    checkRefused('print(i)', /print\(\) is not one of the builtins Hindsight computes \(len, .*\), and nothing else can run/);
    checkRefused('', /empty/);
    assert.equal(ours('{1, 2} == {2, 1}'), 'True');
    assert.equal(ours('2 in {1, 2}'), 'True');
    assert.equal(ours('sorted({3, 1, 2})'), '[1, 2, 3]');
  });
});

for (const transport of ['stdio', 'tcp'] as const) {
  describe(`dap evaluate, completions and :history end to end (${transport})`, () => {
    let dap: Dap;
    beforeEach(async () => { dap = await startDap(transport); });
    afterEach(async () => { await dap.stop(); });

    const evaluate = async (expression: string, context: string, frameId?: number) =>
      (await dap.client.evaluateRequest({ expression, context, frameId })).body;

    it('evaluates for hover, watch and repl with Python results, and expands a computed result', async () => {
      await launchTo(dap.client, 'expressions', [{ line: markedLine('dap/expressions', 'done') }], { stopOnEntry: false });
      const frame = await topFrame(dap.client, 1);
      const expressions = ['big * 3 // 7', 'big / 3', '-ratio', 'ratio * 2', 'account.balance * 2', "letters['beta'][::-1]", 'result % -4', 'len(text)',
        "sorted(letters['beta'] + [0])", "letters[7][1] is True", "letters[7][0] is None and not numbers[0]"];
      const script = `numbers = list(range(300))\nbig = 2**70 + 3\nratio = -0.0\nclass A: balance = 12.5\naccount = A()\nletters = {"alpha": 1, "beta": [1, 2, 3], 7: (None, True)}\nresult = 14\ntext = "x" * 5000`;
      const run = spawnSync('python3', ['-c', `${script}\nimport json, sys\nprint(json.dumps([repr(eval(e)) for e in json.load(sys.stdin)]))`], { input: JSON.stringify(expressions), encoding: 'utf8' });
      const expected = JSON.parse(run.stdout) as string[];
      for (const [i, expression] of expressions.entries()) {
        const context = ['hover', 'watch', 'repl'][i % 3] as string;
        assert.equal((await evaluate(expression, context, frame.id)).result, expected[i], `${expression} (${context})`);
      }
      const joined = await evaluate("letters['beta'] + [4]", 'watch', frame.id);
      assert.deepEqual([joined.result, joined.type, joined.indexedVariables], ['[1, 2, 3, 4]', 'list', 4]);
      const items = await dap.client.variablesRequest({ variablesReference: joined.variablesReference });
      assert.deepEqual(items.body.variables.map((variable) => [variable.name, variable.value]), [['0', '1'], ['1', '2'], ['2', '3'], ['3', '4']]);
      const slice = await evaluate('numbers[50:150]', 'repl', frame.id);
      assert.match(slice.result, /^\[50, 51, .*, 99, … \(truncated, 100 items\)\]$/);
      assert.equal((await evaluate('len(numbers)', 'hover', frame.id)).result, '300');
      assert.match(await failure(evaluate('sum(numbers)', 'repl', frame.id)), /needs all 300 items of a value the recorder cut short/);
      assert.match(await failure(evaluate('account.deposit(5)', 'repl', frame.id)), /calling method 'deposit' would run the program's code/);
      assert.match(await failure(evaluate('__import__("os").system("echo hi")', 'repl', frame.id)), /would run the program's code/);
      assert.match(await failure(evaluate('1 // 0', 'watch', frame.id)), /^ZeroDivisionError: integer division or modulo by zero$/);
    });

    it('completes frame names, attributes, dict keys and REPL commands at the DAP column', async () => {
      await launchTo(dap.client, 'expressions', [{ line: markedLine('dap/expressions', 'done') }], { stopOnEntry: false });
      const frame = await topFrame(dap.client, 1);
      const complete = async (text: string, column = text.length + 1) =>
        (await dap.client.customRequest('completions', { text, column, frameId: frame.id }) as DebugProtocol.CompletionsResponse).body.targets;
      assert.deepEqual((await complete('acc')).map((item) => [item.label, item.type, item.start, item.length]), [['account', 'variable', 1, 3]]);
      assert.deepEqual((await complete('1 + le')).map((item) => item.label), ['letters', 'len']);
      assert.deepEqual((await complete('account.')).map((item) => [item.label, item.type, item.start, item.length]), [['owner', 'property', 9, 0], ['balance', 'property', 9, 0]]);
      assert.deepEqual((await complete('x = account.ba + 1', 'x = account.ba'.length + 1)).map((item) => [item.label, item.start, item.length]), [['balance', 13, 2]]);
      assert.deepEqual((await complete('letters[')).map((item) => item.label), ["'alpha'", "'beta'", '7']);
      assert.deepEqual((await complete("letters['b")).map((item) => [item.label, item.start, item.length]), [["'beta'", 9, 2]]);
      assert.deepEqual((await complete(':h')).map((item) => [item.label, item.type, item.start, item.length]), [[':history', 'keyword', 1, 2], [':help', 'keyword', 1, 2]]);
      assert.deepEqual(await complete('numbers.'), []);
      assert.deepEqual((await complete('numbers[res')).map((item) => [item.label, item.start, item.length]), [['result', 9, 3]]);
    });

    it(':history NAME lists every change of a local with its line and value, paged with the count said', async () => {
      await launchTo(dap.client, 'expressions', [{ line: markedLine('dap/expressions', 'settled') }], { stopOnEntry: false });
      const repl = async (expression: string) => (await evaluate(expression, 'repl')).result;
      const init = markedLine('dap/expressions', 'total-init');
      const add = markedLine('dap/expressions', 'total-add');
      const events = (await repl(':history total')).split('\n');
      assert.equal(events[0], 'total in settle: 5 changes');
      assert.deepEqual(events.slice(1).map((line) => line.replace(/, event \d+/, '')), [
        `  1. line ${init}: 0`, `  2. line ${add}: 5`, `  3. line ${add}: 2`, `  4. line ${add}: 12`, `  5. line ${add}: 14`]);
      const seqs = events.slice(1).map((line) => Number(/event (\d+)/.exec(line)?.[1]));
      assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
      assert.equal(await repl(':history total 4'), `total in settle: 5 changes, showing 4–5\n${events[4]}\n${events[5]}`);
      assert.match(await repl(':history numbers'), /^numbers in the globals of <module>: 1 change\n {2}1\. line \d+, event \d+: \[0, 1, 2, /);
      const steps = (await repl(':history step')).split('\n');
      assert.equal(steps[0], 'step in the globals of <module>: 25 changes, showing 1–20');
      assert.deepEqual(steps.slice(1, 21).map((line) => line.replace(/event \d+/, 'event N')),
        Array.from({ length: 20 }, (_, i) => `  ${i + 1}. line ${markedLine('dap/expressions', 'steps')}, event N (later): ${i}`));
      assert.equal(steps[21], '  … 5 more: :history step 21');
      assert.equal((await repl(':history step 21')).split('\n').length, 6);
      assert.match(await failure(repl(':history nothing')), /'nothing' has no recorded value in settle/);
      assert.match(await failure(repl(':history total 9')), /FIRST must be a change number from 1 to 5/);
      assert.match(await failure(repl(':history')), /usage: :history NAME/);
      const [, caller] = (await dap.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.equal((await evaluate(':history amounts', 'repl')).result.split('\n')[0], 'amounts in settle: 1 change');
      assert.match(await failure(evaluate(':history amounts', 'repl', caller?.id)), /'amounts' has no recorded value in <module>/);
      await move(dap.client, 'stepBack', 1);
      await move(dap.client, 'stepBack', 1);
      assert.match(await repl(':history total'), /5\. line \d+, event \d+ \(later\): 14$/);
    });
  });
}
