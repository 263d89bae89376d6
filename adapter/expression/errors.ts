// The evaluator's one error type: a sentence shown to the user as is, e.g. "ZeroDivisionError: division
// by zero", "name 'x' is not recorded in this frame", "len() of a shop.Cart would run its __len__".
export class ExpressionError extends Error {}

/** Refuses what only the running program could answer (a method call, a user __eq__, a property). */
export function needsProgram(what: string): ExpressionError {
  return new ExpressionError(`${what} would run the program's code, and a recording cannot run code`);
}

/** Refuses what the recorder did not keep (a cap was hit, or the value was never read). */
export function notRecorded(what: string): ExpressionError {
  return new ExpressionError(`${what} is not known: the recording does not hold it`);
}

/** A Python exception the expression itself raises, e.g. pyError('ZeroDivisionError', 'division by zero'). */
export function pyError(type: string, message: string): ExpressionError {
  return new ExpressionError(`${type}: ${message}`);
}
