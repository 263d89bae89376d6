// The DAP server's wire against hostile peers, over stdio and TCP: what is not DAP framing (an HTTP
// request, Host/Origin headers, a body over 4 MiB) closes the connection with its reason; request
// names that are object properties get one clean error; over TCP nothing launches without the token.
import { strict as assert } from 'node:assert';
import { dapFixture, frame, rawConnection, type Transport } from './support/dap';
import { freshDir } from './support/recordings';

const STACK = /\n\s+at |\.js:\d+/;

function request(seq: number, command: string, args?: Record<string, unknown>): string {
  return frame(JSON.stringify({ seq, type: 'request', command, arguments: args }));
}

function closingReason(messages: Record<string, any>[]): string {
  return messages.filter((message) => message.event === 'output').map((message) => message.body.output).join('');
}

for (const transport of ['stdio', 'tcp'] as Transport[]) {
  describe(`dap wire over ${transport}`, () => {
    const refused: [string, string, RegExp][] = [
      ['an HTTP request', 'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', /an HTTP request \("POST \/ HTTP\/1\.1"\), not the protocol; closing the connection/],
      ['a Host header', 'Content-Length: 2\r\nHost: 127.0.0.1\r\n\r\n{}', /an HTTP header \("Host: 127\.0\.0\.1"\): a web page may be trying to reach this server/],
      ['an Origin header', 'Content-Length: 2\r\norigin: http://evil.example\r\n\r\n{}', /an HTTP header \("origin: http:\/\/evil\.example"\)/],
      ['a body over 4 MiB, refused before it arrives', `Content-Length: ${5 * 1024 * 1024}\r\n\r\n{`, /a message of 5242880 bytes, more than the 4 MiB a message may have/],
    ];
    for (const [what, bytes, reason] of refused) {
      it(`closes the connection on ${what}, saying why, and runs nothing of it`, async () => {
        const raw = await rawConnection(transport);
        raw.write(bytes);
        await raw.closed;
        assert.match(closingReason(raw.messages()), reason);
        assert.deepEqual(raw.messages().filter((message) => message.type === 'response'), []);
      });
    }

    it('answers request names that are object properties with one error each, never a stack', async () => {
      const raw = await rawConnection(transport);
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
      raw.write(request(1, 'initialize', { adapterID: 'raw' }));
      names.forEach((name, i) => raw.write(request(i + 2, name)));
      assert.ok(await raw.until((messages) => messages.filter((message) => message.type === 'response').length === names.length + 1));
      for (const [i, name] of names.entries()) {
        const answers = raw.messages().filter((message) => message.type === 'response' && message.request_seq === i + 2);
        assert.deepEqual(answers.map((answer) => [answer.command, answer.success, answer.message]), [[name, false, `unknown request '${name}'`]]);
      }
      assert.ok(!raw.messages().some((message) => STACK.test(JSON.stringify(message))), 'no stack on the wire');
      raw.end();
    });

    it('refuses every request before initialize', async () => {
      const raw = await rawConnection(transport);
      raw.write(request(1, 'launch', { program: dapFixture('loop'), trace: `${freshDir('dap-wire')}/x.trace.db`, token: raw.token }));
      assert.ok(await raw.until((messages) => messages.some((message) => message.request_seq === 1)));
      assert.deepEqual(raw.messages().map((message) => [message.success, message.message]), [[false, "send 'initialize' first: 'launch' came before it"]]);
      raw.end();
    });

    if (transport === 'tcp') {
      for (const [what, token] of [['without the token', undefined], ['with a wrong token', '0'.repeat(32)]] as const) {
        it(`refuses launch and attach ${what}: nothing is recorded`, async () => {
          const raw = await rawConnection(transport);
          const trace = `${freshDir('dap-wire')}/loop.trace.db`;
          raw.write(request(1, 'initialize', { adapterID: 'raw' }));
          raw.write(request(2, 'launch', { program: dapFixture('loop'), python: 'python3', trace, token }));
          raw.write(request(3, 'attach', { trace: dapFixture('loop'), token }));
          assert.ok(await raw.until((messages) => messages.some((message) => message.request_seq === 3)));
          for (const command of ['launch', 'attach']) {
            const answer = raw.messages().find((message) => message.command === command);
            assert.deepEqual([answer?.success, answer?.message], [false, `${command} refused: this server needs the token 'hindsight dap --port' printed (or was given with --token), as "token" in the ${command} arguments`]);
          }
          assert.ok(!raw.messages().some((message) => message.event === 'process' || message.event === 'output'), 'no program started');
          raw.end();
        });
      }

      it('accepts the token given in initialize', async () => {
        const raw = await rawConnection(transport);
        raw.write(request(1, 'initialize', { adapterID: 'raw', token: raw.token }));
        raw.write(request(2, 'attach', { trace: dapFixture('loop') }));
        assert.ok(await raw.until((messages) => messages.some((message) => message.request_seq === 2)));
        assert.match(raw.messages().find((message) => message.request_seq === 2)?.message ?? '', /not an SQLite file/, 'attach ran: it read the file');
        raw.end();
      });
    }
  });
}
