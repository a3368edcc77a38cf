import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// Cooperations between a demand and a program: proposed by either side, moved along
/// `Workflow.cooperations`, read by both sides, their counties, the bureau and viewers.
struct CooperationRoutes {
    let store: Store

    static let sides = AccessPolicy.writes([.enterprise, .college])
    static let readers = AccessPolicy.reads([.enterprise, .college, .county, .bureau, .viewer])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "cooperations", Self.sides) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let input = try CooperationInput.read(json)
            return try await WriteResponder.respond(
                request, context, status: .created, locationPrefix: "/v1/cooperations/", idempotentBody: json
            ) { actor in
                try await store.proposeCooperation(input, actor: actor)
            }
        }
        router.on(.get, "cooperations", Self.readers) { request, context in
            HTTPBody.response(try await store.cooperations(try request.listRequest(), caller: context.caller))
        }
        router.on(.get, "cooperations/:id", Self.readers) { request, context in
            HTTPBody.response(try await store.cooperation(id: try request.uuidParameter(context), caller: context.caller))
        }
        for action in Workflow<CooperationStatus, CooperationParty>.cooperations.actions {
            router.on(.post, "cooperations/:id/\(action)", Self.sides) { request, context in
                let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
                // Completing and terminating carry a body; the other moves none.
                let hasBody = ["complete", "terminate"].contains(action)
                var json: JSONValue = .object([:])
                if hasBody { json = try await HTTPBody.json(request, context: context) } else { try await HTTPBody.none(request, context: context) }
                let input = hasBody ? try CooperationMoveInput.read(json, action: action) : CooperationMoveInput()
                return try await WriteResponder.respond(request, context, idempotentBody: json) { actor in
                    try await store.moveCooperation(id: id, action: action, input: input, expected: expected, actor: actor)
                }
            }
        }
    }
}
