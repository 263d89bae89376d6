// Guards the framing of incoming DAP and LSP messages: passes each whole message on in one piece and, at
// the first thing that is not such framing (an HTTP request, another header, a bad or oversized length),
// stops with the reason, so the connection closes saying why (the base parsers would swallow it).
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
/** Longer than any real header: a stream that has not ended its header by then is not DAP. */
const MAX_HEADER = 8 * 1024;
/** Far above what a DAP client sends (setBreakpoints with thousands of lines is ~200 KB); bigger is refused unread. */
export const MAX_BODY = 4 * 1024 * 1024;

export class FramingGuard extends Transform {
  /** What arrived and is not passed on yet, in the chunks it came in, and their total size. */
  private parts: Buffer[] = [];
  private received = 0;
  /** The length of the message whose body is arriving, once its header was read. */
  private bodyLength: number | undefined;
  private broken = false;

  /** `onBroken` gets the reason once, as a sentence; nothing passes after it. */
  constructor(private readonly onBroken: (reason: string) => void, private readonly maxBody = MAX_BODY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.broken) return done();
    this.parts.push(chunk);
    this.received += chunk.length;
    // A body arriving in many chunks is joined once it is whole: joining at every chunk is quadratic.
    if (this.bodyLength !== undefined && this.received < this.bodyLength) return done();
    let pending = this.parts.length === 1 ? chunk : Buffer.concat(this.parts);
    for (;;) {
      if (this.bodyLength === undefined) {
        const end = pending.indexOf(HEADER_END);
        const header = pending.subarray(0, end === -1 ? pending.length : end).toString('latin1');
        const problem = headerProblem(header, end === -1 ? 'partial' : 'whole', this.maxBody);
        if (problem) return this.fail(problem, done);
        if (end === -1) break;
        this.bodyLength = contentLength(header);
        pending = pending.subarray(end + HEADER_END.length);
        continue;
      }
      if (pending.length < this.bodyLength) break;
      // One push per message: the parser downstream copies its buffer on every chunk it gets.
      const body = pending.subarray(0, this.bodyLength);
      this.push(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
      pending = pending.subarray(this.bodyLength);
      this.bodyLength = undefined;
    }
    this.parts = pending.length === 0 ? [] : [pending];
    this.received = pending.length;
    done();
  }

  private fail(reason: string, done: TransformCallback): void {
    this.broken = true;
    this.parts = [];
    this.onBroken(reason);
    done();
  }
}

/** Why a header (whole, or the part received so far) is not DAP framing; undefined when it is (so far). */
function headerProblem(header: string, received: 'partial' | 'whole', maxBody: number): string | undefined {
  if (header.length > MAX_HEADER) return `a message header longer than ${MAX_HEADER} bytes (${quote(header)})`;
  const lines = header.split('\r\n');
  // A partial header's last line may still be arriving: only complete lines are judged before the end.
  const complete = received === 'whole' ? lines : lines.slice(0, -1);
  for (const [index, line] of complete.entries()) {
    if (index === 0 && /^[A-Z]+ \S+ HTTP\/\d/.test(line)) return `an HTTP request (${quote(line)}), not the protocol`;
    const name = /^([^:]*):/.exec(line)?.[1]?.trim().toLowerCase();
    if (name === 'host' || name === 'origin') return `an HTTP header (${quote(line)}): a web page may be trying to reach this server`;
    if (name !== 'content-length' && name !== 'content-type') return `a header line that is not Content-Length or Content-Type (${quote(line)})`;
  }
  if (received === 'partial') return undefined;
  const lengths = complete.filter((line) => /^content-length:/i.test(line));
  const length = contentLength(header);
  if (lengths.length !== 1 || length === undefined) return `a message header without a valid Content-Length (${quote(header)})`;
  if (length > maxBody) return `a message of ${length} bytes, more than the ${maxBody / (1024 * 1024)} MiB a message may have`;
  return undefined;
}

/** The N of the header's `Content-Length: N` line, exactly as @vscode/debugadapter reads it. */
function contentLength(header: string): number | undefined {
  for (const line of header.split('\r\n')) {
    const match = /^Content-Length: +(\d{1,15}) *$/.exec(line);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function quote(text: string): string {
  return JSON.stringify(text.slice(0, 80));
}
