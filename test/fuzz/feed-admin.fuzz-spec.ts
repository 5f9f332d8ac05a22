import { hostileRequestSuite } from './hostile-requests';

// The other half of the requests: feed-service, the admin dashboard and its bull-board.
hostileRequestSuite(['feed', 'admin'], Math.floor(Number(process.env.FUZZ_RUNS ?? 10_000) / 2));
