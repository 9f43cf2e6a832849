import os from 'node:os';
import autocannon from 'autocannon';

/** How hard and how long each page is loaded. */
export interface LoadOptions {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of load before the measured run, thrown away (JIT, caches, connection setup). */
  warmup: number;
}

export interface Measurement {
  reqPerSec: number;
  latencyP50: number;
  latencyP99: number;
  latencyMean: number;
  latencyMax: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerSec: number;
  /** 1-minute load average of the machine when the measured run ended: other work on the
   *  machine (anything above ~2 on 2 cores) makes the figures noisy. */
  loadAverage: number;
}

/** Loads one URL with autocannon: a warm-up run, then the measured run. Loopback only. */
export async function measure(url: string, headers: Record<string, string>, o: LoadOptions, around?: { start(): void; end(): void }): Promise<Measurement> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`bench only loads 127.0.0.1, not ${url}`);
  const base = { url, headers, connections: o.connections, pipelining: 1, timeout: 10 };
  if (o.warmup > 0) await autocannon({ ...base, duration: o.warmup });
  around?.start();
  const r = await autocannon({ ...base, duration: o.duration });
  around?.end();
  return {
    reqPerSec: r.requests.average,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    latencyMean: r.latency.mean,
    latencyMax: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    bytesPerSec: r.throughput.average,
    loadAverage: Math.round((os.loadavg()[0] as number) * 100) / 100,
  };
}

function cookiePairs(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0] as string;
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

/**
 * Signs in as a browser would: GET /login for the CSRF cookie and the form's hidden `_csrf`
 * field, then POST the form. Returns the Cookie header of the signed-in browser.
 */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`, { redirect: 'manual' });
  const html = await page.text();
  const csrfCookie = cookiePairs(page).get('isotrack.csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !csrfCookie || !token) throw new Error(`GET /login gave status ${page.status}, no CSRF cookie or field`);

  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `isotrack.csrf=${csrfCookie}` },
    body: new URLSearchParams({ username, password, _csrf: token, next: '/units' }).toString(),
  });
  await res.arrayBuffer();
  const sid = cookiePairs(res).get('isotrack.sid');
  if (res.status !== 302 || !sid) throw new Error(`sign-in as ${username} failed: status ${res.status}`);
  return `isotrack.sid=${sid}; isotrack.csrf=${csrfCookie}`;
}

/** One request before the load: the page must answer 200 and show what a user expects on it. */
export async function checkPage(url: string, cookie: string | undefined, expect: string): Promise<{ bytes: number }> {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status} before the load (expected 200)`);
  if (!body.includes(expect)) throw new Error(`${url} does not show "${expect}"`);
  return { bytes: Buffer.byteLength(body) };
}
