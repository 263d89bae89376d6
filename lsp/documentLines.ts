// Lines of an open document against the source the trace recorded for its file. An unedited document
// maps one to one; an edited one maps only the lines that are still the recorded text (a line diff),
// so nothing from the trace is ever shown on a line that changed.
import { diffArrays } from 'diff';
import { asPythonReadsIt, splitLines } from '../protocol/sourceText';

export interface LineMap {
  /** True when the document differs from the recorded source. */
  edited: boolean;
  /** The document line (1-based) now holding a recorded line, or undefined when it was changed or removed. */
  toDocument(recordedLine: number): number | undefined;
  /** The recorded line a document line (1-based) still is, or undefined for a new or changed line. */
  toRecorded(documentLine: number): number | undefined;
}

export function lineMap(recorded: string, current: string): LineMap {
  if (asPythonReadsIt(recorded) === asPythonReadsIt(current)) {
    return { edited: false, toDocument: (line) => line, toRecorded: (line) => line };
  }
  const toDocument = new Map<number, number>();
  const toRecorded = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffArrays(splitLines(asPythonReadsIt(recorded)), splitLines(asPythonReadsIt(current)))) {
    const count = part.value.length;
    if (part.added) newLine += count;
    else if (part.removed) oldLine += count;
    else {
      for (let i = 0; i < count; i++) {
        toDocument.set(oldLine + i, newLine + i);
        toRecorded.set(newLine + i, oldLine + i);
      }
      oldLine += count;
      newLine += count;
    }
  }
  return { edited: true, toDocument: (line) => toDocument.get(line), toRecorded: (line) => toRecorded.get(line) };
}
