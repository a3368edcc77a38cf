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
            let latest = try await store.matchRuns(ListRequest(limit: 1)).items.first.map { try JSONValue.parse(Data($0.utf8)) }
            var gaps: JSONValue?
            if let latest, latest["status"] == .string("done"), case .string(let id)? = latest["id"], let runID = UUID(uuidString: id) {
                gaps = try JSONValue.parse(Data(try await store.matchRunGaps(id: runID).utf8))
            }
            var names = try await ConsoleRoutes.regionNames(store)
            if let gaps {
                let shown = MatchingView.shownCodes(gaps)
                for (list, codes) in [(ReferenceList.occupations, shown.occupations), (.specialties, shown.specialties)] {
                    for code in codes {
                        // A code no longer in the taxonomy is shown as it is.
                        guard let json = try? await store.reference(list, code: code), case .string(let name)? = try JSONValue.parse(Data(json.utf8))["name"] else { continue }
                        names[code] = name
                    }
                }
            }
            let view = MatchingView(run: latest, gaps: gaps, names: names, mayStart: context.caller.role == .bureau)
            var chrome = ConsoleSession.chrome(context, current: .matching)
            chrome.notice = request.uri.queryParameters["done"] != nil ? "已开始新的匹配计算" : nil
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
            let view = AuditView(items: try page.items.map { try JSONValue.parse(Data($0.utf8)) }, filters: list.filters, nextCursor: page.nextCursor)
            return HTMLBody.page(console.render("audit", ["chrome": ConsoleSession.chrome(context, current: .audit), "audit": view] as [String: Any]))
        }
    }
}
