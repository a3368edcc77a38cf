import ChanjiaoDomain
import ChanjiaoAllocation
import ChanjiaoMatching
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Runs queued match runs in the background: snapshot the scope, score every pair, solve the
/// allocation exactly on a thread-pool thread (never an event loop), store the result. Several
/// instances share the queue safely (`FOR UPDATE SKIP LOCKED`); a run whose worker died is
/// taken up again once its heartbeat is `staleAfter` seconds old.
public final class MatchRunWorker: Service, Sendable {
    let store: Store
    let scorer: MatchScorer
    let pollInterval: Duration
    let staleAfter: Int

    public init(store: Store, scorer: MatchScorer, pollInterval: Duration = .milliseconds(250), staleAfter: Int = 60) {
        self.store = store
        self.scorer = scorer
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter
    }

    public func run() async throws {
        // A graceful shutdown cancels the loop mid-sleep; that is a clean stop, not a failure.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let (id, scope) = try await self.store.claimMatchRun(staleAfter: self.staleAfter) {
                        await self.process(id, scope)
                        continue
                    }
                } catch is CancellationError {
                    return  // shutting down while asking the queue
                } catch {
                    self.store.logger.warning("match run queue unavailable", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: self.pollInterval)
            }
        }
    }

    func process(_ id: UUID, _ scope: MatchRunScope) async {
        let logger = store.logger
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(max(1, staleAfter / 4)))
                try await store.heartbeat(matchRun: id)
            }
        }
        defer { heartbeat.cancel() }
        do {
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
