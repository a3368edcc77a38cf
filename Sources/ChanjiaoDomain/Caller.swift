import Foundation

/// Who is asking: the credential it came with, the account's role and what it belongs to, or
/// nobody. Set once per request by the API's authentication; everything below reads it.
public struct Caller: Sendable, Equatable {
    /// How the caller proved who it is. The id is the session's or the API key's, for the audit.
    public enum Credential: Sendable, Equatable {
        case anonymous
        case session(UUID)
        case apiKey(UUID)

        public var kind: String {
            switch self {
            case .anonymous: "anonymous"
            case .session: "session"
            case .apiKey: "api_key"
            }
        }

        public var id: UUID? {
            switch self {
            case .anonymous: nil
            case .session(let id), .apiKey(let id): id
            }
        }
    }

    public var credential: Credential
    public var accountID: UUID?
    public var username: String?
    /// The account's role; nil for anonymous callers and API keys (keys have scopes instead).
    public var role: Role?
    /// The enterprise or college an `enterprise`/`college` account acts for, or a key's college.
    public var organizationID: UUID?
    /// That organization's status: a suspended organization's accounts read but do not write.
    public var organizationStatus: OrganizationStatus?
    /// The county a `county` officer answers for.
    public var regionCode: String?
    /// A partner's data source (the `source` of the talents it pushes), an account's or a key's.
    public var source: String?
    /// What an API key may do (empty for sessions).
    public var scopes: Set<Scope>

    public init(
        credential: Credential = .anonymous, accountID: UUID? = nil, username: String? = nil, role: Role? = nil,
        organizationID: UUID? = nil, organizationStatus: OrganizationStatus? = nil, regionCode: String? = nil,
        source: String? = nil, scopes: Set<Scope> = []
    ) {
        self.credential = credential
        self.accountID = accountID
        self.username = username
        self.role = role
        self.organizationID = organizationID
        self.organizationStatus = organizationStatus
        self.regionCode = regionCode
        self.source = source
        self.scopes = scopes
    }

    public static let anonymous = Caller()

    /// The bureau acting by itself: seeders and start-up work, which no request makes.
    public static let system = Caller(role: .bureau)

    public var isSignedIn: Bool { credential != .anonymous || role != nil }
    public var isBureau: Bool { role == .bureau }
    public var isAPIKey: Bool { if case .apiKey = credential { true } else { false } }
    /// The bureau and the viewers read everything (viewers never see unmasked personal data).
    public var readsEverything: Bool { role == .bureau || role == .viewer }

    /// The caller as SQL predicates see it: its role, `key` for an API key, or `anonymous`.
    public var sqlRole: String { role?.rawValue ?? (isAPIKey ? "key" : "anonymous") }
}
