import ChanjiaoAPI
import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoMatching
import ChanjiaoStore
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Testing

@Suite struct OpenAPITests {
    /// Every route the router serves is in the document, and the document has nothing else.
    @Test func documentDescribesExactlyTheServedRoutes() async throws {
        let configuration = PostgresClient.Configuration(host: "127.0.0.1", username: "unused", password: nil, database: nil, tls: .disable)
        let store = Store(client: PostgresClient(configuration: configuration), logger: Logger(label: "test"))
        let settings = AppConfiguration(database: try DatabaseURL("postgres://unused@127.0.0.1/unused"), adminPassword: "unused")
        let router = buildRouter(
            store: store, index: MatchIndex(store: store), scorer: .standard, console: try await ConsoleRenderer.load(), configuration: settings)
        // The console's pages and the board are HTML for people, not the JSON API the document
        // describes (ConsoleMatrixTests covers who may open them).
        let api = router.routes.filter { !["console", "board", "board.svg", "favicon.ico"].contains($0.path.description.split(separator: "/").first ?? "") }
        let served = Set(api.map { route in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue.lowercased()) /\(path.joined(separator: "/"))"
        })
        guard case .object(let document) = try JSONValue.parse(OpenAPIDocument.data), case .object(let paths)? = document["paths"] else {
            Issue.record("openapi.json has no paths")
            return
        }
        #expect(document["openapi"] == .string("3.1.0"))
        var described: Set<String> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                described.insert("\(method) \(path)")
            }
        }
        #expect(served.subtracting(described).sorted() == [], "served but not described")
        #expect(described.subtracting(served).sorted() == [], "described but not served")
        #expect(served.count > 40)
        // The feed accepts exactly the event types the document lists.
        if case .object(let components)? = document["components"], case .object(let schemas)? = components["schemas"],
            case .array(let types)? = schemas["EventType"]?["enum"]
        {
            #expect(Set(types.compactMap { if case .string(let t) = $0 { t } else { nil } }) == FeedEventType.all)
        } else {
            Issue.record("no EventType enum")
        }
    }

    @Test func theServiceServesItsDocument() async throws {
        try await withAPI { api async throws in
            let reply = try await api.get("/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply["paths"] != nil)
        }
    }
}
