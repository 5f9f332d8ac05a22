import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { RedisClient } from '@app/redis';
import { decodeStreamEvent, StreamEvent } from './stream-event';

export const STREAM_SUBSCRIBER_CLIENT = Symbol('STREAM_SUBSCRIBER_CLIENT');

export type StreamListener = (event: StreamEvent, channel: string) => void;

interface Channel {
  listeners: Set<StreamListener>;
  /** Settles once Redis confirmed the subscription. */
  ready: Promise<void>;
}

/**
 * One subscriber connection per process, shared by every client connected to
 * it: a channel is subscribed while at least one listener wants it
 * (refcounted) and each message is decoded once, whatever the number of
 * listeners. A celebrity followed by 5,000 connected users costs one
 * subscription and one message per post in each streaming process.
 */
@Injectable()
export class StreamSubscriber implements OnApplicationShutdown {
  private readonly logger = new Logger(StreamSubscriber.name);
  private readonly channels = new Map<string, Channel>();
  private readonly sharded: boolean;

  constructor(@Inject(STREAM_SUBSCRIBER_CLIENT) private readonly redis: RedisClient) {
    this.sharded = redis instanceof Cluster;
    const deliver = (channel: string, message: string) => this.deliver(channel, message);
    if (this.sharded) redis.on('smessage', deliver);
    else redis.on('message', deliver);
  }

  /** Subscribes `listener` to the channels; resolves once they are live. Returns what undoes it. */
  async listen(channels: readonly string[], listener: StreamListener): Promise<() => void> {
    const fresh: string[] = [];
    const waits: Array<Promise<void>> = [];
    for (const name of new Set(channels)) {
      let channel = this.channels.get(name);
      if (!channel) {
        channel = { listeners: new Set(), ready: Promise.resolve() };
        this.channels.set(name, channel);
        fresh.push(name);
      }
      channel.listeners.add(listener);
      waits.push(channel.ready);
    }
    if (fresh.length > 0) {
      const subscribed = this.subscribe(fresh);
      for (const name of fresh) this.channels.get(name)!.ready = subscribed;
      waits.push(subscribed);
    }
    let undone = false;
    const undo = () => {
      if (undone) return;
      undone = true;
      this.unlisten([...new Set(channels)], listener);
    };
    try {
      await Promise.all(waits);
    } catch (error) {
      undo();
      throw error;
    }
    return undo;
  }

  /** How many channels this process is subscribed to (for metrics and tests). */
  get channelCount(): number {
    return this.channels.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.channels.clear();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private unlisten(names: readonly string[], listener: StreamListener): void {
    const idle: string[] = [];
    for (const name of names) {
      const channel = this.channels.get(name);
      if (!channel?.listeners.delete(listener) || channel.listeners.size > 0) continue;
      this.channels.delete(name);
      idle.push(name);
    }
    if (idle.length === 0) return;
    const done = this.sharded
      ? Promise.all(idle.map((name) => this.redis.sunsubscribe(name)))
      : this.redis.unsubscribe(...idle);
    done.catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribe failed'));
  }

  private async subscribe(names: readonly string[]): Promise<void> {
    // Sharded channels of different slots cannot share one SSUBSCRIBE.
    if (this.sharded) await Promise.all(names.map((name) => this.redis.ssubscribe(name)));
    else await this.redis.subscribe(...names);
  }

  private deliver(name: string, message: string): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    const event = decodeStreamEvent(message);
    if (!event) return;
    for (const listener of channel.listeners) {
      try {
        listener(event, name);
      } catch (error) {
        this.logger.warn({ err: error, channel: name }, 'stream listener failed');
      }
    }
  }
}
