import ChanjiaoDomain

/// The rewards page: the ledger's totals (`GET /v1/rewards/totals`) by county, level and
/// status, and its rows with the moves the bureau may make. Confirmation (双人复核) is offered
/// only to an account other than the one that recorded the payment.
public struct RewardsView: Sendable {
    public struct Total: Sendable {
        public var label: String
        public var count: Int
        public var amount: String
    }

    public struct Row: Sendable {
        public var id: String
        public var version: Int
        public var enterprise: String
        public var county: String
        public var level: String
        public var year: Int
        public var amount: String
        public var status: String
        public var statusName: String
        public var paidOn: String
        public var voucherNo: String
        public var canDisburse: Bool
        public var canConfirm: Bool
        public var awaitsOther: Bool
        public var canCancel: Bool
    }

    public var byCounty: [Total]
    public var byLevel: [Total]
    public var byStatus: [Total]
    public var total: String
    public var rows: [Row]
    /// `!rows.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasRows = false
    public var nextHref: String?
    public var today: String

    /// `account`: the signed-in account; `mayMove`: a bureau account (viewers only read).
    public init(
        byCounty: JSONValue, byLevel: JSONValue, byStatus: JSONValue, items: [JSONValue], regionNames: [String: String],
        account: String, mayMove: Bool, filters: [String: String], nextCursor: String?, today: String
    ) {
        func totals(_ json: JSONValue, _ label: (String) -> String) -> [Total] {
            json.at("items").elements.map { Total(label: label($0.string("key")), count: $0.int("count"), amount: ConsoleLabels.money($0.int("amount_fen"))) }
        }
        self.byCounty = totals(byCounty) { regionNames[$0] ?? $0 }
        self.byLevel = totals(byLevel, ConsoleLabels.level)
        self.byStatus = totals(byStatus, ConsoleLabels.rewardStatus)
        total = ConsoleLabels.money(byStatus.int("total_fen"))
        rows = items.map { item in
            let status = item.string("status")
            let recorder = item.string("recorded_by")
            return Row(
                id: item.string("id"), version: item.int("version"), enterprise: item.string("enterprise_name"),
                county: regionNames[item.string("region_code")] ?? item.string("region_code"), level: ConsoleLabels.level(item.string("level")),
                year: item.int("year"), amount: ConsoleLabels.money(item.int("amount_fen")), status: status,
                statusName: ConsoleLabels.rewardStatus(status), paidOn: item.string("paid_on"), voucherNo: item.string("voucher_no"),
                canDisburse: mayMove && status == "pending", canConfirm: mayMove && status == "disbursing" && recorder != account,
                awaitsOther: mayMove && status == "disbursing" && recorder == account,
                canCancel: mayMove && (status == "pending" || status == "disbursing"))
        }
        hasRows = !rows.isEmpty
        nextHref = nextCursor.map { ConsoleLink.to("/console/rewards", filters.merging(["after": $0]) { $1 }) }
        self.today = today
    }
}

/// The targets page: each county's targets for the year (and, for the bureau and viewers, the
/// recommendation quotas), with the bureau's forms to set them.
public struct TargetsView: Sendable {
    public struct Row: Sendable {
        public var regionCode: String
        public var county: String
        public var hasTarget: Bool
        public var submitted: String
        public var certified: String
        public var deadline: String
        public var name: String
        public var title: String
        public var phone: String
        public var provincialQuota: String
        public var nationalQuota: String
    }

    public var year: Int
    public var rows: [Row]
    public var editable: Bool
    public var showsQuotas: Bool

    public init(year: Int, targets: [JSONValue], quotas: [JSONValue]?, counties: [(code: String, name: String)], editable: Bool) {
        self.year = year
        self.editable = editable
        showsQuotas = quotas != nil
        let byCounty = Dictionary(targets.map { ($0.string("region_code"), $0) }, uniquingKeysWith: { a, _ in a })
        var quota: [String: String] = [:]
        for item in quotas ?? [] { quota["\(item.string("region_code"))/\(item.string("level"))"] = item.string("recommendations") }
        rows = counties.map { county in
            let target = byCounty[county.code]
            return Row(
                regionCode: county.code, county: county.name, hasTarget: target != nil, submitted: target?.string("submitted") ?? "",
                certified: target?.string("certified") ?? "", deadline: target?.string("deadline") ?? "",
                name: target?.string("responsible.name") ?? "", title: target?.string("responsible.title") ?? "",
                phone: target?.string("responsible.phone") ?? "", provincialQuota: quota["\(county.code)/provincial"] ?? "",
                nationalQuota: quota["\(county.code)/national"] ?? "")
        }
    }
}
