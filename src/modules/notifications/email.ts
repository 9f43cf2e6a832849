import nodemailer from 'nodemailer';
import type { AppConfig } from '../../config/config.ts';
import { fmtDay } from '../../http/locals.ts';
import type { Translator } from '../../lib/i18n.ts';
import type { Outgoing } from './deliveries.repository.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The notification it carries, in an `X-Isotrack-Notification` header (tracing, filters). */
  notificationId: number;
}

/** Sends one e-mail or throws; `permanent` on the error says a retry cannot help. */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** SMTP through nodemailer, or undefined when no SMTP server is configured (in-app only). */
export function createMailSender(mail: AppConfig['mail']): MailSender | undefined {
  const smtp = mail.smtp;
  if (!smtp) return undefined;
  // Short limits: a dead server must fail the attempt (it is retried later), not hold the tick.
  const limits = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
  const transport = smtp.url
    ? nodemailer.createTransport(smtp.url)
    : nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
        ...limits,
      });
  return {
    async send(m) {
      try {
        await transport.sendMail({
          from: mail.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          headers: { 'X-Isotrack-Notification': String(m.notificationId) },
        });
      } catch (err) {
        const e = err as { message?: string; responseCode?: number };
        // 5xx: the server refuses this message for good (unknown mailbox...); 4xx and network errors pass.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
        throw new MailError(String(e.message ?? err).slice(0, 1000), permanent);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** The e-mail of a notification, in its recipient's language, with a link back into the app. */
export function composeEmail(o: Outgoing, translator: Translator, baseUrl: string): MailMessage {
  const l = o.user.locale;
  const n = o.notification;
  const title = l === 'en' ? n.titleEn : n.titleVi;
  const body = (l === 'en' ? n.bodyEn : n.bodyVi) ?? title;
  const lines = [translator.t(l, 'notifications.email.greeting', { name: o.user.fullName }), '', body, ''];
  if (n.dueDate) lines.push(translator.t(l, 'notifications.email.due', { due: fmtDay(n.dueDate) }));
  lines.push(translator.t(l, 'notifications.email.open', { url: `${baseUrl}${n.link ?? '/notifications'}` }));
  lines.push('', '-- ', translator.t(l, 'notifications.email.footer', { url: `${baseUrl}/account` }));
  return { to: o.address, subject: title, text: lines.join('\n'), notificationId: o.notificationId };
}
