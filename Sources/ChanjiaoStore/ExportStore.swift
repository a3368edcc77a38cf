import ChanjiaoDomain
import Foundation
import PostgresNIO
import Synchronization

/// An export, checked and ready to stream: the query of its records' documents, each with its
/// key (filters already validated), or the few documents computed up front (the scoreboard, a run's gaps).
public struct ExportPlan: Sendable {
    public let kind: ExportKind
    let query: PostgresQuery?
    let documents: [String]
    /// Talents leave with name and phone: the export is audited as a read of personal data.
    let personal: Bool
}

/// Exports (`GET /v1/exports/{kind}`): the records a list would show the caller, filtered the
/// same way, every one of them, streamed from a server-side cursor so that memory stays the
/// same at any size.
extension Store {
    /// What the caller exports of `kind`. Which callers may export a kind at all is the route's
    /// policy; which rows, the same SQL as the lists'.
    public func exportPlan(
        _ kind: ExportKind, _ request: ListRequest, run: UUID?, scoreboardDay: (year: Int, asOf: ChinaDay)?, caller: Caller
    ) async throws -> ExportPlan {
        switch kind {
        case .enterprises, .colleges, .programs, .demands, .talents, .rewards:
            // Talents are exported to the bureau and their source partner only (unmasked).
            var sql = try Resource(rawValue: kind.rawValue).map { resource in
                try listQuery(resource, request, caller: caller, visible: resource == .talents ? resource.detailed : nil)
            } ?? rewardsQuery(request, caller: caller)
            try await checkReferences(sql.references)
            sql.append(" ORDER BY r.id")
            return ExportPlan(kind: kind, query: sql.query, documents: [], personal: kind == .talents)
        case .matchRunAssignments:
            try request.requireNoFilters(of: "a match run's assignments")
            guard let run else { throw Problem.invalid(field: "run", "is required: the match run's id") }
            _ = try await matchRunGaps(id: run)  // 404 for an unknown run, 409 until it is done
            var sql = SQLComposer()
            sql.append(
                """
                SELECT \(Self.assignmentDocument)::text, a.program_id
                FROM match_run_assignments a WHERE a.run_id = \(sql.bind(run)) ORDER BY a.program_id, a.demand_id
                """)
            return ExportPlan(kind: kind, query: sql.query, documents: [], personal: false)
        case .matchRunGaps:
            try request.requireNoFilters(of: "a match run's gaps")
            guard let run else { throw Problem.invalid(field: "run", "is required: the match run's id") }
            let gaps = try JSONValue.parse(Data(try await matchRunGaps(id: run).utf8))
            return ExportPlan(kind: kind, query: nil, documents: Self.gapRows(gaps), personal: false)
        case .scoreboard:
            try request.requireNoFilters(of: "the scoreboard")
            let day = scoreboardDay ?? { let today = ChinaDay(clock.now()); return (today.year, today) }()
            let board = try JSONValue.parse(Data(try await scoreboard(year: day.year, asOf: day.asOf).utf8))
            guard case .array(let items)? = board["items"] else { return ExportPlan(kind: kind, query: nil, documents: [], personal: false) }
            return ExportPlan(kind: kind, query: nil, documents: items.map(Self.jsonText), personal: false)
        }
    }

    /// Streams the plan's documents in batches of `batch`, in one read-only snapshot, through a
    /// server-side cursor: the next batch is fetched only once `each` has taken the last one
    /// (a slow reader slows the fetching, it does not fill memory). Returns how many there were.
    @discardableResult
    public func streamExport(
        _ plan: ExportPlan, actor: WriteActor, batch: Int = 500, _ each: @escaping @Sendable ([String]) async throws -> Void
    ) async throws -> Int {
        guard let query = plan.query else {
            for start in stride(from: 0, to: plan.documents.count, by: batch) {
                try await each(Array(plan.documents[start..<min(start + batch, plan.documents.count)]))
            }
            return plan.documents.count
        }
        // Rows handed to `each`: what the caller may have received, should the export stop early.
        let handed = Mutex(0)
        let count: Int
        do {
            count = try await snapshot { connection in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DECLARE export_rows NO SCROLL CURSOR FOR " + query.sql, binds: query.binds),
                    logger: logger)
                while true {
                    try Task.checkCancellation()
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "FETCH \(batch) FROM export_rows"), logger: logger
                    ).decode((String, UUID).self).all().map(\.0)
                    if rows.isEmpty { break }
                    handed.withLock { $0 += rows.count }
                    try await each(rows)
                }
                return handed.withLock { $0 }
            }
        } catch {
            // Personal data that left is audited even when the export broke off (the reader gone,
            // a failed fetch); in a task of its own, which the request's cancellation cannot stop.
            let sent = handed.withLock { $0 }
            if plan.personal && sent > 0 {
                let store = self
                try? await Task {
                    try await store.auditPersonalRead(
                        after: .object(["export": .string(plan.kind.rawValue), "count": .int(sent), "complete": .bool(false)]),
                        objectID: nil, actor: actor)
                }.value
            }
            throw error
        }
        if plan.personal {
            try await auditPersonalRead(
                after: .object(["export": .string(plan.kind.rawValue), "count": .int(count)]), objectID: nil, actor: actor)
        }
        return count
    }

    /// A run's gap document as rows: one per occupation, skill, county and specialty.
    static func gapRows(_ gaps: JSONValue) -> [String] {
        var rows: [String] = []
        for (dimension, list, codeKey) in [
            ("occupation", "by_occupation", "occupation_code"), ("skill", "by_skill", "skill_code"),
            ("county", "by_county", "region_code"), ("specialty", "by_specialty", "specialty_code"),
        ] {
            guard case .array(let items)? = gaps[list] else { continue }
            for item in items {
                rows.append(jsonText(.object([
                    "dimension": .string(dimension), "code": item[codeKey] ?? .null,
                    "unmet": item["unmet"] ?? .null, "unused": item["unused"] ?? .null,
                ])))
            }
        }
        return rows
    }
}
