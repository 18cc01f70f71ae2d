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

/** How an SMTP attempt ended, in the terms the outbox cares about. */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'transient'; error: string }
  | { kind: 'permanent'; error: string };

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
      } as Parameters<typeof createTransport>[0]);
    }
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** 5xx replies are permanent (hard bounce); 4xx replies and dropped connections are worth a retry. */
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
      const { responseCode, code, message: text } = error as { responseCode?: number; code?: string; message?: string };
      const summary = `${code ?? 'ERROR'}${responseCode ? ` ${responseCode}` : ''}: ${(text ?? '').slice(0, 300)}`;
      return responseCode && responseCode >= 500 ? { kind: 'permanent', error: summary } : { kind: 'transient', error: summary };
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
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
