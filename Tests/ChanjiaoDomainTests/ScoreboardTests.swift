import ChanjiaoDomain
import Foundation
import Testing

/// The red/black list on each branch of DOMAIN.md's formula, in exact fractions.
@Suite struct ScoreboardTests {
    static func day(_ text: String) -> ChinaDay { ChinaDay(text)! }

    static func county(
        _ code: String, submitted: Int, of submittedTarget: Int, certified: Int, of certifiedTarget: Int,
        deadline: String = "2026-12-31"
    ) -> Scoreboard.County {
        Scoreboard.County(
            regionCode: code, submitted: submitted, submittedTarget: submittedTarget, certified: certified,
            certifiedTarget: certifiedTarget, deadline: day(deadline))
    }

    static func list(_ county: Scoreboard.County, asOf: String) -> Scoreboard.List {
        Scoreboard.rank([county], asOf: day(asOf))[0].list
    }

    @Test func redByCompletion() {
        #expect(Self.list(Self.county("411202", submitted: 4, of: 4, certified: 2, of: 2), asOf: "2026-03-01") == .red)
        // Over target counts as met, no more.
        #expect(Scoreboard.completion(Self.county("411202", submitted: 9, of: 4, certified: 5, of: 2)) == .one)
    }

    @Test func redByBeingAhead() {
        // Day 73 of a 365-day span: expected 73/365 = 1/5; completion 1/2 ≥ 1/5 + 1/5.
        let county = Self.county("411203", submitted: 2, of: 4, certified: 1, of: 2)
        #expect(Scoreboard.expected(asOf: Self.day("2026-03-15"), deadline: Self.day("2026-12-31")) == Fraction(73, 364))
        #expect(Self.list(county, asOf: "2026-03-15") == .red)
        // Exactly at the margin is still red (≥), just below it is not.
        let atMargin = Self.county("411203", submitted: 2, of: 5, certified: 0, of: 1, deadline: "2026-11-11")
        // span 314 days; as_of day 0 → expected 0; completion (2/5 + 0)/2 = 1/5 → red.
        #expect(Self.list(atMargin, asOf: "2026-01-01") == .red)
        let below = Self.county("411203", submitted: 1, of: 3, certified: 0, of: 1)
        #expect(Self.list(below, asOf: "2026-01-01") == .none)  // 1/6 < 1/5
    }

    @Test func blackByLagging() {
        // Mid-year: expected about 1/2; completion 1/4 < 1/2 − 1/5.
        let county = Self.county("411221", submitted: 1, of: 2, certified: 0, of: 2)
        #expect(Self.list(county, asOf: "2026-07-02") == .black)
        #expect(Self.list(county, asOf: "2026-03-01") == .none)
    }

    @Test func blackAfterTheDeadline() {
        let county = Self.county("411224", submitted: 4, of: 4, certified: 3, of: 4, deadline: "2026-10-31")
        #expect(Self.list(county, asOf: "2026-10-31") == .none)  // on the deadline: 7/8 ≥ 1 − 1/5
        #expect(Self.list(county, asOf: "2026-11-01") == .black)
        // Done by then: red, whatever the date.
        #expect(Self.list(Self.county("411224", submitted: 4, of: 4, certified: 2, of: 2, deadline: "2026-10-31"), asOf: "2026-12-01") == .red)
        #expect(Scoreboard.expected(asOf: Self.day("2027-02-01"), deadline: Self.day("2026-10-31")) == .one)
    }

    @Test func aZeroTargetCountsAsMet() {
        let county = Self.county("411281", submitted: 0, of: 0, certified: 0, of: 0)
        #expect(Scoreboard.completion(county) == .one)
        #expect(Self.list(county, asOf: "2026-06-01") == .red)
        #expect(Scoreboard.completion(Self.county("411281", submitted: 1, of: 2, certified: 0, of: 0)) == Fraction(3, 4))
    }

    @Test func tiesAreBrokenByCertifiedThenRegionCode() {
        let rows = Scoreboard.rank(
            [
                Self.county("411282", submitted: 2, of: 4, certified: 1, of: 2),  // 1/2, 1 certified
                Self.county("411203", submitted: 1, of: 2, certified: 1, of: 2),  // 1/2, 1 certified
                Self.county("411202", submitted: 2, of: 2, certified: 0, of: 2),  // 1/2, 0 certified
                Self.county("411221", submitted: 4, of: 4, certified: 2, of: 2),  // 1
            ], asOf: Self.day("2026-06-01"))
        #expect(rows.map(\.county.regionCode) == ["411221", "411203", "411282", "411202"])
        #expect(rows.map(\.rank) == [1, 2, 3, 4])
    }

    @Test func aDeadlineMustFallAfterJanuaryFirst() {
        #expect(!Scoreboard.isValidDeadline(Self.day("2026-01-01"), year: 2026))
        #expect(!Scoreboard.isValidDeadline(Self.day("2027-03-01"), year: 2026))
        #expect(Scoreboard.isValidDeadline(Self.day("2026-01-02"), year: 2026))
    }

    @Test func expectedCountsWholeDaysAndIsClamped() {
        #expect(Scoreboard.expected(asOf: Self.day("2025-12-31"), deadline: Self.day("2026-12-31")) == .zero)
        #expect(Scoreboard.expected(asOf: Self.day("2026-07-02"), deadline: Self.day("2026-12-31")) == Fraction(182, 364))
    }

    /// The largest targets the API takes make completions with denominators near 2·10¹⁰:
    /// comparing two of them must not overflow 64 bits (it once trapped the process).
    @Test func rankingLargeTargetsComparesExactly() {
        let a = Self.county("411202", submitted: 5000, of: 99_991, certified: 3, of: 99_989)
        let b = Self.county("411203", submitted: 2, of: 99_971, certified: 1, of: 99_961)
        let ranked = Scoreboard.rank([b, a], asOf: Self.day("2026-06-01"))
        #expect(ranked.map(\Scoreboard.Row.county.regionCode) == ["411202", "411203"])
        #expect(Scoreboard.completion(a) > Scoreboard.completion(b))
        #expect(Scoreboard.completion(a) - Scoreboard.completion(a) == .zero)
    }
}

@Suite struct MoneyAndDaysTests {
    @Test func fenAddsWithoutWrappingAndPrintsAsYuan() {
        #expect(Fen(20_000_000).description == "¥200,000.00")
        #expect(Fen(5).description == "¥0.05")
        #expect(Fen(-123_456).description == "-¥1,234.56")
        #expect(Fen(Int64.max).adding(Fen(1)) == nil)
        #expect([Fen(50_000_000), Fen(20_000_000), Fen(1)].total() == Fen(70_000_001))
        #expect([Fen(Int64.max), Fen(1)].total() == nil)
    }

    @Test func aMomentCountsOnItsChinaDay() {
        let late = Timestamp.parse("2026-09-30T20:00:00Z")!
        #expect(ChinaDay(late).description == "2026-10-01")
        #expect(ChinaDay(Timestamp.parse("2026-09-30T15:59:59Z")!).description == "2026-09-30")
        #expect(ChinaDay(Timestamp.parse("2026-12-31T16:00:00Z")!).year == 2027)
    }

    @Test func daysAreRealAndCountInWholeDays() {
        #expect(ChinaDay("2026-02-29") == nil)
        #expect(ChinaDay("2028-02-29") != nil)
        #expect(ChinaDay(year: 2026, month: 13, day: 1) == nil)
        #expect(ChinaDay.januaryFirst(of: 2026).days(to: ChinaDay("2026-12-31")!) == 364)
        #expect(ChinaDay("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(ChinaDay("2026-03-01")!.adding(years: 3)?.adding(days: -1).description == "2029-02-28")
    }

    @Test func fractionsAreExact() {
        #expect(Fraction(2, 4) == Fraction(1, 2))
        #expect(Fraction(1, 3) + Fraction(1, 6) == Fraction(1, 2))
        #expect(Fraction(1, 5) < Fraction(21, 100))
        #expect(Fraction(3, -6) == Fraction(-1, 2))
    }

}

@Suite struct WorkflowTableTests {
    @Test func applicationStepsBelongToTheirRolesAndStates() {
        let flow = Workflow<ApplicationStatus, ApplicationParty>.applications
        #expect(flow.check("submit", by: [.enterprise], from: .draft).isSuccess)
        #expect(flow.check("submit", by: [.enterprise], from: .returned).isSuccess)
        #expect(flow.check("submit", by: [.bureau], from: .draft).refusal == .notAllowed)
        #expect(flow.check("submit", by: [.enterprise], from: .submitted).refusal == .wrongState)
        #expect(flow.check("county_approve", by: [.bureau], from: .submitted).isSuccess)
        #expect(flow.check("recommend", by: [.county], from: .countyApproved).refusal == .notAllowed)
        #expect(flow.check("publish", by: [.bureau], from: .draft).refusal == .unknownAction)
        #expect(flow.step("record_decision")?.to == [.approved, .rejected])
        #expect(flow.step("return")?.needsNote == true)
        #expect(!ApplicationStatus.approved.isOpen && ApplicationStatus.returned.isOpen)
    }

    @Test func cooperationStepsFollowWhoProposed() {
        let flow = Workflow<CooperationStatus, CooperationParty>.cooperations
        #expect(flow.check("accept", by: [.otherSide], from: .proposed).isSuccess)
        #expect(flow.check("accept", by: [.proposer], from: .proposed).refusal == .notAllowed)
        #expect(flow.check("withdraw", by: [.proposer, .college], from: .proposed).isSuccess)
        #expect(flow.check("complete", by: [.otherSide], from: .accepted).refusal == .notAllowed)
        #expect(flow.check("complete", by: [.college, .otherSide], from: .accepted).isSuccess)
        #expect(flow.check("terminate", by: [.proposer], from: .proposed).refusal == .wrongState)
        #expect(CooperationStatus.completed.holdsSeats && !CooperationStatus.proposed.holdsSeats)
    }

}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
    var refusal: Failure? { if case .failure(let failure) = self { failure } else { nil } }

}
