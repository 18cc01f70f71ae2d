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

/**
 * Whether a 5xx to the message refuses the mailbox rather than the message: by its enhanced status if
 * it has one (5.1.x bad address, 5.2.1 mailbox disabled; 5.7.1 is policy, about the message), else by
 * the reply code (550 mailbox unavailable, 551 not local, 553 name not allowed; 554 is the transaction).
 */
function refusesMailbox(responseCode: number, response: string): boolean {
  const status = ENHANCED_STATUS.exec(response)?.[1];
  return status ? /^5\.(1\.\d+|2\.1)$/.test(status) : [550, 551, 553].includes(responseCode);
}

/**
 * What a failed send means. A 5xx refusing the recipient (to RCPT TO, or refusing the mailbox after
 * the message) is a hard bounce: the address is suppressed. Another 5xx to the message (554 5.7.1 spam,
 * too big) fails this email alone. A 5xx before the recipient is named (530 to MAIL FROM: our
 * credentials, our sender address) is our set-up, not theirs, and is retried like a 4xx or a dropped
 * connection: suppressing would have put every address tried onto the list for good.
 */
export function classifySmtpError(error: SmtpError): SendOutcome {
  const { responseCode, code, command, message: text } = error;
  const summary = `${code ?? 'ERROR'}${responseCode ? ` ${responseCode}` : ''}: ${(text ?? '').slice(0, 300)}`;
  if (!responseCode || responseCode < 500) return { kind: 'transient', error: summary };
  if (command === 'RCPT TO') return { kind: 'permanent', error: summary, recipientRefused: true };
  if (command === 'DATA') return { kind: 'permanent', error: summary, recipientRefused: refusesMailbox(responseCode, error.response ?? '') };
  return { kind: 'transient', error: summary };
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
