import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The registry: enterprises, colleges, programs, demand and talents. Each resource has the
/// same routes (create, list, read, patch, archive), each behind its policy; row visibility and
/// ownership live in the store, so every route applies them alike.
struct RegistryRoutes {
    let store: Store

    /// Who writes each resource: session roles, and the API-key scope that may do the same.
    static func writers(_ resource: Resource) -> AccessPolicy {
        switch resource {
        case .enterprises: .writes([.enterprise, .bureau])
        case .colleges: .writes([.college, .bureau])
        case .programs: .writes([.college, .bureau], scopes: [.programsWrite])
        case .demands: .writes([.enterprise, .bureau])
        case .talents: .writes([.partner, .bureau], scopes: [.talentsWrite])
        }
    }

    func register(on router: RouterGroup<AppContext>) {
        for resource in Resource.allCases {
            let path = resource.rawValue
            // Talents are never public; the rest is the public directory (SQL narrows it).
            let readers: AccessPolicy? = resource == .talents ? .anyCredential : nil
            router.on(.get, path, readers) { request, context in try await list(resource, request, context) }
            router.on(.get, "\(path)/:id", readers) { request, context in
                let document = try await store.document(resource, id: try request.uuidParameter(context), caller: context.caller)
                if resource == .talents { try await auditUnmasked([document.json], request, context) }
                return HTTPBody.response(document)
            }
            let creators = resource == .enterprises || resource == .colleges ? AccessPolicy.bureau : Self.writers(resource)
            router.on(.post, path, creators) { request, context in try await create(resource, request, context) }
            router.on(.patch, "\(path)/:id", Self.writers(resource)) { request, context in try await update(resource, request, context) }
            if resource != .talents {
                router.on(.post, "\(path)/:id/archive", Self.writers(resource)) { request, context in
                    let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
                    try await HTTPBody.none(request, context: context)
                    return try await WriteResponder.respond(request, context) { actor in
                        try await store.archive(resource, id: id, expected: expected, actor: actor)
                    }
                }
            }
        }
        for resource in [Resource.enterprises, .colleges] {
            for move in OrganizationMove.allCases {
                // Who may move it is the workflow table's: the bureau, or the organization's own accounts.
                let ownRole: Role = resource == .enterprises ? .enterprise : .college
                let policy = AccessPolicy.writes(Set(move.step.by.map { $0 == .bureau ? Role.bureau : ownRole }))
                router.on(.post, "\(resource.rawValue)/:id/\(move.rawValue)", policy) { request, context in
                    let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
                    var reason: String?
                    if move.needsReason {
                        let json = try await HTTPBody.json(request, context: context)
                        reason = try Self.reason(json)
                    } else {
                        try await HTTPBody.none(request, context: context)
                    }
                    return try await WriteResponder.respond(request, context) { [reason] actor in
                        try await store.transition(resource, id: id, move, reason: reason, expected: expected, actor: actor)
                    }
                }
            }
        }
        router.on(.put, "talents/by-external-id/:source/:external_id", Self.writers(.talents)) { request, context in
            let body = try await HTTPBody.json(request, context: context)
            let source = context.parameters.get("source") ?? ""
            let externalID = context.parameters.get("external_id") ?? ""
            let expected = try request.expectedVersion()
            let outcome = try await store.upsertTalent(
                source: source, externalID: externalID, body: body, expected: expected,
                actor: WriteActor(caller: context.caller, requestID: context.id))
            let written = try outcome.written
            return HTTPBody.response(
                written.document!, status: written.created ? .created : .ok,
                location: written.created ? "/v1/talents/\(written.id.uuidString.lowercased())" : nil)
        }
        router.on(.delete, "talents/by-external-id/:source/:external_id", Self.writers(.talents)) { request, context in
            let (source, externalID) = (context.parameters.get("source") ?? "", context.parameters.get("external_id") ?? "")
            let expected = try request.expectedVersion()
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context) { actor in
                try await store.deleteTalent(source: source, externalID: externalID, expected: expected, actor: actor)
            }
        }
        router.on(.delete, "talents/:id", Self.writers(.talents)) { request, context in
            let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
            try await HTTPBody.none(request, context: context)
            return try await WriteResponder.respond(request, context) { actor in
                try await store.deleteTalent(id: id, expected: expected, actor: actor)
            }
        }
    }

    /// `{reason}`: why the bureau rejects or suspends, shown to the organization.
    static func reason(_ json: JSONValue) throws -> String {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["reason"])
        let reason = reader.string("reason", maxLength: 500)
        try log.check()
        return reason!
    }

    private func list(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await store.list(resource, try request.listRequest(), caller: context.caller)
        if resource == .talents { try await auditUnmasked(page.items, request, context) }
        return HTTPBody.response(page)
    }

    /// Reads of unmasked personal data are audited, one row per request.
    private func auditUnmasked(_ items: [String], _ request: Request, _ context: AppContext) async throws {
        try await store.auditUnmaskedTalents(items, actor: WriteActor(caller: context.caller, requestID: context.id))
    }

    private func create(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        let json = try await HTTPBody.json(request, context: context)
        return try await WriteResponder.respond(
            request, context, status: .created, locationPrefix: "/v1/\(resource.rawValue)/", idempotentBody: json
        ) { actor in
            switch resource {
            case .enterprises: try await store.createEnterprise(try EnterpriseInput.read(json), status: .active, actor: actor)
            case .colleges: try await store.createCollege(try CollegeInput.read(json), status: .active, actor: actor)
            case .programs: try await store.createProgram(try ProgramInput.read(json), actor: actor)
            case .demands: try await store.createDemand(try DemandInput.read(json), actor: actor)
            case .talents: try await store.createTalent(try TalentInput.read(json), actor: actor)
            }
        }
    }

    private func update(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        let id = try request.uuidParameter(context)
        let expected = try request.expectedVersion()
        let patch = try await HTTPBody.json(request, context: context, patch: true)
        return try await WriteResponder.respond(request, context) { actor in
            switch resource {
            case .enterprises: try await store.updateEnterprise(id: id, patch: patch, expected: expected, actor: actor)
            case .colleges: try await store.updateCollege(id: id, patch: patch, expected: expected, actor: actor)
            case .programs: try await store.updateProgram(id: id, patch: patch, expected: expected, actor: actor)
            case .demands: try await store.updateDemand(id: id, patch: patch, expected: expected, actor: actor)
            case .talents: try await store.updateTalent(id: id, patch: patch, expected: expected, actor: actor)
            }
        }
    }
}
