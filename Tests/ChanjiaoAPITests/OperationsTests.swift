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
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
