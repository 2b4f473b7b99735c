/** A domain error with an HTTP status and a kebab-case id; the HTTP layer maps it once. */
export class DomainError extends Error {
  constructor(readonly status: number, readonly errorId: string, message: string, readonly details?: unknown) {
    super(message);
  }
}
