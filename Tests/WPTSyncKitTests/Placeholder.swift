import Testing

@Test func placeholder_WPTSyncKitTests() { #expect(1 + 1 == 2) }
