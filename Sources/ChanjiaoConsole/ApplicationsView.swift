import ChanjiaoDomain

/// The applications page: the pipeline by county and stage, and the filtered table.
public struct ApplicationsView: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var enterprise: String
        public var county: String
        public var level: String
        public var year: Int
        public var status: String
        public var statusName: String
        public var submittedOn: String
        public var updatedAt: String
    }

    public struct Cell: Sendable {
        public var count: Int
        /// Zero is shown without a link (a template's section would take 0 as present).
        public var linked: Bool
        public var href: String
    }

    public struct PipelineRow: Sendable {
        public var county: String
        public var cells: [Cell]
        public var total: Int
    }

    public struct Option: Sendable {
        public var value: String
        public var label: String
        public var selected: Bool
    }

    public var rows: [Row]
    /// `!rows.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasRows = false
    public var stages: [String]
    public var pipeline: [PipelineRow]
    public var year: String
    public var levels: [Option]
    public var statuses: [Option]
    public var counties: [Option]
    public var nextHref: String?

    /// `items`: the table's page; `all`: every application of the year (and level) the caller
    /// may see, for the pipeline; `filters`: the list's filters as the request gave them.
    public init(items: [JSONValue], all: [JSONValue], filters: [String: String], regionNames: [String: String], nextCursor: String?) {
        func name(_ code: String) -> String { regionNames[code] ?? code }
        rows = items.map { item in
            Row(
                id: item.string("id"), enterprise: item.string("enterprise_name"), county: name(item.string("region_code")),
                level: ConsoleLabels.level(item.string("level")), year: item.int("year"), status: item.string("status"),
                statusName: ConsoleLabels.applicationStatus(item.string("status")), submittedOn: item.string("submitted_on"),
                updatedAt: item.string("updated_at"))
        }
        hasRows = !rows.isEmpty
        let statuses = ApplicationStatus.allCases.map(\.rawValue)
        stages = statuses.map(ConsoleLabels.applicationStatus)
        year = filters["year"] ?? ""
        let base = ["year": year, "level": filters["level"] ?? ""]
        var counts: [String: [String: Int]] = [:]
        for item in all { counts[item.string("region_code"), default: [:]][item.string("status"), default: 0] += 1 }
        pipeline = counts.keys.sorted().map { code in
            let row = counts[code] ?? [:]
            return PipelineRow(
                county: name(code),
                cells: statuses.map { Cell(count: row[$0] ?? 0, linked: (row[$0] ?? 0) > 0, href: ConsoleLink.to("/console/applications", base.merging(["region_code": code, "status": $0]) { $1 })) },
                total: row.values.reduce(0, +))
        }
        levels = [Option(value: "", label: "全部", selected: filters["level"] == nil)]
            + CertificationLevel.allCases.map { Option(value: $0.rawValue, label: ConsoleLabels.level($0.rawValue), selected: filters["level"] == $0.rawValue) }
        self.statuses = [Option(value: "", label: "全部", selected: filters["status"] == nil)]
            + statuses.map { Option(value: $0, label: ConsoleLabels.applicationStatus($0), selected: filters["status"] == $0) }
        counties = [Option(value: "", label: "全部", selected: filters["region_code"] == nil)]
            + regionNames.keys.sorted().map { Option(value: $0, label: regionNames[$0] ?? $0, selected: filters["region_code"] == $0) }
        nextHref = nextCursor.map { ConsoleLink.to("/console/applications", filters.merging(["after": $0]) { $1 }) }
    }
}

/// One application with the forms its reader's role may submit.
public struct ApplicationView: Sendable {
    public struct Action: Sendable {
        public var action: String
        public var label: String
        public var needsNote: Bool
        public var isDecision: Bool
    }

    public var id: String
    public var title: String
    public var version: Int
    public var status: String
    public var facts: [Figure]
    public var materials: [Figure]
    public var forms: [String]
    public var history: [Figure]
    public var files: [[String: String]]
    public var cooperations: [[String: String]]
    public var actions: [Action]
    /// `!actions.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasActions = false
    public var today: String

    public init(
        document: JSONValue, version: Int, history: [JSONValue], attachments: [JSONValue], cooperations: [JSONValue],
        parties: Set<ApplicationParty>, regionNames: [String: String], today: String
    ) {
        id = document.string("id")
        self.version = version
        status = document.string("status")
        title = "\(document.string("enterprise_name")) · \(document.int("year")) 年\(ConsoleLabels.level(document.string("level")))产教融合型企业申报"
        let region = document.string("region_code")
        facts = [
            Figure(label: "企业", value: document.string("enterprise_name")),
            Figure(label: "县区", value: regionNames[region] ?? region),
            Figure(label: "级别", value: ConsoleLabels.level(document.string("level"))),
            Figure(label: "年度", value: document.string("year")),
            Figure(label: "状态", value: ConsoleLabels.applicationStatus(status)),
            Figure(label: "首次提交", value: document.string("submitted_on")),
            Figure(label: "推荐日期", value: document.string("recommended_on")),
            Figure(label: "认定日期", value: document.string("decided_on")),
            Figure(label: "认定文号", value: document.string("document_no")),
            Figure(label: "最近说明", value: document.string("note")),
        ].filter { !$0.value.isEmpty }
        let materials = document.at("materials")
        self.materials = [
            Figure(label: "申报摘要", value: materials.string("summary")),
            Figure(label: "合作年限（年）", value: materials.string("cooperation_years")),
            Figure(label: "教育投入", value: materials.at("investment_fen") == .null ? "" : ConsoleLabels.money(materials.int("investment_fen"))),
            Figure(label: "年培训人数", value: materials.string("trainees_per_year")),
            Figure(label: "联系人", value: [materials.string("contact.name"), materials.string("contact.phone")].filter { !$0.isEmpty }.joined(separator: " ")),
            Figure(label: "近三年无严重失信记录", value: materials.string("credit_clean")),
            Figure(label: "无重大环保、安全、质量事故", value: materials.string("no_major_incidents")),
        ].filter { !$0.value.isEmpty }
        forms = materials.at("cooperation_forms").elements.map { ConsoleLabels.cooperationForm($0.shown) }
        self.history = history.map { event in
            let from = ConsoleLabels.applicationStatus(event.string("from"))
            let to = ConsoleLabels.applicationStatus(event.string("to"))
            let note = event.string("note")
            return Figure(
                label: event.string("occurred_at"),
                value: "\(ConsoleLabels.action(event.string("action")))（\(ConsoleLabels.role(event.string("role")))）：\(from) → \(to)"
                    + (note.isEmpty ? "" : "。说明：\(note)"))
        }
        files = attachments.map { file in
            [
                "href": "/console/applications/\(document.string("id"))/attachments/\(file.string("id"))",
                "name": file.string("filename"), "size": "\(file.int("size") / 1024 + 1) KB", "sha256": file.string("sha256"),
            ]
        }
        self.cooperations = cooperations.map { cooperation in
            [
                "id": cooperation.string("id"), "status": cooperation.string("status"), "seats": cooperation.string("seats"),
                "completed_on": cooperation.string("completed_on"), "trainees": cooperation.string("trainees"),
            ]
        }
        let state = ApplicationStatus(rawValue: status)
        actions = Workflow.applications.steps.compactMap { step in
            guard let state, !step.by.isDisjoint(with: parties), step.from.contains(state) else { return nil }
            return Action(
                action: step.action, label: ConsoleLabels.action(step.action), needsNote: step.needsNote,
                isDecision: step.action == "record_decision")
        }
        hasActions = !actions.isEmpty
        self.today = today
    }
}
