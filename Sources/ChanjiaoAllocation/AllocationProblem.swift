/// The city-wide allocation problem (design/MATCHING.md §3): a bipartite transportation problem,
/// also known as max-weight b-matching.
///
/// Programs offer seats, demands ask for headcount, and each eligible (program, demand) pair is an
/// arc with a score in `0...maxScore`. The solver finds integer seats `x[arc] ≥ 0` maximising
/// `Σ score · x` with every program's seats and every demand's headcount as upper bounds (neither
/// side has to be used up).
///
/// The arcs are kept as three parallel arrays (struct of arrays) so a province-size problem (millions
/// of arcs) costs 12 bytes an arc and no per-arc allocation.
public struct AllocationProblem: Sendable, Equatable {
    /// The largest score an arc may carry.
    public static let maxScore: Int32 = 10_000

    /// Seats per program (index = program number), each `>= 0`.
    public let capacities: [Int]
    /// Headcount per demand (index = demand number), each `>= 0`.
    public let headcounts: [Int]
    /// Program end of each arc, in `0..<capacities.count`.
    public let arcPrograms: [Int32]
    /// Demand end of each arc, in `0..<headcounts.count`.
    public let arcDemands: [Int32]
    /// Score of each arc, in `0...maxScore`.
    public let arcScores: [Int32]

    /// The number of arcs.
    public var arcCount: Int { arcScores.count }

    /// Checks and stores a problem. Parallel arcs (the same pair twice) are allowed here: they do not
    /// change the optimum's definition. The `alloc-v1` file format forbids them separately.
    public init(
        capacities: [Int], headcounts: [Int],
        arcPrograms: [Int32], arcDemands: [Int32], arcScores: [Int32]
    ) throws(AllocationProblemError) {
        if let i = capacities.firstIndex(where: { $0 < 0 }) { throw .negativeCapacity(program: i) }
        if let i = headcounts.firstIndex(where: { $0 < 0 }) { throw .negativeHeadcount(demand: i) }
        guard arcPrograms.count == arcScores.count, arcDemands.count == arcScores.count else {
            throw .arcArraysDiffer
        }
        // The solver numbers nodes and arc slots with Int32; keep well clear of that limit.
        guard capacities.count + headcounts.count + 1 < Int(Int32.max) / 4,
              arcScores.count < Int(Int32.max) / 4 - capacities.count - headcounts.count
        else { throw .tooLarge }
        // Objective = Σ score·seats ≤ maxScore · Σ seats must fit Int64, with room for the solver's sums.
        let limit = 1 << 49
        var seats = 0, heads = 0
        for c in capacities { seats += c; if seats > limit { throw .tooLarge } }
        for h in headcounts { heads += h; if heads > limit { throw .tooLarge } }
        let programs = Int32(capacities.count), demands = Int32(headcounts.count)
        for a in 0..<arcScores.count {
            let p = arcPrograms[a], d = arcDemands[a], s = arcScores[a]
            guard p >= 0, p < programs else { throw .programOutOfRange(arc: a) }
            guard d >= 0, d < demands else { throw .demandOutOfRange(arc: a) }
            guard s >= 0, s <= Self.maxScore else { throw .scoreOutOfRange(arc: a) }
        }
        self.capacities = capacities
        self.headcounts = headcounts
        self.arcPrograms = arcPrograms
        self.arcDemands = arcDemands
        self.arcScores = arcScores
    }
}

extension AllocationProblem {
    /// The same problem with the roles of programs and demands swapped (arc indices, scores and
    /// so the optimum unchanged). Shares the arrays, and skips the checks they already passed.
    init(transposing problem: AllocationProblem) {
        capacities = problem.headcounts
        headcounts = problem.capacities
        arcPrograms = problem.arcDemands
        arcDemands = problem.arcPrograms
        arcScores = problem.arcScores
    }

    /// The problem on the given arcs only (`arcs` are indices into `problem`'s arcs), with the
    /// given bounds; arc `i` of the result is arc `arcs[i]` of `problem`. Skips the checks: the
    /// arcs passed them, and the bounds are `problem`'s clamped ones.
    init(restricting problem: AllocationProblem, to arcs: [Int32], capacities: [Int], headcounts: [Int]) {
        self.capacities = capacities
        self.headcounts = headcounts
        arcPrograms = arcs.map { problem.arcPrograms[Int($0)] }
        arcDemands = arcs.map { problem.arcDemands[Int($0)] }
        arcScores = arcs.map { problem.arcScores[Int($0)] }
    }
}

/// Why an ``AllocationProblem`` could not be built.
public enum AllocationProblemError: Error, Sendable, Equatable {
    case negativeCapacity(program: Int)
    case negativeHeadcount(demand: Int)
    case arcArraysDiffer
    case programOutOfRange(arc: Int)
    case demandOutOfRange(arc: Int)
    case scoreOutOfRange(arc: Int)
    /// More nodes or arcs than the solver's 32-bit numbering allows, or more than 2^49 seats or
    /// headcount in total (the objective must fit a 64-bit integer).
    case tooLarge
}

/// Seats placed on one arc of an optimal allocation.
public struct AllocationAssignment: Sendable, Equatable {
    /// Index of the arc in the problem's arc arrays.
    public let arc: Int
    /// Seats on that arc, `> 0`.
    public let seats: Int

    public init(arc: Int, seats: Int) {
        self.arc = arc
        self.seats = seats
    }
}

/// An optimal allocation.
public struct AllocationResult: Sendable, Equatable {
    /// The maximum of `Σ score · seats`; unique for a problem.
    public let objective: Int64
    /// Total seats placed; one optimal solution's value (others may differ).
    public let assigned: Int64
    /// The arcs carrying seats, in increasing arc order. Arcs with score 0 never carry seats.
    public let assignments: [AllocationAssignment]

    public init(objective: Int64, assigned: Int64, assignments: [AllocationAssignment]) {
        self.objective = objective
        self.assigned = assigned
        self.assignments = assignments
    }
}
