import { createStreamingAPIClient, mastodon } from 'masto';
import { WebSocket } from 'ws';
import { follow, post, signup, useTestEnvironment, waitFor } from '@app/testing';
import type { TestApp } from '@app/testing';
import { reservePublicUrl, startMastodonApi } from '../support/mastodon';
import { Stack } from '../support/stack';

const env: Record<string, string> = {};
beforeAll(() => reservePublicUrl(env));
useTestEnvironment(Object.assign(env, { CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' }));

/**
 * masto.js's streaming client (WebSocket, token as the subprotocol, a
 * `subscribe` message) on the streaming URL the instance advertises: a
 * regular and a celebrity post each arrive exactly once, then a delete.
 */
describe('masto.js streaming against Feedline', () => {
  let stack: Stack;
  let api: TestApp;
  let url: string;

  beforeAll(async () => {
    stack = await Stack.start();
    ({ api, url } = await startMastodonApi(env));
  });
  afterAll(async () => {
    await api.close();
    await stack.close();
  });

  it('receives a regular and a celebrity post once each, and a delete', async () => {
    const [reader, regular, star] = await Promise.all(
      ['reader', 'regular', 'star'].map((name) => signup(stack.postService, name)),
    );
    await follow(stack.postService, reader, regular);
    await follow(stack.postService, reader, star);
    for (let i = 0; i < 2; i += 1)
      await follow(stack.postService, await signup(stack.postService, 'fan'), star);
    await stack.settle();

    const instance = (await (await fetch(`${url}/api/v2/instance`)).json()) as mastodon.v2.Instance;
    const streaming = createStreamingAPIClient({
      streamingApiUrl: instance.configuration.urls.streaming,
      accessToken: reader.token,
      implementation: WebSocket,
    });
    const subscription = streaming.user.subscribe();
    const events: mastodon.streaming.Event[] = [];
    const reading = (async () => {
      for await (const event of subscription) events.push(event);
    })();
    const updates = () => events.flatMap((e) => (e.event === 'update' ? [e.payload.id] : []));
    try {
      // The subscription is live once a post made now arrives; earlier probes are simply repeated.
      let probe = '';
      await waitFor(
        async () => {
          if (!probe || !updates().includes(probe)) probe = await post(stack.postService, regular, 'probe');
          await new Promise((resolve) => setTimeout(resolve, 200));
          return updates().includes(probe);
        },
        { what: 'the stream to carry a post', timeoutMs: 20_000 },
      );
      const pushed = await post(stack.postService, regular, 'a regular post');
      const merged = await post(stack.postService, star, 'a celebrity post');
      await waitFor(() => updates().includes(pushed) && updates().includes(merged), { what: 'both posts' });
      const status = events.find((e) => e.event === 'update' && e.payload.id === merged)!
        .payload as mastodon.v1.Status;
      expect(status.account.id).toBe(star.id);
      expect(status.content).toBe('<p>a celebrity post</p>');

      await stack.postService.request('DELETE', `/posts/${pushed}`, { token: regular.token });
      await waitFor(() => events.some((e) => e.event === 'delete' && e.payload === pushed), {
        what: 'the delete',
      });
      await stack.settle();
      expect(updates().filter((id) => id === pushed)).toHaveLength(1);
      expect(updates().filter((id) => id === merged)).toHaveLength(1);
    } finally {
      subscription.unsubscribe();
      streaming.close();
      await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
  });
});
