import AsyncAlgorithms
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird
import NIOCore

/// Exports for Excel and for partners' systems: `GET /v1/exports/{kind}?format=csv|ndjson`
/// with the list's filters. CSV has a UTF-8 byte order mark and Chinese headers, so Excel opens
/// it as it is. The body is streamed as the store's cursor yields records: a request is
/// checked in full (kind, filters, who may) before the first byte, so every refusal is a
/// problem document; a failure later can only cut the body short.
struct ExportRoutes {
    let store: Store

    /// Every signed-in role and `exports:read` keys; the kind narrows it further.
    static let exporters = AccessPolicy.reads(Set(Role.allCases), scopes: [.exportsRead])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.get, "exports/:kind", Self.exporters) { request, context in
            guard let kind = context.parameters.get("kind").flatMap(ExportKind.init(rawValue:)) else {
                throw Problem.notFound("export kind \(context.parameters.get("kind") ?? ""); kinds: \(ExportKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try Self.authorize(kind, context.caller)
            // The scoreboard's year and day are its own; other kinds' `year` is a list filter (the ledger's).
            let own: Set<String> = kind == .scoreboard ? ["format", "run", "year", "as_of"] : ["format", "run"]
            let parameters = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
            var list = try request.listRequest(excluding: own)
            list.paged = false
            if parameters["limit"] != nil || parameters["after"] != nil {
                throw Problem.invalid(field: parameters["limit"] != nil ? "limit" : "after", "exports have no pages: every record is in the file")
            }
            let csv: Bool
            switch parameters["format"] ?? "csv" {
            case "csv": csv = true
            case "ndjson": csv = false
            default: throw Problem.invalid(field: "format", "must be csv or ndjson")
            }
            let run = try Self.run(parameters, kind)
            let day = kind == .scoreboard ? try Request.scoreboardDay(parameters, today: ChinaDay(store.clock.now())) : nil
            let plan = try await store.exportPlan(kind, list, run: run, scoreboardDay: day, caller: context.caller)
            let actor = WriteActor(caller: context.caller, requestID: context.id)
            let name = kind.rawValue + (csv ? ".csv" : ".ndjson")
            var headers: HTTPFields = [
                .contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ]
            headers[.cacheControl] = "no-store"
            let store = store
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                let chunks = AsyncThrowingChannel<ByteBuffer, any Error>()
                let producer = Task {
                    do {
                        if csv { await chunks.send(ByteBuffer(string: CSV.byteOrderMark + kind.headerLine)) }
                        try await store.streamExport(plan, actor: actor) { documents in
                            var text = ""
                            for json in documents {
                                if csv {
                                    text += kind.line((try? JSONValue.parse(Data(json.utf8))) ?? .null)
                                } else {
                                    text += json + "\n"
                                }
                            }
                            await chunks.send(ByteBuffer(string: text))
                            // The reader went away: stop fetching (the snapshot rolls back).
                            try Task.checkCancellation()
                        }
                        chunks.finish()
                    } catch {
                        chunks.fail(error)
                    }
                }
                defer { producer.cancel() }
                for try await chunk in chunks { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
        }
    }

    /// Talents go to the bureau and their source partner only; the ledger to its readers; a
    /// match run's results to the bureau and viewers. Keys: `exports:read` (the policy), and
    /// for talents a key bound to a source.
    static func authorize(_ kind: ExportKind, _ caller: Caller) throws {
        switch kind {
        case .talents:
            guard caller.isBureau || caller.source != nil else {
                throw Problem.forbidden("talent profiles are exported to the bureau and their source partner only")
            }
        case .rewards:
            guard let role = caller.role, CertificationRoutes.ledgerReaders.roles.contains(role) else {
                throw Problem.forbidden("the reward ledger is exported to the bureau, viewers and enterprises (their own) only")
            }
        case .matchRunAssignments, .matchRunGaps:
            guard caller.readsEverything else { throw Problem.forbidden("match runs are exported to the bureau and viewers only") }
        case .enterprises, .colleges, .programs, .demands, .scoreboard:
            break
        }
    }

    static func run(_ parameters: [String: String], _ kind: ExportKind) throws -> UUID? {
        guard let text = parameters["run"] else { return nil }
        guard kind == .matchRunAssignments || kind == .matchRunGaps else {
            throw Problem.invalid(field: "run", "is a parameter of match-run-assignments and match-run-gaps only")
        }
        guard let id = UUID(uuidString: text) else { throw Problem.invalid(field: "run", "must be a match run's id (UUID)") }
        return id
    }
}
