import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The bureau's city-wide allocation: queue a run, watch it, read its assignments and gaps.
struct MatchRunRoutes {
    let store: Store
    let idempotency: Idempotency

    func register(on router: RouterGroup<AppContext>) {
        router.post("match-runs") { request, context in
            try context.caller.requireBureau()
            let (json, raw) = try await HTTPBody.json(request, context: context)
            return try await idempotency.run(request, context: context, body: raw) {
                let document = try await store.createMatchRun(try MatchRunScope.read(json), caller: context.caller)
                let id = try Store.id(of: document).uuidString.lowercased()
                return HTTPBody.response(.accepted, json: document.json, location: "/v1/match-runs/\(id)")
            }
        }
        router.get("match-runs/:id") { request, context in
            HTTPBody.response(json: try await store.matchRun(id: try request.uuidParameter(context), caller: context.caller))
        }
        router.get("match-runs/:id/assignments") { request, context in
            let page = try await store.matchRunAssignments(
                id: try request.uuidParameter(context), try request.listRequest(), caller: context.caller)
            return HTTPBody.response(page)
        }
        router.get("match-runs/:id/gaps") { request, context in
            HTTPBody.response(json: try await store.matchRunGaps(id: try request.uuidParameter(context), caller: context.caller))
        }
    }
}
