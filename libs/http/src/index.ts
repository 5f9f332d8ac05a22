export { createHttpApp, listen, runApp } from './bootstrap';
export type { HttpAppOptions } from './bootstrap';
export { HttpErrorFilter, toErrorBody } from './http-error.filter';
export type { ErrorBody, ErrorFormatter } from './http-error.filter';
export { createValidationPipe } from './validation';
export { ParseIdPipe } from './parse-id.pipe';
export { graphemeCount, IsHumanText } from './text-validators';
export type { TextRules } from './text-validators';
export { FailOpenStorage } from './fail-open.storage';
