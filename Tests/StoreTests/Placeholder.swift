import Testing

@Test func placeholder_StoreTests() { #expect(1 + 1 == 2) }
