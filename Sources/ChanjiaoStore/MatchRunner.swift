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
            let outcome = try await compute(scope)
            let timings = try await store.finishMatchRun(id, outcome: outcome)
            logger.info("match run done", metadata: [
                "run": "\(id)", "arcs": "\(outcome.arcs)", "objective": "\(outcome.objective)",
                "snapshot": "\(timings.snapshot)", "scoring": "\(timings.scoring)", "solve": "\(timings.solve)",
                "gaps": "\(timings.gaps)", "store": "\(timings.store)",
                "pricing_rounds": "\(outcome.solveReport.rounds)", "solver_arcs": "\(outcome.solveReport.arcs)",
            ])
        } catch {
            logger.error("match run failed", metadata: ["run": "\(id)", "error": "\(error)"])
            try? await store.failMatchRun(id, error: "the run failed; see the service log")
        }
        return .finished
    }

    /// The whole run for one scope, from the database's current state, up to what is stored.
    func compute(_ scope: MatchRunScope) async throws -> MatchRunOutcome {
        let clock = ContinuousClock()
        let start = clock.now
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
        let snapshot = (clock.now - start).inSeconds
        let scorer = self.scorer
        let finalCatalog = catalog
        // Scoring every pair and solving are CPU work: keep them off the event loops.
        var outcome = try await NIOThreadPool.singleton.runIfActive {
            try Self.allocate(programs: programs, demands: demands, scorer: scorer, catalog: finalCatalog)
        }
        outcome.timings.snapshot = snapshot
        return outcome
    }

    static func allocate(
        programs: [(ProgramProfile, GapAnalysis.ProgramSide)], demands: [(DemandProfile, GapAnalysis.DemandSide)],
        scorer: MatchScorer, catalog: MatchCatalog
    ) throws -> MatchRunOutcome {
        let clock = ContinuousClock()
        var timings = MatchRunTimings()
        var start = clock.now
        let arcs = EligibleArcs(
            programs: programs.map(\.0), demands: demands.map(\.0), scorer: scorer, scoreCap: Int(AllocationProblem.maxScore))
        timings.scoring = (clock.now - start).inSeconds
        start = clock.now
        let problem = try AllocationProblem(
            capacities: programs.map(\.1.seats), headcounts: demands.map(\.1.headcount),
            arcPrograms: arcs.programs, arcDemands: arcs.demands, arcScores: arcs.scores)
        let (result, solveReport) = solveAllocationReporting(problem)
        timings.solve = (clock.now - start).inSeconds
        start = clock.now
        var assignedToDemand = [Int](repeating: 0, count: demands.count)
        var usedOfProgram = [Int](repeating: 0, count: programs.count)
        for assignment in result.assignments where assignment.seats > 0 {
            assignedToDemand[Int(arcs.demands[assignment.arc])] += assignment.seats
            usedOfProgram[Int(arcs.programs[assignment.arc])] += assignment.seats
        }
        let encoder = JSONEncoder()
        let gaps = GapAnalysis(
            demands: demands.map(\.1), programs: programs.map(\.1), assignedToDemand: assignedToDemand, usedOfProgram: usedOfProgram)
        let gapsJSON = String(decoding: try encoder.encode(gaps), as: UTF8.self)
        timings.gaps = (clock.now - start).inSeconds
        // Assembling the stored rows, each with its explanation, counts as storing.
        start = clock.now
        var rows: [MatchRunOutcome.Row] = []
        for assignment in result.assignments where assignment.seats > 0 {
            let p = Int(arcs.programs[assignment.arc])
            let d = Int(arcs.demands[assignment.arc])
            let explanation = scorer.explain(demands[d].0, programs[p].0, catalog: catalog)
            let parts = explanation.map { String(decoding: (try? encoder.encode($0.parts)) ?? Data("{}".utf8), as: UTF8.self) } ?? "{}"
            rows.append(.init(
                programID: programs[p].0.id, demandID: demands[d].0.id, seats: assignment.seats,
                score: Int(arcs.scores[assignment.arc]), parts: parts))
        }
        timings.store = (clock.now - start).inSeconds
        return MatchRunOutcome(
            objective: result.objective, assigned: result.assigned, demandTotal: demands.reduce(0) { $0 + $1.1.headcount },
            capacityTotal: programs.reduce(0) { $0 + $1.1.seats }, programs: programs.count, demands: demands.count,
            arcs: arcs.count, assignments: rows, gaps: gapsJSON, timings: timings, solveReport: solveReport)
    }
}
