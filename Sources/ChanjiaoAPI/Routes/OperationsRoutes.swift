import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird
import Prometheus

/// Liveness, readiness (the database answers), Prometheus metrics and the OpenAPI document.
struct OperationsRoutes {
    let store: Store
    let metrics: PrometheusCollectorRegistry
    /// Who may scrape `/metrics` without a credential; anyone else needs a bureau one.
    let metricsAllowed: [AddressRange]
    /// Behind a trusted proxy the peer is the proxy: the client's address decides.
    let trustedProxies: [AddressRange]

    func register(on router: Router<AppContext>) {
        router.get("health/live") { _, _ in HTTPBody.response(json: "{\"status\":\"ok\"}") }
        router.get("health/ready") { _, _ in
            guard await store.isReady() else {
                return HTTPBody.response(.serviceUnavailable, json: "{\"status\":\"unavailable\",\"database\":\"unreachable\"}")
            }
            return HTTPBody.response(json: "{\"status\":\"ok\",\"database\":\"ok\"}")
        }
        router.get("metrics") { request, context in
            let peer = request.clientAddress(context, trustedProxies: trustedProxies)
            guard context.caller.isBureau || metricsAllowed.contains(where: { $0.contains(peer) }) else {
                throw Problem.forbidden("metrics are served to the configured addresses (CHANJIAO_METRICS_ALLOW) or the bureau")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(data: OpenAPIDocument.data)))
        }
    }
}

/// The OpenAPI 3.1 document shipped with the service (Sources/ChanjiaoAPI/openapi.json).
public enum OpenAPIDocument {
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Data("{}".utf8) }
        return data
    }()
}
