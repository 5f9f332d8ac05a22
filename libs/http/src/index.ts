export { createHttpApp, listen } from './bootstrap';
export type { HttpAppOptions } from './bootstrap';
export { HttpErrorFilter, toErrorBody } from './http-error.filter';
export type { ErrorBody } from './http-error.filter';
export { createValidationPipe } from './validation';
