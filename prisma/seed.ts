/**
 * `npm run db:seed`: the catalog (frameworks, requirements, controls) and the demo organizations.
 * `--catalog-only` writes just the catalog (tests, production upgrades). `--reset` is handled by scripts/demo.sh.
 */
import 'dotenv/config';
import { seedCatalog } from '../lib/services/catalog/seed-catalog';
import { seedDemoOrganizations } from './demo/seed-demo';
import { disconnectDb } from '../lib/platform/db/client';

async function main() {
  const catalog = await seedCatalog();
  console.log(`[seed] catalog: ${catalog.frameworks} frameworks, ${catalog.requirements} requirements, ${catalog.controls} controls, ${catalog.mappings} mappings`);
  if (process.argv.includes('--catalog-only')) return;
  console.log(`[seed] demo: ${await seedDemoOrganizations()}`);
}

main()
  .catch((error: unknown) => { console.error(`[seed] ERROR: ${error instanceof Error ? error.stack ?? error.message : String(error)}`); process.exitCode = 1; })
  .finally(() => disconnectDb());
