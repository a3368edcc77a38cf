import ChanjiaoDomain
import Hummingbird

/// The per-request context: who is calling, set by `AuthMiddleware`.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller = .anonymous
    /// The bearer token as sent, so logout can revoke exactly it.
    public var bearerToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Request bodies above this are refused with 413 before they are read to the end.
    public var maxUploadSize: Int { HTTPBody.maxJSONBytes }
}
