// The entry of each preview worker thread (lib/services/policies/preview-pool.ts). A plain .mjs file on disk, not
// bundled by Next.js (as lib/services/ingest/intake-worker.mjs): tsx compiles the TypeScript task once per thread.
import { tsImport } from 'tsx/esm/api';

const { previewTask } = await tsImport('./preview-task.ts', import.meta.url);

export default function runPreviewTask({ started, ...input }) {
  // The pool's time limit counts from here: waiting for a thread (or for one to start) is not the task's doing.
  started.postMessage('started');
  started.close();
  return previewTask(input);
}
