import ChanjiaoDomain
import Foundation
import NIOPosix
import PostgresNIO

/// Bulk imports of registry records (`POST /v1/imports/{kind}`): every row read by its kind's
/// input reader, references checked in one query, then written in batched upserts keyed by
/// the natural key, all in one write (one transaction, the audit and outbox rows batched).
/// A row that changes nothing is `unchanged`: no version bump, no audit or outbox row.
extension Store {
    /// Rows per statement: large enough to be fast, small enough to keep binds modest.
    static let importBatch = 5_000

    /// Imports `file` as the actor; `source`: the talents' source when the bureau imports them.
    /// With `allOrNothing`, a file with any bad row writes nothing (the report says why).
    public func importRecords(
        _ kind: ImportKind, _ file: ImportRows, mode: ImportMode, source: String?, actor: WriteActor
    ) async throws -> ImportReport {
        var errors = file.errors
        switch kind {
        case .talents:
            let source = try talentSource(source, caller: actor.caller)
            var items = try await Self.validated(file, &errors) { try TalentInput.read($0) }
            items.removeAll { item in
                guard let given = item.input.source, given != source else { return false }
                errors.append(.init(row: item.line, field: "source", message: "must be \(source), the source of this import"))
                return true
            }
            let key: @Sendable (TalentInput) -> String = { $0.externalID }
            Self.dropDuplicates(&items, &errors, field: "external_id", key: key)
            return try await finishImport(.talents, items, &errors, mode: mode, actor: actor, key: key) { chunk, bulk in
                try await upsertTalents(chunk, source: source, bulk: bulk)
            }
        case .programs:
            var items = try await Self.validated(file, &errors) { try ProgramInput.read($0) }
            try Self.assignOwners(&items, &errors, caller: actor.caller, field: "college_id", role: .college) { $0.input.collegeID } set: { $0.input.collegeID = $1 }
            Self.requireKeys(&items, &errors) { $0.externalID }
            let key: @Sendable (ProgramInput) -> String = { "\($0.collegeID!)/\($0.externalID!)" }
            Self.dropDuplicates(&items, &errors, field: "external_id", key: key)
            return try await finishImport(.programs, items, &errors, mode: mode, actor: actor, key: key) { chunk, bulk in
                try await upsertPrograms(chunk, bulk: bulk)
            }
        case .demands:
            var items = try await Self.validated(file, &errors) { try DemandInput.read($0) }
            try Self.assignOwners(&items, &errors, caller: actor.caller, field: "enterprise_id", role: .enterprise) { $0.input.enterpriseID } set: { $0.input.enterpriseID = $1 }
            Self.requireKeys(&items, &errors) { $0.externalID }
            let key: @Sendable (DemandInput) -> String = { "\($0.enterpriseID!)/\($0.externalID!)" }
            Self.dropDuplicates(&items, &errors, field: "external_id", key: key)
            return try await finishImport(.demands, items, &errors, mode: mode, actor: actor, key: key) { chunk, bulk in
                try await upsertDemands(chunk, bulk: bulk)
            }
        case .enterprises:
            var items = try await Self.validated(file, &errors) { try EnterpriseInput.read($0) }
            let key: @Sendable (EnterpriseInput) -> String = { $0.uscc }
            Self.dropDuplicates(&items, &errors, field: "uscc", key: key)
            return try await finishImport(.enterprises, items, &errors, mode: mode, actor: actor, key: key) { chunk, bulk in
                try await upsertEnterprises(chunk, bulk: bulk)
            }
        }
    }

    /// One valid row: its line in the file and what the reader made of it.
    struct ImportItem<Input: Sendable>: Sendable {
        var line: Int
        var input: Input
    }

    /// Each row through the kind's reader; a row it refuses becomes its errors, at its line.
    /// Large files are read on every core, in slices, their results joined in file order.
    static func validated<Input: Sendable>(
        _ file: ImportRows, _ errors: inout [ImportReport.RowError], read: @escaping @Sendable (JSONValue) throws -> Input
    ) async throws -> [ImportItem<Input>] {
        let slices = file.rows.count < 2_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (file.rows.count + slices - 1) / max(slices, 1)
        let rows = file.rows
        let parts = try await withThrowingTaskGroup(of: (Int, [ImportItem<Input>], [ImportReport.RowError]).self) { group in
            for slice in 0..<slices {
                group.addTask {
                    // CPU work: on the thread pool, never on an event loop.
                    try await NIOThreadPool.singleton.runIfActive {
                        var sliceErrors: [ImportReport.RowError] = []
                        // Both ends clamped: with many cores the last slices may start past the end.
                        let range = min(rows.count, slice * size)..<min(rows.count, (slice + 1) * size)
                        let items = Self.validated(rows[range], &sliceErrors, read: read)
                        return (slice, items, sliceErrors)
                    }
                }
            }
            var all: [(Int, [ImportItem<Input>], [ImportReport.RowError])] = []
            for try await part in group { all.append(part) }
            return all.sorted { $0.0 < $1.0 }
        }
        for part in parts { errors += part.2 }
        return parts.flatMap(\.1)
    }

    private static func validated<Input: Sendable>(
        _ rows: ArraySlice<(line: Int, json: JSONValue)>, _ errors: inout [ImportReport.RowError], read: (JSONValue) throws -> Input
    ) -> [ImportItem<Input>] {
        var items: [ImportItem<Input>] = []
        for (line, json) in rows {
            do {
                items.append(ImportItem(line: line, input: try read(json)))
            } catch let problem as Problem {
                if problem.errors.isEmpty {
                    errors.append(.init(row: line, field: "$", message: problem.detail))
                } else {
                    errors += problem.errors.map { .init(row: line, field: $0.field, message: $0.message) }
                }
            } catch {
                errors.append(.init(row: line, field: "$", message: "cannot be read"))
            }
        }
        return items
    }

    /// Programs and demands are matched by `external_id`, which an import must give.
    static func requireKeys<Input: Sendable>(
        _ items: inout [ImportItem<Input>], _ errors: inout [ImportReport.RowError], key: (Input) -> String?
    ) {
        items.removeAll { item in
            guard key(item.input) == nil else { return false }
            errors.append(.init(row: item.line, field: "external_id", message: "is required in an import (the key the row is matched by)"))
            return true
        }
    }

    /// A key given twice: the later rows are refused (one row per record, or the result would
    /// depend on the order of the file).
    static func dropDuplicates<Input: Sendable>(
        _ items: inout [ImportItem<Input>], _ errors: inout [ImportReport.RowError], field: String, key: (Input) -> String
    ) {
        var first: [String: Int] = [:]
        items.removeAll { item in
            let value = key(item.input)
            if let line = first[value] {
                errors.append(.init(row: item.line, field: field, message: "is the same as on row \(line); each record once per file"))
                return true
            }
            first[value] = item.line
            return false
        }
    }

    /// Whose records the rows are: by the rule of a single create (`owner`), the caller's own
    /// organization (a row naming another is refused), or for the bureau the one each row names.
    static func assignOwners<Input: Sendable>(
        _ items: inout [ImportItem<Input>], _ errors: inout [ImportReport.RowError], caller: Caller, field: String, role: Role,
        get: (ImportItem<Input>) -> UUID?, set: (inout ImportItem<Input>, UUID) -> Void
    ) throws {
        if !caller.isBureau && caller.organizationID == nil { throw Problem.forbidden("this credential acts for no \(role.rawValue)") }
        var kept: [ImportItem<Input>] = []
        for var item in items {
            do {
                set(&item, try owner(get(item), field: field, role: role, caller: caller))
                kept.append(item)
            } catch let problem as Problem {
                errors.append(.init(row: item.line, field: field, message: problem.errors.first?.message ?? problem.detail))
            }
        }
        items = kept
    }

    /// References checked in one query; then, unless the mode forbids it after an error, the
    /// rows written in batches, in one write: the import's own audit row, and one audit and
    /// outbox row per record it created or changed, written by the batch's own statement.
    /// `upsert` locks the chunk's existing records, refuses the rows they cannot take (an
    /// archived record, fewer seats than accepted cooperations hold) and writes the rest. Rows
    /// are written in the order of their `key`, so two imports of the same records lock them
    /// in one order and never deadlock.
    private func finishImport<Input: RegistryInput & Sendable>(
        _ resource: Resource, _ candidates: [ImportItem<Input>], _ errors: inout [ImportReport.RowError], mode: ImportMode,
        actor: WriteActor, key: (Input) -> String, upsert: @escaping @Sendable ([ImportItem<Input>], BulkWrite) async throws -> ImportResult
    ) async throws -> ImportReport {
        var items = candidates
        // Each code once: a file repeats the same few hundred codes.
        var distinct: [CodeReference.Key: CodeReference] = [:]
        for item in items {
            for reference in item.input.references { distinct[reference.key] = reference }
        }
        let codes = Array(distinct.values)
        let missing = Set(try await read { connection in try await self.missingReferences(codes, on: connection) }.map { codes[$0].key })
        if !missing.isEmpty {
            items.removeAll { item in
                let bad = item.input.references.filter { missing.contains($0.key) }
                for reference in bad { errors.append(.init(row: item.line, field: reference.field, message: reference.message)) }
                return !bad.isEmpty
            }
        }
        if mode == .allOrNothing && !errors.isEmpty { return Self.report(accepted: 0, unchanged: 0, errors) }
        items.sort { key($0.input) < key($1.input) }
        let (valid, early) = (items, errors)
        return try await writeImport(resource.rawValue, actor: actor) { connection, now in
            let keys = AuditRecord.listsChangedFields.contains(resource.singular) ? try await self.documentKeys(resource, on: connection) : []
            let bulk = BulkWrite(connection: connection, actor: actor, now: now, keys: keys)
            var changed: [UUID] = []
            var late: [ImportReport.RowError] = []
            for start in stride(from: 0, to: valid.count, by: Self.importBatch) {
                let (ids, refused) = try await upsert(Array(valid[start..<min(start + Self.importBatch, valid.count)]), bulk)
                changed += ids
                late += refused
            }
            if mode == .allOrNothing && !late.isEmpty { throw ImportRefused(report: Self.report(accepted: 0, unchanged: 0, early + late)) }
            let unchanged = valid.count - changed.count - Set(late.map(\.row)).count
            return (Self.report(accepted: changed.count, unchanged: unchanged, early + late), changed.isEmpty ? [] : [resource])
        }
    }

    /// An import as one write: `body` writes the rows (their events stamped with the write's time) and answers
    /// the report and the kinds of records it changed; the import's own audit row carries the counts.
    /// `body` throws `ImportRefused` to roll everything back (an `all_or_nothing` file with a bad
    /// row), and its report is the answer.
    func writeImport(
        _ kind: String, actor: WriteActor,
        _ body: @escaping @Sendable (PostgresConnection, Date) async throws -> (ImportReport, [Resource])
    ) async throws -> ImportReport {
        do {
            let outcome = try await write(actor) { connection, now in
                // Big statements gain nothing from JIT compilation, which costs them a second.
                try await connection.query("SET LOCAL jit = off", logger: self.logger)
                let (report, changes) = try await body(connection, now)
                var event = ChangeEvent(
                    objectType: "import", action: "imported", before: nil,
                    after: .object([
                        "kind": .string(kind), "accepted": .int(report.accepted), "unchanged": .int(report.unchanged),
                        "rejected": .int(report.rejected),
                    ]))
                event.bulk = changes
                let json = String(decoding: try ImportReport.encoder.encode(report), as: UTF8.self)
                return Written(id: UUID(), document: Document(json: json, version: 1), event: event)
            }
            guard let json = try outcome.written.document?.json else { throw Problem.badRequest("the import left no report") }
            return try JSONDecoder().decode(ImportReport.self, from: Data(json.utf8))
        } catch let refused as ImportRefused {
            return refused.report
        }
    }

    /// The report: rows with an error count once however many errors they have.
    static func report(accepted: Int, unchanged: Int, _ errors: [ImportReport.RowError]) -> ImportReport {
        let ordered = errors.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
        return ImportReport(accepted: accepted, unchanged: unchanged, rejected: Set(errors.map(\.row)).count, errors: ordered)
    }
}

/// An import that writes nothing after all: thrown inside its write to roll it back.
struct ImportRefused: Error {
    var report: ImportReport
}
