/// What one thread appends and another takes, a batch at a time (a writer's queue, under the caller's lock; a writer
/// queues the arrays it is given whole, so that queueing costs the caller one reference, not a copy of each). The taker
/// gives back the array it took once it has emptied it, and the next batch is appended into that storage: without it
/// each take leaves an empty array that grows again, and a large grown array's memory is handed back to the system and
/// faulted in afresh (measured: a tenth of the router actor's time went on that).
public struct HandOverQueue<Element> {
    /// The largest storage kept for reuse, in elements: a burst's array is let go.
    public static var keptCapacity: Int { 16_384 }

    public private(set) var items: [Element] = []
    private var spare: [Element] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    /// How many elements the storage that the next append fills can hold without growing.
    public var capacity: Int { items.isEmpty ? max(items.capacity, spare.capacity) : items.capacity }

    public mutating func append(contentsOf elements: some Collection<Element>) {
        if items.isEmpty, spare.capacity > items.capacity { swap(&items, &spare) }
        items.append(contentsOf: elements)
    }

    public mutating func append(_ element: Element) {
        if items.isEmpty, spare.capacity > items.capacity { swap(&items, &spare) }
        items.append(element)
    }

    /// Everything appended since the last take, in order; the queue is then empty.
    public mutating func take() -> [Element] {
        defer { items = [] }
        return items
    }

    /// Drops everything appended (a halt).
    public mutating func removeAll() { items = [] }

    /// Gives back an array taken, which the taker has emptied (outside the lock: its elements are released there). It
    /// is moved out of `emptied`, so that no other reference to its storage is left and the next appends fill it in
    /// place.
    public mutating func recycle(_ emptied: inout [Element]) {
        guard emptied.isEmpty, emptied.capacity <= Self.keptCapacity, emptied.capacity > spare.capacity else { return }
        swap(&spare, &emptied)
        emptied = []
    }
}
