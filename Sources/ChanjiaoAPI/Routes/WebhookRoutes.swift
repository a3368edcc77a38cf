import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// Webhook subscriptions (Standard Webhooks): partners manage their own with a
/// `webhooks:manage` key, the bureau any with a session. Deliveries are the queue's work
/// (`WebhookDeliverer`); here they are listed and retried by hand.
struct WebhookRoutes {
    let store: Store
    let policy: WebhookAddressPolicy

    static let managers = AccessPolicy.writes([.bureau], scopes: [.webhooksManage])
    static let readers = AccessPolicy.reads([.bureau], scopes: [.webhooksManage])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "webhooks", Self.managers) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let input = try WebhookInput.read(json)
            if case .failure(let refusal) = await policy.check(input.url) { throw Problem.invalid(field: "url", refusal.reason) }
            return try await WriteResponder.respond(
                request, context, status: .created, locationPrefix: "/v1/webhooks/", idempotentBody: json
            ) { actor in try await store.createWebhook(input, actor: actor) }
        }
        router.on(.get, "webhooks", Self.readers) { request, context in
            HTTPBody.response(try await store.webhooks(try request.listRequest(), caller: context.caller))
        }
        router.on(.get, "webhooks/:id", Self.readers) { request, context in
            HTTPBody.response(json: try await store.webhook(id: try request.uuidParameter(context), caller: context.caller))
        }
        router.on(.delete, "webhooks/:id", Self.managers) { request, context in
            let id = try request.uuidParameter(context)
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context) { actor in try await store.deleteWebhook(id: id, actor: actor) }
        }
        router.on(.post, "webhooks/:id/rotate-secret", Self.managers) { request, context in
            let id = try request.uuidParameter(context)
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context, idempotentBody: .object([:])) { actor in
                try await store.rotateWebhookSecret(id: id, actor: actor)
            }
        }
        router.on(.post, "webhooks/:id/enable", Self.managers) { request, context in
            let id = try request.uuidParameter(context)
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context, idempotentBody: .object([:])) { actor in
                try await store.enableWebhook(id: id, actor: actor)
            }
        }
        router.on(.get, "webhooks/:id/deliveries", Self.readers) { request, context in
            let id = try request.uuidParameter(context)
            return HTTPBody.response(try await store.webhookDeliveries(webhookID: id, try request.listRequest(), caller: context.caller))
        }
        router.on(.post, "webhooks/:id/deliveries/:did/retry", Self.managers) { request, context in
            let (id, delivery) = (try request.uuidParameter(context), try request.uuidParameter(context, "did"))
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context, status: .accepted, idempotentBody: .object([:])) { actor in
                try await store.retryWebhookDelivery(webhookID: id, deliveryID: delivery, actor: actor)
            }
        }
    }
}
