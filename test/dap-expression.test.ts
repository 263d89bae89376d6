// The safe expression subset (adapter/expression.ts) as data: expressions on recorded values and the
// result text, or the error said; nothing is ever executed.
import { strict as assert } from 'node:assert';
import { evaluateExpression, type NameLookup } from '../adapter/expression';
import { decodeNode, render, type ValueNode } from '../protocol/values';

const SCOPE: Record<string, ValueNode> = {
  i: decodeNode(3),
  name: decodeNode('hindsight'),
  items: decodeNode(['seq', 'list', 1, 5, [10, 20, 30]]),
  table: decodeNode(['map', 'dict', 2, 2, [['a', 1], [2, ['float', '2.5']]]]),
  point: decodeNode(['obj', 'Point', 3, 2, [['x', 1], ['y', null]]]),
  flag: decodeNode(false),
};
const lookup: NameLookup = (name) => SCOPE[name];

function check(expression: string, expected: string | RegExp): void {
  let actual: string;
  try {
    actual = render(evaluateExpression(expression, lookup));
  } catch (error) {
    actual = `error: ${(error as Error).message}`;
  }
  if (typeof expected === 'string') assert.equal(actual, expected, expression);
  else assert.match(actual, expected, expression);
}

describe('dap expression subset', () => {
  it('reads names, attributes, constant indexing and literals', () => {
    check('i', '3');
    check('point.x', '1');
    check('point.y', 'None');
    check('items[-5]', '10');
    check('items[-3]', '30');
    check("table['a']", '1');
    check('table[2]', '2.5');
    check('"a\\tb"', "'a\\tb'");
    check('-1.5', '-1.5');
  });

  it('compares (chained too) and combines with not/and/or as Python does', () => {
    check('i == 3', 'True');
    check('1 < i <= 3', 'True');
    check('i > 3 or name', "'hindsight'");
    check('not flag and items[0] != 11', 'True');
    check('name == "hindsight"', 'True');
    check('True == 1', 'True');
  });

  it('says what was not recorded, and what is not supported yet', () => {
    check('items[4]', /item 4 was not recorded \(truncated: 3 of 5 items\)/);
    check('items[5]', /index out of range/);
    check('point.z', /has no attribute 'z'/);
    check('nothing', /name 'nothing' is not recorded/);
    check('len(items)', /calls are not supported yet/);
    check('i + 1', /'\+' .* is not supported yet/);
    check('items[1:2]', /not supported yet/);
    check('items == items', /not supported yet/);
    check('', /empty/);
  });
});
