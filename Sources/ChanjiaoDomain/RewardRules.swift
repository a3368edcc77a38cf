/// The city's rewards for certified enterprises (DOMAIN.md §Rewards).
public enum RewardStatus: String, CaseIterable, Sendable {
    case pending, disbursing, disbursed, cancelled
    /// A disbursed payment whose certification was revoked: the finance office must recover it.
    case recoveryDue = "recovery_due"
}

/// Who moves a reward: bureau accounts, and for `confirm` one other than the recorder.
public enum RewardParty: String, Sendable {
    case bureau
    /// A bureau account other than the one that recorded the payment (双人复核).
    case secondBureauAccount = "second_bureau_account"
}

extension Workflow where State == RewardStatus, Party == RewardParty {
    public static let rewards = Workflow([
        Step("disburse", by: [.bureau], from: [.pending], to: [.disbursing]),
        Step("confirm", by: [.secondBureauAccount], from: [.disbursing], to: [.disbursed]),
        Step("cancel", by: [.bureau], from: [.pending, .disbursing], to: [.cancelled], needsNote: true),
    ])

    /// What revoking the certification (撤销) does to its reward: one not yet confirmed as paid
    /// is cancelled (as `cancel` may), a disbursed one must be recovered.
    public static func onRevoke(_ status: RewardStatus) -> RewardStatus? {
        switch status {
        case .pending, .disbursing: .cancelled
        case .disbursed: .recoveryDue
        case .cancelled, .recoveryDue: nil
        }
    }
}

/// One level's reward policy from `effectiveFrom` on.
public struct RewardPolicy: Sendable, Equatable {
    public var level: CertificationLevel
    public var amount: Fen
    public var effectiveFrom: ChinaDay
    /// National only: pay the difference to what the enterprise's provincial reward was.
    public var topUp: Bool

    public init(level: CertificationLevel, amount: Fen, effectiveFrom: ChinaDay, topUp: Bool) {
        self.level = level
        self.amount = amount
        self.effectiveFrom = effectiveFrom
        self.topUp = topUp
    }
}

public enum RewardRules {
    /// The policy in force on `day`: the latest that took effect on or before it; nil before
    /// every policy.
    public static func policy(on day: ChinaDay, among policies: [RewardPolicy]) -> RewardPolicy? {
        policies.filter { $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The reward for a certification under `policy`. A national one with top-up on is what is
    /// left of the national amount after the enterprise's provincial rewards (each counted
    /// unless cancelled: pending counts, so nobody collects both in full), never below zero.
    public static func amount(under policy: RewardPolicy, provincialRewards: [Fen]) -> Fen {
        guard policy.level == .national, policy.topUp else { return policy.amount }
        guard let provincial = provincialRewards.total(), let left = policy.amount.subtracting(provincial) else { return .zero }
        return max(.zero, left)
    }
}

/// How certification works in this city: which region it serves, how long a certification
/// is valid, and whether a national application needs a valid provincial certification.
public struct CertificationRules: Sendable, Equatable {
    /// The region whose counties have targets, scoreboard rows and statistics: a code prefix
    /// (`CHANJIAO_REGION`; `4112` the demo city, `41` the province).
    public var region: String
    /// Years a certification is valid: it ends the day before the anniversary.
    public var validityYears: Int
    public var nationalNeedsProvincial: Bool

    public init(region: String = "4112", validityYears: Int = 3, nationalNeedsProvincial: Bool = true) {
        self.region = region
        self.validityYears = validityYears
        self.nationalNeedsProvincial = nationalNeedsProvincial
    }

    /// The last day a certification granted on `certifiedOn` is valid.
    public func validUntil(_ certifiedOn: ChinaDay) -> ChinaDay {
        (certifiedOn.adding(years: validityYears) ?? certifiedOn).adding(days: -1)
    }

    /// Whether `code` is one of the region's counties (6 digits, not ending in `00`).
    public func isCounty(_ code: String) -> Bool {
        RegionCatalog.isWellFormed(code) && !code.hasSuffix("00") && code.hasPrefix(region)
    }

    /// `CHANJIAO_REGION`: 2, 4 or 6 digits.
    public static func isRegionPrefix(_ text: String) -> Bool {
        [2, 4, 6].contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
