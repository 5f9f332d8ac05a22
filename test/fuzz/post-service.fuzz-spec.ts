import { hostileRequestSuite } from './hostile-requests';

// Half of the 10,000 requests (FUZZ_RUNS in all); feed-admin.fuzz-spec.ts sends the rest, in parallel.
hostileRequestSuite(['post'], Math.ceil(Number(process.env.FUZZ_RUNS ?? 10_000) / 2));
