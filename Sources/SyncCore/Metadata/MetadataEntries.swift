/// The keys and sections of a file or a section in source order, indexed by name: finding, replacing,
/// appending and removing one by name take constant time (amortized) however many there are, so an
/// update touching every subtest of a test with thousands of them stays linear. Removed entries leave
/// a hole until holes outnumber entries; the order of what is left never changes.
public struct MetadataEntries: Sendable, Hashable, Sequence {
    private var slots: [MetadataItem?] = []
    private var live = 0
    /// The first slot holding a key (or a section) of each name.
    private var keySlots: [String: Int] = [:]
    private var sectionSlots: [String: Int] = [:]
    /// Names held by more than one entry of a kind (allowed by the format): removing the first
    /// looks for the next.
    private var repeatedKeys: Set<String> = []
    private var repeatedSections: Set<String> = []

    public init(_ items: [MetadataItem] = []) {
        slots = items
        live = items.count
        reindex()
    }

    /// The entries, in order.
    public var items: [MetadataItem] { slots.compactMap { $0 } }
    public var isEmpty: Bool { live == 0 }
    public var count: Int { live }

    public func makeIterator() -> some IteratorProtocol<MetadataItem> {
        slots.lazy.compactMap { $0 }.makeIterator()
    }

    public static func == (a: MetadataEntries, b: MetadataEntries) -> Bool {
        a.live == b.live && a.elementsEqual(b)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(live)
        for item in self { hasher.combine(item) }
    }

    /// The first key named `name`.
    public func key(_ name: String) -> MetadataKey? {
        keySlots[name].flatMap { if case .key(let key)? = slots[$0] { key } else { nil } }
    }

    /// The first section named `name`.
    public func section(_ name: String) -> MetadataSection? {
        sectionSlots[name].flatMap { if case .section(let section)? = slots[$0] { section } else { nil } }
    }

    /// Replaces the first key named `key.name`, or adds it after the last key (before the sections).
    mutating func setKey(_ key: MetadataKey) {
        if let slot = keySlots[key.name] {
            slots[slot] = .key(key)
            return
        }
        let lastKey = repeatedKeys.isEmpty ? keySlots.values.max() : slots.lastIndex { if case .key? = $0 { true } else { false } }
        let position = lastKey.map { $0 + 1 } ?? slots.firstIndex { $0 != nil } ?? slots.count
        if position == slots.count {
            slots.append(.key(key))
            live += 1
            keySlots[key.name] = position
        } else {
            slots.insert(.key(key), at: position)
            live += 1
            reindex()
        }
    }

    /// Replaces the first section named `section.name`, or appends it.
    mutating func setSection(_ section: MetadataSection) {
        if let slot = sectionSlots[section.name] {
            slots[slot] = .section(section)
        } else {
            sectionSlots[section.name] = slots.count
            slots.append(.section(section))
            live += 1
        }
    }

    mutating func removeKey(_ name: String) {
        guard let slot = keySlots.removeValue(forKey: name) else { return }
        remove(at: slot)
        if repeatedKeys.contains(name) {
            keySlots[name] = slots[slot...].firstIndex { if case .key(let key)? = $0 { key.name == name } else { false } }
        }
        compactIfSparse()
    }

    mutating func removeSection(_ name: String) {
        guard let slot = sectionSlots.removeValue(forKey: name) else { return }
        remove(at: slot)
        if repeatedSections.contains(name) {
            sectionSlots[name] = slots[slot...].firstIndex { if case .section(let section)? = $0 { section.name == name } else { false } }
        }
        compactIfSparse()
    }

    private mutating func remove(at slot: Int) {
        slots[slot] = nil
        live -= 1
    }

    private mutating func compactIfSparse() {
        guard slots.count - live > Swift.max(16, live) else { return }
        slots.removeAll { $0 == nil }
        reindex()
    }

    private mutating func reindex() {
        keySlots = [:]
        sectionSlots = [:]
        repeatedKeys = []
        repeatedSections = []
        for (slot, item) in slots.enumerated() {
            switch item {
            case .key(let key)?:
                if keySlots[key.name] == nil { keySlots[key.name] = slot } else { repeatedKeys.insert(key.name) }
            case .section(let section)?:
                if sectionSlots[section.name] == nil { sectionSlots[section.name] = slot } else { repeatedSections.insert(section.name) }
            case nil:
                break
            }
        }
    }
}
