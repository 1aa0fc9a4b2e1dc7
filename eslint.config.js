import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// The house's layers (docs/ARCHITECTURE.md). Two mechanisms:
// - `import-x/no-restricted-paths` checks *resolved* files, so `@/lib/...` and `../..` imports are judged alike:
//   which layer and which room an import lands in, whatever its spelling.
// - `no-restricted-imports` for packages (pure folders take no framework, database, queue, filesystem or network).
// ESLint replaces a rule's options per matching block instead of merging them, so each block lists all it needs.

/** Domain services, lowest first: a room imports only rooms listed before it, so no cycle among them can exist. */
export const SERVICE_ROOMS = [
  'audit', 'orgs', 'sso', 'identity', 'ingest', 'scores', 'catalog', 'policies', 'notifications', 'mail', 'evidence', 'soa', 'findings', 'access', 'pipeline',
  'tickets', 'digests', 'jira', 'webhooks', 'clusters', 'reviews', 'dashboard', 'reports', 'api', 'events',
];
/** Platform plumbing, lowest first (same rule). */
export const PLATFORM_ROOMS = ['errors.ts', 'input.ts', 'app-links.ts', 'net', 'env.ts', 'log.ts', 'db', 'queue', 'rate-limit.ts', 'auth', 'health.ts'];
/**
 * The pure analysis, lowest first (same rule): the snapshot contract; the model controls read it through (typed
 * workloads, RBAC, evidence, the control definition); the controls; the frameworks they map to; the engine that
 * runs the catalog and scores the frameworks.
 */
export const ANALYSIS_ROOMS = ['snapshot', 'model', 'access', 'cel', 'controls', 'frameworks', 'engine'];

/** The one exception to the order: `events/emit` (the outbox writer) is a leaf every room may append through. */
const EVENTS_LEAF = ['./lib/services/events/emit.ts', './lib/services/events/types.ts'];

const TESTS = ['**/*.test.ts', '**/*.fuzz.test.ts', '**/*.integration.test.ts'];
const NO_GENERATED_PRISMA = { group: ['**/db/generated/*', '**/db/generated'], message: 'Import Prisma through lib/platform/db (dbFor, systemDb).' };
const PURE_PACKAGES = {
  group: ['next', 'next/*', '@prisma/*', 'bullmq', 'ioredis', 'pg', 'node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https'],
  message: 'Pure folders take data in and return data: no framework, database, queue, filesystem or network.',
};

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });
const ENTRIES = ['./app', './workers', './scripts', './bench', './prisma', './e2e', './scan', './agent'];

/** Every layer's forbidden arrows, by resolved path. */
const layerZones = [
  // lib/ serves the entries; it never imports them.
  ...ENTRIES.map((entry) => zone('./lib', entry, `lib/ must not import ${entry.slice(2)}/: the entries use lib, not the reverse.`)),
  zone('./lib/platform', './lib/services', 'Platform plumbing must not import domain services (an arrow running back up).'),
  zone('./lib/platform', './lib/analysis', 'Platform plumbing knows nothing of the analysis.'),
  zone('./lib/platform', './lib/web', 'Only app/ imports lib/web.'),
  zone('./lib/analysis', './lib/platform', 'The analysis is pure: data in, data out (no env, database or logging).'),
  zone('./lib/analysis', './lib/services', 'The analysis is pure and knows nothing of the services built on it.'),
  zone('./lib/analysis', './lib/web', 'Only app/ imports lib/web.'),
  zone('./lib/services', './lib/web', 'Only app/ imports lib/web: services are Next.js-free.'),
  zone('./workers', './lib/web', 'Only app/ imports lib/web.'),
  // The offline scanner and the agent run without the server: they share only the pure analysis.
  ...['./lib/platform', './lib/services', './lib/web', './lib/testing', './app', './workers'].flatMap((from) => [
    zone('./scan', from, 'The scan CLI is offline: it imports only lib/analysis.'),
    zone('./agent/src', from, 'The agent runs in the customer cluster: it imports only lib/analysis/snapshot (the contract).'),
  ]),
  zone('./agent/src', './lib/analysis', 'The agent imports only the agent-backend contract (lib/analysis/snapshot).', ['./snapshot']),
  zone('./agent', './scan', 'Entries do not import each other.'),
  zone('./scan', './agent', 'Entries do not import each other: the manifest reader lives in lib/analysis/snapshot.'),
  // The engine has one door: everything outside lib/analysis/engine (the glob: every path but that folder and
  // what is below it) imports it through its index.
  zone('./{!(lib),lib/!(analysis),lib/analysis/!(engine)}{,/**}', './lib/analysis/engine',
    'Import the engine through its door, @/lib/analysis/engine (engine/index.ts).', ['./index.ts']),
  // The access room (who can do what) likewise has one door.
  zone('./{!(lib),lib/!(analysis),lib/analysis/!(access)}{,/**}', './lib/analysis/access',
    'Import the access room through its door, @/lib/analysis/access (access/index.ts).', ['./index.ts']),
];

/** Service rooms, by rank: each room's forbidden targets are the rooms above it. */
const roomZones = SERVICE_ROOMS.flatMap((room, rank) =>
  SERVICE_ROOMS.slice(rank + 1).map((higher) =>
    higher === 'events'
      ? zone(`./lib/services/${room}`, './lib/services/events', `${room} may append events through events/emit only; their dispatch (events/) sits above every room.`, EVENTS_LEAF.map((f) => f.replace('./lib/services/events', '.')))
      : zone(`./lib/services/${room}`, `./lib/services/${higher}`, `${room} sits below ${higher} in the service order (eslint.config.js SERVICE_ROOMS): move the shared piece down, or let ${higher} call ${room}.`),
  ),
);

const rankZones = (layer, rooms) => rooms.flatMap((room, rank) =>
  rooms.slice(rank + 1).map((higher) => zone(`./lib/${layer}/${room}`, `./lib/${layer}/${higher}`,
    `lib/${layer}/${room} sits below ${higher} (eslint.config.js, ${layer} order): an arrow running back up.`)));
roomZones.push(...rankZones('platform', PLATFORM_ROOMS), ...rankZones('analysis', ANALYSIS_ROOMS));

/** Production code never reaches into test support. */
const testingZones = ['./lib', './app', './workers', './scan', './agent/src'].map((target) =>
  zone(target, './lib/testing', 'lib/testing is test support: production code must not import it.'));

const RAW_SQL = {
  selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]",
  message: 'Raw SQL lives in lib/platform/db (*-sql.ts): give the query a named function there.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', '.next-*/**', 'lib/platform/db/generated/**', 'tools/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'bench/out/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...roomZones, ...testingZones] }],
    },
  },
  {
    // Tests exercise a room from outside (an integration test dispatches the events its actions emit) and use
    // the factories; the layers bind production code.
    files: TESTS.concat(['lib/testing/**']),
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones.filter((z) => !z.target.startsWith('./lib/services') && z.from !== './lib/services') }] },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['lib/platform/db/**', 'scripts/**', 'prisma/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_GENERATED_PRISMA] }] },
  },
  {
    files: ['lib/analysis/**', 'lib/services/reports/render/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_GENERATED_PRISMA, PURE_PACKAGES] }] },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx', 'app/**/*.ts', 'app/**/*.tsx', 'workers/**/*.ts'],
    ignores: ['lib/platform/db/**', ...TESTS, 'lib/testing/**'],
    rules: { 'no-restricted-syntax': ['error', RAW_SQL] },
  },
);
