import fc from 'fast-check';
import { RedisServer, useTestEnvironment } from '@app/testing';
import { AppName, FuzzStack, fuzzEnvironment } from './fuzz-stack';
import { contentTypes, hostileBody, hostilePath, hostileQuery } from './hostile';
import { Operation, operationsOf } from './operations';
import { fingerprintDiff, settledFingerprint, stateFingerprint } from './state';

/** Longer than any answer takes here; a request still open then counts as a hang. */
const HANG_MS = 5000;

/**
 * The operations of `apps` (the whole stack runs: the dashboard logs in
 * through post-service) (from their own OpenAPI documents, plus
 * bull-board's routes), fed hostile paths, queries, bodies, content types and
 * credentials. A run fails on any 5xx, on an answer slower than HANG_MS, and
 * on any 4xx after which PostgreSQL or Redis differ from before.
 */
export function hostileRequestSuite(apps: AppName[], runs: number): void {
  const redis = new RedisServer(20_000 + Math.floor(Math.random() * 20_000));
  useTestEnvironment(fuzzEnvironment(redis));

  describe(`fuzz: hostile requests to every operation of ${apps.join(', ')}`, () => {
    let stack: FuzzStack;
    let operations: Operation[];

    beforeAll(async () => {
      await redis.start();
      stack = await FuzzStack.start(redis.url);
      operations = apps.flatMap((app) => operationsOf(app, stack.apps[app]));
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
      await redis.stop();
    });

    it(`answers ${runs} hostile requests without a 5xx, a hang, or a 4xx that changed state`, async () => {
      const tokens = stack.tokens();
      const ids = [stack.alice.id, stack.bob.id, stack.alicePostId, '1', '2', '3'];
      const request = fc.constantFrom(...operations).chain((op) =>
        fc.record({
          op: fc.constant(op),
          path: hostilePath(op, ids),
          query: hostileQuery(op, ids),
          body: hostileBody(op, ids),
          contentType: contentTypes,
          token: fc.constantFrom(...Object.keys(tokens)),
          asCookie: fc.boolean(),
        }),
      );
      const counts = new Map<number, number>();
      let baseline = await stateFingerprint(stack.prisma, stack.redis);

      await fc.assert(
        fc.asyncProperty(request, async ({ op, path, query, body, contentType, token, asCookie }) => {
          const headers: Record<string, string> = {};
          if (contentType !== undefined) headers['content-type'] = contentType;
          const credential = tokens[token];
          if (credential !== undefined) {
            if (asCookie && op.app === 'admin')
              headers.cookie = `feedline_admin=${credential.replace(/^\S+ /, '')}`;
            else headers.authorization = credential;
          }
          const url = `${path}${query}`;
          const answer = await Promise.race([
            stack.apps[op.app].app.inject({ method: op.method as 'GET', url, headers, payload: body }),
            new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), HANG_MS).unref()),
          ]);
          const what = `${op.app} ${op.method} ${url} [${token}${asCookie ? ' cookie' : ''}] ${contentType} ${String(body).slice(0, 300)}`;
          if (answer === 'hang') throw new Error(`no answer within ${HANG_MS} ms: ${what}`);
          counts.set(answer.statusCode, (counts.get(answer.statusCode) ?? 0) + 1);
          if (answer.statusCode >= 500)
            throw new Error(`${answer.statusCode} ${answer.body.slice(0, 300)}: ${what}`);
          const refused = answer.statusCode >= 400;
          const after = await (refused ? stateFingerprint : settledFingerprint)(stack.prisma, stack.redis);
          const [before, changed] = [baseline, after !== baseline];
          baseline = after;
          if (refused && changed) {
            throw new Error(
              `${answer.statusCode} ${answer.body.slice(0, 200)} changed state: ${what}\n${fingerprintDiff(before, after)}`,
            );
          }
        }),
        {
          numRuns: runs,
          seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
          endOnFailure: true,
        },
      );
      console.log(
        `fuzz: ${runs} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...counts].sort()))}`,
      );
    }, 600_000);
  });
}
