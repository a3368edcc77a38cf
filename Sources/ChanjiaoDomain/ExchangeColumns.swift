import Foundation

/// The files the city's staff exchange with Chanjiao: which columns each kind has, in which
/// order, under which Chinese header, and how a record's JSON document becomes a CSV row.
/// A column is a JSON field name, nested members joined by a dot (`contact.name`).
public struct ExchangeColumn: Sendable, Equatable {
    public let field: String
    public let header: String

    init(_ field: String, _ header: String) {
        self.field = field
        self.header = header
    }
}

/// What can be exported (`GET /v1/exports/{kind}`).
public enum ExportKind: String, Sendable, CaseIterable {
    case enterprises, colleges, programs, demands, talents, rewards, scoreboard
    case matchRunAssignments = "match-run-assignments"
    case matchRunGaps = "match-run-gaps"

    /// The kind's columns, in file order (built once: every exported row reads them).
    public var columns: [ExchangeColumn] { Self.tables[self]! }

    private static let tables = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.table) })

    private var table: [ExchangeColumn] {
        switch self {
        case .enterprises:
            [
                .init("id", "标识"), .init("name", "企业名称"), .init("uscc", "统一社会信用代码"), .init("uscc_override", "信用代码人工核验"),
                .init("region_code", "行政区划代码"), .init("industry_code", "行业代码"), .init("size", "企业规模"),
                .init("address", "地址"), .init("contact.name", "联系人"), .init("contact.phone", "联系电话"),
                .init("contact.email", "电子邮箱"), .init("status", "状态"), .init("status_reason", "状态说明"),
                .init("verified_at", "审核时间"), .init("archived", "已归档"), .init("version", "版本"),
                .init("created_at", "创建时间"), .init("updated_at", "更新时间"),
            ]
        case .colleges:
            [
                .init("id", "标识"), .init("name", "院校名称"), .init("school_code", "学校代码"), .init("kind", "院校类型"),
                .init("region_code", "行政区划代码"), .init("address", "地址"), .init("contact.name", "联系人"),
                .init("contact.phone", "联系电话"), .init("contact.email", "电子邮箱"), .init("status", "状态"),
                .init("status_reason", "状态说明"), .init("verified_at", "审核时间"), .init("archived", "已归档"),
                .init("version", "版本"), .init("created_at", "创建时间"), .init("updated_at", "更新时间"),
            ]
        case .programs:
            [
                .init("id", "标识"), .init("external_id", "外部标识"), .init("college_id", "院校标识"), .init("title", "项目名称"),
                .init("specialty_code", "专业代码"), .init("level", "层次"), .init("skills", "技能"), .init("capacity", "计划名额"),
                .init("remaining_seats", "剩余名额"), .init("modes", "合作方式"), .init("region_code", "行政区划代码"),
                .init("starts_on", "开始日期"), .init("ends_on", "结束日期"), .init("status", "状态"), .init("version", "版本"),
                .init("created_at", "创建时间"), .init("updated_at", "更新时间"),
            ]
        case .demands:
            [
                .init("id", "标识"), .init("external_id", "外部标识"), .init("enterprise_id", "企业标识"), .init("title", "需求名称"),
                .init("occupation_code", "职业代码"), .init("skills", "技能"), .init("headcount", "需求人数"),
                .init("remaining_headcount", "剩余人数"), .init("min_level", "最低层次"), .init("mode", "合作方式"),
                .init("region_code", "行政区划代码"), .init("starts_on", "开始日期"), .init("ends_on", "结束日期"),
                .init("status", "状态"), .init("archived", "已归档"), .init("version", "版本"), .init("created_at", "创建时间"),
                .init("updated_at", "更新时间"),
            ]
        case .talents:
            [
                .init("id", "标识"), .init("source", "数据来源"), .init("external_id", "外部标识"), .init("name", "姓名"),
                .init("phone", "手机号"), .init("skills", "技能"), .init("specialty_code", "专业代码"),
                .init("education_level", "学历层次"), .init("desired_occupation_codes", "意向职业代码"),
                .init("region_codes", "意向地区代码"), .init("available_from", "可到岗日期"),
                .init("consent.share_with_enterprises", "同意向企业展示"), .init("consent.given_at", "同意时间"),
                .init("version", "版本"), .init("created_at", "创建时间"), .init("updated_at", "更新时间"),
            ]
        case .rewards:
            [
                .init("id", "标识"), .init("certification_id", "认定标识"), .init("enterprise_id", "企业标识"),
                .init("enterprise_name", "企业名称"), .init("region_code", "县区代码"), .init("level", "认定级别"), .init("year", "年度"),
                .init("amount_fen", "金额（分）"), .init("status", "状态"), .init("paid_on", "拨付日期"), .init("voucher_no", "凭证号"),
                .init("reason", "说明"), .init("recorded_by", "登记人"), .init("confirmed_by", "复核人"), .init("version", "版本"),
                .init("created_at", "创建时间"), .init("updated_at", "更新时间"),
            ]
        case .scoreboard:
            [
                .init("rank", "排名"), .init("region_code", "县区代码"), .init("region_name", "县区"), .init("submitted", "申报数"),
                .init("submitted_target", "申报目标"), .init("certified", "认定数"), .init("certified_target", "认定目标"),
                .init("completion", "完成度"), .init("expected", "应达进度"), .init("list", "红黑榜"), .init("deadline", "截止日期"),
                .init("responsible.name", "责任人"), .init("responsible.title", "职务"),
            ]
        case .matchRunAssignments:
            [
                .init("program_id", "项目标识"), .init("demand_id", "需求标识"), .init("seats", "名额"), .init("score", "匹配分"),
                .init("parts.skill_fit", "技能契合"), .init("parts.occ_fit", "职业契合"), .init("parts.geo_fit", "地域契合"),
                .init("parts.level_fit", "层次契合"),
            ]
        case .matchRunGaps:
            [.init("dimension", "维度"), .init("code", "代码"), .init("unmet", "未满足人数"), .init("unused", "未使用名额")]
        }
    }

    /// The header row: the Chinese names, which Excel users read (imports take them too).
    public var headerLine: String { CSV.line(columns.map(\.header)) }

    /// One record as a CSV line, its cells in the columns' order.
    public func line(_ document: JSONValue) -> String {
        CSV.line(columns.map { ExchangeCell.text(document.member(path: $0.field)) })
    }
}

/// How one JSON value is written in a cell: lists joined by `;` (skills as `CODE:level` or
/// `CODE:level:weight`), booleans `true`/`false`, null empty; text that a spreadsheet would take
/// for a formula (`=`, `+`, `-`, `@`, tab, CR first) behind a `'`, so it stays text.
public enum ExchangeCell {
    public static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: guarded(text)
        case .int(let number)?: String(number)
        case .double(let number)?: number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag)?: flag ? "true" : "false"
        case .array(let items)?: items.map(item).joined(separator: ";")
        case .object?: guarded(value?.text ?? "")
        }
    }

    private static func item(_ value: JSONValue) -> String {
        if case .object(let members) = value, case .string(let code)? = members["code"] {
            return [code, text(members["level"]), members["weight"].map { text($0) }].compactMap { $0 }.joined(separator: ":")
        }
        return text(value)
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a spreadsheet could read the text as a formula: its first scalar (not its first
    /// Character: `=` with a combining mark is still `=` to Excel) starts one. Text that is
    /// already `'` before such a start is guarded again, so that the import's `unguarded`
    /// takes exactly one `'` off and an export re-imports unchanged.
    static func needsGuard(_ text: Substring.UnicodeScalarView) -> Bool {
        guard let first = text.first else { return false }
        return formulaStarts.contains(first) || (first == "'" && needsGuard(text.dropFirst()))
    }

    static func guarded(_ text: String) -> String {
        needsGuard(Substring(text).unicodeScalars) ? "'" + text : text
    }
}

extension JSONValue {
    /// The member at a dotted path (`contact.name`); nil when any step is missing.
    public func member(path: String) -> JSONValue? {
        var value: JSONValue? = self
        for key in path.split(separator: ".") {
            guard case .object(let members)? = value else { return nil }
            value = members[String(key)]
        }
        return value
    }
}
