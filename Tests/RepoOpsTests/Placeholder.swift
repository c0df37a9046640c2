import Testing

@Test func placeholder_RepoOpsTests() { #expect(1 + 1 == 2) }
