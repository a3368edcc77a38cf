import ChanjiaoStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of a test's own, with default durability (unlike the shared test
/// cluster, which runs with fsync off), started and restarted through `scripts/lib/pg.sh`.
struct OwnCluster: Sendable {
    let bin: String
    let data: String
    let folder: String
    let port: Int
    let log: String
    let socketFolder: String

    static func start() async throws -> OwnCluster {
        let output = try await onOwnThread(
            """
            source scripts/lib/pg.sh
            pg_ensure_binaries >&2
            tmp=$(pg_tmp_dir own) && pg_init "$tmp/pgdata" >&2 && pg_start "$tmp/pgdata" -c max_connections=60 >&2
            echo "$PG_BIN $tmp $PG_PORT $PG_SOCKET_DIR"
            """)
        let parts = output.split(separator: " ").map(String.init)
        guard parts.count == 4, let port = Int(parts[2]) else { throw TestSetupError("cluster did not start: \(output)") }
        return OwnCluster(
            bin: parts[0], data: "\(parts[1])/pgdata", folder: parts[1], port: port, log: "\(parts[1])/postgres.log",
            socketFolder: parts[3])
    }

    var serverURL: DatabaseURL { get throws { try DatabaseURL("postgres://chanjiao@127.0.0.1:\(port)/postgres") } }

    /// Starts the stopped server again, on the same port and socket folder.
    func start() async throws {
        try await pgCtl("start -o '-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c max_connections=60'")
    }

    /// `pg_ctl ARGS` as the cluster's owner; `restart` reuses the options the server started with.
    func pgCtl(_ arguments: String) async throws {
        try await Self.onOwnThread("source scripts/lib/pg.sh; pg__owner \(bin)/pg_ctl -D \(data) -l \(log) -w -t 60 \(arguments) >&2")
    }

    func destroy() {
        _ = try? Self.shell("source scripts/lib/pg.sh; pg__owner \(bin)/pg_ctl -D \(data) -m immediate -w stop >&2; rm -rf \(folder) \(socketFolder)")
    }

    /// `shell(script)` on a new thread, so the wait blocks no thread of the cooperative pool.
    @discardableResult
    static func onOwnThread(_ script: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try shell(script) }) }
        }
    }

    /// Runs a bash script from the checkout's root and returns its standard output. Spawned and
    /// waited for with plain POSIX calls: Foundation's `Process` did not reap its child in the
    /// test process. It blocks: call it through `onOwnThread` from async code.
    @discardableResult
    static func shell(_ script: String) throws -> String {
        let root = try ProjectFiles.locate().root.path
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TestSetupError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        // The test process's sockets (servers, clients, database connections of other tests)
        // are not close-on-exec; a PostgreSQL server started from here would hold them open
        // for good, and their peers would wait for an end of stream that never comes.
        let closeInherited = "for fd in $(ls /proc/$$/fd); do ((fd > 2)) && eval \"exec $fd>&-\"; done 2>/dev/null || true\n"
        let arguments = ["/bin/bash", "-c", closeInherited + "set -euo pipefail; cd \"$0\"\n" + script, root]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw TestSetupError("posix_spawn failed: \(spawned)")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else { throw TestSetupError("shell failed (status \(status)): \(script)") }
        return text
    }
}
