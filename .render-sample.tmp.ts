import { readFileSync, writeFileSync } from 'node:fs';
import { renderPdf } from '@/lib/reports/render/pdf';
import { sampleReportData } from '@/lib/reports/render/sample-report';
const fonts = { regular: readFileSync('node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), bold: readFileSync('node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf') };
for (const n of process.argv.slice(2).map(Number)) {
  const t = performance.now();
  const chunks: Uint8Array[] = [];
  for await (const c of renderPdf(sampleReportData({ findings: n }), fonts)) chunks.push(c);
  const buf = Buffer.concat(chunks);
  writeFileSync(`artifacts/reports/sample-${n}.pdf`, buf);
  console.log(n, Math.round(performance.now() - t), 'ms', buf.length, 'bytes', process.memoryUsage().rss >> 20, 'MB rss');
}
