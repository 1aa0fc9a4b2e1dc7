import { describe, expect, it } from 'vitest';
import { classifyNamedValue, detectSecretValue, isHighEntropyToken, isSensitiveName, shannonEntropy } from './detect';

describe('isSensitiveName', () => {
  it.each(['DB_PASSWORD', 'dbPassword', 'MYSQL_ROOT_PASSWD', 'client_secret', 'GITHUB_TOKEN', 'API_KEY', 'APIKEY', 'x-api-key',
    'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'SENTRY_DSN', 'Authorization', 'DB_PASS', '--db-password'])(
    'treats %s as a credential name',
    (name) => expect(isSensitiveName(name)).toBe(true),
  );

  it.each(['KEYCLOAK_URL', 'TOKENIZER_MODEL', 'LOG_LEVEL', 'PORT', 'PWD', 'TOKEN_FILE', 'SECRET_NAME', 'AWS_ACCESS_KEY_ID', 'PRIVATE_KEY_PATH',
    'MONKEY_PATCH', 'PASSTHROUGH', '--tls-private-key-file'])(
    'does not treat %s as a credential name',
    (name) => expect(isSensitiveName(name)).toBe(false),
  );
});

describe('detectSecretValue', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'aws-access-key'],
    ['ASIAY34FZKBOKMUTVV7A', 'aws-access-key'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----', 'private-key'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'known-token-format'],
    ['xoxb-1234567890-abcdefghijkl', 'known-token-format'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'known-token-format'],
    ['postgres://app:hunter2@db:5432/app', 'credential-url'],
    ['q8Zr2vLkP0xW7nB4tY1sH6mJ3dF9gC5aE0uR8iOz', 'high-entropy'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'high-entropy'],
  ])('recognizes %s as %s', (value, reason) => expect(detectSecretValue(value)).toBe(reason));

  it.each([
    'info', '8080', 'https://keycloak.example.com/auth/realms/main', 'registry.example.com/team/app:1.2.3',
    'my-service.my-namespace.svc.cluster.local', '6f1c2b7e-8a4d-4c1b-9f0e-3d2a1b0c9e8f', '/var/run/secrets/kubernetes.io/serviceaccount',
    '-Xmx512m -XX:+UseG1GC -Dfile.encoding=UTF-8', 'postgres://db.payments:5432/payments', 'NodeRestriction,PodSecurity',
  ])('keeps the ordinary value %s', (value) => expect(detectSecretValue(value)).toBeNull());
});

describe('entropy', () => {
  it('measures bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('needs a minimum length before calling a string random', () => {
    expect(isHighEntropyToken('q8Zr2vLkP0xW7nB4')).toBe(false);
  });
});

describe('classifyNamedValue', () => {
  it('redacts a plain password by its name and keeps switches and empty values', () => {
    expect(classifyNamedValue('DB_PASSWORD', 'correct horse battery staple')).toBe('sensitive-name');
    expect(classifyNamedValue('REQUIRE_PASSWORD', 'true')).toBeNull();
    expect(classifyNamedValue('DB_PASSWORD', '')).toBeNull();
    expect(classifyNamedValue('--enable-bootstrap-token-auth', 'false')).toBeNull();
    expect(classifyNamedValue('DB_PASSWORD', '$(PASSWORD_FROM_SECRET)')).toBeNull();
  });
});
