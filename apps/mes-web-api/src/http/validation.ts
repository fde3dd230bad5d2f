import { ValidationError, ValidationPipe } from '@nestjs/common';
import { MesError } from '@mes/common';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) =>
      message.startsWith(e.property) ? message.replace(e.property, path) : `${path}: ${message}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** ValidationPipe errors become one 400 problem that names every offending parameter. */
export function validationExceptionFactory(errors: ValidationError[]): MesError {
  const messages = flatten(errors);
  return MesError.validation(messages.join('; ') || 'The request is not valid.', messages);
}

/**
 * The API's validation of request DTOs: `@Body(dtoValidation) body: SomeBody`,
 * `@Query(dtoValidation) query: SomeQuery`. The class's class-validator rules apply, members it
 * does not declare are refused, values are transformed to the class, and errors become one 400
 * problem. It is given per parameter rather than as a global pipe: Nest runs a global pipe, as
 * a chain of promises, for every parameter of every request, custom decorators included, which
 * cost about 6% of a warm entity read (see README, Performance). The e2e test
 * test/api/validation-coverage.e2e-spec.ts fails for any DTO parameter of a route without it.
 */
export const dtoValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: validationExceptionFactory,
});
