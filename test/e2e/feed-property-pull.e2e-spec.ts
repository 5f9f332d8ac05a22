import { useTestEnvironment } from '@app/testing';
import { feedPropertySuite } from '../support/feed-property';

// A small cap and threshold, so walks reach below what Redis keeps and authors become celebrities.
useTestEnvironment({
  FANOUT_MODE: 'pull',
  TIMELINE_MAX: '10',
  CELEBRITY_THRESHOLD: '3',
  CELEBRITY_DEMOTE_BELOW: '2',
});

feedPropertySuite('pull');
