import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * The one validation pipe: strips nothing silently (unknown fields are an
 * error), converts only what DTOs ask for (`@Type`), and reports every
 * problem in one message.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new BadRequestException(describe(errors)),
  });
}

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own =
      error.value === undefined && error.constraints && !error.constraints.isOptional
        ? [`${path} is required`]
        : Object.values(error.constraints ?? {});
    return [...own, ...describe(error.children ?? [], path)];
  });
}
