@testable import ChanjiaoStore
import NIOCore
import NIOPosix
import Testing

@Suite struct DatabaseClientTests {
    /// PostgresNIO opens each pooled connection on its group's `any()`. Asked on an event loop,
    /// NIO's own group answers with that loop, so every connection (and every handler resuming
    /// after a query) ended up on one core. The client's group takes turns instead.
    @Test func theClientsConnectionsAreOpenedOnEveryEventLoopInTurn() async throws {
        let singleton = MultiThreadedEventLoopGroup.singleton
        let loops = Set(singleton.makeIterator().map { ObjectIdentifier($0) })
        let spread = SpreadEventLoops()
        let loop = singleton.next()
        let (picked, plain) = try await loop.submit {
            ((0..<(2 * loops.count)).map { _ in ObjectIdentifier(spread.any()) }, ObjectIdentifier(singleton.any()))
        }.get()
        #expect(Set(picked) == loops, "every loop gets connections")
        #expect(plain == ObjectIdentifier(loop), "NIO's own any() stays on the calling loop")
    }
}
