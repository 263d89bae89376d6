// Python's numeric rules, exactly: ints are BigInts (floor division and modulo take the divisor's
// sign, int / int is correctly rounded), floats follow CPython's floatobject.c (divmod, pow special
// cases). Where CPython defers to the C library (pow with a fractional exponent) we refuse.
import type { ValueNode } from '../../protocol/values';
import { ExpressionError, pyError } from './errors';
import { floatNode, intNode } from './nodes';
import type { BinaryOp } from './parse';

export type Num = { kind: 'int'; value: bigint } | { kind: 'float'; value: number };

/** The number a node holds (bool is an int), or undefined. */
export function numberOf(node: ValueNode): Num | undefined {
  switch (node.kind) {
    case 'bool': return { kind: 'int', value: node.value ? 1n : 0n };
    case 'int': return { kind: 'int', value: BigInt(node.value) };
    case 'bigint': return { kind: 'int', value: BigInt(node.digits) };
    case 'float': return { kind: 'float', value: node.value };
    default: return undefined;
  }
}

export function numNode(num: Num): ValueNode {
  return num.kind === 'int' ? intNode(num.value) : floatNode(num.value);
}

/** Ints beyond this many bits are not computed (Python would, slowly; we refuse rather than hang). */
const MAX_BITS = 100_000;

export function arithmetic(op: BinaryOp, a: Num, b: Num): Num {
  if (a.kind === 'int' && b.kind === 'int') return intArithmetic(op, a.value, b.value);
  if (op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^' || op === '@') {
    throw pyError('TypeError', `unsupported operand type(s) for ${op}: '${a.kind}' and '${b.kind}'`);
  }
  return { kind: 'float', value: floatArithmetic(op, toFloat(a), toFloat(b)) };
}

export function toFloat(num: Num): number {
  if (num.kind === 'float') return num.value;
  // Number(bigint) rounds to nearest, ties to even, as CPython's PyLong_AsDouble.
  const value = Number(num.value);
  if (!Number.isFinite(value)) throw pyError('OverflowError', 'int too large to convert to float');
  return value;
}

function intArithmetic(op: BinaryOp, a: bigint, b: bigint): Num {
  const int = (value: bigint): Num => {
    if (bitLength(value) > MAX_BITS) throw new ExpressionError(`the result has more than ${MAX_BITS} bits: not computed here`);
    return { kind: 'int', value };
  };
  switch (op) {
    case '+': return int(a + b);
    case '-': return int(a - b);
    case '*': return int(a * b);
    case '/': return { kind: 'float', value: trueDivide(a, b) };
    case '//': return int(floorDivide(a, b));
    case '%': return int(a - b * floorDivide(a, b));
    case '**':
      if (b < 0n) return { kind: 'float', value: floatPow(toFloat({ kind: 'int', value: a }), Number(b)) };
      if (a === 0n || a === 1n || a === -1n) return int(b === 0n ? 1n : a === -1n && b % 2n === 0n ? 1n : a);
      if (BigInt(bitLength(a)) * b > BigInt(MAX_BITS)) throw new ExpressionError(`the result has more than ${MAX_BITS} bits: not computed here`);
      return int(a ** b);
    case '<<':
      if (b < 0n) throw pyError('ValueError', 'negative shift count');
      if (a !== 0n && BigInt(bitLength(a)) + b > BigInt(MAX_BITS)) throw new ExpressionError(`the result has more than ${MAX_BITS} bits: not computed here`);
      return int(a << b);
    case '>>':
      if (b < 0n) throw pyError('ValueError', 'negative shift count');
      return int(b > BigInt(MAX_BITS) ? (a < 0n ? -1n : 0n) : a >> b);
    case '&': return int(a & b);
    case '|': return int(a | b);
    case '^': return int(a ^ b);
    case '@': throw pyError('TypeError', "unsupported operand type(s) for @: 'int' and 'int'");
  }
}

function floorDivide(a: bigint, b: bigint): bigint {
  if (b === 0n) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
  const quotient = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? quotient - 1n : quotient;
}

/** int / int, correctly rounded as CPython's long_true_divide. */
function trueDivide(a: bigint, b: bigint): number {
  if (b === 0n) throw pyError('ZeroDivisionError', 'division by zero');
  const negative = (a < 0n) !== (b < 0n);
  const magnitude = ratioToFloat(a < 0n ? -a : a, b < 0n ? -b : b).value;
  if (!Number.isFinite(magnitude)) throw pyError('OverflowError', 'integer division result too large for a float');
  return negative ? -magnitude : magnitude;
}

function floatArithmetic(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (y === 0) throw pyError('ZeroDivisionError', 'float division by zero');
      return x / y;
    case '//':
      if (y === 0) throw pyError('ZeroDivisionError', 'float floor division by zero');
      return floatDivmod(x, y).floor;
    case '%':
      if (y === 0) throw pyError('ZeroDivisionError', 'float modulo by zero');
      return floatDivmod(x, y).mod;
    case '**': return floatPow(x, y);
    default: throw pyError('TypeError', `unsupported operand type(s) for ${op}: 'float' and 'float'`);
  }
}

/** CPython's _float_div_mod (JavaScript's % is C's fmod). */
function floatDivmod(x: number, y: number): { floor: number; mod: number } {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if ((y < 0) !== (mod < 0)) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floor: number;
  if (div) {
    floor = Math.floor(div);
    if (div - floor > 0.5) floor += 1;
  } else {
    floor = (x / y < 0 || Object.is(x / y, -0)) ? -0 : 0;
  }
  return { floor, mod };
}

/**
 * CPython's float_pow. The general case goes to the C library's pow, whose last bit we cannot
 * reproduce for a fractional exponent; for an integer exponent the exact power is rounded here, and
 * refused in the rare case where it lies so close to a rounding tie that a libm could round it either way.
 */
export function floatPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x)) return Number.NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : Number.NaN;
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return (y > 0) === (ax > 1) ? Number.POSITIVE_INFINITY : 0;
  }
  const oddInteger = Number.isInteger(y) && Math.abs(y % 2) === 1;
  if (!Number.isFinite(x)) {
    if (y > 0) return oddInteger ? x : Math.abs(x);
    return oddInteger ? (x < 0 ? -0 : 0) : 0;
  }
  if (x === 0) {
    if (y < 0) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
    return oddInteger ? x : 0;
  }
  if (x === 1) return 1;
  if (!Number.isInteger(y)) {
    if (x < 0) throw new ExpressionError(`${x} ** ${y} is a complex number in Python: complex numbers are not supported`);
    throw new ExpressionError(`a float power with a fractional exponent (here ** ${y}) is computed by the C library, whose last digit Hindsight cannot reproduce: not evaluated`);
  }
  if (x === -1) return oddInteger ? -1 : 1;
  const magnitude = exactPower(Math.abs(x), y);
  if (!Number.isFinite(magnitude)) throw pyError('OverflowError', '(34, \'Numerical result out of range\')');
  return x < 0 && oddInteger ? -magnitude : magnitude;
}

/** |x| ** n for a finite x > 0 and an integer n, correctly rounded. */
function exactPower(x: number, n: number): number {
  const { mantissa, exponent } = dyadic(x);
  const log2 = n * Math.log2(x);
  if (log2 > 1025) return Number.POSITIVE_INFINITY;
  if (log2 < -1080) return 0;
  if (bitLength(mantissa) * Math.abs(n) > MAX_BITS) throw new ExpressionError(`the exact power has more than ${MAX_BITS} bits: not computed here`);
  const power = mantissa ** BigInt(Math.abs(n));
  const shift = exponent * n;
  let numerator = n > 0 ? power : 1n;
  let denominator = n > 0 ? 1n : power;
  if (shift >= 0) numerator <<= BigInt(shift);
  else denominator <<= BigInt(-shift);
  const rounded = ratioToFloat(numerator, denominator);
  if (rounded.nearTie) throw new ExpressionError('this power lies too close to a rounding tie for Hindsight to know how the C library rounds it: not evaluated');
  return rounded.value;
}

/** A finite float > 0 as mantissa · 2**exponent with an odd BigInt mantissa (exact). */
function dyadic(x: number): { mantissa: bigint; exponent: number } {
  let exponent = 0;
  let scaled = x;
  while (!Number.isInteger(scaled)) { scaled *= 2; exponent--; }
  let mantissa = BigInt(scaled);
  while (mantissa > 1n && mantissa % 2n === 0n) { mantissa /= 2n; exponent++; }
  return { mantissa, exponent };
}

/**
 * numerator / denominator (numerator ≥ 0, denominator > 0) rounded to the nearest double, ties to
 * even, subnormals included. nearTie when the exact value is within 1/16 ulp of a tie: glibc documents
 * pow to 0.54 ulp, so a libm may round such a value the other way (about one power in eight).
 */
export function ratioToFloat(numerator: bigint, denominator: bigint): { value: number; nearTie: boolean } {
  if (numerator === 0n) return { value: 0, nearTie: false };
  let shift = 53 - (bitLength(numerator) - bitLength(denominator));
  let [quotient, remainder, divisor] = scaledDivide(numerator, denominator, shift);
  if (quotient >= 2n ** 53n) {
    shift -= 1;
    [quotient, remainder, divisor] = scaledDivide(numerator, denominator, shift);
  }
  if (shift > 1074) {
    shift = 1074;
    [quotient, remainder, divisor] = scaledDivide(numerator, denominator, shift);
  }
  const twice = 2n * remainder;
  const distance = twice > divisor ? twice - divisor : divisor - twice;
  const nearTie = remainder !== 0n && distance * 16n < divisor;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  // quotient ≤ 2**53 is exact as a double, and scaling by a power of two is exact unless it overflows.
  const value = shift > 1000 ? Number(quotient) * 2 ** -1000 * 2 ** -(shift - 1000) : Number(quotient) * 2 ** -shift;
  return { value, nearTie };
}

function scaledDivide(numerator: bigint, denominator: bigint, shift: number): [bigint, bigint, bigint] {
  const n = shift >= 0 ? numerator << BigInt(shift) : numerator;
  const d = shift >= 0 ? denominator : denominator << BigInt(-shift);
  return [n / d, n % d, d];
}

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : (value < 0n ? -value : value).toString(2).length;
}

/** Python's ordering of two numbers: -1, 0, 1, or undefined when a NaN is involved (every comparison False). */
export function compareNumbers(a: Num, b: Num): -1 | 0 | 1 | undefined {
  if (a.kind === 'int' && b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'float' && b.kind === 'float') {
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return undefined;
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  if (a.kind === 'int' && b.kind === 'float') return compareIntFloat(a.value, b.value);
  const result = compareIntFloat((b as { value: bigint }).value, (a as { value: number }).value);
  return result === undefined ? undefined : (-result as -1 | 0 | 1);
}

/** An int against a float, exactly (no conversion of the int, which could round). */
function compareIntFloat(i: bigint, f: number): -1 | 0 | 1 | undefined {
  if (Number.isNaN(f)) return undefined;
  if (!Number.isFinite(f)) return f > 0 ? -1 : 1;
  const floor = BigInt(Math.floor(f));
  if (i < floor) return -1;
  if (i > floor) return 1;
  return Number.isInteger(f) ? 0 : -1;
}

/** round(x) and round(x, n) for a float, as CPython: half to even on the exact binary value. */
export function roundFloat(x: number, digits: bigint | undefined): Num {
  if (digits === undefined) {
    if (Number.isNaN(x)) throw pyError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw pyError('OverflowError', 'cannot convert float infinity to integer');
    const { mantissa, exponent } = x === 0 ? { mantissa: 0n, exponent: 0 } : dyadic(Math.abs(x));
    const value = exponent >= 0 ? mantissa << BigInt(exponent) : roundHalfEven(mantissa, 1n << BigInt(-exponent));
    return { kind: 'int', value: x < 0 ? -value : value };
  }
  if (!Number.isFinite(x) || x === 0) return { kind: 'float', value: x };
  // Beyond these digit counts the result is x itself (too fine) or 0.0 (too coarse), as CPython says.
  if (digits > 323n) return { kind: 'float', value: x };
  if (digits < -308n) return { kind: 'float', value: x < 0 ? -0 : 0 };
  const n = Number(digits);
  const { mantissa, exponent } = dyadic(Math.abs(x));
  let numerator = mantissa * (n >= 0 ? 10n ** BigInt(n) : 1n);
  let denominator = n >= 0 ? 1n : 10n ** BigInt(-n);
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  const whole = roundHalfEven(numerator, denominator);
  // The decimal text whole·10**-n read back by JavaScript (correctly rounded), as CPython's strtod.
  const magnitude = Number(n >= 0 ? `${whole}e-${n}` : `${whole}e${-n}`);
  if (!Number.isFinite(magnitude)) throw pyError('OverflowError', 'rounded value too large to represent');
  return { kind: 'float', value: x < 0 ? -magnitude : magnitude };
}

/** round(i, n) for an int: half to even at 10**-n. */
export function roundInt(i: bigint, digits: bigint): bigint {
  if (digits >= 0n) return i;
  const unit = 10n ** -digits;
  const magnitude = roundHalfEven(i < 0n ? -i : i, unit) * unit;
  return i < 0n ? -magnitude : magnitude;
}

function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}
