import { StringDecoder } from 'node:string_decoder';
import { Transform, TransformCallback } from 'node:stream';

export type CsvDelimiter = ',' | ';' | '\t';

const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

/**
 * The delimiter of a file's header line: the one of `,` `;` and tab found
 * most often outside quotes (a tie or none: comma). Swedish Excel saves CSV
 * with `;`, Excel's "Unicode text" with tabs. Blank lines and lines of only
 * delimiters before the header are passed over, as the parser skips them.
 * Undefined while the header line has not ended and more text may come.
 */
export function headerDelimiter(text: string, complete: boolean): CsvDelimiter | undefined {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  let content = false;
  for (const char of text) {
    if (char === '"') {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (char === '\n' || char === '\r') {
      if (content) return mostFrequent(counts);
      counts[','] = counts[';'] = counts['\t'] = 0;
    } else if (char === ',' || char === ';' || char === '\t') {
      counts[char] += 1;
    } else if (char.trim() !== '') {
      content = true;
    }
  }
  return complete ? mostFrequent(counts) : undefined;
}

function mostFrequent(counts: Record<CsvDelimiter, number>): CsvDelimiter {
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  return counts['\t'] > counts[','] && counts['\t'] > counts[';'] ? '\t' : ',';
}

/**
 * Holds the start of a CSV upload until its header line has arrived, tells
 * the delimiter, then passes every byte on unchanged. Reads the header as
 * UTF-16LE after that byte-order mark (what csv-parse then does too), else as
 * UTF-8. Past `maxHeaderBytes` it decides on what it has, and the parser
 * reports the oversized row.
 */
export class CsvDialectSniffer extends Transform {
  readonly delimiter: Promise<CsvDelimiter>;
  private decide!: (delimiter: CsvDelimiter) => void;
  private fail!: (error: Error) => void;
  private decided = false;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(private readonly maxHeaderBytes: number) {
    super();
    this.delimiter = new Promise<CsvDelimiter>((resolve, reject) => {
      this.decide = resolve;
      this.fail = reject;
    });
    this.delimiter.catch(() => undefined); // the reader awaits it; this only stops an "unhandled rejection" report meanwhile
    // Its errors reach the reader through `delimiter` and 'close'; without a listener one would crash the process.
    this.on('error', () => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.decided) return callback(null, chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    this.tryToDecide(this.heldBytes > this.maxHeaderBytes);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.decided) this.tryToDecide(true);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.fail(error ?? new Error('The upload ended before its header row was read'));
    callback(error);
  }

  private tryToDecide(complete: boolean): void {
    const head = Buffer.concat(this.held);
    if (head.length < UTF16LE_BOM.length && !complete) return;
    const decoder = new StringDecoder(head.subarray(0, 2).equals(UTF16LE_BOM) ? 'utf16le' : 'utf8');
    const delimiter = headerDelimiter(decoder.write(head), complete);
    if (delimiter === undefined) return;
    this.decided = true;
    this.held = [];
    this.decide(delimiter);
    this.push(head);
  }
}
