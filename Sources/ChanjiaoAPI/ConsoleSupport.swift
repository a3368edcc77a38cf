import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The console's sign-in cookie and form tokens, and the HTML responses of its pages.
///
/// - The session is the API's own session (`Store.login`, the same throttle and audit), its
///   token in an `HttpOnly; SameSite=Strict` cookie scoped to `/console`, `Secure` behind TLS.
///   `AuthMiddleware` reads it for `/console` paths only: the JSON API never takes a cookie.
/// - Every form carries a CSRF token bound to the session (a hash of its token, which the page
///   can show but a script elsewhere cannot compute); the sign-in form, before any session,
///   a random token matched against a cookie of its own (double submit).
enum ConsoleSession {
    static let cookie = "cj_console"
    static let loginCookie = "cj_login"

    /// The cookie's value in the request, if any.
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// `Set-Cookie` for `name`; `maxAge` 0 deletes it.
    static func setCookie(_ name: String, _ value: String, path: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// TLS ends at a trusted proxy that says so; the service itself speaks plain HTTP.
    static func isSecure(_ request: Request, _ context: AppContext, trustedProxies: [AddressRange]) -> Bool {
        let peer = context.remoteAddress?.ipAddress ?? ""
        return trustedProxies.contains { $0.contains(peer) }
            && request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// The form token of the session whose token is `token`.
    static func csrf(for token: String) -> String {
        Data(SHA256.hash(data: Data("chanjiao console form\u{0}\(token)".utf8))).base64URLEncoded
    }

    /// Equal in constant time, so the comparison tells nothing of how much matched.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A console form's fields, its token checked against the caller's session: 415 for another
    /// media type, 413 above 64 KiB, 400 for a malformed body, 403 without the right token.
    static func form(_ request: Request, _ context: AppContext) async throws -> FormFields {
        let fields = try await rawForm(request)
        guard let token = context.bearerToken, let sent = fields["_csrf"], same(sent, csrf(for: token)) else {
            throw Problem.forbidden("the form has expired or did not come from this console; open the page again and resend it")
        }
        return fields
    }

    static func rawForm(_ request: Request) async throws -> FormFields {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw Problem(
                .unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)",
                detail: "console forms are sent as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 64 * 1024)
        } catch {
            throw Problem(.contentTooLarge, title: "请求过大 (content too large)", detail: "a console form is at most 64 KiB")
        }
        guard let fields = FormFields(body: String(buffer: buffer)) else {
            throw Problem.badRequest("the form is not valid application/x-www-form-urlencoded UTF-8 (or names a field twice)")
        }
        for (name, value) in fields.values where TextRules.hasForbiddenControl(value) && name != "password" {
            throw Problem.invalid(field: name, TextRules.controlMessage)
        }
        return fields
    }

    /// The chrome of a page for the caller (signed in or not). The error renderer runs outside
    /// authentication and sees only who the caller was (`seen`), not their token: its pages
    /// show the caller's menu without forms.
    static func chrome(_ context: AppContext, current: ConsolePage? = nil) -> ConsoleChrome {
        guard let caller = context.identity ?? context.seen.caller, let role = caller.role, ConsoleRoutes.roles.contains(role) else {
            return .anonymous
        }
        return ConsoleChrome(username: caller.username ?? "", role: role, csrf: context.bearerToken.map(csrf(for:)) ?? "", current: current)
    }

    /// A page's chrome with the outcome of the form that led to it: the form's problem, or
    /// after a success (`?done=`) its notice.
    static func chrome(_ context: AppContext, current: ConsolePage, request: Request, problem: Problem?) -> ConsoleChrome {
        var chrome = chrome(context, current: current)
        chrome.problem = problem.map(ProblemView.init)
        chrome.notice = problem == nil ? request.uri.queryParameters["done"].map { ConsoleLabels.done(String($0)) } : nil
        return chrome
    }
}

/// HTML answers of the console and the board.
enum HTMLBody {
    static func page(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            // Pages show what one caller may see: no cache keeps them. Scripts only from here.
            .cacheControl: "no-store",
            HTTPField.Name("Content-Security-Policy")!:
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other: after a form, the browser loads `location` with GET.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A problem as a page: the problem's status, its title, detail and field errors in the
    /// layout; 401 sends the browser to sign in and come back.
    static func problem(_ problem: Problem, request: Request, context: AppContext, renderer: ConsoleRenderer) -> Response {
        if problem.kind == .unauthorized && request.uri.path.hasPrefix("/console") {
            let next = request.method == .get ? request.uri.path : "/console/"
            return redirect("/console/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_", "."])) ?? ""))
        }
        var chrome = ConsoleSession.chrome(context)
        chrome.problem = ProblemView(problem)
        let model: [String: Any] = [
            "chrome": chrome, "problemTitle": problem.title,
            "back": chrome.signedIn ? "/console/" : "/board",
        ]
        var response = page(renderer.render("problem", model), status: problem.status)
        for field in problem.headers { response.headers.append(field) }
        return response
    }
}

extension JSONValue {
    /// A document the store answered as text.
    static func parse(_ text: String) throws -> JSONValue { try parse(Data(text.utf8)) }
}

extension Page {
    /// The page's documents, parsed for a view.
    func documents() throws -> [JSONValue] { try items.map(JSONValue.parse) }
}
