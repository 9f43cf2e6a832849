import { parseArgs } from 'node:util';
import { loadConfig } from './config/config.ts';
import { createDb, dialectOf } from './db/knex.ts';
import { migrateCore } from './db/migrator.ts';
import { systemClock } from './lib/clock.ts';
import { randomToken } from './auth/password.ts';
import { UsersService } from './modules/users/users.service.ts';
import { AppError } from './http/errors.ts';
import { seedDemo } from './cli/demo-seed.ts';

/** Operators' commands: `npm run cli -- <command> [options]`. */
const help = `isotrack CLI
  migrate                         apply database migrations
  user:create --username U --full-name "Name" [--password P] [--email E] [--admin]
                                  create a user (a random password is printed when none is given)
  setup:link                      print a new one-time setup link (only while no user exists)
  seed:demo                       load the demo data (Đắk Nông, Lai Châu) and print the demo accounts
  db:backup --out FILE            SQLite: write a consistent copy of the database to FILE`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' }, 'full-name': { type: 'string' }, password: { type: 'string' },
      email: { type: 'string' }, admin: { type: 'boolean' }, out: { type: 'string' },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${help}\n`);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  const db = createDb({ url: config.databaseUrl });
  try {
    await migrateCore(db);
    const users = new UsersService(db, systemClock, config);
    switch (command) {
      case 'migrate':
        process.stdout.write('migrations applied\n');
        return 0;
      case 'user:create': {
        const password = values.password ?? randomToken(12);
        const u = await users.create(undefined, { username: values.username, fullName: values['full-name'], email: values.email, password }, { admin: !!values.admin });
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
      case 'db:backup': {
        if (dialectOf(config.databaseUrl) !== 'sqlite') {
          process.stderr.write('On PostgreSQL use pg_dump.\n');
          return 1;
        }
        if (!values.out) throw new Error('--out FILE is required');
        await db.raw('VACUUM INTO ?', [values.out]);
        process.stdout.write(`backup written to ${values.out}\n`);
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
