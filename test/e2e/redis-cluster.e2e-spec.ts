import { Cluster } from 'ioredis';
import { REDIS_CLIENT } from '@app/redis';
import { follow, post, RedisCluster, signup, useTestEnvironment, waitFor } from '@app/testing';
import { expectedFeed, Stack } from '../support/stack';

useTestEnvironment({ CELEBRITY_THRESHOLD: '3', CELEBRITY_DEMOTE_BELOW: '2' });

describe('on a real Redis Cluster (three masters)', () => {
  let cluster: RedisCluster | undefined;
  let stack: Stack | undefined;
  beforeAll(async () => {
    cluster = await RedisCluster.start();
    process.env.REDIS_CLUSTER_NODES = cluster.nodes; // read when the apps are created

    stack = await Stack.start();
  });
  afterAll(async () => {
    await stack?.close();
    delete process.env.REDIS_CLUSTER_NODES;
    await cluster?.stop();
  });

  it('fans out, merges celebrities and pages exactly, with keys spread over the masters', async () => {
    const stack = started();
    expect(stack.feed.get(REDIS_CLIENT)).toBeInstanceOf(Cluster);
    const star = await signup(stack.postService, 'cstar');
    const users = await Promise.all(Array.from({ length: 6 }, () => signup(stack.postService, 'cu')));
    for (const user of users) await follow(stack.postService, user, star); // 6 followers: a celebrity
    for (const [i, user] of users.entries())
      await follow(stack.postService, user, users[(i + 1) % users.length]);
    for (const user of users) for (let n = 0; n < 3; n += 1) await post(stack.postService, user);
    await stack.settle();
    const famous = await post(stack.postService, star, 'from the top');
    for (const user of users) {
      const walked = await stack.walk(user.token, 2);
      expect(walked).toEqual(await expectedFeed(stack.prisma, user.id));
      expect(walked[0]).toBe(famous);
    }
    await stack.settle();
    const redis = stack.feed.get<Cluster>(REDIS_CLIENT);
    const perMaster = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
    expect(perMaster.filter((keys) => keys > 0)).toHaveLength(3);
  });

  it('closes every connection it opened when the apps shut down', async () => {
    expect(await cluster!.clientConnections()).toBeGreaterThan(0);
    await started().close();
    stack = undefined;
    // A connection left open keeps reconnecting to the cluster and keeps the process alive.
    await waitFor(async () => (await cluster!.clientConnections()) === 0, {
      what: 'every connection to the cluster to close',
    });
  });

  function started(): Stack {
    if (!stack) throw new Error('the stack is not running');
    return stack;
  }
});
