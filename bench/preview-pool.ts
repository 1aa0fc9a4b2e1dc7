/**
 * `npx tsx bench/preview-pool.ts [pods]`: what a custom-control preview of one large cluster costs the web process's
 * event loop, on the event loop (as before) and through the preview pool (lib/services/policies/preview-pool.ts).
 * Measures the preview's wall time and the event loop's longest stall during it (a 10 ms ticker records the
 * largest gap). Default: 10,000 Pods. Results: bench/CUSTOM-CONTROLS.md.
 */
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { CUSTOM_CONTROL_EXAMPLES } from '@/lib/analysis/cel';
import { previewTask } from '@/lib/services/policies/preview-task';
import { PreviewPool } from '@/lib/services/policies/preview-pool';
import { benchSnapshot } from './synthetic';

const pods = Number(process.argv[2] ?? 10_000);
const { snapshot } = benchSnapshot(pods);
const body = gzipSync(Buffer.from(JSON.stringify(snapshot)));
const rule = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === 'approved-registries')?.rule ?? CUSTOM_CONTROL_EXAMPLES[0]!.rule;
const params = { allowedRegistries: ['registry.acme.io/'] };
const input = () => ({ organizationId: 'bench', rule, params, body: new Uint8Array(body) });

async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 10); last = now; }, 10);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  const ms = performance.now() - started - 20;
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(ticker);
  console.log(`${label}: ${Math.round(ms)} ms wall, event loop's longest stall ${Math.round(worst)} ms`);
}

console.log(`${pods} pods, ${(body.length / 2 ** 20).toFixed(1)} MiB gzip; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const pool = new PreviewPool({ threads: 2 });
await pool.run(input()); // warm the thread (tsx compiles the task once per thread)
for (let i = 0; i < 2; i++) {
  await measure('on the event loop', async () => previewTask(input()));
  await measure('in the preview pool', () => pool.run(input()));
}
await pool.close();
