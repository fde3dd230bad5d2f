import { ValidationError } from '@nestjs/common';
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
