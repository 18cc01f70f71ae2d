import { Transform, TransformCallback, Readable } from 'node:stream';
import { createGunzip, createInflate, Gunzip, Inflate } from 'node:zlib';
import { DomainError } from '../../common/errors/domain-error';

/**
 * Past this ratio of decompressed to compressed bytes an upload is taken for
 * a decompression bomb. CSV and JSON lines compress 5-20:1 in practice; a
 * bomb reaches about 1000:1 (Apache POI refuses Office files past 100:1 too).
 */
export const MAX_INFLATE_RATIO = 100;
/**
 * Up to this much output the ratio is not judged. A spreadsheet export whose rows end in thousands of
 * empty cells (",,,,") compresses past 300:1: 5,000 rows of 3,000 empty cells are 15 MB. Past it, a file
 * that inflates that much is refused (with the advice to send it uncompressed), as a bomb is: reading
 * those 16 MB of rows is already some seconds of the import's work.
 */
export const RATIO_FREE_BYTES = 16 * 1024 * 1024;

const DECODERS: Record<string, () => Gunzip | Inflate> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
};

/**
 * The upload as its bytes were before the client compressed them
 * (Content-Encoding gzip or deflate), streamed with backpressure so memory
 * stays flat. The row limits of the import (size of one row) apply to the
 * decompressed bytes. What a plain upload gets from Node's requestTimeout
 * (it must arrive within `deadline`) would not hold here, since a small
 * compressed body arrives at once: the decompressed stream gets the same
 * deadline, and a cap on the compression ratio.
 * Throws 415 for any other encoding, before anything is read.
 */
export function decodedUpload(request: Readable, contentEncoding: string | undefined, deadline: number): Readable {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return request;
  const createDecoder = Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding] : undefined;
  if (!createDecoder) {
    throw new DomainError(
      'UnsupportedMediaType',
      `Send the file uncompressed or with Content-Encoding gzip or deflate, not ${JSON.stringify(encoding)}.`,
    );
  }
  const decoder = createDecoder();
  const limits = new InflateLimits(decoder, deadline);
  decoder.on('error', (error) => limits.destroy(DomainError.field('body', `The upload is not valid ${encoding} (${error.message}).`)));
  // Its error reaches the reader through 'close' (failOnDroppedUpload); without a listener it would crash the process.
  limits.on('error', () => undefined);
  limits.once('close', () => decoder.destroy());
  request.once('close', () => {
    if (!request.readableEnded) limits.destroy();
  });
  request.pipe(decoder).pipe(limits);
  return limits;
}

class InflateLimits extends Transform {
  private inflated = 0;

  constructor(
    private readonly decoder: Gunzip | Inflate,
    private readonly deadline: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    if (this.inflated > RATIO_FREE_BYTES && this.inflated > MAX_INFLATE_RATIO * this.decoder.bytesWritten) {
      return callback(new DomainError(
        'PayloadTooLarge',
        `The upload decompresses to more than ${MAX_INFLATE_RATIO} times its compressed size, as a decompression bomb does; ` +
          'the rows before this point were imported. Send such a file uncompressed.',
      ));
    }
    if (Date.now() > this.deadline) {
      return callback(new DomainError(
        'PayloadTooLarge',
        'The decompressed upload took longer to import than one upload may take; the rows before this point were imported. Split the file.',
      ));
    }
    callback(null, chunk);
  }
}
