import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { RedisKeys } from '@app/redis';
import { StreamEvent, StreamSubscriber } from '@app/streaming';
import { FollowedChannelsRepository } from './followed-channels.repository';
import { StatusRenderer } from './status-renderer';

/** How many sent events a connection remembers to drop repeats (a retry follows within seconds). */
const REMEMBERED_EVENTS = 1000;

/** Mastodon's user-stream events, as a connection sends them. */
export type ClientEvent = { event: 'update'; payload: string } | { event: 'delete'; payload: string };

export interface UserStream {
  readonly userId: number;
  close(): void;
}

interface Connection {
  userId: number;
  send: (event: ClientEvent) => void;
  /** Author id → what stops listening to their channel. */
  authors: Map<number, () => void>;
  stopUser: () => void;
  /** Events are sent in the order they arrived, though rendering is asynchronous. */
  queue: Promise<void>;
  /** Recently sent events (`u123`, `d123`): a retried fan-out job announces again, a client hears it once. */
  sent: Set<string>;
  closed: boolean;
}

/**
 * The user streams of this process. Each connection listens to its user's
 * channel (posts pushed into their home timeline) and to the channels of the
 * authors they follow who are merged at read time (celebrities in hybrid):
 * those posts are published once and shared through the process-wide,
 * refcounted subscription. Follows, unfollows and delivery changes re-read
 * the author channels.
 */
@Injectable()
export class UserStreams implements OnModuleInit {
  private readonly logger = new Logger(UserStreams.name);
  private readonly byUser = new Map<number, Set<Connection>>();

  constructor(
    private readonly subscriber: StreamSubscriber,
    private readonly keys: RedisKeys,
    private readonly channels: FollowedChannelsRepository,
    private readonly renderer: StatusRenderer,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.subscriber.listen([this.keys.deliveryStream()], (event) => {
      if (event.event === 'delivery') void this.deliveryChanged(Number(event.authorId));
    });
  }

  /** Resolves once every subscription is live: what is published from then on reaches `send`. */
  async open(userId: number, send: (event: ClientEvent) => void): Promise<UserStream> {
    const connection: Connection = {
      userId,
      send,
      authors: new Map(),
      stopUser: () => undefined,
      queue: Promise.resolve(),
      sent: new Set(),
      closed: false,
    };
    const listener = (event: StreamEvent) => this.received(connection, event);
    connection.stopUser = await this.subscriber.listen([this.keys.userStream(userId)], listener);
    try {
      await this.refresh(connection, listener);
    } catch (error) {
      connection.stopUser();
      throw error;
    }
    let users = this.byUser.get(userId);
    if (!users) this.byUser.set(userId, (users = new Set()));
    users.add(connection);
    return {
      userId,
      close: () => {
        if (connection.closed) return;
        connection.closed = true;
        connection.stopUser();
        for (const stop of connection.authors.values()) stop();
        connection.authors.clear();
        users.delete(connection);
        if (users.size === 0) this.byUser.delete(userId);
      },
    };
  }

  /** Connections open in this process. */
  get connectionCount(): number {
    let count = 0;
    for (const users of this.byUser.values()) count += users.size;
    return count;
  }

  private received(connection: Connection, event: StreamEvent): void {
    if (connection.closed) return;
    if (event.event === 'update' || event.event === 'delete') {
      const key = `${event.event[0]}${event.postId}`;
      if (connection.sent.has(key)) return;
      connection.sent.add(key);
      if (connection.sent.size > REMEMBERED_EVENTS)
        connection.sent.delete(connection.sent.values().next().value!);
    }
    switch (event.event) {
      case 'update': {
        const rendered = this.renderer.render(event.postId, event.authorId);
        this.enqueue(connection, async () => {
          const payload = await rendered;
          if (payload) connection.send({ event: 'update', payload });
        });
        return;
      }
      case 'delete':
        this.renderer.forget(event.postId);
        this.enqueue(connection, () => connection.send({ event: 'delete', payload: event.postId }));
        return;
      case 'follows':
        this.enqueue(connection, () => this.refresh(connection, (e) => this.received(connection, e)));
        return;
      case 'delivery':
        return;
    }
  }

  private enqueue(connection: Connection, step: () => unknown): void {
    connection.queue = connection.queue
      .then(async () => {
        if (!connection.closed) await step();
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, userId: connection.userId }, 'stream event dropped'),
      );
  }

  /** Listens to exactly the author channels the user's follows call for now. */
  private async refresh(connection: Connection, listener: (event: StreamEvent) => void): Promise<void> {
    const wanted = new Set(await this.channels.listenedAuthors(connection.userId));
    if (connection.closed) return;
    for (const [authorId, stop] of connection.authors) {
      if (!wanted.has(authorId)) {
        stop();
        connection.authors.delete(authorId);
      }
    }
    const added = [...wanted].filter((authorId) => !connection.authors.has(authorId));
    await Promise.all(
      added.map(async (authorId) => {
        const stop = await this.subscriber.listen([this.keys.authorStream(authorId)], listener);
        if (connection.closed || connection.authors.has(authorId)) stop();
        else connection.authors.set(authorId, stop);
      }),
    );
  }

  private async deliveryChanged(authorId: number): Promise<void> {
    try {
      const followers = await this.channels.followersAmong(authorId, [...this.byUser.keys()]);
      for (const userId of followers)
        for (const connection of this.byUser.get(userId) ?? [])
          this.received(connection, { event: 'follows' });
    } catch (error) {
      this.logger.warn({ err: error, authorId }, 'could not re-read stream channels after a delivery change');
    }
  }
}
