/// What the audit log keeps of a change: the before and after values of status, money and
/// identity fields — never a talent's name or phone, of which only the fact of a change is kept.
public enum AuditRecord {
    /// The fields kept, by object type. Types not named here keep nothing but the event itself.
    public static let auditedFields: [String: [String]] = [
        "enterprise": ["status", "status_reason", "name", "uscc", "uscc_override", "region_code", "archived"],
        "college": ["status", "status_reason", "name", "school_code", "region_code", "archived"],
        "program": ["status", "college_id", "title", "capacity", "region_code"],
        "demand": ["status", "enterprise_id", "title", "headcount", "region_code", "archived"],
        "talent": ["source", "external_id"],
        "account": ["username", "role", "organization_id", "region_code", "source", "disabled"],
        "api_key": ["name", "scopes", "source", "organization_id", "revoked_at"],
        "match_run": ["status", "scope"],
        "cooperation": ["status", "demand_id", "program_id", "mode", "seats", "completed_on", "trainees"],
        "application": ["status", "enterprise_id", "region_code", "level", "year", "decided_on", "document_no", "note"],
        "attachment": ["application_id", "filename", "content_type", "size", "sha256"],
        "certification": ["status", "enterprise_id", "level", "document_no", "certified_on", "valid_until", "revoked_reason", "revoked_document_no"],
        "reward": ["status", "certification_id", "enterprise_id", "level", "year", "amount_fen", "paid_on", "voucher_no", "reason", "recorded_by", "confirmed_by"],
        "reward_policy": ["level", "amount_fen", "effective_from", "top_up"],
        "quota": ["year", "level", "region_code", "recommendations"],
        "target": ["year", "region_code", "submitted", "certified", "deadline", "responsible"],
        "webhook": ["url", "events", "status", "disabled_reason", "owner_account_id", "owner_api_key_id"],
        "webhook_delivery": ["webhook_id", "type", "status"],
        // A bulk import's own row (each record it wrote has its own row besides): what and how many.
        "import": ["kind", "accepted", "unchanged", "rejected"],
    ]

    /// Every action the log records: the events of writes, sign-in and sign-out, and reads of
    /// unmasked personal data.
    public static let actions = [
        "created", "updated", "archived", "verified", "rejected", "suspended", "reinstated", "resubmitted", "deleted",
        "logged_in", "logged_out", "disabled", "enabled", "password_reset", "password_changed", "sessions_revoked",
        "revoked", "read_personal", "accepted", "declined", "withdrawn", "completed", "terminated",
        "submitted", "county_approved", "returned", "recommended", "approved", "disbursing", "disbursed", "cancelled",
        "recovery_due", "secret_rotated", "retried", "imported",
    ]

    public static var objectTypes: [String] { auditedFields.keys.sorted() }

    /// Members no change is about: bookkeeping the database keeps itself.
    public static let bookkeeping: Set<String> = ["id", "version", "created_at", "updated_at"]

    /// The types whose audit rows name the members that changed (values left out).
    public static let listsChangedFields: Set<String> = ["talent"]

    /// The audit row's `before` and `after` for a change from `before` to `after` (nil: the
    /// record did not exist, or no longer does). Talents add `changed_fields`: the names of
    /// every member that changed, values left out.
    public static func project(
        _ objectType: String, before: JSONValue?, after: JSONValue?
    ) -> (before: JSONValue?, after: JSONValue?) {
        let fields = auditedFields[objectType] ?? []
        func pick(_ document: JSONValue?) -> [String: JSONValue]? {
            guard case .object(let members)? = document else { return nil }
            var kept: [String: JSONValue] = [:]
            for field in fields { kept[field] = members[field] ?? .null }
            return kept
        }
        let kept = (pick(before), pick(after))
        var projectedAfter = kept.1
        if listsChangedFields.contains(objectType), case .object(let members)? = after {
            var old: [String: JSONValue] = [:]
            if case .object(let previous)? = before { old = previous }
            let changed = Set(members.keys).union(old.keys).subtracting(bookkeeping)
                .filter { members[$0] != old[$0] }.sorted()
            projectedAfter?["changed_fields"] = .array(changed.map(JSONValue.string))
        }
        return (kept.0.map(JSONValue.object), projectedAfter.map(JSONValue.object))
    }
}
