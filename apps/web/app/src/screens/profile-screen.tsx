import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, Relationship, User } from '../api';
import { PostList } from '../components/post-list';
import { useApp } from '../context';
import { usePagedFeed } from '../feed/use-paged-feed';
import { NotificationsToggle } from '../push/notifications';

const count = new Intl.NumberFormat();

export function ProfileScreen({ username }: { username: string }) {
  const { api, session } = useApp();
  const [user, setUser] = useState<User>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setUser(undefined);
    setError(undefined);
    api
      .lookup(username)
      .then((found) => {
        setUser(found);
        document.title = `${found.displayName} (@${found.username}) · Feedline`;
      })
      .catch((e: unknown) =>
        setError(
          e instanceof ApiError && e.status === 404 ? `There is no @${username}.` : (e as Error).message,
        ),
      );
  }, [api, username]);

  if (error)
    return (
      <main id="main">
        <h1>Profile</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!user)
    return (
      <main id="main" aria-busy="true">
        <h1>@{username}</h1>
        <p>Loading…</p>
      </main>
    );
  const self = session?.user.id === user.id;
  return (
    <main id="main">
      <section class="profile" aria-labelledby="profile-name">
        <h1 id="profile-name">
          {user.displayName} <span class="username">@{user.username}</span>
        </h1>
        {user.isCelebrity && (
          <p class="badge celebrity" id="celebrity-badge">
            <span aria-hidden="true">★ </span>Celebrity: their posts are merged into followers’ feeds at read
            time
          </p>
        )}
        <dl class="counts">
          <div>
            <dt>Followers</dt>
            <dd id="follower-count">{count.format(user.followerCount)}</dd>
          </div>
          <div>
            <dt>Following</dt>
            <dd id="following-count">{count.format(user.followingCount)}</dd>
          </div>
        </dl>
        {session && !self && <FollowControls user={user} onChange={setUser} />}
      </section>
      {self && (
        <section class="settings" aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">Notifications</h2>
          <p class="hint" id="notifications-help">
            In this browser, when someone follows you, and when an account you rang the bell for posts.
          </p>
          <NotificationsToggle describedBy="notifications-help" />
        </section>
      )}
      <AuthorPosts user={user} />
    </main>
  );
}

/** Follow / unfollow, and the bell (notify on new posts) once the relationship is known. */
function FollowControls({ user, onChange }: { user: User; onChange: (user: User) => void }) {
  const { api, session } = useApp();
  const [relation, setRelation] = useState<Relationship | null>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .relationship(user.id)
      .then(setRelation)
      // A server without the relationship endpoint: follow state unknown, assume not following.
      .catch(() => setRelation(null));
  }, [api, user.id]);

  const following = relation?.following ?? false;
  const act = async (work: () => Promise<void>, next: Partial<Relationship>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      const counted = await api.user(user.id);
      setRelation((r) => ({ following: false, followedBy: false, notify: false, ...r, ...next }));
      onChange(counted);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };

  if (relation === undefined) return <p class="hint">…</p>;
  return (
    <div class="follow-controls">
      <button
        type="button"
        id="follow-button"
        class={following ? 'secondary' : ''}
        aria-pressed={following}
        disabled={busy}
        onClick={() =>
          void (following
            ? act(() => api.unfollow(user.id), { following: false, notify: false })
            : act(() => api.follow(user.id), { following: true }))
        }
      >
        {following ? 'Following' : 'Follow'}
        <span class="visually-hidden"> @{user.username}</span>
      </button>
      {relation && following && (
        <button
          type="button"
          id="bell-button"
          class="secondary"
          aria-pressed={relation.notify}
          aria-label={`Notify me of new posts by @${user.username}`}
          title={relation.notify ? 'You are notified of their new posts' : 'Notify me of their new posts'}
          disabled={busy}
          onClick={() => void act(() => api.follow(user.id, !relation.notify), { notify: !relation.notify })}
        >
          <BellIcon ringing={relation.notify} />
          <span aria-hidden="true">Notify me</span>
        </button>
      )}
      {relation?.followedBy && <span class="badge">Follows you</span>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {relation?.notify && !pushAllowed() && (
        <p class="hint" id="bell-hint">
          To get these in this browser, turn on notifications on{' '}
          <a href={`/@${session?.user.username ?? ''}`}>your profile</a>.
        </p>
      )}
    </div>
  );
}

/** A bell, struck through when silent (SVG: no emoji font needed). */
function BellIcon({ ringing }: { ringing: boolean }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      {!ringing && <path d="M3 3l18 18" />}
    </svg>
  );
}

/** Notifications granted in this browser (the bell alone does not show them here). */
function pushAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

function AuthorPosts({ user }: { user: User }) {
  const { api, session } = useApp();
  const load = useCallback((cursor?: string) => api.authorPosts(user.id, cursor), [api, user.id]);
  const feed = usePagedFeed(load, `author:${user.id}`);
  return (
    <>
      <h2>Posts</h2>
      <PostList
        label={`Posts by @${user.username}`}
        items={feed.items}
        hasMore={feed.hasMore}
        loading={feed.loading}
        error={feed.error}
        meId={session?.user.id}
        onMore={feed.loadOlder}
        empty="No posts yet."
      />
    </>
  );
}
