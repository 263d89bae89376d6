// The language server's door: every client message passes here first. Requests before `initialize` get
// ServerNotInitialized (notifications are dropped, but `exit`); a second `initialize` or a request after
// `shutdown` InvalidRequest; ill-shaped params (requestParams.ts) InvalidParams; a non-JSON body ParseError.
import {
  AbstractMessageReader, ErrorCodes, MessageType, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter,
} from 'vscode-languageserver/node';
import { PARAMS } from './requestParams';

type Id = number | string | null;
/** What becomes of a message: passed on, dropped, or refused with this error response. */
type Verdict = 'pass' | 'drop' | { id: Id; code: number; message: string };

export class MessageGate extends AbstractMessageReader implements MessageReader {
  private state: 'new' | 'initialized' | 'shut down' = 'new';

  constructor(private readonly inner: MessageReader, private readonly writer: MessageWriter) {
    super();
    inner.onError((error) => {
      // The framing held (FramingGuard closes the connection otherwise): only this body was not JSON.
      if (error instanceof SyntaxError) this.refuse({ id: null, code: ErrorCodes.ParseError, message: `a message body is not JSON (${error.message})` });
      else this.fireError(error);
    });
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      const verdict = this.verdict(message);
      if (verdict === 'pass') callback(message);
      else if (verdict !== 'drop') this.refuse(verdict);
    });
  }

  override dispose(): void {
    this.inner.dispose();
    super.dispose();
  }

  private verdict(message: Message | unknown): Verdict {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return { id: null, code: ErrorCodes.InvalidRequest, message: 'a message must be a JSON object (batches are not supported)' };
    }
    const { id, method, params } = message as Record<string, unknown>;
    const hasId = typeof id === 'number' || typeof id === 'string';
    if (typeof method !== 'string') {
      if ('result' in message || 'error' in message) return 'pass'; // the client's answer to a request of ours
      return { id: hasId ? id : null, code: ErrorCodes.InvalidRequest, message: 'a request needs a method name (a string)' };
    }
    if (id !== undefined && !hasId) return { id: null, code: ErrorCodes.InvalidRequest, message: `the id of '${method}' must be a number or a string` };
    const refusal = this.stateRefusal(method, hasId);
    if (refusal) return refusal === 'drop' ? 'drop' : { id: id as Id, ...refusal };
    const shape = PARAMS[method];
    if (shape && !shape.check(params)) {
      if (!hasId) return this.dropped(`Hindsight ignored '${method}': its params must be ${shape.text}.`);
      return { id: id as Id, code: ErrorCodes.InvalidParams, message: `'${method}' takes params ${shape.text}` };
    }
    if (method === 'initialize') this.state = 'initialized';
    if (method === 'shutdown') this.state = 'shut down';
    return 'pass';
  }

  /** What the lifecycle says of a message: nothing, drop it, or refuse it with this code and sentence. */
  private stateRefusal(method: string, request: boolean): 'drop' | { code: number; message: string } | undefined {
    if (this.state === 'new') {
      if (!request) return method === 'exit' ? undefined : 'drop';
      if (method !== 'initialize') return { code: ErrorCodes.ServerNotInitialized, message: `the server is not initialized: send 'initialize' before '${method}'` };
      return undefined;
    }
    if (request && method === 'initialize') return { code: ErrorCodes.InvalidRequest, message: 'initialize was already received' };
    if (request && this.state === 'shut down') return { code: ErrorCodes.InvalidRequest, message: `the server is shutting down: '${method}' is not served after 'shutdown'` };
    return undefined;
  }

  private dropped(message: string): 'drop' {
    void this.writer.write({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: MessageType.Warning, message } } as Message);
    return 'drop';
  }

  private refuse({ id, code, message }: { id: Id; code: number; message: string }): void {
    void this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message);
  }
}
