import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const persistentVolumeCreate = defineControl({
  id: 'rbac.persistentvolume-create',
  version: 1,
  title: 'Access to create PersistentVolumes is minimal',
  description: 'Reports subjects that can create PersistentVolumes.',
  rationale: 'A PersistentVolume can point at a hostPath, so creating one is a way to mount the node\'s file system into a pod without a hostPath volume in the pod spec.',
  remediation: 'Let workloads request storage through PersistentVolumeClaims and a StorageClass; keep create on persistentvolumes for the storage provisioner.',
  severity: 'medium',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.9'], iso27001: ['A.8.2', 'A.8.3'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.persistentVolumeCreate,
      ({ subject, grant }) => `${subject} can create PersistentVolumes, including hostPath volumes on any node${via(grant)}`,
    ),
});
