/**
 * `npx tsx scripts/readme-screenshots.ts`: retakes the README's screenshots (docs/images/*.png) from a running demo
 * (`npm run demo`). It signs in as Acme's owner through the dev IdP, like a person would (the same flow as
 * e2e/fixtures/auth.ts), opens each page at 1280×800 in Debian's Chromium and saves a PNG; the PDF report's
 * requirement table is a page of the archived ISO 27001 report, rendered with poppler's pdftoppm.
 *
 * Environment: APP_URL (default http://localhost:3000), SCREENSHOT_EMAIL (default owner@acme.test),
 * SCREENSHOT_ORG (default acme), SCREENSHOT_DIR (default docs/images), CHROMIUM_PATH (default /usr/bin/chromium).
 * It generates a CIS PDF report when Acme's archive has none yet (so the archive shows more than the demo's one
 * report); everything else only reads. A page that answers with an error stops it, so no error page is saved.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { z } from 'zod';

const DEV_PASSWORD = 'bulwark';
const VIEWPORT = { width: 1280, height: 800 } as const;

const Env = z.object({
  APP_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  SCREENSHOT_EMAIL: z.email().default('owner@acme.test'),
  SCREENSHOT_ORG: z.string().regex(/^[a-z0-9-]+$/).default('acme'),
  SCREENSHOT_DIR: z.string().min(1).default(path.resolve(import.meta.dirname, '../docs/images')),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
});
type Env = z.infer<typeof Env>;

const unset = (value: string | undefined) => (value === '' ? undefined : value);

function readEnv(): Env {
  const parsed = Env.safeParse(Object.fromEntries(Object.keys(Env.shape).map((key) => [key, unset(process.env[key])])));
  if (!parsed.success) throw new Error(`readme-screenshots: invalid environment\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function log(line: string): void {
  console.log(`[screenshots] ${line}`);
}

async function assertRunning(appUrl: string): Promise<void> {
  const url = new URL('/api/health', appUrl);
  const response = await fetch(url).catch((error: unknown) => {
    throw new Error(`readme-screenshots: nothing answers at ${url} (${error instanceof Error ? error.message : String(error)}); start the demo first (npm run demo) or set APP_URL`);
  });
  if (!response.ok) throw new Error(`readme-screenshots: ${url} answered HTTP ${response.status}; the demo is not healthy`);
}

/** The app's email-first sign-in, then the IdP's form (the dev IdP's password), back to `callbackPath`. */
async function signIn(page: Page, appOrigin: string, email: string, callbackPath: string): Promise<void> {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/interaction'), { timeout: 30_000 });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === appOrigin && !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/interaction'), { timeout: 30_000 });
}

/** Opens a page and fails on an HTTP error or Next's error page: an error page must never end up in the README. */
async function open(page: Page, pathname: string): Promise<void> {
  const response = await page.goto(pathname, { waitUntil: 'networkidle' });
  const status = response?.status() ?? 0;
  if (status >= 400) throw new Error(`readme-screenshots: GET ${pathname} answered HTTP ${status}`);
  await settle(page, pathname);
}

async function settle(page: Page, what: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const errorText = page.getByText(/Application error|Something went wrong|This page could not be found|Internal Server Error/i);
  if (await errorText.count()) throw new Error(`readme-screenshots: ${what} shows an error page: ${await errorText.first().innerText()}`);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) throw new Error(`readme-screenshots: ${what} sent the browser back to sign-in`);
}

/** Whether a page exists in this build (pages added this round may not be there yet). */
async function exists(page: Page, pathname: string): Promise<boolean> {
  const response = await page.request.get(pathname, { maxRedirects: 0 });
  return response.status() < 400;
}

/** A PNG of the viewport, or of the whole page up to `maxHeight` pixels. */
async function shot(page: Page, dir: string, name: string, opts: { maxHeight?: number } = {}): Promise<void> {
  const file = path.join(dir, `${name}.png`);
  if (opts.maxHeight) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(height, opts.maxHeight) } });
  } else {
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  }
  log(`saved ${path.relative(process.cwd(), file)}`);
}

/** The RBAC finding the README describes: prometheus's ClusterRoleBinding on prod, which reads Secrets through an aggregated ClusterRole. */
async function rbacFindingPath(page: Page, org: string): Promise<string> {
  await open(page, `/o/${org}/findings?control=rbac.secrets-read&q=prometheus&status=all`);
  const rows = page.locator('tbody tr').filter({ hasText: 'ClusterRoleBinding' }).filter({ has: page.getByRole('cell', { name: 'prod', exact: true }) });
  const href = await rows.first().getByRole('link').first().getAttribute('href', { timeout: 10_000 }).catch(() => null);
  if (!href) throw new Error('readme-screenshots: no rbac.secrets-read finding for a ClusterRoleBinding named prometheus on prod; is this the demo data?');
  return href;
}

/** Makes sure the archive holds a finished CIS PDF report besides the demo's ISO one (generates one the first time). */
async function ensureCisReport(page: Page, org: string): Promise<void> {
  await open(page, `/o/${org}/reports`);
  const cisRows = page.getByRole('row').filter({ hasText: 'CIS Kubernetes' }).filter({ hasText: 'PDF' });
  if (await cisRows.count() === 0) {
    log('generating a CIS Kubernetes PDF report');
    await page.getByLabel('Framework').selectOption({ label: await cisLabel(page) });
    await page.getByLabel('Format').selectOption('PDF');
    await page.getByRole('button', { name: 'Generate report' }).click();
  }
  // The page refreshes itself while a report is queued or running.
  await cisRows.first().getByRole('link', { name: /Download/ }).waitFor({ timeout: 180_000 });
  await page.reload({ waitUntil: 'networkidle' });
  await settle(page, `/o/${org}/reports`);
}

async function cisLabel(page: Page): Promise<string> {
  const options = await page.getByLabel('Framework').locator('option').allInnerTexts();
  const label = options.find((option) => /CIS Kubernetes/.test(option));
  if (!label) throw new Error(`readme-screenshots: the report form offers no CIS framework (${options.join(', ')})`);
  return label;
}

/** Downloads the archive's ISO 27001 PDF and renders its requirement table page at 80 dpi. */
async function reportRequirementsPng(page: Page, dir: string): Promise<void> {
  const row = page.getByRole('row').filter({ hasText: 'ISO/IEC 27001' }).filter({ hasText: 'PDF' }).first();
  const href = await row.getByRole('link', { name: /Download/ }).getAttribute('href');
  if (!href) throw new Error('readme-screenshots: the archive has no finished ISO 27001 PDF report');
  const response = await page.request.get(href);
  if (!response.ok()) throw new Error(`readme-screenshots: GET ${href} answered HTTP ${response.status()}`);
  const work = mkdtempSync(path.join(tmpdir(), 'bulwark-screenshots-'));
  try {
    const pdf = path.join(work, 'report.pdf');
    writeFileSync(pdf, await response.body());
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1] ?? 0);
    let found = 0;
    for (let n = 1; n <= pages && !found; n++) {
      const text = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
      if (/^\s*Requirements\s*$/m.test(text) && /\bStatus\b/.test(text)) found = n;
    }
    if (!found) throw new Error(`readme-screenshots: no page of the ISO 27001 report (${pages} pages) starts the requirement table`);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(found), '-l', String(found), '-singlefile', pdf, path.join(dir, 'report-requirements')]);
    log(`saved ${path.relative(process.cwd(), path.join(dir, 'report-requirements.png'))} (page ${found} of ${pages})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function requireTool(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`readme-screenshots: ${name} is missing; install poppler-utils (sudo apt-get install -y poppler-utils)`);
  }
}

async function main(): Promise<void> {
  const env = readEnv();
  for (const tool of ['pdfinfo', 'pdftotext', 'pdftoppm']) requireTool(tool);
  await assertRunning(env.APP_URL);
  mkdirSync(env.SCREENSHOT_DIR, { recursive: true });
  const org = env.SCREENSHOT_ORG;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: env.CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const context = await browser.newContext({ baseURL: env.APP_URL, viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    log(`signing in to ${env.APP_URL} as ${env.SCREENSHOT_EMAIL}`);
    await signIn(page, new URL(env.APP_URL).origin, env.SCREENSHOT_EMAIL, `/o/${org}`);
    await settle(page, 'the dashboard');

    await open(page, `/o/${org}`);
    await shot(page, env.SCREENSHOT_DIR, 'dashboard', { maxHeight: 1300 });

    await open(page, `/o/${org}/findings`);
    await shot(page, env.SCREENSHOT_DIR, 'findings');

    await open(page, await rbacFindingPath(page, org));
    await shot(page, env.SCREENSHOT_DIR, 'finding-rbac', { maxHeight: 1100 });

    await ensureCisReport(page, org);
    await shot(page, env.SCREENSHOT_DIR, 'reports', { maxHeight: 1000 });
    await reportRequirementsPng(page, env.SCREENSHOT_DIR);

    if (await exists(page, `/o/${org}/approvals`)) {
      await open(page, `/o/${org}/approvals`);
      await shot(page, env.SCREENSHOT_DIR, 'approvals', { maxHeight: 1100 });
    } else log('no approvals page in this build: skipped');

    await open(page, `/o/${org}/controls`);
    const soaLink = page.getByRole('link', { name: /ISO\/IEC 27001.*SoA/ });
    if (await soaLink.count()) {
      await open(page, (await soaLink.first().getAttribute('href')) ?? '');
      await shot(page, env.SCREENSHOT_DIR, 'soa', { maxHeight: 1100 });
    } else log('no Statement of Applicability link on the controls page: skipped');
  } finally {
    await browser?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
