/** Thrown while the app starts when an aim-auth module is misconfigured; the message says what to set. */
export class AimAuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AimAuthConfigError';
  }
}
