import fs from 'node:fs';
import type { LoggedError } from './logged-app.ts';

/** One request the suite found wrong, with what it takes to send it again. */
export interface Finding {
  engine: string;
  role: string;
  method: string;
  /** The route as the table names it, and the URL as sent. */
  route: string;
  url: string;
  field: string;
  /** The value's name (`NUL`, `number 2^31`) and the value as shown. */
  valueName: string;
  value: string;
  status: number;
  problem: string;
  logged: LoggedError[];
}

/** The line a developer reads in the mocha failure. */
export function findingLine(f: Finding): string {
  const server = f.logged.length ? f.logged.map((e) => `${e.message} at ${e.frame}`).join(' | ') : '(nothing logged)';
  return `${f.role} ${f.method} ${f.url} field "${f.field}" = ${f.value}: ${f.problem}; server: ${server}`;
}

/** What groups findings by cause: the logged message (its quoted values and numbers aside) and frame. */
function causeOf(f: Finding): string {
  if (!f.problem.startsWith('answered 5')) return `unescaped payload in the HTML of ${f.route}`;
  const e = f.logged[0];
  if (!e) return `${f.status} with nothing logged`;
  // One cause, one place in the code: the messages (which quote the value) are listed under it.
  const type = e.message.split(':')[0]!;
  return `${type} at ${e.frame.replace(/:\d+(:\d+)?$/, '')}`;
}

/**
 * Writes the findings as Markdown grouped by cause (when FUZZ_FINDINGS names a file): the list
 * the lead reads to divide the fixes, with the exact request of each finding.
 */
export function writeFindings(file: string | undefined, findings: Finding[], timings: string[]): void {
  if (!file) return;
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(causeOf(f), [...(groups.get(causeOf(f)) ?? []), f]);
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  const out = [
    '# Fuzz findings',
    '',
    `Suite: test/integration/fuzz.test.ts (seed ${process.env.FUZZ_SEED ?? 20260302}). ${findings.length} failing requests, ${groups.size} causes.`,
    ...timings.map((t) => `- ${t}`),
    '',
  ];
  sorted.forEach(([cause, list], i) => {
    const routes = [...new Set(list.map((f) => `${f.method} ${f.route}`))];
    out.push(`## ${i + 1}. ${cause}`, '');
    out.push(
      `${list.length} requests on ${routes.length} routes; engines: ${[...new Set(list.map((f) => f.engine))].join(', ')}; roles: ${[...new Set(list.map((f) => f.role))].join(', ')}; statuses: ${[...new Set(list.map((f) => f.status))].join(', ')}.`,
    );
    out.push(`Fields: ${[...new Set(list.map((f) => f.field))].slice(0, 30).join(', ')}. Values: ${[...new Set(list.map((f) => f.valueName))].join('; ')}.`);
    const messages = [...new Set(list.flatMap((f) => f.logged.map((e) => `\`${e.msg}\`: \`${e.message.replace(/\s+/g, ' ')}\` at \`${e.frame}\``)))];
    out.push('', ...messages.slice(0, 5).map((m) => `- Logged: ${m}`));
    out.push('', '| engine | role | method | route | URL sent | field | value | status |', '|---|---|---|---|---|---|---|---|');
    const seen = new Set<string>();
    for (const f of list) {
      const key = `${f.engine}|${f.role}|${f.method} ${f.route}|${f.field}|${f.valueName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > 40) break;
      // Control characters are written as escapes, so the table stays one line per finding.
      const cell = (s: string) =>
        [...s.replace(/\|/g, '\\|')].map((c) => (c.charCodeAt(0) < 0x20 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
      out.push(`| ${f.engine} | ${f.role} | ${f.method} | \`${cell(f.route)}\` | \`${cell(f.url)}\` | ${cell(f.field)} | ${cell(f.value)} | ${f.status} |`);
    }
    if (seen.size > 40) out.push(`| … | | | ${list.length - 40}+ more of the same cause | | | | |`);
    out.push('');
  });
  fs.writeFileSync(file, out.join('\n'));
}
