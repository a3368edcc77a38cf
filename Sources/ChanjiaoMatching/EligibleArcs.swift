import Dispatch
import Foundation
import Synchronization

/// Every eligible program–demand pair of a match run with its score: the allocation's arcs,
/// program-major (by program index, then demand index), scored on every core. The order does
/// not depend on how the work was split.
///
/// Each program is held against every demand of a `DemandPool` (flat columns, per-program
/// tables for occ, geo, lvl and the taught skills, as a recommendation is): a pair that cannot
/// reach `min_score` ends at one bound test (`DemandScan.score`), and only the rest are scored
/// exactly. Three in a hundred pairs are eligible even in the dense synthetic province, so most
/// of the 3·10⁹ pairs never read a skill.
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
        let pool = DemandPool(demands)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var part = EligibleArcs()
            var found: [(demand: Int32, score: Int32)] = []
            for p in (slice * size)..<min(programs.count, (slice + 1) * size) {
                found.removeAll(keepingCapacity: true)
                scorer.eligibleDemands(for: programs[p], in: pool, into: &found)
                // The pool keeps demands in its own order: back to the demands' order.
                found.sort { $0.demand < $1.demand }
                for arc in found {
                    part.programs.append(Int32(p))
                    part.demands.append(arc.demand)
                    part.scores.append(min(arc.score, Int32(scoreCap)))
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

    private init() {}
}

extension MatchScorer {
    /// Every demand of `pool` reaching `min_score` with `program`, by its index in the pool's
    /// profiles, with the score: `DemandScan.score` with the bar fixed at `min_score`, over all.
    func eligibleDemands(for program: ProgramProfile, in pool: DemandPool, into found: inout [(demand: Int32, score: Int32)]) {
        guard program.isPublished else { return }
        let config = self.config
        let table = HeldSkillTable(skills: program.skills, occupations: program.occupations, occupationGroups: program.occupationGroups)
        let occupation = table.occupationPoints(groups: pool.occupationGroups, config).byKey
        let geoByRegion = pool.regions.map { ScoreMath.geo($0, program.regionCode, config) }
        let lvlByFilter = demandLevels(modes: program.modes.rawValue, rank: program.rank)
        table.withScorer { skillScorer in
            pool.heads.withUnsafeBufferPointer { heads in
                pool.skills.withUnsafeBufferPointer { skills in
                    pool.record.withUnsafeBufferPointer { record in
                        occupation.withUnsafeBufferPointer { occupation in
                            geoByRegion.withUnsafeBufferPointer { geoByRegion in
                                lvlByFilter.withUnsafeBufferPointer { lvlByFilter in
                                    for position in heads.indices {
                                        let head = heads[position]
                                        let occ = occupation[Int(head.occupation)]
                                        let rest = occ + geoByRegion[Int(head.regionIndex)] + lvlByFilter[Int(head.filter)]
                                        guard
                                            let score = DemandScan.score(
                                                head, skills: skills, table: table, skillScorer: skillScorer, occ: occ, rest: rest,
                                                config: config, bar: config.minScore)
                                        else { continue }
                                        found.append((record[position], Int32(score)))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
