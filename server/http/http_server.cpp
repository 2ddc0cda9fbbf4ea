// The HTTP(S) front of doorstep-server.
//
// THE SERVER'S STATES (RunServer)
//
//   (start) --block SIGINT/SIGTERM, ignore SIGPIPE, build httplib::Server--> CONFIGURED
//   CONFIGURED --bind_to_port() / bind_to_any_port()--> BOUND      (fails: log, return 1)
//   BOUND --READY=1 to systemd, listen_after_bind(), main thread--> SERVING
//   SERVING --a signal, taken by the watcher thread with sigtimedwait; STOPPING=1 to
//             systemd--> Server::stop() -->
//   DRAINING: the listening socket is closed, no new connection is accepted; each worker
//             finishes the request it holds (a batch's transaction commits or rolls back inside
//             its handler, before the answer is written), idle keep-alive connections end
//   DRAINING --the thread pools are joined, listen_after_bind() returns--> STOPPED --> return 0
//
// EVERY REQUEST, ON ONE WORKER THREAD
//
//   headers read --pre-routing: a turned-away connection (TurnAwayQueue: kMaxWaitingConnections
//                already wait for a worker), a kiosk path--> 429 + Retry-After + close
//                --pre-routing: Content-Encoding--> 415 + Connection: close, body not read
//                --pre-routing: a body without Content-Length (chunked, or until EOF)--> 411 +
//                close
//                --Content-Length > kMaxBodyBytes--> 413 body_too_large (httplib skips the body)
//                --body read (at most kMaxBodyBytes)--> Api::Handle() --> answer --> log line
//
// INVARIANTS
//   * No body is inflated by httplib: a request with Content-Encoding is refused before its
//     body is read, and our own GzipInflate applies the protocol's limits.
//   * No body is read without a bound: httplib 0.11 enforces set_payload_max_length() only on a
//     Content-Length, so chunked bodies and bodies without a length are refused up front.
//   * Every answer is JSON, errors included (the error handler fills httplib's own errors).
//   * Only the watcher thread takes SIGINT/SIGTERM: they are blocked in every other thread.
#include "server/http/http_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "core/base/clock.hpp"
#include "core/base/log.hpp"
#include "core/service/service_notifier.hpp"
#include "core/wire/protocol.hpp"
#include "core/wire/wire.hpp"
#include "server/api/api.hpp"
#include "server/api/head_office_api.hpp"
#include "server/http/turn_away_queue.hpp"
#include "server/store/open/open_store.hpp"

namespace doorstep::server {
namespace {

using HandlerResponse = httplib::Server::HandlerResponse;

// httplib gives each connection a worker thread for the connection's whole life. Keep-alive is
// kept short so an idle kiosk connection does not hold a worker, and the pool is sized so that a
// worst case (every worker holding an 8 MiB body and its 64 MiB inflated form) still fits in
// about 1.2 GB.
constexpr size_t kWorkerThreads = 16;
constexpr time_t kKeepAliveSeconds = 2;
// Connections that may wait for a worker (TurnAwayQueue); past that a kiosk is told 429 and when
// to come back: a few seconds, spread so that a crowd turned away together does not return
// together (the kiosk adds its own jitter on top).
constexpr size_t kMaxWaitingConnections = 128;
constexpr int kListenBacklog = 1024;
constexpr int kTurnAwayRetryMinS = 5;
constexpr int kTurnAwayRetrySpreadS = 10;

// What the request log line needs, gathered along one request on its worker thread: httplib runs
// pre-routing, the handler and the logger of one request on the same thread, one after another.
struct RequestTrace {
    bool Started = false;
    int64_t StartMs = 0;
    std::string DeviceId;
    size_t Items = 0;
};
thread_local RequestTrace t_trace;

void Answer(httplib::Response& response, int status, const std::string& body,
            const std::string& content_type = "application/json") {
    response.status = status;
    response.set_content(body, content_type);
}

// A refusal made before the body is read leaves that body unread on the connection, and httplib
// 0.11 cannot be told to drop the connection. `Connection: close` tells the client not to send
// another request on it, so the unread bytes can only be read (and fail to parse) as a last
// "request" nobody waits for.
HandlerResponse RefuseUnread(httplib::Response& response, int status, std::string_view code,
                             std::string_view message) {
    Answer(response, status, EncodeError(code, message));
    response.set_header("Connection", "close");
    return HandlerResponse::Handled;
}

bool CarriesBody(const std::string& method) {
    // The methods httplib reads a body for (detail::expect_content).
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" ||
           method == "PRI";
}

HandlerResponse BeforeBody(const httplib::Request& request, httplib::Response& response) {
    t_trace = RequestTrace{
        true, MonotonicClockMs(),
        request.get_header_value(std::string(protocol::kHeaderDevice)).substr(0, 64), 0};
    if (TurningAway() && request.path.rfind("/v1/", 0) == 0) {
        const int retry_s =
            kTurnAwayRetryMinS +
            static_cast<int>(randombytes_uniform(static_cast<uint32_t>(kTurnAwayRetrySpreadS)));
        response.set_header("Retry-After", std::to_string(retry_s));
        return RefuseUnread(response, 429, "busy",
                            "the server has more kiosks waiting than it serves at once; nothing "
                            "was stored; try again after Retry-After");
    }
    if (request.has_header("Content-Encoding")) {
        return RefuseUnread(response, 415, "unsupported_encoding",
                            "Content-Encoding is not accepted; send the gzip body as "
                            "Content-Type: application/gzip without Content-Encoding");
    }
    if (CarriesBody(request.method) &&
        (request.has_header("Transfer-Encoding") || !request.has_header("Content-Length"))) {
        return RefuseUnread(response, 411, "length_required",
                            "a request body needs a Content-Length (chunked bodies are refused)");
    }
    return HandlerResponse::Unhandled;
}

// httplib calls this for every answer with a status >= 400, ours included: only fill the ones
// httplib produced itself, which have no body yet.
HandlerResponse FillHttpError(const httplib::Request& /*request*/, httplib::Response& response) {
    if (!response.body.empty()) {
        return HandlerResponse::Unhandled;
    }
    std::string extra = "{}";
    std::string code = "http_error";
    std::string message =
        "the request could not be handled (HTTP " + std::to_string(response.status) + ")";
    switch (response.status) {
        case 400:
            code = "bad_request";
            message = "the request is not well-formed HTTP";
            break;
        case 404:
            code = "not_found";
            message = "no such endpoint";
            break;
        case 413:
            code = "body_too_large";
            message = "the body is larger than " + std::to_string(protocol::kMaxBodyBytes >> 20) +
                      " MiB as sent";
            extra = "{\"limit\": " + std::to_string(protocol::kMaxBodyBytes) + "}";
            break;
        case 414:
            code = "uri_too_long";
            message = "the request target is too long";
            break;
        default:
            break;
    }
    Answer(response, response.status, EncodeError(code, message, extra));
    return HandlerResponse::Handled;
}

void OnException(const httplib::Request& /*request*/, httplib::Response& response,
                 const std::exception_ptr& thrown) {
    std::string what = "unknown exception";
    try {
        if (thrown) {
            std::rethrow_exception(thrown);
        }
    } catch (const std::exception& error) {
        what = error.what();
    } catch (...) {
    }
    Log(LogLevel::Error, "http", "request handler failed", {{"error", what}});
    Answer(response, 500, EncodeError("server_error", "the server failed; nothing was stored"));
}

void LogRequest(const httplib::Request& request, const httplib::Response& response) {
    RequestTrace trace = std::exchange(t_trace, RequestTrace{});
    std::string ms = trace.Started ? std::to_string(MonotonicClockMs() - trace.StartMs) : "-";
    // No method: httplib could not read a request line. After a refusal made before the body
    // (415, 411) that is the unread body itself, read once more before the connection ends; it is
    // not a request of its own, so it stays out of the info log.
    LogLevel level = request.method.empty() ? LogLevel::Debug : LogLevel::Info;
    Log(level, "http", "request",
        {{"method", request.method},
         {"path", request.path.substr(0, 80)},
         {"status", std::to_string(response.status)},
         {"device", trace.DeviceId.empty() ? "-" : trace.DeviceId},
         {"items", std::to_string(trace.Items)},
         {"ms", ms},
         {"remote", request.remote_addr}});
}

ApiRequest ToApiRequest(const httplib::Request& request) {
    ApiRequest api_request;
    api_request.Method = request.method;
    api_request.Path = request.path;
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        for (char& c : lower) {
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            }
        }
        api_request.Headers.emplace(std::move(lower), value);  // keeps the first of duplicates
    }
    api_request.Body = request.body;
    for (const auto& [name, value] : request.params) {
        api_request.Query.emplace(name, value);  // keeps the first of repeated parameters
    }
    return api_request;
}

std::unique_ptr<httplib::Server> MakeServer(const ServeOptions& options) {
    if (options.TlsCertPath.empty()) {
        return std::make_unique<httplib::Server>();
    }
    auto server = std::make_unique<httplib::SSLServer>(options.TlsCertPath.c_str(),
                                                       options.TlsKeyPath.c_str());
    if (!server->is_valid()) {
        Log(LogLevel::Error, "http", "cannot use the TLS certificate or key",
            {{"cert", options.TlsCertPath}, {"key", options.TlsKeyPath}});
        return nullptr;
    }
    return server;
}

void Route(httplib::Server& server, Api& api, HeadOfficeApi& head_office) {
    httplib::Server::Handler handle = [&api, &head_office](const httplib::Request& request,
                                                           httplib::Response& response) {
        // /v1/ is the kiosks' protocol; everything else is head office's API and dashboard.
        ApiReply reply = request.path.starts_with("/v1/")
                             ? api.Handle(ToApiRequest(request))
                             : head_office.Handle(ToApiRequest(request));
        if (!reply.DeviceId.empty()) {
            t_trace.DeviceId = reply.DeviceId;
        }
        t_trace.Items = reply.Items;
        for (const auto& [name, value] : reply.Headers) {
            response.set_header(name, value);
        }
        if (!reply.Stream) {
            Answer(response, reply.Status, reply.Body, reply.ContentType);
            return;
        }
        response.status = reply.Status;
        response.set_chunked_content_provider(
            reply.ContentType,
            [stream = std::move(reply.Stream)](size_t /*offset*/, httplib::DataSink& sink) {
                bool finished = stream([&sink](std::string_view piece) {
                    return piece.empty() || sink.write(piece.data(), piece.size());
                });
                if (finished) {
                    sink.done();
                }
                return finished;
            });
    };
    // Every method and path reaches a handler, which answers 404 and 405 in JSON itself.
    const std::string any_path = "/.*";
    server.Get(any_path, handle);
    server.Post(any_path, handle);
    server.Put(any_path, handle);
    server.Patch(any_path, handle);
    server.Delete(any_path, handle);
    server.Options(any_path, handle);
}

}  // namespace

int RunServer(const ServeOptions& options, ServerStore& store) {
    // Before any thread exists, so every thread inherits the mask and only the watcher sees them.
    sigset_t shutdown_signals;
    sigemptyset(&shutdown_signals);
    sigaddset(&shutdown_signals, SIGINT);
    sigaddset(&shutdown_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);  // httplib writes with send(..., 0): a gone client must not kill us

    std::unique_ptr<httplib::Server> server = MakeServer(options);
    if (!server) {
        return 1;
    }
    Api api(store);
    api.SetAlertDeliveries(options.Mail.has_value(), !options.Alerts.WebhookUrl.empty());
    RetentionService retention(store, options.Retention);
    api.SetContacts(options.ContactKeys, options.Retention.ContactKeepDays());
    (void)retention.ExpireContacts();  // before the first request: none is shown past its days
    HeadOfficeOptions head_office_options;
    head_office_options.ContactKeys = options.ContactKeys;
    head_office_options.SecureCookies = !options.TlsCertPath.empty();
    head_office_options.AlertGoalMinutes = options.AlertGoalMinutes;
    if (!options.DbUrl.empty()) {
        head_office_options.OpenReader = [url = options.DbUrl] { return OpenServerStore(url); };
    }
    HeadOfficeApi head_office(store, head_office_options);
    server->new_task_queue = [] {
        return new TurnAwayQueue(kWorkerThreads, kMaxWaitingConnections);
    };
    // SO_REUSEADDR only: a restart may bind while old connections linger in TIME_WAIT. Not
    // httplib's default SO_REUSEPORT, with which a second server on the same port would start
    // "fine" and quietly take half the kiosks.
    // The listening socket is remembered to widen its backlog once bound (below).
    socket_t listening = INVALID_SOCKET;
    server->set_socket_options([&listening](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listening = sock;
    });
    server->set_tcp_nodelay(true);  // headers and body go out in separate writes: no Nagle stall
    server->set_keep_alive_timeout(kKeepAliveSeconds);
    server->set_payload_max_length(protocol::kMaxBodyBytes);
    server->set_pre_routing_handler(BeforeBody);
    server->set_error_handler(httplib::Server::HandlerWithResponse(FillHttpError));
    server->set_exception_handler(OnException);
    server->set_logger(LogRequest);
    Route(*server, api, head_office);

    int port = options.Port;
    bool bound = true;
    if (port == 0) {
        port = server->bind_to_any_port(options.Host);
        bound = port > 0;
    } else {
        bound = server->bind_to_port(options.Host, port);
    }
    std::string address = options.Host + ":" + std::to_string(port);
    if (!bound) {
        Log(LogLevel::Error, "http", "cannot listen (address in use, or not an address here?)",
            {{"address", options.Host + ":" + std::to_string(options.Port)}});
        return 1;
    }
    // httplib 0.11 listens with a backlog of 5: a crowd of kiosks connecting at once would
    // overflow it, and the connections the kernel dropped retry their handshake a second or
    // more later. Listening again on the bound socket widens it, so every connection reaches
    // TurnAwayQueue, which serves it or tells it when to come back.
    if (::listen(listening, kListenBacklog) != 0) {
        Log(LogLevel::Warning, "http", "cannot widen the listen backlog",
            {{"error", std::strerror(errno)}});
    }
    Log(LogLevel::Info, "http", "listening",
        {{"address", address},
         {"port", std::to_string(port)},
         {"tls", options.TlsCertPath.empty() ? "off" : "on"}});

    std::optional<MailService> mail;
    if (options.Mail) {
        MailOptions mail_options = *options.Mail;
        if (mail_options.Identity.DashboardUrl.empty()) {
            mail_options.Identity.DashboardUrl =
                std::string(options.TlsCertPath.empty() ? "http://" : "https://") + address + "/";
        }
        mail.emplace(store, mail_options);
        mail->Start();
        // A new alert's mail goes at once rather than at the mail service's next tick.
        api.WhenAlertsOpen([&mail] { mail->Wake(); });
    }
    AlertOptions alert_options = options.Alerts;
    alert_options.QueueMail = options.Mail.has_value();
    if (mail) {
        alert_options.Opened = [&mail] { mail->Wake(); };
    }
    AlertService alerts(store, alert_options);
    alerts.Start();
    retention.Start();
    ServiceNotifier systemd;
    systemd.Ready();  // the socket is listening: connections queue until the workers take them

    std::atomic<bool> listen_ended{false};
    std::atomic<int> stop_signal{0};
    std::thread watcher([&] {
        const timespec tick{0, 200'000'000};  // how often it looks whether listening ended
        while (!listen_ended.load()) {
            int taken = sigtimedwait(&shutdown_signals, nullptr, &tick);
            if (taken <= 0) {
                continue;
            }
            stop_signal = taken;
            systemd.Stopping();
            Log(LogLevel::Info, "http", "stopping: finishing the requests in progress",
                {{"signal", taken == SIGTERM ? "SIGTERM" : "SIGINT"}});
            // stop() does nothing until listen_after_bind() has started running.
            while (!server->is_running() && !listen_ended.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            server->stop();
            return;
        }
    });
    bool served = server->listen_after_bind();  // returns once stopped and drained
    listen_ended = true;
    watcher.join();
    alerts.Stop();
    if (mail) {
        mail->Stop();
    }
    retention.Stop();

    if (stop_signal.load() != 0) {
        Log(LogLevel::Info, "http", "stopped", {{"address", address}});
        return 0;
    }
    Log(LogLevel::Error, "http", "listening ended unexpectedly",
        {{"address", address}, {"ok", served ? "true" : "false"}});
    return 1;
}

}  // namespace doorstep::server
