export { createHttpApp, listen, runApp } from './bootstrap';
export type { HttpAppOptions } from './bootstrap';
export { HttpErrorFilter, toErrorBody, unavailable } from './http-error.filter';
export { dependencyOutage, RETRY_AFTER_SECONDS } from './dependency-outage';
export type { ErrorBody } from './http-error.filter';
export { createValidationPipe } from './validation';
export { ParseIdPipe } from './parse-id.pipe';
export { graphemeCount, IsHumanText } from './text-validators';
export type { TextRules } from './text-validators';
