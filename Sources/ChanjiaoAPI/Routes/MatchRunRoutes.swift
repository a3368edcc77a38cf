import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The bureau's city-wide allocation: queue a run, list and watch runs, read assignments and
/// gaps (viewers read what the bureau reads).
struct MatchRunRoutes {
    let store: Store

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "match-runs", .bureau) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let scope = try MatchRunScope.read(json)
            return try await WriteResponder.respond(
                request, context, status: .accepted, locationPrefix: "/v1/match-runs/", idempotentBody: json
            ) { actor in
                try await store.createMatchRun(scope, actor: actor)
            }
        }
        router.on(.get, "match-runs", .bureauReads) { request, _ in
            HTTPBody.response(try await store.matchRuns(try request.listRequest()))
        }
        router.on(.get, "match-runs/:id", .bureauReads) { request, context in
            HTTPBody.response(json: try await store.matchRun(id: try request.uuidParameter(context)))
        }
        router.on(.get, "match-runs/:id/assignments", .bureauReads) { request, context in
            HTTPBody.response(try await store.matchRunAssignments(id: try request.uuidParameter(context), try request.listRequest()))
        }
        router.on(.get, "match-runs/:id/gaps", .bureauReads) { request, context in
            HTTPBody.response(json: try await store.matchRunGaps(id: try request.uuidParameter(context)))
        }
    }
}
