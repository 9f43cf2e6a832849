import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** A message as the SMTP peer received it, with the headers and body decoded enough to read. */
export interface ReceivedMail {
  /** RCPT TO of the envelope. */
  to: string[];
  from: string;
  subject: string;
  /** The text body, decoded (quoted-printable or base64) as UTF-8. */
  text: string;
  headers: Map<string, string>;
  raw: string;
}

export interface Mailbox {
  port: number;
  mails: ReceivedMail[];
  /** The next `n` messages are refused with this SMTP reply (451: try later; 550: never). */
  refuseNext(n: number, code?: number): void;
  /** Waits until `n` messages arrived in all (SMTP replies before the peer has stored one). */
  waitFor(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** `=?UTF-8?B?...?=` and `=?UTF-8?Q?...?=` words of a header (RFC 2047). */
export function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([\w-]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

export function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Splits a single-part message into unfolded headers and the decoded text body. */
export function parseMail(raw: string, envelope: { to: string[]; from: string }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const rawBody = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(rawBody)
        : Buffer.from(rawBody, 'latin1').toString('utf8');
  return { ...envelope, subject: decodeWords(headers.get('subject') ?? ''), text: text.replace(/\r\n/g, '\n'), headers, raw };
}

/**
 * A real SMTP server on 127.0.0.1 and a free port, in this process: no TLS, no login, every
 * message kept in `mails`. What the app sends goes over a real socket through nodemailer.
 */
export async function startMailbox(): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  let refusals: { left: number; code: number } = { left: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals.left > 0) {
          refusals.left--;
          const err = Object.assign(new Error(refusals.code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: refusals.code });
          callback(err);
          return;
        }
        const envelope = {
          to: session.envelope.rcptTo.map((a) => a.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        };
        mails.push(parseMail(Buffer.concat(chunks).toString('latin1'), envelope));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    refuseNext(n, code = 451) {
      refusals = { left: n, code };
    },
    async waitFor(n, ms = 5000) {
      const until = Date.now() + ms;
      while (mails.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
