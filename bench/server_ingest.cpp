// Server ingest on its own: every pending row of an enrolled kiosk's store is encoded, gzipped
// and signed into batches first; then the batches are POSTed over CONNECTIONS keep-alive
// connections at once (each takes the next batch not yet sent) and only that is timed. The rate
// is what doorstep-server takes in (HTTP, inflate, signature, decode, one transaction per
// batch), without the kiosk's own work. With more than one connection the server decodes one
// batch while another is being written, as it does when many kiosks sync at once.
// Usage: bench-server-ingest KIOSK_DATA_DIR [BATCH_SIZE] [CONNECTIONS]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "core/base/clock.hpp"
#include "core/wire/gzip.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/signing.hpp"
#include "core/wire/wire.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/sync/device_identity.hpp"
#include "kiosk/sync/http_client.hpp"

using namespace doorstep;

namespace {

struct PreparedRequest {
    std::vector<std::string> Headers;
    std::string Body;
    int64_t FirstSeq = 0;
    int64_t LastSeq = 0;
};

int Fail(const std::string& message) {
    std::fprintf(stderr, "bench-server-ingest: %s\n", message.c_str());
    return 1;
}

}  // namespace

int Run(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s KIOSK_DATA_DIR [BATCH_SIZE] [CONNECTIONS]\n", argv[0]);
        return 2;
    }
    std::string data_dir = argv[1];
    int batch_size = argc > 2 ? std::stoi(argv[2]) : static_cast<int>(protocol::kDefaultBatchItems);
    int connections = argc > 3 ? std::stoi(argv[3]) : 1;
    auto identity = LoadDeviceIdentity(data_dir);
    if (!identity.Ok() || !identity->has_value()) {
        return Fail("no enrolled kiosk in " + data_dir);
    }
    const DeviceIdentity& kiosk = **identity;
    auto store = Store::Open(data_dir + "/kiosk.db");
    if (!store.Ok()) {
        return Fail(store.Err().Message);
    }
    std::vector<PreparedRequest> requests;
    int64_t rows = 0;
    for (int64_t after = 0;;) {
        auto batch = (*store)->ReadPending(batch_size, after);
        if (!batch.Ok()) {
            return Fail(batch.Err().Message);
        }
        if (batch->empty()) {
            break;
        }
        PreparedRequest request;
        request.Body = GzipCompress(EncodeBatch(kiosk.DeviceId, *batch));
        request.Headers =
            SignedPostHeaders(kiosk.DeviceId, kiosk.SecretHex, protocol::kPathResponses,
                              WallClockMs(), NewNonce(), request.Body);
        request.FirstSeq = batch->front().Seq;
        request.LastSeq = batch->back().Seq;
        after = request.LastSeq;
        rows += static_cast<int64_t>(batch->size());
        requests.push_back(std::move(request));
    }
    InitHttpOnce();
    std::string url = kiosk.ServerUrl + std::string(protocol::kPathResponses);
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    auto send_batches = [&] {
        HttpClient client(HttpOptions{});
        for (size_t i = next++; i < requests.size() && !failed; i = next++) {
            const PreparedRequest& request = requests[i];
            auto reply = client.Post(url, request.Headers, request.Body);
            auto ack = reply.Ok() && reply->Status == 200 ? DecodeAck(reply->Body) : std::nullopt;
            if (!ack || ack->Acked != std::vector<std::pair<int64_t, int64_t>>{
                                          {request.FirstSeq, request.LastSeq}}) {
                Fail("batch " + std::to_string(request.FirstSeq) + ".." +
                     std::to_string(request.LastSeq) + " not acknowledged in full: " +
                     (reply.Ok() ? "HTTP " + std::to_string(reply->Status) + " " +
                                       reply->Body.substr(0, 200)
                                 : reply.Err().Message));
                failed = true;
            }
        }
    };
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> senders;
    senders.reserve(static_cast<size_t>(connections));
    for (int i = 0; i < connections; ++i) {
        senders.emplace_back(send_batches);
    }
    for (std::thread& sender : senders) {
        sender.join();
    }
    if (failed) {
        return 1;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("server_ingest rows=%lld batches=%zu connections=%d seconds=%.2f rows_per_s=%.0f\n",
                static_cast<long long>(rows), requests.size(), connections, seconds,
                static_cast<double>(rows) / seconds);
    return 0;
}

int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& error) {  // a number argument that is not a number
        return Fail(error.what());
    }
}
