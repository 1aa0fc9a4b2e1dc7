// The entry of each intake worker thread (lib/services/ingest/intake-pool.ts). A plain .mjs file on disk, not bundled by
// Next.js: a worker thread needs a file Node can load itself, under `next start`, `tsx` and vitest alike. tsx
// (a runtime dependency, like for the BullMQ workers) compiles the TypeScript task once per thread.
import { tsImport } from 'tsx/esm/api';

const { validateSnapshotTask } = await tsImport('./validate-snapshot-task.ts', import.meta.url);
const { validateNodeReportTask } = await tsImport('./validate-node-report-task.ts', import.meta.url);

export default function runIntakeTask({ started, task, ...input }) {
  // The pool's time limit counts from here: waiting for a thread (or for one to start) is not the task's doing.
  started.postMessage('started');
  started.close();
  return task === 'node-report' ? validateNodeReportTask(input) : validateSnapshotTask(input);
}
