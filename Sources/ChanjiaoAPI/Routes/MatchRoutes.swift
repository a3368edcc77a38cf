import ChanjiaoDomain
import ChanjiaoMatching
import ChanjiaoStore
import Foundation
import Hummingbird

/// Ranked recommendations both ways, each with its explanation, from the in-memory index.
struct MatchRoutes {
    let store: Store
    let index: MatchIndex
    let scorer: MatchScorer

    /// The record's owner (its organization's accounts, a key bound to it), the bureau and
    /// viewers; which record is the caller's own is the store's `requireOwner`.
    static let readers = AccessPolicy.reads(Set(Role.allCases), scopes: Set(Scope.allCases))

    func register(on router: RouterGroup<AppContext>) {
        router.on(.get, "demands/:id/matches", Self.readers) { request, context in
            let id = try request.uuidParameter(context)
            let (limit, kind) = try parameters(request, kinds: ["programs", "talents"])
            var snapshot = try await index.snapshot()
            let demand = try await subject(.demands, id: id, caller: context.caller, lookup: snapshot.demand) {
                try await store.demandProfiles(ids: [id], catalog: &snapshot.catalog)
            }
            if kind == "talents" {
                let ranked = scorer.topTalents(for: demand, in: snapshot.talents, limit: limit, consentingOnly: !context.caller.isBureau && context.caller.role != .viewer)
                let explanations = ranked.map { scorer.explain(demand, snapshot.talents.profiles[$0.index], catalog: snapshot.catalog) }
                return try await items(ranked, explanations, key: "talent", resource: .talents, request, context)
            }
            let ranked = scorer.topPrograms(for: demand, in: snapshot.programs, limit: limit)
            let explanations = ranked.map { scorer.explain(demand, snapshot.programs.profiles[$0.index], catalog: snapshot.catalog) }
            return try await items(ranked, explanations, key: "program", resource: .programs, request, context)
        }
        router.on(.get, "programs/:id/matches", Self.readers) { request, context in
            let id = try request.uuidParameter(context)
            let (limit, _) = try parameters(request, kinds: [])
            var snapshot = try await index.snapshot()
            let program = try await subject(.programs, id: id, caller: context.caller, lookup: snapshot.program) {
                try await store.programProfiles(ids: [id], catalog: &snapshot.catalog)
            }
            let ranked = scorer.topDemands(for: program, in: snapshot.demands, limit: limit)
            let explanations = ranked.map { scorer.explain(snapshot.demands.profiles[$0.index], program, catalog: snapshot.catalog) }
            return try await items(ranked, explanations, key: "demand", resource: .demands, request, context)
        }
        router.on(.get, "talents/:id/matches", Self.readers) { request, context in
            let id = try request.uuidParameter(context)
            let (limit, _) = try parameters(request, kinds: [])
            var snapshot = try await index.snapshot()
            let talent = try await subject(.talents, id: id, caller: context.caller, lookup: snapshot.talent) {
                try await store.talentProfiles(ids: [id], catalog: &snapshot.catalog)
            }
            let ranked = scorer.topDemands(for: talent, in: snapshot.demands, limit: limit)
            let explanations = ranked.map { scorer.explain(snapshot.demands.profiles[$0.index], talent, catalog: snapshot.catalog) }
            return try await items(ranked, explanations, key: "demand", resource: .demands, request, context)
        }
    }

    /// The record a route ranks for: the caller must own it or be the bureau (the bureau sees
    /// everything, so a record the index holds then needs no database round trip). It comes
    /// from the index, or straight from the database when the index has not seen it yet.
    private func subject<P>(
        _ resource: Resource, id: UUID, caller: Caller, lookup: (UUID) -> P?, load: () async throws -> [P]
    ) async throws -> P {
        let indexed = lookup(id)
        if !(caller.readsEverything && indexed != nil) { try await store.requireOwner(resource, id: id, caller: caller) }
        if let indexed { return indexed }
        guard let loaded = try await load().first else { throw Problem.notFound("\(resource.singular) \(id.text)") }
        return loaded
    }

    /// `limit` (1…200, default 50) and `kind` when the route has kinds.
    private func parameters(_ request: Request, kinds: [String]) throws -> (Int, String) {
        var errors: [FieldError] = []
        var limit = 50
        var kind = kinds.first ?? ""
        for (key, value) in request.uri.queryParameters {
            switch String(key) {
            case "limit":
                do { limit = try Request.limit(String(value)) } catch { errors += error.errors }
            case "kind" where !kinds.isEmpty:
                if kinds.contains(String(value)) {
                    kind = String(value)
                } else {
                    errors.append(FieldError(field: "kind", message: "must be one of: \(kinds.joined(separator: ", "))"))
                }
            default:
                errors.append(FieldError(field: String(key), message: "is not a parameter of this route"))
            }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return (limit, kind)
    }

    /// `{items: [{<key>: document, score, parts, matched_skills, missing_skills}], next_cursor: null}`.
    private func items(
        _ ranked: [RankedMatch], _ explanations: [MatchExplanation?], key: String, resource: Resource,
        _ request: Request, _ context: AppContext
    ) async throws -> Response {
        let ids = ranked.map(\.id)
        let documents = try await store.documents(resource, ids: ids, caller: context.caller)
        if resource == .talents {
            try await store.auditUnmaskedTalents(
                ids: ids, documents: documents, actor: WriteActor(caller: context.caller, requestID: context.id))
        }
        var items: [String] = []
        items.reserveCapacity(ranked.count)
        for (match, explanation) in zip(ranked, explanations) {
            guard let document = documents[match.id], let explanation else { continue }
            items.append("{\"\(key)\":\(document),\(explanation.jsonMembers)}")
        }
        return HTTPBody.response(Page(items: items, nextCursor: nil))
    }
}
