import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A response as tests read it: status, headers, and the body parsed as JSON.
struct Reply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: JSONValue
    var text: String

    subscript(_ key: String) -> JSONValue? {
        if case .object(let fields) = body { return fields[key] }
        return nil
    }

    var string: [String: String] {
        guard case .object(let fields) = body else { return [:] }
        return fields.compactMapValues { if case .string(let s) = $0 { s } else { nil } }
    }

    var items: [JSONValue] {
        if case .array(let items)? = self["items"] { return items }
        return []
    }

    var errorFields: [String] {
        guard case .array(let errors)? = self["errors"] else { return [] }
        return errors.compactMap { if case .object(let e) = $0, case .string(let f)? = e["field"] { f } else { nil } }
    }
}

/// The real application on a real port against its own fresh database.
struct TestAPI {
    let client: any TestClientProtocol
    let store: Store
    /// The database the service under test uses (a second instance can share it).
    var url: DatabaseURL?

    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
        contentType: String = "application/json", headers extra: HTTPFields = [:], bytes: [UInt8]? = nil
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil || bytes != nil { headers[.contentType] = contentType }
        let body = bytes.map { ByteBuffer(bytes: $0) } ?? json.map { ByteBuffer(string: $0) }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let body = (try? JSONValue.parse(Data(text.utf8))) ?? .null
            return Reply(status: response.status, headers: response.headers, body: body, text: text)
        }
    }

    func get(_ path: String, token: String? = nil) async throws -> Reply { try await send(.get, path, token: token) }
    func post(_ path: String, token: String? = nil, _ json: String, headers: HTTPFields = [:]) async throws -> Reply {
        try await send(.post, path, token: token, json: json, headers: headers)
    }
    func patch(_ path: String, token: String? = nil, _ json: String, headers: HTTPFields = [:]) async throws -> Reply {
        try await send(.patch, path, token: token, json: json, headers: headers)
    }

    /// Signs in and returns the bearer token.
    func login(_ username: String, _ password: String = TestDatabase.demoPassword) async throws -> String {
        let reply = try await post("/v1/auth/login", "{\"username\":\"\(username)\",\"password\":\"\(password)\"}")
        guard reply.status == .ok, let token = reply.string["token"] else {
            throw TestSetupError("login \(username) failed: \(reply.status) \(reply.text)")
        }
        return token
    }

    func admin() async throws -> String { try await login("admin", TestDatabase.adminPassword) }

    /// Counts rows of a table straight from the database, to prove a failed request wrote nothing.
    func count(_ table: String) async throws -> Int {
        let rows = try await store.client.query("SELECT count(*)::int FROM \(unescaped: table)").decode(Int.self)
        var total = 0
        for try await value in rows { total = value }
        return total
    }

    /// The first record of a table by id, for tests that need any one.
    func anyID(_ table: String) async throws -> String {
        let rows = try await store.client.query("SELECT id::text FROM \(unescaped: table) ORDER BY id LIMIT 1").decode(String.self)
        for try await id in rows { return id }
        throw TestSetupError("\(table) is empty")
    }

    /// A demo record's id by a column value, for tests that start from the demo data.
    func id(_ table: String, where column: String, is value: String) async throws -> String {
        let rows = try await store.client.query(
            "SELECT id::text FROM \(unescaped: table) WHERE \(unescaped: column) = \(value) LIMIT 1"
        ).decode(String.self)
        for try await id in rows { return id }
        throw TestSetupError("no \(table) with \(column) = \(value)")
    }
}

/// Runs `body` against the service built by `buildApplication`, listening on a free port;
/// `configure` adjusts its configuration (a pinned clock, trusted proxies, …).
func withAPI(
    configure: (inout AppConfiguration) -> Void = { _ in }, _ body: @Sendable (TestAPI) async throws -> Void
) async throws {
    let url = try await TestDatabase.fresh()
    do {
        var configuration = AppConfiguration(
            host: "127.0.0.1", port: 0, database: url, adminPassword: TestDatabase.adminPassword, logLevel: .warning)
        configure(&configuration)
        let app = try await buildApplication(configuration)
        try await app.test(.live) { client in
            try await TestDatabase.withStore(url) { store in
                try await body(TestAPI(client: client, store: store, url: url))
            }
        }
    } catch {
        await TestDatabase.drop(url)
        throw error
    }
    await TestDatabase.drop(url)
}
