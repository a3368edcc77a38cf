/// The residual network the cost-scaling solver works on, and how an ``AllocationProblem`` maps to it.
///
/// Formulation (a min-cost flow with node balances, costs negated to minimise):
/// - every program node `p` has supply `c'_p`, every demand node `d` has demand `h'_d`;
/// - arc `p → d` with cost `-score` and capacity `min(c'_p, h'_d)` for every arc with score > 0;
/// - one hub node `Z` with balance `Σh' − Σc'`, arcs `p → Z` (capacity `c'_p`: seats left unused)
///   and `Z → d` (capacity `h'_d`: headcount left unmet), both of cost 0.
/// This is the references' source/sink/bypass network with source and sink merged, so every
/// feasible flow is an allocation and vice versa, with the same objective.
///
/// `c'` and `h'` are the capacities clamped to what the neighbours could ever take
/// (`c'_p = min(c_p, Σ h_d over p's arcs)`, then `h'_d = min(h_d, Σ c'_p over d's arcs)`): that does
/// not change the feasible set, and it keeps every arc capacity small enough for 32-bit residuals
/// in all but absurd inputs. Nodes left with nothing to do (zero capacity, only score-0 arcs) are
/// dropped, which also keeps the cost multiplier `n + 1` small.
struct AllocationLayout {
    /// Graph node of each program, or -1 when it takes no part.
    var programNode: [Int32]
    /// Graph node of each demand, or -1 when it takes no part.
    var demandNode: [Int32]
    /// Clamped capacity per graph node: seats for programs, headcount for demands.
    var nodeBound: [Int]
    /// Slots per graph node (usable arcs plus the hub arc; the hub's is one per other node).
    var degree: [Int32]
    /// Number of program nodes (they come first, then demand nodes, then the hub).
    var programCount: Int
    var demandCount: Int
    /// Arcs that enter the network: score > 0 and both ends present.
    var usableArcs: Int
    /// The largest clamped bound, which decides the residual integer width.
    var largestBound: Int

    /// Σ clamped seats and Σ clamped headcount.
    var programTotal: Int
    var demandTotal: Int

    /// One side's total is at least 17/16 of the other's: many of the plentiful side's nodes will
    /// keep slack, which is what makes the warm start pay (see applyWarmStart).
    static func isLopsided(_ x: Int64, _ y: Int64) -> Bool { 16 * max(x, y) >= 17 * min(x, y) }
    var isLopsided: Bool { Self.isLopsided(Int64(programTotal), Int64(demandTotal)) }

    var hub: Int { programCount + demandCount }
    var nodeCount: Int { programCount + demandCount + 1 }

    /// Two sequential passes over the arcs. An arc is usable exactly when its score, its program's
    /// seats and its demand's headcount are all > 0: then both clamped bounds are > 0 as well (the
    /// arc itself contributes to both reach sums), so usability and degrees are known in the first
    /// pass. No overflow checks: the sums are bounded by Σ seats and Σ headcount, which
    /// ``AllocationProblem`` keeps below 2^49.
    ///
    /// `clamp: false` keeps every bound as given (nodes without a usable arc are still dropped):
    /// arc pricing solves restrictions of a problem whose bounds were clamped on all its arcs, and
    /// clamping again on the restriction's fewer arcs would give duals that do not hold for the
    /// whole problem (see AllocationPricing.swift).
    init(_ problem: AllocationProblem, clamp: Bool = true) {
        let caps = problem.capacities, heads = problem.headcounts
        let P = caps.count, D = heads.count
        var reachP = [Int](repeating: 0, count: P), reachD = [Int](repeating: 0, count: D)
        var degP = [Int32](repeating: 0, count: P), degD = [Int32](repeating: 0, count: D)
        var usable = 0
        caps.withUnsafeBufferPointer { caps in
        heads.withUnsafeBufferPointer { heads in
        problem.arcPrograms.withUnsafeBufferPointer { ap in
        problem.arcDemands.withUnsafeBufferPointer { ad in
        problem.arcScores.withUnsafeBufferPointer { sc in
        reachP.withUnsafeMutableBufferPointer { reachP in
        reachD.withUnsafeMutableBufferPointer { reachD in
        degP.withUnsafeMutableBufferPointer { degP in
        degD.withUnsafeMutableBufferPointer { degD in
            // Σ headcount reachable from each program, and the degrees.
            for a in 0..<sc.count where sc[a] > 0 {
                let p = Int(ap[a]), d = Int(ad[a])
                let h = heads[d]
                guard caps[p] > 0, h > 0 else { continue }
                reachP[p] += h
                degP[p] += 1
                degD[d] += 1
                usable += 1
            }
            // Σ clamped seats reachable from each demand.
            for a in 0..<sc.count where clamp && sc[a] > 0 {
                let p = Int(ap[a]), d = Int(ad[a])
                guard heads[d] > 0 else { continue }
                reachD[d] += min(caps[p], reachP[p])
            }
        }}}}}}}}}
        var programNode = [Int32](repeating: -1, count: P)
        var demandNode = [Int32](repeating: -1, count: D)
        var bound: [Int] = [], degree: [Int32] = []
        var largest = 0
        for p in 0..<P {
            let c = clamp ? min(caps[p], reachP[p]) : degP[p] > 0 ? caps[p] : 0
            if c > 0 {
                programNode[p] = Int32(bound.count)
                bound.append(c); degree.append(degP[p] + 1); largest = max(largest, c)
            }
        }
        let programCount = bound.count
        for d in 0..<D {
            let h = clamp ? min(heads[d], reachD[d]) : degD[d] > 0 ? heads[d] : 0
            if h > 0 {
                demandNode[d] = Int32(bound.count)
                bound.append(h); degree.append(degD[d] + 1); largest = max(largest, h)
            }
        }
        degree.append(Int32(bound.count))  // the hub: one slot per other node
        self.programNode = programNode
        self.demandNode = demandNode
        self.nodeBound = bound
        self.degree = degree
        self.programCount = programCount
        self.demandCount = bound.count - programCount
        self.usableArcs = usable
        self.largestBound = largest
        self.programTotal = bound[..<programCount].reduce(0, +)
        self.demandTotal = bound[programCount...].reduce(0, +)
    }
}

extension AllocationLayout {
    /// The layout of the transposed problem (``AllocationProblem/init(transposing:)``), without
    /// another pass over the arcs: the same clamped bounds (valid whichever side is clamped first),
    /// demands renumbered to come first.
    func transposed() -> AllocationLayout {
        var t = self
        let p = Int32(programCount), d = Int32(demandCount)
        t.programNode = demandNode.map { $0 >= 0 ? $0 - p : -1 }
        t.demandNode = programNode.map { $0 >= 0 ? $0 + d : -1 }
        t.nodeBound = Array(nodeBound[programCount...] + nodeBound[..<programCount])
        t.degree = Array(degree[programCount..<hub] + degree[..<programCount]) + [degree[hub]]
        t.programCount = demandCount
        t.demandCount = programCount
        t.programTotal = demandTotal
        t.demandTotal = programTotal
        return t
    }
}

/// One direction of a network arc. Forward and reverse slots point at each other through `rev`.
/// Kept to 16 bytes for 32-bit residuals so a node's slots share cache lines while it is scanned.
struct AllocationSlot<Cap: FixedWidthInteger & SignedInteger> {
    /// The node this slot leads to.
    var head: Int32
    /// Index of the opposite slot.
    var rev: Int32
    /// Residual capacity.
    var cap: Cap
    /// Unscaled cost: `-score` forward, `+score` backward, 0 on hub arcs.
    var cost: Int32
}

/// The residual network in compressed-sparse-row form: node `u`'s slots are
/// `slots[first[u] ..< first[u + 1]]`. Owns its buffers (non-copyable) so the solver's hot loops
/// work on raw pointers without bounds checks, copy-on-write checks or reference counting.
struct AllocationNetwork<Cap: FixedWidthInteger & SignedInteger>: ~Copyable {
    let nodeCount: Int
    let slotCount: Int
    let first: UnsafeMutablePointer<Int32>
    let slots: UnsafeMutablePointer<AllocationSlot<Cap>>
    /// Node balance still to route: > 0 excess, < 0 deficit.
    let excess: UnsafeMutablePointer<Int64>
    let price: UnsafeMutablePointer<Int64>
    /// For nodes of degree ≤ 64 (demands, in practice), a bit per slot with residual capacity, so
    /// scans visit only the few slots that carry flow back. Kept in step with every capacity change.
    let mask: UnsafeMutablePointer<UInt64>
    let maskable: UnsafeMutablePointer<Bool>
    /// Program nodes are `0 ..< programCount`.
    let programCount: Int

    init(_ problem: AllocationProblem, _ layout: AllocationLayout) {
        let n = layout.nodeCount, hub = layout.hub
        let m = layout.usableArcs + layout.programCount + layout.demandCount
        nodeCount = n
        slotCount = 2 * m
        programCount = layout.programCount
        first = .allocate(capacity: n + 1)
        slots = .allocate(capacity: 2 * m)
        excess = .allocate(capacity: n)
        price = .allocate(capacity: n)
        price.initialize(repeating: 0, count: n)

        // Node u's slots start at first[u]; fill[u] is the next free one.
        let fill = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { fill.deallocate() }
        var running: Int32 = 0
        for u in 0..<n { first[u] = running; fill[u] = running; running += layout.degree[u] }
        first[n] = running

        let bound = layout.nodeBound
        let pn = layout.programNode, dn = layout.demandNode
        let slots = self.slots  // not self: it is not fully initialised yet
        problem.arcPrograms.withUnsafeBufferPointer { ap in
        problem.arcDemands.withUnsafeBufferPointer { ad in
        problem.arcScores.withUnsafeBufferPointer { sc in
        pn.withUnsafeBufferPointer { pn in
        dn.withUnsafeBufferPointer { dn in
        bound.withUnsafeBufferPointer { bound in
            // In arc order: `result` replays this order to find each arc's slot again.
            for a in 0..<sc.count {
                let s = sc[a]
                let u = s > 0 ? pn[Int(ap[a])] : -1, v = s > 0 ? dn[Int(ad[a])] : -1
                guard u >= 0 && v >= 0 else { continue }
                let su = fill[Int(u)], sv = fill[Int(v)]
                fill[Int(u)] = su + 1; fill[Int(v)] = sv + 1
                let c = Cap(truncatingIfNeeded: min(bound[Int(u)], bound[Int(v)]))
                (slots + Int(su)).initialize(to: .init(head: v, rev: sv, cap: c, cost: -s))
                (slots + Int(sv)).initialize(to: .init(head: u, rev: su, cap: 0, cost: s))
            }
        }}}}}}
        // Hub arcs: program → hub (unused seats) and hub → demand (unmet headcount).
        let h32 = Int32(hub)
        var hubBalance: Int64 = 0
        for u in 0..<hub {
            let su = fill[u], sz = fill[hub]
            fill[u] += 1; fill[hub] += 1
            let b = Cap(bound[u])
            if u < layout.programCount {
                (slots + Int(su)).initialize(to: .init(head: h32, rev: sz, cap: b, cost: 0))
                (slots + Int(sz)).initialize(to: .init(head: Int32(u), rev: su, cap: 0, cost: 0))
                excess[u] = Int64(bound[u])
                hubBalance -= Int64(bound[u])
            } else {
                (slots + Int(su)).initialize(to: .init(head: h32, rev: sz, cap: 0, cost: 0))
                (slots + Int(sz)).initialize(to: .init(head: Int32(u), rev: su, cap: b, cost: 0))
                excess[u] = -Int64(bound[u])
                hubBalance += Int64(bound[u])
            }
        }
        excess[hub] = hubBalance

        mask = .allocate(capacity: n)
        maskable = .allocate(capacity: n)
        for u in 0..<n {
            // Programs keep their cached best arcs instead; their slots are nearly all residual.
            maskable[u] = u >= layout.programCount && Int(first[u + 1] - first[u]) <= 64
        }
        resetMasks()
    }

    deinit {
        first.deallocate()
        slots.deallocate()
        excess.deallocate()
        price.deallocate()
        mask.deallocate()
        maskable.deallocate()
    }
}

extension AllocationNetwork {
    /// Sets every maskable node's mask from its slots' residual capacities.
    func resetMasks() {
        for u in 0..<nodeCount {
            let f = Int(first[u]), end = Int(first[u + 1])
            var m: UInt64 = 0
            if maskable[u] { for a in f..<end where slots[a].cap > 0 { m |= 1 << UInt64(a - f) } }
            mask[u] = m
        }
    }

    /// Calls `body(arc, slot)` for every arc of `problem` in the network, with its forward slot.
    /// Program u's forward slots were filled in arc order from `first[u]` (see `init`), so
    /// replaying that order finds each arc's slot without keeping a 4-byte-per-arc map.
    func forEachArcSlot(_ problem: AllocationProblem, _ layout: AllocationLayout, _ body: (_ arc: Int, _ slot: Int) -> Void) {
        let next = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, programCount))
        defer { next.deallocate() }
        for u in 0..<programCount { next[u] = first[u] }
        layout.programNode.withUnsafeBufferPointer { pn in
            layout.forEachUsableArc(of: problem) { a, p, _, _ in
                let u = Int(pn[p])
                body(a, Int(next[u]))
                next[u] += 1
            }
        }
    }
}

extension AllocationLayout {
    /// Calls `body(arc, program, demand, score)` for every arc of `problem` that enters the
    /// network: score > 0 and both ends present in this layout.
    func forEachUsableArc(of problem: AllocationProblem, _ body: (_ arc: Int, _ program: Int, _ demand: Int, _ score: Int32) -> Void) {
        problem.arcPrograms.withUnsafeBufferPointer { ap in
        problem.arcDemands.withUnsafeBufferPointer { ad in
        problem.arcScores.withUnsafeBufferPointer { sc in
        programNode.withUnsafeBufferPointer { pn in
        demandNode.withUnsafeBufferPointer { dn in
            for a in 0..<sc.count where sc[a] > 0 {
                let p = Int(ap[a]), d = Int(ad[a])
                guard pn[p] >= 0 && dn[d] >= 0 else { continue }
                body(a, p, d, sc[a])
            }
        }}}}}
    }
}
