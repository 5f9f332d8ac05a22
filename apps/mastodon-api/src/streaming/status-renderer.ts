import { Injectable } from '@nestjs/common';
import { Hydrator } from '@app/feed';
import { PresenterService } from '../accounts/presenter.service';

/** How long a rendered status is shared between the connections that receive it. */
const SHARED_FOR_MS = 10_000;

/**
 * A post as the `update` event's payload (the Status JSON the REST API
 * serves), rendered once per process however many connected clients receive
 * it: 5,000 followers of a celebrity cost one hydration. Deleted posts render
 * as null (not sent).
 */
@Injectable()
export class StatusRenderer {
  private readonly recent = new Map<string, Promise<string | null>>();

  constructor(
    private readonly hydrator: Hydrator,
    private readonly presenter: PresenterService,
  ) {}

  render(postId: string, authorId: string): Promise<string | null> {
    let rendered = this.recent.get(postId);
    if (!rendered) {
      rendered = this.renderNow(postId, authorId);
      this.recent.set(postId, rendered);
      setTimeout(() => this.recent.delete(postId), SHARED_FOR_MS).unref();
      rendered.catch(() => this.recent.delete(postId));
    }
    return rendered;
  }

  /** A deleted post must not be rendered from the shared copy again. */
  forget(postId: string): void {
    this.recent.delete(postId);
  }

  private async renderNow(postId: string, authorId: string): Promise<string | null> {
    const items = await this.hydrator.hydrate([{ postId: Number(postId), authorId: Number(authorId) }]);
    if (items.length === 0) return null;
    const [status] = await this.presenter.feedStatuses(items);
    return status ? JSON.stringify(status) : null;
  }
}
