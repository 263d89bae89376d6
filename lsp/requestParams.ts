// The params each message the server handles must have, checked before any handler runs: a handler
// only ever sees the shape it reads (a document URI, a position, a range…), never null or a string.
type Check = (value: unknown) => boolean;

interface Shape {
  check: Check;
  /** The shape in words, for the error: "{ textDocument: { uri }, position }". */
  text: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isUInteger: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isInteger: Check = (value) => Number.isSafeInteger(value);
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const orNull = (check: Check): Check => (value) => value === null || check(value);
const arrayOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
const record = (fields: Record<string, Check>): Check =>
  (value) => isObject(value) && Object.entries(fields).every(([key, check]) => check(value[key]));

const position = record({ line: isUInteger, character: isUInteger });
const range = record({ start: position, end: position });
const document = record({ textDocument: record({ uri: isString }) });
const shape = (text: string, ...checks: Check[]): Shape => ({ text, check: (value) => checks.every((check) => check(value)) });

/** By method: requests answer InvalidParams when their params do not fit, notifications are dropped. */
export const PARAMS: Readonly<Record<string, Shape>> = {
  initialize: shape('{ capabilities, rootUri?, workspaceFolders? }', record({
    capabilities: isObject, rootUri: optional(orNull(isString)),
    workspaceFolders: optional(orNull(arrayOf(record({ uri: isString })))),
  })),
  'textDocument/codeLens': shape('{ textDocument: { uri } }', document),
  'textDocument/diagnostic': shape('{ textDocument: { uri } }', document),
  'textDocument/hover': shape('{ textDocument: { uri }, position }', document, record({ position })),
  'textDocument/inlayHint': shape('{ textDocument: { uri }, range }', document, record({ range })),
  'textDocument/inlineValue': shape('{ textDocument: { uri }, range, context: { frameId } }', document,
    record({ range, context: record({ frameId: isInteger }) })),
  'workspace/executeCommand': shape('{ command, arguments? }', record({ command: isString, arguments: optional(Array.isArray) })),
  'textDocument/didOpen': shape('{ textDocument: { uri, languageId, version, text } }',
    record({ textDocument: record({ uri: isString, languageId: isString, version: isInteger, text: isString }) })),
  'textDocument/didChange': shape('{ textDocument: { uri, version }, contentChanges: [{ text, range? }] }',
    record({ textDocument: record({ uri: isString, version: isInteger }), contentChanges: arrayOf(record({ text: isString, range: optional(range) })) })),
  'textDocument/didClose': shape('{ textDocument: { uri } }', document),
  'textDocument/didSave': shape('{ textDocument: { uri } }', document),
  'textDocument/willSave': shape('{ textDocument: { uri }, reason }', document, record({ reason: isInteger })),
  'workspace/didChangeConfiguration': shape('{ settings }', isObject),
  '$/cancelRequest': shape('{ id }', record({ id: (id) => isInteger(id) || isString(id) })),
  '$/setTrace': shape("{ value: 'off' | 'messages' | 'verbose' }", record({ value: isString })),
};
