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

/// Passwords, sign-in and bearer credentials (session tokens and partner API keys).
extension Store {
    /// bcrypt's cost; tests lower it, production keeps the default.
    nonisolated(unsafe) public static var bcryptCost: UInt8 = 11

    /// Hashes are bcrypt over the password's SHA-256 (base64): bcrypt reads only 72 bytes, 24
    /// Chinese characters, and a pre-hash lets every byte count. Marked so that hashes made
    /// before the pre-hash (plain bcrypt) still verify.
    static let prehashedMark = "$cj1$"

    static func hashPassword(_ password: String) async throws -> String {
        let cost = bcryptCost
        let input = prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { prehashedMark + Bcrypt.hash(input, cost: cost) }
    }

    static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        let (input, bcrypt) =
            hash.hasPrefix(prehashedMark) ? (prehash(password), String(hash.dropFirst(prehashedMark.count))) : (password, hash)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: bcrypt) }
    }

    static func prehash(_ password: String) -> String { Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString() }

    static func tokenHash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    /// 256 random bits, base64url, behind a prefix that tells sessions (`cj_`) from keys (`cjk_`).
    public static func newSecret(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64URLEncoded
    }

    /// Checks the password and opens a session. A wrong username, a wrong password and a
    /// disabled account look alike and cost alike: an unknown username is checked against a
    /// dummy hash of the same cost as the real ones.
    public func login(
        username: String, password: String, address: String, lifetime: TimeInterval, requestID: String?
    ) async throws -> Session {
        let now = clock.now()
        // Counted before the password is checked, so parallel guesses cannot outrun the count.
        try await claimLoginAttempt(username: username, address: address, now: now)
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT a.id, a.password_hash, a.disabled_at IS NULL, a.role, coalesce(a.enterprise_id, a.college_id),
                       a.region_code, a.source
                FROM accounts a WHERE a.username = \(username)
                """, logger: logger
            ).decode((UUID, String, Bool, String, UUID?, String?, String?).self).all()
        }
        let known = rows.first
        let matches = try await Self.verifyPassword(password, hash: known?.1 ?? Self.dummyHash)
        guard matches, let (accountID, verifiedHash, enabled, role, organization, region, source) = known, enabled else {
            throw Problem(.unauthorized, title: "登录失败 (login failed)", detail: "username or password is wrong")
        }
        let token = Self.newSecret(prefix: "cj_")
        let sessionID = UUID()
        let expiresAt = now.addingTimeInterval(lifetime)
        let caller = Caller(
            credential: .session(sessionID), accountID: accountID, username: username, role: Role(rawValue: role),
            organizationID: organization, regionCode: region, source: source)
        let hash = Self.tokenHash(token)
        let written = try await write(WriteActor(caller: caller, requestID: requestID)) { connection in
            // A reset, a disable or "sign out everywhere" that committed while bcrypt ran must
            // win: the account is locked and checked again, so no session outlives them.
            let current = try await connection.query(
                "SELECT password_hash, disabled_at IS NULL FROM accounts WHERE id = \(accountID) FOR NO KEY UPDATE", logger: logger
            ).decode((String, Bool).self).all()
            guard let (hashNow, enabledNow) = current.first, hashNow == verifiedHash, enabledNow else {
                throw Problem(.unauthorized, title: "登录失败 (login failed)", detail: "username or password is wrong")
            }
            try await connection.query(
                """
                INSERT INTO sessions (id, token_hash, account_id, created_at, expires_at)
                VALUES (\(sessionID), \(hash), \(accountID), \(now), \(expiresAt))
                """, logger: logger)
            try await forgetLoginFailures(username: username, address: address, on: connection)
            try await connection.query("UPDATE accounts SET last_login_at = \(now) WHERE id = \(accountID)", logger: logger)
            return try await accountWritten(accountID, action: "logged_in", before: nil, on: connection)
        }.written
        return Session(token: token, expiresAt: expiresAt, account: written.document?.json ?? "{}")
    }

    /// Made once, at the cost real hashes have; `prepareDummyHash` makes it at start, on the
    /// thread pool, so no sign-in waits for it on an event loop.
    private static let dummyHash: String = {
        let cost = bcryptCost
        return prehashedMark + Bcrypt.hash(prehash("no account has this password"), cost: cost)
    }()

    public static func prepareDummyHash() async throws {
        try await NIOThreadPool.singleton.runIfActive { _ = dummyHash }
    }

    /// The caller behind a bearer credential, or nil when it is unknown, expired, revoked or
    /// disabled. Resolved credentials are cached briefly; every revocation empties the cache of
    /// every instance (see `ChannelListener.access`).
    public func caller(token: String) async throws -> Caller? {
        let hash = Self.tokenHash(token)
        let now = clock.now()
        if let cached = sessions.caller(hash, at: now) { return cached }
        let epoch = sessions.epoch
        let found = token.hasPrefix("cjk_") ? try await keyCaller(hash: hash, now: now) : try await sessionCaller(hash: hash, now: now)
        guard let (caller, expiresAt) = found else { return nil }
        sessions.remember(caller, for: hash, expiresAt: expiresAt, readAt: epoch)
        return caller
    }

    private func sessionCaller(hash: Data, now: Date) async throws -> (Caller, Date?)? {
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT s.id, \(unescaped: Self.accountColumns), s.expires_at
                FROM sessions s JOIN accounts a ON a.id = s.account_id \(unescaped: Self.accountJoins)
                WHERE s.token_hash = \(hash) AND s.revoked_at IS NULL AND s.expires_at > \(now) AND a.disabled_at IS NULL
                """, logger: logger
            ).decode((UUID, UUID, String, String, UUID?, String?, String?, String?, Date).self).all()
        }
        guard let (session, id, username, role, organization, status, region, source, expiresAt) = rows.first else { return nil }
        return (Self.accountCaller(.session(session), (id, username, role, organization, status, region, source)), expiresAt)
    }

    private func keyCaller(hash: Data, now: Date) async throws -> (Caller, Date?)? {
        let rows = try await read { connection in
            try await connection.query(
                """
                UPDATE api_keys k SET last_used_at = \(now) WHERE k.key_hash = \(hash) AND k.revoked_at IS NULL
                RETURNING \(unescaped: Self.keyColumns)
                """, logger: logger
            ).decode((UUID, [String], String?, UUID?, String?).self).all()
        }
        return rows.first.map { (Self.keyCaller($0), nil) }
    }

    /// Who an account or an API key is when no request is behind it (a webhook's owner, whose
    /// events are what it may see): nil once the account is disabled or the key revoked.
    func standingCaller(accountID: UUID?, apiKeyID: UUID?, on connection: PostgresConnection) async throws -> Caller? {
        if let apiKeyID {
            return try await connection.query(
                "SELECT \(unescaped: Self.keyColumns) FROM api_keys k WHERE k.id = \(apiKeyID) AND k.revoked_at IS NULL",
                logger: logger
            ).decode((UUID, [String], String?, UUID?, String?).self).all().first.map(Self.keyCaller)
        }
        guard let accountID else { return nil }
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.accountColumns) FROM accounts a \(unescaped: Self.accountJoins)
            WHERE a.id = \(accountID) AND a.disabled_at IS NULL
            """, logger: logger
        ).decode((UUID, String, String, UUID?, String?, String?, String?).self).all()
        // No credential: like `Caller.system`, it acts by its role alone.
        return rows.first.map { Self.accountCaller(.anonymous, $0) }
    }

    private static let accountColumns = """
        a.id, a.username, a.role, coalesce(a.enterprise_id, a.college_id), coalesce(e.status, c.status), a.region_code, a.source
        """
    private static let accountJoins = "LEFT JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN colleges c ON c.id = a.college_id"
    private static let keyColumns = "k.id, k.scopes, k.source, k.college_id, (SELECT status FROM colleges WHERE id = k.college_id)"

    private static func accountCaller(
        _ credential: Caller.Credential, _ row: (UUID, String, String, UUID?, String?, String?, String?)
    ) -> Caller {
        let (id, username, role, organization, status, region, source) = row
        return Caller(
            credential: credential, accountID: id, username: username, role: Role(rawValue: role),
            organizationID: organization, organizationStatus: status.flatMap(OrganizationStatus.init(rawValue:)),
            regionCode: region, source: source)
    }

    private static func keyCaller(_ row: (UUID, [String], String?, UUID?, String?)) -> Caller {
        let (id, scopes, source, college, status) = row
        return Caller(
            credential: .apiKey(id), organizationID: college, organizationStatus: status.flatMap(OrganizationStatus.init(rawValue:)),
            source: source, scopes: Set(scopes.compactMap(Scope.init(rawValue:))))
    }

    /// Revokes the caller's own session.
    public func logout(token: String, actor: WriteActor) async throws {
        let hash = Self.tokenHash(token)
        guard let accountID = actor.caller.accountID else { return }
        _ = try await write(actor) { connection in
            try await connection.query(
                "UPDATE sessions SET revoked_at = now() WHERE token_hash = \(hash) AND revoked_at IS NULL", logger: logger)
            var written = try await accountWritten(accountID, action: "logged_out", before: nil, on: connection)
            written.document = nil
            return written
        }
    }

    /// Creates the bootstrap bureau account when there is none. An existing one is left alone:
    /// its password may have been changed through the API since, and it may have been disabled
    /// on purpose; a restart must undo neither.
    public func ensureBureauAccount(username: String, password: String) async throws {
        if let problem = PasswordRules.problem(password, username: username) {
            throw Problem.invalid(field: "CHANJIAO_ADMIN_PASSWORD", problem)
        }
        let rows = try await read { connection in
            try await connection.query("SELECT password_hash FROM accounts WHERE username = \(username)", logger: logger)
                .decode(String.self).all()
        }
        if let hash = rows.first {
            if !(try await Self.verifyPassword(password, hash: hash)) {
                logger.notice(
                    "the bureau account exists with another password; CHANJIAO_ADMIN_PASSWORD only sets the first one",
                    metadata: ["username": "\(username)"])
            }
            return
        }
        let hash = try await Self.hashPassword(password)
        try await read { connection in
            try await connection.query(
                "INSERT INTO accounts (username, password_hash, role) VALUES (\(username), \(hash), 'bureau') ON CONFLICT (username) DO NOTHING",
                logger: logger)
        }
        logger.info("bureau account created", metadata: ["username": "\(username)"])
    }

    public static func id(of document: Document) throws -> UUID { try id(ofJSON: document.json) }

    /// The `id` member of a JSON object the database built.
    public static func id(ofJSON json: String) throws -> UUID {
        guard case .string(let text)? = try JSONValue.parse(Data(json.utf8))["id"], let id = UUID(uuidString: text)
        else { throw Problem.badRequest("record without id") }
        return id
    }
}
