import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';

/**
 * The yardsticks the app's pages are compared with, run in their own small process:
 *   GET /text   a bare Express route answering a short text: the most this machine and stack serve;
 *   GET /table  an Express + EJS page with a layout (header and footer partials) and a 50-row
 *               table of data held in memory, view cache on: a server-rendered page with no
 *               database, no session and no middleware.
 * Listens on 127.0.0.1 (PORT, default a free one) and prints `{"port":N}` once ready. Stops on
 * SIGTERM, SIGINT, or when its standard input closes (the harness that started it is gone).
 */

const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(import.meta.dirname, 'baseline-views'));
// Express turns the cache on by itself under NODE_ENV=production; said here so that the
// baseline never compiles templates per request even if started without it.
app.set('view cache', true);
app.disable('x-powered-by');

const states = [
  ['declared', 'Đã công bố'],
  ['applying', 'Đang áp dụng'],
  ['building', 'Đang xây dựng'],
  ['not_started', 'Chưa triển khai'],
] as const;
const rows = Array.from({ length: 50 }, (_, i) => {
  const [state, stateLabel] = states[i % states.length] as readonly [string, string];
  return { id: 1000 + i, name: `Xã Tân Phú ${i + 1}`, code: `HCM-X${String(i + 1).padStart(3, '0')}`, kind: 'Xã', state, stateLabel, childCount: i % 7 };
});
const nav = [
  { href: '/units', label: 'Đơn vị', current: true },
  { href: '/audit', label: 'Nhật ký', current: false },
  { href: '/account', label: 'Tài khoản', current: false },
];

app.get('/text', (_req, res) => {
  res.type('text/plain').send('ok');
});
app.get('/table', (_req, res) => {
  res.render('table', { title: 'Đơn vị', rows, nav });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, viewCache: app.enabled('view cache'), env: app.get('env') })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
