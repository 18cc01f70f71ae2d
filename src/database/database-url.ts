import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';

/** The configured server, or an embedded one started for this process. */
export async function resolveDatabaseUrl(
  config: AppConfig,
): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = new EmbeddedDatabase(config.DATA_DIR);
  return { url: await embedded.start(), embedded };
}
