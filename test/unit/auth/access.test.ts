import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/auth/access.js';

const operator = { kind: 'principal', principal: { kind: 'operator', id: 'op001' } } as const;

describe('access decisions', () => {
  it('given a public route, then anyone passes, with or without a token', () => {
    for (const presented of [{ kind: 'none' }, { kind: 'unknown' }, operator] as const) expect(decideAccess('public', presented)).toEqual({ allowed: true });
  });

  it('given no token or one nobody has, then 401: another token could help', () => {
    expect(decideAccess(['api'], { kind: 'none' })).toEqual({ allowed: false, status: 401, error: 'unauthorized', message: 'missing authorization header' });
    expect(decideAccess(['api'], { kind: 'unknown' })).toEqual({ allowed: false, status: 401, error: 'unauthorized', message: 'invalid authorization header' });
  });

  it('given a known caller of a kind the route serves, then it passes; of another kind, 403 naming who it serves', () => {
    expect(decideAccess(['api', 'operator'], operator)).toEqual({ allowed: true });
    expect(decideAccess(['api', 'supervisor'], operator)).toEqual({
      allowed: false, status: 403, error: 'forbidden', message: 'this route is not for the operator token (it serves: api, supervisor)',
    });
  });

  it('given a route with no allowance at all, then even a known caller is refused', () => {
    expect(decideAccess(undefined, operator)).toMatchObject({ allowed: false, status: 403 });
  });
});
