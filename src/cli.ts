import { parseArgs } from 'node:util';
import { loadConfig } from './config/config.ts';
import { createDb } from './db/knex.ts';
import { BackupError, backupDefaults, backupToDir, backupToFile, restoreFrom } from './db/backup.ts';
import { migrateCore } from './db/migrator.ts';
import { systemClock } from './lib/clock.ts';
import { randomToken } from './auth/password.ts';
import { UsersService } from './modules/users/users.service.ts';
import { AppError } from './kernel/errors.ts';
import { seedDemo } from './cli/demo-seed.ts';

/** Operators' commands: `npm run cli -- <command> [options]`. */
const help = `isotrack CLI
  migrate                         apply database migrations
  user:create --username U --full-name "Name" [--password P] [--email E] [--admin]
                                  create a user (a random password is printed when none is given)
  setup:link                      print a new one-time setup link (only while no user exists)
  seed:demo                       load the demo data (Đắk Nông, Lai Châu) and print the demo accounts
  db:backup [--dir DIR] [--keep N]
                                  write a timestamped backup into DIR (default ${backupDefaults.dir}) and keep
                                  the newest N there (default ${backupDefaults.keep}); SQLite: a consistent copy,
                                  PostgreSQL: pg_dump -Fc (needs the PostgreSQL client tools)
  db:backup --out FILE            the same into one new FILE (never overwrites)
  db:restore --from FILE          with the app stopped: check FILE is an isotrack backup, then put it in
                                  place of the database of DATABASE_URL (SQLite keeps the replaced file
                                  as <file>.before-restore-<time>; PostgreSQL: pg_restore --clean)`;

/** Backup and restore open their own connections: a restore must find the target closed. */
async function backupCommand(
  command: 'db:backup' | 'db:restore',
  values: { out?: string; dir?: string; keep?: string; from?: string },
  databaseUrl: string,
): Promise<number> {
  try {
    if (command === 'db:restore') {
      if (!values.from) throw new BackupError('--from FILE is required');
      const { previous } = await restoreFrom(databaseUrl, values.from);
      process.stdout.write(`restored from ${values.from}${previous ? `; the replaced database is kept as ${previous}` : ''}\n`);
      return 0;
    }
    if (values.out) {
      await backupToFile(databaseUrl, values.out);
      process.stdout.write(`backup written to ${values.out}\n`);
      return 0;
    }
    const keep = values.keep === undefined ? backupDefaults.keep : Number(values.keep);
    const { file, removed } = await backupToDir(databaseUrl, values.dir ?? backupDefaults.dir, keep);
    process.stdout.write(`backup written to ${file}\n`);
    for (const r of removed) process.stdout.write(`removed old backup ${r}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof BackupError ? '' : `${command} failed: `}${(err as Error).message}\n`);
    return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      'full-name': { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      admin: { type: 'boolean' },
      out: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'string' },
      from: { type: 'string' },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${help}\n`);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  if (command === 'db:backup' || command === 'db:restore') return backupCommand(command, values, config.databaseUrl);
  const db = createDb({ url: config.databaseUrl, synchronous: config.sqliteSynchronous });
  try {
    await migrateCore(db);
    const users = new UsersService(db, systemClock, config);
    switch (command) {
      case 'migrate':
        process.stdout.write('migrations applied\n');
        return 0;
      case 'user:create': {
        const password = values.password ?? randomToken(12);
        const u = await users.create(
          undefined,
          { username: values.username, fullName: values['full-name'], email: values.email, password },
          { admin: !!values.admin },
        );
        process.stdout.write(`created user ${u.username}${values.admin ? ' (administrator)' : ''}\n`);
        if (!values.password) process.stdout.write(`password (shown once): ${password}\n`);
        return 0;
      }
      case 'setup:link': {
        const token = await users.issueSetupToken();
        if (!token) {
          process.stderr.write('Setup is closed: a user exists already. Use user:create.\n');
          return 1;
        }
        process.stdout.write(`${config.baseUrl}/setup?token=${token}\n`);
        return 0;
      }
      case 'seed:demo': {
        const accounts = await seedDemo(db, systemClock, config);
        process.stdout.write('Demo loaded. Accounts (passwords are shown only this once):\n');
        for (const a of accounts) process.stdout.write(`  ${a.username.padEnd(20)} ${a.password.padEnd(14)} ${a.role.padEnd(12)} ${a.unit}\n`);
        return 0;
      }
      default:
        process.stderr.write(`unknown command: ${command}\n${help}\n`);
        return 1;
    }
  } catch (err) {
    if (err instanceof AppError && err.fields) {
      for (const [field, e] of Object.entries(err.fields)) process.stderr.write(`${field}: ${e.key}${e.params ? ` ${JSON.stringify(e.params)}` : ''}\n`);
    } else process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
