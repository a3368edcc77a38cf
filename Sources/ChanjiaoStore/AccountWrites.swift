import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Accounts: created by the bureau or by self-registration; disabled, enabled and reset by the
/// bureau; each changes its own password. Accounts are audited, not in the change feed.
extension Store {
    /// An account's document after `action`, as the write path records it.
    func accountWritten(_ id: UUID, action: String, before: JSONValue?, created: Bool = false, on connection: PostgresConnection) async throws -> Written {
        let rows = try await connection.query("SELECT account_doc(a)::text FROM accounts a WHERE a.id = \(id)", logger: logger)
            .decode(String.self).all()
        guard let json = rows.first else { throw Problem.notFound("account \(id.text)") }
        let after = try JSONValue.parse(Data(json.utf8))
        let event = ChangeEvent(
            objectType: "account", action: action, before: before, after: after,
            changesAccess: !created && !["logged_in", "password_changed"].contains(action))
        return Written(id: id, document: Document(json: json, version: 1), created: created, event: event)
    }

    /// Locks an account for a bureau's change; 404 when there is none.
    private func lockAccount(_ id: UUID, on connection: PostgresConnection) async throws -> (JSONValue, role: String, disabled: Bool) {
        let rows = try await connection.query(
            "SELECT account_doc(a)::text, a.role, a.disabled_at IS NOT NULL FROM accounts a WHERE a.id = \(id) FOR NO KEY UPDATE",
            logger: logger
        ).decode((String, String, Bool).self).all()
        guard let (json, role, disabled) = rows.first else { throw Problem.notFound("account \(id.text)") }
        return (try JSONValue.parse(Data(json.utf8)), role, disabled)
    }

    /// The signed-in account with its organization's status and the reason for it.
    public func me(_ caller: Caller) async throws -> String {
        guard let id = caller.accountID else { throw Problem.forbidden("an API key has no account; /v1/me is for signed-in accounts") }
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT (account_doc(a)::jsonb || jsonb_build_object(
                    'organization', CASE
                        WHEN e.id IS NOT NULL THEN jsonb_build_object('id', e.id, 'kind', 'enterprise', 'name', e.name,
                            'status', e.status, 'status_reason', e.status_reason)
                        WHEN c.id IS NOT NULL THEN jsonb_build_object('id', c.id, 'kind', 'college', 'name', c.name,
                            'status', c.status, 'status_reason', c.status_reason)
                    END,
                    'credential', jsonb_build_object('kind', 'session', 'id', NULL)))::text
                FROM accounts a LEFT JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN colleges c ON c.id = a.college_id
                WHERE a.id = \(id)
                """, logger: logger
            ).decode(String.self).all()
        }
        guard let json = rows.first else { throw Problem.notFound("account \(id.text)") }
        return json
    }

    public func account(id: UUID) async throws -> String {
        let rows = try await read { connection in
            try await connection.query("SELECT account_doc(a)::text FROM accounts a WHERE a.id = \(id)", logger: logger)
                .decode(String.self).all()
        }
        guard let account = rows.first else { throw Problem.notFound("account \(id.text)") }
        return account
    }

    /// Accounts by id, filtered by `role`, `organization_id`, `region_code`, `disabled` and `q`
    /// (a part of the username).
    public func accounts(_ request: ListRequest) async throws -> Page {
        var sql = SQLComposer("SELECT account_doc(a)::text, a.id FROM accounts a WHERE true")
        var errors: [FieldError] = []
        for (name, value) in request.filters.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "role":
                if Role(rawValue: value) == nil {
                    errors.append(FieldError(field: name, message: "must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
                } else {
                    sql.append(" AND a.role = \(sql.bind(value))")
                }
            case "organization_id":
                if let id = UUID(uuidString: value) {
                    sql.append(" AND coalesce(a.enterprise_id, a.college_id) = \(sql.bind(id))")
                } else {
                    errors.append(FieldError(field: name, message: "must be a UUID"))
                }
            case "region_code":
                if let error = sql.regionReference(value, field: name) {
                    errors.append(error)
                } else {
                    sql.append(" AND a.region_code = \(sql.bind(value))")
                }
            case "disabled":
                if let flag = Bool(value) {
                    sql.append(flag ? " AND a.disabled_at IS NOT NULL" : " AND a.disabled_at IS NULL")
                } else {
                    errors.append(FieldError(field: name, message: "must be true or false"))
                }
            default:
                errors.append(FieldError(field: name, message: "is not a filter of accounts; use role, organization_id, region_code, disabled or q"))
            }
        }
        if request.archived { errors.append(FieldError(field: "archived", message: "accounts are disabled, not archived")) }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        if let q = request.query { sql.append(" AND strpos(a.username, lower(\(sql.bind(q)))) > 0") }
        return try await page(sql, after: request.after, limit: request.limit, key: "a.id")
    }

    /// The bureau creates accounts of any role; the organization or county must exist.
    public func createAccount(_ input: AccountInput, actor: WriteActor) async throws -> WriteOutcome {
        let hash = try await Self.hashPassword(input.password)
        return try await write(actor) { connection in
            let id = try await insertAccount(input, passwordHash: hash, on: connection)
            return try await accountWritten(id, action: "created", before: nil, created: true, on: connection)
        }
    }

    func insertAccount(_ input: AccountInput, passwordHash: String, on connection: PostgresConnection) async throws -> UUID {
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
            RETURNING a.id
            """, logger: logger
        ).decode(UUID.self).all()
        return rows[0]
    }

    /// Self-registration: the organization in `pending` status and its first account, together,
    /// as one write (one audit row naming the account, one outbox row for the organization).
    public func register(
        enterprise: EnterpriseInput?, college: CollegeInput?, account: AccountInput, actor: WriteActor
    ) async throws -> WriteOutcome {
        let hash = try await Self.hashPassword(account.password)
        return try await write(actor) { connection in
            var written: Written
            if let enterprise {
                written = try await insertEnterprise(enterprise, status: .pending, caller: actor.caller, on: connection)
            } else if let college {
                written = try await insertCollege(college, status: .pending, caller: actor.caller, on: connection)
            } else {
                throw Problem.invalid(field: "organization", "is required")
            }
            var input = account
            input.organizationID = written.id
            let accountID = try await insertAccount(input, passwordHash: hash, on: connection)
            let document = try await accountWritten(accountID, action: "created", before: nil, on: connection).document
            written.event.auditExtra = ["account_id": .string(accountID.uuidString.lowercased()), "account_username": .string(input.username)]
            // The response is the registration, not the organization alone.
            if let organization = written.document, let json = document?.json {
                let kind = enterprise != nil ? "enterprise" : "college"
                written.document = Document(
                    json: "{\"kind\":\"\(kind)\",\"organization\":\(organization.json),\"account\":\(json)}", version: organization.version)
            }
            return written
        }
    }

    /// Disables or enables an account. A disabled account's sessions stop at once everywhere.
    /// Nobody disables themselves, and the last enabled bureau account stays enabled.
    public func setDisabled(_ id: UUID, disabled: Bool, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            if id == actor.caller.accountID { throw Problem.conflict("an account cannot disable or enable itself") }
            if disabled {
                // Locks every enabled bureau account, so two bureau accounts disabling each other
                // at once cannot both succeed. NO KEY UPDATE: audit rows' foreign keys take KEY
                // SHARE on their author's account, which must not wait for this.
                let bureau = try await connection.query(
                    "SELECT id FROM accounts WHERE role = 'bureau' AND disabled_at IS NULL ORDER BY id FOR NO KEY UPDATE", logger: logger
                ).decode(UUID.self).all()
                if bureau == [id] { throw Problem.conflict("the last enabled bureau account cannot be disabled") }
            }
            let (before, _, _) = try await lockAccount(id, on: connection)
            try await connection.query(
                disabled
                    ? "UPDATE accounts SET disabled_at = coalesce(disabled_at, now()) WHERE id = \(id)"
                    : "UPDATE accounts SET disabled_at = NULL WHERE id = \(id)",
                logger: logger)
            if disabled {
                try await connection.query("UPDATE sessions SET revoked_at = now() WHERE account_id = \(id) AND revoked_at IS NULL", logger: logger)
            }
            return try await accountWritten(id, action: disabled ? "disabled" : "enabled", before: before, on: connection)
        }
    }

    /// The bureau sets a new password; the account's sessions end.
    public func resetPassword(_ id: UUID, password: String, actor: WriteActor) async throws {
        if id == actor.caller.accountID { throw Problem.conflict("reset your own password with POST /v1/me/password") }
        let username = try await read { connection in
            try await connection.query("SELECT username FROM accounts WHERE id = \(id)", logger: logger).decode(String.self).all()
        }
        guard let name = username.first else { throw Problem.notFound("account \(id.text)") }
        if let problem = PasswordRules.problem(password, username: name) { throw Problem.invalid(field: "password", problem) }
        let hash = try await Self.hashPassword(password)
        _ = try await write(actor) { connection in
            let (before, _, _) = try await lockAccount(id, on: connection)
            try await connection.query("UPDATE accounts SET password_hash = \(hash) WHERE id = \(id)", logger: logger)
            try await connection.query("UPDATE sessions SET revoked_at = now() WHERE account_id = \(id) AND revoked_at IS NULL", logger: logger)
            var written = try await accountWritten(id, action: "password_reset", before: before, on: connection)
            written.document = nil
            return written
        }
    }

    /// One's own password: the current one must be right; the account's other sessions end.
    /// A guess at the current password counts as a failed sign-in of the account from `address`
    /// (the sign-in throttle's), so a session left open cannot be used to guess it without limit.
    public func changeOwnPassword(current: String, new: String, address: String, actor: WriteActor) async throws {
        guard let id = actor.caller.accountID, case .session(let sessionID) = actor.caller.credential else {
            throw Problem.forbidden("only a signed-in account has a password")
        }
        let rows = try await read { connection in
            try await connection.query("SELECT username, password_hash FROM accounts WHERE id = \(id)", logger: logger)
                .decode((String, String).self).all()
        }
        guard let (username, hash) = rows.first else { throw Problem.notFound("account \(id.text)") }
        try await claimLoginAttempt(username: username, address: address, now: clock.now())
        var errors: [FieldError] = []
        if try await Self.verifyPassword(current, hash: hash) {
            try await read { connection in try await forgetLoginFailures(username: username, address: address, on: connection) }
        } else {
            errors.append(FieldError(field: "current", message: "is not the account's password"))
        }
        if let problem = PasswordRules.problem(new, username: username) { errors.append(FieldError(field: "new", message: problem)) }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        let newHash = try await Self.hashPassword(new)
        _ = try await write(actor) { connection in
            try await connection.query("UPDATE accounts SET password_hash = \(newHash) WHERE id = \(id)", logger: logger)
            try await connection.query(
                "UPDATE sessions SET revoked_at = now() WHERE account_id = \(id) AND id <> \(sessionID) AND revoked_at IS NULL",
                logger: logger)
            var written = try await accountWritten(id, action: "password_changed", before: nil, on: connection)
            written.event.changesAccess = true
            written.document = nil
            return written
        }
    }

    /// Ends every session of an account (the bureau's "sign out everywhere").
    public func revokeSessions(_ id: UUID, actor: WriteActor) async throws {
        _ = try await write(actor) { connection in
            let (before, _, _) = try await lockAccount(id, on: connection)
            try await connection.query("UPDATE sessions SET revoked_at = now() WHERE account_id = \(id) AND revoked_at IS NULL", logger: logger)
            var written = try await accountWritten(id, action: "sessions_revoked", before: before, on: connection)
            written.document = nil
            return written
        }
    }
}
