// k6's console (https://grafana.com/docs/k6/latest/javascript-api/#console), which @types/k6 leaves to lib.dom.
declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  debug(...values: unknown[]): void;
};
