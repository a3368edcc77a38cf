import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The bureau's administration: partner API keys and the audit log.
struct AdminRoutes {
    let store: Store

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "api-keys", .bureau) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let input = try ApiKeyInput.read(json)
            return try await WriteResponder.respond(
                request, context, status: .created, locationPrefix: "/v1/api-keys/", idempotentBody: json
            ) { actor in
                try await store.createApiKey(input, actor: actor)
            }
        }
        router.on(.get, "api-keys", .bureau) { request, _ in
            HTTPBody.response(try await store.apiKeys(try request.listRequest()))
        }
        router.on(.get, "api-keys/:id", .bureau) { request, context in
            HTTPBody.response(json: try await store.apiKey(id: try request.uuidParameter(context)))
        }
        router.on(.delete, "api-keys/:id", .bureau) { request, context in
            try await HTTPBody.none(request, context: context)
            try await store.revokeApiKey(id: try request.uuidParameter(context), actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.noContent()
        }
        router.on(.get, "audit-events", .bureau) { request, _ in
            HTTPBody.response(try await store.auditEvents(try request.listRequest()))
        }
    }
}
