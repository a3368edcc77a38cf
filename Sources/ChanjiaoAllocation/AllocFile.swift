/// Reader of the `alloc-v1` benchmark format (design/MATCHING.md §3):
///
/// ```
/// alloc-v1 P D A
/// c_0            ← P lines of program capacity (integer >= 0)
/// h_0            ← D lines of demand headcount (integer >= 0)
/// p d s          ← A lines: program index, demand index (0-based), score 0...10000
/// ```
///
/// Fields are separated by spaces or tabs; lines end in `\n` (a `\r` before it is accepted); the
/// last newline is optional and nothing but blank lines may follow the last arc. A province-size
/// file has millions of lines, so the reader walks the bytes once, with no per-line strings.
public enum AllocFile {
    /// Parses and validates a whole file. Errors carry the 1-based line number.
    public static func parse(_ bytes: [UInt8]) throws(AllocFileError) -> AllocationProblem {
        let parsed: Result<AllocationProblem, AllocFileError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(AllocFileError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try parsed.get()
    }

    /// Parses and validates a whole file held in memory. Errors carry the 1-based line number.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(AllocFileError) -> AllocationProblem {
        var r = AllocFileReader(bytes)
        guard r.word() == Array("alloc-v1".utf8) else { throw AllocFileError(line: 1, .badHeader) }
        let programs = try r.count(), demands = try r.count(), arcs = try r.count()
        try r.endLine(expecting: 4)
        // Every item needs a line of at least two bytes, so larger counts cannot match the file;
        // checking first also keeps a lying header from making us reserve absurd memory.
        let (items, overflow) = programs.addingReportingOverflow(demands)
        guard !overflow, items <= bytes.count, arcs <= bytes.count else {
            throw AllocFileError(line: 1, .countsExceedFile)
        }

        let capacities = try r.counts(programs, negative: .negativeCapacity)
        let headcounts = try r.counts(demands, negative: .negativeHeadcount)
        var arcPrograms = [Int32](repeating: 0, count: arcs)
        var arcDemands = [Int32](repeating: 0, count: arcs)
        var arcScores = [Int32](repeating: 0, count: arcs)
        for a in 0..<arcs {
            let p = try r.integer(field: 1, of: 3)
            guard p >= 0, p < programs else { throw AllocFileError(line: r.line, .programOutOfRange) }
            let d = try r.integer(field: 2, of: 3)
            guard d >= 0, d < demands else { throw AllocFileError(line: r.line, .demandOutOfRange) }
            let s = try r.integer(field: 3, of: 3)
            guard s >= 0, s <= Int(AllocationProblem.maxScore) else {
                throw AllocFileError(line: r.line, .scoreOutOfRange)
            }
            try r.endLine(expecting: 3)
            arcPrograms[a] = Int32(truncatingIfNeeded: p)
            arcDemands[a] = Int32(truncatingIfNeeded: d)
            arcScores[a] = Int32(truncatingIfNeeded: s)
        }
        try r.expectOnlyBlankLines()
        let firstArcLine = 2 + programs + demands
        if let (later, earlier) = firstDuplicate(arcPrograms, arcDemands, programs: programs, demands: demands) {
            throw AllocFileError(line: firstArcLine + later, .duplicateArc(firstLine: firstArcLine + earlier))
        }
        do {
            return try AllocationProblem(
                capacities: capacities, headcounts: headcounts,
                arcPrograms: arcPrograms, arcDemands: arcDemands, arcScores: arcScores)
        } catch {
            // Everything else was checked above with its line; only the size limits remain.
            throw AllocFileError(line: 1, .tooLarge)
        }
    }

    /// The earliest arc repeating a (program, demand) pair, with the arc it repeats. Linear time:
    /// a counting sort groups arcs by program (input order kept), then a per-demand stamp of the
    /// last program seen finds repeats within a group.
    static func firstDuplicate(
        _ ap: [Int32], _ ad: [Int32], programs: Int, demands: Int
    ) -> (later: Int, earlier: Int)? {
        let arcs = ap.count
        var start = [Int32](repeating: 0, count: programs + 1)
        for a in 0..<arcs { start[Int(ap[a]) + 1] += 1 }
        for p in 0..<programs { start[p + 1] += start[p] }
        var order = [Int32](repeating: 0, count: arcs)
        var fill = start
        for a in 0..<arcs {
            let p = Int(ap[a])
            order[Int(fill[p])] = Int32(a)
            fill[p] += 1
        }
        var stampProgram = [Int32](repeating: -1, count: demands)
        var stampArc = [Int32](repeating: -1, count: demands)
        var best: (later: Int, earlier: Int)?
        for p in 0..<programs {
            for i in Int(start[p])..<Int(start[p + 1]) {
                let a = order[i], d = Int(ad[Int(a)])
                if stampProgram[d] == Int32(p) {
                    if best == nil || Int(a) < best!.later { best = (Int(a), Int(stampArc[d])) }
                } else {
                    stampProgram[d] = Int32(p)
                    stampArc[d] = a
                }
            }
        }
        return best
    }
}

/// Why an `alloc-v1` file was rejected, and on which line (1-based).
public struct AllocFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The first line is not `alloc-v1 P D A` with three non-negative integers.
        case badHeader
        /// The header announces more programs, demands or arcs than the file could hold.
        case countsExceedFile
        /// A field is not a decimal integer (or does not fit 64 bits).
        case notAnInteger(field: Int)
        /// A line has fewer or more fields than its section requires.
        case wrongFieldCount(expected: Int)
        /// The file ends before the announced lines.
        case unexpectedEnd
        /// Something other than blank lines follows the last announced line.
        case trailingContent
        case negativeCapacity
        case negativeHeadcount
        case programOutOfRange
        case demandOutOfRange
        case scoreOutOfRange
        /// The (program, demand) pair already appeared on `firstLine`.
        case duplicateArc(firstLine: Int)
        /// More seats or headcount in total than the solver's 64-bit arithmetic allows.
        case tooLarge
    }

    public let line: Int
    public let kind: Kind

    public init(line: Int, _ kind: Kind) {
        self.line = line
        self.kind = kind
    }

    public var description: String {
        let what: String
        switch kind {
        case .badHeader: what = "expected header 'alloc-v1 P D A' with non-negative integer counts"
        case .countsExceedFile: what = "header counts exceed what the file can hold"
        case .notAnInteger(let f): what = "field \(f) is not an integer"
        case .wrongFieldCount(let n): what = "expected \(n) field\(n == 1 ? "" : "s")"
        case .unexpectedEnd: what = "file ends early: the header announces more lines"
        case .trailingContent: what = "unexpected content after the last announced line"
        case .negativeCapacity: what = "program capacity must be >= 0"
        case .negativeHeadcount: what = "demand headcount must be >= 0"
        case .programOutOfRange: what = "program index out of range"
        case .demandOutOfRange: what = "demand index out of range"
        case .scoreOutOfRange: what = "score must be in 0...\(AllocationProblem.maxScore)"
        case .duplicateArc(let l): what = "(program, demand) pair already given on line \(l)"
        case .tooLarge: what = "total seats or headcount too large"
        }
        return "line \(line): \(what)"
    }
}

/// A cursor over the file's bytes that tracks the line number.
struct AllocFileReader {
    let base: UnsafePointer<UInt8>?
    let end: Int
    var pos = 0
    var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        base = bytes.baseAddress
        end = bytes.count
    }

    @inline(__always) mutating func skipBlanks() {
        while pos < end, base.unsafelyUnwrapped[pos] == 0x20 || base.unsafelyUnwrapped[pos] == 0x09 { pos += 1 }
    }

    /// The next run of non-blank bytes on this line.
    mutating func word() -> [UInt8] {
        skipBlanks()
        var out: [UInt8] = []
        while pos < end, !isSeparator(base.unsafelyUnwrapped[pos]) {
            out.append(base.unsafelyUnwrapped[pos])
            pos += 1
            if out.count > 16 { break }
        }
        return out
    }

    @inline(__always) func isSeparator(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// A header count: a non-negative integer, or a bad header.
    mutating func count() throws(AllocFileError) -> Int {
        guard let v = try? integer(field: 0, of: 0), v >= 0 else { throw AllocFileError(line: 1, .badHeader) }
        return v
    }

    /// The next field of this line as a signed decimal integer.
    @inline(__always) mutating func integer(field: Int, of fields: Int) throws(AllocFileError) -> Int {
        skipBlanks()
        guard pos < end else { throw AllocFileError(line: line, .unexpectedEnd) }
        let p = base.unsafelyUnwrapped
        var c = p[pos]
        if c == 0x0A || c == 0x0D {
            throw AllocFileError(line: line, .wrongFieldCount(expected: fields))
        }
        let negative = c == 0x2D
        if negative { pos += 1 }
        var value = 0
        var digits = 0
        while pos < end {
            c = p[pos]
            let digit = Int(c) &- 0x30
            guard digit >= 0 && digit <= 9 else { break }
            // 18 digits always fit; longer numbers are checked for overflow.
            if digits >= 18 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { throw AllocFileError(line: line, .notAnInteger(field: field)) }
                value = s
            } else {
                value = value &* 10 &+ digit
            }
            digits += 1
            pos += 1
        }
        guard digits > 0, pos >= end || isSeparator(p[pos]) else {
            throw AllocFileError(line: line, .notAnInteger(field: field))
        }
        return negative ? -value : value
    }

    /// Ends the current line: only blanks may remain before the newline (or the end of the file).
    @inline(__always) mutating func endLine(expecting fields: Int) throws(AllocFileError) {
        skipBlanks()
        if pos < end && base.unsafelyUnwrapped[pos] == 0x0D { pos += 1 }
        if pos >= end { line += 1; return }
        guard base.unsafelyUnwrapped[pos] == 0x0A else {
            throw AllocFileError(line: line, .wrongFieldCount(expected: fields))
        }
        pos += 1
        line += 1
    }

    /// `count` lines of one integer ≥ 0 each (capacities or headcounts); `negative` names a
    /// value below 0.
    mutating func counts(_ count: Int, negative: AllocFileError.Kind) throws(AllocFileError) -> [Int] {
        var values = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let value = try integer(field: 1, of: 1)
            guard value >= 0 else { throw AllocFileError(line: line, negative) }
            values[i] = value
            try endLine(expecting: 1)
        }
        return values
    }

    /// After the last announced line only blank lines may follow.
    mutating func expectOnlyBlankLines() throws(AllocFileError) {
        while pos < end {
            let c = base.unsafelyUnwrapped[pos]
            if c == 0x0A { line += 1 } else if c != 0x20 && c != 0x09 && c != 0x0D {
                throw AllocFileError(line: line, .trailingContent)
            }
            pos += 1
        }
    }
}
