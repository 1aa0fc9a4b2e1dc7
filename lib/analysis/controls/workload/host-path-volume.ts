import { defineControl, violation } from '@/lib/analysis/model/control';
import { withoutTrailingSlashes } from '@/lib/analysis/model/text';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

/** Host paths that hand over the node: its root, its runtime socket, kubelet credentials, kernel interfaces. */
const CRITICAL_PREFIXES = ['/var/run/docker.sock', '/run/containerd', '/var/run/containerd', '/run/crio', '/var/run/crio', '/var/lib/kubelet', '/etc/kubernetes', '/proc', '/sys', '/root', '/etc', '/dev'];

function isCriticalPath(path: string): boolean {
  const clean = withoutTrailingSlashes(path) || '/';
  if (clean === '/' || clean === '/var' || clean === '/var/run' || clean === '/run') return true;
  return CRITICAL_PREFIXES.some((prefix) => clean === prefix || clean.startsWith(`${prefix}/`));
}

export const hostPathVolume = defineControl({
  id: 'workload.host-path-volume',
  version: 1,
  title: 'Pods do not mount hostPath volumes',
  description: 'Reports pods and pod templates with hostPath volumes; the node root, container runtime sockets, /proc, /etc and kubelet paths are critical.',
  rationale: 'A hostPath volume exposes the node\'s file system to the container. Writable, it is a direct escape; even read-only it can leak kubelet credentials and other pods\' data.',
  remediation: 'Use emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead. If a node agent must read host files, mount the narrowest path read-only.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.12'], iso27001: ['A.8.3', 'A.8.9'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.spec.volumes
      .filter((volume) => volume.hostPath !== undefined)
      .map((volume) => {
        const path = volume.hostPath ?? '';
        const v = violation(`volume "${volume.name}" mounts host path ${path || '(empty)'} from the node`, workload.path(`volumes[${volume.index}].hostPath.path`), path, `volume:${volume.name}`);
        return isCriticalPath(path) ? { ...v, severity: 'critical' as const } : v;
      }),
});
