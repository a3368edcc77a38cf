import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The public 红黑榜 board: `/board` as a page (printable on one A4 landscape sheet) and
/// `/board.svg` as one image for slides, both from the API's own scoreboard and overview, for
/// `year` and `as_of` as `GET /v1/scoreboard` reads them.
struct BoardRoutes {
    let store: Store
    let console: ConsoleRenderer

    func register(on router: Router<AppContext>) {
        router.on(.get, "board", nil) { request, _ in
            let board = try await board(request)
            return HTMLBody.page(console.render("board", ["chrome": ConsoleChrome.anonymous, "board": board] as [String: Any]))
        }
        router.on(.get, "board.svg", nil) { request, _ in
            let board = try await board(request)
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: board.svg)))
        }
        router.on(.get, "console/static/:file", nil) { _, context in
            try staticFile(context.parameters.get("file") ?? "")
        }
        // Browsers ask for it by this name whatever a page says (an SVG image opened alone).
        router.on(.get, "favicon.ico", nil) { _, _ in try staticFile("favicon.svg") }
    }

    private func staticFile(_ name: String) throws -> Response {
        guard let file = console.statics[name] else { throw Problem.notFound("this file") }
        return Response(
            status: .ok, headers: [.contentType: file.mediaType, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: file.text)))
    }

    private func board(_ request: Request) async throws -> BoardView {
        let parameters = try request.queryParameters(allowed: ["year", "as_of"])
        let (year, asOf) = try Request.scoreboardDay(parameters, today: ChinaDay(store.clock.now()))
        let scoreboard = try JSONValue.parse(try await store.scoreboard(year: year, asOf: asOf))
        let overview = try JSONValue.parse(try await store.overview())
        return BoardView(scoreboard: scoreboard, overview: overview)
    }
}
