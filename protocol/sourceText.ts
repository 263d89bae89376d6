// Source text as Python reads a file (tokenize.open: a UTF-8 BOM dropped, universal newlines), and lines
// split at any of \r\n, \r, \n: how the recorder's line numbers count, for the DAP and LSP servers alike.

export function asPythonReadsIt(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n?|\n/);
}
