import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/auth/access.js';
import { isLoopback } from '../../../src/auth/auth-hook.js';

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

  it('given a route that lets this host in without a token, then a tokenless request from loopback passes, a wrong or misplaced token is still refused', () => {
    const loopback = { tokenlessLoopback: true };
    expect(decideAccess(['metrics'], { kind: 'none' }, loopback)).toEqual({ allowed: true });
    expect(decideAccess(['metrics'], { kind: 'none' }, { tokenlessLoopback: false })).toMatchObject({ allowed: false, status: 401 });
    expect(decideAccess(['metrics'], { kind: 'unknown' }, loopback)).toMatchObject({ allowed: false, status: 401 });
    expect(decideAccess(['metrics'], operator, loopback)).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess(undefined, { kind: 'none' }, loopback)).toMatchObject({ allowed: false });
  });

  it('given peer addresses, then only 127.0.0.0/8 and ::1 (also IPv4-mapped) are this host', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address), address).toBe(true);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '::', '0.0.0.0', '128.0.0.1', '1127.0.0.1', undefined]) expect(isLoopback(address), String(address)).toBe(false);
  });
});
