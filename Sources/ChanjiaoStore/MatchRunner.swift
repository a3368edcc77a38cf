import ChanjiaoDomain
import ChanjiaoAllocation
import ChanjiaoMatching
import Foundation
import Logging
import NIOPosix

/// Works the queue's match-run jobs: snapshot the scope, score every pair, solve the
/// allocation exactly on a thread-pool thread (never an event loop), store the result. The
/// queue's lease stands in for a heartbeat: a run whose worker died is taken up again by
/// another once the lease runs out.
public struct MatchRunner: Sendable {
    let store: Store
    let scorer: MatchScorer

    public init(store: Store, scorer: MatchScorer) {
        self.store = store
        self.scorer = scorer
    }

    /// The queue's worker for match runs: one at a time per instance (a run is CPU work).
    public func worker() -> JobWorker {
        JobWorker(store: store, kinds: [.matchRun], concurrency: 1) { job in await process(job.subject) }
    }

    func process(_ id: UUID) async -> JobOutcome {
        let logger = store.logger
        do {
            guard let scope = try await store.startMatchRun(id) else { return .finished }
            let start = ContinuousClock.now
            let outcome = try await compute(scope)
            try await store.finishMatchRun(id, outcome: outcome)
            logger.info("match run done", metadata: [
                "run": "\(id)", "arcs": "\(outcome.arcs)", "objective": "\(outcome.objective)",
                "seconds": "\(ContinuousClock.now - start)",
            ])
        } catch {
            logger.error("match run failed", metadata: ["run": "\(id)", "error": "\(error)"])
            try? await store.failMatchRun(id, error: "the run failed; see the service log")
        }
        return .finished
    }

    /// The whole run for one scope, from the database's current state.
    func compute(_ scope: MatchRunScope) async throws -> MatchRunOutcome {
        var catalog = try await store.matchCatalog()
        let range = RegionRange(prefix: scope.regionCode)
        let programs = try await store.programRows(catalog: &catalog) { sql in
            sql.append(" AND status = 'published' AND owner_active AND capacity > seats_taken AND region_code BETWEEN \(sql.bind(range.low)) AND \(sql.bind(range.high))")
            if let mode = scope.mode { sql.append(" AND \(sql.bind(mode.rawValue)) = ANY(modes)") }
            sql.append(" ORDER BY id")
        }
        let demands = try await store.demandRows(catalog: &catalog) { sql in
            sql.append(" AND status = 'open' AND archived_at IS NULL AND owner_active AND headcount > headcount_taken AND region_code BETWEEN \(sql.bind(range.low)) AND \(sql.bind(range.high))")
            if let mode = scope.mode { sql.append(" AND mode = \(sql.bind(mode.rawValue))") }
            if let prefix = scope.occupationPrefix { sql.append(" AND starts_with(occupation_code, \(sql.bind(prefix)))") }
            sql.append(" ORDER BY id")
        }
        let scorer = self.scorer
        let finalCatalog = catalog
        // Scoring every pair and solving are CPU work: keep them off the event loops.
        return try await NIOThreadPool.singleton.runIfActive {
            try Self.allocate(programs: programs, demands: demands, scorer: scorer, catalog: finalCatalog)
        }
    }

    static func allocate(
        programs: [(ProgramProfile, GapAnalysis.ProgramSide)], demands: [(DemandProfile, GapAnalysis.DemandSide)],
        scorer: MatchScorer, catalog: MatchCatalog
    ) throws -> MatchRunOutcome {
        var arcPrograms: [Int32] = []
        var arcDemands: [Int32] = []
        var arcScores: [Int32] = []
        for (p, program) in programs.enumerated() {
            for (d, demand) in demands.enumerated() {
                guard let score = scorer.score(demand.0, program.0), score >= scorer.config.minScore else { continue }
                arcPrograms.append(Int32(p))
                arcDemands.append(Int32(d))
                arcScores.append(Int32(min(score, Int(AllocationProblem.maxScore))))
            }
        }
        let problem = try AllocationProblem(
            capacities: programs.map(\.1.seats), headcounts: demands.map(\.1.headcount),
            arcPrograms: arcPrograms, arcDemands: arcDemands, arcScores: arcScores)
        let result = solveAllocation(problem)
        var assignedToDemand = [Int](repeating: 0, count: demands.count)
        var usedOfProgram = [Int](repeating: 0, count: programs.count)
        var rows: [MatchRunOutcome.Row] = []
        let encoder = JSONEncoder()
        for assignment in result.assignments where assignment.seats > 0 {
            let p = Int(arcPrograms[assignment.arc])
            let d = Int(arcDemands[assignment.arc])
            assignedToDemand[d] += assignment.seats
            usedOfProgram[p] += assignment.seats
            let explanation = scorer.explain(demands[d].0, programs[p].0, catalog: catalog)
            let parts = explanation.map { String(decoding: (try? encoder.encode($0.parts)) ?? Data("{}".utf8), as: UTF8.self) } ?? "{}"
            rows.append(.init(
                programID: programs[p].0.id, demandID: demands[d].0.id, seats: assignment.seats,
                score: Int(arcScores[assignment.arc]), parts: parts))
        }
        let gaps = GapAnalysis(
            demands: demands.map(\.1), programs: programs.map(\.1), assignedToDemand: assignedToDemand, usedOfProgram: usedOfProgram)
        return MatchRunOutcome(
            objective: result.objective, assigned: result.assigned, demandTotal: demands.reduce(0) { $0 + $1.1.headcount },
            capacityTotal: programs.reduce(0) { $0 + $1.1.seats }, programs: programs.count, demands: demands.count,
            arcs: arcScores.count, assignments: rows,
            gaps: String(decoding: try encoder.encode(gaps), as: UTF8.self))
    }
}
