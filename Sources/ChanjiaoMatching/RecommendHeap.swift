import Foundation  // UUID only

/// One recommended candidate: its position in the pool's `profiles`, its id and its score.
public struct RankedMatch: Sendable, Hashable {
    public let index: Int
    public let id: UUID
    public let score: Int
}

/// The k best (score descending, then id ascending) among offered candidates, in a min-heap
/// whose root is the worst kept entry. Storage is reserved once per request.
struct TopKHeap {
    struct Entry {
        let score: Int
        let key: MatchOrderKey
        let index: Int
    }

    private var entries: [Entry] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    /// `a` ranks below `b`: lower score, or equal score and higher id.
    @inline(__always)
    private static func below(_ a: Entry, _ b: Entry) -> Bool {
        a.score != b.score ? a.score < b.score : b.key < a.key
    }

    /// A candidate scoring below this cannot enter. One scoring exactly this still may (a
    /// lower id beats the worst kept entry), so callers compare with `<`, never `<=`.
    var entryScore: Int { entries.count < capacity ? Int.min : entries[0].score }

    mutating func offer(score: Int, key: MatchOrderKey, index: Int) {
        let entry = Entry(score: score, key: key, index: index)
        if entries.count < capacity {
            entries.append(entry)
            var child = entries.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.below(entries[child], entries[parent]) else { break }
                entries.swapAt(child, parent)
                child = parent
            }
        } else if capacity > 0, Self.below(entries[0], entry) {
            entries[0] = entry
            var parent = 0
            while true {
                var lowest = parent
                let left = 2 * parent + 1, right = left + 1
                if left < entries.count, Self.below(entries[left], entries[lowest]) { lowest = left }
                if right < entries.count, Self.below(entries[right], entries[lowest]) { lowest = right }
                if lowest == parent { break }
                entries.swapAt(parent, lowest)
                parent = lowest
            }
        }
    }

    /// Best first.
    func ranked(_ id: (Int) -> UUID) -> [RankedMatch] {
        entries.sorted { Self.below($1, $0) }.map { RankedMatch(index: $0.index, id: id($0.index), score: $0.score) }
    }
}
