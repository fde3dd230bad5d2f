import {
  constraintViolation,
  type ConstraintKind,
  MesError,
  MesErrorCode,
} from '@mes-web-api/common';

/** Key and reference violations are recognised in @mes-web-api/common (the users lib needs it too). */
export { constraintViolation, type ConstraintKind };

/**
 * Runs a write; a key or reference violation the checks before it could not see (a concurrent
 * write) becomes a 409 with the MES message, never the SQL text. Anything else is rethrown.
 */
export async function withConstraintMessages<T>(
  write: () => Promise<T>,
  messages: Readonly<Partial<Record<ConstraintKind, string>>>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const kind = constraintViolation(error);
    const message = kind ? messages[kind] : undefined;
    if (message) throw new MesError(MesErrorCode.BusinessRule, message, { cause: error });
    throw error;
  }
}
