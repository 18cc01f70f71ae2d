import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes to an HTTP response, waiting when the client reads slower than we produce. */
export class JsonStream {
  constructor(private readonly out: Writable) {}

  async write(chunk: string): Promise<void> {
    if (this.out.destroyed) throw new Error('The client went away');
    if (!this.out.write(chunk)) await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
  }

  /** `"name":[row,row,...]`, one row at a time as `rows` yields them. */
  async array(name: string, rows: AsyncIterable<unknown[]>, onRow?: (row: unknown) => void): Promise<void> {
    await this.write(`${JSON.stringify(name)}:[`);
    let first = true;
    for await (const batch of rows) {
      for (const row of batch) {
        onRow?.(row);
        await this.write(`${first ? '' : ','}${JSON.stringify(row)}`);
        first = false;
      }
    }
    await this.write(']');
  }
}
