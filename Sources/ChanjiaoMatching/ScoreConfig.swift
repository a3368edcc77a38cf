/// The point values of the demand ↔ program / talent score (MATCHING.md §1) and the match
/// threshold. `standard` is the documented contract; `Config/matching.json` ships the same
/// numbers with the snake_case keys below.
///
/// The skill credit scale (60 points per half of similarity, so 120 for the exact skill at the
/// level asked) is not configurable: it only normalizes `N / (120·W)` and cancels out of the
/// score, so changing it could not change any result.
public struct ScoreConfig: Codable, Sendable, Hashable {
    /// Points for a perfect skill fit (`N = 120·W`); also the scale of the no-skills branch.
    public var skillMax: Int
    /// Demand occupation is related to the program's specialty (or the talent's occupations).
    public var occRelated: Int
    /// Same minor group (first three segments, `6-18-01`) as a related occupation.
    public var occMinorGroup: Int
    /// Neither.
    public var occOther: Int
    /// Same county (all six digits).
    public var geoCounty: Int
    /// Same prefecture (first four digits).
    public var geoPrefecture: Int
    /// Same province (first two digits).
    public var geoProvince: Int
    /// Anywhere else, and talents without region codes.
    public var geoOther: Int
    /// Program / education level at or above the demand's minimum.
    public var levelMeets: Int
    /// Exactly one rank below the minimum (two or more below is ineligible).
    public var levelOneBelow: Int
    /// An eligible pair is a match when its score is at least this.
    public var minScore: Int

    public init(
        skillMax: Int, occRelated: Int, occMinorGroup: Int, occOther: Int,
        geoCounty: Int, geoPrefecture: Int, geoProvince: Int, geoOther: Int,
        levelMeets: Int, levelOneBelow: Int, minScore: Int
    ) {
        self.skillMax = skillMax
        self.occRelated = occRelated
        self.occMinorGroup = occMinorGroup
        self.occOther = occOther
        self.geoCounty = geoCounty
        self.geoPrefecture = geoPrefecture
        self.geoProvince = geoProvince
        self.geoOther = geoOther
        self.levelMeets = levelMeets
        self.levelOneBelow = levelOneBelow
        self.minScore = minScore
    }

    /// The defaults of MATCHING.md §1.
    public static let standard = ScoreConfig(
        skillMax: 5500, occRelated: 2000, occMinorGroup: 1000, occOther: 0,
        geoCounty: 1500, geoPrefecture: 1050, geoProvince: 600, geoOther: 150,
        levelMeets: 1000, levelOneBelow: 500, minScore: 4000
    )

    /// The unrounded score as a fraction: `(skillMax·N + 120W·rest) / 120W`, or without skills
    /// `(skillMax·occ + occRelated·rest) / occRelated` (`rest = occ + geo + lvl`).
    /// Recommendations compare it with a bar before rounding, and bound it by passing an upper
    /// bound of `n`.
    @inline(__always)
    func scoreFraction(weightSum: Int, n: Int, occ: Int, rest: Int) -> (numerator: Int, denominator: Int) {
        if weightSum == 0 { return (skillMax * occ + occRelated * rest, occRelated) }
        let denominator = ScoreMath.maxCredit * weightSum
        return (skillMax * n + denominator * rest, denominator)
    }

    /// Upper bound for every point value. It keeps every product in the score (at most
    /// `skillMax · 120 · W` and `120 · W · (occ + geo + lvl)`) far inside 64-bit integers for
    /// any demand that fits in memory, so the exact arithmetic never needs overflow checks
    /// beyond Swift's own traps.
    public static let maxPoints = 1_000_000

    enum CodingKeys: String, CodingKey {
        case skillMax = "skill_max"
        case occRelated = "occ_related"
        case occMinorGroup = "occ_minor_group"
        case occOther = "occ_other"
        case geoCounty = "geo_county"
        case geoPrefecture = "geo_prefecture"
        case geoProvince = "geo_province"
        case geoOther = "geo_other"
        case levelMeets = "level_meets"
        case levelOneBelow = "level_one_below"
        case minScore = "min_score"
    }

    /// Checks that the values make the score well defined: maxima positive (they are the
    /// denominators of the reported fits), every value in `0...maxPoints`, and each lesser
    /// value at most its maximum. The ordering is what lets `skillMax + occ + geo + lvl`
    /// bound the score from above, which recommendation pruning relies on.
    public func validate() throws(ScoreConfigError) {
        let all: [(String, Int)] = [
            ("skill_max", skillMax), ("occ_related", occRelated), ("occ_minor_group", occMinorGroup),
            ("occ_other", occOther), ("geo_county", geoCounty), ("geo_prefecture", geoPrefecture),
            ("geo_province", geoProvince), ("geo_other", geoOther), ("level_meets", levelMeets),
            ("level_one_below", levelOneBelow), ("min_score", minScore),
        ]
        for (key, value) in all where value < 0 || value > Self.maxPoints {
            throw .outOfRange(key: key, value: value)
        }
        for (key, value) in [
            ("skill_max", skillMax), ("occ_related", occRelated),
            ("geo_county", geoCounty), ("level_meets", levelMeets),
        ] where value == 0 {
            throw .maximumNotPositive(key: key)
        }
        let chains: [[(String, Int)]] = [
            [("occ_related", occRelated), ("occ_minor_group", occMinorGroup), ("occ_other", occOther)],
            [("geo_county", geoCounty), ("geo_prefecture", geoPrefecture),
             ("geo_province", geoProvince), ("geo_other", geoOther)],
            [("level_meets", levelMeets), ("level_one_below", levelOneBelow)],
        ]
        for chain in chains {
            for (higher, lower) in zip(chain, chain.dropFirst()) where lower.1 > higher.1 {
                throw .notDescending(higher: higher.0, lower: lower.0)
            }
        }
    }
}

/// Why a `ScoreConfig` was rejected; keys are the JSON (snake_case) names.
public enum ScoreConfigError: Error, Equatable, Sendable {
    case outOfRange(key: String, value: Int)
    case maximumNotPositive(key: String)
    case notDescending(higher: String, lower: String)
}
