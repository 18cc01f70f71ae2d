import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
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

/** Node's own handling (its statuses), with a problem+json body. */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Closed by the client, or a response already under way on it: nobody to answer, or no clean way to.
    const responding = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || responding) {
      socket.destroy();
      return;
    }
    const problem = problemForUnparsable(error.code);
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
