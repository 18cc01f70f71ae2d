import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  /** A header exactly as sent (unfolded), by lower-case name. */
  header(name: string): string | undefined;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  raw: string;
}

/**
 * What the sink answers to the next message for an address: accept, or an SMTP error reply, to the
 * message (after DATA, the default) or to the recipient (RCPT TO).
 */
export type SinkReply = 'accept' | { code: number; message: string; at?: 'data' | 'rcpt' };

/** A real SMTP server (smtp-server) in the test process that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Per recipient, replies to use in order before accepting. */
  readonly script = new Map<string, SinkReply[]>();
  private server?: SMTPServer;
  port = 0;

  /** An error reply to MAIL FROM for every message while set (the server refuses our sender or wants a login). */
  mailFromReply?: { code: number; message: string };
  /** Milliseconds to wait before answering each message (a slow server). */
  delayMs = 0;
  /** After this many messages, hold the rest unanswered until release(): a sender can die mid-send. */
  holdAfter?: number;
  held = 0;
  private releaseHeld?: () => void;
  private readonly heldGate = new Promise<void>((resolve) => (this.releaseHeld = resolve));

  release(): void {
    this.releaseHeld?.();
  }

  async start(port = 0): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => void this.onData(stream, session, callback),
      onMailFrom: (_address, _session, callback) =>
        callback(this.mailFromReply ? Object.assign(new Error(this.mailFromReply.message), { responseCode: this.mailFromReply.code }) : undefined),
      onRcptTo: (address, _session, callback) => {
        const next = this.script.get(address.address.toLowerCase())?.[0];
        if (next === undefined || next === 'accept' || next.at !== 'rcpt') return callback();
        this.script.get(address.address.toLowerCase())!.shift();
        callback(Object.assign(new Error(next.message), { responseCode: next.code }));
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((done) => this.server!.listen(port, '127.0.0.1', done));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.server?.close(() => done()) ?? done());
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to === address.toLowerCase());
  }

  /** Waits until `count` messages have arrived (or fails after the timeout). */
  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const start = Date.now();
    while (this.received.length < count) {
      if (Date.now() - start > timeoutMs) throw new Error(`Expected ${count} emails, got ${this.received.length}`);
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? '';
    if (this.delayMs > 0) await new Promise((done) => setTimeout(done, this.delayMs));
    if (this.holdAfter !== undefined && this.received.length + this.held >= this.holdAfter) {
      this.held += 1;
      await this.heldGate;
      this.held -= 1;
    }
    const reply = this.script.get(to)?.shift() ?? 'accept';
    if (reply !== 'accept') {
      return callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const parsed = await simpleParser(raw);
    const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    this.received.push({
      to,
      header: (name: string) =>
        head.split(/\r?\n/).find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim(),
      messageId: parsed.messageId ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      headers: parsed.headers,
      raw,
    });
    callback();
  }
}
