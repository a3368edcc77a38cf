import Dispatch
import NIOCore
import Logging
import NIOPosix
import PostgresNIO

/// The database client's event loops: NIO's singleton group, except that `any()` takes turns
/// like `next()`. PostgresNIO opens each pooled connection on `any()`, which on an event loop
/// thread is that loop itself; with Swift concurrency running on the loops, every connection
/// then lands on one loop, and so does each request handler once it has awaited a query
/// (a continuation resumes on the loop its connection answered on). The other core sat idle
/// while recommendations queued on the busy one.
final class SpreadEventLoops: EventLoopGroup, Sendable {
    let base: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    func next() -> any EventLoop { base.next() }
    func any() -> any EventLoop { base.next() }
    func makeIterator() -> EventLoopIterator { base.makeIterator() }

    /// The singleton outlives every client: there is nothing of ours to shut down.
    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        queue.async { callback(nil) }
    }
}

extension DatabaseURL {
    /// A pooled client of this database, its connections spread over the event loops.
    public func client(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: configuration, eventLoopGroup: SpreadEventLoops(), backgroundLogger: logger)
    }
}
