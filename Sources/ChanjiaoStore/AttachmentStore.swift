import ChanjiaoDomain
import Crypto
import Foundation
import PostgresNIO

/// An application's files (申报书 and evidence), stored in PostgreSQL with their SHA-256:
/// added and removed by the enterprise while the application is `draft` or `returned`, read by
/// everyone who may see the application.
extension Store {
    /// At most this many files per application.
    public static let attachmentsPerApplication = 20

    public func addAttachment(applicationID: UUID, file: AttachmentFile, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            try await lockEditableApplication(applicationID, caller: actor.caller, on: connection)
            let count = try await connection.query(
                "SELECT count(*)::int FROM application_attachments WHERE application_id = \(applicationID)", logger: logger
            ).decode(Int.self).all()[0]
            if count >= Self.attachmentsPerApplication {
                throw Problem.conflict("an application holds at most \(Self.attachmentsPerApplication) attachments; delete one first")
            }
            let rows = try await connection.query(
                """
                INSERT INTO application_attachments AS r (application_id, filename, content_type, size, sha256, content, account_id)
                VALUES (\(applicationID), \(file.filename), \(file.contentType.rawValue), \(file.content.count), \(file.sha256),
                        \(ByteBuffer(bytes: file.content)), \(actor.caller.accountID))
                RETURNING r.id, attachment_doc(r)::text
                """, logger: logger
            ).decode((UUID, String).self).all()
            let (id, json) = rows[0]
            let event = ChangeEvent(objectType: "attachment", action: "created", before: nil, after: try JSONValue.parse(Data(json.utf8)))
            return Written(id: id, document: Document(json: json, version: 1), created: true, event: event)
        }
    }

    public func deleteAttachment(applicationID: UUID, id: UUID, actor: WriteActor) async throws {
        _ = try await write(actor) { connection in
            try await lockEditableApplication(applicationID, caller: actor.caller, on: connection)
            let rows = try await connection.query(
                """
                DELETE FROM application_attachments r WHERE r.id = \(id) AND r.application_id = \(applicationID)
                RETURNING attachment_doc(r)::text
                """, logger: logger
            ).decode(String.self).all()
            guard let json = rows.first else { throw Problem.notFound("attachment \(id.text)") }
            let event = ChangeEvent(objectType: "attachment", action: "deleted", before: try JSONValue.parse(Data(json.utf8)), after: nil)
            return Written(id: id, document: nil, event: event)
        }
    }

    /// The application, locked, when the caller is its enterprise and it may still change.
    private func lockEditableApplication(_ id: UUID, caller: Caller, on connection: PostgresConnection) async throws {
        let current = try await lockApplication(id, caller: caller, on: connection)
        guard caller.role == .enterprise, caller.organizationID == current.enterprise else {
            throw Problem.forbidden("only the applying enterprise changes its attachments")
        }
        guard [.draft, .returned].contains(current.status) else {
            throw Problem.conflict("a \(current.status.rawValue) application's attachments cannot change (only a draft or returned one's)")
        }
    }

    public func attachments(applicationID: UUID, _ request: ListRequest, caller: Caller) async throws -> Page {
        try request.requireNoFilters(of: "an application's attachments")
        _ = try await application(id: applicationID, caller: caller)
        var sql = SQLComposer()
        sql.append("SELECT attachment_doc(r)::text, r.id FROM application_attachments r WHERE r.application_id = \(sql.bind(applicationID))")
        return try await page(sql, after: request.after, limit: request.limit, key: "r.id")
    }

    /// The file itself: name, media type and bytes.
    public func attachment(applicationID: UUID, id: UUID, caller: Caller) async throws -> (filename: String, contentType: String, content: [UInt8]) {
        _ = try await application(id: applicationID, caller: caller)
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT filename, content_type, content FROM application_attachments WHERE id = \(id) AND application_id = \(applicationID)
                """, logger: logger
            ).decode((String, String, ByteBuffer).self).all()
        }
        guard let (filename, contentType, content) = rows.first else { throw Problem.notFound("attachment \(id.text)") }
        return (filename, contentType, Array(content.readableBytesView))
    }
}

/// An uploaded file, checked: its name, a media type its first bytes agree with, its digest.
public struct AttachmentFile: Sendable {
    public var filename: String
    public var contentType: AttachmentType
    public var content: [UInt8]
    public var sha256: String

    public init(filename: String, contentType: AttachmentType, content: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.content = content
        self.sha256 = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
    }
}
