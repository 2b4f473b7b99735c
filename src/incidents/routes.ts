import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/auth-hook.js';
import { auditName, PrincipalKind } from '../auth/principal.js';
import { dispatchView } from '../dispatch/dispatch-schemas.js';
import { viewOfDispatch } from '../dispatch/dispatch-service.js';
import { errorBody } from '../http/errors.js';
import { buildIncidentExport, type ExportInput, incidentExportSchema } from './incident-export.js';
import { viewOfIncident } from './incident-json.js';
import {
  agencyBody, createIncidentBody, dispatchBody, incidentAgencyParams, incidentIdParams, incidentListQuery, incidentView, linkCallBody, noteBody,
  subcategoriesBody, subcategoriesView, updateIncidentBody,
} from './incident-schemas.js';
import type { IncidentService } from './incident-service.js';
import type { Subcategories } from './subcategories.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
/** Who works incidents: operators (on the calls they handle) and supervisors. */
const workers = { allow: [PrincipalKind.operator, PrincipalKind.supervisor] } as const;
/** Who reads them: the centre's people and API clients. */
const readers = { allow: [PrincipalKind.operator, PrincipalKind.supervisor, PrincipalKind.api] } as const;

/** Incidents: create from a call, link calls, adjust agencies, dispatch, note, export. */
export const incidentRoutes = (incidents: IncidentService, subcategories: Subcategories, exportOf: (id: string) => ExportInput): FastifyPluginAsyncZod => async (app) => {
  const by = (request: Parameters<typeof principalOf>[0]) => principalOf(request);

  app.post('/incidents', {
    config: workers,
    schema: { summary: 'Create an incident from a call (the operator\'s own)', security, body: createIncidentBody, response: { 201: incidentView, ...errors } },
  }, async (request, reply) => reply.status(201).send(viewOfIncident(incidents.create(request.body, by(request)))));

  app.get('/incidents', {
    config: readers,
    schema: { summary: 'The newest incidents', security, querystring: incidentListQuery, response: { 200: z.object({ incidents: z.array(incidentView) }), ...errors } },
  }, async (request) => ({ incidents: incidents.recent(request.query.limit).map(viewOfIncident) }));

  app.get('/incidents/:id', {
    config: readers,
    schema: { summary: 'One incident with its calls and dispatches', security, params: incidentIdParams, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.get(request.params.id)));

  app.patch('/incidents/:id', {
    config: workers,
    schema: { summary: 'Change an incident (each change kept in its history)', security, params: incidentIdParams, body: updateIncidentBody, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.update(request.params.id, request.body, by(request))));

  app.post('/incidents/:id/calls', {
    config: workers,
    schema: { summary: 'Link another call to the incident (disposed duplicate)', security, params: incidentIdParams, body: linkCallBody, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.link(request.params.id, request.body.callId, by(request))));

  app.post('/incidents/:id/agencies', {
    config: workers,
    schema: { summary: 'Add an agency to the incident', security, params: incidentIdParams, body: agencyBody, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.addAgency(request.params.id, request.body.agencyId, by(request))));

  app.delete('/incidents/:id/agencies/:agencyId', {
    config: workers,
    schema: { summary: 'Remove an agency from the incident', security, params: incidentAgencyParams, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.removeAgency(request.params.id, request.params.agencyId, by(request))));

  app.post('/incidents/:id/notes', {
    config: workers,
    schema: { summary: 'Add a note to the incident', security, params: incidentIdParams, body: noteBody, response: { 200: incidentView, ...errors } },
  }, async (request) => viewOfIncident(incidents.note(request.params.id, request.body.text, by(request))));

  app.post('/incidents/:id/dispatches', {
    config: workers,
    schema: {
      summary: 'Dispatch agencies to the incident (their webhooks go out through the outbox)', security, params: incidentIdParams, body: dispatchBody,
      response: { 201: z.object({ incident: incidentView, dispatches: z.array(dispatchView) }), ...errors },
    },
  }, async (request, reply) => {
    const { incident, created } = incidents.dispatch(request.params.id, request.body.agencies, by(request));
    return reply.status(201).send({ incident: viewOfIncident(incident), dispatches: created.map(viewOfDispatch) });
  });

  app.get('/incidents/:id/export', {
    config: readers,
    schema: { summary: 'The incident as an EIDO-style document (NENA EIDO as the model)', security, params: incidentIdParams, response: { 200: incidentExportSchema, ...errors } },
  }, async (request) => buildIncidentExport(exportOf(request.params.id)));

  app.get('/incident-categories', {
    config: { allow: [PrincipalKind.operator, PrincipalKind.supervisor, PrincipalKind.api, PrincipalKind.admin] },
    schema: { summary: 'Subcategories of each IVR category', security, response: { 200: subcategoriesView, ...errors } },
  }, async () => subcategories.all());
};

/** Admins configure the subcategories. */
export const adminIncidentRoutes = (subcategories: Subcategories): FastifyPluginAsyncZod => async (app) => {
  app.put('/incident-categories', {
    config: { allow: [PrincipalKind.admin] },
    schema: { summary: 'Replace the subcategories of the categories given', security, body: subcategoriesBody, response: { 200: subcategoriesView, ...errors } },
  }, async (request) => subcategories.replace(request.body, auditName(principalOf(request))));
};
