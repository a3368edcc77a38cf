import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Certifications: created by an approval (`moveApplication`), public, revoked by the bureau
/// (撤销) with their reward cancelled or marked for recovery in the same write.
extension Store {
    public func certification(id: UUID) async throws -> Document {
        try await visibleDocument("certification", id: id, caller: .anonymous)
    }

    /// Every certification by id, filtered by `level`, `status`, `region_code` and `enterprise_id`.
    public func certifications(_ request: ListRequest) async throws -> Page {
        var sql = SQLComposer()
        sql.append("SELECT certification_doc(r)::text, r.id FROM certifications r WHERE true")
        try sql.appendFilters(
            request, of: "certifications",
            [.oneOf("level", "r.level", CertificationLevel.self), .oneOf("status", "r.status", ["active", "revoked"]),
             .region("region_code", "r.region_code"), .uuid("enterprise_id", "r.enterprise_id")])
        return try await page(sql, after: request.after, limit: request.limit, key: "r.id")
    }

    /// 撤销: the certification is `revoked`; its reward, unless already settled, is cancelled
    /// (nothing paid) or marked `recovery_due` (a payment was recorded).
    public func revokeCertification(id: UUID, input: ReasonInput, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let rows = try await connection.query(
                "SELECT certification_doc(r)::text, r.version, r.status FROM certifications r WHERE r.id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int, String).self).all()
            guard let (before, version, status) = rows.first else { throw Problem.notFound("certification \(id.text)") }
            guard status == "active" else { throw Problem.conflict("the certification is already revoked") }
            if let expected, expected != version { throw Problem.stale(current: version) }
            let updated = try await connection.query(
                """
                UPDATE certifications r SET status = 'revoked', revoked_reason = \(input.reason),
                    revoked_document_no = \(input.documentNo), version = version + 1, updated_at = now()
                WHERE r.id = \(id) RETURNING certification_doc(r)::text, r.version
                """, logger: logger
            ).decode((String, Int).self).all()
            let (after, newVersion) = updated[0]
            var event = ChangeEvent(
                objectType: "certification", action: "revoked", before: try JSONValue.parse(Data(before.utf8)),
                after: try JSONValue.parse(Data(after.utf8)), feed: (.certification, true))
            let reward = try await connection.query(
                "SELECT r.id, reward_doc(r)::text, r.status FROM rewards r WHERE r.certification_id = \(id) FOR UPDATE", logger: logger
            ).decode((UUID, String, String).self).all()
            if let (rewardID, rewardBefore, rewardStatus) = reward.first,
                let next = Workflow<RewardStatus, RewardParty>.onRevoke(RewardStatus(rawValue: rewardStatus) ?? .cancelled)
            {
                let moved = try await connection.query(
                    """
                    UPDATE rewards r SET status = \(next.rawValue), reason = \(input.reason), version = version + 1, updated_at = now()
                    WHERE r.id = \(rewardID) RETURNING reward_doc(r)::text
                    """, logger: logger
                ).decode(String.self).all()[0]
                event.followUps = [
                    FollowUp(
                        id: rewardID,
                        event: ChangeEvent(
                            objectType: "reward", action: next.rawValue, before: try JSONValue.parse(Data(rewardBefore.utf8)),
                            after: try JSONValue.parse(Data(moved.utf8)), feed: (.reward, false)))
                ]
            }
            return Written(id: id, document: Document(json: after, version: newVersion), event: event)
        }
    }
}
