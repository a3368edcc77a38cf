import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The registry: enterprises, colleges, programs, demand and talents. Each resource has the
/// same routes (create, list, read, patch, archive); visibility and ownership live in the
/// store, so every route applies them alike.
struct RegistryRoutes {
    let store: Store
    let idempotency: Idempotency

    func register(on router: RouterGroup<AppContext>) {
        for resource in Resource.allCases {
            let path = resource.rawValue
            router.get(RouterPath(path)) { request, context in try await list(resource, request, context) }
            router.get(RouterPath("\(path)/:id")) { request, context in
                if resource == .talents { try context.caller.requireSignedIn() }
                let document = try await store.document(resource, id: try request.uuidParameter(context), caller: context.caller)
                return HTTPBody.response(document)
            }
            router.post(RouterPath(path)) { request, context in try await create(resource, request, context) }
            router.patch(RouterPath("\(path)/:id")) { request, context in try await update(resource, request, context) }
            if resource != .talents {
                router.post(RouterPath("\(path)/:id/archive")) { request, context in
                    try context.caller.requireSignedIn()
                    let document = try await store.archive(
                        resource, id: try request.uuidParameter(context), caller: context.caller,
                        expected: try request.expectedVersion())
                    return HTTPBody.response(document)
                }
            }
        }
        for resource in [Resource.enterprises, .colleges] {
            router.post(RouterPath("\(resource.rawValue)/:id/verify")) { request, context in
                let document = try await store.verify(
                    resource, id: try request.uuidParameter(context), caller: context.caller, expected: try request.expectedVersion())
                return HTTPBody.response(document)
            }
        }
        router.put("talents/by-external-id/:source/:external_id") { request, context in
            try context.caller.requireSignedIn()
            let (body, _) = try await HTTPBody.json(request, context: context)
            let (document, created) = try await store.upsertTalent(
                source: context.parameters.get("source") ?? "", externalID: context.parameters.get("external_id") ?? "",
                body: body, caller: context.caller, expected: try request.expectedVersion())
            let location = "/v1/talents/\(try Store.id(of: document).uuidString.lowercased())"
            return HTTPBody.response(document, status: created ? .created : .ok, location: created ? location : nil)
        }
        router.delete("talents/:id") { request, context in
            try context.caller.requireSignedIn()
            try await store.deleteTalent(id: try request.uuidParameter(context), caller: context.caller, expected: try request.expectedVersion())
            return HTTPBody.noContent()
        }
    }

    private func list(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        if resource == .talents { try context.caller.requireSignedIn() }
        let page = try await store.list(resource, try request.listRequest(), caller: context.caller)
        return HTTPBody.response(page)
    }

    private func create(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        try context.caller.requireSignedIn()
        let (json, raw) = try await HTTPBody.json(request, context: context)
        return try await idempotency.run(request, context: context, body: raw) {
            let caller = context.caller
            let document: Document
            switch resource {
            case .enterprises:
                try caller.requireBureau()
                document = try await store.createEnterprise(try EnterpriseInput.read(json), status: .active, caller: caller)
            case .colleges:
                try caller.requireBureau()
                document = try await store.createCollege(try CollegeInput.read(json), status: .active, caller: caller)
            case .programs:
                document = try await store.createProgram(try ProgramInput.read(json), caller: caller)
            case .demands:
                document = try await store.createDemand(try DemandInput.read(json), caller: caller)
            case .talents:
                document = try await store.createTalent(try TalentInput.read(json), caller: caller)
            }
            let id = try Store.id(of: document).uuidString.lowercased()
            return HTTPBody.response(document, status: .created, location: "/v1/\(resource.rawValue)/\(id)")
        }
    }

    private func update(_ resource: Resource, _ request: Request, _ context: AppContext) async throws -> Response {
        try context.caller.requireSignedIn()
        let id = try request.uuidParameter(context)
        let expected = try request.expectedVersion()
        let (patch, _) = try await HTTPBody.json(request, context: context, patch: true)
        let caller = context.caller
        let document: Document =
            switch resource {
            case .enterprises: try await store.updateEnterprise(id: id, patch: patch, caller: caller, expected: expected)
            case .colleges: try await store.updateCollege(id: id, patch: patch, caller: caller, expected: expected)
            case .programs: try await store.updateProgram(id: id, patch: patch, caller: caller, expected: expected)
            case .demands: try await store.updateDemand(id: id, patch: patch, caller: caller, expected: expected)
            case .talents: try await store.updateTalent(id: id, patch: patch, caller: caller, expected: expected)
            }
        return HTTPBody.response(document)
    }
}
