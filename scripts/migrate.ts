/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (the runner is lib/platform/db/migrate.ts). */
import 'dotenv/config';
import { migrate } from '../lib/platform/db/migrate';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
migrate(url, (line) => console.log(`[migrate] ${line}`))
  .then(({ applied, alreadyApplied }) => console.log(`[migrate] ${applied.length} applied, ${alreadyApplied} already up to date`))
  .catch((error: unknown) => {
    console.error(`[migrate] ERROR: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
