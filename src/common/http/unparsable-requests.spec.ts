import { createServer, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { answerUnparsableRequests } from './unparsable-requests';

/** Sends the requests on one connection, one after another, and returns all the server wrote until it closed. */
function exchange(port: number, requests: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    const sendNext = () => socket.write(requests[sent++]);
    socket.on('connect', sendNext);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The first response is complete: send the next request on the same, kept-alive connection.
      if (sent < requests.length && received.includes('\r\n\r\nok')) sendNext();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe(answerUnparsableRequests.name, () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerUnparsableRequests(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const tooLong = `GET /?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`;

  it('answers headers past 16 KB with a 431 problem, on a fresh connection and on a kept-alive one alike', async () => {
    for (const requests of [[tooLong], ['GET / HTTP/1.1\r\nHost: a\r\n\r\n', tooLong]]) {
      const received = await exchange(port, requests);
      const last = received.slice(received.lastIndexOf('HTTP/1.1 '));
      expect(last).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\nContent-Type: application\/problem\+json/);
      expect(JSON.parse(last.slice(last.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'HeadersTooLarge' });
    }
  });

  it('answers a broken request line with a 400 problem and closes the connection', async () => {
    const received = await exchange(port, ['NOT HTTP AT ALL\r\n\r\n']);
    expect(received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'MalformedRequest' });
  });
});
