import Foundation

/// The two levels of 产教融合型企业.
public enum CertificationLevel: String, CaseIterable, Sendable {
    case provincial, national
}

/// The forms of school–enterprise cooperation a provincial notice under 590号 recognises.
public enum CooperationForm: String, CaseIterable, Sendable {
    case runsSchool = "runs_school", orderClass = "order_class", apprenticeship, onePlusX = "one_plus_x", curriculum
}

/// An application's materials (DOMAIN.md §Certification applications). While it is a draft
/// any member may be missing; each present member is checked for its type and range, and
/// `missing` says what `submit` still needs.
public enum ApplicationMaterials {
    public static let members: Set<String> = [
        "summary", "cooperation_years", "cooperation_forms", "investment_fen", "trainees_per_year", "contact",
        "credit_clean", "no_major_incidents", "cooperation_ids",
    ]

    /// The materials as stored: every present member checked, errors under `materials.…`.
    public static func read(_ reader: FieldReader) -> JSONValue {
        reader.rejectUnknown(allowed: members)
        var kept: [String: JSONValue] = [:]
        if let summary = reader.string("summary", required: false, maxLength: 5000) { kept["summary"] = .string(summary) }
        if let years = reader.int("cooperation_years", required: false, range: 0...100) { kept["cooperation_years"] = .int(years) }
        if let forms = reader.stringArray(
            "cooperation_forms", required: false, maxCount: CooperationForm.allCases.count,
            check: { CooperationForm(rawValue: $0) == nil ? "must be one of: \(CooperationForm.allCases.map(\.rawValue).joined(separator: ", "))" : nil })
        {
            kept["cooperation_forms"] = .array(forms.map(JSONValue.string))
        }
        if let investment = reader.int("investment_fen", required: false, range: 0...Fen.maximumInput) {
            kept["investment_fen"] = .int(investment)
        }
        if let trainees = reader.int("trainees_per_year", required: false, range: 0...1_000_000) {
            kept["trainees_per_year"] = .int(trainees)
        }
        if let contact = reader.object("contact", required: false) {
            contact.rejectUnknown(allowed: ["name", "phone"])
            var person: [String: JSONValue] = [:]
            if let name = contact.string("name", required: false, maxLength: 50) { person["name"] = .string(name) }
            if let phone = contact.string("phone", required: false, maxLength: 20) {
                if Contact.isPhone(phone) {
                    person["phone"] = .string(phone)
                } else {
                    contact.log.add(contact.field("phone"), "must be a mobile number (11 digits) or a landline such as 0398-2345678")
                }
            }
            kept["contact"] = .object(person)
        }
        for flag in ["credit_clean", "no_major_incidents"] {
            if let value = reader.bool(flag, required: false) { kept[flag] = .bool(value) }
        }
        if let ids = reader.stringArray(
            "cooperation_ids", required: false, maxCount: 50, check: { UUID(uuidString: $0) == nil ? "must be a UUID" : nil })
        {
            kept["cooperation_ids"] = .array(ids.map { .string($0.lowercased()) })
        }
        return .object(kept)
    }

    /// The cited cooperations, as ids.
    public static func cooperationIDs(_ materials: JSONValue) -> [UUID] {
        guard case .array(let items)? = materials["cooperation_ids"] else { return [] }
        return items.compactMap { if case .string(let text) = $0 { UUID(uuidString: text) } else { nil } }
    }

    /// What `submit` still needs of the materials: every missing or insufficient item.
    public static func missing(_ materials: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        func need(_ field: String, _ message: String) { errors.append(FieldError(field: "materials.\(field)", message: message)) }
        if materials["summary"] == nil { need("summary", "is required: 申报材料摘要") }
        switch materials["cooperation_years"] {
        case .int(let years)? where years >= 2: break
        case .int?: need("cooperation_years", "must be at least 2: 校企深度合作两年以上")
        default: need("cooperation_years", "is required")
        }
        if case .array(let forms)? = materials["cooperation_forms"], !forms.isEmpty {
        } else {
            need("cooperation_forms", "must name at least one form of cooperation")
        }
        if materials["investment_fen"] == nil { need("investment_fen", "is required") }
        if materials["trainees_per_year"] == nil { need("trainees_per_year", "is required") }
        let contact = materials["contact"]
        if contact?["name"] == nil { need("contact.name", "is required") }
        if contact?["phone"] == nil { need("contact.phone", "is required") }
        if materials["credit_clean"] != .bool(true) { need("credit_clean", "must be declared true: 近三年无严重失信记录") }
        if materials["no_major_incidents"] != .bool(true) {
            need("no_major_incidents", "must be declared true: 无重大环保、安全、质量事故")
        }
        return errors
    }
}

/// `POST /v1/applications`: the level, the year and the materials so far.
public struct ApplicationInput: Sendable, Equatable {
    public var level: CertificationLevel
    public var year: Int
    public var materials: JSONValue

    public init(level: CertificationLevel, year: Int, materials: JSONValue) {
        self.level = level
        self.year = year
        self.materials = materials
    }

    public static let years = 2019...2100

    public static func read(_ json: JSONValue) throws(Problem) -> ApplicationInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["level", "year", "materials"], readOnly: readOnly)
        let level = reader.enumValue("level", CertificationLevel.self)
        let year = reader.int("year", range: years)
        let materials = reader.object("materials", required: false).map(ApplicationMaterials.read) ?? .object([:])
        try log.check()
        return ApplicationInput(level: level!, year: year!, materials: materials)
    }

    static let readOnly: Set<String> = [
        "id", "enterprise_id", "enterprise_name", "region_code", "status", "submitted_on", "recommended_on", "decided_on",
        "document_no", "note", "certification_id", "attachments", "version", "created_at", "updated_at",
    ]

    /// A merge patch over `current` (level, year and materials; `materials` merges member by
    /// member, `null` removing one), checked as a whole.
    public static func patched(_ current: ApplicationInput, with patch: JSONValue) throws(Problem) -> ApplicationInput {
        let log = ValidationLog()
        let reader = FieldReader(patch, log: log)
        reader.rejectUnknown(allowed: ["level", "year", "materials"], readOnly: readOnly)
        var result = current
        if reader.raw("level") != nil, let level = reader.enumValue("level", CertificationLevel.self) { result.level = level }
        if reader.raw("year") != nil, let year = reader.int("year", range: years) { result.year = year }
        switch reader.raw("materials") {
        case nil: break
        case .null?: result.materials = .object([:])
        case .some(.object(let members)):
            let merged = current.materials.merging(patch: .object(members))
            result.materials = ApplicationMaterials.read(FieldReader(merged, path: "materials", log: log))
        case .some(let other):
            log.add("materials", "must be a JSON object, not \(other.typeName)")
        }
        try log.check()
        return result
    }
}

/// `POST /v1/applications/{id}/transitions {action, note?, decision?}`.
public struct ApplicationTransition: Sendable, Equatable {
    public var action: String
    public var note: String?
    public var decision: Decision?

    public init(action: String, note: String? = nil, decision: Decision? = nil) {
        self.action = action
        self.note = note
        self.decision = decision
    }

    public struct Decision: Sendable, Equatable {
        public var outcome: ApplicationStatus
        public var decidedOn: ChinaDay
        public var documentNo: String?

        public init(outcome: ApplicationStatus, decidedOn: ChinaDay, documentNo: String?) {
            self.outcome = outcome
            self.decidedOn = decidedOn
            self.documentNo = documentNo
        }
    }

    public static func read(_ json: JSONValue) throws(Problem) -> ApplicationTransition {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["action", "note", "decision"])
        let actions = Workflow.applications.actions
        var action = reader.string("action", maxLength: 40)
        if let named = action, !actions.contains(named) {
            log.add("action", "must be one of: \(actions.joined(separator: ", "))")
            action = nil
        }
        let note = reader.string("note", required: false, maxLength: 1000)
        if action.flatMap(Workflow.applications.step)?.needsNote == true, !reader.has("note") {
            log.add("note", "is required to \(action!): say what the enterprise must change")
        }
        var decision: Decision?
        if action == "record_decision" {
            if let found = reader.object("decision") {
                found.rejectUnknown(allowed: ["outcome", "decided_on", "document_no"])
                let outcome = found.string("outcome", maxLength: 20)
                if let outcome, !["approved", "rejected"].contains(outcome) {
                    log.add("decision.outcome", "must be one of: approved, rejected")
                }
                let day = found.date("decided_on").flatMap(ChinaDay.init)
                let documentNo = found.string("document_no", required: outcome == "approved", maxLength: 100)
                if let outcome, let status = ApplicationStatus(rawValue: outcome), [.approved, .rejected].contains(status), let day {
                    decision = Decision(outcome: status, decidedOn: day, documentNo: documentNo)
                }
            }
        } else if reader.raw("decision") != nil {
            log.add("decision", "is only sent with record_decision")
        }
        try log.check()
        return ApplicationTransition(action: action!, note: note, decision: decision)
    }
}
