/// A file or a section: an ordered list of keys and sections, edited by name.
public protocol MetadataContainer {
    var entries: MetadataEntries { get set }
}

extension MetadataContainer {
    /// The entries, in order. Setting replaces them all (and rebuilds the index by name).
    public var items: [MetadataItem] {
        get { entries.items }
        set { entries = MetadataEntries(newValue) }
    }

    /// Whether there is no key and no section (comments aside).
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys, in order.
    public var keys: [MetadataKey] {
        entries.compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    /// The sections, in order.
    public var sections: [MetadataSection] {
        entries.compactMap { if case .section(let section) = $0 { section } else { nil } }
    }

    /// The key with this name. Setting replaces it in place (an unchanged value keeps its source text),
    /// adds it after the last key (before the sections) when there is none, or removes it when nil.
    public subscript(key name: String) -> MetadataKey? {
        get { entries.key(name) }
        set {
            guard var key = newValue else { return entries.removeKey(name) }
            if let old = entries.key(name) {
                key.leadingTrivia = old.leadingTrivia
                if key.original == nil { key.original = old.original }
            }
            entries.setKey(key)
        }
    }

    /// The first section with this name. Setting replaces it in place (keeping its heading's source text
    /// when the heading is unchanged), appends it when there is none, or removes it when nil.
    public subscript(section name: String) -> MetadataSection? {
        get { entries.section(name) }
        set {
            guard var section = newValue else { return entries.removeSection(name) }
            if let old = entries.section(name) {
                section.leadingTrivia = old.leadingTrivia
                if section.original == nil { section.original = old.original }
            }
            entries.setSection(section)
        }
    }
}
