// The reader's public surface: import from 'protocol/reader' rather than from its modules.
export { Trace, type OpenOptions } from './trace';
export { BackendChoiceError, TraceOpenError } from './errors';
export { hasSqliteHeader } from './open';
export { WRITER_DIED_REASON } from './lifecycle';
export { availableBackends, type BackendName } from './backend';
export type * from './types';
export type { RaiseFilter } from './hits';
export type { TimelineBucket } from './timeline';
export type { CallTreeNode } from './callTree';
export type { VariableHistory } from './valueHistory';
export type { EventTime } from './clock';
export type { HandledRaises, PassedFrame, RaiseEnding } from './raiseSites';
