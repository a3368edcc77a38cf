import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The bureau's supervision: county targets and recommendation quotas, the public red/black
/// list (红黑榜) and the overview statistics.
struct SupervisionRoutes {
    let store: Store

    func register(on router: RouterGroup<AppContext>) {
        router.on(.get, "targets", nil) { request, context in
            let (year, list) = try yearList(request)
            return HTTPBody.response(try await store.targets(year: year, after: list.after, limit: list.limit, caller: context.caller))
        }
        router.on(.get, "targets/:year/:region_code", nil) { request, context in
            let year = try Request.year(context.parameters.get("year"))
            return HTTPBody.response(
                try await store.target(year: year, regionCode: context.parameters.get("region_code") ?? "", caller: context.caller))
        }
        router.on(.put, "targets/:year/:region_code", .bureau) { request, context in
            let year = try Request.year(context.parameters.get("year"))
            let input = try TargetInput.read(try await HTTPBody.json(request, context: context), year: year)
            let region = context.parameters.get("region_code") ?? ""
            let expected = try request.expectedVersion()
            return try await Self.put(request, context, location: request.uri.path) { actor in
                try await store.putTarget(year: year, regionCode: region, input, expected: expected, actor: actor)
            }
        }
        router.on(.get, "quotas", .bureauReads) { request, _ in
            let (year, list) = try yearList(request)
            return HTTPBody.response(try await store.quotas(year: year, after: list.after, limit: list.limit))
        }
        router.on(.put, "quotas/:year/:level/:region_code", .bureau) { request, context in
            let year = try Request.year(context.parameters.get("year"))
            let level = try Request.level(context.parameters.get("level"))
            let recommendations = try QuotaInput.read(try await HTTPBody.json(request, context: context))
            let region = context.parameters.get("region_code") ?? ""
            let expected = try request.expectedVersion()
            return try await Self.put(request, context, location: nil) { actor in
                try await store.putQuota(
                    year: year, level: level, regionCode: region, recommendations: recommendations, expected: expected, actor: actor)
            }
        }
        router.on(.get, "scoreboard", nil) { request, _ in
            let parameters = try request.queryParameters(allowed: ["year", "as_of"])
            let (year, asOf) = try Request.scoreboardDay(parameters, today: ChinaDay(store.clock.now()))
            return HTTPBody.response(json: try await store.scoreboard(year: year, asOf: asOf))
        }
        router.on(.get, "stats/overview", nil) { request, _ in
            _ = try request.queryParameters(allowed: [])
            return HTTPBody.response(json: try await store.overview())
        }
    }

    /// A year's list: `year` (default the current China-time year), `limit` and `after`.
    private func yearList(_ request: Request) throws -> (Int, ListRequest) {
        var list = try request.listRequest()
        let year = try Request.year(list.filters.removeValue(forKey: "year") ?? String(ChinaDay(store.clock.now()).year))
        try list.requireNoFilters(of: "this list (use year, limit or after)")
        return (year, list)
    }

    /// A `PUT` answers 201 when it created the record, 200 when it replaced it.
    /// `location`: where the record is read back (a target at the PUT's own path; a quota in its
    /// list, so none), which a creating PUT names.
    private static func put(
        _ request: Request, _ context: AppContext, location: String?, _ write: (WriteActor) async throws -> WriteOutcome
    ) async throws -> Response {
        let written = try await write(WriteActor(caller: context.caller, requestID: context.id)).written
        guard let document = written.document else { return HTTPBody.noContent() }
        return HTTPBody.response(document, status: written.created ? .created : .ok, location: written.created ? location : nil)
    }
}
