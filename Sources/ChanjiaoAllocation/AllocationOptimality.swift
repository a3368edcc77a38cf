/// Early exit for the cost-scaling solver: proves the current flow optimal before ε reaches the
/// `1/(n+1)` the worst-case theory needs; and the exact duals arc pricing needs.
///
/// A feasible flow is optimal exactly when the residual graph, with the original integer costs, has
/// no negative cycle, i.e. when some integer potentials make every residual reduced cost ≥ 0 (LP
/// duality). Once ε is below one real cost unit the scaled prices, divided down, are nearly such
/// potentials, so a label-correcting pass (queue-based Bellman–Ford) from them usually settles in
/// about one sweep over the arcs. A negative cycle makes it run on, so the early exit gives up after
/// a fixed budget of arc visits and the solver simply carries on scaling: the check can only save
/// work, never change the answer.
extension AllocationNetwork {
    func isOptimal(scale: Int64, work: AllocationWorkspace, budgetSweeps: Int = 3) -> Bool {
        let potential = UnsafeMutablePointer<Int64>.allocate(capacity: nodeCount)
        defer { potential.deallocate() }
        return settle(potential, scale: scale, queue: work.queue, queued: work.scanned, budget: budgetSweeps * slotCount + nodeCount)
    }

    /// Integer potentials, in the network's (divided) cost units, under which every residual arc
    /// has reduced cost `cost + π(tail) − π(head) ≥ 0`. Only for an optimal flow (after
    /// ``minimiseCost``), where they exist and the pass settles.
    func optimalPotentials(scale: Int64) -> [Int64] {
        let n = nodeCount
        let queue = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let queued = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        defer { queue.deallocate(); queued.deallocate() }
        return [Int64](unsafeUninitializedCapacity: n) { buffer, count in
            let settled = settle(buffer.baseAddress!, scale: scale, queue: queue, queued: queued, budget: Int.max)
            precondition(settled, "an optimal flow has no negative residual cycle")
            count = n
        }
    }

    /// Label-correcting pass from `price / scale` into `potential`; false when `budget` arc visits
    /// did not settle it.
    private func settle(
        _ potential: UnsafeMutablePointer<Int64>, scale: Int64,
        queue: UnsafeMutablePointer<Int32>, queued: UnsafeMutablePointer<UInt8>, budget: Int
    ) -> Bool {
        let n = nodeCount
        let first = self.first, slots = self.slots, price = self.price
        // potential = price / scale + distance correction; the correction starts at 0 everywhere
        // (a virtual source joined to every node), so it is folded into `potential` directly.
        for v in 0..<n {
            potential[v] = price[v] / scale
            queue[v] = Int32(v)
            queued[v] = 1
        }
        var head = 0, count = n
        var budget = budget
        while count > 0 {
            let u = Int(queue[head])
            head += 1
            if head == n { head = 0 }
            count -= 1
            queued[u] = 0
            let pu = potential[u]
            var a = Int(first[u])
            let end = Int(first[u + 1])
            budget -= end - a + 1
            if budget < 0 { return false }
            while a < end {
                let s = slots[a]
                a += 1
                guard s.cap > 0 else { continue }
                let w = Int(s.head)
                // Reduced cost c + π(u) − π(w) < 0: lower π(w) to make it 0.
                let candidate = pu &+ Int64(s.cost)
                if candidate < potential[w] {
                    potential[w] = candidate
                    if queued[w] == 0 {
                        queued[w] = 1
                        var tail = head + count
                        if tail >= n { tail -= n }
                        queue[tail] = Int32(w)
                        count += 1
                    }
                }
            }
        }
        return true
    }
}
