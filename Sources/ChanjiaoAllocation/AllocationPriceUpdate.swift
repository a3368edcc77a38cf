/// Global price update for the cost-scaling solver (Goldberg's "price update" heuristic).
///
/// Computes, for every node, its distance to the nearest deficit in the residual graph, measured
/// in ε-steps with arc length `⌊reduced cost / ε⌋ + 1` (0 for admissible arcs), by a bucket
/// Dijkstra run backwards from the deficits, and lowers each price by distance · ε. Afterwards the
/// flow is still ε-optimal and every excess has an admissible path to a deficit, which saves most
/// of the relabels pushing would otherwise need to discover those paths one ε at a time.
///
/// The search stops once every node with excess is scanned; nodes not yet scanned are lowered by
/// the last distance reached, which keeps ε-optimality because their true distance is at least that.
extension AllocationNetwork {
    func updatePrices(eps: Int64, scale: Int64, work: AllocationWorkspace) {
        let n = nodeCount
        let first = self.first, slots = self.slots, excess = self.excess, price = self.price
        let rank = work.rank, bucket = work.bucket, next = work.next, prev = work.prev
        let scanned = work.scanned
        let unseen = Int32.max

        @inline(__always) func insert(_ v: Int, _ b: Int) {
            let h = bucket[b]
            next[v] = h
            prev[v] = -1
            if h >= 0 { prev[Int(h)] = Int32(v) }
            bucket[b] = Int32(v)
        }
        @inline(__always) func remove(_ v: Int, _ b: Int) {
            let p = prev[v], q = next[v]
            if p >= 0 { next[Int(p)] = q } else { bucket[b] = q }
            if q >= 0 { prev[Int(q)] = p }
        }

        var total: Int64 = 0
        for v in 0..<n {
            rank[v] = unseen
            scanned[v] = 0
            bucket[v] = -1
        }
        for v in 0..<n {
            let e = excess[v]
            if e > 0 { total += e } else if e < 0 { rank[v] = 0; insert(v, 0) }
        }
        guard total > 0 else { return }

        var found: Int64 = 0
        var reached = n - 1
        var b = 0
        search: while b < n {
            while bucket[b] >= 0 {
                let w = Int(bucket[b])
                remove(w, b)
                scanned[w] = 1
                let e = excess[w]
                if e > 0 {
                    found += e
                    if found >= total { reached = b; break search }
                }
                let pw = price[w]
                var a = Int(first[w])
                let end = Int(first[w + 1])
                while a < end {
                    let s = slots[a]
                    let v = Int(s.head)
                    a += 1
                    if scanned[v] != 0 { continue }
                    let r = slots[Int(s.rev)]  // the arc v → w
                    if r.cap <= 0 { continue }
                    let rc = Int64(r.cost) &* scale &+ price[v] &- pw
                    let nr = Int64(b) + (rc < 0 ? 0 : rc / eps + 1)
                    let old = rank[v]
                    if nr < Int64(old) && nr < Int64(n) {
                        if old != unseen { remove(v, Int(old)) }
                        rank[v] = Int32(nr)
                        insert(v, Int(nr))
                    }
                }
            }
            b += 1
        }
        let fallback = Int64(reached) * eps
        for v in 0..<n {
            price[v] -= scanned[v] != 0 ? Int64(rank[v]) * eps : fallback
        }
    }
}
