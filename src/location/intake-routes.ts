import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { LocationRepository } from '../db/location-repository.js';
import { DomainError, errorBody } from '../http/errors.js';
import { MAX_AML_BODY_BYTES, parseAmlForm, verifyAmlHmac } from './aml/aml-https.js';
import { parseAmlSms } from './aml/aml-sms.js';
import type { AmlIntake, LocationEventPublisher } from './location-events.js';
import type { LocationService } from './location-service.js';
import { amlOutcome, amlSmsBody } from './schemas.js';

export interface IntakeSettings {
  /** HMAC keys of the senders that sign their HTTPS messages. */
  hmacKeys: Readonly<Record<string, string>>;
  ratePerMinute: number;
}

const security = [{ bearer: [] }];
const config = { allow: [PrincipalKind.amlSender] } as const;

/**
 * Where AML gateways deliver (ETSI TS 103 625): the handset's HTTPS POST as the gateway relays
 * it, and SMS texts an SMS gateway forwards. Each sender has its own token (and, for HTTPS, its
 * HMAC key when it signs); each is rate limited on its own. A malformed message is refused with
 * the parser's precise reason and kept in the rejected-intake log for admins; nothing of a
 * refused message is stored as a fix, and no payload goes to the log.
 */
export const intakeRoutes = (service: LocationService, repo: LocationRepository, events: LocationEventPublisher, clock: Clock, settings: IntakeSettings): FastifyPluginAsyncZod => async (app) => {
  await app.register(rateLimit, {
    max: settings.ratePerMinute, timeWindow: 60_000, global: true,
    keyGenerator: (request) => request.principal ? `${request.principal.kind}:${request.principal.id}` : request.ip,
  });
  // The HMAC covers the body as sent: it is kept as text, never re-encoded. Only form data
  // (HTTPS) and JSON (the SMS gateway's envelope) are taken: text/plain is not an AML message.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_AML_BODY_BYTES }, (_request, body, done) => done(null, body));

  type Intake = AmlIntake['intake'];
  const told = (intake: Intake, sender: string, outcome: AmlIntake['outcome']) => events.publish('location.aml-intake', { at: clock.now(), intake, sender, outcome });
  const refuse = (intake: Intake, sender: string, status: number, errorId: string, reason: string, raw: string): never => {
    repo.reject({ at: clock.now(), intake, sender, reason, callId: null, raw: raw.slice(0, MAX_AML_BODY_BYTES) });
    told(intake, sender, 'rejected');
    throw new DomainError(status, errorId, reason);
  };
  const take = (intake: Intake, sender: string, message: Parameters<LocationService['receiveAml']>[0], raw: string) => {
    const outcome = service.receiveAml(message, raw);
    told(intake, sender, outcome.status);
    return outcome;
  };
  // What Fastify itself refuses (a body too large, the wrong content type, a body the schema
  // rejects) is malformed intake too: it is logged for admins like the parsers' refusals.
  app.addHook('onError', async (request, _reply, error) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof DomainError || (status !== 400 && status !== 413 && status !== 415)) return;
    const intake = request.url.includes('/aml/sms') ? 'aml-sms' : 'aml-https';
    const sender = request.principal?.id ?? 'unknown';
    repo.reject({ at: clock.now(), intake, sender, reason: error.message.slice(0, 500), callId: null, raw: '' });
    told(intake, sender, 'rejected');
  });

  app.post('/aml/https', {
    config, bodyLimit: MAX_AML_BODY_BYTES,
    schema: {
      summary: 'An AML message over HTTPS (form-encoded, as the handset posts it; hmac= checked when the sender signs)',
      security, consumes: ['application/x-www-form-urlencoded'],
      response: { 202: amlOutcome, 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody, 429: errorBody },
    },
  }, async (request, reply) => {
    const sender = principalOf(request).id;
    if (typeof request.body !== 'string') return refuse('aml-https', sender, 415, 'unsupported-media-type', 'an AML HTTPS message is application/x-www-form-urlencoded', '');
    const raw = request.body;
    const key = settings.hmacKeys[sender];
    if (key !== undefined) {
      const verdict = verifyAmlHmac(raw, key);
      if (verdict !== 'valid') refuse('aml-https', sender, 401, `hmac-${verdict}`, verdict === 'missing' ? 'the message carries no hmac= and this sender signs its messages' : 'hmac= does not match the message', raw);
    }
    const parsed = parseAmlForm(raw);
    if (!parsed.ok) return refuse('aml-https', sender, 400, 'aml-invalid', parsed.reason, raw);
    if (!parsed.value.deviceNumber) return refuse('aml-https', sender, 400, 'aml-invalid', 'device_number is missing: the message cannot be matched to a call', raw);
    return reply.status(202).send(take('aml-https', sender, parsed.value, raw));
  });

  app.post('/aml/sms', {
    config, bodyLimit: 8 * 1024,
    schema: {
      summary: 'An AML SMS (v1 or v2) as an SMS gateway forwards it: the text and the number it came from',
      security, body: amlSmsBody,
      response: { 202: amlOutcome, 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 429: errorBody },
    },
  }, async (request, reply) => {
    const sender = principalOf(request).id;
    const parsed = parseAmlSms(request.body.text, request.body.from);
    if (!parsed.ok) return refuse('aml-sms', sender, 400, 'aml-invalid', parsed.reason, request.body.text);
    if (!parsed.value.deviceNumber) return refuse('aml-sms', sender, 400, 'aml-invalid', 'the sender number is missing', request.body.text);
    return reply.status(202).send(take('aml-sms', sender, parsed.value, request.body.text));
  });
};
