import ChanjiaoDomain
import ChanjiaoStore
import Hummingbird

/// The public reference data: regions and the three taxonomies, listed and read by code.
struct ReferenceRoutes {
    let store: Store

    func register(on router: RouterGroup<AppContext>) {
        let paths: [(ReferenceList, String)] = [
            (.regions, "regions"), (.skills, "taxonomy/skills"), (.specialties, "taxonomy/specialties"),
            (.occupations, "taxonomy/occupations"),
        ]
        for (list, path) in paths {
            router.get(RouterPath(path)) { request, _ in
                HTTPBody.response(try await store.references(list, try request.listRequest()))
            }
            router.get(RouterPath("\(path)/:code")) { _, context in
                HTTPBody.response(json: try await store.reference(list, code: context.parameters.get("code") ?? ""))
            }
        }
    }
}
