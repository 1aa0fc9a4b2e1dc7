// Test-only preview worker: tasks of the organization named in workerData wait on a shared gate before doing the
// real work, so a test holds a preview "in progress" (a full pool, an over-limit preview) without timing.
import { workerData } from 'piscina';
import { tsImport } from 'tsx/esm/api';

const { previewTask } = await tsImport('../preview-task.ts', import.meta.url);

export default function gatedPreviewTask({ started, ...input }) {
  started.postMessage('started');
  started.close();
  if (input.organizationId === workerData.gatedOrganizationId) {
    Atomics.add(workerData.gate, 1, 1); // tells the test a gated task is running
    Atomics.wait(workerData.gate, 0, 0);
  }
  return previewTask(input);
}
