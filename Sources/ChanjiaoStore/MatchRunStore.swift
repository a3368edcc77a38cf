import ChanjiaoAllocation
import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import PostgresNIO

/// Match runs as rows: queued by the bureau (a job of the queue), run by `MatchRunner`, finished
/// with their result.
extension Store {
    public func createMatchRun(_ scope: MatchRunScope, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            if !scope.regionCode.isEmpty {
                let known = try await connection.query(
                    "SELECT EXISTS (SELECT 1 FROM regions WHERE code LIKE \(scope.regionCode + "%"))", logger: logger
                ).decode(Bool.self).all().first ?? false
                guard known else {
                    throw Problem.invalid(field: "region_code", "must be a region code listed in /v1/regions, or its first digits (4112 for the whole city)")
                }
            }
            let rows = try await connection.query(
                """
                INSERT INTO match_runs AS m (region_code, mode, occupation_prefix, requested_by)
                VALUES (\(scope.regionCode), \(scope.mode?.rawValue), \(scope.occupationPrefix), \(actor.caller.accountID))
                RETURNING m.id, match_run_doc(m)::text
                """, logger: logger
            ).decode((UUID, String).self).all()
            let (id, json) = rows[0]
            try await enqueue(.matchRun, subjects: [id], on: connection)
            let event = ChangeEvent(objectType: "match_run", action: "created", before: nil, after: try JSONValue.parse(Data(json.utf8)))
            return Written(id: id, document: Document(json: json, version: 1), created: true, event: event)
        }
    }

    public func matchRun(id: UUID) async throws -> String {
        let rows = try await read { connection in
            try await connection.query("SELECT match_run_doc(m)::text FROM match_runs m WHERE id = \(id)", logger: logger)
                .decode(String.self).all()
        }
        guard let json = rows.first else { throw Problem.notFound("match run \(id.text)") }
        return json
    }

    /// Past runs, newest first; the cursor is the last run's (created_at, id).
    public func matchRuns(_ request: ListRequest) async throws -> Page {
        if let name = request.filters.keys.sorted().first ?? (request.query != nil ? "q" : nil) {
            throw Problem.invalid(field: name, "match runs take only limit and after")
        }
        var sql = SQLComposer("SELECT match_run_doc(m)::text, utc_micros(m.created_at), m.id FROM match_runs m")
        if let cursor = request.after {
            let parts = cursor.split(separator: "/")
            guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
                throw Problem.invalid(field: "after", "is not a cursor of this list")
            }
            sql.append(" WHERE (utc_micros(m.created_at), m.id) < (\(sql.bind(micros)), \(sql.bind(id)))")
        }
        sql.append(" ORDER BY m.created_at DESC, m.id DESC LIMIT \(sql.bind(request.limit + 1))")
        let query = sql.query
        let rows = try await read { connection in
            try await connection.query(query, logger: logger).decode((String, Int64, UUID).self).all()
        }
        let items = rows.prefix(request.limit)
        let next = rows.count > request.limit ? items.last.map { Cursor.encode("\($0.1)/\($0.2.uuidString.lowercased())") } : nil
        return Page(items: items.map(\.0), nextCursor: next)
    }

    public func matchRunGaps(id: UUID) async throws -> String {
        let rows = try await read { connection in
            try await connection.query("SELECT status, gaps::text FROM match_runs WHERE id = \(id)", logger: logger)
                .decode((String, String?).self).all()
        }
        guard let (status, gaps) = rows.first else { throw Problem.notFound("match run \(id.text)") }
        guard let gaps else { throw Problem.conflict("the match run is \(status); gaps exist once it is done") }
        return gaps
    }

    /// An assignment's document, of the row `a`: for the list and the export alike.
    static let assignmentDocument =
        "json_build_object('program_id', a.program_id, 'demand_id', a.demand_id, 'seats', a.seats, 'score', a.score, 'parts', a.parts)"

    /// Assignments ordered by program, then demand; the cursor is that pair.
    public func matchRunAssignments(id: UUID, _ request: ListRequest) async throws -> Page {
        let exists = try await read { connection in
            try await connection.query("SELECT EXISTS (SELECT FROM match_runs WHERE id = \(id))", logger: logger)
                .decode(Bool.self).all()
        }
        guard exists.first == true else { throw Problem.notFound("match run \(id.text)") }
        var after = (UUID.zero, UUID.zero)
        if let cursor = request.after {
            let parts = cursor.split(separator: "/")
            guard parts.count == 2, let program = UUID(uuidString: String(parts[0])), let demand = UUID(uuidString: String(parts[1])) else {
                throw Problem.invalid(field: "after", "is not a cursor of this list")
            }
            after = (program, demand)
        }
        if !request.filters.isEmpty || request.query != nil {
            throw Problem.invalid(field: request.filters.keys.sorted().first ?? "q", "assignments take only limit and after")
        }
        let (program, demand) = after
        let limit = request.limit + 1
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.assignmentDocument)::text, program_id, demand_id
                FROM match_run_assignments a
                WHERE run_id = \(id) AND (program_id, demand_id) > (\(program), \(demand))
                ORDER BY program_id, demand_id LIMIT \(limit)
                """, logger: logger
            ).decode((String, UUID, UUID).self).all()
        }
        let page = rows.prefix(request.limit)
        let next = rows.count > request.limit ? page.last.map { Cursor.encode("\($0.1.uuidString.lowercased())/\($0.2.uuidString.lowercased())") } : nil
        return Page(items: page.map(\.0), nextCursor: next)
    }

    /// Marks a queued run (or one whose worker died) running; nil when it has ended already.
    func startMatchRun(_ id: UUID) async throws -> MatchRunScope? {
        let rows = try await read { connection in
            try await connection.query(
                """
                UPDATE match_runs SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
                WHERE id = \(id) AND status IN ('queued', 'running')
                RETURNING region_code, mode, occupation_prefix
                """, logger: logger
            ).decode((String, String?, String?).self).all()
        }
        guard let (region, mode, prefix) = rows.first else { return nil }
        return MatchRunScope(regionCode: region, mode: mode.flatMap(CooperationMode.init(rawValue:)), occupationPrefix: prefix)
    }

    func failMatchRun(_ id: UUID, error: String) async throws {
        try await read { connection in
            try await connection.query(
                "UPDATE match_runs SET status = 'failed', error = \(error), finished_at = now() WHERE id = \(id)", logger: logger)
        }
    }

    /// Stores the result in one transaction (replacing a crashed attempt's partial rows), with
    /// its timings, `store` grown by the time the writing took; answers the timings stored.
    func finishMatchRun(_ id: UUID, outcome: MatchRunOutcome) async throws -> MatchRunTimings {
        let clock = ContinuousClock()
        let start = clock.now
        return try await transaction { connection in
            try await connection.query("DELETE FROM match_run_assignments WHERE run_id = \(id)", logger: logger)
            let rows = outcome.assignments
            if !rows.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO match_run_assignments (run_id, program_id, demand_id, seats, score, parts)
                    SELECT \(id), p, d, s, c, x::jsonb
                    FROM unnest(\(rows.map(\.programID))::uuid[], \(rows.map(\.demandID))::uuid[], \(rows.map(\.seats))::int[],
                                \(rows.map(\.score))::int[], \(rows.map(\.parts))::text[]) AS t(p, d, s, c, x)
                    """, logger: logger)
            }
            var timings = outcome.timings
            timings.store += (clock.now - start).inSeconds
            try await connection.query(
                """
                UPDATE match_runs SET status = 'done', objective = \(outcome.objective), assigned = \(outcome.assigned),
                    demand_total = \(outcome.demandTotal), capacity_total = \(outcome.capacityTotal),
                    programs = \(outcome.programs), demands = \(outcome.demands), arcs = \(outcome.arcs),
                    gaps = \(outcome.gaps)::jsonb, timings = \(timings.json)::json, finished_at = now(), error = NULL
                WHERE id = \(id)
                """, logger: logger)
            return timings
        }
    }
}

/// A finished run's numbers, ready to store.
struct MatchRunOutcome: Sendable {
    struct Row: Sendable {
        var programID: UUID
        var demandID: UUID
        var seats: Int
        var score: Int
        var parts: String
    }

    var objective: Int64
    var assigned: Int64
    var demandTotal: Int
    var capacityTotal: Int
    var programs: Int
    var demands: Int
    var arcs: Int
    var assignments: [Row]
    var gaps: String
    var timings: MatchRunTimings
    /// Whether the solve went by arc pricing, in how many rounds, on how many arcs (for the log).
    var solveReport: AllocationSolveReport
}

/// Seconds each phase of a run took: reading the scope (`snapshot`), scoring every pair
/// (`scoring`), the exact allocation (`solve`), the gap analysis (`gaps`), and assembling and
/// writing the assignments (`store`).
struct MatchRunTimings: Sendable {
    var snapshot = 0.0
    var scoring = 0.0
    var solve = 0.0
    var gaps = 0.0
    var store = 0.0

    /// The run document's `timings`, to the millisecond, in phase order.
    var json: String {
        let phases = [("snapshot", snapshot), ("scoring", scoring), ("solve", solve), ("gaps", gaps), ("store", store)]
        return "{" + phases.map { "\"\($0.0)\": \(JSONValue.double(($0.1 * 1000).rounded() / 1000).text)" }.joined(separator: ", ") + "}"
    }
}
