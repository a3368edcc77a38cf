import ChanjiaoDomain
import Hummingbird
import HummingbirdAuth
import NIOCore
import Synchronization

/// The per-request context: who is calling (set by `AuthMiddleware`) and where from.
public struct AppContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil without credentials (hummingbird-auth's policy middleware
    /// answers 401 then).
    public var identity: Caller? {
        didSet { seen.set(identity) }
    }
    /// The bearer credential as sent, so logout can revoke exactly it.
    public var bearerToken: String?
    public let remoteAddress: SocketAddress?
    /// The caller, shared with the middleware outside `AuthMiddleware` (contexts are copied on
    /// the way in, so the request log would not see it otherwise).
    let seen = SeenCaller()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var caller: Caller { identity ?? .anonymous }

    /// Request bodies above this are refused with 413 before they are read to the end.
    public var maxUploadSize: Int { HTTPBody.maxJSONBytes }
}

/// A caller box that survives the context's copies.
final class SeenCaller: Sendable {
    private let value = Mutex<Caller?>(nil)
    func set(_ caller: Caller?) { value.withLock { $0 = caller } }
    var caller: Caller? { value.withLock { $0 } }
}
