/// Exact allocation solver: Goldberg's cost-scaling push–relabel for minimum-cost flow, written
/// for the bipartite network of ``AllocationLayout`` (see there for the formulation).
///
/// Outline. Costs are multiplied by `n + 1` (n = network nodes), so a flow that is 1-optimal in
/// scaled units is `1/(n+1)`-optimal in real units, which for integer costs means optimal. Each
/// phase (`refine`) divides ε by `alpha`, saturates every arc whose reduced cost fell below −ε
/// and pushes the resulting excess to deficits along admissible arcs (reduced cost < 0),
/// lowering node prices (relabel) where no admissible arc is left.
///
/// What makes it fast on these instances (millions of arcs, programs of degree ~100+):
/// - programs relabel from a cache of their three best arcs (valid while no outside arc could
///   have overtaken them, see `bestOfProgram`), so most relabels cost O(1) instead of a scan,
///   and a program relabels as soon as its current arc is used up — auction-style bidding;
/// - demands (degree ≤ 64) keep a bitmask of the slots with residual capacity: of their
///   reverse arcs only the few carrying flow are ever visited;
/// - push look-ahead: before pushing into a node without deficit, make sure it can pass the flow
///   on, otherwise relabel it first (avoids ping-pong); not for the hub, whose scans are long;
/// - global price updates (``AllocationNetwork/updatePrices``): a bucket Dijkstra from the deficits
///   that lowers every price to its ε-distance, at the start of each phase and after every
///   `n · priceUpdateFactor` relabels;
/// - early exit (``AllocationNetwork/isOptimal``): once ε is a few real cost units, a
///   label-correcting pass tries to prove the flow optimal, which usually saves the last phases;
/// - a start near the optimum (``AllocationNetwork/applyWarmStart``): costs divided by the
///   scores' common factor; the scarce side gets its best score as price, and scaling begins at
///   2 (lopsided instances, where the scarce side also plays the program role) or 64 real cost
///   units instead of maxScore / 4;
/// - all state in contiguous raw buffers (16-byte arc slots with 32-bit fields), no allocation,
///   reference counting or bounds checks inside the loops;
/// - on big, dense problems, arc pricing (AllocationPricing.swift): the network holds only the
///   arcs the exact duals show may be needed.
public struct AllocationSolverOptions: Sendable, Equatable {
    /// ε is divided by this between phases.
    public var alpha: Int
    /// A global price update runs after this many relabels per node.
    public var priceUpdateFactor: Double
    /// When and how to solve by arc pricing (AllocationPricing.swift).
    public var pricing: AllocationPricingOptions

    public init(alpha: Int = 4, priceUpdateFactor: Double = 16, pricing: AllocationPricingOptions = AllocationPricingOptions()) {
        self.alpha = max(2, alpha)
        self.priceUpdateFactor = max(0.01, priceUpdateFactor)
        self.pricing = pricing
    }
}

/// Solves the allocation problem exactly. Pure computation: no I/O, safe from any thread.
public func solveAllocation(
    _ problem: AllocationProblem, options: AllocationSolverOptions = AllocationSolverOptions()
) -> AllocationResult {
    solveAllocationReporting(problem, options: options).result
}

/// ``solveAllocation(_:options:)``, with what the solve did.
public func solveAllocationReporting(
    _ problem: AllocationProblem, options: AllocationSolverOptions = AllocationSolverOptions()
) -> (result: AllocationResult, report: AllocationSolveReport) {
    let layout = AllocationLayout(problem)
    // The solver works best with the scarce side in the program role (it starts with the excess,
    // bids with cached best arcs, and gets the warm-start prices, see applyWarmStart): when
    // headcount is the scarce side of a lopsided instance, solve the transposed problem. Its
    // arcs keep their indices and scores, so its result is this problem's result.
    if layout.isLopsided && layout.demandTotal < layout.programTotal {
        return solve(AllocationProblem(transposing: problem), layout.transposed(), options)
    }
    return solve(problem, layout, options)
}

private func solve(
    _ problem: AllocationProblem, _ layout: AllocationLayout, _ options: AllocationSolverOptions
) -> (result: AllocationResult, report: AllocationSolveReport) {
    if options.pricing.applies(to: layout) {
        return solveByPricing(problem, layout, options)
    }
    return (solveWhole(problem, layout, options).0, AllocationSolveReport(rounds: 0, arcs: layout.usableArcs))
}

extension AllocationNetwork {
    /// Runs cost scaling to optimality, from the empty flow or, during arc pricing, from the
    /// previous round's optimum (`resume`). Returns the common factor the costs were divided by.
    @discardableResult
    func minimiseCost(_ options: AllocationSolverOptions, resume: AllocationResumption? = nil) -> Int64 {
        let n = nodeCount
        let scale = Int64(n + 1)
        let (maxScore, factor) = divideCostsByCommonFactor()
        guard maxScore > 0 else { return factor }  // nothing worth sending: the empty flow is optimal.
        let work = AllocationWorkspace(nodeCount: n, programs: programCount)
        defer { work.deallocate() }
        let alpha = Int64(options.alpha)
        // With the warm-start prices the empty flow is 0-optimal, and the resumed flow is optimal
        // but for the arcs pricing added, so scaling may begin at any ε: the first phase runs at
        // the returned one, or at maxScore / alpha if that is smaller (where a cold start from
        // zero prices would begin).
        let start = resume.map { applyResumption($0, factor: factor, scale: scale) } ?? applyWarmStart(scale: scale)
        var eps = min(maxScore, start * alpha) * scale
        let updateEvery = max(16, Int(Double(n) * options.priceUpdateFactor))
        repeat {
            eps = max(1, (eps + alpha - 1) / alpha)
            refine(eps: eps, scale: scale, work: work, updateEvery: updateEvery)
            // Below a few real cost units, try to prove optimality outright (cheap, see there).
            // (Trying earlier as well, with a smaller budget, measured no gain even on degenerate shapes.)
            if eps > 1 && eps < 4 * scale && isOptimal(scale: scale, work: work) { break }
        } while eps > 1
        return factor
    }

    /// One scaling phase: turns an ε·alpha-optimal flow into an ε-optimal one.
    func refine(eps: Int64, scale: Int64, work: AllocationWorkspace, updateEvery: Int) {
        let n = nodeCount
        let first = self.first, slots = self.slots, excess = self.excess, price = self.price
        let mask = self.mask, maskable = self.maskable
        // Saturate every residual arc whose reduced cost fell below −ε: the pseudoflow becomes
        // ε-optimal. (CS2 saturates all negative arcs; keeping those within ε leaves much less
        // excess to route, and ε-optimality is all the phase needs.)
        for u in 0..<n {
            let pu = price[u]
            var a = Int(first[u])
            let end = Int(first[u + 1])
            while a < end {
                let s = slots[a]
                if s.cap > 0 {
                    let v = Int(s.head)
                    if Int64(s.cost) &* scale &+ pu &- price[v] < -eps {
                        let r = s.cap
                        slots[a].cap = 0
                        let back = slots[Int(s.rev)].cap
                        slots[Int(s.rev)].cap = back + r
                        if back == 0 && v < programCount { work.threshold[v] = Int64.max }
                        if maskable[u] { mask[u] &= ~(1 &<< UInt64(a - Int(first[u]))) }
                        if back == 0 && maskable[v] { mask[v] |= 1 &<< UInt64(Int(s.rev) - Int(first[v])) }
                        excess[u] -= Int64(r)
                        excess[v] += Int64(r)
                    }
                }
                a += 1
            }
        }
        let current = work.current, queue = work.queue
        var head = 0, count = 0
        for u in 0..<n {
            current[u] = first[u]
            if excess[u] > 0 { queue[count] = Int32(u); count += 1 }
        }
        if count == 0 { return }
        updatePrices(eps: eps, scale: scale, work: work)
        var relabels = 0

        let cache = work.cache, threshold = work.threshold
        let programs = programCount
        let invalid = Int64.max

        /// The best residual arc of program `u`, as (p(w) − cost, slot), from its cache of the three
        /// best arcs when that is provably still right, else by a full scan that refills the cache.
        /// Why the cache is sound: head prices never rise, so an arc outside the cache can never beat
        /// the value it had at the scan (≤ threshold); pushes that re-open an arc clear the cache.
        @inline(__always) func bestOfProgram(_ u: Int) -> (Int64, Int) {
            let base = u &* 3
            let t = threshold[u]
            if t != invalid {
                var best = Int64.min, bestSlot = -1
                for i in 0..<3 {
                    let a = Int(cache[base + i])
                    if a < 0 { break }
                    let s = slots[a]
                    if s.cap > 0 {
                        let value = price[Int(s.head)] &- Int64(s.cost) &* scale
                        if value > best { best = value; bestSlot = a }
                    }
                }
                if bestSlot >= 0 && best >= t { return (best, bestSlot) }
            }
            var v0 = Int64.min, v1 = Int64.min, v2 = Int64.min, rest = Int64.min
            var s0 = -1, s1 = -1, s2 = -1
            var a = Int(first[u])
            let end = Int(first[u + 1])
            while a < end {
                let s = slots[a]
                if s.cap > 0 {
                    let value = price[Int(s.head)] &- Int64(s.cost) &* scale
                    if value > v2 {
                        rest = v2
                        if value > v1 {
                            v2 = v1; s2 = s1
                            if value > v0 { v1 = v0; s1 = s0; v0 = value; s0 = a } else { v1 = value; s1 = a }
                        } else {
                            v2 = value; s2 = a
                        }
                    } else if value > rest {
                        rest = value
                    }
                }
                a += 1
            }
            cache[base] = Int32(s0); cache[base + 1] = Int32(s1); cache[base + 2] = Int32(s2)
            threshold[u] = rest
            return (v0, s0)
        }

        /// Lowers `u`'s price to the highest that keeps its residual arcs ε-optimal, leaving at
        /// least one admissible arc, which becomes the current arc (as in Goldberg's CS2; arcs
        /// before it may also be admissible, skipping them is harmless). False only for a node
        /// without residual arcs.
        @inline(__always) func relabel(_ u: Int) -> Bool {
            relabels += 1
            if u < programs {
                let (best, a) = bestOfProgram(u)
                guard a >= 0 else { return false }
                price[u] = best - eps
                current[u] = Int32(a)
                return true
            }
            var best = Int64.min, bestSlot = -1
            var a = Int(first[u])
            let end = Int(first[u + 1])
            if maskable[u] {
                var m = mask[u]
                while m != 0 {
                    let b = a + m.trailingZeroBitCount
                    m &= m &- 1
                    let s = slots[b]
                    let t = price[Int(s.head)] &- Int64(s.cost) &* scale
                    if t > best { best = t; bestSlot = b }
                }
            } else {
                while a < end {
                    let s = slots[a]
                    if s.cap > 0 {
                        let t = price[Int(s.head)] &- Int64(s.cost) &* scale
                        if t > best { best = t; bestSlot = a }
                    }
                    a += 1
                }
            }
            guard bestSlot >= 0 else { return false }
            price[u] = best - eps
            current[u] = Int32(bestSlot)
            return true
        }

        /// Whether `v` has an admissible arc; advances its current arc to it. Programs only look at
        /// their current arc: for them a relabel (cached) is cheaper than a scan.
        @inline(__always) func hasAdmissible(_ v: Int) -> Bool {
            var b = Int(current[v])
            let end = Int(first[v + 1])
            let pv = price[v]
            if maskable[v] {
                let f = Int(first[v])
                let offset = b - f
                var m = offset >= 64 ? 0 : mask[v] & (UInt64.max << UInt64(offset))
                while m != 0 {
                    let c = f + m.trailingZeroBitCount
                    m &= m &- 1
                    let s = slots[c]
                    if Int64(s.cost) &* scale &+ pv &- price[Int(s.head)] < 0 {
                        current[v] = Int32(c)
                        return true
                    }
                }
                current[v] = Int32(end)
                return false
            }
            while b < end {
                let s = slots[b]
                if s.cap > 0 && Int64(s.cost) &* scale &+ pv &- price[Int(s.head)] < 0 {
                    current[v] = Int32(b)
                    return true
                }
                if v < programs { return false }
                b += 1
            }
            current[v] = Int32(end)
            return false
        }

        while count > 0 {
            let u = Int(queue[head])
            head += 1
            if head == n { head = 0 }
            count -= 1
            // Discharge u: push its excess along admissible arcs, relabelling when none is left.
            var e = excess[u]
            var a = Int(current[u])
            let end = Int(first[u + 1])
            var pu = price[u]
            while true {
                if a == end || (u < programs && a != Int(current[u])) {
                    // Programs relabel (from the cache) as soon as their current arc is used up.
                    if !relabel(u) { break }
                    pu = price[u]
                    a = Int(current[u])
                    continue
                }
                if maskable[u] {
                    // Jump to the next residual slot instead of walking the empty ones.
                    let f = Int(first[u])
                    let m = mask[u] & (UInt64.max << UInt64(a - f))
                    if m == 0 { a = end; continue }
                    a = f + m.trailingZeroBitCount
                }
                let s = slots[a]
                if s.cap > 0 {
                    let v = Int(s.head)
                    let c = Int64(s.cost) &* scale
                    if c &+ pu &- price[v] < 0 {
                        if excess[v] >= 0 && v != n - 1 && !hasAdmissible(v) {
                            // Look-ahead: v could not pass flow on; relabel it before deciding.
                            _ = relabel(v)
                            if c &+ pu &- price[v] >= 0 { a += 1; continue }
                        }
                        let delta = min(e, Int64(s.cap))
                        let r = Int(s.rev)
                        let back = slots[r].cap
                        let left = s.cap - Cap(truncatingIfNeeded: delta)
                        slots[a].cap = left
                        slots[r].cap = back + Cap(truncatingIfNeeded: delta)
                        if left == 0 && maskable[u] { mask[u] &= ~(1 &<< UInt64(a - Int(first[u]))) }
                        if back == 0 {
                            if v < programs { threshold[v] = invalid }
                            if maskable[v] { mask[v] |= 1 &<< UInt64(r - Int(first[v])) }
                        }
                        e -= delta
                        let ev = excess[v]
                        excess[v] = ev + delta
                        if ev <= 0 && ev + delta > 0 {
                            var tail = head + count
                            if tail >= n { tail -= n }
                            queue[tail] = Int32(v)
                            count += 1
                        }
                        if e == 0 { break }
                    }
                }
                a += 1
            }
            excess[u] = e
            current[u] = Int32(a)
            if relabels >= updateEvery {
                relabels = 0
                updatePrices(eps: eps, scale: scale, work: work)
                for v in 0..<n { current[v] = first[v] }
            }
        }
    }

    /// Reads the optimal flow back onto the problem's arcs.
    func result(_ problem: AllocationProblem, _ layout: AllocationLayout) -> AllocationResult {
        var objective: Int64 = 0, assigned: Int64 = 0
        var assignments: [AllocationAssignment] = []
        problem.arcScores.withUnsafeBufferPointer { sc in
            forEachArcSlot(problem, layout) { a, slot in
                let flow = Int64(slots[Int(slots[slot].rev)].cap)
                guard flow > 0 else { return }
                objective += flow * Int64(sc[a])
                assigned += flow
                assignments.append(AllocationAssignment(arc: a, seats: Int(flow)))
            }
        }
        return AllocationResult(objective: objective, assigned: assigned, assignments: assignments)
    }
}

/// Scratch buffers of the solver, allocated once per solve.
struct AllocationWorkspace {
    /// Current-arc pointer per node: slots before it are known not to be admissible.
    let current: UnsafeMutablePointer<Int32>
    /// FIFO ring of active nodes; each node is in it at most once, so n entries suffice.
    let queue: UnsafeMutablePointer<Int32>
    /// Price update: tentative ε-distance, bucket heads, bucket links, and a scanned mark.
    let rank: UnsafeMutablePointer<Int32>
    let bucket: UnsafeMutablePointer<Int32>
    let next: UnsafeMutablePointer<Int32>
    let prev: UnsafeMutablePointer<Int32>
    let scanned: UnsafeMutablePointer<UInt8>
    /// Per program: its three best residual arcs at the last full scan, and the best value of
    /// the others then (Int64.max: no valid cache).
    let cache: UnsafeMutablePointer<Int32>
    let threshold: UnsafeMutablePointer<Int64>

    init(nodeCount n: Int, programs: Int) {
        current = .allocate(capacity: n)
        queue = .allocate(capacity: n)
        rank = .allocate(capacity: n)
        bucket = .allocate(capacity: n)
        next = .allocate(capacity: n)
        prev = .allocate(capacity: n)
        scanned = .allocate(capacity: n)
        cache = .allocate(capacity: 3 * programs)
        threshold = .allocate(capacity: programs)
        threshold.initialize(repeating: Int64.max, count: programs)
    }

    func deallocate() {
        current.deallocate(); queue.deallocate(); rank.deallocate(); bucket.deallocate()
        next.deallocate(); prev.deallocate(); scanned.deallocate()
        cache.deallocate(); threshold.deallocate()
    }
}
