import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { RouteAllowance } from '../../../src/auth/access.js';
import { installAuth } from '../../../src/auth/auth-hook.js';
import { PrincipalKind } from '../../../src/auth/principal.js';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_AML_TOKEN, TEST_API_TOKEN, TEST_METRICS_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';

/**
 * Every route in the OpenAPI document, called without a token, with a token nobody has and with
 * the token of each principal kind: the wrong callers are refused, the right ones get past the
 * check. Built at collection time so that each route is a test of its own.
 */
const harness = coreHarness({ queue: true });
const app = await testApp(harness);
/** An agency's token is issued by an admin and kept hashed in the database. */
const agencyToken = harness.agencies.issueToken('damkar', 'admin:admin');
await app.ready();
afterAll(async () => {
  await app.close();
  harness.close();
});

const TOKEN_OF: Record<PrincipalKind, string> = {
  [PrincipalKind.api]: TEST_API_TOKEN,
  [PrincipalKind.operator]: operatorToken('op001'),
  [PrincipalKind.supervisor]: TEST_SUPERVISOR_TOKEN,
  [PrincipalKind.admin]: TEST_ADMIN_TOKEN,
  [PrincipalKind.amlSender]: TEST_AML_TOKEN,
  [PrincipalKind.agency]: agencyToken,
  [PrincipalKind.metrics]: TEST_METRICS_TOKEN,
};
const KINDS = Object.values(PrincipalKind);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head']);

interface Operation {
  security?: unknown;
  responses?: Record<string, unknown>;
}
const doc = app.swagger() as { paths: Record<string, Record<string, Operation>> };

/** A value each path parameter would plausibly take (the check runs before validation anyway). */
const SAMPLE_PARAMS: Record<string, string> = {
  id: '7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11', operatorId: 'op002', number: '081234567890',
  flowId: 'default-112', version: '1', promptId: 'greeting', language: 'id', agencyId: 'damkar', key: 'surge-radius-x',
};
const sampleUrl = (path: string) => path.replace(/\{(\w+)\}/g, (_all, name: string) => SAMPLE_PARAMS[name] ?? 'sample');
/** Fastify writes `/calls/:id`, OpenAPI `/calls/{id}`. */
const openApiPath = (fastifyUrl: string) => fastifyUrl.replace(/:(\w+)/g, '{$1}');

const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => HTTP_METHODS.has(method)).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));

const allowanceOf = (method: string, path: string): RouteAllowance | undefined =>
  app.routeAccess.find((route) => route.method === method && openApiPath(route.url) === path)?.allow;

const as = (token: string) => ({ authorization: `Bearer ${token}` });

const { api, operator, supervisor, admin, amlSender, agency, metrics } = PrincipalKind;
/**
 * Who may call what, as the README's route tables say: a route that serves more (or fewer)
 * callers changes here, on purpose, with the README.
 */
const WHO_MAY_CALL: Record<string, RouteAllowance> = {
  'GET /health': 'public',
  'GET /metrics': [metrics],
  'GET /api/calls': [api],
  'GET /api/calls/{id}': [api, operator, supervisor],
  'GET /api/presence': [api],
  'POST /api/calls/{id}/disposition': [api, operator],
  'GET /api/numbers/{number}': [api],
  'GET /api/operators': [api],
  'GET /api/queue': [api, supervisor],
  'GET /api/queue/stream': [api, supervisor],
  'GET /api/events': [api, operator, supervisor],
  'GET /api/operator': [operator],
  'POST /api/operator/login': [operator],
  'POST /api/operator/logout': [operator],
  'POST /api/operator/pause': [operator],
  'POST /api/operator/resume': [operator],
  'POST /api/operator/transfer': [operator],
  'GET /api/callbacks': [operator],
  'POST /api/callbacks/{id}': [operator],
  'GET /api/supervisor/queue': [supervisor],
  'GET /api/supervisor/queue/stream': [supervisor],
  'GET /api/supervisor/recordings': [supervisor],
  'GET /api/supervisor/recordings/{id}': [supervisor],
  'POST /api/supervisor/calls/{id}/monitor': [supervisor],
  'POST /api/supervisor/operators/{operatorId}/state': [supervisor],
  'POST /api/admin/ivr/validate': [admin],
  'POST /api/admin/ivr/flows': [admin],
  'GET /api/admin/ivr/flows': [admin],
  'GET /api/admin/ivr/versions/{version}': [admin],
  'POST /api/admin/ivr/flows/{flowId}/activate': [admin],
  'POST /api/admin/ivr/flows/{flowId}/rollback': [admin],
  'GET /api/admin/ivr/flows/{flowId}/diff': [admin],
  'POST /api/admin/ivr/{version}/simulate': [admin],
  'PUT /api/admin/ivr/prompts/{flowId}/{promptId}/{language}': [admin],
  'POST /api/admin/numbers/{number}/clear': [admin],
  'GET /api/admin/announcement': [admin, supervisor],
  'POST /api/admin/announcement': [admin, supervisor],
  'DELETE /api/admin/announcement': [admin, supervisor],
  'PUT /api/admin/operators/{operatorId}/skills': [admin],
  'POST /api/admin/operators/{operatorId}/state': [admin],
  'GET /api/calls/{id}/location': [api, operator, supervisor],
  'POST /api/calls/{id}/location': [operator],
  'POST /api/calls/{id}/location/confirm': [operator],
  'GET /api/admin/location/fixes/{id}/raw': [admin],
  'GET /api/admin/location/rejections': [admin],
  'PUT /api/admin/location/landlines': [admin],
  'GET /api/admin/location/kecamatan': [admin],
  'PUT /api/admin/location/kecamatan': [admin],
  'POST /api/aml/https': [amlSender],
  'POST /api/aml/sms': [amlSender],
  'GET /api/agencies': [operator, supervisor, api, admin],
  'POST /api/admin/agencies': [admin],
  'PATCH /api/admin/agencies/{id}': [admin],
  'POST /api/admin/agencies/{id}/signing-key': [admin],
  'POST /api/admin/agencies/{id}/tokens': [admin],
  'DELETE /api/admin/agencies/{id}/tokens': [admin],
  'GET /api/admin/webhooks/dead': [admin],
  'POST /api/admin/webhooks/{id}/retry': [admin],
  'GET /api/dispatches': [operator, supervisor, api, agency],
  'GET /api/dispatches/{id}': [operator, supervisor, api, agency],
  'POST /api/dispatches/{id}/events': [operator, supervisor, agency],
  'POST /api/incidents': [operator, supervisor],
  'GET /api/incidents': [operator, supervisor, api],
  'GET /api/incidents/{id}': [operator, supervisor, api],
  'PATCH /api/incidents/{id}': [operator, supervisor],
  'POST /api/incidents/{id}/calls': [operator, supervisor],
  'POST /api/incidents/{id}/agencies': [operator, supervisor],
  'DELETE /api/incidents/{id}/agencies/{agencyId}': [operator, supervisor],
  'POST /api/incidents/{id}/notes': [operator, supervisor],
  'POST /api/incidents/{id}/dispatches': [operator, supervisor],
  'GET /api/incidents/{id}/export': [operator, supervisor, api],
  'GET /api/incident-categories': [operator, supervisor, api, admin],
  'PUT /api/admin/incident-categories': [admin],
  'GET /api/surges': [supervisor],
  'GET /api/reports/categories': [supervisor, admin, api],
  'GET /api/reports/service-level': [supervisor, admin, api],
  'GET /api/reports/junk': [supervisor, admin, api],
  'GET /api/reports/operators': [supervisor, admin, api],
  'POST /api/surges/{key}/accept': [supervisor],
  'POST /api/surges/{key}/dismiss': [supervisor],
};

describe('the route table', () => {
  it('given the registered routes, then the OpenAPI document lists each of them but HEAD twins and the public /docs pages', () => {
    const registered = app.routeAccess.filter((route) => route.method !== 'HEAD' && !route.url.startsWith('/docs'));
    expect(new Set(documented.map((op) => `${op.method} ${op.path}`))).toEqual(new Set(registered.map((route) => `${route.method} ${openApiPath(route.url)}`)));
    expect(documented.length).toBe(registered.length);
    for (const route of app.routeAccess.filter((r) => r.url.startsWith('/docs'))) expect(route.allow, `${route.method} ${route.url}`).toBe('public');
    for (const head of app.routeAccess.filter((r) => r.method === 'HEAD' && !r.url.startsWith('/docs'))) {
      expect(head.allow, `HEAD ${head.url}`).toEqual(allowanceOf('GET', openApiPath(head.url)));
    }
  });

  it('given every documented route, then it declares exactly who the README says may call it', () => {
    const declared = Object.fromEntries(documented.map((op) => [`${op.method} ${op.path}`, allowanceOf(op.method, op.path)]));
    expect(declared).toEqual(WHO_MAY_CALL);
  });

  it('given a route that does not say who may call it, then it cannot be registered', async () => {
    const bare = Fastify();
    installAuth(bare, { resolve: () => null, publicPrefixes: [] });
    expect(() => bare.get('/forgotten', async () => 'open')).toThrow('GET /forgotten does not say who may call it');
    expect(() => bare.get('/nobody', { config: { allow: [] as unknown as RouteAllowance } }, async () => 'open')).toThrow('does not say who may call it');
    await bare.close();
  });
});

describe.each(documented.filter((op) => allowanceOf(op.method, op.path) !== 'public'))('$method $path', ({ method, path, operation }) => {
  const allow = allowanceOf(method, path) as readonly PrincipalKind[];
  const url = sampleUrl(path);
  const inject = (headers: Record<string, string> = {}) => app.inject({ method: method as 'GET', url, headers });

  it('documents the bearer token and the 401 and 403 answers', () => {
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(operation.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
  });

  it('given no token or a token nobody has, then 401 unauthorized', async () => {
    for (const headers of [{}, as('not-a-token'), { authorization: TEST_API_TOKEN }]) {
      const response = await inject(headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json()).toMatchObject({ error: 'unauthorized' });
    }
    if (method === 'GET') expect((await app.inject({ method: 'HEAD', url })).statusCode).toBe(401);
  });

  it.each(KINDS.filter((kind) => !allow.includes(kind)))('given the %s token, then 403 forbidden', async (kind) => {
    const response = await inject(as(TOKEN_OF[kind]));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'forbidden' });
  });

  it.each([...allow])('given the %s token, then the request gets past the check', async (kind) => {
    // As a stream: the queue's SSE route answers 200 and never ends.
    const response = await app.inject({ method: method as 'GET', url, headers: as(TOKEN_OF[kind]), payloadAsStream: true });
    response.stream().destroy();
    expect([401, 403]).not.toContain(response.statusCode);
  });
});
