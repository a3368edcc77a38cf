import ChanjiaoDomain

/// The matching page: the latest match run (objective, seats assigned of the headcount asked)
/// and its gap analysis as bar charts — what colleges should open.
public struct MatchingView: Sendable {
    public var hasRun: Bool
    public var id: String
    public var status: String
    /// Queued or running: the page reloads itself until the run is done.
    public var inProgress: Bool
    public var facts: [Figure]
    public var charts: [String]
    public var mayStart: Bool

    /// The charts' rows: the 15 largest of each list, as (list, code member, figure member).
    static let charts: [(title: String, list: String, key: String, figure: String)] = [
        ("未满足的需求人数 · 按职业", "by_occupation", "occupation_code", "unmet"),
        ("未满足的需求人数 · 按县区", "by_county", "region_code", "unmet"),
        ("未用的培养名额 · 按县区", "by_county", "region_code", "unused"),
        ("未用的培养名额 · 按专业", "by_specialty", "specialty_code", "unused"),
    ]

    static func top(_ gaps: JSONValue, _ list: String, _ key: String, _ figure: String) -> [(code: String, value: Int)] {
        gaps.at(list).elements.map { ($0.string(key), $0.int(figure)) }.filter { $0.1 > 0 }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(15).map { $0 }
    }

    /// The occupation and specialty codes the charts show, whose names the page looks up.
    public static func shownCodes(_ gaps: JSONValue) -> (occupations: [String], specialties: [String]) {
        (top(gaps, "by_occupation", "occupation_code", "unmet").map(\.code), top(gaps, "by_specialty", "specialty_code", "unused").map(\.code))
    }

    /// `names`: region, occupation and specialty names by code (a code without one shows as it is).
    public init(run: JSONValue?, gaps: JSONValue?, names: [String: String], mayStart: Bool) {
        self.mayStart = mayStart
        guard let run else {
            (hasRun, id, status, inProgress, facts, charts) = (false, "", "", false, [], [])
            return
        }
        hasRun = true
        id = run.string("id")
        status = run.string("status")
        inProgress = status == "queued" || status == "running"
        let statusName = ["queued": "排队中", "running": "计算中", "done": "已完成", "failed": "失败"][status] ?? status
        facts = [
            .init(label: "状态", value: statusName),
            .init(label: "目标值（总分）", value: run.string("objective")),
            .init(label: "已分配名额", value: run.string("assigned")),
            .init(label: "企业需求人数", value: run.string("demand_total")),
            .init(label: "培养名额", value: run.string("capacity_total")),
            .init(label: "专业数", value: run.string("programs")),
            .init(label: "需求数", value: run.string("demands")),
            .init(label: "开始", value: run.string("started_at")),
            .init(label: "完成", value: run.string("finished_at")),
            .init(label: "错误", value: run.string("error")),
        ].filter { !$0.value.isEmpty }
        guard let gaps else {
            charts = []
            return
        }
        charts = Self.charts.map { chart in
            let rows = Self.top(gaps, chart.list, chart.key, chart.figure)
            return BarChart(title: chart.title, bars: rows.map { BarChart.Bar(names[$0.code] ?? $0.code, $0.value) }).svg
        }
    }
}

/// The audit log page: the events newest first, with the API's filters.
public struct AuditView: Sendable {
    public struct Row: Sendable {
        public var occurredAt: String
        public var username: String
        public var role: String
        public var action: String
        public var objectType: String
        public var objectID: String
    }

    public var rows: [Row]
    /// `!rows.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasRows = false
    public struct Filter: Sendable {
        public var name: String
        public var label: String
        public var value: String
    }

    public var filters: [Filter]
    public var nextHref: String?

    public init(items: [JSONValue], filters: [String: String], nextCursor: String?) {
        rows = items.map { item in
            Row(
                occurredAt: item.string("occurred_at"), username: item.string("username"), role: ConsoleLabels.role(item.string("role")),
                action: item.string("action"), objectType: item.string("object_type"), objectID: item.string("object_id"))
        }
        hasRows = !rows.isEmpty
        self.filters = ["actor", "object_type", "object_id", "action", "from", "to"].map {
            Filter(name: $0, label: ConsoleLabels.field($0), value: filters[$0] ?? "")
        }
        nextHref = nextCursor.map { cursor in
            ConsoleLink.to("/console/audit", filters.merging(["after": cursor]) { $1 })
        }
    }
}
