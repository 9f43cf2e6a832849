import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { migrateCore } from '../src/db/migrator.ts';
import { foldForSearch } from '../src/lib/text.ts';
import { hashPassword, randomToken } from '../src/auth/password.ts';
import type { IsoState, UnitKind } from '../src/modules/units/units.types.ts';
import { generateCatalog, type CatalogCounts } from './generate-catalog.ts';
import {
  apportion,
  departments,
  familyNames,
  firstSyllables,
  givenNames,
  middleNames,
  nationalTotals,
  provinces,
  secondSyllables,
  seededRandom,
} from './national-data.ts';

/**
 * Builds a national-scale SQLite database for the benchmark: 34 provinces, 3,321 commune-level
 * units, three departments per province, a little pre-2025 history (districts and the communes
 * merged on 1 July 2025), and one user per province and per commune-level unit.
 *
 * Rows are written straight into the tables in batches inside one transaction, not through the
 * services: the services write audit rows and hash each password, which would take minutes at
 * this scale and measure nothing the benchmark is about. Ids are assigned here so that the
 * materialised paths can be computed before the insert.
 */

export const benchDir = import.meta.dirname;
export const defaultDbFile = path.join(benchDir, 'data', 'isotrack-bench.sqlite');
/** The data set with the national catalog is large (about 1 GB): it has its own file. */
export const defaultCatalogDbFile = path.join(benchDir, 'data', 'isotrack-bench-catalog.sqlite');
const manifestVersion = 1;

/** What the harness needs to know about a generated database; kept beside it as JSON. */
export interface Dataset {
  version: number;
  file: string;
  /** The one password every generated user has (the data set is local and thrown away). */
  password: string;
  admin: { username: string };
  coordinator: { username: string; provinceId: number; provinceCode: string; provinceName: string; units: number };
  commune: { id: number; code: string; name: string; predecessors: number };
  searchTerm: string;
  counts: Record<string, number>;
  generatedAt: string;
  ms: number;
  /** Present when generated with the national catalog (`--catalog`). */
  catalog?: CatalogInfo;
}

export interface CatalogInfo {
  counts: CatalogCounts;
  /** Time to write the catalog (part of `ms`). */
  ms: number;
  /** The unit whose catalog page and export are measured: the merged commune above. */
  unit: { id: number; code: string; name: string; officer: string; procedures: number };
  /** A province-wide search typed without diacritics, and how many procedures of the coordinator's province match it. */
  searchTerm: string;
  searchMatches: number;
}

type Row = Record<string, string | number | boolean | null>;

const mergeDate = '2025-07-01';
const districtsPerProvince = 2;
const oldCommunesPerDistrict = 4;
/** How the old communes of a province are grouped into new ones (sizes of the groups). */
const mergeGroups = [3, 3, 2];

function manifestPath(file: string): string {
  return file.replace(/\.sqlite$/, '') + '.json';
}

/** The operator's own database is never a benchmark target. */
function assertBenchFile(file: string): void {
  const own = path.resolve(benchDir, '..', 'data', 'isotrack.sqlite');
  if (path.resolve(file) === own) throw new Error(`Refusing to write the benchmark data set over ${own}`);
}

/** A data set generated earlier whose database file is still there, or undefined. */
export function loadDataset(file = defaultDbFile): Dataset | undefined {
  assertBenchFile(file);
  const m = manifestPath(file);
  if (!fs.existsSync(file) || !fs.existsSync(m)) return undefined;
  const data = JSON.parse(fs.readFileSync(m, 'utf8')) as Dataset;
  return data.version === manifestVersion ? { ...data, file: path.resolve(file) } : undefined;
}

interface UnitSpec {
  code: string;
  name: string;
  kind: UnitKind;
  parent: Row | null;
  placeName: string | null;
  activeFrom?: string;
  activeTo?: string;
  mergedIntoId?: number;
  iso: IsoState;
}

const isoReasons: Record<IsoState, string> = {
  not_started: 'Chưa triển khai',
  building: 'Đang xây dựng hệ thống tài liệu theo TCVN ISO 9001:2015',
  applying: 'Đang áp dụng, chưa công bố',
  declared: 'Đã công bố HTQLCL phù hợp TCVN ISO 9001:2015',
  needs_redeclaration: 'Sáp nhập đơn vị hành chính cấp xã từ ngày 01/07/2025: phạm vi áp dụng thay đổi',
};

/** Builds every row in memory; pure, so the same seed always gives the same data set. */
export function buildRows(seed: number, passwordHash: string, at: string) {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const units: Row[] = [];
  let nextUnitId = 1;

  const addUnit = (u: UnitSpec): Row => {
    const id = nextUnitId++;
    const unitPath = `${u.parent ? String(u.parent.path) : '/'}${id}/`;
    const row: Row = {
      id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      parent_id: u.parent ? Number(u.parent.id) : null,
      path: unitPath,
      depth: unitPath.split('/').length - 3,
      place_name: u.placeName,
      active_from: u.activeFrom ?? null,
      active_to: u.activeTo ?? null,
      merged_into_id: u.mergedIntoId ?? null,
      iso_state: u.iso,
      iso_standard: u.iso === 'not_started' ? null : '2015',
      iso_state_reason: isoReasons[u.iso],
      iso_state_changed_at: u.iso === 'not_started' ? null : at,
      search_text: foldForSearch(`${u.name} ${u.code}`),
      created_at: at,
      updated_at: at,
    };
    units.push(row);
    return row;
  };

  const randomIso = (): IsoState => {
    const x = rnd();
    return x < 0.5 ? 'declared' : x < 0.7 ? 'applying' : x < 0.82 ? 'building' : x < 0.92 ? 'needs_redeclaration' : 'not_started';
  };

  // Each province gets a few units named Tân Phú (a very common name), so that a search for it
  // finds something in every province, as it would in the real country.
  const tanPhu = ['Tân Phú', 'Tân Phú Đông', 'Tân Phú Trung', 'Tân Phú Tây', 'Tân Phú Nam'];
  const placeNames = () => {
    const used = new Set<string>();
    let common = 0;
    return (i: number): string => {
      if (i % 45 === 7 && common < tanPhu.length) {
        const n = tanPhu[common++] as string;
        used.add(n);
        return n;
      }
      for (let tries = 0; tries < 30; tries++) {
        const a = pick(firstSyllables);
        const b = pick(secondSyllables);
        const n = `${a} ${b}`;
        if (a !== b && !used.has(n)) {
          used.add(n);
          return n;
        }
      }
      const n = `${pick(firstSyllables)} ${pick(secondSyllables)} ${i}`;
      used.add(n);
      return n;
    };
  };
  const personName = () => `${pick(familyNames)} ${pick(middleNames)} ${pick(givenNames)}`;

  const sizes = apportion(
    nationalTotals.communes + nationalTotals.wards + nationalTotals.specialZones,
    provinces.map((p) => p.size),
  );
  const wards = apportion(
    nationalTotals.wards,
    provinces.map((p) => p.wards),
  );
  const zones = provinces.reduce((n, p) => n + p.specialZones.length, 0);
  if (zones !== nationalTotals.specialZones) throw new Error(`special zones: ${zones}, expected ${nationalTotals.specialZones}`);

  const provinceRows: Row[] = [];
  const communeLevel: Row[] = [];
  const firstMergedOf = new Map<number, { row: Row; predecessors: number }>();
  const counts = {
    provinces: 0,
    communes: 0,
    wards: 0,
    specialZones: 0,
    departments: 0,
    inactiveDistricts: 0,
    inactiveCommunes: 0,
    communeLevel: 0,
    units: 0,
    users: 0,
    roles: 0,
  };

  provinces.forEach((p, pi) => {
    const prov = addUnit({ code: p.code, name: p.name, kind: 'province', parent: null, placeName: p.name.replace(/^(Tỉnh|Thành phố) /, ''), iso: 'declared' });
    provinceRows.push(prov);
    counts.provinces++;
    const shortName = p.name.replace(/^Tỉnh /, 'tỉnh ').replace(/^Thành phố /, 'thành phố ');
    for (const d of departments) {
      addUnit({ code: `${p.code}-${d.suffix}`, name: d.name(shortName), kind: 'department', parent: prov, placeName: null, iso: 'declared' });
      counts.departments++;
    }

    const total = sizes[pi] as number;
    const nWards = wards[pi] as number;
    const nCommunes = total - nWards - p.specialZones.length;
    const nameFor = placeNames();
    const own: Row[] = [];
    for (let i = 0; i < nCommunes; i++) {
      const place = nameFor(i);
      // The first communes are the ones formed by the 2025 mergers below.
      const merged = i < mergeGroups.length;
      own.push(
        addUnit({
          code: `${p.code}-X${String(i + 1).padStart(3, '0')}`,
          name: `Xã ${place}`,
          kind: 'commune',
          parent: prov,
          placeName: place,
          activeFrom: merged ? mergeDate : undefined,
          iso: merged ? 'needs_redeclaration' : randomIso(),
        }),
      );
      counts.communes++;
    }
    for (let i = 0; i < nWards; i++) {
      const place = nameFor(nCommunes + i);
      own.push(
        addUnit({
          code: `${p.code}-P${String(i + 1).padStart(3, '0')}`,
          name: `Phường ${place}`,
          kind: 'ward',
          parent: prov,
          placeName: place,
          iso: randomIso(),
        }),
      );
      counts.wards++;
    }
    p.specialZones.forEach((z, i) => {
      own.push(addUnit({ code: `${p.code}-DK${i + 1}`, name: `Đặc khu ${z}`, kind: 'special_zone', parent: prov, placeName: z, iso: randomIso() }));
      counts.specialZones++;
    });
    communeLevel.push(...own);

    // History: districts abolished on 1 July 2025 and their communes, merged into the new ones.
    const targets = mergeGroups.flatMap((size, gi) => Array.from({ length: size }, () => own[gi] as Row));
    let old = 0;
    for (let d = 1; d <= districtsPerProvince; d++) {
      const dName = `${pick(firstSyllables)} ${pick(secondSyllables)}`;
      const district = addUnit({
        code: `${p.code}-H${d}`,
        name: `Huyện ${dName}`,
        kind: 'district',
        parent: prov,
        placeName: dName,
        activeFrom: '2008-08-01',
        activeTo: mergeDate,
        iso: 'declared',
      });
      counts.inactiveDistricts++;
      for (let c = 1; c <= oldCommunesPerDistrict; c++) {
        const place = nameFor(1000 + old);
        const target = targets[old++];
        const town = c === 1;
        addUnit({
          code: `${p.code}-H${d}-${town ? 'TT' : 'X'}${c}`,
          name: `${town ? 'Thị trấn' : 'Xã'} ${place}`,
          kind: town ? 'town' : 'commune',
          parent: district,
          placeName: place,
          activeTo: mergeDate,
          mergedIntoId: target ? Number(target.id) : undefined,
          iso: 'declared',
        });
        counts.inactiveCommunes++;
      }
    }
    firstMergedOf.set(Number(prov.id), { row: own[0] as Row, predecessors: mergeGroups[0] as number });
  });

  const users: Row[] = [];
  const roles: Row[] = [];
  let nextUserId = 1;
  const addUser = (username: string, fullName: string, role: string, unitId: number | null) => {
    const id = nextUserId++;
    users.push({
      id,
      username,
      full_name: fullName,
      email: `${username}@isotrack.test`,
      password_hash: passwordHash,
      locale: 'vi',
      email_notifications: true,
      is_active: true,
      last_login_at: null,
      created_at: at,
      updated_at: at,
    });
    roles.push({ user_id: id, role, unit_id: unitId, created_at: at, updated_at: at });
  };
  addUser('admin', 'Quản trị hệ thống', 'admin', null);
  for (const prov of provinceRows) addUser(`dieuphoi.${String(prov.code).toLowerCase()}`, personName(), 'coordinator', Number(prov.id));
  for (const u of communeLevel) addUser(`canbo.${String(u.code).toLowerCase()}`, personName(), 'officer', Number(u.id));

  counts.communeLevel = communeLevel.length;
  counts.units = units.length;
  counts.users = users.length;
  counts.roles = roles.length;
  return { units, users, roles, provinceRows, communeLevel, firstMergedOf, counts };
}

async function insertInBatches(trx: Knex.Transaction, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  // knex writes a multi-row insert on SQLite as a compound SELECT, limited to 500 terms, and
  // SQLite allows 32,766 bound variables per statement: stay under both.
  const size = Math.min(400, Math.floor(8000 / Object.keys(rows[0] as Row).length));
  for (let i = 0; i < rows.length; i += size) await trx(table).insert(rows.slice(i, i + size));
}

function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`, manifestPath(file)]) fs.rmSync(f, { force: true });
}

/** Generates the data set into `file` (replacing what was there) and returns its manifest. */
export async function generateDataset(opts: { file?: string; seed?: number; catalog?: boolean; log?: (s: string) => void } = {}): Promise<Dataset> {
  const file = path.resolve(opts.file ?? (opts.catalog ? defaultCatalogDbFile : defaultDbFile));
  assertBenchFile(file);
  const started = performance.now();
  removeDbFiles(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });

  const password = `bench-${randomToken(12)}`;
  // One hash at a low cost, shared by every user: hashing 3,000+ passwords would take minutes.
  const passwordHash = await hashPassword(password, 1024);
  const at = new Date().toISOString();
  const data = buildRows(opts.seed ?? 20250701, passwordHash, at);

  const seed = opts.seed ?? 20250701;
  const db = createDb({ url: `sqlite:${file}` });
  let catalogCounts: CatalogCounts | undefined;
  let catalogMs = 0;
  try {
    await migrateCore(db);
    await db.transaction(async (trx) => {
      await insertInBatches(trx, 'units', data.units);
      await insertInBatches(trx, 'users', data.users);
      await insertInBatches(trx, 'user_roles', data.roles);
    });
    if (opts.catalog) {
      const t0 = performance.now();
      opts.log?.('  writing the national catalog (about 400,000 procedures) ...');
      const officerOf = new Map(data.roles.filter((r) => r.role === 'officer').map((r) => [Number(r.unit_id), Number(r.user_id)]));
      const units = data.communeLevel.map((u) => ({
        id: Number(u.id),
        code: String(u.code),
        name: String(u.name),
        provinceId: Number(u.parent_id),
        officerId: officerOf.get(Number(u.id)) as number,
      }));
      catalogCounts = await generateCatalog(
        file,
        units,
        data.provinceRows.map((p) => Number(p.id)),
        seed,
        at,
      );
      catalogMs = Math.round(performance.now() - t0);
    }
    // Statistics for the query planner (the app never runs ANALYZE itself).
    await db.raw('ANALYZE');
  } finally {
    await db.destroy();
  }

  // The coordinator of the province with the most commune-level units: the heaviest tree a
  // coordinator sees, so the benchmark errs on the slow side.
  const perProvince = new Map<number, number>();
  for (const u of data.communeLevel) perProvince.set(Number(u.parent_id), (perProvince.get(Number(u.parent_id)) ?? 0) + 1);
  const [provinceId, unitCount] = [...perProvince.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] as [number, number];
  const province = data.provinceRows.find((p) => Number(p.id) === provinceId) as Row;
  const merged = data.firstMergedOf.get(provinceId) as { row: Row; predecessors: number };

  const dataset: Dataset = {
    version: manifestVersion,
    file,
    password,
    admin: { username: 'admin' },
    coordinator: {
      username: `dieuphoi.${String(province.code).toLowerCase()}`,
      provinceId,
      provinceCode: String(province.code),
      provinceName: String(province.name),
      units: unitCount,
    },
    commune: { id: Number(merged.row.id), code: String(merged.row.code), name: String(merged.row.name), predecessors: merged.predecessors },
    searchTerm: 'tan phu',
    counts: data.counts,
    generatedAt: at,
    ms: Math.round(performance.now() - started),
  };
  if (catalogCounts) {
    const catalogSearch = 'dang ky khai sinh';
    const check = createDb({ url: `sqlite:${file}` });
    try {
      const [{ n } = { n: 0 }] = (await check('procedures as p')
        .join('units as u', 'u.id', 'p.unit_id')
        .where('u.parent_id', provinceId)
        .where('p.search_text', 'like', `%${catalogSearch}%`)
        .count({ n: '*' })) as Array<{ n: number }>;
      const [{ m } = { m: 0 }] = (await check('procedures').where('unit_id', Number(merged.row.id)).count({ m: '*' })) as Array<{ m: number }>;
      dataset.catalog = {
        counts: catalogCounts,
        ms: catalogMs,
        searchTerm: catalogSearch,
        searchMatches: Number(n),
        unit: {
          id: Number(merged.row.id),
          code: String(merged.row.code),
          name: String(merged.row.name),
          officer: `canbo.${String(merged.row.code).toLowerCase()}`,
          procedures: Number(m),
        },
      };
    } finally {
      await check.destroy();
    }
  }
  fs.writeFileSync(manifestPath(file), `${JSON.stringify(dataset, null, 2)}\n`);
  return dataset;
}

function summary(d: Dataset): string {
  const c = d.counts;
  return [
    `data set: ${d.file} (${d.ms} ms)`,
    `  ${c.provinces} provinces, ${c.communes} communes, ${c.wards} wards, ${c.specialZones} special zones, ${c.departments} departments`,
    `  history: ${c.inactiveDistricts} districts and ${c.inactiveCommunes} communes ended ${mergeDate}; ${c.units} units in all`,
    `  ${c.users} users (${c.roles} roles); password for every user: ${d.password}`,
    `  coordinator ${d.coordinator.username} of ${d.coordinator.provinceName} (id ${d.coordinator.provinceId}, ${d.coordinator.units} commune-level units)`,
    ...(d.catalog ? catalogSummary(d.catalog) : ['  no catalog (generate with --catalog for the national catalog)']),
  ].join('\n');
}

function catalogSummary(c: CatalogInfo): string[] {
  const n = c.counts;
  const f = (x: number) => x.toLocaleString('en-US');
  return [
    `  catalog (${c.ms} ms): ${f(n.tthc)} TTHC in 34 lists, ${f(n.adopted)} adopted; ${f(n.procedures)} procedures, ${f(n.revisions)} revisions,`,
    `    ${f(n.steps)} steps, ${f(n.forms)} forms, ${f(n.records)} records; states ${Object.entries(n.byState)
      .map(([k, v]) => `${k} ${f(v)}`)
      .join(', ')}`,
    `  catalog measured on ${c.unit.name} (${c.unit.code}, id ${c.unit.id}, ${c.unit.procedures} procedures, officer ${c.unit.officer});`,
    `    search "${c.searchTerm}" matches ${f(c.searchMatches)} procedures of the coordinator's province`,
  ];
}

export { summary as describeDataset };

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, seed: { type: 'string' }, catalog: { type: 'boolean' } } });
  generateDataset({
    file: values.out,
    seed: values.seed ? Number(values.seed) : undefined,
    catalog: values.catalog,
    log: (s) => process.stdout.write(`${s}\n`),
  }).then(
    (d) => process.stdout.write(`${summary(d)}\n`),
    (err: unknown) => {
      // A failed bulk insert quotes its whole SQL in the message: keep the start only.
      process.stderr.write(`generate failed: ${String((err as Error).message ?? err).slice(0, 500)}\n`);
      process.exit(1);
    },
  );
}
