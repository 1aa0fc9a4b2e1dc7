import { describe, expect, it } from 'vitest';
import { classifyNamedValue, detectInConfigFile, detectSecretPattern, MIN_PATTERN_LENGTH, detectSecretValue, isHighEntropyToken, isSensitiveName, shannonEntropy } from './detect';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';

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

describe('content patterns, as rewritten to run in linear time', () => {
  const header = 'eyJhbGciOiJIUzI1NiJ9';
  const payload = 'eyJzdWIiOiIxMjM0NTY3ODkwIn0';

  it.each([
    [`Bearer ${header}.${payload}.sig`, 'jwt'],
    [`x${header}.${payload}.`, 'jwt'], // eyJ inside its run, and an empty signature
    [`abc.${header}.${payload}.sig`, 'jwt'], // the header after another dotted segment
    [`token=${header}.${payload}.sig;`, 'jwt'],
    ['eyJabcdefgh.eyJabcdefgh.', 'jwt'], // the shortest: eyJ and 8 characters on each side of the dot
    ['mysql://root:s3cr3t@10.0.0.5:3306/db', 'credential-url'],
    ['jdbc:postgresql://app:pa:ss@db/app', 'credential-url'], // a colon in the password
    ['git+ssh://deploy:tok@github.com/org/repo.git', 'credential-url'],
    ['see x1://user:pw@host', 'credential-url'], // a scheme with a digit, after other words
    ['-----BEGIN EC PRIVATE KEY-----', 'private-key'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private-key'],
    ['-----BEGIN PRIVATE KEY-----', 'private-key'],
  ])('recognizes %s as %s', (value, reason) => expect(detectSecretPattern(value)).toBe(reason));

  it.each([
    `${header}.${payload}`, // no dot after the payload
    `${header}.eyJshort.sig`, // a payload under 11 characters
    'eyJabcdefg.eyJabcdefgh.x', // a header with 7 characters after eyJ
    `${header}.x${payload}.sig`, // the payload doesn't start with eyJ
    `${header}. ${payload}.sig`,
    '1://user:pw@host', // a scheme needs a letter
    'https://user@host/path', // no password
    'https://host/a:b@c', // the colon and @ are in the path, not before the host
    'http://user: pw@host',
    '-----BEGIN PUBLIC KEY-----',
    '-----BEGIN rsa PRIVATE KEY-----',
  ])('does not take %s for a credential', (value) => expect(detectSecretPattern(value)).toBeNull());

  it('skips values shorter than the shortest pattern, and that pattern is found at its length', () => {
    expect(MIN_PATTERN_LENGTH).toBe(8);
    expect(detectSecretPattern('a://b:c@')).toBe('credential-url');
    // Every pattern's test above is longer than the cut: the cut cannot hide one of them.
    for (const value of ['a://b:c', 'x://:c@', 'ab://c@']) expect(detectSecretPattern(value)).toBeNull();
  });
});

describe('values too long to scan', () => {
  const longest = 'a'.repeat(MAX_SCANNED_VALUE_LENGTH);

  it('reads a value up to the cap and redacts a longer one without reading it', () => {
    expect(detectSecretValue(longest)).toBeNull();
    expect(detectSecretValue(`${longest}a`)).toBe('too-long-to-scan');
    expect(detectSecretPattern(`${longest}a`)).toBe('too-long-to-scan');
  });

  it('redacts a named value whose name or value is too long, whatever the name says', () => {
    expect(classifyNamedValue('LOG_LEVEL', `${longest}a`)).toBe('too-long-to-scan');
    expect(classifyNamedValue(`${longest}a`, 'info')).toBe('too-long-to-scan');
    expect(classifyNamedValue('LOG_LEVEL', 'info')).toBeNull();
  });

  it('still finds a credential at the very end of a value as long as the cap', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    expect(detectSecretValue(' '.repeat(MAX_SCANNED_VALUE_LENGTH - token.length) + token)).toBe('known-token-format');
  });
});

describe('shannonEntropy', () => {
  it('counts characters outside the Basic Multilingual Plane once', () => {
    expect(shannonEntropy('🔑🔑')).toBe(0);
    expect(shannonEntropy('🔑a')).toBe(1);
  });
});

describe('detectInConfigFile', () => {
  it('finds a credential line in properties, YAML and JSON config files', () => {
    expect(detectInConfigFile('server.port=8080\nspring.datasource.password=hunter2\n')).toBe('sensitive-name');
    expect(detectInConfigFile('db:\n  host: db.internal\n  password: "hunter2"\n')).toBe('sensitive-name');
    expect(detectInConfigFile('{\n  "apiKey": "k-123456",\n  "region": "eu"\n}')).toBe('sensitive-name');
  });

  it('leaves settings, references and placeholders alone', () => {
    const ordinary = [
      'server.port=8080\nlog.level=info',
      'db:\n  password: ${DB_PASSWORD}\n  passwordFile: /run/secrets/db\n  passwordMinLength: 12',
      'auth:\n  token:\n    enabled: true\n  secretName: db-creds',
      'password: "{{ .Values.db.password }}"',
      'checksum: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    ];
    for (const text of ordinary) expect(detectInConfigFile(text), text).toBeNull();
  });
});
