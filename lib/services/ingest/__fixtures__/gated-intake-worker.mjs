// Test-only intake worker: tasks of the organization named in workerData wait on a shared gate before doing the
// real work, so a test can hold a hostile snapshot "in progress" for as long as it needs, without timing.
import { workerData } from 'piscina';
import { tsImport } from 'tsx/esm/api';

const { validateSnapshotTask } = await tsImport('../validate-snapshot-task.ts', import.meta.url);

export default function gatedValidateSnapshotTask({ started, ...input }) {
  started.postMessage('started');
  started.close();
  if (input.organizationId === workerData.gatedOrganizationId) {
    Atomics.add(workerData.gate, 1, 1); // tells the test a gated task is running
    Atomics.wait(workerData.gate, 0, 0);
  }
  return validateSnapshotTask(input);
}
