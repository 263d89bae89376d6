// A dependency-free Debug Adapter Protocol client for scripts: Content-Length framing over any pair of
// streams, requests as promises (rejected with the adapter's message), the next event of a kind.
export class DapClient {
  #seq = 1;
  #pending = new Map();
  #waiting = [];
  #buffer = Buffer.alloc(0);

  constructor(input, output) {
    this.output = output;
    input.on('data', (chunk) => this.#receive(chunk));
  }

  request(command, args = {}) {
    const seq = this.#seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    this.output.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.output.write(body);
    return new Promise((resolve, reject) => this.#pending.set(seq, { resolve, reject }));
  }

  /** The body of the next `event` event: ask before the request that causes it. */
  next(event) {
    return new Promise((resolve) => this.#waiting.push({ event, resolve }));
  }

  #receive(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString())?.[1]);
      const start = headerEnd + 4;
      if (this.#buffer.length < start + length) return;
      const message = JSON.parse(this.#buffer.subarray(start, start + length).toString());
      this.#buffer = this.#buffer.subarray(start + length);
      this.#dispatch(message);
    }
  }

  #dispatch(message) {
    if (message.type === 'response') {
      const { resolve, reject } = this.#pending.get(message.request_seq);
      this.#pending.delete(message.request_seq);
      if (message.success) resolve(message.body ?? {});
      else reject(new Error(`${message.command}: ${message.message}`));
    } else if (message.type === 'event') {
      const index = this.#waiting.findIndex((waiter) => waiter.event === message.event);
      if (index >= 0) this.#waiting.splice(index, 1)[0].resolve(message.body ?? {});
    }
  }
}
