import Testing
@testable import ChanjiaoAllocation

/// Arc pricing must find the same optimum as solving the whole problem: against the independent
/// reference on every shape, with restrictions so small that most solves need several rounds.
@Suite struct AllocationPricingTests {
    /// Pricing on every problem, from one arc per node, one arc per node added a round.
    static let thinnest = AllocationSolverOptions(pricing: .always(initialPerNode: 1, addedPerNode: 1, margin: 0))

    @Test(arguments: AllocationShape.allCases)
    func matchesReferenceOnRandomInstances(shape: AllocationShape) throws {
        var rng = TestRandom(seed: 1000 + UInt64(AllocationShape.allCases.firstIndex(of: shape)!))
        for _ in 0..<60 {
            let instance = RandomAllocation(shape, &rng)
            let problem = try instance.problem()
            var reference = ReferenceAllocation(capacities: instance.caps, headcounts: instance.heads, arcs: instance.arcs)
            let (result, report) = solveAllocationReporting(problem, options: Self.thinnest)
            #expect(result.objective == reference.solve(), "shape \(shape): \(instance.caps) \(instance.heads) \(instance.arcs)")
            #expect(report.rounds >= 1 && report.arcs <= problem.arcCount)
            expectFeasible(result, problem)
        }
    }

    /// Larger clustered instances, where the first restriction is far from enough: the rounds
    /// add arcs until pricing proves the optimum, which equals the whole solve's.
    @Test(arguments: [(1, 1, 0), (2, 3, 0), (2, 3, 1_000), (6, 8, 1_000)])
    func equalsTheWholeSolve(initial: Int, added: Int, margin: Int) throws {
        var rng = TestRandom(seed: 77)
        var rounds = 0
        for _ in 0..<12 {
            let programs = rng.int(100...300), demands = rng.int(300...900)
            let caps = (0..<programs).map { _ in rng.int(0...40) }
            let heads = (0..<demands).map { _ in rng.int(0...12) }
            var ap: [Int32] = [], ad: [Int32] = [], sc: [Int32] = []
            for p in 0..<programs {
                for d in 0..<demands where rng.int(1...100) <= 8 {
                    ap.append(Int32(p)); ad.append(Int32(d)); sc.append(Int32(rng.int(0...10_000)))
                }
            }
            let problem = try AllocationProblem(capacities: caps, headcounts: heads, arcPrograms: ap, arcDemands: ad, arcScores: sc)
            let whole = solveAllocationReporting(problem, options: AllocationSolverOptions(pricing: .off))
            let priced = solveAllocationReporting(
                problem, options: AllocationSolverOptions(pricing: .always(initialPerNode: initial, addedPerNode: added, margin: margin)))
            #expect(whole.report.rounds == 0)
            #expect(priced.result.objective == whole.result.objective)
            #expect(priced.report.arcs < problem.arcCount)
            expectFeasible(priced.result, problem)
            rounds = max(rounds, priced.report.rounds)
        }
        #expect(rounds > 1, "some instance needed more than the first restriction")
    }

    @Test func onlyBigDenseProblemsArePricedByDefault() throws {
        let pricing = AllocationPricingOptions()
        let problem = try AllocationProblem(capacities: [1], headcounts: [1], arcPrograms: [0], arcDemands: [0], arcScores: [5])
        #expect(solveAllocationReporting(problem).report == AllocationSolveReport(rounds: 0, arcs: 1))
        var layout = AllocationLayout(problem)
        (layout.usableArcs, layout.programCount, layout.demandCount) = (3_000_000, 30_000, 100_000)
        #expect(!pricing.applies(to: layout), "23 arcs per node: solved whole")
        (layout.usableArcs, layout.programCount, layout.demandCount) = (76_000_000, 30_000, 100_000)
        #expect(pricing.applies(to: layout), "585 arcs per node: priced")
        (layout.usableArcs, layout.programCount, layout.demandCount) = (1_000_000, 1_000, 2_000)
        #expect(!pricing.applies(to: layout), "below 2 M arcs: solved whole")
    }
}
