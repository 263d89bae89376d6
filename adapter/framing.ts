// Watches the framing of incoming DAP messages (`Content-Length: N`, blank line, N bytes): passes bytes
// through unchanged up to a header without a valid length and reports it, so that the connection can be
// closed with a reason (@vscode/debugadapter's parser would swallow every later message in silence).
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
/** Longer than any real header: a stream that has not ended its header by then is not DAP. */
const MAX_HEADER = 8 * 1024;
/** Larger than any real message (the biggest are source texts); a bigger length is garbage. */
const MAX_BODY = 256 * 1024 * 1024;

export class FramingGuard extends Transform {
  private header = Buffer.alloc(0);
  /** Body bytes still to pass before the next header. */
  private bodyLeft = 0;
  private broken = false;

  /** `onBadHeader` gets the offending header text once; nothing passes after it. */
  constructor(private readonly onBadHeader: (header: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.broken) return done();
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= taken;
        offset += taken;
        continue;
      }
      const rest = chunk.subarray(offset);
      const seen = this.header.length;
      const header = Buffer.concat([this.header, rest]);
      const end = header.indexOf(HEADER_END);
      if (end === -1) {
        this.header = header;
        if (header.length > MAX_HEADER) return this.fail(chunk.subarray(0, offset), header.subarray(0, 80).toString('latin1'), done);
        offset = chunk.length;
        continue;
      }
      const text = header.subarray(0, end).toString('latin1');
      const length = contentLength(text);
      if (length === undefined) return this.fail(chunk.subarray(0, offset), text, done);
      this.header = Buffer.alloc(0);
      this.bodyLeft = length;
      offset += end + HEADER_END.length - seen;
    }
    done(null, chunk);
  }

  private fail(good: Buffer, header: string, done: TransformCallback): void {
    this.broken = true;
    this.onBadHeader(header);
    done(null, good);
  }
}

/** The N of a `Content-Length: N` line, when the header has exactly one valid such line. */
function contentLength(header: string): number | undefined {
  const lengths = header.split('\r\n').flatMap((line) => {
    const match = /^Content-Length: +(\d+) *$/.exec(line); // exactly what @vscode/debugadapter accepts
    return match ? [Number(match[1])] : [];
  });
  const length = lengths[0];
  return lengths.length === 1 && length !== undefined && length <= MAX_BODY ? length : undefined;
}
