extension AsyncSequence where Self: Sendable {
    /// Every element, in order: our queries return pages and single rows, never unbounded sets.
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
