import type { Severity } from '../../platform/db/client';

/** The finding the maintenance job opens on a cluster whose agent stopped reporting (pipeline/maintenance). */
export const AGENT_NOT_REPORTING_CONTROL = 'platform.agent-not-reporting';

/** Controls that are not engine checks but still produce findings (from the pipeline itself). */
export const PLATFORM_CONTROLS = [{
  id: AGENT_NOT_REPORTING_CONTROL,
  title: 'The Bulwark agent reports on schedule',
  description: 'A cluster whose agent stopped reporting is a cluster nobody is watching.',
  rationale: 'Compliance evidence must be current: after three missed reporting intervals the last known state can no longer be trusted.',
  remediation: 'Check the bulwark-agent Deployment in the bulwark-system namespace (kubectl -n bulwark-system logs deploy/bulwark-agent) and its token.',
  severity: 'HIGH' as Severity,
  kinds: ['Cluster'],
}];
