import ChanjiaoAPI
import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

@Suite struct OperationsTests {
    @Test func healthAndReadinessAnswer() async throws {
        try await withAPI { api async throws in
            #expect(try await api.get("/health/live").status == .ok)
            let ready = try await api.get("/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.string["database"] == "ok")
        }
    }

    @Test func headIsTheGetWithoutItsBody() async throws {
        try await withAPI { api async throws in
            for path in ["/health/live", "/v1/regions", "/openapi.json", "/board"] {
                let (get, head) = (try await api.send(.get, path), try await api.send(.head, path))
                #expect(head.status == .ok && head.text.isEmpty, "\(path): \(head.status)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.headers[.contentLength] == String(get.text.utf8.count), "\(path): \(head.headers[.contentLength] ?? "none")")
            }
            #expect(try await api.send(.head, "/v1/nowhere").status == .notFound)
        }
    }

    @Test func metricsCountRequestsInPrometheusFormat() async throws {
        try await withAPI { api async throws in
            _ = try await api.get("/v1/regions?limit=1")
            let metrics = try await api.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("chanjiao_http_requests_total"))
            #expect(metrics.headers[.requestID] != nil)
        }
    }

    @Test func unknownRouteIsAProblemDocument() async throws {
        try await withAPI { api async throws in
            let reply = try await api.get("/v1/nothing-here")
            #expect(reply.status == .notFound)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(reply.string["type"] == "/problems/not-found")
        }
    }

    @Test func aRouteWithoutQueryParametersRefusesAny() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let program = try await api.get("/v1/programs?limit=1").items.first?["id"].flatMap { if case .string(let id) = $0 { id } else { nil } } ?? ""
            #expect(try await api.get("/v1/programs/\(program)?x=1&y=2").errorFields == ["x", "y"])
            #expect(try await api.get("/v1/me?verbose=true", token: admin).errorFields == ["verbose"])
            #expect(try await api.get("/v1/regions/411202?x=1").errorFields == ["x"])
            // Routes with parameters keep checking their own; no query is no refusal.
            #expect(try await api.get("/v1/programs?limit=1&x=1").errorFields == ["x"])
            #expect(try await api.get("/v1/programs/\(program)").status == .ok)
            #expect(try await api.get("/v1/programs/\(program)?").status == .ok)
            #expect(try await api.get("/v1/programs/\(program)?&").status == .ok)
        }
    }

    @Test func aServedPathAskedWithAnotherMethodIs405WithAllow() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let demand = try await api.get("/v1/demands?limit=1").items.first?["id"].flatMap { if case .string(let id) = $0 { id } else { nil } } ?? ""
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/regions", "GET, HEAD"),
                (.put, "/v1/demands/\(demand)", "GET, HEAD, PATCH"),
                (.get, "/v1/auth/login", "POST"),
                (.head, "/v1/auth/login", "POST"),
                (.post, "/board", "GET, HEAD"),
            ]
            for (method, path, allow) in cases {
                let reply = try await api.send(method, path, token: admin)
                #expect(reply.status == .methodNotAllowed, "\(method) \(path): \(reply.status)")
                #expect(reply.headers[.allow] == allow, "\(method) \(path)")
                if method != .head && path.hasPrefix("/v1/") {
                    #expect(reply.headers[.contentType] == "application/problem+json" && reply.string["type"] == "/problems/method-not-allowed")
                }
            }
            // A bare OPTIONS (no CORS preflight) is told the methods; unknown paths stay 404.
            let options = try await api.send(.options, "/v1/regions")
            #expect(options.status == .noContent && options.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(try await api.send(.delete, "/v1/nothing-here", token: admin).status == .notFound)
            // A literal segment without a route of its own is no route, whatever parameter would match it.
            #expect(try await api.send(.get, "/v1/talents/by-external-id", token: admin).status == .notFound)
            #expect(try await api.send(.options, "/v1/nothing-here").status == .notFound)
            // Nothing was written by the refused DELETE of a demand's neighbour method.
            #expect(try await api.get("/v1/demands/\(demand)").status == .ok)
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
