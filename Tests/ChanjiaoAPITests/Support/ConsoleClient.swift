import Foundation
import HTTPTypes

/// A person at the console, as a browser would be: a cookie jar, pages fetched as HTML, forms
/// posted with the token the page carried.
struct ConsoleClient {
    let api: TestAPI
    var cookies: [String: String] = [:]

    init(_ api: TestAPI) { self.api = api }

    /// Signs in through the login form; throws unless it leads into the console.
    static func signedIn(_ api: TestAPI, _ username: String, _ password: String = TestDatabase.demoPassword) async throws -> ConsoleClient {
        var client = ConsoleClient(api)
        let reply = try await client.signIn(username, password)
        guard reply.status == .seeOther, client.cookies["cj_console"] != nil else {
            throw TestSetupError("console sign-in of \(username): \(reply.status) \(reply.text.prefix(300))")
        }
        return client
    }

    mutating func signIn(_ username: String, _ password: String) async throws -> Reply {
        let page = try await get("/console/login")
        return try await post("/console/login", ["username": username, "password": password, "_csrf": Self.csrf(in: page.text) ?? ""])
    }

    mutating func get(_ path: String) async throws -> Reply {
        let reply = try await api.send(.get, path, headers: cookieHeader)
        keep(reply)
        return reply
    }

    /// Posts `fields` (urlencoded), adding the CSRF token of `page` unless `fields` has one.
    mutating func post(_ path: String, _ fields: [String: String], page: Reply? = nil) async throws -> Reply {
        var fields = fields
        if fields["_csrf"] == nil, let page, let token = Self.csrf(in: page.text) { fields["_csrf"] = token }
        let body = fields.sorted { $0.key < $1.key }
            .map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }.joined(separator: "&")
        let reply = try await api.send(.post, path, json: body, contentType: "application/x-www-form-urlencoded", headers: cookieHeader)
        keep(reply)
        return reply
    }

    private var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    private mutating func keep(_ reply: Reply) {
        for header in reply.headers[values: .setCookie] {
            guard let pair = header.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    /// The first form token in a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~"])) ?? ""
    }
}
