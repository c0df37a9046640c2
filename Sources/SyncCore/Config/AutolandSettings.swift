/// Landing try pushes that ask for it once their run passes (`[autoland]`).
public struct AutolandSettings: Sendable, Equatable {
    /// The integration tree a request without `=<tree>` lands on (a `[[gecko]]` name, role integration).
    public var defaultTree: String
    /// The trees a request may name (default: every integration repository).
    public var trees: [String]
    /// Times each failed job is run again before the request is decided (0: none, straight to the sheriffs).
    public var maxRetriggers: Int
    /// Jobs of a higher tier are not looked at (Treeherder tiers 1–3; a job without one is tier 1).
    public var maxTier: Int
    /// Job names (`*` matches any run of characters) that are not looked at.
    public var ignoredJobs: [String]

    public static let retriggerRange = 0...5
    public static let tierRange = 1...3

    public init(defaultTree: String, trees: [String], maxRetriggers: Int = 1, maxTier: Int = 2, ignoredJobs: [String] = []) {
        self.defaultTree = defaultTree; self.trees = trees; self.maxRetriggers = maxRetriggers
        self.maxTier = maxTier; self.ignoredJobs = ignoredJobs
    }
}
