import HTTPTypes
import Hummingbird

/// HEAD as RFC 9110 asks of every server: the GET of the same target, answered with its status
/// and headers and without its body. The router matches methods before any middleware runs, so
/// this wraps the router's responder rather than being one.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        response.body = ResponseBody()
        return response
    }
}
