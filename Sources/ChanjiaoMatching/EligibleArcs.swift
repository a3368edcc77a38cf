import Dispatch
import Foundation
import Synchronization

/// Every eligible program–demand pair of a match run with its score: the allocation's arcs,
/// program-major (by program index, then demand index), scored on every core. The order does
/// not depend on how the work was split.
///
/// Each program is held against every demand of a `DemandPool` (flat columns) by a
/// `ProgramScan`: only the demands that share a skill-mask bit with it, or have no skills, or
/// lie in a run whose occ and geo alone can reach `min_score` are looked at (`DemandBitmaps`;
/// three in four pairs of the dense synthetic province are not), a bound from bits ends most
/// of those, and only the rest are scored exactly. Programs go in blocks, each block held
/// against the pool a slice at a time, so a slice is read from memory once per block rather
/// than once per program.
public struct EligibleArcs: Sendable {
    public private(set) var programs: [Int32] = []
    public private(set) var demands: [Int32] = []
    public private(set) var scores: [Int32] = []

    public var count: Int { scores.count }

    /// Scores each pair; keeps those reaching `min_score`, their scores capped at `scoreCap`.
    public init(programs: [ProgramProfile], demands: [DemandProfile], scorer: MatchScorer, scoreCap: Int) {
        // More slices than cores, so that a core finishing early takes another.
        self.init(
            programs: programs, demands: demands, scorer: scorer, scoreCap: scoreCap,
            slices: ProcessInfo.processInfo.activeProcessorCount * 8)
    }

    /// The same, with the programs cut into about `slices` slices (tests choose it).
    init(programs: [ProgramProfile], demands: [DemandProfile], scorer: MatchScorer, scoreCap: Int, slices wanted: Int) {
        let wanted = min(programs.count, wanted)
        let size = wanted == 0 ? 0 : (programs.count + wanted - 1) / wanted
        let slices = size == 0 ? 0 : (programs.count + size - 1) / size
        let parts = Mutex([EligibleArcs?](repeating: nil, count: slices))
        let pool = DemandPool(demands)
        let bitmaps = DemandBitmaps(pool)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var part = EligibleArcs()
            let range = (slice * size)..<min(programs.count, (slice + 1) * size)
            for first in stride(from: range.lowerBound, to: range.upperBound, by: Self.programsPerBlock) {
                let block = first..<min(first + Self.programsPerBlock, range.upperBound)
                var scans = block.map { ProgramScan(programs[$0], pool: pool, bitmaps: bitmaps, scorer: scorer) }
                for word in stride(from: 0, to: bitmaps.words, by: Self.wordsPerSlice) {
                    let words = word..<min(word + Self.wordsPerSlice, bitmaps.words)
                    for i in scans.indices { scans[i]?.scan(words: words, of: pool) }
                }
                for (p, scan) in zip(block, scans) {
                    guard let scan else { continue }
                    // The pool keeps demands in its own order: back to the demands' order.
                    for arc in scan.found.sorted(by: { $0.demand < $1.demand }) {
                        part.programs.append(Int32(p))
                        part.demands.append(arc.demand)
                        part.scores.append(min(arc.score, Int32(scoreCap)))
                    }
                }
            }
            parts.withLock { $0[slice] = part }
        }
        // Each slice is released once copied, so the peak is about one copy of the arcs, not two.
        var all = parts.withLock { parts in
            defer { parts = [] }
            return parts
        }
        let total = all.reduce(0) { $0 + ($1?.count ?? 0) }
        self.programs.reserveCapacity(total)
        self.demands.reserveCapacity(total)
        self.scores.reserveCapacity(total)
        for i in all.indices {
            guard let part = all[i] else { continue }
            all[i] = nil
            self.programs += part.programs
            self.demands += part.demands
            self.scores += part.scores
        }
    }

    /// A block's tables (a few KB a program with the shipped taxonomy; occ is one entry per
    /// occupation id) and a slice of the pool (2,048 demands: their heads, skills and the
    /// block's candidate words, some 150 KB) stay within a core's cache.
    static let programsPerBlock = 32
    static let wordsPerSlice = 32

    private init() {}
}
