import { randomBytes } from 'node:crypto';
import type { TestApp, TestResponse } from './test-app';

export interface Session {
  id: string;
  username: string;
  token: string;
}

export const PASSWORD = 'correct horse battery';

/** A username no other test uses. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix.slice(0, 12)}_${randomBytes(5).toString('hex')}`;
}

function expectStatus(response: TestResponse, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/** Signs up through post-service's HTTP API and returns the new account's session. */
export async function signup(postService: TestApp, prefix?: string): Promise<Session> {
  const username = uniqueUsername(prefix);
  const response = await postService.request('POST', '/auth/signup', {
    body: { username, password: PASSWORD },
  });
  expectStatus(response, 201, `signup ${username}`);
  return { id: response.body.user.id, username, token: response.body.accessToken };
}

export async function follow(
  postService: TestApp,
  follower: Session,
  followee: { id: string },
): Promise<void> {
  const response = await postService.request('PUT', `/users/${followee.id}/follow`, {
    token: follower.token,
  });
  expectStatus(response, 204, 'follow');
}

export async function unfollow(
  postService: TestApp,
  follower: Session,
  followee: { id: string },
): Promise<void> {
  const response = await postService.request('DELETE', `/users/${followee.id}/follow`, {
    token: follower.token,
  });
  expectStatus(response, 204, 'unfollow');
}

export async function post(
  postService: TestApp,
  author: Session,
  content = `post ${randomBytes(4).toString('hex')}`,
): Promise<string> {
  const response = await postService.request('POST', '/posts', { token: author.token, body: { content } });
  expectStatus(response, 201, 'post');
  return response.body.id;
}
