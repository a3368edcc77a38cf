import Foundation
import Mustache

/// The console's templates and stylesheet, loaded once at start from this target's resources.
/// Every page is a template that fills the layout's `content` block (`layout.mustache`).
public struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    /// The files of `Static/` by name (the stylesheet, the refresh script), served at
    /// `/console/static/<name>` with their media type.
    public let statics: [String: (mediaType: String, text: String)]

    public static func load() async throws -> ConsoleRenderer {
        // Read now: `Bundle.module` aborts when the resource bundle is missing, and that must
        // stop a start, not a running service at its first page.
        guard let root = Bundle.module.resourceURL else { throw ConsoleResourceError.missing("the resource bundle") }
        let library = try await MustacheLibrary(directory: root.appendingPathComponent("Templates").path)
        for name in ["layout", "board", "login", "problem"] where library.getTemplate(named: name) == nil {
            throw ConsoleResourceError.missing("the template \(name).mustache")
        }
        var statics: [String: (mediaType: String, text: String)] = [:]
        for (name, mediaType) in [("console.css", "text/css; charset=utf-8"), ("refresh.js", "text/javascript; charset=utf-8"), ("favicon.svg", "image/svg+xml")] {
            statics[name] = (mediaType, try String(contentsOf: root.appendingPathComponent("Static/\(name)"), encoding: .utf8))
        }
        return ConsoleRenderer(library: library, statics: statics)
    }

    /// `template` rendered with `model` (a struct whose members the template names).
    public func render(_ template: String, _ model: Any) -> String {
        library.render(model, withTemplate: template) ?? ""
    }
}

public enum ConsoleResourceError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let what): "the console cannot start: \(what) is missing"
        }
    }
}
