/* A separate app instance for tests that need to kill one (run with ts-node, env from the parent). */
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  await createApp(config, config.DATABASE_URL!);
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
