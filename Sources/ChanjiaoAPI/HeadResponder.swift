import HTTPTypes
import Hummingbird

/// HEAD as RFC 9110 asks of every server: the GET of the same target, answered with its status
/// and headers and without its body; `Content-Length` the GET's, or none where the GET streams.
/// The router matches methods before any middleware runs, so this wraps the router's responder
/// rather than being one.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        let response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        // An empty body would say `Content-Length: 0`.
        var answer = Response(status: response.status, headers: response.headers)
        answer.headers[.contentLength] = response.headers[.contentLength]
        return answer
    }
}
