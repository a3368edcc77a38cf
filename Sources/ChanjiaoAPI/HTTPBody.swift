import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Hummingbird

/// Reading JSON requests and writing JSON responses, the same way on every route.
enum HTTPBody {
    static let maxJSONBytes = 1 << 20

    /// The request's JSON body: 415 for another media type, 413 above 1 MiB, 400 when it does
    /// not parse (also for duplicate members and nesting deeper than 32 levels), 422 for NUL
    /// and other control characters in its strings. `patch` also accepts
    /// `application/merge-patch+json`.
    static func json(_ request: Request, context: AppContext, patch: Bool = false) async throws -> JSONValue {
        try requireJSONMediaType(request, patch: patch)
        let buffer = try await collect(request)
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("the body is empty; send a JSON object") }
        return try parse(buffer)
    }

    /// For a write that takes no body (an action such as `accept`, a `DELETE`): none, or an
    /// empty JSON object. Any other body is refused as a body would be (415, 413, 400), and an
    /// object with members is a 422 naming them, so a request meant for another route writes
    /// nothing here.
    static func none(_ request: Request, context: AppContext) async throws {
        let buffer = try await collect(request)
        guard buffer.readableBytes > 0 else { return }
        try requireJSONMediaType(request, patch: false)
        guard case .object(let members) = try parse(buffer) else { throw Problem.badRequest("this action takes no body, or an empty JSON object") }
        if !members.isEmpty {
            throw Problem.invalid(members.keys.sorted().map { FieldError(field: $0, message: "is not a field of this action, which takes no body") })
        }
    }

    private static func requireJSONMediaType(_ request: Request, patch: Bool) throws {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let accepted = patch ? ["application/json", "application/merge-patch+json"] : ["application/json"]
        guard accepted.contains(mediaType) else {
            throw Problem(
                .unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)",
                detail: "send the body as \(accepted.joined(separator: " or ")), not \(mediaType.isEmpty ? "nothing" : mediaType)")
        }
    }

    private static func collect(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maxJSONBytes)
        } catch {
            throw Problem(.contentTooLarge, title: "请求过大 (content too large)", detail: "the body exceeds the limit of 1 MiB")
        }
    }

    private static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        let json = try buffer.withUnsafeReadableBytes { bytes in try JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)) }
        // Checked before any field is read, so no route can hand such text to PostgreSQL.
        let forbidden = json.forbiddenCharacterErrors()
        if !forbidden.isEmpty { throw Problem.invalid(forbidden) }
        return json
    }

    /// A JSON response from text the database or an encoder produced.
    static func response(
        _ status: HTTPResponse.Status = .ok, json: String, version: Int? = nil, location: String? = nil
    ) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let version { headers[.eTag] = "\"\(version)\"" }
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    static func response(_ document: Document, status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        response(status, json: document.json, version: document.version, location: location)
    }

    /// `{"items": [...], "next_cursor": ...}` — every list has this shape.
    static func response(_ page: Page) -> Response {
        var json = "{\"items\":["
        json += page.items.joined(separator: ",")
        json += "],\"next_cursor\":"
        json += page.nextCursor.map { "\"\($0)\"" } ?? "null"
        json += "}"
        return response(json: json)
    }

    static func noContent() -> Response { Response(status: .noContent) }
}

/// Request metadata every route reads the same way.
extension Request {
    /// `If-Match: "7"` (or `7`, or `W/"7"`): the version the client last saw; nil without the header.
    func expectedVersion() throws -> Int? {
        guard let raw = headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if raw == "*" { return nil }
        var text = Substring(raw)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        text = text.drop(while: { $0 == "\"" })
        while text.last == "\"" { text = text.dropLast() }
        guard let version = Int(text), version > 0 else {
            throw Problem.badRequest("If-Match must name a version such as \"7\"")
        }
        return version
    }

    /// The `{name}` path parameter as a UUID; anything else cannot name a record, so 404.
    func uuidParameter(_ context: AppContext, _ name: String = "id") throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("\(context.parameters.get(name) ?? "record")")
        }
        return id
    }

    /// A `limit` query parameter: 1…`ListRequest.maxLimit`.
    static func limit(_ text: String) throws(Problem) -> Int {
        let max = ListRequest.maxLimit
        guard let limit = Int(text), (1...max).contains(limit) else {
            throw Problem.invalid(field: "limit", "must be an integer from 1 to \(max)")
        }
        return limit
    }

    /// The query parameters of a route that takes only `allowed` ones; any other is a 422.
    func queryParameters(allowed: Set<String>) throws -> [String: String] {
        var found: [String: String] = [:]
        var errors: [FieldError] = []
        for (key, value) in uri.queryParameters {
            let name = String(key)
            if allowed.contains(name) {
                found[name] = String(value)
            } else {
                errors.append(FieldError(field: name, message: "is not a parameter of this route; use \(allowed.sorted().joined(separator: ", "))"))
            }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return found
    }

    /// A `{year}` path parameter or `year` query value: 2019…2100, else a 422 at `field`.
    static func year(_ text: String?, field: String = "year") throws -> Int {
        guard let text, let year = Int(text), ApplicationInput.years.contains(year) else {
            throw Problem.invalid(field: field, "must be a year from 2019 to 2100")
        }
        return year
    }

    /// The scoreboard's `year` (default this year) and `as_of` (default today), China time. An
    /// empty one is the default too: the board's form sends its cleared fields that way.
    static func scoreboardDay(_ parameters: [String: String], today: ChinaDay) throws -> (year: Int, asOf: ChinaDay) {
        func given(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        let year = try year(given("year") ?? String(today.year))
        guard let text = given("as_of") else { return (year, today) }
        guard let day = ChinaDay(text) else { throw Problem.invalid(field: "as_of", "must be a date YYYY-MM-DD") }
        return (year, day)
    }

    /// A `{level}` path parameter: `provincial` or `national`, else a 422.
    static func level(_ text: String?) throws -> CertificationLevel {
        guard let level = text.flatMap(CertificationLevel.init(rawValue:)) else {
            throw Problem.invalid(field: "level", "must be one of: provincial, national")
        }
        return level
    }

    /// `limit`, `after`, `q`, `archived` and the remaining query parameters as filters;
    /// `excluding` names parameters the route reads itself.
    func listRequest(excluding: Set<String> = []) throws -> ListRequest {
        var request = ListRequest()
        var errors: [FieldError] = []
        for (key, value) in uri.queryParameters where !excluding.contains(String(key)) {
            let name = String(key)
            let text = String(value)
            switch name {
            case "limit":
                do { request.limit = try Self.limit(text) } catch { errors += error.errors }
            case "after":
                if let id = Cursor.decode(text) {
                    request.after = id
                } else {
                    errors.append(FieldError(field: "after", message: "is not a cursor this API returned"))
                }
            case "q":
                let query = text.trimmingCharacters(in: .whitespaces)
                if query.isEmpty || TextRules.length(query) > 100 {
                    errors.append(FieldError(field: "q", message: "must have 1 to 100 characters"))
                } else {
                    request.query = query
                }
            case "archived":
                if let flag = Bool(text) {
                    request.archived = flag
                } else {
                    errors.append(FieldError(field: "archived", message: "must be true or false"))
                }
            default:
                request.filters[name] = text
            }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return request
    }
}
