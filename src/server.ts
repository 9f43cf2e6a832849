import { boot } from './boot.ts';

/** Starts isotrack and stops it cleanly on SIGTERM/SIGINT (requests in flight finish first). */
try {
  const app = await boot();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  process.stderr.write(`isotrack failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
