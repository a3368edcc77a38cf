/// The red/black list (红黑榜) of DOMAIN.md §Targets, as a pure function over exact fractions.
public enum Scoreboard {
    public enum List: String, Sendable, Equatable {
        case red, black, none
    }

    /// One county's year: its targets, its deadline and what it has reached by `as_of`.
    public struct County: Sendable, Equatable {
        public var regionCode: String
        public var submitted: Int
        public var submittedTarget: Int
        public var certified: Int
        public var certifiedTarget: Int
        public var deadline: ChinaDay

        public init(regionCode: String, submitted: Int, submittedTarget: Int, certified: Int, certifiedTarget: Int, deadline: ChinaDay) {
            self.regionCode = regionCode
            self.submitted = submitted
            self.submittedTarget = submittedTarget
            self.certified = certified
            self.certifiedTarget = certifiedTarget
            self.deadline = deadline
        }
    }

    public struct Row: Sendable, Equatable {
        public var county: County
        public var completion: Fraction
        public var expected: Fraction
        public var list: List
        /// 1…n in the documented order, no shared places.
        public var rank: Int
    }

    /// How far a county is against its targets: the mean of its two ratios, each capped at 1;
    /// a zero target counts as met.
    public static func completion(_ county: County) -> Fraction {
        func part(_ reached: Int, _ target: Int) -> Fraction {
            target <= 0 ? .one : min(.one, Fraction(reached, target))
        }
        return (part(county.submitted, county.submittedTarget) + part(county.certified, county.certifiedTarget)) / 2
    }

    /// Where the county should be by `asOf`: the share of the days from Jan 1 to the deadline
    /// that have passed, in whole days, between 0 and 1.
    public static func expected(asOf: ChinaDay, deadline: ChinaDay) -> Fraction {
        let start = ChinaDay.januaryFirst(of: deadline.year)
        let span = start.days(to: deadline)
        precondition(span > 0, "a deadline falls after Jan 1 of its year (isValidDeadline)")
        return Fraction(start.days(to: asOf), span).clamped(to: .zero ... .one)
    }

    /// A deadline must fall after Jan 1 of its year (else `expected` has no span).
    public static func isValidDeadline(_ deadline: ChinaDay, year: Int) -> Bool {
        deadline.year == year && deadline > ChinaDay.januaryFirst(of: year)
    }

    static let margin = Fraction(1, 5)

    public static func list(completion: Fraction, expected: Fraction, asOf: ChinaDay, deadline: ChinaDay) -> List {
        if (asOf > deadline && completion < .one) || completion < expected - margin { return .black }
        if completion >= .one || completion >= expected + margin { return .red }
        return .none
    }

    /// Every county ranked by completion (descending), then certified (descending), then
    /// region code, each with its list.
    public static func rank(_ counties: [County], asOf: ChinaDay) -> [Row] {
        let rows = counties.map { county -> Row in
            let completion = completion(county)
            let expected = expected(asOf: asOf, deadline: county.deadline)
            return Row(
                county: county, completion: completion, expected: expected,
                list: list(completion: completion, expected: expected, asOf: asOf, deadline: county.deadline), rank: 0)
        }
        let ordered = rows.sorted { a, b in
            if a.completion != b.completion { return a.completion > b.completion }
            if a.county.certified != b.county.certified { return a.county.certified > b.county.certified }
            return a.county.regionCode < b.county.regionCode
        }
        return ordered.enumerated().map { index, row in
            var ranked = row
            ranked.rank = index + 1
            return ranked
        }
    }
}
