/// Cheap preparations that let the cost-scaling solver start close to the optimum.
///
/// 1. Common score factor: dividing every cost by the scores' greatest common divisor changes no
///    optimal flow (the objective is read back from the problem's own scores), and it shrinks the
///    ε range to scale over. Coarse score sets are common in degenerate inputs: equal scores
///    become a single cost of 1 (a maximum flow problem, a couple of phases instead of a dozen),
///    scores in steps of 2,500 become 1…4.
///
/// 2. Warm start: the scarce side (the one with the smaller total of seats or headcount) gets
///    its best score as price, everything else 0. Wherever the plentiful side keeps slack its
///    optimal dual is 0 and the scarce side's dual is about its best score, so these prices are
///    close to optimal ones, and they make the empty pseudoflow 0-optimal (every residual arc has
///    reduced cost ≥ 0, see `applyWarmStart`): the solver may begin scaling at any ε, and the
///    early phases, whose saturations flood the plentiful side with excess only to send it back
///    through the hub, are skipped. How close the guess is decides where scaling begins:
///    - 2 real cost units when one side's total is at least 17/16 of the other's (then
///      `solveAllocation` has also put the scarce side in the program role, where the solver
///      bids best), or when the greedy flow "every scarce node's bound on its best arc" nearly
///      fits the plentiful side (that flow is then nearly optimal for these prices);
///    - 64 real cost units otherwise (balanced instances, where the plentiful side is bound too:
///      2 measured up to 2× slower than the old cold start from zero prices at maxScore / 4,
///      64 about 20 % faster, from city to province size).
///    Any start is exact: each scaling phase turns any pseudoflow into an ε-optimal flow,
///    whatever the prices; the start only decides how much work that takes.
extension AllocationNetwork {
    /// Divides all costs by their greatest common divisor; returns the largest cost left (0 when
    /// no arc has a positive score) and the divisor.
    func divideCostsByCommonFactor() -> (largest: Int64, factor: Int64) {
        var factor: Int32 = 0
        var largest: Int32 = 0
        for a in 0..<slotCount {
            let c = slots[a].cost
            guard c > 0 else { continue }  // each arc once: its backward slot, cost = +score
            largest = max(largest, c)
            if factor != 1 {
                var x = factor, y = c
                while y != 0 { (x, y) = (y, x % y) }
                factor = x
            }
        }
        guard factor > 1 else { return (Int64(largest), 1) }
        for a in 0..<slotCount { slots[a].cost /= factor }
        return (Int64(largest / factor), Int64(factor))
    }

    /// Sets the warm-start prices (see above) on the initial, empty pseudoflow; returns the ε, in
    /// real cost units, to begin scaling at.
    func applyWarmStart(scale: Int64) -> Int64 {
        let programs = programCount, hub = nodeCount - 1
        var seats: Int64 = 0, heads: Int64 = 0
        for u in 0..<programs { seats += excess[u] }
        for u in programs..<hub { heads -= excess[u] }
        let scarceIsDemand = heads <= seats
        let (scarce, plentiful) = scarceIsDemand ? (programs..<hub, 0..<programs) : (0..<programs, programs..<hub)
        let close = AllocationLayout.isLopsided(seats, heads) || greedyNearlyFits(scarce: scarce, plentiful: plentiful)
        // Program prices: the best score (programs scarce) or 0; demand prices: minus the best
        // score (demands scarce) or 0; hub 0. Every arc starts empty, so the residual arcs are the
        // forward ones: p → d has reduced cost −score + π_p − π_d ≥ 0 because the scarce end's
        // price covers its best score, and p → Z, Z → d have π_p ≥ 0 ≥ π_d.
        for u in scarce {
            var best: Int32 = 0
            for a in Int(first[u])..<Int(first[u + 1]) {
                let c = slots[a].cost
                best = max(best, c < 0 ? -c : c)
            }
            price[u] = scarceIsDemand ? -Int64(best) * scale : Int64(best) * scale
        }
        return close ? 2 : 64
    }

    /// Whether the plentiful side could take all but 1/32 of the greedy flow that puts every
    /// scarce node's whole bound on its best arc (the first of equals).
    private func greedyNearlyFits(scarce: Range<Int>, plentiful: Range<Int>) -> Bool {
        let hub = nodeCount - 1
        // The greedy load: every scarce node's bound on its best arc (first of equals).
        let load = UnsafeMutablePointer<Int64>.allocate(capacity: nodeCount)
        defer { load.deallocate() }
        load.initialize(repeating: 0, count: nodeCount)
        var total: Int64 = 0
        for u in scarce {
            var best: Int32 = 0, bestNode = -1
            for a in Int(first[u])..<Int(first[u + 1]) {
                let s = slots[a]
                let score = s.cost < 0 ? -s.cost : s.cost  // forward slots carry −score
                if Int(s.head) != hub && score > best { best = score; bestNode = Int(s.head) }
            }
            let bound = excess[u] < 0 ? -excess[u] : excess[u]
            total += bound
            if bestNode >= 0 { load[bestNode] += bound }
        }
        var overload: Int64 = 0
        for v in plentiful {
            let bound = excess[v] < 0 ? -excess[v] : excess[v]
            overload += max(0, load[v] - bound)
        }
        return overload * 32 <= total
    }
}
