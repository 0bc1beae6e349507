/**
 * The one error class of multinic. `code` is stable and part of the contract: tests and callers match on it.
 */
export class MultinicError extends Error {
  public readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MultinicError';
    this.code = code;
  }
}
