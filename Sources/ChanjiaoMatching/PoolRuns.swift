// Shared layout pieces of the candidate pools (`MatchPools.swift`) and of their scans
// (`SupplyScan.swift`, `DemandScan.swift`).

/// Records sorted by an (outer, inner) key pair, e.g. (occupation set, region set), and cut
/// into runs of equal keys. Occ and geo are fixed within a run, so a scan can bound a whole run
/// at once and read the ones it keeps front to back. Outer key `o` owns the runs
/// `runs[range(of: o)]`.
struct PoolRuns: Sendable {
    struct Run {
        let inner: Int32
        let start: Int32
        let end: Int32
    }

    let runs: [Run]
    private let start: [Int32]

    /// The positions of `keys` in sorted order (ties by position): the order the pool stores
    /// its records in. Both keys are small dense ids (≥ 0), so two stable counting sorts, by
    /// inner then by outer, do it in linear time: pools of 100,000 are rebuilt on every batch
    /// of changes.
    static func order(_ keys: [(outer: Int32, inner: Int32)]) -> [Int] {
        let byInner = countingSort(Array(keys.indices), by: { Int(keys[$0].inner) })
        return countingSort(byInner, by: { Int(keys[$0].outer) })
    }

    /// `items` stably sorted by `key` (≥ 0).
    private static func countingSort(_ items: [Int], by key: (Int) -> Int) -> [Int] {
        var start = [Int](repeating: 0, count: (items.lazy.map(key).max() ?? -1) + 2)
        for item in items { start[key(item) + 1] += 1 }
        for k in start.indices.dropFirst() { start[k] += start[k - 1] }
        var sorted = [Int](repeating: 0, count: items.count)
        for item in items {
            sorted[start[key(item)]] = item
            start[key(item)] += 1
        }
        return sorted
    }

    /// `sortedKeys`: the keys in stored order; outer keys are ≥ 0 and < `outerCount`.
    init(sortedKeys: [(outer: Int32, inner: Int32)], outerCount: Int) {
        var runs: [Run] = []
        var start = [Int32](repeating: 0, count: outerCount + 1)
        for (position, key) in sortedKeys.enumerated() {
            if position == 0 || sortedKeys[position - 1] != key {
                runs.append(Run(inner: key.inner, start: Int32(position), end: Int32(position)))
            }
            runs[runs.count - 1] = Run(inner: key.inner, start: runs[runs.count - 1].start, end: Int32(position + 1))
            start[Int(key.outer) + 1] = Int32(runs.count)
        }
        // An outer key without records owns no runs: its range starts and ends where the
        // previous one's ends.
        for o in start.indices.dropFirst() { start[o] = max(start[o], start[o - 1]) }
        self.runs = runs
        self.start = start
    }

    func range(of outer: Int) -> Range<Int> {
        guard outer >= 0, outer + 1 < start.count else { return 0..<0 }
        return Int(start[outer])..<Int(start[outer + 1])
    }
}

/// Lists of positions by a small integer key, packed into one array (CSR): key `k` owns
/// `entries[start[k] ..< start[k + 1]]`, ascending.
struct PostingLists: Sendable {
    private let start: [Int32]
    private let entries: [Int32]

    /// `pairs`: (key ≥ 0, position), positions ascending.
    init(_ pairs: some Collection<(Int, Int)>) {
        var start = [Int32](repeating: 0, count: (pairs.lazy.map(\.0).max() ?? -1) + 2)
        for (key, _) in pairs { start[key + 1] += 1 }
        for k in start.indices.dropFirst() { start[k] += start[k - 1] }
        var fill = start
        var entries = [Int32](repeating: 0, count: Int(start.last ?? 0))
        for (key, position) in pairs {
            entries[Int(fill[key])] = Int32(position)
            fill[key] += 1
        }
        self.start = start
        self.entries = entries
    }

    /// Where `key`'s list lies in `entry(_:)` (empty for a key never seen).
    @inline(__always)
    func range(_ key: Int) -> Range<Int> {
        guard key >= 0, key + 1 < start.count else { return 0..<0 }
        return Int(start[key])..<Int(start[key + 1])
    }

    @inline(__always)
    func entry(_ i: Int) -> Int { Int(entries[i]) }
}

/// One bit per pool position: which candidates a scan has looked at already.
struct VisitedSet {
    private var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    /// Marks `position`; false if it was marked already.
    @inline(__always)
    mutating func insert(_ position: Int) -> Bool {
        let (word, bit) = (position >> 6, UInt64(1) << UInt64(position & 63))
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        return true
    }
}

/// occ for one request per outer key of a pool (occupation set, or occupation id): the keys
/// related to the fixed side's occupation or to its minor group are `favoured` (related first);
/// every other key has `occOther`.
struct OccupationPoints {
    let byKey: [Int]
    let favoured: [Int]
    let isFavoured: [Bool]

    /// `related` and `minorGroup` may overlap (related wins) and repeat.
    init(count: Int, related: some Sequence<Int>, minorGroup: some Sequence<Int>, _ config: ScoreConfig) {
        var byKey = [Int](repeating: config.occOther, count: count)
        var isFavoured = [Bool](repeating: false, count: count)
        var favoured: [Int] = []
        func favour(_ keys: some Sequence<Int>, _ occ: Int) {
            for key in keys where !isFavoured[key] {
                isFavoured[key] = true
                byKey[key] = occ
                favoured.append(key)
            }
        }
        favour(related, config.occRelated)
        favour(minorGroup, config.occMinorGroup)
        self.byKey = byKey
        self.favoured = favoured
        self.isFavoured = isFavoured
    }
}

/// What `SupplyScan` and `DemandScan` share: the two rounds' loops.
protocol PoolScan {
    var config: ScoreConfig { get }
    var lvlByFilter: [Int] { get }
    /// Scores the candidate at `position` unless it was visited already (the scan's own
    /// `VisitedSet`, kept out of this protocol so the hot path needs no accessor calls).
    mutating func visit(_ position: Int)
    /// Whether a candidate that shares no skill itself with the fixed side can reach the bar
    /// with these parts.
    func reaches(occ: Int, geo: Int, lvl: Int) -> Bool
}

extension PoolScan {
    /// Round one: every candidate under `key` (a skill id).
    mutating func visit(_ lists: PostingLists, _ key: Int) {
        for i in lists.range(key) { visit(lists.entry(i)) }
    }

    /// Round two: the runs whose bound reaches the bar, favoured occupations first. All other
    /// keys have `occOther`, so one bound decides for all of them before any is looked at.
    mutating func visitRuns(_ runs: PoolRuns, occupation: OccupationPoints, geoByInner: [Int]) {
        let lvlMax = lvlByFilter.max() ?? MatchScorer.ineligible
        let geoMax = geoByInner.max() ?? config.geoOther
        for key in occupation.favoured {
            visitRuns(runs, of: key, occ: occupation.byKey[key], geoByInner: geoByInner, geoMax: geoMax, lvlMax: lvlMax)
        }
        guard reaches(occ: config.occOther, geo: geoMax, lvl: lvlMax) else { return }
        for key in occupation.byKey.indices where !occupation.isFavoured[key] {
            visitRuns(runs, of: key, occ: config.occOther, geoByInner: geoByInner, geoMax: geoMax, lvlMax: lvlMax)
        }
    }

    /// The runs of outer key `outer`, all with occ `occ`, whose bound reaches the bar.
    private mutating func visitRuns(_ runs: PoolRuns, of outer: Int, occ: Int, geoByInner: [Int], geoMax: Int, lvlMax: Int) {
        guard reaches(occ: occ, geo: geoMax, lvl: lvlMax) else { return }
        for r in runs.range(of: outer) {
            let run = runs.runs[r]
            guard reaches(occ: occ, geo: geoByInner[Int(run.inner)], lvl: lvlMax) else { continue }
            for position in Int(run.start)..<Int(run.end) { visit(position) }
        }
    }
}
