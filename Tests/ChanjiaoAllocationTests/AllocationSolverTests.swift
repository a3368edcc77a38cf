import Testing
@testable import ChanjiaoAllocation

/// Instance shapes for the randomized cross-checks, including the degenerate ones the benchmark
/// spec calls out.
enum AllocationShape: CaseIterable, Sendable {
    case general, equalScores, fewScores, zeroCapacities, zeroHeadcounts, demandFarAboveSupply
    case supplyFarAboveDemand, isolatedNodes, noArcs, scoreZeroArcs, singleNode, clustered, hugeNumbers
}

struct RandomAllocation {
    var caps: [Int] = [], heads: [Int] = []
    var arcs: [(p: Int, d: Int, score: Int)] = []

    init(_ shape: AllocationShape, _ rng: inout TestRandom) {
        var p = rng.int(1...12), d = rng.int(1...15)
        var capRange = 0...8, headRange = 0...8, scoreRange = 0...10_000
        var density = rng.int(1...100)
        switch shape {
        case .general: break
        case .equalScores: let s = rng.int(0...10_000); scoreRange = s...s
        case .fewScores: scoreRange = 0...3
        case .zeroCapacities: capRange = 0...1
        case .zeroHeadcounts: headRange = 0...1
        case .demandFarAboveSupply: capRange = 0...2; headRange = 10...50
        case .supplyFarAboveDemand: capRange = 10...50; headRange = 0...2
        case .isolatedNodes: density = rng.int(5...30)
        case .noArcs: density = 0
        case .scoreZeroArcs: scoreRange = 0...1
        case .singleNode: p = 1; d = 1
        case .clustered: p = rng.int(20...40); d = rng.int(40...80); density = 12; capRange = 0...30
        case .hugeNumbers: capRange = 2_000_000_000...6_000_000_000; headRange = 2_000_000_000...6_000_000_000
        }
        caps = (0..<p).map { _ in rng.int(capRange) }
        heads = (0..<d).map { _ in rng.int(headRange) }
        for i in 0..<p { for j in 0..<d where rng.int(1...100) <= density { arcs.append((i, j, rng.int(scoreRange))) } }
        // Shuffle so arcs are not grouped by program, as in real files.
        for i in stride(from: arcs.count - 1, to: 0, by: -1) { arcs.swapAt(i, rng.int(0...i)) }
    }

    func problem() throws -> AllocationProblem {
        try AllocationProblem(
            capacities: caps, headcounts: heads,
            arcPrograms: arcs.map { Int32($0.p) }, arcDemands: arcs.map { Int32($0.d) },
            arcScores: arcs.map { Int32($0.score) })
    }
}

/// Checks that `result` is a feasible allocation whose totals are what it claims.
func expectFeasible(_ result: AllocationResult, _ problem: AllocationProblem) {
    var usedP = [Int](repeating: 0, count: problem.capacities.count)
    var usedD = [Int](repeating: 0, count: problem.headcounts.count)
    var objective: Int64 = 0, assigned: Int64 = 0, previous = -1
    for x in result.assignments {
        #expect(x.seats > 0)
        #expect(x.arc > previous)
        previous = x.arc
        usedP[Int(problem.arcPrograms[x.arc])] += x.seats
        usedD[Int(problem.arcDemands[x.arc])] += x.seats
        objective += Int64(x.seats) * Int64(problem.arcScores[x.arc])
        assigned += Int64(x.seats)
    }
    #expect(zip(usedP, problem.capacities).allSatisfy { $0 <= $1 })
    #expect(zip(usedD, problem.headcounts).allSatisfy { $0 <= $1 })
    #expect(objective == result.objective)
    #expect(assigned == result.assigned)
}

@Suite struct AllocationSolverTests {
    @Test(arguments: AllocationShape.allCases)
    func matchesReferenceOnRandomInstances(shape: AllocationShape) throws {
        var rng = TestRandom(seed: UInt64(AllocationShape.allCases.firstIndex(of: shape)! + 1))
        for _ in 0..<60 {
            let instance = RandomAllocation(shape, &rng)
            let problem = try instance.problem()
            var reference = ReferenceAllocation(capacities: instance.caps, headcounts: instance.heads, arcs: instance.arcs)
            let expected = reference.solve()
            let result = solveAllocation(problem)
            #expect(result.objective == expected, "shape \(shape): \(instance.caps) \(instance.heads) \(instance.arcs)")
            expectFeasible(result, problem)
        }
    }

    @Test(arguments: [(2, 0.01), (3, 0.1), (8, 2.0), (40, 0.5), (1000, 10.0)])
    func optionsDoNotChangeTheOptimum(alpha: Int, update: Double) throws {
        var rng = TestRandom(seed: 99)
        for _ in 0..<40 {
            let instance = RandomAllocation(.clustered, &rng)
            let problem = try instance.problem()
            var reference = ReferenceAllocation(capacities: instance.caps, headcounts: instance.heads, arcs: instance.arcs)
            let result = solveAllocation(problem, options: AllocationSolverOptions(alpha: alpha, priceUpdateFactor: update))
            #expect(result.objective == reference.solve())
            expectFeasible(result, problem)
        }
    }

    @Test func emptyProblem() throws {
        let problem = try AllocationProblem(capacities: [], headcounts: [], arcPrograms: [], arcDemands: [], arcScores: [])
        #expect(solveAllocation(problem) == AllocationResult(objective: 0, assigned: 0, assignments: []))
    }

    @Test func greedyIsNotEnough() throws {
        let problem = try AllocationProblem(
            capacities: [1, 1], headcounts: [1, 1], arcPrograms: [0, 0, 1], arcDemands: [0, 1, 0], arcScores: [10, 9, 9])
        let result = solveAllocation(problem)
        #expect(result.objective == 18)
        #expect(result.assignments == [AllocationAssignment(arc: 1, seats: 1), AllocationAssignment(arc: 2, seats: 1)])
    }

    @Test func scoreZeroArcsCarryNothing() throws {
        let problem = try AllocationProblem(
            capacities: [5], headcounts: [5], arcPrograms: [0], arcDemands: [0], arcScores: [0])
        #expect(solveAllocation(problem) == AllocationResult(objective: 0, assigned: 0, assignments: []))
    }

    @Test func rejectsInvalidProblems() {
        #expect(throws: AllocationProblemError.negativeCapacity(program: 1)) {
            try AllocationProblem(capacities: [1, -1], headcounts: [], arcPrograms: [], arcDemands: [], arcScores: [])
        }
        #expect(throws: AllocationProblemError.negativeHeadcount(demand: 0)) {
            try AllocationProblem(capacities: [], headcounts: [-3], arcPrograms: [], arcDemands: [], arcScores: [])
        }
        #expect(throws: AllocationProblemError.arcArraysDiffer) {
            try AllocationProblem(capacities: [1], headcounts: [1], arcPrograms: [0], arcDemands: [], arcScores: [1])
        }
        #expect(throws: AllocationProblemError.programOutOfRange(arc: 0)) {
            try AllocationProblem(capacities: [1], headcounts: [1], arcPrograms: [1], arcDemands: [0], arcScores: [1])
        }
        #expect(throws: AllocationProblemError.demandOutOfRange(arc: 0)) {
            try AllocationProblem(capacities: [1], headcounts: [1], arcPrograms: [0], arcDemands: [-1], arcScores: [1])
        }
        #expect(throws: AllocationProblemError.scoreOutOfRange(arc: 0)) {
            try AllocationProblem(capacities: [1], headcounts: [1], arcPrograms: [0], arcDemands: [0], arcScores: [10_001])
        }
        #expect(throws: AllocationProblemError.tooLarge) {
            try AllocationProblem(capacities: [1 << 50], headcounts: [1], arcPrograms: [], arcDemands: [], arcScores: [])
        }
    }
}
