import Testing
@testable import ChanjiaoAllocation

@Suite struct AllocFileTests {
    private func parse(_ text: String) throws(AllocFileError) -> AllocationProblem {
        try AllocFile.parse(Array(text.utf8))
    }

    private func expectError(_ text: String, line: Int, _ kind: AllocFileError.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: AllocFileError(line: line, kind), sourceLocation: sourceLocation) { try parse(text) }
    }

    @Test func readsAWellFormedFile() throws {
        let problem = try parse("alloc-v1 2 3 4\n5\n0\n1\n2\n3\n0 0 10\n1 2 0\n0 2 10000\n1 1 7\n")
        #expect(problem.capacities == [5, 0])
        #expect(problem.headcounts == [1, 2, 3])
        #expect(problem.arcPrograms == [0, 1, 0, 1])
        #expect(problem.arcDemands == [0, 2, 2, 1])
        #expect(problem.arcScores == [10, 0, 10000, 7])
        #expect(solveAllocation(problem).objective == 10 + 3 * 10000)
    }

    @Test func acceptsBlanksCarriageReturnsAndAMissingFinalNewline() throws {
        let problem = try parse("alloc-v1\t1 1 1\r\n 4 \r\n2\n0  0\t9")
        #expect(problem.capacities == [4] && problem.headcounts == [2] && problem.arcScores == [9])
        _ = try parse("alloc-v1 0 0 0\n\n\n")
        _ = try parse("alloc-v1 1 0 0\n3")
    }

    @Test func rejectsBadHeaders() {
        expectError("", line: 1, .badHeader)
        expectError("alloc-v2 1 1 1\n", line: 1, .badHeader)
        expectError("alloc-v1 1 1\n", line: 1, .badHeader)
        expectError("alloc-v1 1 -1 0\n", line: 1, .badHeader)
        expectError("alloc-v1 1 x 0\n", line: 1, .badHeader)
        expectError("alloc-v1 0 0 0 0\n", line: 1, .wrongFieldCount(expected: 4))
        expectError("alloc-v1 1000 0 0\n1\n", line: 1, .countsExceedFile)
        expectError("alloc-v1 0 0 99999999999999999999\n", line: 1, .badHeader)
    }

    @Test func rejectsCountsThatDoNotMatch() {
        expectError("alloc-v1 2 1 1\n1\n1\n0 0 1\n", line: 4, .wrongFieldCount(expected: 1))
        expectError("alloc-v1 1 1 2\n1\n1\n0 0 1\n", line: 5, .unexpectedEnd)
        expectError("alloc-v1 1 1 1\n1\n1\n0 0 1\n0 0 2\n", line: 5, .trailingContent)
        expectError("alloc-v1 1 1 1\n1\n1\n0 0 1\n\n\njunk\n", line: 7, .trailingContent)
    }

    @Test func rejectsBadValues() {
        expectError("alloc-v1 2 1 0\n1\n-1\n1\n", line: 3, .negativeCapacity)
        expectError("alloc-v1 1 1 0\n1\n-5\n", line: 3, .negativeHeadcount)
        expectError("alloc-v1 1 1 1\n1\n1\n1 0 5\n", line: 4, .programOutOfRange)
        expectError("alloc-v1 1 1 1\n1\n1\n0 -1 5\n", line: 4, .demandOutOfRange)
        expectError("alloc-v1 1 1 1\n1\n1\n0 1 5\n", line: 4, .demandOutOfRange)
        expectError("alloc-v1 1 1 1\n1\n1\n0 0 10001\n", line: 4, .scoreOutOfRange)
        expectError("alloc-v1 1 1 1\n1\n1\n0 0 -1\n", line: 4, .scoreOutOfRange)
        expectError("alloc-v1 1 1 0\n1.5\n1\n", line: 2, .notAnInteger(field: 1))
        expectError("alloc-v1 1 1 0\n1\n+1\n", line: 3, .notAnInteger(field: 1))
        expectError("alloc-v1 1 1 1\n1\n1\n0 0x 1\n", line: 4, .notAnInteger(field: 2))
        expectError("alloc-v1 1 1 0\n99999999999999999999\n1\n", line: 2, .notAnInteger(field: 1))
        expectError("alloc-v1 1 1 1\n1\n1\n0 0 1 7\n", line: 4, .wrongFieldCount(expected: 3))
        expectError("alloc-v1 1 1 1\n1\n1\n0 0\n", line: 4, .wrongFieldCount(expected: 3))
        expectError("alloc-v1 1 1 0\n1\n\n", line: 3, .wrongFieldCount(expected: 1))
    }

    @Test func rejectsRepeatedPairsNamingBothLines() {
        expectError("alloc-v1 2 2 4\n1\n1\n1\n1\n1 1 5\n0 1 5\n1 0 3\n1 1 4\n", line: 9, .duplicateArc(firstLine: 6))
        // The earliest repeat in the file is reported, not the first in program order.
        expectError("alloc-v1 2 1 4\n1\n1\n1\n1 0 1\n0 0 1\n1 0 2\n0 0 3\n", line: 7, .duplicateArc(firstLine: 5))
    }

    @Test func rejectsTotalsTooLargeForTheSolver() {
        expectError("alloc-v1 2 0 0\n\(1 << 48)\n\(1 << 49)\n", line: 1, .tooLarge)
    }

    @Test func messagesNameTheLine() {
        #expect(AllocFileError(line: 12, .scoreOutOfRange).description == "line 12: score must be in 0...10000")
    }
}
