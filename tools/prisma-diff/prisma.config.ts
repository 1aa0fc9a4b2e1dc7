import 'dotenv/config';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Prisma 6.19's WASM schema engine, used only to write migration SQL offline (see README.md here).
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './schema.prisma',
  async adapter() {
    return new PrismaPg({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'bulwark_prisma_diff', idleTimeoutMillis: 100 });
  },
});
