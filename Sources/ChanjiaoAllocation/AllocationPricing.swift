/// Arc pricing (column generation): solves a large problem exactly while the cost-scaling solver
/// only ever sees a small part of its arcs.
///
/// 1. Restrict the problem to each program's and each demand's best arcs (by score).
/// 2. Solve the restriction, and read its exact optimal potentials π (``optimalPotentials``).
/// 3. Price every other arc: `p → d` with score `s` has reduced profit `s − (π(p) − π(d))`. If
///    none is positive, π is a dual solution of the whole problem with the restriction's
///    objective, so the restriction's optimum is the whole problem's (LP duality; the network is
///    totally unimodular, so integer optima are LP optima). Otherwise add, for every node, its
///    arcs of largest reduced profit (those a little short of paying too, see `margin`), and go
///    back to 2, resuming from the optimum just found (``AllocationResumption``).
///
/// Each round adds at least one arc of positive reduced profit the restriction lacked, so the loop
/// ends, and it can only end on the whole problem's optimum. The bounds are the whole problem's
/// clamped ones in every round (`AllocationLayout(clamp: false)`): clamped again on a
/// restriction's fewer arcs they would change the duals, not the restriction's optimum.
public struct AllocationPricingOptions: Sendable, Equatable {
    /// Problems with fewer usable arcs are solved whole: a round costs a pass over all arcs.
    public var fromArcs: Int
    /// Problems with fewer usable arcs per node (programs and demands taking part) are solved
    /// whole: pricing pays only when most arcs are never needed. Measured on province runs
    /// (docs/BENCHMARKS.md): at 27 and 58 arcs per node solving whole was faster, at 585 pricing
    /// was 5× faster.
    public var fromArcsPerNode: Int
    /// Arcs per program and per demand in the first restriction.
    public var initialPerNode: Int
    /// Arcs added per program and per demand in a round, the largest reduced profit first.
    public var addedPerNode: Int
    /// Arcs whose reduced cost is positive but below this (in score units) may be added too: the
    /// duals move when arcs are added, and arcs just short of paying are the next round's
    /// candidates. Measured on the dense province run: 0 took 15 rounds, 1,000 three.
    public var margin: Int

    public init(
        fromArcs: Int = 2_000_000, fromArcsPerNode: Int = 200, initialPerNode: Int = 6, addedPerNode: Int = 8, margin: Int = 1_000
    ) {
        self.fromArcs = max(0, fromArcs)
        self.fromArcsPerNode = max(0, fromArcsPerNode)
        self.initialPerNode = max(1, initialPerNode)
        self.addedPerNode = max(1, addedPerNode)
        self.margin = max(0, margin)
    }

    /// Never price: every problem is solved whole.
    public static let off = AllocationPricingOptions(fromArcs: Int.max)

    /// Pricing on every problem (tests and tuning), with the given restriction sizes.
    public static func always(initialPerNode: Int = 6, addedPerNode: Int = 8, margin: Int = 1_000) -> AllocationPricingOptions {
        AllocationPricingOptions(fromArcs: 0, fromArcsPerNode: 0, initialPerNode: initialPerNode, addedPerNode: addedPerNode, margin: margin)
    }

    func applies(to layout: AllocationLayout) -> Bool {
        layout.usableArcs >= fromArcs && layout.usableArcs / max(1, layout.programCount + layout.demandCount) >= fromArcsPerNode
    }
}

/// What a solve did, for the match run's log and the benchmarks.
public struct AllocationSolveReport: Sendable, Equatable {
    /// Restrictions solved by arc pricing (1: the first was already optimal); 0 when the problem
    /// was solved whole.
    public var rounds: Int
    /// Arcs the cost-scaling solver saw (in the last round).
    public var arcs: Int
}

/// A solve's rounds: the solver, then the pricing pass, of every restriction.
func solveByPricing(
    _ problem: AllocationProblem, _ layout: AllocationLayout, _ options: AllocationSolverOptions
) -> (AllocationResult, AllocationSolveReport) {
    var chosen = ArcSet(count: problem.arcCount)
    // The whole problem's clamped bounds, by program and demand number (0: the node takes no part).
    let capacities = layout.programNode.map { $0 >= 0 ? layout.nodeBound[Int($0)] : 0 }
    let headcounts = layout.demandNode.map { $0 >= 0 ? layout.nodeBound[Int($0)] : 0 }

    var best = TopArcs(programs: problem.capacities.count, demands: problem.headcounts.count, k: options.pricing.initialPerNode)
    layout.forEachUsableArc(of: problem) { a, p, d, s in best.offer(arc: a, program: p, demand: d, key: Int64(s)) }
    best.insert(into: &chosen)  // every node keeps its best arc, so every node is in each restriction

    let margin = Int64(options.pricing.margin)
    var rounds = 0
    var previous: (arcs: [Int32], result: AllocationResult, potentials: [Int64])?
    while true {
        rounds += 1
        let arcs = chosen.members()
        let restriction = AllocationProblem(restricting: problem, to: arcs, capacities: capacities, headcounts: headcounts)
        let restrictedLayout = AllocationLayout(restriction, clamp: false)
        let resume = previous.map {
            AllocationResumption(problem: restriction, layout: restrictedLayout,
                                 flows: renumber($0.result.assignments, from: $0.arcs, to: arcs), potentials: $0.potentials)
        }
        let (result, potential) = solveWhole(restriction, restrictedLayout, options, resume: resume, potentials: true)
        let pn = restrictedLayout.programNode, dn = restrictedLayout.demandNode
        var priced = false  // an arc outside the restriction has a positive reduced profit
        var violated = TopArcs(programs: problem.capacities.count, demands: problem.headcounts.count, k: options.pricing.addedPerNode)
        potential.withUnsafeBufferPointer { potential in
        pn.withUnsafeBufferPointer { pn in
        dn.withUnsafeBufferPointer { dn in
            layout.forEachUsableArc(of: problem) { a, p, d, s in
                let gain = Int64(s) - (potential[Int(pn[p])] - potential[Int(dn[d])])
                if gain > -margin && !chosen.contains(a) {
                    violated.offer(arc: a, program: p, demand: d, key: gain)
                    if gain > 0 { priced = true }
                }
            }
        }}}
        if !priced {
            return (AllocationResult(objective: result.objective, assigned: result.assigned,
                                     assignments: result.assignments.map { AllocationAssignment(arc: Int(arcs[$0.arc]), seats: $0.seats) }),
                    AllocationSolveReport(rounds: rounds, arcs: arcs.count))
        }
        violated.insert(into: &chosen)
        previous = (arcs, result, potential)
    }
}

/// Assignments on the arcs `from` (indices into it) as indices into `to`, which holds every arc of
/// `from`; both increasing.
private func renumber(_ assignments: [AllocationAssignment], from: [Int32], to: [Int32]) -> [AllocationAssignment] {
    var j = 0
    return assignments.map { x in
        let arc = from[x.arc]
        while to[j] < arc { j += 1 }
        return AllocationAssignment(arc: j, seats: x.seats)
    }
}

/// Solves `problem` on all its arcs (no pricing); returns the result and, if asked, exact optimal
/// potentials in real score units, by graph node of `layout` (empty otherwise).
func solveWhole(
    _ problem: AllocationProblem, _ layout: AllocationLayout, _ options: AllocationSolverOptions,
    resume: AllocationResumption? = nil, potentials: Bool = false
) -> (AllocationResult, [Int64]) {
    func run<Cap>(_ network: borrowing AllocationNetwork<Cap>) -> (AllocationResult, [Int64]) {
        let factor = network.minimiseCost(options, resume: resume)
        let potential = potentials ? network.optimalPotentials(scale: Int64(network.nodeCount + 1)).map { $0 * factor } : []
        return (network.result(problem, layout), potential)
    }
    // 32-bit residual capacities whenever every clamped bound fits (flows never exceed them).
    if layout.largestBound <= Int(Int32.max) {
        return run(AllocationNetwork<Int32>(problem, layout))
    } else {
        return run(AllocationNetwork<Int64>(problem, layout))
    }
}

/// A set of arc numbers, one bit each.
struct ArcSet {
    private var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    func contains(_ arc: Int) -> Bool { words[arc >> 6] & (1 << UInt64(arc & 63)) != 0 }
    mutating func insert(_ arc: Int) { words[arc >> 6] |= 1 << UInt64(arc & 63) }

    /// The members in increasing order.
    func members() -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(words.reduce(0) { $0 + $1.nonzeroBitCount })
        for (i, word) in words.enumerated() {
            var w = word
            while w != 0 {
                out.append(Int32(i << 6 + w.trailingZeroBitCount))
                w &= w &- 1
            }
        }
        return out
    }
}

/// For every program and every demand, the `k` arcs with the largest keys offered so far.
struct TopArcs {
    private let k: Int
    private let programs: Int
    /// Node `i`'s entries are `i·k ..< (i+1)·k`, keys descending; programs first, then demands.
    private var keys: [Int64]
    private var arcs: [Int32]

    init(programs: Int, demands: Int, k: Int) {
        self.k = k
        self.programs = programs
        keys = [Int64](repeating: Int64.min, count: (programs + demands) * k)
        arcs = [Int32](repeating: -1, count: (programs + demands) * k)
    }

    mutating func offer(arc: Int, program: Int, demand: Int, key: Int64) {
        offer(arc: arc, node: program, key: key)
        offer(arc: arc, node: programs + demand, key: key)
    }

    private mutating func offer(arc: Int, node: Int, key: Int64) {
        let base = node * k
        guard key > keys[base + k - 1] else { return }
        var i = base + k - 1
        while i > base && keys[i - 1] < key {
            keys[i] = keys[i - 1]
            arcs[i] = arcs[i - 1]
            i -= 1
        }
        keys[i] = key
        arcs[i] = Int32(arc)
    }

    func insert(into set: inout ArcSet) {
        for arc in arcs where arc >= 0 { set.insert(Int(arc)) }
    }
}

/// Where a pricing round resumes: the previous round's optimal flow, carried to this round's
/// restriction (a superset of the previous one), and its exact potentials.
struct AllocationResumption {
    let problem: AllocationProblem
    let layout: AllocationLayout
    /// Seats per arc, in this round's arc numbering, increasing.
    let flows: [AllocationAssignment]
    /// The previous round's optimal potentials in real score units, by graph node (the nodes are
    /// the same in every round: each keeps its best arc from the first).
    let potentials: [Int64]
}

extension AllocationNetwork {
    /// The ε, in real cost units, a resumed solve begins at at most.
    static var resumeFrom: Int64 { 32 }

    /// Loads the resumed flow (the rest of every balance through the hub) and the potentials as
    /// prices; returns the ε, in real cost units, at which the flow is ε-optimal: the largest
    /// reduced profit of an arc pricing added.
    func applyResumption(_ resume: AllocationResumption, factor: Int64, scale: Int64) -> Int64 {
        let n = nodeCount, hub = n - 1
        @inline(__always) func push(_ slot: Int, _ amount: Int64) {
            let s = slots[slot]
            slots[slot].cap = s.cap - Cap(truncatingIfNeeded: amount)
            slots[Int(s.rev)].cap += Cap(truncatingIfNeeded: amount)
            excess[Int(slots[Int(s.rev)].head)] -= amount
            excess[Int(s.head)] += amount
        }
        let flows = resume.flows
        var f = 0
        forEachArcSlot(resume.problem, resume.layout) { a, slot in
            while f < flows.count && flows[f].arc < a { f += 1 }
            if f < flows.count && flows[f].arc == a { push(slot, Int64(flows[f].seats)) }
        }
        // Each node's hub slot is its last: unused seats go to the hub, unmet headcount comes from it.
        for u in 0..<hub {
            let e = excess[u]
            let last = Int(first[u + 1]) - 1
            if e > 0 { push(last, e) } else if e < 0 { push(Int(slots[last].rev), -e) }
        }
        resetMasks()
        for u in 0..<n {
            precondition(resume.potentials[u] % factor == 0, "the factor divides every earlier cost")
            price[u] = resume.potentials[u] / factor * scale
        }
        var worst: Int64 = 0
        for u in 0..<n {
            for a in Int(first[u])..<Int(first[u + 1]) where slots[a].cap > 0 {
                let s = slots[a]
                worst = max(worst, -(Int64(s.cost) * scale + price[u] - price[Int(s.head)]))
            }
        }
        // Beginning at the largest reduced profit measured slower: the early phases' coarse
        // relabels spoil the potentials, which were exact, and the fine phases must mend them.
        return min(Self.resumeFrom, (worst + scale - 1) / scale)
    }
}
