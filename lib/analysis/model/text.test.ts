import { describe, expect, it } from 'vitest';
import { withoutTrailingSlashes } from './text';

describe('withoutTrailingSlashes', () => {
  it('drops only the slashes at the end', () => {
    expect(withoutTrailingSlashes('/var/run/')).toBe('/var/run');
    expect(withoutTrailingSlashes('ghcr.io/acme///')).toBe('ghcr.io/acme');
    expect(withoutTrailingSlashes('//etc')).toBe('//etc');
    expect(withoutTrailingSlashes('///')).toBe('');
    expect(withoutTrailingSlashes('')).toBe('');
  });
});
