/**
 * A small, readable demo for the web app's screenshots and benchmark: a
 * reader who follows two friends and a celebrity (so the feed shows both
 * pushed and merged posts), through the real API.
 */
import { account, Account, call, until } from './web-stack';

export const DEMO_PASSWORD = 'correct horse battery';

const FRIEND_POSTS = [
  'Finished the first draft of the analytical engine notes. Footnote G is getting long.',
  'Coffee, then a walk by the river. The best ideas come between the two.',
  'Reminder: a bug is just a feature nobody asked for',
  'Reading group tonight at seven — bring questions, not answers.',
];
const STAR_POSTS = [
  'Thank you all for 1,000,000 listens! New single out Friday.',
  'Rehearsal photos coming soon. The lights this time… wow.',
];

export interface Demo {
  reader: Account;
  friends: Account[];
  star: Account;
}

/** `threshold`: the stack's CELEBRITY_THRESHOLD, so the star gets enough fans to be one. */
export async function createDemo(
  postUrl: string,
  feedUrl: string,
  threshold: number,
  tag = '',
): Promise<Demo> {
  const reader = await account(postUrl, `sam${tag}`, DEMO_PASSWORD);
  const friends = [
    await account(postUrl, `ada_lovelace${tag}`, DEMO_PASSWORD),
    await account(postUrl, `grace_hopper${tag}`, DEMO_PASSWORD),
  ];
  const star = await account(postUrl, `famous_star${tag}`, DEMO_PASSWORD);
  for (let i = 0; i < threshold; i += 1) {
    const fan = await account(postUrl, `fan_${i}${tag}`, DEMO_PASSWORD);
    await call(postUrl, 'PUT', `/users/${star.id}/follow`, fan.token);
  }
  for (const followee of [...friends, star])
    await call(postUrl, 'PUT', `/users/${followee.id}/follow`, reader.token);
  const all = [
    ...FRIEND_POSTS.map((content, i) => ({ author: friends[i % 2], content })),
    ...STAR_POSTS.map((content) => ({ author: star, content })),
  ];
  // Interleaved in time, as a real feed would be.
  const order = [0, 4, 1, 2, 5, 3];
  for (const i of order)
    await call(postUrl, 'POST', '/posts', all[i].author.token, { content: all[i].content });
  await call(postUrl, 'POST', '/posts', reader.token, { content: 'Trying out Feedline. Hello, everyone!' });
  await until('the demo feed to fill', async () => {
    const page = await call<{ items: unknown[] }>(feedUrl, 'GET', '/feed?limit=20', reader.token);
    return page.items.length === all.length + 1;
  });
  return { reader, friends, star };
}
