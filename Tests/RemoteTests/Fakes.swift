import Foundation
import Remote
import TestSupport


/// A fixed instant for clock-dependent tests.
let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)

/// A client for loopback tests: fake sleeper, fixed clock, jitter draw of 0 (so backoff is half
/// the nominal delay), short timeouts.
func testClient(
    sleeper: RecordingSleeper = RecordingSleeper(), policy: RetryPolicy = RetryPolicy(),
    cache: (any ETagCache)? = nil
) -> HTTPClient {
    HTTPClient(retryPolicy: policy, sleeper: sleeper, now: { fixedNow }, random: { 0 }, etagCache: cache)
}
