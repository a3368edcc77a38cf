import ChanjiaoDomain
import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import PostgresNIO

/// A signed-in session: the bearer token (shown once) and when it expires.
public struct Session: Sendable {
    public var token: String
    public var expiresAt: Date
    public var account: String
}

/// Accounts, passwords and bearer tokens.
extension Store {
    public static let sessionLifetime: TimeInterval = 12 * 3600
    /// bcrypt's cost; tests lower it, production keeps the default.
    nonisolated(unsafe) public static var bcryptCost: UInt8 = 11

    static func hashPassword(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func tokenHash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    private static let accountDoc = """
        json_build_object('id', a.id, 'username', a.username, 'role', a.role,
            'organization_id', coalesce(a.enterprise_id, a.college_id), 'region_code', a.region_code,
            'source', a.source)::text
        """

    /// Checks the password and opens a session. Wrong username and wrong password look alike.
    public func login(username: String, password: String) async throws -> Session {
        let rows = try await read { connection in
            try await connection.query(
                "SELECT a.id, a.password_hash, \(unescaped: Self.accountDoc) FROM accounts a WHERE a.username = \(username.lowercased())",
                logger: logger
            ).decode((UUID, String, String).self).all()
        }
        let known = rows.first
        // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
        let ok = try await Self.verifyPassword(password, hash: known?.1 ?? Self.dummyHash) && known != nil
        guard ok, let (accountID, _, account) = known else {
            throw Problem(.unauthorized, title: "登录失败 (login failed)", detail: "username or password is wrong")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max) }
        let token = "cj_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let expiresAt = Date(timeIntervalSinceNow: Self.sessionLifetime)
        let hash = Self.tokenHash(token)
        try await read { connection in
            try await connection.query(
                "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (\(hash), \(accountID), \(expiresAt))",
                logger: logger)
        }
        return Session(token: token, expiresAt: expiresAt, account: account)
    }

    private static let dummyHash = Bcrypt.hash("not a real password", cost: 4)

    /// The caller behind a bearer token, or nil when it is unknown, expired or revoked.
    public func caller(token: String) async throws -> Caller? {
        let hash = Self.tokenHash(token)
        if let cached = sessions.caller(hash) { return cached }
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT a.id, a.username, a.role, coalesce(a.enterprise_id, a.college_id), a.region_code, a.source
                FROM sessions s JOIN accounts a ON a.id = s.account_id
                WHERE s.token_hash = \(hash) AND s.revoked_at IS NULL AND s.expires_at > now()
                """, logger: logger
            ).decode((UUID, String, String, UUID?, String?, String?).self).all()
        }
        guard let (id, username, role, organization, region, source) = rows.first else { return nil }
        let caller = Caller(
            accountID: id, username: username, role: Role(rawValue: role), organizationID: organization,
            regionCode: region, source: source)
        sessions.remember(caller, for: hash)
        return caller
    }

    public func logout(token: String) async throws {
        let hash = Self.tokenHash(token)
        sessions.forget(hash)
        try await read { connection in
            try await connection.query("UPDATE sessions SET revoked_at = now() WHERE token_hash = \(hash) AND revoked_at IS NULL", logger: logger)
        }
    }

    public func account(id: UUID) async throws -> String {
        let rows = try await read { connection in
            try await connection.query("SELECT \(unescaped: Self.accountDoc) FROM accounts a WHERE a.id = \(id)", logger: logger)
                .decode(String.self).all()
        }
        guard let account = rows.first else { throw Problem.notFound("account \(id)") }
        return account
    }

    /// The bureau creates accounts of any role; the organization or county must exist.
    public func createAccount(_ input: AccountInput, caller: Caller) async throws -> String {
        try caller.requireBureau()
        let hash = try await Self.hashPassword(input.password)
        return try await transaction { connection in
            try await insertAccount(input, passwordHash: hash, on: connection)
        }
    }

    func insertAccount(_ input: AccountInput, passwordHash: String, on connection: PostgresConnection) async throws -> String {
        if let region = input.regionCode {
            try await checkReferences([CodeReference(.region, region, field: "region_code")], on: connection)
        }
        if let organization = input.organizationID {
            let table = input.role == .enterprise ? "enterprises" : "colleges"
            var check = SQLComposer("SELECT count(*)::int FROM \(table) WHERE id = ")
            check.append(check.bind(organization))
            let found = try await connection.query(check.query, logger: logger).decode(Int.self).all()
            if found.first != 1 {
                throw Problem.invalid(field: "organization_id", "no \(input.role == .enterprise ? "enterprise" : "college") has this id")
            }
        }
        let enterprise = input.role == .enterprise ? input.organizationID : nil
        let college = input.role == .college ? input.organizationID : nil
        let rows = try await connection.query(
            """
            INSERT INTO accounts AS a (username, password_hash, role, enterprise_id, college_id, region_code, source)
            VALUES (\(input.username), \(passwordHash), \(input.role.rawValue), \(enterprise), \(college),
                    \(input.regionCode), \(input.source))
            RETURNING \(unescaped: Self.accountDoc)
            """, logger: logger
        ).decode(String.self).all()
        return rows[0]
    }

    /// Self-registration: the organization in `pending` status and its first account, together.
    public func register(
        enterprise: EnterpriseInput?, college: CollegeInput?, account: AccountInput
    ) async throws -> (organization: Document, account: String) {
        let hash = try await Self.hashPassword(account.password)
        return try await transaction { connection in
            let organization: Document
            let id: UUID
            if let enterprise {
                organization = try await insertEnterprise(enterprise, status: .pending, caller: .anonymous, on: connection)
                id = try Self.id(of: organization)
            } else if let college {
                organization = try await insertCollege(college, status: .pending, caller: .anonymous, on: connection)
                id = try Self.id(of: organization)
            } else {
                throw Problem.invalid(field: "organization", "is required")
            }
            var input = account
            input.organizationID = id
            let created = try await insertAccount(input, passwordHash: hash, on: connection)
            return (organization, created)
        }
    }

    /// Creates the bootstrap bureau account, or resets its password to the configured one.
    public func ensureBureauAccount(username: String, password: String) async throws {
        let rows = try await read { connection in
            try await connection.query("SELECT password_hash FROM accounts WHERE username = \(username)", logger: logger)
                .decode(String.self).all()
        }
        if let hash = rows.first, try await Self.verifyPassword(password, hash: hash) { return }
        let hash = try await Self.hashPassword(password)
        try await read { connection in
            try await connection.query(
                """
                INSERT INTO accounts (username, password_hash, role) VALUES (\(username), \(hash), 'bureau')
                ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash
                """, logger: logger)
        }
        logger.info("bureau account ready", metadata: ["username": "\(username)"])
    }

    public static func id(of document: Document) throws -> UUID { try id(ofJSON: document.json) }

    /// The `id` member of a JSON object the database built.
    public static func id(ofJSON json: String) throws -> UUID {
        guard case .object(let fields) = try JSONValue.parse(Data(json.utf8)),
            case .string(let text) = fields["id"], let id = UUID(uuidString: text)
        else { throw Problem.badRequest("record without id") }
        return id
    }
}
