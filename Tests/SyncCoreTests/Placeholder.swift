import Testing

@Test func placeholder_SyncCoreTests() { #expect(1 + 1 == 2) }
