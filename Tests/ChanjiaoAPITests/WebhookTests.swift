import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Webhooks (Standard Webhooks 1.0): signed, delivered at least once through the job queue,
/// retried on the schedule, stopped by a 410 or five days of failures, resumed by enable;
/// never aimed at private or metadata addresses.
@Suite struct WebhookTests {
    @Test func theSpecificationsSignatureVector() {
        #expect(
            WebhookSigning.signature(
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                body: #"{"test": 2432232314}"#) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let secret = WebhookSigning.newSecret()
        #expect(secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 24)
        #expect(WebhookSigning.header(secrets: [secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], id: "m", timestamp: 1, body: "{}").split(separator: " ").count == 2)
    }

    @Test func theRetryScheduleIsTheSpecificationsWithJitter() {
        let schedule = RetrySchedule.standard
        #expect(schedule.wait(after: 1, random: 0) == 5)
        #expect(schedule.wait(after: 2, random: 0) == 300)
        #expect(schedule.wait(after: 7, random: 0) == 36000)
        #expect(schedule.wait(after: 8, random: 0) == nil)
        #expect(abs((schedule.wait(after: 3, random: 1) ?? 0) - 1980) < 1e-6)
        #expect(abs((schedule.wait(after: 3, random: -1) ?? 0) - 1620) < 1e-6)
    }

    @Test func privateLinkLocalAndMetadataAddressesAreRefusedWhateverTheSetting() {
        for allow in [false, true] {
            let policy = WebhookAddressPolicy(allowLoopback: allow)
            for address in [
                "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                "255.255.255.255", "fd00:ec2::254", "fe80::1", "::", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
            ] {
                #expect(policy.refusal(address) != nil, "\(address) with allowLoopback \(allow)")
            }
            #expect(policy.refusal("8.8.8.8") == nil)
            #expect(policy.refusal("2400:3200::1") == nil)
            #expect((policy.refusal("127.0.0.1") == nil) == allow)
            #expect((policy.refusal("::1") == nil) == allow)
            #expect((policy.refusal("::ffff:127.0.0.1") == nil) == allow)
        }
    }

    @Test func subscriptionsAreCheckedShownOnceAndOwnedByTheirKey() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            for (url, field) in [
                ("ftp://example.com/x", "url"), ("http://10.0.0.5/hook", "url"), ("http://169.254.169.254/latest/meta-data", "url"),
                ("http://127.0.0.1:9/hook", "url"), ("http://[::1]:9/hook", "url"), ("http://user:pw@example.com/", "url"),
                ("http://localhost:9/hook", "url"), ("not a url", "url"),
                // Ports an HTTP client cannot take (one of them used to crash the deliverer).
                ("http://93.184.216.34:99999/hook", "url"), ("http://93.184.216.34:0/hook", "url"),
                ("http://93.184.216.34:999999999999999999999/hook", "url"), ("http://[93.184.216.34]/hook", "url"),
            ] {
                let reply = try await api.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["program.created"]}"#)
                #expect(reply.status == .unprocessableContent && reply.errorFields == [field], "\(url): \(reply.text)")
            }
            #expect(try await api.post("/v1/webhooks", token: admin, #"{"url":"https://example.com/","events":["program.made"]}"#).errorFields == ["events[0]"])
            #expect(try await api.post("/v1/webhooks", token: admin, #"{"url":"https://example.com/","events":[]}"#).errorFields == ["events"])
            #expect(try await api.count("webhooks") == 0)
            #expect(try await api.count("audit_events WHERE object_type = 'webhook'") == 0)

            // A public address needs no loopback setting (nothing is delivered in this test).
            let partner = try await ApiKeyTests.key(api, admin, #"{"name":"门户","scopes":["webhooks:manage"]}"#)
            let feedOnly = try await ApiKeyTests.key(api, admin, #"{"name":"只读","scopes":["feed:read"]}"#)
            let body = #"{"url":"https://93.184.216.34/hook","events":["program.created","demand.updated"]}"#
            #expect(try await api.post("/v1/webhooks", token: feedOnly.key, body).status == .forbidden)
            #expect(try await api.post("/v1/webhooks", token: try await api.login("ent-zyyl"), body).status == .forbidden)
            let created = try await api.post("/v1/webhooks", token: partner.key, body, headers: [.idempotencyKey: "hook-1"])
            #expect(created.status == .created, "\(created.text)")
            let id = created.string["id"] ?? ""
            let secret = created.string["secret"] ?? ""
            #expect(secret.hasPrefix("whsec_"))
            #expect(created.headers[.location] == "/v1/webhooks/\(id)")
            let replay = try await api.post("/v1/webhooks", token: partner.key, body, headers: [.idempotencyKey: "hook-1"])
            #expect(replay.string["id"] == id && replay["secret"] == nil)
            #expect(try await api.count("webhooks") == 1)
            let listed = try await api.get("/v1/webhooks", token: partner.key)
            #expect(listed.items.count == 1 && !listed.text.contains(secret))
            #expect(try await api.get("/v1/webhooks", token: admin).items.count == 1)
            let other = try await ApiKeyTests.key(api, admin, #"{"name":"另一家","scopes":["webhooks:manage"]}"#)
            #expect(try await api.get("/v1/webhooks", token: other.key).items.isEmpty)
            #expect(try await api.get("/v1/webhooks/\(id)", token: other.key).status == .notFound)
            #expect(try await api.send(.delete, "/v1/webhooks/\(id)", token: other.key).status == .notFound)
            let rotated = try await api.send(.post, "/v1/webhooks/\(id)/rotate-secret", token: partner.key)
            #expect(rotated.status == .ok && rotated.string["secret"]?.hasPrefix("whsec_") == true && rotated.string["secret"] != secret)
            #expect(try await api.count("webhooks WHERE previous_secret = '\(secret)'") == 1)
            #expect(try await api.send(.delete, "/v1/webhooks/\(id)", token: partner.key).status == .noContent)
            #expect(try await api.count("webhooks") == 0)
            #expect(try await api.count("audit_events WHERE object_type = 'webhook'") == 3)
        }
    }

    @Test func eventsArriveSignedAndFailedAttemptsAreRetriedOnTheSchedule() async throws {
        // Each message fails twice (503), then succeeds.
        let receiver = WebhookReceiver { seen, _ in seen <= 2 ? .serviceUnavailable : .noContent }
        try await receiver.run { url in
            try await withAPI(configure: { $0.testWebhooks() }) { api async throws in
                let admin = try await api.admin()
                let created = try await api.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["demand.created","demand.updated"]}"#)
                #expect(created.status == .created, "\(created.text)")
                let id = created.string["id"] ?? ""
                let enterprise = try await api.login("ent-zyyl")
                let demand = try await CooperationTests.demand(api, enterprise)
                #expect(try await api.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":7}"#).status == .ok)
                // Not subscribed: never delivered.
                _ = try await CooperationTests.program(api, try await api.login("col-smxzy"))
                try await Self.waitUntil { receiver.all.count == 6 }
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.all.count == 6, "no attempt after a success")
                #expect(Set(receiver.all.map(\.type)) == ["demand.created", "demand.updated"])
                #expect(receiver.allSigned(by: [created.string["secret"] ?? ""]))
                let deliveries = try await Self.eventually(api, "/v1/webhooks/\(id)/deliveries", token: admin) { reply in
                    reply.items.count == 2 && reply.items.allSatisfy { $0["status"] == .string("succeeded") }
                }
                for delivery in deliveries.items {
                    guard case .array(let attempts)? = delivery["attempts"] else { throw TestSetupError("no attempts") }
                    #expect(attempts.map { $0["response_code"] } == [.int(503), .int(503), .int(204)])
                    #expect(delivery["attempt_count"] == .int(3) && delivery["response_code"] == .int(204))
                    #expect(attempts.allSatisfy { if case .int(let ms)? = $0["latency_ms"] { ms >= 0 } else { false } })
                }
                // By hand: sent again, with the same message id.
                guard case .string(let delivery)? = deliveries.items.first?["id"], case .string(let message)? = deliveries.items.first?["message_id"]
                else { throw TestSetupError("no delivery id") }
                let retried = try await api.send(.post, "/v1/webhooks/\(id)/deliveries/\(delivery)/retry", token: admin)
                #expect(retried.status == .accepted, "\(retried.text)")
                try await Self.waitUntil { receiver.all.filter { $0.messageID == message }.count == 4 }
                #expect(try await api.send(.post, "/v1/webhooks/\(id)/deliveries/\(UUID())/retry", token: admin).status == .notFound)
            }
        }
    }

    @Test func a410StopsTheSubscriptionAndEnableResumesWhereItStopped() async throws {
        let gone = Flag()
        let receiver = WebhookReceiver { _, _ in gone.isSet ? .gone : .ok }
        try await receiver.run { url in
            try await withAPI(configure: { $0.testWebhooks() }) { api async throws in
                let admin = try await api.admin()
                let id = try await api.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["demand.updated"]}"#).string["id"] ?? ""
                let enterprise = try await api.login("ent-zyyl")
                let demand = try await CooperationTests.demand(api, enterprise)
                gone.set()
                #expect(try await api.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":6}"#).status == .ok)
                let disabled = try await Self.eventually(api, "/v1/webhooks/\(id)", token: admin) { $0["status"] == .string("disabled") }
                #expect(disabled.string["disabled_reason"]?.contains("410") == true)
                // While disabled, nothing is sent; the events wait.
                for headcount in 7...9 {
                    #expect(try await api.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":\#(headcount)}"#).status == .ok)
                }
                try await Task.sleep(for: .milliseconds(1500))
                #expect(receiver.all.count == 1)
                #expect(try await api.send(.post, "/v1/webhooks/\(id)/deliveries/\(UUID())/retry", token: admin).status == .conflict)
                gone.set(false)
                let enabled = try await api.send(.post, "/v1/webhooks/\(id)/enable", token: admin)
                #expect(enabled.status == .ok && enabled.string["status"] == "active")
                // The one that met the 410, then the three made while disabled.
                try await Self.waitUntil { receiver.cursors.count == 4 }
                try await Self.waitUntil { try await api.count("webhook_deliveries WHERE status = 'succeeded'") == 4 }
            }
        }
    }

    /// The bureau subscribes to `demand.created` at `url`, `sql` sets up the subscription's state,
    /// then an enterprise makes a demand; the subscription's id and the bureau's token.
    static func demandCreated(_ api: TestAPI, url: String, after sql: String) async throws -> (id: String, admin: String) {
        let admin = try await api.admin()
        let id = try await api.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["demand.created"]}"#).string["id"] ?? ""
        try await api.store.client.query(PostgresQuery(unsafeSQL: sql))
        _ = try await CooperationTests.demand(api, try await api.login("ent-zyyl"))
        return (id, admin)
    }

    @Test func aStoredURLWithAPortOutOfRangeFailsItsAttemptsAndTheServiceLivesOn() async throws {
        let receiver = WebhookReceiver { _, _ in .noContent }
        try await receiver.run { url in
            try await withAPI(configure: { $0.testWebhooks(waits: [30]) }) { api async throws in
                // As if subscribed before the rule: creation refuses such a URL now.
                let (id, admin) = try await Self.demandCreated(api, url: url, after: "UPDATE webhooks SET url = 'http://127.0.0.1:99999/hook'")
                let deliveries = try await Self.eventually(api, "/v1/webhooks/\(id)/deliveries", token: admin) { reply in
                    guard case .array(let attempts)? = reply.items.first?["attempts"] else { return false }
                    return !attempts.isEmpty
                }
                guard case .array(let attempts)? = deliveries.items.first?["attempts"] else { throw TestSetupError("no attempts") }
                #expect(attempts.first?["response_code"] == .null, "\(deliveries.text)")
                #expect(deliveries.text.contains("port from 1 to 65535"), "\(deliveries.text)")
                #expect(receiver.all.isEmpty)
                #expect(try await api.get("/v1/webhooks/\(id)", token: admin).status == .ok)
            }
        }
    }

    @Test func aSubscriptionWhoseOwnerKeyWasRevokedCannotBeEnabled() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let partner = try await ApiKeyTests.key(api, admin, #"{"name":"门户","scopes":["webhooks:manage"]}"#)
            let id = try await api.post("/v1/webhooks", token: partner.key, #"{"url":"https://93.184.216.34/hook","events":["program.created"]}"#)
                .string["id"] ?? ""
            #expect(try await api.send(.delete, "/v1/api-keys/\(partner.id)", token: admin).status == .noContent)
            // As the fan-out leaves it once it meets the revoked key.
            try await api.store.client.query("UPDATE webhooks SET status = 'disabled', disabled_reason = 'owner revoked'")
            let enabled = try await api.send(.post, "/v1/webhooks/\(id)/enable", token: admin)
            #expect(enabled.status == .conflict, "\(enabled.text)")
            #expect(try await api.get("/v1/webhooks/\(id)", token: admin).string["status"] == "disabled")
        }
    }

    @Test func aSubscriptionFailingForFiveDaysIsDisabledAndItsOwnerSeesWhy() async throws {
        let receiver = WebhookReceiver { _, _ in .internalServerError }
        try await receiver.run { url in
            try await withAPI(configure: { $0.testWebhooks(waits: [30]) }) { api async throws in
                let (id, admin) = try await Self.demandCreated(api, url: url, after: "UPDATE webhooks SET failing_since = now() - interval '5 days 1 minute'")
                let disabled = try await Self.eventually(api, "/v1/webhooks/\(id)", token: admin) { $0["status"] == .string("disabled") }
                #expect(disabled.string["disabled_reason"]?.contains("5 days") == true, "\(disabled.text)")
                #expect(try await api.count("webhook_deliveries WHERE status = 'paused'") == 1)
                #expect(try await api.count("jobs") == 0)
                #expect(try await api.count("audit_events WHERE object_type = 'webhook' AND action = 'disabled'") == 1)
            }
        }
    }

    @Test func nothingPendingIsLostWhenTheServiceRestartsMidDelivery() async throws {
        // Three deliveries are answered; the rest hang until the first instance is gone.
        let receiver = WebhookReceiver(holdAfter: 3)
        try await receiver.run { url in
            // Only these two instances, one after the other, on one database.
            let database = try await TestDatabase.fresh()
            do {
                try await TestDatabase.withStore(database) { store in
                    try await withInstance(database, store: store, configure: { $0.testWebhooks() }) { first in
                        let admin = try await first.admin()
                        _ = try await first.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["demand.updated"]}"#)
                        let enterprise = try await first.login("ent-zyyl")
                        let demand = try await CooperationTests.demand(first, enterprise)
                        for headcount in 6..<66 {
                            #expect(try await first.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":\#(headcount)}"#).status == .ok)
                        }
                        // Stopped while delivering.
                        try await Self.waitUntil { receiver.answered == 3 && receiver.cursors.count > 3 }
                    }
                    #expect(receiver.answered == 3, "the restart came before the end")
                    receiver.release()
                    try await withInstance(database, store: store, configure: { $0.testWebhooks() }) { second in
                        try await Self.waitUntil(seconds: 30) { receiver.cursors.count == 60 }
                        try await Self.waitUntil { try await second.count("webhook_deliveries WHERE status = 'succeeded'") == 60 }
                        try await Self.waitUntil { try await second.count("jobs") == 0 }
                    }
                }
            } catch {
                await TestDatabase.drop(database)
                throw error
            }
            await TestDatabase.drop(database)
        }
    }

    @Test func twoInstancesDeliverEachEventAndEachAttemptIsMadeByOneOfThem() async throws {
        let receiver = WebhookReceiver(delay: .milliseconds(20))
        try await receiver.run { url in
            try await withAPI(configure: { $0.testWebhooks() }) { api async throws in
                guard let database = api.url else { throw TestSetupError("no database URL") }
                try await withInstance(database, store: api.store, configure: { $0.testWebhooks() }) { second in
                    let admin = try await api.admin()
                    #expect(try await second.post("/v1/webhooks", token: admin, #"{"url":"\#(url)","events":["demand.updated"]}"#).status == .created)
                    let enterprise = try await api.login("ent-zyyl")
                    let demand = try await CooperationTests.demand(api, enterprise)
                    for headcount in 6..<46 {
                        let writer = headcount.isMultiple(of: 2) ? api : second
                        #expect(try await writer.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":\#(headcount)}"#).status == .ok)
                    }
                    try await Self.waitUntil(seconds: 30) { receiver.cursors.count == 40 }
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(receiver.all.count == 40, "every event once: \(receiver.all.count) requests")
                    #expect(Set(receiver.all.map(\.messageID)).count == 40)
                    try await Self.waitUntil { try await api.count("webhook_attempts") == 40 }
                    #expect(try await api.count("webhook_deliveries") == 40)
                    #expect(try await api.count("webhook_attempts") == 40)
                }
            }
        }
    }

    /// Polls until `condition` holds, or fails after `seconds`.
    static func waitUntil(seconds: Int = 10, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("condition not met within \(seconds) s")
    }

    /// GETs `path` until `condition` holds for the reply.
    static func eventually(_ api: TestAPI, _ path: String, token: String, _ condition: (Reply) -> Bool) async throws -> Reply {
        var reply = try await api.get(path, token: token)
        try await waitUntil {
            reply = try await api.get(path, token: token)
            return condition(reply)
        }
        return reply
    }
}
