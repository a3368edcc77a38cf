import Dispatch
import Foundation
import Synchronization

/// Every eligible program–demand pair of a match run with its score: the allocation's arcs,
/// program-major (by program index, then demand index), scored on every core. The order does
/// not depend on how the work was split.
public struct EligibleArcs: Sendable {
    public private(set) var programs: [Int32] = []
    public private(set) var demands: [Int32] = []
    public private(set) var scores: [Int32] = []

    public var count: Int { scores.count }

    /// Scores each pair; keeps those reaching `min_score`, their scores capped at `scoreCap`.
    public init(programs: [ProgramProfile], demands: [DemandProfile], scorer: MatchScorer, scoreCap: Int) {
        // More slices than cores, so that a core finishing early takes another.
        let wanted = min(programs.count, ProcessInfo.processInfo.activeProcessorCount * 8)
        let size = wanted == 0 ? 0 : (programs.count + wanted - 1) / wanted
        let slices = size == 0 ? 0 : (programs.count + size - 1) / size
        let parts = Mutex([EligibleArcs?](repeating: nil, count: slices))
        let minScore = scorer.config.minScore
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var part = EligibleArcs()
            for p in (slice * size)..<min(programs.count, (slice + 1) * size) {
                let program = programs[p]
                for (d, demand) in demands.enumerated() {
                    guard let score = scorer.score(demand, program), score >= minScore else { continue }
                    part.programs.append(Int32(p))
                    part.demands.append(Int32(d))
                    part.scores.append(Int32(min(score, scoreCap)))
                }
            }
            parts.withLock { $0[slice] = part }
        }
        let all = parts.withLock { $0 }.compactMap { $0 }
        let total = all.reduce(0) { $0 + $1.count }
        self.programs.reserveCapacity(total)
        self.demands.reserveCapacity(total)
        self.scores.reserveCapacity(total)
        for part in all {
            self.programs += part.programs
            self.demands += part.demands
            self.scores += part.scores
        }
    }

    private init() {}
}
