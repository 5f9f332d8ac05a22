import { useTestEnvironment } from '@app/testing';
import { mastodonPagingPropertySuite } from '../support/mastodon-paging-property';

// A small cap and threshold, so pages reach below what Redis keeps and authors become celebrities.
useTestEnvironment({
  FANOUT_MODE: 'pull',
  TIMELINE_MAX: '10',
  CELEBRITY_THRESHOLD: '3',
  CELEBRITY_DEMOTE_BELOW: '2',
});

mastodonPagingPropertySuite('pull');
