import ChanjiaoDomain
import Foundation
import Testing

/// docs/DESIGN.md prints the workflow tables; these tests keep the print equal to the code's
/// tables: every step has its row (action, who, from and to states, a note when it needs one),
/// and every row names a step that exists.
@Suite struct WorkflowDocTests {
    struct Row {
        var actions: [String]
        var who: String
        var states: String
        var note: Bool
    }

    /// The rows of DESIGN.md's workflow table for `workflow`.
    static func rows(_ workflow: String) throws -> [Row] {
        try RepoFiles.text("docs/DESIGN.md").split(separator: "\n").compactMap { line -> Row? in
            let cells = line.replacingOccurrences(of: "\\|", with: "/").split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1] == workflow else { return nil }
            let actions = cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            return Row(actions: actions, who: cells[3], states: cells[4], note: cells[2].contains("(note)"))
        }
    }

    static func check<State, Party>(
        _ name: String, _ workflow: Workflow<State, Party>, who: (Set<Party>) -> [String]
    ) throws {
        let rows = try rows(name)
        #expect(!rows.isEmpty, "no \(name) rows in docs/DESIGN.md")
        for step in workflow.steps {
            guard let row = rows.first(where: { $0.actions.contains(step.action) }) else {
                Issue.record("docs/DESIGN.md has no \(name) row for \(step.action)")
                continue
            }
            for word in who(step.by) { #expect(row.who.contains(word), "\(name) \(step.action): who is \(row.who), not \(word)") }
            for state in step.from.map(\.rawValue) + step.to.map(\.rawValue) {
                #expect(row.states.contains(state), "\(name) \(step.action): \(state) is missing from \(row.states)")
            }
            #expect(row.note == step.needsNote, "\(name) \(step.action): (note)")
        }
        for action in rows.flatMap(\.actions) {
            #expect(workflow.step(action) != nil, "docs/DESIGN.md has a \(name) row for \(action), which the code does not have")
        }
    }

    @Test func theApplicationTableIsTheCodes() throws {
        try Self.check("application", Workflow.applications) { parties in parties.map(\.rawValue) }
    }

    @Test func theCooperationTableIsTheCodes() throws {
        try Self.check("cooperation", Workflow.cooperations) { parties in
            if parties == [.proposer, .otherSide] { return ["either side"] }
            return parties.map { $0 == .otherSide ? "other side" : $0.rawValue }
        }
    }

    @Test func theRewardTableIsTheCodes() throws {
        try Self.check("reward", Workflow.rewards) { parties in
            parties.map { $0 == .secondBureauAccount ? "second bureau account" : $0.rawValue }
        }
    }
}
