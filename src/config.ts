import { z } from 'zod';
import { secretsKeySchema } from './dispatch/secret-box.js';
import { Strategy, strategySchema } from './queue/acd.js';

/**
 * All configuration, from the environment (prefix SIAGA112_). One schema: types, defaults and
 * the README's configuration table all come from here. Lab mode (SIAGA112_MODE=lab, set by
 * `npm run lab` and the tests) fills in well-known lab credentials; outside it, a missing secret
 * stops start-up with a clear message.
 */

const LAB_DEFAULT_SECRETS = {
  SIAGA112_API_TOKEN: 'lab-api-token-change-me',
  SIAGA112_ADMIN_TOKEN: 'lab-admin-token-change-me',
  SIAGA112_ARI_PASSWORD: 'lab-ari-secret',
  SIAGA112_AMI_PASSWORD: 'lab-ami-secret',
  SIAGA112_SUPERVISOR_TOKEN: 'lab-supervisor-token-change-me',
  SIAGA112_AML_SENDERS: 'lab-gateway=lab-aml-token-change-me',
  SIAGA112_SECRETS_KEY: '6c61622d736563726574732d6b65792d6368616e67652d6d652d333262797465',
  SIAGA112_METRICS_TOKEN: 'lab-metrics-token-change-me',
  SIAGA112_OPERATOR_TOKENS: Array.from({ length: 10 }, (_, i) => `op${String(i + 1).padStart(3, '0')}=lab-operator-token-op${String(i + 1).padStart(3, '0')}`).join(','),
} as const;

/** "name=value,name=value" lists (operator tokens, AML senders), parsed and checked. */
const pairList = (key: RegExp, value: z.ZodString, what: string) => z.string().transform((text, ctx) => {
  const pairs: Record<string, string> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name = '', val = ''] = item.split('=', 2).map((s) => s.trim());
    if (!key.test(name) || !value.safeParse(val).success) {
      ctx.addIssue({ code: 'custom', message: `"${name}=..." is not a valid ${what} entry` });
      return z.NEVER;
    }
    if (pairs[name] !== undefined) {
      ctx.addIssue({ code: 'custom', message: `${name} appears twice` });
      return z.NEVER;
    }
    pairs[name] = val;
  }
  return pairs;
});

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const secret = z.string().min(8, 'must be at least 8 characters');

export const configSchema = z.object({
  SIAGA112_MODE: z.enum(['lab', 'production']).default('production')
    .describe('lab fills in lab credentials and paths; production requires every secret'),
  SIAGA112_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('pino log level (JSON lines on stdout)'),
  SIAGA112_HTTP_HOST: z.string().default('127.0.0.1').describe('address the HTTP API listens on'),
  SIAGA112_HTTP_PORT: int(3000).describe('port of the HTTP API'),
  SIAGA112_API_TOKEN: secret.describe('bearer token for /api routes (secret)'),
  SIAGA112_ADMIN_TOKEN: secret.describe('bearer token for /api/admin routes: IVR flows (secret)'),
  SIAGA112_DB_PATH: z.string().default('/var/lib/siaga112/siaga112.db').describe('SQLite database file'),
  SIAGA112_DB_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL')
    .describe('SQLite synchronous mode: NORMAL survives a process crash, FULL also a power loss'),
  SIAGA112_LAB_ROOT: z.string().default('/var/lib/siaga112/lab').describe('lab Asterisk root (lab mode)'),
  SIAGA112_ARI_URL: z.url().default('http://127.0.0.1:8088').describe('Asterisk HTTP server (ARI)'),
  SIAGA112_ARI_USER: z.string().min(1).default('siaga112').describe('ARI user (ari.conf)'),
  SIAGA112_ARI_PASSWORD: secret.describe('ARI password (secret)'),
  SIAGA112_ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/).default('siaga112').describe('Stasis application name'),
  SIAGA112_ARI_TIMEOUT_MS: int(5000, 100).describe('timeout of one ARI REST request'),
  SIAGA112_ARI_MAX_SOCKETS: int(16, 1).describe('keep-alive connections to ARI'),
  SIAGA112_ARI_MAX_PENDING: int(256, 1).describe('ARI requests waiting for a connection before new ones are refused'),
  SIAGA112_ARI_HEARTBEAT_MS: int(2000, 100).describe('ARI is reported down when no WebSocket pong came within this time; the socket is reset after 5 times as long'),
  SIAGA112_AMI_HOST: z.string().default('127.0.0.1').describe('AMI address (health, operator presence)'),
  SIAGA112_AMI_PORT: int(5038, 1).describe('AMI port'),
  SIAGA112_AMI_USER: z.string().min(1).default('siaga112').describe('AMI user (manager.conf)'),
  SIAGA112_AMI_PASSWORD: secret.describe('AMI secret (secret)'),
  SIAGA112_CDR_PATH: z.string().optional()
    .describe('cdr_custom JSON-lines file with fallback calls (lab: inside the lab root)'),
  SIAGA112_CDR_POLL_MS: int(2000, 100).describe('how often fallback-call records are imported'),
  SIAGA112_SOUNDS_DIR: z.string().optional()
    .describe('Asterisk sounds directory that prompts are generated into (lab: inside the lab root)'),
  SIAGA112_GREETING: z.string().default('sound:queue-thankyou').describe('ARI media played after answering'),
  SIAGA112_MAX_CALL_SECONDS: int(3600, 1).describe('a call is ended after this long'),
  SIAGA112_MAX_LIVE_CALLS: int(200, 0).describe('admission: more live calls than this go to the dialplan fallback'),
  SIAGA112_MAX_ARI_LATENCY_MS: int(1000, 1).describe('admission: slower ARI than this sends new calls to the fallback'),
  SIAGA112_DRAIN_TIMEOUT_MS: int(300_000, 0).describe('on SIGTERM, calls still live after this go to the fallback'),
  SIAGA112_PRANK_THRESHOLD: int(3, 0).describe('prank marks within the window that put a number in the prank lane (0: never)'),
  SIAGA112_PRANK_WINDOW_HOURS: int(24, 1).describe('how far back prank marks count'),
  SIAGA112_SUPERVISOR_TOKEN: secret.describe('bearer token for /api/supervisor routes: recordings, listen/whisper/barge (secret)'),
  SIAGA112_OPERATOR_TOKENS: pairList(/^[a-z][a-z0-9]{1,31}$/, secret, 'operator=token')
    .describe('operators and their bearer tokens, "op001=token,op002=token"; each id is a PJSIP endpoint (secret)'),
  SIAGA112_QUEUE_STRATEGY: strategySchema.default(Strategy.longestIdle)
    .describe('which free operator is offered a call'),
  SIAGA112_RING_TIMEOUT_MS: int(15_000, 1000).describe('an unanswered offer goes to the next operator after this; the operator is paused (no-answer)'),
  SIAGA112_WRAPUP_MS: int(10_000, 0).describe('after a call, the operator is not offered calls for this long'),
  SIAGA112_SELF_CHECK_MS: int(3000, 0).describe('how often operators, rings and calls are compared with what Asterisk has live, and disagreements that persist repaired (0: only at each connect)'),
  SIAGA112_ANNOUNCE_INTERVAL_MS: int(30_000, 0).describe('waiting callers hear their position and expected wait this often (0: never)'),
  SIAGA112_OVERFLOW_AFTER_MS: int(0, 0).describe('a caller waiting longer also rings the overflow number (0: never)'),
  SIAGA112_OVERFLOW_NUMBER: z.string().regex(/^[0-9+*#]*$/).default('').describe('overflow target (another centre), dialled through the trunk'),
  SIAGA112_TRUNK_ENDPOINT: z.string().regex(/^[A-Za-z0-9_-]+$/).default('trunk').describe('PJSIP endpoint for outside numbers: agencies, overflow, callbacks'),
  SIAGA112_RECORDINGS_DIR: z.string().optional().describe('Asterisk\'s recordings spool, read for downloads (lab: inside the lab root)'),
  SIAGA112_RECORDING_RETENTION_DAYS: int(90, 1).describe('call recordings are deleted this long after the call'),
  SIAGA112_CALLBACK_MIN_WAIT_MS: int(5_000, 0).describe('abandoned calls that waited at least this long are listed for callback'),
  SIAGA112_GUARDIAN_POLL_MS: int(500, 50).describe('how often the guardian asks siaga112 whether it is alive (GET /health)'),
  SIAGA112_GUARDIAN_AFTER_MS: int(3000, 500).describe('once siaga112 has not answered (or has lost ARI) this long, the guardian hands callers who are in no bridge to the dialplan fallback'),
  SIAGA112_GUARDIAN_HOLDING_AFTER_MS: int(20_000, 500).describe('after this long, callers waiting in a holding bridge go to the fallback too; connected calls are never touched'),
  SIAGA112_AML_SENDERS: pairList(/^[a-z][a-z0-9-]{1,31}$/, secret, 'sender=token').default({})
    .describe('AML gateways and their bearer tokens, "telkomsel=token,sms-gw=token"; none: no AML is taken in (secret)'),
  SIAGA112_AML_HMAC_KEYS: pairList(/^[a-z][a-z0-9-]{1,31}$/, secret, 'sender=key').default({})
    .describe('AML senders whose HTTPS messages carry hmac= (HMAC-SHA1 over the body before it), "sender=key" (secret)'),
  SIAGA112_AML_RATE_PER_MINUTE: int(120, 1).describe('AML messages one sender may post per minute; more get 429'),
  SIAGA112_AML_WINDOW_BEFORE_MS: int(60_000, 0).describe('an AML message may arrive this long before its call starts (it waits for the call)'),
  SIAGA112_AML_WINDOW_AFTER_MS: int(600_000, 0).describe('an AML message may arrive this long after its call ended and still be attached to it'),
  SIAGA112_LOCATION_MAX_AGE_MS: int(300_000, 1000).describe('best location: a fix older than this no longer wins on accuracy'),
  SIAGA112_SIP_LOCATION: z.enum(['on', 'off']).optional()
    .describe('read callers\' SIP location (PIDF-LO) over ARI; on only with citizens-geolocation.conf in Asterisk (lab: on, production: off)'),
  SIAGA112_PIDF_REF_HOSTS: z.string().default('').transform((text) => text.split(',').map((h) => h.trim()).filter(Boolean))
    .describe('location servers (host or host:port, comma-separated) a PIDF-LO by reference may be fetched from; none by default'),
  SIAGA112_PIDF_REF_TIMEOUT_MS: int(2000, 100).describe('how long a by-reference PIDF-LO fetch may take'),
  SIAGA112_SECRETS_KEY: secretsKeySchema.optional()
    .describe('32-byte key (64 hex characters, or base64) that seals agencies\' webhook signing keys in the database; without it agencies get no webhooks (secret)'),
  SIAGA112_WEBHOOK_TIMEOUT_MS: int(10_000, 100).describe('how long an agency\'s webhook endpoint may take to connect, answer or send its body'),
  SIAGA112_OUTBOX_POLL_MS: int(1000, 50).describe('how often webhooks due for a retry are looked for (new ones go out at once)'),
  SIAGA112_SURGE_MIN_CALLS: int(5, 2).describe('a surge: at least this many calls ...'),
  SIAGA112_SURGE_WINDOW_MINUTES: int(10, 1).describe('... within this many minutes ...'),
  SIAGA112_SURGE_RADIUS_M: int(500, 10).describe('... within this many metres of each other (or one kecamatan, or one category without location)'),
  SIAGA112_SURGE_CHECK_MS: int(10_000, 0).describe('how often surges are looked for and mass-call events take new calls; 0: never'),
  SIAGA112_REPORT_TIMEOUT_MS: int(30_000, 1000).describe('how long one report may run in the report thread before it is answered 503'),
  SIAGA112_METRICS_TOKEN: secret.optional()
    .describe('bearer token of the Prometheus scraper for GET /metrics; without it only loopback scrapes get in, if SIAGA112_METRICS_LOOPBACK allows (secret)'),
  SIAGA112_METRICS_LOOPBACK: z.enum(['true', 'false']).default('false').transform((value) => value === 'true')
    .describe('true: GET /metrics from this host (127.0.0.1, ::1) needs no token; from anywhere else it still does'),
  SIAGA112_FALLBACK_CONTEXT: z.string().default('emergency-fallback').describe('dialplan context that rings the operators when siaga112 cannot'),
  SIAGA112_FALLBACK_EXTENSION: z.string().default('s').describe('extension in the fallback context'),
}).superRefine((config, ctx) => {
  // A key for a sender nobody configured would be ignored: a typo must not switch a check off.
  for (const sender of Object.keys(config.SIAGA112_AML_HMAC_KEYS)) {
    if (config.SIAGA112_AML_SENDERS[sender] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SIAGA112_AML_HMAC_KEYS'], message: `${sender} has an HMAC key but is not in SIAGA112_AML_SENDERS` });
    }
  }
});

export type Config = z.infer<typeof configSchema> & { SIAGA112_CDR_PATH: string; SIAGA112_SOUNDS_DIR: string; SIAGA112_RECORDINGS_DIR: string; SIAGA112_SIP_LOCATION: 'on' | 'off' };

/**
 * Variables an earlier version read. Set, they would be silently ignored (a transfer would ring
 * the seeded desk instead of the centre's own): start-up refuses and says what replaced them.
 */
const RETIRED: Record<string, string> = {
  SIAGA112_AGENCY_NUMBERS: 'agencies and their numbers are in the database now; set them with PATCH /api/admin/agencies/:id {"numbers": [...]} and unset this variable',
};

/** A configuration problem: start-up prints its message as one line and exits non-zero. */
export class ConfigError extends Error {}

/** Reads the configuration from an environment; lab mode supplies lab secrets and paths. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const source: Record<string, string | undefined> = { ...env };
  for (const [name, instead] of Object.entries(RETIRED)) {
    if (source[name] !== undefined) throw new ConfigError(`${name} is no longer read: ${instead}`);
  }
  const lab = (source.SIAGA112_MODE ?? 'production') === 'lab';
  if (lab) {
    for (const [key, value] of Object.entries(LAB_DEFAULT_SECRETS)) source[key] ??= value;
  }
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const missing = issue.code === 'invalid_type' && source[key] === undefined;
      return missing ? `${key} is required` : `${key}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const cdrPath = config.SIAGA112_CDR_PATH
    ?? (config.SIAGA112_MODE === 'lab'
      ? `${config.SIAGA112_LAB_ROOT}/rootfs/var/log/asterisk/cdr-custom/siaga112.jsonl`
      : '/var/log/asterisk/cdr-custom/siaga112.jsonl');
  const soundsDir = config.SIAGA112_SOUNDS_DIR
    ?? (config.SIAGA112_MODE === 'lab' ? `${config.SIAGA112_LAB_ROOT}/rootfs/usr/share/asterisk/sounds` : '/usr/share/asterisk/sounds');
  const recordingsDir = config.SIAGA112_RECORDINGS_DIR
    ?? (config.SIAGA112_MODE === 'lab' ? `${config.SIAGA112_LAB_ROOT}/rootfs/var/spool/asterisk/recording` : '/var/spool/asterisk/recording');
  // Off in production like the Asterisk side (citizens-geolocation.conf is opt-in): a read per call
  // would find nothing and make Asterisk log a NOTICE per GEOLOC_PROFILE value.
  const sipLocation = config.SIAGA112_SIP_LOCATION ?? (config.SIAGA112_MODE === 'lab' ? 'on' : 'off');
  return { ...config, SIAGA112_CDR_PATH: cdrPath, SIAGA112_SOUNDS_DIR: soundsDir, SIAGA112_RECORDINGS_DIR: recordingsDir, SIAGA112_SIP_LOCATION: sipLocation };
}
