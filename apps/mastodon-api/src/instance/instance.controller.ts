import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FEEDLINE_VERSION, InstanceService, MAX_CHARACTERS } from './instance.service';

const NODEINFO_20 = 'http://nodeinfo.diaspora.software/ns/schema/2.0';
const TITLE = 'Feedline';
const DESCRIPTION = 'A hybrid push/pull news feed, readable with any Mastodon app.';
/** A 1×1 grey PNG: Mastodon clients expect a picture URL for every avatar and header. */
const PICTURE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mM8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=',
  'base64',
);

/** Discovery: NodeInfo (how clients such as megalodon learn what server this is) and the instance documents. */
@Controller()
export class InstanceController {
  constructor(private readonly instance: InstanceService) {}

  @Get('.well-known/nodeinfo')
  nodeinfoLinks(): object {
    return { links: [{ rel: NODEINFO_20, href: `${this.instance.baseUrl}/nodeinfo/2.0` }] };
  }

  /**
   * NodeInfo 2.0. The software is Feedline, honestly named; `metadata.upstream`
   * says whose client API it speaks, which is what megalodon's detector reads
   * for a server it does not know by name.
   */
  @Get('nodeinfo/2.0')
  @Header('content-type', `application/json; profile="${NODEINFO_20}#"`)
  async nodeinfo(): Promise<object> {
    const usage = await this.instance.usage();
    return {
      version: '2.0',
      software: { name: 'feedline', version: FEEDLINE_VERSION },
      protocols: [],
      services: { outbound: [], inbound: [] },
      usage: { users: { total: usage.users }, localPosts: usage.posts },
      openRegistrations: false,
      metadata: {
        nodeName: TITLE,
        upstream: { name: 'mastodon', version: this.instance.version },
        features: ['mastodon_api', 'mastodon_api_streaming'],
      },
    };
  }

  @Get('api/v1/instance')
  async v1(): Promise<object> {
    const usage = await this.instance.usage();
    return {
      uri: this.instance.domain,
      title: TITLE,
      short_description: DESCRIPTION,
      description: DESCRIPTION,
      email: '',
      version: this.instance.version,
      urls: { streaming_api: this.instance.streamingUrl },
      stats: { user_count: usage.users, status_count: usage.posts, domain_count: 0 },
      thumbnail: this.instance.pictureUrl,
      languages: ['en'],
      registrations: false,
      approval_required: false,
      invites_enabled: false,
      configuration: this.configuration(),
      contact_account: null,
      rules: [],
    };
  }

  @Get('api/v2/instance')
  async v2(): Promise<object> {
    const usage = await this.instance.usage();
    return {
      domain: this.instance.domain,
      title: TITLE,
      version: this.instance.version,
      source_url: 'https://github.com/feedline/feedline',
      description: DESCRIPTION,
      usage: { users: { active_month: usage.users } },
      thumbnail: { url: this.instance.pictureUrl },
      languages: ['en'],
      configuration: {
        urls: { streaming: this.instance.streamingUrl },
        vapid: { public_key: '' },
        ...this.configuration(),
        translation: { enabled: false },
      },
      registrations: { enabled: false, approval_required: false, message: null },
      contact: { email: '', account: null },
      rules: [],
    };
  }

  /** Other custom-emoji and media routes answer empty; a picture for every avatar. */
  @Get('avatars/original/missing.png')
  picture(@Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'image/png')
      .header('cache-control', 'public, max-age=86400')
      .send(PICTURE);
  }

  private configuration() {
    return {
      accounts: { max_featured_tags: 0, max_pinned_statuses: 0 },
      statuses: { max_characters: MAX_CHARACTERS, max_media_attachments: 0, characters_reserved_per_url: 23 },
      media_attachments: {
        supported_mime_types: [],
        image_size_limit: 0,
        image_matrix_limit: 0,
        video_size_limit: 0,
        video_frame_rate_limit: 0,
        video_matrix_limit: 0,
      },
      polls: { max_options: 0, max_characters_per_option: 0, min_expiration: 0, max_expiration: 0 },
    };
  }
}
