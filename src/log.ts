import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines on stdout, nothing else ever writes there. Anything that might
 * hold a secret is redacted by path, whatever logs it.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'siaga112' },
    redact: {
      paths: [
        'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'signingKey', '*.signingKey',
        'req.headers.authorization', 'headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
