import Foundation

/// A dictionary keyed by message ID, split into 256 dictionaries by the ID's last byte, so that growing it rehashes
/// a 256th at a time. A plain dictionary doubles all at once: at 196,608 entries one insert rehashes them all, which
/// took 45 ms on the 2-core machine eixm is measured on (9 ms at 49,152), and a router that remembers every message's
/// ID pays that on its actor, where every message waits. Split, the longest such pause at a million IDs is that of
/// about 4,000. (An ID whose last byte is chosen by a peer lands in one dictionary: no worse than one dictionary.)
///
/// Inlinable, so that the router's maps are specialized for their values: unspecialized, each look-up and insert
/// went through the dictionaries' generic code and looked up type metadata at run time (a fifth of the router
/// actor's time in eixm-bench summary's batch run).
public struct UUIDMap<Value> {
    @usableFromInline var shards: [[UUID: Value]] = Array(repeating: [:], count: 256)
    @usableFromInline var held = 0

    public init() {}

    /// The number of IDs held.
    @inlinable
    public var count: Int { held }

    @inlinable @inline(__always)
    static func shard(_ id: UUID) -> Int { Int(id.uuid.15) }

    @inlinable
    public var isEmpty: Bool { held == 0 }

    /// The value held for `id`; setting `nil` removes it.
    @inlinable
    public subscript(id: UUID) -> Value? {
        get { shards[Self.shard(id)][id] }
        set {
            if let newValue {
                updateValue(newValue, forKey: id)
            } else {
                removeValue(forKey: id)
            }
        }
    }

    /// Holds `value` for `id`; returns the value it replaced, `nil` if `id` is new.
    @inlinable @discardableResult
    public mutating func updateValue(_ value: Value, forKey id: UUID) -> Value? {
        let old = shards[Self.shard(id)].updateValue(value, forKey: id)
        if old == nil { held += 1 }
        return old
    }

    /// Forgets `id`; returns the value it held, `nil` if none.
    @inlinable @discardableResult
    public mutating func removeValue(forKey id: UUID) -> Value? {
        let old = shards[Self.shard(id)].removeValue(forKey: id)
        if old != nil { held -= 1 }
        return old
    }

    /// Every value held, in no particular order.
    @inlinable
    public var values: some Sequence<Value> { shards.lazy.flatMap(\.values) }
}

extension UUIDMap: Sendable where Value: Sendable {}
