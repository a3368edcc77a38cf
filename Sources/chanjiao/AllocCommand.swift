import ArgumentParser
import ChanjiaoAllocation

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// `chanjiao alloc …`: the allocation solver on `alloc-v1` files (design/MATCHING.md §3), for
/// benchmarking against the reference solvers on the same bytes.
struct AllocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alloc",
        abstract: "Exact maximum-score allocation on alloc-v1 files.",
        subcommands: [Solve.self]
    )

    /// `chanjiao alloc solve FILE`: prints `objective N assigned M seconds S`.
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Solve an alloc-v1 instance; prints 'objective N assigned M seconds S' (S excludes reading)."
        )

        @Argument(help: "The alloc-v1 file to solve.")
        var file: String

        @Option(help: ArgumentHelp("Tuning: ε is divided by this between scaling phases.", visibility: .hidden))
        var alpha: Int = AllocationSolverOptions().alpha

        @Option(help: ArgumentHelp("Tuning: relabels per node between global price updates.", visibility: .hidden))
        var priceUpdate: Double = AllocationSolverOptions().priceUpdateFactor

        @Option(help: ArgumentHelp("Tuning: solve by arc pricing from this many usable arcs.", visibility: .hidden))
        var pricingFrom: Int = AllocationPricingOptions().fromArcs

        @Option(help: ArgumentHelp("Tuning: solve by arc pricing from this many usable arcs per node.", visibility: .hidden))
        var pricingFromPerNode: Int = AllocationPricingOptions().fromArcsPerNode

        @Option(help: ArgumentHelp("Tuning: arcs per node in the first restriction.", visibility: .hidden))
        var pricingInitial: Int = AllocationPricingOptions().initialPerNode

        @Option(help: ArgumentHelp("Tuning: priced-out arcs added per node and round.", visibility: .hidden))
        var pricingAdded: Int = AllocationPricingOptions().addedPerNode

        @Option(help: ArgumentHelp("Tuning: arcs this close to paying (score units) may be added too.", visibility: .hidden))
        var pricingMargin: Int = AllocationPricingOptions().margin

        func run() throws {
            let problem = load(file)
            let pricing = AllocationPricingOptions(
                fromArcs: pricingFrom, fromArcsPerNode: pricingFromPerNode, initialPerNode: pricingInitial, addedPerNode: pricingAdded, margin: pricingMargin)
            let start = monotonicSeconds()
            let (result, report) = solveAllocationReporting(
                problem, options: AllocationSolverOptions(alpha: alpha, priceUpdateFactor: priceUpdate, pricing: pricing))
            let seconds = monotonicSeconds() - start
            print("objective \(result.objective) assigned \(result.assigned) seconds \(formatSeconds(seconds))")
            // The rounds go to stderr: the line above is what the benchmark scripts parse.
            FileHandleStderr.write("pricing rounds \(report.rounds) arcs \(report.arcs) of \(problem.arcCount)\n")
        }
    }
}

/// Reads and parses the file; the raw bytes are released on return, before solving, so they do
/// not count towards the solve's peak memory.
private func load(_ file: String) -> AllocationProblem {
    let bytes: [UInt8]
    do { bytes = try readAll(file) } catch { fail("\(file): \(error.message)") }
    do { return try AllocFile.parse(bytes) } catch { fail("\(file): \(error)") }
}

/// Malformed input: message on stderr and exit status 2 (the command-line convention for bad input).
private func fail(_ message: String) -> Never {
    FileHandleStderr.write("chanjiao alloc: \(message)\n")
    exit(2)
}

private struct ReadError: Error {
    let message: String
}

/// Reads a whole file with POSIX calls into one buffer (no Foundation, no per-line strings).
private func readAll(_ path: String) throws(ReadError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ReadError(message: String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw ReadError(message: String(cString: strerror(errno))) }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var done = 0
    let failure: Int32 = bytes.withUnsafeMutableBytes { buffer in
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { break }
            done += n
        }
        return 0
    }
    guard failure == 0 else { throw ReadError(message: String(cString: strerror(failure))) }
    if done < bytes.count { bytes.removeLast(bytes.count - done) }
    return bytes
}

private func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Three decimals, like the reference solvers print.
private func formatSeconds(_ s: Double) -> String {
    let millis = Int((s * 1000).rounded())
    let frac = millis % 1000
    return "\(millis / 1000)." + String(repeating: "0", count: frac < 10 ? 2 : frac < 100 ? 1 : 0) + "\(frac)"
}

private enum FileHandleStderr {
    static func write(_ s: String) {
        var s = s
        // write(2) on descriptor 2: the C `stderr` global is not concurrency-safe in Swift 6.
        s.withUTF8 { buffer in _ = systemWrite(2, buffer.baseAddress, buffer.count) }
    }
}
