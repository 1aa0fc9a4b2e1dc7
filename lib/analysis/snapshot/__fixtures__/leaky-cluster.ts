/**
 * Raw Kubernetes objects with credentials planted where real clusters leak them. Tests serialize the built
 * snapshot and search it for every planted value. Test-only: nothing outside *.test.ts imports this.
 */

const jwt = [
  Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"payments-service","iat":1716239022}').toString('base64url'),
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');

export const PLANTED = {
  awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  jwt,
  pemBody: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
  randomToken: 'q8Zr2vLkP0xW7nB4tY1sH6mJ3dF9gC5aE0uR8iOz',
  dbPassword: 'correct horse battery staple',
  githubToken: 'ghp_R4nd0mG1tHubT0k3nV4lu3xxxxxxxxxxxxxx1',
  probeToken: 'Bearer probe-planted-bearer-value',
  databaseUrlPassword: 'pg-planted-pass',
  slackToken: 'xoxb-1234567890-abcdefghijkl',
  secretData: Buffer.from('super-secret-db-password').toString('base64'),
  secretDataDecoded: 'super-secret-db-password',
  secretStringData: 'plain-stringdata-secret-value',
  lastAppliedPassword: 'last-applied-planted-password',
  initContainerKey: 'init-planted-api-key-value',
  cronJobSecret: 'cron-planted-client-secret',
} as const;

export const pem = `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.pemBody}\n-----END RSA PRIVATE KEY-----\n`;

export const ORDINARY_ENV = [
  { name: 'LOG_LEVEL', value: 'info' },
  { name: 'PORT', value: '8080' },
  { name: 'KEYCLOAK_URL', value: 'https://keycloak.example.com/auth/realms/main' },
  { name: 'TOKEN_FILE', value: '/var/run/secrets/tokens/api' },
  { name: 'REQUIRE_PASSWORD', value: 'true' },
  { name: 'IMAGE', value: 'registry.example.com/team/app:1.2.3' },
  { name: 'REQUEST_ID_HEADER', value: 'x-request-id' },
  { name: 'TENANT_ID', value: '6f1c2b7e-8a4d-4c1b-9f0e-3d2a1b0c9e8f' },
  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
];

const lastApplied = (object: Record<string, unknown>) => JSON.stringify(object);

const appContainer = {
  name: 'app',
  image: 'registry.example.com/payments:1.4.2',
  args: ['--listen=:8080', `--github-token=${PLANTED.githubToken}`, '--verbose'],
  env: [
    ...ORDINARY_ENV,
    { name: 'AWS_ACCESS_KEY_ID', value: PLANTED.awsAccessKeyId },
    { name: 'AWS_SECRET_ACCESS_KEY', value: PLANTED.awsSecretAccessKey },
    { name: 'UPSTREAM_AUTH', value: `Bearer ${PLANTED.jwt}` },
    { name: 'SIGNING_MATERIAL', value: pem },
    { name: 'CACHE_SEED_VALUE', value: PLANTED.randomToken },
    { name: 'DB_PASSWORD', value: PLANTED.dbPassword },
    { name: 'DATABASE_URL', value: `postgres://payments:${PLANTED.databaseUrlPassword}@db.payments:5432/payments` },
  ],
  livenessProbe: { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Authorization', value: PLANTED.probeToken }] } },
};

export function leakyObjects(): Record<string, unknown>[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', uid: 'ns-payments' }, status: { phase: 'Active' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'payments',
        namespace: 'payments',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': lastApplied({ env: [{ name: 'DB_PASSWORD', value: PLANTED.lastAppliedPassword }] }),
          'example.com/notify': PLANTED.slackToken,
          'checksum/config': '3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
        },
        managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
        resourceVersion: '48213',
      },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'payments' } },
          spec: {
            initContainers: [{ name: 'migrate', image: 'registry.example.com/migrate:1', env: [{ name: 'API_KEY', value: PLANTED.initContainerKey }] }],
            containers: [appContainer],
          },
        },
      },
      status: { replicas: 2, readyReplicas: 2 },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'payments-7d4b9-x2x8k', namespace: 'payments', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'payments-7d4b9', controller: true }] },
      spec: { containers: [appContainer], ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', env: [{ name: 'GH_TOKEN', value: PLANTED.githubToken }] }] },
      status: { phase: 'Running', podIP: '10.0.3.7', containerStatuses: [{ name: 'app', ready: true }] },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'payments' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'registry.example.com/report:2', env: [{ name: 'OAUTH_CLIENT_SECRET', value: PLANTED.cronJobSecret }] }] } } } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'payments',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': lastApplied({ data: { password: PLANTED.secretData } }),
          'owner': 'team-payments',
        },
      },
      type: 'Opaque',
      data: { password: PLANTED.secretData },
      stringData: { 'extra-token': PLANTED.secretStringData },
    },
  ];
}
