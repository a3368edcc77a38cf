/// A `DemandPool`'s positions as bitmaps, for the match run, which holds every program against
/// every demand: one bitmap per skill-mask bit (the demands asking a skill with that bit) and
/// one of the demands without skills.
///
/// A demand that shares no mask bit with a program earns no skill credit, so it scores
/// occ + geo + lvl at most, and below `min_score` unless its run (one occupation, one region)
/// can reach it on those alone. A program's candidates are therefore the union of its bits'
/// bitmaps, the demands without skills (whose skill part comes from occ) and the few runs that
/// can: a few word-wide ORs instead of a test per demand, three in four of which would fail.
struct DemandBitmaps: Sendable {
    /// 64-bit words per bitmap.
    let words: Int
    /// By mask bit; empty where no demand has the bit.
    private let byBit: [[UInt64]]
    private let withoutSkills: [UInt64]

    init(_ pool: DemandPool) {
        let words = (pool.heads.count + 63) / 64
        var byBit = [[UInt64]](repeating: [], count: 64)
        var withoutSkills = [UInt64](repeating: 0, count: words)
        for (position, head) in pool.heads.enumerated() {
            let (word, bit) = (position >> 6, UInt64(1) << UInt64(position & 63))
            guard head.weightSum > 0 else {
                withoutSkills[word] |= bit
                continue
            }
            var mask = head.skillMask
            while mask != 0 {
                let b = mask.trailingZeroBitCount
                if byBit[b].isEmpty { byBit[b] = [UInt64](repeating: 0, count: words) }
                byBit[b][word] |= bit
                mask &= mask - 1
            }
        }
        self.words = words
        self.byBit = byBit
        self.withoutSkills = withoutSkills
    }

    /// Sets `candidates` (`words` long) to the demands sharing a bit of `mask`, and those
    /// without skills.
    func sharing(_ mask: UInt64, into candidates: inout [UInt64]) {
        candidates.removeAll(keepingCapacity: true)
        candidates += withoutSkills
        var mask = mask
        while mask != 0 {
            let bitmap = byBit[mask.trailingZeroBitCount]
            mask &= mask - 1
            guard !bitmap.isEmpty else { continue }
            for w in 0..<words { candidates[w] |= bitmap[w] }
        }
    }

    /// Adds the positions `range` to `candidates`.
    static func insert(_ range: Range<Int>, into candidates: inout [UInt64]) {
        for position in range { candidates[position >> 6] |= UInt64(1) << UInt64(position & 63) }
    }
}
