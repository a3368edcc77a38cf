import Testing
@testable import ChanjiaoAllocation

/// A slow but obviously correct exact solver for cross-checking the cost-scaling solver:
/// successive shortest paths with Bellman–Ford on the source → program → demand → sink network.
/// Starting from the empty flow (no negative cycles, since the network is acyclic), each step sends
/// the bottleneck amount along a cheapest augmenting path; the flow stays minimum-cost for its
/// value, so stopping at the first path of cost ≥ 0 (no score left to gain) gives the maximum score.
struct ReferenceAllocation {
    private var head: [Int] = [], cap: [Int] = [], cost: [Int] = []
    private var adjacency: [[Int]]
    private let source: Int, sink: Int

    init(capacities: [Int], headcounts: [Int], arcs: [(p: Int, d: Int, score: Int)]) {
        let p = capacities.count, d = headcounts.count
        source = p + d
        sink = p + d + 1
        adjacency = Array(repeating: [], count: p + d + 2)
        for (i, c) in capacities.enumerated() { addArc(source, i, c, 0) }
        for (j, h) in headcounts.enumerated() { addArc(p + j, sink, h, 0) }
        for arc in arcs { addArc(arc.p, p + arc.d, Int.max / 4, -arc.score) }
    }

    private mutating func addArc(_ u: Int, _ v: Int, _ c: Int, _ w: Int) {
        adjacency[u].append(head.count); head.append(v); cap.append(c); cost.append(w)
        adjacency[v].append(head.count); head.append(u); cap.append(0); cost.append(-w)
    }

    /// The maximum total score.
    mutating func solve() -> Int64 {
        let n = adjacency.count
        var objective: Int64 = 0
        while true {
            var dist = [Int](repeating: Int.max, count: n)
            var via = [Int](repeating: -1, count: n)
            dist[source] = 0
            var changed = true
            while changed {
                changed = false
                for u in 0..<n where dist[u] != Int.max {
                    for a in adjacency[u] where cap[a] > 0 && dist[u] + cost[a] < dist[head[a]] {
                        dist[head[a]] = dist[u] + cost[a]
                        via[head[a]] = a
                        changed = true
                    }
                }
            }
            guard dist[sink] < 0 else { return objective }
            var bottleneck = Int.max
            var v = sink
            while v != source { let a = via[v]; bottleneck = min(bottleneck, cap[a]); v = head[a ^ 1] }
            v = sink
            while v != source { let a = via[v]; cap[a] -= bottleneck; cap[a ^ 1] += bottleneck; v = head[a ^ 1] }
            objective += Int64(bottleneck) * Int64(-dist[sink])
        }
    }
}

/// Enumerates every integer allocation of a tiny problem: the ground truth for the reference.
private func bruteForce(_ caps: [Int], _ heads: [Int], _ arcs: [(p: Int, d: Int, score: Int)]) -> Int64 {
    var best: Int64 = 0
    var usedP = [Int](repeating: 0, count: caps.count), usedD = [Int](repeating: 0, count: heads.count)
    func go(_ i: Int, _ value: Int64) {
        if i == arcs.count { best = max(best, value); return }
        let a = arcs[i]
        let room = min(caps[a.p] - usedP[a.p], heads[a.d] - usedD[a.d])
        for x in 0...max(0, room) {
            usedP[a.p] += x; usedD[a.d] += x
            go(i + 1, value + Int64(x * a.score))
            usedP[a.p] -= x; usedD[a.d] -= x
        }
    }
    go(0, 0)
    return best
}

@Suite struct AllocationReferenceSolverTests {
    @Test func referenceMatchesBruteForceOnTinyProblems() {
        var rng = TestRandom(seed: 7)
        for _ in 0..<150 {
            let p = rng.int(1...3), d = rng.int(1...3)
            let caps = (0..<p).map { _ in rng.int(0...3) }
            let heads = (0..<d).map { _ in rng.int(0...3) }
            var arcs: [(p: Int, d: Int, score: Int)] = []
            for i in 0..<p { for j in 0..<d where rng.int(0...2) > 0 { arcs.append((i, j, rng.int(0...9))) } }
            var reference = ReferenceAllocation(capacities: caps, headcounts: heads, arcs: arcs)
            #expect(reference.solve() == bruteForce(caps, heads, arcs))
        }
    }

    @Test func referenceKnowsTheClassicExchange() {
        // Greedy takes (0,0)=10 and stops at 10; the optimum sends 0→1 and 1→0 for 9 + 9 = 18.
        var reference = ReferenceAllocation(
            capacities: [1, 1], headcounts: [1, 1],
            arcs: [(0, 0, 10), (0, 1, 9), (1, 0, 9)])
        #expect(reference.solve() == 18)
    }
}

/// Deterministic SplitMix64, so failing cases reproduce.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
