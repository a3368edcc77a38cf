import ChanjiaoDomain
import Crypto
import Foundation
import HTTPTypes
import Testing

/// An application's files: stored with their digest, told by their first bytes, within their
/// own size limit, changed only while the application may change.
@Suite struct AttachmentTests {
    static func upload(_ api: TestAPI, _ application: String, _ token: String, name: String = "%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf",
                       type: String = "application/pdf", bytes: [UInt8] = CertificationFixtures.pdf) async throws -> Reply {
        try await api.send(
            .post, "/v1/applications/\(application)/attachments?filename=\(name)", token: token, contentType: type, bytes: bytes)
    }

    @Test func filesAreStoredWithTheirDigestAndServedAsAttachments() async throws {
        try await withAPI { api async throws in
            let f = try await ApplicationTests.fixtures(api)
            let id = try await f.application(year: 2060)
            let uploaded = try await Self.upload(api, id, f.enterprise)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let digest = SHA256.hash(data: CertificationFixtures.pdf).map { String(format: "%02x", $0) }.joined()
            #expect(uploaded.string["sha256"] == digest)
            #expect(uploaded.string["filename"] == "申报书.pdf" && uploaded.body["size"] == .int(CertificationFixtures.pdf.count))
            let attachment = uploaded.string["id"] ?? ""
            #expect(uploaded.headers[.location] == "/v1/applications/\(id)/attachments/\(attachment)")

            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
            #expect(try await Self.upload(api, id, f.enterprise, name: "evidence.png", type: "image/png", bytes: png).status == .created)
            let list = try await api.get("/v1/applications/\(id)/attachments", token: f.county!)
            #expect(list.items.count == 2)
            guard case .object(let first)? = list.items.first else { return }
            #expect(Set(first.keys) == ["id", "application_id", "filename", "content_type", "size", "sha256", "created_at"])

            let file = try await api.send(.get, "/v1/applications/\(id)/attachments/\(attachment)", token: f.bureau)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "application/pdf")
            #expect(file.headers[.contentDisposition] == "attachment; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf")
            #expect(Array(file.text.utf8) == CertificationFixtures.pdf)
            #expect(try await api.send(.get, "/v1/applications/\(id)/attachments/\(attachment)", token: try await api.login("ent-lbhj")).status == .notFound)

            #expect(try await api.send(.delete, "/v1/applications/\(id)/attachments/\(attachment)", token: f.enterprise).status == .noContent)
            #expect(try await api.get("/v1/applications/\(id)/attachments", token: f.enterprise).items.count == 1)
            // Once submitted, the files are what was submitted.
            try await f.move(id, #"{"action":"submit"}"#, token: f.enterprise)
            #expect(try await Self.upload(api, id, f.enterprise).status == .conflict)
        }
    }

    @Test func aFileMustBeWhatItSaysAndWithinTwentyMebibytes() async throws {
        try await withAPI { api async throws in
            let f = try await ApplicationTests.fixtures(api)
            let id = try await f.application(year: 2061)
            let before = try await api.count("application_attachments")
            // A PNG declared as a PDF, a PDF declared as a JPEG, a type that is not taken.
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]
            #expect(try await Self.upload(api, id, f.enterprise, bytes: png).status == .unsupportedMediaType)
            #expect(try await Self.upload(api, id, f.enterprise, type: "image/jpeg").status == .unsupportedMediaType)
            #expect(try await Self.upload(api, id, f.enterprise, type: "application/zip").status == .unsupportedMediaType)
            // Bigger than 20 MiB; exactly 20 MiB is taken.
            let big = CertificationFixtures.pdf + Array(repeating: 0x20, count: AttachmentType.maxBytes)
            #expect(try await Self.upload(api, id, f.enterprise, bytes: big).status == .contentTooLarge)
            let limit = Array(big.prefix(AttachmentType.maxBytes))
            #expect(try await Self.upload(api, id, f.enterprise, name: "full.pdf", bytes: limit).status == .created)
            // A name must be a file's name.
            #expect(try await Self.upload(api, id, f.enterprise, name: "..%2Fetc%2Fpasswd").errorFields == ["filename"])
            #expect(try await api.send(.post, "/v1/applications/\(id)/attachments", token: f.enterprise, contentType: "application/pdf", bytes: CertificationFixtures.pdf).errorFields == ["filename"])
            #expect(try await Self.upload(api, id, f.enterprise, bytes: []).status == .badRequest)
            // Only the enterprise uploads.
            #expect(try await Self.upload(api, id, f.bureau).status == .forbidden)
            #expect(try await api.count("application_attachments") == before + 1)
        }
    }
}
