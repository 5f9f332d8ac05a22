export { useTestEnvironment, deleteKeys } from './test-environment';
export type { TestEnvironment } from './test-environment';
export { waitFor } from './wait-for';
export { TestApp } from './test-app';
export type { RequestOptions, TestResponse } from './test-app';
export { follow, PASSWORD, post, signup, uniqueUsername, unfollow } from './sessions';
export type { Session } from './sessions';
export { RedisServer } from './redis-server';
