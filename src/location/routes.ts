import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/auth-hook.js';
import { auditName, PrincipalKind } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { LocationRepository } from '../db/location-repository.js';
import { DomainError, errorBody } from '../http/errors.js';
import type { KecamatanMaps } from './kecamatan-maps.js';
import type { LocationService } from './location-service.js';
import type { OperatorFixes } from './operator-fixes.js';
import { importLandlines } from './registry/landline-import.js';
import {
  callIdParams, callLocation, confirmBody, fixIdParams, kecamatanMapView, landlineImportQuery, landlineImportResult,
  operatorFixBody, pageQuery, rawFix, rejectionList,
} from './schemas.js';
import { storedFixSchema } from '../geo/stored-fix.js';

const security = [{ bearer: [] }];
const admin = { allow: [PrincipalKind.admin] } as const;

export interface LocationRouteDeps {
  service: LocationService;
  operatorFixes: OperatorFixes;
  repo: LocationRepository;
  maps: KecamatanMaps;
  clock: Clock;
}

/**
 * A call's location (its fixes and best location) for the operator handling it, supervisors and
 * API clients; the operator's own entries and confirmations; and what admins manage: the
 * landline registry, the kecamatan map, the rejected-intake log and fixes' raw payloads.
 */
export const locationRoutes = (deps: LocationRouteDeps): FastifyPluginAsyncZod => async (app) => {
  const { service, operatorFixes, repo, maps, clock } = deps;

  app.get('/calls/:id/location', {
    config: { allow: [PrincipalKind.api, PrincipalKind.operator, PrincipalKind.supervisor] },
    schema: {
      summary: 'Where the caller is: every fix of the call and its best location now (an operator: own calls only)',
      security, params: callIdParams, response: { 200: callLocation, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (request) => {
    const call = operatorFixes.callFor(request.params.id, principalOf(request));
    return service.locationOf(call.id);
  });

  app.post('/calls/:id/location', {
    config: { allow: [PrincipalKind.operator] },
    schema: {
      summary: 'The operator enters where the caller is (coordinates, an address, or both)',
      security, params: callIdParams, body: operatorFixBody,
      response: { 201: storedFixSchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (request, reply) => reply.status(201).send(operatorFixes.enter(request.params.id, principalOf(request), request.body)));

  app.post('/calls/:id/location/confirm', {
    config: { allow: [PrincipalKind.operator] },
    schema: {
      summary: 'The operator confirms one of the call\'s fixes (it becomes the best location)',
      security, params: callIdParams, body: confirmBody,
      response: { 201: storedFixSchema, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (request, reply) => reply.status(201).send(operatorFixes.confirm(request.params.id, principalOf(request), request.body.fixId)));

  app.get('/admin/location/fixes/:id/raw', {
    config: admin,
    schema: { summary: 'What a fix arrived as (audit)', security, params: fixIdParams, response: { 200: rawFix, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody } },
  }, async (request) => {
    const row = repo.fixById(request.params.id);
    if (!row) throw new DomainError(404, 'fix-not-found', `no fix ${request.params.id}`);
    return { id: row.id, source: row.source, raw: row.raw };
  });

  app.get('/admin/location/rejections', {
    config: admin,
    schema: { summary: 'Location input refused, newest first', security, querystring: pageQuery, response: { 200: rejectionList, 400: errorBody, 401: errorBody, 403: errorBody } },
  }, async (request) => {
    const page = repo.rejections(request.query.limit, request.query.offset);
    return { total: page.total, items: page.items.map((row) => ({ ...row, at: new Date(row.at).toISOString() })) };
  });

  await app.register(async (scope) => {
    const csv = scope.withTypeProvider<ZodTypeProvider>();
    csv.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    csv.put('/admin/location/landlines', {
      config: admin, bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary: 'Import fixed lines and their addresses (CSV); bad rows are reported by line, and nothing is kept unless partial=true',
        security, consumes: ['text/csv'], querystring: landlineImportQuery,
        response: { 200: landlineImportResult, 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody, 422: errorBody },
      },
    }, async (request) => importLandlines(repo, clock, typeof request.body === 'string' ? request.body : '', request.query.partial === 'true', auditName(principalOf(request))));
  });

  app.get('/admin/location/kecamatan', {
    config: admin,
    schema: { summary: 'The kecamatan map in use', security, response: { 200: kecamatanMapView, 401: errorBody, 403: errorBody } },
  }, async () => ({ names: [...maps.current().names] }));

  await app.register(async (scope) => {
    const geo = scope.withTypeProvider<ZodTypeProvider>();
    geo.addContentTypeParser(['application/geo+json', 'application/json'], { parseAs: 'string', bodyLimit: 2_000_000 }, (_request, body, done) => done(null, body));
    geo.put('/admin/location/kecamatan', {
      config: admin, bodyLimit: 2_000_000,
      schema: {
        summary: 'Replace the kecamatan boundaries (GeoJSON FeatureCollection of the 12 kecamatan of Kota Bekasi)',
        security, consumes: ['application/geo+json', 'application/json'],
        response: { 200: kecamatanMapView, 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody },
      },
    }, async (request) => {
      const by = auditName(principalOf(request));
      const text = typeof request.body === 'string' ? request.body : '';
      const replaced = maps.replace(text, by);
      if (!replaced.ok) {
        repo.reject({ at: clock.now(), intake: 'kecamatan-geojson', sender: by, reason: replaced.reason, callId: null, raw: text.slice(0, 100_000) });
        throw new DomainError(400, 'kecamatan-invalid', replaced.reason);
      }
      return { names: [...replaced.value.names] };
    });
  });
};
