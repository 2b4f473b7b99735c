import { describe, expect, it } from 'vitest';
import { credentialResolver } from '../../../src/auth/credentials.js';

const tokens = {
  apiToken: 'api-secret', supervisorToken: 'supervisor-secret', adminToken: 'admin-secret',
  operatorTokens: { op001: 'op001-secret', op002: 'op002-secret' },
};

describe('credentials', () => {
  it('given each configured token, then it resolves to its principal; an operator token to that operator', () => {
    const resolve = credentialResolver(tokens);
    expect(resolve('api-secret')).toEqual({ kind: 'api', id: 'api' });
    expect(resolve('supervisor-secret')).toEqual({ kind: 'supervisor', id: 'supervisor' });
    expect(resolve('admin-secret')).toEqual({ kind: 'admin', id: 'admin' });
    expect(resolve('op002-secret')).toEqual({ kind: 'operator', id: 'op002' });
  });

  it('given a token nobody has, a prefix of one or an empty one, then nobody', () => {
    const resolve = credentialResolver(tokens);
    for (const presented of ['wrong', 'api-secre', 'api-secret ', '']) expect(resolve(presented), presented).toBeNull();
  });

  it('given two principals with the same token, then the configuration is refused naming them, never the token', () => {
    const shared = { ...tokens, operatorTokens: { op001: 'op001-secret', op002: 'admin-secret' } };
    expect(() => credentialResolver(shared)).toThrow('admin admin and operator op002 have the same token; give each its own');
    try {
      credentialResolver(shared);
    } catch (error) {
      expect((error as Error).message).not.toContain('admin-secret');
    }
  });

  it('given the scraper\'s token, then it is the metrics principal; without one configured nobody has it; shared with the API, the configuration is refused', () => {
    expect(credentialResolver({ ...tokens, metricsToken: 'metrics-secret' })('metrics-secret')).toEqual({ kind: 'metrics', id: 'metrics' });
    expect(credentialResolver(tokens)('metrics-secret')).toBeNull();
    expect(() => credentialResolver({ ...tokens, metricsToken: 'api-secret' })).toThrow('api api and metrics metrics have the same token; give each its own');
  });
});
