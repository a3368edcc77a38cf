import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Everything recommendations read, in memory: the catalog, every program, demand and talent
/// as a compact profile, and an id → position map for each.
public struct MatchSnapshot: Sendable {
    public var catalog: MatchCatalog
    public var programs: ProgramPool
    public var demands: DemandPool
    public var talents: TalentPool
    var programIndex: [UUID: Int]
    var demandIndex: [UUID: Int]
    var talentIndex: [UUID: Int]

    public func program(_ id: UUID) -> ProgramProfile? { programIndex[id].map { programs.profiles[$0] } }
    public func demand(_ id: UUID) -> DemandProfile? { demandIndex[id].map { demands.profiles[$0] } }
    public func talent(_ id: UUID) -> TalentProfile? { talentIndex[id].map { talents.profiles[$0] } }

    static func indexed<P>(_ profiles: [P], id: (P) -> UUID) -> [UUID: Int] {
        Dictionary(uniqueKeysWithValues: profiles.enumerated().map { (id($1), $0) })
    }
}

/// The recommendation index, kept fresh from the database: a full load at start (and whenever
/// the listener reconnects, a taxonomy changes or one statement changes many rows), then the rows named by `match_changes`
/// notices, applied in batches every `batchInterval`. A committed change shows within about
/// that interval plus one reload.
public final class MatchIndex: Service, Sendable {
    let store: Store
    let batchInterval: Duration
    private let state = Mutex<MatchSnapshot?>(nil)
    private let pending = Mutex<Set<Change>>([])

    /// A `match_changes` notice: `<table>:<id>` for a row, `<table>:*` for a taxonomy change or
    /// a statement that changed more than 100 rows (`sql/0015`).
    enum Change: Hashable {
        case row(Resource, UUID)
        case all

        init?(notice: String) {
            let parts = notice.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            if parts[1] == "*" { self = .all; return }
            guard let resource = Resource(rawValue: String(parts[0])), let id = UUID(uuidString: String(parts[1]))
            else { return nil }
            self = .row(resource, id)
        }
    }

    public init(store: Store, batchInterval: Duration = .milliseconds(200)) {
        self.store = store
        self.batchInterval = batchInterval
    }

    /// The current snapshot; waits up to 5 s for the first load, then answers 503.
    public func snapshot() async throws -> MatchSnapshot {
        for _ in 0..<100 {
            if let snapshot = state.withLock({ $0 }) { return snapshot }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Problem.unavailable("the recommendation index is still loading; retry shortly")
    }

    public func run() async throws {
        // A graceful shutdown cancels the listener; that is a clean stop, not a failure.
        try? await cancelWhenGracefulShutdown { try await self.listen() }
    }

    private func listen() async throws {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: "match_changes") { notices in
                        // Notices may have been missed while no one listened.
                        self.store.forgetPublicDocuments()
                        try await self.reloadAll()
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for try await notice in notices {
                                    guard let change = Change(notice: notice.payload) else { continue }
                                    // A committed change elsewhere: drop the cached document at
                                    // once, not at the next batch.
                                    switch change {
                                    case .row(let resource, let id): self.store.changed(resource, id: id)
                                    case .all: self.store.forgetPublicDocuments()
                                    }
                                    _ = self.pending.withLock { $0.insert(change) }
                                }
                            }
                            group.addTask {
                                while !Task.isCancelled {
                                    try await Task.sleep(for: self.batchInterval)
                                    try await self.applyPending()
                                }
                            }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                }
            } catch where !Task.isCancelled {
                store.logger.warning("match index listener stopped; reconnecting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            } catch {
                return
            }
        }
    }

    /// Loads everything anew.
    public func reloadAll() async throws {
        var catalog = try await store.matchCatalog()
        let programs = try await store.programProfiles(catalog: &catalog)
        let demands = try await store.demandProfiles(catalog: &catalog)
        let talents = try await store.talentProfiles(catalog: &catalog)
        let loadedCatalog = catalog
        let snapshot = try await Self.offEventLoop {
            MatchSnapshot(
                catalog: loadedCatalog, programs: ProgramPool(programs), demands: DemandPool(demands),
                talents: TalentPool(talents), programIndex: MatchSnapshot.indexed(programs, id: \.id),
                demandIndex: MatchSnapshot.indexed(demands, id: \.id), talentIndex: MatchSnapshot.indexed(talents, id: \.id))
        }
        state.withLock { $0 = snapshot }
        store.logger.debug("match index loaded", metadata: ["programs": "\(programs.count)", "demands": "\(demands.count)", "talents": "\(talents.count)"])
    }

    /// Applies the notices gathered since the last batch: changed rows are reloaded by id,
    /// vanished ones dropped; a taxonomy change reloads everything.
    func applyPending() async throws {
        let changes = pending.withLock { changes in
            defer { changes.removeAll() }
            return changes
        }
        guard !changes.isEmpty, var snapshot = state.withLock({ $0 }) else { return }
        var changed: [Resource: [UUID]] = [:]
        for change in changes {
            switch change {
            case .all: return try await reloadAll()
            case .row(let resource, let id): changed[resource, default: []].append(id)
            }
        }
        if let ids = changed[.programs] {
            let fresh = try await store.programProfiles(ids: ids, catalog: &snapshot.catalog)
            (snapshot.programs, snapshot.programIndex) = try await Self.rebuilt(
                snapshot.programs.profiles, index: snapshot.programIndex, removing: ids, adding: fresh, id: \.id, pool: ProgramPool.init)
        }
        if let ids = changed[.demands] {
            let fresh = try await store.demandProfiles(ids: ids, catalog: &snapshot.catalog)
            (snapshot.demands, snapshot.demandIndex) = try await Self.rebuilt(
                snapshot.demands.profiles, index: snapshot.demandIndex, removing: ids, adding: fresh, id: \.id, pool: DemandPool.init)
        }
        if let ids = changed[.talents] {
            let fresh = try await store.talentProfiles(ids: ids, catalog: &snapshot.catalog)
            (snapshot.talents, snapshot.talentIndex) = try await Self.rebuilt(
                snapshot.talents.profiles, index: snapshot.talentIndex, removing: ids, adding: fresh, id: \.id, pool: TalentPool.init)
        }
        let updated = snapshot
        state.withLock { $0 = updated }
    }

    /// Swift concurrency runs on the event loops (see `chanjiao-service`), so work that takes
    /// tens of milliseconds — building the pools of 100,000 records — runs on the thread pool.
    static func offEventLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// The pool and id map after `merge`, built off the event loop.
    static func rebuilt<P: Sendable, Pool: Sendable>(
        _ profiles: [P], index: [UUID: Int], removing ids: [UUID], adding fresh: [P],
        id: @escaping @Sendable (P) -> UUID, pool: @escaping @Sendable ([P]) -> Pool
    ) async throws -> (Pool, [UUID: Int]) {
        try await offEventLoop {
            let merged = merge(profiles, index: index, removing: ids, adding: fresh, id: id)
            return (pool(merged), MatchSnapshot.indexed(merged, id: id))
        }
    }

    /// Replaces changed profiles in place, drops deleted ones, appends new ones.
    static func merge<P>(_ profiles: [P], index: [UUID: Int], removing ids: [UUID], adding fresh: [P], id: (P) -> UUID) -> [P] {
        var result = profiles
        let freshByID = Dictionary(fresh.map { (id($0), $0) }, uniquingKeysWith: { $1 })
        var gone: Set<Int> = []
        for changedID in Set(ids) {
            if let position = index[changedID] {
                if let profile = freshByID[changedID] { result[position] = profile } else { gone.insert(position) }
            } else if let profile = freshByID[changedID] {
                result.append(profile)
            }
        }
        if !gone.isEmpty { result = result.enumerated().filter { !gone.contains($0.offset) }.map(\.element) }
        return result
    }
}
