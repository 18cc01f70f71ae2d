import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface OutgoingMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
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
      this.transport = createTransport({
        url: config.SMTP_URL,
        pool: true,
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
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
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
