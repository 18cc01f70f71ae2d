import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { connect, Socket } from 'node:net';
import { createTransport, Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { AppConfig } from '../../config/app-config';
import { Mailbox } from './reply-to';

export interface OutgoingMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
  /** Who a reply reaches, for an email about a vacancy; otherwise MAIL_REPLY_TO (unset: MAIL_FROM). */
  replyTo?: Mailbox;
}

/**
 * How an SMTP attempt ended, in the terms the outbox cares about. `permanent` is this message refused
 * for good; `recipientRefused` is that and the address itself refused (a hard bounce: suppressed).
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'transient'; error: string }
  | { kind: 'permanent'; error: string; recipientRefused: boolean };

/** The SMTP connections this instance keeps open to SMTP_URL (pooled). */
export const SMTP_CONNECTIONS = 5;

@Injectable()
export class SmtpSender implements OnApplicationShutdown {
  private readonly transport?: Transporter;

  constructor(private readonly config: AppConfig) {
    if (config.SMTP_URL) {
      const target = parseConnectionUrl(config.SMTP_URL);
      // Options spelled out: next to a `url`, nodemailer ignores every other option, pooling included.
      this.transport = createTransport({
        ...target,
        pool: true,
        ...(target.secure ? {} : { getSocket: connectWithoutDelay }),
        maxConnections: SMTP_CONNECTIONS,
        maxMessages: Infinity,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        // A server that takes the connection and closes it at once: without a cap the pool queues the message
        // again on a new connection for ever, the send never ends, and neither does this instance's round.
        maxRequeues: 2,
      } as Parameters<typeof createTransport>[0]);
    }
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** The outcome of one message: see classifySmtpError for what a failure means. */
  async send(message: OutgoingMessage): Promise<SendOutcome> {
    if (!this.transport) return { kind: 'transient', error: 'SMTP is not configured' };
    const replyTo = message.replyTo ?? this.config.MAIL_REPLY_TO;
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        ...(replyTo ? { replyTo } : {}),
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        headers: message.headers,
      });
      return { kind: 'sent' };
    } catch (error) {
      return classifySmtpError(error as SmtpError);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

/** What nodemailer puts on a failed send: the reply code and text, and the command it answered. */
export interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** The enhanced status code of a reply (RFC 3463), e.g. 5.1.1 in "550 5.1.1 No such user". */
const ENHANCED_STATUS = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/;

type Refusal = 'bounce' | 'fail' | 'retry';

/**
 * What a 5xx to the recipient or the message means. By the enhanced status when there is one: a bad or
 * disabled mailbox (5.1.x but our own sender's 5.1.7/5.1.8, 5.2.1) is a bounce; policy and security
 * (5.7.x: relay denied, our IP on a block list, SPF) and our sender (5.1.7, 5.1.8) are most often about
 * us, and a full mailbox (5.2.2) passes: retried; anything else fails this email alone. Without one, at
 * RCPT TO the reply code (550/551/553 a bounce, 552 a full mailbox); after the message, a plain 5xx is as
 * often a content filter as an unknown user, so it fails the email without suppressing anyone.
 */
function refusal(command: string | undefined, responseCode: number, response: string): Refusal {
  const status = ENHANCED_STATUS.exec(response)?.[1];
  if (status) {
    if (/^5\.7\./.test(status) || status === '5.1.7' || status === '5.1.8' || status === '5.2.2') return 'retry';
    if (/^5\.1\.\d+$/.test(status) || status === '5.2.1') return 'bounce';
    return 'fail';
  }
  if (command !== 'RCPT TO') return 'fail';
  if (responseCode === 552) return 'retry';
  return [550, 551, 553].includes(responseCode) ? 'bounce' : 'fail';
}

/**
 * What a failed send means. A bounce (see refusal) suppresses the address; a failure ends this email
 * alone; everything else is retried with backoff: 4xx replies, lost connections, and a 5xx before the
 * recipient is named (530 to MAIL FROM: our credentials, our sender address), which is our set-up, not
 * theirs: suppressing would have put every address tried onto the list for good.
 */
export function classifySmtpError(error: SmtpError): SendOutcome {
  const { responseCode, code, command, message: text } = error;
  const summary = `${code ?? 'ERROR'}${responseCode ? ` ${responseCode}` : ''}: ${(text ?? '').slice(0, 300)}`;
  if (!responseCode || responseCode < 500 || (command !== 'RCPT TO' && command !== 'DATA')) return { kind: 'transient', error: summary };
  const outcome = refusal(command, responseCode, error.response ?? '');
  if (outcome === 'retry') return { kind: 'transient', error: summary };
  return { kind: 'permanent', error: summary, recipientRefused: outcome === 'bounce' };
}

/**
 * Plain SMTP sockets with TCP_NODELAY: without it each message's last
 * packet waits for the server's delayed ACK (about 40 ms a message).
 */
function connectWithoutDelay(
  options: { host: string; port: number },
  callback: (error: Error | null, socket?: { connection: Socket }) => void,
): void {
  const socket = connect({ host: options.host, port: options.port, noDelay: true });
  socket.once('connect', () => {
    socket.removeAllListeners('error');
    callback(null, { connection: socket });
  });
  socket.once('error', (error) => callback(error));
}
