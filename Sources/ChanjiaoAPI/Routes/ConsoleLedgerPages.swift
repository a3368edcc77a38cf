import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The console's rewards and targets pages and their forms (the bureau's), through the same
/// readers and store writes as `/v1/rewards/{id}/{action}`, `/v1/targets` and `/v1/quotas`.
struct ConsoleLedgerPages {
    let store: Store
    let console: ConsoleRenderer

    func register(on router: Router<AppContext>) {
        router.on(.get, "console/rewards", ConsoleRoutes.page(.rewards)) { request, context in
            try await rewards(request, context, problem: nil)
        }
        for action in Workflow<RewardStatus, RewardParty>.rewards.actions {
            router.on(.post, "console/rewards/:id/\(action)", .bureau) { request, context in
                let id = try request.uuidParameter(context)
                let form = try await ConsoleSession.form(request, context)
                do {
                    let move = try CertificationRoutes.rewardMove(action, form.json(Self.rewardFields[action] ?? [:]))
                    _ = try await store.moveReward(
                        id: id, move, expected: try ConsoleRoutes.version(form), actor: WriteActor(caller: context.caller, requestID: context.id))
                    return HTMLBody.redirect("/console/rewards?done=\(action)")
                } catch let problem as Problem {
                    return try await rewards(request, context, problem: problem)
                }
            }
        }
        router.on(.get, "console/targets", ConsoleRoutes.page(.targets)) { request, context in
            try await targets(request, context, problem: nil)
        }
        router.on(.post, "console/targets/:year/:region_code", .bureau) { request, context in
            let year = try Request.year(context.parameters.get("year"))
            let region = context.parameters.get("region_code") ?? ""
            let form = try await ConsoleSession.form(request, context)
            do {
                let input = try TargetInput.read(
                    form.json([
                        "submitted": .integer, "certified": .integer, "deadline": .text, "responsible.name": .text,
                        "responsible.title": .text, "responsible.phone": .text,
                    ]), year: year)
                _ = try await store.putTarget(year: year, regionCode: region, input, actor: WriteActor(caller: context.caller, requestID: context.id))
                return HTMLBody.redirect("/console/targets?year=\(year)&done=target")
            } catch let problem as Problem {
                return try await targets(request, context, problem: problem, year: year)
            }
        }
        router.on(.post, "console/quotas/:year/:level/:region_code", .bureau) { request, context in
            let year = try Request.year(context.parameters.get("year"))
            let level = try Request.level(context.parameters.get("level"))
            let region = context.parameters.get("region_code") ?? ""
            let form = try await ConsoleSession.form(request, context)
            do {
                let recommendations = try QuotaInput.read(form.json(["recommendations": .integer]))
                _ = try await store.putQuota(
                    year: year, level: level, regionCode: region, recommendations: recommendations,
                    actor: WriteActor(caller: context.caller, requestID: context.id))
                return HTMLBody.redirect("/console/targets?year=\(year)&done=quota")
            } catch let problem as Problem {
                return try await targets(request, context, problem: problem, year: year)
            }
        }
    }

    /// The fields of each reward form, as their routes' bodies name them (`confirm` has none).
    static let rewardFields: [String: [String: FormFields.Kind]] = [
        "disburse": ["paid_on": .text, "voucher_no": .text], "cancel": ["reason": .text],
    ]

    private func rewards(_ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let caller = context.caller
        var list = request.method == .get ? try request.listRequest(excluding: ["done"]) : ListRequest()
        list.limit = min(list.limit, 100)
        let filters = ListRequest(filters: list.filters)
        func totals(_ group: String) async throws -> JSONValue {
            try JSONValue.parse(try await store.rewardTotals(groupBy: group, filters, caller: caller))
        }
        let page = try await store.rewards(list, caller: caller)
        let view = RewardsView(
            byCounty: try await totals("county"), byLevel: try await totals("level"), byStatus: try await totals("status"),
            items: try page.documents(), regionNames: try await ConsoleRoutes.regionNames(store),
            account: caller.accountID?.text ?? "", mayMove: caller.role == .bureau, filters: list.filters, nextCursor: page.nextCursor,
            today: ChinaDay(store.clock.now()).description)
        let chrome = ConsoleSession.chrome(context, current: .rewards, request: request, problem: problem)
        return HTMLBody.page(console.render("rewards", ["chrome": chrome, "rewards": view] as [String: Any]), status: problem?.status ?? .ok)
    }

    private func targets(_ request: Request, _ context: AppContext, problem: Problem?, year given: Int? = nil) async throws -> Response {
        let caller = context.caller
        let year: Int
        if let given {
            year = given
        } else {
            let parameters = try request.queryParameters(allowed: ["year", "done"])
            year = try Request.year(parameters["year"] ?? String(ChinaDay(store.clock.now()).year))
        }
        let targets = try await store.targets(year: year, after: nil, limit: ListRequest.maxLimit, caller: caller)
        let quotas = caller.role == .county ? nil : try await store.quotas(year: year, after: nil, limit: ListRequest.maxLimit)
        // A county officer's page is their county's.
        let counties = try await ConsoleRoutes.regionNames(store).sorted { $0.key < $1.key }
            .filter { caller.role != .county || $0.key == caller.regionCode }.map { (code: $0.key, name: $0.value) }
        let view = TargetsView(
            year: year, targets: try targets.documents(),
            quotas: try quotas?.documents(), counties: counties,
            editable: caller.role == .bureau)
        let chrome = ConsoleSession.chrome(context, current: .targets, request: request, problem: problem)
        return HTMLBody.page(console.render("targets", ["chrome": chrome, "targets": view] as [String: Any]), status: problem?.status ?? .ok)
    }
}
