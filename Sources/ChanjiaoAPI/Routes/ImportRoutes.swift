import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird
import NIOPosix

/// Bulk imports: `POST /v1/imports/{kind}` with a CSV file (UTF-8 with or without a BOM, or
/// GB18030 as Excel and WPS save it on Chinese Windows; English or Chinese headers) or NDJSON.
/// The answer is the report `{accepted, unchanged, rejected, errors}`: 200, or 422 when
/// `all_or_nothing` (the default) met any bad row and wrote nothing, or the file itself cannot
/// be read (its one error at the line where it shows). A 422 is a problem document, like every
/// refusal, with the report's members in it.
struct ImportRoutes {
    let store: Store

    static let maxBytes = 64 << 20

    func register(on router: RouterGroup<AppContext>) {
        for kind in ImportKind.allCases {
            let policy: AccessPolicy =
                switch kind {
                case .talents: RegistryRoutes.writers(.talents)
                case .programs: RegistryRoutes.writers(.programs)
                case .demands: RegistryRoutes.writers(.demands)
                case .enterprises: .bureau
                }
            router.on(.post, "imports/\(kind.rawValue)", policy) { request, context in
                let (mode, charset, ndjson, source) = try Self.options(request, allowed: kind == .talents ? ["mode", "charset", "source"] : ["mode", "charset"])
                let bytes = try await Self.body(request)
                let actor = WriteActor(caller: context.caller, requestID: context.id)
                let report: ImportReport
                let ownerRequired = context.caller.isBureau && kind.ownerColumn != nil
                do {
                    // Decoding and parsing a large file is CPU work: on the thread pool.
                    let rows = try await NIOThreadPool.singleton.runIfActive {
                        try ImportRows.parse(try ImportText.decode(bytes, charset: charset), ndjson: ndjson, kind: kind, ownerRequired: ownerRequired)
                    }
                    report = try await store.importRecords(kind, rows, mode: mode, source: source, actor: actor)
                } catch let error as ImportFileError {
                    report = ImportReport(error)
                }
                return try Self.response(report, mode: mode, request, context)
            }
        }
        for kind in TaxonomyKind.allCases {
            router.on(.post, "imports/\(kind.rawValue)", .bureau) { request, context in
                let (mode, charset, ndjson, _) = try Self.options(request, allowed: ["mode", "charset"])
                if ndjson { throw Self.unsupported("taxonomies are imported as CSV (text/csv)") }
                let bytes = try await Self.body(request)
                let report: ImportReport
                do {
                    let text = try ImportText.decode(bytes, charset: charset)
                    report = try await store.importTaxonomy(
                        kind, text: text, mode: mode, actor: WriteActor(caller: context.caller, requestID: context.id))
                } catch let error as ImportFileError {
                    report = ImportReport(error)
                }
                return try Self.response(report, mode: mode, request, context)
            }
        }
    }

    /// `mode`, the media type (CSV or NDJSON) and its `charset` (or the `charset` parameter), and
    /// the talents' `source`.
    static func options(_ request: Request, allowed: Set<String>) throws -> (mode: ImportMode, charset: String?, ndjson: Bool, source: String?) {
        let parameters = try request.queryParameters(allowed: allowed)
        var mode = ImportMode.allOrNothing
        if let text = parameters["mode"] {
            guard let given = ImportMode(rawValue: text) else { throw Problem.invalid(field: "mode", "must be all_or_nothing or valid_rows") }
            mode = given
        }
        if let source = parameters["source"], !TalentInput.isSourceName(source) {
            throw Problem.invalid(field: "source", "must be lower-case letters, digits, '-' or '_' (2–64)")
        }
        let contentType = request.headers[.contentType] ?? ""
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = parts.first?.lowercased() ?? ""
        var charset = parameters["charset"]
        for part in parts.dropFirst() where part.lowercased().hasPrefix("charset=") {
            charset = charset ?? String(part.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        switch mediaType {
        case "text/csv": return (mode, charset, false, parameters["source"])
        case "application/x-ndjson", "application/ndjson": return (mode, charset, true, parameters["source"])
        default: throw unsupported("send the file as text/csv or application/x-ndjson, not \(mediaType.isEmpty ? "nothing" : mediaType)")
        }
    }

    static func unsupported(_ detail: String) -> Problem {
        Problem(.unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)", detail: detail)
    }

    /// The body, read as it arrives and refused (413) past 64 MiB.
    static func body(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(buffer: try await request.body.collect(upTo: maxBytes))
        } catch {
            throw Problem(.contentTooLarge, title: "请求过大 (content too large)", detail: "an import file may have at most 64 MiB")
        }
    }

    static func response(_ report: ImportReport, mode: ImportMode, _ request: Request, _ context: AppContext) throws -> Response {
        let refused = !report.errors.isEmpty && (mode == .allOrNothing || (report.accepted == 0 && report.unchanged == 0 && report.rejected == 0))
        let data = try ImportReport.encoder.encode(report)
        guard refused else { return HTTPBody.response(.ok, json: String(decoding: data, as: UTF8.self)) }
        // An encoded report is an object: its members go into the problem document.
        let members: [String: JSONValue] = if case .object(let members) = try JSONValue.parse(data) { members } else { [:] }
        let detail =
            report.rejected > 0
            ? "nothing was written: \(report.rejected) row(s) cannot be imported (each error names its row and field)"
            : "nothing was written: \(report.errors.first?.message ?? "the file cannot be read")"
        return Problem(.invalid, title: "导入未写入 (import refused)", detail: detail)
            .response(instance: request.uri.path, requestID: context.id, members: members)
    }
}
