import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity, RESTRICTED_VOLUME_TYPES } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const restrictedVolumeTypes = defineControl({
  id: 'workload.restricted-volume-types',
  version: 1,
  title: 'Pods use only the volume types the restricted standard allows',
  description: `Reports volumes other than ${[...RESTRICTED_VOLUME_TYPES].join(', ')} (hostPath is also reported by workload.host-path-volume).`,
  rationale:
    'Other volume sources (nfs, iscsi, rbd, cephfs, flexVolume, gitRepo...) reach storage directly from the node, outside PersistentVolumes and the access rules around them; gitRepo runs git on the node as root.',
  remediation:
    'Mount storage through a PersistentVolumeClaim (the PersistentVolume holds the nfs, iscsi... source), a CSI ephemeral volume, or emptyDir, ConfigMap, Secret, projected and downwardAPI volumes.',
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.3', 'A.8.9'], nsa: ['pod-security-context'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'volumeTypes').map((v) => fromPss(v)),
});
