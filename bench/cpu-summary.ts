import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --cpu-prof`) and prints where
 * the main thread spent its time: self time grouped by package (node_modules/<name>), by our own
 * code (src/, views compiled by EJS), by Node internals, and the busiest functions.
 *
 *   node --import tsx bench/cpu-summary.ts bench/results/profiles/<file>.cpuprofile [--top 25] [--from 3]
 *
 * --from S leaves out the first S seconds of the profile (start-up: module loading and tsx's
 * compilation would otherwise be counted with the requests).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function groupOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/src/')) return 'isotrack src/';
  if (url.includes('/views/') || url.endsWith('.ejs')) return 'isotrack views (EJS)';
  return path.basename(url);
}

export function summarise(p: Profile, top = 25, fromSeconds = 0): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t >= fromSeconds * 1e6) self.set(id, (self.get(id) ?? 0) + dt);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const g = groupOf(url, functionName);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|views)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const busy = total - (groups.get('(idle)') ?? 0);
  const lines = [`profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)`, '', 'self time by group:'];
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${g}`);
  lines.push('', 'busiest functions (self time):');
  for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/cpu-summary.ts <file.cpuprofile> [--top N]\n');
    process.exit(1);
  }
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) || def : def;
  };
  process.stdout.write(`${summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, arg('--top', 25), arg('--from', 0))}\n`);
}
