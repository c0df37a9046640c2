/// A file or a section: an ordered list of keys and sections, edited by name.
public protocol MetadataContainer {
    var items: [MetadataItem] { get set }
}

extension MetadataContainer {
    /// The keys, in order.
    public var keys: [MetadataKey] {
        items.compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    /// The sections, in order.
    public var sections: [MetadataSection] {
        items.compactMap { if case .section(let section) = $0 { section } else { nil } }
    }

    /// The key with this name. Setting replaces it in place (an unchanged value keeps its source text),
    /// adds it after the last key (before the sections) when there is none, or removes it when nil.
    public subscript(key name: String) -> MetadataKey? {
        get { keyIndex(name).flatMap { if case .key(let key) = items[$0] { key } else { nil } } }
        set {
            let index = keyIndex(name)
            guard var key = newValue else {
                if let index { items.remove(at: index) }
                return
            }
            if let index, case .key(let old) = items[index] {
                key.leadingTrivia = old.leadingTrivia
                if key.original == nil { key.original = old.original }
                items[index] = .key(key)
            } else {
                let lastKey = items.lastIndex { if case .key = $0 { true } else { false } }
                let firstSection = items.firstIndex { if case .section = $0 { true } else { false } }
                items.insert(.key(key), at: lastKey.map { $0 + 1 } ?? firstSection ?? items.count)
            }
        }
    }

    /// The first section with this name. Setting replaces it in place (keeping its heading's source text
    /// when the heading is unchanged), appends it when there is none, or removes it when nil.
    public subscript(section name: String) -> MetadataSection? {
        get { sectionIndex(name).flatMap { if case .section(let section) = items[$0] { section } else { nil } } }
        set {
            let index = sectionIndex(name)
            guard var section = newValue else {
                if let index { items.remove(at: index) }
                return
            }
            if let index, case .section(let old) = items[index] {
                section.leadingTrivia = old.leadingTrivia
                if section.original == nil { section.original = old.original }
                items[index] = .section(section)
            } else {
                items.append(.section(section))
            }
        }
    }

    private func keyIndex(_ name: String) -> Int? {
        items.firstIndex { if case .key(let key) = $0 { key.name == name } else { false } }
    }

    private func sectionIndex(_ name: String) -> Int? {
        items.firstIndex { if case .section(let section) = $0 { section.name == name } else { false } }
    }
}
