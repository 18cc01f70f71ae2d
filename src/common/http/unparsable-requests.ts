import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { problemFor, ProblemDetails } from '../errors/problem-details';

/**
 * The answer to a request Node cannot parse, before Express sees it: a URL or headers past Node's
 * 16 KB (a long query string), a broken request line. Node's own answer has no body; this one is the
 * problem+json every other error is.
 */
export function problemForUnparsable(code: string | undefined): ProblemDetails {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problemFor('HeadersTooLarge', 'The URL and headers together must stay under 16 KB: send long search terms in fewer words.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problemFor('PayloadTooLarge', 'The chunk extensions of the request body are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problemFor('RequestTimeout', 'The request did not arrive in time.');
    default:
      return problemFor('MalformedRequest', 'The request is not valid HTTP.');
  }
}

/**
 * Node's own handling (lib/_http_server.js socketOnError), with a problem+json body: an answer unless a
 * response is already going out on the connection (a kept-alive one that finished its earlier responses
 * gets one too, as a proxy reusing it expects), then the socket is destroyed at once, as Node does; only
 * ending it, half-open sockets stayed a minute.
 */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const responding = (socket as Socket & { _httpMessage?: { _headerSent?: boolean } | null })._httpMessage?._headerSent;
    if (socket.writable && !responding) {
      const problem = problemForUnparsable(error.code);
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  });
}
