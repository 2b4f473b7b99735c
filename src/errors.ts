/**
 * A domain error with an HTTP status and a kebab-case id; the HTTP layer maps it once. `cause`
 * (the ARI or transport error behind a 5xx) is logged with the request, never sent to clients.
 */
export class DomainError extends Error {
  constructor(readonly status: number, readonly errorId: string, message: string, readonly details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
  }
}
