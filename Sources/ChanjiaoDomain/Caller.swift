import Foundation

/// Who is asking: the signed-in account's role and what it belongs to, or nobody.
public struct Caller: Sendable, Equatable {
    public var accountID: UUID?
    public var username: String?
    public var role: Role?
    /// The enterprise or college an `enterprise`/`college` account acts for.
    public var organizationID: UUID?
    /// The county a `county` officer answers for.
    public var regionCode: String?
    /// A partner's data source (the `source` of the talents it pushes).
    public var source: String?

    public init(
        accountID: UUID? = nil, username: String? = nil, role: Role? = nil,
        organizationID: UUID? = nil, regionCode: String? = nil, source: String? = nil
    ) {
        self.accountID = accountID
        self.username = username
        self.role = role
        self.organizationID = organizationID
        self.regionCode = regionCode
        self.source = source
    }

    public static let anonymous = Caller()

    public var isSignedIn: Bool { role != nil }
    public var isBureau: Bool { role == .bureau }

    public func requireSignedIn() throws(Problem) {
        if !isSignedIn { throw Problem.unauthorized }
    }

    public func requireBureau() throws(Problem) {
        try requireSignedIn()
        if !isBureau { throw Problem.forbidden("only the city bureau may do this") }
    }
}
