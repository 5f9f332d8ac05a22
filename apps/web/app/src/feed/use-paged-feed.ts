import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, FeedItem, FeedPage } from '../api';
import { appendOlder, FeedState, prependNewer, reachesShown } from './paging';

/** How many pages "show new posts" reads from the top before it starts the list over. */
const MAX_NEWER_PAGES = 5;

export interface PagedFeed {
  items: FeedItem[];
  hasMore: boolean;
  loading: boolean;
  error?: string;
  loadOlder: () => void;
  /** Reads from the top down to what is shown; resolves with how many posts were added. */
  loadNewer: () => Promise<number>;
  remove: (id: string) => void;
}

/** A cursor-paged list: older pages appended, newer ones joined on top, never a duplicate or a hole. */
export function usePagedFeed(load: (cursor?: string) => Promise<FeedPage>, key: string): PagedFeed {
  const [state, setState] = useState<FeedState<FeedItem> & { started: boolean }>({
    items: [],
    cursor: null,
    started: false,
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const busy = useRef(false);
  const current = useRef(state);
  current.current = state;

  const run = useCallback(async (work: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong loading posts.');
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setState({ items: [], cursor: null, started: false });
    void run(async () => {
      const page = await load();
      setState({ ...appendOlder({ items: [], cursor: null }, page), started: true });
    });
  }, [key]); // `key` names what `load` reads

  const loadOlder = useCallback(() => {
    const { cursor, started } = current.current;
    if (!started || !cursor) return;
    void run(async () => {
      const page = await load(cursor);
      setState((s) => (s.cursor === cursor ? { ...appendOlder(s, page), started: true } : s));
    });
  }, [load, run]);

  const loadNewer = useCallback(async () => {
    let added = 0;
    await run(async () => {
      const pages: FeedPage[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_NEWER_PAGES; i += 1) {
        const page = await load(cursor);
        pages.push(page);
        if (!page.nextCursor || reachesShown(current.current.items, page.items)) break;
        cursor = page.nextCursor;
      }
      const before = current.current;
      const next = prependNewer(before, pages);
      added = next.items.filter((item) => !before.items.some((old) => old.id === item.id)).length;
      current.current = { ...next, started: true };
      setState(current.current);
    });
    return added;
  }, [load, run]);

  const remove = useCallback((id: string) => {
    setState((s) => ({ ...s, items: s.items.filter((item) => item.id !== id) }));
  }, []);

  return {
    items: state.items,
    hasMore: state.started && state.cursor !== null,
    loading: loading || !state.started,
    error,
    loadOlder,
    loadNewer,
    remove,
  };
}
