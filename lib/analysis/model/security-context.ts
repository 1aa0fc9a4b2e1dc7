import type { Workload } from './targets';
import type { Container, Effective } from './workload-types';

export type { Effective } from './workload-types';

/**
 * A field that can be set on the pod and on the container: the container's value wins (Kubernetes' precedence);
 * the path points at whichever level decided, or at the container level when neither did.
 */
function effective<T>(workload: Workload, container: Container, field: 'runAsNonRoot' | 'runAsUser'): Effective<T> {
  const own = container.securityContext?.[field];
  if (own !== undefined) return { value: own as T, path: container.path(`securityContext.${field}`), level: 'container' };
  // Ephemeral containers found on a Pod below the workload inherit the Pod's context, which matches the template's.
  const pod = workload.spec.securityContext?.[field];
  if (pod !== undefined) return { value: pod as T, path: workload.path(`securityContext.${field}`), level: 'pod' };
  return { value: undefined, path: container.path(`securityContext.${field}`), level: 'container' };
}

// Several controls (and the Pod Security rows) ask the same container the same question: the answers are kept on
// the container (its memo), which belongs to one workload. Read-only results; a caller that wants to change one spreads it.

export function effectiveRunAsNonRoot(workload: Workload, container: Container): Effective<boolean> {
  return (container.memo.runAsNonRoot ??= effective<boolean>(workload, container, 'runAsNonRoot'));
}

export function effectiveRunAsUser(workload: Workload, container: Container): Effective<number> {
  return (container.memo.runAsUser ??= effective<number>(workload, container, 'runAsUser'));
}

/** Seccomp profile type after precedence: container field, pod field, then the pre-1.19 annotations. */
export function effectiveSeccomp(workload: Workload, container: Container): Effective<string> {
  return (container.memo.seccomp ??= seccompOf(workload, container));
}

function seccompOf(workload: Workload, container: Container): Effective<string> {
  const own = container.securityContext?.seccompProfile?.type;
  if (own) return { value: own, path: container.path('securityContext.seccompProfile.type'), level: 'container' };
  const annotations = workload.spec.annotations;
  const containerAnnotation = annotations[`container.seccomp.security.alpha.kubernetes.io/${container.name}`];
  if (containerAnnotation) return { value: legacySeccomp(containerAnnotation), path: 'metadata.annotations', level: 'container' };
  const pod = workload.spec.securityContext?.seccompProfile?.type;
  if (pod) return { value: pod, path: workload.path('securityContext.seccompProfile.type'), level: 'pod' };
  const podAnnotation = annotations['seccomp.security.alpha.kubernetes.io/pod'];
  if (podAnnotation) return { value: legacySeccomp(podAnnotation), path: 'metadata.annotations', level: 'pod' };
  return { value: undefined, path: container.path('securityContext.seccompProfile.type'), level: 'container' };
}

function legacySeccomp(value: string): string {
  if (value === 'runtime/default' || value === 'docker/default') return 'RuntimeDefault';
  if (value.startsWith('localhost/')) return 'Localhost';
  return 'Unconfined';
}

/** Windows HostProcess: a pod-level true applies to every container unless one says false. */
export function effectiveHostProcess(workload: Workload, container: Container): Effective<boolean> {
  return (container.memo.hostProcess ??= hostProcessOf(workload, container));
}

function hostProcessOf(workload: Workload, container: Container): Effective<boolean> {
  const own = container.securityContext?.windowsHostProcess;
  if (own !== undefined) return { value: own, path: container.path('securityContext.windowsOptions.hostProcess'), level: 'container' };
  const pod = workload.spec.securityContext?.windowsHostProcess;
  if (pod !== undefined) return { value: pod, path: workload.path('securityContext.windowsOptions.hostProcess'), level: 'pod' };
  return { value: undefined, path: container.path('securityContext.windowsOptions.hostProcess'), level: 'container' };
}
