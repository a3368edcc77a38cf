import ChanjiaoDomain

/// What the layout shows around every page: who is signed in, the pages their role may open,
/// the form token, and the outcome of the last form (a notice, or the API's problem).
public struct ConsoleChrome: Sendable {
    public struct Link: Sendable {
        public var href: String
        public var label: String
        public var current: Bool
    }

    public var signedIn: Bool
    public var username: String
    public var roleName: String
    /// The CSRF token every form of this session carries; empty on a page rendered without the
    /// session's token (an error page), which then offers no forms.
    public var csrf: String {
        didSet { canSignOut = !csrf.isEmpty }
    }
    public private(set) var canSignOut = false
    public var nav: [Link]
    public var notice: String?
    public var problem: ProblemView?

    /// Nobody signed in: the public board's chrome.
    public static let anonymous = ConsoleChrome(signedIn: false, username: "", roleName: "", csrf: "", nav: [
        Link(href: "/board", label: "红黑榜", current: true)
    ])

    public init(
        signedIn: Bool, username: String, roleName: String, csrf: String, nav: [Link], notice: String? = nil, problem: ProblemView? = nil
    ) {
        self.signedIn = signedIn
        self.username = username
        self.roleName = roleName
        self.csrf = csrf
        canSignOut = !csrf.isEmpty
        self.nav = nav
        self.notice = notice
        self.problem = problem
    }

    /// A signed-in caller's chrome, with `current` marked in the menu.
    public init(username: String, role: Role, csrf: String, current: ConsolePage?) {
        let links = ConsolePage.allCases.filter { $0.roles.contains(role) }.map {
            Link(href: $0.path, label: $0.label, current: $0 == current)
        }
        self.init(
            signedIn: true, username: username, roleName: ConsoleLabels.role(role.rawValue), csrf: csrf,
            nav: links + [Link(href: "/board", label: "红黑榜", current: false)])
    }
}

/// The console's pages and the roles that may open each, as the API's policies for the data
/// behind them say: rewards for the bureau and viewers (the ledger), matching and audit likewise.
public enum ConsolePage: String, CaseIterable, Sendable {
    case overview, applications, rewards, targets, matching, audit

    public var path: String { self == .overview ? "/console/" : "/console/\(rawValue)" }

    public var label: String {
        switch self {
        case .overview: "概览"
        case .applications: "认定申报"
        case .rewards: "奖励发放"
        case .targets: "目标与名额"
        case .matching: "供需匹配"
        case .audit: "审计日志"
        }
    }

    public var roles: Set<Role> {
        switch self {
        case .overview, .applications, .targets: [.bureau, .county, .viewer]
        case .rewards, .matching: [.bureau, .viewer]
        case .audit: [.bureau]
        }
    }
}

/// A problem document as the page shows it: Chinese field names beside the API's messages.
public struct ProblemView: Sendable {
    public struct FieldError: Sendable {
        public var field: String
        public var message: String
    }

    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// `!errors.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasErrors = false

    public init(_ problem: Problem) {
        title = problem.title
        detail = problem.detail
        errors = problem.errors.map { FieldError(field: ConsoleLabels.field($0.field), message: ConsoleLabels.message($0.message)) }
        hasErrors = !errors.isEmpty
    }
}
