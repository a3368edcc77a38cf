import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Hummingbird

/// Certification applications: the enterprise's drafts and edits, the workflow's transitions
/// by the enterprise, its county and the bureau, the history, and the attached files.
struct ApplicationRoutes {
    let store: Store

    static let enterprise = AccessPolicy.writes([.enterprise])
    static let movers = AccessPolicy.writes([.enterprise, .county, .bureau])
    static let readers = AccessPolicy.reads([.enterprise, .county, .bureau, .viewer])

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "applications", Self.enterprise) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let input = try ApplicationInput.read(json)
            return try await WriteResponder.respond(
                request, context, status: .created, locationPrefix: "/v1/applications/", idempotentBody: json
            ) { actor in
                try await store.createApplication(input, actor: actor)
            }
        }
        router.on(.get, "applications", Self.readers) { request, context in
            HTTPBody.response(try await store.applications(try request.listRequest(), caller: context.caller))
        }
        router.on(.get, "applications/:id", Self.readers) { request, context in
            HTTPBody.response(try await store.application(id: try request.uuidParameter(context), caller: context.caller))
        }
        router.on(.patch, "applications/:id", Self.enterprise) { request, context in
            let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
            let patch = try await HTTPBody.json(request, context: context, patch: true)
            return try await WriteResponder.respond(request, context) { actor in
                try await store.patchApplication(id: id, patch: patch, expected: expected, actor: actor)
            }
        }
        router.on(.post, "applications/:id/transitions", Self.movers) { request, context in
            let (id, expected) = (try request.uuidParameter(context), try request.expectedVersion())
            let json = try await HTTPBody.json(request, context: context)
            let transition = try ApplicationTransition.read(json)
            return try await WriteResponder.respond(request, context, idempotentBody: json) { actor in
                try await store.moveApplication(id: id, transition: transition, expected: expected, actor: actor)
            }
        }
        router.on(.get, "applications/:id/history", Self.readers) { request, context in
            HTTPBody.response(try await store.applicationHistory(id: try request.uuidParameter(context), try request.listRequest(), caller: context.caller))
        }
        registerAttachments(on: router)
    }

    private func registerAttachments(on router: RouterGroup<AppContext>) {
        router.on(.post, "applications/:id/attachments", Self.enterprise) { request, context in
            let id = try request.uuidParameter(context)
            let file = try await Self.upload(request)
            let body: JSONValue = .object([
                "filename": .string(file.filename), "content_type": .string(file.contentType.rawValue), "sha256": .string(file.sha256),
            ])
            return try await WriteResponder.respond(
                request, context, status: .created, locationPrefix: "/v1/applications/\(id.text)/attachments/", idempotentBody: body
            ) { actor in
                try await store.addAttachment(applicationID: id, file: file, actor: actor)
            }
        }
        router.on(.get, "applications/:id/attachments", Self.readers) { request, context in
            HTTPBody.response(
                try await store.attachments(applicationID: try request.uuidParameter(context), try request.listRequest(), caller: context.caller))
        }
        router.on(.get, "applications/:id/attachments/:aid", Self.readers) { request, context in
            try await Self.download(request, context, store: store)
        }
        router.on(.delete, "applications/:id/attachments/:aid", Self.enterprise) { request, context in
            try await HTTPBody.none(request, context: context)
            try await store.deleteAttachment(
                applicationID: try request.uuidParameter(context), id: try request.uuidParameter(context, "aid"),
                actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.noContent()
        }
    }

    /// The raw body as a file: `?filename=` required, a PDF, JPEG or PNG `Content-Type` whose
    /// magic bytes the body starts with (else 415), at most 20 MiB (else 413).
    static func upload(_ request: Request) async throws -> AttachmentFile {
        var filename: String?
        var errors: [FieldError] = []
        for (key, value) in request.uri.queryParameters {
            if key == "filename" {
                let name = String(value).trimmingCharacters(in: .whitespaces)
                if let problem = AttachmentType.filenameProblem(name) {
                    errors.append(FieldError(field: "filename", message: problem))
                } else {
                    filename = name
                }
            } else {
                errors.append(FieldError(field: String(key), message: "is not a parameter of this route; use filename"))
            }
        }
        if filename == nil && errors.isEmpty { errors.append(FieldError(field: "filename", message: "is required")) }
        guard let type = request.headers[.contentType].flatMap(AttachmentType.init(mediaType:)) else {
            throw Problem(
                .unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)",
                detail: "an attachment is application/pdf, image/jpeg or image/png, sent as the raw body")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: AttachmentType.maxBytes)
        } catch {
            throw Problem(.contentTooLarge, title: "请求过大 (content too large)", detail: "an attachment is at most 20 MiB")
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("the body is empty; send the file itself") }
        let content = Array(buffer.readableBytesView)
        guard type.matches(content) else {
            throw Problem(
                .unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)",
                detail: "the body does not begin as a \(type.rawValue) file does")
        }
        return AttachmentFile(filename: filename!, contentType: type, content: content)
    }

    /// An attachment of an application the caller may read, as a download: the API's route
    /// and the console's link.
    static func download(_ request: Request, _ context: AppContext, store: Store) async throws -> Response {
        let file = try await store.attachment(
            applicationID: try request.uuidParameter(context), id: try request.uuidParameter(context, "aid"), caller: context.caller)
        let headers: HTTPFields = [
            .contentType: file.contentType, .cacheControl: "no-store",
            .contentDisposition: "attachment; filename*=UTF-8''\(Self.percentEncoded(file.filename))",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
    }

    /// RFC 8187 `value-chars`: everything but the attribute characters percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        return text.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }
}
