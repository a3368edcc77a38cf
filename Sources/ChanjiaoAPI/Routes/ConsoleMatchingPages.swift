import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The console's matching page (the latest run, its gaps, a button to start one) and the audit
/// log, from the store functions behind `/v1/match-runs` and `/v1/audit-events`.
struct ConsoleMatchingPages {
    let store: Store
    let console: ConsoleRenderer

    func register(on router: Router<AppContext>) {
        router.on(.get, "console/matching", ConsoleRoutes.page(.matching)) { request, context in
            _ = try request.queryParameters(allowed: ["done"])
            let latest = try await store.matchRuns(ListRequest(limit: 1)).documents().first
            var gaps: JSONValue?
            if let latest, latest["status"] == .string("done"), case .string(let id)? = latest["id"], let runID = UUID(uuidString: id) {
                gaps = try JSONValue.parse(try await store.matchRunGaps(id: runID))
            }
            var names = try await ConsoleRoutes.regionNames(store)
            if let gaps {
                let shown = MatchingView.shownCodes(gaps)
                // A code no longer in the taxonomy is shown as it is.
                for (list, codes) in [(ReferenceList.occupations, shown.occupations), (.specialties, shown.specialties)] {
                    names.merge(try await store.referenceNames(list, codes: codes)) { _, name in name }
                }
            }
            let view = MatchingView(run: latest, gaps: gaps, names: names, mayStart: context.caller.role == .bureau)
            let chrome = ConsoleSession.chrome(context, current: .matching, request: request, problem: nil)
            return HTMLBody.page(console.render("matching", ["chrome": chrome, "matching": view] as [String: Any]))
        }
        router.on(.post, "console/match-runs", .bureau) { request, context in
            _ = try await ConsoleSession.form(request, context)
            _ = try await store.createMatchRun(try MatchRunScope.read(.object([:])), actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTMLBody.redirect("/console/matching?done=run")
        }
        router.on(.get, "console/audit", ConsoleRoutes.page(.audit)) { request, context in
            var list = try request.listRequest()
            list.limit = min(list.limit, 100)
            let page = try await store.auditEvents(list)
            let view = AuditView(items: try page.documents(), filters: list.filters, nextCursor: page.nextCursor)
            return HTMLBody.page(console.render("audit", ["chrome": ConsoleSession.chrome(context, current: .audit), "audit": view] as [String: Any]))
        }
    }
}
