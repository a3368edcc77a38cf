import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The change feed: the outbox, paged by cursor, as the caller may see it; a long poll with
/// `wait`. The bureau and viewers read it with a session, partners with a `feed:read` key.
struct FeedRoutes {
    let store: Store

    static let readers = AccessPolicy.reads([.bureau, .viewer], scopes: [.feedRead])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.get, "changes", Self.readers) { request, context in
            HTTPBody.response(json: try await store.changes(try Self.feedRequest(request), caller: context.caller))
        }
    }

    /// `after` (a cursor this feed returned), `limit` 1…200, `types` (comma-separated event
    /// types), `wait` 0…30 seconds.
    static func feedRequest(_ request: Request) throws -> FeedRequest {
        let parameters = try request.queryParameters(allowed: ["after", "limit", "types", "wait"])
        var feed = FeedRequest()
        var errors: [FieldError] = []
        if let text = parameters["after"] {
            if let cursor = FeedCursor(text) { feed.after = cursor } else { errors.append(FieldError(field: "after", message: "is not a cursor this feed returned")) }
        }
        if let text = parameters["limit"] {
            do { feed.limit = try Request.limit(text) } catch { errors += error.errors }
        }
        if let text = parameters["types"] {
            let types = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let unknown = types.filter { !FeedEventType.all.contains($0) }
            if types.count > 50 || !unknown.isEmpty {
                errors.append(FieldError(field: "types", message: "must list up to 50 event types such as program.created, comma-separated"))
            } else {
                feed.types = types
            }
        }
        if let text = parameters["wait"] {
            if let seconds = Int(text), (0...30).contains(seconds) {
                feed.wait = .seconds(seconds)
            } else {
                errors.append(FieldError(field: "wait", message: "must be a whole number of seconds from 0 to 30"))
            }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return feed
    }
}
