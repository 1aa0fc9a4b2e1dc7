import 'dotenv/config';
import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection URL here, not from schema.prisma. Migrations are applied by our runner,
// lib/platform/db/migrate.ts, through `npm run db:migrate` (Prisma's migrate commands need a schema engine
// these machines cannot download).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark' },
});
