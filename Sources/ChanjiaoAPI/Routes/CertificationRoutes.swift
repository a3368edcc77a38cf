import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// Certifications (public; revoked by the bureau), the reward ledger (the bureau pays with two
/// accounts; an enterprise reads its own) and the reward policies.
struct CertificationRoutes {
    let store: Store

    static let ledgerReaders = AccessPolicy.reads([.enterprise, .bureau, .viewer])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.get, "certifications", nil) { request, _ in
            HTTPBody.response(try await store.certifications(try request.listRequest()))
        }
        router.on(.get, "certifications/:id", nil) { request, context in
            HTTPBody.response(try await store.certification(id: try request.uuidParameter(context)))
        }
        router.on(.post, "certifications/:id/revoke", .bureau) { request, context in
            let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
            let json = try await HTTPBody.json(request, context: context)
            let input = try ReasonInput.read(json, needsDocument: true)
            return try await WriteResponder.respond(request, context, idempotentBody: json) { actor in
                try await store.revokeCertification(id: id, input: input, expected: expected, actor: actor)
            }
        }
        router.on(.get, "rewards", Self.ledgerReaders) { request, context in
            HTTPBody.response(try await store.rewards(try request.listRequest(), caller: context.caller))
        }
        router.on(.get, "rewards/totals", .bureauReads) { request, context in
            var parameters = try request.queryParameters(allowed: ["group_by", "year", "status", "level", "region_code", "enterprise_id"])
            let groupBy = parameters.removeValue(forKey: "group_by") ?? "county"
            return HTTPBody.response(
                json: try await store.rewardTotals(groupBy: groupBy, ListRequest(filters: parameters), caller: context.caller))
        }
        router.on(.get, "rewards/:id", Self.ledgerReaders) { request, context in
            HTTPBody.response(try await store.reward(id: try request.uuidParameter(context), caller: context.caller))
        }
        for action in Workflow<RewardStatus, RewardParty>.rewards.actions {
            router.on(.post, "rewards/:id/\(action)", .bureau) { request, context in
                let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
                // Confirming carries no body; the other moves carry theirs.
                var json: JSONValue = .object([:])
                if action == "confirm" { try await HTTPBody.none(request, context: context) } else { json = try await HTTPBody.json(request, context: context) }
                let move = try Self.rewardMove(action, json)
                return try await WriteResponder.respond(request, context, idempotentBody: json) { actor in
                    try await store.moveReward(id: id, move, expected: expected, actor: actor)
                }
            }
        }
        router.on(.get, "reward-policies/:level", .bureauReads) { request, context in
            HTTPBody.response(try await store.rewardPolicy(level: try Request.level(context.parameters.get("level"))))
        }
        router.on(.put, "reward-policies/:level", .bureau) { request, context in
            let level = try Request.level(context.parameters.get("level"))
            let policy = try RewardPolicyInput.read(try await HTTPBody.json(request, context: context), level: level)
            let expected = try request.expectedVersion()
            let (created, document) = try await store.putRewardPolicy(
                policy, expected: expected, actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.response(document, status: created ? .created : .ok, location: created ? request.uri.path : nil)
        }
    }

    /// A reward's move as its route's body gives it (`confirm` takes none): the API's and the
    /// console's forms read it here.
    static func rewardMove(_ action: String, _ json: JSONValue) throws -> Store.RewardMove {
        switch action {
        case "disburse": .disburse(try DisbursementInput.read(json))
        case "cancel": .cancel(reason: try ReasonInput.read(json).reason)
        default: .confirm
        }
    }
}
