// One debugging session for the headless examples: record a program, stop at a breakpoint, step back,
// print the stack top and locals at each stop, then a variable's whole history (a Hindsight request).
import * as path from 'node:path';

/** `token`: the one a `hindsight dap --port` server printed (a stdio server needs none). */
export async function walkThrough(dap, { program, line, variable, token }) {
  await dap.request('initialize', { adapterID: 'hindsight', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dap.next('initialized');
  const stopped = dap.next('stopped');
  const launched = dap.request('launch', { program: path.resolve(program), stopOnEntry: false, token });
  await initialized;
  await dap.request('setBreakpoints', { source: { path: path.resolve(program) }, breakpoints: [{ line }] });
  await dap.request('configurationDone');
  await launched; // answered once the program has been recorded
  const { threadId } = await stopped;
  const frame = await show(dap, threadId, 'at the breakpoint');

  const history = await dap.request('valueHistory', { name: variable, frameId: frame.id });
  console.log(`history of ${variable} (${history.total} values):`, history.changes.map((change) => `line ${change.line}: ${change.value}`).join(', '));

  const back = dap.next('stopped');
  await dap.request('stepBack', { threadId });
  await back;
  await show(dap, threadId, 'after a step back');
  await dap.request('disconnect');
}

async function show(dap, threadId, label) {
  const { stackFrames: [frame] } = await dap.request('stackTrace', { threadId, levels: 1 });
  const { scopes: [locals] } = await dap.request('scopes', { frameId: frame.id });
  const { variables } = await dap.request('variables', { variablesReference: locals.variablesReference });
  console.log(`${label}: ${frame.name}() line ${frame.line}:`, variables.map((v) => `${v.name}=${v.value}`).join(' '));
  return frame;
}
